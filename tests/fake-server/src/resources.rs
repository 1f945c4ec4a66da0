//! Resources a bearer token is for: `GET /api/v1/clusters` (the tenant's
//! clusters, as Run:ai lists them) and `GET /api/v1/org-unit/projects`.
//! Both answer only a bearer this server issued and that has not expired
//! (the token registry decides: a token with the right claims but another
//! signature is refused too); anything else gets Run:ai's 401.
//!
//! The cluster list is whatever JSON was set (default: one cluster), so a
//! test can make the server list several, none, or something hostile:
//!
//! | route | effect |
//! | --- | --- |
//! | `PUT /__fake/clusters` | the JSON body becomes the list's answer |
//! | `GET /__fake/clusters` | the current answer |
//!
//! These control routes, like the others, are neither counted nor faulted.
//! The list lives in a side table keyed by the server's state rather than in
//! the state itself, so the token side of the fake stays as it is.

use std::sync::{Arc, Mutex, Weak};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::runai::RunaiError;
use crate::server::FakeServer;
use crate::state::{FakeState, SharedState};

pub const CLUSTERS_PATH: &str = "/api/v1/clusters";
pub const PROJECTS_PATH: &str = "/api/v1/org-unit/projects";
pub const CLUSTERS_CONTROL_PATH: &str = "/__fake/clusters";

/// The one cluster a new server lists.
pub const DEFAULT_CLUSTER_UUID: &str = "7b3e1f2a-9c4d-4e8f-a1b2-3c4d5e6f7a8b";
pub const DEFAULT_CLUSTER_NAME: &str = "fake-cluster";

/// A cluster as `GET /api/v1/clusters` lists it (the documented fields).
pub fn cluster_json(uuid: &str, name: &str) -> Value {
    json!({
        "uuid": uuid,
        "tenantId": 1001,
        "name": name,
        "createdAt": "2025-01-01T00:00:00Z",
        "domain": format!("https://{name}.example.com"),
        "version": "2.24.0",
        "status": {"platform": {"kubeVersion": "v1.32.0", "type": "vanilla"}},
        "lastLiveness": "2025-01-01T00:00:00Z",
    })
}

/// What the server lists for its clusters.
#[derive(Debug)]
struct Resources {
    clusters: Mutex<Value>,
}

impl Default for Resources {
    fn default() -> Self {
        Self {
            clusters: Mutex::new(json!([cluster_json(
                DEFAULT_CLUSTER_UUID,
                DEFAULT_CLUSTER_NAME
            )])),
        }
    }
}

type Table = Mutex<Vec<(Weak<FakeState>, Arc<Resources>)>>;

/// Each live state's resources. A `Weak` keeps its allocation, so its
/// address is never reused while the entry exists: pointer identity is sound.
static TABLE: Table = Mutex::new(Vec::new());

fn of(state: &SharedState) -> Arc<Resources> {
    let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    table.retain(|(weak, _)| weak.strong_count() > 0);
    let weak = Arc::downgrade(state);
    if let Some((_, res)) = table.iter().find(|(w, _)| w.ptr_eq(&weak)) {
        return Arc::clone(res);
    }
    let res = Arc::new(Resources::default());
    table.push((weak, Arc::clone(&res)));
    res
}

/// The JSON `GET /api/v1/clusters` answers for `state`.
pub fn clusters(state: &SharedState) -> Value {
    of(state)
        .clusters
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

/// Makes `GET /api/v1/clusters` answer `answer` (normally an array of
/// [`cluster_json`]; anything, for hostile-server tests).
pub fn set_clusters(state: &SharedState, answer: Value) {
    *of(state).clusters.lock().unwrap_or_else(|e| e.into_inner()) = answer;
}

impl FakeServer {
    /// See [`set_clusters`].
    pub fn set_clusters(&self, answer: Value) {
        set_clusters(&self.state(), answer)
    }

    /// See [`clusters`].
    pub fn clusters(&self) -> Value {
        clusters(&self.state())
    }
}

pub(crate) fn routes() -> Router<SharedState> {
    Router::new()
        .route(CLUSTERS_PATH, get(list_clusters))
        .route(PROJECTS_PATH, get(list_projects))
}

pub(crate) fn control_routes() -> Router<SharedState> {
    Router::new().route(CLUSTERS_CONTROL_PATH, get(control_get).put(control_put))
}

/// Why a bearer was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Expired,
    Invalid,
}

/// `Ok` for a bearer this server issued that has not expired.
pub fn check_bearer(state: &FakeState, headers: &HeaderMap) -> Result<(), Refusal> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(Refusal::Missing)?;
    let (scheme, token) = value.split_once(' ').ok_or(Refusal::Invalid)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(Refusal::Invalid);
    }
    if state.is_valid_access_token(token) {
        return Ok(());
    }
    // Only a message: the registry already refused it.
    let expired = crate::jwt::decode_claims(token).is_some_and(|c| {
        c["iss"] == state.issuer() && c["exp"].as_i64().is_some_and(|exp| exp <= state.now_secs())
    });
    Err(if expired {
        Refusal::Expired
    } else {
        Refusal::Invalid
    })
}

fn unauthorized(why: Refusal) -> Response {
    let details = match why {
        Refusal::Missing => "no bearer token in the Authorization header",
        Refusal::Expired => "the bearer token has expired",
        Refusal::Invalid => "the bearer token is not valid",
    };
    let mut resp = RunaiError::new(401, "unauthorized", details).into_response();
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    resp
}

async fn list_clusters(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    if let Err(why) = check_bearer(&state, &headers) {
        return unauthorized(why);
    }
    Json(clusters(&state)).into_response()
}

async fn list_projects(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    if let Err(why) = check_bearer(&state, &headers) {
        return unauthorized(why);
    }
    // One project on each listed cluster that has a uuid.
    let projects: Vec<Value> = clusters(&state)
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["uuid"].as_str())
        .enumerate()
        .map(|(i, uuid)| {
            json!({
                "id": (i + 1).to_string(),
                "name": format!("team-{}", i + 1),
                "clusterId": uuid,
                "parentId": "1",
            })
        })
        .collect();
    Json(json!({"projects": projects})).into_response()
}

async fn control_get(State(state): State<SharedState>) -> Response {
    Json(clusters(&state)).into_response()
}

async fn control_put(State(state): State<SharedState>, body: Bytes) -> Response {
    match serde_json::from_slice::<Value>(&body) {
        Ok(answer) => {
            set_clusters(&state, answer);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")).into_response(),
    }
}
