//! `tokenctl login`: password or external token grant (from stdin, or from
//! a CI source the profile remembers); SSO lives in `sso_login`.

use anyhow::Result;

use super::Ctx;
use crate::api::{self, Api, Grant};
use crate::cli::LoginArgs;
use crate::config::Profile;
use crate::error::{Error, Kind};
use crate::grant::GrantKind;
use crate::model::ExternalSource;
use crate::prompt::{self, SecretSource};
use crate::ui;

pub fn run(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    if args.browser {
        return super::sso_login::browser(ctx, args);
    }
    if args.remote_browser {
        return super::sso_login::remote(ctx, args);
    }
    let mut profile = ctx.profile_for_update(&args.server)?;
    // Open the store before asking the server: a token we cannot keep is wasted.
    ctx.open_store(&profile)?;
    // Refuse plain http before anyone types a password.
    api::check_transport(&profile.server, profile.allow_http)?;

    // Only a login from a source can be renewed from it; any other login
    // forgets the source a previous one saved.
    profile.external_token_from = None;
    profile.audience = None;
    let grant = if let Some(source) = args.external_token_from {
        external_offered(ctx, &profile, "--external-token-from")?;
        if args.audience.is_some() && source != ExternalSource::GithubActions {
            return Err(Error::usage(
                "--audience applies to --external-token-from github-actions only; other CIs set the audience where they issue the token (GitLab: `id_tokens: NAME: aud:`)",
            )
            .into());
        }
        let source = source.absolute()?;
        let token = api::ci::read(&source, args.audience.as_deref(), &profile)?;
        ui::verbose(format!(
            "read an external token from {}",
            crate::text::shown(source.to_string())
        ));
        profile.external_token_from = Some(source);
        profile.audience = args.audience;
        Grant::ExternalToken(token)
    } else if args.external_token_stdin {
        external_offered(ctx, &profile, "--external-token-stdin")?;
        let token = prompt::read_secret(&SecretSource {
            what: "external token",
            stdin_flag: "--external-token-stdin",
            env: "TOKENCTL_EXTERNAL_TOKEN",
            from_stdin: true,
            prompt: String::new(),
        })?;
        Grant::ExternalToken(token)
    } else {
        let username =
            match args.username.or_else(|| profile.username.clone()) {
                Some(u) => u,
                None => prompt::ask(&format!("User name for {}: ", profile.server))?.ok_or_else(
                    || Error::usage("no user name: pass --username USER or set TOKENCTL_USERNAME"),
                )?,
            };
        profile.username = Some(username.clone());
        let password = prompt::read_secret(&SecretSource {
            what: "password",
            stdin_flag: "--password-stdin",
            env: "TOKENCTL_PASSWORD",
            from_stdin: args.password_stdin,
            prompt: format!(
                "Password for {} at {}: ",
                crate::text::shown(&username),
                profile.server
            ),
        })?;
        Grant::Password { username, password }
    };

    let tokens = Api::new(&profile)?.request(&grant).map_err(|e| {
        if !e.is(Kind::Credentials) {
            e
        } else if matches!(grant, Grant::Password { .. }) {
            e.or_hint("check the user name and password")
        } else if let Some(source) = &profile.external_token_from {
            e.or_hint(format!(
                "the server refused the token from {}: check that Run:ai trusts this CI's issuer and audience",
                crate::text::shown(source.to_string())
            ))
        } else {
            e
        }
    })?;
    let who = profile.username.clone();
    let repo = ctx.repo(profile, super::STORE_LOCK_WAIT);
    ctx.finish(&repo, &tokens, "logged in to", who)
}

/// External tokens need Run:ai 2.23 (`external_token_exchange`).
fn external_offered(ctx: &Ctx, profile: &Profile, flag: &str) -> Result<(), Error> {
    if GrantKind::ExternalToken.offered_by(profile.api) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{flag} needs Run:ai 2.23 (`external_token_exchange`); profile `{}` speaks {}",
        ctx.profile_name(),
        profile.api.describe()
    ))
    .with_hint("log in with a password, or use --api runai if the server runs 2.23"))
}
