//! `/__fake/*`: drive the server from another process (demo, benchmarks).
//! These routes are neither counted, recorded nor subject to faults.
//!
//! | route | effect |
//! | --- | --- |
//! | `GET /__fake/counts` | JSON map of counters |
//! | `GET /__fake/requests` | JSON array of recorded requests |
//! | `POST /__fake/reset` | clear counters and request log |
//! | `POST /__fake/code?redirect_uri=U` | issue an authorization code (text) |
//! | `POST /__fake/lifetime?secs=N` | access token lifetime |
//! | `POST /__fake/gbds-lifetime?ms=N` | GBDS token lifetime |
//! | `POST /__fake/rotation?on=true\|false` | refresh token rotation |
//! | `POST /__fake/runai-version?v=V` | play Run:ai `V` (2.19, 2.23, 2.24, 3.0) from now on |
//! | `POST /__fake/date-offset?secs=N` | shift the `Date` header |
//! | `POST /__fake/fault` | install a fault, JSON body (below) |
//! | `DELETE /__fake/fault` | clear the fault |
//! | `POST /__fake/refresh-token` | mint a valid refresh token (text) |
//! | `POST /__fake/gbds-token?lifetime_ms=N` | mint a GBDS token (201-style JSON) |
//! | `GET /__fake/access-token/valid?token=T` | `{"valid": bool}` |
//! | `GET /__fake/authorizations` | JSON array of completed authorizations |
//! | `POST /__fake/auto-approve?on=true\|false` | authorization endpoint skips its login form |
//!
//! Fault bodies: `{"kind": K, ..., "times": N}` (`times` optional = until
//! cleared) with K one of `status` (`status`, `body`, `content_type`),
//! `service_unavailable` (`retry_after`), `slow` (`ms`), `html` (`status`),
//! `empty` (`status`), `malformed_json`, `non_utf8`, `no_access_token`,
//! `huge` (`bytes`), `redirect` (`status`, `location`), `hang`; and the
//! hostile answers: `runai_token` (`claims`: JSON object text merged into
//! the access token's claims, `opaque`, `access_token`, `id_token`,
//! `refresh_token`: exact tokens, `expires_in`: raw JSON), `gbds_token`
//! (`expiration_time`, `ttl`: raw JSON, `token`), `echo` (`status`,
//! `format`: `json`, `html` or `text`; echoes the request line and body),
//! `bare_token` (2xx text/plain token), `tokens_in_error` (`status`),
//! `vendor_error` (`status`, `message`, `details`, `retry_after`: raw
//! header), `oauth_error` (`status`, `error`, `error_description`). Any
//! fault takes `delay_ms`: wait that long, then apply it.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::faults::parse_fault_json;
use crate::gbds::token_json;
use crate::state::SharedState;

/// Prefix of every control route.
pub const CONTROL_PREFIX: &str = "/__fake";

type Params = Query<HashMap<String, String>>;

pub(crate) fn routes() -> Router<SharedState> {
    Router::new()
        .route("/__fake/counts", get(counts))
        .route("/__fake/requests", get(requests))
        .route("/__fake/reset", post(reset))
        .route("/__fake/code", post(code))
        .route("/__fake/lifetime", post(lifetime))
        .route("/__fake/gbds-lifetime", post(gbds_lifetime))
        .route("/__fake/rotation", post(rotation))
        .route("/__fake/runai-version", post(runai_version))
        .route("/__fake/date-offset", post(date_offset))
        .route("/__fake/fault", post(set_fault).delete(clear_fault))
        .route("/__fake/refresh-token", post(refresh_token))
        .route("/__fake/gbds-token", post(gbds_token))
        .route("/__fake/access-token/valid", get(access_token_valid))
        .route("/__fake/authorizations", get(authorizations))
        .route("/__fake/auto-approve", post(auto_approve))
}

fn bad(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, msg.into()).into_response()
}

/// A required, parseable query parameter; Err is the message for a 400.
fn param<T: std::str::FromStr>(q: &HashMap<String, String>, name: &str) -> Result<T, String> {
    q.get(name)
        .ok_or_else(|| format!("query parameter {name} is required"))?
        .parse()
        .map_err(|_| format!("query parameter {name} is invalid"))
}

/// Run `apply` with a parsed parameter: 204 on success, 400 otherwise.
fn with_param<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    name: &str,
    apply: impl FnOnce(T),
) -> Response {
    match param(q, name) {
        Ok(v) => {
            apply(v);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(msg) => bad(msg),
    }
}

async fn counts(State(state): State<SharedState>) -> Response {
    Json(state.counts()).into_response()
}

async fn requests(State(state): State<SharedState>) -> Response {
    Json(state.requests()).into_response()
}

async fn authorizations(State(state): State<SharedState>) -> Response {
    Json(state.authorizations()).into_response()
}

async fn auto_approve(State(state): State<SharedState>, Query(q): Params) -> Response {
    with_param(&q, "on", |on| state.set_auto_approve(on))
}

async fn reset(State(state): State<SharedState>) -> StatusCode {
    state.reset_counts();
    StatusCode::NO_CONTENT
}

async fn code(State(state): State<SharedState>, Query(q): Params) -> Response {
    match param::<String>(&q, "redirect_uri") {
        Ok(uri) => state.issue_code(&uri).into_response(),
        Err(msg) => bad(msg),
    }
}

async fn lifetime(State(state): State<SharedState>, Query(q): Params) -> Response {
    with_param(&q, "secs", |secs| state.set_access_token_lifetime(secs))
}

async fn gbds_lifetime(State(state): State<SharedState>, Query(q): Params) -> Response {
    with_param(&q, "ms", |ms| state.set_gbds_token_lifetime_ms(ms))
}

async fn rotation(State(state): State<SharedState>, Query(q): Params) -> Response {
    with_param(&q, "on", |on| state.set_rotation(on))
}

/// The versions the fake can play (`--runai-version` takes the same).
pub const RUNAI_VERSIONS: [&str; 4] = ["2.19", "2.23", "2.24", "3.0"];

async fn runai_version(State(state): State<SharedState>, Query(q): Params) -> Response {
    match param::<String>(&q, "v") {
        Ok(v) if RUNAI_VERSIONS.contains(&v.as_str()) => {
            state.set_runai_version(&v);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(_) => bad(format!(
            "query parameter v must be one of {}",
            RUNAI_VERSIONS.join(", ")
        )),
        Err(msg) => bad(msg),
    }
}

async fn date_offset(State(state): State<SharedState>, Query(q): Params) -> Response {
    with_param(&q, "secs", |secs| state.set_date_offset(secs))
}

async fn set_fault(State(state): State<SharedState>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    match parse_fault_json(&text) {
        Ok((fault, times)) => {
            state.set_fault(fault, times);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => bad(format!("invalid fault: {e}")),
    }
}

async fn clear_fault(State(state): State<SharedState>) -> StatusCode {
    state.clear_fault();
    StatusCode::NO_CONTENT
}

async fn refresh_token(State(state): State<SharedState>) -> String {
    state.issue_refresh_token()
}

async fn gbds_token(State(state): State<SharedState>, Query(q): Params) -> Response {
    let lifetime = match q.get("lifetime_ms") {
        None => state.config().gbds_token_lifetime_ms,
        Some(_) => match param(&q, "lifetime_ms") {
            Ok(ms) => ms,
            Err(msg) => return bad(msg),
        },
    };
    Json(token_json(&state.issue_gbds_token(lifetime))).into_response()
}

async fn access_token_valid(State(state): State<SharedState>, Query(q): Params) -> Response {
    match param::<String>(&q, "token") {
        Ok(token) => Json(json!({"valid": state.is_valid_access_token(&token)})).into_response(),
        Err(msg) => bad(msg),
    }
}
