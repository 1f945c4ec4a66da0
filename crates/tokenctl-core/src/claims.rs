//! What a stored token says about its holder (`status --claims`): issuer,
//! subject, audience, times, user and groups, decoded from the JWT payload
//! and never verified (see `token::jwt_claims`). Never the token itself.
//!
//! Claims are text the server chose; a terminal would act on escape
//! sequences in them, and format characters hide or reorder text, so each
//! value is escaped visibly and bounded before anything is shown.

use serde::Serialize;
use serde_json::Value;

use crate::text;
use crate::token;

/// The claims of one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claims {
    /// "access" or "id".
    pub token: &'static str,
    /// Not a JWT: nothing to decode.
    pub opaque: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// `preferred_username`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Keycloak `groups`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// `realm_access.roles` as they are, `resource_access.CLIENT.roles` as `CLIENT:ROLE`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

impl Claims {
    /// Decodes `raw` (an access or id token); opaque when it is no JWT.
    pub fn decode(which: &'static str, raw: &str) -> Self {
        let mut claims = Self {
            token: which,
            opaque: true,
            issuer: None,
            subject: None,
            audience: Vec::new(),
            expires_at: None,
            issued_at: None,
            username: None,
            email: None,
            groups: Vec::new(),
            roles: Vec::new(),
        };
        let Some(payload) = token::jwt_claims(raw).filter(Value::is_object) else {
            return claims;
        };
        let text = |key: &str| payload.get(key).and_then(Value::as_str).map(clean);
        claims.opaque = false;
        claims.issuer = text("iss");
        claims.subject = text("sub");
        claims.username = text("preferred_username");
        claims.email = text("email");
        claims.audience = strings(payload.get("aud"));
        claims.expires_at = time(payload.get("exp"));
        claims.issued_at = time(payload.get("iat"));
        claims.groups = strings(payload.get("groups"));
        claims.roles = strings(payload.pointer("/realm_access/roles"));
        if let Some(clients) = payload.get("resource_access").and_then(Value::as_object) {
            for (client, access) in clients {
                let roles = access.get("roles").and_then(Value::as_array);
                for role in roles.into_iter().flatten().filter_map(Value::as_str) {
                    // One value, one bound.
                    claims.roles.push(clean(&format!("{client}:{role}")));
                }
            }
        }
        claims
    }

    /// Lines for `status`, indented under the profile.
    pub fn text(&self) -> String {
        if self.opaque {
            return format!("  {} token: opaque token (no claims)\n", self.token);
        }
        let mut out = format!("  {} token claims:\n", self.token);
        let mut line = |k: &str, v: &str| out.push_str(&format!("    {k:<10} {v}\n"));
        let fields = [
            ("issuer:", self.issuer.clone()),
            ("subject:", self.subject.clone()),
            ("audience:", join(&self.audience)),
            ("expires:", self.expires_at.clone()),
            ("issued:", self.issued_at.clone()),
            ("user:", self.username.clone()),
            ("email:", self.email.clone()),
            ("groups:", join(&self.groups)),
            ("roles:", join(&self.roles)),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                line(k, &v);
            }
        }
        out
    }
}

fn join(list: &[String]) -> Option<String> {
    (!list.is_empty()).then(|| list.join(", "))
}

/// A string claim or an array of them (`aud` is either).
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![clean(s)],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(clean).collect(),
        _ => Vec::new(),
    }
}

/// Unix seconds (integer or float) as RFC 3339.
fn time(value: Option<&Value>) -> Option<String> {
    let value = value?;
    let secs = value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0 && *f < 253_402_300_800.0)
            .map(|f| f as u64)
    })?;
    // Past year 9999 RFC 3339 has no form.
    (secs < 253_402_300_800).then(|| token::rfc3339(secs))
}

/// Escaped and bounded as every value from outside is shown
/// ([`text::shown`]): controls, format characters (bidirectional and
/// zero-width ones) and separators visible as `\u{202e}`, at most
/// [`text::MAX_VALUE`] characters.
fn clean(s: &str) -> String {
    text::shown(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(payload: &Value) -> String {
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        )
    }

    #[test]
    fn keycloak_claims() {
        let token = jwt(&serde_json::json!({
            "iss": "https://kc/realms/runai",
            "sub": "f1e2",
            "aud": ["runai", "account"],
            "exp": 1_700_000_000,
            "iat": 1_699_996_400.5,
            "preferred_username": "alice",
            "email": "alice@example.com",
            "groups": ["/ml", "/ops"],
            "realm_access": {"roles": ["researcher"]},
            "resource_access": {"runai": {"roles": ["admin"]}}
        }));
        let c = Claims::decode("access", &token);
        assert!(!c.opaque);
        assert_eq!(c.issuer.as_deref(), Some("https://kc/realms/runai"));
        assert_eq!(c.audience, ["runai", "account"]);
        assert_eq!(c.expires_at.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(c.issued_at.as_deref(), Some("2023-11-14T21:13:20Z"));
        assert_eq!(c.groups, ["/ml", "/ops"]);
        assert_eq!(c.roles, ["researcher", "runai:admin"]);
        let text = c.text();
        assert!(text.contains("user:      alice"), "{text}");
        assert!(!text.contains(&token));
        assert!(!text.contains("c2ln"), "no signature");
    }

    #[test]
    fn opaque_and_hostile_tokens() {
        let c = Claims::decode("access", "not-a-jwt");
        assert!(c.opaque);
        assert_eq!(c.text(), "  access token: opaque token (no claims)\n");
        let c = Claims::decode(
            "id",
            &jwt(&serde_json::json!({
                "preferred_username": "eve\u{1b}]0;pwned\u{7}\n\u{202e}x",
                "aud": "a\rb",
                "exp": 1e300,
                "sub": "s".repeat(500)
            })),
        );
        assert_eq!(
            c.username.as_deref(),
            Some(r"eve\u{1b}]0;pwned\u{7}\n\u{202e}x")
        );
        assert_eq!(c.audience, [r"a\rb"]);
        assert_eq!(c.expires_at, None);
        assert_eq!(c.subject.unwrap().chars().count(), text::MAX_VALUE);
        let c = Claims::decode(
            "id",
            &jwt(&serde_json::json!({
                "sub": "a\u{2028}b\u{2029}c\u{200b}d\u{feff}e",
                "preferred_username": "x\u{61c}y",
                "groups": ["g\u{202e}"],
            })),
        );
        assert_eq!(
            c.subject.as_deref(),
            Some(r"a\u{2028}b\u{2029}c\u{200b}d\u{feff}e")
        );
        assert_eq!(c.username.as_deref(), Some(r"x\u{61c}y"));
        assert_eq!(c.groups, [r"g\u{202e}"]);
        assert!(
            c.text().lines().all(|l| !text::has_unsafe_chars(l)),
            "{}",
            c.text()
        );
    }
}
