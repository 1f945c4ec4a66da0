//! `tokenctl runai-config`.

use std::path::PathBuf;

use clap::Args;

use super::refresh::LockArgs;
use super::values::parse_duration;
use crate::env::EnvVars;

#[derive(Debug, Args)]
pub struct RunaiConfigArgs {
    /// Write authentication.json and config.json (0600, atomically) instead of printing config.json [default: off]
    #[arg(long)]
    pub write: bool,

    /// The directory the Run:ai CLI and runapy read [default: $RUNAI_CLI_CONFIG_PATH, else ~/.runai]
    #[arg(long, env = EnvVars::RUNAI_CLI_CONFIG_PATH, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// The cluster config.json names [default: the one it names for this server, else the only cluster the
    /// server lists]
    #[arg(long, value_name = "UUID")]
    pub cluster_uuid: Option<String>,

    /// Renew first when the token has less than this left [default: the profile's `min_valid`, else 60s]
    #[arg(long, env = EnvVars::TOKENCTL_MIN_VALID, value_parser = parse_duration, value_name = "DURATION")]
    pub min_valid: Option<std::time::Duration>,

    #[command(flatten)]
    pub lock: LockArgs,
}
