//! `tokenctl --version` names the version and the commit; `-v --version`
//! and `tokenctl version` add the target, the stores and the build date;
//! `version -o json` has them as fields.

#[cfg(unix)]
use crate::ship;

use assert_cmd::Command;

fn tokenctl() -> Command {
    // The path next to this test binary: under Wine cargo's
    // CARGO_BIN_EXE_tokenctl is a Unix path Windows cannot start.
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("tokenctl"));
    // No config is read: a broken one does not matter.
    c.env("TOKENCTL_CONFIG", "/nonexistent/tokenctl/config.toml");
    c
}

fn head() -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "git rev-parse HEAD failed");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn stdout(args: &[&str]) -> String {
    let out = tokenctl().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[cfg_attr(
    windows,
    ignore = "compares with `git rev-parse HEAD`: no git.exe here"
)]
fn version_names_the_version_and_the_commit() {
    let want = format!(
        "tokenctl {} (commit {})\n",
        env!("CARGO_PKG_VERSION"),
        &head()[..12]
    );
    assert_eq!(stdout(&["--version"]), want);
    assert_eq!(stdout(&["-V"]), want);
}

#[test]
#[cfg_attr(
    windows,
    ignore = "compares with `git rev-parse HEAD`: no git.exe here"
)]
fn verbose_version_and_the_version_command_add_target_stores_and_date() {
    let long = stdout(&["version"]);
    assert_eq!(stdout(&["-v", "--version"]), long);
    assert_eq!(stdout(&["--version", "--verbose"]), long);
    assert!(
        long.starts_with(&format!("tokenctl {}\n", env!("CARGO_PKG_VERSION"))),
        "{long}"
    );
    assert!(long.contains(&format!("commit: {}\n", head())), "{long}");
    let target = format!("{}-", std::env::consts::ARCH);
    assert!(
        long.lines()
            .any(|l| l.starts_with("target: ") && l.contains(&target)),
        "{long}"
    );
    assert!(
        long.contains("stores: keychain (Secret Service), kernel (the kernel's persistent keyring), file (0600 JSON files)"),
        "{long}"
    );
    assert!(long.lines().any(|l| l.starts_with("built:  20")), "{long}");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "compares with `git rev-parse HEAD`: no git.exe here"
)]
fn version_json_has_every_field() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["version", "-o", "json"])).unwrap();
    assert_eq!(json["name"], "tokenctl");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["commit"], head());
    assert!(
        json["target"]
            .as_str()
            .unwrap()
            .starts_with(std::env::consts::ARCH)
    );
    assert_eq!(
        json["stores"],
        serde_json::json!([
            {"store": "keychain", "via": "Secret Service"},
            {"store": "kernel", "via": "the kernel's persistent keyring"},
            {"store": "file", "via": "0600 JSON files"}
        ])
    );
    let date = json["build_date"].as_str().unwrap();
    assert!(date.len() == 20 && date.ends_with('Z'), "{date}");
}

#[test]
fn version_takes_only_text_or_json() {
    let out = tokenctl()
        .args(["version", "-o", "token"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`version` prints text or `-o json`, not `-o token`"),
        "{err}"
    );
}

/// `cargo run` and `cargo test` hand build.rs's outputs (TOKENCTL_BUILD_*)
/// to the programs they start; a cargo build started there (the demo's,
/// the dist tests') must not take them for changed inputs and rebuild.
// Runs the host's cargo on this checkout.
#[cfg(unix)]
#[test]
fn a_nested_cargo_build_does_not_rerun_the_build_script() {
    let mut cargo = std::process::Command::new(env!("CARGO"));
    cargo
        .args(["build", "--locked", "--bin", "tokenctl", "-v"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    ship::clean_cargo_env(&mut cargo);
    for (name, value) in [
        ("TOKENCTL_BUILD_COMMIT", env!("TOKENCTL_BUILD_COMMIT")),
        (
            "TOKENCTL_BUILD_COMMIT_SHORT",
            env!("TOKENCTL_BUILD_COMMIT_SHORT"),
        ),
        ("TOKENCTL_BUILD_TARGET", env!("TOKENCTL_BUILD_TARGET")),
        ("TOKENCTL_BUILD_DATE", env!("TOKENCTL_BUILD_DATE")),
    ] {
        cargo.env(name, value);
    }
    let out = cargo.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("env variable TOKENCTL_"),
        "build.rs reran for its own output:\n{err}"
    );
}
