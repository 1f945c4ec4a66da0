//! The token store (keychain or file) and the stored login.

use std::path::Path;
use std::time::Duration;

use super::{Report, Status};
use crate::commands::Ctx;
use crate::config::Profile;
use crate::grant::GrantKind;
use crate::model::StoreKind;
use crate::repo::{can_renew_silently, key_for};
use crate::store::{Backend, FileStore, Keychain, NotPrivate, StoreKey, not_private};
use crate::token;

/// The store line, then the login line (skipped when the store is unusable);
/// returns the grant the stored tokens came from (the login's, kept through
/// renewals), when there are some.
pub(super) fn check(ctx: &Ctx, profile: &Profile, report: &mut Report) -> Option<GrantKind> {
    let name = ctx.profile_name();
    let key = key_for(ctx.profile_name(), profile);
    let store_ok = match ctx.store_kind(profile) {
        StoreKind::Keychain => check_keychain(name, &key, ctx.settings.keychain_timeout, report),
        StoreKind::File => check_file_store(name, &key, report),
        StoreKind::Kernel => check_kernel(name, &key, report),
        StoreKind::Auto => check_auto(name, &key, ctx.settings.keychain_timeout, report),
    };
    if store_ok {
        check_login(ctx, profile, &key, report)
    } else {
        report.add(
            "login",
            Some(name),
            Status::Skip,
            "not checked: the token store is unusable",
            None,
        );
        None
    }
}

fn keychain_fix() -> String {
    if cfg!(target_os = "linux") {
        "on a desktop, log in graphically so the keyring starts unlocked; over SSH, in WSL or a container run `dbus-run-session -- $SHELL`, then `printf %s \"$KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock --components=secrets`; or keep tokens in the kernel keyring, no daemon needed: --store kernel (in memory, gone at reboot), or in a file: --store file (TOKENCTL_STORE=kernel or =file)".into()
    } else {
        "unlock the keychain (log in to the desktop session), or use the file store: --store file (TOKENCTL_STORE=file)".into()
    }
}

fn check_keychain(name: &str, key: &StoreKey, timeout: Duration, report: &mut Report) -> bool {
    let p = Some(name);
    let keychain = match Keychain::open(timeout) {
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

/// A profile not logged in yet with no `--store`: what `auto` would pick.
fn check_auto(name: &str, key: &StoreKey, timeout: Duration, report: &mut Report) -> bool {
    if Keychain::open(timeout).is_ok() {
        report.add(
            "store",
            Some(name),
            Status::Ok,
            "auto: the OS keychain answers; a login keeps the tokens there",
            None,
        );
        return check_keychain(name, key, timeout, report);
    }
    if cfg!(target_os = "linux") {
        report.add(
            "store",
            Some(name),
            Status::Ok,
            "auto: no OS keychain answers here; a login keeps the tokens in the kernel keyring",
            None,
        );
    }
    check_kernel(name, key, report)
}

#[cfg(target_os = "linux")]
fn check_kernel(name: &str, key: &StoreKey, report: &mut Report) -> bool {
    use crate::store::kernel::{Kernel, Quota, persistent_expiry};
    let p = Some(name);
    let kernel = match Kernel::open() {
        Ok(k) => k,
        Err(e) => {
            report.add(
                "kernel keyring",
                p,
                Status::Fail,
                e.to_string(),
                Some("run tokenctl where keyctl is allowed (outside the container's seccomp profile), or use the file store: --store file (TOKENCTL_STORE=file)".into()),
            );
            return false;
        }
    };
    let expiry = match persistent_expiry() {
        Some(s) if s % 86_400 == 0 => format!("{} day(s)", s / 86_400),
        Some(s) => humantime::format_duration(std::time::Duration::from_secs(s)).to_string(),
        None => "an unknown time".to_string(),
    };
    let entry = match kernel.read(key) {
        Ok(Some(_)) => "the profile's key is readable".to_string(),
        Ok(None) => match kernel.lost(key) {
            Some(why) => format!("the profile's key is gone ({why})"),
            None => "no key stored for this profile yet".to_string(),
        },
        Err(e) => {
            report.add(
                "kernel keyring",
                p,
                Status::Fail,
                e.to_string(),
                Some("log in again, or use the file store: --store file".into()),
            );
            return false;
        }
    };
    report.add(
        "kernel keyring",
        p,
        Status::Ok,
        format!(
            "usable: {entry}; kept in memory only, until reboot or {expiry} after the last use"
        ),
        None,
    );
    match Quota::current() {
        Some(q) => {
            let detail = format!(
                "{} of {} bytes and {} of {} keys in use; {} bytes free",
                q.bytes,
                q.max_bytes,
                q.keys,
                q.max_keys,
                q.free_bytes()
            );
            // One more login of about 6 KB must fit.
            if q.free_bytes() < 6 * 1024 || q.free_keys() < 2 {
                report.add(
                    "kernel quota",
                    p,
                    Status::Warn,
                    detail,
                    Some("log out profiles you no longer use, or keep some in the file store (--store file)".into()),
                );
            } else {
                report.add("kernel quota", p, Status::Ok, detail, None);
            }
        }
        None => report.add(
            "kernel quota",
            p,
            Status::Warn,
            "cannot read /proc/key-users",
            None,
        ),
    }
    true
}

#[cfg(not(target_os = "linux"))]
fn check_kernel(name: &str, _key: &StoreKey, report: &mut Report) -> bool {
    report.add(
        "kernel keyring",
        Some(name),
        Status::Fail,
        "the kernel keyring store exists only on Linux",
        Some("pass --store keychain or --store file".into()),
    );
    false
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
                crate::text::shown(&dir)
            ),
            None,
        );
        return true;
    }
    // The store's one rule for its directory: one of ours that others can
    // enter is set back to 0700 on the next use (with a warning), so that
    // is advice here; a directory someone else owns, or a symlink, is refused.
    let ours_but_open = std::fs::symlink_metadata(&dir).ok().is_some_and(|m| {
        !m.file_type().is_symlink()
            && matches!(not_private(&m), Some(NotPrivate::OthersCanRead { .. }))
    });
    if let Some((why, fix)) = private_problem(&dir, 0o700) {
        if ours_but_open {
            report.add(
                "file store",
                p,
                Status::Warn,
                format!("{why}; tokenctl sets it back to 700 the next time it uses it"),
                Some(fix),
            );
        } else {
            report.add("file store", p, Status::Fail, why, Some(fix));
            return false;
        }
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
                crate::text::shown(&file)
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
                crate::text::shown(&dir)
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
                format!("cannot inspect {}: {e}", crate::text::shown(path)),
                "check that the directory is yours".into(),
            ));
        }
    };
    match not_private(&meta)? {
        NotPrivate::OwnedBy { uid, me } => Some((
            format!(
                "{} is owned by uid {uid}, not you (uid {me})",
                crate::text::shown(path)
            ),
            format!("remove {} and log in again", crate::text::shown(path)),
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
                    crate::text::shown(path)
                ),
                format!("run `chmod {want:o} {}`{leaked}", crate::text::shown(path)),
            ))
        }
    }
}

fn check_login(
    ctx: &Ctx,
    profile: &Profile,
    key: &StoreKey,
    report: &mut Report,
) -> Option<GrantKind> {
    let p = Some(ctx.profile_name());
    let relogin = if profile.username.is_none() && profile.client_id.is_some() {
        format!("run `{}`", ctx.command("app-token"))
    } else {
        format!("run `{}`", ctx.command("login"))
    };
    let loaded = ctx.open_store(profile).and_then(|s| s.load(key));
    let now = token::now();
    let grant = loaded
        .as_ref()
        .ok()
        .and_then(|t| t.as_ref())
        .map(|t| t.source.grant);
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
    grant
}

/// Where the memory cache and the locks live, and why not the runtime
/// directory when it is not safe to use (shared, another user's, a link).
pub(super) fn check_runtime_dir(report: &mut Report) {
    // No runtime directory exists there: nothing to advise.
    if cfg!(any(target_os = "macos", windows)) {
        report.add(
            "runtime",
            None,
            Status::Ok,
            "no token cache on this system: each `token` reads the store; locks under the state directory",
            None,
        );
        return;
    }
    match crate::paths::runtime_subdir("cache") {
        Ok(dir) => report.add(
            "runtime",
            None,
            Status::Ok,
            format!(
                "{} is private: the token cache and locks live there",
                crate::text::shown(dir.parent().unwrap_or(&dir))
            ),
            None,
        ),
        Err((_, crate::paths::Unsafe::Missing)) => report.add(
            "runtime",
            None,
            Status::Warn,
            "XDG_RUNTIME_DIR is not set: no token cache (each `token` reads the store), locks under the state directory",
            Some("log in through a session manager that sets XDG_RUNTIME_DIR (systemd-logind does)".into()),
        ),
        Err((place, why)) => report.add(
            "runtime",
            None,
            Status::Warn,
            format!(
                "not using {}: {why}; no token cache, locks under the state directory",
                crate::text::shown(&place)
            ),
            Some("point XDG_RUNTIME_DIR at a directory only you can write (mode 700), or unset it".into()),
        ),
    }
}

/// macOS and Windows have no runtime directory: nothing to advise.
#[cfg(all(test, any(target_os = "macos", windows)))]
mod tests {
    use super::*;

    #[test]
    fn no_runtime_directory_is_not_advice_where_there_is_none() {
        let mut report = Report::default();
        check_runtime_dir(&mut report);
        let check = &report.checks[0];
        assert_eq!(check.status, Status::Ok, "{}", check.detail);
        assert_eq!(check.fix, None);
        assert!(
            !check.detail.contains("XDG_RUNTIME_DIR"),
            "{}",
            check.detail
        );
    }
}
