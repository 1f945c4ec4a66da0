//! Logging in from anywhere: `login --browser` on a machine with no
//! display, or in an SSH session, switches to the remote-browser flow by
//! itself (over SSH it also prints the `ssh -L` that makes the loopback
//! flow work from the laptop); `BROWSER=none` and `--no-open` open nothing
//! and wait on the loopback listener. Driven on a pseudo-terminal, as a
//! person at an SSH prompt would.
// Unix only: driven on a pseudo-terminal (tests/it/common/pty.rs: util-linux `script`), which Wine cannot provide.

use crate::common;

use std::process::Stdio;

use common::pty::{Pty, curl_browser, path_with, recording_opener};
use common::{Env, FakeServer, Output, Store};

const SWITCHED: &str = "logging in with --remote-browser instead";

fn logged_in(env: &Env, fake: &FakeServer) {
    let token = env.ok(&["token"], "");
    assert!(fake.is_valid_access_token(token.stdout.trim()), "{token}");
    assert_eq!(fake.count("grant:exchange_token"), 1);
}

/// Finishes a remote-browser login on the pty: the stand-in browser opens
/// the printed provider URL, and the URL it lands on is pasted.
fn paste_remote_login(env: &Env, fake: &FakeServer, term: &mut Pty) {
    let url = term.line_with(&fake.auth_url(), 20);
    assert!(
        url.contains("%2Foauth-code"),
        "the remote redirect URI: {url}"
    );
    let landed = curl_browser(env, &url);
    term.wait_for("Code (or the whole URL", 10);
    term.type_line(&landed);
}

#[test]
fn without_a_display_browser_login_switches_to_the_remote_flow() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (bin, opened) = recording_opener(&env);
    let path = path_with(&bin);
    // The hermetic environment has no DISPLAY and no WAYLAND_DISPLAY.
    let mut term = Pty::spawn(
        &env,
        &["login", "--browser", "--server", &fake.url()],
        &[("PATH", &path)],
    );
    paste_remote_login(&env, &fake, &mut term);
    let out = term.finish();
    assert_eq!(out.code, 0, "{out}");
    let switch: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains(SWITCHED))
        .collect();
    assert_eq!(switch.len(), 1, "said once, in one line: {out}");
    assert!(switch[0].contains("No display"), "{out}");
    assert!(!out.stdout.contains("ssh -L"), "not an SSH session: {out}");
    assert!(!opened.exists(), "no browser was started");
    assert!(
        !out.stdout.contains("/start/"),
        "no loopback listener: {out}"
    );
    logged_in(&env, &fake);
}

#[test]
fn over_ssh_it_switches_and_prints_the_port_forward() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (bin, opened) = recording_opener(&env);
    let path = path_with(&bin);
    let mut term = Pty::spawn(
        &env,
        &[
            "--profile",
            "work",
            "login",
            "--browser",
            "--server",
            &fake.url(),
        ],
        &[
            ("PATH", &path),
            ("SSH_CONNECTION", "192.0.2.10 52144 198.51.100.7 22"),
            ("USER", "alice"),
            // X forwarding does not bring a browser: the session is SSH.
            ("DISPLAY", "localhost:10.0"),
        ],
    );
    paste_remote_login(&env, &fake, &mut term);
    let out = term.finish();
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(SWITCHED) && out.stdout.contains("SSH session"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("ssh -L 43121:127.0.0.1:43121 alice@198.51.100.7"),
        "the forward for the default callback port: {out}"
    );
    assert!(
        out.stdout
            .contains("tokenctl --profile work login --browser --no-open"),
        "and what to run then: {out}"
    );
    assert!(!opened.exists(), "no browser was started");
    let token = env.ok(&["--profile", "work", "token"], "");
    assert!(fake.is_valid_access_token(token.stdout.trim()));
}

#[test]
fn over_ssh_a_random_callback_port_is_pinned_in_the_advice() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let mut term = Pty::spawn(
        &env,
        &[
            "login",
            "--browser",
            "--server",
            &fake.url(),
            "--callback-port",
            "0",
        ],
        &[("SSH_CONNECTION", "192.0.2.10 52144 198.51.100.7 22")],
    );
    term.wait_for("ssh -L", 20);
    let out_line = term.line_with("ssh -L", 5);
    assert!(
        out_line.contains("ssh -L 43121:127.0.0.1:43121 198.51.100.7")
            && out_line.contains("--no-open --callback-port 43121"),
        "{out_line}"
    );
    paste_remote_login(&env, &fake, &mut term);
    assert_eq!(term.finish().code, 0);
}

/// `login --browser` with stderr piped: waits for the printed start URL,
/// plays the browser on it, returns the run's output.
fn loopback_without_opening(env: &Env, args: &[&str], extra: &[(&str, &str)]) -> Output {
    use std::io::{BufRead, BufReader};
    let mut all = vec!["login", "--browser", "--callback-port", "0"];
    all.extend_from_slice(args);
    let mut cmd = env.std_cmd(&all);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    let start = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("no start URL printed:\n{seen}"))
            .unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("/start/") {
            break line.trim().to_string();
        }
    };
    curl_browser(env, &start);
    for line in lines.map_while(Result::ok) {
        seen.push_str(&line);
        seen.push('\n');
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: seen,
    }
}

#[test]
fn browser_none_prints_the_url_and_waits_on_the_loopback_listener() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (bin, opened) = recording_opener(&env);
    let path = path_with(&bin);
    let out = loopback_without_opening(
        &env,
        &["--server", &fake.url()],
        &[("BROWSER", "none"), ("PATH", &path), ("DISPLAY", ":0")],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("Open this URL in a browser on this machine"),
        "{out}"
    );
    assert!(!out.stderr.contains(SWITCHED), "{out}");
    assert!(!opened.exists(), "BROWSER=none opens nothing");
    logged_in(&env, &fake);
}

#[test]
fn no_open_over_ssh_waits_on_loopback_and_names_the_forward_for_its_port() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let (bin, opened) = recording_opener(&env);
    let path = path_with(&bin);
    let out = loopback_without_opening(
        &env,
        &["--no-open", "--server", &fake.url()],
        &[
            ("PATH", &path),
            ("SSH_CONNECTION", "192.0.2.10 52144 198.51.100.7 22"),
            ("USER", "bob"),
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        !out.stderr.contains(SWITCHED),
        "--no-open keeps loopback: {out}"
    );
    let start = out.stderr.lines().find(|l| l.contains("/start/")).unwrap();
    let port = url::Url::parse(start.trim()).unwrap().port().unwrap();
    assert!(
        out.stderr
            .contains(&format!("ssh -L {port}:127.0.0.1:{port} bob@198.51.100.7")),
        "{out}"
    );
    assert!(!opened.exists());
    logged_in(&env, &fake);
}
