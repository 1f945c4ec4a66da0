//! `tokenctl login`: password, access key (service account), or external
//! token grant (from stdin, or from a CI source the profile remembers); SSO
//! lives in `sso_login`.

use anyhow::Result;

use super::Ctx;
use crate::api::{self, Api, Grant};
use crate::cli::LoginArgs;
use crate::config::Profile;
use crate::env::EnvVars;
use crate::error::{Error, Kind};
use crate::grant::GrantKind;
use crate::model::{ApiKind, ExternalSource, StoreKind};
use crate::prompt::{self, SecretSource};
use crate::ui;

pub fn run(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    if args.browser {
        return super::sso_login::browser(ctx, args);
    }
    if args.remote_browser {
        return super::sso_login::remote(ctx, args);
    }
    if args.access_key.is_some() {
        return access_key(ctx, args);
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
        let token = api::ci::read(&source, args.audience.as_deref(), &profile, &ctx.settings)?;
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
            env: EnvVars::TOKENCTL_EXTERNAL_TOKEN,
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
            env: EnvVars::TOKENCTL_PASSWORD,
            from_stdin: args.password_stdin,
            prompt: format!(
                "Password for {} at {}: ",
                crate::text::shown(&username),
                profile.server
            ),
        })?;
        Grant::Password { username, password }
    };

    let tokens = Api::for_login(&profile, &ctx.settings)?.request(&grant).map_err(|e| {
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

/// `login --access-key ID`: Run:ai's `client_credentials` for a service
/// account or a user access key. The secret is kept beside the tokens (OS
/// keychain or kernel keyring), so renewal runs the grant again by itself.
fn access_key(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let client_id = args.access_key.expect("checked by the caller");
    if client_id.is_empty() || client_id.chars().any(char::is_control) {
        return Err(Error::usage(
            "--access-key needs the client ID of the access key or service account",
        )
        .into());
    }
    let mut profile = ctx.profile_for_update(&args.server)?;
    match profile.api {
        ApiKind::Runai | ApiKind::RunaiV1 | ApiKind::RunaiV2 => {}
        ApiKind::Runai219 => {
            return Err(Error::usage(
                "Run:ai 2.19 has no client_credentials grant (access keys came later): use `tokenctl app-token` (its app_token grant)",
            )
            .into());
        }
        ApiKind::Gbds => {
            return Err(Error::usage(
                "GBDS has no access keys or service accounts; log in with a user name and password",
            )
            .into());
        }
    }
    let store = ctx.open_store(&profile)?;
    api::check_transport(&profile.server, profile.allow_http)?;
    // The tokens belong to the client: the store key's principal is its ID,
    // not a user name a previous login saved.
    profile.username = None;
    profile.client_id = Some(client_id.clone());
    profile.external_token_from = None;
    profile.audience = None;
    let keep = if args.no_save_secret {
        false
    } else if let Some(why) = super::app_token::cannot_keep_secret(&profile, store.kind()) {
        ui::warn(format!("not keeping the secret: {why}"));
        false
    } else {
        true
    };
    let secret = super::app_token::read_client_secret(
        &client_id,
        args.client_secret_stdin,
        args.secret_file.as_deref(),
    )?;
    let grant = Grant::ClientCredentials {
        client_id: client_id.clone(),
        secret: secret.clone(),
    };
    let mut tokens = Api::for_login(&profile, &ctx.settings)?
        .request(&grant)
        .map_err(|e| {
            if e.is(Kind::Credentials) {
                e.or_hint("check the access key's client ID and secret (the Run:ai UI shows the secret once, when the key is created)")
            } else {
                e
            }
        })?;
    if keep {
        tokens.app_secret = Some(secret);
    }
    let who = Some(format!("client {client_id}"));
    let repo = ctx.repo(profile, super::STORE_LOCK_WAIT);
    ctx.finish(&repo, &tokens, "logged in to", who)
}

/// External tokens need `external_token_exchange` (Run:ai 2.23 on
/// `/api/v1/token`, 3.0 on `/api/v2/token`).
fn external_offered(ctx: &Ctx, profile: &Profile, flag: &str) -> Result<(), Error> {
    if GrantKind::ExternalToken.offered_by(profile.api) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{flag} needs `external_token_exchange` (Run:ai 2.23 and later); profile `{}` speaks {}",
        ctx.profile_name(),
        profile.api.describe()
    ))
    .with_hint("log in with a password, or use --api runai if the server runs 2.23 or later"))
}

/// Said once per user (on stderr), after the first login whose tokens
/// `--store auto` put in the kernel keyring because no desktop keychain
/// answered: where they went, what a reboot does to them, and the way out.
/// An explicit `--store kernel` was a choice and gets no note.
pub(super) fn note_kernel_keyring(requested: StoreKind, used: StoreKind) {
    if requested != StoreKind::Auto || used != StoreKind::Kernel || ui::level() < 1 {
        return;
    }
    if !first_time("kernel-keyring") {
        return;
    }
    ui::info(format!(
        "note: no desktop keychain answered here, so the tokens are in the kernel keyring: in memory only, gone at reboot{}; `tokenctl login` brings them back then. To keep them across reboots, log in with --store file (a 0600 file under your state directory), or run a Secret Service (gnome-keyring, KeePassXC) and log in again. (said once)",
        unused_expiry()
    ));
}

/// ", or after 3 days unused": the persistent keyring's own expiry.
fn unused_expiry() -> String {
    #[cfg(target_os = "linux")]
    if let Some(secs) = crate::store::kernel::persistent_expiry().filter(|s| *s > 0) {
        let (n, unit) = if secs.is_multiple_of(86_400) {
            (secs / 86_400, "day")
        } else if secs.is_multiple_of(3600) {
            (secs / 3600, "hour")
        } else {
            (secs, "second")
        };
        let s = if n == 1 { "" } else { "s" };
        return format!(", or after {n} {unit}{s} unused");
    }
    String::new()
}

/// True the first time this user's state directory is asked about `note`
/// (a marker file, created exclusively: two logins at once say it once).
/// When the marker cannot be written, the note is said: better twice than
/// never.
fn first_time(note: &str) -> bool {
    let Ok(dir) = crate::paths::state_subdir("notes") else {
        return true;
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(dir.join(note)) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::AlreadyExists,
    }
}
