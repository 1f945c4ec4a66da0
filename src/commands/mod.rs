//! One module per subcommand; the flow they share lives here.

mod app_token;
mod doctor;
mod exchange_code;
#[cfg(any(unix, windows))]
mod exec;
mod kubeconfig;
mod login;
mod logout;
mod refresh;
#[cfg(unix)]
mod runai_config;
mod sso_login;
mod status;
mod token;
mod version;

use anyhow::Result;

use std::time::Duration;

use crate::cli::{Cli, Command, GlobalArgs, ServerArgs};
use crate::config::{self, Config, KubeToken, Profile};
use crate::error::Error;
use crate::kube::{self, ExecInfo};
use crate::model::{ApiKind, StoreKind};
use crate::output::{self, OutputFormat, TokenView};
use crate::prompt;
use crate::repo::{TokenRepo, command_for, describe_expiry};
use crate::settings::Settings;
use crate::store::Store;
use crate::token::TokenSet;
use crate::ui;

/// The exit code of a command that did what it was asked.
pub const SUCCESS: i32 = crate::error::Exit::Ok as i32;

/// Runs one command. `Ok` holds the process's exit code: [`SUCCESS`], or
/// for `exec` its command's; `main` exits with it, the one place that does.
pub fn run(cli: Cli) -> Result<i32> {
    // What reaches stderr is the process's output, decided once for the
    // whole run and used by every layer that speaks: it stays process-wide
    // state of the binary (src/ui.rs). Settings for the layers below go
    // down as values (`Ctx::settings`).
    ui::set_level(cli.global.quiet, cli.global.verbose);
    ui::set_color(cli.global.color);
    // A usage error is found before the profile, the config or the store.
    if let Command::KubectlCredential(_) = cli.command
        && let Some(format) = cli
            .global
            .output
            .filter(|f| *f != OutputFormat::ExecCredential)
    {
        return Err(Error::usage(format!(
            "`kubectl-credential` prints a kubectl ExecCredential, so `-o {}` does not apply",
            format.name()
        ))
        .with_hint(format!(
            "drop -o (or pass -o exec-credential), or run `tokenctl token -o {}`",
            format.name()
        ))
        .into());
    }
    // These work without a loadable config: doctor reports a broken one.
    match cli.command {
        Command::Doctor(args) => return doctor::run(&cli.global, args).map(|()| SUCCESS),
        Command::Generate(args) => {
            let files = match args.what {
                crate::cli::GenerateWhat::Env => vec![environment_page(&args.dir)?],
                what => crate::cli::generated(what),
            };
            for name in crate::shell::write(files, &args.dir)? {
                ui::info(format!("wrote {}", crate::text::shown(args.dir.join(name))));
            }
            return Ok(SUCCESS);
        }
        Command::Version(args) => return version::run(&cli.global, args).map(|()| SUCCESS),
        _ => {}
    }
    let ctx = Ctx::new(cli.global)?;
    let done = match cli.command {
        Command::Login(args) => login::run(&ctx, args),
        Command::Refresh(args) => refresh::run(&ctx, args),
        Command::ExchangeCode(args) => exchange_code::run(&ctx, args),
        Command::AppToken(args) => app_token::run(&ctx, args),
        Command::Token(args) => token::run(&ctx, args, None),
        Command::KubectlCredential(args) => {
            token::run(&ctx, args, Some(OutputFormat::ExecCredential))
        }
        Command::Kubeconfig(args) => kubeconfig::run(&ctx, args),
        #[cfg(unix)]
        Command::RunaiConfig(args) => runai_config::run(&ctx, args),
        #[cfg(not(unix))]
        Command::RunaiConfig(_) => Err(Error::usage("`runai-config` needs a Unix system").into()),
        Command::Logout(args) => logout::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        // The command's exit code (on Unix 128 + the signal that ended it).
        #[cfg(any(unix, windows))]
        Command::Exec(args) => return exec::run(&ctx, args),
        #[cfg(not(any(unix, windows)))]
        Command::Exec(_) => Err(Error::usage("`exec` needs Unix or Windows").into()),
        Command::Doctor(_) | Command::Generate(_) | Command::Version(_) => {
            unreachable!("handled above")
        }
    };
    done.map(|()| SUCCESS)
}

/// The settings of this run for the layers below the commands, from the
/// global options.
pub fn settings(global: &GlobalArgs) -> Settings {
    Settings {
        connect_timeout: global.connect_timeout,
        request_timeout: global.timeout,
        keychain_timeout: global.keychain_timeout,
    }
}

/// What every command needs: the global flags and the loaded config.
pub struct Ctx {
    pub global: GlobalArgs,
    pub config: Config,
    /// Set when kubectl runs us as its credential plugin.
    pub exec_info: Option<ExecInfo>,
    /// Given to every store, repository and API client the command opens.
    pub settings: Settings,
}

impl Ctx {
    fn new(global: GlobalArgs) -> Result<Self, Error> {
        config::check_profile_name(&global.profile).map_err(Error::usage)?;
        let exec_info = ExecInfo::from_env()?;
        if exec_info
            .as_ref()
            .is_some_and(|i| i.interactive == Some(false))
        {
            prompt::forbid();
        }
        let config = Config::load(global.config.as_deref())?;
        Ok(Self {
            settings: settings(&global),
            global,
            config,
            exec_info,
        })
    }

    pub fn profile_name(&self) -> &str {
        &self.global.profile
    }

    /// `tokenctl [--profile X] REST` as the user would type it again.
    pub fn command(&self, rest: &str) -> String {
        command_for(self.profile_name(), rest)
    }

    /// The selected profile, which must exist.
    pub fn profile(&self) -> Result<&Profile, Error> {
        self.config.profile(self.profile_name()).ok_or_else(|| {
            Error::credentials(format!(
                "no profile `{}` in {}{}",
                self.profile_name(),
                crate::text::shown(&self.config.path),
                self.known_profiles_hint()
            ))
            .with_hint(format!(
                "run `{}` to create it",
                self.command("login --server URL")
            ))
        })
    }

    fn known_profiles_hint(&self) -> String {
        let names: Vec<&str> = self
            .config
            .file
            .profiles
            .keys()
            .map(String::as_str)
            .collect();
        if names.is_empty() {
            String::new()
        } else {
            format!(" (known profiles: {})", names.join(", "))
        }
    }

    /// The selected profile with `--server`/`--api`/`--allow-http` applied:
    /// a new profile when there is none.
    pub fn profile_for_update(&self, args: &ServerArgs) -> Result<Profile, Error> {
        let existing = self.config.profile(self.profile_name());
        let mut profile = match (existing, &args.server) {
            (Some(p), _) => p.clone(),
            (None, Some(server)) => {
                Profile::new(server.clone(), args.api.unwrap_or(ApiKind::Runai))
            }
            (None, None) => {
                return Err(Error::usage(format!(
                    "profile `{}` does not exist yet{}",
                    self.profile_name(),
                    self.known_profiles_hint()
                ))
                .with_hint(
                    "pass --server URL (and --api runai|runai-v1|runai-v2|runai-2.19|gbds) to create it",
                ));
            }
        };
        if let Some(server) = &args.server {
            profile.server = server.clone();
        }
        if let Some(api) = args.api {
            profile.api = api;
        }
        profile.allow_http |= args.allow_http;
        profile.legacy_endpoints |= args.legacy_endpoints;
        if let Some(ca) = &args.ca_file {
            // Absolute, so kubectl or cron running tokenctl elsewhere finds it.
            let ca = std::path::absolute(ca).map_err(|e| {
                Error::usage(format!(
                    "cannot resolve --ca-file {}: {e}",
                    crate::text::shown(ca)
                ))
            })?;
            profile.ca_file = Some(ca);
        }
        if let Some(store) = self.global.store.filter(|k| *k != StoreKind::Auto) {
            profile.store = Some(store);
        }
        Ok(profile)
    }

    /// The store of the selected profile ([`Ctx::store_kind_of`]).
    pub fn store_kind(&self, profile: &Profile) -> StoreKind {
        self.store_kind_of(self.profile_name(), profile)
    }

    /// An explicit `--store` (other than `auto`), else the store the
    /// profile logged in with; a profile in the config without one was
    /// written when the keychain was the default; a new profile: `auto`.
    pub fn store_kind_of(&self, name: &str, profile: &Profile) -> StoreKind {
        if let Some(kind) = self.global.store.filter(|k| *k != StoreKind::Auto) {
            return kind;
        }
        match profile.store.filter(|k| *k != StoreKind::Auto) {
            Some(kind) => kind,
            None if self.config.profile(name).is_some_and(|p| p.store.is_none()) => {
                StoreKind::Keychain
            }
            None => StoreKind::Auto,
        }
    }

    pub fn open_store(&self, profile: &Profile) -> Result<Store, Error> {
        Store::open(self.store_kind(profile), &self.settings)
    }

    /// The token repository of the selected profile, as `profile` describes it.
    pub fn repo(&self, profile: Profile, lock_wait: Duration) -> TokenRepo {
        let kind = self.store_kind(&profile);
        TokenRepo::new(
            self.profile_name(),
            profile,
            kind,
            &self.config.path,
            lock_wait,
            self.settings,
        )
    }

    /// The ExecCredential apiVersion: kubectl's word first, else `fallback`.
    pub fn exec_api_version(&self, fallback: &'static str) -> &'static str {
        self.exec_info
            .as_ref()
            .and_then(|i| i.api_version)
            .unwrap_or(fallback)
    }

    /// Prints tokens on stdout in `format`, or the `-o` format; nothing when neither.
    pub fn emit(
        &self,
        tokens: &TokenSet,
        format: Option<OutputFormat>,
        exec_api_version: &str,
    ) -> Result<()> {
        self.emit_kube(tokens, format, exec_api_version, KubeToken::Access)
    }

    /// [`Ctx::emit`], with the token an ExecCredential carries.
    pub fn emit_kube(
        &self,
        tokens: &TokenSet,
        format: Option<OutputFormat>,
        exec_api_version: &str,
        kube_token: KubeToken,
    ) -> Result<()> {
        if let Some(format) = format.or(self.global.output) {
            let view = TokenView {
                profile: self.profile_name(),
                env_var: &self.global.env_var,
                show_refresh_token: self.global.show_refresh_token,
                exec_api_version,
                kube_token,
            };
            output::print(&output::render_tokens(format, &view, tokens)?)?;
        }
        Ok(())
    }

    /// The end of every token-getting command: store the tokens through the
    /// repository, say what happened, print what was asked for.
    pub fn finish(
        &self,
        repo: &TokenRepo,
        tokens: &TokenSet,
        action: &str,
        who: Option<String>,
    ) -> Result<()> {
        repo.save_login(tokens)?;
        announce(self, repo, tokens, action, who)?;
        login::note_kernel_keyring(self.store_kind(repo.profile()), repo.store_kind());
        Ok(())
    }
}

/// Says what a command did with the tokens, then prints what `-o` asked for.
pub fn announce(
    ctx: &Ctx,
    repo: &TokenRepo,
    tokens: &TokenSet,
    action: &str,
    who: Option<String>,
) -> Result<()> {
    let who = who
        .map(|w| format!(" as {}", crate::text::shown(w)))
        .unwrap_or_default();
    ui::success(format!(
        "{action} {}{who} (profile `{}`, {}); {}",
        repo.profile().server,
        ctx.profile_name(),
        repo.store_kind(),
        describe_expiry(tokens)
    ));
    ctx.emit(tokens, None, ctx.exec_api_version(kube::V1))
}

/// How long a login waits for a renewal of the same profile to finish.
pub const STORE_LOCK_WAIT: Duration = Duration::from_secs(30);

pub use crate::repo::key_for;

/// `generate env`: DIR/environment.md with its tables generated anew and
/// the rest of the page as it was (a new page when there is none).
fn environment_page(dir: &std::path::Path) -> Result<(String, Vec<u8>), Error> {
    let path = dir.join(crate::shell::ENV_PAGE);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::usage(format!(
                "cannot read {}: {e}",
                crate::text::shown(&path)
            )));
        }
    };
    let page = crate::cli::environment_page(existing.as_deref()).map_err(|why| {
        Error::usage(format!(
            "cannot update {}: {why}",
            crate::text::shown(&path)
        ))
    })?;
    Ok((crate::shell::ENV_PAGE.to_string(), page.into_bytes()))
}

#[cfg(test)]
mod tests {
    /// Commands return their exit code to `main`, which alone exits; the
    /// others that end the process are the panic hook, and `exec`'s signal
    /// thread (Unix) and console handler (Windows) for a signal or console
    /// event that arrives before the command starts.
    #[test]
    fn only_main_ends_the_process() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src.clone()];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let rel = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let needle = ["process", "::exit("].concat();
                for _ in text.matches(&needle) {
                    found.push(rel.clone());
                }
            }
        }
        found.sort();
        assert_eq!(
            found,
            [
                "commands/exec/unix.rs",
                "commands/exec/windows.rs",
                "hygiene.rs",
                "main.rs",
                "main.rs"
            ],
            "exit codes go up to main"
        );
    }
}
