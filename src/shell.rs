//! Shell integration generated from a clap command: completion scripts, man
//! pages, and profile names for dynamic completion. Takes the command as an
//! argument, so this module does not depend on `cli`.

use std::path::Path;

use clap_complete::Shell;
use clap_complete::engine::CompletionCandidate;

use crate::config::Config;
use crate::error::Error;

/// `TOKENCTL_COMPLETE=bash tokenctl` prints the dynamic completion script.
/// Not clap's generic `COMPLETE`: an unrelated variable of that name in
/// someone's CI must never change what `tokenctl token` does.
pub const COMPLETE_VAR: &str = "TOKENCTL_COMPLETE";

/// The command that refreshes the committed copies.
pub const REGENERATE: &str =
    "cargo run -- generate completions --dir completions && cargo run -- generate man --dir man";

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
        std::fs::write(dir.join(&name), contents).map_err(fail)?;
        names.push(name);
    }
    Ok(names)
}

/// Profile names from the config, for `--profile <TAB>`. Runs inside the
/// shell's completion: never prints, never fails, never touches a store.
pub fn profile_candidates() -> Vec<CompletionCandidate> {
    let path = std::env::var_os("TOKENCTL_CONFIG").map(std::path::PathBuf::from);
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
