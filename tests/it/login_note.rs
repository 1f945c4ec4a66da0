//! On a host with no desktop keychain, `--store auto` keeps tokens in the
//! kernel keyring, which a reboot clears. The first such login says so,
//! once, on stderr, with the way out; later logins, `-q`, and an explicit
//! `--store kernel` say nothing. Runs against this user's real kernel
//! keyring (each test's keys are its own: the fake's port is in them) and
//! removes what it stored.

use crate::common;

use common::fixtures::Login;
use common::{Env, FakeServer, Output, Store};

/// tokenctl with no `--store` and no D-Bus session: what a headless host is.
fn headless(env: &Env, login: Login) -> Output {
    let mut cmd = env.cmd();
    cmd.env_remove("TOKENCTL_STORE")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/tokenctl-test-bus",
        )
        .args(login.argv())
        .write_stdin(common::fixtures::PASSWORD);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    out
}

fn logout_all(env: &Env) {
    let mut cmd = env.cmd();
    cmd.env_remove("TOKENCTL_STORE").args(["logout", "--all"]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
}

const NOTE: &str =
    "note: no desktop keychain answered here, so the tokens are in the kernel keyring";

#[test]
fn the_first_auto_login_into_the_kernel_keyring_says_where_tokens_went_once() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let url = fake.url();

    let first = headless(&env, Login::runai(&url).args(&["-o", "json"]));
    assert!(
        first.stderr.contains("(profile `default`, kernel)"),
        "{first}"
    );
    let note: Vec<&str> = first.stderr.lines().filter(|l| l.contains(NOTE)).collect();
    assert_eq!(note.len(), 1, "said once, on stderr:\n{first}");
    let note = note[0];
    for what in [
        "gone at reboot",
        "`tokenctl login` brings them back",
        "--store file",
        "Secret Service",
        "(said once)",
    ] {
        assert!(note.contains(what), "the note says {what:?}: {note}");
    }
    // The persistent keyring's expiry, as this kernel has it.
    let expiry: u64 = std::fs::read_to_string("/proc/sys/kernel/keys/persistent_keyring_expiry")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    if expiry.is_multiple_of(86_400) {
        let days = expiry / 86_400;
        let s = if days == 1 { "" } else { "s" };
        assert!(
            note.contains(&format!("or after {days} day{s} unused")),
            "{note}"
        );
    }
    assert!(
        !first.stdout.contains("note"),
        "stdout is the JSON asked for"
    );
    let json: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
    assert!(json["access_token"].is_string());

    // Said: not again, for this profile or another.
    let again = headless(&env, Login::runai(&url));
    assert!(!again.stderr.contains("note:"), "{again}");
    let other = headless(&env, Login::runai(&url).global(&["--profile", "other"]));
    assert!(other.stderr.contains("kernel)"), "{other}");
    assert!(!other.stderr.contains("note:"), "{other}");
    logout_all(&env);
}

#[test]
fn quiet_or_an_explicit_kernel_store_leaves_the_note_for_later() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let url = fake.url();

    // Chosen by hand: the user knows where the tokens are.
    let chosen = headless(&env, Login::runai(&url).global(&["--store", "kernel"]));
    assert!(chosen.stderr.contains("kernel)"), "{chosen}");
    assert!(!chosen.stderr.contains("note:"), "{chosen}");

    // -q prints nothing, so nothing counts as said.
    let quiet = headless(&env, Login::runai(&url).global(&["-q", "--profile", "q"]));
    assert_eq!(quiet.stderr, "", "{quiet}");

    let later = headless(&env, Login::runai(&url).global(&["--profile", "later"]));
    assert!(later.stderr.contains(NOTE), "{later}");
    logout_all(&env);
}
