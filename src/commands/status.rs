//! `tokenctl status`: profiles and token expiry, never a token.

use anyhow::Result;

use super::{Ctx, key_for};
use crate::claims::Claims;
use crate::cli::StatusArgs;
use crate::config::Profile;
use crate::model::{ApiKind, TokenEndpoint};
use crate::output::{self, ProfileStatus};
use crate::repo::{can_renew_silently, relogin_command, renewal_endpoint};
use crate::store::Store;
use crate::token::{self, TokenSet};
use crate::ui;

pub fn run(ctx: &Ctx, args: StatusArgs) -> Result<()> {
    let names: Vec<&String> = if args.all {
        ctx.config.file.profiles.keys().collect()
    } else {
        ctx.profile()?;
        vec![&ctx.global.profile]
    };
    if names.is_empty() {
        ui::info(format!(
            "no profiles in {}: run `tokenctl login --server URL` to create one",
            crate::text::shown(&ctx.config.path)
        ));
    }
    let entries: Vec<ProfileStatus> = names
        .into_iter()
        .map(|name| {
            let profile = ctx.config.profile(name).expect("listed from the config");
            describe(ctx, name, profile, args.claims)
        })
        .collect();
    output::print(&output::render_status(ctx.global.output, &entries)?)?;
    Ok(())
}

fn describe(ctx: &Ctx, name: &str, profile: &Profile, claims: bool) -> ProfileStatus {
    let key = key_for(name, profile);
    let (kind, tokens, lost, problem) =
        match Store::open(ctx.store_kind_of(name, profile), &ctx.settings) {
            Ok(store) => match store.load(&key) {
                Ok(Some(t)) => (store.kind(), Some(t), None, None),
                Ok(None) => (store.kind(), None, store.lost(&key), None),
                Err(e) => (store.kind(), None, None, Some(e.to_string())),
            },
            Err(e) => (
                ctx.store_kind_of(name, profile),
                None,
                None,
                Some(e.to_string()),
            ),
        };
    let now = token::now();
    let renew_with = tokens
        .as_ref()
        .and_then(|t| can_renew_silently(profile, t, now));
    let renew_by = tokens
        .as_ref()
        .filter(|_| renew_with.is_none())
        .map(|t| relogin_command(name, profile, Some(t.source.grant)));
    ProfileStatus {
        profile: name.to_string(),
        current: name == ctx.profile_name(),
        server: profile.server.to_string(),
        api: profile.api.to_string(),
        endpoint: endpoint(profile, tokens.as_ref()),
        user: profile.username.clone(),
        client_id: profile.client_id.clone(),
        store: kind.to_string(),
        logged_in: tokens.is_some(),
        lost: lost.map(str::to_string),
        expires_at: tokens
            .as_ref()
            .and_then(|t| t.expires_at)
            .map(token::rfc3339),
        seconds_left: tokens.as_ref().and_then(|t| t.seconds_left(now)),
        can_renew: renew_with.is_some(),
        renew_with: renew_with.map(str::to_string),
        renew_by,
        problem,
        claims: tokens.as_ref().filter(|_| claims).map(|t| {
            std::iter::once(Claims::decode("access", t.access_token.expose()))
                .chain(
                    t.id_token
                        .as_ref()
                        .map(|id| Claims::decode("id", id.expose())),
                )
                .collect()
        }),
    }
}

/// The Run:ai token endpoint the profile's grants go to, and why there.
pub(super) fn endpoint(profile: &Profile, tokens: Option<&TokenSet>) -> Option<String> {
    let endpoint = renewal_endpoint(profile, tokens)?;
    let found = profile.token_endpoint.is_some()
        || tokens.is_some_and(|t| t.source.api.pinned_endpoint().is_some());
    let why = match profile.api {
        ApiKind::Runai if found => "found at login".to_string(),
        ApiKind::Runai => {
            "saved before tokenctl looked for /api/v2/token; the next login finds the newest"
                .to_string()
        }
        pinned => format!("pinned by api = {pinned}"),
    };
    let deprecated = if endpoint == TokenEndpoint::V1 && profile.api != ApiKind::Runai219 {
        ", deprecated in Run:ai 3.0"
    } else {
        ""
    };
    Some(format!("{} ({why}{deprecated})", endpoint.path()))
}
