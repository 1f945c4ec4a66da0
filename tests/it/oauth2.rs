//! `--api runai-v2` (and its earlier name `runai-oauth2`): Run:ai's `POST
//! /api/v2/token` alone, form-encoded, against the fake server's 2.24 mode,
//! through the real binary. tests/it/runai3.rs has 3.0 and `--api runai`.

use crate::common;

use common::fixtures::Login;
use common::{Env, FakeServer, Output, Store};
use tokenctl_fake_server::{Config, Recorded};

const PATH: &str = "/api/v2/token";

fn server(version: &str) -> FakeServer {
    FakeServer::start_with(Config {
        runai_version: version.into(),
        ..Config::default()
    })
}

fn form(req: &Recorded) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req.body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field(req: &Recorded, name: &str) -> Option<String> {
    form(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn last(fake: &FakeServer) -> Recorded {
    let req = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == PATH)
        .expect("a request to /api/v2/token");
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded"),
        "{req:?}"
    );
    assert!(req.query.is_none(), "{req:?}");
    req
}

fn login(env: &Env, fake: &FakeServer, password: &str) -> Output {
    Login::runai(&fake.url())
        .args(&["--api", "runai-oauth2"])
        .stdin(&format!("{password}\n"))
        .run(env)
}

fn token(env: &Env) -> String {
    env.ok(&["token"], "").stdout.trim_end().to_string()
}

#[test]
fn password_login_refresh_and_renewal() {
    let env = Env::new(Store::File);
    let fake = server("2.24");
    let out = login(&env, &fake, "wonderland");
    assert_eq!(out.code, 0, "{out}");
    let req = last(&fake);
    assert_eq!(
        form(&req),
        [
            ("grant_type".to_string(), "password".to_string()),
            ("username".into(), "alice".into()),
            ("password".into(), "wonderland".into()),
        ]
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    // The earlier name is read and saved as the current one.
    assert!(config.contains("api = \"runai-v2\""), "{config}");
    let first = token(&env);
    assert!(fake.is_valid_access_token(&first));
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["token", "-o", "json"], "").stdout).unwrap();
    assert!(json["id_token"].is_string(), "id_token read: {json}");

    // Expiry from expires_in, seen at -v.
    let out = env.ok(&["-v", "refresh"], "");
    assert!(out.stderr.contains("after receipt"), "{out}");
    assert_eq!(fake.count("oauth2:refresh_token"), 1);
    assert!(field(&last(&fake), "refresh_token").is_some());
    let second = token(&env);
    assert_ne!(first, second);
    assert!(fake.is_valid_access_token(&second));

    // Renewal by `token` uses the same grant.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    env.edit_record("default", |r| r["tokens"]["expires_at"] = (now + 30).into());
    env.ok(&["token"], "");
    assert_eq!(fake.count("oauth2:refresh_token"), 2);
    assert_eq!(fake.requests().iter().filter(|r| r.path != PATH).count(), 0);
}

#[test]
fn rfc6749_errors_are_shown_and_secrets_are_not() {
    let env = Env::new(Store::File);
    let fake = server("2.24");
    let out = login(&env, &fake, "not-the-password");
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("invalid_grant"), "{out}");
    assert!(
        out.stderr.contains("username or password is incorrect"),
        "{out}"
    );
    assert!(!out.stderr.contains("not-the-password"), "{out}");

    // A server without /api/v2/token (2.23): a 404 that names the way out.
    let old = server("2.23");
    let out = login(&env, &old, "wonderland");
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("doctor"), "{out}");
}

#[test]
fn app_token_is_client_credentials() {
    let env = Env::new(Store::File);
    let fake = server("2.24");
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret");
    let out = Output::of(cmd.args([
        "app-token",
        "--server",
        &fake.url(),
        "--api",
        "runai-oauth2",
        "--client-id",
        "ci-bot",
    ]));
    assert_eq!(out.code, 0, "{out}");
    let req = last(&fake);
    assert_eq!(
        form(&req),
        [
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("client_id".into(), "ci-bot".into()),
            ("client_secret".into(), "ci-bot-secret".into()),
        ]
    );
    assert!(fake.is_valid_access_token(&token(&env)));
    // The deprecated app_token grant does not exist there.
    let out = Output::of(
        env.cmd()
            .env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret")
            .args(["app-token", "--grant", "app_token"]),
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("client_credentials"), "{out}");
}

#[test]
fn exchange_code_is_authorization_code_with_client_and_redirect() {
    let env = Env::new(Store::File);
    let fake = server("2.24");
    let redirect = "https://acme.run.ai/oauth-code";
    let code = fake.issue_code(redirect);
    env.ok(
        &[
            "exchange-code",
            "--server",
            &fake.url(),
            "--api",
            "runai-oauth2",
            "--code-stdin",
            "--redirect-uri",
            redirect,
        ],
        &code,
    );
    let req = last(&fake);
    assert_eq!(
        field(&req, "grant_type").as_deref(),
        Some("authorization_code")
    );
    assert_eq!(field(&req, "code"), Some(code.clone()));
    assert_eq!(field(&req, "redirect_uri").as_deref(), Some(redirect));
    assert_eq!(field(&req, "client_id").as_deref(), Some("runai-cli"));
    assert!(fake.is_valid_access_token(&token(&env)));
    let record = std::fs::read_to_string(env.token_file("default")).unwrap();
    assert!(
        record.contains("\"authorization_code\""),
        "the grant is stored"
    );

    // A used code is refused, RFC 6749 style, without echoing it.
    let out = env.run(
        &["exchange-code", "--code-stdin", "--redirect-uri", redirect],
        &code,
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("invalid_grant"), "{out}");
    assert!(!out.stderr.contains(&code), "{out}");
}

#[test]
fn a_2_24_server_refuses_the_token_exchange_on_v2_and_says_where_it_is() {
    let env = Env::new(Store::File);
    let fake = server("2.24");
    let out = env.run(
        &[
            "login",
            "--server",
            &fake.url(),
            "--api",
            "runai-oauth2",
            "--external-token-stdin",
        ],
        "ext-idp-token\n",
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("unsupported_grant_type"), "{out}");
    assert!(out.stderr.contains("--api runai"), "{out}");
    assert!(!out.stderr.contains("ext-idp-token"), "{out}");
    // Pinned to v2: nothing went to /api/v1/token.
    assert_eq!(fake.count("POST /api/v2/token"), 1);
    assert_eq!(fake.count("POST /api/v1/token"), 0);
    assert_eq!(
        form(&last(&fake)),
        [
            (
                "grant_type".to_string(),
                "external_token_exchange".to_string()
            ),
            ("external_token".into(), "ext-idp-token".into()),
        ]
    );
}

fn server_line(env: &Env) -> String {
    let out = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    out.stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("server"))
        .unwrap_or_else(|| panic!("no server line: {out}"))
        .to_string()
}

#[test]
fn doctor_tells_which_token_endpoints_answer_and_which_api_fits() {
    // A 2.23 server, profile on runai-oauth2: /api/v2/token is missing.
    let env = Env::new(Store::File);
    let old = server("2.23");
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    let write = |url: &str, api: &str| {
        std::fs::write(
            env.config_path(),
            format!(
                "[profiles.default]\nserver = \"{url}\"\napi = \"{api}\"\nusername = \"alice\"\n"
            ),
        )
        .unwrap()
    };
    write(&old.url(), "runai-oauth2");
    let line = server_line(&env);
    assert!(line.starts_with("warn"), "{line}");
    assert!(line.contains("/api/v2/token absent (404)"), "{line}");
    assert!(line.contains("/api/v1/token answers (400)"), "{line}");
    assert!(
        line.contains("--api runai or runai-v1 or runai-2.19 fits"),
        "{line}"
    );
    assert!(line.contains("login --api runai"), "{line}");
    assert!(
        old.requests()
            .iter()
            .all(|r| r.body.is_empty() && r.header("authorization").is_none()),
        "no credentials sent"
    );

    // A 2.24 server answers both; the oauth2 profile is fine.
    let new = server("2.24");
    write(&new.url(), "runai-oauth2");
    let line = server_line(&env);
    assert!(line.starts_with("ok"), "{line}");
    assert!(line.contains("/api/v2/token answers (400)"), "{line}");
    assert!(
        line.contains("--api runai or runai-v2 or runai-v1 or runai-2.19 fits"),
        "{line}"
    );
    assert!(
        line.contains("this profile uses /api/v2/token (pinned by api = runai-v2)"),
        "{line}"
    );
}
