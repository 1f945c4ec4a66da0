//! Griaule GBDS 4.7 `POST /tokens`.

use reqwest::Method;
use serde::Serialize;

use super::parse;
use super::{Answer, Api, Call, Grant};
use crate::error::Error;
use crate::grant::GrantKind;
use crate::token::{self, TokenSet};

const TOKENS_PATH: &str = "/tokens";

#[derive(Serialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateTokenRequest<'a> {
    grant_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
}

pub(super) fn request(api: &Api, grant: &Grant) -> Result<TokenSet, Error> {
    let (what, req) = match grant {
        Grant::Password { username, password } => (
            "login",
            CreateTokenRequest {
                grant_type: "CREDENTIALS",
                user_name: Some(username),
                user_password: Some(password.expose()),
                token: None,
            },
        ),
        Grant::GbdsToken(t) => (
            "token renewal",
            CreateTokenRequest {
                grant_type: "TOKEN",
                user_name: None,
                user_password: None,
                token: Some(t.expose()),
            },
        ),
        Grant::ExchangeCode { .. } => {
            return Err(Error::usage(
                "GBDS has no authorization-code exchange; log in with `tokenctl login` (user name and password)",
            ));
        }
        Grant::ClientCredentials { .. } | Grant::AppToken { .. } | Grant::LegacyAppToken { .. } => {
            return Err(Error::usage(
                "GBDS has no application tokens; log in with `tokenctl login` (user name and password)",
            ));
        }
        Grant::ExternalToken(_) => {
            return Err(Error::usage(
                "GBDS has no external token exchange; log in with `tokenctl login` (user name and password)",
            ));
        }
        Grant::RefreshToken(_) => {
            return Err(Error::usage(
                "GBDS has no refresh tokens; `tokenctl refresh` renews GBDS tokens with the TOKEN grant",
            ));
        }
    };
    let body = serde_json::to_vec(&Envelope { data: req }).expect("request serializes");
    let grant_kind = if matches!(grant, Grant::GbdsToken(_)) {
        GrantKind::GbdsToken
    } else {
        GrantKind::GbdsCredentials
    };
    let call = Call {
        what,
        method: Method::POST,
        path: TOKENS_PATH,
        query: &[],
        body: Some(body),
        // A renewal may retire the token it was given: not sent twice.
        idempotent: grant_kind == GrantKind::GbdsCredentials,
    };
    let answer = api.send(call)?;
    if !answer.success() {
        return Err(error(what, &answer));
    }
    let data = parse::gbds_token(&answer.body).map_err(|why| answer.malformed(why))?;
    let now = token::now();
    Ok(TokenSet {
        expires_at: data.expires_at(now),
        access_token: data.token,
        id_token: None,
        refresh_token: None,
        app_secret: None,
        obtained_at: now,
        source: api.source(grant_kind),
    })
}

/// GBDS's `{type, code, message}`: `gbds rejected the login: SECURITY_ERROR INVALID_CREDENTIALS: ...`.
fn error(what: &str, answer: &Answer) -> Error {
    let Some(e) = parse::gbds_error(&answer.body) else {
        return answer.unexpected();
    };
    let code = e.code.as_deref().unwrap_or("");
    let mut msg = format!("gbds rejected the {what}:");
    for part in [e.kind.as_deref().unwrap_or(""), code] {
        if !part.is_empty() {
            msg.push(' ');
            msg.push_str(part);
        }
    }
    if let Some(m) = e
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        msg.push_str(": ");
        msg.push_str(m);
    }
    msg.push_str(&format!(" [HTTP {}]", answer.status));
    if code == "EXPIRED_TOKEN" {
        msg.push_str("; the GBDS token expired, so it can no longer be renewed");
    }
    if (400..500).contains(&answer.status) {
        Error::credentials(msg)
    } else {
        Error::server(msg)
    }
}
