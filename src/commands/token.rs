//! `tokenctl token` (and `kubectl-credential`): print a token that is valid
//! for at least `--min-valid`, renewing it first when needed.

use anyhow::Result;

use super::Ctx;
use crate::api::{Api, Grant};
use crate::cli::TokenArgs;
use crate::config::KubeToken;
use crate::env::EnvVars;
use crate::error::{Error, Kind};
use crate::grant::GrantKind;
use crate::kube;
use crate::lock::Lock;
use crate::output::OutputFormat;
use crate::prompt::{self, SecretSource};
use crate::repo::{DEFAULT_MIN_VALID, TokenRepo};
use crate::token::TokenSet;
use crate::ui;

pub fn run(ctx: &Ctx, args: TokenArgs, forced: Option<OutputFormat>) -> Result<()> {
    let format = forced.or(ctx.global.output).unwrap_or(OutputFormat::Token);
    let profile = ctx.profile()?;
    let min_valid = args
        .min_valid
        .or(profile.min_valid.map(|d| d.0))
        .unwrap_or(DEFAULT_MIN_VALID);
    let interactive = args.interactive || profile.interactive == Some(true);
    let exec_api_version = ctx.exec_api_version(kube::api_version(args.api_version));
    let kube_token = args.kube_token.or(profile.kube_token).unwrap_or_default();
    let emit =
        |tokens: &TokenSet| ctx.emit_kube(tokens, Some(format), exec_api_version, kube_token);
    let repo = ctx.repo(profile.clone(), args.lock.lock_timeout);
    // The hot path (kubectl, scripts): a cached token with enough time left.
    // JSON output and an id token for kubectl need the id token, which only
    // the store has.
    let needs_id = format == OutputFormat::Json
        || (format == OutputFormat::ExecCredential && kube_token == KubeToken::Id);
    let cached = || (!needs_id).then(|| repo.cached(min_valid)).flatten();
    if let Some(hit) = cached() {
        return emit(&hit);
    }
    // A miss: wait for any renewal in progress, then look again, so of N
    // callers of an expiring token only the first opens the keychain.
    let held = if repo.has_cache() {
        let lock = repo.lock()?;
        if let Some(hit) = cached() {
            return emit(&hit);
        }
        Some(lock)
    } else {
        None
    };
    let tokens = match repo.fresh(min_valid, held.as_ref()) {
        Ok(tokens) => tokens,
        Err(e) if e.is(Kind::Credentials) && interactive && prompt::interactive() => {
            let owned;
            let lock = match &held {
                Some(lock) => lock,
                None => {
                    owned = repo.lock()?;
                    &owned
                }
            };
            relogin(ctx, &repo, lock, e)?
        }
        Err(e) => return Err(e.into()),
    };
    emit(&tokens)
}

/// Renewal was impossible and a person is at the terminal: log in again
/// the way the profile's tokens were first obtained, under the lock.
fn relogin(ctx: &Ctx, repo: &TokenRepo, lock: &Lock, why: Error) -> Result<TokenSet, Error> {
    let grant = repo.load()?.map(|t| t.source.grant);
    let profile = repo.profile();
    match grant {
        Some(
            GrantKind::ExchangeToken | GrantKind::LegacyExchange | GrantKind::AuthorizationCode,
        ) => {
            ui::info(format!(
                "{}\nlogging in again in the browser",
                why.message()
            ));
            super::sso_login::relogin(ctx, repo, lock)
        }
        Some(GrantKind::ExternalToken) => {
            let Some(source) = &profile.external_token_from else {
                return Err(why);
            };
            ui::info(format!(
                "{}\nreading a new external token from {}",
                why.message(),
                crate::text::shown(source.to_string())
            ));
            let tokens = repo.exchange_external(source)?;
            repo.replace_locked(lock, &tokens)?;
            Ok(tokens)
        }
        // App credentials are not typed by a person; the error says what to run.
        Some(g) if g.is_app() => Err(why),
        _ => relogin_password(ctx, repo, lock, why),
    }
}

fn relogin_password(
    ctx: &Ctx,
    repo: &TokenRepo,
    lock: &Lock,
    why: Error,
) -> Result<TokenSet, Error> {
    let profile = repo.profile();
    let Some(username) = profile.username.clone() else {
        return Err(why);
    };
    ui::info(format!(
        "{}\nlogging in again as {}",
        why.message(),
        crate::text::shown(&username)
    ));
    let password = prompt::read_secret(&SecretSource {
        what: "password",
        stdin_flag: "--password-stdin",
        env: EnvVars::TOKENCTL_PASSWORD,
        from_stdin: false,
        prompt: format!(
            "Password for {} at {}: ",
            crate::text::shown(&username),
            profile.server
        ),
    })?;
    let tokens =
        Api::new(profile, &ctx.settings)?.request(&Grant::Password { username, password })?;
    repo.replace_locked(lock, &tokens)?;
    Ok(tokens)
}
