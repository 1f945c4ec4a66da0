//! Run:ai's standard OAuth2 endpoint, `POST /api/v2/token` (control plane
//! 2.24 and later): form-encoded RFC 6749 grants, snake_case answers, RFC
//! 6749 errors (shown by `parse::error_body` like the other shapes).

use reqwest::Method;

use super::parse;
use super::{Api, Call, Grant};
use crate::error::Error;
use crate::grant::GrantKind;
use crate::token::TokenSet;
use crate::ui;

/// The API's name in messages.
const VENDOR: &str = "run:ai oauth2";
pub(super) const TOKEN_PATH: &str = "/api/v2/token";

pub(super) fn request(api: &Api, grant: &Grant) -> Result<TokenSet, Error> {
    match grant {
        Grant::Password { username, password } => post(
            api,
            "login",
            GrantKind::Password,
            &[("username", username), ("password", password.expose())],
            vec![password.expose()],
        ),
        Grant::RefreshToken(rt) => post(
            api,
            "refresh",
            GrantKind::RefreshToken,
            &[("refresh_token", rt.expose())],
            vec![rt.expose()],
        ),
        Grant::ExchangeCode {
            code,
            redirect_uri,
            client_id,
        } => post(
            api,
            "code exchange",
            GrantKind::AuthorizationCode,
            &[
                ("code", code.expose()),
                ("redirect_uri", redirect_uri),
                ("client_id", client_id),
            ],
            vec![code.expose()],
        ),
        Grant::ClientCredentials { client_id, secret } => post(
            api,
            "app token request",
            GrantKind::ClientCredentials,
            &[("client_id", client_id), ("client_secret", secret.expose())],
            vec![secret.expose()],
        ),
        Grant::AppToken { .. } | Grant::LegacyAppToken { .. } => Err(Error::usage(
            "Run:ai's /api/v2/token has no app_token grant: leave out --grant to use client_credentials",
        )),
        Grant::ExternalToken(_) => Err(Error::usage(
            "Run:ai's /api/v2/token has no token-exchange grant; use --api runai (its /api/v1/token has external_token_exchange), or log in with a password",
        )),
        Grant::GbdsToken(_) => Err(Error::usage("the GBDS TOKEN grant is not a Run:ai grant")),
    }
}

/// `grant_type` plus `fields`, form-encoded.
fn post(
    api: &Api,
    what: &str,
    grant: GrantKind,
    fields: &[(&str, &str)],
    secrets: Vec<&str>,
) -> Result<TokenSet, Error> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", grant.name())
        .extend_pairs(fields)
        .finish()
        .into_bytes();
    let call = Call {
        what,
        method: Method::POST,
        path: TOKEN_PATH,
        query: &[],
        body: Some(body),
        form: true,
        // Refresh tokens rotate and codes are single use: see `Api::send`.
        idempotent: !matches!(
            grant,
            GrantKind::RefreshToken | GrantKind::AuthorizationCode
        ),
        secrets,
    };
    let answer = api.send(&call)?;
    if !answer.success() {
        return Err(answer.rejected(VENDOR, &call));
    }
    let tokens =
        parse::oauth2_tokens(&answer.body, answer.received).map_err(|why| answer.malformed(why))?;
    for note in &tokens.expiry.notes {
        ui::verbose(note);
    }
    Ok(tokens.into_token_set(api.source(grant), answer.received))
}
