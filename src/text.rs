//! What may be shown of text that came from elsewhere (a server's answer,
//! a token's claims, a URL): no character a terminal would act on, no
//! secret of the request, no query value. Depends on nothing in the crate.

use url::Url;

/// Characters of server text shown at most, per field.
pub const MAX_SHOWN: usize = 200;

/// Server text fit for a message: the request's secrets scrubbed, control
/// characters removed, whitespace folded, at most [`MAX_SHOWN`] characters.
pub fn server_text(text: &str, secrets: &[&str]) -> String {
    // Scrub before and after cleaning: removing a control character could
    // join the halves of a secret.
    let clean = scrub(&printable(&scrub(text, secrets)), secrets);
    let mut chars = clean.chars();
    let cut: String = chars.by_ref().take(MAX_SHOWN).collect();
    if chars.next().is_some() {
        format!("{cut}...")
    } else {
        cut
    }
}

/// Characters a terminal could act on: C0, DEL, C1, and the Unicode
/// controls that reorder or hide text.
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// Whether `text` holds a character a terminal could act on.
pub fn has_unsafe_chars(text: &str) -> bool {
    text.chars().any(is_unsafe_char)
}

/// Removes control characters and folds whitespace runs into one space.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else if !is_unsafe_char(c) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Replaces each secret, and its JSON-, HTML- and URL-escaped forms, by `***`.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let json = serde_json::to_string(secret).expect("a string serializes");
        let json = &json[1..json.len() - 1];
        let url: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let path = url.replace('+', "%20");
        for form in [
            secret.to_string(),
            json.to_string(),
            html_escape(secret),
            html_escape(json),
            url,
            path,
        ] {
            // Every form of a non-empty secret is non-empty.
            out = out.replace(&form, "***");
        }
    }
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The URL as safe to show: query values hidden.
pub fn redact_url(url: &Url) -> String {
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, _)| (k.into_owned(), "***".into()))
        .collect();
    if pairs.is_empty() {
        shown.set_query(None);
    } else {
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // query_pairs_mut percent-encodes `*`; show it plainly.
    shown.as_str().replace("%2A%2A%2A", "***")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_limit() {
        assert_eq!(MAX_SHOWN, 200);
    }

    #[test]
    fn redacts_query_values() {
        let url =
            Url::parse("https://h/v1/k8s/auth/oauth/tokens/refresh?refresh_token=SECRET").unwrap();
        assert_eq!(
            redact_url(&url),
            "https://h/v1/k8s/auth/oauth/tokens/refresh?refresh_token=***"
        );
        let url = Url::parse("https://h/api/v1/token").unwrap();
        assert_eq!(redact_url(&url), "https://h/api/v1/token");
    }

    #[test]
    fn server_text_is_clean_and_scrubbed() {
        // HTML- and URL-escaped echoes.
        for echo in [
            "pw=a%26b%3Cc&x",
            "pw=a&amp;b&lt;c",
            "pw a&b<c",
            "pw=a%26b%3Cc",
        ] {
            let shown = server_text(echo, &["a&b<c"]);
            assert!(
                !shown.contains("b<c") && !shown.contains("b%3Cc") && !shown.contains("&lt;c"),
                "{echo}: {shown}"
            );
        }
        // A secret split by a control character is still found.
        assert_eq!(server_text("x pass\u{0}word y", &["password"]), "x *** y");
        assert_eq!(
            server_text("a\u{202E}b\u{200B}c\u{7f}d\u{9b}e", &[]),
            "abcde"
        );
        assert!(has_unsafe_chars("a\u{202E}b") && has_unsafe_chars("\u{1b}"));
        assert!(has_unsafe_chars("\u{2066}") && has_unsafe_chars("\u{feff}"));
        assert!(!has_unsafe_chars("plain text, é ü ∑"));
        assert_eq!(server_text("  a \t\r\n b  ", &[]), "a b");
        assert_eq!(
            server_text("abc", &[""]),
            "abc",
            "an empty secret scrubs nothing"
        );
        let long = "x".repeat(MAX_SHOWN + 1);
        assert_eq!(
            server_text(&long, &[]),
            format!("{}...", "x".repeat(MAX_SHOWN))
        );
        assert_eq!(
            server_text(&"y".repeat(MAX_SHOWN), &[]),
            "y".repeat(MAX_SHOWN)
        );
        assert_eq!(scrub("a b a", &["a b"]), "*** a");
        assert_eq!(
            scrub(r#"x S3cret\"PW y"#, &["S3cret\"PW"]),
            "x *** y",
            "JSON-escaped"
        );
        assert_eq!(
            scrub("x S3cret&quot;PW y", &["S3cret\"PW"]),
            "x *** y",
            "HTML-escaped"
        );
        assert_eq!(
            scrub("x S3cret%22PW y", &["S3cret\"PW"]),
            "x *** y",
            "URL-encoded"
        );
        assert_eq!(scrub("x+y x%20y", &["x y"]), "*** ***");
    }
}
