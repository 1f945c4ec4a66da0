//! No secret reaches stderr (at any verbosity), the config file, or the argv
//! of a child process; stdout holds only what was asked for.

mod common;

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
    // A kubectl stand-in that records its argv.
    let argv_log = env.path("kubectl-argv.log");
    let fake_kubectl = env.path("kubectl");
    std::fs::write(
        &fake_kubectl,
        format!(
            // `config view` answers with the cluster `--cluster c` names.
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n[ \"$1 $2\" = 'config view' ] && printf 'C\\tc\\n'\nexit 0\n",
            argv_log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake_kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();

    let mut runs: Vec<Run> = Vec::new();
    let mut go = |label: &str, args: &[&str], stdin: &str, envs: &[(&str, &str)]| {
        let mut cmd = env.cmd();
        cmd.env("RUST_LOG", "trace")
            .arg("-vv")
            .args(args)
            .write_stdin(stdin);
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

    assert_eq!(
        go(
            "login",
            &["login", "--server", &url, "-u", "alice", "--password-stdin"],
            PASSWORD,
            &[]
        ),
        0
    );
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
    // Browser login: $BROWSER is the one child that gets a URL in argv.
    let browser = env.path("browser/browser.sh");
    std::fs::create_dir_all(browser.parent().unwrap()).unwrap();
    std::fs::write(&browser, common::BROWSER_SCRIPT).unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let browser_argv = env.path("browser-argv.log");
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
            &[
                ("BROWSER", browser.to_str().unwrap()),
                ("TEST_BROWSER_PASSWORD", PASSWORD),
                ("TEST_BROWSER_ARGV_LOG", browser_argv.to_str().unwrap()),
            ]
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
            &[]
        ),
        0
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
    let argv = std::fs::read_to_string(&argv_log).expect("kubeconfig --write ran kubectl")
        + &std::fs::read_to_string(&browser_argv).expect("login --browser started the browser");
    for s in &secrets {
        assert!(
            !config.contains(s.as_str()),
            "config file holds a secret:\n{config}"
        );
        assert!(
            !argv.contains(s.as_str()),
            "a child's argv holds a secret:\n{argv}"
        );
    }
    assert!(
        runs.iter().any(|r| r.out.stderr.contains("POST ")),
        "-vv did log requests"
    );
}
