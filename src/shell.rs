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

/// (file name, contents) of every static completion script for `cmd`.
pub fn completions(cmd: &clap::Command) -> Vec<(String, Vec<u8>)> {
    let bin = cmd.get_name().to_string();
    SHELLS
        .iter()
        .map(|&shell| {
            let mut cmd = cmd.clone();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, &bin, &mut out);
            (clap_complete::Generator::file_name(&shell, &bin), out)
        })
        .collect()
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
pub fn profile_candidates() -> Vec<CompletionCandidate> {
    let path = std::env::var_os(EnvVars::TOKENCTL_CONFIG).map(std::path::PathBuf::from);
    let Ok(config) = Config::load(path.as_deref()) else {
        return Vec::new();
    };
    config
        .file
        .profiles
        .iter()
        .map(|(name, profile)| {
            CompletionCandidate::new(name)
                .help(Some(format!("{} ({})", profile.server, profile.api).into()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_escape_what_roff_would_change() {
        let text = examples_section(".x --a 'b' `c` \\d");
        assert_eq!(
            text,
            ".SH EXAMPLES\n.nf\n\\&.x \\-\\-a \\(aqb\\(aq \\(gac\\(ga \\ed\n.fi\n"
        );
    }
}
