//! Hermetic test environment: a temp HOME with XDG dirs, the real tokenctl
//! binary, and (when asked) a private D-Bus session with an unlocked
//! gnome-keyring, so keychain tests use a real Secret Service. On Windows
//! (under Wine, scripts/cross.sh) the same layout comes through `%APPDATA%`
//! and `%LOCALAPPDATA%`, and the keychain is the Credential Manager.
#![allow(dead_code)]

pub mod clock;
pub mod proxy;

#[cfg(unix)]
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

#[allow(unused_imports)]
pub use tokenctl_fake_server::{FakeServer, Fault};

#[cfg(unix)]
pub mod executable;
pub mod fixtures;
#[cfg(unix)]
pub mod static_server;
// A pseudo-terminal (util-linux `script`): Unix only.
#[cfg(unix)]
pub mod pty;

/// Which store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Keychain,
    File,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::Keychain => "keychain",
            Store::File => "file",
        }
    }
}

pub struct Env {
    pub home: TempDir,
    pub store: Store,
    pub keyring: Option<Keyring>,
    /// A clock the test moves (`Env::with_moved_clock`), which every
    /// command run here reads.
    pub clock: Option<clock::TestClock>,
}

impl Env {
    pub fn new(store: Store) -> Self {
        let home = tempfile::Builder::new()
            .prefix("tokenctl-test-")
            .tempdir()
            .unwrap();
        for d in ["config", "state", "data", "runtime"] {
            let p = home.path().join(d);
            std::fs::create_dir_all(&p).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700)).unwrap();
            }
        }
        let keyring = (store == Store::Keychain).then(|| Keyring::start(home.path()));
        Self {
            home,
            store,
            keyring,
            clock: None,
        }
    }

    /// The same, on a clock the test moves (`env.clock()`).
    pub fn with_moved_clock(store: Store) -> Self {
        let mut env = Env::new(store);
        env.clock = Some(clock::TestClock::at(env.path("clock")));
        env
    }

    /// This test's moved clock.
    pub fn clock(&self) -> &clock::TestClock {
        self.clock
            .as_ref()
            .expect("an Env made with Env::with_moved_clock")
    }

    /// `rel` is `/`-separated; joined part by part, so Windows paths come
    /// out as tokenctl prints them (`\` throughout).
    pub fn path(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .fold(self.home.path().to_path_buf(), |p, part| p.join(part))
    }

    pub fn config_path(&self) -> PathBuf {
        self.path("config/tokenctl/config.toml")
    }

    pub fn token_file(&self, profile: &str) -> PathBuf {
        self.path(&format!("state/tokenctl/tokens/{profile}.json"))
    }

    /// The D-Bus address of this test's private session, if it has one.
    pub fn dbus_address(&self) -> Option<&str> {
        self.keyring.as_ref().map(|k| k.address.as_str())
    }

    /// tokenctl with a clean environment: only this test's HOME, XDG dirs,
    /// store choice and (for keychain tests) private D-Bus session.
    pub fn cmd(&self) -> Command {
        self.program(tokenctl_bin())
    }

    /// Any program (kubectl, say) with the same hermetic environment.
    pub fn program(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear();
        for name in KEPT_VARS {
            if let Some(v) = std::env::var_os(name) {
                cmd.env(name, v);
            }
        }
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            // Windows: the same layout as XDG's below.
            .env("APPDATA", self.path("config"))
            .env("LOCALAPPDATA", self.path("state"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_RUNTIME_DIR", self.path("runtime"))
            .env("TOKENCTL_STORE", self.store.name())
            .timeout(Duration::from_secs(60));
        if let Some(clock) = &self.clock {
            cmd.env("TOKENCTL_TEST_CLOCK", clock.file());
        }
        match &self.keyring {
            _ if cfg!(windows) => {}
            Some(k) => {
                cmd.env("DBUS_SESSION_BUS_ADDRESS", &k.address);
            }
            None => {
                // File-store tests must not touch any session bus.
                cmd.env(
                    "DBUS_SESSION_BUS_ADDRESS",
                    "unix:path=/nonexistent/tokenctl-test-bus",
                );
            }
        }
        cmd
    }

    /// Runs `tokenctl args...` with `stdin`, returning (code, stdout, stderr).
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        Output::of(self.cmd().args(args).write_stdin(stdin))
    }

    /// The same, as a std Command for processes the test spawns and waits for itself.
    pub fn std_cmd(&self, args: &[&str]) -> StdCommand {
        let cmd = self.cmd();
        let mut std = StdCommand::new(tokenctl_bin());
        std.env_clear();
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                std.env(k, v);
            }
        }
        std.args(args);
        std
    }

    /// Runs and asserts success.
    pub fn ok(&self, args: &[&str], stdin: &str) -> Output {
        let out = self.run(args, stdin);
        assert_eq!(out.code, 0, "tokenctl {args:?} failed:\n{out}");
        out
    }

    /// Runs and asserts the exit code.
    pub fn fails(&self, args: &[&str], stdin: &str, code: i32) -> Output {
        let out = self.run(args, stdin);
        assert_eq!(
            out.code, code,
            "tokenctl {args:?}: expected exit {code}:\n{out}"
        );
        out
    }

    /// `tokenctl login` at `server` as the fake server's default user, the
    /// password on stdin.
    pub fn login(&self, server: &str) -> Output {
        fixtures::Login::runai(server).ok(self)
    }

    /// Rewrites the file store's record of `profile` in place (kept 0600),
    /// as a hand edit or another tool would.
    pub fn edit_record(&self, profile: &str, edit: impl FnOnce(&mut serde_json::Value)) {
        let path = self.token_file(profile);
        let mut record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&mut record);
        let tmp = path.with_extension("edit");
        std::fs::write(&tmp, record.to_string()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        std::fs::rename(&tmp, &path).unwrap();
    }

    /// The raw stored record for a profile, whichever store it is in.
    pub fn stored_record(&self, profile: &str, server: &str, principal: &str) -> Option<String> {
        match self.store {
            Store::File => std::fs::read_to_string(self.token_file(profile)).ok(),
            #[cfg(windows)]
            Store::Keychain => credential_manager::get(&format!("{profile}|{server}|{principal}")),
            #[cfg(not(windows))]
            Store::Keychain => {
                let k = self.keyring.as_ref().unwrap();
                let account = format!("{profile}|{server}|{principal}");
                let out = StdCommand::new("secret-tool")
                    .args(["lookup", "service", "tokenctl", "username", &account])
                    .env("DBUS_SESSION_BUS_ADDRESS", &k.address)
                    .output()
                    .expect("secret-tool (libsecret-tools) is installed");
                let text = String::from_utf8(out.stdout).unwrap();
                (out.status.success() && !text.is_empty()).then_some(text)
            }
        }
    }
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn of(cmd: &mut Command) -> Self {
        Self::from(cmd.output().unwrap())
    }
}

impl From<std::process::Output> for Output {
    fn from(out: std::process::Output) -> Self {
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A private D-Bus session bus with gnome-keyring's Secret Service,
/// unlocked, with its keyrings under the test's HOME. On Windows there is
/// nothing to start: the Credential Manager is the Wine prefix's, shared by
/// every test (their entries' names hold their fake server's port).
pub struct Keyring {
    pub address: String,
    #[cfg(unix)]
    bus: Child,
    #[cfg(unix)]
    keyring: Child,
}

fn need(tool: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "keychain tests need `{tool}` (Debian package {package}); install it or run ./scripts/test.sh, which does"
    );
}

impl Keyring {
    #[cfg(windows)]
    pub fn start(_home: &Path) -> Self {
        Self {
            address: String::new(),
        }
    }

    #[cfg(unix)]
    pub fn start(home: &Path) -> Self {
        need("dbus-daemon", "dbus-daemon");
        need("gnome-keyring-daemon", "gnome-keyring");
        need("dbus-send", "dbus-bin");
        // The socket lives in the test's own directory, not as a
        // `dbus-*` file in the shared temp dir.
        let socket = home.join("bus");
        let mut bus = StdCommand::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        assert!(!address.is_empty(), "dbus-daemon printed no address");

        let mut keyring = StdCommand::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        {
            // --unlock reads the keyring password from stdin until EOF.
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"test-keyring-password").unwrap();
        }
        let k = Self {
            address,
            bus,
            keyring,
        };
        k.wait_for_secret_service();
        k
    }

    #[cfg(unix)]
    fn wait_for_secret_service(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = StdCommand::new("dbus-send")
                .args([
                    "--session",
                    "--dest=org.freedesktop.DBus",
                    "--type=method_call",
                    "--print-reply",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("run dbus-send");
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "gnome-keyring did not claim org.freedesktop.secrets within 20s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// SIGTERM, so the daemon cleans up after itself; SIGKILL only if it has
/// not gone within 5 s.
pub fn terminate(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    #[cfg(unix)]
    // SAFETY: kill(2) on our own child's pid, which `wait` has not reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    // Windows has no SIGTERM: TerminateProcess at once.
    #[cfg(not(unix))]
    let _ = child.kill();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(unix)]
impl Keyring {
    /// The bus's socket file.
    pub fn socket(&self) -> PathBuf {
        PathBuf::from(
            self.address
                .trim_start_matches("unix:path=")
                .split(',')
                .next()
                .unwrap(),
        )
    }

    /// Stops both daemons; true when each ended on SIGTERM by itself.
    pub fn stop(&mut self) -> bool {
        terminate(&mut self.keyring);
        terminate(&mut self.bus);
        use std::os::unix::process::ExitStatusExt;
        [&mut self.keyring, &mut self.bus].into_iter().all(|c| {
            c.try_wait()
                .ok()
                .flatten()
                .is_some_and(|s| s.signal() != Some(libc::SIGKILL))
        })
    }
}

#[cfg(unix)]
impl Drop for Keyring {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Both stores, for tests that must hold for each.
pub const STORES: [Store; 2] = [Store::File, Store::Keychain];

/// Defines `<name>_file` and `<name>_keychain` tests from `fn(Store)`.
#[macro_export]
macro_rules! both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn file() {
                    super::$name($crate::common::Store::File);
                }
                #[test]
                #[cfg_attr(
                    not(windows),
                    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
                )]
                fn keychain() {
                    super::$name($crate::common::Store::Keychain);
                }
            }
        )*
    };
}

/// A stand-in browser for `$BROWSER`: curl opens tokenctl's start URL
/// (keeping its cookie), fetches the login page it redirects to, submits
/// the form and follows the redirect to tokenctl's listener. It writes what
/// it saw beside itself (browser.url, .idp, .location, .page). Knobs:
/// TEST_BROWSER_MODE (login, deny, none, forge-state, forge-nocookie),
/// TEST_BROWSER_PASSWORD, and TEST_BROWSER_ARGV_LOG, a file to which it
/// appends its own argv.
pub const BROWSER_SCRIPT: &str = r#"#!/bin/sh
set -u
dir=$(dirname "$0")
[ -n "${TEST_BROWSER_ARGV_LOG:-}" ] && printf '%s\n' "$0 $*" >> "$TEST_BROWSER_ARGV_LOG"
mode=${TEST_BROWSER_MODE:-login}
url=$1
printf '%s\n' "$url" > "$dir/browser.url"
[ "$mode" = none ] && exit 0
jar="$dir/browser.cookies"
idp=$(curl -sS --max-time 20 -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$url") || exit 1
# Given the provider's URL itself (a remote-browser login), no redirect.
[ -n "$idp" ] || idp=$url
printf '%s\n' "$idp" > "$dir/browser.idp"
page=$(curl -sS --max-time 20 "$idp") || exit 1
action=$(printf '%s\n' "$page" | sed -n 's/.*<form[^>]*action="\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g')
[ -n "$action" ] || { printf '%s\n' "$page" > "$dir/browser.noform"; exit 1; }
origin=$(printf '%s' "$idp" | sed 's#^\(https*://[^/]*\).*#\1#')
case "$mode" in
  deny) data="action=deny" ;;
  *) data="username=alice&password=${TEST_BROWSER_PASSWORD:-wonderland}&action=login" ;;
esac
location=$(curl -sS --max-time 20 -o /dev/null -w '%{redirect_url}' --data "$data" "$origin$action") || exit 1
printf '%s\n' "$location" > "$dir/browser.location"
case "$mode" in
  forge-state)
    forged=$(printf '%s' "$location" | sed 's/state=[^&]*/state=forged/')
    curl -sS --max-time 20 -b "$jar" "$forged" > "$dir/browser.forged" ;;
  forge-nocookie)
    # Another local user who knows the state, on their own connection.
    forged=$(printf '%s' "$location" | sed 's/code=[^&]*/code=attackers-code/')
    curl -sS --max-time 20 "$forged" > "$dir/browser.forged" ;;
esac
curl -sS --max-time 60 -b "$jar" "$location" > "$dir/browser.page.tmp"
mv "$dir/browser.page.tmp" "$dir/browser.page"
"#;

/// Decodes a JWT-shaped token's payload.
pub fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A real kubectl binary found on this machine.
#[derive(Debug, Clone)]
pub struct Kubectl {
    pub path: PathBuf,
    /// Client (major, minor), from `kubectl version --client`.
    pub version: (u32, u32),
}

impl Kubectl {
    /// ExecCredential `client.authentication.k8s.io/v1` came with 1.22;
    /// older ones (Debian's kubernetes-client 1.20) speak only v1beta1.
    pub fn speaks_v1(&self) -> bool {
        self.version >= (1, 22)
    }

    /// Whether `kubectl config set-credentials` works. Debian's
    /// kubernetes-client 1.20 (built with a newer Go) crashes in it, so
    /// `tokenctl kubeconfig --write` cannot work through it.
    pub fn writes_users(&self) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("kubeconfig");
        std::fs::write(&config, "apiVersion: v1\nkind: Config\n").unwrap();
        StdCommand::new(&self.path)
            .args(["config", "set-credentials", "probe", "--token=x"])
            .env("KUBECONFIG", &config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    pub fn label(&self) -> String {
        format!(
            "kubectl {}.{} ({})",
            self.version.0,
            self.version.1,
            self.path.display()
        )
    }
}

/// Where the gcloud SDK keeps its versioned kubectl binaries.
pub const GCLOUD_KUBECTL_DIR: &str = "/usr/lib/google-cloud-sdk/bin";

/// Every distinct kubectl version on this machine, oldest first:
/// `TOKENCTL_TEST_KUBECTL` (paths separated by `:`) when set, else the gcloud
/// SDK's `kubectl.1.*` and `kubectl` on PATH. Panics when there is none, so
/// no kubectl test passes without running kubectl.
pub fn kubectls() -> Vec<Kubectl> {
    static FOUND: std::sync::OnceLock<Vec<Kubectl>> = std::sync::OnceLock::new();
    FOUND.get_or_init(find_kubectls).clone()
}

fn find_kubectls() -> Vec<Kubectl> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(list) = std::env::var_os("TOKENCTL_TEST_KUBECTL") {
        candidates.extend(std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()));
    } else {
        // Linux binaries (Wine would show them at the same path).
        if cfg!(unix)
            && let Ok(dir) = std::fs::read_dir(GCLOUD_KUBECTL_DIR)
        {
            let mut versioned: Vec<PathBuf> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("kubectl.1."))
                })
                .collect();
            versioned.sort();
            candidates.extend(versioned);
        }
        if let Some(path) = std::env::var_os("PATH") {
            let name = format!("kubectl{}", std::env::consts::EXE_SUFFIX);
            candidates.extend(
                std::env::split_paths(&path)
                    .map(|d| d.join(&name))
                    .filter(|p| p.is_file()),
            );
        }
    }
    let mut found: Vec<Kubectl> = Vec::new();
    for path in candidates {
        let version = kubectl_version(&path)
            .unwrap_or_else(|why| panic!("{} is not a usable kubectl: {why}", path.display()));
        if !found.iter().any(|k| k.version == version) {
            found.push(Kubectl { path, version });
        }
    }
    found.sort_by_key(|k| k.version);
    assert!(
        !found.is_empty(),
        "no kubectl found: these tests run a real kubectl. Put one on PATH, set TOKENCTL_TEST_KUBECTL=/path/to/kubectl, or run ./scripts/test.sh (installs Debian's kubernetes-client)"
    );
    found
}

fn kubectl_version(path: &Path) -> Result<(u32, u32), String> {
    let out = StdCommand::new(path)
        .args(["version", "--client", "-o", "json"])
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .output()
        .map_err(|e| e.to_string())?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("`version --client -o json`: {e}"))?;
    let part = |key: &str| -> Result<u32, String> {
        let text = json["clientVersion"][key].as_str().unwrap_or_default();
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        digits
            .parse()
            .map_err(|_| format!("clientVersion.{key} is `{text}`"))
    };
    Ok((part("major")?, part("minor")?))
}

/// Wires `tokenctl kubeconfig [extra...]` into the kubeconfig at `path`:
/// `--write` through `kubectl` where it can write users, else the printed
/// entry appended by hand (docs/kubectl.md's way for such a kubectl), with
/// `v1beta1` when the kubectl predates v1. `path` must have no `users:` or
/// `contexts:` yet in the second case.
pub fn wire_kubeconfig(env: &Env, path: &Path, kubectl: &Kubectl, extra: &[&str]) {
    let mut cmd = env.cmd();
    cmd.env("KUBECONFIG", path).arg("kubeconfig").args(extra);
    if kubectl.writes_users() {
        cmd.args(["--write", "--kubectl", kubectl.path.to_str().unwrap()]);
        let out = Output::of(&mut cmd);
        assert_eq!(out.code, 0, "{out}");
        assert_eq!(out.stdout, "", "kubectl's chatter goes to stderr");
    } else {
        if !kubectl.speaks_v1() && !extra.contains(&"--api-version") {
            cmd.args(["--api-version", "v1beta1"]);
        }
        let out = Output::of(&mut cmd);
        assert_eq!(out.code, 0, "{out}");
        let base = std::fs::read_to_string(path).unwrap_or_default();
        std::fs::write(path, format!("{base}{}", out.stdout)).unwrap();
    }
}

/// Any one kubectl, the newest, for tests that need just one.
pub fn newest_kubectl() -> Kubectl {
    kubectls().pop().expect("kubectls() is never empty")
}

/// The built tokenctl (`tokenctl.exe` on Windows).
pub fn tokenctl_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("tokenctl")
}

/// The stand-in program (examples/stand_in.rs) the tests run where a user
/// would run theirs, the same on Unix and Windows. On Unix cargo builds it
/// now (nothing to do when it is fresh), so `cargo test --test NAME` finds
/// it too; on Windows, where the tests run without cargo (under Wine), the
/// `cargo test` that built them built it beside them.
pub fn stand_in() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        if cfg!(windows) {
            let exe = std::env::current_exe().unwrap();
            let path = exe
                .parent()
                .and_then(Path::parent)
                .expect("target/<triple>/debug/deps/<test>")
                .join("examples/stand_in.exe");
            assert!(
                path.is_file(),
                "{} is missing: `cargo test` builds it with the tests, `cargo test --test NAME` does not",
                path.display()
            );
            return path;
        }
        let mut cargo = StdCommand::new(env!("CARGO"));
        cargo
            .args(["build", "--example", "stand_in", "--message-format=json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::inherit());
        // What cargo sets for a test, not for a build: left in, the build
        // would take it for changed inputs.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_EXE_"]
                .iter()
                .any(|p| name.starts_with(p))
                || ["CARGO_CRATE_NAME", "CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR"]
                    .contains(&name.as_ref())
                || name == "OUT_DIR"
            {
                cargo.env_remove(name.as_ref());
            }
        }
        let out = cargo.output().expect("cargo runs");
        assert!(out.status.success(), "cargo build --example stand_in failed");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|m| m["target"]["name"] == "stand_in")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the stand-in's executable")
    })
    .clone()
}

/// What a Windows process cannot start without (Winsock needs `SystemRoot`)
/// and, under Wine, what keeps a child in the test's Wine prefix; kept by
/// [`Env::program`]'s otherwise empty environment. None of these exist on Unix.
const KEPT_VARS: &[&str] = if cfg!(windows) {
    &[
        "SystemRoot",
        "SystemDrive",
        "windir",
        "ComSpec",
        "PATHEXT",
        "TEMP",
        "TMP",
        "USERPROFILE",
        "WINEPREFIX",
        "WINEDEBUG",
        "WINEDLLOVERRIDES",
        "WINELOADER",
        "WINESERVER",
    ]
} else {
    &[]
};

/// The Windows Credential Manager, read as tokenctl writes it: generic
/// credentials named by keyring's Windows store (service `tokenctl`).
#[cfg(windows)]
pub mod credential_manager {
    use std::sync::OnceLock;

    fn init() {
        static STORE: OnceLock<()> = OnceLock::new();
        STORE.get_or_init(|| {
            let store = windows_native_keyring_store::Store::new()
                .expect("the Windows Credential Manager is reachable");
            keyring_core::set_default_store(store);
        });
    }

    /// The secret stored for `account`, if any.
    pub fn get(account: &str) -> Option<String> {
        init();
        keyring_core::Entry::new("tokenctl", account)
            .ok()?
            .get_password()
            .ok()
    }
}
