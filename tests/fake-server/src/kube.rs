//! A fake Kubernetes API server: answers 200 only for a bearer token the fake
//! token server issued and that has not expired, 401 otherwise. Enough for
//! kubectl's exec-credential round trip (`kubectl get --raw ...`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::server::FakeServer;
use crate::state::{Config, SharedState};

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
}

/// A running fake API server over HTTPS.
pub struct FakeKubeApi {
    server: FakeServer,
    counts: Arc<KubeCounts>,
}

impl FakeKubeApi {
    /// HTTPS on 127.0.0.1 with a self-signed certificate; trusts tokens
    /// issued by `tokens` (a fake token server's state).
    pub fn start(tokens: SharedState) -> Self {
        let counts = Arc::new(KubeCounts::default());
        let state = KubeState {
            tokens,
            counts: counts.clone(),
        };
        let server = FakeServer::bind_with(Config::default(), 0, true, move |_| router(state))
            .expect("fake kube API failed to start");
        Self { server, counts }
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
}

fn router(state: KubeState) -> Router {
    Router::new().fallback(answer).with_state(state)
}

async fn answer(State(state): State<KubeState>, uri: Uri, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token {
        Some(t) if state.tokens.is_valid_access_token(t) => {
            state.counts.authorized.fetch_add(1, Ordering::SeqCst);
            let body = json!({
                "kind": "WhoAmI",
                "apiVersion": "fake.tokenctl/v1",
                "path": uri.path(),
                "authenticated": true,
            });
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        _ => {
            state.counts.unauthorized.fetch_add(1, Ordering::SeqCst);
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
    }
}
