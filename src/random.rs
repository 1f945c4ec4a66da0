//! The one source of randomness, the operating system's (getrandom), and
//! the ways tokenctl uses it. Two uses with different needs are kept apart:
//!
//! - names (temporary files, `exec`'s token file, the kernel store's
//!   keyring, keychain chunk sets) need only be unpredictable and unique:
//!   64 or more random bits as lowercase hex, which any file system and
//!   the kernel's key names take;
//! - secrets (an SSO login's state, the listener's nonce and cookie) are
//!   wiped from memory after use and carried in URLs: base64url, in a
//!   [`Secret`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;
use crate::secret::Secret;

/// Fills `buf` from the operating system's random source.
pub fn fill(buf: &mut [u8]) -> std::io::Result<()> {
    getrandom::fill(buf).map_err(|e| {
        std::io::Error::other(format!(
            "cannot get random bytes from the operating system: {e}"
        ))
    })
}

/// `bytes` random bytes as lowercase hex: the unique part of a name.
pub fn hex(bytes: usize) -> std::io::Result<String> {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A random number, for jitter.
pub fn u64() -> std::io::Result<u64> {
    let mut buf = [0u8; 8];
    fill(&mut buf)?;
    Ok(u64::from_ne_bytes(buf))
}

/// The name of a temporary file written beside `target` (a file name, no
/// directory) and renamed over it: hidden, unpredictable (so nobody can
/// plant it in advance), recognisable by [`is_temp_of`].
pub fn temp_name(target: &str) -> std::io::Result<String> {
    Ok(format!(".{target}.{}.tmp", hex(8)?))
}

/// Whether `name` is a temporary file of `target`'s ([`temp_name`]; also
/// the `.{target}.{pid}.{n}.tmp` names of earlier versions), and not of
/// another file whose name starts with `target`.
pub fn is_temp_of(name: &str, target: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|n| n.strip_prefix(target))
        .and_then(|n| n.strip_prefix('.'))
        .and_then(|n| n.strip_suffix(".tmp"))
        .is_some_and(|mid| {
            !mid.is_empty() && mid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'.')
        })
}

/// `bytes` random bytes as base64url without padding, for a secret; the
/// raw bytes are wiped once encoded.
pub fn secret(bytes: usize) -> Result<Secret, Error> {
    let mut buf = zeroize::Zeroizing::new(vec![0u8; bytes]);
    fill(&mut buf).map_err(|e| Error::store(e.to_string()))?;
    Ok(Secret::new(URL_SAFE_NO_PAD.encode(&*buf)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_hex_and_recognised() {
        let a = hex(8).unwrap();
        assert_eq!(a.len(), 16);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(a, hex(8).unwrap());
        let t = temp_name("p.json").unwrap();
        assert!(t.starts_with(".p.json.") && t.ends_with(".tmp"), "{t}");
        assert!(is_temp_of(&t, "p.json"));
        assert!(!is_temp_of(&t, "p"));
        assert!(!is_temp_of(".p.json.1.json.00ff.tmp", "p.json"));
        assert!(is_temp_of(".p.json.4242.1234567.tmp", "p.json"));
        assert!(!is_temp_of(".p.json..tmp", "p.json"));
        assert!(!is_temp_of("p.json", "p.json"));
    }

    #[test]
    fn secrets_are_base64url_of_the_asked_length() {
        let s = secret(32).unwrap();
        assert_eq!(s.expose().len(), 43);
        assert!(
            s.expose()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(s.expose(), secret(32).unwrap().expose());
    }
}
