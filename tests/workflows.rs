//! The GitHub Actions workflows pass actionlint (which also runs shellcheck
//! on their `run:` steps), and the release scripts pass shellcheck; the
//! installer as POSIX sh.
// Unix only: actionlint and shellcheck are Linux tools checking this repository.
#![cfg(unix)]

#[path = "common/executable.rs"]
mod executable;
mod ship;

use std::process::Command;

use ship::{root, run, text, tool};

#[test]
fn every_workflow_passes_actionlint() {
    let dir = root().join(".github/workflows");
    let mut workflows: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    workflows.sort();
    assert_eq!(workflows, ["ci.yml", "release.yml"]);
    // With shellcheck on PATH, actionlint checks every `run:` script too.
    tool("shellcheck");
    let out = Command::new(tool("actionlint"))
        .arg("-no-color")
        .args(workflows.iter().map(|w| dir.join(w)))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "actionlint:\n{}", text(&out));
}

#[test]
fn actionlint_fails_a_broken_workflow() {
    // The check above can fail: a job with an unknown runner and a typo'd key.
    let tmp = tempfile::tempdir().unwrap();
    let wf = tmp.path().join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    std::fs::write(
        wf.join("bad.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-1804\n    stepz:\n      - run: echo $x\n",
    )
    .unwrap();
    let out = Command::new(tool("actionlint"))
        .arg("-no-color")
        .arg(wf.join("bad.yml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("ubuntu-1804"), "{report}");
    assert!(report.contains("stepz"), "{report}");
}

#[test]
fn release_scripts_pass_shellcheck() {
    let sc = tool("shellcheck");
    run(Command::new(&sc)
        .args(["-s", "sh", "scripts/install.sh", "scripts/homebrew.sh"])
        .current_dir(root()));
    run(Command::new(&sc)
        .args([
            "scripts/cross.sh",
            "scripts/dist.sh",
            "scripts/keychain-smoke.sh",
            "scripts/test.sh",
        ])
        .current_dir(root()));
}

/// scripts/test.sh, which CI runs, stops on unformatted code or a clippy
/// warning before it installs anything or starts the suite: run with a
/// `cargo` that records its calls and fails the one asked.
#[cfg(unix)]
#[test]
fn test_sh_fails_first_on_format_or_lints() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = tmp.path().join("calls");
    let stub = bin.join("cargo");
    executable::write_executable(
        &stub,
        "#!/bin/sh\necho \"cargo $*\" >> \"$CALLS\"\ncase \"$1\" in\n  fmt) exit \"$FMT_RC\" ;;\n  clippy) exit \"$CLIPPY_RC\" ;;\nesac\nexit 0\n",
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = |fmt: &str, clippy: &str| {
        let _ = std::fs::remove_file(&log);
        let out = Command::new("bash")
            .arg(root().join("scripts/test.sh"))
            .env("PATH", &path)
            .env("CALLS", &log)
            .env("FMT_RC", fmt)
            .env("CLIPPY_RC", clippy)
            .output()
            .unwrap();
        let calls = std::fs::read_to_string(&log).unwrap_or_default();
        (out, calls)
    };

    let (out, calls) = script("1", "0");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("run `cargo fmt --all`"),
        "{}",
        text(&out)
    );
    assert_eq!(calls, "cargo fmt --all --check\n");

    let (out, calls) = script("0", "101");
    assert!(!out.status.success(), "{}", text(&out));
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0], "cargo fmt --all --check");
    assert!(
        calls[1].starts_with("cargo clippy")
            && calls[1].contains("--all-targets")
            && calls[1].ends_with("-- -D warnings"),
        "{calls:?}"
    );
}
