//! SSO against a real OpenID Connect provider: `oidc-provider` from npm
//! (tests/oidc/provider.mjs), the system's Chromium driven by
//! playwright-core (tests/oidc/browser.mjs) signing in on the provider's
//! own login page, and the fake Run:ai server redeeming the code at the
//! provider's token endpoint as Run:ai's backend does. ./scripts/test.sh
//! installs node, Chromium and `npm ci`s tests/oidc.
// Unix only: the browser is `$BROWSER` (a Unix-only setting: Windows uses `start`), a node script driving Chromium.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, FakeServer, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::{Config, OidcRedeem};

fn oidc_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

fn need_node_and_chromium() {
    for tool in ["node", "chromium"] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
        assert!(
            found,
            "this test needs `{tool}`; run ./scripts/test.sh, which installs it"
        );
    }
    assert!(
        oidc_dir().join("node_modules/oidc-provider").is_dir()
            && oidc_dir().join("node_modules/playwright-core").is_dir(),
        "tests/oidc/node_modules is missing: run `npm ci` in tests/oidc (./scripts/test.sh does)"
    );
}

/// The provider process; killed on drop.
struct Provider {
    child: Child,
    issuer: String,
}

impl Provider {
    /// Its stderr goes to `log`, for failure messages.
    fn start(log: &Path, redirect_uris: &[&str]) -> Self {
        need_node_and_chromium();
        let mut cmd = Command::new("node");
        cmd.arg(oidc_dir().join("provider.mjs"));
        for uri in redirect_uris {
            cmd.args(["--redirect-uri", uri]);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .expect("start node");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let issuer = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
            .to_string();
        Provider { child, issuer }
    }

    fn auth_url(&self) -> String {
        format!("{}/auth", self.issuer)
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fake Run:ai server, redeeming codes at `provider` with the secrets
/// of both its clients; `runai` is the tenant's default client.
fn runai_redeeming_at(provider: &Provider) -> FakeServer {
    FakeServer::start_with(Config {
        oidc_redeem: Some(OidcRedeem {
            token_endpoint: format!("{}/token", provider.issuer),
            clients: vec![
                ("runai-cli".into(), "runai-cli-secret".into()),
                ("runai".into(), "runai-secret".into()),
            ],
            default_client_id: "runai".into(),
        }),
        ..Config::default()
    })
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// `$BROWSER`: Chromium signing in as alice; writes browser.visited and
/// browser.page into `dir`.
fn browser_script(env: &Env) -> (PathBuf, PathBuf) {
    let dir = env.path("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("chromium-login.sh");
    common::executable::write_executable(
        &script,
        format!(
            "#!/bin/sh\nexec node '{}' login \"$1\" '{}' 2> '{}/browser.log'\n",
            oidc_dir().join("browser.mjs").display(),
            dir.display(),
            dir.display()
        ),
    );
    (script, dir)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

/// Waits for a file the browser writes after tokenctl has answered it.
fn wait_for(path: &Path, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} did not appear within {secs}s",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn browser_login(
    env: &Env,
    fake: &FakeServer,
    auth_url: &str,
    port: u16,
    extra: &[&str],
) -> Output {
    let (script, _) = browser_script(env);
    let port = port.to_string();
    let mut cmd = env.cmd();
    cmd.env("BROWSER", &script)
        .args([
            "login",
            "--browser",
            "--server",
            &fake.url(),
            "--auth-url",
            auth_url,
            "--callback-port",
            &port,
        ])
        .args(extra);
    Output::of(&mut cmd)
}

fn exchange_bodies(fake: &FakeServer) -> Vec<Value> {
    fake.requests()
        .into_iter()
        .filter(|r| r.path == "/api/v1/token")
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect()
}

#[test]
fn browser_login_through_a_real_openid_connect_provider() {
    let started = Instant::now();
    let port = free_port();
    let redirect = format!("http://localhost:{port}/callback");
    let env = Env::new(Store::File);
    let provider = Provider::start(&env.path("provider.log"), &[&redirect]);
    let fake = runai_redeeming_at(&provider);
    let out = browser_login(
        &env,
        &fake,
        &provider.auth_url(),
        port,
        &["--browser-timeout", "60s"],
    );
    let dir = env.path("browser");
    assert_eq!(
        out.code,
        0,
        "{out}\n--- browser\n{}\n--- provider\n{}",
        read(&dir, "browser.log"),
        read(&env.path(""), "provider.log")
    );
    assert!(out.stderr.contains("as alice"), "{out}");

    // Chromium went: tokenctl's start URL, the provider's own login page,
    // back to tokenctl's callback, which showed the outcome.
    let page = wait_for(&dir.join("browser.page"), 90);
    assert!(page.contains("Login complete"), "{page}");
    let visited = read(&dir, "browser.visited");
    let visited: Vec<&str> = visited.lines().collect();
    assert!(
        visited[0].starts_with(&format!("http://localhost:{port}/start/")),
        "{visited:?}"
    );
    assert!(
        visited
            .iter()
            .any(|u| u.starts_with(&format!("{}/interaction/", provider.issuer))),
        "the provider's login page: {visited:?}"
    );
    assert!(
        visited
            .last()
            .unwrap()
            .starts_with(&format!("{redirect}?code=")),
        "{visited:?}"
    );

    // One exchange, as the client the code was issued to.
    let bodies = exchange_bodies(&fake);
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["grantType"], "exchange_token");
    assert_eq!(bodies[0]["clientID"], "runai-cli");
    assert_eq!(bodies[0]["redirectUri"], redirect.as_str());
    let token = env.ok(&["token"], "").stdout.trim_end().to_string();
    assert!(fake.is_valid_access_token(&token));
    eprintln!("real-provider browser login took {:?}", started.elapsed());
}

/// The provider, not the fake, decides: a code redeemed as another client,
/// with another redirect URI, or issued for a PKCE challenge (Run:ai's
/// exchange has no field for the verifier) is refused.
#[test]
fn the_real_provider_refuses_mismatched_codes() {
    let port = free_port();
    let redirect = format!("http://localhost:{port}/callback");
    let env = Env::new(Store::File);
    let provider = Provider::start(&env.path("provider.log"), &[&redirect]);
    let fake = runai_redeeming_at(&provider);
    let auth = |extra: &str| {
        format!(
            "{}?response_type=code&client_id=runai-cli&scope=openid&state=s&redirect_uri={}{extra}",
            provider.auth_url(),
            url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
        )
    };
    let challenge =
        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    let out = Command::new("node")
        .arg(oidc_dir().join("browser.mjs"))
        .args([
            "codes",
            &redirect,
            &auth(""),
            &auth(""),
            &auth(challenge),
            &auth(""),
        ])
        .output()
        .unwrap();
    let codes: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        codes.len(),
        4,
        "{codes:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exchange = |code: &str, redirect: &str, client: &str| {
        env.run(
            &[
                "--profile",
                "sso",
                "exchange-code",
                "--server",
                &fake.url(),
                "--code-stdin",
                "--redirect-uri",
                redirect,
                "--oidc-client-id",
                client,
            ],
            code,
        )
    };

    let out = exchange(&codes[0], &redirect, "runai");
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr
            .contains("refused the code as client runai: invalid_grant"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("or when the client id (`runai`) or redirect URI sent with it differ"),
        "the hint names the mismatch, not only reuse: {out}"
    );

    let out = exchange(&codes[1], &format!("{redirect}/other"), "runai-cli");
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("invalid_grant"), "{out}");

    let out = exchange(&codes[2], &redirect, "runai-cli");
    assert_eq!(out.code, 3, "a challenge without verifier: {out}");
    assert!(out.stderr.contains("invalid_grant"), "{out}");

    let out = exchange(&codes[3], &redirect, "runai-cli");
    assert_eq!(out.code, 0, "{out}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        config.contains("oidc_client_id = \"runai-cli\""),
        "{config}"
    );
    let clients: Vec<Value> = exchange_bodies(&fake)
        .into_iter()
        .map(|b| b["clientID"].clone())
        .collect();
    assert_eq!(clients, ["runai", "runai-cli", "runai-cli", "runai-cli"]);
}

#[test]
fn a_wrong_client_id_fails_the_browser_login() {
    let port = free_port();
    let redirect = format!("http://localhost:{port}/callback");
    let env = Env::new(Store::File);
    let provider = Provider::start(&env.path("provider.log"), &[&redirect]);
    let fake = runai_redeeming_at(&provider);
    let out = browser_login(
        &env,
        &fake,
        &provider.auth_url(),
        port,
        &[
            "--oidc-client-id",
            "not-registered",
            "--browser-timeout",
            "12s",
        ],
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("timed out"), "{out}");
    let page = wait_for(&env.path("browser/browser.page"), 90);
    assert!(
        page.contains("invalid_client"),
        "the provider's page: {page}"
    );
    assert!(exchange_bodies(&fake).is_empty());
}

#[test]
fn a_pkce_challenge_fails_the_browser_login() {
    let port = free_port();
    let redirect = format!("http://localhost:{port}/callback");
    let env = Env::new(Store::File);
    let provider = Provider::start(&env.path("provider.log"), &[&redirect]);
    let fake = runai_redeeming_at(&provider);
    // What `--pkce` used to add; the profile's auth URL may carry extra
    // parameters, so this is still possible by hand.
    let auth_url = format!(
        "{}?code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        provider.auth_url()
    );
    let out = browser_login(&env, &fake, &auth_url, port, &["--browser-timeout", "60s"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr
            .contains("refused the code as client runai-cli: invalid_grant"),
        "{out}"
    );
    let page = wait_for(&env.path("browser/browser.page"), 90);
    assert!(page.contains("Login failed"), "{page}");
    assert_eq!(exchange_bodies(&fake).len(), 1);
    env.fails(&["token"], "", 3);
}

/// `--api runai-oauth2`: the code goes to `/api/v2/token` as an
/// `authorization_code` grant, and the fake (2.24) redeems it at the real
/// provider with the `client_id` and `redirect_uri` it received.
#[test]
fn oauth2_browser_login_through_a_real_openid_connect_provider() {
    let port = free_port();
    let redirect = format!("http://localhost:{port}/callback");
    let env = Env::new(Store::File);
    let provider = Provider::start(&env.path("provider.log"), &[&redirect]);
    let fake = FakeServer::start_with(Config {
        runai_version: "2.24".into(),
        oidc_redeem: Some(OidcRedeem {
            token_endpoint: format!("{}/token", provider.issuer),
            clients: vec![
                ("runai-cli".into(), "runai-cli-secret".into()),
                ("runai".into(), "runai-secret".into()),
            ],
            default_client_id: "runai".into(),
        }),
        ..Config::default()
    });
    let out = browser_login(
        &env,
        &fake,
        &provider.auth_url(),
        port,
        &["--api", "runai-oauth2", "--browser-timeout", "60s"],
    );
    assert_eq!(
        out.code,
        0,
        "{out}\n--- browser\n{}\n--- provider\n{}",
        read(&env.path("browser"), "browser.log"),
        read(&env.path(""), "provider.log")
    );
    let forms: Vec<Vec<(String, String)>> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v2/token")
        .map(|r| {
            url::form_urlencoded::parse(r.body.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .filter(|(k, _)| k != "code")
                .collect()
        })
        .collect();
    assert_eq!(
        forms,
        [vec![
            ("grant_type".to_string(), "authorization_code".to_string()),
            ("redirect_uri".into(), redirect.clone()),
            ("client_id".into(), "runai-cli".into()),
        ]]
    );
    assert!(
        exchange_bodies(&fake).is_empty(),
        "nothing on /api/v1/token"
    );
    let token = env.ok(&["token"], "").stdout.trim_end().to_string();
    assert!(fake.is_valid_access_token(&token));
}
