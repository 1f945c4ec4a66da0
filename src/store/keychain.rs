//! The OS keychain through keyring-core and the platform's store.

use std::sync::OnceLock;

use keyring_core::{Entry, Error as KeyringError};

use super::{Backend, StoreKey};
use crate::config::StoreKind;
use crate::error::Error;
use crate::secret::Secret;

const SERVICE: &str = "tokenctl";

const FALLBACK_HINT: &str =
    "pass --store file (or set TOKENCTL_STORE=file) to keep tokens in a 0600 file instead";

pub struct Keychain;

impl Keychain {
    /// Connects to the platform store once per process.
    pub fn open() -> Result<Self, Error> {
        static INIT: OnceLock<Result<(), String>> = OnceLock::new();
        INIT.get_or_init(init_platform_store)
            .clone()
            .map(|()| Self)
            .map_err(|why| {
                Error::store(format!(
                    "the OS keychain is unavailable: {why}; {FALLBACK_HINT}"
                ))
            })
    }

    fn entry(key: &StoreKey) -> Result<Entry, Error> {
        Entry::new(SERVICE, &key.account()).map_err(|e| map_error(e, "open"))
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn init_platform_store() -> Result<(), String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && std::env::var_os("XDG_RUNTIME_DIR").is_none()
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
        "cannot {action} the keychain entry: {}; {hint}",
        describe(&err)
    ))
}

impl Backend for Keychain {
    fn kind(&self) -> StoreKind {
        StoreKind::Keychain
    }

    fn read(&self, key: &StoreKey) -> Result<Option<Secret>, Error> {
        match Self::entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(KeyringError::BadEncoding(_)) => Ok(Some(Secret::new(String::new()))),
            Err(e) => Err(map_error(e, "read")),
        }
    }

    fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error> {
        Self::entry(key)?
            .set_password(value.expose())
            .map_err(|e| map_error(e, "write"))
    }

    fn delete(&self, key: &StoreKey) -> Result<bool, Error> {
        match Self::entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e, "delete")),
        }
    }

    fn describe(&self, key: &StoreKey) -> String {
        format!(
            "the OS keychain (service `{SERVICE}`, account `{}`)",
            key.account()
        )
    }
}
