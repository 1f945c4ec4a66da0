//! tokenctl as a kubectl exec-credential plugin, end to end with the real
//! kubectl binaries on this machine and a fake Kubernetes API over HTTPS
//! that accepts only tokens the fake token server issued.

use crate::common;

use std::path::PathBuf;

use base64::Engine;
use common::{Env, FakeServer, Kubectl, Output, Store, kubectls};
use serde_json::Value;
use tokenctl_fake_server::{Config, FakeKubeApi};

/// Runs `check` with every kubectl found (`common::kubectls`, which fails
/// when there is none), naming the one that failed.
fn with_each_kubectl(check: impl Fn(&Kubectl)) {
    for k in kubectls() {
        eprintln!("with {}", k.label());
        check(&k);
    }
}

/// kubectl writes `interactiveMode` (which v1 requires) from 1.30 on.
fn writes_interactive_mode(k: &Kubectl) -> bool {
    k.version >= (1, 30)
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
    fn new(lifetime: i64) -> Self {
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
        Self {
            env,
            fake,
            api,
            kubeconfig,
        }
    }

    /// The profile wired into the kubeconfig with a context on cluster
    /// `fake` (see `common::wire_kubeconfig`).
    fn wire(&self, kubectl: &Kubectl, api_version: &str) {
        // A kubectl older than 1.22 knows only v1beta1.
        let api_version = if kubectl.speaks_v1() {
            api_version
        } else {
            "v1beta1"
        };
        common::wire_kubeconfig(
            &self.env,
            &self.kubeconfig,
            kubectl,
            &["--cluster", "fake", "--api-version", api_version],
        );
    }

    fn kubectl(&self, kubectl: &Kubectl, args: &[&str]) -> Output {
        let mut cmd = self.env.program(&kubectl.path);
        cmd.env("KUBECONFIG", &self.kubeconfig)
            .args(["--context", "tokenctl-default@fake"])
            .args(args);
        Output::of(&mut cmd)
    }

    fn whoami(&self, kubectl: &Kubectl) -> Output {
        self.kubectl(kubectl, &["get", "--raw", "/apis/fake.tokenctl/v1/whoami"])
    }
}

fn fresh_token(kubectl: &Kubectl, api_version: &str) {
    let k = Kube::new(3600);
    k.wire(kubectl, api_version);
    k.fake.reset_counts();
    let out = k.whoami(kubectl);
    assert_eq!(
        out.code,
        0,
        "{} with {api_version}:\n{out}",
        kubectl.label()
    );
    let body: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["authenticated"], true);
    assert_eq!(k.api.authorized(), 1);
    assert!(
        k.fake.requests().is_empty(),
        "a fresh token needs no token request"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn fresh_token_v1_with_every_kubectl() {
    // kubectl before 1.30 gets v1beta1 written instead (see below).
    with_each_kubectl(|k| fresh_token(k, "v1"));
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn fresh_token_v1beta1_with_every_kubectl() {
    with_each_kubectl(|k| fresh_token(k, "v1beta1"));
}

fn expired_then_renewed(kubectl: &Kubectl) {
    // 30 s left is inside the 60 s margin: kubectl's call renews first.
    let k = Kube::new(30);
    k.fake.set_access_token_lifetime(3600);
    k.wire(kubectl, "v1");
    k.fake.reset_counts();
    let out = k.whoami(kubectl);
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
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn expired_then_renewed_with_every_kubectl() {
    with_each_kubectl(expired_then_renewed);
}

fn not_interactive_without_refresh_token(kubectl: &Kubectl) {
    let k = Kube::new(30);
    // Drop the refresh token so renewal is impossible.
    k.env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    k.wire(kubectl, "v1");
    // stdin is not a terminal, so IfAvailable means interactive: false.
    let out = k.whoami(kubectl);
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
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn not_interactive_without_refresh_token_with_every_kubectl() {
    with_each_kubectl(not_interactive_without_refresh_token);
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn kubeconfig_prints_a_users_entry() {
    let k = Kube::new(3600);
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
    // What it prints is a kubeconfig kubectl accepts and uses: v1 with
    // interactiveMode where kubectl speaks v1, else v1beta1.
    let base = std::fs::read_to_string(&k.kubeconfig).unwrap();
    with_each_kubectl(|kubectl| {
        let api_version = if kubectl.speaks_v1() { "v1" } else { "v1beta1" };
        let printed = k.env.path(&format!("printed-{api_version}"));
        let mut cmd = k.env.cmd();
        let users = Output::of(cmd.args([
            "kubeconfig",
            "--cluster",
            "fake",
            "--api-version",
            api_version,
        ]));
        std::fs::write(&printed, format!("{base}{}", users.stdout)).unwrap();
        let mut cmd = k.env.program(&kubectl.path);
        cmd.env("KUBECONFIG", &printed).args([
            "--context",
            "tokenctl-default@fake",
            "get",
            "--raw",
            "/apis/x/v1/y",
        ]);
        let out = Output::of(&mut cmd);
        assert_eq!(out.code, 0, "{} with {api_version}: {out}", kubectl.label());
    });
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn written_api_version_follows_what_kubectl_can_write() {
    with_each_kubectl(|kubectl| {
        let k = Kube::new(3600);
        if !kubectl.writes_users() {
            // It crashes writing users: say so, and how to do without.
            let mut cmd = k.env.cmd();
            cmd.env("KUBECONFIG", &k.kubeconfig).args([
                "kubeconfig",
                "--write",
                "--kubectl",
                kubectl.path.to_str().unwrap(),
            ]);
            let out = Output::of(&mut cmd);
            assert_eq!(out.code, 2, "{out}");
            assert!(
                out.stderr.contains("failed") && out.stderr.contains("prints the entry"),
                "{out}"
            );
            return;
        }
        k.wire(kubectl, "v1");
        let text = std::fs::read_to_string(&k.kubeconfig).unwrap();
        let want = if writes_interactive_mode(kubectl) {
            "client.authentication.k8s.io/v1"
        } else {
            "client.authentication.k8s.io/v1beta1"
        };
        assert!(
            text.contains(&format!("apiVersion: {want}\n")),
            "{}:\n{text}",
            kubectl.label()
        );
        if writes_interactive_mode(kubectl) {
            assert!(text.contains("interactiveMode: IfAvailable"), "{text}");
        }
    });
}
