//! `tokenctl token` never prints a stale token, and N concurrent callers
//! cause exactly one renewal.

use crate::common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::fixtures::{Login, expiring};
use common::{Env, FakeServer, Fault, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::Config;

/// Logged in with an hour-long token that has 30 s left (less than the
/// 60 s margin); the server then issues hour-long tokens.
fn expiring_login(store: Store, config: Config) -> (Env, FakeServer) {
    let env = Env::new(store);
    let fake = FakeServer::start_with(Config {
        access_token_lifetime_secs: 30,
        issued_secs_ago: 3570,
        ..config
    });
    env.login(&fake.url());
    fake.set_access_token_lifetime(3600);
    (env, fake)
}

/// Runs `n` copies of `tokenctl args` at once and returns their outputs.
fn concurrently(env: &Env, n: usize, args: &[&str]) -> Vec<Output> {
    let children: Vec<_> = (0..n)
        .map(|_| {
            env.std_cmd(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| Output::from(c.wait_with_output().unwrap()))
        .collect()
}

fn assert_one_token(outs: &[Output]) -> String {
    for o in outs {
        assert_eq!(o.code, 0, "every caller succeeds:\n{o}");
    }
    let first = outs[0].stdout.clone();
    assert!(
        outs.iter().all(|o| o.stdout == first),
        "every caller prints the same token"
    );
    first.trim().to_string()
}

fn stale_token_is_renewed_once_by_32_callers(store: Store, rotate: bool) {
    let (env, fake) = expiring_login(
        store,
        Config {
            rotate_refresh_tokens: rotate,
            ..Config::default()
        },
    );
    for round in 0..3 {
        let before = env.ok(&["token", "--min-valid", "0s"], "").stdout;
        fake.reset_counts();
        let outs = concurrently(&env, 32, &["token"]);
        let token = assert_one_token(&outs);
        assert_ne!(format!("{token}\n"), before, "round {round}: a new token");
        assert!(fake.is_valid_access_token(&token));
        assert_eq!(
            fake.count("grant:refresh_token"),
            1,
            "round {round}: exactly one refresh: {:?}",
            fake.counts()
        );
        // Make the stored token stale again for the next round.
        fake.set_access_token_lifetime(30);
        env.ok(&["refresh"], "");
        fake.set_access_token_lifetime(3600);
    }
}

#[test]
fn concurrent_renewal_file_store_rotating() {
    stale_token_is_renewed_once_by_32_callers(Store::File, true);
}

#[test]
fn concurrent_renewal_file_store_not_rotating() {
    stale_token_is_renewed_once_by_32_callers(Store::File, false);
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
#[cfg_attr(
    windows,
    ignore = "Wine 8's Credential Manager fails some of 32 concurrent writers with error 1018 (ERROR_KEY_DELETED), which Windows does not: 2 of the last 4 Wine runs"
)]
fn concurrent_renewal_keychain_rotating() {
    stale_token_is_renewed_once_by_32_callers(Store::Keychain, true);
}

#[test]
fn concurrent_gbds_renewal_sends_one_token_grant() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        gbds_token_lifetime_ms: 30_000,
        ..Config::default()
    });
    Login::gbds(&fake.gbds_url()).ok(&env);
    for round in 0..3 {
        // A 30-minute GBDS token with 30 s left (GBDS tokens carry no
        // issue time, so the record says when it was obtained).
        env.edit_record("default", |r| {
            let exp = r["tokens"]["expires_at"].as_u64().unwrap();
            r["tokens"]["obtained_at"] = (exp - 1800).into();
            r["tokens"]["lifetime"] = 1800.into();
        });
        fake.set_gbds_token_lifetime_ms(30 * 60 * 1000);
        fake.reset_counts();
        let outs = concurrently(&env, 32, &["token"]);
        assert_one_token(&outs);
        assert_eq!(
            fake.count("gbds:TOKEN"),
            1,
            "round {round}: {:?}",
            fake.counts()
        );
        fake.set_gbds_token_lifetime_ms(30_000);
        env.ok(&["refresh"], "");
    }
}

#[test]
fn fresh_token_is_printed_without_a_request() {
    // A 70-minute token with an hour left.
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        issued_secs_ago: 600,
        ..Config::default()
    });
    env.login(&fake.url());
    fake.reset_counts();
    let out = env.ok(&["-vv", "token"], "");
    assert!(fake.requests().is_empty());
    assert!(out.stderr.contains("no renewal"), "{out}");
    // A margin longer than the token's whole lifetime cannot be met by any
    // token this server issues: half the lifetime is used instead, so
    // tokenctl does not renew at every call.
    env.ok(&["token", "--min-valid", "2h"], "");
    assert!(fake.requests().is_empty(), "{:?}", fake.counts());
    // A margin within the lifetime but more than is left forces a renewal.
    env.ok(&["token", "--min-valid", "61m"], "");
    assert_eq!(fake.count("grant:refresh_token"), 1);
}

#[test]
fn min_valid_from_the_profile() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        issued_secs_ago: 600,
        ..Config::default()
    });
    env.login(&fake.url());
    let path = env.config_path();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}min_valid = \"61m\"\n")).unwrap();
    fake.reset_counts();
    env.ok(&["token"], "");
    assert_eq!(
        fake.count("grant:refresh_token"),
        1,
        "the profile's min_valid applies"
    );
}

#[test]
fn unknown_expiry_is_printed_as_stored_and_said_with_v() {
    let (env, fake) = expiring_login(Store::File, Config::default());
    env.edit_record("default", |r| r["tokens"]["expires_at"] = Value::Null);
    fake.reset_counts();
    let out = env.ok(&["-v", "token", "--min-valid", "1h"], "");
    assert!(
        out.stderr.contains("expiry is unknown") && out.stderr.contains("--min-valid cannot judge"),
        "{out}"
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn no_refresh_token_means_exit_3_naming_login() {
    let env = Env::new(Store::File);
    let fake = expiring();
    Login::runai(&fake.url())
        .global(&["--profile", "p1"])
        .ok(&env);
    env.edit_record("p1", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    let out = env.fails(&["--profile", "p1", "token"], "", 3);
    assert!(
        out.stderr.contains("`tokenctl --profile p1 login`"),
        "{out}"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn rejected_refresh_is_exit_3_naming_login() {
    let (env, fake) = expiring_login(Store::File, Config::default());
    let rt = {
        let out = env.ok(
            &[
                "token",
                "-o",
                "json",
                "--show-refresh-token",
                "--min-valid",
                "0s",
            ],
            "",
        );
        serde_json::from_str::<Value>(&out.stdout).unwrap()["refresh_token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Spend the stored refresh token behind tokenctl's back.
    Login::runai(&fake.url())
        .global(&["--profile", "other"])
        .ok(&env);
    env.ok(
        &["--profile", "other", "refresh", "--refresh-token-stdin"],
        &rt,
    );
    let out = env.fails(&["token"], "", 3);
    assert!(
        out.stderr.contains("run:ai rejected the refresh")
            && out.stderr.contains("`tokenctl login`"),
        "{out}"
    );
    // The dead refresh token is gone, the profile stays: the next call
    // sends nothing and names the login that fixes it.
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(env.token_file("default")).unwrap()).unwrap();
    assert!(record["tokens"]["refresh_token"].is_null(), "{record}");
    assert!(record["tokens"]["access_token"].is_string());
    fake.reset_counts();
    let out = env.fails(&["token"], "", 3);
    assert!(out.stderr.contains("no refresh token stored"), "{out}");
    assert!(out.stderr.contains("`tokenctl login`"), "{out}");
    assert!(fake.requests().is_empty(), "{:?}", fake.counts());
}

#[test]
fn refresh_rejected_then_retried_with_a_siblings_newer_token() {
    let (env, fake) = expiring_login(Store::File, Config::default());
    let path = env.token_file("default");
    let with_rt1 = std::fs::read(&path).unwrap();
    env.ok(&["refresh"], "");
    let with_rt2 = std::fs::read(&path).unwrap();
    // Back to the spent RT1; the next refresh is slow, and while it is in
    // flight a "sibling" (this test) stores RT2, as a tokenctl that does not
    // share our lock would.
    std::fs::write(&path, &with_rt1).unwrap();
    fake.set_fault(Fault::Slow(Duration::from_millis(1500)), Some(1));
    fake.reset_counts();
    let child = env
        .std_cmd(&["-v", "refresh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once its request (with RT1) reached the server, not after a guessed
    // pause: a slow start (under Wine) would read RT2 and never be rejected.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while fake.count("grant:refresh_token") == 0 {
        assert!(std::time::Instant::now() < deadline, "no refresh arrived");
        std::thread::sleep(Duration::from_millis(10));
    }
    let tmp = path.with_extension("sibling");
    std::fs::write(&tmp, &with_rt2).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::fs::rename(&tmp, &path).unwrap();
    let out = Output::from(child.wait_with_output().unwrap());
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("retrying once"), "{out}");
    assert_eq!(
        fake.count("grant:refresh_token"),
        2,
        "the rejected one and the retry"
    );
    assert!(fake.is_valid_access_token(env.ok(&["token"], "").stdout.trim()));
}

#[test]
fn lock_wait_is_bounded() {
    let (env, fake) = expiring_login(Store::File, Config::default());
    // Windows has no runtime directory: locks live under the state one.
    let dir = env.path(if cfg!(windows) {
        "state/tokenctl/locks"
    } else {
        "runtime/tokenctl/locks"
    });
    std::fs::create_dir_all(&dir).unwrap();
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("default.lock"))
        .unwrap();
    held.lock().unwrap();
    fake.reset_counts();
    let started = Instant::now();
    let out = env.fails(&["token", "--lock-timeout", "1s"], "", 5);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        out.stderr
            .contains("gave up after 1s waiting for another tokenctl"),
        "{out}"
    );
    assert!(fake.requests().is_empty());
    drop(held);
    env.ok(&["token"], "");
}

#[test]
fn lock_of_a_killed_process_is_released() {
    let (env, fake) = expiring_login(Store::File, Config::default());
    fake.set_fault(Fault::Hang, Some(1));
    let mut child = env
        .std_cmd(&["token"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it is inside the request (holding the lock), then SIGKILL it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.count("grant:refresh_token") == 0 {
        assert!(
            Instant::now() < deadline,
            "the first tokenctl never sent its refresh"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let started = Instant::now();
    let out = env.ok(&["token", "--lock-timeout", "5s"], "");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no wait for a dead holder"
    );
    assert!(fake.is_valid_access_token(out.stdout.trim()));
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn app_token_renews_with_saved_secret_in_keychain() {
    let env = Env::new(Store::Keychain);
    let fake = expiring();
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
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        !config.contains("ci-bot-secret"),
        "never in the config file"
    );
    fake.set_access_token_lifetime(3600);
    let status: Value =
        serde_json::from_str(&env.ok(&["status", "-o", "json"], "").stdout).unwrap();
    assert_eq!(
        status[0]["can_renew"], true,
        "a saved secret means silent renewal"
    );
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert_eq!(fake.count("grant:client_credentials"), 2);
    assert!(fake.is_valid_access_token(&token));
    let out = env.ok(&["token", "-o", "json", "--show-refresh-token"], "");
    assert!(
        !out.stdout.contains("ci-bot-secret"),
        "the secret is never printed"
    );
}

#[test]
fn app_token_without_saved_secret_is_exit_3_unless_env_has_it() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let out = env.fails(
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
        2,
    );
    assert!(
        out.stderr.contains("file store") && out.stderr.contains("TOKENCTL_CLIENT_SECRET"),
        "{out}"
    );
    env.ok(
        &[
            "app-token",
            "--server",
            &fake.url(),
            "--client-id",
            "ci-bot",
            "--client-secret-stdin",
        ],
        "ci-bot-secret",
    );
    let out = env.fails(&["token"], "", 3);
    assert!(
        out.stderr.contains("no saved client secret")
            && out.stderr.contains("login --access-key ci-bot"),
        "{out}"
    );
    fake.set_access_token_lifetime(3600);
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret")
        .arg("token");
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    assert!(fake.is_valid_access_token(out.stdout.trim()));
}

#[test]
fn exec_credential_never_prompts_when_kubectl_says_not_interactive() {
    let env = Env::new(Store::File);
    let fake = expiring();
    env.login(&fake.url());
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    let mut cmd = env.cmd();
    cmd.env(
        "KUBERNETES_EXEC_INFO",
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#,
    )
    .args(["kubectl-credential", "--interactive"]);
    let started = Instant::now();
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 3, "{out}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        out.stdout, "",
        "nothing but JSON on stdout, and no JSON on failure"
    );
    assert!(out.stderr.contains("tokenctl login"), "{out}");
}

#[test]
fn short_lived_tokens_converge_with_32_callers() {
    // The server issues 30 s tokens; the margin is 60 s. Renewing whenever
    // less than the margin is left would renew at every call.
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        access_token_lifetime_secs: 30,
        ..Config::default()
    });
    let out = env.login(&fake.url());
    assert!(
        out.stderr.contains("live only 30s") && out.stderr.contains("half their lifetime"),
        "the short lifetime is said once, at login: {out}"
    );
    fake.reset_counts();
    let outs = concurrently(&env, 32, &["token"]);
    assert_one_token(&outs);
    assert!(
        fake.count("grant:refresh_token") <= 2,
        "a fresh 30 s token is used, not renewed 32 times: {:?}",
        fake.counts()
    );
    for o in &outs {
        assert!(!o.stderr.contains("live only"), "not warned again: {o}");
    }
    // Past half its lifetime, 32 callers share one renewal. The clock is
    // the test's: the stored token is made 16 s older, as if that long had
    // passed since login (no sleeping until it is due).
    env.edit_record("default", |r| {
        for key in ["obtained_at", "expires_at"] {
            r["tokens"][key] = (r["tokens"][key].as_u64().unwrap() - 16).into();
        }
    });
    fake.reset_counts();
    let outs = concurrently(&env, 32, &["token"]);
    assert_one_token(&outs);
    assert!(
        (1..=2).contains(&fake.count("grant:refresh_token")),
        "{:?}",
        fake.counts()
    );
}

#[test]
fn a_token_issued_already_expired_is_never_printed() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        access_token_lifetime_secs: 3600,
        ..Config::default()
    });
    env.login(&fake.url());
    // From now on the server hands out tokens that expired a minute ago
    // (a clock far ahead, or a misconfigured server).
    fake.set_access_token_lifetime(-60);
    // The stored token is near its end, so `token` must renew.
    env.edit_record("default", |r| {
        r["tokens"]["expires_at"] = (r["tokens"]["obtained_at"].as_u64().unwrap() + 10).into();
    });
    let out = env.run(&["token"], "");
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stdout.is_empty(), "nothing printed: {out}");
    assert!(
        out.stderr.contains("already expired") && out.stderr.contains("clock"),
        "{out}"
    );
    let out = env.run(&["kubectl-credential"], "");
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stdout.is_empty(), "{out}");
}
