//! `tokenctl doctor`.

use crate::env::EnvVars;
use clap::Args;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check every profile, not only the selected one [default: off]
    #[arg(long)]
    pub all: bool,

    /// The kubectl to look for and ask about the kubeconfig
    #[arg(
        long,
        env = EnvVars::TOKENCTL_KUBECTL,
        default_value = "kubectl",
        value_name = "PATH"
    )]
    pub kubectl: String,
}
