//! Layers around the API routes: record and count every request, then apply
//! the current fault. Counting happens before the fault so tests can assert
//! how many times a client retried against a failing server.

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::{Duration, SystemTime};

use crate::faults::{ApiKind, Fault, Request as FaultRequest, fault_response};
use crate::state::{Recorded, SharedState};

/// Bodies above this are refused before recording (a test server needs no more).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// The per-grant counter key for a request body, if it names a grant.
fn grant_key(path: &str, body: &[u8]) -> Option<String> {
    if path == "/api/v2/token" {
        // Form-encoded: `oauth2:<grant_type>`.
        return form_urlencoded::parse(body)
            .find(|(k, _)| k == "grant_type")
            .map(|(_, v)| format!("oauth2:{v}"));
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match path {
        "/api/v1/token" => Some(format!("grant:{}", value.get("grantType")?.as_str()?)),
        "/gbds/v2/tokens" => Some(format!(
            "gbds:{}",
            value.get("data")?.get("grantType")?.as_str()?
        )),
        _ => None,
    }
}

pub(crate) async fn api_layer(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let path = parts.uri.path().to_string();
    // Routes are static today; MatchedPath keeps keys stable if params appear.
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let mut keys = vec![format!("{} {}", parts.method, route)];
    keys.extend(grant_key(&path, &body));
    state.record(
        Recorded {
            method: parts.method.to_string(),
            path: path.clone(),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
        },
        &keys,
    );

    if let Some(fault) = state.take_fault() {
        let mut inner = &fault;
        while let Fault::After { delay, fault } = inner {
            tokio::time::sleep(*delay).await;
            inner = fault;
        }
        match inner {
            Fault::Hang => std::future::pending::<()>().await,
            Fault::Slow(delay) => tokio::time::sleep(*delay).await,
            _ => {}
        }
        let target = parts
            .uri
            .path_and_query()
            .map_or(path.as_str(), |p| p.as_str());
        let request = FaultRequest {
            method: parts.method.as_str(),
            target,
            body: &body,
        };
        if let Some(resp) = fault_response(inner, ApiKind::for_path(&path), &state, &request) {
            return resp;
        }
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Stamp every response with a `Date` shifted by the configured offset, so
/// clients can be tested against a server whose clock is skewed.
pub(crate) async fn date_layer(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let mut resp = next.run(request).await;
    let offset = state.date_offset();
    let now = SystemTime::now();
    let shifted = if offset >= 0 {
        now + Duration::from_secs(offset as u64)
    } else {
        now - Duration::from_secs(offset.unsigned_abs())
    };
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(shifted)) {
        resp.headers_mut().insert(header::DATE, v);
    }
    resp
}
