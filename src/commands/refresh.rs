//! `tokenctl refresh`: renew now with the refresh token (Run:ai) or the
//! still-valid token (GBDS).

use anyhow::Result;

use super::{Ctx, login_hint};
use crate::api::{Api, Grant};
use crate::cli::RefreshArgs;
use crate::config::{ApiKind, Profile};
use crate::error::Error;
use crate::prompt::{self, SecretSource};
use crate::secret::Secret;
use crate::token::{self, TokenSet};

pub fn run(ctx: &Ctx, args: RefreshArgs) -> Result<()> {
    let profile = ctx.profile()?.clone();
    let store = ctx.open_store(&profile)?;
    let stored = store.load(&ctx.key(&profile))?;
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
    let tokens = renew(ctx, &profile, stored.as_ref(), override_rt)?;
    ctx.finish(profile, &store, &tokens, "renewed the token for")
}

/// One renewal request: Run:ai's refresh grant (or 2.19's refresh endpoint),
/// GBDS's TOKEN grant. Keeps the refresh and id token when the answer omits them.
pub fn renew(
    ctx: &Ctx,
    profile: &Profile,
    stored: Option<&TokenSet>,
    refresh_override: Option<Secret>,
) -> Result<TokenSet, Error> {
    let login = format!("{} login", ctx.cmd_prefix());
    let grant = match profile.api {
        ApiKind::Gbds => {
            let stored = stored.ok_or_else(|| {
                Error::credentials(format!(
                    "not logged in with profile `{}`: run `{login}`",
                    ctx.profile_name()
                ))
            })?;
            if stored.is_expired(token::now()) {
                return Err(Error::credentials(format!(
                    "the GBDS token of profile `{}` expired {}; GBDS renews only valid tokens: run `{login}`",
                    ctx.profile_name(),
                    stored.expires_at.map(token::rfc3339).unwrap_or_default()
                )));
            }
            Grant::GbdsToken(stored.access_token.clone())
        }
        ApiKind::Runai | ApiKind::Runai219 => {
            let rt = refresh_override
                .clone()
                .or_else(|| stored.and_then(|s| s.refresh_token.clone()))
                .ok_or_else(|| {
                    Error::credentials(format!(
                        "no refresh token stored for profile `{}` (app tokens have none): run `{login}`{}",
                        ctx.profile_name(),
                        if stored.is_some_and(|s| is_app_grant(&s.source.grant)) {
                            " or `tokenctl app-token` again"
                        } else {
                            ""
                        }
                    ))
                })?;
            Grant::RefreshToken(rt)
        }
    };
    let mut fresh = Api::new(profile)?
        .request(&grant)
        .map_err(|e| login_hint(e, ctx))?;
    if fresh.refresh_token.is_none() && profile.api != ApiKind::Gbds {
        fresh.refresh_token =
            refresh_override.or_else(|| stored.and_then(|s| s.refresh_token.clone()));
    }
    if fresh.id_token.is_none() {
        fresh.id_token = stored.and_then(|s| s.id_token.clone());
    }
    Ok(fresh)
}

pub fn is_app_grant(grant: &str) -> bool {
    matches!(
        grant,
        "client_credentials" | "app_token" | "legacy_apptoken"
    )
}
