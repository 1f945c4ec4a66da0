//! CI without a stored secret: `login --external-token-from` exchanges the
//! job's identity token (GitHub Actions' token request, faked by the fake
//! server's `/__github/token`; an environment variable as GitLab's
//! `id_tokens` sets; a projected file), remembers the source, and renewal
//! exchanges a fresh token from it when there is no refresh token or the
//! server refuses it.

use crate::common;

use common::fixtures::{Login, expiring, record};
use common::{Env, FakeServer, Output, Store};
use tokenctl_fake_server::Config;
use tokenctl_fake_server::github::{GITHUB_REQUEST_TOKEN, GITHUB_TOKEN_PATH};

const GITHUB_COUNT: &str = "GET /__github/token";
const EXCHANGES: &str = "grant:external_token_exchange";

/// tokenctl as a GitHub Actions job step with `id-token: write`.
fn in_github_job(env: &Env, fake: &FakeServer, request_token: &str, args: &[&str]) -> Output {
    let mut cmd = env.cmd();
    cmd.env(
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        format!("{}{GITHUB_TOKEN_PATH}?api-version=2.0", fake.url()),
    )
    .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", request_token)
    .args(args);
    Output::of(&mut cmd)
}

fn github_login(env: &Env, fake: &FakeServer) -> Output {
    let out = in_github_job(
        env,
        fake,
        GITHUB_REQUEST_TOKEN,
        &Login::external(&fake.url(), "github-actions")
            .global(&["-vv"])
            .args(&["--audience", "runai-ci"])
            .argv(),
    );
    assert_eq!(out.code, 0, "{out}");
    out
}

fn config_text(env: &Env) -> String {
    std::fs::read_to_string(env.config_path()).unwrap()
}

/// Neither the job's identity token nor the request token is kept or shown.
fn assert_no_ci_secret(env: &Env, outputs: &[&Output]) {
    let external = Config::default().external_token;
    let stored = std::fs::read_to_string(env.token_file("default")).unwrap();
    for secret in [external.as_str(), GITHUB_REQUEST_TOKEN] {
        assert!(!stored.contains(secret), "stored: {stored}");
        assert!(!config_text(env).contains(secret), "config");
        for out in outputs {
            assert!(!out.stderr.contains(secret), "{out}");
            assert!(!out.stdout.contains(secret), "{out}");
        }
    }
}

#[test]
fn github_actions_login_exchanges_the_job_token_and_remembers_only_the_source() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = github_login(&env, &fake);

    let asked = fake
        .requests()
        .into_iter()
        .find(|r| r.path == GITHUB_TOKEN_PATH)
        .expect("the job's token was requested");
    assert_eq!(
        asked.query.as_deref(),
        Some("api-version=2.0&audience=runai-ci")
    );
    assert_eq!(
        asked.header("authorization"),
        Some(format!("Bearer {GITHUB_REQUEST_TOKEN}").as_str())
    );
    let exchange = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v1/token")
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&exchange.body).unwrap();
    assert_eq!(body["grantType"], "external_token_exchange");
    assert_eq!(body["externalToken"], Config::default().external_token);

    let config = config_text(&env);
    assert!(
        config.contains("external_token_from = \"github-actions\""),
        "{config}"
    );
    assert!(config.contains("audience = \"runai-ci\""), "{config}");
    assert_eq!(
        record(&env)["tokens"]["source"]["grant"],
        "external_token_exchange"
    );
    let token = env.ok(&["token"], "");
    assert!(fake.is_valid_access_token(token.stdout.trim()));
    assert_no_ci_secret(&env, &[&out, &token]);
}

#[test]
fn renewal_exchanges_a_fresh_job_token_when_there_is_no_refresh_token() {
    let env = Env::new(Store::File);
    let fake = expiring();
    github_login(&env, &fake);
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    fake.set_access_token_lifetime(3600);

    let out = in_github_job(&env, &fake, GITHUB_REQUEST_TOKEN, &["-vv", "token"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(fake.is_valid_access_token(out.stdout.trim()), "{out}");
    assert_eq!(fake.count(GITHUB_COUNT), 2, "login, then renewal");
    assert_eq!(fake.count(EXCHANGES), 2);
    assert_eq!(fake.count("grant:refresh_token"), 0);
    let renewed = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == GITHUB_TOKEN_PATH)
        .unwrap();
    assert_eq!(
        renewed.query.as_deref(),
        Some("api-version=2.0&audience=runai-ci"),
        "the remembered audience"
    );
    assert_eq!(
        record(&env)["tokens"]["source"]["grant"],
        "external_token_exchange",
        "still renewable from the source"
    );
    assert_no_ci_secret(&env, &[&out]);
    // Fresh now: no further request.
    in_github_job(&env, &fake, GITHUB_REQUEST_TOKEN, &["token"]);
    assert_eq!(fake.count(GITHUB_COUNT), 2);
}

#[test]
fn a_refused_refresh_token_falls_back_to_the_source() {
    let env = Env::new(Store::File);
    let fake = expiring();
    github_login(&env, &fake);
    env.edit_record("default", |r| {
        r["tokens"]["refresh_token"] = "revoked-refresh-token".into();
    });
    fake.set_access_token_lifetime(3600);

    let out = in_github_job(&env, &fake, GITHUB_REQUEST_TOKEN, &["token"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(fake.is_valid_access_token(out.stdout.trim()), "{out}");
    assert_eq!(fake.count("grant:refresh_token"), 1, "tried first");
    assert_eq!(fake.count(EXCHANGES), 2, "then the source");
    let stored = record(&env);
    assert_ne!(stored["tokens"]["refresh_token"], "revoked-refresh-token");
}

#[test]
fn a_refreshed_ci_login_stays_renewable_from_its_source() {
    let env = Env::new(Store::File);
    let fake = expiring();
    github_login(&env, &fake);
    // One ordinary refresh first...
    let out = in_github_job(&env, &fake, GITHUB_REQUEST_TOKEN, &["token"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count("grant:refresh_token"), 1);
    // ...then the refresh token dies: the source still renews.
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    fake.set_access_token_lifetime(3600);
    let out = in_github_job(&env, &fake, GITHUB_REQUEST_TOKEN, &["token"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count(EXCHANGES), 2);
}

#[test]
fn a_refused_request_token_names_the_permission_and_is_never_shown() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = in_github_job(
        &env,
        &fake,
        "wrong-request-token",
        &Login::external(&fake.url(), "github-actions").argv(),
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("id-token: write"), "{out}");
    assert!(!out.stderr.contains("wrong-request-token"), "{out}");
    assert_eq!(fake.count(EXCHANGES), 0);
    assert!(
        !env.config_path().exists(),
        "no profile from a failed login"
    );
}

#[test]
fn outside_a_github_job_the_error_says_what_is_missing() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = env.fails(
        &Login::external(&fake.url(), "github-actions").argv(),
        "",
        2,
    );
    assert!(
        out.stderr.contains("ACTIONS_ID_TOKEN_REQUEST_URL")
            && out.stderr.contains("id-token: write"),
        "{out}"
    );
}

#[test]
fn gitlab_id_tokens_from_an_environment_variable() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let external = Config::default().external_token;
    let out = Output::of(
        env.cmd()
            .env("RUNAI_ID_TOKEN", format!("{external}\n"))
            .args(Login::external(&fake.url(), "env:RUNAI_ID_TOKEN").argv()),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(config_text(&env).contains("external_token_from = \"env:RUNAI_ID_TOKEN\""));
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    fake.set_access_token_lifetime(3600);

    // The next job has a fresh token in the variable.
    let out = Output::of(env.cmd().env("RUNAI_ID_TOKEN", &external).args(["token"]));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count(EXCHANGES), 2);
    assert_no_ci_secret(&env, &[&out]);
}

#[test]
fn renewal_without_the_variable_names_it_and_the_login() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let out = Output::of(
        env.cmd()
            .env("RUNAI_ID_TOKEN", Config::default().external_token)
            .args(Login::external(&fake.url(), "env:RUNAI_ID_TOKEN").argv()),
    );
    assert_eq!(out.code, 0, "{out}");
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    let out = env.fails(&["token"], "", 2);
    assert!(out.stderr.contains("$RUNAI_ID_TOKEN is not set"), "{out}");
    assert!(out.stderr.contains("id_tokens"), "{out}");
    assert_eq!(fake.count(EXCHANGES), 1);
}

#[test]
fn a_projected_token_file_given_relative_is_remembered_absolute() {
    let env = Env::new(Store::File);
    let fake = expiring();
    let dir = env.path("job");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("token"), Config::default().external_token).unwrap();
    let out = Output::of(
        env.cmd()
            .current_dir(&dir)
            .args(Login::external(&fake.url(), "file:token").argv()),
    );
    assert_eq!(out.code, 0, "{out}");
    // Parsed: TOML quotes a Windows path (backslashes) as a literal string.
    let config: toml::Table = config_text(&env).parse().unwrap();
    assert_eq!(
        config["profiles"]["default"]["external_token_from"].as_str(),
        Some(format!("file:{}", dir.join("token").display()).as_str()),
        "{}",
        config_text(&env)
    );
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    fake.set_access_token_lifetime(3600);
    // From another directory, as kubectl would run it.
    let out = env.ok(&["token"], "");
    assert!(fake.is_valid_access_token(out.stdout.trim()));
    assert_eq!(fake.count(EXCHANGES), 2);
}

#[test]
fn a_file_that_is_not_a_token_is_refused_before_any_request() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let path = env.path("token.txt");
    std::fs::write(&path, "not a token\n").unwrap();
    let source = format!("file:{}", path.display());
    let out = env.fails(&Login::external(&fake.url(), &source).argv(), "", 2);
    assert!(out.stderr.contains("does not hold a token"), "{out}");
    assert_eq!(fake.count(EXCHANGES), 0);
}

#[test]
fn audience_is_for_github_actions_and_sources_need_runai_223() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = env.fails(
        &Login::external(&fake.url(), "env:X")
            .args(&["--audience", "a"])
            .argv(),
        "",
        2,
    );
    assert!(out.stderr.contains("github-actions only"), "{out}");
    let out = env.fails(
        &Login::external(&fake.url(), "env:X")
            .args(&["--api", "runai-2.19"])
            .argv(),
        "",
        2,
    );
    assert!(out.stderr.contains("Run:ai 2.23"), "{out}");
    let out = env.fails(&Login::external(&fake.url(), "gitlab").argv(), "", 2);
    assert!(out.stderr.contains("env:NAME"), "{out}");
}

#[test]
fn a_password_login_forgets_the_source() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    github_login(&env, &fake);
    env.login(&fake.url());
    let config = config_text(&env);
    assert!(!config.contains("external_token_from"), "{config}");
    assert!(!config.contains("audience"), "{config}");
}
