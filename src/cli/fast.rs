//! The hot path's command line without clap (issue 20).
//!
//! kubectl runs `tokenctl [--profile P] [--config F] kubectl-credential` (and
//! scripts `tokenctl token ...`, prompts `tokenctl status`) on every call;
//! building clap's whole command tree for that cost more than half of the
//! process's instructions. This reads exactly that small grammar into the
//! same [`Cli`] value clap would produce, and declines (`None`) anything
//! else, so the caller falls back to clap, which then parses, helps or
//! reports the usage error:
//!
//! - the subcommand `token`, `kubectl-credential` or `status`, once;
//! - anywhere: `--profile`/`-p`, `--config`, `--store`, `--output`/`-o`, each
//!   at most once, the value as the next argument or after `=`;
//! - after `token`/`kubectl-credential`: `--min-valid`, `--lock-timeout`,
//!   `--api-version`, `--kube-token` (the same way) and `--interactive`;
//!   after `status`: `--all` and `--claims`;
//! - values that are UTF-8, not empty and do not start with `-`, parsed by
//!   the same functions clap's value parsers use;
//! - of the environment variables those commands read, `TOKENCTL_PROFILE`,
//!   `TOKENCTL_CONFIG` and `TOKENCTL_STORE` (not empty); any other one set
//!   sends the call to clap.
//!
//! [`help`] answers a lone `--help` or `-h` by rendering it directly: clap's
//! parse would render the same help once more into the error it returns, and
//! the path to it builds the command tree three more times.
//!
//! tests/fast_path.rs runs both parsers over every short argument list of a
//! vocabulary and many environments and requires the same `Cli` whenever
//! this one accepts; it also pins [`GLOBAL_ENV`], [`TOKEN_ENV`] and
//! [`STATUS_ENV`] to clap's definitions.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum;

use crate::cli::{
    Cli, ColorArg, Command, ExecApiArg, GlobalArgs, KubeTokenArg, LockArgs, OutputArg, StatusArgs,
    StoreArg, TokenArgs, defaults,
};
use crate::config::{HumanDuration, KubeToken};
use crate::env::EnvVars;
use crate::kube::ExecApiVersion;

/// Every environment variable that sets a global option. The first three
/// are read here; with any of the others set, clap parses.
pub const GLOBAL_ENV: [&str; 11] = [
    EnvVars::TOKENCTL_PROFILE,
    EnvVars::TOKENCTL_CONFIG,
    EnvVars::TOKENCTL_STORE,
    EnvVars::TOKENCTL_OUTPUT,
    EnvVars::TOKENCTL_ENV_VAR,
    EnvVars::TOKENCTL_SHOW_REFRESH_TOKEN,
    EnvVars::TOKENCTL_CONNECT_TIMEOUT,
    EnvVars::TOKENCTL_TIMEOUT,
    EnvVars::TOKENCTL_KEYCHAIN_TIMEOUT,
    EnvVars::TOKENCTL_QUIET,
    EnvVars::TOKENCTL_COLOR,
];

/// The variables of `token`'s and `kubectl-credential`'s own options: with
/// any set, clap parses.
pub const TOKEN_ENV: [&str; 4] = [
    EnvVars::TOKENCTL_MIN_VALID,
    EnvVars::TOKENCTL_INTERACTIVE,
    EnvVars::TOKENCTL_KUBE_TOKEN,
    EnvVars::TOKENCTL_LOCK_TIMEOUT,
];

/// The variables of `status`'s own options: with any set, clap parses.
pub const STATUS_ENV: [&str; 1] = [EnvVars::TOKENCTL_CLAIMS];

#[derive(Clone, Copy, PartialEq)]
enum Sub {
    Token,
    KubectlCredential,
    Status,
}

/// A lone `--help` or `-h`: the root's help, printed as clap's path would
/// print it (`cli::parse_from` sends such a call to `render_help` with no
/// subcommand path); the exit code then. Anything else: `None`.
pub fn help() -> Option<i32> {
    let mut args = std::env::args_os().skip(1);
    let long = match (args.next()?.to_str()?, args.next()) {
        ("--help", None) => true,
        ("-h", None) => false,
        _ => return None,
    };
    Some(super::print_help(&[], long, super::env_color()))
}

/// The process's command line, when it is one this module reads.
pub fn parse() -> Option<Cli> {
    let args: Vec<OsString> = std::env::args_os().collect();
    parse_from(&args, |name| std::env::var_os(name))
}

/// `args` includes the program name, as `std::env::args_os` gives it.
pub fn parse_from(args: &[OsString], env: impl Fn(&str) -> Option<OsString>) -> Option<Cli> {
    let mut profile = None;
    let mut config = None;
    let mut store = None;
    let mut output = None;
    let mut min_valid = None;
    let mut lock_timeout = None;
    let mut api_version = None;
    let mut kube_token = None;
    let mut interactive = false;
    let mut all = false;
    let mut claims = false;
    let mut command: Option<Sub> = None;

    let mut rest = args.get(1..)?.iter();
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        if !arg.starts_with('-') {
            if command.is_some() {
                return None;
            }
            command = Some(match arg {
                "token" => Sub::Token,
                "kubectl-credential" => Sub::KubectlCredential,
                "status" => Sub::Status,
                _ => return None,
            });
            continue;
        }
        let token = matches!(command, Some(Sub::Token | Sub::KubectlCredential));
        let flag = match arg {
            "--interactive" if token => Some(&mut interactive),
            "--all" if command == Some(Sub::Status) => Some(&mut all),
            "--claims" if command == Some(Sub::Status) => Some(&mut claims),
            _ => None,
        };
        if let Some(flag) = flag {
            if *flag {
                return None;
            }
            *flag = true;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (arg, None),
        };
        let slot = match name {
            "--profile" | "-p" => &mut profile,
            "--config" => &mut config,
            "--store" => &mut store,
            "--output" | "-o" => &mut output,
            "--min-valid" if token => &mut min_valid,
            "--lock-timeout" if token => &mut lock_timeout,
            "--api-version" if token => &mut api_version,
            "--kube-token" if token => &mut kube_token,
            _ => return None,
        };
        let value = match inline {
            Some(value) => value,
            None => rest.next()?.to_str()?,
        };
        if slot.is_some() || !plain(value) {
            return None;
        }
        *slot = Some(value);
    }
    let command = command?;

    let from_env = |name: &str| -> Option<Option<String>> {
        match env(name) {
            None => Some(None),
            Some(v) => v.into_string().ok().filter(|v| !v.is_empty()).map(Some),
        }
    };
    let env_profile = from_env(EnvVars::TOKENCTL_PROFILE)?;
    let env_config = from_env(EnvVars::TOKENCTL_CONFIG)?;
    let env_store = from_env(EnvVars::TOKENCTL_STORE)?;
    let own: &[&str] = match command {
        Sub::Status => &STATUS_ENV,
        Sub::Token | Sub::KubectlCredential => &TOKEN_ENV,
    };
    if GLOBAL_ENV[3..]
        .iter()
        .chain(own)
        .any(|name| env(name).is_some())
    {
        return None;
    }

    // clap checks the variable's value even when the option is given.
    let env_store = match env_store {
        Some(s) => Some(StoreArg::from_str(&s, false).ok()?),
        None => None,
    };
    let store = match store {
        Some(s) => Some(StoreArg::from_str(s, false).ok()?),
        None => env_store,
    }
    .map(Into::into);
    let output = match output {
        Some(s) => Some(OutputArg::from_str(s, false).ok()?.into()),
        None => None,
    };
    let api_version =
        match ExecApiArg::from_str(api_version.unwrap_or(defaults::API_VERSION), false).ok()? {
            ExecApiArg::V1 => ExecApiVersion::V1,
            ExecApiArg::V1beta1 => ExecApiVersion::V1beta1,
        };
    let kube_token = match kube_token {
        Some(s) => Some(match KubeTokenArg::from_str(s, false).ok()? {
            KubeTokenArg::Access => KubeToken::Access,
            KubeTokenArg::Id => KubeToken::Id,
        }),
        None => None,
    };
    let min_valid = match min_valid {
        Some(s) => Some(duration(s)?),
        None => None,
    };
    let global = GlobalArgs {
        profile: profile
            .map(str::to_string)
            .or(env_profile)
            .unwrap_or_else(|| defaults::PROFILE.to_string()),
        config: config.map(PathBuf::from).or(env_config.map(PathBuf::from)),
        store,
        output,
        env_var: defaults::ENV_VAR.to_string(),
        show_refresh_token: false,
        verbose: 0,
        connect_timeout: None,
        timeout: None,
        keychain_timeout: duration(defaults::KEYCHAIN_TIMEOUT)?,
        quiet: false,
        color: ColorArg::from_str(defaults::COLOR, false).ok()?.into(),
    };
    let args = || -> Option<TokenArgs> {
        Some(TokenArgs {
            min_valid,
            interactive,
            api_version,
            kube_token,
            lock: LockArgs {
                lock_timeout: duration(lock_timeout.unwrap_or(defaults::LOCK_TIMEOUT))?,
            },
        })
    };
    let command = match command {
        Sub::Token => Command::Token(args()?),
        Sub::KubectlCredential => Command::KubectlCredential(args()?),
        Sub::Status => Command::Status(StatusArgs { all, claims }),
    };
    Some(Cli { global, command })
}

/// A value this parser takes as clap would: not empty, not flag-like.
fn plain(value: &str) -> bool {
    !value.is_empty() && !value.starts_with('-')
}

/// The same function clap's duration options use.
fn duration(s: &str) -> Option<Duration> {
    HumanDuration::parse(s).ok().map(|d| d.0)
}
