//! The playground a newcomer meets: README's fake-server commands run as
//! written (a token used on a resource with curl; kubectl, every real one
//! on this machine, fetching pods over HTTPS with the token tokenctl gives
//! it), and the demo (`cargo run --example demo`), which says what it is
//! doing, shows one token, and ends with commands that work when pasted.
// Unix only: README's commands are sh, the demo is built by the host's
// cargo, kubectl binaries are Linux's here, Ctrl-C is SIGINT.

use crate::common;
use crate::ship;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
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
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
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

/// The demo's executable, built by cargo as `cargo run --example demo`
/// builds it (without this test's cargo variables, which would rebuild).
fn demo_exe() -> PathBuf {
    let out = ship::run(
        ship::clean_cargo_env(
            Command::new(env!("CARGO"))
                .args(["build", "--example", "demo", "--message-format=json"])
                .current_dir(root()),
        )
        .stderr(Stdio::inherit()),
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == "demo")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the demo's executable")
}

/// The demo with HOME and TMPDIR of its own and no other variables.
fn demo_cmd(env: &Env, args: &[&str]) -> Command {
    let tmp = env.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut cmd = Command::new(demo_exe());
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path("home"))
        .env("TMPDIR", &tmp)
        .env("no_proxy", "127.0.0.1");
    std::fs::create_dir_all(env.path("home")).unwrap();
    cmd
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// Whole JWTs (three base64url parts, a long one) and shortened ones
/// (`eyJ...…`) in `text`.
fn tokens_in(text: &str) -> (usize, usize) {
    let mut whole = 0;
    let mut short = 0;
    for (at, _) in text.match_indices("eyJ") {
        let word: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "-_.…".contains(*c))
            .collect();
        if word.ends_with('…') {
            short += 1;
        } else if word.split('.').count() == 3 && word.len() > 100 {
            whole += 1;
        }
    }
    (whole, short)
}

/// The commands after the last "# Try next" heading: (comment, command).
fn try_next(stdout: &str) -> Vec<String> {
    let at = stdout.rfind("# Try next").expect("a Try next heading");
    stdout[at..]
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_demo_narrates_shows_one_token_and_ends_with_three_commands_to_try() {
    let env = Env::new(Store::File);
    let started = Instant::now();
    let out = Output::from(demo_cmd(&env, &[]).output().unwrap());
    assert_eq!(out.code, 0, "{out}");
    eprintln!("the demo ran in {:.1?}", started.elapsed());
    let text = &out.stdout;
    // What it is doing, before anything else, and a heading per step.
    assert!(text.starts_with("# starting a fake Run:ai"), "{text}");
    for step in [
        "# 1. Log in",
        "# 2. The access token",
        "# 4. Renew",
        "# 11. Log out",
    ] {
        assert!(text.contains(step), "{step}: {text}");
    }
    assert!(
        !out.stderr.contains("Compiling") && !out.stderr.contains("cargo build"),
        "no build of its own: {out}"
    );
    // One token whole, the others shortened.
    let (whole, short) = tokens_in(text);
    assert_eq!(whole, 1, "one token shown whole: {text}");
    assert!(short >= 3, "the others shortened: {text}");
    // A token was used: curl (when here) and kubectl (when here) got answers.
    if on_path("curl") {
        assert!(text.contains("\"name\":\"fake-cluster\""), "curl: {text}");
    }
    if on_path("kubectl") {
        assert!(text.contains("hello-alice "), "kubectl: {text}");
    }
    // Three commands to try, each after a line that says what it is for.
    let next = try_next(text);
    assert_eq!(
        next,
        [
            "cargo run --example demo -- --keep",
            "cargo install --locked --path . && tokenctl login --server https://runai.example.com",
            "man ./man/tokenctl.1",
        ],
        "{text}"
    );
    assert!(root().join("man/tokenctl.1").is_file());
    // Nothing of the user's touched, nothing left behind.
    let left: Vec<_> = std::fs::read_dir(env.path("home")).unwrap().collect();
    assert!(left.is_empty(), "HOME untouched: {left:?}");
    let left: Vec<_> = std::fs::read_dir(env.path("tmp")).unwrap().collect();
    assert!(left.is_empty(), "temporary files removed: {left:?}");
}

#[test]
fn demo_keep_leaves_a_playground_where_the_try_next_commands_work_until_ctrl_c() {
    let env = Env::new(Store::File);
    let dir = env.path("playground");
    let mut cmd = demo_cmd(&env, &["--keep", "--dir", dir.to_str().unwrap()]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    // A suite started in the background (`./scripts/test.sh &`, a CI
    // wrapper) inherits SIGINT ignored, and so would the demo: Ctrl-C is
    // what a user at a terminal sends, with its default action.
    // SAFETY: signal(2) is async-signal-safe; nothing else runs here.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut line = String::new();
        let n = stdout.read_line(&mut line).unwrap();
        text.push_str(&line);
        if n == 0 || line.contains("Ctrl-C stops the playground") {
            break;
        }
        assert!(Instant::now() < deadline, "{text}");
    }
    assert!(text.contains("Ctrl-C stops the playground"), "{text}");
    assert!(
        !text.contains("# 11. Log out"),
        "the logins stay for you: {text}"
    );
    let next = try_next(&text);
    assert_eq!(
        next.len(),
        4,
        "a line for your shell, then three commands: {text}"
    );
    assert!(
        next[0].starts_with(&format!(". '{}'", dir.join("env").display())),
        "{text}"
    );

    // Pasted into a shell of the user's (HOME and PATH only), they work.
    let mut sh = Command::new("/bin/sh");
    sh.args(["-eu", "-c", &next.join("\n")])
        .env_clear()
        .env("HOME", env.path("home"))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("no_proxy", "127.0.0.1");
    let out = Output::from(sh.output().unwrap());
    assert_eq!(out.code, 0, "{}\n{out}", next.join("\n"));
    assert!(
        out.stdout.contains("\"name\":\"fake-cluster\""),
        "curl: {out}"
    );
    if next[2].starts_with("kubectl ") {
        assert!(out.stdout.contains("hello-alice"), "kubectl: {out}");
    }
    assert!(out.stdout.contains("\"profile\": \"gbds\""), "{out}");
    let url = next[1].split_whitespace().last().unwrap().to_string();

    // Ctrl-C (SIGINT) stops it: the server goes away with it.
    // SAFETY: kill(2) on the child this test started and has not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "still running 30 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).is_err(),
        "the fake server stopped"
    );
}
