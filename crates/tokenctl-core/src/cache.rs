//! The fast path for `tokenctl token`: the short-lived access token and its
//! expiry, in per-user memory-backed storage (`$XDG_RUNTIME_DIR`, a tmpfs
//! only this user can enter), so the common call needs no keychain round
//! trip (~12 ms over D-Bus).
//!
//! Never holds a refresh token, id token or client secret. The keychain
//! stays the store of record; this is written through on every save,
//! removed by `logout`, and off with `cache = false` in the profile.

use serde::{Deserialize, Serialize};

use crate::config::Profile;
use crate::grant::GrantKind;
use crate::model::StoreKind;
use crate::paths;
use crate::report;
use crate::secret::Secret;
use crate::store::{Backend, FileStore, StoreKey};
use crate::token::{self, Source, TokenSet};

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Entry {
    version: u32,
    server: String,
    principal: String,
    access_token: Secret,
    expires_at: u64,
    /// When the token was obtained, so the repository can judge its
    /// lifetime; 0 in entries of earlier versions (lifetime unknown).
    #[serde(default)]
    obtained_at: u64,
    /// The issued lifetime, so judging the renewal margin on the hot path
    /// needs no JWT decoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lifetime: Option<u64>,
}

pub struct TokenCache {
    files: FileStore,
}

impl TokenCache {
    /// The cache for a profile, when it applies: keychain profiles (the file
    /// store is as fast already), not switched off, and a runtime dir exists.
    pub fn for_profile(profile: &Profile, store: StoreKind) -> Option<Self> {
        if store != StoreKind::Keychain || profile.cache == Some(false) {
            return None;
        }
        Self::open()
    }

    /// Without a safe `$XDG_RUNTIME_DIR` there is no memory-backed per-user
    /// place: no cache rather than tokens on disk or in a shared directory.
    pub fn open() -> Option<Self> {
        match paths::runtime_subdir("cache") {
            Ok(dir) => Some(Self {
                files: FileStore::at(dir),
            }),
            Err((place, why)) => {
                if why != paths::Unsafe::Missing {
                    report::verbose(format!(
                        "token cache skipped: not using {}: {why}",
                        crate::text::shown(&place)
                    ));
                }
                None
            }
        }
    }

    /// The cached token when it belongs to this key and has not expired;
    /// the repository decides whether it has enough time left. Anything
    /// unusable is a miss, never an error.
    pub fn get(&self, key: &StoreKey, profile: &Profile) -> Option<TokenSet> {
        let raw = match self.files.read(key) {
            Ok(raw) => raw?,
            Err(e) => {
                report::verbose(format!("token cache skipped: {e}"));
                return None;
            }
        };
        let entry: Entry = serde_json::from_str(raw.expose()).ok()?;
        let now = token::now();
        let fresh = entry.version == VERSION
            && entry.server == key.server
            && entry.principal == key.principal
            && entry.expires_at > now;
        if !fresh {
            return None;
        }
        report::trace("token from the memory cache");
        Some(TokenSet {
            access_token: entry.access_token,
            id_token: None,
            refresh_token: None,
            app_secret: None,
            expires_at: Some(entry.expires_at),
            obtained_at: entry.obtained_at,
            source: Source {
                api: profile.api,
                grant: GrantKind::Cache,
                server: entry.server,
                principal: Some(entry.principal),
            },
            lifetime: entry.lifetime,
        })
    }

    /// Writes through; a token without a known expiry is not cached (the
    /// cache could not tell when to stop using it).
    pub fn put(&self, key: &StoreKey, tokens: &TokenSet) {
        let Some(expires_at) = tokens.expires_at else {
            self.remove(key);
            return;
        };
        let entry = Entry {
            version: VERSION,
            server: key.server.clone(),
            principal: key.principal.clone(),
            access_token: tokens.access_token.clone(),
            expires_at,
            obtained_at: tokens.obtained_at,
            lifetime: tokens.lifetime,
        };
        let text = Secret::new(serde_json::to_string(&entry).expect("cache entry serializes"));
        if let Err(e) = self.files.write(key, &text) {
            report::verbose(format!("could not update the token cache: {e}"));
        }
    }

    pub fn remove(&self, key: &StoreKey) {
        let _ = self.files.delete(key);
    }
}
