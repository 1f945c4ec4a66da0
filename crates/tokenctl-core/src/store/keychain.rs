//! The OS keychain through keyring-core and the platform's store.
//!
//! Two things sit between the record and the platform:
//! - every platform call runs with a time limit, so a keychain waiting for
//!   an unlock prompt, or a stuck daemon, is exit 5 with the fix, never a
//!   hang of kubectl;
//! - a record larger than one entry holds (Windows Credential Manager:
//!   2560 bytes of UTF-16) is split over chunk entries named by a small
//!   manifest in the main entry.

use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use keyring_core::{Entry, Error as KeyringError};
use serde::{Deserialize, Serialize};

use super::{Backend, StoreKey};
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
use crate::env::EnvVars;
use crate::error::Error;
use crate::model::StoreKind;
use crate::secret::Secret;

const SERVICE: &str = "tokenctl";

/// Where else tokens can live. On Linux the kernel keyring comes first: it
/// is what `--store auto` falls back to, and keeps tokens off the disk.
#[cfg(target_os = "linux")]
const FALLBACK_HINT: &str = "pass --store kernel to keep tokens in the kernel keyring (in memory, \
     gone at reboot; what --store auto picks when no keychain answers), or --store file for a 0600 \
     file that survives reboots (TOKENCTL_STORE=kernel or TOKENCTL_STORE=file for a whole shell)";
#[cfg(not(target_os = "linux"))]
const FALLBACK_HINT: &str =
    "pass --store file (or set TOKENCTL_STORE=file) to keep tokens in a 0600 file instead";

/// One secret string per account name: the platform keychain, or a test double.
pub trait Entries {
    fn get(&self, account: &str) -> Result<Option<Secret>, Error>;
    fn set(&self, account: &str, value: &Secret) -> Result<(), Error>;
    /// True when something was there to delete.
    fn remove(&self, account: &str) -> Result<bool, Error>;
    /// The largest value one entry holds, in bytes of UTF-16; `None` when
    /// the platform has no limit that a token record can reach.
    fn max_utf16_bytes(&self) -> Option<usize>;
}

/// Windows' `CRED_MAX_CREDENTIAL_BLOB_SIZE`; the store writes UTF-16.
#[cfg(any(target_os = "windows", test))]
pub const WINDOWS_MAX_BLOB: usize = 5 * 512;

/// The keychain backend over any [`Entries`].
pub struct Keychain {
    entries: Box<dyn Entries>,
}

impl Keychain {
    /// Connects to the platform store once per process (keyring-core's
    /// default store is the process's), each call bounded by `timeout`.
    pub fn open(timeout: Duration) -> Result<Self, Error> {
        static INIT: OnceLock<Result<(), String>> = OnceLock::new();
        INIT.get_or_init(|| {
            bounded(timeout, "connect to", init_platform_store)
                .map_err(|e| e.to_string())
                .and_then(|r| r)
        })
        .clone()
        .map(|()| Self::with_entries(Box::new(Platform { timeout })))
        .map_err(|why| {
            Error::store(format!("the OS keychain is unavailable: {why}")).with_hint(FALLBACK_HINT)
        })
    }

    pub fn with_entries(entries: Box<dyn Entries>) -> Self {
        Self { entries }
    }

    /// The main entry, falling back to the unescaped account earlier
    /// versions wrote (the record inside names its key, which `Store::load`
    /// checks, so a colliding legacy entry is never mistaken for this one).
    fn main_entry(&self, key: &StoreKey) -> Result<Option<(String, Secret)>, Error> {
        let account = key.account();
        if let Some(v) = self.entries.get(&account)? {
            return Ok(Some((account, v)));
        }
        let legacy = key.legacy_account();
        if legacy != account
            && let Some(v) = self.entries.get(&legacy)?
        {
            return Ok(Some((legacy, v)));
        }
        Ok(None)
    }

    fn fits(&self, value: &str) -> bool {
        self.entries
            .max_utf16_bytes()
            .is_none_or(|max| value.encode_utf16().count() * 2 <= max)
    }

    fn remove_chunks(&self, account: &str, manifest: &Manifest) {
        for i in 0..manifest.parts {
            let _ = self.entries.remove(&manifest.chunk_account(account, i));
        }
    }

    /// Writes the chunks of `value` under a new id, reading each back;
    /// on any failure removes what it wrote and leaves the old record alone.
    fn write_chunks(&self, account: &str, value: &str) -> Result<Manifest, Error> {
        let max = self.entries.max_utf16_bytes().unwrap_or(usize::MAX);
        // Leave room: a chunk is stored as-is, no envelope, so the limit is exact.
        let parts = split_utf16(value, max);
        let manifest = Manifest {
            tokenctl_chunks: 1,
            id: new_id()?,
            parts: parts.len(),
            chars: value.chars().count(),
        };
        let mut written = 0;
        let result = (|| {
            for (i, part) in parts.iter().enumerate() {
                let name = manifest.chunk_account(account, i);
                self.entries.set(&name, &Secret::new(part.as_str()))?;
                written = i + 1;
                let back = self.entries.get(&name)?;
                if back.as_ref().map(Secret::expose) != Some(part.as_str()) {
                    return Err(Error::store(format!(
                        "the keychain did not keep chunk {} of {} of the token record",
                        i + 1,
                        parts.len()
                    ))
                    .with_hint(FALLBACK_HINT));
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            for i in 0..written {
                let _ = self.entries.remove(&manifest.chunk_account(account, i));
            }
            return Err(e);
        }
        Ok(manifest)
    }
}

/// The main entry of a chunked record.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// Marks the entry as a manifest; records never have this field.
    tokenctl_chunks: u32,
    /// Fresh per write, so a new record's chunks never overwrite the old one's.
    id: String,
    parts: usize,
    /// The whole record's length in chars, to detect a missing chunk.
    chars: usize,
}

impl Manifest {
    fn parse(value: &str) -> Option<Self> {
        serde_json::from_str::<Self>(value)
            .ok()
            .filter(|m| m.tokenctl_chunks == 1)
    }

    /// A fourth `|` part: escaped key parts never contain `|`, so no record's
    /// account can equal a chunk's.
    fn chunk_account(&self, account: &str, i: usize) -> String {
        format!("{account}|chunk:{}:{i}", self.id)
    }
}

/// A chunk set's id: fresh per write.
fn new_id() -> Result<String, Error> {
    crate::random::hex(8)
        .map_err(|e| Error::store(format!("cannot name the chunks of the token record: {e}")))
}

/// Splits at char boundaries into pieces of at most `max` UTF-16 bytes.
fn split_utf16(value: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut cur_bytes = 0;
    for c in value.chars() {
        let n = c.len_utf16() * 2;
        if cur_bytes + n > max && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
            cur_bytes = 0;
        }
        cur.push(c);
        cur_bytes += n;
    }
    if !cur.is_empty() || parts.is_empty() {
        parts.push(cur);
    }
    parts
}

impl Backend for Keychain {
    fn kind(&self) -> StoreKind {
        StoreKind::Keychain
    }

    fn read(&self, key: &StoreKey) -> Result<Option<Secret>, Error> {
        let Some((account, value)) = self.main_entry(key)? else {
            return Ok(None);
        };
        let Some(manifest) = Manifest::parse(value.expose()) else {
            return Ok(Some(value));
        };
        let mut whole = String::new();
        for i in 0..manifest.parts {
            match self.entries.get(&manifest.chunk_account(&account, i))? {
                Some(part) => whole.push_str(part.expose()),
                // Reported by the record parser as unreadable: log in again.
                None => return Ok(Some(Secret::new(String::new()))),
            }
        }
        if whole.chars().count() != manifest.chars {
            return Ok(Some(Secret::new(String::new())));
        }
        Ok(Some(Secret::new(whole)))
    }

    fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error> {
        let account = key.account();
        let previous = self
            .main_entry(key)?
            .and_then(|(acct, v)| Manifest::parse(v.expose()).map(|m| (acct, m)));
        let main = if self.fits(value.expose()) {
            value.clone()
        } else {
            let manifest = self.write_chunks(&account, value.expose())?;
            let text = serde_json::to_string(&manifest).expect("manifest serializes");
            if let Err(e) = self.entries.set(&account, &Secret::new(text)) {
                self.remove_chunks(&account, &manifest);
                return Err(e);
            }
            // The switch happened; the old chunks below are now unreferenced.
            if let Some((old_acct, old)) = &previous {
                self.remove_chunks(old_acct, old);
            }
            return self.drop_legacy(key, &account);
        };
        self.entries.set(&account, &main)?;
        if let Some((old_acct, old)) = &previous {
            self.remove_chunks(old_acct, old);
        }
        self.drop_legacy(key, &account)
    }

    fn delete(&self, key: &StoreKey) -> Result<bool, Error> {
        let mut removed = false;
        let account = key.account();
        let legacy = key.legacy_account();
        for acct in [Some(account.clone()), (legacy != account).then_some(legacy)]
            .into_iter()
            .flatten()
        {
            if let Some(value) = self.entries.get(&acct)?
                && let Some(m) = Manifest::parse(value.expose())
            {
                self.remove_chunks(&acct, &m);
            }
            removed |= self.entries.remove(&acct)?;
        }
        Ok(removed)
    }

    fn describe(&self, key: &StoreKey) -> String {
        format!(
            "the OS keychain (service `{SERVICE}`, account `{}`)",
            key.account()
        )
    }

    fn location(&self, key: &StoreKey) -> String {
        key.account()
    }
}

impl Keychain {
    /// After writing the escaped account, an entry under the legacy one is stale.
    fn drop_legacy(&self, key: &StoreKey, account: &str) -> Result<(), Error> {
        let legacy = key.legacy_account();
        if legacy != account {
            let _ = self.entries.remove(&legacy);
        }
        Ok(())
    }
}

/// The platform's keychain through keyring-core's default store; each
/// call gives up after `timeout`.
struct Platform {
    timeout: Duration,
}

impl Entries for Platform {
    fn get(&self, account: &str) -> Result<Option<Secret>, Error> {
        let account = account.to_string();
        match bounded(self.timeout, "read", move || {
            Entry::new(SERVICE, &account)?.get_password()
        })? {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(KeyringError::NoEntry) => Ok(None),
            // Reported by the record parser as unreadable.
            Err(KeyringError::BadEncoding(_)) => Ok(Some(Secret::new(String::new()))),
            Err(e) => Err(map_error(e, "read")),
        }
    }

    fn set(&self, account: &str, value: &Secret) -> Result<(), Error> {
        let account = account.to_string();
        let value = value.clone();
        bounded(self.timeout, "write", move || {
            Entry::new(SERVICE, &account)?.set_password(value.expose())
        })?
        .map_err(|e| map_error(e, "write"))
    }

    fn remove(&self, account: &str) -> Result<bool, Error> {
        let account = account.to_string();
        match bounded(self.timeout, "delete", move || {
            Entry::new(SERVICE, &account)?.delete_credential()
        })? {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e, "delete")),
        }
    }

    fn max_utf16_bytes(&self) -> Option<usize> {
        #[cfg(target_os = "windows")]
        return Some(WINDOWS_MAX_BLOB);
        #[cfg(not(target_os = "windows"))]
        None
    }
}

/// Runs a keychain call on a helper thread and gives up after the time
/// limit. A call that never returns leaves its thread blocked until the
/// process exits, which it then does with exit 5.
fn bounded<T: Send + 'static>(
    limit: Duration,
    action: &str,
    call: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(call());
    });
    rx.recv_timeout(limit).map_err(|_| {
        Error::store(format!(
            "the OS keychain did not answer within {} ({action} the entry): it may be locked and waiting for an unlock prompt, or its daemon is stuck",
            humantime::format_duration(limit)
        ))
        .with_hint(format!("unlock the keychain and try again, raise --keychain-timeout, or {FALLBACK_HINT}"))
    })
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn init_platform_store() -> Result<(), String> {
    if std::env::var_os(EnvVars::DBUS_SESSION_BUS_ADDRESS).is_none()
        && std::env::var_os(EnvVars::XDG_RUNTIME_DIR).is_none()
    {
        return Err(
            "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service".into(),
        );
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| {
        format!("cannot reach a Secret Service over D-Bus ({}); start gnome-keyring or KeePassXC's Secret Service", describe(&e))
    })?;
    keyring_core::set_default_store(store);
    Ok(())
}

#[cfg(target_os = "macos")]
fn init_platform_store() -> Result<(), String> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(|e| describe(&e))?;
    keyring_core::set_default_store(store);
    Ok(())
}

#[cfg(target_os = "windows")]
fn init_platform_store() -> Result<(), String> {
    let store = windows_native_keyring_store::Store::new().map_err(|e| describe(&e))?;
    keyring_core::set_default_store(store);
    Ok(())
}

#[cfg(not(any(unix, target_os = "windows")))]
fn init_platform_store() -> Result<(), String> {
    Err("this platform has no supported keychain".into())
}

/// keyring errors can carry the stored bytes (`BadEncoding`, `BadDataFormat`):
/// name the kind, never print their payload.
fn describe(err: &KeyringError) -> String {
    match err {
        KeyringError::PlatformFailure(e) => e.to_string(),
        KeyringError::NoStorageAccess(e) => format!("access refused or keychain locked: {e}"),
        KeyringError::NoEntry => "no entry".into(),
        KeyringError::BadEncoding(_) => "the stored value is not UTF-8".into(),
        KeyringError::BadDataFormat(..) => "the stored value has a bad format".into(),
        KeyringError::NoDefaultStore => "no keychain store is configured".into(),
        KeyringError::TooLong(what, max) => format!("{what} is longer than {max}"),
        KeyringError::Invalid(what, why) => format!("{what} is invalid: {why}"),
        KeyringError::NotSupportedByStore(what) => {
            format!("not supported by this keychain: {what}")
        }
        _ => "keychain error".into(),
    }
}

fn map_error(err: KeyringError, action: &str) -> Error {
    let hint = match err {
        KeyringError::NoStorageAccess(_) => "unlock the keychain (log in to the desktop session, or `gnome-keyring-daemon --unlock`), or ".to_string() + FALLBACK_HINT,
        _ => FALLBACK_HINT.to_string(),
    };
    Error::store(format!(
        "cannot {action} the keychain entry: {}",
        describe(&err)
    ))
    .with_hint(hint)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    /// An in-memory keychain that, like Windows Credential Manager, refuses
    /// values over a UTF-16 byte limit, and can be told to fail the Nth write.
    #[derive(Default)]
    pub(crate) struct LimitedEntries {
        pub map: RefCell<BTreeMap<String, String>>,
        pub limit: Option<usize>,
        /// Fail the write with this 1-based number from now (0 = never).
        pub fail_write: Cell<usize>,
        writes: Cell<usize>,
    }

    impl LimitedEntries {
        pub(crate) fn windows() -> Self {
            Self {
                limit: Some(WINDOWS_MAX_BLOB),
                ..Self::default()
            }
        }
    }

    impl Entries for std::rc::Rc<LimitedEntries> {
        fn get(&self, account: &str) -> Result<Option<Secret>, Error> {
            Ok(self
                .map
                .borrow()
                .get(account)
                .map(|v| Secret::new(v.as_str())))
        }
        fn set(&self, account: &str, value: &Secret) -> Result<(), Error> {
            let n = self.writes.get() + 1;
            self.writes.set(n);
            if self.fail_write.get() == n {
                return Err(Error::store("injected write failure"));
            }
            if let Some(max) = self.limit
                && value.expose().encode_utf16().count() * 2 > max
            {
                // What Windows answers: "The stub received bad data".
                return Err(Error::store("the stub received bad data"));
            }
            self.map
                .borrow_mut()
                .insert(account.to_string(), value.expose().to_string());
            Ok(())
        }
        fn remove(&self, account: &str) -> Result<bool, Error> {
            Ok(self.map.borrow_mut().remove(account).is_some())
        }
        fn max_utf16_bytes(&self) -> Option<usize> {
            self.limit
        }
    }

    fn key() -> StoreKey {
        StoreKey {
            profile: "default".into(),
            server: "https://acme.run.ai".into(),
            principal: "alice".into(),
        }
    }

    fn big(n: usize, fill: char) -> Secret {
        Secret::new(std::iter::repeat_n(fill, n).collect::<String>())
    }

    fn setup() -> (std::rc::Rc<LimitedEntries>, Keychain) {
        let mem = std::rc::Rc::new(LimitedEntries::windows());
        let kc = Keychain::with_entries(Box::new(mem.clone()));
        (mem, kc)
    }

    #[test]
    fn small_records_stay_one_entry() {
        let (mem, kc) = setup();
        kc.write(&key(), &Secret::new("{\"small\":1}")).unwrap();
        assert_eq!(mem.map.borrow().len(), 1);
        assert_eq!(kc.read(&key()).unwrap().unwrap().expose(), "{\"small\":1}");
    }

    #[test]
    fn large_records_are_chunked_and_read_back() {
        let (mem, kc) = setup();
        let value = big(6000, 'x');
        kc.write(&key(), &value).unwrap();
        // 6000 chars = 12000 UTF-16 bytes: 5 chunks of at most 2560, plus the manifest.
        assert_eq!(mem.map.borrow().len(), 6);
        for v in mem.map.borrow().values() {
            assert!(v.encode_utf16().count() * 2 <= WINDOWS_MAX_BLOB);
        }
        assert_eq!(kc.read(&key()).unwrap().unwrap(), value);
        // Non-ASCII counts double in UTF-16 too.
        let wide = big(3000, 'é');
        kc.write(&key(), &wide).unwrap();
        assert_eq!(kc.read(&key()).unwrap().unwrap(), wide);
        // Superseded chunks are gone: 3 chunks + manifest.
        assert_eq!(mem.map.borrow().len(), 4);
        // Back to one entry when the record shrinks; no chunk left behind.
        kc.write(&key(), &Secret::new("small")).unwrap();
        assert_eq!(mem.map.borrow().len(), 1);
        assert!(kc.delete(&key()).unwrap());
        assert!(mem.map.borrow().is_empty());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_record() {
        let (mem, kc) = setup();
        let old = big(5000, 'o');
        kc.write(&key(), &old).unwrap();
        let before = mem.map.borrow().clone();
        // Fail at each step of the next write in turn: chunks, then manifest.
        for step in 1..=5 {
            let (mem2, kc2) = setup();
            mem2.map.replace(before.clone());
            mem2.fail_write.set(step);
            assert!(kc2.write(&key(), &big(5000, 'n')).is_err(), "step {step}");
            assert_eq!(kc2.read(&key()).unwrap().unwrap(), old, "step {step}");
            assert_eq!(*mem2.map.borrow(), before, "step {step}: nothing left over");
        }
        let _ = mem;
    }

    #[test]
    fn a_missing_chunk_reads_as_unreadable_not_as_a_short_record() {
        let (mem, kc) = setup();
        kc.write(&key(), &big(6000, 'x')).unwrap();
        let victim = mem
            .map
            .borrow()
            .keys()
            .find(|k| k.contains("|chunk:"))
            .cloned()
            .unwrap();
        mem.map.borrow_mut().remove(&victim);
        assert_eq!(kc.read(&key()).unwrap().unwrap().expose(), "");
    }

    #[test]
    fn legacy_accounts_still_load_and_are_replaced() {
        let (mem, kc) = setup();
        let k = StoreKey {
            profile: "p".into(),
            server: "https://h/a|b".into(),
            principal: "u".into(),
        };
        mem.map
            .borrow_mut()
            .insert(k.legacy_account(), "old".into());
        assert_eq!(kc.read(&k).unwrap().unwrap().expose(), "old");
        kc.write(&k, &Secret::new("new")).unwrap();
        assert_eq!(
            mem.map.borrow().keys().cloned().collect::<Vec<_>>(),
            vec![k.account()]
        );
        assert!(kc.delete(&k).unwrap());
        assert!(!kc.delete(&k).unwrap());
    }

    #[test]
    fn delete_removes_an_entry_under_the_legacy_account_too() {
        let (mem, kc) = setup();
        let k = StoreKey {
            profile: "p".into(),
            server: "https://h/a|b".into(),
            principal: "u".into(),
        };
        mem.map
            .borrow_mut()
            .insert(k.legacy_account(), "old".into());
        assert!(
            kc.delete(&k).unwrap(),
            "a logout finds what an older tokenctl wrote"
        );
        assert!(mem.map.borrow().is_empty());
    }

    #[test]
    fn the_limit_counts_utf16_bytes_not_chars() {
        let (mem, kc) = setup();
        // 1281 chars are 2562 bytes of UTF-16: one over the limit.
        let value = big(1281, 'x');
        kc.write(&key(), &value).unwrap();
        assert_eq!(mem.map.borrow().len(), 3, "manifest and two chunks");
        assert_eq!(kc.read(&key()).unwrap().unwrap(), value);
        // 1280 chars fit exactly.
        kc.write(&key(), &big(1280, 'y')).unwrap();
        assert_eq!(mem.map.borrow().len(), 1);
    }

    #[test]
    fn split_respects_the_limit() {
        assert_eq!(split_utf16("", 10), vec![String::new()]);
        assert_eq!(split_utf16("abcdef", 4), vec!["ab", "cd", "ef"]);
        // A char wider than the limit still goes somewhere rather than looping.
        assert_eq!(split_utf16("😀", 2), vec!["😀"]);
    }

    #[test]
    fn a_hanging_call_times_out() {
        let started = std::time::Instant::now();
        let err = bounded(Duration::from_millis(200), "read", || {
            std::thread::sleep(Duration::from_secs(5))
        })
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.code(), crate::error::Exit::Store);
        assert!(
            err.to_string().contains("did not answer within 200ms"),
            "{err}"
        );
        assert!(err.to_string().contains("--store file"), "{err}");
    }
}
