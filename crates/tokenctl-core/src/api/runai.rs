//! NVIDIA Run:ai's `/api/v1/token` (2.19 to 3.0, deprecated in 3.0) for
//! every grant, and 2.19's deprecated endpoints on opt-in or after a 404/405.

use reqwest::Method;
use serde::Serialize;

use super::parse::{self, Tokens};
use super::{Api, Call, Grant};
use crate::error::Error;
use crate::grant::GrantKind;
use crate::model::{ApiKind, TokenEndpoint};
use crate::report;
use crate::secret::Secret;
use crate::token::TokenSet;

/// The API's name in messages.
const VENDOR: &str = "run:ai";
const TOKEN_PATH: &str = "/api/v1/token";
const LEGACY_EXCHANGE_PATH: &str = "/v1/k8s/auth/token/exchange";
const LEGACY_REFRESH_PATH: &str = "/v1/k8s/auth/oauth/tokens/refresh";
const LEGACY_APP_TOKEN_PATH: &str = "/v1/k8s/auth/oauth/apptoken";

/// `TokenRequest`, field names as the documents spell them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest<'a> {
    grant_type: GrantKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<&'a str>,
    #[serde(rename = "appID", skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_secret: Option<&'a str>,
    #[serde(rename = "clientID", skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_token: Option<&'a str>,
}

impl Default for TokenRequest<'_> {
    /// Every request names its grant; this only fills the other fields.
    fn default() -> Self {
        Self {
            grant_type: GrantKind::Unknown,
            username: None,
            password: None,
            refresh_token: None,
            code: None,
            redirect_uri: None,
            app_id: None,
            app_secret: None,
            client_id: None,
            client_secret: None,
            external_token: None,
        }
    }
}

#[derive(Serialize)]
struct LegacyAppTokenRequest<'a> {
    id: &'a str,
    name: &'a str,
    secret: &'a str,
}

pub(super) fn request(api: &Api, grant: &Grant) -> Result<TokenSet, Error> {
    let v219 = api.kind == ApiKind::Runai219;
    // The deprecated 2.19 endpoints only on opt-in; otherwise after a 404/405.
    let legacy = v219 && api.legacy_endpoints;
    let post = |what: &str, req: TokenRequest<'_>| token_grant(api, what, req, None);
    match grant {
        Grant::Password { username, password } => post(
            "login",
            TokenRequest {
                grant_type: GrantKind::Password,
                username: Some(username),
                password: Some(password.expose()),
                ..Default::default()
            },
        ),
        Grant::RefreshToken(rt) if legacy => legacy_refresh(api, rt),
        Grant::RefreshToken(rt) => token_grant(
            api,
            "refresh",
            TokenRequest {
                grant_type: GrantKind::RefreshToken,
                refresh_token: Some(rt.expose()),
                ..Default::default()
            },
            v219.then_some(Fallback {
                path: LEGACY_REFRESH_PATH,
                carried: "the refresh token",
                run: &|| legacy_refresh(api, rt),
            }),
        ),
        Grant::ExchangeCode {
            code, redirect_uri, ..
        } if legacy => legacy_exchange(api, code, redirect_uri),
        Grant::ExchangeCode {
            code,
            redirect_uri,
            client_id,
        } => token_grant(
            api,
            "code exchange",
            TokenRequest {
                grant_type: GrantKind::ExchangeToken,
                code: Some(code.expose()),
                redirect_uri: Some(redirect_uri),
                client_id: Some(client_id),
                ..Default::default()
            },
            v219.then_some(Fallback {
                path: LEGACY_EXCHANGE_PATH,
                carried: "the authorization code",
                run: &|| legacy_exchange(api, code, redirect_uri),
            }),
        ),
        Grant::ExternalToken(_) if v219 => Err(Error::usage(
            "Run:ai 2.19 has no external_token_exchange grant (it came in 2.23); use --api runai if the server runs 2.23, or log in with a password",
        )),
        Grant::ExternalToken(t) => post(
            "external token exchange",
            TokenRequest {
                grant_type: GrantKind::ExternalToken,
                external_token: Some(t.expose()),
                ..Default::default()
            },
        ),
        Grant::ClientCredentials { .. } if v219 => Err(Error::usage(
            "Run:ai 2.19 has no client_credentials grant (it came in 2.23); leave out --grant to use its app_token grant",
        )),
        Grant::ClientCredentials { client_id, secret } => post(
            "client credentials login",
            TokenRequest {
                grant_type: GrantKind::ClientCredentials,
                client_id: Some(client_id),
                client_secret: Some(secret.expose()),
                ..Default::default()
            },
        ),
        Grant::AppToken { app_id, secret } => post(
            "app token request",
            TokenRequest {
                grant_type: GrantKind::AppToken,
                app_id: Some(app_id),
                app_secret: Some(secret.expose()),
                ..Default::default()
            },
        ),
        Grant::LegacyAppToken { .. } if !v219 => Err(Error::usage(
            "the /v1/k8s/auth/oauth/apptoken endpoint belongs to Run:ai 2.19; this profile does not speak 2.19: use --grant client_credentials (the default) or set --api runai-2.19",
        )),
        Grant::LegacyAppToken { id, name, secret } => legacy_app_token(api, id, name, secret),
        Grant::GbdsToken(_) => Err(Error::usage("the GBDS TOKEN grant is not a Run:ai grant")),
    }
}

/// Why a 3.0 server refuses `app_token` (400), and what replaced it.
const APP_TOKEN_GONE: &str = "Run:ai 3.0 dropped the app_token grant; service accounts and access keys log in with client_credentials (the same client id and secret): run `tokenctl login --access-key ID`, or `tokenctl app-token` without --grant app_token";

/// Where a 2.19 grant goes when `/api/v1/token` does not have it.
struct Fallback<'a> {
    path: &'a str,
    /// What the deprecated endpoint puts in its URL.
    carried: &'a str,
    run: &'a dyn Fn() -> Result<TokenSet, Error>,
}

/// `POST /v1/k8s/auth/oauth/tokens/refresh?refresh_token=..` (deprecated 2.19).
fn legacy_refresh(api: &Api, rt: &Secret) -> Result<TokenSet, Error> {
    let query = [("refresh_token", rt.expose())];
    let call = Call {
        what: "refresh",
        method: Method::POST,
        path: LEGACY_REFRESH_PATH,
        query: &query,
        body: None,
        form: false,
        idempotent: false,
        secrets: vec![rt.expose()],
    };
    token_response(api, GrantKind::LegacyRefresh, call, None)
}

/// `GET /v1/k8s/auth/token/exchange` (deprecated 2.19); it documents no
/// client parameter.
fn legacy_exchange(api: &Api, code: &Secret, redirect_uri: &str) -> Result<TokenSet, Error> {
    let query = [("redirect_uri", redirect_uri), ("code", code.expose())];
    let call = Call {
        what: "code exchange",
        method: Method::GET,
        path: LEGACY_EXCHANGE_PATH,
        query: &query,
        body: None,
        form: false,
        idempotent: false,
        secrets: vec![code.expose()],
    };
    token_response(api, GrantKind::LegacyExchange, call, None)
}

fn token_grant(
    api: &Api,
    what: &str,
    req: TokenRequest<'_>,
    fallback: Option<Fallback<'_>>,
) -> Result<TokenSet, Error> {
    let body = serde_json::to_vec(&req).expect("request serializes");
    let secrets: Vec<&str> = [
        req.password,
        req.refresh_token,
        req.code,
        req.app_secret,
        req.client_secret,
        req.external_token,
    ]
    .into_iter()
    .flatten()
    .collect();
    let call = Call {
        what,
        method: Method::POST,
        path: TOKEN_PATH,
        query: &[],
        body: Some(body),
        form: false,
        // Refresh tokens rotate and codes are single use: see `Api::send`.
        idempotent: !matches!(
            req.grant_type,
            GrantKind::RefreshToken | GrantKind::ExchangeToken
        ),
        secrets,
    };
    token_response(api, req.grant_type, call, fallback)
}

/// Sends `call` and reads a `TokenResponse` from the answer; a 404/405
/// goes to `fallback` once, when there is one.
fn token_response(
    api: &Api,
    grant: GrantKind,
    call: Call<'_>,
    fallback: Option<Fallback<'_>>,
) -> Result<TokenSet, Error> {
    let answer = api.send(&call)?;
    if let Some(fallback) = fallback.filter(|_| matches!(answer.status, 404 | 405)) {
        report::verbose(format!(
            "{} answered HTTP {}: falling back to the deprecated {}, where {} travels in the URL (server and proxy logs may keep it); set legacy_endpoints = true in the profile to go there directly",
            answer.url, answer.status, fallback.path, fallback.carried
        ));
        return (fallback.run)();
    }
    if !answer.success() {
        let e = api.both_absent(answer.rejected(VENDOR, &call), answer.status);
        return Err(if grant == GrantKind::AppToken && answer.status == 400 {
            e.with_hint(APP_TOKEN_GONE)
        } else {
            e
        });
    }
    let tokens =
        parse::runai_tokens(&answer.body, answer.received).map_err(|why| answer.malformed(why))?;
    Ok(token_set(api, grant, tokens, answer.received))
}

fn legacy_app_token(api: &Api, id: &str, name: &str, secret: &Secret) -> Result<TokenSet, Error> {
    let what = "app token request";
    let body = serde_json::to_vec(&LegacyAppTokenRequest {
        id,
        name,
        secret: secret.expose(),
    })
    .expect("request serializes");
    let call = Call {
        what,
        method: Method::POST,
        path: LEGACY_APP_TOKEN_PATH,
        query: &[],
        body: Some(body),
        form: false,
        idempotent: true,
        secrets: vec![secret.expose()],
    };
    let answer = api.send(&call)?;
    if !answer.success() {
        return Err(answer.rejected(VENDOR, &call));
    }
    let tokens = parse::runai_legacy_app_token(&answer.body, answer.received)
        .map_err(|why| answer.malformed(why))?;
    Ok(token_set(
        api,
        GrantKind::LegacyAppToken,
        tokens,
        answer.received,
    ))
}

fn token_set(api: &Api, grant: GrantKind, tokens: Tokens, received: u64) -> TokenSet {
    for note in &tokens.expiry.notes {
        report::verbose(note);
    }
    tokens.into_token_set(api.source(Some(TokenEndpoint::V1), grant), received)
}
