//! The test fixtures clean up after themselves.
// Unix only: the fixture is the D-Bus session and gnome-keyring.
#![cfg(unix)]

mod common;

use common::{Env, Store};

#[test]
fn keyring_fixture_keeps_its_bus_socket_at_home_and_ends_cleanly() {
    let mut env = Env::new(Store::Keychain);
    let home = env.home.path().to_path_buf();
    let keyring = env.keyring.as_mut().unwrap();
    let socket = keyring.socket();
    assert!(
        socket.starts_with(&home),
        "the bus socket {} is inside the test's directory, not a dbus-* file in {}",
        socket.display(),
        std::env::temp_dir().display()
    );
    assert!(socket.exists(), "{}", socket.display());
    assert!(keyring.stop(), "both daemons ended on SIGTERM");
    assert!(!socket.exists(), "dbus-daemon removed {}", socket.display());
    drop(env);
    assert!(!home.exists(), "the test's directory is gone");
}

/// CI once failed with ETXTBSY running a stand-in script another thread's
/// fork still held open for writing; written through
/// common::executable, every script runs while other threads fork.
#[test]
fn scripts_run_while_other_threads_fork() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let env = Env::new(Store::File);
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let forkers: Vec<_> = (0..3)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::process::Command::new("true").status().unwrap();
                }
            })
        })
        .collect();
    let mut failures = Vec::new();
    for i in 0..300 {
        let script = env.path(&format!("script-{i}"));
        common::executable::write_executable(&script, format!("#!/bin/sh\nexit {}\n", i % 7));
        match std::process::Command::new(&script).status() {
            Ok(status) if status.code() == Some(i % 7) => {}
            other => failures.push(format!("{i}: {other:?}")),
        }
    }
    stop.store(true, Ordering::Relaxed);
    for f in forkers {
        f.join().unwrap();
    }
    assert!(failures.is_empty(), "{failures:?}");
}
