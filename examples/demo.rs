//! A walk through tokenctl against the bundled fake server:
//! `cargo run --example demo`. Uses a temporary HOME and the file store, so
//! it touches nothing of yours and needs no keychain.
// The demo narrates on stdout.
#![allow(clippy::print_stdout)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tokenctl_fake_server::{Config, FakeServer};

fn main() {
    let bin = build_tokenctl();
    let home = tempfile::tempdir().expect("temp dir");
    let fake = FakeServer::start_with(Config {
        access_token_lifetime_secs: 3600,
        ..Config::default()
    });
    let demo = Demo {
        bin,
        home: home.path().to_path_buf(),
    };
    let url = fake.url();

    say(&format!(
        "A fake Run:ai 2.23 / 2.19 and GBDS 4.7 token server is listening on {url}."
    ));
    say("Everything below runs the real tokenctl binary with HOME in a temp dir and --store file.");

    say("1. Log in with a user name and password (the password comes from stdin, never argv).");
    demo.run(
        &[
            "login",
            "--server",
            &url,
            "--username",
            "alice",
            "--password-stdin",
        ],
        Some("wonderland"),
        &[],
    );

    say("2. Print the access token, then as an HTTP header, then as JSON.");
    demo.run(&["token"], None, &[]);
    demo.run(&["token", "-o", "header"], None, &[]);
    demo.run(&["token", "-o", "json"], None, &[]);

    say("3. Renew it with the stored refresh token (the server rotates refresh tokens).");
    demo.run(&["refresh"], None, &[]);

    say(
        "4. An application token from client credentials, in its own profile; the secret comes from the environment.",
    );
    demo.run(
        &[
            "--profile",
            "ci",
            "app-token",
            "--server",
            &url,
            "--client-id",
            "ci-bot",
            "-o",
            "env",
            "--env-var",
            "RUNAI_TOKEN",
        ],
        None,
        &[("TOKENCTL_CLIENT_SECRET", "ci-bot-secret")],
    );

    say("5. Exchange an authorization code (as a browser login would receive it) for tokens.");
    let redirect = "http://localhost:43121/callback";
    let code = fake.issue_code(redirect);
    demo.run(
        &[
            "--profile",
            "sso",
            "exchange-code",
            "--server",
            &url,
            "--code",
            &code,
            "--redirect-uri",
            redirect,
        ],
        None,
        &[],
    );

    say("6. A GBDS server: TOKEN renewal instead of refresh tokens.");
    demo.run(
        &[
            "--profile",
            "gbds",
            "login",
            "--api",
            "gbds",
            "--server",
            &fake.gbds_url(),
            "-u",
            "operator",
            "--password-stdin",
        ],
        Some("gbds-pass"),
        &[],
    );
    demo.run(&["--profile", "gbds", "refresh"], None, &[]);

    say("7. What is stored, per profile (never a token).");
    demo.run(&["status", "--all"], None, &[]);

    say("8. A wrong password: a readable error and exit code 3.");
    demo.run(
        &["login", "--password-stdin"],
        Some("not-the-password"),
        &[],
    );

    say("9. Log out everywhere.");
    demo.run(&["logout", "--all"], None, &[]);

    say(&format!("The fake server saw: {:?}", fake.counts()));
}

struct Demo {
    bin: PathBuf,
    home: PathBuf,
}

impl Demo {
    fn run(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) {
        let shown: Vec<String> = args.iter().map(|a| shell_word(a)).collect();
        let pipe = stdin.map(|_| "printf %s \"$SECRET\" | ").unwrap_or("");
        let envs: String = env.iter().map(|(k, _)| format!("{k}=... ")).collect();
        println!(
            "{}",
            paint("1", &format!("$ {envs}{pipe}tokenctl {}", shown.join(" ")))
        );
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_STATE_HOME", self.home.join("state"))
            .env("TOKENCTL_STORE", "file")
            .env_remove("TOKENCTL_PROFILE")
            .envs(env.iter().copied())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = cmd.spawn().expect("run tokenctl");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let status = child.wait().expect("wait for tokenctl");
        println!(
            "{}\n",
            paint("2", &format!("(exit {})", status.code().unwrap_or(-1)))
        );
    }
}

fn say(text: &str) {
    println!("{}", paint("36", &format!("# {text}")));
}

/// SGR colour only on a terminal (and not under NO_COLOR): a demo piped into
/// a file must read as plain text.
fn paint(sgr: &str, text: &str) -> String {
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if colour {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn shell_word(arg: &str) -> String {
    if arg
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{arg}'")
    }
}

/// Builds the tokenctl binary (a no-op when it is fresh) and returns its path.
fn build_tokenctl() -> PathBuf {
    eprintln!(
        "demo: making sure the tokenctl binary is built (`cargo build --bin tokenctl`; the first time this compiles for a few minutes)"
    );
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["build", "--bin", "tokenctl"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    // `cargo run` gives this process the demo's package variables
    // (CARGO_PKG_NAME, CARGO_MANIFEST_DIR, ...). Build scripts such as
    // ring's rerun when those change, so an inner build that inherits them
    // rebuilds ring, rustls, reqwest and tokenctl, and so does the next plain
    // build. Settings (CARGO_HOME, CARGO_TARGET_DIR, CARGO_BUILD_*) stay.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                name.as_ref(),
                "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "OUT_DIR"
            )
        {
            cargo.env_remove(name.as_ref());
        }
    }
    let status = cargo.status().expect("run cargo build");
    assert!(status.success(), "cargo build failed");
    // target/<profile>/examples/demo -> target/<profile>/tokenctl
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join(format!("tokenctl{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "tokenctl not found at {}", bin.display());
    bin
}
