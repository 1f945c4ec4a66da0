//! `tokenctl doctor` and `tokenctl status` on healthy and broken setups:
//! one line per check, a fix on each problem, exit 0 only when nothing
//! fails, and never a credential sent or shown.

use crate::common;

use std::path::PathBuf;

use common::{Env, FakeServer, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::Config;

/// The real kubectl these tests run (see `common::kubectls`).
fn kubectl() -> String {
    common::newest_kubectl().path.to_string_lossy().into_owned()
}

/// A logged-in profile `default` on a fake server, with a kubeconfig user
/// wired to it through `tokenctl kubeconfig --write`.
struct Setup {
    env: Env,
    fake: FakeServer,
    kubeconfig: PathBuf,
}

impl Setup {
    fn new(store: Store) -> Self {
        let env = Env::new(store);
        let fake = FakeServer::start();
        env.login(&fake.url());
        let kubeconfig = env.path("kubeconfig");
        std::fs::write(&kubeconfig, "apiVersion: v1\nkind: Config\n").unwrap();
        let s = Self {
            env,
            fake,
            kubeconfig,
        };
        common::wire_kubeconfig(&s.env, &s.kubeconfig, &common::newest_kubectl(), &[]);
        s
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut cmd = self.env.cmd();
        cmd.env("KUBECONFIG", &self.kubeconfig)
            .env("TOKENCTL_KUBECTL", kubectl());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Output::of(cmd.args(args))
    }

    fn doctor(&self, args: &[&str], code: i32) -> Output {
        self.doctor_with(args, &[], code)
    }

    fn doctor_with(&self, args: &[&str], vars: &[(&str, &str)], code: i32) -> Output {
        let mut all = vec!["doctor"];
        all.extend_from_slice(args);
        let out = self.run_with(&all, vars);
        assert_eq!(
            out.code, code,
            "doctor {args:?}: expected exit {code}:\n{out}"
        );
        out
    }
}

/// The report line of one check.
fn line<'a>(out: &'a Output, check: &str) -> &'a str {
    out.stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(check) || l.contains(&format!("  {check}  ")))
        .unwrap_or_else(|| panic!("no `{check}` line:\n{out}"))
}

fn assert_status(out: &Output, check: &str, status: &str) {
    let l = line(out, check);
    assert!(
        l.starts_with(&format!("{status} ")),
        "`{check}` should be {status}: {l}\n{out}"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn healthy_file_store_setup_passes_every_check() {
    let s = Setup::new(Store::File);
    s.fake.reset_counts();
    let out = s.doctor(&[], 0);
    for check in [
        "config",
        "runtime",
        "kubectl",
        "file store",
        "login",
        "server",
        "clock",
        "kubeconfig",
    ] {
        assert_status(&out, check, "ok");
    }
    assert_eq!(out.stdout.lines().count(), 8, "one line per check:\n{out}");
    assert!(line(&out, "file store").contains("0600"), "{out}");
    assert!(line(&out, "login").contains("renews silently"), "{out}");
    assert!(
        line(&out, "kubeconfig").contains("tokenctl-default"),
        "{out}"
    );
    assert!(out.stderr.contains("all 8 checks passed"), "{out}");
    // The server check sent credential-free requests only: a GET of the
    // base URL, then an empty POST to each known token endpoint.
    let requests = s.fake.requests();
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        sent,
        [
            ("GET", "/"),
            ("POST", "/api/v2/token"),
            ("POST", "/api/v1/token"),
            ("POST", "/tokens")
        ]
    );
    for r in &requests {
        assert!(r.header("authorization").is_none() && r.body.is_empty() && r.query.is_none());
    }
    assert!(line(&out, "server").contains("--api runai"), "{out}");
    let token = s.env.ok(&["token"], "").stdout.trim().to_string();
    let again = s.doctor(&[], 0);
    assert!(!again.stdout.contains(&token) && !again.stderr.contains(&token));
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus) and kubectl"
)]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn healthy_keychain_setup_and_json_report() {
    let s = Setup::new(Store::Keychain);
    let out = s.doctor(&["-o", "json"], 0);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["ok"], true);
    let checks = json["checks"].as_array().unwrap();
    let keychain = checks.iter().find(|c| c["check"] == "keychain").unwrap();
    assert_eq!(keychain["status"], "ok");
    assert_eq!(keychain["profile"], "default");
    assert!(
        keychain["detail"].as_str().unwrap().contains("unlocked"),
        "{keychain}"
    );
    assert!(checks.iter().all(|c| c["status"] == "ok"), "{json:#}");
    assert!(s.doctor(&["-o", "token"], 2).stderr.contains("-o json"));
}

// The Secret Service made unreachable (Windows' Credential Manager always is).
#[cfg(unix)]
#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
fn keychain_unavailable_fails_with_the_headless_fix() {
    let s = Setup::new(Store::File);
    let out = s.doctor_with(
        &["--store", "keychain"],
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
        1,
    );
    let l = line(&out, "keychain");
    assert!(l.starts_with("fail "), "{out}");
    assert!(l.contains("keychain is unavailable"), "{l}");
    assert!(
        l.contains("fix: ") && l.contains("dbus-run-session") && l.contains("--store file"),
        "{l}"
    );
    // The kernel keyring needs no daemon: named before the file.
    let kernel = l.find("--store kernel").unwrap_or_else(|| panic!("{l}"));
    assert!(kernel < l.find("--store file").unwrap(), "{l}");
    assert_status(&out, "login", "skip");
    assert_status(&out, "server", "ok");
    assert!(
        out.stderr
            .contains("error: 1 of 8 checks failed, 1 skipped"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
fn bad_permissions_fail_with_the_chmod_to_run() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new(Store::File);
    let file = s.env.token_file("default");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = s.doctor(&[], 1);
    let l = line(&out, "file store");
    assert!(l.starts_with("fail ") && l.contains("mode 644"), "{out}");
    assert!(
        l.contains(&format!("fix: run `chmod 600 {}`", file.display())),
        "{l}"
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let dir = file.parent().unwrap();
    // One rule for the directory: ours but open to others is advice in
    // doctor, and every command that uses it sets it back to 700, saying so.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = s.doctor(&[], 0);
    let l = line(&out, "file store");
    assert!(l.starts_with("warn "), "{out}");
    assert!(l.contains(&format!("chmod 700 {}", dir.display())), "{out}");
    assert!(l.contains("sets it back to 700"), "{out}");
    // Reading the login (as `token` would) applied the rule, and said so.
    assert!(out.stderr.contains("set it back to 700"), "{out}");
    assert_eq!(
        std::fs::metadata(dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    s.doctor(&[], 0);
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn unreachable_server_fails_and_skips_the_clock() {
    let s = Setup::new(Store::File);
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = std::fs::read_to_string(s.env.config_path()).unwrap();
    std::fs::write(
        s.env.config_path(),
        config.replace(&s.fake.url(), &format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    let out = s.doctor(&[], 1);
    let l = line(&out, "server");
    assert!(
        l.starts_with("fail ") && l.contains("cannot reach"),
        "{out}"
    );
    assert!(l.contains("fix: check the server URL"), "{l}");
    assert_status(&out, "clock", "skip");
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn invalid_tls_certificate_fails_the_server_check() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_https(Config::default());
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(
        env.config_path(),
        format!(
            "[profiles.default]\nserver = \"{}\"\napi = \"runai\"\nusername = \"alice\"\n",
            fake.url()
        ),
    )
    .unwrap();
    let out = env.run(&["doctor", "--kubectl", &kubectl()], "");
    assert_eq!(out.code, 1, "{out}");
    let l = line(&out, "server");
    assert!(
        l.starts_with("fail ") && l.contains("TLS with https://"),
        "{out}"
    );
    assert!(l.contains("certificate"), "{l}");
    assert!(
        fake.requests().is_empty(),
        "no request crossed an untrusted TLS session"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn skewed_clock_fails_against_the_servers_date() {
    let s = Setup::new(Store::File);
    s.fake.set_date_offset(3600);
    let out = s.doctor(&[], 1);
    let l = line(&out, "clock");
    assert!(l.starts_with("fail "), "{out}");
    assert!(l.contains("behind the server's"), "{l}");
    assert!(l.contains("fix: synchronise the system clock"), "{l}");
    s.fake.set_date_offset(-3600);
    let out = s.doctor(&["-o", "json"], 1);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let clock = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "clock")
        .unwrap()
        .clone();
    assert_eq!(clock["status"], "fail");
    assert!(
        clock["detail"].as_str().unwrap().contains("ahead of"),
        "{clock}"
    );
    s.fake.set_date_offset(30);
    s.doctor(&[], 0);
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn kubectl_missing_or_not_wired_is_advice_and_a_broken_entry_fails() {
    let s = Setup::new(Store::File);
    let out = s.doctor(&["--kubectl", "/nonexistent/kubectl"], 0);
    let l = line(&out, "kubectl");
    assert!(
        l.starts_with("warn ") && l.contains("not found") && l.contains("fix: install kubectl"),
        "{out}"
    );
    assert!(
        !out.stdout.contains("kubeconfig"),
        "no kubeconfig check without kubectl:\n{out}"
    );
    // A `warn` line is not a pass: the summary says so.
    assert!(!out.stderr.contains("all "), "{out}");
    assert!(
        out.stderr
            .contains("6 of 7 checks passed, 1 with advice (`warn`); nothing failed"),
        "{out}"
    );

    let empty = s.env.path("empty-kubeconfig");
    std::fs::write(&empty, "apiVersion: v1\nkind: Config\n").unwrap();
    let out = s.doctor_with(&[], &[("KUBECONFIG", empty.to_str().unwrap())], 0);
    let l = line(&out, "kubeconfig");
    assert!(l.starts_with("warn "), "{out}");
    assert!(
        l.contains("fix: run `tokenctl --profile default kubeconfig --write"),
        "{l}"
    );

    common::wire_kubeconfig(
        &s.env,
        &empty,
        &common::newest_kubectl(),
        &["--command", "/nonexistent/tokenctl", "--user", "broken"],
    );
    let out = s.doctor_with(&[], &[("KUBECONFIG", empty.to_str().unwrap())], 1);
    let l = line(&out, "kubeconfig");
    assert!(
        l.starts_with("fail ") && l.contains("`broken` runs `/nonexistent/tokenctl`"),
        "{out}"
    );
}

#[test]
fn config_problems_are_one_line_with_the_fix() {
    let env = Env::new(Store::File);
    let out = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    assert_eq!(out.code, 1, "{out}");
    assert!(
        line(&out, "config").contains("fix: run `tokenctl login --server URL`"),
        "{out}"
    );
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(env.config_path(), "[profiles.x]\nsever = \"https://a\"\n").unwrap();
    let out = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    assert_eq!(out.code, 1, "{out}");
    let l = line(&out, "config");
    assert!(
        l.starts_with("fail ") && l.contains("line 2") && l.contains("unknown field `sever`"),
        "{out}"
    );
    assert!(l.contains("; fix: fix that line"), "{l}");
    let out = env.run(&["--profile", "nope", "doctor"], "");
    assert_eq!(out.code, 1, "{out}");
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn doctor_all_checks_each_profile_and_not_logged_in_fails() {
    let s = Setup::new(Store::File);
    // A second profile that never logged in.
    std::fs::write(
        s.env.config_path(),
        std::fs::read_to_string(s.env.config_path()).unwrap()
            + &format!(
                "\n[profiles.other]\nserver = \"{}\"\napi = \"runai\"\nusername = \"bob\"\n",
                s.fake.url()
            ),
    )
    .unwrap();
    let out = s.doctor(&["--all"], 1);
    assert!(out.stdout.contains("[default] "), "{out}");
    let other: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("[other] "))
        .collect();
    let login = other.iter().find(|l| l.contains(" login ")).unwrap();
    assert!(
        login.starts_with("fail ") && login.contains("fix: run `tokenctl --profile other login`"),
        "{out}"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn status_says_how_renewal_would_work() {
    let s = Setup::new(Store::File);
    let text = s.env.ok(&["status"], "").stdout;
    assert!(text.contains("renewal:  silent (refresh token)"), "{text}");
    let json: Value =
        serde_json::from_str(&s.env.ok(&["status", "-o", "json"], "").stdout).unwrap();
    assert_eq!(json[0]["renew_with"], "refresh token");
    let mut cmd = s.env.cmd();
    cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret").args([
        "--profile",
        "ci",
        "app-token",
        "--server",
        &s.fake.url(),
        "--client-id",
        "ci-bot",
    ]);
    assert_eq!(Output::of(&mut cmd).code, 0);
    let json: Value =
        serde_json::from_str(&s.env.ok(&["status", "--all", "-o", "json"], "").stdout).unwrap();
    let ci = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"] == "ci")
        .unwrap();
    assert_eq!(ci["client_id"], "ci-bot");
    assert_eq!(ci["logged_in"], true);
    assert_eq!(ci["can_renew"], false, "no saved secret: {ci}");
    assert!(!json.to_string().contains("ci-bot-secret"));
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/it/common::kubectls)"
)]
fn a_context_whose_cluster_is_missing_is_refused_and_flagged() {
    let s = Setup::new(Store::File);
    let before = std::fs::read_to_string(&s.kubeconfig).unwrap();
    // The kubeconfig has no clusters at all.
    let out = s.run(&["kubeconfig", "--write", "--cluster", "prod-cluster"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("no cluster `prod-cluster`")
            && out
                .stderr
                .contains("kubectl config set-cluster prod-cluster --server="),
        "says how to add it: {out}"
    );
    assert_eq!(
        std::fs::read_to_string(&s.kubeconfig).unwrap(),
        before,
        "nothing written"
    );
    s.doctor(&[], 0);

    // A context made by hand (or by an older tokenctl) that names it anyway.
    let mut cmd = s.env.program(kubectl());
    cmd.env("KUBECONFIG", &s.kubeconfig).args([
        "config",
        "set-context",
        "tokenctl-default@prod-cluster",
        "--cluster=prod-cluster",
        "--user=tokenctl-default",
    ]);
    assert_eq!(Output::of(&mut cmd).code, 0);
    let out = s.doctor(&[], 1);
    let l = line(&out, "kubeconfig");
    assert!(
        l.starts_with("fail ")
            && l.contains("context `tokenctl-default@prod-cluster` names cluster `prod-cluster`")
            && l.contains("localhost:8080")
            && l.contains("fix: add the cluster first: `kubectl config set-cluster prod-cluster"),
        "{out}"
    );

    // With the cluster added, --write --cluster works and doctor is content.
    let mut cmd = s.env.program(kubectl());
    cmd.env("KUBECONFIG", &s.kubeconfig).args([
        "config",
        "set-cluster",
        "prod-cluster",
        "--server=https://127.0.0.1:6443",
    ]);
    assert_eq!(Output::of(&mut cmd).code, 0);
    if common::newest_kubectl().writes_users() {
        let out = s.run(&["kubeconfig", "--write", "--cluster", "prod-cluster"]);
        assert_eq!(out.code, 0, "{out}");
    }
    let out = s.doctor(&[], 0);
    assert_status(&out, "kubeconfig", "ok");
    assert!(out.stderr.contains("all 8 checks passed"), "{out}");
}

/// The columns of a text report: (status column, check column, detail
/// column) in characters, for each line, found from the JSON report's check
/// names and statuses (the same checks in the same order).
#[cfg(unix)]
fn columns(text: &str, json: &Value) -> Vec<(usize, usize, usize)> {
    let checks = json["checks"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), checks.len(), "one line per check:\n{text}");
    lines
        .iter()
        .zip(checks)
        .map(|(line, check)| {
            let chars: Vec<char> = line.chars().collect();
            let status = check["status"].as_str().unwrap();
            let name = check["check"].as_str().unwrap();
            let find = |needle: &str, from: usize| -> usize {
                let needle: Vec<char> = needle.chars().collect();
                (from..chars.len())
                    .find(|&i| chars[i..].starts_with(&needle))
                    .unwrap_or_else(|| panic!("no `{}` in {line:?}", String::from_iter(&needle)))
            };
            let status_at = find(status, 0);
            let name_at = find(&format!(" {name} "), status_at + status.len()) + 1;
            let detail_at = (name_at + name.chars().count()..chars.len())
                .find(|&i| chars[i] != ' ')
                .unwrap_or_else(|| panic!("no detail in {line:?}"));
            (status_at, name_at, detail_at)
        })
        .collect()
}

#[cfg(unix)]
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let end = tail.find('m').expect("an SGR sequence ends in m");
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

// The kernel keyring (Linux) and a pseudo-terminal (Unix).
#[cfg(unix)]
#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
fn columns_line_up_whatever_the_check_names() {
    let s = Setup::new(Store::File);
    // A profile kept in the kernel keyring brings the longest check names
    // ("kernel keyring", "kernel quota") beside the short ones.
    std::fs::write(
        s.env.config_path(),
        std::fs::read_to_string(s.env.config_path()).unwrap()
            + &format!(
                "\n[profiles.k]\nserver = \"{}\"\napi = \"runai\"\nusername = \"bob\"\nstore = \"kernel\"\n",
                s.fake.url()
            ),
    )
    .unwrap();
    // Each profile's own store: no TOKENCTL_STORE over them.
    let run = |args: &[&str]| {
        let mut cmd = s.env.cmd();
        cmd.env("KUBECONFIG", &s.kubeconfig)
            .env("TOKENCTL_KUBECTL", kubectl())
            .env_remove("TOKENCTL_STORE")
            .args(args);
        Output::of(&mut cmd)
    };
    let json: Value =
        serde_json::from_str(&run(&["doctor", "--all", "-o", "json"]).stdout).unwrap();
    let names: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap();
    assert!(
        names.contains(&"kernel keyring") && names.contains(&"kubectl"),
        "{names:?}"
    );

    let check = |text: &str, how: &str| {
        let cols = columns(text, &json);
        let (status_at, name_at, detail_at) = cols[0];
        for (line, col) in text.lines().zip(&cols) {
            assert_eq!(
                *col,
                (status_at, name_at, detail_at),
                "{how}: this line is out of line with the first:\n{line}\n---\n{text}"
            );
        }
        // The check column is as wide as the longest name, then two spaces.
        assert_eq!(detail_at, name_at + longest + 2, "{how}:\n{text}");
        assert_eq!(status_at, 0, "{how}:\n{text}");
    };
    let plain = run(&["doctor", "--all"]);
    check(&plain.stdout, "plain");
    // The status words are padded to one width ("fail", "warn", "skip", "ok").
    assert!(
        plain.stdout.lines().any(|l| l.starts_with("ok    ")),
        "{plain}"
    );

    let coloured = run(&["--color", "always", "doctor", "--all"]);
    assert!(coloured.stdout.contains("\x1b["), "{coloured}");
    check(&strip_sgr(&coloured.stdout), "--color always");

    // On a terminal: a symbol before each status, still in line.
    let shown = common::pty::Pty::spawn_with(
        &s.env,
        None,
        &["doctor", "--all"],
        &[("TERM", "xterm")],
        |cmd| {
            cmd.env("KUBECONFIG", &s.kubeconfig)
                .env("TOKENCTL_KUBECTL", kubectl())
                .env_remove("TOKENCTL_STORE");
        },
    )
    .finish();
    let screen = strip_sgr(&shown.stdout.replace("\r\n", "\n"));
    let report: String = screen
        .lines()
        .filter(|l| {
            ["✓ ok", "! warn", "✗ fail", "- skip"]
                .iter()
                .any(|m| l.starts_with(m))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let cols = columns(&report, &json);
    let first = cols[0];
    for (line, col) in report.lines().zip(&cols) {
        assert_eq!(
            *col, first,
            "on a terminal, out of line:\n{line}\n---\n{report}"
        );
    }
    assert_eq!(first.2, first.1 + longest + 2, "{report}");
}
