//! The token repository's promises, each a reproduction from the review that
//! lost data on the previous design: re-pointed profiles, overlapping
//! logins, logout racing a renewal, hostile runtime directories, symlinked
//! configs and a keychain that never answers.

use crate::common;

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::fixtures::{Login, PASSWORD, expiring};
use common::{Env, FakeServer, Fault, Output, Store};

/// `tokenctl --profile P login` as alice, password on stdin.
fn login_args<'a>(profile: &'a str, server: &'a str) -> Vec<&'a str> {
    Login::runai(server).global(&["--profile", profile]).argv()
}

fn login_to(env: &Env, profile: &str, server: &str) -> Output {
    env.run(&login_args(profile, server), PASSWORD)
}

fn repointing_keeps_the_new_token(store: Store) {
    let env = Env::new(store);
    let fake = FakeServer::start();
    let first = fake.url();
    // The same server spelled another way is another store key.
    let second = first.replace("127.0.0.1", "localhost");
    assert_ne!(first, second);
    assert_eq!(login_to(&env, "default", &first).code, 0);
    let out = login_to(&env, "default", &second);
    assert_eq!(out.code, 0, "{out}");
    let token = env.ok(&["token"], "");
    assert!(
        fake.is_valid_access_token(token.stdout.trim()),
        "the new login's token is there: {token}"
    );
    let status = env.ok(&["status", "-o", "json"], "").stdout;
    assert!(status.contains("localhost"), "{status}");
    if store == Store::Keychain {
        // The old entry lived under another account: it is gone.
        assert!(env.stored_record("default", &first, "alice").is_none());
        assert!(env.stored_record("default", &second, "alice").is_some());
    }
}

#[test]
fn repointing_keeps_the_new_token_file_store() {
    repointing_keeps_the_new_token(Store::File);
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn repointing_keeps_the_new_token_keychain() {
    repointing_keeps_the_new_token(Store::Keychain);
}

#[test]
fn overlapping_logins_keep_every_profile() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // Every login waits 2 s for the server, so all six load the config
    // before any of them writes it.
    fake.set_fault(Fault::Slow(Duration::from_secs(2)), None);
    let children: Vec<_> = (0..6)
        .map(|i| {
            let (name, url) = (format!("p{i}"), fake.url());
            let mut cmd = env.std_cmd(&login_args(&name, &url));
            cmd.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = cmd.spawn().unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"wonderland")
                .unwrap();
            child
        })
        .collect();
    for child in children {
        let out = Output::from(child.wait_with_output().unwrap());
        assert_eq!(out.code, 0, "{out}");
    }
    fake.clear_fault();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    for i in 0..6 {
        assert!(config.contains(&format!("[profiles.p{i}]")), "{config}");
        env.ok(&["--profile", &format!("p{i}"), "token"], "");
    }
}

fn logout_during_renewal_is_not_undone(store: Store) {
    let env = Env::new(store);
    let fake = expiring();
    env.login(&fake.url());
    fake.set_access_token_lifetime(3600);
    fake.set_fault(Fault::Slow(Duration::from_secs(2)), Some(1));
    let renewing = env
        .std_cmd(&["token"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Let it take the lock and send its refresh.
    let started = Instant::now();
    while fake.count("grant:refresh_token") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no refresh sent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = env.ok(&["logout"], "");
    assert!(out.stderr.contains("removed the tokens"), "{out}");
    let renewed = Output::from(renewing.wait_with_output().unwrap());
    assert_eq!(renewed.code, 0, "the renewal itself finished: {renewed}");
    // Logout waited for it, then removed what it wrote.
    env.fails(&["token"], "", 3);
    assert!(!env.token_file("default").exists());
    assert!(
        !env.path("runtime/tokenctl/cache/default.json").exists(),
        "no cached token survives logout"
    );
    if store == Store::Keychain {
        assert!(env.stored_record("default", &fake.url(), "alice").is_none());
    }
}

#[test]
fn logout_during_renewal_is_not_undone_file_store() {
    logout_during_renewal_is_not_undone(Store::File);
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn logout_during_renewal_is_not_undone_keychain() {
    logout_during_renewal_is_not_undone(Store::Keychain);
}

#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn a_world_writable_runtime_dir_is_not_used() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    let runtime = env.path("runtime");
    chmod(&runtime, 0o1777);
    env.login(&fake.url());
    let out = env.ok(&["-v", "token"], "");
    assert!(fake.is_valid_access_token(out.stdout.trim()));
    assert!(
        out.stderr.contains("lets other users write to it"),
        "-v says why: {out}"
    );
    assert!(
        !runtime.join("tokenctl").exists(),
        "nothing (cache, locks) is created in a shared directory"
    );
    assert!(env.path("state/tokenctl/locks/default.lock").is_file());
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs root (gives a directory to another user)"
)]
fn a_runtime_dir_of_another_user_is_not_used() {
    // After `su`, XDG_RUNTIME_DIR still names the first user's directory.
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let runtime = env.path("runtime");
    let chown = std::process::Command::new("chown")
        .args(["65534", runtime.to_str().unwrap()])
        .status()
        .unwrap();
    if !chown.success() {
        panic!("this test changes a directory's owner: run the suite as root (as CI does)");
    }
    env.login(&fake.url());
    env.ok(&["refresh"], "");
    env.ok(&["token"], "");
    assert!(!runtime.join("tokenctl").exists());
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn a_planted_symlink_for_the_cache_is_refused() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    // Another user's trap: tokenctl/cache -> a directory of the victim's.
    let victim = env.path("victim");
    std::fs::create_dir(&victim).unwrap();
    chmod(&victim, 0o755);
    std::fs::write(victim.join("default.json"), "precious").unwrap();
    let ours = env.path("runtime/tokenctl");
    std::fs::create_dir(&ours).unwrap();
    std::os::unix::fs::symlink(&victim, ours.join("cache")).unwrap();
    env.login(&fake.url());
    let out = env.ok(&["-v", "token"], "");
    assert!(out.stderr.contains("symbolic link"), "{out}");
    assert_eq!(
        std::fs::metadata(&victim).unwrap().permissions().mode() & 0o777,
        0o755,
        "the victim's directory keeps its mode"
    );
    assert_eq!(
        std::fs::read_to_string(victim.join("default.json")).unwrap(),
        "precious"
    );
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn a_fifo_as_the_cache_file_does_not_hang() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let cache = env.path("runtime/tokenctl/cache/default.json");
    std::fs::remove_file(&cache).unwrap();
    let c = std::ffi::CString::new(cache.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let started = Instant::now();
    let out = env.ok(&["token"], "");
    assert!(fake.is_valid_access_token(out.stdout.trim()));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[cfg(unix)]
#[test]
fn a_planted_lock_symlink_is_refused_not_followed() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let locks = env.path("runtime/tokenctl/locks");
    let victim = env.path("victim-file");
    std::fs::write(&victim, "keep").unwrap();
    let lock = locks.join("default.lock");
    let _ = std::fs::remove_file(&lock);
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let out = env.fails(&["refresh"], "", 5);
    assert!(out.stderr.contains("default.lock"), "{out}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_is_written_through() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let dotfiles = env.path("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("tokenctl.toml");
    std::fs::write(&target, "# mine\n").unwrap();
    let config = env.config_path();
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, &config).unwrap();
    assert_eq!(login_to(&env, "work", &fake.url()).code, 0);
    assert!(
        std::fs::symlink_metadata(&config)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("[profiles.work]")
    );
    // No temp files left beside either.
    for dir in [config.parent().unwrap(), dotfiles.as_path()] {
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name();
            assert!(!name.to_string_lossy().ends_with(".tmp"), "{name:?}");
        }
    }
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn a_keychain_that_never_answers_is_exit_5_not_a_hang() {
    let env = Env::new(Store::Keychain);
    // A "session bus" that accepts connections and never says a word.
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("bus");
    let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let fake = FakeServer::start();
    let started = Instant::now();
    let out = Output::of(
        env.cmd()
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", sock.display()),
            )
            .args(
                Login::runai(&fake.url())
                    .global(&["--keychain-timeout", "1s"])
                    .argv(),
            )
            .write_stdin(PASSWORD),
    );
    assert_eq!(out.code, 5, "{out}");
    assert!(out.stderr.contains("did not answer within 1s"), "{out}");
    assert!(out.stderr.contains("--store file"), "{out}");
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(
        fake.requests().is_empty(),
        "no password sent for a token we cannot keep"
    );
}
