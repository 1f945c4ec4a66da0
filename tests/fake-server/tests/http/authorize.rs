//! The Keycloak-style authorization endpoint and the `/oauth-code` page.

use serde_json::json;
use tokenctl_fake_server::{Config, FakeServer};

use crate::common::*;

const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn auth_query(redirect: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", "runai-cli".into()),
        ("redirect_uri", redirect.into()),
        ("scope", "openid offline_access".into()),
        ("state", "st-123".into()),
    ]
}

/// Query pairs of a `Location` header.
fn location_pairs(resp: &reqwest::Response) -> (String, Vec<(String, String)>) {
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    let url = reqwest::Url::parse(&loc).unwrap();
    let pairs = url.query_pairs().into_owned().collect();
    (loc, pairs)
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

async fn submit(server: &FakeServer, q: &[(&str, String)], form: &str) -> reqwest::Response {
    client()
        .post(server.auth_url())
        .q(q)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn form_then_code_then_exchange() {
    let server = FakeServer::start();
    let q = auth_query(REDIRECT);
    let resp = client().get(server.auth_url()).q(&q).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("<form") && page.contains("name=\"password\""),
        "{page}"
    );

    let resp = submit(&server, &q, "username=alice&password=nope&action=login").await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Invalid username or password")
    );

    let resp = submit(
        &server,
        &q,
        "username=alice&password=wonderland&action=login",
    )
    .await;
    assert_eq!(resp.status(), 302);
    let (loc, pairs) = location_pairs(&resp);
    assert!(loc.starts_with(&format!("{REDIRECT}?code=")), "{loc}");
    assert_eq!(get(&pairs, "state"), Some("st-123"));
    let code = get(&pairs, "code").unwrap().to_string();

    let (status, body) = token(
        &server,
        json!({"grantType": "exchange_token", "code": code, "redirectUri": REDIRECT}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let auths = server.authorizations();
    assert_eq!(auths.len(), 1);
    assert_eq!(auths[0].outcome, "code");
    assert_eq!(auths[0].scope.as_deref(), Some("openid offline_access"));
    assert_eq!(auths[0].code_challenge, None);
}

#[tokio::test]
async fn deny_redirects_with_error() {
    let server = FakeServer::start();
    let q = auth_query(REDIRECT);
    let resp = submit(&server, &q, "action=deny").await;
    assert_eq!(resp.status(), 302);
    let (_, pairs) = location_pairs(&resp);
    assert_eq!(get(&pairs, "error"), Some("access_denied"));
    assert!(get(&pairs, "error_description").is_some());
    assert_eq!(get(&pairs, "state"), Some("st-123"));
    assert_eq!(get(&pairs, "code"), None);
}

#[tokio::test]
async fn unknown_client_and_foreign_redirect_are_shown_not_redirected() {
    let server = FakeServer::start();
    let mut q = auth_query(REDIRECT);
    q[1].1 = "other".into();
    let resp = client().get(server.auth_url()).q(&q).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Client not found"));

    let q = auth_query("https://evil.example/steal");
    let resp = client().get(server.auth_url()).q(&q).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("redirect_uri"));

    // The server's own /oauth-code page is a registered redirect.
    let q = auth_query(&format!("{}/oauth-code", server.url()));
    let resp = client().get(server.auth_url()).q(&q).send().await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn pkce_s256_recorded_and_plain_refused() {
    let server = FakeServer::start();
    let mut q = auth_query(REDIRECT);
    q.push(("code_challenge", CHALLENGE.into()));
    q.push(("code_challenge_method", "plain".into()));
    let resp = submit(&server, &q, "username=alice&password=wonderland").await;
    let (_, pairs) = location_pairs(&resp);
    assert_eq!(get(&pairs, "error"), Some("invalid_request"));

    q.last_mut().unwrap().1 = "S256".into();
    let resp = submit(&server, &q, "username=alice&password=wonderland").await;
    let (_, pairs) = location_pairs(&resp);
    assert!(get(&pairs, "code").is_some(), "{pairs:?}");
    let last = server.authorizations().pop().unwrap();
    assert_eq!(last.code_challenge.as_deref(), Some(CHALLENGE));
    assert_eq!(last.code_challenge_method.as_deref(), Some("S256"));
}

#[tokio::test]
async fn auto_approve_redirects_at_once() {
    let server = FakeServer::start_with(Config {
        auto_approve: true,
        ..Config::default()
    });
    let resp = client()
        .get(server.auth_url())
        .q(&auth_query(REDIRECT))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    let (_, pairs) = location_pairs(&resp);
    assert!(get(&pairs, "code").is_some());
}

#[tokio::test]
async fn oauth_code_page_shows_the_code() {
    let server = FakeServer::start();
    let resp = client()
        .get(format!("{}/oauth-code", server.url()))
        .q(&[("code", "abc<def"), ("state", "s")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("abc&lt;def"));
}
