//! The playground a newcomer meets: README's fake-server commands run as
//! written (a token used on a resource with curl; kubectl, every real one
//! on this machine, fetching pods over HTTPS with the token tokenctl gives
//! it), and the demo (`cargo run --example demo`), which says what it is
//! doing, shows one token, and ends with commands that work when pasted.

mod common;

use std::path::{Path, PathBuf};

use common::{Env, FakeServer, Kubectl, Output, Store, kubectls};
use tokenctl_fake_server::FakeKubeApi;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The first `sh` block under the heading "A playground: the fake server",
/// in README.md or, once it moved, in a page under docs/.
fn playground_block() -> (PathBuf, Vec<String>) {
    let mut pages = vec![root().join("README.md")];
    let mut stack = vec![root().join("docs")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                pages.push(p);
            }
        }
    }
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        let Some(at) = text.find(" A playground: the fake server\n") else {
            continue;
        };
        let rest = &text[at..];
        let start = rest.find("```sh\n").expect("a sh block under the heading") + 6;
        let end = rest[start..].find("```").unwrap();
        let lines = rest[start..start + end]
            .lines()
            .map(str::to_string)
            .collect();
        return (page, lines);
    }
    panic!("no page has the heading \"A playground: the fake server\"");
}

/// A directory with `kubectl` (a link to the given one) for PATH.
fn kubectl_dir(env: &Env, k: &Kubectl) -> PathBuf {
    let dir = env.path("kubectl-bin");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(&k.path, dir.join("kubectl")).unwrap();
    dir
}

/// What `--kubeconfig FILE` on the block's first line asks the fake for,
/// done in this process: the token API, the kube API sharing its tokens,
/// the kubeconfig at FILE (relative to `cwd`).
fn start_playground(first: &str, cwd: &Path) -> (FakeServer, FakeKubeApi) {
    let flags = first
        .strip_prefix("cargo run -p tokenctl-fake-server -- ")
        .and_then(|f| f.split(" #").next())
        .and_then(|f| f.trim().strip_suffix('&'))
        .unwrap_or_else(|| panic!("the block starts the fake server in the background: {first}"));
    let words: Vec<&str> = flags.split_whitespace().collect();
    assert_eq!(words[..2], ["--port", "8080"], "{first}");
    let at = words
        .iter()
        .position(|w| *w == "--kubeconfig")
        .unwrap_or_else(|| panic!("the fake is started with --kubeconfig FILE: {first}"));
    let fake = FakeServer::start();
    let api = FakeKubeApi::start(fake.state());
    let file = cwd.join(words[at + 1]);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, api.kubeconfig("playground")).unwrap();
    (fake, api)
}

fn run_block(env: &Env, k: &Kubectl) -> Output {
    let (page, lines) = playground_block();
    let cwd = env.path("checkout");
    std::fs::create_dir_all(&cwd).unwrap();
    let (fake, api) = start_playground(&lines[0], &cwd);
    let mut script = String::from("set -eu\n");
    for line in &lines[1..] {
        script.push_str(&line.replace("http://127.0.0.1:8080", &fake.url()));
        script.push('\n');
    }
    let path = format!(
        "{}:{}:{}",
        assert_cmd::cargo::cargo_bin("tokenctl")
            .parent()
            .unwrap()
            .display(),
        kubectl_dir(env, k).display(),
        std::env::var("PATH").unwrap()
    );
    let mut cmd = env.program("/bin/sh");
    cmd.args(["-c", &script])
        .current_dir(&cwd)
        .env("PATH", path)
        .env("no_proxy", "127.0.0.1")
        .env_remove("TOKENCTL_STORE");
    let out = Output::of(&mut cmd);
    assert_eq!(
        out.code,
        0,
        "{} as written, with {}:\n{script}\n{out}",
        page.display(),
        k.label()
    );

    // curl printed the cluster list, which the fake gives a valid bearer only.
    let clusters = out
        .stdout
        .lines()
        .find(|l| l.starts_with('['))
        .unwrap_or_else(|| panic!("curl printed the clusters: {out}"));
    // curl ends its output without a newline: the next command's follows.
    let clusters: serde_json::Value = serde_json::Deserializer::from_str(clusters)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(clusters[0]["name"], "fake-cluster", "{out}");
    let sent = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v1/clusters")
        .expect("curl asked for the clusters");
    let bearer = sent
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .expect("with a bearer")
        .to_string();
    assert!(fake.is_valid_access_token(&bearer));

    // kubectl listed the pod of the token's user, and every request to the
    // kube API carried a token the fake issued, from tokenctl.
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("hello-alice ") && l.contains("Running")),
        "kubectl get pods: {out}"
    );
    assert!(api.authorized() >= 1, "{out}");
    assert_eq!(
        api.unauthorized(),
        0,
        "no request without a valid token: {out}"
    );
    let bearers = api.bearers();
    assert_eq!(bearers.len(), api.authorized());
    assert!(bearers.iter().all(|b| fake.is_valid_access_token(b)));
    let token = env.ok(&["--store", "file", "token"], "").stdout;
    assert_eq!(
        bearers.last().unwrap(),
        token.trim(),
        "the token tokenctl gives"
    );
    out
}

#[test]
fn readme_playground_commands_work_as_written_with_every_kubectl() {
    let mut ran = 0;
    for k in kubectls() {
        let env = Env::new(Store::File);
        if !k.writes_users() {
            eprintln!(
                "{}: `kubectl config set-credentials` does not work in it, so the block's `kubeconfig --write` cannot; README says so",
                k.label()
            );
            continue;
        }
        eprintln!("with {}", k.label());
        run_block(&env, &k);
        ran += 1;
    }
    assert!(ran > 0, "no kubectl here can run the block");
}

/// Without a valid token the fake's kube API refuses kubectl, and kubectl
/// says so: the 200 above is the token's doing.
#[test]
fn kubectl_without_tokenctl_is_refused() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let api = FakeKubeApi::start(fake.state());
    let kubeconfig = env.path("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "{}users:\n- name: stranger\n  user:\n    token: not-a-token-the-fake-issued\ncontexts:\n- name: stranger\n  context:\n    cluster: playground\n    user: stranger\n",
            api.kubeconfig("playground")
        ),
    )
    .unwrap();
    let k = common::newest_kubectl();
    let mut cmd = env.program(&k.path);
    cmd.env("KUBECONFIG", &kubeconfig)
        .args(["--context", "stranger", "get", "pods"]);
    let out = Output::of(&mut cmd);
    assert_ne!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("Unauthorized") || out.stderr.contains("must be logged in"),
        "{out}"
    );
    assert_eq!(api.authorized(), 0);
    assert!(api.unauthorized() >= 1);
}
