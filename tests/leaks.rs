//! No secret reaches stderr (at any verbosity), the config file, or the argv
//! or environment of a child process (the browser, kubectl); stdout holds
//! only what was asked for.
// Unix only: the children whose argv and environment are read are a
// `$BROWSER` script (Windows uses `start`) and an sh stand-in for kubectl.
#![cfg(unix)]

mod common;

use common::fixtures::{Login, browser_script};
use common::{Env, FakeServer, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::Config;

const PASSWORD: &str = "pw-LEAKCHECK-7f3a";
const CLIENT_SECRET: &str = "cs-LEAKCHECK-91c2";

fn config() -> Config {
    Config {
        password: PASSWORD.into(),
        client_secret: CLIENT_SECRET.into(),
        ..Config::default()
    }
}

struct Run {
    label: String,
    out: Output,
}

#[test]
fn every_subcommand_keeps_secrets_out_of_logs_config_and_child_argv() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start_with(config());
    let url = fake.url();
    // A kubectl stand-in that records its argv and environment.
    let argv_log = env.path("kubectl-argv.log");
    let env_log = env.path("child-env.log");
    let fake_kubectl = env.path("kubectl");
    common::executable::write_executable(
        &fake_kubectl,
        format!(
            // Logs argv and env; `config view` answers with the cluster
            // `--cluster c` names.
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nenv >> '{}'\n[ \"$1 $2\" = 'config view' ] && printf 'C\\tc\\n'\nexit 0\n",
            argv_log.display(),
            env_log.display()
        ),
    );
    // tokenctl's secret variables, set where children are started; none
    // of these runs reads them.
    let refresh_env = "rt-LEAKCHECK-env";
    let secret_env = [
        ("TOKENCTL_PASSWORD", PASSWORD),
        ("TOKENCTL_CLIENT_SECRET", CLIENT_SECRET),
        ("TOKENCTL_REFRESH_TOKEN", refresh_env),
        ("TOKENCTL_CODE", "code-LEAKCHECK-env"),
        ("TOKENCTL_EXTERNAL_TOKEN", "ext-LEAKCHECK-env"),
        ("TOKENCTL_TOKEN", "tok-LEAKCHECK-env"),
    ];

    let mut runs: Vec<Run> = Vec::new();
    let mut go = |label: &str, args: &[&str], stdin: &str, envs: &[(&str, &str)]| {
        let mut cmd = env.cmd();
        cmd.arg("-vv").args(args).write_stdin(stdin);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = Output::of(&mut cmd);
        runs.push(Run {
            label: label.into(),
            out,
        });
        runs.last().unwrap().out.code
    };

    assert_eq!(go("login", &Login::runai(&url).argv(), PASSWORD, &[]), 0);
    assert_eq!(
        go(
            "login wrong",
            &["login", "-u", "alice", "--password-stdin"],
            "pw-LEAKCHECK-wrong",
            &[]
        ),
        3
    );
    assert_eq!(go("token", &["token"], "", &[]), 0);
    assert_eq!(go("token json", &["token", "-o", "json"], "", &[]), 0);
    assert_eq!(go("refresh", &["refresh"], "", &[]), 0);
    assert_eq!(
        go("renewing token", &["token", "--min-valid", "2h"], "", &[]),
        0
    );
    assert_eq!(go("status", &["status", "--all", "-o", "json"], "", &[]), 0);
    let code = fake.issue_code("http://localhost:43121/callback");
    assert_eq!(
        go(
            "exchange-code",
            &[
                "--profile",
                "sso",
                "exchange-code",
                "--server",
                &url,
                "--code-stdin",
                "--redirect-uri",
                "http://localhost:43121/callback"
            ],
            &code,
            &[]
        ),
        0
    );
    // Browser login: $BROWSER is the one child that gets a URL in argv,
    // and it must not be the provider's (with `state`). A wrapper records
    // the browser's environment.
    let browser = browser_script(&env);
    let wrapper = env.path("browser/env-then-browser.sh");
    common::executable::write_executable(
        &wrapper,
        format!(
            "#!/bin/sh\nenv >> '{}'\nexec '{}' \"$@\"\n",
            env_log.display(),
            browser.display()
        ),
    );
    let browser_argv = env.path("browser-argv.log");
    let mut browser_env = vec![
        ("BROWSER", wrapper.to_str().unwrap()),
        ("TEST_BROWSER_PASSWORD", PASSWORD),
        ("TEST_BROWSER_ARGV_LOG", browser_argv.to_str().unwrap()),
    ];
    browser_env.extend(secret_env.iter().filter(|(k, _)| *k != "TOKENCTL_PASSWORD"));
    assert_eq!(
        go(
            "login --browser",
            &[
                "--profile",
                "sso2",
                "login",
                "--browser",
                "--server",
                &url,
                "--callback-port",
                "0"
            ],
            "",
            &browser_env
        ),
        0
    );
    assert_eq!(
        go(
            "app-token",
            &[
                "--profile",
                "ci",
                "app-token",
                "--server",
                &url,
                "--client-id",
                "ci-bot",
                "--save-secret"
            ],
            "",
            &[("TOKENCTL_CLIENT_SECRET", CLIENT_SECRET)]
        ),
        0
    );
    assert_eq!(
        go(
            "app-token wrong",
            &["--profile", "ci", "app-token", "--client-secret-stdin"],
            "cs-LEAKCHECK-wrong",
            &[]
        ),
        3
    );
    assert_eq!(
        go(
            "kubeconfig --write",
            &[
                "kubeconfig",
                "--write",
                "--cluster",
                "c",
                "--kubectl",
                fake_kubectl.to_str().unwrap()
            ],
            "",
            &secret_env
        ),
        0
    );
    // doctor asks kubectl about the kubeconfig; its exit code depends on
    // the machine (keychain, kubeconfig), its children's env does not.
    go(
        "doctor",
        &["doctor", "--kubectl", fake_kubectl.to_str().unwrap()],
        "",
        &secret_env,
    );
    assert_eq!(
        go(
            "kubectl-credential",
            &["kubectl-credential"],
            "",
            &[(
                "KUBERNETES_EXEC_INFO",
                r#"{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#
            )]
        ),
        0
    );

    // The tokens as they are now, and every refresh token the server issued.
    let json: Value = serde_json::from_str(
        &env.ok(&["token", "-o", "json", "--show-refresh-token"], "")
            .stdout,
    )
    .unwrap();
    let access = json["access_token"].as_str().unwrap().to_string();
    let refresh = json["refresh_token"].as_str().unwrap().to_string();
    let sso: Value = serde_json::from_str(
        &env.ok(
            &[
                "--profile",
                "sso2",
                "token",
                "-o",
                "json",
                "--show-refresh-token",
            ],
            "",
        )
        .stdout,
    )
    .unwrap();
    let sso_tokens = [
        sso["access_token"].as_str().unwrap().to_string(),
        sso["refresh_token"].as_str().unwrap().to_string(),
    ];
    assert_eq!(go("logout", &["logout", "--all"], "", &[]), 0);

    let mut secrets = vec![
        refresh_env.to_string(),
        "code-LEAKCHECK-env".into(),
        "ext-LEAKCHECK-env".into(),
        "tok-LEAKCHECK-env".into(),
        PASSWORD.to_string(),
        "pw-LEAKCHECK-wrong".into(),
        CLIENT_SECRET.into(),
        "cs-LEAKCHECK-wrong".into(),
        access.clone(),
        refresh,
        code,
    ];
    secrets.extend(sso_tokens);
    // Refresh tokens sent in requests, i.e. every one that existed.
    for r in fake.requests() {
        if let Ok(body) = serde_json::from_str::<Value>(&r.body)
            && let Some(rt) = body["refreshToken"].as_str()
        {
            secrets.push(rt.to_string());
        }
    }

    for run in &runs {
        for s in &secrets {
            assert!(
                !run.out.stderr.contains(s.as_str()),
                "{}: stderr leaks a secret:\n{}",
                run.label,
                run.out.stderr
            );
        }
    }
    // stdout: only what was asked.
    let by = |label: &str| &runs.iter().find(|r| r.label == label).unwrap().out;
    assert_eq!(by("login").stdout, "");
    assert_eq!(by("refresh").stdout, "");
    assert_eq!(by("app-token").stdout, "");
    assert_eq!(by("logout").stdout, "");
    assert_eq!(by("kubeconfig --write").stdout, "");
    assert!(by("token").stdout.ends_with('\n') && by("token").stdout.lines().count() == 1);
    let status = &by("status").stdout;
    let cred: Value = serde_json::from_str(&by("kubectl-credential").stdout)
        .expect("only the ExecCredential JSON");
    assert_eq!(cred["kind"], "ExecCredential");
    for s in &secrets {
        assert!(!status.contains(s.as_str()), "status shows a secret");
    }

    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let kubectl_argv = std::fs::read_to_string(&argv_log).expect("kubeconfig --write ran kubectl");
    assert!(
        kubectl_argv.contains("config view"),
        "doctor ran kubectl: {kubectl_argv}"
    );
    let browser_argv =
        std::fs::read_to_string(&browser_argv).expect("login --browser started the browser");
    // The browser got tokenctl's start URL, not the provider's URL with
    // its `state`, which another local user could read from /proc.
    assert!(
        browser_argv.contains("http://localhost:") && browser_argv.contains("/start/"),
        "{browser_argv}"
    );
    let argv = kubectl_argv + &browser_argv;
    assert!(
        !argv.contains("state=") && !argv.contains("/auth/realms/"),
        "a child's argv holds the authorization URL:\n{argv}"
    );
    let child_env = std::fs::read_to_string(&env_log).unwrap();
    assert!(
        child_env.matches("TEST_BROWSER_PASSWORD=").count() == 1,
        "the browser's environment was recorded: {child_env}"
    );
    assert!(
        child_env.matches("\nPATH=").count() >= 3,
        "the browser, kubectl for kubeconfig --write and for doctor: {child_env}"
    );
    for (var, _) in &secret_env {
        assert!(
            !child_env.contains(&format!("{var}=")),
            "a child inherited {var}:\n{child_env}"
        );
    }
    for s in &secrets {
        assert!(
            !config.contains(s.as_str()),
            "config file holds a secret:\n{config}"
        );
        assert!(
            !argv.contains(s.as_str()),
            "a child's argv holds a secret:\n{argv}"
        );
        // TEST_BROWSER_PASSWORD is the test's own knob, not tokenctl's.
        let inherited = child_env.replace(&format!("TEST_BROWSER_PASSWORD={PASSWORD}"), "");
        assert!(
            !inherited.contains(s.as_str()),
            "a child's environment holds a secret:\n{inherited}"
        );
    }
    assert!(
        runs.iter().any(|r| r.out.stderr.contains("POST ")),
        "-vv did log requests"
    );
}
