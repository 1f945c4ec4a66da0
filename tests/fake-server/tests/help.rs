//! `tokenctl-fake-server --help` is real help: exit 0, with what the server
//! accepts, so a person can log in against it.

use std::process::Command;

use tokenctl_fake_server::Config;

#[test]
fn help_names_the_flags_and_every_credential_it_accepts() {
    let out = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let c = Config::default();
    for want in [
        c.username.as_str(),
        &c.password,
        &c.client_id,
        &c.client_secret,
        &c.external_token,
        &c.gbds_user,
        &c.gbds_password,
        &c.oidc_client_id,
        "--port",
        "--https",
        "--ca-out",
        "--kubeconfig",
        "--kube-port",
        "/api/v1/clusters",
        "--lifetime",
        "--runai-version",
        "--no-rotation",
        "--auto-approve",
        "/gbds/v2",
    ] {
        assert!(text.contains(want), "--help lacks {want}:\n{text}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown flag is a usage error"
    );
}

fn fake_server(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .args(args)
        .output()
        .unwrap()
}

/// The `major.minor` numbers in `text`, in order.
fn versions_in(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| {
            let mut parts = w.split('.');
            let (Some(major), Some(minor), None) = (parts.next(), parts.next(), parts.next())
            else {
                return false;
            };
            !major.is_empty() && !minor.is_empty()
        })
        .map(str::to_string)
        .collect()
}

/// Which Run:ai versions the server takes is found by asking it (a taken
/// `--runai-version V` lets the `--help` after it through; a refused one
/// is a usage error), not read from its source: the help must name each
/// one on the `--runai-version` line and in the usage line, and name no
/// version it refuses.
#[test]
fn help_names_every_runai_version_it_accepts() {
    let out = fake_server(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // The option's description: its line and the indented lines under it.
    let mut lines = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("--runai-version"));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("--help describes --runai-version:\n{text}"));
    let mut option = first.to_string();
    for more in lines.take_while(|l| l.starts_with("     ") && !l.trim_start().starts_with('-')) {
        option.push('\n');
        option.push_str(more);
    }
    let usage = text
        .lines()
        .find(|l| l.starts_with("usage:"))
        .unwrap_or_else(|| panic!("--help has a usage line:\n{text}"));

    let candidates = (0..=40)
        .map(|minor| format!("2.{minor}"))
        .chain(["1.0", "3.0"].map(String::from));
    let mut accepted = Vec::new();
    for v in candidates {
        let out = fake_server(&["--runai-version", &v, "--help"]);
        match out.status.code() {
            Some(0) => accepted.push(v),
            Some(2) => {}
            other => panic!("--runai-version {v}: exit {other:?}"),
        }
    }
    assert!(
        accepted.len() >= 3 && accepted.contains(&"2.24".to_string()),
        "the server takes 2.19, 2.23 and 2.24 at least: {accepted:?}"
    );
    let named = versions_in(&option);
    for v in &accepted {
        assert!(
            named.contains(v),
            "the --runai-version help does not name {v}, which the server takes:\n{option}"
        );
        assert!(
            versions_in(usage).contains(v),
            "the usage line does not name {v}:\n{usage}"
        );
    }
    for v in named.iter().chain(&versions_in(usage)) {
        assert!(
            accepted.contains(v),
            "the help names {v}, which the server refuses:\n{option}\n{usage}"
        );
    }
    let default = Config::default().runai_version;
    assert!(
        option.contains(&format!("[default: {default}]")),
        "the default is named: {option}"
    );
}
