//! Griaule GBDS 4.7 `POST /tokens`.

use reqwest::Method;
use serde::Serialize;

use super::parse;
use super::{Api, Call, Grant};
use crate::error::Error;
use crate::grant::GrantKind;
use crate::report;
use crate::token::TokenSet;

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
    let secrets: Vec<&str> = [req.user_password, req.token]
        .into_iter()
        .flatten()
        .collect();
    let body = serde_json::to_vec(&Envelope { data: req }).expect("request serializes");
    let grant_name = if matches!(grant, Grant::GbdsToken(_)) {
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
        form: false,
        // A renewal may retire the token it was given: not sent twice.
        idempotent: grant_name == GrantKind::GbdsCredentials,
        secrets,
    };
    let answer = api.send(&call)?;
    if !answer.success() {
        return Err(answer.rejected("gbds", &call));
    }
    let data =
        parse::gbds_token(&answer.body, answer.received).map_err(|why| answer.malformed(why))?;
    for note in &data.expiry.notes {
        report::verbose(note);
    }
    Ok(data.into_token_set(api.source(None, grant_name), answer.received))
}
