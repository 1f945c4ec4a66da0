//! The resources a bearer token is for: `GET /api/v1/clusters` and
//! `GET /api/v1/org-unit/projects`, and the control route of the list.

use serde_json::{Value, json};
use tokenctl_fake_server::resources::{
    CLUSTERS_PATH, DEFAULT_CLUSTER_NAME, DEFAULT_CLUSTER_UUID, PROJECTS_PATH, cluster_json,
};
use tokenctl_fake_server::{Config, FakeServer};

use crate::common::*;

async fn get(server: &FakeServer, path: &str, authorization: Option<&str>) -> (u16, Value) {
    let mut req = client().get(format!("{}{path}", server.url()));
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    json_of(req.send().await.unwrap()).await
}

async fn access_token(server: &FakeServer) -> String {
    let (status, body) = token(
        server,
        json!({"grantType": "password", "username": "alice", "password": "wonderland"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_valid_bearer_lists_the_default_cluster() {
    let server = FakeServer::start();
    let bearer = format!("Bearer {}", access_token(&server).await);
    let (status, body) = get(&server, CLUSTERS_PATH, Some(&bearer)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!([cluster_json(DEFAULT_CLUSTER_UUID, DEFAULT_CLUSTER_NAME)])
    );
    assert_eq!(body[0]["uuid"], DEFAULT_CLUSTER_UUID);
    // The scheme is case-insensitive (RFC 6750).
    let lower = bearer.replacen("Bearer", "bearer", 1);
    assert_eq!(get(&server, CLUSTERS_PATH, Some(&lower)).await.0, 200);

    let (status, body) = get(&server, PROJECTS_PATH, Some(&bearer)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["projects"][0]["clusterId"], DEFAULT_CLUSTER_UUID);
    // Counted and recorded like every API request.
    assert_eq!(server.count("GET /api/v1/clusters"), 2);
    assert_eq!(server.count("GET /api/v1/org-unit/projects"), 1);
}

#[tokio::test]
async fn without_a_good_bearer_the_answer_is_runai_401() {
    let server = FakeServer::start();
    let token = access_token(&server).await;
    // A token with the same claims but another signature was not issued here.
    let (head, _) = token.rsplit_once('.').unwrap();
    let forged = format!("{head}.AAAA");
    for path in [CLUSTERS_PATH, PROJECTS_PATH] {
        for (auth, details) in [
            (None, "no bearer token in the Authorization header"),
            (Some("Bearer".to_string()), "the bearer token is not valid"),
            (Some("Bearer ".to_string()), "the bearer token is not valid"),
            (
                Some(format!("Basic {token}")),
                "the bearer token is not valid",
            ),
            (
                Some("Bearer not-a-token".into()),
                "the bearer token is not valid",
            ),
            (
                Some(format!("Bearer {forged}")),
                "the bearer token is not valid",
            ),
        ] {
            let (status, body) = get(&server, path, auth.as_deref()).await;
            assert_runai_error(status, &body, 401);
            assert_eq!(body["details"], details, "{path} {auth:?}");
            assert!(!body.to_string().contains(&token), "never echoes a token");
        }
    }
}

#[tokio::test]
async fn an_expired_bearer_is_refused() {
    let server = FakeServer::start_with(Config {
        access_token_lifetime_secs: 1,
        ..Config::default()
    });
    let bearer = format!("Bearer {}", access_token(&server).await);
    assert_eq!(get(&server, CLUSTERS_PATH, Some(&bearer)).await.0, 200);
    // The token's `exp` is whole seconds: past it for sure after two.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (status, body) = get(&server, CLUSTERS_PATH, Some(&bearer)).await;
    assert_runai_error(status, &body, 401);
    assert_eq!(body["details"], "the bearer token has expired");
    // Already expired when issued.
    server.set_access_token_lifetime(-10);
    let bearer = format!("Bearer {}", access_token(&server).await);
    let (status, body) = get(&server, PROJECTS_PATH, Some(&bearer)).await;
    assert_runai_error(status, &body, 401);
    assert_eq!(body["details"], "the bearer token has expired");
}

#[tokio::test]
async fn another_servers_token_is_refused() {
    let a = FakeServer::start();
    let b = FakeServer::start();
    let bearer = format!("Bearer {}", access_token(&a).await);
    let (status, body) = get(&b, CLUSTERS_PATH, Some(&bearer)).await;
    assert_runai_error(status, &body, 401);
    assert_eq!(body["details"], "the bearer token is not valid");
}

#[tokio::test]
async fn the_cluster_list_is_set_per_server_through_the_control_route() {
    let server = FakeServer::start();
    let other = FakeServer::start();
    let bearer = format!("Bearer {}", access_token(&server).await);
    let two = json!([cluster_json("u-1", "a"), cluster_json("u-2", "b")]);
    let resp = client()
        .put(format!("{}/__fake/clusters", server.url()))
        .body(two.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let (status, body) = get(&server, CLUSTERS_PATH, Some(&bearer)).await;
    assert_eq!((status, &body), (200, &two));
    let (_, projects) = get(&server, PROJECTS_PATH, Some(&bearer)).await;
    assert_eq!(projects["projects"][1]["clusterId"], "u-2");
    // The control route reads it back, is not counted, and another server
    // keeps its own list.
    let (_, read) = json_of(
        client()
            .get(format!("{}/__fake/clusters", server.url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(read, two);
    assert_eq!(server.count("GET /__fake/clusters"), 0);
    assert_eq!(
        other.clusters(),
        json!([cluster_json(DEFAULT_CLUSTER_UUID, DEFAULT_CLUSTER_NAME)])
    );
    // In-process too; and a hostile answer is served as set.
    server.set_clusters(json!({"not": "a list"}));
    assert_eq!(
        get(&server, CLUSTERS_PATH, Some(&bearer)).await.1,
        json!({"not": "a list"})
    );
    let resp = client()
        .put(format!("{}/__fake/clusters", server.url()))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
}
