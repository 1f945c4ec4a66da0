//! GBDS 4.7 `POST /gbds/v2/tokens`: opaque tokens in a `data` envelope,
//! 201 on success, typed errors.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

use crate::state::{FakeState, GbdsToken, GbdsTokenStatus, SharedState};

/// Base path of the GBDS API on this server.
pub const BASE_PATH: &str = "/gbds/v2";

/// A GBDS error body: `{"type","code","message","meta"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GbdsError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl GbdsError {
    fn validation(code: &'static str, message: impl Into<String>) -> Self {
        GbdsError {
            status: StatusCode::BAD_REQUEST,
            kind: "VALIDATION_ERROR",
            code,
            message: message.into(),
        }
    }

    fn security(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        GbdsError {
            status,
            kind: "SECURITY_ERROR",
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for GbdsError {
    fn into_response(self) -> Response {
        let body = json!({
            "type": self.kind,
            "code": self.code,
            "message": self.message,
            "meta": {},
        });
        (self.status, Json(body)).into_response()
    }
}

pub(crate) fn routes() -> Router<SharedState> {
    Router::new().route(&format!("{BASE_PATH}/tokens"), post(create_token))
}

/// The success body for a token.
pub fn token_json(t: &GbdsToken) -> Value {
    json!({"data": {"token": t.token, "expirationTime": t.expiration_time_ms, "ttl": t.ttl_ms}})
}

async fn create_token(State(state): State<SharedState>, body: Bytes) -> Response {
    match create(&state, &body) {
        Ok(t) => (StatusCode::CREATED, Json(token_json(&t))).into_response(),
        Err(e) => e.into_response(),
    }
}

/// An optional string attribute; other JSON types are rejected.
fn string_attr<'a>(data: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, GbdsError> {
    match data.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(GbdsError::validation(
            "INVALID_JSON_ATTRIBUTE_VALUE",
            format!("attribute data.{name} must be a string"),
        )),
    }
}

fn grant_spec(message: &str) -> GbdsError {
    GbdsError::validation("INVALID_TOKEN_GRANT_SPEC", message)
}

fn create(state: &FakeState, body: &[u8]) -> Result<GbdsToken, GbdsError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| GbdsError::validation("MALFORMED_JSON", format!("malformed JSON: {e}")))?;
    let data = value
        .get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| grant_spec("request must carry a data object"))?;
    let grant = match data.get("grantType") {
        None | Some(Value::Null) => return Err(grant_spec("data.grantType is required")),
        Some(Value::String(g)) if g == "CREDENTIALS" || g == "TOKEN" => g.as_str(),
        Some(other) => {
            return Err(GbdsError::validation(
                "INVALID_ENUM_VALUE",
                format!("invalid grantType {other}; expected one of CREDENTIALS, TOKEN"),
            ));
        }
    };
    let user = string_attr(data, "userName")?;
    let password = string_attr(data, "userPassword")?;
    let token = string_attr(data, "token")?;
    let config = state.config();

    if grant == "CREDENTIALS" {
        let (Some(user), Some(password)) = (user, password) else {
            return Err(grant_spec(
                "grantType CREDENTIALS requires userName and userPassword",
            ));
        };
        if user != config.gbds_user || password != config.gbds_password {
            return Err(GbdsError::security(
                StatusCode::UNAUTHORIZED,
                "INVALID_CREDENTIALS",
                "invalid user name or password",
            ));
        }
    } else {
        let Some(token) = token else {
            return Err(grant_spec("grantType TOKEN requires token"));
        };
        match state.gbds_token_status(token) {
            GbdsTokenStatus::Valid => {}
            GbdsTokenStatus::Expired => {
                return Err(GbdsError::security(
                    StatusCode::UNAUTHORIZED,
                    "EXPIRED_TOKEN",
                    "token has expired; log in again",
                ));
            }
            GbdsTokenStatus::Unknown => {
                return Err(GbdsError::security(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "INVALID_TOKEN",
                    "token is not valid",
                ));
            }
        }
    }
    Ok(state.issue_gbds_token_default())
}
