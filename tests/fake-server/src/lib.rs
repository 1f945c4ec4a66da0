//! A fake of the Run:ai 2.19/2.23/2.24/3.0 (with `/api/v2/token` from 2.24) and GBDS 4.7 token APIs for tokenctl's
//! tests and demo. The contract is `/work/shared/api` (OpenAPI documents);
//! field names and error shapes follow it exactly.
//!
//! Use [`FakeServer`] in tests; use [`router`] / [`router_with`] to embed the
//! routes elsewhere or add new ones over the same [`SharedState`].

pub mod authorize;
pub mod control;
pub mod faults;
pub mod gbds;
pub mod github;
pub mod jwt;
pub mod kube;
mod middleware;
pub mod oauth2;
pub mod oidc_redeem;
pub mod resources;
pub mod runai;
mod server;
pub mod state;
mod tls;

use axum::Router;
use axum::http::{Method, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};

pub use authorize::Authorization;
pub use faults::{ApiKind, Fault, parse_fault_json};
pub use kube::FakeKubeApi;
pub use oidc_redeem::OidcRedeem;
pub use server::FakeServer;
pub use state::{
    CodeError, Config, DEFAULT_ACCESS_TOKEN_LIFETIME_SECS, DEFAULT_APP_NAME, DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET, DEFAULT_EXTERNAL_TOKEN, DEFAULT_GBDS_PASSWORD,
    DEFAULT_GBDS_TOKEN_LIFETIME_MS, DEFAULT_GBDS_USER, DEFAULT_PASSWORD, DEFAULT_USERNAME,
    FakeState, GbdsToken, GbdsTokenStatus, Recorded, SharedState, TokenSet,
};

/// The full app: Run:ai and GBDS routes plus the `/__fake` control routes.
pub fn router(state: SharedState) -> Router {
    router_with(state, Router::new())
}

/// Like [`router`], with `extra_api_routes` added to the API side: they are
/// counted, recorded and subject to faults like the built-in endpoints.
pub fn router_with(state: SharedState, extra_api_routes: Router<SharedState>) -> Router {
    let api = runai::routes()
        .merge(gbds::routes())
        .merge(authorize::routes())
        .merge(github::routes())
        .merge(oauth2::routes())
        .merge(resources::routes())
        .merge(extra_api_routes)
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), middleware::api_layer));
    Router::new()
        .merge(control::routes())
        .merge(resources::control_routes())
        .merge(api)
        .layer(from_fn_with_state(state.clone(), middleware::date_layer))
        .with_state(state)
}

async fn not_found(method: Method, uri: Uri) -> Response {
    runai::RunaiError::new(
        404,
        "not found",
        format!("no route for {method} {}", uri.path()),
    )
    .into_response()
}
