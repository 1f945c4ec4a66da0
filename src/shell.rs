//! Shell integration generated from a clap command: completion scripts, man
//! pages, and profile names for dynamic completion. Takes the command as an
//! argument, so this module does not depend on `cli`.

use std::path::Path;

use clap_complete::Shell;
use clap_complete::engine::CompletionCandidate;

use crate::config::Config;
use crate::env::EnvVars;
use crate::error::Error;

/// The command that refreshes the committed copies.
pub const REGENERATE: &str = "cargo run -- generate completions --dir completions && cargo run -- generate man --dir man && cargo run -- generate env --dir docs";

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// (file name, contents) of every static completion script for `cmd`. In
/// the bash, zsh and fish scripts `--profile` completes the config's
/// profile names (see [`with_profile_names`]), not file names.
pub fn completions(cmd: &clap::Command) -> Vec<(String, Vec<u8>)> {
    let bin = cmd.get_name().to_string();
    SHELLS
        .iter()
        .map(|&shell| {
            let mut cmd = cmd.clone();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, &bin, &mut out);
            let script = String::from_utf8(out).expect("clap_complete writes UTF-8");
            let script = with_profile_names(shell, &script);
            (
                clap_complete::Generator::file_name(&shell, &bin),
                script.into_bytes(),
            )
        })
        .collect()
}

/// The static scripts know no profile names (they live in the user's
/// config), so their `--profile` value asks tokenctl's own completion
/// engine, the one `TOKENCTL_COMPLETE` drives, for `--profile ''`: one run
/// of the binary the user typed, which reads the config named by `--config`
/// on the line, else `$TOKENCTL_CONFIG`, else the default, and lists names
/// (nothing when there is no config). The generated text is pinned by
/// clap_complete's exact version; a change to it fails here, loudly.
fn with_profile_names(shell: Shell, script: &str) -> String {
    let edited = match shell {
        Shell::Bash => bash_profiles(script),
        Shell::Zsh => zsh_profiles(script),
        Shell::Fish => fish_profiles(script),
        _ => return script.to_string(),
    };
    assert_ne!(
        edited, script,
        "clap_complete's {shell} script changed shape: update shell::with_profile_names"
    );
    edited
}

const BASH_PROFILES: &str = r#"# Profile names for `--profile`, from tokenctl's completion engine: the
# config named by --config on the line, else $TOKENCTL_CONFIG, else the
# default one. Names only: never a file name, never a secret.
__tokenctl_profiles() {
    local i word config="" bin="${COMP_WORDS[0]}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        case "$word" in
            --config)
                word="${COMP_WORDS[i + 1]}"
                [[ $word == "=" ]] && word="${COMP_WORDS[i + 2]}"
                config="$word"
                ;;
            --config=*) config="${word#--config=}" ;;
        esac
    done
    [[ $bin == "~/"* ]] && bin="$HOME/${bin#"~/"}"
    (
        [[ -n $config ]] && export TOKENCTL_CONFIG="${config/#\~/$HOME}"
        TOKENCTL_COMPLETE=bash _CLAP_IFS=$'\n' _CLAP_COMPLETE_INDEX=2 \
            "$bin" -- "$bin" --profile "" 2>/dev/null
    )
}

"#;

fn bash_profiles(script: &str) -> String {
    let files = r#"COMPREPLY=($(compgen -f "${cur}"))"#;
    let names = r#"COMPREPLY=($(compgen -W "$(__tokenctl_profiles)" -- "${cur}"))
                    # No names: no file names either (the `-o default` fallback).
                    compopt +o default 2>/dev/null"#;
    let mut out = String::from(BASH_PROFILES);
    let mut after_profile = false;
    for line in script.lines() {
        if after_profile && line.trim() == files {
            out.push_str(&line.replace(files, names));
        } else {
            out.push_str(line);
        }
        out.push('\n');
        after_profile = matches!(line.trim(), "--profile)" | "-p)");
    }
    out
}

const ZSH_PROFILES: &str = r#"# Profile names for `--profile`, from tokenctl's completion engine: the
# config named by --config on the line, else $TOKENCTL_CONFIG, else the
# default one. Names only: never a file name, never a secret.
(( $+functions[_tokenctl_profiles] )) ||
_tokenctl_profiles() {
    local bin=${words[1]} config=${opt_args[--config]}
    local -a profiles
    if [[ -n $config ]]; then
        local -x TOKENCTL_CONFIG=${config/#\~/$HOME}
    fi
    profiles=("${(@f)$(TOKENCTL_COMPLETE=zsh _CLAP_IFS=$'\n' _CLAP_COMPLETE_INDEX=2 \
        ${~bin} -- $bin --profile '' 2>/dev/null)}")
    profiles=(${profiles:#})
    _describe -t profiles 'profile' profiles
}

"#;

fn zsh_profiles(script: &str) -> String {
    let mut out = String::new();
    for line in script.lines() {
        if line == r#"if [ "$funcstack[1]" = "_tokenctl" ]; then"# {
            out.push_str(ZSH_PROFILES);
        }
        if line.starts_with("'-p+[") || line.starts_with("'--profile=[") {
            out.push_str(&line.replace(":NAME:_default'", ":NAME:_tokenctl_profiles'"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

const FISH_PROFILES: &str = r#"# Profile names for `--profile`, from tokenctl's completion engine: the
# config named by --config on the line, else $TOKENCTL_CONFIG, else the
# default one. Names only: never a file name, never a secret.
function __tokenctl_profiles
    set -l words (commandline --current-process --tokenize --cut-at-cursor)
    set -l config
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case --config
                set i (math $i + 1)
                set config $words[$i]
            case '--config=*'
                set config (string replace -- --config= '' $words[$i])
        end
        set i (math $i + 1)
    end
    set -l bin $words[1]
    if test -n "$config"
        env TOKENCTL_CONFIG=(string replace -r -- '^~' $HOME $config) TOKENCTL_COMPLETE=fish $bin -- $bin --profile '' 2>/dev/null
    else
        env TOKENCTL_COMPLETE=fish $bin -- $bin --profile '' 2>/dev/null
    end
end

"#;

/// clap_complete's fish script decides "no subcommand yet" with argparse,
/// which fails while the last word is an option still waiting for its value
/// (`tokenctl --profile <TAB>`): then no value is completed, only files.
/// The words before that option decide instead.
const FISH_ARGPARSE: &str = "    argparse -s (__fish_tokenctl_global_optspecs) -- $cmd 2>/dev/null
    or return
";
const FISH_ARGPARSE_FIXED: &str =
    "    if not argparse -s (__fish_tokenctl_global_optspecs) -- $cmd 2>/dev/null
        # The last word may be an option waiting for its value.
        set -e cmd[-1]
        argparse -s (__fish_tokenctl_global_optspecs) -- $cmd 2>/dev/null
        or return
    end
";

fn fish_profiles(script: &str) -> String {
    assert!(
        script.contains(FISH_ARGPARSE),
        "clap_complete's fish script changed shape: update shell::fish_profiles"
    );
    let script = script.replace(FISH_ARGPARSE, FISH_ARGPARSE_FIXED);
    let mut out = String::from(FISH_PROFILES);
    for line in script.lines() {
        out.push_str(line);
        if line.contains(" -s p -l profile ") && line.ends_with(" -r") {
            out.push_str(" -f -a \"(__tokenctl_profiles)\"");
        }
        out.push('\n');
    }
    out
}

/// (file name, contents) of the root page and one page per visible
/// subcommand. `examples` gives a command's examples by subcommand name (""
/// for the root); they go into an EXAMPLES section, one command per line.
pub fn man_pages(
    root: &clap::Command,
    examples: impl Fn(&str) -> Option<&'static str>,
) -> Vec<(String, Vec<u8>)> {
    let mut root = root.clone().disable_help_subcommand(true);
    root.build();
    let source = format!("{} {}", root.get_name(), env!("CARGO_PKG_VERSION"));
    let mut pages = vec![(String::new(), root.clone())];
    pages.extend(
        root.get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| (s.get_name().to_string(), s.clone())),
    );
    pages
        .into_iter()
        .map(|(name, cmd)| man_page(cmd, &source, examples(&name)))
        .collect()
}

fn man_page(cmd: clap::Command, source: &str, examples: Option<&str>) -> (String, Vec<u8>) {
    // The `-h` hint ("... --help") means nothing in a man page.
    let cmd = cmd.after_help(None::<&str>);
    let man = clap_mangen::Man::new(cmd).source(source.to_string());
    let mut out = Vec::new();
    man.render(&mut out)
        .expect("rendering into memory cannot fail");
    let roff = String::from_utf8(out).expect("clap_mangen writes UTF-8");
    let mut page = String::new();
    let mut lines = roff.lines().peekable();
    while let Some(line) = lines.next() {
        // An EXTRA heading with no text under it.
        if line == ".SH EXTRA" && lines.peek().is_none_or(|next| next.starts_with(".SH ")) {
            continue;
        }
        if line == ".SH EXTRA" {
            page.push_str(".SH NOTES\n");
            continue;
        }
        if line == ".SH VERSION"
            && let Some(examples) = examples
        {
            page.push_str(&examples_section(examples));
        }
        page.push_str(line);
        page.push('\n');
        if line.starts_with(".TH ") {
            // Flags must come out whole: no hyphenation (`--al‐low-http`)
            // and no stretched spaces.
            page.push_str(".nh\n.ad l\n");
        }
    }
    (man.get_filename(), page.into_bytes())
}

/// An EXAMPLES section in no-fill mode: each example stays one line,
/// characters that roff would turn typographic are escaped so that a copy
/// from the rendered page runs in a shell.
fn examples_section(examples: &str) -> String {
    let mut out = String::from(".SH EXAMPLES\n.nf\n");
    for line in examples.lines() {
        let mut escaped = String::new();
        for c in line.chars() {
            match c {
                '\\' => escaped.push_str("\\e"),
                '-' => escaped.push_str("\\-"),
                '\'' => escaped.push_str("\\(aq"),
                '`' => escaped.push_str("\\(ga"),
                '^' => escaped.push_str("\\(ha"),
                '~' => escaped.push_str("\\(ti"),
                c => escaped.push(c),
            }
        }
        // `\&` keeps a leading `.` or `'` from being read as a request.
        out.push_str(&format!("\\&{escaped}\n"));
    }
    out.push_str(".fi\n");
    out
}

/// Generated files are not secret: they keep their mode and are written
/// through a link, as `fs::write` would, but never seen half written.
const GENERATED_WRITE: crate::atomic::How = crate::atomic::How {
    mode: crate::atomic::Mode::Keep,
    links: crate::atomic::Links::Follow,
    durable: false,
};

/// Writes generated files into `dir`, creating it; returns their names.
pub fn write(files: Vec<(String, Vec<u8>)>, dir: &Path) -> Result<Vec<String>, Error> {
    let fail = |e: std::io::Error| {
        Error::usage(format!(
            "cannot write into {}: {e}; pass a writable --dir",
            crate::text::shown(dir)
        ))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut names = Vec::new();
    for (name, contents) in files {
        crate::atomic::replace(&dir.join(&name), &contents, GENERATED_WRITE).map_err(fail)?;
        names.push(name);
    }
    Ok(names)
}

/// The page `generate env` writes: docs/environment.md.
pub const ENV_PAGE: &str = "environment.md";
/// The generated region of [`ENV_PAGE`]: the text between these lines is
/// replaced; everything around them is the page's own.
pub const ENV_BEGIN: &str = "<!-- BEGIN environment variables -->";
pub const ENV_END: &str = "<!-- END environment variables -->";

/// docs/environment.md with its table of every variable (crate::env)
/// generated anew, the text around the markers kept: `existing` is the
/// page as it is (`None`: a new page, with a short introduction).
pub fn environment_page(cmd: &clap::Command, existing: Option<&str>) -> Result<String, String> {
    let region = format!("{ENV_BEGIN}\n{}{ENV_END}", environment_tables(cmd));
    let Some(page) = existing else {
        return Ok(format!(
            "# Environment variables\n\nA flag given on the command line wins over its variable, and a variable\nover the profile's key in `config.toml`. Each option's variable is also\nshown in `tokenctl <command> --help`.\n\n{region}\n"
        ));
    };
    let (Some(begin), Some(end)) = (page.find(ENV_BEGIN), page.find(ENV_END)) else {
        return Err(format!(
            "it has no `{ENV_BEGIN}` and `{ENV_END}` lines; add them where the table goes"
        ));
    };
    if end < begin {
        return Err(format!("its `{ENV_END}` comes before `{ENV_BEGIN}`"));
    }
    Ok(format!(
        "{}{region}{}",
        &page[..begin],
        &page[end + ENV_END.len()..]
    ))
}

/// The tables between the markers: tokenctl's own variables with the
/// options that read them (from `cmd`), the installer's, then other
/// programs'. Build-time and test-only variables are CONTRIBUTING.md's.
fn environment_tables(cmd: &clap::Command) -> String {
    use crate::env::{Group, all};
    let cell = |text: String| text.replace('|', "\\|");
    let mut out = String::from(
        "<!-- Generated from src/env.rs by `tokenctl generate env --dir docs`: edit the doc lines there. -->\n",
    );
    for (group, heading, header) in [
        (
            Group::Own,
            "tokenctl's own",
            "| variable | option | what it does |\n| --- | --- | --- |",
        ),
        (
            Group::Installer,
            "Read by the installer",
            "| variable | what it does |\n| --- | --- |",
        ),
        (
            Group::Foreign,
            "Other programs' variables tokenctl reads",
            "| variable | what tokenctl does with it |\n| --- | --- |",
        ),
    ] {
        out.push_str(&format!("\n## {heading}\n\n{header}\n"));
        for var in all().iter().filter(|v| v.group == group) {
            let doc = cell(var.doc_text());
            if group == Group::Own {
                let options = options_reading(cmd, var.name);
                let options = if options.is_empty() {
                    "-".to_string()
                } else {
                    cell(options)
                };
                out.push_str(&format!("| `{}` | {options} | {doc} |\n", var.name));
            } else {
                out.push_str(&format!("| `{}` | {doc} |\n", var.name));
            }
        }
    }
    out.push('\n');
    out
}

/// The options whose value `name` gives: `` `--profile` `` for a global
/// one, `` `--min-valid` of `token`, `exec` `` for a subcommand's.
fn options_reading(cmd: &clap::Command, name: &str) -> String {
    let reads = |a: &&clap::Arg| a.get_env().is_some_and(|e| e == name);
    let flag = |a: &clap::Arg| match a.get_long() {
        Some(long) => format!("`--{long}`"),
        None => format!("`{}`", a.get_id()),
    };
    let mut parts: Vec<String> = cmd
        .get_arguments()
        .filter(reads)
        .filter(|a| a.is_global_set())
        .map(flag)
        .collect();
    // One entry per flag, naming every subcommand that has it.
    let mut by_flag: Vec<(String, Vec<&str>)> = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        for arg in sub
            .get_arguments()
            .filter(reads)
            .filter(|a| !a.is_global_set())
        {
            let f = flag(arg);
            match by_flag.iter_mut().find(|(g, _)| *g == f) {
                Some((_, subs)) => subs.push(sub.get_name()),
                None => by_flag.push((f, vec![sub.get_name()])),
            }
        }
    }
    for (f, subs) in by_flag {
        let subs: Vec<String> = subs.iter().map(|s| format!("`{s}`")).collect();
        parts.push(format!("{f} of {}", subs.join(", ")));
    }
    parts.join("; ")
}

/// Profile names from the config, for `--profile <TAB>`. Runs inside the
/// shell's completion: never prints, never fails, never touches a store.
/// The config is the one `--config` names on the line being completed,
/// else `$TOKENCTL_CONFIG`, else the default.
pub fn profile_candidates() -> Vec<CompletionCandidate> {
    let path = config_on_line(std::env::args_os())
        .or_else(|| std::env::var_os(EnvVars::TOKENCTL_CONFIG).filter(|v| !v.is_empty()))
        .map(std::path::PathBuf::from);
    let Ok(config) = Config::load(path.as_deref()) else {
        return Vec::new();
    };
    config
        .file
        .profiles
        .iter()
        .map(|(name, profile)| {
            let help = format!("{} ({})", profile.server, profile.api);
            CompletionCandidate::new(name).help(Some(crate::text::shown(help).into()))
        })
        .collect()
}

/// The last `--config FILE` or `--config=FILE` among the words the shell
/// passed after `--` (they come unexpanded: a leading `~/` is the home
/// directory).
fn config_on_line(args: impl Iterator<Item = std::ffi::OsString>) -> Option<std::ffi::OsString> {
    let words: Vec<std::ffi::OsString> = args.skip_while(|a| a != "--").skip(1).collect();
    let mut found = None;
    for (i, word) in words.iter().enumerate() {
        let text = word.to_string_lossy();
        if text == "--config" {
            found = words.get(i + 1).filter(|w| !w.is_empty()).cloned();
        } else if let Some(value) = text.strip_prefix("--config=") {
            found = Some(value.into());
        }
    }
    let found = found?;
    match (
        found.to_str().and_then(|f| f.strip_prefix("~/")),
        dirs::home_dir(),
    ) {
        (Some(rest), Some(home)) => Some(home.join(rest).into_os_string()),
        _ => Some(found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_on_the_line_is_the_last_one_after_the_separator() {
        let words = |w: &[&str]| {
            config_on_line(w.iter().map(std::ffi::OsString::from))
                .map(|c| c.to_string_lossy().into_owned())
        };
        assert_eq!(
            words(&["tokenctl", "--", "tokenctl", "--profile", ""]),
            None
        );
        assert_eq!(
            words(&["t", "--", "t", "--config", "/a.toml", "--profile", ""]).as_deref(),
            Some("/a.toml")
        );
        assert_eq!(
            words(&["t", "--", "t", "--config=/a", "--config", "/b", "-p", ""]).as_deref(),
            Some("/b")
        );
        // Before the separator: tokenctl's own arguments, not the line's.
        assert_eq!(words(&["t", "--config", "/x", "--", "t", "-p", ""]), None);
        // `--config` still waiting for its value names nothing.
        assert_eq!(words(&["t", "--", "t", "--config", ""]), None);
        let home = dirs::home_dir().unwrap();
        assert_eq!(
            words(&["t", "--", "t", "--config", "~/c.toml", "-p", ""]),
            Some(home.join("c.toml").to_string_lossy().into_owned())
        );
    }

    #[test]
    fn examples_escape_what_roff_would_change() {
        let text = examples_section(".x --a 'b' `c` \\d");
        assert_eq!(
            text,
            ".SH EXAMPLES\n.nf\n\\&.x \\-\\-a \\(aqb\\(aq \\(gac\\(ga \\ed\n.fi\n"
        );
    }
}
