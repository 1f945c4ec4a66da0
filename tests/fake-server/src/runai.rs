//! Run:ai token API: `POST /api/v1/token` (2.19 to 3.0; 3.0 without
//! `app_token`) and the three deprecated 2.19 endpoints under `/v1/k8s/auth`.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::state::{CodeError, FakeState, SharedState};

/// Every grant 2.23 knows; 2.19 lacks the last two.
const GRANTS_223: [&str; 6] = [
    "password",
    "refresh_token",
    "exchange_token",
    "app_token",
    "client_credentials",
    "external_token_exchange",
];
const GRANTS_219: [&str; 4] = ["password", "refresh_token", "exchange_token", "app_token"];
/// 3.0 (deprecated endpoint): `app_token` is gone.
const GRANTS_30: [&str; 5] = [
    "password",
    "refresh_token",
    "exchange_token",
    "client_credentials",
    "external_token_exchange",
];

/// String fields of `TokenRequest` per version (2.19 has no clientSecret /
/// externalToken: there they are unknown fields, ignored like any other).
const FIELDS_223: [&str; 10] = [
    "appID",
    "appSecret",
    "code",
    "redirectUri",
    "refreshToken",
    "username",
    "password",
    "clientID",
    "clientSecret",
    "externalToken",
];
const FIELDS_219: [&str; 8] = [
    "appID",
    "appSecret",
    "code",
    "redirectUri",
    "refreshToken",
    "username",
    "password",
    "clientID",
];

/// The Run:ai error body; the HTTP status always equals `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunaiError {
    pub code: u16,
    pub message: String,
    pub details: Option<String>,
}

impl RunaiError {
    pub fn new(code: u16, message: &str, details: impl Into<String>) -> Self {
        RunaiError {
            code,
            message: message.to_string(),
            details: Some(details.into()),
        }
    }

    fn bad_request(message: &str, details: impl Into<String>) -> Self {
        Self::new(400, message, details)
    }

    fn unauthorized(message: &str, details: impl Into<String>) -> Self {
        Self::new(401, message, details)
    }

    fn invalid_refresh_token() -> Self {
        Self::unauthorized(
            "refresh token is invalid or already used",
            "the refresh token is unknown, revoked or was already redeemed",
        )
    }

    fn from_code_error(e: CodeError) -> Self {
        match e {
            CodeError::Unknown => Self::bad_request(
                "invalid authorization code",
                "the code is unknown or was already used",
            ),
            CodeError::RedirectMismatch => Self::bad_request(
                "invalid authorization code",
                "redirect uri does not match the one the code was issued for",
            ),
        }
    }
}

impl IntoResponse for RunaiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let Some(d) = self.details {
            body["details"] = Value::String(d);
        }
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(body)).into_response()
    }
}

type Result<T> = std::result::Result<T, RunaiError>;

pub(crate) fn routes() -> Router<SharedState> {
    Router::new()
        .route("/api/v1/token", post(grant_token))
        .route("/v1/k8s/auth/token/exchange", get(exchange_code_for_token))
        .route("/v1/k8s/auth/oauth/tokens/refresh", post(refresh_token))
        .route("/v1/k8s/auth/oauth/apptoken", post(app_token))
}

fn reply(result: Result<Value>) -> Response {
    match result {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The body must be a JSON object (Go's decoder into a struct insists).
fn parse_object(body: &[u8]) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(RunaiError::bad_request(
            "invalid request body",
            "request body must be a JSON object",
        )),
        Err(e) => Err(RunaiError::bad_request(
            "invalid request body",
            format!("request body is not valid JSON: {e}"),
        )),
    }
}

/// Known fields must be strings (null counts as absent, as in Go).
fn check_string_fields(obj: &Map<String, Value>, fields: &[&str]) -> Result<()> {
    for field in fields {
        match obj.get(*field) {
            None | Some(Value::Null) | Some(Value::String(_)) => {}
            Some(_) => {
                return Err(RunaiError::bad_request(
                    "invalid request body",
                    format!("field {field} must be a string"),
                ));
            }
        }
    }
    Ok(())
}

/// A required, non-empty string field (types were checked already).
fn required<'a>(obj: &'a Map<String, Value>, field: &str, context: &str) -> Result<&'a str> {
    match obj.get(field).and_then(Value::as_str) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(RunaiError::bad_request(
            "missing required field",
            format!("{field} is required for {context}"),
        )),
    }
}

/// `POST /api/v1/token`
async fn grant_token(State(state): State<SharedState>, body: Bytes) -> Response {
    if let Some(answer) = crate::oidc_redeem::intercept(&state, &body).await {
        return answer;
    }
    reply(grant(&state, &body))
}

fn grant(state: &FakeState, body: &[u8]) -> Result<Value> {
    let obj = parse_object(body)?;
    let config = state.config();
    let (grants, fields): (&[&str], &[&str]) = if config.is_runai_219() {
        (&GRANTS_219, &FIELDS_219)
    } else if !config.has_app_token_grant() {
        (&GRANTS_30, &FIELDS_223)
    } else {
        (&GRANTS_223, &FIELDS_223)
    };
    let grant = match obj.get("grantType") {
        None | Some(Value::Null) => {
            return Err(RunaiError::bad_request(
                "invalid grant type",
                "grantType is required",
            ));
        }
        Some(Value::String(g)) if grants.contains(&g.as_str()) => g.as_str(),
        Some(Value::String(g)) => {
            return Err(RunaiError::bad_request(
                "invalid grant type",
                format!("unsupported grantType {g:?}"),
            ));
        }
        Some(_) => {
            return Err(RunaiError::bad_request(
                "invalid request body",
                "field grantType must be a string",
            ));
        }
    };
    check_string_fields(&obj, fields)?;
    let ctx = format!("grantType {grant}");
    let ctx = ctx.as_str();

    match grant {
        "password" => {
            let username = required(&obj, "username", ctx)?;
            let password = required(&obj, "password", ctx)?;
            if username != config.username || password != config.password {
                return Err(RunaiError::unauthorized(
                    "invalid user credentials",
                    "username or password is incorrect",
                ));
            }
            Ok(state.issue_token_set(username).to_json())
        }
        "refresh_token" => {
            let refresh = required(&obj, "refreshToken", ctx)?;
            state
                .redeem_refresh_token(refresh)
                .map(|t| t.to_json())
                .ok_or_else(RunaiError::invalid_refresh_token)
        }
        "exchange_token" => {
            let code = required(&obj, "code", ctx)?;
            let redirect = required(&obj, "redirectUri", ctx)?;
            state
                .consume_code(code, redirect)
                .map_err(RunaiError::from_code_error)?;
            Ok(state.issue_token_set(&config.username).to_json())
        }
        "app_token" => {
            let id = required(&obj, "appID", ctx)?;
            let secret = required(&obj, "appSecret", ctx)?;
            app_access_token(state, &config, id, secret)
        }
        "client_credentials" => {
            let id = required(&obj, "clientID", ctx)?;
            let secret = required(&obj, "clientSecret", ctx)?;
            app_access_token(state, &config, id, secret)
        }
        "external_token_exchange" => {
            let external = required(&obj, "externalToken", ctx)?;
            if external != config.external_token {
                return Err(RunaiError::unauthorized(
                    "invalid external token",
                    "the external token was not accepted by the identity provider",
                ));
            }
            Ok(state.issue_token_set(&config.username).to_json())
        }
        _ => unreachable!("grant list checked above"),
    }
}

/// Machine grants get an access token only: no id token, no refresh token.
fn app_access_token(
    state: &FakeState,
    config: &crate::Config,
    id: &str,
    secret: &str,
) -> Result<Value> {
    if id != config.client_id || secret != config.client_secret {
        return Err(RunaiError::unauthorized(
            "invalid client credentials",
            "client id or secret is incorrect",
        ));
    }
    Ok(json!({"accessToken": state.issue_access_token(id)}))
}

fn required_query<'a>(q: &'a HashMap<String, String>, name: &str) -> Result<&'a str> {
    match q.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(RunaiError::bad_request(
            "missing required parameter",
            format!("query parameter {name} is required"),
        )),
    }
}

/// `GET /v1/k8s/auth/token/exchange?redirect_uri=..&code=..` (deprecated).
async fn exchange_code_for_token(
    State(state): State<SharedState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    reply((|| {
        let redirect = required_query(&q, "redirect_uri")?;
        let code = required_query(&q, "code")?;
        state
            .consume_code(code, redirect)
            .map_err(RunaiError::from_code_error)?;
        Ok(state.issue_token_set(&state.config().username).to_json())
    })())
}

/// `POST /v1/k8s/auth/oauth/tokens/refresh?refresh_token=..` (deprecated).
async fn refresh_token(
    State(state): State<SharedState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    reply(required_query(&q, "refresh_token").and_then(|rt| {
        state
            .redeem_refresh_token(rt)
            .map(|t| t.to_json())
            .ok_or_else(RunaiError::invalid_refresh_token)
    }))
}

/// `POST /v1/k8s/auth/oauth/apptoken` (deprecated): snake_case reply.
async fn app_token(State(state): State<SharedState>, body: Bytes) -> Response {
    reply((|| {
        let obj = parse_object(&body)?;
        check_string_fields(&obj, &["id", "name", "secret"])?;
        let id = required(&obj, "id", "apptoken")?;
        let name = required(&obj, "name", "apptoken")?;
        let secret = required(&obj, "secret", "apptoken")?;
        let config = state.config();
        if id != config.client_id || name != config.app_name || secret != config.client_secret {
            return Err(RunaiError::unauthorized(
                "invalid application credentials",
                "application id, name or secret is incorrect",
            ));
        }
        Ok(json!({
            "access_token": state.issue_access_token(id),
            "id_token": state.issue_id_token(id),
        }))
    })())
}
