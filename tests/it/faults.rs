//! A bad network and a bad server: timeouts, retries, hostile answers,
//! redirects, TLS and proxies. Each case checks the exit code, the message,
//! and that what was stored before is untouched.

use crate::common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::fixtures::{Login, PASSWORD};
use common::proxy::recording_proxy;
use common::{Env, FakeServer, Fault, Output, Store};
use tokenctl_fake_server::Config;

/// A Run:ai login pinned to `/api/v1/token`, where these faults and counts
/// are aimed (a `runai` login asks `/api/v2/token` first; tests/it/runai3.rs).
fn runai_login(url: &str) -> Login<'_> {
    Login::runai(url).args(&["--api", "runai-v1"])
}

fn logged_in() -> (Env, FakeServer, Vec<u8>) {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let stored = std::fs::read(env.token_file("default")).unwrap();
    fake.reset_counts();
    (env, fake, stored)
}

fn assert_store_unchanged(env: &Env, before: &[u8]) {
    assert_eq!(
        std::fs::read(env.token_file("default")).unwrap(),
        before,
        "the stored tokens must not change"
    );
}

#[test]
fn request_timeout_names_url_and_limit() {
    let (env, fake, before) = logged_in();
    fake.set_fault(Fault::Hang, None);
    let started = Instant::now();
    let out = env.fails(&["--timeout", "1s", "refresh"], "", 4);
    assert!(
        out.stderr.contains(&format!(
            "{}/api/v1/token did not answer within 1s",
            fake.url()
        )),
        "{out}"
    );
    assert!(out.stderr.contains("request timeout"), "{out}");
    // A refresh token must never be sent twice: one attempt only.
    assert_eq!(fake.count("grant:refresh_token"), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_store_unchanged(&env, &before);
}

#[test]
fn a_timed_out_login_is_not_retried_past_the_timeout() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(Fault::Hang, None);
    let out = runai_login(&fake.url())
        .global(&["--timeout", "1s", "-v"])
        .run(&env);
    assert_eq!(out.code, 4, "{out}");
    // --timeout bounds the whole request: the first attempt used it all.
    assert_eq!(fake.count("grant:password"), 1, "{out}");
    assert!(!out.stderr.contains("attempt 2"), "{out}");
    assert!(
        !env.config_path().exists(),
        "a failed login saves no profile"
    );
}

/// A listener whose backlog is full, so a connect hangs until the client's
/// connect timeout: a loopback stand-in for an unreachable host.
#[cfg(unix)]
fn blackhole() -> (u16, Vec<std::net::TcpStream>, i32) {
    use std::os::fd::FromRawFd;
    // SAFETY: plain socket calls on a fresh fd we own; the fd is closed when
    // the returned listener is dropped.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0);
        let mut addr: libc::sockaddr_in = std::mem::zeroed();
        addr.sin_family = libc::AF_INET as libc::sa_family_t;
        addr.sin_addr.s_addr = u32::from_be_bytes([127, 0, 0, 1]).to_be();
        addr.sin_port = 0;
        let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        assert_eq!(
            libc::bind(fd, &addr as *const _ as *const libc::sockaddr, len),
            0
        );
        assert_eq!(libc::listen(fd, 0), 0);
        let listener = TcpListener::from_raw_fd(fd);
        let port = listener.local_addr().unwrap().port();
        // Fill the backlog; later SYNs are dropped and connects hang.
        let mut held = Vec::new();
        for _ in 0..4 {
            if let Ok(s) = std::net::TcpStream::connect_timeout(
                &listener.local_addr().unwrap(),
                Duration::from_millis(200),
            ) {
                held.push(s);
            }
        }
        // Leaked on purpose: the full backlog must outlive this function.
        #[allow(clippy::mem_forget)]
        std::mem::forget(listener);
        (port, held, fd)
    }
}

#[cfg(unix)]
#[test]
fn connect_timeout_names_the_limit() {
    let (port, _held, fd) = blackhole();
    let env = Env::new(Store::File);
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let out = runai_login(&url)
        .global(&["--connect-timeout", "1s"])
        .run(&env);
    // SAFETY: closing the listener fd opened by `blackhole`.
    unsafe { libc::close(fd) };
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "could not connect to {url}/api/v1/token within 1s"
        )),
        "{out}"
    );
    assert!(out.stderr.contains("connect timeout"), "{out}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "3 attempts of 1s plus backoff"
    );
}

#[test]
fn refused_connection_is_retried_then_exit_4() {
    let env = Env::new(Store::File);
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let out = Login::runai(&url).global(&["-v"]).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("cannot reach") && out.stderr.contains("attempt 3 of 3"),
        "{out}"
    );
}

#[test]
fn refresh_is_retried_when_the_connection_was_never_made() {
    // Connect failures are safe to retry even for a rotating refresh token.
    let (env, fake, before) = logged_in();
    let url = fake.url();
    drop(fake);
    let out = env.fails(&["-v", "refresh"], "", 4);
    assert!(out.stderr.contains("attempt 3 of 3"), "{out}");
    assert!(out.stderr.contains(&url), "{out}");
    assert_store_unchanged(&env, &before);
}

#[test]
fn service_unavailable_is_retried_for_login_and_honours_retry_after() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(
        Fault::ServiceUnavailable {
            retry_after: Some(1),
        },
        Some(1),
    );
    let started = Instant::now();
    runai_login(&fake.url()).run(&env);
    assert_eq!(
        env.run(&["token"], "").code,
        0,
        "the second attempt logged in"
    );
    assert_eq!(fake.count("grant:password"), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );
}

#[test]
fn gateway_errors_give_up_after_three_attempts() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    fake.set_fault(Fault::Html(502), None);
    let out = runai_login(&fake.url()).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert_eq!(fake.count("grant:password"), 3);
    assert!(out.stderr.contains("(HTTP 502)"), "{out}");
}

#[test]
fn refresh_is_not_retried_after_the_server_saw_it() {
    let (env, fake, before) = logged_in();
    fake.set_fault(Fault::ServiceUnavailable { retry_after: None }, None);
    env.fails(&["refresh"], "", 4);
    assert_eq!(
        fake.count("grant:refresh_token"),
        1,
        "a 503 may come after the token rotated"
    );
    assert_store_unchanged(&env, &before);
}

#[test]
fn client_errors_are_never_retried() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = Login::runai(&fake.url()).stdin("wrong-password").run(&env);
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(fake.count("grant:password"), 1);
}

#[test]
fn oversized_answer_is_refused() {
    let (env, fake, before) = logged_in();
    fake.set_fault(Fault::Huge(2 * 1024 * 1024), None);
    let out = env.fails(&["refresh"], "", 4);
    assert!(out.stderr.contains("larger than 1024 KiB"), "{out}");
    assert_store_unchanged(&env, &before);
}

#[test]
fn html_success_page_is_not_excerpted() {
    let (env, fake, before) = logged_in();
    fake.set_fault(
        Fault::Status {
            status: 200,
            body: "<html><body>Please log in to the proxy</body></html>".into(),
            content_type: Some("text/html".into()),
        },
        None,
    );
    let out = env.fails(&["refresh"], "", 4);
    // A 2xx body may hold a token: never shown, only its type and size.
    assert!(!out.stderr.contains("Please log in to the proxy"), "{out}");
    assert!(out.stderr.contains("text/html body of"), "{out}");
    assert_store_unchanged(&env, &before);
}

#[test]
fn truncated_and_schema_violating_json_is_not_echoed() {
    let (env, fake, before) = logged_in();
    for body in [
        r#"{"accessToken": "eyJzZWNyZXQ"#,
        r#"{"accessToken": 42}"#,
        r#"[]"#,
        "",
    ] {
        fake.set_fault(
            Fault::Status {
                status: 200,
                body: body.into(),
                content_type: Some("application/json".into()),
            },
            Some(1),
        );
        let out = env.fails(&["refresh"], "", 4);
        assert!(out.stderr.contains("unexpected answer"), "{body}: {out}");
        if body.contains("eyJ") {
            assert!(
                !out.stderr.contains("eyJzZWNyZXQ"),
                "a partial token is never shown: {out}"
            );
        }
        assert_store_unchanged(&env, &before);
        // The refresh token was spent by the server? No: faults answer before the API runs.
    }
}

#[test]
fn gbds_hostile_answers() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    Login::gbds(&fake.gbds_url()).ok(&env);
    let before = std::fs::read(env.token_file("default")).unwrap();
    for fault in [
        Fault::MalformedJson,
        Fault::NoAccessToken,
        Fault::NonUtf8,
        Fault::Html(500),
        Fault::Empty(502),
    ] {
        fake.set_fault(fault.clone(), Some(1));
        let out = env.fails(&["refresh"], "", 4);
        assert!(
            out.stderr.contains("unexpected answer") || out.stderr.contains("gbds"),
            "{fault:?}: {out}"
        );
        assert_store_unchanged(&env, &before);
    }
}

#[test]
fn redirects_are_not_followed_and_credentials_stay_home() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let elsewhere = FakeServer::start();
    fake.set_fault(
        Fault::Redirect {
            status: 307,
            location: format!("{}/api/v1/token", elsewhere.url()),
        },
        None,
    );
    let out = Login::runai(&fake.url()).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("HTTP 307 redirecting to")
            && out.stderr.contains("does not follow redirects"),
        "{out}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "the password never went to the redirect target"
    );
}

fn write_pem(env: &Env, pem: &str) -> String {
    let path = env.path("ca.pem");
    std::fs::write(&path, pem).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
#[cfg_attr(
    windows,
    ignore = "under Wine 8 the platform verifier cannot add a CA (crypt32 answers E_INVALIDARG); unproven on Windows"
)]
fn tls_needs_a_trusted_ca_and_ca_file_adds_one() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_https(Config::default());
    let out = Login::runai(&fake.url()).run(&env);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("TLS with") && out.stderr.contains("--ca-file"),
        "{out}"
    );
    assert_eq!(
        fake.count("grant:password"),
        0,
        "nothing was sent over an unverified connection"
    );
    let ca = write_pem(&env, &fake.ca_pem().unwrap());
    let out = Login::runai(&fake.url())
        .args(&["--ca-file", &ca])
        .run(&env);
    assert_eq!(out.code, 0, "{out}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("ca_file = \"{ca}\"")), "{config}");
    // The saved CA keeps working for later commands.
    env.ok(&["refresh"], "");
}

#[test]
fn bad_ca_file_is_a_usage_error() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start_https(Config::default());
    let ca = write_pem(&env, "not a certificate");
    let out = Login::runai(&fake.url())
        .args(&["--ca-file", &ca])
        .run(&env);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("holds no PEM certificate") || out.stderr.contains("not a PEM"),
        "{out}"
    );
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs a Secret Service (gnome-keyring on a private D-Bus)"
)]
fn insecure_skip_tls_verify_warns_every_time_and_refuses_saved_secrets() {
    let env = Env::new(Store::Keychain);
    let fake = FakeServer::start_https(Config::default());
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(
        env.config_path(),
        format!("[profiles.default]\nserver = \"{}\"\napi = \"runai\"\nusername = \"alice\"\ninsecure_skip_tls_verify = true\n", fake.url()),
    )
    .unwrap();
    let out = env.ok(&["login", "--password-stdin"], "wonderland");
    assert!(
        out.stderr.contains("TLS certificate checks are OFF"),
        "{out}"
    );
    let out = env.ok(&["refresh"], "");
    assert!(
        out.stderr.contains("TLS certificate checks are OFF"),
        "warned on every use: {out}"
    );
    let out = env.fails(
        &[
            "app-token",
            "--client-id",
            "ci-bot",
            "--client-secret-stdin",
            "--save-secret",
        ],
        "ci-bot-secret",
        2,
    );
    assert!(out.stderr.contains("refusing --save-secret"), "{out}");
    assert_eq!(fake.count("grant:client_credentials"), 0);
}

#[test]
fn proxy_from_environment_is_used_and_its_credentials_not_logged() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (proxy, seen) = recording_proxy();
    let proxy_with_auth = proxy.replace("http://", "http://proxyuser:proxy-pass-123@");
    // Loopback never goes through a proxy, so the proxied server is a name
    // only the proxy would resolve (plain http there needs --allow-http).
    let far = "http://tokenctl-proxy-test.invalid:8085";
    let mut cmd = env.cmd();
    let login = runai_login(far).global(&["-vv"]).args(&["--allow-http"]);
    cmd.env("HTTP_PROXY", &proxy_with_auth)
        .args(login.argv())
        .write_stdin(PASSWORD);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 4, "the proxy's 502: {out}");
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty(), "the request went through the proxy");
    assert!(
        seen[0].starts_with(&format!("POST {far}/api/v1/token")),
        "{:?}",
        seen[0]
    );
    assert!(
        seen[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic"),
        "credentials go to the proxy: {:?}",
        seen[0]
    );
    assert!(
        !out.stderr.contains("proxy-pass-123") && !out.stderr.contains("proxyuser:"),
        "{out}"
    );
    drop(seen);
    // A loopback server is reached directly, proxy or not.
    let mut cmd = env.cmd();
    cmd.env("HTTP_PROXY", &proxy_with_auth)
        .args(
            Login::runai(&fake.url())
                .global(&["--profile", "local"])
                .argv(),
        )
        .write_stdin(PASSWORD);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(fake.count("grant:password"), 1);
}
