//! tokenctl as a kubectl exec-credential plugin, end to end with the real
//! kubectl binaries on this machine and a fake Kubernetes API over HTTPS
//! that accepts only tokens the fake token server issued.

mod common;

use std::path::{Path, PathBuf};

use base64::Engine;
use common::{Env, FakeServer, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::{Config, FakeKubeApi};

const KUBECTL_DIR: &str = "/usr/lib/google-cloud-sdk/bin";
const OLDEST: &str = "1.27";
const NEWEST: &str = "1.33";

fn kubectl(version: &str) -> PathBuf {
    let path = Path::new(KUBECTL_DIR).join(format!("kubectl.{version}"));
    assert!(
        path.is_file(),
        "{} is missing: these tests run the real kubectl (Debian package google-cloud-cli-kubectl)",
        path.display()
    );
    path
}

struct Kube {
    env: Env,
    fake: FakeServer,
    api: FakeKubeApi,
    kubeconfig: PathBuf,
}

impl Kube {
    /// A logged-in profile, a fake API server, and a kubeconfig whose cluster
    /// `fake` trusts the API server's self-signed certificate.
    fn new(version: &str, lifetime: i64) -> Self {
        let env = Env::new(Store::File);
        let fake = FakeServer::start_with(Config {
            access_token_lifetime_secs: lifetime,
            // Short ones are hour-long tokens near their end, not tokens the
            // server issues that short (whose renewal margin is halved).
            issued_secs_ago: if lifetime < 60 { 3600 - lifetime } else { 0 },
            ..Config::default()
        });
        env.login(&fake.url());
        let api = FakeKubeApi::start(fake.state());
        let kubeconfig = env.path("kubeconfig");
        let ca = base64::engine::general_purpose::STANDARD.encode(api.ca_pem());
        std::fs::write(
            &kubeconfig,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\n",
                api.url()
            ),
        )
        .unwrap();
        let k = Self {
            env,
            fake,
            api,
            kubeconfig,
        };
        let _ = kubectl(version);
        k
    }

    /// `tokenctl kubeconfig --write` through the given kubectl.
    fn wire(&self, version: &str, api_version: &str) {
        let mut cmd = self.env.cmd();
        cmd.env("KUBECONFIG", &self.kubeconfig).args([
            "kubeconfig",
            "--write",
            "--cluster",
            "fake",
            "--api-version",
            api_version,
            "--kubectl",
            kubectl(version).to_str().unwrap(),
        ]);
        let out = Output::of(&mut cmd);
        assert_eq!(out.code, 0, "{out}");
        assert_eq!(out.stdout, "", "kubectl's chatter goes to stderr");
    }

    fn kubectl(&self, version: &str, args: &[&str]) -> Output {
        let mut cmd = self.env.program(kubectl(version));
        cmd.env("KUBECONFIG", &self.kubeconfig)
            .args(["--context", "tokenctl-default@fake"])
            .args(args);
        Output::of(&mut cmd)
    }

    fn whoami(&self, version: &str) -> Output {
        self.kubectl(version, &["get", "--raw", "/apis/fake.tokenctl/v1/whoami"])
    }
}

fn fresh_token(version: &str, api_version: &str) {
    let k = Kube::new(version, 3600);
    k.wire(version, api_version);
    k.fake.reset_counts();
    let out = k.whoami(version);
    assert_eq!(out.code, 0, "kubectl {version} with {api_version}:\n{out}");
    let body: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["authenticated"], true);
    assert_eq!(k.api.authorized(), 1);
    assert!(
        k.fake.requests().is_empty(),
        "a fresh token needs no token request"
    );
}

#[test]
fn fresh_token_v1_oldest() {
    fresh_token(OLDEST, "v1");
}

#[test]
fn fresh_token_v1_newest() {
    fresh_token(NEWEST, "v1");
}

#[test]
fn fresh_token_v1beta1_oldest() {
    fresh_token(OLDEST, "v1beta1");
}

#[test]
fn fresh_token_v1beta1_newest() {
    fresh_token(NEWEST, "v1beta1");
}

#[test]
fn fresh_token_every_kubectl_in_between() {
    for v in ["1.28", "1.29", "1.30", "1.31", "1.32"] {
        fresh_token(v, "v1");
    }
}

fn expired_then_renewed(version: &str) {
    // 30 s left is inside the 60 s margin: kubectl's call renews first.
    let k = Kube::new(version, 30);
    k.fake.set_access_token_lifetime(3600);
    k.wire(version, "v1");
    k.fake.reset_counts();
    let out = k.whoami(version);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(k.fake.count("grant:refresh_token"), 1);
    assert_eq!(k.api.authorized(), 1);
    assert_eq!(
        k.api.unauthorized(),
        0,
        "kubectl never sent the stale token"
    );
}

#[test]
fn expired_then_renewed_oldest() {
    expired_then_renewed(OLDEST);
}

#[test]
fn expired_then_renewed_newest() {
    expired_then_renewed(NEWEST);
}

fn not_interactive_without_refresh_token(version: &str) {
    let k = Kube::new(version, 30);
    // Drop the refresh token so renewal is impossible.
    k.env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    k.wire(version, "v1");
    // stdin is not a terminal, so IfAvailable means interactive: false.
    let out = k.whoami(version);
    assert_ne!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("no refresh token stored") && out.stderr.contains("`tokenctl login`"),
        "kubectl shows our message:\n{out}"
    );
    assert_eq!(
        k.api.authorized() + k.api.unauthorized(),
        0,
        "no request reached the API"
    );
}

#[test]
fn not_interactive_without_refresh_token_oldest() {
    not_interactive_without_refresh_token(OLDEST);
}

#[test]
fn not_interactive_without_refresh_token_newest() {
    not_interactive_without_refresh_token(NEWEST);
}

#[test]
fn kubeconfig_prints_a_users_entry() {
    let k = Kube::new(NEWEST, 3600);
    let out = k.env.ok(
        &[
            "--profile",
            "default",
            "kubeconfig",
            "--command",
            "tokenctl",
            "--cluster",
            "prod",
        ],
        "",
    );
    assert!(
        out.stdout
            .starts_with("users:\n- name: \"tokenctl-default\"\n"),
        "{}",
        out.stdout
    );
    for want in [
        "apiVersion: \"client.authentication.k8s.io/v1\"",
        "command: \"tokenctl\"",
        "- \"--profile\"\n      - \"default\"\n      - \"kubectl-credential\"",
        "interactiveMode: IfAvailable",
        "contexts:\n- name: \"tokenctl-default@prod\"",
    ] {
        assert!(out.stdout.contains(want), "missing {want}:\n{}", out.stdout);
    }
    // What it prints is a kubeconfig kubectl accepts and uses.
    let printed = k.env.path("printed-kubeconfig");
    let base = std::fs::read_to_string(&k.kubeconfig).unwrap();
    let mut cmd = k.env.cmd();
    let users = Output::of(cmd.args(["kubeconfig", "--cluster", "fake"]));
    std::fs::write(&printed, format!("{base}{}", users.stdout)).unwrap();
    // v1 with interactiveMode, read by the oldest and newest kubectl.
    for version in [OLDEST, NEWEST] {
        let mut cmd = k.env.program(kubectl(version));
        cmd.env("KUBECONFIG", &printed).args([
            "--context",
            "tokenctl-default@fake",
            "get",
            "--raw",
            "/apis/x/v1/y",
        ]);
        let out = Output::of(&mut cmd);
        assert_eq!(out.code, 0, "kubectl {version}: {out}");
    }
}

#[test]
fn written_api_version_follows_what_kubectl_can_write() {
    for (version, want) in [
        (OLDEST, "client.authentication.k8s.io/v1beta1"),
        (NEWEST, "client.authentication.k8s.io/v1"),
    ] {
        let k = Kube::new(version, 3600);
        k.wire(version, "v1");
        let text = std::fs::read_to_string(&k.kubeconfig).unwrap();
        assert!(
            text.contains(&format!("apiVersion: {want}")),
            "kubectl {version}:\n{text}"
        );
        if version == NEWEST {
            assert!(text.contains("interactiveMode: IfAvailable"), "{text}");
        }
    }
}
