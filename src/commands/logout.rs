//! `tokenctl logout`: delete stored tokens, say what went.

use anyhow::Result;

use super::{Ctx, key_for};
use crate::cache::TokenCache;
use crate::cli::LogoutArgs;
use crate::ui;

pub fn run(ctx: &Ctx, args: LogoutArgs) -> Result<()> {
    let names: Vec<String> = if args.all {
        ctx.config.file.profiles.keys().cloned().collect()
    } else {
        ctx.profile()?;
        vec![ctx.profile_name().to_string()]
    };
    if names.is_empty() {
        ui::info("no profiles, nothing to remove");
    }
    let mut failed = None;
    for name in names {
        let profile = ctx.config.profile(&name).expect("listed from the config");
        let key = key_for(&name, profile);
        // The memory cache goes first and whatever the store says: after a
        // logout no cached token may be printed.
        if let Some(cache) = TokenCache::open() {
            cache.remove(&key);
        }
        // Keep going past one broken store so `--all` removes what it can.
        let result = ctx.open_store(profile).and_then(|store| {
            let place = store.describe(&key);
            store.delete(&key).map(|removed| (removed, place))
        });
        match result {
            Ok((true, place)) => ui::success(format!(
                "removed the tokens of profile `{name}` from {place}"
            )),
            Ok((false, _)) => ui::info(format!("profile `{name}` had no stored tokens")),
            Err(e) => {
                ui::warn(format!("profile `{name}`: {e}"));
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
