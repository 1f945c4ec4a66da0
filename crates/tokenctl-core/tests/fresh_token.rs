//! examples/fresh_token.rs against the fake server over loopback: the
//! library alone logs in, and the example, a separate process reading the
//! same config and store, prints a token the server renewed and accepts.
// Unix only: it builds the example with the host's cargo (which a test
// under Wine cannot start) and points the file store at a temporary HOME
// and XDG directories, which Windows does not read for them.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tokenctl_core::api::{Api, Grant};
use tokenctl_core::config::ServerUrl;
use tokenctl_core::model::{ApiKind, StoreKind};
use tokenctl_core::{Config, Profile, Secret, Settings, TokenRepo};
use tokenctl_fake_server::{Config as FakeConfig, FakeServer};

/// Builds the example (cargo builds examples for a plain `cargo test`, not
/// for `--test fresh_token`) and returns its path beside this test's.
fn example() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "tokenctl-core",
            "--example",
            "fresh_token",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo build --example fresh_token");
    assert!(status.success(), "building the example failed");
    let deps = std::env::current_exe().unwrap();
    let profile_dir = deps.parent().unwrap().parent().unwrap();
    let exe = profile_dir
        .join("examples")
        .join(format!("fresh_token{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.exists(), "no example at {}", exe.display());
    exe
}

fn run(exe: &Path, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .output()
        .expect("run the example")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "the example failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

// One test in this binary: it points HOME and the XDG directories of the
// whole process (and of the example it runs) at a temporary directory.
#[test]
fn the_example_prints_a_token_the_server_renewed() {
    let exe = example();
    let home = tempfile::tempdir().unwrap();
    for (var, dir) in [
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "run"),
    ] {
        let path = home.path().join(dir);
        std::fs::create_dir(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
        // SAFETY: the only test of this binary, and no thread of it has
        // started yet (the fake server starts below), so nothing reads the
        // environment while it changes.
        unsafe { std::env::set_var(var, &path) };
    }

    // A login through the library, as `tokenctl login --store file` does
    // it, of an hour-long token that has 30 s left: less than the example's
    // minute.
    let fake = FakeServer::start_with(FakeConfig {
        issued_secs_ago: 3570,
        ..FakeConfig::default()
    });
    fake.set_access_token_lifetime(30);
    let config_path = home.path().join("config/tokenctl/config.toml");
    let mut profile = Profile::new(ServerUrl::parse(&fake.url()).unwrap(), ApiKind::Runai);
    profile.store = Some(StoreKind::File);
    profile.username = Some("alice".into());
    let settings = Settings::default();
    let grant = Grant::Password {
        username: "alice".into(),
        password: Secret::new("wonderland"),
    };
    let login = Api::for_login(&profile, &settings)
        .unwrap()
        .request(&grant)
        .unwrap();
    let config = Config::load(Some(&config_path)).unwrap();
    assert!(config.profile("work").is_none());
    let repo = TokenRepo::new(
        "work",
        profile,
        StoreKind::File,
        &config_path,
        tokenctl_core::repo::DEFAULT_LOCK_WAIT,
        settings,
    );
    repo.save_login(&login).unwrap();
    assert_eq!(fake.count("grant:refresh_token"), 0);

    // The example renews (the server now issues hour-long tokens) and
    // prints the new access token, which the server accepts.
    fake.set_access_token_lifetime(3600);
    let config_arg = config_path.to_str().unwrap();
    let printed = stdout(&run(&exe, &["work", config_arg]));
    let token = printed.strip_suffix('\n').expect("one line");
    assert!(!token.contains('\n'), "{printed:?}");
    assert_ne!(token, login.access_token.expose(), "not renewed");
    assert!(
        fake.is_valid_access_token(token),
        "the server does not know {token:?}"
    );
    assert_eq!(fake.count("grant:refresh_token"), 1);

    // It was written back: the next run prints it again without a request.
    let again = stdout(&run(&exe, &["work", config_arg]));
    assert_eq!(again, printed);
    assert_eq!(fake.count("grant:refresh_token"), 1);
    let stored = Config::load(Some(&config_path)).unwrap();
    let reopened = TokenRepo::open(&stored, "work", Settings::default()).unwrap();
    assert_eq!(
        reopened.load().unwrap().unwrap().access_token.expose(),
        token
    );

    // A profile the config lacks: nothing on stdout, the library's error on
    // stderr, its exit code (credentials: 3).
    let out = run(&exe, &["nope", config_arg]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no profile `nope`") && err.contains("tokenctl --profile nope login"),
        "{err}"
    );
}
