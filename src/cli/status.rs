//! `tokenctl status`.

use crate::env::EnvVars;
use clap::Args;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Show every profile, not only the selected one [default: off]
    #[arg(long)]
    pub all: bool,

    /// Also show what the stored access and id tokens say: issuer, subject, audience, expiry, user, email, groups and roles
    /// (decoded, not verified; never the token) [default: off]
    #[arg(long, env = EnvVars::TOKENCTL_CLAIMS)]
    pub claims: bool,
}
