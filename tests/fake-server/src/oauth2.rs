//! Run:ai's OAuth2 endpoint `POST /api/v2/token` (control plane 2.24, and
//! 3.0 with `external_token_exchange`): form-encoded RFC 6749 grants,
//! snake_case answers, RFC 6749 errors. Only served when
//! [`crate::Config::runai_version`] is 2.24 or later; older versions answer
//! 404 like the real ones.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use crate::state::{FakeState, SharedState};

/// The grants the 2.24 document lists.
const GRANTS_224: [&str; 4] = [
    "authorization_code",
    "client_credentials",
    "password",
    "refresh_token",
];
/// 3.0 adds the token exchange (field `external_token`).
const GRANTS_30: [&str; 5] = [
    "authorization_code",
    "client_credentials",
    "password",
    "refresh_token",
    "external_token_exchange",
];

pub(crate) fn routes() -> Router<SharedState> {
    Router::new().route("/api/v2/token", post(token))
}

/// RFC 6749 section 5.2.
struct OAuthError {
    status: u16,
    error: &'static str,
    description: String,
}

fn oauth_error(status: u16, error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        status,
        error,
        description: description.into(),
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = json!({"error": self.error, "error_description": self.description});
        (status, Json(body)).into_response()
    }
}

async fn token(State(state): State<SharedState>, headers: HeaderMap, body: Bytes) -> Response {
    if !state.config().has_oauth2() {
        return crate::runai::RunaiError::new(404, "not found", "no route for POST /api/v2/token")
            .into_response();
    }
    match grant(&state, &headers, &body).await {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn grant(state: &FakeState, headers: &HeaderMap, body: &[u8]) -> Result<Value, OAuthError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(oauth_error(
            400,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let mut fields: HashMap<String, String> = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        // RFC 6749 3.2: parameters must not be repeated.
        if fields.insert(k.to_string(), v.to_string()).is_some() {
            return Err(oauth_error(
                400,
                "invalid_request",
                format!("parameter {k} repeated"),
            ));
        }
    }
    let required = |name: &str| -> Result<&str, OAuthError> {
        fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| oauth_error(400, "invalid_request", format!("{name} is required")))
    };
    let grant = required("grant_type")?;
    let grants: &[&str] = if state.config().has_oauth2_token_exchange() {
        &GRANTS_30
    } else {
        &GRANTS_224
    };
    if !grants.contains(&grant) {
        return Err(oauth_error(
            400,
            "unsupported_grant_type",
            format!("grant_type {grant} is not supported"),
        ));
    }
    let config = state.config();
    match grant {
        "password" => {
            let (user, password) = (required("username")?, required("password")?);
            if user != config.username || password != config.password {
                return Err(oauth_error(
                    400,
                    "invalid_grant",
                    "username or password is incorrect",
                ));
            }
            Ok(user_answer(state, user))
        }
        "refresh_token" => {
            let rt = required("refresh_token")?;
            let set = state.redeem_refresh_token(rt).ok_or_else(|| {
                oauth_error(400, "invalid_grant", "the refresh token is invalid or used")
            })?;
            Ok(with_expiry(state, set_json(&set)))
        }
        "client_credentials" => {
            let (id, secret) = (required("client_id")?, required("client_secret")?);
            if id != config.client_id || secret != config.client_secret {
                return Err(oauth_error(
                    401,
                    "invalid_client",
                    "client authentication failed",
                ));
            }
            Ok(with_expiry(
                state,
                json!({"access_token": state.issue_access_token(id), "token_type": "Bearer"}),
            ))
        }
        "external_token_exchange" => {
            let external = required("external_token")?;
            if external != config.external_token {
                return Err(oauth_error(
                    400,
                    "invalid_grant",
                    "the external token was not accepted by the identity provider",
                ));
            }
            Ok(user_answer(state, &config.username))
        }
        "authorization_code" => {
            let code = required("code")?;
            let redirect = required("redirect_uri")?;
            let client = required("client_id")?;
            if let Some(redeem) = &config.oidc_redeem {
                // As Run:ai's backend: redeem at the identity provider.
                let subject = crate::oidc_redeem::exchange(redeem, code, redirect, client)
                    .await
                    .map_err(|e| {
                        oauth_error(400, "invalid_grant", e.details.unwrap_or(e.message))
                    })?;
                return Ok(user_answer(state, &subject));
            }
            if client != config.oidc_client_id {
                return Err(oauth_error(
                    400,
                    "invalid_grant",
                    format!("the code was not issued to client {client}"),
                ));
            }
            state.consume_code(code, redirect).map_err(|e| {
                oauth_error(
                    400,
                    "invalid_grant",
                    format!("invalid authorization code: {e:?}"),
                )
            })?;
            Ok(user_answer(state, &config.username))
        }
        _ => unreachable!("grant list checked above"),
    }
}

fn set_json(set: &crate::TokenSet) -> Value {
    json!({
        "access_token": set.access_token,
        "token_type": "Bearer",
        "id_token": set.id_token,
        "refresh_token": set.refresh_token,
        "scope": "openid offline_access",
    })
}

fn user_answer(state: &FakeState, subject: &str) -> Value {
    with_expiry(state, set_json(&state.issue_token_set(subject)))
}

/// `expires_in` from the configured lifetime (absent when not positive).
fn with_expiry(state: &FakeState, mut v: Value) -> Value {
    let secs = state.config().access_token_lifetime_secs;
    if secs > 0 {
        v["expires_in"] = json!(secs);
    }
    v
}
