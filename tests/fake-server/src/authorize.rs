//! A Keycloak-style authorization endpoint, the identity provider's half of
//! a Run:ai SSO login:
//!
//! - `GET /auth/realms/{realm}/protocol/openid-connect/auth?response_type=code&client_id=..&redirect_uri=..&state=..[&scope=..][&code_challenge=..&code_challenge_method=S256]`
//!   shows a login form (or, with [`crate::Config::auto_approve`], redirects
//!   at once as if the user had a session);
//! - `POST` of that form (to the same URL, query included) with `username`,
//!   `password` and `action=login` redirects (302) to
//!   `redirect_uri?code=..&state=..`; `action=deny` redirects with
//!   `error=access_denied&error_description=..&state=..`; wrong credentials
//!   show the form again;
//! - `GET /oauth-code?code=..` is the page Run:ai shows after a
//!   remote-browser login: the code, for the user to paste.
//!
//! Codes come from [`FakeState::issue_code`], so the token endpoints redeem
//! them as usual. Run:ai's exchange request has no `code_verifier` field, so
//! PKCE is honoured here: a challenge must use S256 and be a SHA-256 digest
//! in base64url, and every authorization (challenge included) is recorded in
//! [`FakeState::authorizations`] for tests to inspect.

use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::state::{FakeState, SharedState};

/// The path pattern of the authorization endpoint.
pub const AUTH_PATH: &str = "/auth/realms/{realm}/protocol/openid-connect/auth";
/// Where Run:ai sends a remote-browser login.
pub const OAUTH_CODE_PATH: &str = "/oauth-code";
/// The realm Run:ai tenants use.
pub const DEFAULT_REALM: &str = "runai";
/// The OIDC client the Run:ai CLI logs in as.
pub const DEFAULT_OIDC_CLIENT_ID: &str = "runai-cli";

/// One completed authorization (a code issued or an error redirect sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authorization {
    pub realm: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    /// `code` or the error sent back (`access_denied`).
    pub outcome: String,
}

pub(crate) fn routes() -> Router<SharedState> {
    Router::new()
        .route(AUTH_PATH, get(show).post(submit))
        .route(OAUTH_CODE_PATH, get(oauth_code))
}

type Params = HashMap<String, String>;

/// The authorization request, checked.
struct AuthRequest {
    realm: String,
    client_id: String,
    redirect_uri: String,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// Errors that must not redirect (unknown client, unregistered redirect
/// URI): the provider shows them itself, as OAuth requires.
fn error_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><title>Login error</title></head><body><h1>We are sorry...</h1><p id=\"error\">{}</p></body></html>",
        escape(message)
    );
    (status, Html(body)).into_response()
}

/// Loopback callbacks on any port (RFC 8252 §7.3), or this server's own
/// `/oauth-code` page.
fn redirect_allowed(state: &FakeState, uri: &str) -> bool {
    let Ok(url) = url_parse(uri) else {
        return false;
    };
    if url.fragment.is_some() {
        return false;
    }
    let loopback =
        url.scheme == "http" && matches!(url.host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
    let own = uri.split('?').next() == Some(&format!("{}{OAUTH_CODE_PATH}", state.issuer()));
    loopback || own
}

/// Just enough URL parsing for redirect checks (the fake has no `url` dep).
struct SimpleUrl {
    scheme: String,
    host: String,
    fragment: Option<String>,
}

fn url_parse(uri: &str) -> Result<SimpleUrl, ()> {
    let (scheme, rest) = uri.split_once("://").ok_or(())?;
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (rest, None),
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = if authority.starts_with('[') {
        authority
            .split_inclusive(']')
            .next()
            .unwrap_or("")
            .to_string()
    } else {
        authority.split(':').next().unwrap_or("").to_string()
    };
    if host.is_empty() {
        return Err(());
    }
    Ok(SimpleUrl {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
        fragment,
    })
}

fn check(state: &FakeState, realm: String, q: &Params) -> Result<AuthRequest, Box<Response>> {
    let config = state.config();
    let get = |k: &str| q.get(k).filter(|v| !v.is_empty()).cloned();
    if realm != DEFAULT_REALM {
        return Err(Box::new(error_page(
            StatusCode::NOT_FOUND,
            &format!("Realm does not exist: {realm}"),
        )));
    }
    let client_id = get("client_id").unwrap_or_default();
    if client_id != config.oidc_client_id {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "Client not found.",
        )));
    }
    let redirect_uri = get("redirect_uri").unwrap_or_default();
    if !redirect_allowed(state, &redirect_uri) {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "Invalid parameter: redirect_uri",
        )));
    }
    let req = AuthRequest {
        realm,
        client_id,
        redirect_uri,
        scope: get("scope"),
        state: get("state"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
    };
    // From here on errors go back to the client, as the spec says.
    if get("response_type").as_deref() != Some("code") {
        return Err(Box::new(error_redirect(
            state,
            &req,
            "unsupported_response_type",
            "Missing or unsupported response_type; only code is supported",
        )));
    }
    if let Some(challenge) = &req.code_challenge {
        let s256 = req.code_challenge_method.as_deref() == Some("S256");
        // base64url of a SHA-256 digest: 43 characters, no padding.
        let shaped = challenge.len() == 43
            && challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !s256 || !shaped {
            return Err(Box::new(error_redirect(
                state,
                &req,
                "invalid_request",
                "Invalid parameter: code_challenge (S256 of a code_verifier required)",
            )));
        }
    } else if req.code_challenge_method.is_some() {
        return Err(Box::new(error_redirect(
            state,
            &req,
            "invalid_request",
            "Missing parameter: code_challenge",
        )));
    }
    Ok(req)
}

fn record(state: &FakeState, req: &AuthRequest, outcome: &str) {
    state.record_authorization(Authorization {
        realm: req.realm.clone(),
        client_id: req.client_id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        scope: req.scope.clone(),
        state: req.state.clone(),
        code_challenge: req.code_challenge.clone(),
        code_challenge_method: req.code_challenge_method.clone(),
        outcome: outcome.to_string(),
    });
}

fn redirect_to(req: &AuthRequest, pairs: &[(&str, &str)]) -> Response {
    let mut location = req.redirect_uri.clone();
    let mut sep = if location.contains('?') { '&' } else { '?' };
    let state = req.state.as_deref();
    for (k, v) in pairs.iter().copied().chain(state.map(|s| ("state", s))) {
        location.push(sep);
        location.push_str(k);
        location.push('=');
        location.push_str(&form_encode(v));
        sep = '&';
    }
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

fn error_redirect(
    state: &FakeState,
    req: &AuthRequest,
    error: &str,
    description: &str,
) -> Response {
    record(state, req, error);
    redirect_to(req, &[("error", error), ("error_description", description)])
}

fn approve(state: &FakeState, req: &AuthRequest) -> Response {
    let code = state.issue_code(&req.redirect_uri);
    record(state, req, "code");
    redirect_to(req, &[("code", &code)])
}

/// `GET` the authorization endpoint.
async fn show(
    State(state): State<SharedState>,
    axum::extract::Path(realm): axum::extract::Path<String>,
    Query(q): Query<Params>,
    uri: axum::http::Uri,
) -> Response {
    let req = match check(&state, realm, &q) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    if state.config().auto_approve {
        return approve(&state, &req);
    }
    login_form(uri.path_and_query().map(|p| p.as_str()).unwrap_or(""), None)
}

#[derive(Debug, serde::Deserialize)]
struct Submitted {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    action: String,
}

/// `POST` the login form.
async fn submit(
    State(state): State<SharedState>,
    axum::extract::Path(realm): axum::extract::Path<String>,
    Query(q): Query<Params>,
    uri: axum::http::Uri,
    Form(form): Form<Submitted>,
) -> Response {
    let req = match check(&state, realm, &q) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    match form.action.as_str() {
        "deny" => error_redirect(
            &state,
            &req,
            "access_denied",
            "The user cancelled the login",
        ),
        _ => {
            let config = state.config();
            if form.username == config.username && form.password == config.password {
                approve(&state, &req)
            } else {
                login_form(
                    uri.path_and_query().map(|p| p.as_str()).unwrap_or(""),
                    Some("Invalid username or password."),
                )
            }
        }
    }
}

fn login_form(action: &str, error: Option<&str>) -> Response {
    let error = error
        .map(|e| format!("<p id=\"input-error\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in to runai</title></head>
<body>
<h1>Sign in to your account</h1>
{error}
<form id="kc-form-login" method="post" action="{action}">
<label for="username">Username or email</label><input id="username" name="username" type="text" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password">
<button type="submit" name="action" value="login">Sign In</button>
<button type="submit" name="action" value="deny">Cancel</button>
</form>
</body></html>
"#,
        action = escape(action)
    );
    (StatusCode::OK, Html(body)).into_response()
}

/// `GET /oauth-code`: what Run:ai shows after a remote-browser login.
async fn oauth_code(Query(q): Query<Params>) -> Response {
    match (q.get("code"), q.get("error")) {
        (Some(code), _) => Html(format!(
            "<!doctype html><html><body><p>Copy this code into your terminal:</p><pre id=\"code\">{}</pre></body></html>",
            escape(code)
        ))
        .into_response(),
        (None, Some(err)) => error_page(StatusCode::BAD_REQUEST, err),
        (None, None) => error_page(StatusCode::BAD_REQUEST, "no code"),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// application/x-www-form-urlencoded value encoding.
pub(crate) fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_escapes() {
        assert_eq!(form_encode("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn loopback_hosts() {
        for (u, host) in [
            ("http://localhost:43121/callback", "localhost"),
            ("http://127.0.0.1/cb?x=1", "127.0.0.1"),
            ("http://[::1]:9/cb", "[::1]"),
        ] {
            assert_eq!(url_parse(u).unwrap().host, host);
        }
        assert!(url_parse("nope").is_err());
    }
}
