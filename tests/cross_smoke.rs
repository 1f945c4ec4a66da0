//! The command-line smoke suite every build of tokenctl must pass on the
//! machine it is for: a file-store login against the fake server over
//! loopback, the token from the store, `exec-credential` and
//! `kubectl-credential` output, a renewal, and a logout that clears it all.
//!
//! By default it runs the binary cargo built. scripts/cross.sh points it at
//! another build, for another machine:
//! - `TOKENCTL_TEST_BIN`: the binary to run;
//! - `TOKENCTL_TEST_RUNNER`: words put in front of it (`qemu-aarch64 -L
//!   /usr/aarch64-linux-gnu`);
//! - `TOKENCTL_TEST_CHROOT=1`: each run is `chroot ROOT /tokenctl`, ROOT a
//!   fresh directory holding the binary and nothing else (no /dev, /etc,
//!   /proc, /tmp): what a static build must survive. Needs root.
//!
//! The fake server runs in this test process, on the host's loopback, which
//! a chroot and qemu share.

mod common;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::fixtures::{PASSWORD, USER, expiring};
use common::{FakeServer, Output};
use serde_json::Value;

/// Where and how tokenctl runs: its HOME as tokenctl sees it and as this
/// test sees it (they differ in a chroot).
struct Machine {
    _dir: tempfile::TempDir,
    program: Vec<OsString>,
    /// HOME as the test reads it.
    home: PathBuf,
    /// HOME as tokenctl is told it.
    home_inside: PathBuf,
}

impl Machine {
    fn new() -> Self {
        let bin = std::env::var_os("TOKENCTL_TEST_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(common::tokenctl_bin);
        let runner: Vec<OsString> = std::env::var("TOKENCTL_TEST_RUNNER")
            .unwrap_or_default()
            .split_whitespace()
            .map(OsString::from)
            .collect();
        let dir = tempfile::Builder::new()
            .prefix("tokenctl-smoke-")
            .tempdir()
            .unwrap();
        if std::env::var_os("TOKENCTL_TEST_CHROOT").is_some_and(|v| v == "1") {
            let root = dir.path().join("root");
            std::fs::create_dir(&root).unwrap();
            #[cfg(unix)]
            common::executable::copy_executable(&bin, &root.join("tokenctl"));
            #[cfg(not(unix))]
            std::fs::copy(&bin, root.join("tokenctl")).unwrap();
            let home = root.join("home");
            std::fs::create_dir(&home).unwrap();
            let mut program = vec![OsString::from("chroot"), root.into_os_string()];
            program.extend(runner);
            program.push("/tokenctl".into());
            Machine {
                _dir: dir,
                program,
                home,
                home_inside: PathBuf::from("/home"),
            }
        } else {
            let home = dir.path().join("home");
            std::fs::create_dir(&home).unwrap();
            let mut program = runner;
            program.push(bin.into_os_string());
            Machine {
                _dir: dir,
                program,
                home_inside: home.clone(),
                home,
            }
        }
    }

    /// `tokenctl args...` with `stdin`, in an environment holding nothing
    /// but this machine's HOME and the file store.
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut cmd = Command::new(&self.program[0]);
        cmd.args(&self.program[1..]).args(args).env_clear();
        for name in [
            "PATH",
            "SystemRoot",
            "TEMP",
            "TMP",
            "WINEPREFIX",
            "WINEDEBUG",
        ] {
            if let Some(v) = std::env::var_os(name) {
                cmd.env(name, v);
            }
        }
        let inside = |rel: &str| self.home_inside.join(rel);
        cmd.env("HOME", &self.home_inside)
            .env("XDG_CONFIG_HOME", inside("config"))
            .env("XDG_STATE_HOME", inside("state"))
            .env("APPDATA", inside("config"))
            .env("LOCALAPPDATA", inside("state"))
            .env("TOKENCTL_STORE", "file")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", self.program));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        Output::from(child.wait_with_output().unwrap())
    }

    fn ok(&self, args: &[&str], stdin: &str) -> Output {
        let out = self.run(args, stdin);
        assert_eq!(out.code, 0, "tokenctl {args:?} failed:\n{out}");
        out
    }

    fn token_file(&self) -> PathBuf {
        self.home.join("state/tokenctl/tokens/default.json")
    }

    fn login(&self, fake: &FakeServer) -> Output {
        self.ok(
            &[
                "login",
                "--server",
                &fake.url(),
                "-u",
                USER,
                "--password-stdin",
            ],
            PASSWORD,
        )
    }
}

fn exec_credential(out: &Output) -> Value {
    assert_eq!(out.stdout.lines().count(), 1, "one JSON line:\n{out}");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}:\n{out}"))
}

fn exists(path: &Path) -> bool {
    path.try_exists().unwrap()
}

#[test]
fn login_token_renewal_and_logout() {
    let m = Machine::new();
    let version = m.ok(&["--version"], "");
    assert!(version.stdout.starts_with("tokenctl "), "{version}");

    let fake = expiring();
    m.login(&fake);
    assert_eq!(fake.count("grant:password"), 1);
    assert!(exists(&m.token_file()), "the file store holds the login");

    // The first token has 30 s left: `token` renews it, once, for an hour.
    fake.set_access_token_lifetime(3600);
    let renewed = m.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&renewed), "{renewed}");
    assert_eq!(fake.count("grant:refresh_token"), 1, "renewed once");

    // Now it is fresh: served from what is stored, no request.
    fake.reset_counts();
    let cached = m.ok(&["token"], "").stdout.trim().to_string();
    assert_eq!(cached, renewed);
    let cred = exec_credential(&m.ok(&["token", "-o", "exec-credential"], ""));
    assert_eq!(cred["kind"], "ExecCredential");
    assert_eq!(cred["status"]["token"], renewed.as_str());
    assert!(cred["status"]["expirationTimestamp"].is_string(), "{cred}");
    let kube = exec_credential(&m.ok(&["kubectl-credential"], ""));
    assert_eq!(kube["kind"], "ExecCredential");
    assert_eq!(kube["status"]["token"], renewed.as_str());
    assert!(
        fake.counts().is_empty(),
        "a fresh token costs no request: {:?}",
        fake.counts()
    );

    let out = m.ok(&["logout"], "");
    assert!(out.stderr.contains("removed the tokens"), "{out}");
    assert!(!exists(&m.token_file()), "logout removed the token file");
    let out = m.run(&["token"], "");
    assert_eq!(out.code, 3, "not logged in after logout:\n{out}");
    assert_eq!(out.stdout, "");
}

#[test]
fn a_rejected_password_is_exit_3_and_stores_nothing() {
    let m = Machine::new();
    let fake = FakeServer::start();
    let out = m.run(
        &[
            "login",
            "--server",
            &fake.url(),
            "-u",
            USER,
            "--password-stdin",
        ],
        "not-the-password",
    );
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(out.stdout, "");
    assert!(!exists(&m.token_file()));
}

/// Windows: the same round trip through the real Credential Manager (Wine's,
/// in scripts/cross.sh), read back beside tokenctl.
#[cfg(windows)]
#[test]
fn credential_manager_round_trip() {
    use common::{Env, Store, fixtures::Login};
    let env = Env::new(Store::Keychain);
    let fake = expiring();
    let url = fake.url();
    Login::runai(&url).ok(&env);
    // The main entry: the record, or the manifest of its chunks when it
    // is over the Credential Manager's 2560 bytes.
    let stored = env
        .stored_record("default", &url, USER)
        .expect("login stored the record in the Credential Manager");
    assert!(!env.token_file("default").exists(), "no file store");

    fake.set_access_token_lifetime(3600);
    let renewed = env.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&renewed));
    assert_eq!(fake.count("grant:refresh_token"), 1, "renewed once");
    let now_stored = env.stored_record("default", &url, USER).unwrap();
    assert_ne!(now_stored, stored, "the renewal was written back");
    fake.reset_counts();
    let kube = exec_credential(&env.ok(&["kubectl-credential"], ""));
    assert_eq!(kube["status"]["token"], renewed.as_str());
    assert!(fake.counts().is_empty(), "{:?}", fake.counts());

    env.ok(&["logout"], "");
    assert_eq!(
        env.stored_record("default", &url, USER),
        None,
        "logout removed the credential"
    );
    assert_eq!(env.run(&["token"], "").code, 3);
}
