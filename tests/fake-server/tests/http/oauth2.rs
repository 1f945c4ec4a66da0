//! Run:ai `POST /api/v2/token` (2.24, 3.0) and the version switch: what
//! each version takes, in which form, and what the older ones answer.

use serde_json::{Value, json};
use tokenctl_fake_server::{Config, FakeServer};

use crate::common::*;

fn server(version: &str) -> FakeServer {
    FakeServer::start_with(Config {
        runai_version: version.into(),
        ..Config::default()
    })
}

/// A form POST to `/api/v2/token` with `content_type`.
async fn v2_raw(server: &FakeServer, content_type: &str, body: &str) -> (u16, Value) {
    let resp = client()
        .post(format!("{}/api/v2/token", server.url()))
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    json_of(resp).await
}

async fn v2(server: &FakeServer, fields: &[(&str, &str)]) -> (u16, Value) {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    v2_raw(server, "application/x-www-form-urlencoded", &body).await
}

fn assert_oauth_error(status: u16, body: &Value, want_status: u16, error: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string(), "{body}");
}

#[tokio::test]
async fn three_oh_takes_the_external_token_in_the_field_external_token() {
    let server = server("3.0");
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "external_token_exchange"),
            ("external_token", "ext-idp-token"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(server.is_valid_access_token(body["access_token"].as_str().unwrap()));
    assert!(body["refresh_token"].is_string() && body["id_token"].is_string());
    assert_eq!(server.count("oauth2:external_token_exchange"), 1);

    // The v1 spelling is not the v2 field; a wrong token is invalid_grant.
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "external_token_exchange"),
            ("externalToken", "ext-idp-token"),
        ],
    )
    .await;
    assert_oauth_error(status, &body, 400, "invalid_request");
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "external_token_exchange"),
            ("external_token", "someone-elses"),
        ],
    )
    .await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
}

#[tokio::test]
async fn two_twenty_four_lacks_the_token_exchange() {
    let server = server("2.24");
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "external_token_exchange"),
            ("external_token", "ext-idp-token"),
        ],
    )
    .await;
    assert_oauth_error(status, &body, 400, "unsupported_grant_type");
    // Its other grants work, and v1 still has app_token.
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "ci-bot"),
            ("client_secret", "ci-bot-secret"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = token(
        &server,
        json!({"grantType": "app_token", "appID": "ci-bot", "appSecret": "ci-bot-secret"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn every_documented_grant_works_on_three_oh() {
    let server = server("3.0");
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    let (status, body) = v2(
        &server,
        &[("grant_type", "refresh_token"), ("refresh_token", &rt)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Rotated: the old one is spent.
    let (status, body) = v2(
        &server,
        &[("grant_type", "refresh_token"), ("refresh_token", &rt)],
    )
    .await;
    assert_oauth_error(status, &body, 400, "invalid_grant");
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "ci-bot"),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_oauth_error(status, &body, 401, "invalid_client");
    let code = server.issue_code(REDIRECT);
    let (status, body) = v2(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "runai-cli"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = v2(&server, &[("grant_type", "app_token")]).await;
    assert_oauth_error(status, &body, 400, "unsupported_grant_type");
}

#[tokio::test]
async fn v2_is_a_form_endpoint_only() {
    let server = server("3.0");
    let (status, body) = v2_raw(
        &server,
        "application/json",
        r#"{"grant_type":"password","username":"alice","password":"wonderland"}"#,
    )
    .await;
    assert_oauth_error(status, &body, 400, "invalid_request");
    let (status, body) = v2_raw(
        &server,
        "application/x-www-form-urlencoded",
        "grant_type=password&grant_type=password&username=alice&password=wonderland",
    )
    .await;
    assert_oauth_error(status, &body, 400, "invalid_request");
    let (status, body) = v2(&server, &[("username", "alice")]).await;
    assert_oauth_error(status, &body, 400, "invalid_request");
}

#[tokio::test]
async fn three_oh_v1_refuses_app_token_but_takes_client_credentials() {
    let server = server("3.0");
    let (status, body) = token(
        &server,
        json!({"grantType": "app_token", "appID": "ci-bot", "appSecret": "ci-bot-secret"}),
    )
    .await;
    assert_runai_error(status, &body, 400);
    assert!(
        body["details"].as_str().unwrap().contains("app_token"),
        "{body}"
    );
    let (status, body) = token(
        &server,
        json!({"grantType": "client_credentials", "clientID": "ci-bot", "clientSecret": "ci-bot-secret"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = token(
        &server,
        json!({"grantType": "external_token_exchange", "externalToken": "ext-idp-token"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn older_servers_answer_404_on_v2_and_the_switch_changes_that_at_run_time() {
    let server = server("2.23");
    let login = [
        ("grant_type", "password"),
        ("username", "alice"),
        ("password", "wonderland"),
    ];
    let (status, body) = v2(&server, &login).await;
    assert_runai_error(status, &body, 404);
    assert_eq!(server.count("POST /api/v2/token"), 1);

    let c = client();
    let resp = c
        .post(format!("{}/__fake/runai-version", server.url()))
        .q(&[("v", "3.0")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let (status, body) = v2(&server, &login).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.count("POST /api/v2/token"), 2);
    assert_eq!(server.count("oauth2:password"), 2);

    for bad in ["3.1", "", "latest"] {
        let resp = c
            .post(format!("{}/__fake/runai-version", server.url()))
            .q(&[("v", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{bad}");
    }
    server.set_runai_version("2.19");
    let (status, body) = v2(&server, &login).await;
    assert_runai_error(status, &body, 404);
}
