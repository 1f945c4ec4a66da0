//! Shell integration generated from the clap definitions: completion
//! scripts, man pages, and profile names for dynamic completion.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_complete::engine::CompletionCandidate;

use crate::cli::{Cli, GenerateWhat};
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

/// (file name, contents) of every static completion script.
pub fn completions() -> Vec<(String, Vec<u8>)> {
    SHELLS
        .iter()
        .map(|&shell| {
            let mut cmd = Cli::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "tokenctl", &mut out);
            (clap_complete::Generator::file_name(&shell, "tokenctl"), out)
        })
        .collect()
}

/// (file name, contents) of `tokenctl.1` and one page per visible subcommand.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let source = format!("tokenctl {}", env!("CARGO_PKG_VERSION"));
    let mut pages = vec![root.clone()];
    pages.extend(root.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    pages
        .into_iter()
        .map(|cmd| {
            let man = clap_mangen::Man::new(cmd).source(source.clone());
            let mut out = Vec::new();
            man.render(&mut out)
                .expect("rendering into memory cannot fail");
            (man.get_filename(), out)
        })
        .collect()
}

pub fn files(what: GenerateWhat) -> Vec<(String, Vec<u8>)> {
    match what {
        GenerateWhat::Completions => completions(),
        GenerateWhat::Man => man_pages(),
    }
}

/// Writes the generated files into `dir`, creating it.
pub fn write(what: GenerateWhat, dir: &Path) -> Result<Vec<String>, Error> {
    let fail = |e: std::io::Error| {
        Error::usage(format!(
            "cannot write into {}: {e}; pass a writable --dir",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut names = Vec::new();
    for (name, contents) in files(what) {
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
