//! Run:ai `POST /api/v1/token` and the deprecated 2.19 endpoints.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use tokenctl_fake_server::jwt::decode_claims;
use tokenctl_fake_server::{Config, FakeServer};

use crate::common::*;

fn login() -> Value {
    json!({"grantType": "password", "username": "alice", "password": "wonderland"})
}

/// Three base64url parts, RS256 header, the required claims.
fn assert_jwt(server: &FakeServer, token: &str, sub: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, json!({"alg": "RS256", "typ": "JWT"}));
    assert!(URL_SAFE_NO_PAD.decode(parts[2]).is_ok());
    let claims = decode_claims(token).unwrap();
    assert_eq!(claims["iss"], server.url());
    assert_eq!(claims["sub"], sub);
    assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
    let iat = claims["iat"].as_i64().unwrap();
    assert!((iat - now_secs()).abs() <= 5);
    assert!(claims["exp"].as_i64().is_some());
    claims
}

fn assert_user_tokens(server: &FakeServer, body: &Value) {
    let obj = body.as_object().unwrap();
    assert_eq!(obj.len(), 3, "{body}");
    let access = body["accessToken"].as_str().unwrap();
    let id = body["idToken"].as_str().unwrap();
    assert!(body["refreshToken"].as_str().is_some_and(|r| !r.is_empty()));
    assert_jwt(server, access, "alice");
    assert_jwt(server, id, "alice");
    assert!(server.is_valid_access_token(access));
}

#[tokio::test]
async fn password_grant_returns_three_tokens() {
    let server = FakeServer::start();
    let (status, body) = token(&server, login()).await;
    assert_eq!(status, 200, "{body}");
    assert_user_tokens(&server, &body);
    let claims = decode_claims(body["accessToken"].as_str().unwrap()).unwrap();
    let exp = claims["exp"].as_i64().unwrap();
    assert!(
        (exp - now_secs() - 3600).abs() <= 5,
        "default lifetime is one hour"
    );

    // jti is unique per token
    let (_, again) = token(&server, login()).await;
    let jti = |b: &Value| decode_claims(b["accessToken"].as_str().unwrap()).unwrap()["jti"].clone();
    assert_ne!(jti(&body), jti(&again));
    assert!(!server.is_valid_access_token("not-a-token"));
}

#[tokio::test]
async fn password_grant_rejects_wrong_credentials() {
    let server = FakeServer::start();
    for (user, pass) in [("alice", "nope"), ("bob", "wonderland")] {
        let (status, body) = token(
            &server,
            json!({"grantType": "password", "username": user, "password": pass}),
        )
        .await;
        assert_runai_error(status, &body, 401);
        assert_eq!(body["message"], "invalid user credentials");
    }
}

#[tokio::test]
async fn validation_errors_are_400_in_runai_shape() {
    let server = FakeServer::start();
    let url = format!("{}/api/v1/token", server.url());
    for raw in ["not json", "", "[1,2]", "\"password\"", "{\"grantType\": "] {
        let (status, body) = post_raw(&url, raw).await;
        assert_runai_error(status, &body, 400);
    }
    let cases = [
        json!({}),
        json!({"username": "alice", "password": "wonderland"}),
        json!({"grantType": "magic"}),
        json!({"grantType": 7, "username": "alice", "password": "wonderland"}),
        json!({"grantType": "password", "password": "wonderland"}),
        json!({"grantType": "password", "username": "alice", "password": ""}),
        json!({"grantType": "password", "username": 5, "password": "wonderland"}),
        json!({"grantType": "password", "username": "alice", "password": "wonderland", "clientID": 1}),
        json!({"grantType": "refresh_token"}),
        json!({"grantType": "refresh_token", "refreshToken": ["x"]}),
        json!({"grantType": "exchange_token", "code": "abc"}),
        json!({"grantType": "exchange_token", "redirectUri": REDIRECT}),
        json!({"grantType": "app_token", "appID": "ci-bot"}),
        json!({"grantType": "client_credentials", "clientSecret": "ci-bot-secret"}),
        json!({"grantType": "external_token_exchange"}),
        json!({"grantType": "external_token_exchange", "externalToken": true}),
    ];
    for case in cases {
        let (status, body) = token(&server, case.clone()).await;
        assert_runai_error(status, &body, 400);
        assert!(body["details"].is_string(), "{case} -> {body}");
    }
}

#[tokio::test]
async fn client_id_alongside_other_grants_is_ignored() {
    let server = FakeServer::start();
    let mut body = login();
    body["clientID"] = json!("some-client");
    let (status, reply) = token(&server, body).await;
    assert_eq!(status, 200, "{reply}");
    assert_user_tokens(&server, &reply);
}

#[tokio::test]
async fn refresh_tokens_rotate_by_default() {
    let server = FakeServer::start();
    let (_, first) = token(&server, login()).await;
    let rt1 = first["refreshToken"].as_str().unwrap().to_string();

    let (status, second) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt1}),
    )
    .await;
    assert_eq!(status, 200, "{second}");
    assert_user_tokens(&server, &second);
    let rt2 = second["refreshToken"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);

    let (status, reused) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt1}),
    )
    .await;
    assert_runai_error(status, &reused, 401);
    assert_eq!(
        reused["message"],
        "refresh token is invalid or already used"
    );

    let (status, _) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt2}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, unknown) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": "bogus"}),
    )
    .await;
    assert_runai_error(status, &unknown, 401);
    assert_eq!(server.count("grant:refresh_token"), 4);
}

#[tokio::test]
async fn rotation_off_returns_the_same_refresh_token() {
    let server = FakeServer::start_with(Config {
        rotate_refresh_tokens: false,
        ..Config::default()
    });
    let rt = server.issue_refresh_token();
    for _ in 0..3 {
        let (status, body) = token(
            &server,
            json!({"grantType": "refresh_token", "refreshToken": rt}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["refreshToken"], rt.as_str());
    }
    // and back on at run time
    server.set_rotation(true);
    let (_, body) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt}),
    )
    .await;
    assert_ne!(body["refreshToken"], rt.as_str());
    let (status, _) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt}),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn exchange_token_codes_are_single_use_and_bound_to_redirect() {
    let server = FakeServer::start();
    let code = server.issue_code(REDIRECT);
    let exchange = |code: &str, redirect: &str| json!({"grantType": "exchange_token", "code": code, "redirectUri": redirect});
    let (status, body) = token(&server, exchange(&code, REDIRECT)).await;
    assert_eq!(status, 200, "{body}");
    assert_user_tokens(&server, &body);

    let (status, body) = token(&server, exchange(&code, REDIRECT)).await;
    assert_runai_error(status, &body, 400);

    let code = server.issue_code(REDIRECT);
    let (status, body) = token(&server, exchange(&code, "http://127.0.0.1:9/other")).await;
    assert_runai_error(status, &body, 400);
    // a misused code is burnt
    let (status, _) = token(&server, exchange(&code, REDIRECT)).await;
    assert_eq!(status, 400);

    let (status, body) = token(&server, exchange("never-issued", REDIRECT)).await;
    assert_runai_error(status, &body, 400);
}

#[tokio::test]
async fn app_and_client_credentials_return_access_token_only() {
    let server = FakeServer::start();
    for body in [
        json!({"grantType": "app_token", "appID": "ci-bot", "appSecret": "ci-bot-secret"}),
        json!({"grantType": "client_credentials", "clientID": "ci-bot", "clientSecret": "ci-bot-secret"}),
    ] {
        let (status, reply) = token(&server, body).await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(reply.as_object().unwrap().len(), 1, "{reply}");
        let access = reply["accessToken"].as_str().unwrap();
        assert_jwt(&server, access, "ci-bot");
        assert!(server.is_valid_access_token(access));
    }
    for body in [
        json!({"grantType": "app_token", "appID": "ci-bot", "appSecret": "wrong"}),
        json!({"grantType": "client_credentials", "clientID": "other", "clientSecret": "ci-bot-secret"}),
    ] {
        let (status, reply) = token(&server, body).await;
        assert_runai_error(status, &reply, 401);
    }
    assert_eq!(server.count("grant:app_token"), 2);
    assert_eq!(server.count("grant:client_credentials"), 2);
}

#[tokio::test]
async fn external_token_exchange() {
    let server = FakeServer::start();
    let (status, body) = token(
        &server,
        json!({"grantType": "external_token_exchange", "externalToken": "ext-idp-token"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_user_tokens(&server, &body);
    let (status, body) = token(
        &server,
        json!({"grantType": "external_token_exchange", "externalToken": "forged"}),
    )
    .await;
    assert_runai_error(status, &body, 401);
}

#[tokio::test]
async fn runai_219_rejects_new_grants() {
    let server = FakeServer::start_with(Config {
        runai_version: "2.19".into(),
        ..Config::default()
    });
    for body in [
        json!({"grantType": "client_credentials", "clientID": "ci-bot", "clientSecret": "ci-bot-secret"}),
        json!({"grantType": "external_token_exchange", "externalToken": "ext-idp-token"}),
    ] {
        let (status, reply) = token(&server, body).await;
        assert_runai_error(status, &reply, 400);
        assert_eq!(reply["message"], "invalid grant type");
    }
    let (status, _) = token(&server, login()).await;
    assert_eq!(status, 200);
    let (status, reply) = token(
        &server,
        json!({"grantType": "app_token", "appID": "ci-bot", "appSecret": "ci-bot-secret"}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
}

#[tokio::test]
async fn configurable_credentials() {
    let server = FakeServer::start_with(Config {
        username: "bob".into(),
        password: "builder".into(),
        ..Config::default()
    });
    let (status, _) = token(&server, login()).await;
    assert_eq!(status, 401);
    let (status, body) = token(
        &server,
        json!({"grantType": "password", "username": "bob", "password": "builder"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        decode_claims(body["accessToken"].as_str().unwrap()).unwrap()["sub"],
        "bob"
    );
}

#[tokio::test]
async fn access_token_lifetime_is_configurable_and_may_be_negative() {
    let server = FakeServer::start_with(Config {
        access_token_lifetime_secs: -60,
        ..Config::default()
    });
    let (_, body) = token(&server, login()).await;
    let access = body["accessToken"].as_str().unwrap();
    let exp = decode_claims(access).unwrap()["exp"].as_i64().unwrap();
    assert!(exp < now_secs());
    assert!(!server.is_valid_access_token(access));

    server.set_access_token_lifetime(120);
    let (_, body) = token(&server, login()).await;
    let access = body["accessToken"].as_str().unwrap();
    let exp = decode_claims(access).unwrap()["exp"].as_i64().unwrap();
    assert!((exp - now_secs() - 120).abs() <= 5);
    assert!(server.is_valid_access_token(access));
}

#[tokio::test]
async fn issued_refresh_token_seeds_a_store() {
    let server = FakeServer::start();
    let rt = server.issue_refresh_token();
    let (status, body) = token(
        &server,
        json!({"grantType": "refresh_token", "refreshToken": rt}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_user_tokens(&server, &body);
    assert!(server.is_valid_access_token(&server.issue_access_token("alice")));
}

// ---- deprecated 2.19 endpoints ----

#[tokio::test]
async fn legacy_code_exchange() {
    for version in ["2.19", "2.23"] {
        let server = FakeServer::start_with(Config {
            runai_version: version.into(),
            ..Config::default()
        });
        let url = format!("{}/v1/k8s/auth/token/exchange", server.url());
        let code = server.issue_code(REDIRECT);
        let resp = client()
            .get(&url)
            .q(&[("redirect_uri", REDIRECT), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 200, "{body}");
        assert_user_tokens(&server, &body);

        let resp = client()
            .get(&url)
            .q(&[("redirect_uri", REDIRECT), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(resp).await;
        assert_runai_error(status, &body, 400);

        for query in [
            vec![("code", "x")],
            vec![("redirect_uri", REDIRECT)],
            vec![],
        ] {
            let resp = client().get(&url).q(&query).send().await.unwrap();
            let (status, body) = json_of(resp).await;
            assert_runai_error(status, &body, 400);
        }
        assert_eq!(server.count("GET /v1/k8s/auth/token/exchange"), 5);
    }
}

#[tokio::test]
async fn legacy_refresh_rotates() {
    let server = FakeServer::start();
    let url = format!("{}/v1/k8s/auth/oauth/tokens/refresh", server.url());
    let rt = server.issue_refresh_token();
    let resp = client()
        .post(&url)
        .q(&[("refresh_token", &rt)])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    assert_user_tokens(&server, &body);
    assert_ne!(body["refreshToken"], rt.as_str());

    let resp = client()
        .post(&url)
        .q(&[("refresh_token", &rt)])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_runai_error(status, &body, 401);
    assert_eq!(body["message"], "refresh token is invalid or already used");

    let (status, body) = json_of(client().post(&url).send().await.unwrap()).await;
    assert_runai_error(status, &body, 400);

    server.set_rotation(false);
    let rt = server.issue_refresh_token();
    for _ in 0..2 {
        let resp = client()
            .post(&url)
            .q(&[("refresh_token", &rt)])
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 200);
        assert_eq!(body["refreshToken"], rt.as_str());
    }
    assert_eq!(server.count("POST /v1/k8s/auth/oauth/tokens/refresh"), 5);
}

#[tokio::test]
async fn legacy_apptoken_answers_snake_case() {
    let server = FakeServer::start();
    let url = format!("{}/v1/k8s/auth/oauth/apptoken", server.url());
    let (status, body) = post_json(
        &url,
        &json!({"id": "ci-bot", "name": "ci-bot", "secret": "ci-bot-secret"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    let access = body["access_token"].as_str().unwrap();
    assert_jwt(&server, access, "ci-bot");
    assert_jwt(&server, body["id_token"].as_str().unwrap(), "ci-bot");
    assert!(server.is_valid_access_token(access));

    for bad in [
        json!({"id": "ci-bot", "name": "ci-bot"}),
        json!({"id": "ci-bot", "secret": "ci-bot-secret"}),
        json!({"name": "ci-bot", "secret": "ci-bot-secret"}),
        json!({"id": 1, "name": "ci-bot", "secret": "ci-bot-secret"}),
        json!({"id": "", "name": "ci-bot", "secret": "ci-bot-secret"}),
        json!([]),
    ] {
        let (status, body) = post_json(&url, &bad).await;
        assert_runai_error(status, &body, 400);
    }
    let (status, body) = post_raw(&url, "{oops").await;
    assert_runai_error(status, &body, 400);

    let (status, body) = post_json(
        &url,
        &json!({"id": "ci-bot", "name": "other", "secret": "ci-bot-secret"}),
    )
    .await;
    assert_runai_error(status, &body, 401);
}

#[tokio::test]
async fn unknown_paths_answer_404_in_runai_shape() {
    let server = FakeServer::start();
    let resp = client()
        .get(format!("{}/api/v2/nothing", server.url()))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_runai_error(status, &body, 404);
    assert_eq!(server.count("GET /api/v2/nothing"), 1);
}
