//! The command line, as clap types only. Behaviour lives in `commands`.

mod app_token;
mod doctor;
mod exchange_code;
mod exec;
pub mod fast;
mod generate;
mod global;
mod kubeconfig;
mod login;
mod logout;
mod refresh;
mod runai_config;
mod status;
mod token;
mod values;
mod version;

pub use app_token::{AppGrant, AppTokenArgs};
pub use doctor::DoctorArgs;
pub use exchange_code::ExchangeCodeArgs;
pub use exec::ExecArgs;
pub use generate::{GenerateArgs, GenerateWhat};
pub use global::GlobalArgs;
pub use kubeconfig::KubeconfigArgs;
pub use login::{LoginArgs, ServerArgs, SsoArgs};
pub use logout::LogoutArgs;
pub use refresh::{LockArgs, RefreshArgs};
pub use runai_config::RunaiConfigArgs;
pub use status::StatusArgs;
pub use token::TokenArgs;
pub use values::{
    ApiArg, ColorArg, ExecApiArg, KubeTokenArg, OutputArg, StoreArg, UrlParser, defaults,
};
pub use version::VersionArgs;

use std::io::IsTerminal;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::env::EnvVars;
use crate::output::OutputFormat;
use crate::ui::ColorWhen;

#[derive(Debug, Parser)]
#[command(
    name = "tokenctl",
    // What users type, not argv[0] (on Windows `tokenctl.exe`).
    bin_name = "tokenctl",
    version = version::VERSION_LINE,
    about = "Log in to Run:ai and GBDS token APIs, keep the tokens in the OS keychain, print them for shells and kubectl",
    after_help = ROOT_SHORT_AFTER,
    after_long_help = ROOT_LONG_AFTER,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with a user name and password, an access key or service account, an external token, or SSO in a browser, and store the tokens
    Login(LoginArgs),
    /// Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)
    Refresh(RefreshArgs),
    /// Exchange an authorization code from the identity provider for tokens
    ExchangeCode(ExchangeCodeArgs),
    /// Log in as a service account or access key with a client id and secret (the 2.19 client's app_token method; see also `login --access-key`)
    AppToken(AppTokenArgs),
    /// Print the access token, renewing it first when it is about to expire
    Token(TokenArgs),
    /// kubectl exec-credential plugin: `token -o exec-credential`
    KubectlCredential(TokenArgs),
    /// Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin
    Kubeconfig(KubeconfigArgs),
    /// Print (or --write) the Run:ai CLI's and Python SDK's config directory (config.json, authentication.json)
    #[command(after_long_help = RUNAI_CONFIG_NOTE)]
    RunaiConfig(RunaiConfigArgs),
    /// Delete stored tokens
    Logout(LogoutArgs),
    /// Show profiles, their servers and token expiry (never a token)
    Status(StatusArgs),
    /// Run a command with a fresh token in its environment and in a file kept fresh while it runs
    #[command(after_long_help = EXEC_NOTE, override_usage = "tokenctl exec [OPTIONS] [--] COMMAND [ARGS]...")]
    Exec(ExecArgs),
    /// Check the config, the token store, the server, the clock and kubectl; one line each with a fix
    #[command(after_long_help = DOCTOR_NOTE)]
    Doctor(DoctorArgs),
    /// Write completion scripts or man pages (for packagers; the copies in the repository come from here)
    #[command(hide = true)]
    Generate(GenerateArgs),
    /// Print the version, the commit, the target, the token stores compiled in and the build date (-o json for bug reports)
    Version(VersionArgs),
}

const ROOT_SHORT_AFTER: &str = "Global options and examples: --help; a command's own: tokenctl COMMAND --help.

Exit codes: 0 ok, 1 other failure, 2 usage or config, 3 credentials rejected or login needed, 4 server or network failure, 5 keychain or store failure.";

const ROOT_LONG_AFTER: &str = "Exit codes: 0 ok, 1 other failure, 2 usage or config, 3 credentials rejected or login needed, 4 server or network failure, 5 keychain or store failure.

Shell completion: source completions/tokenctl.bash, or `source <(TOKENCTL_COMPLETE=bash tokenctl)` to complete profile names too.";

const EXEC_NOTE: &str = "The command gets the access token in $TOKENCTL_TOKEN (--env-var) and the path of a 0600 file holding it in $TOKENCTL_TOKEN_FILE. tokenctl renews the token before --min-valid while the command runs and replaces the file atomically; the variable keeps the first token, so long jobs should re-read the file. INT, TERM and HUP are passed on to the command; tokenctl exits with its status (128+signal when a signal killed it; 127 when it cannot be found) and removes the file.";

const RUNAI_CONFIG_NOTE: &str = "The Run:ai CLI v2 and runapy (runai.cliv2_config_loader.CLIv2Config) read the access token from authentication.json and control_plane.url and cluster.uuid from config.json. --write replaces authentication.json and sets those two keys in config.json, keeping every other key. The token expires: `tokenctl exec --runai-config DIR -- COMMAND` keeps the directory fresh while COMMAND runs.";

const DOCTOR_NOTE: &str = "Each line is `ok`, `warn` (advice; does not fail) or `fail`. Exit 0 when nothing fails, 1 otherwise.";

/// Examples per subcommand ("" is tokenctl itself), one command per line.
/// They are printed verbatim after clap's help, never through clap's text
/// wrapping, which would split a command at the terminal's width and break
/// copy-paste.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "",
        "tokenctl login --server https://acme.run.ai --username alice
curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/org-unit/projects
tokenctl --profile prod kubeconfig --write --cluster prod-cluster
tokenctl status --all
tokenctl doctor",
    ),
    (
        "login",
        "tokenctl login --server https://acme.run.ai --username alice
printf %s \"$PASSWORD\" | tokenctl login --password-stdin
tokenctl --profile gbds login --api gbds --server http://10.0.0.5:8085/gbds/v2 --allow-http -u operator
idp-token | tokenctl login --external-token-stdin
tokenctl --profile ci login --server https://acme.run.ai --access-key ci-bot --secret-file ~/.runai-secret    # service account or access key
tokenctl --profile ci login --server https://acme.run.ai --external-token-from github-actions --audience runai
tokenctl --profile ci login --server https://acme.run.ai --external-token-from env:RUNAI_ID_TOKEN    # GitLab id_tokens
tokenctl login --server https://acme.run.ai --browser    # SSO: opens the login page
tokenctl login --remote-browser    # SSO over SSH: paste the code",
    ),
    (
        "refresh",
        "tokenctl refresh
tokenctl --profile prod refresh -o json",
    ),
    (
        "exchange-code",
        "tokenctl exchange-code --code \"$CODE\" --redirect-uri http://localhost:43121/callback
printf %s \"$CODE\" | tokenctl exchange-code --code-stdin --redirect-uri https://acme.run.ai/oauth-code",
    ),
    (
        "app-token",
        "printf %s \"$SECRET\" | tokenctl --profile ci app-token --server https://acme.run.ai --client-id ci-bot --client-secret-stdin -o token
tokenctl --profile old app-token --api runai-2.19 --legacy-endpoints --client-id ci-bot --app-name ci-bot --client-secret-stdin",
    ),
    (
        "token",
        "export TOKEN=$(tokenctl token)
curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/org-unit/projects
eval \"$(tokenctl token -o env --env-var RUNAI_TOKEN)\"
tokenctl token --min-valid 10m    # renew unless at least 10 minutes are left
tokenctl token --interactive    # on a terminal: log in again (password, browser) when renewal is impossible",
    ),
    (
        "kubectl-credential",
        "tokenctl --profile prod kubectl-credential    # kubectl runs this; see `tokenctl kubeconfig`
KUBERNETES_EXEC_INFO='{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}' tokenctl kubectl-credential",
    ),
    (
        "kubeconfig",
        "tokenctl --profile prod kubeconfig    # print a users: entry
tokenctl --profile prod kubeconfig --write --cluster prod-cluster
kubectl --user tokenctl-prod get pods",
    ),
    (
        "runai-config",
        "tokenctl runai-config    # print the config.json it would write
tokenctl runai-config --write    # ~/.runai, or $RUNAI_CLI_CONFIG_PATH
tokenctl --profile prod runai-config --write --dir ./runai --cluster-uuid 7b3e1f2a-9c4d-4e8f-a1b2-3c4d5e6f7a8b
tokenctl exec --runai-config ~/.runai -- jupyter lab    # kept fresh while it runs",
    ),
    (
        "logout",
        "tokenctl logout
tokenctl logout --all",
    ),
    (
        "status",
        "tokenctl status
tokenctl status --all -o json
tokenctl status --claims    # who the token says you are: user, groups, roles, audience",
    ),
    (
        "exec",
        "tokenctl exec -- python train.py    # reads $TOKENCTL_TOKEN_FILE for each request
tokenctl --profile prod exec --min-valid 5m -- ./long-job.sh
tokenctl exec --env-var RUNAI_TOKEN -- sh -c 'curl -H \"Authorization: Bearer $RUNAI_TOKEN\" https://acme.run.ai/api/v1/org-unit/projects'",
    ),
    (
        "doctor",
        "tokenctl doctor
tokenctl --profile prod doctor -o json
tokenctl doctor --all || echo 'see the fix on each failing line'",
    ),
    (
        "generate",
        "tokenctl generate completions --dir completions
tokenctl generate man --dir man",
    ),
    (
        "version",
        "tokenctl version
tokenctl version -o json    # for a bug report
tokenctl -v --version",
    ),
];

/// The examples of a subcommand ("" for tokenctl itself).
pub fn examples(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
}

/// The clap command, with what the derive cannot say: each subcommand's `-h`
/// points at `--help` for the global options and examples.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommands(|sub| {
        // Without an own long text, clap would repeat the `-h` hint in `--help`.
        let long = sub.get_after_long_help().cloned().unwrap_or_default();
        sub.after_help("Global options and examples: --help")
            .after_long_help(long)
    })
}

/// The completion scripts, man pages or environment page, as committed in
/// the repository (the environment page as a new one: see
/// [`environment_page`]).
pub fn generated(what: GenerateWhat) -> Vec<(String, Vec<u8>)> {
    match what {
        GenerateWhat::Completions => crate::shell::completions(&command()),
        // The plain version: the commit in `--version` would change every page on every commit.
        GenerateWhat::Man => {
            crate::shell::man_pages(&command().version(env!("CARGO_PKG_VERSION")), examples)
        }
        GenerateWhat::Env => {
            let page = environment_page(None).expect("a new page has no markers to miss");
            vec![(crate::shell::ENV_PAGE.to_string(), page.into_bytes())]
        }
    }
}

/// docs/environment.md with its generated tables replaced, the rest of
/// `existing` kept; `None`: a new page.
pub fn environment_page(existing: Option<&str>) -> Result<String, String> {
    crate::shell::environment_page(&command(), existing)
}

/// Parses the process's arguments. Help and version are printed here;
/// `Err` carries the exit code then (0 for help, 1 when it could not be
/// written, 2 for a usage error).
pub fn parse() -> Result<Cli, i32> {
    parse_from(std::env::args_os())
}

pub fn parse_from<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let err = match command().try_get_matches_from(&args).and_then(|m| {
        let mut cli = Cli::from_arg_matches(&m)?;
        if m.value_source("output") == Some(clap::parser::ValueSource::EnvVariable) {
            cli.global.output = cli
                .global
                .output
                .filter(|f| env_output_fits(&cli.command, *f));
        }
        Ok(cli)
    }) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    let when = color_when(&args);
    match err.kind() {
        clap::error::ErrorKind::DisplayHelp => {
            if let Some((path, long)) = help_request(&args) {
                return Err(print_help(&path, long, when));
            }
        }
        clap::error::ErrorKind::DisplayVersion if version::verbose_version(&args) => {
            return parse_from([args[0].clone(), "version".into()]);
        }
        _ => {}
    }
    Err(report(&err, when))
}

/// `--color` as the command line or `TOKENCTL_COLOR` gives it, read before
/// (or without) clap's parse: help and clap's errors follow it too. The
/// last `--color` before `--` wins; a value that is not one is `auto`.
fn color_when(args: &[std::ffi::OsString]) -> ColorWhen {
    let mut given = None;
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    while let Some(word) = words.next() {
        match word {
            Some("--") => break,
            Some("--color") => given = words.next().flatten(),
            Some(w) => {
                if let Some(v) = w.strip_prefix("--color=") {
                    given = Some(v);
                }
            }
            None => {}
        }
    }
    match given {
        Some(v) => ColorArg::from_str(v, false).map_or(ColorWhen::Auto, Into::into),
        None => env_color(),
    }
}

/// `TOKENCTL_COLOR`, `auto` when unset or not a value.
pub(crate) fn env_color() -> ColorWhen {
    std::env::var(EnvVars::TOKENCTL_COLOR)
        .ok()
        .and_then(|v| ColorArg::from_str(&v, false).ok())
        .map_or(ColorWhen::Auto, Into::into)
}

/// Whether text for `stream` gets colour: `always`, `never`, or with `auto`
/// when it is a terminal and neither NO_COLOR nor TERM=dumb says no.
fn colored(when: ColorWhen, stream: &impl IsTerminal) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => stream.is_terminal() && crate::ui::use_color_auto(true),
    }
}

/// Prints clap's version, help or usage error, as clap would but with
/// every value it quotes escaped and bounded (`text::shown`): clap strips
/// ESC from them at most, and only when not on a terminal. Returns the
/// exit code: a usage error 2; help or version 0, or 1 when stdout could
/// not be written.
fn report(err: &clap::Error, when: ColorWhen) -> i32 {
    let (stdout, code) = (!err.use_stderr(), err.exit_code());
    let color = if stdout {
        colored(when, &std::io::stdout())
    } else {
        colored(when, &std::io::stderr())
    };
    let text = shown_error(err, color);
    if stdout {
        return written(crate::output::print(&text), "the version");
    }
    let mut stderr = std::io::stderr().lock();
    let _ = std::io::Write::write_all(&mut stderr, text.as_bytes());
    code
}

/// clap's rendering of `err`: each value it names from the command line or
/// the environment replaced by its escaped, bounded form, then anything
/// unsafe that is left escaped (clap's own colours kept when `color`).
fn shown_error(err: &clap::Error, color: bool) -> String {
    use clap::error::ContextValue;
    let styled = err.render();
    let mut text = if color {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    let mut values: Vec<String> = Vec::new();
    for (_, value) in err.context() {
        match value {
            ContextValue::String(v) => values.push(v.clone()),
            ContextValue::Strings(vs) => values.extend(vs.iter().cloned()),
            _ => {}
        }
    }
    shown_values(&mut text, values);
    crate::text::shown_text(&text, color)
}

/// Replaces in `text` each of `values` that is not fit to show as it is by
/// its escaped, bounded form; true when any was.
fn shown_values(text: &mut String, mut values: Vec<String>) -> bool {
    // Longest first: a value inside another is replaced within it.
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let mut any = false;
    for value in values {
        let shown = crate::text::shown(&value);
        if shown != value {
            *text = text.replace(&value, &shown);
            any = true;
        }
    }
    any
}

/// The exit code of printing `what` on stdout: 0, or 1 with the reason on
/// stderr when it could not be written (a full disk), as for a token.
fn written(result: std::io::Result<()>, what: &str) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::ui::error(format!("cannot write {what} to stdout: {e}"));
            crate::error::Exit::Other as i32
        }
    }
}

/// Prints the help of the (sub)command at `path` on stdout, long or short,
/// coloured as `when` says; returns the exit code (0, or 1 when it could
/// not be written). A lone `--help`/`-h` comes straight here
/// (src/cli/fast.rs).
pub fn print_help(path: &[String], long: bool, when: ColorWhen) -> i32 {
    let color = colored(when, &std::io::stdout());
    written(
        crate::output::print(&render_help(path, long, None, color)),
        "the help",
    )
}

/// Whether `TOKENCTL_OUTPUT` applies to `command`. It is a default for
/// `token`; `status` and `doctor` take it when it is `json`. Everywhere else
/// (and for other formats) it is ignored: a variable set for `token` must
/// neither make `status` fail nor make `refresh` print a token. `-o` on the
/// command line always applies, and fails where it does not fit.
fn env_output_fits(command: &Command, format: OutputFormat) -> bool {
    match command {
        Command::Token(_) => true,
        Command::Status(_) | Command::Doctor(_) => format == OutputFormat::Json,
        _ => false,
    }
}

/// Which (sub)command's help was asked for, and whether long (`--help`,
/// `help CMD`) or short (`-h`). `None` when it cannot be told.
fn help_request(args: &[std::ffi::OsString]) -> Option<(Vec<String>, bool)> {
    let words: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let before_dashes = words.iter().take_while(|w| **w != "--");
    let long = before_dashes.clone().any(|w| *w == "--help");
    let short = before_dashes.clone().any(|w| *w == "-h");
    let root = command();
    if !long && !short {
        // `tokenctl help [COMMAND...]`: long help of the named command.
        let at = words.iter().position(|w| *w == "help")?;
        let path = subcommand_path(&root, words[at + 1..].iter().copied());
        return Some((path, true));
    }
    // Parse the rest leniently to learn which subcommand the flag belongs to.
    let rest = args
        .iter()
        .filter(|a| !matches!(a.to_str(), Some("-h" | "--help")));
    let matches = command()
        .ignore_errors(true)
        .try_get_matches_from(rest)
        .ok()?;
    let mut path = Vec::new();
    let mut m = &matches;
    while let Some((name, sub)) = m.subcommand() {
        path.push(name.to_string());
        m = sub;
    }
    Some((path, long))
}

fn subcommand_path<'a>(root: &clap::Command, words: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut path = Vec::new();
    let mut cmd = root;
    for w in words {
        match cmd.find_subcommand(w) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                cmd = sub;
            }
            None => break,
        }
    }
    path
}

/// Help for the subcommand at `path` (empty: tokenctl itself), as `--help`
/// (`long`) or `-h` shows it, at `width` columns (default: the terminal's).
/// Examples follow clap's text verbatim, one command per line.
pub fn render_help(path: &[String], long: bool, width: Option<usize>, color: bool) -> String {
    let mut root = command();
    if let Some(w) = width {
        root = root.term_width(w);
    }
    if !color {
        // Rendered without styles rather than rendered with them and
        // stripped again: the strip pass was a sixth of `--help`'s
        // instructions. A test pins that the text is the same.
        root = root.styles(clap::builder::Styles::plain());
    }
    // Help is the last thing the process does: freeing the command tree
    // afterwards was a tenth of `--help`'s instructions, so it is left to
    // the process's end.
    let root = Box::leak(Box::new(root));
    // The root's own help needs only the root built (clap builds what it
    // renders); building every subcommand too was a sixth of `--help`.
    if !path.is_empty() {
        root.build();
    }
    let mut cmd = root;
    for name in path {
        cmd = cmd
            .find_subcommand_mut(name)
            .expect("help_request names existing subcommands");
    }
    let styled = if long {
        cmd.render_long_help()
    } else {
        cmd.render_help()
    };
    let mut text = styled.ansi().to_string();
    // clap shows the value of each option's variable that is set
    // (`[env: TOKENCTL_PROFILE=...]`): from the environment, so shown as
    // every such value is. Only the few that are set are looked at.
    let env_values: Vec<String> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_env_values_set())
        .filter_map(|a| std::env::var_os(a.get_env()?))
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if shown_values(&mut text, env_values) {
        text = crate::text::shown_text(&text, color);
    }
    let name = path.last().map_or("", String::as_str);
    if long && let Some(examples) = examples(name) {
        let heading = if color {
            let s = anstyle::Style::new().bold().underline();
            format!("{s}Examples:{s:#}")
        } else {
            "Examples:".to_string()
        };
        text = text.trim_end().to_string();
        text.push_str(&format!("\n\n{heading}\n"));
        for line in examples.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    } else if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::ExecApiVersion;
    use crate::model::{ApiKind, StoreKind};

    /// Help rendered plain is the styled help with its styles stripped, for
    /// every command, long and short, at several widths.
    #[test]
    fn plain_help_is_the_stripped_styled_help() {
        let mut paths: Vec<Vec<String>> = vec![Vec::new()];
        for sub in command().get_subcommands() {
            paths.push(vec![sub.get_name().to_string()]);
        }
        let render = |path: &[String], long: bool, width: usize, plain: bool| {
            let mut root = command().term_width(width);
            if plain {
                root = root.styles(clap::builder::Styles::plain());
            }
            root.build();
            let mut cmd = &mut root;
            for name in path {
                cmd = cmd.find_subcommand_mut(name).unwrap();
            }
            let styled = if long {
                cmd.render_long_help()
            } else {
                cmd.render_help()
            };
            if plain {
                styled.ansi().to_string()
            } else {
                // Display strips the styles.
                styled.to_string()
            }
        };
        for path in &paths {
            for long in [false, true] {
                for width in [40, 80, 200] {
                    let stripped = render(path, long, width, false);
                    assert!(stripped.contains("Usage:"), "{path:?}");
                    assert_eq!(
                        render(path, long, width, true),
                        stripped,
                        "{path:?} long={long} width={width}"
                    );
                }
            }
        }
    }

    /// The root's help is the same whether or not the whole tree was built
    /// first (render_help builds it only for a subcommand's help).
    #[test]
    fn root_help_needs_no_built_tree() {
        for long in [false, true] {
            for width in [40, 80, 200] {
                let render = |built: bool| {
                    let mut root = command().term_width(width);
                    if built {
                        root.build();
                    }
                    let styled = if long {
                        root.render_long_help()
                    } else {
                        root.render_help()
                    };
                    styled.ansi().to_string()
                };
                let full = render(true);
                assert!(full.contains("kubectl-credential"));
                assert_eq!(render(false), full, "long={long} width={width}");
            }
        }
    }

    /// What `fast::help` relies on: a lone `--help`/`-h` makes clap's
    /// parse fail with DisplayHelp and names the root, so `parse_from`
    /// prints `print_help(&[], long)`, whatever the environment says.
    #[test]
    fn a_lone_help_flag_is_the_roots_help() {
        for (flag, long) in [("--help", true), ("-h", false)] {
            let args: Vec<std::ffi::OsString> = ["tokenctl", flag].map(Into::into).to_vec();
            let err = command().try_get_matches_from(&args).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{flag}");
            assert_eq!(help_request(&args), Some((Vec::new(), long)), "{flag}");
        }
    }

    /// The mirrors name each domain value as the domain does.
    #[test]
    fn mirrors_convert_to_the_same_names() {
        fn name(v: &impl ValueEnum) -> String {
            v.to_possible_value().unwrap().get_name().to_string()
        }
        for v in ApiArg::value_variants() {
            assert_eq!(ApiKind::from(*v).name(), name(v));
        }
        for v in StoreArg::value_variants() {
            assert_eq!(StoreKind::from(*v).to_string(), name(v));
        }
        for v in OutputArg::value_variants() {
            assert_eq!(OutputFormat::from(*v).name(), name(v));
        }
        let cli = Cli::try_parse_from([
            "tokenctl",
            "--color",
            "never",
            "token",
            "--api-version",
            "v1beta1",
        ])
        .unwrap();
        assert_eq!(cli.global.color, ColorWhen::Never);
        match cli.command {
            Command::Token(args) => assert_eq!(args.api_version, ExecApiVersion::V1beta1),
            other => panic!("{other:?}"),
        }
    }

    /// clap stays in the command-line layer: no other module names it.
    #[test]
    fn only_the_command_line_layer_uses_clap() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src.clone()];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // `/`-separated on every platform (Windows gives `\`).
                let rel = path
                    .strip_prefix(&src)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if rel.starts_with("cli/")
                    || matches!(rel.as_str(), "shell.rs" | "lib.rs" | "main.rs")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("clap::") || text.contains("use clap") {
                    offenders.push(rel);
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "clap outside cli/ and shell.rs: {offenders:?}"
        );
    }

    /// The keychain time limit of a run without a command line
    /// (`Settings::default`, a library's caller) is the option's default.
    #[test]
    fn option_defaults_agree_with_the_core() {
        assert_eq!(
            values::parse_duration(defaults::KEYCHAIN_TIMEOUT),
            Ok(crate::settings::DEFAULT_KEYCHAIN_TIMEOUT)
        );
    }

    #[test]
    fn codes_may_start_with_a_hyphen() {
        let cli = Cli::try_parse_from([
            "tokenctl",
            "exchange-code",
            "--code",
            "-82t6l4Tp",
            "--redirect-uri",
            "http://localhost:43121/callback",
        ])
        .unwrap();
        match cli.command {
            Command::ExchangeCode(args) => assert_eq!(args.code.as_deref(), Some("-82t6l4Tp")),
            other => panic!("{other:?}"),
        }
    }
}
