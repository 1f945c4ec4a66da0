//! GBDS `POST /gbds/v2/tokens`.

use serde_json::{Value, json};
use tokenctl_fake_server::{Config, FakeServer};

use crate::common::*;

fn credentials() -> Value {
    json!({"data": {"grantType": "CREDENTIALS", "userName": "operator", "userPassword": "gbds-pass"}})
}

fn renew(token: &str) -> Value {
    json!({"data": {"grantType": "TOKEN", "token": token}})
}

fn assert_token_reply(body: &Value, ttl: i64) -> String {
    let data = body["data"].as_object().unwrap();
    assert_eq!(data.len(), 3, "{body}");
    assert_eq!(data["ttl"], ttl);
    let exp = data["expirationTime"].as_i64().unwrap();
    assert!((exp - now_ms() - ttl).abs() < 5_000, "{body}");
    let token = data["token"].as_str().unwrap();
    assert!(token.len() >= 32);
    token.to_string()
}

#[tokio::test]
async fn credentials_grant_answers_201() {
    let server = FakeServer::start();
    assert!(server.gbds_url().ends_with("/gbds/v2"));
    let (status, body) = gbds(&server, credentials()).await;
    assert_eq!(status, 201, "{body}");
    let token = assert_token_reply(&body, 30 * 60 * 1000);
    // opaque: not a JWT
    assert!(!token.contains('.'));
    assert_eq!(server.count("POST /gbds/v2/tokens"), 1);
    assert_eq!(server.count("gbds:CREDENTIALS"), 1);
}

#[tokio::test]
async fn token_grant_renews_a_valid_token() {
    let server = FakeServer::start_with(Config {
        gbds_token_lifetime_ms: 60_000,
        ..Config::default()
    });
    let (_, body) = gbds(&server, credentials()).await;
    let first = assert_token_reply(&body, 60_000);
    let (status, body) = gbds(&server, renew(&first)).await;
    assert_eq!(status, 201, "{body}");
    let second = assert_token_reply(&body, 60_000);
    assert_ne!(first, second);
    assert_eq!(server.count("gbds:TOKEN"), 1);

    server.set_gbds_token_lifetime_ms(5_000);
    let (_, body) = gbds(&server, renew(&second)).await;
    assert_token_reply(&body, 5_000);
}

#[tokio::test]
async fn expired_and_unknown_tokens() {
    let server = FakeServer::start();
    let (expired, exp) = server.issue_gbds_token(-1_000);
    assert!(exp < now_ms());
    let (status, body) = gbds(&server, renew(&expired)).await;
    assert_gbds_error(status, &body, 401, "SECURITY_ERROR", "EXPIRED_TOKEN");

    let (status, body) = gbds(&server, renew("never-issued")).await;
    assert_gbds_error(status, &body, 422, "SECURITY_ERROR", "INVALID_TOKEN");

    let (valid, _) = server.issue_gbds_token(60_000);
    let (status, _) = gbds(&server, renew(&valid)).await;
    assert_eq!(status, 201);

    // a token issued with a negative configured lifetime is expired at once
    server.set_gbds_token_lifetime_ms(-1);
    let (status, body) = gbds(&server, credentials()).await;
    assert_eq!(status, 201);
    let token = body["data"]["token"].as_str().unwrap().to_string();
    let (status, body) = gbds(&server, renew(&token)).await;
    assert_gbds_error(status, &body, 401, "SECURITY_ERROR", "EXPIRED_TOKEN");
}

#[tokio::test]
async fn wrong_credentials() {
    let server = FakeServer::start();
    let (status, body) = gbds(
        &server,
        json!({"data": {"grantType": "CREDENTIALS", "userName": "operator", "userPassword": "nope"}}),
    )
    .await;
    assert_gbds_error(status, &body, 401, "SECURITY_ERROR", "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn validation_errors() {
    let server = FakeServer::start();
    let url = format!("{}/tokens", server.gbds_url());
    for raw in ["nope", "{\"data\": {", ""] {
        let (status, body) = post_raw(&url, raw).await;
        assert_gbds_error(status, &body, 400, "VALIDATION_ERROR", "MALFORMED_JSON");
    }
    for bad in [
        json!({"data": {"grantType": "PASSWORD", "userName": "operator", "userPassword": "gbds-pass"}}),
        json!({"data": {"grantType": "credentials", "userName": "operator", "userPassword": "gbds-pass"}}),
        json!({"data": {"grantType": 1}}),
    ] {
        let (status, body) = gbds(&server, bad).await;
        assert_gbds_error(status, &body, 400, "VALIDATION_ERROR", "INVALID_ENUM_VALUE");
    }
    for bad in [
        json!({}),
        json!({"grantType": "CREDENTIALS", "userName": "operator", "userPassword": "gbds-pass"}),
        json!({"data": {}}),
        json!({"data": {"grantType": "CREDENTIALS", "userName": "operator"}}),
        json!({"data": {"grantType": "CREDENTIALS", "userPassword": "gbds-pass"}}),
        json!({"data": {"grantType": "CREDENTIALS", "userName": "", "userPassword": "gbds-pass"}}),
        json!({"data": {"grantType": "TOKEN"}}),
        json!({"data": {"grantType": "TOKEN", "userName": "operator", "userPassword": "gbds-pass"}}),
    ] {
        let (status, body) = gbds(&server, bad).await;
        assert_gbds_error(
            status,
            &body,
            400,
            "VALIDATION_ERROR",
            "INVALID_TOKEN_GRANT_SPEC",
        );
    }
}
