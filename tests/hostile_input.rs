//! Hostile local input (issue 24): flags, variables, paths, config files,
//! kubectl's exec info, token claims and user names holding control, format
//! or separator characters, or huge. What tokenctl echoes of them is escaped
//! visibly and bounded; a usage error is found before anything else; help
//! and version follow `--color` and fail when stdout cannot be written; a
//! hint naming a profile can be pasted back into a shell.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Stdio;

use common::fixtures::{Login, PASSWORD, USER};
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

/// A value of 120 KB (below Linux's 128 KiB limit for one argument).
fn huge() -> String {
    format!("{}\u{202e}end", "A".repeat(120_000))
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
