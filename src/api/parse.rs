//! Pure parsers for the vendors' answers: bytes in, typed values or a reason
//! out. Kept free of I/O so the fuzz targets can drive them directly.

use serde::Deserialize;

use crate::secret::Secret;

/// The tokens of a Run:ai answer; the access token is never empty.
#[derive(Debug)]
pub struct Tokens {
    pub access: Secret,
    pub id: Option<Secret>,
    pub refresh: Option<Secret>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenResponse {
    access_token: Option<Secret>,
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
}

/// 2.19 `AppTokenResponse`: snake_case, both required.
#[derive(Deserialize)]
struct LegacyAppTokenResponse {
    access_token: Secret,
    id_token: Secret,
}

fn non_empty(s: Option<Secret>) -> Option<Secret> {
    s.filter(|t| !t.is_empty())
}

/// Run:ai `TokenResponse` (`/api/v1/token`, and 2.19's exchange and refresh).
pub fn runai_tokens(body: &[u8]) -> Result<Tokens, String> {
    let resp: TokenResponse =
        serde_json::from_slice(body).map_err(|e| format!("not a Run:ai TokenResponse ({e})"))?;
    let access = non_empty(resp.access_token).ok_or("the answer has no accessToken")?;
    Ok(Tokens {
        access,
        id: non_empty(resp.id_token),
        refresh: non_empty(resp.refresh_token),
    })
}

/// Run:ai 2.19 `AppTokenResponse`.
pub fn runai_legacy_app_token(body: &[u8]) -> Result<Tokens, String> {
    let resp: LegacyAppTokenResponse =
        serde_json::from_slice(body).map_err(|e| format!("not a Run:ai AppTokenResponse ({e})"))?;
    let access = non_empty(Some(resp.access_token)).ok_or("the answer's access_token is empty")?;
    Ok(Tokens {
        access,
        id: non_empty(Some(resp.id_token)),
        refresh: None,
    })
}

/// Run:ai's `{code, message, details}`.
#[derive(Debug, Deserialize)]
pub struct RunaiError {
    pub code: Option<i64>,
    pub message: String,
    pub details: Option<String>,
}

pub fn runai_error(body: &[u8]) -> Option<RunaiError> {
    serde_json::from_slice(body).ok()
}

/// GBDS `CreateTokenResponse` data.
#[derive(Debug)]
pub struct GbdsToken {
    pub token: Secret,
    /// Epoch milliseconds.
    pub expiration_ms: Option<i64>,
    /// Milliseconds.
    pub ttl_ms: Option<i64>,
}

#[derive(Deserialize)]
struct GbdsEnvelope {
    data: GbdsData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GbdsData {
    token: Option<Secret>,
    expiration_time: Option<i64>,
    ttl: Option<i64>,
}

pub fn gbds_token(body: &[u8]) -> Result<GbdsToken, String> {
    let env: GbdsEnvelope = serde_json::from_slice(body)
        .map_err(|e| format!("not a GBDS CreateTokenResponse ({e})"))?;
    let token = non_empty(env.data.token).ok_or("the answer has no data.token")?;
    Ok(GbdsToken {
        token,
        expiration_ms: env.data.expiration_time,
        ttl_ms: env.data.ttl,
    })
}

impl GbdsToken {
    /// Unix seconds: `expirationTime`, else now + `ttl`; nonsense values are unknown.
    pub fn expires_at(&self, now: u64) -> Option<u64> {
        match (self.expiration_ms, self.ttl_ms) {
            (Some(ms), _) if ms > 0 => Some((ms / 1000) as u64),
            (_, Some(ttl)) if ttl > 0 => now.checked_add((ttl / 1000) as u64),
            _ => None,
        }
    }
}

/// GBDS's `{type, code, message, meta}`.
#[derive(Debug, Deserialize)]
pub struct GbdsError {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
}

pub fn gbds_error(body: &[u8]) -> Option<GbdsError> {
    serde_json::from_slice::<GbdsError>(body)
        .ok()
        .filter(|e| e.kind.is_some() || e.code.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runai_shapes() {
        let t = runai_tokens(br#"{"accessToken":"a","idToken":"","refreshToken":"r"}"#).unwrap();
        assert_eq!(t.access.expose(), "a");
        assert!(t.id.is_none());
        assert_eq!(t.refresh.unwrap().expose(), "r");
        assert!(runai_tokens(br#"{"accessToken":""}"#).is_err());
        assert!(runai_tokens(br#"{"accessToken":5}"#).is_err());
        assert!(runai_tokens(b"<html>").is_err());
        assert!(
            runai_legacy_app_token(br#"{"access_token":"a"}"#).is_err(),
            "id_token is required"
        );
        assert_eq!(
            runai_error(br#"{"code":400,"message":"bad"}"#)
                .unwrap()
                .message,
            "bad"
        );
    }

    #[test]
    fn gbds_shapes() {
        let t = gbds_token(br#"{"data":{"token":"t","expirationTime":5000,"ttl":1000}}"#).unwrap();
        assert_eq!(t.expires_at(100), Some(5));
        let t = gbds_token(br#"{"data":{"token":"t","ttl":2000}}"#).unwrap();
        assert_eq!(t.expires_at(100), Some(102));
        let t = gbds_token(br#"{"data":{"token":"t","ttl":-1}}"#).unwrap();
        assert_eq!(t.expires_at(100), None);
        assert!(gbds_token(br#"{"data":{}}"#).is_err());
        assert!(
            gbds_error(br#"{"message":"x"}"#).is_none(),
            "not GBDS-shaped without type or code"
        );
    }
}
