//! Every cell of the operations table (login, refresh, exchange-code,
//! app-token × runai, runai-2.19, gbds), through the real binary against the
//! fake server over loopback HTTP, for both stores.

use crate::common;

use common::fixtures::Login;
use common::{Env, FakeServer, Store, jwt_claims};
use serde_json::Value;
use tokenctl_fake_server::Config;

const UA_PREFIX: &str = "tokenctl/";

fn server(version: &str) -> FakeServer {
    FakeServer::start_with(Config {
        runai_version: version.into(),
        ..Config::default()
    })
}

/// The JSON body of the last request to `path`.
fn last_body(fake: &FakeServer, path: &str) -> Value {
    let req = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("no request to {path}"));
    assert!(
        req.header("user-agent")
            .is_some_and(|ua| ua.starts_with(UA_PREFIX)),
        "User-Agent must be tokenctl/<version>: {:?}",
        req.header("user-agent")
    );
    serde_json::from_str(&req.body).unwrap_or(Value::Null)
}

fn login_runai(env: &Env, fake: &FakeServer, api: &str) {
    Login::runai(&fake.url())
        .args(&["--api", api])
        .stdin("wonderland\n")
        .ok(env);
}

fn printed_token(env: &Env) -> String {
    let out = env.ok(&["token"], "");
    let token = out
        .stdout
        .strip_suffix('\n')
        .expect("token ends with a newline")
        .to_string();
    assert!(!token.contains('\n'), "one line only: {:?}", out.stdout);
    token
}

fn runai_login_password(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let out = Login::runai(&fake.url()).stdin("wonderland\n").ok(&env);
    assert_eq!(
        out.stdout, "",
        "login prints nothing on stdout unless -o is given"
    );
    assert!(out.stderr.contains("logged in to"), "{}", out.stderr);
    let body = last_body(&fake, "/api/v1/token");
    assert_eq!(body["grantType"], "password");
    assert_eq!(body["username"], "alice");
    assert_eq!(
        body["password"], "wonderland",
        "the trailing newline from stdin is not part of the password"
    );
    assert_eq!(fake.count("grant:password"), 1);

    let token = printed_token(&env);
    assert!(
        fake.is_valid_access_token(&token),
        "the stored token is the one the server issued"
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        config.contains("[profiles.default]") && config.contains("api = \"runai\""),
        "{config}"
    );
    assert!(config.contains("username = \"alice\""), "{config}");
    assert!(
        !config.contains("wonderland") && !config.contains(&token),
        "no secret in the config:\n{config}"
    );
    assert!(
        env.stored_record("default", &fake.url(), "alice").is_some(),
        "stored in the {store:?} store"
    );
}

fn runai_login_external_token(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    env.ok(
        &["login", "--server", &fake.url(), "--external-token-stdin"],
        "ext-idp-token\n",
    );
    let body = last_body(&fake, "/api/v1/token");
    assert_eq!(body["grantType"], "external_token_exchange");
    assert_eq!(body["externalToken"], "ext-idp-token");
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

fn runai219_login_password(store: Store) {
    let env = Env::new(store);
    let fake = server("2.19");
    login_runai(&env, &fake, "runai-2.19");
    assert_eq!(last_body(&fake, "/api/v1/token")["grantType"], "password");
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

fn gbds_login_credentials(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let out = Login::gbds(&fake.gbds_url()).args(&["-o", "json"]).ok(&env);
    let body = last_body(&fake, "/gbds/v2/tokens");
    assert_eq!(body["data"]["grantType"], "CREDENTIALS");
    assert_eq!(body["data"]["userName"], "operator");
    assert_eq!(body["data"]["userPassword"], "gbds-pass");
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        json["expires_at"].is_string(),
        "GBDS expirationTime becomes the expiry: {json}"
    );
    assert_eq!(printed_token(&env), json["access_token"].as_str().unwrap());
}

fn runai_refresh(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    login_runai(&env, &fake, "runai");
    let first = printed_token(&env);
    let rt1 = stored_refresh_token(&env);
    let out = env.ok(&["refresh", "-o", "token"], "");
    let second = out.stdout.trim().to_string();
    assert_ne!(first, second);
    assert_eq!(printed_token(&env), second, "the renewed token is stored");
    let body = last_body(&fake, "/api/v1/token");
    assert_eq!(body["grantType"], "refresh_token");
    assert_eq!(body["refreshToken"], rt1.as_str());
    // The server rotated the refresh token: a second refresh must use the new one.
    env.ok(&["refresh"], "");
    assert_eq!(fake.count("grant:refresh_token"), 2);
    assert_ne!(
        last_body(&fake, "/api/v1/token")["refreshToken"],
        rt1.as_str()
    );
}

/// The stored refresh token, as `-o json --show-refresh-token` shows it.
fn stored_refresh_token(env: &Env) -> String {
    let out = env.ok(&["token", "-o", "json", "--show-refresh-token"], "");
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    json["refresh_token"]
        .as_str()
        .expect("a refresh token is stored")
        .to_string()
}

fn runai_refresh_from_stdin(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    login_runai(&env, &fake, "runai");
    let rt = fake.issue_refresh_token();
    env.ok(&["refresh", "--refresh-token-stdin"], &format!("{rt}\n"));
    assert_eq!(
        last_body(&fake, "/api/v1/token")["refreshToken"],
        rt.as_str()
    );
}

fn runai219_refresh_legacy_endpoint(store: Store) {
    let env = Env::new(store);
    let fake = server("2.19");
    Login::runai(&fake.url())
        .args(&["--api", "runai-2.19", "--legacy-endpoints"])
        .stdin("wonderland\n")
        .ok(&env);
    let before = printed_token(&env);
    env.ok(&["refresh"], "");
    let req = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/k8s/auth/oauth/tokens/refresh")
        .expect("2.19 refresh with legacy_endpoints uses the deprecated endpoint");
    assert_eq!(req.method, "POST");
    assert!(
        req.query
            .as_deref()
            .unwrap_or("")
            .starts_with("refresh_token="),
        "{:?}",
        req.query
    );
    assert_eq!(req.body, "", "no body");
    assert_eq!(fake.count("grant:refresh_token"), 0, "not the 2.23 grant");
    let after = printed_token(&env);
    assert_ne!(before, after);
    assert!(fake.is_valid_access_token(&after));
}

fn gbds_refresh_token_grant(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    Login::gbds(&fake.gbds_url()).ok(&env);
    let first = printed_token(&env);
    env.ok(&["refresh"], "");
    let body = last_body(&fake, "/gbds/v2/tokens");
    assert_eq!(body["data"]["grantType"], "TOKEN");
    assert_eq!(body["data"]["token"], first.as_str());
    assert_ne!(printed_token(&env), first);
    assert_eq!(fake.count("gbds:TOKEN"), 1);
}

fn gbds_refresh_of_expired_token_needs_login(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    fake.set_gbds_token_lifetime_ms(-60_000);
    // The login itself says the token it got is already expired (issue 17).
    Login::gbds(&fake.gbds_url()).fails(&env, 4);
    let out = env.fails(&["refresh"], "", 3);
    assert!(
        out.stderr.contains("expired") && out.stderr.contains("tokenctl login"),
        "{out}"
    );
    assert_eq!(
        fake.count("gbds:TOKEN"),
        0,
        "an expired GBDS token is not sent"
    );
}

fn runai_exchange_code(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let redirect = "http://localhost:43121/callback";
    let code = fake.issue_code(redirect);
    env.ok(
        &[
            "exchange-code",
            "--server",
            &fake.url(),
            "--code",
            &code,
            "--redirect-uri",
            redirect,
        ],
        "",
    );
    let body = last_body(&fake, "/api/v1/token");
    assert_eq!(body["grantType"], "exchange_token");
    assert_eq!(body["code"], code.as_str());
    assert_eq!(body["redirectUri"], redirect);
    assert!(fake.is_valid_access_token(&printed_token(&env)));
    // Codes are single use: the second exchange is rejected with exit 3.
    let out = env.fails(
        &["exchange-code", "--code", &code, "--redirect-uri", redirect],
        "",
        3,
    );
    assert!(
        out.stderr.contains("run:ai rejected the code exchange"),
        "{out}"
    );
}

fn runai219_exchange_code_legacy_endpoint(store: Store) {
    let env = Env::new(store);
    let fake = server("2.19");
    let redirect = "https://acme.run.ai/oauth-code";
    let code = fake.issue_code(redirect);
    env.ok(
        &[
            "exchange-code",
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--legacy-endpoints",
            "--code-stdin",
            "--redirect-uri",
            redirect,
        ],
        &code,
    );
    let req = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/k8s/auth/token/exchange")
        .expect("2.19 uses the deprecated GET endpoint");
    assert_eq!(req.method, "GET");
    let query = req.query.unwrap_or_default();
    assert!(query.contains(&format!("code={code}")), "{query}");
    assert!(
        query.contains("redirect_uri=https%3A%2F%2Facme.run.ai%2Foauth-code"),
        "{query}"
    );
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

fn gbds_exchange_code_not_offered(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let out = env.fails(
        &[
            "exchange-code",
            "--api",
            "gbds",
            "--server",
            &fake.gbds_url(),
            "--code",
            "x",
            "--redirect-uri",
            "http://localhost/cb",
        ],
        "",
        2,
    );
    assert!(
        out.stderr
            .contains("GBDS has no authorization-code exchange"),
        "{out}"
    );
    assert!(fake.requests().is_empty());
}

fn runai_app_token_client_credentials(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let out = env.ok(
        &[
            "--profile",
            "ci",
            "app-token",
            "--server",
            &fake.url(),
            "--client-id",
            "ci-bot",
            "--client-secret-stdin",
            "-o",
            "token",
        ],
        "ci-bot-secret",
    );
    let body = last_body(&fake, "/api/v1/token");
    assert_eq!(body["grantType"], "client_credentials");
    assert_eq!(body["clientID"], "ci-bot");
    assert_eq!(body["clientSecret"], "ci-bot-secret");
    assert!(body.get("appID").is_none());
    let token = out.stdout.trim();
    assert!(fake.is_valid_access_token(token));
    assert_eq!(
        env.ok(&["--profile", "ci", "token"], "").stdout.trim(),
        token
    );
}

fn runai_app_token_legacy_grant(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    env.ok(
        &[
            "app-token",
            "--server",
            &fake.url(),
            "--client-id",
            "ci-bot",
            "--grant",
            "app_token",
            "--client-secret-stdin",
        ],
        "ci-bot-secret",
    );
    let body = last_body(&fake, "/api/v1/token");
    assert_eq!(body["grantType"], "app_token");
    assert_eq!(body["appID"], "ci-bot");
    assert_eq!(body["appSecret"], "ci-bot-secret");
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

fn runai219_app_token_endpoint(store: Store) {
    let env = Env::new(store);
    let fake = server("2.19");
    // The 2.19 endpoint needs the app name: say so before asking for anything.
    let out = env.fails(
        &[
            "app-token",
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--legacy-endpoints",
            "--client-id",
            "ci-bot",
            "--client-secret-stdin",
        ],
        "ci-bot-secret",
        2,
    );
    assert!(out.stderr.contains("--app-name"), "{out}");
    assert!(fake.requests().is_empty());

    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret");
    let out = cmd
        .args([
            "app-token",
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--legacy-endpoints",
            "--client-id",
            "ci-bot",
            "--app-name",
            "ci-bot",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = last_body(&fake, "/v1/k8s/auth/oauth/apptoken");
    assert_eq!(
        body,
        serde_json::json!({"id": "ci-bot", "name": "ci-bot", "secret": "ci-bot-secret"})
    );
    let token = printed_token(&env);
    assert!(fake.is_valid_access_token(&token));
    assert!(jwt_claims(&token)["exp"].is_u64());
}

fn runai219_app_token_grant_uses_token_endpoint(store: Store) {
    let env = Env::new(store);
    let fake = server("2.19");
    env.ok(
        &[
            "app-token",
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--client-id",
            "ci-bot",
            "--grant",
            "app_token",
            "--client-secret-stdin",
        ],
        "ci-bot-secret",
    );
    assert_eq!(last_body(&fake, "/api/v1/token")["grantType"], "app_token");
    assert_eq!(fake.count("POST /v1/k8s/auth/oauth/apptoken"), 0);
    // client_credentials does not exist in 2.19: a clear error, nothing sent.
    let before = fake.requests().len();
    let out = env.fails(
        &[
            "app-token",
            "--grant",
            "client_credentials",
            "--client-secret-stdin",
        ],
        "x",
        2,
    );
    assert!(
        out.stderr
            .contains("Run:ai 2.19 has no client_credentials grant"),
        "{out}"
    );
    assert_eq!(fake.requests().len(), before);
}

fn gbds_app_token_not_offered(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let out = env.fails(
        &[
            "app-token",
            "--api",
            "gbds",
            "--server",
            &fake.gbds_url(),
            "--client-id",
            "x",
            "--client-secret-stdin",
        ],
        "s",
        2,
    );
    assert!(
        out.stderr.contains("GBDS has no application tokens"),
        "{out}"
    );
    assert!(fake.requests().is_empty());
}

both_stores!(
    runai_login_password,
    runai_login_external_token,
    runai219_login_password,
    gbds_login_credentials,
    runai_refresh,
    runai_refresh_from_stdin,
    runai219_refresh_legacy_endpoint,
    gbds_refresh_token_grant,
    gbds_refresh_of_expired_token_needs_login,
    runai_exchange_code,
    runai219_exchange_code_legacy_endpoint,
    gbds_exchange_code_not_offered,
    runai_app_token_client_credentials,
    runai_app_token_legacy_grant,
    runai219_app_token_endpoint,
    runai219_app_token_grant_uses_token_endpoint,
    gbds_app_token_not_offered,
);
