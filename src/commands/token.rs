//! `tokenctl token` (and `kubectl-credential`): print a token that is valid
//! for at least `--min-valid`, renewing it first when needed.

use anyhow::Result;

use super::Ctx;
use crate::api::{Api, Grant};
use crate::cache::TokenCache;
use crate::cli::TokenArgs;
use crate::config::Profile;
use crate::error::Error;
use crate::kube;
use crate::lock::ProfileLock;
use crate::output::OutputFormat;
use crate::prompt::{self, SecretSource};
use crate::renew::{DEFAULT_MIN_VALID, Renewer};
use crate::store::Store;
use crate::token::TokenSet;
use crate::ui;

pub fn run(ctx: &Ctx, args: TokenArgs, forced: Option<OutputFormat>) -> Result<()> {
    let format = forced.or(ctx.global.output).unwrap_or(OutputFormat::Token);
    let profile = ctx.profile()?;
    let min_valid = args
        .min_valid
        .or(profile.min_valid.map(|d| d.0))
        .unwrap_or(DEFAULT_MIN_VALID);
    let exec_api_version = ctx.exec_api_version(kube::api_version(args.api_version));
    let key = ctx.key(profile);
    let cache = TokenCache::for_profile(profile, ctx.store_kind(profile));
    // The hot path (kubectl, scripts): a cached token with enough time left.
    // JSON output also shows the id token, which only the store has.
    let cached = |c: &TokenCache| {
        (format != OutputFormat::Json)
            .then(|| c.get(&key, profile, min_valid.as_secs()))
            .flatten()
    };
    if let Some(hit) = cache.as_ref().and_then(cached) {
        return ctx.emit(&hit, Some(format), exec_api_version);
    }
    // A miss: wait for any renewal in progress, then look again, so of N
    // callers of an expiring token only the first opens the keychain.
    let held = match &cache {
        Some(c) => {
            let lock = ProfileLock::acquire(ctx.profile_name(), args.lock.lock_timeout)?;
            if let Some(hit) = cached(c) {
                return ctx.emit(&hit, Some(format), exec_api_version);
            }
            Some(lock)
        }
        None => None,
    };
    let store = ctx.open_store(profile)?;
    let renewer = Renewer::new(ctx, profile, &store, args.lock.lock_timeout);
    let result = match held {
        Some(_) => renewer.fresh_locked(min_valid),
        None => renewer.fresh(min_valid),
    };
    let tokens = match result {
        Ok(tokens) => tokens,
        Err(Error::Credentials(why))
            if (args.interactive || profile.interactive == Some(true)) && prompt::interactive() =>
        {
            let _lock = match held {
                Some(_) => None,
                None => Some(renewer.lock()?),
            };
            relogin(ctx, profile, &store, &why)?
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(cache) = &cache {
        cache.put(&key, &tokens);
    }
    ctx.emit(&tokens, Some(format), exec_api_version)
}

/// Renewal was impossible and a person is at the terminal: ask for the
/// password and log in again with the profile's user.
fn relogin(ctx: &Ctx, profile: &Profile, store: &Store, why: &str) -> Result<TokenSet, Error> {
    let username = profile
        .username
        .clone()
        .ok_or_else(|| Error::credentials(why.to_string()))?;
    ui::info(format!("{why}\nlogging in again as {username}"));
    let password = prompt::read_secret(&SecretSource {
        what: "password",
        stdin_flag: "--password-stdin",
        env: "TOKENCTL_PASSWORD",
        from_stdin: false,
        prompt: format!("Password for {username} at {}: ", profile.server),
    })?;
    let tokens = Api::new(profile)?.request(&Grant::Password { username, password })?;
    store.save(&ctx.key(profile), &tokens)?;
    Ok(tokens)
}
