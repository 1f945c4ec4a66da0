//! Outputs, errors and exit codes, secrets kept out of sight, config
//! problems and the store's failure rules, through the real binary.

use crate::common;

use std::time::{Duration, Instant};

use common::fixtures::Login;
use common::{Env, FakeServer, Fault, Store};
use serde_json::Value;

fn logged_in(store: Store) -> (Env, FakeServer) {
    let env = Env::new(store);
    let fake = FakeServer::start();
    env.login(&fake.url());
    (env, fake)
}

#[test]
fn output_formats_and_global_flags_anywhere() {
    let (env, fake) = logged_in(Store::File);
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert!(fake.is_valid_access_token(&token));
    assert_eq!(
        env.ok(&["token", "-o", "header"], "").stdout,
        format!("Authorization: Bearer {token}\n")
    );
    assert_eq!(
        env.ok(&["token", "-o", "env"], "").stdout,
        format!("export TOKENCTL_TOKEN='{token}'\n")
    );
    assert_eq!(
        env.ok(&["-o", "env", "--env-var", "RUNAI_TOKEN", "token"], "")
            .stdout,
        format!("export RUNAI_TOKEN='{token}'\n")
    );
    let after = env
        .ok(&["token", "-o", "json", "--profile", "default"], "")
        .stdout;
    let before = env
        .ok(&["-o", "json", "--profile", "default", "token"], "")
        .stdout;
    assert_eq!(
        after, before,
        "global flags work before or after the subcommand"
    );
    let json: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(json["access_token"], token.as_str());
    assert_eq!(json["profile"], "default");
    assert!(json["id_token"].is_string());
    assert!(
        json.get("refresh_token").is_none(),
        "refresh token only with --show-refresh-token"
    );
    let exp = json["expires_at"].as_str().unwrap();
    assert!(exp.ends_with('Z') && exp.len() == 20, "RFC 3339: {exp}");
    let json: Value = serde_json::from_str(
        &env.ok(&["token", "-o", "json", "--show-refresh-token"], "")
            .stdout,
    )
    .unwrap();
    assert!(json["refresh_token"].is_string());
    let out = env.fails(&["token", "-o", "env", "--env-var", "1BAD"], "", 2);
    assert!(out.stderr.contains("invalid --env-var"), "{out}");
    assert_eq!(out.stdout, "");
}

#[test]
fn env_var_selects_the_profile_and_store() {
    let (env, _fake) = logged_in(Store::File);
    let mut cmd = env.cmd();
    let out = cmd
        .env("TOKENCTL_PROFILE", "nope")
        .arg("token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no profile `nope`") && err.contains("known profiles: default"),
        "{err}"
    );
}

// The Secret Service made unreachable (Windows' Credential Manager always is).
#[cfg(unix)]
#[test]
fn keychain_unavailable_is_exit_5_and_names_the_kernel_and_file_stores() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_STORE", "keychain")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let out = cmd
        .args(Login::runai(&fake.url()).argv())
        .write_stdin(common::fixtures::PASSWORD)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("keychain is unavailable"), "{err}");
    assert!(
        err.contains("--store file") && err.contains("TOKENCTL_STORE=file"),
        "{err}"
    );
    // On Linux the kernel keyring needs no daemon: named first, with what a
    // reboot does to it.
    #[cfg(target_os = "linux")]
    {
        let kernel = err
            .find("--store kernel")
            .unwrap_or_else(|| panic!("{err}"));
        assert!(kernel < err.find("--store file").unwrap(), "{err}");
        assert!(err.contains("gone at reboot"), "{err}");
    }
    assert!(
        fake.requests().is_empty(),
        "no login is spent when the token could not be kept"
    );
    assert!(
        !env.path("state/tokenctl").exists(),
        "no silent fallback to a plaintext file"
    );
}

#[test]
fn secrets_stay_off_stderr_and_stdout_even_verbose() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let login = Login::runai(&fake.url()).global(&["-vv"]).ok(&env);
    let json = env
        .ok(&["token", "-o", "json", "--show-refresh-token"], "")
        .stdout;
    let json: Value = serde_json::from_str(&json).unwrap();
    let (access, refresh) = (
        json["access_token"].as_str().unwrap(),
        json["refresh_token"].as_str().unwrap(),
    );
    let refresh_out = env.ok(&["-vv", "refresh"], "");
    let status = env.ok(&["-vv", "status", "-o", "json"], "");
    let app = {
        let mut cmd = env.cmd();
        cmd.env("TOKENCTL_CLIENT_SECRET", "ci-bot-secret");
        cmd.args([
            "-vv",
            "--profile",
            "ci",
            "app-token",
            "--server",
            &fake.url(),
            "--client-id",
            "ci-bot",
        ])
        .output()
        .unwrap()
    };
    assert!(app.status.success());
    let secrets = ["wonderland", "ci-bot-secret", access, refresh];
    for (name, text) in [
        ("login stderr", login.stderr.as_str()),
        ("login stdout", login.stdout.as_str()),
        ("refresh stderr", refresh_out.stderr.as_str()),
        ("refresh stdout", refresh_out.stdout.as_str()),
        ("status stdout", status.stdout.as_str()),
        ("status stderr", status.stderr.as_str()),
        ("app-token stderr", &String::from_utf8_lossy(&app.stderr)),
        ("app-token stdout", &String::from_utf8_lossy(&app.stdout)),
    ] {
        for s in secrets {
            assert!(!text.contains(s), "{name} leaks a secret:\n{text}");
        }
    }
    assert!(
        login.stderr.contains("POST ") && login.stderr.contains("/api/v1/token -> 200"),
        "-v shows requests: {}",
        login.stderr
    );
}

#[test]
fn legacy_query_secrets_are_redacted_in_logs_and_errors() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(tokenctl_fake_server::Config {
        runai_version: "2.19".into(),
        ..Default::default()
    });
    Login::runai(&fake.url())
        .args(&["--api", "runai-2.19", "--legacy-endpoints"])
        .ok(&env);
    let rt = fake.issue_refresh_token();
    let out = env.ok(&["-vv", "refresh", "--refresh-token-stdin"], &rt);
    assert!(out.stderr.contains("refresh_token=***"), "{}", out.stderr);
    assert!(!out.stderr.contains(&rt));
    // The same token again is rejected; the message must not echo it either.
    let out = env.fails(&["-vv", "refresh", "--refresh-token-stdin"], &rt, 3);
    assert!(!out.stderr.contains(&rt), "{out}");
    assert!(out.stderr.contains("tokenctl login"), "{out}");
}

#[test]
fn no_secret_source_without_terminal_fails_at_once() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let started = Instant::now();
    let out = env.fails(&["login", "--server", &fake.url(), "-u", "alice"], "", 2);
    assert!(started.elapsed() < Duration::from_secs(10), "must not hang");
    for way in ["--password-stdin", "TOKENCTL_PASSWORD", "terminal"] {
        assert!(out.stderr.contains(way), "the message names {way}: {out}");
    }
    assert!(fake.requests().is_empty());
    let out = env.fails(&["login", "-u", "alice", "--password-stdin"], "", 2);
    assert!(
        out.stderr.contains("does not exist yet") && out.stderr.contains("--server"),
        "{out}"
    );
    let out = Login::runai(&fake.url()).stdin("").fails(&env, 2);
    assert!(out.stderr.contains("stdin was empty"), "{out}");
}

#[test]
fn password_from_environment() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_PASSWORD", "wonderland")
        .env("TOKENCTL_USERNAME", "alice")
        .env("TOKENCTL_SERVER", fake.url());
    cmd.arg("login").assert().success();
    assert_eq!(fake.count("grant:password"), 1);
}

fn write_config(env: &Env, text: &str) {
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(env.config_path(), text).unwrap();
}

#[test]
fn config_errors_name_the_file_the_line_and_the_fix() {
    let env = Env::new(Store::File);
    let path = env.config_path().display().to_string();
    for (text, line, what) in [
        (
            "[profiles.default]\nserver = \"https://a.run.ai\"\napi = \"runai\"\nusrname = \"x\"\n",
            "line 4",
            "unknown field `usrname`",
        ),
        (
            "[profiles.default]\nserver = \"htps//a\"\napi = \"runai\"\n",
            "line 2",
            "invalid server URL",
        ),
        (
            "[profiles.default]\nserver = \"https://a.run.ai\"\napi = \"runai-2.20\"\n",
            "line 3",
            "runai-2.19",
        ),
        ("[profiles.default\n", "line 1", "invalid"),
    ] {
        write_config(&env, text);
        let out = env.fails(&["token"], "", 2);
        assert!(out.stderr.contains(&path), "names the file: {out}");
        assert!(out.stderr.contains(line), "names the {line}: {out}");
        assert!(out.stderr.contains(what), "says {what}: {out}");
        assert!(out.stderr.contains("fix"), "names the fix: {out}");
        assert_eq!(out.stdout, "");
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    let env = Env::new(Store::File);
    let out = env.fails(&["login", "--sever", "x"], "", 2);
    assert!(out.stderr.contains("--server"), "suggests the flag: {out}");
    let out = env.fails(&["login", "--server", "ftp://x"], "", 2);
    assert!(out.stderr.contains("scheme must be https"), "{out}");
    let out = env.fails(&["--profile", "../etc", "token"], "", 2);
    assert!(out.stderr.contains("invalid profile name"), "{out}");
    let out = env.fails(&["tokn"], "", 2);
    assert!(
        out.stderr.contains("token"),
        "suggests the subcommand: {out}"
    );
}

#[test]
fn plain_http_is_refused_except_loopback_or_opt_in() {
    let env = Env::new(Store::File);
    // 192.0.2.0/24 is TEST-NET-1: nothing is sent, the refusal comes first.
    let out = Login::gbds("http://192.0.2.10:8085/gbds/v2").fails(&env, 2);
    assert!(
        out.stderr.contains("refusing plain http://") && out.stderr.contains("--allow-http"),
        "{out}"
    );
    assert!(
        !env.config_path().exists(),
        "a refused login saves no profile"
    );
}

#[test]
fn allow_http_is_saved_in_the_profile() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // Loopback works without the flag; the flag is remembered when given.
    Login::gbds(&fake.gbds_url())
        .global(&["--profile", "g"])
        .args(&["--allow-http"])
        .ok(&env);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        config.contains("allow_http = true") && config.contains("api = \"gbds\""),
        "{config}"
    );
}

#[test]
fn runai_error_shape_is_readable_and_exit_3() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = Login::runai(&fake.url()).stdin("wrong").fails(&env, 3);
    assert!(out.stderr.contains("run:ai rejected the login:"), "{out}");
    assert!(
        out.stderr.contains("HTTP 401") && out.stderr.contains("check the user name and password"),
        "{out}"
    );
    assert!(!out.stderr.contains("wrong"), "{out}");
}

#[test]
fn gbds_error_shape_is_readable_and_exit_3() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = Login::gbds(&fake.gbds_url()).stdin("nope").fails(&env, 3);
    assert!(
        out.stderr
            .contains("gbds rejected the login: SECURITY_ERROR INVALID_CREDENTIALS"),
        "{out}"
    );
}

/// Logs in, then breaks the server with `fault` and runs `refresh`: the
/// exit code and message are checked, and the stored tokens must not change.
fn refresh_against(fault: Fault, code: i32, expect: &[&str]) {
    let (env, fake) = logged_in(Store::File);
    let before = std::fs::read(env.token_file("default")).unwrap();
    fake.set_fault(fault.clone(), None);
    let out = env.fails(&["refresh"], "", code);
    for e in expect {
        assert!(
            out.stderr.contains(e),
            "{fault:?}: expected `{e}` in:\n{out}"
        );
    }
    assert_eq!(out.stdout, "");
    assert_eq!(
        std::fs::read(env.token_file("default")).unwrap(),
        before,
        "{fault:?}: store unchanged"
    );
}

#[test]
fn html_from_a_proxy() {
    refresh_against(
        Fault::Html(502),
        4,
        &[
            "unexpected answer from http://127.0.0.1:",
            "/api/v1/token (HTTP 502):",
            "<html",
        ],
    );
}

#[test]
fn empty_body() {
    refresh_against(Fault::Empty(503), 4, &["(HTTP 503): (empty body)"]);
}

#[test]
fn runai_503_error_shape() {
    refresh_against(
        Fault::ServiceUnavailable { retry_after: None },
        4,
        &["run:ai rejected the refresh", "HTTP 503"],
    );
}

#[test]
fn malformed_json_on_success() {
    refresh_against(
        Fault::MalformedJson,
        4,
        &["not a Run:ai TokenResponse", "not shown"],
    );
}

#[test]
fn success_without_access_token() {
    refresh_against(Fault::NoAccessToken, 4, &["no accessToken"]);
}

#[test]
fn non_utf8_success() {
    refresh_against(Fault::NonUtf8, 4, &["unexpected answer"]);
}

#[test]
fn unparseable_stored_record_is_reported_and_treated_as_absent() {
    let (env, _fake) = logged_in(Store::File);
    let file = env.token_file("default");
    std::fs::write(&file, "{\"version\": 1, \"tokens\": ").unwrap();
    let out = env.fails(&["token"], "", 3);
    assert!(
        out.stderr.contains("cannot be read") && out.stderr.contains("log in again"),
        "{out}"
    );
    assert!(out.stderr.contains("not logged in"), "{out}");
    assert!(!out.stderr.contains("panicked"));
}

// Unix modes.
#[cfg(unix)]
#[test]
fn world_readable_token_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _fake) = logged_in(Store::File);
    let file = env.token_file("default");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.fails(&["token"], "", 5);
    assert!(out.stderr.contains("chmod 600"), "{out}");
}

#[test]
fn logout_says_what_it_removed() {
    let (env, fake) = logged_in(Store::File);
    Login::gbds(&fake.gbds_url())
        .global(&["--profile", "g"])
        .ok(&env);
    let out = env.ok(&["logout"], "");
    assert!(
        out.stderr
            .contains("removed the tokens of profile `default`"),
        "{out}"
    );
    assert!(!env.token_file("default").exists());
    env.fails(&["token"], "", 3);
    let out = env.ok(&["logout", "--all"], "");
    assert!(
        out.stderr
            .contains("profile `default` had no stored tokens"),
        "{out}"
    );
    assert!(
        out.stderr.contains("removed the tokens of profile `g`"),
        "{out}"
    );
    assert!(!env.token_file("g").exists());
    assert!(env.config_path().exists(), "logout keeps the profiles");
}

#[test]
fn status_text_and_json_never_show_tokens() {
    let (env, fake) = logged_in(Store::File);
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    let text = env.ok(&["status"], "").stdout;
    for want in [
        "default (current)",
        &fake.url(),
        "runai",
        "alice",
        "file",
        "valid, expires",
        "silent",
    ] {
        assert!(text.contains(want), "status shows {want}:\n{text}");
    }
    assert!(!text.contains(&token));
    let json: Value =
        serde_json::from_str(&env.ok(&["status", "--all", "-o", "json"], "").stdout).unwrap();
    let entry = &json[0];
    assert_eq!(entry["profile"], "default");
    assert_eq!(entry["logged_in"], true);
    assert_eq!(entry["can_renew"], true);
    assert!(entry["seconds_left"].as_i64().unwrap() > 3000);
    assert!(!json.to_string().contains(&token));
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn changing_server_drops_the_old_entry() {
    let (env, _fake) = logged_in(Store::Keychain);
    let other = FakeServer::start();
    let first = _fake.url();
    assert!(env.stored_record("default", &first, "alice").is_some());
    env.login(&other.url());
    assert!(
        env.stored_record("default", &first, "alice").is_none(),
        "old server's entry removed"
    );
    assert!(
        env.stored_record("default", &other.url(), "alice")
            .is_some()
    );
}

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    let env = Env::new(Store::File);
    let out = env.ok(&["--help"], "");
    assert!(out.stdout.contains("Usage: tokenctl"));
    let out = env.ok(&["--version"], "");
    assert!(out.stdout.starts_with("tokenctl "));
}

// Locks gnome-keyring's collection over D-Bus.
#[cfg(unix)]
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn locked_keychain_is_exit_5_at_once() {
    let (env, fake) = logged_in(Store::Keychain);
    let lock = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--dest=org.freedesktop.secrets",
            "--print-reply",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", env.dbus_address().unwrap())
        .output()
        .unwrap();
    assert!(
        lock.status.success(),
        "{}",
        String::from_utf8_lossy(&lock.stderr)
    );
    fake.reset_counts();
    let started = Instant::now();
    // JSON output reads the keychain (the memory cache holds no id token).
    let out = env.fails(&["token", "-o", "json"], "", 5);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no hang waiting for an unlock prompt"
    );
    assert!(
        out.stderr.contains("keychain locked") && out.stderr.contains("--store file"),
        "{out}"
    );
    assert_eq!(out.stdout, "");
    assert!(fake.requests().is_empty());
}
