//! The hot path's own argument reader (src/cli/fast.rs) against clap: for
//! every argument list it accepts, clap must produce the very same `Cli`,
//! in every environment tried; what it declines goes to clap anyway.
//!
//! The parser test sets process environment variables, which clap reads;
//! the only other test here runs processes with an environment of their
//! own (std orders spawning and setting variables).

use std::collections::BTreeSet;
use std::ffi::OsString;

use tokenctl::cli::{self, fast as fastpath};

/// Words the argument lists are made of: everything the fast path reads,
/// near misses of it, and things only clap handles.
const WORDS: &[&str] = &[
    "token",
    "kubectl-credential",
    "status",
    "--all",
    "--claims",
    "--claims=true",
    "login",
    "--profile",
    "-p",
    "prod",
    "--profile=prod",
    "--profile=",
    "-pprod",
    "-o",
    "exec-credential",
    "json",
    "Json",
    "--output=token",
    "--store",
    "file",
    "--store=keychain",
    "--config",
    "/tmp/c.toml",
    "--min-valid",
    "5m",
    "--min-valid=bogus",
    "--lock-timeout=1s",
    "--api-version",
    "v1beta1",
    "client.authentication.k8s.io/v1",
    "--api-version=v2",
    "--kube-token",
    "id",
    "--kube-token=access",
    "--interactive",
    "--interactive=true",
    "--",
    "-v",
    "--help",
    "-x",
    "",
];

/// Environments: (variable, value) pairs set for a round.
const ENVS: &[&[(&str, &str)]] = &[
    &[],
    &[("TOKENCTL_STORE", "file")],
    &[("TOKENCTL_STORE", "keychain"), ("TOKENCTL_PROFILE", "envp")],
    &[("TOKENCTL_PROFILE", "envp"), ("TOKENCTL_CONFIG", "/e.toml")],
    &[("TOKENCTL_STORE", "bogus")],
    &[("TOKENCTL_STORE", "")],
    &[("TOKENCTL_PROFILE", "")],
    &[("TOKENCTL_PROFILE", "-dash")],
    &[("TOKENCTL_OUTPUT", "json")],
    &[("TOKENCTL_MIN_VALID", "5m")],
    &[("TOKENCTL_QUIET", "1")],
    &[("TOKENCTL_PASSWORD", "x"), ("KUBERNETES_EXEC_INFO", "{}")],
    &[("TOKENCTL_CLAIMS", "true")],
    // Other commands' variables, with values they would refuse.
    &[
        ("TOKENCTL_SERVER", "not a url"),
        ("TOKENCTL_GRANT", "bogus"),
    ],
];

fn argv(words: &[&str]) -> Vec<OsString> {
    std::iter::once("tokenctl")
        .chain(words.iter().copied())
        .map(OsString::from)
        .collect()
}

/// Both parsers on one list; true when the fast path accepted it.
fn compare(words: &[&str]) -> bool {
    let args = argv(words);
    let Some(fast) = fastpath::parse_from(&args, |n| std::env::var_os(n)) else {
        return false;
    };
    let slow = cli::parse_from(args.clone())
        .unwrap_or_else(|code| panic!("{words:?}: clap failed (exit {code}), fast path accepted"));
    assert_eq!(
        format!("{fast:?}"),
        format!("{slow:?}"),
        "{words:?} in {:?}",
        env_now()
    );
    true
}

fn env_now() -> Vec<(String, String)> {
    std::env::vars()
        .filter(|(k, _)| k.starts_with("TOKENCTL_"))
        .collect()
}

fn set_env(pairs: &[(&str, &str)]) {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("TOKENCTL_") || k == "KUBERNETES_EXEC_INFO" {
            // SAFETY: std's own lock orders this with the other test's spawns,
            // and nothing else in this binary reads the environment.
            unsafe { std::env::remove_var(k) };
        }
    }
    for (k, v) in pairs {
        // SAFETY: as above.
        unsafe { std::env::set_var(k, v) };
    }
}

#[test]
fn fast_path_gives_what_clap_gives() {
    // The variables the fast path knows are exactly those clap reads for
    // each command it reads, globals included.
    set_env(&[]);
    let root = cli::command();
    let names = |args: &mut dyn Iterator<Item = &clap::Arg>| -> BTreeSet<String> {
        args.filter_map(|a| a.get_env())
            .map(|e| e.to_string_lossy().into_owned())
            .collect()
    };
    let set = |v: &[&str]| -> BTreeSet<String> { v.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        names(&mut root.get_arguments().filter(|a| a.is_global_set())),
        set(&fastpath::GLOBAL_ENV),
        "update fastpath::GLOBAL_ENV"
    );
    for (name, own) in [
        ("token", &fastpath::TOKEN_ENV[..]),
        ("kubectl-credential", &fastpath::TOKEN_ENV[..]),
        ("status", &fastpath::STATUS_ENV[..]),
    ] {
        let sub = root.find_subcommand(name).expect(name);
        assert_eq!(
            names(&mut sub.get_arguments()),
            set(own),
            "{name}: update fastpath"
        );
    }

    // What kubeconfig writes and scripts type must take the fast path.
    for words in [
        &["kubectl-credential"][..],
        &["--profile", "prod", "kubectl-credential"],
        &[
            "--profile",
            "prod",
            "--config",
            "/tmp/c.toml",
            "kubectl-credential",
        ],
        &[
            "--profile",
            "prod",
            "kubectl-credential",
            "--kube-token",
            "id",
        ],
        &["token"],
        &["token", "-o", "exec-credential"],
        &["-p", "prod", "token", "--min-valid", "5m", "-o", "json"],
        &["--store", "file", "--profile", "prod", "token"],
        &["status"],
        &["-p", "prod", "status", "--all", "--claims", "-o", "json"],
    ] {
        set_env(&[]);
        assert!(compare(words), "{words:?} should take the fast path");
        set_env(&[("TOKENCTL_STORE", "file")]);
        assert!(compare(words), "{words:?} should take the fast path");
    }
    // Anything clap must see goes to clap.
    set_env(&[]);
    for words in [
        &["--help"][..],
        &["token", "--help"],
        &["token", "token"],
        &["status", "--all", "--all"],
        &["--all", "status"],
        &["token", "--all"],
        &["status", "--kube-token", "id"],
        &["--interactive", "token"],
        &["--min-valid", "5m", "token"],
        &["token", "--profile", "a", "--profile", "b"],
        &["token", "-o", "bogus"],
        &["token", "--min-valid", "soon"],
        &["token", "--", "x"],
        &[],
    ] {
        let args = argv(words);
        assert!(
            fastpath::parse_from(&args, |n| std::env::var_os(n)).is_none(),
            "{words:?} must go to clap"
        );
    }

    // Every list of up to three words, in every environment.
    let mut accepted = 0usize;
    let mut tried = 0usize;
    for env in ENVS {
        set_env(env);
        for a in WORDS {
            accepted += usize::from(compare(&[a]));
            for b in WORDS {
                accepted += usize::from(compare(&[a, b]));
                for c in WORDS {
                    accepted += usize::from(compare(&[a, b, c]));
                    tried += 1;
                }
            }
        }
    }
    // And longer ones from the words the fast path reads, in order.
    let long = [
        "--profile",
        "prod",
        "-o",
        "exec-credential",
        "kubectl-credential",
        "--kube-token",
        "id",
        "--api-version",
        "v1beta1",
        "--min-valid=5m",
        "--lock-timeout=1s",
        "--interactive",
        "--store=file",
        "--config",
        "/tmp/c.toml",
    ];
    for env in ENVS {
        set_env(env);
        for start in 0..long.len() {
            for end in start + 1..=long.len() {
                accepted += usize::from(compare(&long[start..end]));
                tried += 1;
            }
        }
    }
    // Four words from the ones that get furthest, in three environments.
    let near = [
        "kubectl-credential",
        "token",
        "-p",
        "prod",
        "--profile=prod",
        "-o",
        "json",
        "--store",
        "file",
        "--min-valid",
        "5m",
        "--kube-token=access",
        "--interactive",
        "status",
        "--claims",
        "-v",
    ];
    for env in &ENVS[..3] {
        set_env(env);
        for a in near {
            for b in near {
                for c in near {
                    for d in near {
                        accepted += usize::from(compare(&[a, b, c, d]));
                        tried += 1;
                    }
                }
            }
        }
    }
    set_env(&[]);
    assert!(tried > 500_000, "{tried}");
    // Not vacuous: a good share of the lists were compared with clap.
    assert!(accepted > 2_000, "only {accepted} lists took the fast path");
}

/// A lone `--help`/`-h` is answered without clap's parse; the same help
/// reached through clap (`help`, or `-h` after another option) must be
/// byte for byte the same, with the same exit code, whatever the
/// environment holds.
#[test]
fn lone_help_is_the_help_clap_prints() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tokenctl"))
            .args(args)
            .env_clear()
            .env("HOME", "/nonexistent")
            .env("TOKENCTL_STORE", "bogus")
            .env("TOKENCTL_PROFILE", "envp")
            .env("TOKENCTL_MIN_VALID", "soon")
            .output()
            .unwrap();
        (out.status.code(), out.stdout, out.stderr)
    };
    for (fast, slow) in [
        (&["--help"][..], &["help"][..]),
        (&["-h"], &["--profile", "default", "-h"]),
    ] {
        let (a, b) = (run(fast), run(slow));
        assert_eq!(a.0, Some(0), "{fast:?}");
        assert!(a.1.starts_with(b"Log in to Run:ai"), "{fast:?}");
        assert_eq!(a, b, "{fast:?} vs {slow:?}");
    }
}
