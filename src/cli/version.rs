//! `tokenctl version`, `--version` and `-v --version`.

use clap::Args;

use super::command;

/// `tokenctl --version`: the version and the commit it was built from (build.rs).
pub(super) const VERSION_LINE: &str = crate::env::build::VERSION_LINE;

#[derive(Debug, Args)]
pub struct VersionArgs {}

/// `-v --version` (any `-v`): the long form, as `tokenctl version` prints it.
pub(super) fn verbose_version(args: &[std::ffi::OsString]) -> bool {
    let rest = args
        .iter()
        .take_while(|a| a.to_str() != Some("--"))
        .filter(|a| !matches!(a.to_str(), Some("-V" | "--version")));
    command()
        .ignore_errors(true)
        .try_get_matches_from(rest)
        .is_ok_and(|m| m.get_count("verbose") > 0)
}
