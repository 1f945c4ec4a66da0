//! kubectl 1.35's credential plugin policy in kuberc: `doctor` finds a
//! kuberc that would keep kubectl from running tokenctl and gives the lines
//! that allow it; `kubeconfig` says the same on stderr. The kubectl binaries
//! here predate 1.35, so these tests judge kuberc documents the way 1.35
//! reads them (kubernetes.io "kuberc"), and check that the lines tokenctl
//! suggests are what makes a document allow it.

use crate::common;

use std::path::PathBuf;

use common::{Env, FakeServer, Output, Store};

const HEAD: &str = "apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n";

struct Setup {
    env: Env,
    _fake: FakeServer,
    kubeconfig: PathBuf,
    /// The command the kubeconfig entry runs: this tokenctl's real path.
    command: String,
}

impl Setup {
    /// A profile with a kubeconfig user that runs tokenctl (`wired`), or a
    /// kubeconfig without one.
    fn new(wired: bool) -> Self {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        env.login(&fake.url());
        let kubeconfig = env.path("kubeconfig");
        std::fs::write(&kubeconfig, "apiVersion: v1\nkind: Config\n").unwrap();
        if wired {
            common::wire_kubeconfig(&env, &kubeconfig, &common::newest_kubectl(), &[]);
        }
        let command = std::fs::canonicalize(assert_cmd::cargo::cargo_bin("tokenctl"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(env.path(".kube")).unwrap();
        Self {
            env,
            _fake: fake,
            kubeconfig,
            command,
        }
    }

    fn kuberc(&self, text: &str) -> PathBuf {
        let path = self.env.path(".kube/kuberc");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn run(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut cmd = self.env.cmd();
        cmd.env("KUBECONFIG", &self.kubeconfig)
            .env("TOKENCTL_KUBECTL", &common::newest_kubectl().path);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Output::of(cmd.args(args))
    }

    fn doctor(&self, vars: &[(&str, &str)], code: i32) -> Output {
        let out = self.run(&["doctor"], vars);
        assert_eq!(out.code, code, "doctor: expected exit {code}:\n{out}");
        out
    }
}

/// The `kuberc` line of a doctor report, if any.
fn kuberc_line(out: &Output) -> Option<&str> {
    out.stdout.lines().find(|l| l.contains("  kuberc  "))
}

fn status(out: &Output) -> &str {
    let line = kuberc_line(out).unwrap_or_else(|| panic!("no kuberc line:\n{out}"));
    line.split_whitespace().next().unwrap()
}

fn allowlist(entries: &[&str]) -> String {
    let mut text = format!("{HEAD}credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n");
    for e in entries {
        text.push_str(&format!("- name: {e}\n"));
    }
    text
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn no_kuberc_or_kuberc_off_is_no_line() {
    let s = Setup::new(true);
    let out = s.doctor(&[], 0);
    assert!(kuberc_line(&out).is_none(), "{out}");
    // A DenyAll kuberc that kubectl is told not to read.
    s.kuberc(&format!("{HEAD}credentialPluginPolicy: DenyAll\n"));
    for var in [("KUBERC", "off"), ("KUBECTL_KUBERC", "false")] {
        let out = s.doctor(&[var], 0);
        assert!(kuberc_line(&out).is_none(), "{var:?}: {out}");
    }
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn allow_all_and_an_allowlist_naming_tokenctl_pass() {
    let s = Setup::new(true);
    for text in [
        HEAD.to_string(),
        format!("{HEAD}credentialPluginPolicy: AllowAll\n"),
        allowlist(&["kubelogin", &s.command]),
    ] {
        s.kuberc(&text);
        let out = s.doctor(&[], 0);
        assert_eq!(status(&out), "ok", "{text}\n{out}");
    }
    let out = s.doctor(&[], 0);
    assert!(kuberc_line(&out).unwrap().contains(&s.command), "{out}");
}

// Go's Unix lookup: execute bits, a `:`-separated PATH (on Windows Go
// also tries each %PATHEXT% extension, which tokenctl does not).
#[cfg(unix)]
#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
fn a_bare_name_is_looked_up_on_path() {
    let s = Setup::new(true);
    s.kuberc(&allowlist(&["tokenctl"]));
    let bin = std::path::Path::new(&s.command)
        .parent()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let system = std::env::var("PATH").unwrap_or_default();
    let out = s.doctor(&[("PATH", &format!("{bin}:{system}"))], 0);
    assert_eq!(status(&out), "ok", "{out}");
    // Another `tokenctl` first on PATH is another program.
    let other = s.env.path("other-bin");
    std::fs::create_dir(&other).unwrap();
    let impostor = other.join("tokenctl");
    common::executable::write_executable(&impostor, "#!/bin/sh\n");
    let out = s.doctor(
        &[("PATH", &format!("{}:{bin}:{system}", other.display()))],
        1,
    );
    assert_eq!(status(&out), "fail", "{out}");
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn deny_all_and_an_allowlist_without_tokenctl_fail_with_the_lines_that_allow_it() {
    let s = Setup::new(true);
    let path = s.kuberc(&format!("{HEAD}credentialPluginPolicy: DenyAll\n"));
    let out = s.doctor(&[], 1);
    let line = kuberc_line(&out).unwrap();
    assert!(line.starts_with("fail"), "{out}");
    for want in [
        "DenyAll",
        s.command.as_str(),
        "credentialPluginPolicy: Allowlist",
        &format!("credentialPluginAllowlist: [{{name: {}}}]", s.command),
        path.to_str().unwrap(),
    ] {
        assert!(line.contains(want), "{want}: {line}");
    }

    s.kuberc(&allowlist(&[
        "kubelogin",
        "/usr/local/bin/gke-gcloud-auth-plugin",
    ]));
    let out = s.doctor(&[], 1);
    let line = kuberc_line(&out).unwrap();
    assert!(line.starts_with("fail"), "{out}");
    assert!(
        line.contains(&format!(
            "add `- name: {}` under `credentialPluginAllowlist:`",
            s.command
        )),
        "{line}"
    );

    // Configuration errors kubectl refuses every plugin for.
    for text in [
        format!("{HEAD}credentialPluginPolicy: Allowlist\n"),
        format!("{HEAD}credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist: []\n"),
        format!("{HEAD}credentialPluginAllowlist:\n- name: {}\n", s.command),
        format!("{HEAD}credentialPluginPolicy: allowlist\n"),
        format!("{}- {{}}\n", allowlist(&[&s.command])),
    ] {
        s.kuberc(&text);
        let out = s.doctor(&[], 1);
        assert_eq!(status(&out), "fail", "{text}\n{out}");
    }
    // The pre-release spelling is named.
    s.kuberc(&format!(
        "{HEAD}credentialPluginPolicy: Allowlist\ncredPluginAllowlist:\n- name: {}\n",
        s.command
    ));
    let out = s.doctor(&[], 1);
    assert!(
        kuberc_line(&out)
            .unwrap()
            .contains("`credentialPluginAllowlist`"),
        "{out}"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn without_a_tokenctl_user_it_is_advice() {
    let s = Setup::new(false);
    s.kuberc(&format!("{HEAD}credentialPluginPolicy: DenyAll\n"));
    let out = s.doctor(&[], 0);
    assert_eq!(status(&out), "warn", "{out}");
    assert!(
        kuberc_line(&out).unwrap().contains("would not run"),
        "{out}"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn kuberc_names_another_file() {
    let s = Setup::new(true);
    s.kuberc(&format!("{HEAD}credentialPluginPolicy: AllowAll\n"));
    let elsewhere = s.env.path("elsewhere.yaml");
    std::fs::write(
        &elsewhere,
        format!("{HEAD}credentialPluginPolicy: DenyAll\n"),
    )
    .unwrap();
    let var = [("KUBERC", elsewhere.to_str().unwrap())];
    let out = s.doctor(&var, 1);
    assert!(
        kuberc_line(&out).unwrap().contains("elsewhere.yaml"),
        "{out}"
    );
    // And the other way round.
    s.kuberc(&format!("{HEAD}credentialPluginPolicy: DenyAll\n"));
    std::fs::write(&elsewhere, allowlist(&[&s.command])).unwrap();
    assert_eq!(status(&s.doctor(&var, 0)), "ok");
    // A named file that is missing or broken stops kubectl altogether.
    let missing = s.env.path("missing.yaml");
    let out = s.doctor(&[("KUBERC", missing.to_str().unwrap())], 1);
    assert!(
        kuberc_line(&out).unwrap().contains("refuses to run"),
        "{out}"
    );
    std::fs::write(&elsewhere, "credentialPluginPolicy: [\n").unwrap();
    let out = s.doctor(&var, 1);
    assert!(
        kuberc_line(&out).unwrap().contains("refuses to run"),
        "{out}"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn a_malformed_default_kuberc_is_ignored_by_kubectl_and_said() {
    let s = Setup::new(true);
    for text in [
        "credentialPluginPolicy: [DenyAll\n",
        "\u{1b}[31m: {",
        "apiVersion: v1\nkind: Config\n",
        &format!("{HEAD}credentialPluginPolicy: 7\n"),
    ] {
        s.kuberc(text);
        let out = s.doctor(&[], 0);
        assert_eq!(status(&out), "warn", "{text:?}\n{out}");
        assert!(kuberc_line(&out).unwrap().contains("ignores"), "{out}");
        assert!(!out.stdout.contains('\u{1b}'), "{:?}", out.stdout);
    }
    // JSON carries the same check.
    let out = s.run(&["doctor", "-o", "json"], &[]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "kuberc")
        .unwrap();
    assert_eq!(check["status"], "warn");
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs kubectl")]
#[cfg_attr(
    windows,
    ignore = "needs a kubectl.exe, which no package registry here has (tests/common::kubectls)"
)]
fn kubeconfig_says_it_and_its_lines_make_kubectl_allow_tokenctl() {
    let s = Setup::new(false);
    let path = s.kuberc(&format!(
        "{HEAD}defaults:\n- command: delete\n  options:\n  - name: interactive\n    default: \"true\"\ncredentialPluginPolicy: DenyAll\n"
    ));
    let kubectl = common::newest_kubectl();
    let mut args = vec!["kubeconfig"];
    if kubectl.writes_users() {
        args.push("--write");
    }
    let out = s.run(&args, &[]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("kubectl 1.35 and later will not run"),
        "{out}"
    );
    assert!(out.stderr.contains(path.to_str().unwrap()), "{out}");
    // The lines it printed, in place of the policy line, allow it.
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .skip_while(|l| !l.contains("put these lines"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| &l[2..])
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    let fixed = std::fs::read_to_string(&path).unwrap().replace(
        "credentialPluginPolicy: DenyAll\n",
        &format!("{}\n", lines.join("\n")),
    );
    std::fs::write(&path, &fixed).unwrap();
    let out = s.run(&["kubeconfig"], &[]);
    assert!(!out.stderr.contains("will not run"), "{fixed}\n{out}");
    if kubectl.writes_users() {
        let out = s.doctor(&[], 0);
        assert_eq!(status(&out), "ok", "{fixed}\n{out}");
    }

    // An allowlist without it: one entry to add, and it is enough.
    s.kuberc(&allowlist(&["kubelogin"]));
    let out = s.run(&["kubeconfig"], &[]);
    let entry: Vec<&str> = out
        .stderr
        .lines()
        .skip_while(|l| !l.contains("add this entry"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(entry, [format!("  - name: {}", s.command)], "{out}");
    s.kuberc(&format!(
        "{}{}\n",
        allowlist(&["kubelogin"]),
        &entry[0][2..]
    ));
    let out = s.run(&["kubeconfig"], &[]);
    assert!(!out.stderr.contains("will not run"), "{out}");
    // Without a kuberc nothing is said.
    std::fs::remove_file(&path).unwrap();
    let out = s.run(&["kubeconfig"], &[]);
    assert!(!out.stderr.contains("kuberc"), "{out}");
}
