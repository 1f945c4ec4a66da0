//! The hot path's command line without clap (issue 20).
//!
//! kubectl runs `tokenctl [--profile P] [--config F] kubectl-credential` (and
//! scripts `tokenctl token ...`) on every call; building clap's whole
//! command tree for that cost more than half of the process's instructions.
//! This reads exactly that small grammar into the same [`Cli`] value clap
//! would produce, and declines (`None`) anything else, so the caller falls
//! back to clap, which then parses, helps or reports the usage error:
//!
//! - the subcommand `token` or `kubectl-credential`, once;
//! - anywhere: `--profile`/`-p`, `--config`, `--store`, `--output`/`-o`, each
//!   at most once, the value as the next argument or after `=`;
//! - after the subcommand: `--min-valid`, `--lock-timeout`, `--api-version`,
//!   `--kube-token` (the same way) and `--interactive`;
//! - values that are UTF-8, not empty and do not start with `-`, parsed by
//!   the same functions clap's value parsers use;
//! - of the environment variables those commands read, `TOKENCTL_PROFILE`,
//!   `TOKENCTL_CONFIG` and `TOKENCTL_STORE` (not empty); any other one set
//!   sends the call to clap.
//!
//! tests/fast_path.rs runs both parsers over every short argument list of a
//! vocabulary and many environments and requires the same `Cli` whenever
//! this one accepts; it also pins [`ENV_VARS`] to clap's definitions.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum;

use crate::cli::{
    Cli, ColorArg, Command, ExecApiArg, GlobalArgs, KubeTokenArg, LockArgs, OutputArg, StoreArg,
    TokenArgs,
};
use crate::config::{HumanDuration, KubeToken};
use crate::kube::ExecApiVersion;

/// Every environment variable that sets an option of `token` or
/// `kubectl-credential` (globals included). The first three are read here;
/// with any of the others set, clap parses.
pub const ENV_VARS: [&str; 15] = [
    "TOKENCTL_PROFILE",
    "TOKENCTL_CONFIG",
    "TOKENCTL_STORE",
    "TOKENCTL_OUTPUT",
    "TOKENCTL_ENV_VAR",
    "TOKENCTL_SHOW_REFRESH_TOKEN",
    "TOKENCTL_CONNECT_TIMEOUT",
    "TOKENCTL_TIMEOUT",
    "TOKENCTL_KEYCHAIN_TIMEOUT",
    "TOKENCTL_QUIET",
    "TOKENCTL_COLOR",
    "TOKENCTL_MIN_VALID",
    "TOKENCTL_INTERACTIVE",
    "TOKENCTL_KUBE_TOKEN",
    "TOKENCTL_LOCK_TIMEOUT",
];

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
    let mut command: Option<bool> = None; // Some(true): kubectl-credential

    let mut rest = args.get(1..)?.iter();
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        if !arg.starts_with('-') {
            if command.is_some() {
                return None;
            }
            command = Some(match arg {
                "token" => false,
                "kubectl-credential" => true,
                _ => return None,
            });
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (arg, None),
        };
        if name == "--interactive" {
            if inline.is_some() || command.is_none() || interactive {
                return None;
            }
            interactive = true;
            continue;
        }
        let slot = match name {
            "--profile" | "-p" => &mut profile,
            "--config" => &mut config,
            "--store" => &mut store,
            "--output" | "-o" => &mut output,
            "--min-valid" if command.is_some() => &mut min_valid,
            "--lock-timeout" if command.is_some() => &mut lock_timeout,
            "--api-version" if command.is_some() => &mut api_version,
            "--kube-token" if command.is_some() => &mut kube_token,
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
    let kubectl = command?;

    let from_env = |name: &str| -> Option<Option<String>> {
        match env(name) {
            None => Some(None),
            Some(v) => v.into_string().ok().filter(|v| !v.is_empty()).map(Some),
        }
    };
    let env_profile = from_env(ENV_VARS[0])?;
    let env_config = from_env(ENV_VARS[1])?;
    let env_store = from_env(ENV_VARS[2])?;
    for name in &ENV_VARS[3..] {
        if env(name).is_some() {
            return None;
        }
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
    let api_version = match ExecApiArg::from_str(api_version.unwrap_or("v1"), false).ok()? {
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
            .unwrap_or_else(|| "default".to_string()),
        config: config.map(PathBuf::from).or(env_config.map(PathBuf::from)),
        store,
        output,
        env_var: "TOKENCTL_TOKEN".to_string(),
        show_refresh_token: false,
        verbose: 0,
        connect_timeout: None,
        timeout: None,
        keychain_timeout: duration("5s")?,
        quiet: false,
        color: ColorArg::Auto.into(),
    };
    let args = TokenArgs {
        min_valid,
        interactive,
        api_version,
        kube_token,
        lock: LockArgs {
            lock_timeout: duration(lock_timeout.unwrap_or("30s"))?,
        },
    };
    Some(Cli {
        global,
        command: if kubectl {
            Command::KubectlCredential(args)
        } else {
            Command::Token(args)
        },
    })
}

/// A value this parser takes as clap would: not empty, not flag-like.
fn plain(value: &str) -> bool {
    !value.is_empty() && !value.starts_with('-')
}

/// The same function clap's duration options use.
fn duration(s: &str) -> Option<Duration> {
    HumanDuration::parse(s).ok().map(|d| d.0)
}
