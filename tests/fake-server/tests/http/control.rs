//! Counting and recording, the control endpoints, HTTPS, the binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
use tokenctl_fake_server::{Config, FakeServer};

use crate::common::*;

#[tokio::test]
async fn counts_and_recorded_requests() {
    let server = FakeServer::start();
    let resp = client()
        .post(format!("{}/api/v1/token", server.url()))
        .header("user-agent", "tokenctl/0.1.0")
        .json(&json!({"grantType": "password", "username": "alice", "password": "wonderland"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let rt = server.issue_refresh_token();
    client()
        .post(format!("{}/v1/k8s/auth/oauth/tokens/refresh", server.url()))
        .q(&[("refresh_token", &rt)])
        .send()
        .await
        .unwrap();
    client()
        .post(format!("{}/v1/k8s/auth/oauth/apptoken", server.url()))
        .json(&json!({"id": "ci-bot", "name": "ci-bot", "secret": "ci-bot-secret"}))
        .send()
        .await
        .unwrap();
    gbds(
        &server,
        json!({"data": {"grantType": "TOKEN", "token": "x"}}),
    )
    .await;

    let counts = server.counts();
    let expected: Vec<(&str, usize)> = vec![
        ("POST /api/v1/token", 1),
        ("POST /gbds/v2/tokens", 1),
        ("POST /v1/k8s/auth/oauth/apptoken", 1),
        ("POST /v1/k8s/auth/oauth/tokens/refresh", 1),
        ("gbds:TOKEN", 1),
        ("grant:password", 1),
    ];
    let got: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(got, expected);
    assert_eq!(server.count("grant:refresh_token"), 0);

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let first = &requests[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/api/v1/token");
    assert_eq!(first.query, None);
    assert_eq!(first.header("User-Agent"), Some("tokenctl/0.1.0"));
    assert_eq!(first.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(body["grantType"], "password");
    assert_eq!(
        requests[1].query.as_deref(),
        Some(format!("refresh_token={rt}").as_str())
    );
    assert_eq!(requests[1].body, "");

    server.reset_counts();
    assert!(server.counts().is_empty());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn control_endpoints() {
    let server = FakeServer::start();
    let base = server.url();
    let c = client();
    token(
        &server,
        json!({"grantType": "password", "username": "alice", "password": "x"}),
    )
    .await;

    let counts: Value = c
        .get(format!("{base}/__fake/counts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        counts,
        json!({"POST /api/v1/token": 1, "grant:password": 1})
    );
    let requests: Value = c
        .get(format!("{base}/__fake/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(requests[0]["path"], "/api/v1/token");

    let resp = c.post(format!("{base}/__fake/reset")).send().await.unwrap();
    assert!(resp.status().is_success());
    assert!(server.counts().is_empty());

    // code issued over HTTP works for the exchange grant
    let code = c
        .post(format!("{base}/__fake/code"))
        .q(&[("redirect_uri", REDIRECT)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (status, _) = token(
        &server,
        json!({"grantType": "exchange_token", "code": code, "redirectUri": REDIRECT}),
    )
    .await;
    assert_eq!(status, 200);

    // lifetime
    let resp = c
        .post(format!("{base}/__fake/lifetime?secs=-5"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let (_, body) = token(
        &server,
        json!({"grantType": "password", "username": "alice", "password": "wonderland"}),
    )
    .await;
    let access = body["accessToken"].as_str().unwrap();
    assert!(!server.is_valid_access_token(access));
    let valid: Value = c
        .get(format!("{base}/__fake/access-token/valid"))
        .q(&[("token", access)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(valid, json!({"valid": false}));
    let resp = c
        .post(format!("{base}/__fake/lifetime?secs=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);

    // faults
    let resp = c
        .post(format!("{base}/__fake/fault"))
        .body(r#"{"kind":"service_unavailable","retry_after":3,"times":1}"#)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let (status, _) = token(&server, json!({})).await;
    assert_eq!(status, 503);
    let (status, _) = token(&server, json!({})).await;
    assert_eq!(status, 400);
    c.post(format!("{base}/__fake/fault"))
        .body(r#"{"kind":"empty","status":502}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(token(&server, json!({})).await.0, 502);
    assert_eq!(token(&server, json!({})).await.0, 502);
    let resp = c
        .delete(format!("{base}/__fake/fault"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(token(&server, json!({})).await.0, 400);
    let resp = c
        .post(format!("{base}/__fake/fault"))
        .body(r#"{"kind":"bogus"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);

    // rotation, date offset, seeded tokens
    c.post(format!("{base}/__fake/rotation?on=false"))
        .send()
        .await
        .unwrap();
    let rt = c
        .post(format!("{base}/__fake/refresh-token"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (status, body) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["refreshToken"], rt.as_str());
    let resp = c
        .post(format!("{base}/__fake/date-offset?secs=86400"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let gbds_token: Value = c
        .post(format!("{base}/__fake/gbds-token?lifetime_ms=-1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expired = gbds_token["data"]["token"].as_str().unwrap();
    let (status, body) = gbds(
        &server,
        json!({"data": {"grantType": "TOKEN", "token": expired}}),
    )
    .await;
    assert_gbds_error(status, &body, 401, "SECURITY_ERROR", "EXPIRED_TOKEN");
    c.post(format!("{base}/__fake/gbds-lifetime?ms=1234"))
        .send()
        .await
        .unwrap();
    let (_, body) = gbds(
        &server,
        json!({"data": {"grantType": "CREDENTIALS", "userName": "operator", "userPassword": "gbds-pass"}}),
    )
    .await;
    assert_eq!(body["data"]["ttl"], 1234);

    // control traffic is neither counted nor recorded
    assert!(server.counts().keys().all(|k| !k.contains("__fake")));
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.starts_with("/__fake"))
    );
}

#[tokio::test]
async fn https_with_the_self_signed_ca() {
    let server = FakeServer::start_https(Config::default());
    assert!(server.url().starts_with("https://127.0.0.1:"));
    let pem = server.ca_pem().unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE"));
    install_provider();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    for base in [server.url(), format!("https://localhost:{}", server.port())] {
        let resp = trusting
            .post(format!("{base}/api/v1/token"))
            .json(&json!({"grantType": "password", "username": "alice", "password": "wonderland"}))
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            tokenctl_fake_server::jwt::decode_claims(body["accessToken"].as_str().unwrap())
                .unwrap()["iss"],
            server.url()
        );
    }
    // Without the CA the handshake fails.
    let err = client()
        .post(format!("{}/api/v1/token", server.url()))
        .json(&json!({}))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect() || err.is_request(), "{err}");
    assert!(FakeServer::start().ca_pem().is_none());
}

#[test]
fn drop_stops_the_server() {
    let server = FakeServer::start();
    let addr = server.addr();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    drop(server);
    assert!(std::net::TcpStream::connect(addr).is_err());
}

/// Kills the child process when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_binary(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (Running(child), url)
}

#[tokio::test]
async fn binary_serves_http_and_control_endpoints() {
    let (_child, url) = spawn_binary(&[
        "--port",
        "0",
        "--lifetime",
        "-1",
        "--runai-version",
        "2.19",
        "--no-rotation",
    ]);
    assert!(url.starts_with("http://127.0.0.1:"));
    let c = client();
    let (status, body) = post_json(
        &format!("{url}/api/v1/token"),
        &json!({"grantType": "client_credentials", "clientID": "ci-bot", "clientSecret": "ci-bot-secret"}),
    )
    .await;
    assert_runai_error(status, &body, 400);
    let rt = c
        .post(format!("{url}/__fake/refresh-token"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (status, body) = post_json(
        &format!("{url}/api/v1/token"),
        &json!({"grantType": "refresh_token", "refreshToken": rt}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["refreshToken"], rt.as_str());
    let exp = tokenctl_fake_server::jwt::decode_claims(body["accessToken"].as_str().unwrap())
        .unwrap()["exp"]
        .as_i64()
        .unwrap();
    assert!(exp < now_secs() + 1);
    let counts: Value = c
        .get(format!("{url}/__fake/counts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts["grant:refresh_token"], 1);
    assert_eq!(counts["grant:client_credentials"], 1);
}

#[tokio::test]
async fn binary_https_writes_the_ca() {
    let dir = std::env::temp_dir().join(format!("fake-server-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_path = dir.join("ca.pem");
    let (_child, url) = spawn_binary(&["--https", "--ca-out", ca_path.to_str().unwrap()]);
    assert!(url.starts_with("https://127.0.0.1:"));
    let pem = std::fs::read(&ca_path).unwrap();
    install_provider();
    let c = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let resp = c
        .post(format!("{url}/gbds/v2/tokens"))
        .json(&json!({"data": {"grantType": "CREDENTIALS", "userName": "operator", "userPassword": "gbds-pass"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_rejects_bad_arguments() {
    for args in [
        &["--port", "x"][..],
        &["--bogus"],
        &["--runai-version", "3.1"],
        &["--ca-out", "/tmp/x"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}
