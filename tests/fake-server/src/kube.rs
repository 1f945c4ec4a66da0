//! A fake Kubernetes API server over HTTPS (its own self-signed CA): every
//! request needs a bearer token the fake token server issued and that has
//! not expired (401 otherwise, as an API server answers). It serves what
//! `kubectl get pods` reads (discovery of the core group `v1`, then the pod
//! list, as a server-side table when asked), and for any other path a
//! `WhoAmI` for kubectl's exec-credential round trip (`kubectl get --raw`).
//! The pod listed is named after the token's subject (`hello-alice`), so
//! the answer shows whose token it was.
//!
//! kubectl sends a bearer token from an exec plugin only over HTTPS, so the
//! playground (`tokenctl-fake-server --kubeconfig FILE`) serves this beside
//! the token API and writes a kubeconfig whose cluster trusts its CA
//! (`certificate-authority-data`), ready for `tokenctl kubeconfig --write`.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use serde_json::{Value, json};

use crate::server::FakeServer;
use crate::state::{Config, SharedState};

/// The cluster name [`FakeKubeApi::kubeconfig`] writes unless told another.
pub const PLAYGROUND_CLUSTER: &str = "playground";

/// Counts what the fake API server let in and turned away.
#[derive(Debug, Default)]
pub struct KubeCounts {
    pub authorized: AtomicUsize,
    pub unauthorized: AtomicUsize,
}

#[derive(Clone)]
struct KubeState {
    tokens: SharedState,
    counts: Arc<KubeCounts>,
    /// Every bearer token presented, valid or not, in order.
    bearers: Arc<Mutex<Vec<String>>>,
}

/// A running fake API server over HTTPS.
pub struct FakeKubeApi {
    server: FakeServer,
    counts: Arc<KubeCounts>,
    bearers: Arc<Mutex<Vec<String>>>,
}

impl FakeKubeApi {
    /// HTTPS on 127.0.0.1 (a free port) with a self-signed certificate;
    /// trusts tokens issued by `tokens` (a fake token server's state).
    pub fn start(tokens: SharedState) -> Self {
        Self::bind(tokens, 0).expect("fake kube API failed to start")
    }

    /// [`FakeKubeApi::start`] on 127.0.0.1:`port` (0 = any free port).
    pub fn bind(tokens: SharedState, port: u16) -> io::Result<Self> {
        let counts = Arc::new(KubeCounts::default());
        let bearers = Arc::new(Mutex::new(Vec::new()));
        let state = KubeState {
            tokens,
            counts: counts.clone(),
            bearers: bearers.clone(),
        };
        let server = FakeServer::bind_with(Config::default(), port, true, move |_| router(state))?;
        Ok(Self {
            server,
            counts,
            bearers,
        })
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn ca_pem(&self) -> String {
        self.server
            .ca_pem()
            .expect("https server has a certificate")
    }

    pub fn authorized(&self) -> usize {
        self.counts.authorized.load(Ordering::SeqCst)
    }

    pub fn unauthorized(&self) -> usize {
        self.counts.unauthorized.load(Ordering::SeqCst)
    }

    /// Every bearer token a request carried, valid or not, oldest first.
    pub fn bearers(&self) -> Vec<String> {
        self.bearers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A kubeconfig with one cluster, `cluster`, at this server, trusting
    /// its CA: no user, no context (`tokenctl kubeconfig --write --cluster
    /// NAME` adds both).
    pub fn kubeconfig(&self, cluster: &str) -> String {
        let ca = base64::engine::general_purpose::STANDARD.encode(self.ca_pem());
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: {cluster}\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\n",
            self.url()
        )
    }
}

fn router(state: KubeState) -> Router {
    Router::new()
        .route("/api", get(api_versions))
        .route("/apis", get(api_groups))
        .route("/api/v1", get(core_resources))
        .route("/api/v1/pods", get(all_pods))
        .route("/api/v1/namespaces/{namespace}/pods", get(pods))
        .fallback(whoami)
        .with_state(state)
}

/// The subject of a valid bearer token; `None` (counted) otherwise.
fn authenticate(state: &KubeState, headers: &HeaderMap) -> Option<String> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(t) = token {
        state
            .bearers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(t.to_string());
    }
    match token {
        Some(t) if state.tokens.is_valid_access_token(t) => {
            state.counts.authorized.fetch_add(1, Ordering::SeqCst);
            let claims = crate::jwt::decode_claims(t).unwrap_or_default();
            Some(claims["sub"].as_str().unwrap_or("unknown").to_string())
        }
        _ => {
            state.counts.unauthorized.fetch_add(1, Ordering::SeqCst);
            None
        }
    }
}

/// The API server's 401.
fn unauthorized() -> Response {
    let body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "Unauthorized",
        "reason": "Unauthorized",
        "code": 401,
    });
    (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
}

fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

async fn api_versions(State(state): State<KubeState>, headers: HeaderMap) -> Response {
    if authenticate(&state, &headers).is_none() {
        return unauthorized();
    }
    // Plain JSON, not aggregated discovery: kubectl falls back to reading
    // /api/v1 for the resources.
    ok(json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
    }))
}

async fn api_groups(State(state): State<KubeState>, headers: HeaderMap) -> Response {
    if authenticate(&state, &headers).is_none() {
        return unauthorized();
    }
    ok(json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": []}))
}

async fn core_resources(State(state): State<KubeState>, headers: HeaderMap) -> Response {
    if authenticate(&state, &headers).is_none() {
        return unauthorized();
    }
    ok(json!({
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [{
            "name": "pods",
            "singularName": "pod",
            "namespaced": true,
            "kind": "Pod",
            "verbs": ["get", "list"],
            "shortNames": ["po"],
        }],
    }))
}

async fn all_pods(State(state): State<KubeState>, headers: HeaderMap) -> Response {
    pod_list(&state, &headers, "default")
}

async fn pods(
    State(state): State<KubeState>,
    Path(namespace): Path<String>,
    headers: HeaderMap,
) -> Response {
    pod_list(&state, &headers, &namespace)
}

/// One running pod, `hello-<subject>`: as a server-side table when kubectl
/// asks for one (`Accept: ...;as=Table;...`), else a `PodList`.
fn pod_list(state: &KubeState, headers: &HeaderMap, namespace: &str) -> Response {
    let Some(subject) = authenticate(state, headers) else {
        return unauthorized();
    };
    let name = pod_name(&subject);
    let created = "2025-01-01T00:00:00Z";
    let metadata = json!({"name": name, "namespace": namespace, "creationTimestamp": created});
    let wants_table = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("as=Table"));
    if wants_table {
        let column = |name: &str, format: &str| json!({"name": name, "type": "string", "format": format, "description": name, "priority": 0});
        return ok(json!({
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": "1"},
            "columnDefinitions": [
                column("Name", "name"),
                column("Ready", ""),
                column("Status", ""),
                column("Restarts", ""),
                column("Age", ""),
            ],
            "rows": [{
                "cells": [name, "1/1", "Running", "0", "1d"],
                "object": {
                    "kind": "PartialObjectMetadata",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": metadata,
                },
            }],
        }));
    }
    ok(json!({
        "kind": "PodList",
        "apiVersion": "v1",
        "metadata": {"resourceVersion": "1"},
        "items": [{
            "metadata": metadata,
            "spec": {"containers": [{"name": "hello", "image": "hello"}]},
            "status": {"phase": "Running"},
        }],
    }))
}

/// `hello-<subject>` as a DNS label: lowercase letters, digits and `-`.
fn pod_name(subject: &str) -> String {
    let tail: String = subject
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(50)
        .collect();
    let tail = tail.trim_matches('-');
    if tail.is_empty() {
        "hello".to_string()
    } else {
        format!("hello-{tail}")
    }
}

async fn whoami(State(state): State<KubeState>, uri: Uri, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers) {
        Some(_) => ok(json!({
            "kind": "WhoAmI",
            "apiVersion": "fake.tokenctl/v1",
            "path": uri.path(),
            "authenticated": true,
        })),
        None => unauthorized(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_names_are_dns_labels() {
        assert_eq!(pod_name("alice"), "hello-alice");
        assert_eq!(pod_name("Client CI_bot@x"), "hello-client-ci-bot-x");
        assert_eq!(pod_name("--"), "hello");
        assert_eq!(pod_name(&"a".repeat(80)).len(), "hello-".len() + 50);
    }
}
