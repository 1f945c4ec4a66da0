//! `tokenctl logout`.

use clap::Args;

use super::refresh::LockArgs;

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove the stored tokens of every profile [default: off: only the selected profile]
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub lock: LockArgs,
}
