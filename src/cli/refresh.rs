//! `tokenctl refresh`, and the lock options the renewing commands share.

use clap::Args;

use super::values::{defaults, parse_duration};
use crate::env::EnvVars;

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Read the refresh token from stdin instead of the store
    /// [default: off: $TOKENCTL_REFRESH_TOKEN, else the stored one]
    #[arg(long)]
    pub refresh_token_stdin: bool,

    #[command(flatten)]
    pub lock: LockArgs,
}

#[derive(Debug, Clone, Args)]
pub struct LockArgs {
    /// How long to wait for another tokenctl that is renewing the same profile
    #[arg(long, env = EnvVars::TOKENCTL_LOCK_TIMEOUT, default_value = defaults::LOCK_TIMEOUT, value_parser = parse_duration, value_name = "DURATION")]
    pub lock_timeout: std::time::Duration,
}
