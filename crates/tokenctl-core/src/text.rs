//! What may be shown of text that came from elsewhere (a server's answer,
//! a token's claims, a URL, a flag's or a variable's value, a path): no
//! character a terminal would act on or that hides or reorders text, no
//! secret of the request, no query value. Depends on nothing in the crate.
//!
//! [`shown`] is the one way a value from outside (a flag, a variable, a
//! file, a claim) gets into a message: every unsafe character escaped
//! visibly, the length bounded. [`shown_text`] escapes the same characters
//! in text of ours that already embeds such values (clap's rendered error,
//! the TOML parser's excerpt), keeping its line breaks.

use std::ffi::OsStr;

use icu_properties::CodePointMapData;
use icu_properties::props::GeneralCategory;
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

/// Characters of a value shown at most by [`shown`]; a longer value keeps
/// its start and its end (a path's file name) around `…`.
pub const MAX_VALUE: usize = 200;

/// Characters a terminal could act on, or that hide, join or reorder the
/// text around them: the controls (C0, DEL, C1: general category Cc), the
/// format characters (Cf: the bidirectional controls such as U+202E and
/// U+061C, zero-width ones such as U+200B, U+FEFF, U+00AD), the line and
/// paragraph separators (Zl, Zp: U+2028, U+2029), and code points not
/// assigned yet (Cn), which a newer terminal may know as any of these.
///
/// The categories come from ICU4X's compiled Unicode data
/// (`icu_properties`), which `url` already builds in for host names: std
/// has no public general-category lookup, and a table of our own would
/// have to be regenerated with each Unicode version.
pub fn is_unsafe_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        CodePointMapData::<GeneralCategory>::new().get(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::Unassigned
    )
}

/// `c` escaped the way Rust writes it: `\r`, `\u{202e}`.
fn escape_into(out: &mut String, c: char) {
    match c {
        '\0' => out.push_str("\\0"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => out.extend(c.escape_unicode()),
    }
}

/// A value from outside (a flag's or a variable's value, a path, a name
/// read from a file or a token) fit for a message: every unsafe character
/// ([`is_unsafe_char`]) and every byte that is not UTF-8 escaped visibly
/// (`\r`, `\u{202e}`, `\xff`), backslashes doubled when anything was
/// escaped (so the escapes cannot be forged), at most [`MAX_VALUE`]
/// characters. A plain value is shown as it is.
pub fn shown(value: impl AsRef<OsStr>) -> String {
    let bytes = value.as_ref().as_encoded_bytes();
    // The usual value (a path, a name) is shown as it is: one pass, one
    // copy. Messages are formatted even when `-v` is off, some on the hot
    // path.
    if let Ok(text) = std::str::from_utf8(bytes)
        && text.len() <= MAX_VALUE
        && !text.chars().any(is_unsafe_char)
    {
        return text.to_string();
    }
    // One piece per character (or stray byte), so a cut never splits an escape.
    let mut pieces: Vec<String> = Vec::new();
    let mut escaped = false;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            let mut piece = String::new();
            if is_unsafe_char(c) {
                escape_into(&mut piece, c);
                escaped = true;
            } else {
                piece.push(c);
            }
            pieces.push(piece);
        }
        for b in chunk.invalid() {
            pieces.push(format!("\\x{b:02x}"));
            escaped = true;
        }
    }
    if escaped {
        for piece in &mut pieces {
            if piece == "\\" {
                piece.push('\\');
            }
        }
    }
    bounded(&pieces)
}

/// The pieces joined; when longer than [`MAX_VALUE`] characters, the
/// first ones and the last ones around `…`.
fn bounded(pieces: &[String]) -> String {
    let width = |p: &String| p.chars().count();
    let total: usize = pieces.iter().map(width).sum();
    if total <= MAX_VALUE {
        return pieces.concat();
    }
    let (head_max, tail_max) = (MAX_VALUE * 2 / 3, MAX_VALUE - MAX_VALUE * 2 / 3 - 1);
    let mut head = String::new();
    let mut used = 0;
    let mut first_unused = pieces.len();
    for (i, p) in pieces.iter().enumerate() {
        if used + width(p) > head_max {
            first_unused = i;
            break;
        }
        used += width(p);
        head.push_str(p);
    }
    let mut tail: Vec<&str> = Vec::new();
    let mut used = 0;
    for p in pieces[first_unused..].iter().rev() {
        if used + width(p) > tail_max {
            break;
        }
        used += width(p);
        tail.push(p);
    }
    tail.reverse();
    format!("{head}…{}", tail.concat())
}

/// Text of ours that embeds text from outside (clap's rendered error, the
/// TOML parser's excerpt of a config line): every unsafe character escaped
/// as [`shown`] does, except the line breaks, which are the text's own.
/// SGR colour sequences (`ESC [ … m`) are kept when `keep_styles` (clap
/// colours its errors; the values in them are escaped before).
pub fn shown_text(text: &str, keep_styles: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if keep_styles && let Some(len) = sgr_len(rest) {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if c != '\n' && is_unsafe_char(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the SGR sequence `text` starts with, if it does.
fn sgr_len(text: &str) -> Option<usize> {
    let params = text.strip_prefix("\x1b[")?;
    let n = params
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (params.as_bytes().get(n) == Some(&b'm')).then_some(2 + n + 1)
}

/// `word` as one word for a POSIX shell, to be copied from a hint: as it
/// is when it holds only characters no shell treats specially, else in
/// single quotes (a quote inside as `'\\''`). Unsafe characters are escaped
/// as [`shown`] escapes them (a hint never carries a raw control character).
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/:@%+=,".contains(c));
    if plain {
        return word.to_string();
    }
    format!("'{}'", shown(word).replace('\'', "'\\''"))
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

    /// Format characters, separators and controls named in issue 24 and
    /// in Unicode's lists of bidirectional and invisible characters.
    const KNOWN_UNSAFE: &[char] = &[
        '\u{0}',
        '\u{7}',
        '\u{8}',
        '\t',
        '\n',
        '\u{b}',
        '\r',
        '\u{1b}',
        '\u{7f}',
        '\u{80}',
        '\u{85}',
        '\u{9b}',
        '\u{9f}',
        '\u{ad}',
        '\u{600}',
        '\u{605}',
        '\u{61c}',
        '\u{6dd}',
        '\u{70f}',
        '\u{8e2}',
        '\u{180e}',
        '\u{200b}',
        '\u{200c}',
        '\u{200d}',
        '\u{200e}',
        '\u{200f}',
        '\u{2028}',
        '\u{2029}',
        '\u{202a}',
        '\u{202b}',
        '\u{202c}',
        '\u{202d}',
        '\u{202e}',
        '\u{2060}',
        '\u{2061}',
        '\u{2064}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{206a}',
        '\u{206f}',
        '\u{feff}',
        '\u{fff9}',
        '\u{fffa}',
        '\u{fffb}',
        '\u{110bd}',
        '\u{1d173}',
        '\u{1d17a}',
        '\u{e0001}',
        '\u{e0020}',
        '\u{e007f}',
        // Not assigned (yet).
        '\u{378}',
        '\u{e0080}',
        '\u{10ffff}',
    ];

    #[test]
    fn unsafe_characters_are_escaped_visibly() {
        for &c in KNOWN_UNSAFE {
            assert!(is_unsafe_char(c), "{c:?}");
            let s = shown(format!("a{c}b"));
            assert!(
                s.starts_with('a') && s.ends_with('b') && s.len() > 3,
                "{c:?}: {s:?}"
            );
            assert!(s.bytes().all(|b| b.is_ascii_graphic()), "{c:?}: {s:?}");
        }
        for text in ["plain text, é ü ∑ 日本語 😀 ß", "C:\\Users\\x", "a b", "-x"] {
            assert_eq!(shown(text), text);
            assert!(!has_unsafe_chars(text));
        }
        assert_eq!(shown("a\rb\u{202e}c"), r"a\rb\u{202e}c");
        assert_eq!(shown("\u{0}\t\n\u{1b}[2J"), r"\0\t\n\u{1b}[2J");
        assert_eq!(
            shown("x\u{2028}y\u{feff}z\u{9b}"),
            r"x\u{2028}y\u{feff}z\u{9b}"
        );
        // With anything escaped, a backslash is doubled: no forged escape.
        assert_eq!(shown("a\\u{41}\r"), r"a\\u{41}\r");
        assert_eq!(shown(""), "");
    }

    #[test]
    #[cfg(unix)]
    fn bytes_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        assert_eq!(shown(OsStr::from_bytes(b"a\xffb\xc3")), r"a\xffb\xc3");
        assert_eq!(shown(std::path::Path::new("/tmp/x y")), "/tmp/x y");
    }

    /// Every character of general category Cc, Cf, Zl or Zp is escaped; and
    /// std's own table of what `{:?}` escapes (a second, independent copy
    /// of the Unicode data) escapes each of them too.
    #[test]
    fn every_control_format_and_separator_character() {
        let categories = CodePointMapData::<GeneralCategory>::new();
        let mut counted = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let gc = categories.get(c);
            let must = matches!(
                gc,
                GeneralCategory::Control
                    | GeneralCategory::Format
                    | GeneralCategory::LineSeparator
                    | GeneralCategory::ParagraphSeparator
            );
            if !must {
                continue;
            }
            counted += 1;
            assert!(is_unsafe_char(c), "{c:?} ({gc:?})");
            assert!(
                c.escape_debug().next() == Some('\\'),
                "std would print {c:?} ({gc:?}) raw"
            );
            let s = shown(c.to_string());
            assert!(s.starts_with('\\') && s.is_ascii(), "{c:?}: {s:?}");
        }
        // Unicode 16 has 65 Cc, 170 Cf, 1 Zl, 1 Zp.
        assert!(counted >= 237, "{counted}");
        // Letters, marks, symbols, spaces are not escaped.
        for c in [
            'a', 'é', '\u{301}', '€', ' ', '\u{a0}', '\u{3000}', '\u{e000}',
        ] {
            assert!(!is_unsafe_char(c), "{c:?}");
        }
    }

    #[test]
    fn long_values_keep_their_start_and_end() {
        let long = format!("{}{}", "a".repeat(100_000), "TAIL");
        let s = shown(&long);
        assert_eq!(s.chars().count(), MAX_VALUE);
        assert!(
            s.starts_with(&"a".repeat(MAX_VALUE / 2)) && s.ends_with("aTAIL"),
            "{s}"
        );
        assert!(s.contains('…'));
        // A cut never splits an escape.
        let s = shown("\u{202e}".repeat(1000));
        assert!(s.chars().count() <= MAX_VALUE, "{s}");
        let (head, tail) = s.split_once('…').unwrap();
        for part in [head, tail] {
            assert_eq!(part.len() % r"\u{202e}".len(), 0, "{part}");
            assert_eq!(part.replace(r"\u{202e}", ""), "", "{part}");
        }
        let exact = "b".repeat(MAX_VALUE);
        assert_eq!(shown(&exact), exact);
    }

    #[test]
    fn text_keeps_its_lines_and_colours() {
        let text = "error: invalid value 'a\rb\u{9b}c\u{202e}'\n\n  tip: x\n";
        assert_eq!(
            shown_text(text, false),
            "error: invalid value 'a\\rb\\u{9b}c\\u{202e}'\n\n  tip: x\n"
        );
        let styled = "\x1b[1m\x1b[31merror:\x1b[0m value \x1b]0;t\x07";
        assert_eq!(
            shown_text(styled, true),
            "\x1b[1m\x1b[31merror:\x1b[0m value \\u{1b}]0;t\\u{7}"
        );
        assert_eq!(shown_text("\x1b[1mx", false), "\\u{1b}[1mx");
    }

    #[test]
    fn shell_words_paste_back() {
        assert_eq!(shell_word("prod-eu.1"), "prod-eu.1");
        assert_eq!(shell_word("-x"), "-x");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$HOME`x`"), "'$HOME`x`'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("~x"), "'~x'");
        assert_eq!(shell_word("a\rb"), r"'a\rb'");
    }

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
