//! The one HTTP client (issue 17): the CI identity token request goes
//! through it like every other request (the profile's CA file, the loopback
//! rule for proxies from the environment, the command line's timeout), and
//! it starts on a machine with no CA store at all (a slim container).

use crate::common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::fixtures::{Login, PASSWORD};
use common::proxy::recording_proxy;
use common::{Env, FakeServer, Output, Store};
use tokenctl_fake_server::Config;
use tokenctl_fake_server::github::{GITHUB_REQUEST_TOKEN, GITHUB_TOKEN_PATH};

const GITHUB_COUNT: &str = "GET /__github/token";

/// `tokenctl login --external-token-from github-actions` as a job step
/// whose identity token service is at `token_url`.
fn ci_login(
    env: &Env,
    token_url: &str,
    server: &str,
    extra: &[&str],
    vars: &[(&str, &str)],
) -> Output {
    let mut cmd = env.cmd();
    cmd.env("ACTIONS_ID_TOKEN_REQUEST_URL", token_url)
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", GITHUB_REQUEST_TOKEN)
        .args(extra)
        .args([
            "login",
            "--server",
            server,
            "--external-token-from",
            "github-actions",
        ]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    Output::of(&mut cmd)
}

#[test]
#[cfg_attr(
    windows,
    ignore = "under Wine 8 the platform verifier cannot add a CA (crypt32 answers E_INVALIDARG); unproven on Windows"
)]
fn the_ci_request_trusts_the_profiles_ca_file() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_https(Config::default());
    let token_url = format!("{}{GITHUB_TOKEN_PATH}", fake.url());
    let ca = env.path("ca.pem");
    std::fs::write(&ca, fake.ca_pem().unwrap()).unwrap();
    // Without the CA, neither request can verify the private certificate.
    let out = ci_login(&env, &token_url, &fake.url(), &[], &[]);
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("TLS"), "{out}");
    assert_eq!(fake.count(GITHUB_COUNT), 0, "nothing sent unverified");
    // With --ca-file both verify: the identity token request too.
    let mut cmd = env.cmd();
    cmd.env("ACTIONS_ID_TOKEN_REQUEST_URL", &token_url)
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", GITHUB_REQUEST_TOKEN)
        .args([
            "login",
            "--server",
            &fake.url(),
            "--ca-file",
            ca.to_str().unwrap(),
            "--external-token-from",
            "github-actions",
        ]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count(GITHUB_COUNT), 1, "{:?}", fake.counts());
    assert_eq!(fake.count("grant:external_token_exchange"), 1);
}

#[test]
fn a_loopback_ci_token_service_is_never_reached_through_a_proxy() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (proxy, seen) = recording_proxy();
    let token_url = format!("{}{GITHUB_TOKEN_PATH}", fake.url());
    let out = ci_login(
        &env,
        &token_url,
        &fake.url(),
        &[],
        &[
            ("HTTP_PROXY", &proxy),
            ("http_proxy", &proxy),
            ("ALL_PROXY", &proxy),
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "the proxy saw: {:?}",
        seen.lock().unwrap()
    );
    assert_eq!(fake.count(GITHUB_COUNT), 1);
}

#[test]
fn a_far_ci_token_service_goes_through_the_proxy_without_leaking_the_request_token() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (proxy, seen) = recording_proxy();
    // A name only the proxy would resolve; plain http is allowed for this
    // test double only on loopback, so this goes over https (CONNECT).
    let far = "https://tokenctl-ci-proxy-test.invalid/token";
    let out = ci_login(
        &env,
        far,
        &fake.url(),
        &["-vv"],
        &[("HTTPS_PROXY", &proxy), ("https_proxy", &proxy)],
    );
    assert_ne!(out.code, 0, "the proxy answers 502: {out}");
    let seen = seen.lock().unwrap();
    assert!(
        seen.iter()
            .any(|h| h.starts_with("CONNECT tokenctl-ci-proxy-test.invalid:443")),
        "went through the proxy: {seen:?}"
    );
    // The request token travels inside the tunnel, never to the proxy.
    assert!(
        seen.iter().all(|h| !h.contains(GITHUB_REQUEST_TOKEN)),
        "{seen:?}"
    );
    assert!(!out.stderr.contains(GITHUB_REQUEST_TOKEN), "{out}");
}

#[test]
fn the_ci_request_keeps_to_the_command_lines_timeout() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // Accepts connections and never answers.
    let hang = TcpListener::bind("127.0.0.1:0").unwrap();
    let token_url = format!("http://{}/token", hang.local_addr().unwrap());
    let started = Instant::now();
    let out = ci_login(&env, &token_url, &fake.url(), &["--timeout", "2s"], &[]);
    let took = started.elapsed();
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("timed out"), "{out}");
    // The old client's own 30 s limit would still be waiting here.
    assert!(took < Duration::from_secs(20), "took {took:?}: {out}");
    drop(hang);
}

/// A machine without a CA store (a slim container image): rustls-native-certs
/// finds nothing at SSL_CERT_FILE/SSL_CERT_DIR, as on a root without
/// ca-certificates.
fn without_ca_store(cmd: &mut assert_cmd::Command, env: &Env) {
    let empty = env.path("no-certs");
    std::fs::create_dir_all(&empty).unwrap();
    cmd.env("SSL_CERT_FILE", empty.join("none.pem"))
        .env("SSL_CERT_DIR", &empty);
}

#[test]
fn plain_http_needs_no_ca_store() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let url = fake.url();
    let login = Login::runai(&url);
    let mut cmd = env.cmd();
    without_ca_store(&mut cmd, &env);
    cmd.args(login.argv()).write_stdin(PASSWORD);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count("grant:password"), 1);
}

// A Unix CA store that is missing (Windows always has its own).
#[cfg(unix)]
#[test]
fn https_without_a_ca_store_uses_the_ca_file_or_says_what_is_missing() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_https(Config::default());
    let url = fake.url();
    let login = |extra: &[&str]| {
        let mut cmd = env.cmd();
        without_ca_store(&mut cmd, &env);
        cmd.args(Login::runai(&url).args(extra).argv())
            .write_stdin(PASSWORD);
        Output::of(&mut cmd)
    };
    let out = login(&[]);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("no CA certificates")
            && out.stderr.contains("ca-certificates")
            && out.stderr.contains("--ca-file"),
        "names the package and the flag: {out}"
    );
    assert_eq!(fake.count("grant:password"), 0, "nothing sent");
    let ca = env.path("ca.pem");
    std::fs::write(&ca, fake.ca_pem().unwrap()).unwrap();
    let out = login(&["--ca-file", ca.to_str().unwrap()]);
    assert_eq!(out.code, 0, "the CA file alone is enough: {out}");
    assert_eq!(fake.count("grant:password"), 1);
}
