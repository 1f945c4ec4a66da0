//! JWT-shaped tokens. Clients only ever decode the payload (the `exp` claim
//! is the only expiry information Run:ai gives), so the signature is random
//! bytes: nobody can verify it, nobody needs to.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::Value;

const HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// `n` bytes from the OS random source.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut buf)
        .expect("OS random source failed");
    buf
}

/// An opaque URL-safe token made of `n` random bytes.
pub fn random_token(n: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(n))
}

/// A unique id for the `jti` claim (128 random bits).
pub fn random_id() -> String {
    random_bytes(16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// header.payload.signature, each base64url without padding.
pub fn encode(claims: &Value) -> String {
    let payload = serde_json::to_vec(claims).expect("claims serialize");
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(payload),
        // An RS256 signature is 256 bytes; keep the token realistically long.
        URL_SAFE_NO_PAD.encode(random_bytes(256))
    )
}

/// The payload of a JWT-shaped token, if it has one (for tests).
pub fn decode_claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_three_parts_and_round_trips_claims() {
        let token = encode(&json!({"sub": "alice", "exp": 5}));
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = URL_SAFE_NO_PAD.decode(parts[0]).unwrap();
        assert_eq!(header, HEADER.as_bytes());
        assert!(!token.contains('='));
        assert_eq!(
            decode_claims(&token).unwrap(),
            json!({"sub": "alice", "exp": 5})
        );
    }

    #[test]
    fn ids_are_unique() {
        assert_ne!(random_id(), random_id());
        assert_eq!(random_id().len(), 32);
    }
}
