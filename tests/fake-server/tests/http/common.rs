//! Helpers shared by the HTTP tests.

use std::sync::Once;
use std::time::Duration;

use serde_json::Value;
use tokenctl_fake_server::FakeServer;

pub const REDIRECT: &str = "http://127.0.0.1:8000/callback";

/// reqwest is built without a crypto provider; install ring once.
pub fn install_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client that does not follow redirects (faults must be seen as sent).
pub fn client() -> reqwest::Client {
    install_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Status and JSON body (Null when the body is not JSON).
pub async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

pub async fn post_raw(url: &str, body: &str) -> (u16, Value) {
    let resp = client()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    json_of(resp).await
}

pub async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    post_raw(url, &body.to_string()).await
}

/// `POST /api/v1/token`.
pub async fn token(server: &FakeServer, body: Value) -> (u16, Value) {
    post_json(&format!("{}/api/v1/token", server.url()), &body).await
}

/// `POST /gbds/v2/tokens`.
pub async fn gbds(server: &FakeServer, body: Value) -> (u16, Value) {
    post_json(&format!("{}/tokens", server.gbds_url()), &body).await
}

/// Asserts the Run:ai error shape with `code` equal to the HTTP status.
pub fn assert_runai_error(status: u16, body: &Value, expected: u16) {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["code"], expected, "body: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "body: {body}"
    );
}

/// Asserts the GBDS error shape.
pub fn assert_gbds_error(status: u16, body: &Value, expected: u16, kind: &str, code: &str) {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["type"], kind, "body: {body}");
    assert_eq!(body["code"], code, "body: {body}");
    assert!(body["message"].is_string(), "body: {body}");
    assert!(body["meta"].is_object(), "body: {body}");
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// reqwest is built without its `query` feature; append pairs to the URL.
pub trait QueryExt {
    fn q<K: AsRef<str>, V: AsRef<str>>(self, pairs: &[(K, V)]) -> Self;
}

impl QueryExt for reqwest::RequestBuilder {
    fn q<K: AsRef<str>, V: AsRef<str>>(self, pairs: &[(K, V)]) -> Self {
        let (client, request) = self.build_split();
        let mut request = request.unwrap();
        if !pairs.is_empty() {
            let mut query = request.url_mut().query_pairs_mut();
            for (k, v) in pairs {
                query.append_pair(k.as_ref(), v.as_ref());
            }
        }
        reqwest::RequestBuilder::from_parts(client, request)
    }
}
