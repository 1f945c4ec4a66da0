//! A walk through tokenctl against the bundled fake server:
//! `cargo run --example demo`. It touches nothing of yours: tokenctl runs
//! with the demo's own config directory and the file store, no keychain.
//!
//! `-- --keep` leaves the playground up afterwards (the fake token server,
//! its Kubernetes API, tokenctl logged in) for commands of your own, until
//! Ctrl-C; its files stay in `target/<profile>/demo-playground` until the
//! next run. `-- --dir DIR` puts them in DIR instead.
//!
//! tokenctl here is this executable: built with the tokenctl library, it
//! runs `tokenctl::main` when started through the playground's
//! `bin/tokenctl`, the same code as the tokenctl binary. So the demo starts
//! as soon as cargo has built it, with no second build of its own.
// The demo narrates on stdout.
#![allow(clippy::print_stdout)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tokenctl_fake_server::{Config, FakeKubeApi, FakeServer};

/// Set by the playground's `bin/tokenctl`: run as tokenctl.
const AS_TOKENCTL: &str = "TOKENCTL_DEMO_AS_TOKENCTL";

const USAGE: &str = "usage: cargo run --example demo [-- [--keep] [--dir DIR]]";

fn main() {
    if std::env::var_os(AS_TOKENCTL).is_some() {
        // SAFETY: the first thing the process does, on its only thread.
        unsafe { std::env::remove_var(AS_TOKENCTL) };
        tokenctl::start();
        std::process::exit(tokenctl::main());
    }
    let (keep, dir) = match parse_args() {
        Ok(parsed) => parsed,
        Err(msg) => {
            eprintln!("demo: {msg}\n{USAGE}");
            std::process::exit(2);
        }
    };
    // Without --keep nothing needs to outlive the demo: a temporary directory.
    let temp;
    let dir = match (keep, dir) {
        (_, Some(dir)) => dir,
        (true, None) => default_keep_dir(),
        (false, None) => {
            temp = tempfile::Builder::new()
                .prefix("tokenctl-demo-")
                .tempdir()
                .expect("a temporary directory");
            temp.path().to_path_buf()
        }
    };
    let playground = Playground::create(&dir);
    run(&playground, keep);
}

fn parse_args() -> Result<(bool, Option<PathBuf>), String> {
    let mut keep = false;
    let mut dir = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--keep") => keep = true,
            Some("--dir") => {
                let d = args.next().ok_or("--dir needs a directory")?;
                dir = Some(std::path::absolute(d).map_err(|e| format!("--dir: {e}"))?);
            }
            Some("-h" | "--help") => {
                println!(
                    "{USAGE}\n\nA walk through tokenctl against the bundled fake server.\n  --keep     leave the playground up afterwards, for your own commands (Ctrl-C stops it)\n  --dir DIR  the playground's files there [default: a temporary directory; with --keep, target/<profile>/demo-playground]"
                );
                std::process::exit(0);
            }
            _ => {
                return Err(format!("unknown argument {}", tokenctl::text::shown(&arg)));
            }
        }
    }
    Ok((keep, dir))
}

/// `target/<profile>/demo-playground`, beside `examples/demo`.
fn default_keep_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples/demo")
        .join("demo-playground")
}

/// The demo's files: tokenctl's config, state and runtime directories, the
/// `bin/tokenctl` that runs this executable as tokenctl with them, the
/// playground cluster's kubeconfig, and `env` for a shell of yours.
struct Playground {
    dir: PathBuf,
    bin: PathBuf,
    kubeconfig: PathBuf,
    /// kubectl's discovery cache, not the one in your home.
    kube_cache: PathBuf,
}

impl Playground {
    fn create(dir: &Path) -> Self {
        // A fresh start: what an earlier run made goes (only that: --dir
        // may name a directory holding other things).
        if dir.join(MARKER).is_file() {
            for made in MADE {
                let path = dir.join(made);
                let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
            }
        }
        std::fs::create_dir_all(dir).expect("create the playground directory");
        std::fs::write(dir.join(MARKER), "made by `cargo run --example demo`\n")
            .expect("write the playground's marker");
        for sub in ["bin", "config", "state", "runtime"] {
            std::fs::create_dir_all(dir.join(sub)).expect("create the playground directory");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for sub in ["config", "state", "runtime"] {
                let private = std::fs::Permissions::from_mode(0o700);
                std::fs::set_permissions(dir.join(sub), private).expect("chmod 0700");
            }
        }
        let exe = std::env::current_exe().expect("current exe");
        let bin = dir.join("bin/tokenctl");
        let script = format!(
            "#!/bin/sh\n\
             # tokenctl as the demo runs it: the demo's executable (built with the\n\
             # tokenctl library, it runs tokenctl's main), with the playground's\n\
             # config and a token file under its state directory.\n\
             unset TOKENCTL_PROFILE TOKENCTL_CONFIG TOKENCTL_OUTPUT\n\
             export XDG_CONFIG_HOME={config} XDG_STATE_HOME={state} XDG_RUNTIME_DIR={runtime} TOKENCTL_STORE=file\n\
             {AS_TOKENCTL}=1 exec {exe} \"$@\"\n",
            config = quote(&dir.join("config")),
            state = quote(&dir.join("state")),
            runtime = quote(&dir.join("runtime")),
            exe = quote(&exe),
        );
        std::fs::write(&bin, script).expect("write bin/tokenctl");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755))
                .expect("chmod bin/tokenctl");
        }
        let kubeconfig = dir.join("kubeconfig");
        let kube_cache = dir.join("kube-cache");
        std::fs::write(
            dir.join("env"),
            format!(
                "# . this file: the demo's tokenctl first on PATH, kubectl on the playground cluster\nexport PATH={}:\"$PATH\" KUBECONFIG={} KUBECACHEDIR={}\n",
                quote(&dir.join("bin")),
                quote(&kubeconfig),
                quote(&dir.join("kube-cache"))
            ),
        )
        .expect("write env");
        Self {
            dir: dir.to_path_buf(),
            bin,
            kubeconfig,
            kube_cache,
        }
    }
}

/// Says a directory holds a playground an earlier run made.
const MARKER: &str = ".tokenctl-demo-playground";
/// What a run makes in the playground directory.
const MADE: [&str; 8] = [
    "bin",
    "config",
    "state",
    "runtime",
    "env",
    "kubeconfig",
    "kube-cache",
    MARKER,
];

/// `path` as one shell word.
fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

fn run(playground: &Playground, keep: bool) {
    say(
        "starting a fake Run:ai (3.0) and GBDS (4.7) token server, and a fake Kubernetes API over HTTPS",
    );
    // A tenant of today: the demo's logins find /api/v2/token.
    let fake = FakeServer::start_with(Config {
        access_token_lifetime_secs: 3600,
        runai_version: "3.0".to_string(),
        ..Config::default()
    });
    let kube = FakeKubeApi::start(fake.state());
    std::fs::write(&playground.kubeconfig, kube.kubeconfig("playground"))
        .expect("write the kubeconfig");
    let url = fake.url();
    let demo = Demo {
        bin: playground.bin.clone(),
        shown_one_token: std::cell::Cell::new(false),
    };
    say(&format!(
        "token server: {url}; Kubernetes API: {}; tokenctl's files: {}",
        kube.url(),
        playground.dir.display()
    ));
    blank();

    step("1. Log in with a user name and password (the password comes from stdin, never argv).");
    demo.run(
        &["login", "--server", &url, "-u", "alice", "--password-stdin"],
        Some("wonderland"),
        &[],
    );

    step("2. The access token, as `$(tokenctl token)` gives it to a script: a JWT.");
    demo.run(&["token"], None, &[]);
    step("   The same token as an HTTP header and as JSON (tokens shortened from here on).");
    demo.run(&["token", "-o", "header"], None, &[]);
    demo.run(&["token", "-o", "json"], None, &[]);

    let clusters = format!("{url}/api/v1/clusters");
    if found("curl") {
        step("3. Use it: the fake lists its clusters only for a valid bearer token.");
        demo.shell(&format!(
            "curl -sS -H \"$(tokenctl token -o header)\" {clusters}; echo"
        ));
    } else {
        step(
            "3. (curl not found: skipping `curl -H \"$(tokenctl token -o header)\" .../api/v1/clusters`)",
        );
        blank();
    }

    step("4. Renew it with the stored refresh token (the server rotates refresh tokens).");
    demo.run(&["refresh"], None, &[]);

    step(
        "5. A service account's access key in a profile of its own; the secret comes from the environment.",
    );
    demo.run(
        &[
            "--profile",
            "ci",
            "login",
            "--server",
            &url,
            "--access-key",
            "ci-bot",
            "--no-save-secret",
            "-o",
            "env",
            "--env-var",
            "RUNAI_TOKEN",
        ],
        None,
        &[("TOKENCTL_CLIENT_SECRET", "ci-bot-secret")],
    );

    step("6. Exchange an authorization code (as a browser login receives it) for tokens.");
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

    step("7. A GBDS server: its TOKEN renewal instead of refresh tokens.");
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

    let kubectl = found("kubectl");
    if kubectl {
        let kube_env = [
            (
                "KUBECONFIG",
                playground.kubeconfig.to_string_lossy().into_owned(),
            ),
            (
                "KUBECACHEDIR",
                playground.kube_cache.to_string_lossy().into_owned(),
            ),
        ];
        let kube_env: Vec<(&str, &str)> = kube_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        step(
            "8. kubectl: a kubeconfig user that runs tokenctl, then kubectl with the token it gives.",
        );
        demo.run(
            &[
                "kubeconfig",
                "--write",
                "--cluster",
                "playground",
                "--command",
                &playground.bin.to_string_lossy(),
            ],
            None,
            &kube_env,
        );
        demo.shell_with(
            "kubectl --context tokenctl-default@playground get pods",
            &kube_env,
        );
    } else {
        step(
            "8. (kubectl not found: skipping `tokenctl kubeconfig --write` and `kubectl get pods`)",
        );
        blank();
    }

    step("9. What is stored, per profile (never a token).");
    demo.run(&["status", "--all"], None, &[]);

    step("10. A wrong password: a readable error and exit code 3.");
    demo.run(
        &["login", "--password-stdin"],
        Some("not-the-password"),
        &[],
    );

    if !keep {
        step("11. Log out everywhere.");
        demo.run(&["logout", "--all"], None, &[]);
    }
    let counts = fake.counts();
    say(&format!(
        "the fake token server answered {} requests; the Kubernetes API let {} in and turned {} away",
        counts
            .iter()
            .filter(|(k, _)| k.contains(' '))
            .map(|(_, n)| n)
            .sum::<usize>(),
        kube.authorized(),
        kube.unauthorized()
    ));
    blank();

    if !keep {
        step("Try next:");
        say("the same, then the playground stays up for commands of your own (Ctrl-C stops it):");
        println!("cargo run --example demo -- --keep");
        say(
            "install tokenctl (into ~/.cargo/bin), then log in to your own Run:ai (GBDS: add --api gbds):",
        );
        println!(
            "cargo install --locked --path . && tokenctl login --server https://runai.example.com"
        );
        say("everything it does, with examples:");
        println!("man ./man/tokenctl.1");
        return;
    }
    step("Try next, in another terminal (the playground stays up until Ctrl-C here):");
    println!(
        ". {}    # tokenctl on PATH with the demo's profiles, KUBECONFIG on the playground",
        quote(&playground.dir.join("env"))
    );
    println!("curl -H \"$(tokenctl token -o header)\" {clusters}");
    if kubectl {
        println!("kubectl --context tokenctl-default@playground get pods");
    } else {
        println!("tokenctl status --all");
    }
    println!("tokenctl --profile gbds token -o json");
    say("Ctrl-C stops the playground; its files stay until the next --keep run.");
    let _ = std::io::stdout().flush();
    // Serve until the process is stopped.
    loop {
        std::thread::park();
    }
}

struct Demo {
    bin: PathBuf,
    /// One token is shown whole; the rest are shortened.
    shown_one_token: std::cell::Cell<bool>,
}

impl Demo {
    /// `tokenctl args...`, shown as typed, its stdout shown with tokens
    /// shortened; its stderr (messages) straight to the terminal.
    fn run(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) {
        let shown: Vec<String> = args.iter().map(|a| shell_word(a)).collect();
        let pipe = stdin.map(|_| "printf %s \"$PASSWORD\" | ").unwrap_or("");
        let envs: String = env
            .iter()
            .map(|(k, _)| format!("{k}=... "))
            .filter(|e| !e.starts_with("KUBE"))
            .collect();
        println!(
            "{}",
            paint("1", &format!("$ {envs}{pipe}tokenctl {}", shown.join(" ")))
        );
        let mut cmd = Command::new(&self.bin);
        cmd.args(args).envs(env.iter().copied());
        self.finish(cmd, stdin);
    }

    /// A shell command line with the playground's tokenctl first on PATH.
    fn shell(&self, line: &str) {
        self.shell_with(line, &[]);
    }

    fn shell_with(&self, line: &str, env: &[(&str, &str)]) {
        println!("{}", paint("1", &format!("$ {line}")));
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![self.bin.parent().unwrap().to_path_buf()];
        dirs.extend(std::env::split_paths(&path));
        let mut cmd = Command::new("sh");
        cmd.args(["-c", line])
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .envs(env.iter().copied());
        self.finish(cmd, None);
    }

    fn finish(&self, mut cmd: Command, stdin: Option<&str>) {
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped());
        let mut child = cmd.spawn().expect("run tokenctl");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().expect("wait for tokenctl");
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{}", self.shorten(&text));
        println!(
            "{}\n",
            paint("2", &format!("(exit {})", out.status.code().unwrap_or(-1)))
        );
    }

    /// `text` with every JWT after the first shown shortened to its first
    /// 16 characters and a `…`.
    fn shorten(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("eyJ") {
            out.push_str(&rest[..at]);
            let len = rest[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
                .unwrap_or(rest.len() - at);
            let token = &rest[at..at + len];
            if self.shown_one_token.replace(true) {
                out.push_str(&token[..token.len().min(16)]);
                out.push('…');
            } else {
                out.push_str(token);
            }
            rest = &rest[at + len..];
        }
        out.push_str(rest);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }
}

/// Whether `program` is on PATH.
fn found(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// A step's title.
fn step(text: &str) {
    println!("{}", paint("1;36", &format!("# {text}")));
}

/// What the demo is doing, between the commands.
fn say(text: &str) {
    println!("{}", paint("36", &format!("# {text}")));
}

fn blank() {
    println!();
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
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}
