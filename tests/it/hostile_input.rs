//! Hostile local input (issue 24): flags, variables, paths, config files,
//! kubectl's exec info, token claims and user names holding control, format
//! or separator characters, or huge. What tokenctl echoes of them is escaped
//! visibly and bounded; a usage error is found before anything else; help
//! and version follow `--color` and fail when stdout cannot be written; a
//! hint naming a profile can be pasted back into a shell.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
#[cfg(unix)]
use std::process::Stdio;

use common::fixtures::{Login, PASSWORD, USER};
#[cfg(unix)]
use common::pty::Pty;
use common::{Env, FakeServer, Output, Store};
use icu_properties::CodePointMapData;
use icu_properties::props::GeneralCategory;
use serde_json::{Value, json};
use tokenctl_fake_server::{Config, jwt};

/// A character no output of tokenctl may carry unless it is its own line
/// break: the controls (C0, DEL, C1) and Unicode's format, line and
/// paragraph separator characters (bidirectional controls, zero-width ones).
fn forbidden(c: char) -> bool {
    c != '\n'
        && matches!(
            CodePointMapData::<GeneralCategory>::new().get(c),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// Longest line a message may have: a few bounded values and the words around them.
const MAX_LINE: usize = 1200;

/// What is wrong with the output: a forbidden character or an unbounded line.
fn problem(out: &Output) -> Option<String> {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if let Some(c) = text.chars().find(|c| forbidden(*c)) {
            let shown: String = format!("{out}").chars().take(3000).collect();
            return Some(format!("{c:?} reached {stream}:\n{shown}"));
        }
        for line in text.lines() {
            let n = line.chars().count();
            if n > MAX_LINE {
                let start: String = line.chars().take(300).collect();
                return Some(format!("a {n}-character line on {stream}: {start}..."));
            }
        }
    }
    None
}

/// Neither stream carries a forbidden character or an unbounded line.
fn assert_clean(what: &str, out: &Output) {
    if let Some(problem) = problem(out) {
        panic!("{what}: {problem}");
    }
}

/// One value per kind of character a terminal acts on or hides, and text
/// that would forge a line of its own.
const HOSTILE: &[&str] = &[
    "a\rb",
    "x\u{1b}]0;pwned\u{7}y",
    "c\u{9b}31md",
    "e\u{85}f",
    "g\u{202e}h",
    "i\u{2028}j\u{2029}k",
    "l\u{200b}m\u{feff}n",
    "o\u{61c}p",
    "q\tr\nerror: forged line",
];

/// A value of 120 KB (below Linux's 128 KiB limit for one argument); on
/// Windows of 30 000 characters, as a whole command line, like one
/// environment variable, holds at most 32 767 (Wine cuts a longer one).
fn huge() -> String {
    let n = if cfg!(windows) { 30_000 } else { 120_000 };
    format!("{}\u{202e}end", "A".repeat(n))
}

fn hostile_values() -> Vec<String> {
    let mut all: Vec<String> = HOSTILE.iter().map(|v| v.to_string()).collect();
    all.push(huge());
    all
}

/// `args` with `env` set, the password on stdin.
fn run_with(env: &Env, args: &[&str], vars: &[(&str, &str)], stdin: &str) -> Output {
    let mut cmd = env.cmd();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    Output::of(cmd.args(args).write_stdin(stdin))
}

/// A profile logged in at a fake server (file store).
fn logged_in() -> (Env, FakeServer) {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    (env, fake)
}

/// Every entry point that takes local input, each given every hostile
/// value: nothing unsafe reaches stdout or stderr, lines stay bounded,
/// and the exit code is the documented one.
#[test]
fn no_hostile_value_reaches_the_terminal() {
    let (env, fake) = logged_in();
    let url = fake.url();
    let home = env.path("");
    let home = home.to_str().unwrap();
    type Case<'a> = (&'a str, &'a [i32], Box<dyn Fn(&str) -> Output + 'a>);
    let cases: Vec<Case> = vec![
        ("-p", &[2], Box::new(|v| env.run(&["-p", v, "token"], ""))),
        (
            "TOKENCTL_PROFILE",
            &[2],
            Box::new(|v| run_with(&env, &["token"], &[("TOKENCTL_PROFILE", v)], "")),
        ),
        (
            "--config",
            &[2, 3],
            Box::new(|v| env.run(&["--config", &format!("{home}/{v}"), "token"], "")),
        ),
        (
            "TOKENCTL_CONFIG",
            &[2, 3],
            Box::new(|v| {
                run_with(
                    &env,
                    &["status"],
                    &[("TOKENCTL_CONFIG", &format!("{home}/{v}/config.toml"))],
                    "",
                )
            }),
        ),
        (
            "config line",
            &[2],
            Box::new(|v| {
                let path = env.path("bad-line.toml");
                std::fs::write(&path, format!("[profiles.x]\nserver = 1 {v}\n")).unwrap();
                env.run(&["--config", path.to_str().unwrap(), "status"], "")
            }),
        ),
        (
            "config profile name",
            &[2],
            Box::new(|v| {
                let path = env.path("bad-name.toml");
                let key = serde_json::to_string(v).unwrap();
                std::fs::write(
                    &path,
                    format!("[profiles.{key}]\nserver = \"https://h.example\"\n"),
                )
                .unwrap();
                env.run(&["--config", path.to_str().unwrap(), "status", "--all"], "")
            }),
        ),
        (
            "config user name",
            &[0],
            Box::new(|v| {
                let path = env.path("user.toml");
                let user = serde_json::to_string(v).unwrap();
                std::fs::write(
                    &path,
                    format!(
                        "[profiles.default]\nserver = \"https://h.example\"\napi = \"runai\"\nusername = {user}\n"
                    ),
                )
                .unwrap();
                env.run(&["--config", path.to_str().unwrap(), "status"], "")
            }),
        ),
        (
            "KUBERNETES_EXEC_INFO",
            &[2],
            Box::new(|v| {
                let info = json!({"kind": "ExecCredential", "apiVersion": v}).to_string();
                run_with(
                    &env,
                    &["kubectl-credential"],
                    &[("KUBERNETES_EXEC_INFO", &info)],
                    "",
                )
            }),
        ),
        (
            "--env-var",
            &[2],
            Box::new(|v| env.run(&["exec", "--env-var", v, "--", "true"], "")),
        ),
        (
            "TOKENCTL_ENV_VAR",
            &[2],
            Box::new(|v| {
                run_with(
                    &env,
                    &["token", "-o", "env"],
                    &[("TOKENCTL_ENV_VAR", v)],
                    "",
                )
            }),
        ),
        (
            "--external-token-from file:",
            &[2],
            Box::new(|v| {
                let source = format!("file:{home}/{v}");
                env.run(
                    &[
                        "-p",
                        "ci",
                        "login",
                        "--server",
                        &url,
                        "--external-token-from",
                        &source,
                    ],
                    "",
                )
            }),
        ),
        (
            "--ca-file",
            &[2],
            Box::new(|v| {
                let ca = format!("{home}/{v}");
                env.run(
                    &[
                        "-p",
                        "ca",
                        "login",
                        "--server",
                        &url,
                        "--ca-file",
                        &ca,
                        "-u",
                        USER,
                        "--password-stdin",
                    ],
                    PASSWORD,
                )
            }),
        ),
        (
            "exec COMMAND",
            &[126, 127],
            Box::new(|v| env.run(&["exec", "--", v], "")),
        ),
        (
            "--color",
            &[2],
            Box::new(|v| env.run(&["--color", v, "token"], "")),
        ),
        (
            "TOKENCTL_COLOR",
            &[2],
            Box::new(|v| run_with(&env, &["token"], &[("TOKENCTL_COLOR", v)], "")),
        ),
        ("-o", &[2], Box::new(|v| env.run(&["token", "-o", v], ""))),
        (
            "TOKENCTL_OUTPUT",
            &[2],
            Box::new(|v| run_with(&env, &["token"], &[("TOKENCTL_OUTPUT", v)], "")),
        ),
        (
            "--timeout",
            &[2],
            Box::new(|v| env.run(&["--timeout", v, "token"], "")),
        ),
        (
            "TOKENCTL_MIN_VALID",
            &[2],
            Box::new(|v| run_with(&env, &["token"], &[("TOKENCTL_MIN_VALID", v)], "")),
        ),
        (
            "login --server",
            &[2],
            Box::new(|v| env.run(&["login", "--server", &format!("https://{v}")], "")),
        ),
        (
            "unknown flag",
            &[2],
            Box::new(|v| env.run(&["token", &format!("--{v}")], "")),
        ),
        ("unknown subcommand", &[2], Box::new(|v| env.run(&[v], ""))),
        (
            "extra argument",
            &[2],
            Box::new(|v| env.run(&["status", v], "")),
        ),
        (
            "--help with TOKENCTL_PROFILE",
            &[0],
            Box::new(|v| run_with(&env, &["--help"], &[("TOKENCTL_PROFILE", v)], "")),
        ),
        (
            "token --help with TOKENCTL_MIN_VALID",
            &[0],
            Box::new(|v| run_with(&env, &["token", "--help"], &[("TOKENCTL_MIN_VALID", v)], "")),
        ),
        (
            "runai-config --dir",
            // 5: a name longer than the file system takes. 2 on Windows,
            // where `runai-config` is refused (it writes the Unix way).
            if cfg!(windows) { &[2] } else { &[0, 5] },
            Box::new(|v| {
                env.run(
                    &[
                        "runai-config",
                        "--write",
                        "--dir",
                        &format!("{home}/rc-{v}"),
                    ],
                    "",
                )
            }),
        ),
        (
            "login --secret-file",
            &[2],
            Box::new(|v| {
                env.run(
                    &[
                        "-p",
                        "key",
                        "login",
                        "--server",
                        &url,
                        "--access-key",
                        v,
                        "--secret-file",
                        &format!("{home}/{v}"),
                    ],
                    "",
                )
            }),
        ),
        (
            "KUBERC",
            &[0, 1],
            Box::new(|v| run_with(&env, &["doctor"], &[("KUBERC", &format!("{home}/{v}"))], "")),
        ),
        (
            "SSH session",
            &[2, 3, 4],
            Box::new(|v| {
                run_with(
                    &env,
                    &["-p", "sso", "login", "--server", &url, "--browser"],
                    &[
                        ("USER", v),
                        ("SSH_CONNECTION", &format!("10.0.0.1 5 h{v} 22")),
                    ],
                    "",
                )
            }),
        ),
    ];
    let mut failures = Vec::new();
    for (name, codes, run) in &cases {
        for v in hostile_values() {
            let out = run(&v);
            let shown = format!("{name} {:?}", v.chars().take(40).collect::<String>());
            if !codes.contains(&out.code) {
                failures.push(format!(
                    "{shown}: exit {} (want {codes:?}):\n{out}",
                    out.code
                ));
                continue;
            }
            if let Some(problem) = problem(&out) {
                failures.push(format!("{shown}: {problem}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len() * hostile_values().len(),
        failures.join("\n---\n")
    );
}

/// A user name the server accepts, echoed in "logged in … as …".
#[test]
fn the_user_name_of_a_login_is_shown_escaped() {
    for v in hostile_values() {
        let env = Env::new(Store::File);
        let fake = FakeServer::start_with(Config {
            username: v.clone(),
            ..Config::default()
        });
        let out = env.ok(
            &[
                "login",
                "--server",
                &fake.url(),
                "-u",
                &v,
                "--password-stdin",
            ],
            PASSWORD,
        );
        assert_clean(&format!("login as {:?}", &v[..v.len().min(40)]), &out);
        assert!(out.stderr.contains("logged in to"), "{out}");
    }
    let env = Env::new(Store::File);
    let fake = FakeServer::start_with(Config {
        username: "eve\r\u{202e}".into(),
        ..Config::default()
    });
    let out = env.ok(
        &[
            "login",
            "--server",
            &fake.url(),
            "-u",
            "eve\r\u{202e}",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(out.stderr.contains(r" as eve\r\u{202e} (profile"), "{out}");
}

/// The representative messages, exactly.
#[test]
fn values_are_escaped_the_way_rust_writes_them() {
    let env = Env::new(Store::File);
    let out = env.fails(&["-p", "a\rb\u{202e}", "token"], "", 2);
    assert!(
        out.stderr
            .starts_with("error: invalid profile name `a\\rb\\u{202e}`: use up to 64"),
        "{out}"
    );
    let out = run_with(&env, &["token"], &[("TOKENCTL_PROFILE", "p\u{1b}[2J")], "");
    assert!(
        out.stderr.contains("invalid profile name `p\\u{1b}[2J`"),
        "{out}"
    );

    let info = json!({"apiVersion": huge()}).to_string();
    let out = run_with(
        &env,
        &["kubectl-credential"],
        &[("KUBERNETES_EXEC_INFO", &info)],
        "",
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.len() < 1000, "{} bytes: {out}", out.stderr.len());
    assert!(
        out.stderr.contains("`AAAA") && out.stderr.contains("AAAA…AAAA"),
        "the start is shown: {out}"
    );
    assert!(
        out.stderr.contains("AAAA\\u{202e}end`"),
        "and the end: {out}"
    );

    // clap's own errors: the value quoted escaped, the rest as clap writes it.
    let out = env.fails(&["--color", "x\r\u{9b}\u{85}\u{202e}", "token"], "", 2);
    assert!(
        out.stderr.starts_with(
            "error: invalid value 'x\\r\\u{9b}\\u{85}\\u{202e}' for '--color <WHEN>'\n  [possible values: auto, always, never]\n"
        ),
        "{out}"
    );
    assert!(
        out.stderr
            .ends_with("For more information, try '--help'.\n"),
        "{out}"
    );
    let out = run_with(
        &env,
        &["token"],
        &[("TOKENCTL_COLOR", "never\nerror: forged")],
        "",
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("invalid value 'never\\nerror: forged'"),
        "{out}"
    );
    assert!(!out.stderr.contains("\nerror: forged"), "{out}");
    let out = env.fails(&["token", "--min-valid", "5\u{200b}m"], "", 2);
    assert!(
        out.stderr
            .contains("invalid value '5\\u{200b}m' for '--min-valid"),
        "{out}"
    );

    let out = env.fails(&["exec", "--env-var", "A\u{200b}B", "--", "true"], "", 2);
    assert!(
        out.stderr.contains("invalid --env-var `A\\u{200b}B`"),
        "{out}"
    );
    let (env, _fake) = logged_in();
    let out = env.run(&["exec", "--", "no\rsuch\u{61c}"], "");
    assert_eq!(out.code, 127, "{out}");
    assert!(
        out.stderr.contains("cannot run `no\\rsuch\\u{61c}`"),
        "{out}"
    );
}

/// Help and usage are not touched by the escaping: a plain `--help` is
/// what clap renders, examples included, line by line.
#[test]
fn help_and_usage_are_not_mangled() {
    let env = Env::new(Store::File);
    let out = env.ok(&["--help"], "");
    assert!(out.stdout.starts_with("Log in to Run:ai"), "{out}");
    assert!(
        out.stdout
            .contains("\nUsage: tokenctl [OPTIONS] <COMMAND>\n"),
        "{out}"
    );
    assert!(
        out.stdout.contains(
            "\n  curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/org-unit/projects\n"
        ),
        "{out}"
    );
    assert!(!out.stdout.contains("\\u{"), "{out}");
    let out = env.fails(&["token", "--bogus"], "", 2);
    assert_eq!(
        out.stderr,
        "error: unexpected argument '--bogus' found\n\nUsage: tokenctl token [OPTIONS]\n\nFor more information, try '--help'.\n"
    );
}

/// Claims are the server's text: format and separator characters are
/// escaped like controls, every value bounded, in text and in JSON.
#[test]
fn claims_show_invisible_and_direction_characters_escaped() {
    let (env, _fake) = logged_in();
    let crafted = jwt::encode(&json!({
        "iss": "https://idp.example",
        "sub": "a\u{2028}b\u{2029}c\u{200b}d\u{feff}e",
        "preferred_username": "x\u{61c}y\u{1b}[2J",
        "email": "m".repeat(100_000),
        "exp": 4_000_000_000u64,
        "groups": ["/ml\u{202e}", "/ops"],
    }));
    env.edit_record("default", |r| {
        r["tokens"]["access_token"] = crafted.clone().into();
    });
    let out = env.ok(&["status", "--claims"], "");
    assert_clean("status --claims", &out);
    // The claims' lines, after the profile's own (which has a `user:` too).
    let claims = &out.stdout[out.stdout.find("access token claims:").expect("claims")..];
    let line = |key: &str| {
        claims
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} line:\n{out}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("subject:"), r"a\u{2028}b\u{2029}c\u{200b}d\u{feff}e");
    assert_eq!(line("user:"), r"x\u{61c}y\u{1b}[2J");
    assert_eq!(line("groups:"), r"/ml\u{202e}, /ops");
    let email = line("email:");
    assert!(email.chars().count() <= 200, "{email}");
    assert!(email.contains('…'), "{email}");

    let out = env.ok(&["status", "--claims", "-o", "json"], "");
    assert_clean("status --claims -o json", &out);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let claims = &json[0]["claims"][0];
    assert_eq!(claims["subject"], r"a\u{2028}b\u{2029}c\u{200b}d\u{feff}e");
    assert_eq!(claims["username"], r"x\u{61c}y\u{1b}[2J");
}

/// `kubectl-credential` prints an ExecCredential and nothing else: any
/// other `-o` is a usage error (2), found before the profile is looked up.
#[test]
fn kubectl_credential_refuses_other_outputs_first() {
    let fresh = Env::new(Store::File);
    let (env, fake) = logged_in();
    for format in ["header", "env", "json", "token"] {
        for (which, e) in [("no profile", &fresh), ("logged in", &env)] {
            let out = e.run(&["kubectl-credential", "-o", format], "");
            assert_eq!(out.code, 2, "{which}, -o {format}: {out}");
            assert_eq!(out.stdout, "", "{which}, -o {format}");
            assert!(out.stderr.contains("-o exec-credential"), "{out}");
            assert!(
                out.stderr.contains(&format!("tokenctl token -o {format}")),
                "{out}"
            );
            let out = e.run(&["-o", format, "--profile=nope", "kubectl-credential"], "");
            assert_eq!(out.code, 2, "{which}, -o {format} first: {out}");
        }
    }
    let grants = fake.counts();
    let out = env.ok(&["kubectl-credential", "-o", "exec-credential"], "");
    assert!(out.stdout.contains("\"kind\":\"ExecCredential\""), "{out}");
    assert_eq!(fake.counts(), grants, "from the store");
}

/// On a terminal, `--color never` and `TOKENCTL_COLOR=never` leave help and
/// clap's errors without colour, as `NO_COLOR` does; `auto` colours them.
// A pseudo-terminal (util-linux `script`): Unix only.
#[cfg(unix)]
#[test]
fn color_never_reaches_help_and_usage_errors() {
    let env = Env::new(Store::File);
    let term = [("TERM", "xterm-256color")];
    let screen = |args: &[&str], vars: &[(&str, &str)]| {
        let mut all = term.to_vec();
        all.extend_from_slice(vars);
        Pty::spawn(&env, args, &all).finish()
    };
    for args in [&["--help"][..], &["token", "--bogus"], &["help", "token"]] {
        let out = screen(args, &[]);
        assert!(
            out.stdout.contains("\x1b["),
            "{args:?} is coloured on a terminal: {out}"
        );
    }
    type Run<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let never: &[Run] = &[
        (&["--color", "never", "--help"], &[]),
        (&["--color=never", "-h"], &[]),
        (&["--color", "never", "token", "--help"], &[]),
        (&["token", "--help", "--color", "never"], &[]),
        (&["--color", "never", "help", "token"], &[]),
        (&["--help"], &[("TOKENCTL_COLOR", "never")]),
        (&["-h"], &[("TOKENCTL_COLOR", "never")]),
        (&["--color", "never", "token", "--bogus"], &[]),
        (&["token", "--bogus"], &[("TOKENCTL_COLOR", "never")]),
        (&["--color", "never", "--color", "never"], &[]),
        (&["--color", "never", "nosuch"], &[]),
        (&["--help"], &[("NO_COLOR", "1")]),
    ];
    for (args, vars) in never {
        let out = screen(args, vars);
        assert!(out.stdout.contains("Usage:"), "{args:?} {vars:?}: {out}");
        assert!(
            !out.stdout.contains('\x1b'),
            "{args:?} {vars:?} is coloured: {:?}",
            out.stdout
        );
    }
    // `always` colours them even into a pipe.
    let out = env.ok(&["--color", "always", "--help"], "");
    assert!(out.stdout.contains("\x1b["), "{out}");
    let out = env.fails(&["--color", "always", "token", "--bogus"], "", 2);
    assert!(out.stderr.contains("\x1b["), "{out}");
}

/// Help and version written to a full disk (/dev/full) fail like a token
/// would: exit 1, the reason on stderr.
// /dev/full is a Unix device (Wine lends it to Windows programs; Windows
// has none).
#[cfg(unix)]
#[test]
fn help_and_version_fail_when_stdout_cannot_be_written() {
    let env = Env::new(Store::File);
    for args in [
        &["--help"][..],
        &["-h"],
        &["--version"],
        &["-V"],
        &["-v", "--version"],
        &["token", "--help"],
        &["token", "-h"],
        &["help", "token"],
        &["help"],
        &["version"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out: Output = env
            .std_cmd(args)
            .stdin(Stdio::null())
            .stdout(full)
            .output()
            .unwrap()
            .into();
        assert_eq!(out.code, 1, "{args:?}: {out}");
        assert!(out.stderr.starts_with("error: "), "{args:?}: {out}");
        assert!(
            out.stderr.contains("No space left on device"),
            "{args:?}: {out}"
        );
    }
    // A closed pipe is no error (`tokenctl --help | head -1`).
    let mut child = env
        .std_cmd(&["--help"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out: Output = child.wait_with_output().unwrap().into();
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stderr, "");
}

/// The text between backticks after `run `, the command a hint names.
#[cfg(unix)]
fn hinted(stderr: &str) -> String {
    let at = stderr
        .find("run `")
        .unwrap_or_else(|| panic!("no hint: {stderr}"))
        + 5;
    let end = stderr[at..].find('`').unwrap();
    stderr[at..at + end].to_string()
}

/// The hinted command, run by a shell as a person pasting it would.
#[cfg(unix)]
fn paste(env: &Env, command: &str, more: &str, stdin: &str) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("tokenctl");
    let rest = command.strip_prefix("tokenctl ").expect(command);
    let mut cmd = env.program("sh");
    cmd.arg("-c")
        .arg(format!("\"$TOKENCTL_BIN\" {rest} {more}"))
        .env("TOKENCTL_BIN", bin);
    Output::of(cmd.write_stdin(stdin))
}

/// A profile named like a flag (`-x`) gets hints that work when pasted.
// The hints are written for POSIX shells and pasted into sh.
#[cfg(unix)]
#[test]
fn hints_for_a_profile_named_like_a_flag_paste_back() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = env.fails(&["--profile=-x", "token"], "", 3);
    let hint = hinted(&out.stderr);
    assert_eq!(hint, "tokenctl --profile=-x login --server URL");
    let url = fake.url();
    let out = paste(
        &env,
        &hint.replace("URL", &url),
        &format!("-u {USER} --password-stdin"),
        PASSWORD,
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("(profile `-x`"), "{out}");
    env.ok(&["-p=-x", "token"], "");

    env.ok(&["--profile=-x", "logout"], "");
    let out = env.fails(&["-p=-x", "token"], "", 3);
    let hint = hinted(&out.stderr);
    assert_eq!(hint, "tokenctl --profile=-x login");
    let out = paste(&env, &hint, "--password-stdin", PASSWORD);
    assert_eq!(out.code, 0, "{out}");
    env.ok(&["--profile=-x", "token"], "");
}

/// An HTTP server on loopback that answers every request with `body`.
fn answering(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/token?api-version=2.0")
}

/// GitHub's answer is a server's: whatever is wrong with it is exit 4.
#[test]
fn every_bad_github_actions_answer_is_a_server_failure() {
    let fake = FakeServer::start();
    for body in [
        "{}",
        r#"{"value": null}"#,
        r#"{"value": ""}"#,
        r#"{"value": "two words"}"#,
        r#"{"value": "a\u001b]0;x\u0007"}"#,
        r#"{"value": 5}"#,
        "[]",
        "<html>oops</html>",
    ] {
        let env = Env::new(Store::File);
        let out = run_with(
            &env,
            &Login::external(&fake.url(), "github-actions").argv(),
            &[
                ("ACTIONS_ID_TOKEN_REQUEST_URL", &answering(body)),
                ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token"),
            ],
            "",
        );
        assert_eq!(out.code, 4, "{body}: {out}");
        assert!(out.stderr.contains("GitHub Actions"), "{body}: {out}");
        assert_clean(body, &out);
        assert!(
            !env.config_path().exists(),
            "{body}: no profile from a failed login"
        );
    }
}
