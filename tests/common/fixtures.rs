//! The fixtures integration tests share: the fake server's users, the
//! `login` command lines that log them in, a fake whose first tokens are
//! about to expire, the stand-in browser on disk, the stored record.

#[cfg(unix)]
use std::path::PathBuf;

use tokenctl_fake_server::Config;

#[cfg(unix)]
use super::BROWSER_SCRIPT;
use super::{Env, FakeServer, Output};

/// The fake server's Run:ai user and password (its `Config::default()`).
pub const USER: &str = "alice";
pub const PASSWORD: &str = "wonderland";
/// The fake server's GBDS user and password.
pub const GBDS_USER: &str = "operator";
pub const GBDS_PASSWORD: &str = "gbds-pass";

/// A `tokenctl login` command line and what it gets on stdin:
/// `[global flags] login --server S [-u U --password-stdin] [more args]`.
#[derive(Debug, Clone)]
pub struct Login<'a> {
    global: Vec<&'a str>,
    args: Vec<&'a str>,
    stdin: &'a str,
}

impl<'a> Login<'a> {
    /// `login --server S -u alice --password-stdin`, the password on stdin.
    pub fn runai(server: &'a str) -> Self {
        Login {
            global: Vec::new(),
            args: vec!["--server", server, "-u", USER, "--password-stdin"],
            stdin: PASSWORD,
        }
    }

    /// `login --api gbds --server S -u operator --password-stdin`, the GBDS
    /// password on stdin.
    pub fn gbds(server: &'a str) -> Self {
        Login {
            global: Vec::new(),
            args: vec![
                "--api",
                "gbds",
                "--server",
                server,
                "-u",
                GBDS_USER,
                "--password-stdin",
            ],
            stdin: GBDS_PASSWORD,
        }
    }

    /// `login --server S --external-token-from SOURCE` (a CI identity
    /// token), nothing on stdin.
    pub fn external(server: &'a str, source: &'a str) -> Self {
        Login {
            global: Vec::new(),
            args: vec!["--server", server, "--external-token-from", source],
            stdin: "",
        }
    }

    /// Global flags, before `login` (`-v`, `--profile P`, ...).
    pub fn global(mut self, flags: &[&'a str]) -> Self {
        self.global.extend_from_slice(flags);
        self
    }

    /// More `login` arguments, after the others.
    pub fn args(mut self, more: &[&'a str]) -> Self {
        self.args.extend_from_slice(more);
        self
    }

    /// What stdin gets instead of the user's password.
    pub fn stdin(mut self, text: &'a str) -> Self {
        self.stdin = text;
        self
    }

    /// The whole argument list.
    pub fn argv(&self) -> Vec<&'a str> {
        let mut all = self.global.clone();
        all.push("login");
        all.extend_from_slice(&self.args);
        all
    }

    /// Runs it in `env`.
    pub fn run(&self, env: &Env) -> Output {
        env.run(&self.argv(), self.stdin)
    }

    /// Runs it and asserts success.
    pub fn ok(&self, env: &Env) -> Output {
        env.ok(&self.argv(), self.stdin)
    }

    /// Runs it and asserts the exit code.
    pub fn fails(&self, env: &Env, code: i32) -> Output {
        env.fails(&self.argv(), self.stdin, code)
    }
}

/// A fake whose first tokens have 30 s of an hour left, so the next
/// `token` renews them.
pub fn expiring() -> FakeServer {
    FakeServer::start_with(Config {
        access_token_lifetime_secs: 30,
        issued_secs_ago: 3570,
        ..Config::default()
    })
}

/// The file store's record of the default profile.
pub fn record(env: &Env) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(env.token_file("default")).unwrap()).unwrap()
}

/// The curl stand-in browser (`BROWSER_SCRIPT`) written, executable, to
/// `env`'s browser directory, where it leaves what it saw.
#[cfg(unix)]
pub fn browser_script(env: &Env) -> PathBuf {
    let dir = env.path("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("browser.sh");
    super::executable::write_executable(&script, BROWSER_SCRIPT);
    script
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
