//! `tokenctl refresh`: renew now, under the profile's lock.

use anyhow::Result;

use super::Ctx;
use crate::cli::RefreshArgs;
use crate::env::EnvVars;
use crate::error::Error;
use crate::model::ApiKind;
use crate::prompt::{self, SecretSource};
use crate::repo::DEFAULT_MIN_VALID;

pub fn run(ctx: &Ctx, args: RefreshArgs) -> Result<()> {
    let profile = ctx.profile()?.clone();
    let override_rt = if args.refresh_token_stdin
        || std::env::var_os(EnvVars::TOKENCTL_REFRESH_TOKEN).is_some()
    {
        if profile.api == ApiKind::Gbds {
            return Err(Error::usage(
                "GBDS has no refresh tokens: `tokenctl refresh` renews the stored GBDS token",
            )
            .into());
        }
        Some(prompt::read_secret(&SecretSource {
            what: "refresh token",
            stdin_flag: "--refresh-token-stdin",
            env: EnvVars::TOKENCTL_REFRESH_TOKEN,
            from_stdin: args.refresh_token_stdin,
            prompt: String::new(),
        })?)
    } else {
        None
    };
    let min_valid = profile.min_valid.map_or(DEFAULT_MIN_VALID, |d| d.0);
    let who = profile.username.clone();
    let repo = ctx.repo(profile, args.lock.lock_timeout);
    let tokens = repo.refresh_now(override_rt, min_valid)?;
    super::announce(ctx, &repo, &tokens, "renewed the token for", who)
}
