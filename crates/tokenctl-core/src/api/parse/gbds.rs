//! GBDS 4.7's `CreateTokenResponse`: a token and an expiry that may be a
//! lifetime or an epoch time, in milliseconds. The rules are the module's
//! (see `parse`).

use serde::Deserialize;
use serde_json::Value;

use super::{
    Expiry, check_tokens, differ_note, field, json_error, non_empty, plausible_instant,
    plausible_lifetime, shown_value,
};
use crate::secret::Secret;
use crate::token::{self, Source, TokenSet};

/// GBDS `CreateTokenResponse` data.
#[derive(Debug)]
pub struct GbdsToken {
    pub token: Secret,
    pub expiry: Expiry,
}

#[derive(Deserialize)]
struct GbdsEnvelope {
    data: GbdsData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GbdsData {
    token: Option<Secret>,
    /// Any JSON, judged by [`gbds_expiry`].
    #[serde(default)]
    expiration_time: Option<Value>,
    #[serde(default)]
    ttl: Option<Value>,
}

/// GBDS `CreateTokenResponse`, received at `now` (Unix seconds).
pub fn gbds_token(body: &[u8], now: u64) -> Result<GbdsToken, String> {
    let env: GbdsEnvelope = serde_json::from_slice(body)
        .map_err(|e| format!("not a GBDS CreateTokenResponse ({})", json_error(&e)))?;
    let token = non_empty(env.data.token).ok_or("the answer has no data.token")?;
    check_tokens(&token, None, None)?;
    let expiry = gbds_expiry(
        env.data.expiration_time.as_ref(),
        env.data.ttl.as_ref(),
        now,
    );
    Ok(GbdsToken { token, expiry })
}

impl GbdsToken {
    pub fn into_token_set(self, source: Source, now: u64) -> TokenSet {
        TokenSet {
            access_token: self.token,
            id_token: None,
            refresh_token: None,
            app_secret: None,
            expires_at: self.expiry.expires_at,
            obtained_at: now,
            source,
            lifetime: self.expiry.lifetime,
        }
    }
}

/// What a GBDS `expirationTime` (milliseconds) can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GbdsTime {
    /// Small enough to be a lifetime (at most ten years): seconds.
    Duration(u64),
    /// A plausible epoch instant: Unix seconds.
    Epoch(u64),
}

fn gbds_time(ms: i128, now: u64) -> Option<GbdsTime> {
    // The two ranges cannot overlap: ten years of milliseconds is 1980 as an epoch.
    if let Some(d) = (ms >= 0).then_some(ms / 1000).and_then(plausible_lifetime) {
        return Some(GbdsTime::Duration(d));
    }
    plausible_instant(ms.div_euclid(1000), now).map(GbdsTime::Epoch)
}

/// A GBDS expiry: `ttl` when usable, else `expirationTime` as a duration or
/// an epoch instant, whichever it can be. Milliseconds are rounded down.
pub fn gbds_expiry(expiration: Option<&Value>, ttl: Option<&Value>, now: u64) -> Expiry {
    let mut notes = Vec::new();
    let ttl = field(ttl).and_then(|v| {
        let d = token::json_seconds(v)
            .filter(|ms| *ms >= 0)
            .and_then(|ms| plausible_lifetime(ms / 1000));
        if d.is_none() {
            notes.push(format!(
                "ignoring ttl ({}): not a lifetime between 0 and ten years in milliseconds",
                shown_value(v)
            ));
        }
        d
    });
    let time = field(expiration).and_then(|v| {
        let t = token::json_seconds(v).and_then(|ms| gbds_time(ms, now));
        if t.is_none() {
            notes.push(format!(
                "ignoring expirationTime ({}): neither a lifetime of at most ten years nor a time between 1970 and ten years from now, in milliseconds",
                shown_value(v)
            ));
        }
        t
    });
    let time_at = |t: GbdsTime| match t {
        GbdsTime::Duration(d) => now.saturating_add(d),
        GbdsTime::Epoch(at) => at,
    };
    let (expires_at, lifetime) = match (ttl, time) {
        (Some(d), time) => {
            let at = now.saturating_add(d);
            notes.push(format!("token expiry from ttl: {d}s after receipt"));
            notes.extend(time.and_then(|t| differ_note("expirationTime", time_at(t), at, "ttl")));
            (Some(at), Some(d))
        }
        (None, Some(GbdsTime::Duration(d))) => {
            notes.push(format!(
                "token expiry from expirationTime read as a duration ({d}s after receipt): it is too small to be an epoch time"
            ));
            (Some(now.saturating_add(d)), Some(d))
        }
        (None, Some(GbdsTime::Epoch(at))) => {
            notes.push(format!(
                "token expiry from expirationTime read as epoch milliseconds: {}",
                token::rfc3339(at)
            ));
            (Some(at), Some(at.saturating_sub(now)))
        }
        (None, None) => {
            notes.push(
                "token expiry unknown: the answer has no usable ttl or expirationTime".into(),
            );
            (None, None)
        }
    };
    Expiry {
        expires_at,
        lifetime,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parse::{FUTURE_LIMIT, MAX_LIFETIME};
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn source() -> Source {
        Source {
            api: crate::model::ApiKind::Runai,
            grant: crate::grant::GrantKind::Password,
            server: "https://x".into(),
            principal: None,
        }
    }

    fn gbds(e: Value, ttl: Value) -> Expiry {
        gbds_expiry(Some(&e), Some(&ttl), NOW)
    }

    #[test]
    fn gbds_shapes() {
        let t = gbds_token(
            br#"{"data":{"token":"t","expirationTime":1700000005000,"ttl":5000}}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(t.expiry.expires_at, Some(NOW + 5));
        let set = t.into_token_set(source(), NOW);
        assert_eq!((set.expires_at, set.lifetime), (Some(NOW + 5), Some(5)));
        assert!(set.id_token.is_none() && set.refresh_token.is_none());
        let t = gbds_token(br#"{"data":{"token":"t","ttl":2000}}"#, NOW).unwrap();
        assert_eq!(t.expiry.expires_at, Some(NOW + 2));
        let t = gbds_token(br#"{"data":{"token":"t","ttl":-1}}"#, NOW).unwrap();
        assert_eq!(t.expiry.expires_at, None);
        assert!(gbds_token(br#"{"data":{}}"#, NOW).is_err());
        assert!(gbds_token(br#"{"data":{"token":""}}"#, NOW).is_err());
        assert!(
            gbds_token(
                br#"{"data":{"token":"t","ttl":1e300,"expirationTime":18446744073709551615}}"#,
                NOW
            )
            .is_ok()
        );
    }

    #[test]
    fn gbds_duration_or_epoch() {
        // A duration in expirationTime (no ttl): not "expired 56 years ago".
        let e = gbds_expiry(Some(&json!(1_800_000)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW + 1800), Some(1800)));
        assert!(e.notes[0].contains("as a duration"), "{:?}", e.notes);
        let e = gbds_expiry(Some(&json!((NOW + 1800) * 1000 + 999)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW + 1800), Some(1800)));
        assert!(e.notes[0].contains("epoch"), "{:?}", e.notes);
        // Both the same duration.
        let e = gbds(json!(1_800_000), json!(1_800_000));
        assert_eq!(e.expires_at, Some(NOW + 1800));
        assert_eq!(e.notes.len(), 1, "{:?}", e.notes);
        // ttl wins over a disagreeing epoch, and says so.
        let e = gbds(json!((NOW + 7200) * 1000), json!(1_800_000));
        assert_eq!(e.expires_at, Some(NOW + 1800));
        assert!(e.notes[1].contains("5400s later than ttl"), "{:?}", e.notes);
        // Edges: ten years of ms is a duration; just beyond, an epoch
        // instant in 1980: long expired, never unknown.
        let e = gbds_expiry(Some(&json!(MAX_LIFETIME * 1000)), None, NOW);
        assert_eq!(e.lifetime, Some(MAX_LIFETIME));
        let e = gbds_expiry(Some(&json!(MAX_LIFETIME * 1000 + 1000)), None, NOW);
        assert_eq!(e.expires_at, Some(MAX_LIFETIME + 1));
        assert_eq!(e.lifetime, Some(0));
        let e = gbds_expiry(Some(&json!(0)), None, NOW);
        assert_eq!(e.expires_at, Some(NOW), "0 is a zero lifetime");
        // An already expired epoch instant stays expired.
        let e = gbds_expiry(Some(&json!((NOW - 1) * 1000)), Some(&json!(-1000)), NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW - 1), Some(0)));
        assert!(e.notes[0].contains("ignoring ttl"), "{:?}", e.notes);
    }

    #[test]
    fn gbds_hostile_times_are_unknown() {
        for (e, ttl) in [
            (json!(i64::MAX), json!(i64::MAX)),
            (json!(u64::MAX), json!(u64::MAX)),
            (json!(1e300), json!(1e30)),
            (json!(-1), json!(-1)),
            (json!(i64::MIN), json!(i64::MIN)),
            (json!("x"), json!(true)),
            (
                json!((NOW + FUTURE_LIMIT + 1) * 1000),
                json!(MAX_LIFETIME * 1000 + 1000),
            ),
        ] {
            let x = gbds(e.clone(), ttl.clone());
            assert_eq!((x.expires_at, x.lifetime), (None, None), "{e} {ttl}");
            assert_eq!(x.notes.len(), 3, "{:?}", x.notes);
        }
        // A hostile expirationTime does not spoil a good ttl.
        let x = gbds(json!(u64::MAX), json!(60_000));
        assert_eq!(x.expires_at, Some(NOW + 60));
        let x = gbds_expiry(None, None, NOW);
        assert_eq!(x.expires_at, None);
        assert_eq!(x.notes.len(), 1);
    }
}
