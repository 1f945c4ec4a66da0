//! The config file and the selected profiles.

use super::{Report, Status};
use crate::cli::GlobalArgs;
use crate::config::{self, Config};

/// The loaded config and the profiles to check, when it loads and has them.
pub(super) fn check(
    global: &GlobalArgs,
    all: bool,
    report: &mut Report,
) -> Option<(Config, Vec<String>)> {
    if let Err(why) = config::check_profile_name(&global.profile) {
        report.add(
            "config",
            None,
            Status::Fail,
            why,
            Some("pass a plain name with --profile (or TOKENCTL_PROFILE)".into()),
        );
        return None;
    }
    let config = match Config::load(global.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            let fix = e.hint().unwrap_or(
                "correct the file (every key is in tokenctl's docs/configuration.md), or point --config elsewhere",
            );
            report.add(
                "config",
                None,
                Status::Fail,
                e.message().to_string(),
                Some(fix.to_string()),
            );
            return None;
        }
    };
    let path = crate::text::shown(&config.path);
    let names: Vec<String> = if all {
        config.file.profiles.keys().cloned().collect()
    } else {
        vec![global.profile.clone()]
    };
    if config.file.profiles.is_empty() {
        report.add(
            "config",
            None,
            Status::Fail,
            format!("{path} has no profiles (or does not exist)"),
            Some("run `tokenctl login --server URL` to create one".into()),
        );
        return None;
    }
    if let Some(missing) = names.iter().find(|n| config.profile(n).is_none()) {
        let known: Vec<&str> = config.file.profiles.keys().map(String::as_str).collect();
        report.add(
            "config",
            None,
            Status::Fail,
            format!(
                "{path} has no profile `{missing}` (known: {})",
                known.join(", ")
            ),
            Some(format!(
                "pass --profile NAME, or run `{}` to create it",
                crate::repo::command_for(missing, "login --server URL")
            )),
        );
        return None;
    }
    report.add(
        "config",
        None,
        Status::Ok,
        format!("{path} parses: {} profile(s)", config.file.profiles.len()),
        None,
    );
    Some((config, names))
}
