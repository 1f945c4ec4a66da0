//! The fake Kubernetes API: over HTTPS with its own CA, every request needs
//! a valid bearer from the token server, and it serves what `kubectl get
//! pods` reads. The binary's `--kubeconfig FILE` serves it beside the token
//! API and writes a kubeconfig that trusts it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use base64::Engine;
use serde_json::Value;
use tokenctl_fake_server::{FakeKubeApi, FakeServer};

use crate::common::install_provider;

/// A client that trusts only `ca_pem`.
fn client_trusting(ca_pem: &str) -> reqwest::Client {
    install_provider();
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap()])
        .build()
        .unwrap()
}

async fn get(
    client: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
    accept: &str,
) -> (u16, Value) {
    let mut req = client.get(url).header("accept", accept);
    if let Some(b) = bearer {
        req = req.bearer_auth(b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_path_needs_a_valid_bearer_and_pods_list_whose_token_it_was() {
    let tokens = FakeServer::start();
    let api = FakeKubeApi::start(tokens.state());
    let client = client_trusting(&api.ca_pem());
    let url = api.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let good = tokens.issue_access_token("alice");
    let forged = {
        // The same claims, not issued by this server.
        let mut parts: Vec<&str> = good.split('.').collect();
        parts[2] = "c2lnbmF0dXJl";
        parts.join(".")
    };
    for path in [
        "/api",
        "/apis",
        "/api/v1",
        "/api/v1/namespaces/default/pods",
        "/apis/x/y",
    ] {
        for bearer in [None, Some(forged.as_str()), Some("")] {
            let (status, body) =
                get(&client, &format!("{url}{path}"), bearer, "application/json").await;
            assert_eq!(status, 401, "{path} with {bearer:?}: {body}");
            assert_eq!(body["reason"], "Unauthorized");
        }
    }
    assert_eq!(api.authorized(), 0);

    let (status, body) = get(
        &client,
        &format!("{url}/api"),
        Some(&good),
        "application/json",
    )
    .await;
    assert_eq!((status, body["versions"][0].as_str()), (200, Some("v1")));
    let (_, body) = get(
        &client,
        &format!("{url}/api/v1"),
        Some(&good),
        "application/json",
    )
    .await;
    assert_eq!(body["resources"][0]["name"], "pods");
    let (_, list) = get(
        &client,
        &format!("{url}/api/v1/namespaces/team/pods"),
        Some(&good),
        "application/json",
    )
    .await;
    assert_eq!(list["kind"], "PodList");
    assert_eq!(list["items"][0]["metadata"]["name"], "hello-alice");
    assert_eq!(list["items"][0]["metadata"]["namespace"], "team");
    let table_accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    let (_, table) = get(
        &client,
        &format!("{url}/api/v1/namespaces/default/pods"),
        Some(&good),
        table_accept,
    )
    .await;
    assert_eq!(table["kind"], "Table");
    assert_eq!(table["rows"][0]["cells"][0], "hello-alice");
    assert_eq!(api.authorized(), 4);
    assert_eq!(api.bearers().last().unwrap(), &good);

    // An expired token is refused too.
    tokens.set_access_token_lifetime(-1);
    let expired = tokens.issue_access_token("alice");
    let (status, _) = get(
        &client,
        &format!("{url}/api"),
        Some(&expired),
        "application/json",
    )
    .await;
    assert_eq!(status, 401);

    // A client that does not trust the CA gets no answer at all.
    let other = FakeServer::start_https(tokenctl_fake_server::Config::default());
    let stranger = client_trusting(&other.ca_pem().unwrap());
    assert!(stranger.get(format!("{url}/api")).send().await.is_err());
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_the_kube_api_and_writes_a_kubeconfig_that_trusts_it() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("playground.kubeconfig");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .args(["--port", "0", "--kubeconfig"])
        .arg(&kubeconfig)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let _running = Running(child);
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let token_url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let mut second = String::new();
    out.read_line(&mut second).unwrap();
    let kube_url = second
        .trim()
        .strip_prefix("kube API on ")
        .and_then(|r| r.split(' ').next())
        .unwrap_or_else(|| panic!("{second:?}"))
        .to_string();
    assert!(second.contains("cluster playground"), "{second}");
    assert!(kube_url.starts_with("https://127.0.0.1:"), "{kube_url}");

    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(text.contains("- name: playground\n"), "{text}");
    assert!(text.contains(&format!("server: {kube_url}\n")), "{text}");
    let ca_b64 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("certificate-authority-data: "))
        .unwrap();
    let ca = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(ca_b64)
            .unwrap(),
    )
    .unwrap();

    // A token from the token API opens the kube API, over the kubeconfig's CA.
    install_provider();
    let resp = reqwest::Client::new()
        .post(format!("{token_url}/api/v1/token"))
        .json(&serde_json::json!({"grantType": "password", "clientID": "runai", "username": "alice", "password": "wonderland"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.unwrap();
    let token = body["accessToken"].as_str().unwrap();
    let client = client_trusting(&ca);
    let (status, list) = get(
        &client,
        &format!("{kube_url}/api/v1/namespaces/default/pods"),
        Some(token),
        "application/json",
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"][0]["metadata"]["name"], "hello-alice");
    let (status, _) = get(
        &client,
        &format!("{kube_url}/api"),
        None,
        "application/json",
    )
    .await;
    assert_eq!(status, 401);
}

#[test]
fn kube_port_needs_kubeconfig() {
    let out = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .args(["--kube-port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kubeconfig"));
}
