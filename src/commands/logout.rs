//! `tokenctl logout`: delete stored tokens through the repository, and say
//! exactly what was and was not cleared.

use anyhow::Result;

use super::Ctx;
use crate::cli::LogoutArgs;
use crate::error::Error;
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
    let mut failed: Vec<(String, Error)> = Vec::new();
    let mut cleared = 0;
    for name in &names {
        let profile = ctx
            .config
            .profile(name)
            .expect("listed from the config")
            .clone();
        let kind = ctx.store_kind_of(name, &profile);
        // Keep going past one broken store so `--all` removes what it can.
        let repo = crate::repo::TokenRepo::new(
            name,
            profile,
            kind,
            &ctx.config.path,
            args.lock.lock_timeout,
            ctx.settings,
        );
        let result = repo.logout().map(|removed| (removed, repo.place()));
        match result {
            Ok((true, place)) => {
                cleared += 1;
                ui::success(format!(
                    "removed the tokens of profile `{name}` from {place}"
                ))
            }
            Ok((false, place)) => {
                cleared += 1;
                ui::info(format!("profile `{name}` had no stored tokens in {place}"))
            }
            Err(e) => {
                ui::warn(format!("profile `{name}`: NOT cleared: {e}"));
                failed.push((name.clone(), e));
            }
        }
    }
    match failed.len() {
        0 => Ok(()),
        1 if names.len() == 1 => Err(failed.remove(0).1.into()),
        n => {
            let which: Vec<String> = failed.iter().map(|(n, _)| n.clone()).collect();
            let first = failed.remove(0).1;
            let hint = first
                .hint()
                .unwrap_or("fix the store and run logout again")
                .to_string();
            Err(Error::new(
                first.kind(),
                format!(
                    "cleared {cleared} of {} profiles; {n} NOT cleared ({}): {}",
                    names.len(),
                    which.join(", "),
                    first.message()
                ),
            )
            .with_hint(hint)
            .into())
        }
    }
}
