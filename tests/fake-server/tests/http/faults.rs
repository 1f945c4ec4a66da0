//! Injected faults, counting under faults, the Date header.

use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use tokenctl_fake_server::{FakeServer, Fault};

use crate::common::*;

fn login() -> Value {
    json!({"grantType": "password", "username": "alice", "password": "wonderland"})
}

async fn send_login(server: &FakeServer) -> reqwest::Response {
    client()
        .post(format!("{}/api/v1/token", server.url()))
        .json(&login())
        .send()
        .await
        .unwrap()
}

async fn send_gbds(server: &FakeServer) -> reqwest::Response {
    client()
        .post(format!("{}/tokens", server.gbds_url()))
        .json(&json!({"data": {"grantType": "CREDENTIALS", "userName": "operator", "userPassword": "gbds-pass"}}))
        .send()
        .await
        .unwrap()
}

fn content_type(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn status_fault_sends_given_body_and_type() {
    let server = FakeServer::start();
    server.set_fault(
        Fault::Status {
            status: 503,
            body: r#"{"code":503,"message":"maintenance"}"#.into(),
            content_type: Some("application/json".into()),
        },
        Some(1),
    );
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 503);
    assert_eq!(content_type(&resp).as_deref(), Some("application/json"));
    assert_eq!(
        resp.text().await.unwrap(),
        r#"{"code":503,"message":"maintenance"}"#
    );
    // times = 1: the next request is served normally
    assert_eq!(send_login(&server).await.status(), 200);
    assert_eq!(server.count("POST /api/v1/token"), 2);
    assert_eq!(server.count("grant:password"), 2);
}

#[tokio::test]
async fn service_unavailable_speaks_each_dialect() {
    let server = FakeServer::start();
    server.set_fault(
        Fault::ServiceUnavailable {
            retry_after: Some(7),
        },
        None,
    );
    let resp = send_login(&server).await;
    assert_eq!(resp.headers()["retry-after"], "7");
    let (status, body) = json_of(resp).await;
    assert_runai_error(status, &body, 503);

    let resp = send_gbds(&server).await;
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 503);
    assert_eq!(body["type"], "INTERNAL_ERROR");

    server.set_fault(Fault::ServiceUnavailable { retry_after: None }, None);
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().get("retry-after").is_none());
    server.clear_fault();
    assert_eq!(send_login(&server).await.status(), 200);
}

#[tokio::test]
async fn slow_fault_delays_then_answers_normally() {
    let server = FakeServer::start();
    server.set_fault(Fault::Slow(Duration::from_millis(400)), Some(1));
    let started = Instant::now();
    let (status, body) = json_of(send_login(&server).await).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(status, 200);
    assert!(body["accessToken"].is_string());
}

#[tokio::test]
async fn html_and_empty_faults() {
    let server = FakeServer::start();
    server.set_fault(Fault::Html(502), Some(1));
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 502);
    assert!(content_type(&resp).unwrap().starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("<html>"));

    server.set_fault(Fault::Empty(500), Some(1));
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 500);
    assert!(resp.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn malformed_and_non_utf8_bodies() {
    let server = FakeServer::start();
    server.set_fault(Fault::MalformedJson, Some(2));
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert_eq!(text, r#"{"accessToken": "abc"#);
    assert!(serde_json::from_str::<Value>(&text).is_err());
    let resp = send_gbds(&server).await;
    assert_eq!(resp.status(), 201);
    assert!(serde_json::from_slice::<Value>(&resp.bytes().await.unwrap()).is_err());

    server.set_fault(Fault::NonUtf8, Some(1));
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
}

#[tokio::test]
async fn no_access_token_fault() {
    let server = FakeServer::start();
    server.set_fault(Fault::NoAccessToken, None);
    let (status, body) = json_of(send_login(&server).await).await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = json_of(send_gbds(&server).await).await;
    assert_eq!((status, body), (201, json!({"data": {}})));
}

#[tokio::test]
async fn huge_fault_has_exact_length() {
    let server = FakeServer::start();
    let size = 3 * 1024 * 1024 + 17;
    server.set_fault(Fault::Huge(size), Some(1));
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(bytes.len(), size);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(body["accessToken"].is_string());
}

#[tokio::test]
async fn redirect_fault() {
    let server = FakeServer::start();
    server.set_fault(
        Fault::Redirect {
            status: 302,
            location: "https://login.example.com/sso".into(),
        },
        Some(1),
    );
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.headers()["location"], "https://login.example.com/sso");
}

#[tokio::test]
async fn hang_fault_never_answers_until_cleared() {
    let server = FakeServer::start();
    server.set_fault(Fault::Hang, None);
    install_provider();
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = quick
        .post(format!("{}/api/v1/token", server.url()))
        .json(&login())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(server.count("POST /api/v1/token"), 1);
    // control endpoints are exempt from faults
    let counts = client()
        .get(format!("{}/__fake/counts", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(counts.status(), 200);
    server.clear_fault();
    assert_eq!(send_login(&server).await.status(), 200);
    // dropping the server with a hung connection must not block
    drop(server);
}

#[tokio::test]
async fn fault_times_counts_down() {
    let server = FakeServer::start();
    server.set_fault(Fault::Empty(503), Some(2));
    assert_eq!(send_login(&server).await.status(), 503);
    assert_eq!(send_gbds(&server).await.status(), 503);
    assert_eq!(send_login(&server).await.status(), 200);
    assert_eq!(server.count("POST /api/v1/token"), 2);
    assert_eq!(server.count("POST /gbds/v2/tokens"), 1);
    assert_eq!(server.count("gbds:CREDENTIALS"), 1);
}

#[tokio::test]
async fn date_header_follows_offset() {
    let server = FakeServer::start();
    let date_of = |resp: &reqwest::Response| {
        let text = resp.headers()["date"].to_str().unwrap().to_string();
        httpdate::parse_http_date(&text).unwrap()
    };
    let resp = send_login(&server).await;
    let skew = |t: SystemTime| {
        let now = SystemTime::now();
        match t.duration_since(now) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        }
    };
    assert!(skew(date_of(&resp)).abs() <= 2);

    server.set_date_offset(3600);
    let resp = send_login(&server).await;
    assert!((skew(date_of(&resp)) - 3600).abs() <= 2);

    server.set_date_offset(-600);
    server.set_fault(Fault::Html(502), Some(1));
    let resp = send_login(&server).await;
    assert_eq!(resp.status(), 502);
    assert!((skew(date_of(&resp)) + 600).abs() <= 2);
    assert_eq!(resp.headers().get_all("date").iter().count(), 1);
}
