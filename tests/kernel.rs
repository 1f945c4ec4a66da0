//! The kernel keyring store (`--store kernel`, and what `auto` picks with
//! no Secret Service), against real kernel keyrings. tokenctl runs as a
//! non-root user made for the test, so the real per-user quota applies
//! (root's is 25 MB); `keyctl` (Debian's keyutils) looks at what it stored.
#![cfg(target_os = "linux")]

mod common;

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use common::{Env, FakeServer, Output, Store};

/// A local user of its own per test (the quota and the persistent keyring
/// are per user), held exclusively while the test runs: another run of the
/// suite waits for it rather than sharing its keyring.
struct User {
    uid: u32,
    gid: u32,
    _lock: File,
}

fn id_of(name: &str, flag: &str) -> Option<u32> {
    let out = Command::new("id").args([flag, name]).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .flatten()
}

/// useradd is not safe to run twice at once in one process; across runs it
/// takes its own lock and says "exists" (9) to the loser.
static USERADD: Mutex<()> = Mutex::new(());

impl User {
    fn get(name: &str) -> Self {
        {
            let _one = USERADD.lock().unwrap_or_else(|e| e.into_inner());
            for attempt in 0.. {
                if id_of(name, "-u").is_some() {
                    break;
                }
                let status = Command::new("useradd")
                    .args(["--system", "--no-create-home", "--shell", "/bin/sh", name])
                    .status()
                    .expect("useradd (Debian package passwd) is installed");
                // 9: it exists (a parallel run made it); 1/10: /etc/passwd busy.
                if status.success() || status.code() == Some(9) || attempt > 50 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        let uid = id_of(name, "-u").expect("the test user exists");
        let gid = id_of(name, "-g").expect("the test user has a group");
        let lock = File::create(format!("/tmp/tokenctl-kernel-test-{name}.lock")).unwrap();
        assert_eq!(
            // SAFETY: flock on an open descriptor; blocks until ours.
            unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&lock), libc::LOCK_EX,) },
            0
        );
        let user = Self {
            uid,
            gid,
            _lock: lock,
        };
        // A clean slate: what an earlier run left in this user's keyring goes.
        let out = user.keyctl("keyctl clear \"$P\"");
        assert_eq!(out.code, 0, "clearing the persistent keyring: {out}");
        user.settle();
        user
    }

    /// `script` in a shell as this user, in a fresh anonymous session
    /// keyring with the user's persistent keyring linked into it as `$P`.
    fn keyctl(&self, script: &str) -> Output {
        let mut cmd = Command::new("keyctl");
        cmd.args([
            "session",
            "-",
            "sh",
            "-c",
            &format!("P=$(keyctl get_persistent @s) || exit 99\n{script}"),
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir("/")
        .uid(self.uid)
        .gid(self.gid);
        Output::from(
            cmd.output()
                .expect("keyctl (Debian package keyutils) is installed"),
        )
    }

    /// A session keyring of this user's own, held by a process of theirs
    /// until dropped, that other processes of theirs join by name, which
    /// allocates nothing (what pam_keyinit gives a login). With
    /// `persistent`, the persistent keyring is linked into it, for
    /// [`User::keyctl_in`].
    fn session(&self, name: &str, persistent: bool) -> Session {
        use std::io::{BufRead, BufReader};
        let link = if persistent {
            "keyctl get_persistent @s >/dev/null || exit 98\n"
        } else {
            ""
        };
        // Possessor all; the user view, read and search (to join by name).
        let script = format!("keyctl setperm @s 0x3f0b0000 || exit 97\n{link}echo ready\nexec cat");
        let mut holder = Command::new("keyctl")
            .args(["session", name, "sh", "-c", &script])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir("/")
            .uid(self.uid)
            .gid(self.gid)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the session keyring {name} is held");
        Session {
            name: name.to_string(),
            holder,
        }
    }

    /// [`User::keyctl`] in `session` (made with `persistent`), joined by
    /// name: it works with the quota full, and frees nothing when it ends.
    fn keyctl_in(&self, session: &Session, script: &str) -> Output {
        let mut cmd = Command::new("keyctl");
        cmd.args([
            "session",
            &session.name,
            "sh",
            "-c",
            &format!("P=$(keyctl get_persistent @s) || exit 99\n{script}"),
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir("/")
        .uid(self.uid)
        .gid(self.gid);
        let out = Output::from(cmd.output().unwrap());
        // keyctl says which keyring it joined.
        Output {
            stderr: out
                .stderr
                .lines()
                .filter(|l| !l.starts_with("Joined session keyring"))
                .collect::<Vec<_>>()
                .join("\n"),
            ..out
        }
    }

    /// Fills the byte quota to the last byte with a key of `session`'s.
    fn fill_quota(&self, session: &Session) {
        let desc = "tokenctl-test-filler";
        self.settle();
        let (_, _, used, max) = self.quota();
        let mut size = max - used - (desc.len() as u64 + 1);
        let out = self.keyctl_in(
            session,
            &format!(
                "head -c {size} /dev/zero | tr '\\0' x | keyctl padd user {desc} \"$P\" >/dev/null"
            ),
        );
        assert_eq!(out.code, 0, "filling the quota: {out}");
        // Keys of processes that ended may be collected only after the
        // use was measured: the filler grows until every byte stays used.
        for _ in 0..20 {
            self.settle();
            let (_, _, used, max) = self.quota();
            if used == max {
                return;
            }
            if used < max {
                size += max - used;
                let out = self.keyctl_in(
                    session,
                    &format!(
                        "head -c {size} /dev/zero | tr '\\0' x | keyctl pupdate \"$(keyctl search \"$P\" user {desc})\""
                    ),
                );
                assert_eq!(out.code, 0, "growing the filler: {out}");
            }
        }
        panic!("the quota never stayed full: {:?}", self.quota());
    }

    /// This user's "keys used/max bytes used/max" from /proc/key-users.
    fn quota(&self) -> (u64, u64, u64, u64) {
        let text = std::fs::read_to_string("/proc/key-users").unwrap();
        for line in text.lines() {
            let Some((who, rest)) = line.split_once(':') else {
                continue;
            };
            if who.trim().parse::<u32>().ok() != Some(self.uid) {
                continue;
            }
            let f: Vec<&str> = rest.split_whitespace().collect();
            let pair = |s: &str| {
                let (a, b) = s.split_once('/').unwrap();
                (a.parse().unwrap(), b.parse().unwrap())
            };
            let (k, mk) = pair(f[2]);
            let (b, mb) = pair(f[3]);
            return (k, mk, b, mb);
        }
        let num = |p: &str| std::fs::read_to_string(p).unwrap().trim().parse().unwrap();
        (
            0,
            num("/proc/sys/kernel/keys/maxkeys"),
            0,
            num("/proc/sys/kernel/keys/maxbytes"),
        )
    }

    /// Keys of ended processes are freed by the kernel's garbage
    /// collector a moment later; wait until the quota stops moving.
    fn settle(&self) {
        let mut last = self.quota();
        let mut same = 0;
        for _ in 0..50 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let now = self.quota();
            same = if now == last { same + 1 } else { 0 };
            // Unchanged for 300 ms: a loaded machine collects later.
            if same == 3 {
                return;
            }
            last = now;
        }
    }
}

/// A held session keyring ([`User::session`]).
struct Session {
    name: String,
    holder: std::process::Child,
}

impl Drop for Session {
    fn drop(&mut self) {
        // cat ends with its stdin; the keyring goes with its last holder.
        drop(self.holder.stdin.take());
        let _ = self.holder.wait();
    }
}

/// A test HOME that belongs to `user`, and tokenctl running as them, with
/// no D-Bus session at all and no `--store`: the default.
struct Headless {
    env: Env,
    user: User,
    bin: PathBuf,
}

/// The built tokenctl, or where the test user can run it: a checkout under
/// a directory only root may enter is copied out once per build.
fn runnable_by(user: &User) -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("tokenctl");
    let runs = Command::new(&bin)
        .arg("--version")
        .current_dir("/")
        .uid(user.uid)
        .gid(user.gid)
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        return bin;
    }
    let meta = std::fs::metadata(&bin).unwrap();
    let stamp = meta
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = PathBuf::from(format!(
        "/tmp/tokenctl-kernel-test-bin/{}-{stamp}",
        meta.len()
    ));
    let copy = dir.join("tokenctl");
    static COPYING: Mutex<()> = Mutex::new(());
    let _one = COPYING.lock().unwrap_or_else(|e| e.into_inner());
    if !copy.exists() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(&dir).unwrap();
        for d in [dir.parent().unwrap(), &dir] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let tmp = dir.join(format!(".tokenctl.{}", std::process::id()));
        common::executable::copy_executable(&bin, &tmp);
        std::fs::rename(&tmp, &copy).unwrap();
    }
    copy
}

impl Headless {
    fn new(user: &str) -> Self {
        let env = Env::new(Store::File);
        let user = User::get(user);
        let status = Command::new("chown")
            .args(["-R", &format!("{}:{}", user.uid, user.gid)])
            .arg(env.home.path())
            .status()
            .unwrap();
        assert!(status.success());
        let bin = runnable_by(&user);
        Self { env, user, bin }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.env_clear().args(args);
        for (k, v) in self.env.std_cmd(&[]).get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.env_remove("TOKENCTL_STORE")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .current_dir(self.env.home.path())
            .uid(self.user.uid)
            .gid(self.user.gid);
        cmd
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.run_cmd(self.cmd(args), stdin)
    }

    /// tokenctl in the user's session keyring `session` (joined before
    /// exec), not the test's, whose owner (root) would pay for its links.
    fn run_in(&self, session: &Session, args: &[&str], stdin: &str) -> Output {
        let name = std::ffi::CString::new(session.name.as_str()).unwrap();
        let mut cmd = self.cmd(args);
        // SAFETY: one keyctl syscall on a string made before the fork; it
        // runs after the switch to the user's uid.
        unsafe {
            cmd.pre_exec(move || {
                let joined = libc::syscall(libc::SYS_keyctl, 1 as libc::c_long, name.as_ptr());
                if joined < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        self.run_cmd(cmd, stdin)
    }

    fn run_cmd(&self, mut cmd: Command, stdin: &str) -> Output {
        use std::io::Write;
        let mut child = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
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

    fn fails(&self, args: &[&str], stdin: &str, code: i32) -> Output {
        let out = self.run(args, stdin);
        assert_eq!(
            out.code, code,
            "tokenctl {args:?}: expected exit {code}:\n{out}"
        );
        out
    }

    fn login(&self, fake: &FakeServer, extra: &[&str]) -> Output {
        let url = fake.url();
        let mut args = vec!["login", "--server", &url, "-u", "alice", "--password-stdin"];
        args.extend_from_slice(extra);
        self.ok(&args, "wonderland")
    }

    /// The key's payload as `keyctl print` shows it to its owner.
    fn stored(&self, profile: &str, server: &str) -> Output {
        self.user.keyctl(&format!(
            "keyctl print \"$(keyctl search \"$P\" user 'tokenctl:{profile}|{server}|alice')\""
        ))
    }

    fn tokens_dir_is_empty(&self) -> bool {
        let dir = self.env.path("state/tokenctl/tokens");
        std::fs::read_dir(&dir).map_or(true, |mut d| d.next().is_none())
    }

    fn config(&self) -> String {
        std::fs::read_to_string(self.env.config_path()).unwrap_or_default()
    }
}

#[test]
fn with_no_dbus_the_default_store_is_the_kernel_keyring() {
    let h = Headless::new("tokenctl-kt1");
    let fake = FakeServer::start();
    let out = h.login(&fake, &[]);
    assert!(out.stderr.contains("kernel"), "{out}");
    assert!(
        h.config().contains("store = \"kernel\""),
        "the profile keeps the store it logged in with:\n{}",
        h.config()
    );
    assert!(h.tokens_dir_is_empty(), "nothing on disk");

    // The key is in the user's persistent keyring, possessor-only.
    let stored = h.stored("default", &fake.url());
    assert_eq!(stored.code, 0, "{stored}");
    let record: serde_json::Value = serde_json::from_str(stored.stdout.trim()).unwrap();
    let access = record["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(fake.is_valid_access_token(&access));
    let described = h.user.keyctl(&format!(
        "keyctl rdescribe \"$(keyctl search \"$P\" user 'tokenctl:default|{}|alice')\"",
        fake.url()
    ));
    assert_eq!(described.code, 0, "{described}");
    assert!(
        described.stdout.starts_with(&format!(
            "user;{};{};2f010000;tokenctl:default|",
            h.user.uid, h.user.gid
        )),
        "possessor: view read write search setattr; owner: view; nobody else: {described}"
    );

    let token = h.ok(&["token"], "").stdout.trim().to_string();
    assert_eq!(token, access, "served from the kernel keyring");
    let status = h.ok(&["status"], "");
    assert!(status.stdout.contains("store:    kernel"), "{status}");

    h.ok(&["refresh"], "");
    assert_eq!(fake.count("grant:refresh_token"), 1);
    let renewed = h.ok(&["token"], "").stdout.trim().to_string();
    assert_ne!(renewed, access, "the refreshed token was stored");
    assert!(fake.is_valid_access_token(&renewed));
    assert!(h.tokens_dir_is_empty(), "nothing on disk after refresh");

    // doctor says the store is usable and how much of the quota is used.
    let doctor = h.run(&["doctor"], "");
    assert!(
        doctor.stdout.contains("kernel keyring") && doctor.stdout.contains("usable"),
        "{doctor}"
    );
    assert!(doctor.stdout.contains("bytes free"), "{doctor}");

    let out = h.ok(&["logout"], "");
    assert!(out.stderr.contains("kernel keyring"), "{out}");
    assert_ne!(h.stored("default", &fake.url()).code, 0, "the key is gone");
    let out = h.fails(&["token"], "", 3);
    assert!(out.stderr.contains("not logged in"), "{out}");
    assert!(
        !out.stderr.contains("cleared"),
        "a logout is not a reboot: {out}"
    );
}

#[test]
fn logout_all_removes_every_kernel_profile() {
    let h = Headless::new("tokenctl-kt2");
    let fake = FakeServer::start();
    h.login(&fake, &[]);
    h.login(&fake, &["--profile", "second"]);
    assert_eq!(h.stored("second", &fake.url()).code, 0);
    h.ok(&["logout", "--all"], "");
    assert_ne!(h.stored("default", &fake.url()).code, 0);
    assert_ne!(h.stored("second", &fake.url()).code, 0);
    let listed = h.user.keyctl("keyctl rlist \"$P\"");
    assert!(listed.stdout.trim().is_empty(), "nothing left: {listed}");
}

#[test]
fn another_local_user_cannot_read_or_list_the_key() {
    let h = Headless::new("tokenctl-kt3");
    let fake = FakeServer::start();
    h.login(&fake, &[]);
    let serial = h.user.keyctl(&format!(
        "keyctl search \"$P\" user 'tokenctl:default|{}|alice'",
        fake.url()
    ));
    assert_eq!(serial.code, 0, "{serial}");
    let serial = serial.stdout.trim().to_string();
    let stored = h.stored("default", &fake.url());
    let access = serde_json::from_str::<serde_json::Value>(stored.stdout.trim()).unwrap()["tokens"]
        ["access_token"]
        .as_str()
        .unwrap()
        .to_string();

    let other = User::get("tokenctl-kt3b");
    for op in ["print", "pipe", "rdescribe"] {
        let out = other.keyctl(&format!("keyctl {op} {serial}"));
        assert_ne!(out.code, 0, "keyctl {op} as another user must fail: {out}");
        assert!(!out.stdout.contains(&access), "{out}");
    }
    let proc_keys = other.keyctl("cat /proc/keys");
    assert_eq!(proc_keys.code, 0, "{proc_keys}");
    assert!(
        !proc_keys.stdout.contains("tokenctl:") && !proc_keys.stdout.contains("tokenctl."),
        "/proc/keys shows another user nothing of ours (key or keyring): {proc_keys}"
    );
    let hex = format!("{:08x}", serial.parse::<i64>().unwrap());
    assert!(!proc_keys.stdout.contains(&hex), "{proc_keys}");
}

#[test]
fn exec_children_inherit_no_handle_to_the_keyring() {
    let h = Headless::new("tokenctl-kt4");
    let fake = FakeServer::start();
    h.login(&fake, &[]);
    let desc = format!("tokenctl:default|{}|alice", fake.url());
    // The child searches the keyrings it was given (thread, process,
    // session), without asking for the persistent keyring itself.
    let probe = format!(
        "for r in @t @p @s; do keyctl search $r user '{desc}' && echo FOUND-IN-$r; done; echo probed"
    );
    let out = h.ok(&["exec", "--", "sh", "-c", &probe], "");
    assert!(out.stdout.contains("probed"), "{out}");
    assert!(!out.stdout.contains("FOUND-IN"), "{out}");
    // The same search from a process that does hold the persistent keyring
    // finds it, so the probe can fail.
    let found = h
        .user
        .keyctl(&format!("keyctl search @s user '{desc}' && echo FOUND"));
    assert!(found.stdout.contains("FOUND"), "{found}");
}

#[test]
fn a_full_quota_is_a_clear_error_and_the_previous_record_still_works() {
    let h = Headless::new("tokenctl-kt5");
    let fake = FakeServer::start();
    h.login(&fake, &[]);
    let before = h.stored("default", &fake.url()).stdout;
    h.user.settle();
    // Fill the quota with a key of our own, leaving 100 bytes.
    let (_, _, used, max) = h.user.quota();
    let desc = "tokenctl-test-filler";
    let fill = max - used - 100 - (desc.len() as u64 + 1);
    let out = h.user.keyctl(&format!(
        "head -c {fill} /dev/zero | tr '\\0' x | keyctl padd user {desc} \"$P\" >/dev/null"
    ));
    assert_eq!(out.code, 0, "filling the quota: {out}");

    let url = fake.url();
    let out = h.fails(
        &[
            "--profile",
            "second",
            "login",
            "--server",
            &url,
            "-u",
            "alice",
            "--password-stdin",
        ],
        "wonderland",
        5,
    );
    assert!(out.stderr.contains("quota"), "{out}");
    assert!(out.stderr.contains(&format!("of {max} bytes")), "{out}");
    assert!(out.stderr.contains("logout"), "first way out: {out}");
    assert!(out.stderr.contains("--store file"), "second way out: {out}");
    assert!(out.stdout.is_empty(), "{out}");
    assert!(!h.config().contains("[profiles.second]"), "{}", h.config());
    assert!(h.tokens_dir_is_empty(), "no silent write to disk");

    // A relogin of the same profile that needs more room fails the same way,
    // and the record it would have replaced is intact.
    let out = h.user.keyctl(&format!(
        "keyctl unlink \"$(keyctl search \"$P\" user {desc})\" \"$P\" >/dev/null"
    ));
    assert_eq!(out.code, 0, "{out}");
    h.user.settle();
    let (_, _, used, max) = h.user.quota();
    let out = h.user.keyctl(&format!(
        "head -c {} /dev/zero | tr '\\0' x | keyctl padd user {desc} \"$P\" >/dev/null",
        // Room for the session keyring `keyctl session` itself makes.
        max - used - (desc.len() as u64 + 1) - 64
    ));
    assert_eq!(out.code, 0, "filling the quota again: {out}");
    // The same profile logged in at the same server under another name
    // (localhost for 127.0.0.1) is a new key: refused, the old one kept.
    let other_url = url.replace("127.0.0.1", "localhost");
    assert_ne!(other_url, url);
    let out = h.fails(
        &[
            "login",
            "--server",
            &other_url,
            "-u",
            "alice",
            "--password-stdin",
        ],
        "wonderland",
        5,
    );
    assert!(out.stderr.contains("quota"), "{out}");
    assert_eq!(h.stored("default", &fake.url()).stdout, before, "unchanged");
    let token = h.ok(&["token"], "").stdout.trim().to_string();
    assert!(
        fake.is_valid_access_token(&token),
        "the old record still works"
    );
}

#[test]
fn a_cleared_keyring_says_so_and_an_interactive_login_recovers() {
    let h = Headless::new("tokenctl-kt6");
    let fake = FakeServer::start();
    h.login(&fake, &[]);
    // What a reboot, or the persistent keyring's expiry, does.
    let out = h.user.keyctl("keyctl clear \"$P\"");
    assert_eq!(out.code, 0, "{out}");

    let out = h.fails(&["token"], "", 3);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {out}");
    assert!(
        lines[0].contains("kernel keyring cleared at reboot or expiry"),
        "{out}"
    );
    assert!(lines[0].contains("tokenctl login"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    let status = h.ok(&["status"], "");
    assert!(
        status
            .stdout
            .contains("not logged in (kernel keyring cleared at reboot or expiry)"),
        "{status}"
    );
    assert!(
        h.config().contains("[profiles.default]"),
        "the profile stays"
    );

    let (uid, gid) = (h.user.uid, h.user.gid);
    let bin = h.bin.clone();
    let mut term = common::pty::Pty::spawn_with(
        &h.env,
        Some(&bin),
        &["token", "--interactive"],
        &[],
        |cmd| {
            cmd.env_remove("TOKENCTL_STORE")
                .env_remove("DBUS_SESSION_BUS_ADDRESS")
                .current_dir(h.env.home.path())
                .uid(uid)
                .gid(gid);
        },
    );
    term.wait_for("Password for alice at", 20);
    term.type_line("wonderland");
    let out = term.finish();
    assert_eq!(out.code, 0, "{out}");
    assert!(!out.stdout.contains("wonderland"), "no echo: {out}");
    assert_eq!(fake.count("grant:password"), 2, "login, then re-login");
    let token = h.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&token));
    assert!(out.stdout.contains(&token), "printed: {out}");
    assert_eq!(
        h.stored("default", &fake.url()).code,
        0,
        "back in the keyring"
    );
}

/// With every byte of the user's quota in use (the battery of issue 24),
/// the stored record is still read, renewed and replaced by a re-login:
/// reaching the persistent keyring must not need room. tokenctl runs in a
/// session keyring of the user's, as after a real login.
#[test]
fn a_full_byte_quota_still_reads_refreshes_and_logs_in_again() {
    let h = Headless::new("tokenctl-ktq1");
    let fake = FakeServer::start();
    let login = h.user.session("tokenctl-ktq1-login", false);
    let look = h.user.session("tokenctl-ktq1-look", true);
    let url = fake.url();
    let relogin = ["login", "--server", &url, "-u", "alice", "--password-stdin"];
    let out = h.run_in(&login, &relogin, "wonderland");
    assert_eq!(out.code, 0, "{out}");
    let first = h.run_in(&login, &["token"], "").stdout;
    assert!(fake.is_valid_access_token(first.trim()));

    h.user.fill_quota(&look);
    let out = h.run_in(&login, &["token"], "");
    assert_eq!(out.code, 0, "token with the quota full:\n{out}");
    assert_eq!(out.stdout, first, "the stored token");

    let out = h.run_in(&login, &["refresh"], "");
    assert_eq!(out.code, 0, "refresh with the quota full:\n{out}");
    let renewed = h.run_in(&login, &["token"], "").stdout;
    assert_ne!(renewed, first, "the renewed token was stored");
    assert!(fake.is_valid_access_token(renewed.trim()));

    let out = h.run_in(&login, &relogin, "wonderland");
    assert_eq!(out.code, 0, "a re-login with the quota full:\n{out}");
    let again = h.run_in(&login, &["token"], "");
    assert_eq!(again.code, 0, "{again}");
    assert_ne!(again.stdout, renewed, "the new login's token was stored");
    assert!(fake.is_valid_access_token(again.stdout.trim()));
    assert_eq!(fake.count("grant:password"), 2);

    // In place: the quota is as full as before, no more.
    h.user.settle();
    let (_, _, used, max) = h.user.quota();
    assert_eq!(used, max);
    // The same, outside a session keyring of the user's own.
    assert_eq!(h.ok(&["token"], "").stdout, again.stdout);

    // Reaching the keyring without a link gives exec's command no handle
    // to it either.
    let desc = format!("tokenctl:default|{url}|alice");
    let probe = format!(
        "for r in @t @p @s; do keyctl search $r user '{desc}' && echo FOUND-IN-$r; done; echo probed"
    );
    let out = h.run_in(&login, &["exec", "--", "sh", "-c", &probe], "");
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("probed") && !out.stdout.contains("FOUND-IN"),
        "{out}"
    );
}

/// A record an older tokenctl kept straight in the persistent keyring:
/// with the quota full it can be reached only through a link, which is
/// said (exit 5, not "not logged in"); the next write with room moves it
/// into tokenctl's keyring, where a full quota no longer hides it.
#[test]
fn a_record_of_an_older_tokenctl_moves_into_its_keyring() {
    let h = Headless::new("tokenctl-ktq3");
    let fake = FakeServer::start();
    let login = h.user.session("tokenctl-ktq3-login", false);
    let look = h.user.session("tokenctl-ktq3-look", true);
    let url = fake.url();
    let out = h.run_in(
        &login,
        &["login", "--server", &url, "-u", "alice", "--password-stdin"],
        "wonderland",
    );
    assert_eq!(out.code, 0, "{out}");
    let desc = format!("tokenctl:default|{url}|alice");
    // The persistent keyring holds tokenctl's keyring alone; the record
    // moves out of it, to where an older tokenctl put it.
    let out = h.user.keyctl_in(
        &look,
        &format!(
            "T=$(keyctl rlist \"$P\") && keyctl rdescribe $T | grep -q '^keyring;.*;tokenctl\\.' && \
             K=$(keyctl search $T user '{desc}') && R=$(keyctl pipe $K) && \
             N=$(printf '%s' \"$R\" | keyctl padd user '{desc}' \"$P\") && \
             keyctl setperm $N 0x2f010000 && keyctl unlink $K $T"
        ),
    );
    assert_eq!(out.code, 0, "{out}");
    let in_ring = format!(
        "for k in $(keyctl rlist \"$P\"); do keyctl rdescribe $k | grep -q '^keyring;' && keyctl search $k user '{desc}' >/dev/null && echo IN-RING; done; echo listed"
    );
    assert!(!h.user.keyctl_in(&look, &in_ring).stdout.contains("IN-RING"));
    let token = h.run_in(&login, &["token"], "").stdout;
    assert!(fake.is_valid_access_token(token.trim()));

    h.user.fill_quota(&look);
    let out = h.run_in(&login, &["token"], "");
    assert_eq!(out.code, 5, "{out}");
    assert!(out.stderr.contains("not in tokenctl's keyring"), "{out}");
    assert!(out.stderr.contains("(maxbytes)"), "{out}");

    let out = h.user.keyctl_in(
        &look,
        "keyctl unlink \"$(keyctl search \"$P\" user tokenctl-test-filler)\" \"$P\" >/dev/null",
    );
    assert_eq!(out.code, 0, "{out}");
    // The filler's bytes come back once the collector has run.
    h.user.settle();
    let out = h.run_in(&login, &["refresh"], "");
    assert_eq!(out.code, 0, "{out}");
    let moved = h.user.keyctl_in(&look, &in_ring);
    assert!(moved.stdout.contains("IN-RING"), "moved: {moved}");

    h.user.fill_quota(&look);
    let out = h.run_in(&login, &["token"], "");
    assert_eq!(out.code, 0, "{out}");
    assert_ne!(out.stdout, token, "the renewed token");
    assert!(fake.is_valid_access_token(out.stdout.trim()));
}

/// A write the full quota has no room for says which limit and where to
/// see it, and changes nothing stored: a new profile, a renewal whose
/// record grew. A logout still works.
#[test]
fn a_write_the_full_quota_refuses_names_the_limit_and_changes_nothing() {
    let h = Headless::new("tokenctl-ktq2");
    let fake = FakeServer::start();
    let login = h.user.session("tokenctl-ktq2-login", false);
    let look = h.user.session("tokenctl-ktq2-look", true);
    let url = fake.url();
    let out = h.run_in(
        &login,
        &["login", "--server", &url, "-u", "alice", "--password-stdin"],
        "wonderland",
    );
    assert_eq!(out.code, 0, "{out}");
    let stored = h.user.keyctl_in(
        &look,
        &format!("keyctl print \"$(keyctl search \"$P\" user 'tokenctl:default|{url}|alice')\""),
    );
    assert_eq!(stored.code, 0, "{stored}");
    let token = h.run_in(&login, &["token"], "").stdout;
    h.user.fill_quota(&look);
    let (_, _, _, max) = h.user.quota();

    let out = h.run_in(
        &login,
        &[
            "--profile",
            "second",
            "login",
            "--server",
            &url,
            "-u",
            "alice",
            "--password-stdin",
        ],
        "wonderland",
    );
    assert_eq!(out.code, 5, "{out}");
    assert!(
        out.stderr
            .contains(&format!("of {max} bytes are in use (maxbytes)")),
        "which limit: {out}"
    );
    assert!(
        out.stderr.contains("/proc/key-users"),
        "where to see it: {out}"
    );
    assert!(out.stderr.contains("nothing stored"), "{out}");
    assert!(
        out.stderr.contains("logout") && out.stderr.contains("--store file"),
        "{out}"
    );
    assert!(!h.config().contains("[profiles.second]"), "{}", h.config());
    assert!(h.tokens_dir_is_empty(), "no silent write to disk");

    // A renewal whose record is 300 bytes longer: refused, the record kept.
    fake.set_fault(
        tokenctl_fake_server::Fault::RunaiToken(tokenctl_fake_server::faults::TokenAnswer {
            claims: Some(format!("{{\"pad\":\"{}\"}}", "p".repeat(300))),
            ..Default::default()
        }),
        Some(1),
    );
    let out = h.run_in(&login, &["refresh"], "");
    assert_eq!(out.code, 5, "{out}");
    assert!(
        out.stderr.contains("bytes more than the one it replaces")
            && out.stderr.contains("(maxbytes)"),
        "{out}"
    );
    let after = h.user.keyctl_in(
        &look,
        &format!("keyctl print \"$(keyctl search \"$P\" user 'tokenctl:default|{url}|alice')\""),
    );
    assert_eq!(
        after.stdout, stored.stdout,
        "the stored record is unchanged"
    );
    assert_eq!(h.run_in(&login, &["token"], "").stdout, token);

    // A logout needs no room either.
    let out = h.run_in(&login, &["logout"], "");
    assert_eq!(out.code, 0, "{out}");
    let out = h.run_in(&login, &["token"], "");
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("not logged in"), "{out}");
}

/// A seccomp filter that makes add_key, request_key and keyctl fail with
/// EPERM, as a container runtime's default profile does.
#[cfg(target_arch = "x86_64")]
fn deny_keyctl() -> std::io::Result<()> {
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    let ld = |k: u32| libc::sock_filter {
        code: (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16,
        jt: 0,
        jf: 0,
        k,
    };
    let jeq = |k: u32, jt: u8, jf: u8| libc::sock_filter {
        code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
        jt,
        jf,
        k,
    };
    let ret = |k: u32| libc::sock_filter {
        code: (libc::BPF_RET | libc::BPF_K) as u16,
        jt: 0,
        jf: 0,
        k,
    };
    let deny = libc::SECCOMP_RET_ERRNO | libc::EPERM as u32;
    let filter = [
        ld(4),                        // seccomp_data.arch
        jeq(AUDIT_ARCH_X86_64, 1, 0), //
        ret(libc::SECCOMP_RET_ALLOW), // another ABI: leave it alone
        ld(0),                        // seccomp_data.nr
        jeq(libc::SYS_add_key as u32, 3, 0),
        jeq(libc::SYS_request_key as u32, 2, 0),
        jeq(libc::SYS_keyctl as u32, 1, 0),
        ret(libc::SECCOMP_RET_ALLOW),
        ret(deny),
    ];
    let prog = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr() as *mut _,
    };
    // SAFETY: plain prctl calls in the child between fork and exec; `prog`
    // outlives them.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
            || libc::prctl(
                libc::PR_SET_SECCOMP,
                libc::SECCOMP_MODE_FILTER,
                &prog as *const libc::sock_fprog,
            ) != 0
        {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(target_arch = "x86_64")]
#[test]
fn keyctl_refused_is_a_clear_error_naming_the_file_store_and_writes_nothing() {
    let h = Headless::new("tokenctl-kt7");
    let fake = FakeServer::start();
    let url = fake.url();
    let mut cmd = h.cmd(&["login", "--server", &url, "-u", "alice", "--password-stdin"]);
    // SAFETY: deny_keyctl only calls prctl, which is async-signal-safe.
    unsafe { cmd.pre_exec(deny_keyctl) };
    let out = Output::from(cmd.stdin(std::process::Stdio::null()).output().unwrap());
    assert_eq!(out.code, 5, "{out}");
    assert!(
        out.stderr.contains("kernel keyring is unavailable"),
        "{out}"
    );
    assert!(out.stderr.contains("keyctl is refused"), "{out}");
    assert!(out.stderr.contains("--store file"), "{out}");
    assert_eq!(fake.count("grant:password"), 0, "no login it cannot keep");
    assert!(h.tokens_dir_is_empty(), "never a silent write to disk");
    assert!(h.config().is_empty(), "no profile either:\n{}", h.config());
    // Same sandbox, `--store file` asked for: works.
    let mut cmd = h.cmd(&[
        "login",
        "--store",
        "file",
        "--server",
        &url,
        "-u",
        "alice",
        "--password-stdin",
    ]);
    // SAFETY: as above: deny_keyctl only calls prctl, which is
    // async-signal-safe.
    unsafe { cmd.pre_exec(deny_keyctl) };
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"wonderland")
        .unwrap();
    let out = Output::from(child.wait_with_output().unwrap());
    assert_eq!(out.code, 0, "{out}");
    assert!(!h.tokens_dir_is_empty());
}

#[test]
fn auto_with_a_live_secret_service_picks_the_keychain() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    let url = fake.url();
    let out = Output::of(
        env.cmd()
            .env_remove("TOKENCTL_STORE")
            .args(["login", "--server", &url, "-u", "alice", "--password-stdin"])
            .write_stdin("wonderland"),
    );
    assert_eq!(out.code, 0, "{out}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("store = \"keychain\""), "{config}");
    assert!(
        env.stored_record("default", &url, "alice").is_some(),
        "in the Secret Service"
    );
    assert!(!env.token_file("default").exists());
    // The profile keeps its store: without D-Bus it says the keychain is
    // unavailable rather than looking elsewhere.
    let out = Output::of(
        env.cmd()
            .env_remove("TOKENCTL_STORE")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("XDG_RUNTIME_DIR")
            .args(["token"]),
    );
    assert_eq!(out.code, 5, "{out}");
    assert!(out.stderr.contains("keychain"), "{out}");
}
