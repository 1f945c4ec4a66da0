//! The Linux kernel key retention service (`--store kernel`).
//!
//! Each record is one `user` key, `tokenctl:<account>`, in tokenctl's own
//! keyring (`tokenctl.<random>`) inside the user's persistent keyring
//! (persistent-keyring(7)): kernel memory, never disk; shared by all of the
//! user's sessions; kept for `/proc/sys/kernel/keys/persistent_keyring_expiry`
//! after the last use (three days by default) and gone at reboot.
//!
//! Who can open it:
//! - the persistent keyring is linked into this process's *process*
//!   keyring, never the session keyring: a process keyring is not inherited
//!   across fork or exec, so the command of `exec`, kubectl and a browser
//!   get no handle to it (the session keyring would be inherited);
//! - keys are created possessor-only (view, read, write, search, set
//!   attributes); the owning user without possession may only view the
//!   description, group and others nothing: another local user can neither
//!   read nor list it. tokenctl's keyring adds search for the owning user,
//!   which lets it be joined by name (below), and nothing for anyone else.
//!
//! The quota (`/proc/sys/kernel/keys/maxbytes`, 20,000 bytes for a
//! non-root user; `maxkeys`, 200; the use in `/proc/key-users`) counts the
//! description and payload of every key the user owns, and 4 bytes for
//! each link in a keyring of theirs. Updating a key in place is checked
//! against the quota before the payload changes, so a write refused for
//! quota leaves the previous record whole.
//!
//! Reaching the keyring needs no room: the process keyring may overrun the
//! quota, but linking the persistent keyring into it needs 4 free bytes.
//! With none left, a call instead runs on a thread of its own that joins
//! tokenctl's keyring by name as its session keyring, which allocates
//! nothing; the thread ends with the call, so no other thread's keyrings
//! (which a command started later inherits) change.
//!
//! A record that was written and is now missing is told apart from "never
//! logged in" by a marker in the state directory (`kernel/<profile>.json`,
//! holding the key's description and when it was written, no secret): the
//! keyring was cleared at reboot or expiry, or by hand.

use std::ffi::{CStr, CString};
use std::path::PathBuf;

use linux_keyutils::{
    Key, KeyError, KeyPermissions, KeyPermissionsBuilder, KeySerialId, Permission,
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
    access: Access,
    /// Where login notes live; found on first use (a write, a logout, a
    /// missing key), never on the hot path's read.
    markers: std::cell::OnceCell<Option<FileStore>>,
}

/// How this process reaches the persistent keyring.
enum Access {
    /// Its serial, linked into this process's process keyring.
    Linked(i32),
    /// The quota had no room for that link: through tokenctl's keyring,
    /// joined on a thread of its own for each call ([`in_ring`]).
    Joined,
}

/// The start of the name of tokenctl's keyring; a random part follows, so
/// another user cannot create one of the same name first.
const RING_PREFIX: &str = "tokenctl.";

/// The `add_key`/`keyctl` calls linux-keyutils does not offer: a search by
/// type (for keyrings), a keyring made inside another, joining a keyring
/// by name, unlinking by serial (its `KeyRing` keeps its serial private).
mod sys {
    use std::ffi::CStr;

    use linux_keyutils::KeyError;

    pub const PROCESS_KEYRING: i32 = -2;
    pub const SESSION_KEYRING: i32 = -3;
    pub const USER: &CStr = c"user";
    pub const KEYRING: &CStr = c"keyring";
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    const KEYCTL_UNLINK: libc::c_long = 9;
    const KEYCTL_SEARCH: libc::c_long = 10;
    const KEYCTL_GET_PERSISTENT: libc::c_long = 22;

    fn serial(rc: libc::c_long) -> Result<i32, KeyError> {
        if rc < 0 {
            Err(KeyError::from_errno())
        } else {
            i32::try_from(rc).map_err(|_| KeyError::InvalidIdentifier)
        }
    }

    /// This user's persistent keyring, linked into `dest`.
    pub fn get_persistent(dest: i32) -> Result<i32, KeyError> {
        // SAFETY: integer arguments only; -1 is "this user".
        serial(unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_GET_PERSISTENT,
                -1 as libc::c_long,
                dest as libc::c_long,
            )
        })
    }

    /// A key of `kind` described `desc` in the tree under `ring`.
    pub fn search(ring: i32, kind: &CStr, desc: &CStr) -> Result<i32, KeyError> {
        // SAFETY: NUL-terminated strings that outlive the call.
        serial(unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_SEARCH,
                ring as libc::c_long,
                kind.as_ptr(),
                desc.as_ptr(),
                0 as libc::c_long,
            )
        })
    }

    /// Adds (or updates in place) a key of `kind` in `ring`; a keyring
    /// takes no payload.
    pub fn add(
        kind: &CStr,
        desc: &CStr,
        payload: Option<&[u8]>,
        ring: i32,
    ) -> Result<i32, KeyError> {
        let (ptr, len) = payload.map_or((std::ptr::null(), 0), |p| (p.as_ptr(), p.len()));
        // SAFETY: NUL-terminated strings and a payload buffer of `len`
        // bytes (or null and 0), all outliving the call.
        serial(unsafe {
            libc::syscall(
                libc::SYS_add_key,
                kind.as_ptr(),
                desc.as_ptr(),
                ptr,
                len,
                ring as libc::c_long,
            )
        })
    }

    /// Removes the link to `key` from `ring`.
    pub fn unlink(key: i32, ring: i32) -> Result<i32, KeyError> {
        // SAFETY: integer arguments only.
        serial(unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_UNLINK,
                key as libc::c_long,
                ring as libc::c_long,
            )
        })
    }

    /// Makes the keyring named `name` the calling thread's session keyring.
    pub fn join(name: &CStr) -> Result<i32, KeyError> {
        // SAFETY: a NUL-terminated string that outlives the call.
        serial(unsafe {
            libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.as_ptr())
        })
    }
}

/// tokenctl's keyring: its serial and name.
#[derive(Debug, Clone)]
struct Ring {
    serial: i32,
    name: CString,
}

/// What of this user's `/proc/keys` concerns tokenctl: its keyrings, and
/// the descriptions of its keys (wherever they are linked).
#[derive(Debug, Default)]
struct Listing {
    rings: Vec<Ring>,
    keys: Vec<String>,
}

impl Listing {
    fn read() -> Self {
        let text = std::fs::read_to_string("/proc/keys").unwrap_or_default();
        // SAFETY: geteuid has no preconditions and cannot fail.
        Self::parse(&text, unsafe { libc::geteuid() }, |serial| {
            Key::from_id(KeySerialId::new(serial))
                .metadata()
                .ok()
                .map(|m| (m.get_uid(), m.get_description().to_string()))
        })
    }

    /// `serial flags usage timeout perm uid gid type description: summary`;
    /// a keyring's exact name is asked of the kernel (`describe`).
    fn parse(text: &str, uid: u32, describe: impl Fn(i32) -> Option<(u32, String)>) -> Self {
        let mut found = Self::default();
        for line in text.lines() {
            let mut rest = line;
            let mut fields = [""; 8];
            for field in &mut fields {
                let trimmed = rest.trim_start();
                let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
                *field = &trimmed[..end];
                rest = &trimmed[end..];
            }
            let rest = rest.trim_start();
            // Flags `IRDQUNi`: revoked, dead, negative or invalidated keys
            // are on their way out (the collector runs later); so are
            // expired ones.
            let gone = fields[1]
                .chars()
                .any(|c| matches!(c, 'R' | 'D' | 'N' | 'i'));
            if gone || fields[3] == "expd" || fields[5].parse::<u32>().ok() != Some(uid) {
                continue;
            }
            match fields[7] {
                "user" if rest.starts_with("tokenctl:") => {
                    // `desc: 1234` for a key with a payload.
                    let desc = match rest.rsplit_once(": ") {
                        Some((d, n)) if n.bytes().all(|b| b.is_ascii_digit()) => d,
                        _ => rest,
                    };
                    found.keys.push(desc.to_string());
                }
                "keyring" if rest.starts_with(RING_PREFIX) => {
                    let Ok(serial) = i32::from_str_radix(fields[0], 16) else {
                        continue;
                    };
                    if let Some((owner, name)) = describe(serial)
                        && owner == uid
                        && name.starts_with(RING_PREFIX)
                        && let Ok(name) = CString::new(name)
                    {
                        found.rings.push(Ring { serial, name });
                    }
                }
                _ => {}
            }
        }
        found
    }

    fn has_key(&self, desc: &str) -> bool {
        self.keys.iter().any(|k| k == desc)
    }
}

/// Runs `op` on tokenctl's keyring from a thread of its own that joins it
/// by name as its session keyring: no key or link is allocated, so it works
/// with the quota full, and the calling thread's keyrings stay as they were.
fn in_ring<T: Send>(
    ring: &Ring,
    op: impl FnOnce(i32) -> Result<T, KeyError> + Send,
) -> Result<T, KeyError> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // Another keyring of that name (none we could search) would
                // have been created or joined instead: not ours to use.
                if sys::join(&ring.name)? != ring.serial {
                    return Err(KeyError::KeyringDoesNotExist);
                }
                op(sys::SESSION_KEYRING)
            })
            .join()
            .expect("the keyring thread does not panic")
    })
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

/// tokenctl's keyring: the possessor all but read (it is listed through
/// search); the owning user view and search, so it can be joined by name;
/// group and others nothing.
fn ring_permissions() -> KeyPermissions {
    KeyPermissionsBuilder::builder()
        .posessor(
            Permission::VIEW
                | Permission::READ
                | Permission::WRITE
                | Permission::SEARCH
                | Permission::LINK
                | Permission::SETATTR,
        )
        .user(Permission::VIEW | Permission::SEARCH)
        .build()
}

/// Why the quota refused a write.
enum Refused {
    /// A new key of this many bytes.
    New(u64),
    /// A key updated in place, growing by this many bytes.
    Grows(u64),
}

/// What tokenctl's own keyring costs when a login has to make it: the
/// description of `tokenctl.` and 32 hex digits, its NUL, the link to it.
const RING_CHARGE: u64 = (RING_PREFIX.len() + 32 + 1 + LINK_CHARGE) as u64;

/// A link in a keyring of the user's (`KEYQUOTA_LINK_BYTES`).
const LINK_CHARGE: usize = 4;

const QUOTA_HINT: &str = "log out a profile you no longer use (`tokenctl --profile NAME logout`), or pass --store file (or set TOKENCTL_STORE=file) to keep tokens in a 0600 file instead; an administrator can raise the limits (sysctl kernel.keys.maxbytes, kernel.keys.maxkeys)";

/// Which quota limit is reached, from `/proc/key-users`.
fn usage(need_bytes: u64, new_key: bool) -> String {
    let Some(q) = Quota::current() else {
        return "see /proc/key-users".into();
    };
    let mut full = Vec::new();
    if new_key && q.free_keys() == 0 {
        full.push(format!(
            "all {} keys it may own are in use (maxkeys)",
            q.max_keys
        ));
    }
    if q.free_bytes() < need_bytes {
        full.push(format!(
            "{} of {} bytes are in use (maxbytes)",
            q.bytes, q.max_bytes
        ));
    }
    if full.is_empty() {
        // Freed since the kernel refused: say what is in use now.
        full.push(format!(
            "{} of {} bytes (maxbytes) and {} of {} keys (maxkeys) are in use",
            q.bytes, q.max_bytes, q.keys, q.max_keys
        ));
    }
    format!("{} (see /proc/key-users)", full.join(" and "))
}

/// How many keys linked in `ring` are still alive (an invalidated one stays
/// listed until the collector runs); `None` when it cannot be read.
fn live_links(ring: i32) -> Option<usize> {
    let ring = Key::from_id(KeySerialId::new(ring));
    let size = ring.read(&mut [0u8; 0]).ok()?;
    let mut buf = vec![0u8; size];
    let len = ring.read(&mut buf).ok()?.min(size);
    Some(
        buf[..len]
            .chunks_exact(4)
            .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .filter(|&serial| Key::from_id(KeySerialId::new(serial)).metadata().is_ok())
            .count(),
    )
}

fn write_failed(e: &KeyError) -> Error {
    Error::store(format!(
        "cannot write the kernel keyring entry: {}",
        describe(*e)
    ))
    .with_hint(FALLBACK_HINT)
}

fn description_c(key: &StoreKey) -> Result<CString, Error> {
    CString::new(Kernel::description(key)).map_err(|_| {
        Error::store(
            "a profile, server or user name holds a NUL byte, which the kernel keyring cannot name",
        )
        .with_hint(FALLBACK_HINT)
    })
}

impl Kernel {
    /// Links this user's persistent keyring into the process keyring
    /// (created for this process, not inherited by its children); with the
    /// quota too full for that link, reaches it by tokenctl's keyring.
    pub fn open() -> Result<Self, Error> {
        let access = match sys::get_persistent(sys::PROCESS_KEYRING) {
            Ok(serial) => Access::Linked(serial),
            Err(KeyError::QuotaExceeded) => {
                crate::ui::verbose(
                    "the kernel key quota has no room to link the persistent keyring; reaching tokenctl's keyring by name",
                );
                Access::Joined
            }
            Err(e) => return Err(refused(e)),
        };
        Ok(Self {
            access,
            markers: std::cell::OnceCell::new(),
        })
    }

    fn description(key: &StoreKey) -> String {
        format!("tokenctl:{}", key.account())
    }

    /// The charge of one record against the byte quota: the description
    /// and its NUL, the payload, and its link in tokenctl's keyring.
    pub fn charge(key: &StoreKey, payload: usize) -> u64 {
        (Self::description(key).len() + 1 + payload + LINK_CHARGE) as u64
    }

    /// A write the quota refused: which limit, how much was needed, and
    /// that nothing stored changed.
    fn quota_error(&self, key: &StoreKey, why: Refused) -> Error {
        let (need, new_key, what) = match why {
            Refused::New(need) => (
                need,
                true,
                format!("this record needs {need} bytes and 1 key"),
            ),
            Refused::Grows(by) => (
                by,
                false,
                format!("the new record needs {by} bytes more than the one it replaces"),
            ),
        };
        Error::store(format!(
            "the kernel keyring quota of this user is full: {}; {what}; nothing stored for profile `{}` was changed",
            usage(need, new_key),
            key.profile
        ))
        .with_hint(QUOTA_HINT)
    }

    /// A key that exists but can be reached only through a link the full
    /// quota has no room for (written by a tokenctl before its own keyring).
    fn unreachable(&self, key: &StoreKey) -> Error {
        Error::store(format!(
            "the kernel keyring quota of this user is full: {}; the key of profile `{}` is not in tokenctl's keyring, and reaching it needs a link to the persistent keyring that there is no room for",
            usage(4, false),
            key.profile
        ))
        .with_hint(QUOTA_HINT)
    }

    /// The serial, or "absent", of this profile's key in the tree under `ring`.
    fn find(ring: i32, desc: &CStr) -> Result<Option<i32>, KeyError> {
        match sys::search(ring, sys::USER, desc) {
            Ok(serial) => Ok(Some(serial)),
            Err(e) if is_absent(e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// tokenctl's keyring inside the persistent keyring `persistent`, if any.
    fn own_ring(persistent: i32, listing: &Listing) -> Option<Ring> {
        listing
            .rings
            .iter()
            .find(|r| sys::search(persistent, sys::KEYRING, &r.name) == Ok(r.serial))
            .cloned()
    }

    /// A new key in tokenctl's keyring (made first when missing),
    /// possessor-only. On failure nothing new is left behind.
    fn add_new(
        persistent: i32,
        ring: Option<&Ring>,
        desc: &CStr,
        payload: &[u8],
    ) -> Result<i32, KeyError> {
        let (ring, made) = match ring {
            Some(r) => (r.serial, false),
            None => {
                let name = CString::new(format!(
                    "{RING_PREFIX}{}",
                    crate::random::hex(16).map_err(|_| KeyError::OutOfMemory)?
                ))
                .map_err(|_| KeyError::InvalidDescription)?;
                let serial = sys::add(sys::KEYRING, &name, None, persistent)?;
                if let Err(e) = Key::from_id(KeySerialId::new(serial)).set_perms(ring_permissions())
                {
                    let _ = Key::from_id(KeySerialId::new(serial)).invalidate();
                    return Err(e);
                }
                (serial, true)
            }
        };
        let added = sys::add(sys::USER, desc, Some(payload), ring).and_then(|serial| {
            let key = Key::from_id(KeySerialId::new(serial));
            key.set_perms(key_permissions()).inspect_err(|_| {
                // Never leave a key with permissions we did not choose.
                let _ = key.invalidate();
            })?;
            Ok(serial)
        });
        if added.is_err() && made {
            let _ = Key::from_id(KeySerialId::new(ring)).invalidate();
        }
        added
    }

    /// Stores `payload` with the persistent keyring linked: in place when
    /// the key is in tokenctl's keyring; a key an older tokenctl put
    /// straight in the persistent keyring moves into it (where a full quota
    /// cannot hide it), or stays and is updated when there is no room.
    fn write_linked(
        &self,
        persistent: i32,
        key: &StoreKey,
        desc: &CStr,
        payload: &[u8],
    ) -> Result<(), Error> {
        let listing = Listing::read();
        let ring = Self::own_ring(persistent, &listing);
        let existing = Self::find(persistent, desc).map_err(|e| write_failed(&e))?;
        if let Some(old) = existing {
            let in_ring = ring
                .as_ref()
                .is_some_and(|r| Self::find(r.serial, desc) == Ok(Some(old)));
            if !in_ring {
                match Self::add_new(persistent, ring.as_ref(), desc, payload) {
                    Ok(_) => {
                        let _ = Key::from_id(KeySerialId::new(old)).invalidate();
                        return Ok(());
                    }
                    Err(KeyError::QuotaExceeded) => {}
                    Err(e) => return Err(write_failed(&e)),
                }
            }
            return self.update(key, old, payload);
        }
        match Self::add_new(persistent, ring.as_ref(), desc, payload) {
            Ok(_) => Ok(()),
            Err(KeyError::QuotaExceeded) => {
                let ring_cost = if ring.is_some() { 0 } else { RING_CHARGE };
                Err(self.quota_error(
                    key,
                    Refused::New(Self::charge(key, payload.len()) + ring_cost),
                ))
            }
            Err(e) => Err(write_failed(&e)),
        }
    }

    /// Replaces the payload of the key `serial` in place.
    fn update(&self, key: &StoreKey, serial: i32, payload: &[u8]) -> Result<(), Error> {
        let found = Key::from_id(KeySerialId::new(serial));
        match found.update(&payload) {
            Ok(()) => Ok(()),
            Err(KeyError::QuotaExceeded) => {
                let old = found.read(&mut [0u8; 0]).unwrap_or(0);
                Err(self.quota_error(
                    key,
                    Refused::Grows(payload.len().saturating_sub(old) as u64),
                ))
            }
            Err(e) => Err(write_failed(&e)),
        }
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
        let desc = description_c(key)?;
        let found = match &self.access {
            Access::Linked(persistent) => Self::find(*persistent, &desc).and_then(|found| {
                found
                    .map(|serial| read_exact_size(&Key::from_id(KeySerialId::new(serial))))
                    .transpose()
            }),
            Access::Joined => {
                let listing = Listing::read();
                let mut found = Ok(None);
                for ring in &listing.rings {
                    found = in_ring(ring, |serial| {
                        Self::find(serial, &desc)?
                            .map(|k| read_exact_size(&Key::from_id(KeySerialId::new(k))))
                            .transpose()
                    });
                    if !matches!(found, Ok(None)) {
                        break;
                    }
                }
                if matches!(found, Ok(None)) && listing.has_key(&Self::description(key)) {
                    return Err(self.unreachable(key));
                }
                found
            }
        };
        match found {
            // Non-UTF-8 content is reported by the record parser as unreadable.
            Ok(Some(bytes)) => Ok(Some(Secret::new(
                String::from_utf8(bytes).unwrap_or_default(),
            ))),
            Ok(None) => Ok(None),
            Err(e) if is_absent(e) => Ok(None),
            Err(e) => Err(Error::store(format!(
                "cannot read the kernel keyring entry: {}",
                describe(e)
            ))
            .with_hint(FALLBACK_HINT)),
        }
    }

    fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error> {
        let desc = description_c(key)?;
        let payload = value.expose().as_bytes();
        match &self.access {
            Access::Linked(persistent) => self.write_linked(*persistent, key, &desc, payload)?,
            Access::Joined => {
                let listing = Listing::read();
                let mut done = None;
                for ring in &listing.rings {
                    // Updated on the joined thread: only it possesses the key.
                    let outcome = in_ring(ring, |serial| {
                        let Some(found) = Self::find(serial, &desc)? else {
                            return Ok(None);
                        };
                        let found = Key::from_id(KeySerialId::new(found));
                        match found.update(&payload) {
                            Ok(()) => Ok(Some(Ok(()))),
                            Err(KeyError::QuotaExceeded) => {
                                let old = found.read(&mut [0u8; 0]).unwrap_or(0);
                                Ok(Some(Err(payload.len().saturating_sub(old) as u64)))
                            }
                            Err(e) => Err(e),
                        }
                    });
                    match outcome {
                        Ok(Some(result)) => {
                            done = Some(result);
                            break;
                        }
                        Ok(None) => {}
                        Err(e) => return Err(write_failed(&e)),
                    }
                }
                match done {
                    Some(Ok(())) => {}
                    Some(Err(grows)) => return Err(self.quota_error(key, Refused::Grows(grows))),
                    None if listing.has_key(&Self::description(key)) => {
                        return Err(self.unreachable(key));
                    }
                    None => {
                        // A new key: possible only if the quota has room for
                        // it after all (it never has room for less).
                        let ring = listing.rings.first();
                        let added = match ring {
                            Some(ring) => in_ring(ring, |serial| {
                                let added = sys::add(sys::USER, &desc, Some(payload), serial)?;
                                let k = Key::from_id(KeySerialId::new(added));
                                k.set_perms(key_permissions()).inspect_err(|_| {
                                    let _ = k.invalidate();
                                })
                            }),
                            None => Err(KeyError::QuotaExceeded),
                        };
                        match added {
                            Ok(()) => {}
                            Err(KeyError::QuotaExceeded) => {
                                let ring_cost = if ring.is_some() { 0 } else { RING_CHARGE };
                                return Err(self.quota_error(
                                    key,
                                    Refused::New(Self::charge(key, payload.len()) + ring_cost),
                                ));
                            }
                            Err(e) => return Err(write_failed(&e)),
                        }
                    }
                }
            }
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
        let desc = description_c(key)?;
        let gone = |e: KeyError| {
            Error::store(format!(
                "cannot remove the kernel keyring entry: {}",
                describe(e)
            ))
        };
        let invalidate = |serial: i32| match Key::from_id(KeySerialId::new(serial)).invalidate() {
            Ok(()) => Ok(true),
            Err(e) if is_absent(e) => Ok(false),
            Err(e) => Err(e),
        };
        let removed = match &self.access {
            Access::Linked(persistent) => {
                let removed = Self::find(*persistent, &desc)
                    .and_then(|found| found.map_or(Ok(false), invalidate))
                    .map_err(gone)?;
                // tokenctl's keyring goes with its last key: unlinked at
                // once (an invalidated key is collected a moment later).
                // Two logins at once may have made two.
                for ring in Listing::read().rings {
                    if sys::search(*persistent, sys::KEYRING, &ring.name) == Ok(ring.serial)
                        && live_links(ring.serial) == Some(0)
                    {
                        let _ = sys::unlink(ring.serial, *persistent);
                    }
                }
                removed
            }
            Access::Joined => {
                let listing = Listing::read();
                let mut removed = false;
                for ring in &listing.rings {
                    removed = in_ring(ring, |serial| {
                        Self::find(serial, &desc)?.map_or(Ok(false), invalidate)
                    })
                    .map_err(gone)?;
                    if removed {
                        break;
                    }
                }
                if !removed && listing.has_key(&Self::description(key)) {
                    return Err(self.unreachable(key));
                }
                removed
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
    fn finds_this_users_rings_and_keys_in_proc_keys() {
        let text = "\
0c1d2e3f I--Q---     1 perm 3f090000  1000  1000 keyring   tokenctl.00ff: 2
1a2b3c4d I--Q---     1 perm 2f010000  1000  1000 user      tokenctl:default|https://a.example|alice: 2345
2b3c4d5e I--Q---     1 perm 3f3f0000  1001  1001 keyring   tokenctl.00ff: empty
3c4d5e6f I--Q--i     1 perm 3f090000  1000  1000 keyring   tokenctl.dead: empty
4d5e6f70 I--Q---     1 perm 2f010000  1000  1000 user      tokenctl:with: colon|x|y: 12
5e6f7081 I--Q---     1 expd 2f010000  1000  1000 user      tokenctl:old|x|y: 12
6f708192 I--Q---     1 perm 3f090000  1000  1000 keyring   tokenctl.other: empty
";
        let listing = Listing::parse(text, 1000, |serial| match serial {
            0x0c1d2e3f => Some((1000, "tokenctl.00ff".into())),
            // Renamed or replaced since /proc/keys was read: not ours.
            0x6f708192 => Some((1001, "tokenctl.other".into())),
            _ => None,
        });
        let rings: Vec<_> = listing.rings.iter().map(|r| r.serial).collect();
        assert_eq!(
            rings,
            [0x0c1d2e3f],
            "another user's and invalidated ones are skipped"
        );
        assert!(listing.has_key("tokenctl:default|https://a.example|alice"));
        assert!(listing.has_key("tokenctl:with: colon|x|y"));
        assert!(!listing.has_key("tokenctl:old|x|y"), "expired");
    }

    #[test]
    fn permissions_are_possessor_only() {
        let bits = key_permissions().bits();
        // possessor: view read write search setattr; user: view; none else.
        assert_eq!(bits, 0x2f01_0000);
        // tokenctl's keyring: the user may also search it, to join it.
        assert_eq!(ring_permissions().bits(), 0x3f09_0000);
    }

    #[test]
    fn the_charge_counts_description_nul_and_payload() {
        let key = StoreKey {
            profile: "default".into(),
            server: "https://acme.run.ai".into(),
            principal: "alice".into(),
        };
        // "tokenctl:default|https://acme.run.ai|alice" is 42 bytes.
        assert_eq!(Kernel::charge(&key, 1000), 42 + 1 + 1000 + 4);
    }
}
