//! Completion of `--profile` in the committed (static) scripts: bash, zsh
//! and fish offer the profile names of the user's config (the one `--config`
//! names on the line, else `$TOKENCTL_CONFIG`, else the default), never
//! file names, never more than the names. And bash completes after
//! `scripts/install.sh` on a machine without the bash-completion package:
//! the installer's one line in ~/.bashrc, which `--uninstall` takes back.
//! Real shells throughout (Debian's bash, zsh, fish); bash and zsh are
//! driven on a pseudo-terminal by TAB, as a person would.
// Unix only: Unix shells on a pseudo-terminal, the Linux tarball.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pty::Pty;
use common::{Env, Output, Store};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tokenctl() -> PathBuf {
    assert_cmd::cargo::cargo_bin("tokenctl")
}

/// PATH with the built tokenctl's directory first.
fn path_with_tokenctl() -> String {
    common::pty::path_with(tokenctl().parent().unwrap())
}

fn shell(name: &str) -> PathBuf {
    ["/usr/bin", "/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("these tests run a real {name}: install Debian's `{name}` package (./scripts/test.sh does)")
        })
}

const PROFILES: &str = "[profiles.prod]\nserver = \"https://prod.example\"\napi = \"runai\"\n\n[profiles.staging]\nserver = \"https://staging.example\"\napi = \"runai\"\n\n[profiles.gbds]\nserver = \"http://127.0.0.1:9/gbds/v2\"\napi = \"gbds\"\n";

/// A test home whose default config has prod, staging and gbds, another
/// config file (`other.toml`) with `elsewhere` only, and, in the working
/// directory, files whose names a file completion would offer.
fn setup() -> Env {
    let env = Env::new(Store::File);
    let path = env.config_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, PROFILES).unwrap();
    std::fs::write(
        env.path("other.toml"),
        "[profiles.elsewhere]\nserver = \"https://else.example\"\napi = \"runai\"\n",
    )
    .unwrap();
    for f in ["prod-notes.txt", "staging.log"] {
        std::fs::write(env.path(f), "").unwrap();
    }
    env
}

fn sorted(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    v.sort();
    v
}

/// What the committed bash script puts in COMPREPLY for `words`, the last
/// word being completed (bash splits `--config=x` at `=`, as here).
fn bash_complete(env: &Env, words: &[&str], extra: &[(&str, &str)]) -> Vec<String> {
    let script = root().join("completions/tokenctl.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let cur = words[cword];
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let mut cmd = env.program(shell("bash"));
    cmd.current_dir(env.home.path())
        .env("PATH", path_with_tokenctl())
        .env_remove("TOKENCTL_STORE")
        .args([
            "--norc",
            "--noprofile",
            "-c",
            &format!(
                "source '{}'\nCOMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}\n_tokenctl tokenctl '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display(),
                quoted.join(" "),
                words.join(" "),
            ),
        ]);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    sorted(&out.stdout)
}

#[test]
fn bash_script_completes_profile_names_from_the_config() {
    let env = setup();
    let all = bash_complete(&env, &["tokenctl", "--profile", ""], &[]);
    assert_eq!(all, ["gbds", "prod", "staging"], "not file names");
    let short = bash_complete(&env, &["tokenctl", "token", "-p", "st"], &[]);
    assert_eq!(short, ["staging"]);
    let after = bash_complete(&env, &["tokenctl", "login", "--profile", "pr"], &[]);
    assert_eq!(after, ["prod"]);

    // --config on the line, in both spellings, and with a leading ~/.
    let other = env.path("other.toml");
    let other = other.to_str().unwrap();
    for words in [
        vec!["tokenctl", "--config", other, "token", "--profile", ""],
        vec!["tokenctl", "--config", "=", other, "--profile", ""],
        vec!["tokenctl", "--config", "~/other.toml", "--profile", ""],
    ] {
        assert_eq!(bash_complete(&env, &words, &[]), ["elsewhere"], "{words:?}");
    }
    // $TOKENCTL_CONFIG, when the line names none.
    let from_env = bash_complete(
        &env,
        &["tokenctl", "--profile", ""],
        &[("TOKENCTL_CONFIG", other)],
    );
    assert_eq!(from_env, ["elsewhere"]);

    // No config, or one that cannot be read: nothing (not the files here).
    let none = bash_complete(
        &env,
        &["tokenctl", "--profile", ""],
        &[("TOKENCTL_CONFIG", "/nonexistent/config.toml")],
    );
    assert!(none.is_empty(), "{none:?}");
    std::fs::write(env.path("broken.toml"), "[profiles.x\nserver = ").unwrap();
    let broken = bash_complete(
        &env,
        &[
            "tokenctl",
            "--config",
            env.path("broken.toml").to_str().unwrap(),
            "--profile",
            "",
        ],
        &[],
    );
    assert!(broken.is_empty(), "{broken:?}");

    // The rest of the script is as before: subcommands, --store values.
    assert_eq!(
        bash_complete(&env, &["tokenctl", "lo"], &[]),
        ["login", "logout"]
    );
    assert_eq!(
        bash_complete(&env, &["tokenctl", "--store", "k"], &[]),
        ["kernel", "keychain"]
    );
}

/// The dynamic script (`source <(TOKENCTL_COMPLETE=bash tokenctl)`) reads
/// the config that `--config` names on the line too.
#[test]
fn dynamic_completion_honours_config_on_the_line() {
    let env = setup();
    let other = env.path("other.toml");
    let mut cmd = env.program(shell("bash"));
    cmd.current_dir(env.home.path())
        .env("PATH", path_with_tokenctl())
        .args([
            "--norc",
            "--noprofile",
            "-c",
            &format!(
                "source <(TOKENCTL_COMPLETE=bash tokenctl)\nCOMP_WORDS=(tokenctl --config '{0}' token --profile ''); COMP_CWORD=5; COMP_TYPE=9\n_clap_complete_tokenctl tokenctl '' --profile\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
                other.display()
            ),
        ]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(sorted(&out.stdout), ["elsewhere"], "{out}");
}

#[test]
fn profile_completion_shows_no_secret_and_no_control_characters() {
    let env = setup();
    // A password-like value and a terminal escape where a completion's
    // description comes from (the server URL), and a stored token.
    std::fs::write(
        env.config_path(),
        "[profiles.prod]\nserver = \"https://prod.example/\\u001b]0;pwned\\u0007\"\napi = \"runai\"\nusername = \"alice\"\n",
    )
    .unwrap();
    let fake_token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.c2VjcmV0";
    std::fs::create_dir_all(env.path("state/tokenctl/tokens")).unwrap();
    std::fs::write(env.path("state/tokenctl/tokens/prod.json"), fake_token).unwrap();
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_COMPLETE", "fish")
        .args(["--", "tokenctl", "--profile", ""]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    let mut names = out.stdout.lines();
    let prod = names.next().unwrap_or_default();
    assert!(prod.starts_with("prod\t"), "{out}");
    assert!(
        !out.stdout.contains('\x1b') && !out.stdout.contains('\x07'),
        "{:?}",
        out.stdout
    );
    assert!(
        !out.stdout.contains(fake_token) && !out.stdout.contains("alice"),
        "{out}"
    );
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs fish")]
fn fish_script_completes_profile_names_from_the_config() {
    let env = setup();
    let script = root().join("completions/tokenctl.fish");
    let complete = |line: &str, extra: &[(&str, &str)]| {
        let mut cmd = env.program(shell("fish"));
        cmd.current_dir(env.home.path())
            .env("PATH", path_with_tokenctl())
            .args([
                "--no-config",
                "-c",
                &format!("source '{}'; complete -C '{line}'", script.display()),
            ]);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = Output::of(&mut cmd);
        assert_eq!(out.code, 0, "{out}");
        let mut values: Vec<String> = out
            .stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect();
        values.sort();
        (values, out.stdout)
    };
    let (all, text) = complete("tokenctl --profile ", &[]);
    assert_eq!(all, ["gbds", "prod", "staging"], "{text}");
    assert!(
        text.contains("prod\thttps://prod.example"),
        "described: {text}"
    );
    let (some, _) = complete("tokenctl token -p st", &[]);
    assert_eq!(some, ["staging"]);
    let other = env.path("other.toml");
    let (other_names, _) = complete(
        &format!("tokenctl --config {} --profile ", other.display()),
        &[],
    );
    assert_eq!(other_names, ["elsewhere"]);
    let (from_env, _) = complete(
        "tokenctl --profile ",
        &[("TOKENCTL_CONFIG", other.to_str().unwrap())],
    );
    assert_eq!(from_env, ["elsewhere"]);
    let (none, text) = complete(
        "tokenctl --profile ",
        &[("TOKENCTL_CONFIG", "/nonexistent/config.toml")],
    );
    assert!(none.is_empty(), "no file names: {text}");
}

/// An interactive shell on a pseudo-terminal in `env`, tokenctl on PATH.
fn interactive(env: &Env, shell_path: &Path, args: &[&str], extra: &[(&str, &str)]) -> Pty {
    let path = path_with_tokenctl();
    let mut vars = vec![("TERM", "xterm"), ("PATH", path.as_str())];
    vars.extend_from_slice(extra);
    Pty::spawn_with(env, Some(shell_path), args, &vars, |cmd| {
        cmd.current_dir(env.home.path());
    })
}

#[test]
#[cfg_attr(not(windows), ignore = "full tier: needs zsh")]
fn zsh_script_completes_profile_names_on_tab() {
    let env = setup();
    let dir = root().join("completions");
    let zshrc = env.path("zdot/.zshrc");
    std::fs::create_dir_all(zshrc.parent().unwrap()).unwrap();
    std::fs::write(
        &zshrc,
        format!(
            "fpath=('{}' $fpath)\nautoload -U compinit\ncompinit -u -D\nPROMPT='zsh> '\n",
            dir.display()
        ),
    )
    .unwrap();
    let zdot = env.path("zdot");
    let mut term = interactive(
        &env,
        &shell("zsh"),
        &["-i"],
        &[("ZDOTDIR", zdot.to_str().unwrap())],
    );
    term.wait_for("zsh> ", 20);
    term.send(b"tokenctl --profile \t").unwrap();
    let screen = term.wait_for("staging", 20);
    let listed = &screen[screen.find("--profile").unwrap()..];
    for name in ["prod", "gbds", "staging"] {
        assert!(listed.contains(name), "{name} offered: {listed:?}");
    }
    assert!(
        !listed.contains("prod-notes.txt") && !listed.contains("staging.log"),
        "no file names: {listed:?}"
    );
    // One candidate left: TAB fills it in (tokenctl then runs with it).
    term.send(b"\x15tokenctl token -p gb\t").unwrap();
    std::thread::sleep(common::pty::TYPING_DELAY);
    term.send(b"\n").unwrap();
    term.wait_for("not logged in with profile `gbds`", 20);
    term.send(b"exit\n").unwrap();
    let _ = term.finish();
}

/// What a release directory holds (scripts/dist.sh output, made here from
/// the committed files): SHA256SUMS and the tarball for this machine, whose
/// `tokenctl` runs the built binary.
fn release(env: &Env) -> PathBuf {
    let version = env!("CARGO_PKG_VERSION");
    let target = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
    let name = format!("tokenctl-{version}-{target}");
    let dir = env.path("release");
    let stage = dir.join(&name);
    std::fs::create_dir_all(stage.join("completions")).unwrap();
    std::fs::create_dir_all(stage.join("man")).unwrap();
    let bin = stage.join("tokenctl");
    common::executable::write_executable(
        &bin,
        format!("#!/bin/sh\nexec '{}' \"$@\"\n", tokenctl().display()),
    );
    for f in ["tokenctl.bash", "_tokenctl", "tokenctl.fish"] {
        std::fs::copy(
            root().join("completions").join(f),
            stage.join("completions").join(f),
        )
        .unwrap();
    }
    std::fs::copy(root().join("man/tokenctl.1"), stage.join("man/tokenctl.1")).unwrap();
    let tarball = format!("{name}.tar.gz");
    let tar = Command::new("tar")
        .args(["-czf", &tarball, &name])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(&tarball)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sum.status.success());
    std::fs::write(dir.join("SHA256SUMS"), sum.stdout).unwrap();
    dir
}

/// scripts/install.sh with `args`, as the test user, HOME being theirs.
fn install(env: &Env, args: &[&str]) -> Output {
    let mut cmd = env.program("/bin/sh");
    cmd.arg(root().join("scripts/install.sh"))
        .args(args)
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env_remove("XDG_DATA_HOME");
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "install.sh {args:?}:\n{out}");
    out
}

/// The files whose presence means "bash-completion is installed" to
/// install.sh; this test is about a machine with none of them.
const BASH_COMPLETION: [&str; 6] = [
    "/usr/share/bash-completion/bash_completion",
    "/etc/bash_completion",
    "/usr/local/share/bash-completion/bash_completion",
    "/usr/local/etc/profile.d/bash_completion.sh",
    "/opt/homebrew/etc/profile.d/bash_completion.sh",
    "/opt/local/share/bash-completion/bash_completion",
];

#[test]
fn bash_completes_after_install_sh_without_the_bash_completion_package() {
    if let Some(found) = BASH_COMPLETION.iter().find(|p| Path::new(p).exists()) {
        panic!(
            "this test needs a machine without the bash-completion package, and {found} is there (`apt-get remove bash-completion`)"
        );
    }
    let env = setup();
    let release = release(&env);
    let from = release.to_str().unwrap();
    let bashrc = env.path(".bashrc");
    let before = "# the user's own\nalias ll='ls -l'\nPS1='bash> '";
    std::fs::write(&bashrc, before).unwrap();

    let out = install(&env, &["--from", from]);
    assert!(
        out.stderr
            .contains("so ~/.bashrc now loads tokenctl's completion")
            && out.stderr.contains("--no-bashrc"),
        "says what it did and how not to: {out}"
    );
    let rc = std::fs::read_to_string(&bashrc).unwrap();
    assert!(
        rc.starts_with(&format!("{before}\n")),
        "kept as it was: {rc:?}"
    );
    let added: Vec<&str> = rc.lines().skip(before.lines().count()).collect();
    assert_eq!(added.len(), 1, "one line: {rc:?}");
    assert!(
        added[0].contains(".local/share/bash-completion/completions/tokenctl'")
            && added[0].contains("# tokenctl completion"),
        "{rc}"
    );
    // Again: still one line.
    let again = install(&env, &["--from", from]);
    assert!(again.stderr.contains("already loads"), "{again}");
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), rc);

    // An interactive bash reads ~/.bashrc: TAB offers the profile names.
    let local_bin = env.path(".local/bin");
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", local_bin.display());
    let mut term = Pty::spawn_with(
        &env,
        Some(&shell("bash")),
        &["-i"],
        &[("TERM", "xterm"), ("PATH", &path)],
        |cmd| {
            cmd.env_remove("TOKENCTL_STORE")
                .current_dir(env.home.path());
        },
    );
    term.wait_for("bash> ", 20);
    term.send(b"tokenctl --profile \t\t").unwrap();
    let screen = term.wait_for("staging", 20);
    let listed = &screen[screen.find("--profile").unwrap()..];
    for name in ["prod", "gbds", "staging"] {
        assert!(listed.contains(name), "{name} offered: {listed:?}");
    }
    assert!(
        !listed.contains("prod-notes.txt"),
        "no file names: {listed:?}"
    );
    term.send(b"\x15exit\n").unwrap();
    let _ = term.finish();

    // --uninstall takes the line back and leaves the rest byte for byte.
    let out = install(&env, &["--uninstall"]);
    assert!(out.stderr.contains("from ~/.bashrc"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&bashrc).unwrap(),
        format!("{before}\n")
    );

    // --no-bashrc: the file is left alone; the line is shown instead.
    let out = install(&env, &["--from", from, "--no-bashrc"]);
    assert_eq!(
        std::fs::read_to_string(&bashrc).unwrap(),
        format!("{before}\n")
    );
    assert!(
        out.stderr.contains("add this line to ~/.bashrc") && out.stderr.contains(". '"),
        "{out}"
    );
    install(&env, &["--uninstall"]);

    // No ~/.bashrc: none is made.
    std::fs::remove_file(&bashrc).unwrap();
    let out = install(&env, &["--from", from]);
    assert!(!bashrc.exists(), "{out}");
    assert!(out.stderr.contains("add this line to ~/.bashrc"), "{out}");
}

/// With the bash-completion package, which loads the installed script by
/// itself, ~/.bashrc is left alone. The package is made present for
/// install.sh alone: a private mount namespace (unshare) with its main
/// script on a tmpfs over /usr/share/bash-completion.
#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs user namespaces (unshare --mount --map-root-user)"
)]
fn with_bash_completion_installed_bashrc_is_left_alone() {
    let env = setup();
    let release = release(&env);
    let bashrc = env.path(".bashrc");
    std::fs::write(&bashrc, "PS1='bash> '\n").unwrap();
    let script = format!(
        "mount -t tmpfs tmpfs /usr/share/bash-completion && : > /usr/share/bash-completion/bash_completion && exec /bin/sh '{}' --from '{}'",
        root().join("scripts/install.sh").display(),
        release.display()
    );
    let mut cmd = env.program("unshare");
    cmd.args(["--mount", "--map-root-user", "/bin/sh", "-c", &script])
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env_remove("XDG_DATA_HOME");
    let out = Output::of(&mut cmd);
    assert_eq!(
        out.code, 0,
        "install.sh in a mount namespace of its own (unshare --mount --map-root-user: util-linux, and user namespaces allowed):\n{out}"
    );
    assert!(out.stderr.contains("installed tokenctl"), "{out}");
    assert!(
        !out.stderr.contains("bashrc"),
        "nothing said about it: {out}"
    );
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), "PS1='bash> '\n");
    assert!(
        env.path(".local/share/bash-completion/completions/tokenctl")
            .is_file(),
        "where bash-completion looks for it"
    );
}
