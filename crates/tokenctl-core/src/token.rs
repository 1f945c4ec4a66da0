//! The token set tokenctl stores, and what it knows about expiry.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::grant::GrantKind;
use crate::model::ApiKind;
use crate::secret::Secret;

/// Everything one successful token call gave us, plus where it came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenSet {
    /// The bearer token the APIs accept.
    pub access_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The OpenID Connect id token, where the grant gave one.
    pub id_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The refresh token, where the grant gave one.
    pub refresh_token: Option<Secret>,
    /// A service account's or access key's client secret, kept by `login
    /// --access-key` or `app-token --save-secret` (keychain or kernel
    /// store) so renewal can re-run the grant. Never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<Secret>,
    /// Unix seconds; `None` when neither the API nor the token says.
    #[serde(default)]
    pub expires_at: Option<u64>,
    /// Unix seconds.
    pub obtained_at: u64,
    /// Which API and grant produced the tokens.
    pub source: Source,
    /// Seconds the token was issued for, where the answer says so
    /// (`expiresIn`, GBDS `ttl`) or the JWT shows it (`exp - iat`); else the
    /// time it had left when it arrived. `None` when the expiry is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<u64>,
}

/// Which API and grant produced a token set: decides how it can be renewed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Source {
    /// The API the tokens came from.
    pub api: ApiKind,
    /// The grant (or legacy endpoint); stored by the names the APIs use.
    pub grant: GrantKind,
    /// The server that issued them.
    pub server: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The user or client they were issued to, when known.
    pub principal: Option<String>,
}

impl TokenSet {
    /// Seconds left, negative when expired; `None` when unknown. Saturates,
    /// so a hand-edited store cannot make it wrap.
    pub fn seconds_left(&self, now: u64) -> Option<i64> {
        self.expires_at.map(|exp| seconds_between(now, exp))
    }

    /// Whether the access token has expired at `now` (Unix seconds).
    pub fn is_expired(&self, now: u64) -> bool {
        self.seconds_left(now).is_some_and(|left| left <= 0)
    }
}

/// `to - from` in seconds, saturated to the `i64` range.
#[doc(hidden)]
pub fn seconds_between(from: u64, to: u64) -> i64 {
    let diff = i128::from(to) - i128::from(from);
    diff.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The last second RFC 3339 can write with a four-digit year
/// (9999-12-31T23:59:59Z). Later times are shown as this one.
#[doc(hidden)]
pub const MAX_TIME: u64 = 253_402_300_799;

/// The current time in Unix seconds.
pub fn now() -> u64 {
    let real = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    real.saturating_add_signed(test_clock::offset())
}

/// Whether a test moves the clock ([`now`] is ahead of the system's): then
/// whoever waits for a time to come looks at [`now`] often instead of
/// sleeping until it. Always false in release builds.
pub fn clock_is_moved() -> bool {
    test_clock::file().is_some()
}

/// Debug builds only: `TOKENCTL_TEST_CLOCK` names a file holding the
/// seconds the test has moved the clock on, read at each use, so the tests
/// move time instead of waiting for an expiry (tokenctl, the fake server
/// and the test's commands read the same file). Release builds ignore it.
mod test_clock {
    #[cfg(debug_assertions)]
    pub(super) fn file() -> Option<std::ffi::OsString> {
        std::env::var_os(crate::env::EnvVars::TOKENCTL_TEST_CLOCK).filter(|f| !f.is_empty())
    }

    #[cfg(not(debug_assertions))]
    pub(super) fn file() -> Option<std::ffi::OsString> {
        None
    }

    /// The seconds in the file; 0 without one. A file being rewritten or
    /// holding no number reads as 0 (tests write it by renaming).
    pub(super) fn offset() -> i64 {
        file()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }
}

/// The `exp` claim of a JWT, if the token is one and the claim is a time
/// RFC 3339 can write (0 to [`MAX_TIME`]; a float is rounded down).
/// Whether it is plausible *now* is `api::parse`'s call.
///
/// Only decoded, never verified: tokenctl is the token's bearer, not its
/// audience. The server that receives it checks the signature; we only need
/// to know when to renew, and a forged `exp` can at worst make us renew early
/// or late, which the server then corrects.
#[doc(hidden)]
pub fn jwt_expiry(token: &str) -> Option<u64> {
    claim_time(&jwt_claims(token)?, "exp")
}

/// The `iat` claim, under the same rules as [`jwt_expiry`].
#[doc(hidden)]
pub fn jwt_issued_at(token: &str) -> Option<u64> {
    claim_time(&jwt_claims(token)?, "iat")
}

/// A NumericDate claim as Unix seconds, within 0..=[`MAX_TIME`].
#[doc(hidden)]
pub fn claim_time(claims: &serde_json::Value, name: &str) -> Option<u64> {
    json_seconds(claims.get(name)?)
        .and_then(|t| u64::try_from(t).ok())
        .filter(|t| *t <= MAX_TIME)
}

/// A JSON number as a whole number (floats rounded down, saturating);
/// `None` for anything that is not a number.
#[doc(hidden)]
pub fn json_seconds(v: &serde_json::Value) -> Option<i128> {
    if let Some(i) = v.as_i64() {
        return Some(i.into());
    }
    if let Some(u) = v.as_u64() {
        return Some(u.into());
    }
    // `as` saturates for floats out of range; JSON has no NaN or infinity.
    v.as_f64().map(|f| f.floor() as i128)
}

/// The payload of a JWT, decoded, never verified (see [`jwt_expiry`]).
#[doc(hidden)]
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
#[doc(hidden)]
pub fn user_name(tokens: &TokenSet) -> Option<String> {
    [tokens.id_token.as_ref(), Some(&tokens.access_token)]
        .into_iter()
        .flatten()
        .filter_map(|t| jwt_claims(t.expose()))
        .find_map(|c| {
            ["preferred_username", "email"].iter().find_map(|k| {
                c.get(*k)
                    .and_then(|v| v.as_str())
                    // Shown in messages: nothing a terminal would act on.
                    .filter(|v| !v.is_empty() && !crate::text::has_unsafe_chars(v))
                    .map(str::to_string)
            })
        })
}

/// RFC 3339 (UTC, seconds) for JSON output and ExecCredential. Total: a
/// time past [`MAX_TIME`] is written as that time.
#[doc(hidden)]
pub fn rfc3339(unix: u64) -> String {
    let clamped = Duration::from_secs(unix.min(MAX_TIME));
    humantime::format_rfc3339_seconds(UNIX_EPOCH + clamped).to_string()
}

/// "in 59m 3s" / "expired 2m ago" for people. Total: spans beyond
/// [`MAX_TIME`] seconds are shown as that span.
#[doc(hidden)]
pub fn describe_left(left: i64) -> String {
    let span = |s: u64| {
        let s = s.min(MAX_TIME);
        // Drop sub-minute precision on long spans: "1h 2m", not "1h 2m 3s".
        let rounded = if s >= 3600 { s - s % 60 } else { s };
        humantime::format_duration(Duration::from_secs(rounded)).to_string()
    };
    if left > 0 {
        format!("in {}", span(left.unsigned_abs()))
    } else {
        format!("expired {} ago", span(left.unsigned_abs()))
    }
}

/// A Run:ai password-grant token set ("a", refresh token "r") obtained and
/// expiring at the given times: the one builder the unit tests share
/// (this crate's and the binary's).
#[doc(hidden)]
pub fn sample(obtained: u64, expires: Option<u64>) -> TokenSet {
    TokenSet {
        access_token: Secret::new("a"),
        id_token: None,
        refresh_token: Some(Secret::new("r")),
        app_secret: None,
        expires_at: expires,
        obtained_at: obtained,
        source: Source {
            api: ApiKind::Runai,
            grant: GrantKind::Password,
            server: "https://x".into(),
            principal: None,
        },
        lifetime: None,
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
    fn reads_iat_claim() {
        assert_eq!(
            jwt_issued_at(&jwt(r#"{"iat":1700000000}"#)),
            Some(1_700_000_000)
        );
        assert_eq!(jwt_issued_at(&jwt(r#"{"iat":-3}"#)), None);
        assert_eq!(jwt_issued_at(&jwt(r#"{"exp":3}"#)), None);
    }

    #[test]
    fn json_numbers_as_seconds() {
        use serde_json::json;
        assert_eq!(json_seconds(&json!(5)), Some(5));
        assert_eq!(json_seconds(&json!(-5)), Some(-5));
        assert_eq!(json_seconds(&json!(u64::MAX)), Some(u64::MAX.into()));
        assert_eq!(json_seconds(&json!(1.9)), Some(1));
        assert_eq!(json_seconds(&json!(-1.5)), Some(-2));
        assert_eq!(json_seconds(&json!(1e300)), Some(i128::MAX));
        assert_eq!(json_seconds(&json!("5")), None);
        assert_eq!(json_seconds(&json!(null)), None);
    }

    #[test]
    fn non_jwts_have_no_expiry() {
        assert_eq!(jwt_expiry("opaque-token"), None);
        assert_eq!(jwt_expiry("a.b"), None);
        assert_eq!(jwt_expiry("a.b.c.d"), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":-5}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":18446744073709551615}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":9223372036854775807}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":1e30}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":1e300}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":-1e300}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":253402300800}"#)), None);
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":253402300799}"#)),
            Some(MAX_TIME),
            "the last writable second is kept"
        );
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":0}"#)), Some(0));
        assert_eq!(jwt_expiry("x.!!!.y"), None);
    }

    #[test]
    fn formats_times() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(describe_left(90), "in 1m 30s");
        assert_eq!(describe_left(3723), "in 1h 2m");
        assert_eq!(describe_left(-5), "expired 5s ago");
        assert_eq!(describe_left(0), "expired 0s ago");
    }

    #[test]
    fn time_rendering_is_total() {
        assert_eq!(rfc3339(MAX_TIME), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(MAX_TIME + 1), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(u64::MAX), "9999-12-31T23:59:59Z");
        for left in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX] {
            let text = describe_left(left);
            assert!(
                text.starts_with(if left > 0 { "in " } else { "expired " }),
                "{text}"
            );
        }
        assert_eq!(describe_left(i64::MAX), describe_left(MAX_TIME as i64));
    }

    #[test]
    fn seconds_left_saturates() {
        let mut t = sample(0, Some(u64::MAX));
        assert_eq!(t.seconds_left(0), Some(i64::MAX));
        assert!(!t.is_expired(u64::MAX - 1));
        t.expires_at = Some(0);
        assert_eq!(t.seconds_left(u64::MAX), Some(i64::MIN));
        assert!(t.is_expired(u64::MAX));
        assert_eq!(t.seconds_left(10), Some(-10));
        t.expires_at = Some(100);
        assert_eq!(t.seconds_left(40), Some(60));
        assert!(!t.is_expired(99));
        assert!(t.is_expired(100));
        t.expires_at = None;
        assert_eq!(t.seconds_left(40), None);
    }
}
