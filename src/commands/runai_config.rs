//! `tokenctl runai-config`: the Run:ai CLI v2's and runapy's configuration
//! directory, written from a profile; and its renewal under `exec`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Ctx;
use crate::api::{Api, Cluster, check_uuid};
use crate::cli::RunaiConfigArgs;
use crate::config::Profile;
use crate::env::EnvVars;
use crate::error::Error;
use crate::model::ApiKind;
use crate::output;
use crate::repo::{DEFAULT_MIN_VALID, describe_expiry};
use crate::runai_config::{AUTH_FILE, CONFIG_FILE, ConfigJson, RunaiDir, default_dir};
use crate::token::TokenSet;
use crate::ui;

/// Clusters named in the error that asks to pick one; the rest are counted.
const MAX_LISTED: usize = 20;

pub fn run(ctx: &Ctx, args: RunaiConfigArgs) -> Result<()> {
    if let Some(format) = ctx.global.output {
        return Err(Error::usage(format!(
            "`runai-config` prints the config.json it would write (or, with --write, nothing), so `-o {}` does not apply",
            format.name()
        ))
        .with_hint("drop -o")
        .into());
    }
    let profile = ctx.profile()?;
    check_api(profile)?;
    let path = dir_or_default(args.dir)?;
    if let Some(uuid) = &args.cluster_uuid {
        check_uuid(uuid).map_err(|e| Error::usage(format!("--cluster-uuid: {e}")))?;
    }
    let min_valid = args
        .min_valid
        .or(profile.min_valid.map(|d| d.0))
        .unwrap_or(DEFAULT_MIN_VALID);
    let repo = ctx.repo(profile.clone(), args.lock.lock_timeout);
    let fresh = || repo.fresh(min_valid, None);

    if !args.write {
        // Nothing is created or written; the server is asked only when the
        // cluster is not known otherwise.
        let (_, existing) = look(&path)?;
        let uuid = cluster_uuid(ctx, args.cluster_uuid.as_deref(), &existing, profile, fresh)?;
        output::print(&existing.merged(profile.server.as_str(), &uuid))?;
        ui::info(format!(
            "with --write: {} gets this, {} the profile's access token",
            crate::text::shown(path.join(CONFIG_FILE)),
            crate::text::shown(path.join(AUTH_FILE))
        ));
        return Ok(());
    }

    let tokens = fresh()?;
    // The cluster first, so a failure leaves no new directory behind.
    let (found, existing) = look(&path)?;
    let uuid = cluster_uuid(
        ctx,
        args.cluster_uuid.as_deref(),
        &existing,
        profile,
        || Ok(tokens.clone()),
    )?;
    let dir = found.map_or_else(|| RunaiDir::create(&path), Ok)?;
    dir.write(
        &existing,
        profile.server.as_str(),
        &uuid,
        &tokens.access_token,
    )?;
    ui::success(format!(
        "wrote {} and {} for profile `{}` (cluster {uuid}); {}",
        CONFIG_FILE,
        AUTH_FILE,
        ctx.profile_name(),
        describe_expiry(&tokens)
    ));
    ui::info(readers_hint(dir.path()));
    ui::info(format!(
        "the token is not renewed there by itself: `{}` keeps it fresh while COMMAND runs",
        ctx.command(&format!(
            "exec --runai-config {} -- COMMAND",
            crate::text::shown(dir.path())
        ))
    ));
    Ok(())
}

/// How the readers find the directory.
fn readers_hint(dir: &Path) -> String {
    let default = default_dir().and_then(|d| std::fs::canonicalize(d).ok());
    if default.as_deref() == Some(dir) {
        format!(
            "the Run:ai CLI and runapy's CLIv2Config read it there ({})",
            crate::text::shown(dir)
        )
    } else {
        format!(
            "point the Run:ai CLI there with `export {}={}`; runapy: CLIv2Config(\"{}\")",
            EnvVars::RUNAI_CLI_CONFIG_PATH,
            crate::text::shown(dir),
            crate::text::shown(dir)
        )
    }
}

/// The directory when it is there, and its `config.json` (an empty one
/// when either is missing).
fn look(path: &Path) -> Result<(Option<RunaiDir>, ConfigJson), Error> {
    let found = RunaiDir::open_existing(path)?;
    let existing = match &found {
        Some(dir) => dir.read_config()?,
        None => ConfigJson::default(),
    };
    Ok((found, existing))
}

fn check_api(profile: &Profile) -> Result<(), Error> {
    if profile.api == ApiKind::Gbds {
        return Err(Error::usage(
            "the Run:ai CLI's configuration needs a Run:ai profile; this one speaks GBDS",
        )
        .with_hint("pick a Run:ai profile with --profile"));
    }
    Ok(())
}

fn dir_or_default(dir: Option<PathBuf>) -> Result<PathBuf, Error> {
    match dir.filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => Ok(d),
        None => default_dir().ok_or_else(|| {
            Error::usage("cannot find the home directory for ~/.runai").with_hint("pass --dir DIR")
        }),
    }
}

/// The cluster `config.json` names: the flag; else the one it names for
/// this server already (the Run:ai CLI's choice, or an earlier run's); else
/// the only cluster the server lists for the token `tokens` gives.
fn cluster_uuid(
    ctx: &Ctx,
    flag: Option<&str>,
    existing: &ConfigJson,
    profile: &Profile,
    tokens: impl FnOnce() -> Result<TokenSet, Error>,
) -> Result<String, Error> {
    if let Some(uuid) = flag {
        return Ok(uuid.to_string());
    }
    let same_server = existing
        .control_plane_url()
        .is_some_and(|url| url.trim_end_matches('/') == profile.server.as_str());
    if same_server && let Some(uuid) = existing.cluster_uuid().filter(|u| check_uuid(u).is_ok()) {
        ui::verbose(format!("keeping cluster {uuid}, which config.json names"));
        return Ok(uuid);
    }
    let tokens = tokens()?;
    let clusters = Api::new(profile, &ctx.settings)?.clusters(&tokens.access_token)?;
    let pick = ctx.command("runai-config --write --cluster-uuid UUID");
    match clusters.as_slice() {
        [one] => {
            ui::verbose(format!("the server lists one cluster: {}", describe(one)));
            Ok(one.uuid.clone())
        }
        [] => Err(Error::usage(format!(
            "{} lists no cluster this identity may see, so config.json cannot name one",
            profile.server
        ))
        .with_hint(format!(
            "ask your Run:ai admin for the cluster's UUID, then run `{pick}`"
        ))),
        many => {
            let mut listed: Vec<String> = many.iter().take(MAX_LISTED).map(describe).collect();
            if many.len() > MAX_LISTED {
                listed.push(format!("and {} more", many.len() - MAX_LISTED));
            }
            Err(Error::usage(format!(
                "{} lists {} clusters: {}; tokenctl does not guess which one config.json should name",
                profile.server,
                many.len(),
                listed.join(", ")
            ))
            .with_hint(format!("pick one: `{pick}`")))
        }
    }
}

/// `name (uuid)`; both were cleaned when the list was read.
fn describe(cluster: &Cluster) -> String {
    match &cluster.name {
        Some(name) => format!("{name} ({})", cluster.uuid),
        None => cluster.uuid.clone(),
    }
}

/// `exec --runai-config DIR`: the directory, written at the start and its
/// token rewritten after each renewal.
pub(super) struct ExecRunaiConfig {
    dir: RunaiDir,
}

impl ExecRunaiConfig {
    /// Writes both files for `tokens` (the cluster as `runai-config` picks
    /// it, looked up once here), before the command starts.
    pub fn start(ctx: &Ctx, path: &Path, tokens: &TokenSet) -> Result<Self, Error> {
        let profile = ctx.profile()?;
        check_api(profile)?;
        let (found, existing) = look(path)?;
        let uuid =
            cluster_uuid(ctx, None, &existing, profile, || Ok(tokens.clone())).map_err(|e| {
                let once = format!(
                    "write the directory once with `{}`, which exec then keeps",
                    ctx.command(&format!(
                        "runai-config --write --dir {} --cluster-uuid UUID",
                        crate::text::shown(path)
                    ))
                );
                let hint = match e.hint() {
                    Some(h) => format!("{h}; or {once}"),
                    None => once,
                };
                e.with_hint(hint)
            })?;
        let dir = found.map_or_else(|| RunaiDir::create(path), Ok)?;
        dir.write(
            &existing,
            profile.server.as_str(),
            &uuid,
            &tokens.access_token,
        )?;
        ui::verbose(format!(
            "wrote the Run:ai CLI config in {} (cluster {uuid})",
            crate::text::shown(dir.path())
        ));
        Ok(Self { dir })
    }

    /// The directory, for `$RUNAI_CLI_CONFIG_PATH` in the command's environment.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// After a renewal: the new token into `authentication.json`. A failure
    /// is said and retried with the next renewal; the command goes on.
    pub fn renewed(&self, tokens: &TokenSet) {
        match self.dir.write_token(&tokens.access_token) {
            Ok(()) => ui::verbose(format!(
                "{} renewed: {}",
                crate::text::shown(self.dir.path().join(AUTH_FILE)),
                describe_expiry(tokens)
            )),
            Err(e) => ui::warn(format!("could not renew the Run:ai CLI config: {e}")),
        }
    }
}
