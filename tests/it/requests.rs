//! What tokenctl puts on the wire: the endpoints 2.19 profiles use, bodyless
//! POSTs, the whole-request timeout, proxies and credentials in URLs.

use crate::common;

use std::time::{Duration, Instant};

use common::fixtures::Login;
use common::{Env, FakeServer, Fault, Output, Store};
use tokenctl_fake_server::Config;

const LEGACY_REFRESH: &str = "/v1/k8s/auth/oauth/tokens/refresh";
const LEGACY_EXCHANGE: &str = "/v1/k8s/auth/token/exchange";

fn server_219() -> FakeServer {
    FakeServer::start_with(Config {
        runai_version: "2.19".into(),
        ..Config::default()
    })
}

fn login_219(env: &Env, fake: &FakeServer, extra: &[&str]) {
    Login::runai(&fake.url())
        .args(&["--api", "runai-2.19"])
        .args(extra)
        .stdin("wonderland\n")
        .ok(env);
}

fn token(env: &Env) -> String {
    env.ok(&["token"], "").stdout.trim_end().to_string()
}

#[test]
fn runai219_refresh_goes_to_the_token_endpoint_without_a_query() {
    let env = Env::new(Store::File);
    let fake = server_219();
    login_219(&env, &fake, &[]);
    let before = token(&env);
    fake.reset_counts();
    env.ok(&["refresh"], "");
    let requests = fake.requests();
    assert!(
        requests.iter().all(|r| r.query.is_none()),
        "no query string anywhere: {requests:?}"
    );
    assert!(
        requests.iter().all(|r| r.path != LEGACY_REFRESH),
        "{requests:?}"
    );
    let refresh = requests
        .iter()
        .rev()
        .find(|r| r.path == "/api/v1/token")
        .expect("refresh went to /api/v1/token");
    let body: serde_json::Value = serde_json::from_str(&refresh.body).unwrap();
    assert_eq!(body["grantType"], "refresh_token");
    assert_eq!(fake.count("grant:refresh_token"), 1);
    let after = token(&env);
    assert_ne!(before, after);
    assert!(fake.is_valid_access_token(&after));
}

#[test]
fn runai219_refresh_falls_back_once_after_a_404() {
    let env = Env::new(Store::File);
    let fake = server_219();
    login_219(&env, &fake, &[]);
    let before = token(&env);
    // A control plane whose /api/v1/token lacks the grant.
    fake.set_fault(
        Fault::Status {
            status: 404,
            body: "404 page not found".into(),
            content_type: Some("text/plain".into()),
        },
        Some(1),
    );
    let out = env.ok(&["-v", "refresh"], "");
    assert!(
        out.stderr.contains("refresh token travels in the URL"),
        "{out}"
    );
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
    let tail = &paths[paths.len() - 2..];
    assert_eq!(tail, ["/api/v1/token", LEGACY_REFRESH], "{paths:?}");
    let after = token(&env);
    assert_ne!(before, after);
    assert!(fake.is_valid_access_token(&after));
}

#[test]
fn runai219_legacy_endpoints_opt_in_and_bodyless_post_has_a_length() {
    let env = Env::new(Store::File);
    let fake = server_219();
    login_219(&env, &fake, &["--legacy-endpoints"]);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("legacy_endpoints = true"), "{config}");
    fake.reset_counts();
    env.ok(&["refresh"], "");
    assert_eq!(fake.count("grant:refresh_token"), 0);
    let req = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == LEGACY_REFRESH)
        .expect("opted in: the deprecated endpoint");
    assert_eq!(req.method, "POST");
    assert_eq!(req.body, "");
    assert_eq!(req.header("content-length"), Some("0"), "{:?}", req.headers);
}

#[test]
fn runai219_exchange_code_and_app_token_use_the_token_endpoint() {
    let env = Env::new(Store::File);
    let fake = server_219();
    let redirect = "https://acme.run.ai/oauth-code";
    let code = fake.issue_code(redirect);
    env.ok(
        &[
            "exchange-code",
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--code-stdin",
            "--redirect-uri",
            redirect,
        ],
        &code,
    );
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret");
    let out = cmd
        .args(["app-token", "--profile", "app", "--server"])
        .arg(fake.url())
        .args(["--api", "runai-2.19", "--client-id", "ci-bot"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = fake.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.path == "/api/v1/token" && r.query.is_none()),
        "{requests:?}"
    );
    let grants: Vec<String> = requests
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["grantType"].to_string()
        })
        .collect();
    assert_eq!(grants, ["\"exchange_token\"", "\"app_token\""]);
    assert!(!requests.iter().any(|r| r.path == LEGACY_EXCHANGE));
}

/// Logs in against `fake` with `--timeout 3s`; returns the exit code,
/// stderr and the wall time.
fn login_with_timeout(env: &Env, fake: &FakeServer) -> (common::Output, Duration) {
    let started = Instant::now();
    let out = Login::runai(&fake.url())
        .global(&["-v", "--timeout", "3s"])
        .stdin("wonderland\n")
        .run(env);
    (out, started.elapsed())
}

fn password_requests(fake: &FakeServer) -> usize {
    fake.requests()
        .iter()
        // Either token endpoint: a login first asks /api/v2/token.
        .filter(|r| r.path.ends_with("/token") && r.body.contains("wonderland"))
        .count()
}

#[test]
fn timeout_bounds_the_whole_request_against_a_hanging_server() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(Fault::Hang, None);
    let (out, took) = login_with_timeout(&env, &fake);
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("timed out"), "{out}");
    assert!(
        took < Duration::from_secs(5),
        "--timeout 3s took {took:?}: {out}"
    );
    assert!(took >= Duration::from_millis(2900), "{took:?}");
    assert_eq!(password_requests(&fake), 1, "the password went out once");
    eprintln!("--timeout 3s against a hanging server: {took:?}, 1 attempt");
}

#[test]
fn a_retry_gets_only_the_time_left() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // 503 after 1 s, then a hang: the retry must stop at the 3 s deadline.
    fake.set_fault(
        Fault::After {
            delay: Duration::from_secs(1),
            fault: Box::new(Fault::ServiceUnavailable { retry_after: None }),
        },
        Some(1),
    );
    let state = fake.state();
    let watcher = std::thread::spawn(move || {
        // Once the first request is in, hang every later one.
        let deadline = Instant::now() + Duration::from_secs(10);
        while state.requests().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(100));
        state.set_fault(Fault::Hang, None);
    });
    let (out, took) = login_with_timeout(&env, &fake);
    watcher.join().unwrap();
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("retrying"), "{out}");
    assert!(
        took < Duration::from_secs(5),
        "--timeout 3s took {took:?}: {out}"
    );
    let sent = password_requests(&fake);
    assert!((2..=3).contains(&sent), "{sent} attempts: {out}");
    eprintln!("--timeout 3s, 503 after 1 s then a hang: {took:?}, {sent} attempts");
}

const URL_PASSWORD: &str = "hunter2-in-url";

fn assert_redacted(out: &common::Output) {
    assert_eq!(out.code, 2, "{out}");
    assert!(!out.stderr.contains(URL_PASSWORD), "{out}");
    assert!(!out.stdout.contains(URL_PASSWORD), "{out}");
    assert!(
        out.stderr.contains("https://alice:***@acme.example"),
        "{out}"
    );
}

#[test]
fn a_password_in_the_server_url_is_refused_and_never_printed() {
    let env = Env::new(Store::File);
    let url = format!("https://alice:{URL_PASSWORD}@acme.example");
    // The flag, through clap's value parser.
    let out = env.run(&["login", "--server", &url, "--password-stdin"], "pw\n");
    assert_redacted(&out);
    // A URL that does not even parse is still redacted.
    let out = env.run(
        &[
            "login",
            "--server",
            &format!("https://alice:{URL_PASSWORD}@"),
            "--password-stdin",
        ],
        "pw\n",
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(!out.stderr.contains(URL_PASSWORD), "{out}");
    // The environment variable.
    let out = Output::of(
        env.cmd()
            .env("TOKENCTL_SERVER", &url)
            .args(["login", "--password-stdin"])
            .write_stdin("pw\n"),
    );
    assert_redacted(&out);
    // A `server = "…"` line in the config: the TOML excerpt quotes it.
    let config = env.config_path();
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        format!("[profiles.default]\nserver = \"{url}\"\napi = \"runai\"\n"),
    )
    .unwrap();
    for args in [&["status"][..], &["token"][..]] {
        let out = env.run(args, "");
        assert_redacted(&out);
    }
}

/// A stand-in proxy: counts the connections it is offered.
fn recording_proxy() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            count.fetch_add(1, Ordering::SeqCst);
            drop(conn);
        }
    });
    (url, seen)
}

const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

#[test]
fn a_loopback_login_never_goes_through_a_proxy() {
    use std::sync::atomic::Ordering;
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (proxy, seen) = recording_proxy();
    let mut cmd = env.cmd();
    for var in PROXY_VARS {
        cmd.env(var, &proxy);
    }
    let out = Output::of(
        cmd.args(Login::runai(&fake.url()).argv())
            .write_stdin("wonderland\n"),
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count("grant:password"), 1, "the real server answered");
    assert_eq!(seen.load(Ordering::SeqCst), 0, "the proxy saw a connection");

    // Plain http elsewhere is refused before any proxy is asked.
    let mut cmd = env.cmd();
    for var in PROXY_VARS {
        cmd.env(var, &proxy);
    }
    let out = Output::of(
        cmd.args(
            Login::runai("http://192.0.2.10:8085")
                .global(&["--profile", "far"])
                .argv(),
        )
        .write_stdin("wonderland\n"),
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("refusing plain http"), "{out}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(seen.load(Ordering::SeqCst), 0, "the proxy saw a connection");
}

fn exec_credential(env: &Env, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["kubectl-credential"];
    args.extend_from_slice(extra);
    let out = env.ok(&args, "");
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn kubectl_can_get_the_id_token() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["token", "-o", "json"], "").stdout).unwrap();
    let (access, id) = (json["access_token"].clone(), json["id_token"].clone());
    assert!(id.is_string() && id != access, "{json}");

    assert_eq!(exec_credential(&env, &[])["status"]["token"], access);
    let cred = exec_credential(&env, &["--kube-token", "id"]);
    assert_eq!(cred["status"]["token"], id);
    assert!(cred["status"]["expirationTimestamp"].is_string(), "{cred}");
    let out = env.ok(
        &["token", "-o", "exec-credential", "--kube-token", "id"],
        "",
    );
    assert!(out.stdout.contains(id.as_str().unwrap()), "{out}");
    // Plain `token` output is not affected.
    let out = env.ok(&["token", "--kube-token", "id"], "");
    assert_eq!(out.stdout.trim_end(), access.as_str().unwrap());

    // The profile's `kube_token`, and the flag over it.
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let config = config.replace(
        "[profiles.default]\n",
        "[profiles.default]\nkube_token = \"id\"\n",
    );
    assert!(config.contains("kube_token"), "{config}");
    std::fs::write(env.config_path(), config).unwrap();
    assert_eq!(exec_credential(&env, &[])["status"]["token"], id);
    assert_eq!(
        exec_credential(&env, &["--kube-token", "access"])["status"]["token"],
        access
    );

    // kubeconfig records the choice in the exec args.
    let out = env.ok(&["kubeconfig", "--command", "/usr/bin/tokenctl"], "");
    let at = out.stdout.find("kubectl-credential").expect("exec args");
    let after: String = out.stdout[at..].split_whitespace().take(6).collect();
    assert!(
        after.contains("--kube-token") && after.contains("id"),
        "{out}"
    );
    let out = env.ok(
        &[
            "kubeconfig",
            "--command",
            "/usr/bin/tokenctl",
            "--kube-token",
            "access",
        ],
        "",
    );
    assert!(!out.stdout.contains("--kube-token"), "{out}");
}

#[test]
fn an_id_token_for_kubectl_without_one_is_a_credentials_error() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret");
    let out = Output::of(cmd.args([
        "app-token",
        "--server",
        &fake.url(),
        "--client-id",
        "ci-bot",
    ]));
    assert_eq!(out.code, 0, "{out}");
    let out = env.fails(&["kubectl-credential", "--kube-token", "id"], "", 3);
    assert!(out.stderr.contains("no id token"), "{out}");
    assert!(out.stderr.contains("SSO"), "{out}");
    assert_eq!(out.stdout, "");
}

#[test]
fn runai219_code_exchange_falls_back_once_after_a_405() {
    let env = Env::new(Store::File);
    let fake = server_219();
    let redirect = "https://acme.run.ai/oauth-code";
    let code = fake.issue_code(redirect);
    fake.set_fault(Fault::Empty(405), Some(1));
    let out = env.ok(
        &[
            "-v",
            "exchange-code",
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--code-stdin",
            "--redirect-uri",
            redirect,
        ],
        &code,
    );
    assert!(
        out.stderr.contains("authorization code travels in the URL"),
        "{out}"
    );
    assert!(!out.stderr.contains(&code), "{out}");
    let sent: Vec<(String, String)> = fake
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    assert_eq!(
        sent,
        [
            ("POST".to_string(), "/api/v1/token".to_string()),
            ("GET".into(), LEGACY_EXCHANGE.into())
        ]
    );
    assert!(fake.is_valid_access_token(&token(&env)));
}
