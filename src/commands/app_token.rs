//! `tokenctl app-token`: a service account or access key (client
//! credentials, 2.23 and later), the 2.19 client's app_token grant, or the
//! 2.19 app token endpoint. `login --access-key` is the same login under
//! Run:ai 3.0's name, keeping the secret by default.

use std::io::Read;
use std::path::Path;

use anyhow::Result;

use super::Ctx;
use crate::api::{Api, Grant};
use crate::cli::{AppGrant, AppTokenArgs};
use crate::config::Profile;
use crate::env::EnvVars;
use crate::error::{Error, Kind};
use crate::model::{ApiKind, StoreKind};
use crate::prompt::{self, SecretSource};
use crate::secret::Secret;

/// Which request to send, decided before asking for the secret.
enum Plan {
    ClientCredentials,
    AppToken,
    Legacy { name: String },
}

pub fn run(ctx: &Ctx, args: AppTokenArgs) -> Result<()> {
    let mut profile = ctx.profile_for_update(&args.server)?;
    let client_id = args
        .client_id
        .or_else(|| profile.client_id.clone())
        .ok_or_else(|| {
            Error::usage("no client id: pass --client-id ID or set TOKENCTL_CLIENT_ID")
        })?;
    if let Some(name) = args.app_name {
        profile.app_name = Some(name);
    }
    let plan = match (profile.api, args.grant) {
        (ApiKind::Gbds, _) => {
            return Err(Error::usage(
                "GBDS has no application tokens (service accounts, access keys); log in with `tokenctl login` (user name and password)",
            )
            .into());
        }
        // 2.19 documents app_token on /api/v1/token; the deprecated endpoint on opt-in.
        (ApiKind::Runai219, None) if !profile.legacy_endpoints => Plan::AppToken,
        (ApiKind::Runai219, None) => Plan::Legacy {
            name: profile.app_name.clone().ok_or_else(|| {
                Error::usage(
                    "Run:ai 2.19's app token endpoint needs the application name: pass --app-name NAME (saved in the profile), or use --grant app_token without --legacy-endpoints",
                )
            })?,
        },
        (ApiKind::Runai219, Some(AppGrant::ClientCredentials)) => {
            return Err(Error::usage(
                "Run:ai 2.19 has no client_credentials grant (it came in 2.23); leave out --grant to use its app_token grant",
            )
            .into());
        }
        (_, Some(AppGrant::AppToken)) => Plan::AppToken,
        (ApiKind::Runai | ApiKind::RunaiV1 | ApiKind::RunaiV2, _) => Plan::ClientCredentials,
    };
    profile.client_id = Some(client_id.clone());
    let store = ctx.open_store(&profile)?;
    if args.save_secret
        && let Some(why) = cannot_keep_secret(&profile, store.kind())
    {
        return Err(Error::usage(format!("refusing --save-secret: {why}")).into());
    }
    crate::api::check_transport(&profile.server, profile.allow_http)?;
    let secret = read_client_secret(
        &client_id,
        args.client_secret_stdin,
        args.secret_file.as_deref(),
    )?;
    let grant = match plan {
        Plan::ClientCredentials => Grant::ClientCredentials {
            client_id,
            secret: secret.clone(),
        },
        Plan::AppToken => Grant::AppToken {
            app_id: client_id,
            secret: secret.clone(),
        },
        Plan::Legacy { name } => Grant::LegacyAppToken {
            id: client_id,
            name,
            secret: secret.clone(),
        },
    };
    let mut tokens = Api::for_login(&profile, &ctx.settings)?
        .request(&grant)
        .map_err(|e| {
            if e.is(Kind::Credentials) {
                e.or_hint("check the client id and secret")
            } else {
                e
            }
        })?;
    if args.save_secret {
        tokens.app_secret = Some(secret);
    }
    // The token's subject is the client, whatever user the profile also names.
    let who = Some(format!(
        "client {}",
        profile.client_id.as_deref().unwrap_or("-")
    ));
    let repo = ctx.repo(profile, super::STORE_LOCK_WAIT);
    ctx.finish(&repo, &tokens, "logged in to", who)
}

/// Why the client secret must not be kept for this profile, if it must not:
/// the file store keeps no secrets; a secret sent again and again must not
/// go over unverified TLS.
pub(super) fn cannot_keep_secret(profile: &Profile, store: StoreKind) -> Option<&'static str> {
    if profile.insecure_skip_tls_verify {
        Some(
            "the profile has insecure_skip_tls_verify, and a secret that is sent again and again must not go over unverified TLS; use ca_file instead",
        )
    } else if store == StoreKind::File {
        Some(
            "the file store does not keep client secrets (only the OS keychain and the kernel keyring do); set TOKENCTL_CLIENT_SECRET where `tokenctl token` runs instead, and it renews with that",
        )
    } else {
        None
    }
}

/// The secret of a service account or access key: from `file`, stdin, or
/// `$TOKENCTL_CLIENT_SECRET`, else a prompt. Never from a flag's value.
pub(super) fn read_client_secret(
    client_id: &str,
    from_stdin: bool,
    file: Option<&Path>,
) -> Result<Secret, Error> {
    if let Some(path) = file {
        return read_secret_file(path);
    }
    prompt::read_secret(&SecretSource {
        what: "client secret",
        stdin_flag: "--client-secret-stdin",
        env: EnvVars::TOKENCTL_CLIENT_SECRET,
        from_stdin,
        prompt: format!("Secret of {}: ", crate::text::shown(client_id)),
    })
}

/// Larger than any client secret; a file this big holds something else.
const MAX_SECRET_FILE: u64 = 64 * 1024;

/// The first line of `path`, without its line break. The error never
/// quotes the content.
fn read_secret_file(path: &Path) -> Result<Secret, Error> {
    let shown = crate::text::shown(path);
    let mut raw = zeroize::Zeroizing::new(Vec::new());
    let file = std::fs::File::open(path).map_err(|e| {
        Error::usage(format!("cannot read the secret file {shown}: {e}"))
            .with_hint("check the path given to --secret-file")
    })?;
    #[cfg(unix)]
    if let Ok(meta) = file.metadata() {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            crate::ui::warn(format!(
                "the secret file {shown} can be read by other users (mode {:o}): `chmod 600` it",
                meta.permissions().mode() & 0o777
            ));
        }
    }
    file.take(MAX_SECRET_FILE + 1)
        .read_to_end(&mut raw)
        .map_err(|e| Error::usage(format!("cannot read the secret file {shown}: {e}")))?;
    if raw.len() as u64 > MAX_SECRET_FILE {
        return Err(Error::usage(format!(
            "the secret file {shown} is larger than 64 KiB: it does not hold one client secret"
        )));
    }
    let text = std::str::from_utf8(&raw)
        .map_err(|_| Error::usage(format!("the secret file {shown} is not UTF-8 text")))?;
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(Error::usage(format!(
            "the secret file {shown} is empty: its first line should be the client secret"
        )));
    }
    if line.chars().any(char::is_control) {
        return Err(Error::usage(format!(
            "the secret file {shown} holds control characters on its first line: it should hold the client secret alone"
        )));
    }
    Ok(Secret::new(line.to_string()))
}
