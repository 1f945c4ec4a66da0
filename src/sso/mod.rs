//! SSO login pieces: the authorization URL and its `state`, the loopback
//! listener that starts the login and receives the code, and the
//! platform's browser opener.
//! The code exchange itself is an ordinary [`crate::api::Grant::ExchangeCode`].

pub mod listener;
pub mod opener;
mod peer;

use std::time::Duration;

use url::Url;

use crate::config::{Profile, ServerUrl};
use crate::error::Error;
use crate::secret::Secret;

/// The OIDC client the Run:ai CLI logs in as.
pub const DEFAULT_CLIENT_ID: &str = "runai-cli";
pub const DEFAULT_SCOPE: &str = "openid offline_access";
/// The Run:ai CLI's callback port.
pub const DEFAULT_CALLBACK_PORT: u16 = 43121;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);
pub const DEFAULT_REALM: &str = "runai";
pub const CALLBACK_PATH: &str = "/callback";

fn origin(server: &ServerUrl) -> String {
    server.url().origin().ascii_serialization()
}

/// The profile's authorization endpoint, or Keycloak's for realm `runai`
/// on the server's host.
pub fn auth_url(profile: &Profile) -> Url {
    match &profile.auth_url {
        Some(u) => u.url(),
        None => Url::parse(&format!(
            "{}/auth/realms/{DEFAULT_REALM}/protocol/openid-connect/auth",
            origin(&profile.server)
        ))
        .expect("an origin plus a path is a URL"),
    }
}

/// Where a remote-browser login lands: the profile's, or Run:ai's
/// `/oauth-code` page on the server's host.
pub fn remote_redirect_uri(profile: &Profile) -> String {
    match &profile.remote_redirect_uri {
        Some(u) => u.as_str().to_string(),
        None => format!("{}/oauth-code", origin(&profile.server)),
    }
}

pub fn client_id(profile: &Profile) -> &str {
    profile
        .oidc_client_id
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_ID)
}

pub fn scope(profile: &Profile) -> &str {
    profile.oidc_scope.as_deref().unwrap_or(DEFAULT_SCOPE)
}

/// Plain http only to loopback or where the profile allows it: the login
/// page takes a password.
pub fn check_auth_url(url: &Url, allow_http: bool) -> Result<(), Error> {
    let as_server = ServerUrl::parse(url.origin().ascii_serialization().as_str())
        .map_err(|e| Error::usage(format!("invalid authorization URL: {e}")))?;
    crate::api::check_transport(&as_server, allow_http).map_err(|_| {
        Error::usage(format!(
            "refusing the plain http:// login page {}: the password would cross the network unencrypted; use an https:// --auth-url, or --allow-http if you must",
            url.host_str().unwrap_or("?")
        ))
    })
}

/// What goes into the authorization URL.
pub struct AuthRequest<'a> {
    pub auth_url: Url,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub state: &'a Secret,
    /// Pre-fills the user name on the login page (OIDC `login_hint`).
    pub login_hint: Option<&'a str>,
}

impl AuthRequest<'_> {
    /// The identity provider's URL. It carries `state`, which is meant to
    /// travel through the browser (never through argv), and never a token.
    ///
    /// No PKCE challenge: Run:ai's code exchange has no field for the
    /// verifier, so a provider that honours PKCE would refuse the code.
    pub fn url(&self) -> Url {
        let mut url = self.auth_url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", self.client_id)
                .append_pair("redirect_uri", self.redirect_uri)
                .append_pair("scope", self.scope)
                .append_pair("state", self.state.expose());
            if let Some(hint) = self.login_hint {
                q.append_pair("login_hint", hint);
            }
        }
        url
    }
}

/// Why a server may refuse a code, for its error message: not only reuse.
pub fn exchange_refused_hint(client_id: &str) -> String {
    format!(
        "a code is refused when it was already used or has expired, or when the client id (`{client_id}`) or redirect URI sent with it differ from the login page's"
    )
}

/// Compares secrets without stopping at the first difference.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// What a user pasted after a remote-browser login: the code, or the whole
/// URL the page was opened at (then its `state` must match).
pub fn code_from_paste(pasted: &Secret, state: &Secret) -> Result<Secret, Error> {
    let text = pasted.expose().trim();
    let Ok(url) = Url::parse(text) else {
        return Ok(Secret::new(text));
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Ok(Secret::new(text));
    }
    let mut code = None;
    let mut got_state = None;
    let mut error = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "code" => code = Some(Secret::new(v.into_owned())),
            "state" => got_state = Some(Secret::new(v.into_owned())),
            "error" => error = Some(v.into_owned()),
            _ => {}
        }
    }
    if let Some(error) = error {
        return Err(Error::credentials(format!(
            "the identity provider refused the login ({error}); run `tokenctl login --remote-browser` again"
        )));
    }
    if let Some(got) = &got_state
        && !same_secret(got.expose(), state.expose())
    {
        return Err(Error::credentials(
            "the pasted URL belongs to another login (its state does not match this one); open the URL printed above and paste what it gives",
        ));
    }
    code.ok_or_else(|| {
        Error::usage("the pasted URL has no `code` parameter; paste the code the login page shows")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WebUrl;
    use crate::model::ApiKind;

    fn web(u: &str) -> WebUrl {
        WebUrl::parse(u).unwrap()
    }

    fn profile(server: &str) -> Profile {
        Profile::new(ServerUrl::parse(server).unwrap(), ApiKind::Runai)
    }

    #[test]
    fn defaults_derive_from_the_server() {
        let p = profile("https://acme.run.ai/some/path");
        assert_eq!(
            auth_url(&p).as_str(),
            "https://acme.run.ai/auth/realms/runai/protocol/openid-connect/auth"
        );
        assert_eq!(remote_redirect_uri(&p), "https://acme.run.ai/oauth-code");
        assert_eq!(client_id(&p), "runai-cli");
        assert_eq!(scope(&p), "openid offline_access");
        let mut p = profile("http://127.0.0.1:8080");
        assert_eq!(
            auth_url(&p).as_str(),
            "http://127.0.0.1:8080/auth/realms/runai/protocol/openid-connect/auth"
        );
        p.auth_url = Some(web("https://idp.example/realms/x/auth?kc_idp_hint=corp"));
        assert_eq!(
            auth_url(&p).as_str(),
            "https://idp.example/realms/x/auth?kc_idp_hint=corp"
        );
    }

    #[test]
    fn builds_the_authorization_url() {
        let state = Secret::new("st");
        let req = AuthRequest {
            auth_url: Url::parse("https://idp/auth?kc_idp_hint=corp").unwrap(),
            client_id: "runai-cli",
            redirect_uri: "http://localhost:43121/callback",
            scope: "openid offline_access",
            state: &state,
            login_hint: Some("alice@acme"),
        };
        assert_eq!(
            req.url().as_str(),
            "https://idp/auth?kc_idp_hint=corp&response_type=code&client_id=runai-cli&redirect_uri=http%3A%2F%2Flocalhost%3A43121%2Fcallback&scope=openid+offline_access&state=st&login_hint=alice%40acme"
        );
        assert!(!req.url().as_str().contains("code_challenge"));
    }

    #[test]
    fn plain_http_login_page_only_on_loopback() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(check_auth_url(&u("http://127.0.0.1:9/auth"), false).is_ok());
        assert!(check_auth_url(&u("https://idp/auth"), false).is_ok());
        let err = check_auth_url(&u("http://idp/auth"), false).unwrap_err();
        assert!(err.to_string().contains("plain http://"), "{err}");
        assert!(check_auth_url(&u("http://idp/auth"), true).is_ok());
    }

    #[test]
    fn pasted_code_or_url() {
        let state = Secret::new("s1");
        let code = code_from_paste(&Secret::new("  abc \n"), &state).unwrap();
        assert_eq!(code.expose(), "abc");
        let code = code_from_paste(
            &Secret::new("https://acme.run.ai/oauth-code?code=xyz&state=s1"),
            &state,
        )
        .unwrap();
        assert_eq!(code.expose(), "xyz");
        let err = code_from_paste(
            &Secret::new("https://acme.run.ai/oauth-code?code=xyz&state=other"),
            &state,
        )
        .unwrap_err();
        assert!(err.to_string().contains("state does not match"), "{err}");
        let err = code_from_paste(
            &Secret::new("https://acme.run.ai/oauth-code?error=access_denied&state=s1"),
            &state,
        )
        .unwrap_err();
        assert!(err.to_string().contains("access_denied"), "{err}");
    }

    #[test]
    fn compares_secrets() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
