//! Token storage: one record per profile, behind one backend trait.

mod file;
#[cfg(target_os = "linux")]
pub mod kernel;
pub(crate) mod keychain;

use serde::{Deserialize, Serialize};

pub use file::{FileStore, NotPrivate, not_private};
pub use keychain::{Entries, Keychain};

use crate::error::Error;
use crate::model::StoreKind;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::token::TokenSet;
use crate::ui;

/// Identifies one stored record: profile, server and principal, so that a
/// profile re-pointed at another server or user never reads old tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreKey {
    pub profile: String,
    pub server: String,
    pub principal: String,
}

/// `%` and `|` in a key part are percent-encoded, so `|` only ever separates
/// parts and no two distinct keys share an account. Parts without either
/// (every key written before escaping existed) are unchanged.
fn account_part(s: &str) -> String {
    s.replace('%', "%25").replace('|', "%7C")
}

impl StoreKey {
    /// The keychain account name.
    pub fn account(&self) -> String {
        format!(
            "{}|{}|{}",
            account_part(&self.profile),
            account_part(&self.server),
            account_part(&self.principal)
        )
    }

    /// The unescaped account earlier versions wrote; differs from
    /// [`StoreKey::account`] only when a part holds `%` or `|`.
    pub fn legacy_account(&self) -> String {
        format!("{}|{}|{}", self.profile, self.server, self.principal)
    }
}

/// A place that keeps one secret string per key.
pub trait Backend {
    fn kind(&self) -> StoreKind;
    fn read(&self, key: &StoreKey) -> Result<Option<Secret>, Error>;
    fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error>;
    /// True when something was there to delete.
    fn delete(&self, key: &StoreKey) -> Result<bool, Error>;
    /// Where the record lives, for messages.
    fn describe(&self, key: &StoreKey) -> String;
    /// Which place `key` maps to: two keys with the same location share
    /// one record (the file store keeps one file per profile).
    fn location(&self, key: &StoreKey) -> String;
    /// Why a record that was written is missing, when the store can tell
    /// (the kernel keyring is cleared at reboot); `None` otherwise.
    fn lost(&self, _key: &StoreKey) -> Option<&'static str> {
        None
    }
}

/// What is stored per profile. Versioned so a later tokenctl can migrate it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub version: u32,
    pub profile: String,
    pub server: String,
    pub principal: String,
    pub tokens: TokenSet,
}

const RECORD_VERSION: u32 = 1;

/// Token sets in a backend: (de)serialization and its failure rules in one place.
pub struct Store {
    backend: Box<dyn Backend>,
}

impl Store {
    /// The store of `kind`; `Auto` picks one first ([`resolve_auto`]).
    pub fn open(kind: StoreKind, settings: &Settings) -> Result<Self, Error> {
        let backend: Box<dyn Backend> = match kind {
            StoreKind::Keychain => Box::new(Keychain::open(settings.keychain_timeout)?),
            StoreKind::File => Box::new(FileStore::open_default()?),
            #[cfg(target_os = "linux")]
            StoreKind::Kernel => Box::new(kernel::Kernel::open()?),
            #[cfg(not(target_os = "linux"))]
            StoreKind::Kernel => {
                return Err(
                    Error::usage("the kernel keyring store exists only on Linux")
                        .with_hint("pass --store keychain or --store file"),
                );
            }
            StoreKind::Auto => return resolve_auto(settings),
        };
        Ok(Self { backend })
    }

    #[cfg(test)]
    pub fn with_backend(backend: Box<dyn Backend>) -> Self {
        Self { backend }
    }

    pub fn kind(&self) -> StoreKind {
        self.backend.kind()
    }

    pub fn describe(&self, key: &StoreKey) -> String {
        self.backend.describe(key)
    }

    pub fn location(&self, key: &StoreKey) -> String {
        self.backend.location(key)
    }

    /// The stored tokens, or `None`. A record that cannot be parsed or belongs
    /// to another server or user is reported and treated as absent.
    pub fn load(&self, key: &StoreKey) -> Result<Option<TokenSet>, Error> {
        let Some(raw) = self.backend.read(key)? else {
            return Ok(None);
        };
        let record: Record = match serde_json::from_str(raw.expose()) {
            Ok(record) => record,
            Err(e) => {
                // serde_json's message names a position and a type, not the content.
                ui::warn(format!(
                    "ignoring the stored token for profile `{}` in {}: it cannot be read ({e}); log in again to replace it",
                    key.profile,
                    self.describe(key)
                ));
                return Ok(None);
            }
        };
        if record.version != RECORD_VERSION {
            ui::warn(format!(
                "ignoring the stored token for profile `{}`: record version {} is not one this tokenctl understands; log in again to replace it",
                key.profile, record.version
            ));
            return Ok(None);
        }
        if record.server != key.server || record.principal != key.principal {
            ui::verbose(format!(
                "stored token for profile `{}` belongs to {} as {}, not {} as {}: ignored",
                key.profile, record.server, record.principal, key.server, key.principal
            ));
            return Ok(None);
        }
        Ok(Some(record.tokens))
    }

    pub fn save(&self, key: &StoreKey, tokens: &TokenSet) -> Result<(), Error> {
        let record = Record {
            version: RECORD_VERSION,
            profile: key.profile.clone(),
            server: key.server.clone(),
            principal: key.principal.clone(),
            tokens: tokens.clone(),
        };
        let text = Secret::new(serde_json::to_string(&record).expect("record serializes"));
        self.backend.write(key, &text)
    }

    pub fn delete(&self, key: &StoreKey) -> Result<bool, Error> {
        self.backend.delete(key)
    }

    /// Why the record of `key` is gone, when the store knows it was there.
    pub fn lost(&self, key: &StoreKey) -> Option<&'static str> {
        self.backend.lost(key)
    }
}

/// `--store auto`: the OS keychain when it answers within
/// `--keychain-timeout`; on Linux, else the kernel keyring; else an error
/// that says why both failed and names `--store file`. Never a file.
pub fn resolve_auto(settings: &Settings) -> Result<Store, Error> {
    let keychain = match Keychain::open(settings.keychain_timeout) {
        Ok(k) => {
            ui::verbose("store auto: the OS keychain answered; using it");
            return Ok(Store {
                backend: Box::new(k),
            });
        }
        Err(e) => e,
    };
    #[cfg(target_os = "linux")]
    {
        ui::verbose(format!(
            "store auto: {}; trying the kernel keyring",
            keychain.message()
        ));
        match kernel::Kernel::open() {
            Ok(k) => Ok(Store {
                backend: Box::new(k),
            }),
            Err(e) => Err(Error::store(format!(
                "no secure token store here: {}; and {}",
                keychain.message(),
                e.message()
            ))
            .with_hint(kernel::FALLBACK_HINT)),
        }
    }
    #[cfg(not(target_os = "linux"))]
    Err(keychain)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// A backend that keys by the full account string and, unlike the file
    /// store, can hold records of two keys of one profile at once.
    #[derive(Default)]
    struct Memory(RefCell<HashMap<String, String>>);

    impl Backend for Memory {
        fn kind(&self) -> StoreKind {
            StoreKind::Keychain
        }
        fn read(&self, key: &StoreKey) -> Result<Option<Secret>, Error> {
            Ok(self
                .0
                .borrow()
                .get(&key.account())
                .cloned()
                .map(Secret::new))
        }
        fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error> {
            self.0
                .borrow_mut()
                .insert(key.account(), value.expose().to_string());
            Ok(())
        }
        fn delete(&self, key: &StoreKey) -> Result<bool, Error> {
            Ok(self.0.borrow_mut().remove(&key.account()).is_some())
        }
        fn describe(&self, _: &StoreKey) -> String {
            "memory".into()
        }
        fn location(&self, key: &StoreKey) -> String {
            key.account()
        }
    }

    fn key(server: &str) -> StoreKey {
        StoreKey {
            profile: "p".into(),
            server: server.into(),
            principal: "alice".into(),
        }
    }

    pub(crate) fn tokens() -> TokenSet {
        let mut t = crate::token::sample(1, Some(5));
        t.source.principal = Some("alice".into());
        t
    }

    #[test]
    fn round_trip_and_delete() {
        let store = Store::with_backend(Box::new(Memory::default()));
        let k = key("https://x");
        assert_eq!(store.load(&k).unwrap(), None);
        store.save(&k, &tokens()).unwrap();
        assert_eq!(store.load(&k).unwrap(), Some(tokens()));
        assert!(store.delete(&k).unwrap());
        assert!(!store.delete(&k).unwrap());
    }

    #[test]
    fn garbage_is_absent_not_a_panic() {
        let mem = Memory::default();
        mem.0
            .borrow_mut()
            .insert(key("s").account(), "{not json".into());
        let store = Store::with_backend(Box::new(mem));
        assert_eq!(store.load(&key("s")).unwrap(), None);
    }

    #[test]
    fn record_for_another_server_is_ignored() {
        // Plant, under this key's account, a record that claims another
        // server (a hand edit, or a store that maps keys to one place).
        let mem = Memory::default();
        let mut other = tokens();
        other.source.server = "https://y".into();
        let record = Record {
            version: RECORD_VERSION,
            profile: "p".into(),
            server: "https://y".into(),
            principal: "alice".into(),
            tokens: other,
        };
        mem.0.borrow_mut().insert(
            key("https://x").account(),
            serde_json::to_string(&record).unwrap(),
        );
        let store = Store::with_backend(Box::new(mem));
        assert_eq!(store.load(&key("https://x")).unwrap(), None);
        // The same record under its own key loads.
        let mem = Memory::default();
        mem.0.borrow_mut().insert(
            key("https://y").account(),
            serde_json::to_string(&record).unwrap(),
        );
        let store = Store::with_backend(Box::new(mem));
        assert!(store.load(&key("https://y")).unwrap().is_some());
    }

    #[test]
    fn accounts_never_collide() {
        let k = |p: &str, s: &str, u: &str| StoreKey {
            profile: p.into(),
            server: s.into(),
            principal: u.into(),
        };
        // Unescaped, both were `p|https://h|a|b`.
        let a = k("p", "https://h|a", "b");
        let b = k("p", "https://h", "a|b");
        assert_ne!(a.account(), b.account());
        assert_eq!(a.legacy_account(), b.legacy_account());
        // `%` itself is escaped, so an escape cannot be forged by a raw part.
        let c = k("p", "https://h%7Ca", "b");
        assert_ne!(a.account(), c.account());
        // Plain keys keep the account earlier versions wrote.
        let plain = k("default", "https://acme.run.ai", "alice@acme.com");
        assert_eq!(plain.account(), plain.legacy_account());
        assert_eq!(
            plain.account(),
            "default|https://acme.run.ai|alice@acme.com"
        );
    }
}
