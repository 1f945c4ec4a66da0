//! `tokenctl generate` (hidden; for packagers).

use std::path::PathBuf;

use clap::Args;
use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateWhat {
    /// bash, zsh, fish, PowerShell and elvish completion scripts
    Completions,
    /// tokenctl.1 and one page per subcommand
    Man,
    /// environment.md's table of environment variables (the page's other text is kept)
    Env,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to write
    #[arg(value_enum)]
    pub what: GenerateWhat,

    /// Directory to write into (created if missing) [default: none: required]
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
}
