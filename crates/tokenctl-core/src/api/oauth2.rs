//! Run:ai's standard OAuth2 endpoint, `POST /api/v2/token` (control plane
//! 2.24 and later): form-encoded RFC 6749 grants, snake_case answers, RFC
//! 6749 errors (shown by `parse::error_body` like the other shapes). 3.0
//! adds `external_token_exchange` (field `external_token`).

use reqwest::Method;

use super::parse::{self, ErrorBody};
use super::{Answer, Api, Call, Grant};
use crate::error::Error;
use crate::grant::GrantKind;
use crate::model::TokenEndpoint;
use crate::report;
use crate::token::TokenSet;

/// The API's name in messages.
const VENDOR: &str = "run:ai oauth2";
const TOKEN_PATH: &str = "/api/v2/token";

/// Which refusals mean "not here" rather than an error (`runai` profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fallback {
    /// `runai-v2`: every refusal is an error.
    Never,
    /// `unsupported_grant_type`: the grant goes to `/api/v1/token`.
    Grant,
    /// A login finding out: also a 404/405 (no `/api/v2/token` at all).
    EndpointOrGrant,
}

/// What `/api/v2/token` lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lack {
    /// The endpoint: 404 or 405.
    Endpoint(u16),
    /// The grant: 400 `unsupported_grant_type`.
    Grant,
}

pub(super) enum Outcome {
    Tokens(TokenSet),
    Lacks(Lack),
}

/// Whether a grant exists on this endpoint at all (in some version).
pub(super) fn takes(grant: &Grant) -> bool {
    matches!(
        grant,
        Grant::Password { .. }
            | Grant::RefreshToken(_)
            | Grant::ExchangeCode { .. }
            | Grant::ExternalToken(_)
            | Grant::ClientCredentials { .. }
    )
}

pub(super) fn request(api: &Api, grant: &Grant, fallback: Fallback) -> Result<Outcome, Error> {
    let post = |what, kind, fields: &[(&str, &str)], secrets| {
        post(api, what, kind, fields, secrets, fallback)
    };
    match grant {
        Grant::Password { username, password } => post(
            "login",
            GrantKind::Password,
            &[("username", username), ("password", password.expose())],
            vec![password.expose()],
        ),
        Grant::RefreshToken(rt) => post(
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
            "code exchange",
            GrantKind::AuthorizationCode,
            &[
                ("code", code.expose()),
                ("redirect_uri", redirect_uri),
                ("client_id", client_id),
            ],
            vec![code.expose()],
        ),
        Grant::ExternalToken(t) => post(
            "external token exchange",
            GrantKind::ExternalToken,
            &[("external_token", t.expose())],
            vec![t.expose()],
        ),
        Grant::ClientCredentials { client_id, secret } => post(
            "client credentials login",
            GrantKind::ClientCredentials,
            &[("client_id", client_id), ("client_secret", secret.expose())],
            vec![secret.expose()],
        ),
        Grant::AppToken { .. } | Grant::LegacyAppToken { .. } => Err(Error::usage(
            "Run:ai's /api/v2/token has no app_token grant: service accounts and access keys use client_credentials (`tokenctl login --access-key ID`, or `app-token` without --grant app_token)",
        )),
        Grant::GbdsToken(_) => Err(Error::usage("the GBDS TOKEN grant is not a Run:ai grant")),
    }
}

/// RFC 6749's answer to a grant the server does not know.
fn unsupported_grant(answer: &Answer, secrets: &[&str]) -> bool {
    is_unsupported_grant(answer.status, &answer.body, secrets)
}

/// The same, for a status and body (doctor's probe of `/api/v2/token`).
pub(super) fn is_unsupported_grant(status: u16, body: &[u8], secrets: &[&str]) -> bool {
    status == 400
        && matches!(
            parse::error_body(body, secrets),
            ErrorBody::OAuth { error, .. } if error == "unsupported_grant_type"
        )
}

/// `grant_type` plus `fields`, form-encoded.
fn post(
    api: &Api,
    what: &str,
    grant: GrantKind,
    fields: &[(&str, &str)],
    secrets: Vec<&str>,
    fallback: Fallback,
) -> Result<Outcome, Error> {
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
        if fallback == Fallback::EndpointOrGrant && matches!(answer.status, 404 | 405) {
            return Ok(Outcome::Lacks(Lack::Endpoint(answer.status)));
        }
        let unsupported = unsupported_grant(&answer, &call.secrets);
        if unsupported && fallback != Fallback::Never {
            return Ok(Outcome::Lacks(Lack::Grant));
        }
        let e = answer.rejected(VENDOR, &call);
        return Err(if unsupported {
            e.with_hint(format!(
                "this server's /api/v2/token does not take {grant} (Run:ai 2.24 has no external_token_exchange there; 3.0 has): use --api runai, which sends such a grant to /api/v1/token"
            ))
        } else {
            e
        });
    }
    let tokens =
        parse::oauth2_tokens(&answer.body, answer.received).map_err(|why| answer.malformed(why))?;
    for note in &tokens.expiry.notes {
        report::verbose(note);
    }
    Ok(Outcome::Tokens(tokens.into_token_set(
        api.source(Some(TokenEndpoint::V2), grant),
        answer.received,
    )))
}
