//! `tokenctl doctor`: checks the setup and reports one line per check with
//! a fix. Never sends a credential anywhere.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Result, anyhow};
use serde::Serialize;

use super::key_for;
use crate::api::{self, Api};
use crate::cli::{DoctorArgs, GlobalArgs};
use crate::config::{self, Config, Profile, StoreKind};
use crate::error::Error;
use crate::output::{self, OutputFormat};
use crate::repo::can_renew_silently;
use crate::store::{Backend, FileStore, Keychain, NotPrivate, Store, StoreKey, not_private};
use crate::token;
use crate::ui::{self, ColorWhen};

/// Beyond this, tokens look valid or expired at the wrong times.
pub const MAX_SKEW_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Advice; does not fail the run.
    Warn,
    Fail,
    /// Not checked because an earlier check failed.
    Skip,
}

#[derive(Debug, Serialize)]
pub struct Check {
    pub check: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub status: Status,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Default, Serialize)]
struct Report {
    ok: bool,
    checks: Vec<Check>,
}

impl Report {
    fn add(
        &mut self,
        check: &'static str,
        profile: Option<&str>,
        status: Status,
        detail: impl Into<String>,
        fix: Option<String>,
    ) {
        self.checks.push(Check {
            check,
            profile: profile.map(str::to_string),
            status,
            detail: one_line(&detail.into()),
            fix: fix.map(|f| one_line(&f)),
        });
    }
}

pub fn run(global: &GlobalArgs, args: DoctorArgs) -> Result<()> {
    if !matches!(global.output, None | Some(OutputFormat::Json)) {
        return Err(Error::usage("`doctor` prints text or `-o json`").into());
    }
    let mut report = Report::default();
    let config = check_config(global, args.all, &mut report);
    let kubectl = check_kubectl(&args.kubectl, &mut report);
    if let Some((config, names)) = &config {
        for name in names {
            let profile = config.profile(name).expect("checked to exist");
            check_profile(global, name, profile, &mut report);
            if let Some(users) = &kubectl {
                check_kubeconfig(name, users, &mut report);
            }
        }
    }
    let failed = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .count();
    report.ok = failed == 0;
    let text = match global.output {
        Some(_) => {
            let mut text = serde_json::to_string_pretty(&report).expect("json serializes");
            text.push('\n');
            text
        }
        None => render_text(&report.checks, global.color),
    };
    output::print(&text)?;
    if failed == 0 {
        ui::success(format!("all {} checks passed", report.checks.len()));
        Ok(())
    } else {
        // Exit 1: the documented "something failed" code, not a typed one.
        Err(anyhow!(
            "{failed} of {} checks failed; see the fix on each `fail` line",
            report.checks.len()
        ))
    }
}

/// Error messages can span lines (TOML shows the offending line): one line
/// per check, so drop the source excerpt and join the rest.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l
                    .split_once(" |")
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_config(
    global: &GlobalArgs,
    all: bool,
    report: &mut Report,
) -> Option<(Config, Vec<String>)> {
    if let Err(why) = config::check_profile_name(&global.profile) {
        report.add(
            "config",
            None,
            Status::Fail,
            why,
            Some("pass a plain name with --profile (or TOKENCTL_PROFILE)".into()),
        );
        return None;
    }
    let config = match Config::load(global.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            // The message ends with its own "fix ..." line: that is the fix.
            let text = e.to_string();
            let (detail, fix) = match text.rsplit_once('\n') {
                Some((detail, fix)) if fix.starts_with("fix ") => (detail.to_string(), fix.to_string()),
                _ => (
                    text.clone(),
                    "correct the file (README: Configuration reference), or point --config elsewhere".to_string(),
                ),
            };
            report.add("config", None, Status::Fail, detail, Some(fix));
            return None;
        }
    };
    let path = config.path.display().to_string();
    let names: Vec<String> = if all {
        config.file.profiles.keys().cloned().collect()
    } else {
        vec![global.profile.clone()]
    };
    if config.file.profiles.is_empty() {
        report.add(
            "config",
            None,
            Status::Fail,
            format!("{path} has no profiles (or does not exist)"),
            Some("run `tokenctl login --server URL` to create one".into()),
        );
        return None;
    }
    if let Some(missing) = names.iter().find(|n| config.profile(n).is_none()) {
        let known: Vec<&str> = config.file.profiles.keys().map(String::as_str).collect();
        report.add(
            "config",
            None,
            Status::Fail,
            format!(
                "{path} has no profile `{missing}` (known: {})",
                known.join(", ")
            ),
            Some(format!(
                "pass --profile NAME, or run `tokenctl --profile {missing} login --server URL` to create it"
            )),
        );
        return None;
    }
    report.add(
        "config",
        None,
        Status::Ok,
        format!("{path} parses: {} profile(s)", config.file.profiles.len()),
        None,
    );
    Some((config, names))
}

fn check_profile(global: &GlobalArgs, name: &str, profile: &Profile, report: &mut Report) {
    let p = Some(name);
    let key = key_for(name, profile);
    let kind = global
        .store
        .or(profile.store)
        .unwrap_or(StoreKind::Keychain);
    let store_ok = match kind {
        StoreKind::Keychain => check_keychain(name, &key, report),
        StoreKind::File => check_file_store(name, &key, report),
    };
    if store_ok {
        check_login(name, profile, kind, &key, report);
    } else {
        report.add(
            "login",
            p,
            Status::Skip,
            "not checked: the token store is unusable",
            None,
        );
    }
    check_server(name, profile, report);
}

fn keychain_fix() -> String {
    if cfg!(target_os = "linux") {
        "on a desktop, log in graphically so the keyring starts unlocked; over SSH, in WSL or a container run `dbus-run-session -- $SHELL`, then `printf %s \"$KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock --components=secrets`; or use the file store: --store file (TOKENCTL_STORE=file)".into()
    } else {
        "unlock the keychain (log in to the desktop session), or use the file store: --store file (TOKENCTL_STORE=file)".into()
    }
}

fn check_keychain(name: &str, key: &StoreKey, report: &mut Report) -> bool {
    let p = Some(name);
    let keychain = match Keychain::open() {
        Ok(k) => k,
        Err(e) => {
            report.add(
                "keychain",
                p,
                Status::Fail,
                e.to_string(),
                Some(keychain_fix()),
            );
            return false;
        }
    };
    match keychain.read(key) {
        Ok(Some(_)) => {
            report.add(
                "keychain",
                p,
                Status::Ok,
                "reachable and unlocked: the profile's entry is readable",
                None,
            );
            true
        }
        Ok(None) => {
            report.add(
                "keychain",
                p,
                Status::Ok,
                "reachable: no entry stored for this profile yet",
                None,
            );
            true
        }
        Err(e) => {
            report.add(
                "keychain",
                p,
                Status::Fail,
                e.to_string(),
                Some(keychain_fix()),
            );
            false
        }
    }
}

fn check_file_store(name: &str, key: &StoreKey, report: &mut Report) -> bool {
    let p = Some(name);
    let store = match FileStore::open_default() {
        Ok(s) => s,
        Err(e) => {
            report.add(
                "file store",
                p,
                Status::Fail,
                e.to_string(),
                Some("set XDG_STATE_HOME or HOME".into()),
            );
            return false;
        }
    };
    let dir = store.dir().to_path_buf();
    let file = store.path(key);
    if !dir.exists() {
        report.add(
            "file store",
            p,
            Status::Ok,
            format!(
                "{} does not exist yet; the first login creates it with mode 0700",
                dir.display()
            ),
            None,
        );
        return true;
    }
    if let Some((why, fix)) = private_problem(&dir, 0o700) {
        report.add("file store", p, Status::Fail, why, Some(fix));
        return false;
    }
    if file.exists() {
        if let Some((why, fix)) = private_problem(&file, 0o600) {
            report.add("file store", p, Status::Fail, why, Some(fix));
            return false;
        }
        report.add(
            "file store",
            p,
            Status::Ok,
            format!(
                "{} is yours with mode 0600, in a 0700 directory",
                file.display()
            ),
            None,
        );
    } else {
        report.add(
            "file store",
            p,
            Status::Ok,
            format!(
                "{} is yours with mode 0700; no token file for this profile yet",
                dir.display()
            ),
            None,
        );
    }
    true
}

/// Why `path` is not private to this user, with the fix; `None` when it is.
fn private_problem(path: &Path, want: u32) -> Option<(String, String)> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Some((
                format!("cannot inspect {}: {e}", path.display()),
                "check that the directory is yours".into(),
            ));
        }
    };
    match not_private(&meta)? {
        NotPrivate::OwnedBy { uid, me } => Some((
            format!(
                "{} is owned by uid {uid}, not you (uid {me})",
                path.display()
            ),
            format!("remove {} and log in again", path.display()),
        )),
        NotPrivate::OthersCanRead { mode } => {
            let leaked = if path.is_file() {
                " (and consider the token leaked: log in again)"
            } else {
                ""
            };
            Some((
                format!(
                    "{} has mode {mode:o}: others can read it; it must be {want:o}",
                    path.display()
                ),
                format!("run `chmod {want:o} {}`{leaked}", path.display()),
            ))
        }
    }
}

fn check_login(
    name: &str,
    profile: &Profile,
    kind: StoreKind,
    key: &StoreKey,
    report: &mut Report,
) {
    let p = Some(name);
    let prefix = if name == "default" {
        "tokenctl".to_string()
    } else {
        format!("tokenctl --profile {name}")
    };
    let relogin = if profile.username.is_none() && profile.client_id.is_some() {
        format!("run `{prefix} app-token`")
    } else {
        format!("run `{prefix} login`")
    };
    let loaded = Store::open(kind).and_then(|s| s.load(key));
    let now = token::now();
    match loaded {
        Err(e) => report.add("login", p, Status::Fail, e.to_string(), None),
        Ok(None) => report.add(
            "login",
            p,
            Status::Fail,
            "not logged in: no token stored",
            Some(relogin),
        ),
        Ok(Some(tokens)) => {
            let renew = can_renew_silently(profile, &tokens, now).is_some();
            let left = tokens.seconds_left(now);
            match (left, renew) {
                (Some(l), false) if l <= 0 => report.add(
                    "login",
                    p,
                    Status::Fail,
                    format!(
                        "token {} and cannot be renewed silently",
                        token::describe_left(l)
                    ),
                    Some(relogin),
                ),
                (left, renew) => {
                    let when = match left {
                        Some(l) if l > 0 => format!("token expires {}", token::describe_left(l)),
                        Some(l) => format!("token {}", token::describe_left(l)),
                        None => "token expiry unknown".into(),
                    };
                    let how = if renew {
                        "renews silently"
                    } else {
                        "a new login is needed when it expires"
                    };
                    report.add("login", p, Status::Ok, format!("{when}; {how}"), None);
                }
            }
        }
    }
}

fn check_server(name: &str, profile: &Profile, report: &mut Report) {
    let p = Some(name);
    let skip_clock = |report: &mut Report| {
        report.add(
            "clock",
            p,
            Status::Skip,
            "not checked: no answer from the server",
            None,
        )
    };
    if let Err(e) = api::check_transport(&profile.server, profile.allow_http) {
        report.add("server", p, Status::Fail, e.to_string(), None);
        skip_clock(report);
        return;
    }
    let probe = Api::new(profile).map_err(|e| e.to_string()).and_then(|a| {
        a.probe().map_err(|f| {
            if f.tls {
                format!("TLS with {} failed: {}", f.url, f.why)
            } else if f.timeout {
                format!("{} did not answer in time: {}", f.url, f.why)
            } else {
                format!("cannot reach {}: {}", f.url, f.why)
            }
        })
    });
    let probe = match probe {
        Ok(probe) => probe,
        Err(why) => {
            let fix = if why.starts_with("TLS") {
                "the server's certificate is not trusted here (expired, self-signed, wrong host name, or a TLS-inspecting proxy): fix the certificate or add its CA to the system trust store"
            } else {
                "check the server URL (`tokenctl status` shows it; `login --server URL` changes it), that the server is up, and your network, VPN or proxy"
            };
            report.add("server", p, Status::Fail, why, Some(fix.into()));
            skip_clock(report);
            return;
        }
    };
    let tls = if probe.url.starts_with("https:") {
        ", TLS certificate valid"
    } else {
        ""
    };
    report.add(
        "server",
        p,
        Status::Ok,
        format!(
            "{} answered HTTP {} in {} ms{tls} (no credentials sent)",
            probe.url,
            probe.status,
            probe.elapsed.as_millis()
        ),
        None,
    );
    match probe.date.as_deref().map(httpdate::parse_http_date) {
        None => report.add(
            "clock",
            p,
            Status::Warn,
            "the server sent no Date header, so clock skew cannot be measured",
            None,
        ),
        Some(Err(_)) => report.add(
            "clock",
            p,
            Status::Warn,
            "the server's Date header cannot be parsed, so clock skew cannot be measured",
            None,
        ),
        Some(Ok(server)) => {
            let skew = skew_secs(server, probe.received);
            if skew.abs() <= MAX_SKEW_SECS {
                report.add(
                    "clock",
                    p,
                    Status::Ok,
                    format!("within {}s of the server's clock", skew.abs()),
                    None,
                );
            } else {
                let dir = if skew > 0 { "behind" } else { "ahead of" };
                report.add(
                    "clock",
                    p,
                    Status::Fail,
                    format!(
                        "this machine's clock is {}s {dir} the server's (its Date header); tokens will look fresh or expired at the wrong times",
                        skew.abs()
                    ),
                    Some(
                        "synchronise the system clock (e.g. `sudo timedatectl set-ntp true`; in WSL `sudo hwclock -s`)"
                            .into(),
                    ),
                );
            }
        }
    }
}

/// Server time minus local time, in whole seconds (positive: server ahead).
fn skew_secs(server: SystemTime, local: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    }
}

/// A kubeconfig user that runs an exec credential plugin.
struct ExecUser {
    name: String,
    command: String,
    args: Vec<String>,
}

fn find_program(program: &str) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// The kubectl line; the exec users of the kubeconfig when kubectl runs.
fn check_kubectl(kubectl: &str, report: &mut Report) -> Option<Vec<ExecUser>> {
    let Some(path) = find_program(kubectl) else {
        report.add(
            "kubectl",
            None,
            Status::Warn,
            format!("`{kubectl}` not found on PATH; needed only to use tokenctl from kubectl"),
            Some("install kubectl, or pass --kubectl PATH (TOKENCTL_KUBECTL)".into()),
        );
        return None;
    };
    let out = crate::child::command(&path)
        .args(["config", "view", "-o", "json"])
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            report.add(
                "kubectl",
                None,
                Status::Fail,
                format!(
                    "`{} config view` failed: {}",
                    path.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                ),
                Some("fix the kubeconfig kubectl reads ($KUBECONFIG, else ~/.kube/config)".into()),
            );
            return None;
        }
        Err(e) => {
            report.add(
                "kubectl",
                None,
                Status::Fail,
                format!("cannot run {}: {e}", path.display()),
                Some("reinstall kubectl, or pass --kubectl PATH".into()),
            );
            return None;
        }
    };
    let users = parse_exec_users(&out.stdout);
    report.add(
        "kubectl",
        None,
        Status::Ok,
        format!(
            "{} found; its kubeconfig has {} exec user(s)",
            path.display(),
            users.len()
        ),
        None,
    );
    Some(users)
}

fn parse_exec_users(json: &[u8]) -> Vec<ExecUser> {
    let Ok(view) = serde_json::from_slice::<serde_json::Value>(json) else {
        return Vec::new();
    };
    let Some(users) = view["users"].as_array() else {
        return Vec::new();
    };
    users
        .iter()
        .filter_map(|u| {
            let exec = &u["user"]["exec"];
            Some(ExecUser {
                name: u["name"].as_str()?.to_string(),
                command: exec["command"].as_str()?.to_string(),
                args: exec["args"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Whether an exec user runs `tokenctl --profile <name> ... kubectl-credential`.
fn runs_profile(user: &ExecUser, name: &str) -> bool {
    let named = user
        .args
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "--profile" | "-p") && w[1] == name)
        || user.args.iter().any(|a| *a == format!("--profile={name}"));
    named && user.args.iter().any(|a| a == "kubectl-credential")
}

fn check_kubeconfig(name: &str, users: &[ExecUser], report: &mut Report) {
    let p = Some(name);
    let fix = format!("run `tokenctl --profile {name} kubeconfig --write [--cluster NAME]`");
    let wired: Vec<&ExecUser> = users.iter().filter(|u| runs_profile(u, name)).collect();
    if wired.is_empty() {
        report.add(
            "kubeconfig",
            p,
            Status::Warn,
            format!("no kubeconfig user runs `tokenctl --profile {name} kubectl-credential`"),
            Some(fix),
        );
        return;
    }
    if let Some(broken) = wired.iter().find(|u| find_program(&u.command).is_none()) {
        report.add(
            "kubeconfig",
            p,
            Status::Fail,
            format!(
                "kubeconfig user `{}` runs `{}`, which does not exist",
                broken.name, broken.command
            ),
            Some(fix),
        );
        return;
    }
    let names: Vec<&str> = wired.iter().map(|u| u.name.as_str()).collect();
    report.add(
        "kubeconfig",
        p,
        Status::Ok,
        format!(
            "kubeconfig user(s) {} run tokenctl for this profile",
            names.join(", ")
        ),
        None,
    );
}

fn render_text(checks: &[Check], color: ColorWhen) -> String {
    let terminal = std::io::stdout().is_terminal();
    let colour = match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => ui::use_color_auto(terminal),
    };
    let mut out = String::new();
    for c in checks {
        let (word, symbol, style) = match c.status {
            Status::Ok => ("ok", "✓", ui::GREEN),
            Status::Warn => ("warn", "!", ui::YELLOW),
            Status::Fail => ("fail", "✗", ui::RED),
            Status::Skip => ("skip", "-", anstyle::Style::new().dimmed()),
        };
        let mark = if terminal {
            format!("{symbol} {word:<4}")
        } else {
            format!("{word:<4}")
        };
        let mark = if colour {
            format!("{style}{mark}{style:#}")
        } else {
            mark
        };
        let profile = c
            .profile
            .as_deref()
            .map(|p| format!("[{p}] "))
            .unwrap_or_default();
        let fix = c
            .fix
            .as_deref()
            .map(|f| format!("; fix: {f}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{mark}  {:<10}  {profile}{}{fix}\n",
            c.check, c.detail
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_the_toml_excerpt() {
        let text = "invalid config file /x:\nTOML parse error at line 4, column 1\n  |\n4 | sever = \"x\"\n  | ^^^^^\nunknown field `sever`\nfix that line";
        assert_eq!(
            one_line(text),
            "invalid config file /x: TOML parse error at line 4, column 1 unknown field `sever` fix that line"
        );
    }

    #[test]
    fn finds_wired_users() {
        let users = parse_exec_users(
            br#"{"users":[{"name":"a","user":{"exec":{"command":"/bin/tokenctl","args":["--profile","prod","kubectl-credential"]}}},
                {"name":"b","user":{"token":"x"}},
                {"name":"c","user":{"exec":{"command":"tokenctl","args":["--profile=dev","kubectl-credential"]}}}]}"#,
        );
        assert_eq!(users.len(), 2);
        assert!(runs_profile(&users[0], "prod"));
        assert!(!runs_profile(&users[0], "dev"));
        assert!(runs_profile(&users[1], "dev"));
    }

    #[test]
    fn skew_sign() {
        let now = SystemTime::now();
        let later = now + std::time::Duration::from_secs(3600);
        assert_eq!(skew_secs(later, now), 3600);
        assert_eq!(skew_secs(now, later), -3600);
    }
}
