//! The options every command takes.

use std::path::PathBuf;

use clap::ArgAction;
use clap::Args;
use clap::builder::{EnumValueParser, TypedValueParser};
use clap_complete::engine::ArgValueCandidates;

use super::values::{ColorArg, OutputArg, StoreArg, defaults, parse_duration};
use crate::env::EnvVars;
use crate::model::StoreKind;
use crate::output::OutputFormat;
use crate::ui::ColorWhen;

/// Options every command takes. Under their own heading in `--help`, after
/// the command's own options, and left out of `-h` to keep it short.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Profile to use: a named server, API and identity from the config file
    #[arg(
        long,
        short = 'p',
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_PROFILE,
        default_value = defaults::PROFILE,
        value_name = "NAME",
        add = ArgValueCandidates::new(crate::shell::profile_candidates)
    )]
    pub profile: String,

    /// Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_CONFIG,
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,

    /// Where tokens are kept [default: the profile's `store`, else auto: the keychain when
    /// it answers, else on Linux the kernel keyring]
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_STORE,
        value_parser = EnumValueParser::<StoreArg>::new().map(StoreKind::from)
    )]
    pub store: Option<StoreKind>,

    /// What to print on stdout [default: token for `token`; nothing for the other commands].
    /// From the environment it applies to `token` only, and as `json` to `status` and `doctor`
    #[arg(
        short = 'o',
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_OUTPUT,
        value_parser = EnumValueParser::<OutputArg>::new().map(OutputFormat::from)
    )]
    pub output: Option<OutputFormat>,

    /// Variable name for `-o env`, and the variable `exec` gives the command the token in
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_ENV_VAR,
        default_value = defaults::ENV_VAR,
        value_name = "NAME"
    )]
    pub env_var: String,

    /// Include the refresh token in `-o json` [default: off]
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_SHOW_REFRESH_TOKEN
    )]
    pub show_refresh_token: bool,

    /// More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted)
    /// [default: progress and results only]
    #[arg(short, long, global = true,
        hide_short_help = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Connect timeout for server requests [default: the profile's `connect_timeout`, else 10s]
    #[arg(long, global = true,
        hide_short_help = true, env = EnvVars::TOKENCTL_CONNECT_TIMEOUT, value_parser = parse_duration, value_name = "DURATION")]
    pub connect_timeout: Option<std::time::Duration>,

    /// Timeout of a whole server request, retries and their waits included [default: the profile's `request_timeout`, else 30s]
    #[arg(long, global = true,
        hide_short_help = true, env = EnvVars::TOKENCTL_TIMEOUT, value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<std::time::Duration>,

    /// Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)
    #[arg(long, global = true, hide_short_help = true, env = EnvVars::TOKENCTL_KEYCHAIN_TIMEOUT, default_value = defaults::KEYCHAIN_TIMEOUT, value_parser = parse_duration, value_name = "DURATION")]
    pub keychain_timeout: std::time::Duration,

    /// Print nothing on stderr but errors; stdout still has what was asked for [default: off]
    #[arg(
        short,
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_QUIET,
        conflicts_with = "verbose"
    )]
    pub quiet: bool,

    /// Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = EnvVars::TOKENCTL_COLOR,
        value_parser = EnumValueParser::<ColorArg>::new().map(ColorWhen::from),
        default_value = defaults::COLOR,
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
}
