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
