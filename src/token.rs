//! The token set tokenctl stores, and what it knows about expiry.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::config::ApiKind;
use crate::grant::GrantKind;
use crate::secret::Secret;

/// Everything one successful token call gave us, plus where it came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// An app token's client secret, kept only with `app-token --save-secret`
    /// (keychain store) so renewal can re-run the grant. Never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<Secret>,
    /// Unix seconds; `None` when neither the API nor the token says.
    #[serde(default)]
    pub expires_at: Option<u64>,
    /// Unix seconds.
    pub obtained_at: u64,
    pub source: Source,
}

/// Which API and grant produced a token set: decides how it can be renewed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Source {
    pub api: ApiKind,
    /// The grant (or legacy endpoint); stored by the names the APIs use.
    pub grant: GrantKind,
    pub server: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

impl TokenSet {
    /// Seconds left, negative when expired; `None` when unknown.
    pub fn seconds_left(&self, now: u64) -> Option<i64> {
        self.expires_at.map(|exp| exp as i64 - now as i64)
    }

    pub fn is_expired(&self, now: u64) -> bool {
        self.seconds_left(now).is_some_and(|left| left <= 0)
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The `exp` claim of a JWT, if the token is one.
///
/// Only decoded, never verified: tokenctl is the token's bearer, not its
/// audience. The server that receives it checks the signature; we only need
/// to know when to renew, and a forged `exp` can at worst make us renew early
/// or late, which the server then corrects.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let claims = jwt_claims(token)?;
    let exp = claims.get("exp")?;
    // Some issuers write `exp` as a float; negative or absurd values are not expiries.
    exp.as_u64().or_else(|| {
        exp.as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f as u64)
    })
}

/// The payload of a JWT, decoded, never verified (see [`jwt_expiry`]).
pub fn jwt_claims(token: &str) -> Option<serde_json::Value> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Who a user token names: Keycloak's `preferred_username`, else `email`.
/// For messages and the store key only; never trusted for anything else.
pub fn user_name(tokens: &TokenSet) -> Option<String> {
    [tokens.id_token.as_ref(), Some(&tokens.access_token)]
        .into_iter()
        .flatten()
        .filter_map(|t| jwt_claims(t.expose()))
        .find_map(|c| {
            ["preferred_username", "email"].iter().find_map(|k| {
                c.get(*k)
                    .and_then(|v| v.as_str())
                    .filter(|v| !v.is_empty() && !v.chars().any(char::is_control))
                    .map(str::to_string)
            })
        })
}

/// RFC 3339 (UTC, seconds) for JSON output and ExecCredential.
pub fn rfc3339(unix: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(unix)).to_string()
}

/// "in 59m 3s" / "expired 2m ago" for people.
pub fn describe_left(left: i64) -> String {
    let span = |s: u64| {
        // Drop sub-minute precision on long spans: "1h 2m", not "1h 2m 3s".
        let rounded = if s >= 3600 { s - s % 60 } else { s };
        humantime::format_duration(Duration::from_secs(rounded)).to_string()
    };
    if left > 0 {
        format!("in {}", span(left as u64))
    } else {
        format!("expired {} ago", span(left.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_exp_claim() {
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000}"#)),
            Some(1_700_000_000)
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000.5}"#)),
            Some(1_700_000_000)
        );
    }

    #[test]
    fn non_jwts_have_no_expiry() {
        assert_eq!(jwt_expiry("opaque-token"), None);
        assert_eq!(jwt_expiry("a.b"), None);
        assert_eq!(jwt_expiry("a.b.c.d"), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":-5}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(jwt_expiry("x.!!!.y"), None);
    }

    #[test]
    fn formats_times() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(describe_left(90), "in 1m 30s");
        assert_eq!(describe_left(3723), "in 1h 2m");
        assert_eq!(describe_left(-5), "expired 5s ago");
    }
}
