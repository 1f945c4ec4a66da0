//! `tokenctl app-token`: client credentials (2.23), app_token, or the 2.19
//! app token endpoint.

use anyhow::Result;

use super::Ctx;
use crate::api::{Api, Grant};
use crate::cli::{AppGrant, AppTokenArgs};
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
                "GBDS has no application tokens; log in with `tokenctl login` (user name and password)",
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
        (ApiKind::Runai | ApiKind::RunaiOauth2, _) => Plan::ClientCredentials,
    };
    profile.client_id = Some(client_id.clone());
    let store = ctx.open_store(&profile)?;
    if args.save_secret && profile.insecure_skip_tls_verify {
        return Err(Error::usage(
            "refusing --save-secret for a profile with insecure_skip_tls_verify: a secret that is sent again and again must not go over unverified TLS; use ca_file instead",
        )
        .into());
    }
    if args.save_secret && store.kind() == StoreKind::File {
        return Err(Error::usage(
            "--save-secret keeps the client secret in the OS keychain or the kernel keyring, but this profile uses the file store; set TOKENCTL_CLIENT_SECRET where `tokenctl token` runs instead, and it will renew with that",
        )
        .into());
    }
    crate::api::check_transport(&profile.server, profile.allow_http)?;
    let secret: Secret = prompt::read_secret(&SecretSource {
        what: "client secret",
        stdin_flag: "--client-secret-stdin",
        env: "TOKENCTL_CLIENT_SECRET",
        from_stdin: args.client_secret_stdin,
        prompt: format!("Client secret for {}: ", crate::text::shown(&client_id)),
    })?;
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
    let mut tokens = Api::new(&profile)?.request(&grant).map_err(|e| {
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
    ctx.finish(&repo, &tokens, "got an app token from", who)
}
