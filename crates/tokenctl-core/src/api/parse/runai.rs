//! Run:ai's answers: `/api/v1/token` (camelCase, 2.19 to 2.24), the 2.19
//! legacy app-token endpoint (snake_case), and the OAuth2 endpoint
//! `/api/v2/token` (RFC 6749). The rules are the module's (see `parse`).

use serde::Deserialize;
use serde_json::Value;

use super::{
    Expiry, check_tokens, differ_note, field, json_error, non_empty, plausible_instant,
    plausible_lifetime, shown_value,
};
use crate::secret::Secret;
use crate::token::{self, Source, TokenSet};

/// The tokens of a Run:ai answer; the access token is never empty.
#[derive(Debug)]
pub struct Tokens {
    pub access: Secret,
    pub id: Option<Secret>,
    pub refresh: Option<Secret>,
    pub expiry: Expiry,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenResponse {
    access_token: Option<Secret>,
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
    /// 2.24: lifetime in seconds. Any JSON, judged by [`runai_expiry`].
    #[serde(default)]
    expires_in: Option<Value>,
}

/// 2.19 `AppTokenResponse`: snake_case, both required.
#[derive(Deserialize)]
struct LegacyAppTokenResponse {
    access_token: Secret,
    id_token: Secret,
}

/// Run:ai `TokenResponse` (`/api/v1/token`, and 2.19's exchange and refresh),
/// received at `now` (Unix seconds).
pub fn runai_tokens(body: &[u8], now: u64) -> Result<Tokens, String> {
    let resp: TokenResponse = serde_json::from_slice(body)
        .map_err(|e| format!("not a Run:ai TokenResponse ({})", json_error(&e)))?;
    let access = non_empty(resp.access_token).ok_or("the answer has no accessToken")?;
    let id = non_empty(resp.id_token);
    let refresh = non_empty(resp.refresh_token);
    check_tokens(&access, id.as_ref(), refresh.as_ref())?;
    let expiry = runai_expiry(access.expose(), resp.expires_in.as_ref(), now);
    Ok(Tokens {
        access,
        id,
        refresh,
        expiry,
    })
}

/// RFC 6749 token answer (Run:ai `POST /api/v2/token`): snake_case;
/// `token_type` and `scope` are not needed.
#[derive(Deserialize)]
struct OAuth2TokenResponse {
    access_token: Option<Secret>,
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
    /// Lifetime in seconds. Any JSON, judged by [`runai_expiry`].
    #[serde(default)]
    expires_in: Option<Value>,
}

/// Run:ai's OAuth2 answer (`/api/v2/token`), received at `now`.
pub fn oauth2_tokens(body: &[u8], now: u64) -> Result<Tokens, String> {
    let resp: OAuth2TokenResponse = serde_json::from_slice(body)
        .map_err(|e| format!("not an OAuth2 token answer ({})", json_error(&e)))?;
    let access = non_empty(resp.access_token).ok_or("the answer has no access_token")?;
    let id = non_empty(resp.id_token);
    let refresh = non_empty(resp.refresh_token);
    check_tokens(&access, id.as_ref(), refresh.as_ref())?;
    let expiry = runai_expiry(access.expose(), resp.expires_in.as_ref(), now);
    Ok(Tokens {
        access,
        id,
        refresh,
        expiry,
    })
}

/// Run:ai 2.19 `AppTokenResponse`.
pub fn runai_legacy_app_token(body: &[u8], now: u64) -> Result<Tokens, String> {
    let resp: LegacyAppTokenResponse = serde_json::from_slice(body)
        .map_err(|e| format!("not a Run:ai AppTokenResponse ({})", json_error(&e)))?;
    let access = non_empty(Some(resp.access_token)).ok_or("the answer's access_token is empty")?;
    let id = non_empty(Some(resp.id_token));
    check_tokens(&access, id.as_ref(), None)?;
    let expiry = runai_expiry(access.expose(), None, now);
    Ok(Tokens {
        access,
        id,
        refresh: None,
        expiry,
    })
}

impl Tokens {
    pub fn into_token_set(self, source: Source, now: u64) -> TokenSet {
        TokenSet {
            access_token: self.access,
            id_token: self.id,
            refresh_token: self.refresh,
            app_secret: None,
            expires_at: self.expiry.expires_at,
            obtained_at: now,
            source,
            lifetime: self.expiry.lifetime,
        }
    }
}

/// A Run:ai expiry: `expiresIn` (seconds after receipt) when usable, else
/// the access token's JWT `exp`. Lifetime: `expiresIn`, else `exp - iat`,
/// else the time left at receipt.
pub fn runai_expiry(access: &str, expires_in: Option<&Value>, now: u64) -> Expiry {
    let mut notes = Vec::new();
    let claims = token::jwt_claims(access);
    let claim = |name: &str| claims.as_ref().and_then(|c| field(c.get(name)));
    let exp = claim("exp").and_then(|v| {
        let t = token::json_seconds(v).and_then(|t| plausible_instant(t, now));
        if t.is_none() {
            notes.push(format!(
                "ignoring the token's JWT exp claim ({}): not a time between 1970 and ten years from now",
                shown_value(v)
            ));
        }
        t
    });
    let iat = claim("iat").and_then(token::json_seconds);
    let expires_in = field(expires_in).and_then(|v| {
        let d = token::json_seconds(v).and_then(plausible_lifetime);
        if d.is_none() {
            notes.push(format!(
                "ignoring expiresIn ({}): not a lifetime between 0 and ten years in seconds",
                shown_value(v)
            ));
        }
        d
    });
    let (expires_at, lifetime) = if let Some(d) = expires_in {
        let at = now.saturating_add(d);
        notes.push(format!("token expiry from expiresIn: {d}s after receipt"));
        notes.extend(exp.and_then(|e| differ_note("the JWT exp claim", e, at, "expiresIn")));
        (Some(at), Some(d))
    } else if let Some(e) = exp {
        let issued = iat
            .and_then(|i| plausible_lifetime(i128::from(e) - i))
            .map(|d| (d, "exp - iat"))
            .unwrap_or((e.saturating_sub(now), "time left at receipt"));
        notes.push(format!(
            "token expiry from the JWT exp claim: {} (lifetime {}s, {})",
            token::rfc3339(e),
            issued.0,
            issued.1
        ));
        (Some(e), Some(issued.0))
    } else {
        notes.push(
            "token expiry unknown: the answer has no usable expiresIn and the token no usable JWT exp"
                .into(),
        );
        (None, None)
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
    use crate::api::parse::{DISAGREEMENT, FUTURE_LIMIT, MAX_LIFETIME};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn runai_shapes() {
        let t = runai_tokens(
            br#"{"accessToken":"a","idToken":"","refreshToken":"r"}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(t.access.expose(), "a");
        assert!(t.id.is_none());
        assert_eq!(t.refresh.unwrap().expose(), "r");
        assert!(runai_tokens(br#"{"accessToken":""}"#, NOW).is_err());
        assert!(runai_tokens(br#"{"accessToken":5}"#, NOW).is_err());
        assert!(runai_tokens(b"<html>", NOW).is_err());
        assert!(
            runai_legacy_app_token(br#"{"access_token":"a"}"#, NOW).is_err(),
            "id_token is required"
        );
        let t = runai_legacy_app_token(br#"{"access_token":"a","id_token":"i"}"#, NOW).unwrap();
        assert_eq!(t.id.unwrap().expose(), "i");
        assert!(t.refresh.is_none());
        assert!(runai_legacy_app_token(br#"{"access_token":"","id_token":"i"}"#, NOW).is_err());
        assert!(runai_legacy_app_token(br#"{"access_token":"a b","id_token":"i"}"#, NOW).is_err());
    }

    #[test]
    fn jwt_expiry_within_the_window() {
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{},"iat":{}}}"#, NOW + 600, NOW - 60)),
            None,
            NOW,
        );
        assert_eq!(e.expires_at, Some(NOW + 600));
        assert_eq!(e.lifetime, Some(660), "exp - iat");
        assert!(e.notes[0].contains("JWT exp"), "{:?}", e.notes);
        // No iat: the time left at receipt.
        let e = runai_expiry(&jwt(&format!(r#"{{"exp":{}}}"#, NOW + 30)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW + 30), Some(30)));
        // iat after exp: not a lifetime.
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{},"iat":{}}}"#, NOW + 30, NOW + 90)),
            None,
            NOW,
        );
        assert_eq!(e.lifetime, Some(30));
        // Already expired when issued, but plausible: kept, so callers can tell.
        let e = runai_expiry(&jwt(&format!(r#"{{"exp":{}}}"#, NOW - 10)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW - 10), Some(0)));
        // The window's edges are inside: the epoch itself is a real, past
        // instant (an expired token), not an unknown expiry.
        for past in [0, 1000, NOW - 10 * 365 * 24 * 3600] {
            let e = runai_expiry(&jwt(&format!(r#"{{"exp":{past}}}"#)), None, NOW);
            assert_eq!((e.expires_at, e.lifetime), (Some(past), Some(0)), "{past}");
        }
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + FUTURE_LIMIT)),
            None,
            NOW,
        );
        assert_eq!(e.expires_at, Some(NOW + FUTURE_LIMIT));
        let e = runai_expiry(&jwt(&format!(r#"{{"exp":{}.75}}"#, NOW + 5)), None, NOW);
        assert_eq!(e.expires_at, Some(NOW + 5), "floats round down");
    }

    #[test]
    fn implausible_jwt_exp_is_unknown_with_a_note() {
        for exp in [
            "18446744073709551615".to_string(),
            "9223372036854775807".into(),
            "-9223372036854775808".into(),
            "1e30".into(),
            "1e300".into(),
            "-1".into(),
            "-0.5".into(),
            "\"soon\"".into(),
            (NOW + FUTURE_LIMIT + 1).to_string(),
        ] {
            let e = runai_expiry(&jwt(&format!(r#"{{"exp":{exp}}}"#)), None, NOW);
            assert_eq!((e.expires_at, e.lifetime), (None, None), "{exp}");
            assert!(
                e.notes
                    .iter()
                    .any(|n| n.contains("ignoring the token's JWT exp")),
                "{exp}: {:?}",
                e.notes
            );
            assert!(
                e.notes.iter().any(|n| n.contains("expiry unknown")),
                "{exp}"
            );
        }
        let e = runai_expiry("opaque", None, NOW);
        assert_eq!(e.expires_at, None);
        assert_eq!(e.notes.len(), 1, "{:?}", e.notes);
    }

    #[test]
    fn expires_in_wins_and_is_cross_checked() {
        let opaque = runai_expiry("opaque", Some(&json!(3600)), NOW);
        assert_eq!(
            (opaque.expires_at, opaque.lifetime),
            (Some(NOW + 3600), Some(3600))
        );
        assert!(opaque.notes[0].contains("expiresIn"), "{:?}", opaque.notes);
        let agree = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 3600 + DISAGREEMENT)),
            Some(&json!(3600)),
            NOW,
        );
        assert_eq!(agree.expires_at, Some(NOW + 3600));
        assert_eq!(
            agree.notes.len(),
            1,
            "within a minute: no note {:?}",
            agree.notes
        );
        let differ = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 600)),
            Some(&json!(3600)),
            NOW,
        );
        assert_eq!(differ.expires_at, Some(NOW + 3600));
        assert!(
            differ.notes[1].contains("3000s earlier than expiresIn"),
            "{:?}",
            differ.notes
        );
        let later = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 3600 + DISAGREEMENT + 1)),
            Some(&json!(3600)),
            NOW,
        );
        assert!(later.notes[1].contains("61s later"), "{:?}", later.notes);
        assert_eq!(
            runai_expiry("o", Some(&json!(0)), NOW).expires_at,
            Some(NOW)
        );
        assert_eq!(
            runai_expiry("o", Some(&json!(29.9)), NOW).lifetime,
            Some(29)
        );
        assert_eq!(
            runai_expiry("o", Some(&json!(MAX_LIFETIME)), NOW).lifetime,
            Some(MAX_LIFETIME)
        );
        assert_eq!(runai_expiry("o", Some(&json!(null)), NOW).notes.len(), 1);
        for bad in [
            json!(-1),
            json!(MAX_LIFETIME + 1),
            json!(u64::MAX),
            json!(1e300),
            json!("3600"),
        ] {
            let e = runai_expiry("o", Some(&bad), NOW);
            assert_eq!(e.expires_at, None, "{bad}");
            assert!(
                e.notes[0].contains("ignoring expiresIn"),
                "{bad}: {:?}",
                e.notes
            );
        }
        // A bad expiresIn falls back to the JWT.
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 60)),
            Some(&json!(-5)),
            NOW,
        );
        assert_eq!(e.expires_at, Some(NOW + 60));
        let t = runai_tokens(br#"{"accessToken":"opaque","expiresIn":300}"#, NOW).unwrap();
        let set = t.into_token_set(source(), NOW);
        assert_eq!(
            (set.expires_at, set.lifetime, set.obtained_at),
            (Some(NOW + 300), Some(300), NOW)
        );
        assert!(
            runai_tokens(br#"{"accessToken":"opaque","expiresIn":"x"}"#, NOW).is_ok(),
            "a bad type only loses the expiry"
        );
    }

    fn source() -> Source {
        Source {
            api: crate::model::ApiKind::Runai,
            grant: crate::grant::GrantKind::Password,
            server: "https://x".into(),
            principal: None,
        }
    }

    #[test]
    fn notes_show_numbers_and_only_the_type_of_anything_else() {
        assert_eq!(shown_value(&json!(-1)), "-1");
        assert_eq!(shown_value(&json!(1e300)), "1e+300");
        assert_eq!(shown_value(&json!("eyJtoken")), "a string");
        assert_eq!(shown_value(&json!(true)), "a boolean");
        assert_eq!(shown_value(&json!([1])), "an array");
        assert_eq!(shown_value(&json!({"a": 1})), "an object");
        assert_eq!(shown_value(&Value::Null), "null");
        let e = runai_expiry("o", Some(&json!("eyJtoken")), NOW);
        assert_eq!(
            e.notes[0],
            "ignoring expiresIn (a string): not a lifetime between 0 and ten years in seconds"
        );
    }
}
