//! A fake of GitHub Actions' identity token request: `GET /__github/token`
//! is what a job reaches at `$ACTIONS_ID_TOKEN_REQUEST_URL`. It checks the
//! bearer (`$ACTIONS_ID_TOKEN_REQUEST_TOKEN`) and answers
//! `{"value": <jwt>}` with the external token the Run:ai side accepts, so a
//! login from it exchanges end to end. The audience asked for is recorded
//! with the request (its query) for tests to check.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::state::SharedState;

pub const GITHUB_TOKEN_PATH: &str = "/__github/token";
/// The request token the fake job holds.
pub const GITHUB_REQUEST_TOKEN: &str = "gha-request-token";

pub(crate) fn routes() -> Router<SharedState> {
    Router::new().route(GITHUB_TOKEN_PATH, get(token))
}

async fn token(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(GITHUB_REQUEST_TOKEN) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "Bad credentials"})),
        )
            .into_response();
    }
    Json(json!({"value": state.config().external_token})).into_response()
}
