//! `tokenctl exec`.

use clap::Args;

use super::refresh::LockArgs;
use super::values::parse_duration;
use crate::env::EnvVars;

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Renew the token (and rewrite the file) when it has less than this left [default: the profile's `min_valid`, else 60s]
    #[arg(long, env = EnvVars::TOKENCTL_MIN_VALID, value_parser = parse_duration, value_name = "DURATION")]
    pub min_valid: Option<std::time::Duration>,

    #[command(flatten)]
    pub lock: LockArgs,

    /// Also write the Run:ai CLI's and runapy's config directory there (as `runai-config --write --dir DIR`),
    /// its token rewritten at each renewal; the command gets $RUNAI_CLI_CONFIG_PATH=DIR [default: off]
    #[arg(long, value_name = "DIR")]
    pub runai_config: Option<std::path::PathBuf>,

    /// The command and its arguments, after `--`
    #[arg(
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<std::ffi::OsString>,
}
