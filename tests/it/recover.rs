//! Recovering by itself: when the server refuses the refresh token (dead:
//! expired, revoked, used), `token --interactive` on a terminal logs the
//! profile in again the way it was created — the password prompt, or the
//! browser login for an SSO profile — stores the new tokens and prints the
//! token, instead of failing. Never without a terminal, never when kubectl
//! says nobody can answer.
// Unix only: driven on a pseudo-terminal (tests/it/common/pty.rs: util-linux `script`), which Wine cannot provide.

use crate::common;

use common::fixtures::{browser_script, expiring, record};
use common::pty::Pty;
use common::{Env, FakeServer, Output, Store};

/// The refresh token dies (revoked at the server); later tokens live an hour.
fn kill_refresh_token(env: &Env, fake: &FakeServer) {
    env.edit_record("default", |r| {
        r["tokens"]["refresh_token"] = "revoked-refresh-token".into();
    });
    fake.set_access_token_lifetime(3600);
}

/// An SSO profile logged in through the curl browser; returns `$BROWSER`.
fn sso_login(env: &Env, fake: &FakeServer) -> String {
    let browser = browser_script(env).to_string_lossy().into_owned();
    let out = Output::of(env.cmd().env("BROWSER", &browser).args([
        "login",
        "--browser",
        "--server",
        &fake.url(),
        "--callback-port",
        "0",
    ]));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count("grant:exchange_token"), 1);
    browser
}

#[test]
fn a_dead_refresh_token_on_a_password_profile_prompts_for_the_password() {
    let env = Env::new(Store::File);
    let fake = expiring();
    env.login(&fake.url());
    kill_refresh_token(&env, &fake);

    let mut term = Pty::spawn(&env, &["token", "--interactive"], &[]);
    term.wait_for("Password for alice at", 20);
    term.type_line("wonderland");
    let out = term.finish();
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("logging in again as alice"), "{out}");
    assert!(!out.stdout.contains("wonderland"), "no echo: {out}");
    assert_eq!(fake.count("grant:refresh_token"), 1, "the dead one, once");
    assert_eq!(fake.count("grant:password"), 2, "login, then re-login");
    let stored = record(&env);
    let refresh = stored["tokens"]["refresh_token"].as_str().unwrap();
    assert_ne!(
        refresh, "revoked-refresh-token",
        "a live refresh token again"
    );
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&token));
    assert!(out.stdout.contains(&token), "printed: {out}");
}

#[test]
fn a_dead_refresh_token_on_an_sso_profile_runs_the_browser_login() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let browser = sso_login(&env, &fake);
    // One ordinary refresh: the profile stays an SSO profile after it.
    env.ok(&["token"], "");
    assert_eq!(fake.count("grant:refresh_token"), 1);
    kill_refresh_token(&env, &fake);

    let term = Pty::spawn(&env, &["token", "--interactive"], &[("BROWSER", &browser)]);
    let out = term.finish();
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("logging in again in the browser"),
        "{out}"
    );
    assert!(
        !out.stdout.contains("Password"),
        "no password prompt: {out}"
    );
    assert_eq!(fake.count("grant:refresh_token"), 2);
    assert_eq!(
        fake.count("grant:exchange_token"),
        2,
        "the browser login again"
    );
    assert_eq!(fake.count("grant:password"), 0);
    let page = std::fs::read_to_string(env.path("browser/browser.page")).unwrap();
    assert!(page.contains("Logged in to"), "the browser is told: {page}");
    let stored = record(&env);
    assert_eq!(stored["tokens"]["source"]["grant"], "exchange_token");
    assert_ne!(stored["tokens"]["refresh_token"], "revoked-refresh-token");
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&token));
    assert!(out.stdout.contains(&token), "printed: {out}");
}

#[test]
fn an_sso_profile_without_a_terminal_gets_the_browser_login_command() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let browser = sso_login(&env, &fake);
    kill_refresh_token(&env, &fake);
    let out = Output::of(
        env.cmd()
            .env("BROWSER", &browser)
            .args(["token", "--interactive"]),
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("tokenctl login --browser"), "{out}");
    assert_eq!(fake.count("grant:exchange_token"), 1, "no browser login");
    assert!(
        record(&env)["tokens"].get("refresh_token").is_none(),
        "the dead refresh token is gone"
    );
}

#[test]
fn kubectl_saying_not_interactive_keeps_the_browser_closed() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let browser = sso_login(&env, &fake);
    kill_refresh_token(&env, &fake);
    let info = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let term = Pty::spawn(
        &env,
        &["kubectl-credential", "--interactive"],
        &[("BROWSER", &browser), ("KUBERNETES_EXEC_INFO", info)],
    );
    let out = term.finish();
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("login --browser"), "{out}");
    assert_eq!(fake.count("grant:exchange_token"), 1, "no browser login");
}

#[test]
fn the_profile_setting_interactive_recovers_too() {
    let env = Env::new(Store::File);
    let fake = expiring();
    env.login(&fake.url());
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let config = config.replacen(
        "[profiles.default]\n",
        "[profiles.default]\ninteractive = true\n",
        1,
    );
    assert!(config.contains("interactive = true"), "{config}");
    std::fs::write(env.config_path(), config).unwrap();
    kill_refresh_token(&env, &fake);

    let mut term = Pty::spawn(&env, &["token"], &[]);
    term.wait_for("Password for alice at", 20);
    term.type_line("wonderland");
    let out = term.finish();
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count("grant:password"), 2);
}
