//! Prompts on a real pseudo-terminal (util-linux `script`): the re-login
//! prompt of `token --interactive`, and no prompt at all when kubectl says
//! nobody can answer.
// Unix only: driven on a pseudo-terminal (tests/it/common/pty.rs: util-linux `script`), which Wine cannot provide.

use crate::common;

use common::fixtures::expiring;
use common::pty::Pty;
use common::{Env, FakeServer, Store};

fn stale_without_refresh_token() -> (Env, FakeServer) {
    let env = Env::new(Store::File);
    let fake = expiring();
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
    let mut term = Pty::spawn(&env, &["token", "--interactive"], &[]);
    term.wait_for("Password for alice at", 20);
    term.type_line("wonderland");
    let out = term.finish();
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
    let out = Pty::spawn(&env, &["token"], &[]).finish();
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
    let mut term = Pty::spawn(
        &env,
        &["kubectl-credential", "--interactive"],
        &[("KUBERNETES_EXEC_INFO", info)],
    );
    // Typed ahead: were there a prompt, this would answer it.
    term.type_ahead("wonderland");
    let out = term.finish();
    assert_eq!(out.code, 3, "{out}");
    assert!(!out.stdout.contains("Password"), "never prompts: {out}");
    assert!(out.stdout.contains("tokenctl login"), "{out}");
    assert_eq!(fake.count("grant:password"), 1, "no re-login");
}
