//! The Linux kernel key retention service (`--store kernel`).
//!
//! Each record is one `user` key, `tokenctl:<account>`, in the user's
//! persistent keyring (persistent-keyring(7)): kernel memory, never disk;
//! shared by all of the user's sessions; kept for
//! `/proc/sys/kernel/keys/persistent_keyring_expiry` after the last use
//! (three days by default) and gone at reboot.
//!
//! Who can open it:
//! - the persistent keyring is linked into this process's *process*
//!   keyring, never the session keyring: a process keyring is not inherited
//!   across fork or exec, so the command of `exec`, kubectl and a browser
//!   get no handle to it (the session keyring would be inherited);
//! - keys are created possessor-only (view, read, write, search, set
//!   attributes); the owning user without possession may only view the
//!   description, group and others nothing: another local user can neither
//!   read nor list it.
//!
//! The quota (`/proc/sys/kernel/keys/maxbytes`, 20,000 bytes for a
//! non-root user; `maxkeys`, 200) counts the description and payload of
//! every key the user owns. Updating a key in place is checked against the
//! quota before the payload changes, so a write refused for quota leaves
//! the previous record whole.
//!
//! A record that was written and is now missing is told apart from "never
//! logged in" by a marker in the state directory (`kernel/<profile>.json`,
//! holding the key's description and when it was written, no secret): the
//! keyring was cleared at reboot or expiry, or by hand.

use std::path::PathBuf;

use linux_keyutils::{
    KeyError, KeyPermissions, KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission,
};

use super::{Backend, FileStore, StoreKey};
use crate::error::Error;
use crate::model::StoreKind;
use crate::secret::Secret;

pub const FALLBACK_HINT: &str =
    "pass --store file (or set TOKENCTL_STORE=file) to keep tokens in a 0600 file instead";

/// Why the record of a profile that logged in is missing.
pub const CLEARED: &str = "kernel keyring cleared at reboot or expiry";

pub struct Kernel {
    ring: KeyRing,
    /// Where login notes live; found on first use (a write, a logout, a
    /// missing key), never on the hot path's read.
    markers: std::cell::OnceCell<Option<FileStore>>,
}

/// The user's key quota and use, from `/proc/key-users`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub keys: u64,
    pub max_keys: u64,
    pub bytes: u64,
    pub max_bytes: u64,
}

impl Quota {
    /// This user's line of `/proc/key-users`; `None` when it cannot be read.
    pub fn current() -> Option<Self> {
        let text = std::fs::read_to_string("/proc/key-users").ok()?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let uid = unsafe { libc::geteuid() };
        Self::parse(&text, uid).or_else(|| {
            // A user with no key yet has no line: nothing used.
            let max_keys = read_number("/proc/sys/kernel/keys/maxkeys")?;
            let max_bytes = read_number("/proc/sys/kernel/keys/maxbytes")?;
            Some(Self {
                keys: 0,
                max_keys,
                bytes: 0,
                max_bytes,
            })
        })
    }

    /// `  1000:     5 5/5 3/200 120/20000`: uid, usage, nkeys/nikeys,
    /// qnkeys/maxkeys, qnbytes/maxbytes.
    fn parse(text: &str, uid: u32) -> Option<Self> {
        text.lines().find_map(|line| {
            let (who, rest) = line.split_once(':')?;
            if who.trim().parse::<u32>().ok()? != uid {
                return None;
            }
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let pair = |s: &str| -> Option<(u64, u64)> {
                let (a, b) = s.split_once('/')?;
                Some((a.parse().ok()?, b.parse().ok()?))
            };
            let (keys, max_keys) = pair(fields.get(2)?)?;
            let (bytes, max_bytes) = pair(fields.get(3)?)?;
            Some(Self {
                keys,
                max_keys,
                bytes,
                max_bytes,
            })
        })
    }

    pub fn free_bytes(&self) -> u64 {
        self.max_bytes.saturating_sub(self.bytes)
    }

    pub fn free_keys(&self) -> u64 {
        self.max_keys.saturating_sub(self.keys)
    }
}

fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// How long the persistent keyring lives unused, in seconds.
pub fn persistent_expiry() -> Option<u64> {
    read_number("/proc/sys/kernel/keys/persistent_keyring_expiry")
}

fn refused(e: KeyError) -> Error {
    let why = match e {
        KeyError::PermissionDenied | KeyError::AccessDenied => {
            "keyctl is refused here (a container's seccomp profile or a sandbox denies it)".into()
        }
        KeyError::OperationNotSupported | KeyError::Unknown(libc::ENOSYS) => {
            "this kernel or sandbox does not offer the key retention service".into()
        }
        KeyError::QuotaExceeded => "the kernel key quota of this user is full".into(),
        other => format!("keyctl failed ({})", describe(other)),
    };
    Error::store(format!(
        "the kernel keyring is unavailable: cannot open this user's persistent keyring: {why}"
    ))
    .with_hint(FALLBACK_HINT)
}

/// A keyctl error as a word, not its Debug name.
fn describe(e: KeyError) -> String {
    match e {
        KeyError::AccessDenied | KeyError::PermissionDenied => "permission denied".into(),
        KeyError::QuotaExceeded => "quota exceeded".into(),
        KeyError::KeyExpired => "key expired".into(),
        KeyError::KeyRevoked => "key revoked".into(),
        KeyError::KeyDoesNotExist | KeyError::KeyringDoesNotExist => "no such key".into(),
        KeyError::OutOfMemory => "out of memory".into(),
        KeyError::InvalidArguments | KeyError::InvalidDescription => "invalid argument".into(),
        KeyError::OperationNotSupported => "not supported".into(),
        KeyError::Unknown(errno) => std::io::Error::from_raw_os_error(errno).to_string(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Absent, as opposed to a failure: the key, or the keyring holding it, is
/// gone (cleared, expired, revoked, invalidated).
fn is_absent(e: KeyError) -> bool {
    matches!(
        e,
        KeyError::KeyDoesNotExist
            | KeyError::KeyringDoesNotExist
            | KeyError::KeyExpired
            | KeyError::KeyRevoked
    )
}

/// Possessor: view, read, write, search, set attributes; the owning user
/// without possession: view (the description, in `/proc/keys`); group and
/// others: nothing.
fn key_permissions() -> KeyPermissions {
    KeyPermissionsBuilder::builder()
        .posessor(
            Permission::VIEW
                | Permission::READ
                | Permission::WRITE
                | Permission::SEARCH
                | Permission::SETATTR,
        )
        .user(Permission::VIEW)
        .build()
}

impl Kernel {
    /// Links this user's persistent keyring into the process keyring
    /// (created for this process, not inherited by its children).
    pub fn open() -> Result<Self, Error> {
        let ring = KeyRing::get_persistent(KeyRingIdentifier::Process).map_err(refused)?;
        Ok(Self {
            ring,
            markers: std::cell::OnceCell::new(),
        })
    }

    fn description(key: &StoreKey) -> String {
        format!("tokenctl:{}", key.account())
    }

    /// The charge of one record against the byte quota: the description
    /// and its NUL, plus the payload.
    pub fn charge(key: &StoreKey, payload: usize) -> u64 {
        (Self::description(key).len() + 1 + payload) as u64
    }

    fn quota_error(&self, key: &StoreKey, payload: usize) -> Error {
        let need = Self::charge(key, payload);
        let usage = match Quota::current() {
            Some(q) => format!(
                "this record needs {need} bytes; {} of {} bytes and {} of {} keys are in use (kernel/keys/maxbytes, maxkeys)",
                q.bytes, q.max_bytes, q.keys, q.max_keys
            ),
            None => format!("this record needs {need} bytes"),
        };
        Error::store(format!(
            "the kernel keyring quota of this user is full: {usage}; nothing stored for profile `{}` was changed",
            key.profile
        ))
        .with_hint(format!(
            "log out a profile you no longer use (`tokenctl --profile NAME logout`), or {FALLBACK_HINT}"
        ))
    }

    fn markers(&self) -> Option<&FileStore> {
        self.markers
            .get_or_init(|| crate::paths::state_subdir("kernel").ok().map(FileStore::at))
            .as_ref()
    }

    fn marker_path(&self, key: &StoreKey) -> Option<PathBuf> {
        self.markers().map(|m| m.path(key))
    }
}

/// The key's payload in a buffer of exactly its size: the crate's
/// `read_to_vec` reads into 64 KiB, which the secret's zeroizing drop then
/// wipes byte by byte on every call (a fifth of the hot path). A key
/// rewritten between the size and the read is read again.
fn read_exact_size(key: &linux_keyutils::Key) -> Result<Vec<u8>, KeyError> {
    let mut size = key.read(&mut [0u8; 0])?;
    for _ in 0..3 {
        let mut buf = vec![0u8; size];
        let len = key.read(&mut buf)?;
        if len <= buf.len() {
            buf.truncate(len);
            return Ok(buf);
        }
        // Grew in between: the part read is wiped, the size taken again.
        zeroize::Zeroize::zeroize(&mut buf);
        size = len;
    }
    key.read_to_vec()
}

impl Backend for Kernel {
    fn kind(&self) -> StoreKind {
        StoreKind::Kernel
    }

    fn read(&self, key: &StoreKey) -> Result<Option<Secret>, Error> {
        let found = match self.ring.search(&Self::description(key)) {
            Ok(k) => k,
            Err(e) if is_absent(e) => return Ok(None),
            Err(e) => {
                return Err(Error::store(format!(
                    "cannot find the kernel keyring entry: {}",
                    describe(e)
                ))
                .with_hint(FALLBACK_HINT));
            }
        };
        match read_exact_size(&found) {
            // Non-UTF-8 content is reported by the record parser as unreadable.
            Ok(bytes) => Ok(Some(Secret::new(
                String::from_utf8(bytes).unwrap_or_default(),
            ))),
            Err(e) if is_absent(e) => Ok(None),
            Err(e) => Err(Error::store(format!(
                "cannot read the kernel keyring entry: {}",
                describe(e)
            ))
            .with_hint(FALLBACK_HINT)),
        }
    }

    fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error> {
        let payload = value.expose().as_bytes();
        let created = match self.ring.add_key(&Self::description(key), payload) {
            Ok(k) => k,
            Err(KeyError::QuotaExceeded) => return Err(self.quota_error(key, payload.len())),
            Err(e) => {
                return Err(Error::store(format!(
                    "cannot write the kernel keyring entry: {}",
                    describe(e)
                ))
                .with_hint(FALLBACK_HINT));
            }
        };
        if let Err(e) = created.set_perms(key_permissions()) {
            // Never leave a key with permissions we did not choose.
            let _ = created.invalidate();
            return Err(Error::store(format!(
                "cannot restrict the kernel keyring entry to its owner: {}",
                describe(e)
            ))
            .with_hint(FALLBACK_HINT));
        }
        if let Some(markers) = self.markers() {
            let note = serde_json::json!({
                "key": Self::description(key),
                "written_at": crate::token::now(),
            });
            if let Err(e) = markers.write(key, &Secret::new(note.to_string())) {
                crate::ui::verbose(format!(
                    "could not note the kernel keyring login of profile `{}`: {e}",
                    key.profile
                ));
            }
        }
        Ok(())
    }

    fn delete(&self, key: &StoreKey) -> Result<bool, Error> {
        let removed = match self.ring.search(&Self::description(key)) {
            Ok(k) => match k.invalidate() {
                Ok(()) => true,
                Err(e) if is_absent(e) => false,
                Err(e) => {
                    return Err(Error::store(format!(
                        "cannot remove the kernel keyring entry: {}",
                        describe(e)
                    )));
                }
            },
            Err(e) if is_absent(e) => false,
            Err(e) => {
                return Err(Error::store(format!(
                    "cannot find the kernel keyring entry: {}",
                    describe(e)
                )));
            }
        };
        if let Some(path) = self.marker_path(key) {
            let _ = std::fs::remove_file(path);
        }
        Ok(removed)
    }

    fn describe(&self, key: &StoreKey) -> String {
        format!(
            "the kernel keyring (this user's persistent keyring, key `{}`)",
            Self::description(key)
        )
    }

    fn location(&self, key: &StoreKey) -> String {
        Self::description(key)
    }

    fn lost(&self, key: &StoreKey) -> Option<&'static str> {
        let path = self.marker_path(key)?;
        std::fs::symlink_metadata(path).ok().map(|_| CLEARED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_this_users_quota_line() {
        let text = "    0:     9 8/8 3/1000000 40/25000000\n 1000:     5 5/5 3/200 120/20000\n";
        assert_eq!(
            Quota::parse(text, 1000),
            Some(Quota {
                keys: 3,
                max_keys: 200,
                bytes: 120,
                max_bytes: 20000
            })
        );
        assert_eq!(Quota::parse(text, 0).unwrap().max_bytes, 25_000_000);
        assert_eq!(Quota::parse(text, 42), None);
        assert_eq!(Quota::parse("garbage\n1000: x y\n", 1000), None);
        let q = Quota::parse(text, 1000).unwrap();
        assert_eq!((q.free_bytes(), q.free_keys()), (19880, 197));
    }

    #[test]
    fn permissions_are_possessor_only() {
        let bits = key_permissions().bits();
        // possessor: view read write search setattr; user: view; none else.
        assert_eq!(bits, 0x2f01_0000);
    }

    #[test]
    fn the_charge_counts_description_nul_and_payload() {
        let key = StoreKey {
            profile: "default".into(),
            server: "https://acme.run.ai".into(),
            principal: "alice".into(),
        };
        // "tokenctl:default|https://acme.run.ai|alice" is 42 bytes.
        assert_eq!(Kernel::charge(&key, 1000), 42 + 1 + 1000);
    }
}
