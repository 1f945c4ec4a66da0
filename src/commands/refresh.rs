//! `tokenctl refresh`: renew now, under the profile's renewal lock.

use anyhow::Result;

use super::Ctx;
use crate::cli::RefreshArgs;
use crate::config::ApiKind;
use crate::error::Error;
use crate::prompt::{self, SecretSource};
use crate::renew::Renewer;

pub fn run(ctx: &Ctx, args: RefreshArgs) -> Result<()> {
    let profile = ctx.profile()?.clone();
    let store = ctx.open_store(&profile)?;
    let override_rt =
        if args.refresh_token_stdin || std::env::var_os("TOKENCTL_REFRESH_TOKEN").is_some() {
            if profile.api == ApiKind::Gbds {
                return Err(Error::usage(
                    "GBDS has no refresh tokens: `tokenctl refresh` renews the stored GBDS token",
                )
                .into());
            }
            Some(prompt::read_secret(&SecretSource {
                what: "refresh token",
                stdin_flag: "--refresh-token-stdin",
                env: "TOKENCTL_REFRESH_TOKEN",
                from_stdin: args.refresh_token_stdin,
                prompt: String::new(),
            })?)
        } else {
            None
        };
    let renewer = Renewer::new(ctx, &profile, &store, args.lock.lock_timeout);
    let _lock = renewer.lock()?;
    let stored = store.load(&ctx.key(&profile))?;
    let tokens = renewer.renew(stored.as_ref(), override_rt)?;
    ctx.finish(profile.clone(), &store, &tokens, "renewed the token for")
}
