//! Run:ai's backend does not issue SSO tokens itself: `exchange_token`
//! redeems the authorization code at the identity provider's token
//! endpoint, as the client the request names (`clientID`, else the
//! tenant's default client) and with the `redirectUri` it carries. With
//! [`crate::Config::oidc_redeem`] set, the fake does the same against a
//! real OpenID Connect provider, so a wrong client id, redirect URI or an
//! unverifiable PKCE challenge fails as it would in a real deployment.
//!
//! A redeemed code yields the fake's own token set for the provider's
//! subject (`sub` of its id token), so the rest of the fake keeps working.

use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Map, Value};

use crate::runai::RunaiError;
use crate::state::FakeState;

/// Where and as whom codes are redeemed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcRedeem {
    /// The provider's token endpoint, e.g. `http://127.0.0.1:PORT/token`.
    pub token_endpoint: String,
    /// Client id and secret of each client the backend may redeem as
    /// (`client_secret_post`). A client not listed is sent without secret.
    pub clients: Vec<(String, String)>,
    /// The client used when `exchange_token` names none.
    pub default_client_id: String,
}

/// Answers `exchange_token` when the fake redeems at a provider; `None`
/// leaves the request (another grant, or a malformed one, which gets the
/// usual error) to the built-in handler.
pub(crate) async fn intercept(state: &FakeState, body: &[u8]) -> Option<Response> {
    let redeem = state.config().oidc_redeem?;
    let obj: Map<String, Value> = serde_json::from_slice(body).ok()?;
    if obj.get("grantType").and_then(Value::as_str) != Some("exchange_token") {
        return None;
    }
    let field = |k: &str| obj.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
    let (code, redirect_uri) = (field("code")?, field("redirectUri")?);
    let client_id = field("clientID").unwrap_or(&redeem.default_client_id);
    Some(
        match exchange(&redeem, code, redirect_uri, client_id).await {
            Ok(subject) => axum::Json(state.issue_token_set(&subject).to_json()).into_response(),
            Err(e) => e.into_response(),
        },
    )
}

/// The provider's subject for a redeemed code. Also for an OAuth2-shaped
/// `authorization_code` grant (`/api/v2/token`), which carries the same three.
pub(crate) async fn exchange(
    redeem: &OidcRedeem,
    code: &str,
    redirect_uri: &str,
    client_id: &str,
) -> Result<String, RunaiError> {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
    ];
    if let Some((_, secret)) = redeem.clients.iter().find(|(id, _)| id == client_id) {
        form.push(("client_secret", secret));
    }
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::authorize::form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let unavailable = |e: String| RunaiError::new(503, "identity provider unavailable", e);
    // reqwest is built without a crypto provider; the provider is plain http.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::Client::new()
        .post(&redeem.token_endpoint)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    let status = answer.status();
    let json: Value = answer
        .json()
        .await
        .map_err(|e| unavailable(format!("unreadable token answer: {e}")))?;
    if !status.is_success() {
        let error = json["error"].as_str().unwrap_or("?");
        let description = json["error_description"].as_str().unwrap_or("");
        return Err(RunaiError::new(
            401,
            "invalid authorization code",
            format!(
                "the identity provider refused the code as client {client_id}: {error} ({description})"
            ),
        ));
    }
    json["id_token"]
        .as_str()
        .and_then(subject)
        .ok_or_else(|| unavailable("the provider's answer has no id_token with a sub".into()))
}

fn subject(id_token: &str) -> Option<String> {
    let payload = id_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims["sub"].as_str().map(str::to_string)
}
