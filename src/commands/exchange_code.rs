//! `tokenctl exchange-code`: the last step of a browser login, by hand.

use anyhow::Result;

use super::Ctx;
use crate::api::{Api, Grant};
use crate::cli::ExchangeCodeArgs;
use crate::env::EnvVars;
use crate::error::{Error, Kind};
use crate::model::ApiKind;
use crate::prompt::{self, SecretSource};
use crate::secret::Secret;
use crate::sso;

pub fn run(ctx: &Ctx, args: ExchangeCodeArgs) -> Result<()> {
    let mut profile = ctx.profile_for_update(&args.server)?;
    if profile.api == ApiKind::Gbds {
        return Err(Error::usage(
            "GBDS has no authorization-code exchange; log in with `tokenctl login` (user name and password)",
        )
        .into());
    }
    if let Some(id) = args.oidc_client_id {
        profile.oidc_client_id = Some(id);
    }
    ctx.open_store(&profile)?;
    let code = match args.code {
        Some(code) => Secret::new(code),
        None => prompt::read_secret(&SecretSource {
            what: "authorization code",
            stdin_flag: "--code-stdin",
            env: EnvVars::TOKENCTL_CODE,
            from_stdin: args.code_stdin,
            prompt: "Authorization code: ".into(),
        })?,
    };
    let client_id = sso::client_id(&profile).to_string();
    let grant = Grant::ExchangeCode {
        code,
        redirect_uri: args.redirect_uri,
        client_id: client_id.clone(),
    };
    let tokens = Api::for_login(&profile, &ctx.settings)?.request(&grant).map_err(|e| {
        if e.is(Kind::Credentials) {
            e.or_hint(format!(
                "{}; get a new code from the login page, and pass the same --redirect-uri and --oidc-client-id as its URL's `redirect_uri` and `client_id`",
                sso::exchange_refused_hint(&client_id)
            ))
        } else {
            e
        }
    })?;
    if let Some(user) = crate::token::user_name(&tokens) {
        profile.username = Some(user);
    }
    let who = profile.username.clone();
    let repo = ctx.repo(profile, super::STORE_LOCK_WAIT);
    ctx.finish(&repo, &tokens, "exchanged the code with", who)
}
