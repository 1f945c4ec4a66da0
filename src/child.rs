//! Child processes (the browser opener, kubectl) inherit tokenctl's
//! environment; the variables that carry tokenctl's secrets must not go
//! with it: a browser keeps its environment for its whole lifetime, and a
//! child's environment is readable wherever its argv is not.

use crate::env::EnvVars;
use std::ffi::OsStr;
use std::process::Command;

/// Every environment variable tokenctl reads a secret from, plus the token
/// its `-o env` output exports by default.
pub const SECRET_VARS: &[&str] = &[
    EnvVars::TOKENCTL_PASSWORD,
    EnvVars::TOKENCTL_CLIENT_SECRET,
    EnvVars::TOKENCTL_REFRESH_TOKEN,
    EnvVars::TOKENCTL_CODE,
    EnvVars::TOKENCTL_EXTERNAL_TOKEN,
    EnvVars::TOKENCTL_TOKEN,
];

/// `Command::new(program)` without tokenctl's secret variables.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for var in SECRET_VARS {
        cmd.env_remove(var);
    }
    #[cfg(unix)]
    if let Some(limit) = crate::hygiene::original_core_limit() {
        use std::os::unix::process::CommandExt;
        // tokenctl turned its own core dumps off; the child gets the limit
        // the user had.
        // SAFETY: the closure runs between fork and exec, where only
        // async-signal-safe calls are allowed: setrlimit is one, and it
        // reads only a copy of a plain struct moved into the closure.
        unsafe {
            cmd.pre_exec(move || {
                libc::setrlimit(libc::RLIMIT_CORE, &limit);
                Ok(())
            });
        }
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_variables_are_removed() {
        let cmd = command("true");
        let removed: Vec<_> = cmd
            .get_envs()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        for var in SECRET_VARS {
            assert!(removed.iter().any(|r| r == var), "{var} not removed");
        }
    }

    /// Each variable tokenctl reads as a secret source is in the list.
    #[test]
    fn the_list_covers_every_secret_source() {
        let sources = [
            include_str!("commands/login.rs"),
            include_str!("commands/token.rs"),
            include_str!("commands/app_token.rs"),
            include_str!("commands/refresh.rs"),
            include_str!("commands/exchange_code.rs"),
            include_str!("commands/sso_login.rs"),
        ];
        let mut found = 0;
        for text in sources {
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("env: EnvVars::") {
                    let var = rest.trim_end_matches(',');
                    assert!(SECRET_VARS.contains(&var), "{var} is missing");
                    found += 1;
                }
            }
        }
        assert!(found >= 6, "the sources changed shape: found {found}");
    }
}
