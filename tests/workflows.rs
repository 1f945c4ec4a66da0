//! The GitHub Actions workflows pass actionlint (which also runs shellcheck
//! on their `run:` steps), and the release scripts pass shellcheck; the
//! installer as POSIX sh.
// Unix only: actionlint and shellcheck are Linux tools checking this repository.
#![cfg(unix)]

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
