//! SSO login: `login --browser` against the fake identity provider, with
//! `$BROWSER` pointing at a script that plays the user (curl: open
//! tokenctl's start URL, sign in or cancel on the page it redirects to,
//! follow the redirect to tokenctl's listener with the start cookie), one
//! run through a real headless Chromium, and `login --remote-browser` with
//! the code on stdin. tests/it/sso_oidc.rs runs against a real OIDC provider.

// The user at a browser is the curl script on Unix and, on Windows (no sh,
// no curl), the stand-in's `browse` step (examples/stand_in.rs), which
// takes the same steps. Two tests take it on Unix too, for modes of its
// own; the one still marked cfg(unix) runs Chromium.
#![cfg_attr(windows, allow(dead_code, unused_imports))]

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::fixtures::Login;
use common::{Env, FakeServer, Output, Store};
use serde_json::Value;
use tokenctl_fake_server::Config;

/// The user at a browser. `$1` is tokenctl's start URL; `TEST_BROWSER_MODE`
/// says what to do: `login` (default), `deny` (press Cancel),
/// `forge-state` (first send a callback with a forged state, then the real
/// one), `forge-nocookie` (first another connection sends the callback
/// without the start cookie), `none` (do nothing, like a browser the user
/// ignores). It leaves what it saw next to itself: browser.url (the start
/// URL), browser.idp (where that redirected), browser.location,
/// browser.page.
use common::BROWSER_SCRIPT;

/// A real browser: headless Chromium with a fresh profile, bounded in time,
/// writing the DOM of the page it ends on.
const CHROMIUM_SCRIPT: &str = r#"#!/bin/sh
dir=$(dirname "$0")
printf '%s\n' "$1" > "$dir/browser.url"
timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$dir/chromium-profile" --dump-dom "$1" \
  > "$dir/browser.page.tmp" 2> "$dir/chromium.log"
mv "$dir/browser.page.tmp" "$dir/browser.page"
"#;

fn need(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
    assert!(
        found,
        "this test needs `{tool}` (Debian package {tool}); install it or run ./scripts/test.sh, which does"
    );
}

fn write_script(env: &Env, name: &str, text: &str) -> PathBuf {
    need(if text.contains("chromium") {
        "chromium"
    } else {
        "curl"
    });
    let dir = env.path("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    #[cfg(unix)]
    common::executable::write_executable(&path, text);
    #[cfg(not(unix))]
    std::fs::write(&path, text).unwrap();
    path
}

fn browser_file(env: &Env, name: &str) -> PathBuf {
    env.path("browser").join(name)
}

/// Waits for a file the browser script writes after tokenctl has answered.
fn wait_for(path: &Path, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} did not appear within {secs}s",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The user at a browser (see the top of this file), leaving what it saw
/// in [`browser_file`]s: the `$BROWSER` value, and the program and the
/// arguments before the URL.
fn user_browser(env: &Env) -> (String, PathBuf, Vec<String>) {
    #[cfg(unix)]
    {
        let script = write_script(env, "browser.sh", BROWSER_SCRIPT);
        (script.to_str().unwrap().to_string(), script, vec![])
    }
    #[cfg(windows)]
    stand_in_browser(env)
}

/// The stand-in's `browse` step as the browser, on every platform.
fn stand_in_browser(env: &Env) -> (String, PathBuf, Vec<String>) {
    let dir = env.path("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let stand_in = common::stand_in();
    let args = vec!["browse".to_string(), dir.to_str().unwrap().to_string()];
    let browser = format!("{} {}", stand_in.display(), args.join(" "));
    (browser, stand_in, args)
}

/// `tokenctl login --browser ...` with the user's browser in `mode`.
fn login(env: &Env, mode: &str, args: &[&str]) -> Output {
    let (browser, ..) = user_browser(env);
    let mut cmd = env.cmd();
    cmd.env("BROWSER", &browser)
        .env("TEST_BROWSER_MODE", mode)
        .arg("login")
        .arg("--browser")
        .args(args);
    Output::of(&mut cmd)
}

fn server(version: &str) -> FakeServer {
    FakeServer::start_with(Config {
        runai_version: version.into(),
        ..Config::default()
    })
}

fn printed_token(env: &Env) -> String {
    let out = env.ok(&["token"], "");
    out.stdout.trim_end().to_string()
}

/// Query parameters of a URL.
fn query(url: &str) -> Vec<(String, String)> {
    let url = url::Url::parse(url.trim()).unwrap();
    url.query_pairs().into_owned().collect()
}

fn param(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn exchange_body(fake: &FakeServer) -> Value {
    let req = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == "/api/v1/token")
        .expect("an exchange request");
    serde_json::from_str(&req.body).unwrap()
}

fn browser_login(store: Store) {
    let env = Env::new(store);
    let fake = server("2.23");
    let out = login(
        &env,
        "login",
        &["--server", &fake.url(), "--callback-port", "0"],
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "", "login prints nothing on stdout without -o");
    assert!(out.stderr.contains("logged in to"), "{out}");
    assert!(out.stderr.contains("as alice"), "{out}");

    // The URL on stderr is the one the browser got: tokenctl's start URL,
    // which carries no state; it redirected to the provider's URL, built as
    // documented.
    let start = wait_for(&browser_file(&env, "browser.url"), 10);
    assert!(out.stderr.contains(start.trim()), "URL not printed:\n{out}");
    assert!(start.starts_with("http://localhost:"), "{start}");
    assert!(start.contains("/start/") && !start.contains('?'), "{start}");
    let url = wait_for(&browser_file(&env, "browser.idp"), 10);
    assert!(url.starts_with(&fake.auth_url()), "{url}");
    let q = query(&url);
    assert_eq!(param(&q, "response_type").as_deref(), Some("code"));
    assert_eq!(param(&q, "client_id").as_deref(), Some("runai-cli"));
    assert_eq!(param(&q, "scope").as_deref(), Some("openid offline_access"));
    let redirect = param(&q, "redirect_uri").unwrap();
    assert!(
        redirect.starts_with("http://localhost:") && redirect.ends_with("/callback"),
        "{redirect}"
    );
    assert_eq!(
        redirect.split('/').nth(2),
        start.split('/').nth(2),
        "start and callback share a host, or the cookie would not come back"
    );
    let state = param(&q, "state").unwrap();
    assert!(state.len() >= 43, "state has 256 random bits: {state}");
    assert!(!out.stderr.contains(&state), "state is not printed: {out}");
    assert_eq!(param(&q, "code_challenge"), None, "no PKCE");

    // The browser saw the success page only after the tokens were stored.
    let page = wait_for(&browser_file(&env, "browser.page"), 10);
    assert!(
        page.contains("Login complete") && page.contains("You may close this tab"),
        "{page}"
    );

    // The code went to exchange_token with the same redirect URI and the
    // client it was issued to, once.
    assert_eq!(fake.count("grant:exchange_token"), 1);
    let body = exchange_body(&fake);
    assert_eq!(body["grantType"], "exchange_token");
    assert_eq!(body["redirectUri"], redirect.as_str());
    assert_eq!(body["clientID"], "runai-cli");
    assert_eq!(
        body.as_object().unwrap().len(),
        4,
        "only contract fields: {body}"
    );
    let location = wait_for(&browser_file(&env, "browser.location"), 5);
    let code = param(&query(&location), "code").unwrap();
    assert_eq!(body["code"], code.as_str());

    let token = printed_token(&env);
    assert!(fake.is_valid_access_token(&token));
    for secret in [&code, &state, &token] {
        assert!(!out.stdout.contains(secret.as_str()));
    }
    assert!(!out.stderr.contains(&code) && !out.stderr.contains(&token));
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("username = \"alice\""), "{config}");
    assert!(config.contains("callback_port = 0"), "{config}");
    assert!(
        !config.contains(&code) && !config.contains(&token),
        "{config}"
    );
    assert!(env.stored_record("default", &fake.url(), "alice").is_some());
}

fn runai219_uses_the_deprecated_exchange(store: Store) {
    let env = Env::new(store);
    let fake = server("2.19");
    let out = login(
        &env,
        "login",
        &[
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--legacy-endpoints",
            "--callback-port",
            "0",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let req = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/k8s/auth/token/exchange")
        .expect("the 2.19 GET exchange");
    assert_eq!(req.method, "GET");
    let q: Vec<(String, String)> = url::form_urlencoded::parse(req.query.unwrap().as_bytes())
        .into_owned()
        .collect();
    let redirect = param(&q, "redirect_uri").unwrap();
    assert!(redirect.starts_with("http://localhost:"), "{redirect}");
    assert_eq!(fake.count("grant:exchange_token"), 0);
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

both_stores!(browser_login, runai219_uses_the_deprecated_exchange);

#[test]
fn pkce_is_gone_and_old_configs_still_load() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let out = login(
        &env,
        "login",
        &["--server", &fake.url(), "--callback-port", "0", "--pkce"],
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("--pkce"), "{out}");

    // A profile written by an older tokenctl.
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(
        env.config_path(),
        format!(
            "[profiles.default]\nserver = \"{}\"\napi = \"runai\"\ncallback_port = 0\npkce = true\n",
            fake.url()
        ),
    )
    .unwrap();
    let out = login(&env, "login", &[]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stderr.matches("ignoring `pkce = true`").count(),
        1,
        "warned once: {out}"
    );
    assert!(
        out.stderr
            .contains("Run:ai's code exchange has no field for a PKCE verifier"),
        "{out}"
    );
    let auths = fake.authorizations();
    assert_eq!(auths.len(), 1);
    assert_eq!(auths[0].code_challenge, None, "{auths:?}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!config.contains("pkce"), "dropped on save: {config}");
    wait_for(&browser_file(&env, "browser.page"), 10);
    let out = env.ok(&["status"], "");
    assert!(!out.stderr.contains("pkce"), "{out}");
}

#[test]
fn forged_callback_without_the_start_cookie_is_refused_and_the_login_still_succeeds() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let out = login(
        &env,
        "forge-nocookie",
        &["--server", &fake.url(), "--callback-port", "0"],
    );
    assert_eq!(out.code, 0, "{out}");
    // The forger knew the state and sent its own code, on another
    // connection, without the cookie of the browser that started.
    let forged = wait_for(&browser_file(&env, "browser.forged"), 10);
    assert!(
        forged.contains("This browser did not start the login"),
        "{forged}"
    );
    assert!(
        out.stderr.contains("ignored a request to the callback")
            && out.stderr.contains("no login cookie"),
        "{out}"
    );
    let page = wait_for(&browser_file(&env, "browser.page"), 10);
    assert!(page.contains("Login complete"), "{page}");
    assert_eq!(fake.count("grant:exchange_token"), 1);
    let location = wait_for(&browser_file(&env, "browser.location"), 5);
    let code = param(&query(&location), "code").unwrap();
    assert_eq!(exchange_body(&fake)["code"], code.as_str());
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

#[test]
fn the_start_url_works_once() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    // A browser that opens the start URL twice, then gives up.
    let (twice, ..) = stand_in_browser(&env);
    let mut cmd = env.cmd();
    cmd.env("BROWSER", &twice)
        .env("TEST_BROWSER_MODE", "twice")
        .args([
            "login",
            "--browser",
            "--server",
            &fake.url(),
            "--callback-port",
            "0",
            "--browser-timeout",
            "3s",
        ]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 3, "{out}");
    let first = wait_for(&browser_file(&env, "first"), 5);
    assert!(
        first.starts_with("302 ") && first.contains(&fake.auth_url()),
        "{first}"
    );
    let second = wait_for(&browser_file(&env, "second"), 5);
    assert!(second.contains("already used"), "{second}");
    assert!(!second.contains(&fake.auth_url()), "{second}");
    assert!(out.stderr.contains("opened a second time"), "{out}");
}

#[test]
fn provider_error_is_shown_and_exits_3() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let out = login(
        &env,
        "deny",
        &["--server", &fake.url(), "--callback-port", "0"],
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr.contains(
            "the identity provider refused the login: access_denied (The user cancelled the login)"
        ),
        "{out}"
    );
    assert!(out.stderr.contains("login --browser"), "next step: {out}");
    let page = wait_for(&browser_file(&env, "browser.page"), 10);
    assert!(
        page.contains("Login failed") && page.contains("access_denied"),
        "{page}"
    );
    assert_eq!(fake.count("grant:exchange_token"), 0);
    env.fails(&["token"], "", 3);
}

#[test]
fn forged_state_is_refused_and_the_real_callback_still_works() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let out = login(
        &env,
        "forge-state",
        &["--server", &fake.url(), "--callback-port", "0"],
    );
    assert_eq!(out.code, 0, "{out}");
    let forged = wait_for(&browser_file(&env, "browser.forged"), 10);
    assert!(forged.contains("State mismatch"), "{forged}");
    assert!(
        out.stderr.contains("ignored a request to the callback")
            && out.stderr.contains("state does not match"),
        "{out}"
    );
    // Only the callback with the right state was exchanged.
    assert_eq!(fake.count("grant:exchange_token"), 1);
    let page = wait_for(&browser_file(&env, "browser.page"), 10);
    assert!(page.contains("Login complete"), "{page}");
}

#[test]
fn forged_callback_alone_times_out() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    // A browser that only ever sends a forged callback.
    let (forger, ..) = stand_in_browser(&env);
    let mut cmd = env.cmd();
    cmd.env("BROWSER", &forger)
        .env("TEST_BROWSER_MODE", "forge-only")
        .args([
            "login",
            "--browser",
            "--server",
            &fake.url(),
            "--callback-port",
            "0",
            "--browser-timeout",
            "3s",
        ]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("timed out after 3s"), "{out}");
    assert!(out.stderr.contains("no login cookie"), "{out}");
    let forged = wait_for(&browser_file(&env, "browser.forged"), 5);
    assert!(
        forged.contains("This browser did not start the login"),
        "{forged}"
    );
    assert_eq!(fake.count("grant:exchange_token"), 0);
}

#[test]
fn timeout_exits_3_and_the_url_is_printed_even_when_quiet() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let started = Instant::now();
    let out = login(
        &env,
        "none",
        &[
            "-q",
            "--no-open",
            "--server",
            &fake.url(),
            "--callback-port",
            "0",
            "--browser-timeout",
            "1s",
        ],
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        out.stderr
            .contains("error: timed out after 1s: no login came back from the browser"),
        "{out}"
    );
    assert!(
        out.stderr.contains("--browser-timeout"),
        "names the knob: {out}"
    );
    assert!(
        out.stderr.contains("http://localhost:") && out.stderr.contains("/start/"),
        "the start URL is printed even with -q: {out}"
    );
    assert!(
        !out.stderr.contains(&fake.auth_url()),
        "the provider's URL, with state, is not: {out}"
    );
    assert!(
        !browser_file(&env, "browser.url").exists(),
        "--no-open starts no browser"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn port_in_use_falls_back_to_a_free_port_and_says_so() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = login(
        &env,
        "login",
        &["--server", &fake.url(), "--callback-port", &port],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains(&format!("port {port} is in use")),
        "{out}"
    );
    let redirect = &fake.authorizations()[0].redirect_uri;
    assert!(
        !redirect.contains(&format!(":{port}/")),
        "used another port: {redirect}"
    );
    assert!(fake.is_valid_access_token(&printed_token(&env)));
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        config.contains(&format!("callback_port = {port}")),
        "the preference stays: {config}"
    );
}

/// Reads stderr lines of a child into a channel.
fn lines_of(stderr: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The first line that contains `needle`, within `secs`; all lines seen so far.
fn line_with(rx: &mpsc::Receiver<String>, needle: &str, secs: u64, seen: &mut String) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return line;
                }
            }
            Err(_) => panic!("no line with {needle:?} within {secs}s; stderr so far:\n{seen}"),
        }
    }
}

#[test]
fn concurrent_browser_logins_do_not_collide() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port().to_string()
    };
    Login::runai(&fake.url()).ok(&env);
    let (script, ..) = user_browser(&env);
    // The first login waits on the port; its user never finishes.
    let mut first = env.std_cmd(&[
        "login",
        "--browser",
        "--callback-port",
        &port,
        "--browser-timeout",
        "60s",
    ]);
    first
        .env("BROWSER", &script)
        .env("TEST_BROWSER_MODE", "none")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut first = first.spawn().unwrap();
    let rx = lines_of(first.stderr.take().unwrap());
    let mut seen = String::new();
    line_with(&rx, "/start/", 20, &mut seen);

    let out = login(&env, "login", &["--callback-port", &port]);
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "port {port} is in use (another `tokenctl login --browser`"
        )),
        "{out}"
    );
    assert_eq!(fake.count("grant:exchange_token"), 1);
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

/// Runs `login --remote-browser` with stdin piped, finishes the login with
/// the curl browser, and pipes `answer(location, page)` in.
fn remote_login(
    env: &Env,
    args: &[&str],
    answer: impl FnOnce(&str, &str) -> String,
) -> (Output, String) {
    let (_, browser, browser_args) = user_browser(env);
    let mut all = vec!["login", "--remote-browser"];
    all.extend_from_slice(args);
    let mut child = env
        .std_cmd(&all)
        .env("BROWSER", "/nonexistent/no-browser-here")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines_of(child.stderr.take().unwrap());
    let mut seen = String::new();
    let url = line_with(&rx, "/auth/realms/runai/", 20, &mut seen)
        .trim()
        .to_string();
    let status = std::process::Command::new(&browser)
        .args(&browser_args)
        .arg(&url)
        .status()
        .unwrap();
    assert!(status.success(), "browser script failed");
    let location = wait_for(&browser_file(env, "browser.location"), 5);
    let page = wait_for(&browser_file(env, "browser.page"), 5);
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(answer(location.trim(), &page).as_bytes())
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    // The child has exited: read to the reader's EOF, or the last lines
    // (the error message) may not have been forwarded yet.
    for line in rx.iter() {
        seen.push_str(&line);
        seen.push('\n');
    }
    let out = Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: seen,
    };
    (out, url)
}

#[test]
fn remote_browser_with_the_code_on_stdin() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let (out, url) = remote_login(&env, &["--server", &fake.url()], |_, page| {
        // What the user copies from Run:ai's /oauth-code page.
        let code = page
            .split("<pre id=\"code\">")
            .nth(1)
            .and_then(|rest| rest.split("</pre>").next())
            .expect("the page shows the code");
        format!("{code}\n")
    });
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "");
    let redirect = format!("{}/oauth-code", fake.url());
    assert_eq!(
        param(&query(&url), "redirect_uri").as_deref(),
        Some(redirect.as_str())
    );
    let body = exchange_body(&fake);
    assert_eq!(body["grantType"], "exchange_token");
    assert_eq!(body["redirectUri"], redirect.as_str());
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

#[test]
fn remote_browser_with_an_empty_pipe_names_what_happened() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let out = env.fails(
        &["login", "--remote-browser", "--server", &fake.url()],
        "",
        2,
    );
    assert!(
        out.stderr.contains(
            "stdin is not a terminal, so the authorization code was read from it, but it was empty"
        ),
        "{out}"
    );
    assert!(!out.stderr.contains("--code-stdin was given"), "{out}");
    let out = env.fails(
        &[
            "login",
            "--remote-browser",
            "--code-stdin",
            "--server",
            &fake.url(),
        ],
        "",
        2,
    );
    assert!(
        out.stderr
            .contains("--code-stdin was given but stdin was empty"),
        "{out}"
    );
    assert_eq!(fake.count("grant:exchange_token"), 0);
}

#[test]
fn exchange_code_sends_the_client_id_and_a_refusal_names_the_mismatch() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let redirect = "http://localhost:43121/callback";
    let code = fake.issue_code(redirect);
    let url = fake.url();
    let exchange = |code: &str, extra: &[&str]| {
        let mut args = vec![
            "exchange-code",
            "--server",
            &url,
            "--code-stdin",
            "--redirect-uri",
            redirect,
        ];
        args.extend_from_slice(extra);
        env.run(&args, code)
    };
    let out = exchange(&code, &["--oidc-client-id", "corp-cli"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(exchange_body(&fake)["clientID"], "corp-cli");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("oidc_client_id = \"corp-cli\""), "{config}");

    // The saved client is used next time; a refused code names every
    // cause, not only reuse.
    let out = exchange(&code, &[]);
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(exchange_body(&fake)["clientID"], "corp-cli");
    assert!(
        out.stderr.contains("already used or has expired")
            && out
                .stderr
                .contains("client id (`corp-cli`) or redirect URI"),
        "{out}"
    );
}

#[test]
fn remote_browser_on_219_accepts_the_pasted_url() {
    let env = Env::new(Store::File);
    let fake = server("2.19");
    let (out, _) = remote_login(
        &env,
        &[
            "--server",
            &fake.url(),
            "--api",
            "runai-2.19",
            "--legacy-endpoints",
            "--code-stdin",
        ],
        |location, _| location.to_string(),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        fake.requests()
            .iter()
            .any(|r| r.path == "/v1/k8s/auth/token/exchange")
    );
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

#[test]
fn remote_browser_refuses_a_url_from_another_login() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let (out, _) = remote_login(&env, &["--server", &fake.url()], |location, _| {
        location.replace("state=", "state=x")
    });
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("state does not match"), "{out}");
    assert_eq!(fake.count("grant:exchange_token"), 0);
}

// Debian's Chromium.
#[cfg(unix)]
#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs chromium")]
fn headless_chromium_completes_the_login() {
    need("chromium");
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        auto_approve: true,
        ..Config::default()
    });
    let script = write_script(&env, "chromium.sh", CHROMIUM_SCRIPT);
    let mut cmd = env.cmd();
    cmd.env("BROWSER", &script).args([
        "login",
        "--browser",
        "--server",
        &fake.url(),
        "--callback-port",
        "0",
        "--browser-timeout",
        "50s",
    ]);
    let out = Output::of(&mut cmd);
    let log = std::fs::read_to_string(browser_file(&env, "chromium.log")).unwrap_or_default();
    assert_eq!(out.code, 0, "{out}\n--- chromium\n{log}");
    let page = wait_for(&browser_file(&env, "browser.page"), 60);
    assert!(
        page.contains("Login complete") && page.contains("You may close this tab"),
        "chromium ended on:\n{page}\n--- chromium\n{log}"
    );
    assert_eq!(fake.authorizations().len(), 1);
    assert_eq!(fake.count("grant:exchange_token"), 1);
    assert!(fake.is_valid_access_token(&printed_token(&env)));
}

#[test]
fn refused_where_kubectl_says_nobody_is_there() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let mut cmd = env.cmd();
    cmd.env(
        "KUBERNETES_EXEC_INFO",
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#,
    )
    .env("BROWSER", "/bin/false")
    .args(["login", "--browser", "--server", &fake.url()]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("not interactive"), "{out}");
    assert!(fake.authorizations().is_empty());
}

#[test]
fn flags_and_apis_that_do_not_fit() {
    let env = Env::new(Store::File);
    let fake = server("2.23");
    let out = env.fails(
        &["login", "--server", &fake.url(), "--callback-port", "0"],
        "",
        2,
    );
    assert!(out.stderr.contains("--browser"), "{out}");
    env.fails(
        &[
            "login",
            "--server",
            &fake.url(),
            "--browser",
            "--remote-browser",
        ],
        "",
        2,
    );
    env.fails(
        &[
            "login",
            "--server",
            &fake.url(),
            "--browser",
            "--password-stdin",
        ],
        "",
        2,
    );
    let out = env.fails(
        &[
            "login",
            "--browser",
            "--api",
            "gbds",
            "--server",
            &fake.gbds_url(),
        ],
        "",
        2,
    );
    assert!(out.stderr.contains("GBDS has no SSO login"), "{out}");
    let out = env.fails(
        &[
            "login",
            "--browser",
            "--server",
            &fake.url(),
            "--auth-url",
            "http://idp.example/auth",
        ],
        "",
        2,
    );
    assert!(out.stderr.contains("plain http://"), "{out}");
}
