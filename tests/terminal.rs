//! Prompts on a real pseudo-terminal (util-linux `script`): the re-login
//! prompt of `token --interactive`, and no prompt at all when kubectl says
//! nobody can answer.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{Env, FakeServer, Output, Store};
use tokenctl_fake_server::Config;

/// Runs tokenctl on a pty; `typed` is sent to the terminal after `delay`
/// (as a person types after seeing the prompt).
fn on_a_terminal(
    env: &Env,
    args: &[&str],
    extra_env: &[(&str, &str)],
    typed: &str,
    delay: Duration,
) -> Output {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("terminal tests need `script` (Debian package bsdutils)");
    let bin = assert_cmd::cargo::cargo_bin("tokenctl");
    let line = std::iter::once(bin.to_string_lossy().into_owned())
        .chain(args.iter().map(|a| a.to_string()))
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = std::process::Command::new(script);
    for (k, v) in env.std_cmd(&[]).get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.env("TERM", "dumb").args(["-qec", &line, "/dev/null"]);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let typed = typed.to_string();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(delay);
        let _ = stdin.write_all(typed.as_bytes());
        // Keep the terminal open until tokenctl is done with it.
        std::thread::sleep(Duration::from_secs(3));
    });
    let out = Output::from(child.wait_with_output().unwrap());
    let _ = writer.join();
    out
}

fn stale_without_refresh_token() -> (Env, FakeServer) {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        access_token_lifetime_secs: 30,
        issued_secs_ago: 3570,
        ..Config::default()
    });
    env.login(&fake.url());
    env.edit_record("default", |r| {
        r["tokens"].as_object_mut().unwrap().remove("refresh_token");
    });
    fake.set_access_token_lifetime(3600);
    (env, fake)
}

#[test]
fn interactive_token_prompts_for_the_password_without_echo() {
    let (env, fake) = stale_without_refresh_token();
    let out = on_a_terminal(
        &env,
        &["token", "--interactive"],
        &[],
        "wonderland\n",
        Duration::from_millis(1500),
    );
    assert_eq!(out.code, 0, "{out}");
    let screen = &out.stdout;
    assert!(screen.contains("logging in again as alice"), "{screen}");
    assert!(screen.contains("Password for alice at"), "{screen}");
    assert!(
        !screen.contains("wonderland"),
        "the password is not echoed: {screen}"
    );
    assert_eq!(
        fake.count("grant:password"),
        2,
        "the login, then the re-login"
    );
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&token));
    assert!(
        screen.contains(&token),
        "the new token is printed: {screen}"
    );
}

#[test]
fn without_interactive_the_terminal_gets_the_login_command_not_a_prompt() {
    let (env, fake) = stale_without_refresh_token();
    let out = on_a_terminal(&env, &["token"], &[], "", Duration::ZERO);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stdout.contains("tokenctl login") && !out.stdout.contains("Password"),
        "{out}"
    );
    assert_eq!(fake.count("grant:password"), 1);
}

#[test]
fn kubectl_saying_not_interactive_wins_over_a_terminal() {
    let (env, fake) = stale_without_refresh_token();
    let info = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let out = on_a_terminal(
        &env,
        &["kubectl-credential", "--interactive"],
        &[("KUBERNETES_EXEC_INFO", info)],
        "wonderland\n",
        Duration::from_millis(500),
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(!out.stdout.contains("Password"), "never prompts: {out}");
    assert!(out.stdout.contains("tokenctl login"), "{out}");
    assert_eq!(fake.count("grant:password"), 1, "no re-login");
}
