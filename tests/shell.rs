//! At home in the shell: generated completions and man pages stay fresh,
//! help is complete, bash completes subcommands and profile names, and
//! terminal decoration (colour, symbols, spinner) appears only on terminals.

mod common;

use std::path::Path;
#[cfg(unix)]
use std::time::Duration;

#[cfg(unix)]
use common::Fault;
use common::fixtures::Login;
#[cfg(unix)]
use common::pty::Pty;
use common::{Env, FakeServer, Output, Store};
use tokenctl::cli::{self, GenerateWhat};
use tokenctl::shell;

fn compare(dir: &str, generated: Vec<(String, Vec<u8>)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut stale = Vec::new();
    for (name, contents) in &generated {
        match std::fs::read(root.join(name)) {
            Ok(committed) if committed == *contents => {}
            Ok(_) => stale.push(format!("{dir}/{name} is out of date")),
            Err(_) => stale.push(format!("{dir}/{name} is missing")),
        }
    }
    // A page for a removed subcommand must go too.
    for entry in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{dir}/: {e}")) {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !generated.iter().any(|(g, _)| *g == name) {
            stale.push(format!("{dir}/{name} is no longer generated: delete it"));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nregenerate with: {}",
        stale.join("\n"),
        shell::REGENERATE
    );
}

#[test]
fn committed_completions_are_fresh() {
    let generated = cli::generated(GenerateWhat::Completions);
    let names: Vec<&str> = generated.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "tokenctl.bash",
            "_tokenctl",
            "tokenctl.fish",
            "_tokenctl.ps1",
            "tokenctl.elv"
        ]
    );
    compare("completions", generated);
}

#[test]
fn committed_man_pages_are_fresh() {
    let generated = cli::generated(GenerateWhat::Man);
    let names: Vec<&str> = generated.iter().map(|(n, _)| n.as_str()).collect();
    for want in ["tokenctl.1", "tokenctl-login.1", "tokenctl-doctor.1"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("generate")),
        "hidden commands get no page"
    );
    let root = String::from_utf8(generated[0].1.clone()).unwrap();
    assert!(
        root.contains("TOKENCTL_PROFILE"),
        "man pages name environment variables"
    );
    compare("man", generated);
}

/// docs/environment.md's tables are what src/env.rs and clap's options say.
#[test]
fn committed_environment_reference_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(shell::ENV_PAGE);
    let committed = std::fs::read_to_string(&path).expect("docs/environment.md");
    let fresh = cli::environment_page(Some(&committed)).unwrap();
    assert!(
        fresh == committed,
        "docs/environment.md is out of date\nregenerate with: {}",
        shell::REGENERATE
    );
    for var in tokenctl::env::all() {
        let listed = committed.contains(&format!("| `{}` |", var.name));
        let documented = !matches!(
            var.group,
            tokenctl::env::Group::Build | tokenctl::env::Group::Test
        );
        assert_eq!(listed, documented, "{}", var.name);
    }
}

/// `generate env` rewrites only the region between the markers of the page
/// in --dir, and writes a new page where there is none.
#[test]
fn generate_env_keeps_the_pages_own_text() {
    let env = Env::new(Store::File);
    let dir = env.path("docs");
    let dir_arg = dir.to_str().unwrap();
    env.ok(&["generate", "env", "--dir", dir_arg], "");
    let page = dir.join(shell::ENV_PAGE);
    let new = std::fs::read_to_string(&page).unwrap();
    assert_eq!(new.as_bytes(), cli::generated(GenerateWhat::Env)[0].1);
    assert!(new.starts_with("# Environment variables\n"), "{new}");

    let own = format!(
        "# Mine\n\nintro\n{}\nstale\n{}\noutro\n",
        shell::ENV_BEGIN,
        shell::ENV_END
    );
    std::fs::write(&page, &own).unwrap();
    env.ok(&["generate", "env", "--dir", dir_arg], "");
    let spliced = std::fs::read_to_string(&page).unwrap();
    assert!(
        spliced.starts_with("# Mine\n\nintro\n<!-- BEGIN"),
        "{spliced}"
    );
    assert!(
        spliced.ends_with("<!-- END environment variables -->\noutro\n"),
        "{spliced}"
    );
    assert!(!spliced.contains("stale") && spliced.contains("| `TOKENCTL_PROFILE` | `--profile` |"));

    // A page without the markers is refused and left as it was.
    std::fs::write(&page, "# Mine\n").unwrap();
    let out = env.run(&["generate", "env", "--dir", dir_arg], "");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("BEGIN environment variables"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&page).unwrap(), "# Mine\n");
}

#[test]
fn generate_writes_what_the_test_compares() {
    let env = Env::new(Store::File);
    let dir = env.path("out");
    let out = env.ok(
        &["generate", "completions", "--dir", dir.to_str().unwrap()],
        "",
    );
    assert_eq!(out.stdout, "", "stdout stays empty");
    for (name, contents) in cli::generated(GenerateWhat::Completions) {
        assert_eq!(std::fs::read(dir.join(&name)).unwrap(), contents, "{name}");
    }
    let help = env.ok(&["--help"], "").stdout;
    assert!(!help.contains("generate"), "the generator is hidden");
}

/// Options where an environment variable would be wrong or useless: reading
/// a secret from stdin is a per-call choice, `--all`/`--write` act on more
/// than asked when left set, and the rest are per-call details.
const NO_ENV: &[&str] = &[
    "verbose",
    "password_stdin",
    "external_token_stdin",
    "refresh_token_stdin",
    "code_stdin",
    "client_secret_stdin",
    "save_secret",
    "api_version",
    "all",
    "user",
    "cluster",
    "write",
    "command",
    "dir",
    "what",
    // Browser login: a mode chosen per run, and settings that are saved in
    // the profile; an env var would also trip clap's `requires` on every
    // password login.
    "browser",
    "remote_browser",
    "auth_url",
    "oidc_client_id",
    "scope",
    "callback_port",
    "browser_timeout",
    "no_open",
    "remote_redirect_uri",
    // Run:ai CLI config: the cluster is kept in config.json after the first
    // write; a variable for `exec --runai-config` would reach nested
    // commands, making them write the same directory.
    "cluster_uuid",
    "runai_config",
    // Access keys: a login mode chosen per run (an env var would switch
    // every `login` in that shell to it and trip the conflicts with the
    // password and external-token modes); the secret itself has
    // TOKENCTL_CLIENT_SECRET, so its file needs no variable of its own.
    "access_key",
    "secret_file",
    "no_save_secret",
];

#[test]
fn every_option_names_its_env_var_and_default_and_every_command_has_examples() {
    // Wide, so no `[env: ...]` is wrapped whatever the terminal running the tests.
    let mut cmd = cli::command().term_width(1000);
    cmd.build();
    let mut problems = Vec::new();
    let mut commands = vec![cmd.clone()];
    commands.extend(cmd.get_subcommands().cloned());
    for mut sub in commands {
        let name = sub.get_name().to_string();
        if name == "help" {
            continue;
        }
        let long = sub.render_long_help().to_string();
        let key = if name == "tokenctl" {
            ""
        } else {
            name.as_str()
        };
        if cli::examples(key).is_none() {
            problems.push(format!("`{name}`: no examples in cli::EXAMPLES"));
        }
        for arg in sub.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            let flag = arg
                .get_long()
                .map_or_else(|| format!("<{id}>"), |l| format!("--{l}"));
            let help = arg
                .get_long_help()
                .or(arg.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            // Flags get an implicit `false` default that help never shows:
            // only a default clap prints, or one written in the text, counts.
            let shows_default = (arg.get_action().takes_values()
                && !arg.is_hide_default_value_set()
                && !arg.get_default_values().is_empty())
                || help.contains("[default: ")
                || arg.is_required_set();
            if !shows_default {
                problems.push(format!(
                    "`{name} {flag}`: help says no default (add `[default: ...]`)"
                ));
            }
            if arg.get_env().is_none() && !NO_ENV.contains(&id) {
                problems.push(format!(
                    "`{name} {flag}`: no environment variable (add `env = \"TOKENCTL_...\"`, or list it in NO_ENV with a reason)"
                ));
            }
            if arg.get_env().is_some()
                && !long.contains(&format!(
                    "[env: {}",
                    arg.get_env().unwrap().to_string_lossy()
                ))
            {
                problems.push(format!("`{name} {flag}`: env var not shown in help"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[cfg(unix)]
fn bash(env: &Env, script: &str) -> Output {
    let out = Output::of(
        env.program("bash")
            .args(["--norc", "--noprofile", "-c", script])
            .env("TOKENCTL_BIN", assert_cmd::cargo::cargo_bin("tokenctl")),
    );
    assert_eq!(out.code, 0, "bash failed:\n{out}");
    out
}

#[cfg(unix)]
#[test]
fn bash_completes_subcommands_from_the_committed_script() {
    let env = Env::new(Store::File);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/tokenctl.bash");
    let out = bash(
        &env,
        &format!(
            r#"source '{}'
COMP_WORDS=(tokenctl lo); COMP_CWORD=1; COMP_LINE='tokenctl lo'; COMP_POINT=${{#COMP_LINE}}
_tokenctl tokenctl lo tokenctl
echo "${{COMPREPLY[*]}}""#,
            script.display()
        ),
    );
    assert_eq!(out.stdout.trim(), "login logout", "{out}");
}

#[cfg(unix)]
fn write_profiles(env: &Env) {
    let path = env.config_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        "[profiles.prod]\nserver = \"https://prod.example\"\napi = \"runai\"\n\n[profiles.staging]\nserver = \"https://staging.example\"\napi = \"runai\"\n\n[profiles.gbds]\nserver = \"http://127.0.0.1:9/gbds/v2\"\napi = \"gbds\"\n",
    )
    .unwrap();
}

#[cfg(unix)]
#[test]
fn bash_completes_profile_names_from_the_config() {
    let env = Env::new(Store::File);
    write_profiles(&env);
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| {
        bash(
            &env,
            &format!(
                r#"source <(TOKENCTL_COMPLETE=bash "$TOKENCTL_BIN")
COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_TYPE=9
_clap_complete_tokenctl tokenctl '{cur}' '{prev}'
printf '%s\n' "${{COMPREPLY[@]}}""#
            ),
        )
        .stdout
    };
    let all = complete("tokenctl token --profile ''", 3, "", "--profile");
    let mut names: Vec<&str> = all.lines().collect();
    names.sort();
    assert_eq!(names, ["gbds", "prod", "staging"], "{all}");
    let some = complete("tokenctl --profile st", 2, "st", "--profile");
    assert_eq!(some.trim(), "staging");
    // The dynamic script completes subcommands as well.
    let subs = complete("tokenctl lo", 1, "lo", "tokenctl");
    let mut subs: Vec<&str> = subs.lines().collect();
    subs.sort();
    assert_eq!(subs, ["login", "logout"]);
}

#[test]
fn completion_variable_is_tokenctls_own() {
    // An unrelated COMPLETE in a CI environment must not hijack tokenctl.
    let env = Env::new(Store::File);
    let mut cmd = env.cmd();
    cmd.env("COMPLETE", "1").args(["status", "--all"]);
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
}

#[cfg(unix)]
#[test]
fn colour_only_on_request_or_on_a_terminal() {
    let env = Env::new(Store::File);
    let plain = env.fails(&["token"], "", 3);
    assert!(plain.stderr.starts_with("error: "), "{plain}");
    assert!(!plain.stderr.contains('\x1b'), "no escapes into a pipe");
    let coloured = env.fails(&["--color", "always", "token"], "", 3);
    assert!(
        coloured.stderr.starts_with("\x1b[") && coloured.stderr.contains("error:"),
        "{coloured:?}",
        coloured = coloured.stderr
    );
    let mut cmd = env.cmd();
    cmd.env("TOKENCTL_COLOR", "never").args(["token"]);
    let never = Output::of(&mut cmd);
    assert!(!never.stderr.contains('\x1b'), "{never}");
}

/// Runs `tokenctl args` with a pseudo-terminal as stdin, stdout and stderr
/// (the one pty driver, an xterm), returning what the terminal showed.
#[cfg(unix)]
fn on_a_terminal(env: &Env, args: &[&str], extra_env: &[(&str, &str)]) -> String {
    let mut all_env = vec![("TERM", "xterm")];
    all_env.extend_from_slice(extra_env);
    let out = Pty::spawn(env, args, &all_env).finish();
    assert_eq!(out.code, 0, "{out}");
    out.stdout
}

#[cfg(unix)]
#[test]
fn spinner_and_symbols_on_a_terminal_only() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    fake.set_fault(Fault::Slow(Duration::from_millis(1500)), Some(1));
    let piped = env.ok(&["refresh"], "");
    assert!(
        !piped.stderr.contains('⠋') && !piped.stderr.contains('\r') && !piped.stderr.contains('✓'),
        "no spinner or symbols into a pipe: {piped:?}",
        piped = piped.stderr
    );
    fake.set_fault(Fault::Slow(Duration::from_millis(1500)), Some(1));
    let shown = on_a_terminal(&env, &["refresh"], &[]);
    assert!(
        shown.contains('⠋') && shown.contains(" refresh at http://127.0.0.1"),
        "spinner while waiting: {shown:?}"
    );
    assert!(
        shown.contains("\r\x1b[2K"),
        "spinner line cleared: {shown:?}"
    );
    assert!(shown.contains("✓"), "a ✓ on success: {shown:?}");
    assert!(
        shown.contains("\x1b[32m") || shown.contains("\x1b[1m"),
        "coloured: {shown:?}"
    );
    let plain = on_a_terminal(&env, &["refresh"], &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("✓") && !plain.contains("\x1b[1m"),
        "NO_COLOR: symbols, no colour: {plain:?}"
    );
    fake.set_fault(Fault::Slow(Duration::from_millis(1500)), Some(1));
    let quiet = on_a_terminal(&env, &["-q", "refresh"], &[]);
    assert_eq!(quiet, "", "-q: nothing on a terminal either");
}

#[test]
fn quiet_leaves_only_requested_output_and_errors() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = Login::runai(&fake.url()).global(&["-q"]).ok(&env);
    assert_eq!(out.stderr, "", "{out}");
    let out = env.ok(&["-q", "token"], "");
    assert!(out.stdout.len() > 20 && out.stderr.is_empty(), "{out}");
    let out = env.ok(&["-q", "refresh", "-o", "json"], "");
    assert!(
        out.stdout.contains("access_token") && out.stderr.is_empty(),
        "{out}"
    );
    let out = env.ok(&["-q", "logout"], "");
    assert_eq!(out.stderr, "", "{out}");
    let out = env.fails(&["-q", "token"], "", 3);
    assert!(
        out.stderr.starts_with("error: not logged in"),
        "errors still show: {out}"
    );
}

#[test]
fn verbose_gives_request_lines_with_timings() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let out = Login::runai(&fake.url()).global(&["-v"]).ok(&env);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("POST ") && l.contains("/api/v1/token"))
        .unwrap_or_else(|| panic!("a request line: {out}"));
    assert!(line.contains("-> 200 (") && line.contains(" ms"), "{line}");
    assert!(!out.stderr.contains("wonderland"));
}

/// Every visible subcommand's name, "" for tokenctl itself.
fn command_names() -> Vec<String> {
    let mut names = vec![String::new()];
    names.extend(
        cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_name().to_string()),
    );
    names
}

fn help(env: &Env, name: &str, flag: &str, columns: usize) -> String {
    let mut cmd = env.cmd();
    if !name.is_empty() {
        cmd.arg(name);
    }
    cmd.arg(flag).env("COLUMNS", columns.to_string());
    let out = Output::of(&mut cmd);
    assert_eq!(out.code, 0, "{out}");
    out.stdout
}

#[test]
fn help_lists_own_options_first_and_global_ones_under_their_heading() {
    let env = Env::new(Store::File);
    for (name, own, global) in [
        ("token", "--min-valid", "--profile"),
        ("login", "--password-stdin", "--show-refresh-token"),
        ("login", "--external-token-stdin", "--config"),
        ("doctor", "--kubectl", "--output"),
    ] {
        let text = help(&env, name, "--help", 100);
        let heading = text
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("`{name} --help` has no Global options heading:\n{text}"));
        let at = |flag: &str| {
            text.find(&format!(" {flag}"))
                .unwrap_or_else(|| panic!("`{name} --help` lacks {flag}"))
        };
        assert!(at(own) < heading, "`{name}`: {own} is the command's own");
        assert!(at(global) > heading, "`{name}`: {global} is global");
    }
}

#[test]
fn short_help_leaves_out_global_options_and_says_where_they_are() {
    let env = Env::new(Store::File);
    for name in command_names().iter().filter(|n| !n.is_empty()) {
        let short = help(&env, name, "-h", 100);
        let long = help(&env, name, "--help", 100);
        assert!(
            !short.contains("--profile") && !short.contains("Global options:"),
            "`{name} -h`:\n{short}"
        );
        assert!(
            short.contains("Global options and examples: --help"),
            "`{name} -h` points at --help:\n{short}"
        );
        assert!(
            short.lines().count() * 2 < long.lines().count(),
            "`{name} -h` is short"
        );
    }
    let login = help(&env, "login", "-h", 100);
    assert!(login.lines().count() < 80, "{login}");
}

#[test]
fn examples_stay_one_line_at_any_terminal_width() {
    let env = Env::new(Store::File);
    for name in command_names() {
        let examples = cli::examples(&name).expect("every command has examples");
        for columns in [40, 80, 200] {
            let text = help(&env, &name, "--help", columns);
            let lines: Vec<&str> = text.lines().collect();
            for example in examples.lines() {
                assert!(
                    lines.contains(&format!("  {example}").as_str()),
                    "`tokenctl {name} --help` at {columns} columns splits:\n  {example}\n---\n{text}"
                );
            }
        }
        // `help CMD` is the same long help.
        if !name.is_empty() {
            let out = env.ok(&["help", &name], "");
            assert!(out.stdout.contains("Examples:"), "{out}");
        }
    }
}

#[cfg(unix)]
fn man_available() {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("man").is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "this test renders the man pages with `man -l` (Debian packages man-db and groff-base); install them or run ./scripts/test.sh, which does"
    );
}

#[cfg(unix)]
#[test]
fn man_pages_render_with_whole_flags_and_examples() {
    man_available();
    let env = Env::new(Store::File);
    let root = cli::command();
    for (file, contents) in cli::generated(GenerateWhat::Man) {
        let path = env.path(&file);
        std::fs::write(&path, contents).unwrap();
        let name = file
            .trim_end_matches(".1")
            .trim_start_matches("tokenctl")
            .trim_start_matches('-')
            .to_string();
        let cmd = if name.is_empty() {
            root.clone()
        } else {
            root.find_subcommand(&name).unwrap().clone()
        };
        for width in ["40", "80"] {
            let mut man = env.program("man");
            man.args(["-l", path.to_str().unwrap()])
                .env("MANWIDTH", width)
                .env("LANG", "C.UTF-8")
                .env("MANPAGER", "cat")
                .env("PAGER", "cat");
            let out = Output::of(&mut man);
            assert_eq!(out.code, 0, "man -l {file}: {out}");
            let text = out.stdout;
            // A line that ends in a hyphen is a word (or flag) broken in two.
            let broken: Vec<&str> = text
                .lines()
                .filter(|l| {
                    let l = l.trim_end();
                    let Some(rest) = l.strip_suffix(['-', '\u{2010}']) else {
                        return false;
                    };
                    // `name - description` is a separator, not a split.
                    rest.chars().last().is_some_and(|c| !c.is_whitespace())
                })
                .collect();
            assert!(
                broken.is_empty(),
                "{file} at {width}: split across lines: {broken:?}"
            );
            let words: Vec<&str> = text
                .split(|c: char| c.is_whitespace() || "[]|,".contains(c))
                .collect();
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(long) = arg.get_long() {
                    let flag = format!("--{long}");
                    assert!(
                        words.contains(&flag.as_str()),
                        "{file} at {width}: {flag} is split:\n{text}"
                    );
                }
            }
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for example in cli::examples(&name).unwrap().lines() {
                assert!(
                    lines.contains(&example.trim()),
                    "{file} at {width}: example split or changed:\n  {example}\n---\n{text}"
                );
            }
        }
    }
}

/// docs/completion.md's man-page recipe, run as written against man-db.
#[cfg(unix)]
#[test]
fn readme_man_page_recipe_works_without_local_bin_on_path() {
    man_available();
    let env = Env::new(Store::File);
    let home = env.home.path();
    let cargo_man = home.join(".cargo/share/man/man1");
    let local_man = home.join(".local/share/man/man1");
    std::fs::create_dir_all(home.join(".cargo/bin")).unwrap();
    for dir in [&cargo_man, &local_man] {
        std::fs::create_dir_all(dir).unwrap();
    }
    for (name, contents) in cli::generated(GenerateWhat::Man) {
        std::fs::write(cargo_man.join(&name), &contents).unwrap();
    }
    let system_path = "/usr/local/bin:/usr/bin:/bin";
    let man_w = |path: &str, manpath: Option<&str>| {
        let mut cmd = env.program("man");
        cmd.env("PATH", path).args(["-w", "tokenctl-login"]);
        if let Some(m) = manpath {
            cmd.env("MANPATH", m);
        }
        Output::of(&mut cmd)
    };
    // Beside the cargo-installed binary: found whenever tokenctl is on PATH.
    let with_cargo = format!("{}:{system_path}", home.join(".cargo/bin").display());
    let out = man_w(&with_cargo, None);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout.trim(),
        cargo_man.join("tokenctl-login.1").to_str().unwrap()
    );
    // ~/.local/share/man alone is not searched without ~/.local/bin on PATH...
    std::fs::remove_dir_all(home.join(".cargo")).unwrap();
    for (name, contents) in cli::generated(GenerateWhat::Man) {
        std::fs::write(local_man.join(&name), &contents).unwrap();
    }
    assert_ne!(man_w(system_path, None).code, 0);
    // ...but is with the MANPATH docs/completion.md gives, which keeps the system pages.
    let manpath = format!("{}:", home.join(".local/share/man").display());
    let out = man_w(system_path, Some(&manpath));
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains(".local/share/man/man1/tokenctl-login.1"),
        "{out}"
    );
}
