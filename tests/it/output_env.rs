//! `TOKENCTL_OUTPUT` is an environment default for `-o`: it applies where it
//! fits and is ignored elsewhere, while `-o` typed on the command line
//! always applies (and fails where it does not fit).

use crate::common;

use common::{Env, FakeServer, Output, Store};

fn with_output(env: &Env, format: &str, args: &[&str], stdin: &str) -> Output {
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_OUTPUT", format)
        .args(args)
        .write_stdin(stdin);
    Output::of(&mut cmd)
}

#[test]
fn header_from_the_environment_is_for_token_only() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());

    let out = with_output(&env, "header", &["token"], "");
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("Authorization: Bearer "), "{out}");

    let out = with_output(&env, "header", &["status"], "");
    assert_eq!(
        out.code, 0,
        "status ignores a token format from the environment: {out}"
    );
    assert!(out.stdout.starts_with("default (current)\n"), "{out}");

    let out = with_output(
        &env,
        "header",
        &["doctor", "--kubectl", "/nonexistent/kubectl"],
        "",
    );
    assert_ne!(out.code, 2, "doctor is no usage error: {out}");
    assert!(out.stdout.starts_with("ok"), "text, not JSON: {out}");

    for args in [
        &["refresh"][..],
        &["login", "-u", "alice", "--password-stdin"][..],
    ] {
        let out = with_output(&env, "header", args, "wonderland");
        assert_eq!(out.code, 0, "{args:?}: {out}");
        assert_eq!(
            out.stdout, "",
            "{args:?} prints no token because of the environment"
        );
    }
    let out = with_output(&env, "json", &["refresh"], "");
    assert_eq!(out.stdout, "", "{out}");
}

#[test]
fn json_from_the_environment_also_fits_status_and_doctor() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let out = with_output(&env, "json", &["status"], "");
    assert_eq!(out.code, 0, "{out}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status[0]["profile"], "default");
    let out = with_output(
        &env,
        "json",
        &["doctor", "--kubectl", "/nonexistent/kubectl"],
        "",
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(report["checks"].is_array(), "{out}");
    let out = with_output(&env, "json", &["token"], "");
    let token: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(token["profile"], "default");
}

#[test]
fn typed_output_still_applies_and_fails_where_it_does_not_fit() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let out = env.fails(&["-o", "header", "status"], "", 2);
    assert!(
        out.stderr.contains("`status` prints text or `-o json`"),
        "{out}"
    );
    env.fails(&["-o", "header", "doctor"], "", 2);
    let out = env.ok(&["refresh", "-o", "token"], "");
    assert!(!out.stdout.trim().is_empty(), "{out}");
    // Typed `-o` wins over the environment.
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_OUTPUT", "header")
        .args(["token", "-o", "token"]);
    let out = Output::of(&mut cmd);
    assert!(!out.stdout.starts_with("Authorization"), "{out}");
}
