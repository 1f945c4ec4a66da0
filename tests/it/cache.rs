//! The memory cache for the hot path: only the access token and its expiry,
//! written through, used without the keychain, dropped by logout, off by
//! config, and never trusted when it does not fit.
// Unix only: the token cache lives in $XDG_RUNTIME_DIR, which Windows does not have (there each `token` reads the store).

use crate::common;

use common::fixtures::expiring;
use common::{Env, FakeServer, Output, Store};
use serde_json::Value;

fn cache_file(env: &Env) -> std::path::PathBuf {
    env.path("runtime/tokenctl/cache/default.json")
}

/// `tokenctl token` with the keychain out of reach.
fn token_without_keychain(env: &Env, args: &[&str]) -> Output {
    let mut cmd = env.cmd();
    cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .arg("token")
        .args(args);
    Output::of(&mut cmd)
}

#[test]
#[ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"]
fn holds_only_the_access_token_and_serves_without_the_keychain() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let json: Value = serde_json::from_str(
        &env.ok(&["token", "-o", "json", "--show-refresh-token"], "")
            .stdout,
    )
    .unwrap();
    let path = cache_file(&env);
    let text = std::fs::read_to_string(&path).expect("login wrote the cache");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    assert!(text.contains(json["access_token"].as_str().unwrap()));
    assert!(
        !text.contains(json["refresh_token"].as_str().unwrap()),
        "never the refresh token"
    );
    assert!(
        !text.contains(json["id_token"].as_str().unwrap()),
        "never the id token"
    );

    let out = token_without_keychain(&env, &["-o", "exec-credential"]);
    assert_eq!(out.code, 0, "served from the cache: {out}");
    let cred: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(cred["status"]["token"], json["access_token"]);
    assert_eq!(cred["status"]["expirationTimestamp"], json["expires_at"]);
    // JSON output needs the id token: it goes to the store.
    assert_eq!(token_without_keychain(&env, &["-o", "json"]).code, 5);
}

#[test]
#[ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"]
fn app_token_secret_never_reaches_the_cache() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    env.ok(
        &[
            "app-token",
            "--server",
            &fake.url(),
            "--client-id",
            "ci-bot",
            "--client-secret-stdin",
            "--save-secret",
        ],
        "ci-bot-secret",
    );
    let text = std::fs::read_to_string(cache_file(&env)).unwrap();
    assert!(!text.contains("ci-bot-secret"), "{text}");
}

#[test]
#[ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"]
fn logout_removes_it() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    env.login(&fake.url());
    assert!(cache_file(&env).exists());
    env.ok(&["logout"], "");
    assert!(!cache_file(&env).exists());
    env.fails(&["token"], "", 3);
}

#[test]
#[ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"]
fn switched_off_in_the_profile() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    env.login(&fake.url());
    std::fs::remove_file(cache_file(&env)).unwrap();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(env.config_path(), format!("{config}cache = false\n")).unwrap();
    env.ok(&["refresh"], "");
    env.ok(&["token"], "");
    assert!(!cache_file(&env).exists(), "nothing cached");
    assert_eq!(
        token_without_keychain(&env, &[]).code,
        5,
        "the keychain is needed"
    );
}

#[test]
#[ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"]
fn an_expiring_cached_token_is_renewed_and_the_cache_updated() {
    let env = Env::new(Store::Keychain);
    // An hour-long token with 30 s left, under the 60 s margin.
    let fake = expiring();
    env.login(&fake.url());
    let old = std::fs::read_to_string(cache_file(&env)).unwrap();
    fake.set_access_token_lifetime(3600);
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert_eq!(
        fake.count("grant:refresh_token"),
        1,
        "30 s left is under the 60 s margin"
    );
    let new = std::fs::read_to_string(cache_file(&env)).unwrap();
    assert_ne!(old, new);
    assert!(new.contains(&token));
    assert_eq!(token_without_keychain(&env, &[]).stdout.trim(), token);
}

#[test]
#[ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"]
fn a_cache_that_does_not_fit_is_ignored() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let path = cache_file(&env);
    let mut entry: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let real = entry["access_token"].as_str().unwrap().to_string();
    entry["access_token"] = "forged-token".into();
    entry["principal"] = "mallory".into();
    std::fs::write(&path, entry.to_string()).unwrap();
    assert_eq!(
        env.ok(&["token"], "").stdout.trim(),
        real,
        "another user's entry is not used"
    );
    // Readable by others: not trusted either.
    entry["principal"] = "alice".into();
    std::fs::write(&path, entry.to_string()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(env.ok(&["token"], "").stdout.trim(), real);
    std::fs::write(&path, "garbage").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(env.ok(&["token"], "").stdout.trim(), real);
}
