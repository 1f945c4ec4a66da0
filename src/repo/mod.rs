//! The token repository: the one owner of a profile's stored tokens, its
//! memory cache and its lock. Every token write goes through here (logins of
//! every grant, SSO, code exchange, app tokens, refresh, renewal in `token`,
//! the interactive re-login, logout), and each takes the profile lock,
//! re-reads under it and writes atomically, so the rules below hold in one
//! place instead of by convention in each command:
//!
//! - a profile re-pointed at another server or user has its record
//!   replaced; the old record is removed only when it lives elsewhere;
//! - a renewal that finds the record gone under the lock (logout) does not
//!   write it back;
//! - of N concurrent callers of an expiring token, one renews.

mod renew;

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cache::TokenCache;
use crate::config::{Config, Profile};
use crate::error::Error;
use crate::lock::{self, Lock};
use crate::model::StoreKind;
use crate::settings::Settings;
use crate::store::{Store, StoreKey};
use crate::token::{self, TokenSet};
use crate::ui;

pub use renew::{can_renew_silently, relogin_command, renewal_endpoint};

pub const DEFAULT_MIN_VALID: Duration = Duration::from_secs(60);

/// A token renewed by another process this recently is taken as fresh even
/// when its lifetime is below `--min-valid`: renewing again would not help.
const SIBLING_WINDOW_SECS: u64 = 10;

/// The store key of a profile: name, server and principal.
pub fn key_for(profile_name: &str, profile: &Profile) -> StoreKey {
    StoreKey {
        profile: profile_name.to_string(),
        server: profile.server.to_string(),
        principal: profile.principal().to_string(),
    }
}

/// `tokenctl [--profile X] REST`, as the user would type it again: a
/// name that looks like a flag (`-x`) joined to the option with `=` (as a
/// separate word clap would take it for a flag), and quoted for the shell
/// when it holds anything a shell treats specially.
pub fn command_for(profile_name: &str, rest: &str) -> String {
    if profile_name == crate::config::DEFAULT_PROFILE {
        format!("tokenctl {rest}")
    } else {
        format!("tokenctl {} {rest}", profile_flag(profile_name))
    }
}

/// `--profile NAME` for a shell: `--profile=NAME` when the name looks like
/// a flag, the name quoted when a shell would treat it specially.
pub fn profile_flag(profile_name: &str) -> String {
    let name = crate::text::shell_word(profile_name);
    if profile_name.starts_with('-') {
        format!("--profile={name}")
    } else {
        format!("--profile {name}")
    }
}

/// "token expires in 5m" / "token expired 3s ago" / "token expiry unknown".
pub fn describe_expiry(tokens: &TokenSet) -> String {
    match tokens.seconds_left(token::now()) {
        Some(left) if left > 0 => format!("token expires {}", token::describe_left(left)),
        Some(left) => format!("token {}", token::describe_left(left)),
        None => "token expiry unknown".to_string(),
    }
}

/// One profile's tokens.
pub struct TokenRepo {
    name: String,
    profile: Profile,
    key: StoreKey,
    kind: StoreKind,
    /// Opened on first use: the cache hot path never touches the keychain.
    store: OnceCell<Store>,
    cache: Option<TokenCache>,
    config_path: PathBuf,
    lock_wait: Duration,
    /// Given to the store and the API clients it opens.
    settings: Settings,
}

impl TokenRepo {
    /// The repository of one profile whose tokens live in `kind`; the cache
    /// only for keychain profiles that did not switch it off.
    pub fn new(
        name: &str,
        profile: Profile,
        kind: StoreKind,
        config_path: &Path,
        lock_wait: Duration,
        settings: Settings,
    ) -> Self {
        Self {
            key: key_for(name, &profile),
            cache: TokenCache::for_profile(&profile, kind),
            name: name.to_string(),
            profile,
            kind,
            store: OnceCell::new(),
            config_path: config_path.to_path_buf(),
            lock_wait,
            settings,
        }
    }

    /// A repository over a given store (tests, other backends).
    #[cfg(test)]
    pub fn with_store(
        name: &str,
        profile: Profile,
        store: Store,
        config_path: &Path,
        lock_wait: Duration,
    ) -> Self {
        let repo = Self::new(
            name,
            profile,
            store.kind(),
            config_path,
            lock_wait,
            Settings::default(),
        );
        let _ = repo.store.set(store);
        repo
    }

    fn store(&self) -> Result<&Store, Error> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Store::open(self.kind, &self.settings)?;
        Ok(self.store.get_or_init(|| store))
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The store the tokens live in: once opened, the one `auto` picked.
    pub fn store_kind(&self) -> StoreKind {
        self.store.get().map_or(self.kind, Store::kind)
    }

    /// Where the record lives, for messages.
    pub fn place(&self) -> String {
        self.store()
            .map_or_else(|_| format!("the {}", self.kind), |s| s.describe(&self.key))
    }

    pub fn lock(&self) -> Result<Lock, Error> {
        lock::profile_lock(&self.name, self.lock_wait)
    }

    /// `tokenctl [--profile X] REST` for this profile.
    pub fn command(&self, rest: &str) -> String {
        command_for(&self.name, rest)
    }

    pub fn not_logged_in(&self) -> Error {
        let why = self
            .store
            .get()
            .and_then(|s| s.lost(&self.key))
            .map(|why| format!(" ({why})"))
            .unwrap_or_default();
        Error::credentials(format!("not logged in with profile `{}`{why}", self.name))
            .with_hint(format!("run `{}`", self.command("login")))
    }

    /// The stored tokens, read without the lock (a snapshot).
    pub fn load(&self) -> Result<Option<TokenSet>, Error> {
        self.store()?.load(&self.key)
    }

    /// The memory cache's token when it has more than `min_valid` left.
    pub fn cached(&self, min_valid: Duration) -> Option<TokenSet> {
        self.cache
            .as_ref()
            .and_then(|c| c.get(&self.key, &self.profile))
            .filter(|t| !needs_renewal(t, min_valid, token::now(), false))
    }

    pub fn has_cache(&self) -> bool {
        self.cache.is_some()
    }

    /// Writes under a lock the caller holds: the record, then the cache.
    fn write_locked(&self, _lock: &Lock, tokens: &TokenSet) -> Result<(), Error> {
        self.store()?.save(&self.key, tokens)?;
        if let Some(cache) = &self.cache {
            cache.put(&self.key, tokens);
        }
        Ok(())
    }

    /// The end of every login (password, external token, SSO, code
    /// exchange, app token): store the tokens for this profile, record the
    /// profile in the config, and drop the record the previous version of
    /// the profile pointed to, unless it is the very place just written.
    pub fn save_login(&self, tokens: &TokenSet) -> Result<(), Error> {
        let lock = self.lock()?;
        self.write_locked(&lock, tokens)?;
        // The profile keeps the store it logged in with (what `auto` picked),
        // so a later call from a session with or without D-Bus finds it.
        let mut profile = self.profile.clone();
        profile.store = Some(self.store_kind());
        // A `runai` profile remembers the endpoint that answered this login,
        // so renewals and kubectl never ask the server again.
        profile.token_endpoint = (profile.api == crate::model::ApiKind::Runai)
            .then(|| tokens.source.api.pinned_endpoint())
            .flatten();
        let previous = Config::set_profile(&self.config_path, &self.name, Some(&profile))?;
        if let Some(old) = previous.filter(|old| *old != profile) {
            self.drop_previous(&old);
        }
        warn_short_lifetime(&self.name, None, tokens, DEFAULT_MIN_VALID);
        self.refuse_expired(tokens)
    }

    /// A profile re-pointed at another server, user or store: its old
    /// record goes, but only if it is somewhere else than the new one.
    fn drop_previous(&self, old: &Profile) {
        let old_key = key_for(&self.name, old);
        // A profile without `store` was written by a tokenctl whose default was the keychain.
        let old_kind = old.store.unwrap_or(StoreKind::Keychain);
        let same_store = old_kind == self.store_kind();
        let Ok(store) = self.store() else { return };
        if same_store && store.location(&old_key) == store.location(&self.key) {
            // The write above already replaced it.
            return;
        }
        if let Some(cache) = TokenCache::open() {
            cache.remove(&old_key);
        }
        let removed = if same_store {
            store.delete(&old_key)
        } else {
            Store::open(old_kind, &self.settings).and_then(|s| s.delete(&old_key))
        };
        match removed {
            Ok(true) => ui::verbose(format!(
                "removed the token stored for {} as {}",
                old_key.server, old_key.principal
            )),
            Ok(false) => {}
            Err(e) => ui::warn(format!(
                "could not remove the token stored for {} as {}: {e}",
                old_key.server, old_key.principal
            )),
        }
    }

    /// Removes the profile's tokens (and cached token) under the lock, so a
    /// renewal in flight finishes first and cannot write them back.
    pub fn logout(&self) -> Result<bool, Error> {
        let _lock = self.lock()?;
        if let Some(cache) = TokenCache::open() {
            cache.remove(&self.key);
        }
        self.store()?.delete(&self.key)
    }

    /// Stores tokens obtained under `lock` (the interactive re-login).
    pub fn replace_locked(&self, lock: &Lock, tokens: &TokenSet) -> Result<(), Error> {
        self.write_locked(lock, tokens)?;
        warn_short_lifetime(&self.name, None, tokens, DEFAULT_MIN_VALID);
        self.refuse_expired(tokens)
    }

    /// The stored tokens with enough time left, renewed first when needed.
    /// Without `held`, the lock is taken only when a renewal looks needed.
    pub fn fresh(&self, min_valid: Duration, held: Option<&Lock>) -> Result<TokenSet, Error> {
        let owned;
        let lock = match held {
            Some(lock) => lock,
            None => {
                let current = self.load()?.ok_or_else(|| self.not_logged_in())?;
                if !needs_renewal(&current, min_valid, token::now(), true) {
                    return Ok(current);
                }
                owned = self.lock()?;
                &owned
            }
        };
        // Under the lock: a sibling may have renewed, or logout removed it.
        let current = self.load()?.ok_or_else(|| self.not_logged_in())?;
        let now = token::now();
        if renewed_by_sibling(&current, min_valid, now) {
            ui::trace("another tokenctl renewed the token moments ago; using it");
            return Ok(current);
        }
        if !needs_renewal(&current, min_valid, now, held.is_some()) {
            ui::trace("the stored token is fresh enough");
            return Ok(current);
        }
        let renewed = self.renew(Some(&current), None)?;
        self.finish_renewal(lock, Some(&current), renewed, min_valid)
    }

    /// `tokenctl refresh`: renew now, whatever the expiry, under the lock.
    pub fn refresh_now(
        &self,
        refresh_override: Option<crate::secret::Secret>,
        min_valid: Duration,
    ) -> Result<TokenSet, Error> {
        let lock = self.lock()?;
        let current = self.load()?;
        let renewed = self.renew(current.as_ref(), refresh_override)?;
        self.finish_renewal(&lock, current.as_ref(), renewed, min_valid)
    }

    fn finish_renewal(
        &self,
        lock: &Lock,
        previous: Option<&TokenSet>,
        renewed: TokenSet,
        min_valid: Duration,
    ) -> Result<TokenSet, Error> {
        // Saved even when unusable: a rotated refresh token must not be lost.
        self.write_locked(lock, &renewed)?;
        warn_short_lifetime(&self.name, previous, &renewed, min_valid);
        self.refuse_expired(&renewed)?;
        ui::verbose(format!("renewed the token: {}", describe_expiry(&renewed)));
        Ok(renewed)
    }

    /// Every newly issued token set ends here after it was saved: one that
    /// is already expired (a past `exp`, a lifetime of 0) is exit 4, so a
    /// script's `login && ...` stops and nothing prints it.
    fn refuse_expired(&self, issued: &TokenSet) -> Result<(), Error> {
        if !issued.is_expired(token::now()) {
            return Ok(());
        }
        Err(Error::server(format!(
            "the server issued a token for profile `{}` that is already expired ({})",
            self.name,
            describe_expiry(issued)
        ))
        .with_hint("check this machine's clock (`date -u`) against the server's; if the clock is right, the server's token lifetime is misconfigured"))
    }
}

/// The issued lifetime, when known and positive: as the answer said it
/// (`expiresIn`, GBDS `ttl`, JWT `exp - iat`); for records stored before
/// that was kept, expiry minus the JWT's `iat`, else minus when we got it.
fn lifetime(tokens: &TokenSet) -> Option<u64> {
    if let Some(life) = tokens.lifetime.filter(|l| *l > 0) {
        return Some(life);
    }
    let exp = tokens.expires_at?;
    let issued = token::jwt_claims(tokens.access_token.expose())
        .and_then(|c| c.get("iat").and_then(serde_json::Value::as_u64))
        .filter(|iat| *iat <= tokens.obtained_at.max(token::now()))
        .unwrap_or(tokens.obtained_at);
    exp.checked_sub(issued).filter(|l| *l > 0)
}

/// The renewal margin: `--min-valid`, or half the token's lifetime when
/// the server issues tokens that never live longer than `--min-valid`
/// (renewing at every call would never converge).
pub(crate) fn margin(tokens: &TokenSet, min_valid: Duration) -> u64 {
    let wanted = min_valid.as_secs();
    match lifetime(tokens) {
        Some(life) if life <= wanted => life / 2,
        _ => wanted,
    }
}

fn needs_renewal(tokens: &TokenSet, min_valid: Duration, now: u64, log: bool) -> bool {
    let say = |msg: String| {
        if log {
            ui::verbose(msg)
        } else {
            ui::trace(msg)
        }
    };
    let Some(left) = tokens.seconds_left(now) else {
        say("the stored token's expiry is unknown, so --min-valid cannot judge it; using it as stored".into());
        return false;
    };
    let margin = margin(tokens, min_valid);
    if left > 0 && left.unsigned_abs() > margin {
        ui::trace(format!("token valid for {left}s more; no renewal"));
        return false;
    }
    let state = if left > 0 {
        format!("expires {}", token::describe_left(left))
    } else {
        token::describe_left(left)
    };
    say(format!(
        "token {state} (renewal margin {margin}s): renewing"
    ));
    true
}

/// A short-lived token (lifetime within the margin) that another process
/// got moments ago: renewing again would give one no better.
fn renewed_by_sibling(tokens: &TokenSet, min_valid: Duration, now: u64) -> bool {
    let short = lifetime(tokens).is_none_or(|l| l <= min_valid.as_secs());
    short
        && tokens.obtained_at.saturating_add(SIBLING_WINDOW_SECS) >= now
        && !tokens.is_expired(now)
}

/// Says once (when the lifetime first turns out short, not at every
/// renewal) that the server's tokens live no longer than the margin.
fn warn_short_lifetime(
    name: &str,
    previous: Option<&TokenSet>,
    tokens: &TokenSet,
    min_valid: Duration,
) {
    let short = |t: &TokenSet| lifetime(t).is_some_and(|l| l <= min_valid.as_secs());
    if short(tokens) && !previous.is_some_and(short) {
        ui::warn(format!(
            "the server issues tokens for profile `{name}` that live only {}s, not more than the renewal margin of {}s; tokenctl renews them when half their lifetime is left",
            lifetime(tokens).unwrap_or(0),
            min_valid.as_secs()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServerUrl;
    use crate::env::EnvVars;
    use crate::model::ApiKind;
    use crate::secret::Secret;

    fn tokens(obtained: u64, expires: Option<u64>) -> TokenSet {
        token::sample(obtained, expires)
    }

    #[test]
    fn renewal_margin_fits_short_lifetimes() {
        let min = Duration::from_secs(60);
        // An hour-long token renews with 60s left, not before.
        assert!(!needs_renewal(&tokens(0, Some(3600)), min, 3539, false));
        assert!(needs_renewal(&tokens(0, Some(3600)), min, 3540, false));
        // A 30s token: margin 15s, so it is used for its first 15s.
        assert_eq!(margin(&tokens(1000, Some(1030)), min), 15);
        assert!(!needs_renewal(&tokens(1000, Some(1030)), min, 1014, false));
        assert!(needs_renewal(&tokens(1000, Some(1030)), min, 1015, false));
        // Exactly the margin is short too.
        assert_eq!(margin(&tokens(0, Some(60)), min), 30);
        assert_eq!(margin(&tokens(0, Some(61)), min), 60);
        // Expired: always renew; unknown: never.
        assert!(needs_renewal(&tokens(0, Some(10)), min, 10, false));
        assert!(!needs_renewal(&tokens(0, None), min, 1 << 40, false));
        // Issued already expired (expiry before it was obtained): renew.
        assert_eq!(lifetime(&tokens(100, Some(50))), None);
        assert!(needs_renewal(&tokens(100, Some(50)), min, 100, false));
    }

    #[test]
    fn expiry_in_words() {
        // The clock may tick between here and there: compare the stable part.
        let now = token::now();
        let later = describe_expiry(&tokens(now, Some(now + 600)));
        assert!(
            later.starts_with("token expires in 9m 5") || later == "token expires in 10m",
            "{later}"
        );
        let past = describe_expiry(&tokens(now - 100, Some(now - 5)));
        assert!(
            past.starts_with("token expired ") && past.ends_with("s ago"),
            "{past}"
        );
        // The very second it ends counts as expired, never "expires in 0s".
        let edge = describe_expiry(&tokens(now - 100, Some(now)));
        assert!(edge.starts_with("token expired "), "{edge}");
        assert_eq!(describe_expiry(&tokens(now, None)), "token expiry unknown");
    }

    #[test]
    fn sibling_window() {
        let min = Duration::from_secs(60);
        assert!(renewed_by_sibling(&tokens(100, Some(130)), min, 110));
        assert!(renewed_by_sibling(
            &tokens(100, Some(130)),
            min,
            100 + SIBLING_WINDOW_SECS
        ));
        assert!(!renewed_by_sibling(
            &tokens(100, Some(130)),
            min,
            101 + SIBLING_WINDOW_SECS
        ));
        // Never an expired one, however new.
        assert!(!renewed_by_sibling(&tokens(100, Some(100)), min, 100));
        // A long-lived token is judged by --min-valid alone (`refresh`-like
        // explicit margins still renew right after a login).
        assert!(!renewed_by_sibling(&tokens(100, Some(161)), min, 101));
    }

    /// Points the runtime and state directories (locks, cache) at a temp
    /// dir, once for this test binary.
    fn private_dirs() -> &'static Path {
        static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
        DIR.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            // SAFETY: set once, before any test here reads them; no other
            // test in this binary reads these variables.
            unsafe {
                std::env::set_var(EnvVars::XDG_RUNTIME_DIR, dir.path());
                std::env::set_var(EnvVars::XDG_STATE_HOME, dir.path().join("state"));
            }
            dir
        })
        .path()
    }

    /// A JWT-sized token (Keycloak's are about 2 KB).
    fn jwt_like(tag: char) -> Secret {
        Secret::new(std::iter::repeat_n(tag, 2000).collect::<String>())
    }

    fn big_tokens(tag: char) -> TokenSet {
        let mut t = tokens(token::now(), Some(token::now() + 3600));
        t.access_token = jwt_like(tag);
        t.id_token = Some(jwt_like(tag));
        t.refresh_token = Some(jwt_like(tag));
        t
    }

    #[test]
    fn records_larger_than_a_windows_entry_survive_every_write() {
        use crate::store::keychain::tests::LimitedEntries;
        use crate::store::{Keychain, Store};
        let dirs = private_dirs();
        let config = dirs.join("chunked.toml");
        let mem = std::rc::Rc::new(LimitedEntries::windows());
        let store = Store::with_backend(Box::new(Keychain::with_entries(Box::new(mem.clone()))));
        let profile = Profile::new(
            ServerUrl::parse("https://acme.run.ai").unwrap(),
            ApiKind::Runai,
        );
        let repo = TokenRepo::with_store("chunky", profile, store, &config, Duration::from_secs(5));

        // Login: three 2 KB tokens do not fit one 2560-byte entry.
        repo.save_login(&big_tokens('Q')).unwrap();
        assert!(mem.map.borrow().len() > 1, "split over several entries");
        let loaded = repo.load().unwrap().unwrap();
        assert_eq!(loaded.access_token, jwt_like('Q'));
        assert_eq!(loaded.id_token, Some(jwt_like('Q')));
        assert_eq!(loaded.refresh_token, Some(jwt_like('Q')));
        assert!(
            std::fs::read_to_string(&config)
                .unwrap()
                .contains("[profiles.chunky]")
        );

        // Refresh with rotation: the new record replaces the old, old chunks go.
        let lock = repo.lock().unwrap();
        repo.replace_locked(&lock, &big_tokens('Z')).unwrap();
        let loaded = repo.load().unwrap().unwrap();
        assert_eq!(loaded.refresh_token, Some(jwt_like('Z')));
        let entries = mem.map.borrow().len();
        assert!(
            mem.map.borrow().values().all(|v| !v.contains('Q')),
            "no chunk of the superseded record is left"
        );

        // A write that fails half-way (its third chunk) keeps the previous
        // record whole, in a copy of the same keychain.
        let before = mem.map.borrow().clone();
        let failing = std::rc::Rc::new(LimitedEntries::windows());
        failing.map.replace(before.clone());
        failing.fail_write.set(3);
        let store2 =
            Store::with_backend(Box::new(Keychain::with_entries(Box::new(failing.clone()))));
        let profile2 = repo.profile().clone();
        let repo2 =
            TokenRepo::with_store("chunky", profile2, store2, &config, Duration::from_secs(5));
        assert!(repo2.replace_locked(&lock, &big_tokens('X')).is_err());
        assert_eq!(*failing.map.borrow(), before, "nothing half-written");
        assert_eq!(
            repo2.load().unwrap().unwrap().refresh_token,
            Some(jwt_like('Z'))
        );
        drop(lock);

        // Logout removes the manifest and every chunk.
        assert_eq!(mem.map.borrow().len(), entries);
        assert!(repo.logout().unwrap());
        assert!(mem.map.borrow().is_empty());
        assert_eq!(repo.load().unwrap(), None);
    }

    #[test]
    fn commands_name_the_profile() {
        assert_eq!(command_for("default", "login"), "tokenctl login");
        assert_eq!(
            command_for("prod", "app-token"),
            "tokenctl --profile prod app-token"
        );
        assert_eq!(command_for("-x", "login"), "tokenctl --profile=-x login");
        assert_eq!(command_for("--", "login"), "tokenctl --profile=-- login");
        assert_eq!(
            command_for("a b", "login"),
            "tokenctl --profile 'a b' login"
        );
        assert_eq!(
            command_for("$(x)", "login"),
            "tokenctl --profile '$(x)' login"
        );
        let p = Profile::new(ServerUrl::parse("https://h").unwrap(), ApiKind::Runai);
        assert_eq!(key_for("x", &p).principal, "-");
    }
}
