//! One profile of `config.toml` edited in place. The file is the user's:
//! only the lines of the keys that change are touched, so comments, blank
//! lines, order, spacing, line ends (CRLF or LF), a missing final newline
//! and the other profiles keep their bytes. toml_edit finds where each key
//! and value is; its own writer is not used for the usual layout because it
//! rewrites line ends and header spacing.

use std::ops::Range;

use toml_edit::{Document, DocumentMut, Item, Key, Table, TableLike, Value};

use super::Profile;

/// The setting tokenctl reads and ignores ([`Profile::removed_pkce`]): it
/// goes when its profile is saved.
const REMOVED_KEYS: &[&str] = &["pkce"];

/// `text` with profile `name` set to `new`, or removed with `None`. `old` is
/// that profile as `text` holds it.
pub(super) fn set_profile(
    text: &str,
    name: &str,
    old: Option<&Profile>,
    new: Option<&Profile>,
) -> Result<String, String> {
    let doc = Document::parse(text).map_err(|e| e.to_string())?;
    let Some(new) = new else {
        return match doc
            .get("profiles")
            .and_then(Item::as_table)
            .and_then(|p| p.get(name))
        {
            None => Ok(text.to_string()),
            Some(Item::Table(t)) if plain(t) => Ok(cut_table(text, t)),
            Some(_) => rewrite(text, name, None, old),
        };
    };
    let new_keys = serialize(new)?;
    let old_keys = old.map(serialize).transpose()?.unwrap_or_default();
    match doc.get("profiles") {
        None => Ok(append(text, name, &new_keys)),
        Some(Item::Table(profiles)) if !profiles.is_dotted() => match profiles.get(name) {
            None => Ok(append(text, name, &new_keys)),
            Some(Item::Table(t)) if plain(t) => Ok(splice(text, t, &old_keys, &new_keys)),
            Some(_) => rewrite(text, name, Some(new), old),
        },
        // `profiles = { … }` or `profiles.x.server = …`: a layout of the
        // user's own, edited through toml_edit's writer.
        Some(_) => rewrite(text, name, Some(new), old),
    }
}

/// A profile's keys as `tokenctl login` writes them, in the struct's order,
/// each with its value written as TOML.
fn serialize(profile: &Profile) -> Result<Vec<(String, String)>, String> {
    let text = toml::to_string(profile).map_err(|e| e.to_string())?;
    let doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    Ok(doc
        .iter()
        .filter_map(|(k, item)| {
            let mut value = item.as_value()?.clone();
            value.decor_mut().clear();
            Some((k.to_string(), value.to_string()))
        })
        .collect())
}

fn lookup<'a>(keys: &'a [(String, String)], key: &str) -> Option<&'a str> {
    keys.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// What becomes of a key the profile has in the file.
enum Change<'a> {
    Keep,
    Set(&'a str),
    Remove,
}

/// A key the file has: kept when its value means the same (so the user's
/// spelling stays), set when it changed, removed when the new profile no
/// longer has it. A key written as its default (`allow_http = false`) and
/// still the default stays as written.
fn change<'a>(key: &str, old: &[(String, String)], new: &'a [(String, String)]) -> Change<'a> {
    if REMOVED_KEYS.contains(&key) {
        return Change::Remove;
    }
    match (lookup(old, key), lookup(new, key)) {
        (o, Some(n)) if o == Some(n) => Change::Keep,
        (_, Some(n)) => Change::Set(n),
        (Some(_), None) => Change::Remove,
        (None, None) => Change::Keep,
    }
}

/// A `[profiles.NAME]` table of one-line `key = value` entries (no dotted
/// keys, no sub-tables): the layout tokenctl writes and most people keep.
fn plain(t: &Table) -> bool {
    !t.is_implicit()
        && !t.is_dotted()
        && t.span().is_some()
        && t.iter().all(|(k, item)| {
            item.is_value()
                && !item.as_value().is_some_and(Value::is_inline_table)
                && item.span().is_some()
                && t.key(k).and_then(Key::span).is_some()
        })
}

/// The line end the file uses: that of its first line (LF for a new file).
fn line_end(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Where the line holding `at` ends: before its line end, and after it.
fn line_end_at(text: &str, at: usize) -> (usize, usize) {
    match text[at..].find('\n') {
        Some(i) => {
            let nl = at + i;
            let content = if nl > 0 && text.as_bytes()[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            (content, nl + 1)
        }
        None => (text.len(), text.len()),
    }
}

fn entry_line(key: &str, value: &str) -> String {
    format!("{} = {value}", Key::new(key).display_repr())
}

/// `range` widened to whole lines: from the start of its first line to
/// after the line end of its last; at the end of a file without a final
/// newline, from the line end before it instead, so the file still has none.
fn whole_lines(text: &str, range: Range<usize>) -> Range<usize> {
    let start = line_start(text, range.start);
    let (_, after) = line_end_at(text, range.end);
    if after == text.len() && !text.ends_with('\n') && start > 0 {
        let prev = start - 1;
        let prev = if prev > 0 && text.as_bytes()[prev - 1] == b'\r' {
            prev - 1
        } else {
            prev
        };
        prev..after
    } else {
        start..after
    }
}

/// The profile's table removed: its header, its entries and the comments
/// among them. What stands before the header or after the last entry (a
/// comment may be about the next profile) stays.
fn cut_table(text: &str, table: &Table) -> String {
    let header = table.span().expect("checked by plain()");
    let end = table
        .iter()
        .filter_map(|(_, item)| item.span())
        .map(|s| s.end)
        .max()
        .unwrap_or(header.end);
    let range = whole_lines(text, header.start..end);
    format!("{}{}", &text[..range.start], &text[range.end..])
}

/// The profile's table edited by byte ranges: changed values replaced where
/// they stand (the comment after them stays), removed keys' lines cut, new
/// keys added after the table's last entry. Nothing else moves.
fn splice(text: &str, table: &Table, old: &[(String, String)], new: &[(String, String)]) -> String {
    let eol = line_end(text);
    // (range, replacement), applied in order of position.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let header = table.span().expect("checked by plain()");
    let mut anchor = header.end;
    for (key, item) in table.iter() {
        let key_span = table.key(key).and_then(Key::span).expect("checked");
        let value_span = item.span().expect("checked");
        match change(key, old, new) {
            Change::Keep => anchor = anchor.max(value_span.end),
            Change::Set(value) => {
                anchor = anchor.max(value_span.end);
                edits.push((value_span, value.to_string()));
            }
            Change::Remove => {
                edits.push((
                    whole_lines(text, key_span.start..value_span.end),
                    String::new(),
                ));
            }
        }
    }
    let added: String = new
        .iter()
        .filter(|(k, _)| table.get(k).is_none())
        .map(|(k, v)| format!("{eol}{}", entry_line(k, v)))
        .collect();
    if !added.is_empty() {
        let (at, _) = line_end_at(text, anchor);
        edits.push((at..at, added));
    }
    // Insertions (empty ranges) before a removal starting at the same place.
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for (range, replacement) in edits {
        out.push_str(&text[cursor..range.start]);
        out.push_str(&replacement);
        cursor = range.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// A new profile, as a table after everything else, in the file's line
/// ends, one blank line before it; the file keeps a final newline or its
/// absence. An empty file gets a heading comment.
fn append(text: &str, name: &str, keys: &[(String, String)]) -> String {
    let eol = line_end(text);
    let mut block = format!("[profiles.{}]", Key::new(name).display_repr());
    for (k, v) in keys {
        block.push_str(eol);
        block.push_str(&entry_line(k, v));
    }
    if text.is_empty() {
        return format!(
            "# tokenctl profiles: written by `tokenctl login`; safe to edit. No secrets live here.\n\n{block}\n"
        );
    }
    if !text.ends_with('\n') {
        return format!("{text}{eol}{eol}{block}");
    }
    let blank_before = text.trim_end_matches(['\r', '\n']).is_empty()
        || text.ends_with("\n\n")
        || text.ends_with("\n\r\n");
    let sep = if blank_before { "" } else { eol };
    format!("{text}{sep}{block}{eol}")
}

/// Other layouts (`profiles = { … }`, dotted keys, a profile written as an
/// inline table) and removals: the same per-key changes through toml_edit's
/// document, which keeps comments and order but writes LF line ends and
/// its own spacing in headers; the file's CRLF line ends and missing final
/// newline are put back.
fn rewrite(
    text: &str,
    name: &str,
    new: Option<&Profile>,
    old: Option<&Profile>,
) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let item = doc.entry("profiles").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    let inline = matches!(item, Item::Value(Value::InlineTable(_)));
    let profiles = item
        .as_table_like_mut()
        .ok_or("`profiles` is not a table")?;
    match new {
        None => {
            profiles.remove(name);
        }
        Some(new) => {
            let new_keys = serialize(new)?;
            let old_keys = old.map(serialize).transpose()?.unwrap_or_default();
            match profiles.get_mut(name).and_then(Item::as_table_like_mut) {
                Some(table) => edit_table(table, &old_keys, &new_keys)?,
                None => {
                    let fresh: DocumentMut = toml::to_string(new)
                        .map_err(|e| e.to_string())?
                        .parse()
                        .map_err(|e: toml_edit::TomlError| e.to_string())?;
                    let table = fresh.as_table().clone();
                    if inline {
                        profiles.insert(
                            name,
                            Item::Value(Value::InlineTable(table.into_inline_table())),
                        );
                    } else {
                        profiles.insert(name, Item::Table(table));
                    }
                }
            }
        }
    }
    let mut out = doc.to_string();
    if line_end(text) == "\r\n" && !text.replace("\r\n", "").contains('\n') {
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if !text.is_empty() && !text.ends_with('\n') {
        let trimmed = out.strip_suffix('\n').unwrap_or(&out);
        out = trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string();
    }
    Ok(out)
}

fn edit_table(
    table: &mut dyn TableLike,
    old: &[(String, String)],
    new: &[(String, String)],
) -> Result<(), String> {
    let present: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for key in &present {
        match change(key, old, new) {
            Change::Keep => {}
            Change::Remove => {
                table.remove(key);
            }
            Change::Set(value) => {
                let mut parsed: Value = value
                    .parse()
                    .map_err(|e: toml_edit::TomlError| e.to_string())?;
                // In place: the key keeps its spelling and the comments before it.
                match table.get_mut(key) {
                    Some(Item::Value(current)) => {
                        *parsed.decor_mut() = current.decor().clone();
                        *current = parsed;
                    }
                    _ => {
                        table.insert(key, Item::Value(parsed));
                    }
                }
            }
        }
    }
    for (key, value) in new {
        if table.get(key).is_none() {
            let parsed: Value = value
                .parse()
                .map_err(|e: toml_edit::TomlError| e.to_string())?;
            table.insert(key, Item::Value(parsed));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ServerUrl, parse};
    use crate::model::{ApiKind, StoreKind};

    fn profile(server: &str) -> Profile {
        let mut p = Profile::new(ServerUrl::parse(server).unwrap(), ApiKind::Runai);
        p.username = Some("alice".into());
        p.store = Some(StoreKind::File);
        p
    }

    /// `text` with profile `name` set to `new`, checked to parse back to it.
    fn set(text: &str, name: &str, new: &Profile) -> String {
        let old = parse(text).unwrap().profiles.get(name).cloned();
        let out = set_profile(text, name, old.as_ref(), Some(new)).unwrap();
        let back = parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        let mut want = new.clone();
        want.removed_pkce = None;
        assert_eq!(back.profiles[name], want, "{out}");
        out
    }

    #[test]
    fn a_new_file_gets_a_heading() {
        let out = set("", "default", &profile("https://a.example.com"));
        assert_eq!(
            out,
            "# tokenctl profiles: written by `tokenctl login`; safe to edit. No secrets live here.\n\n[profiles.default]\nserver = \"https://a.example.com\"\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\n"
        );
    }

    #[test]
    fn names_with_dots_are_quoted() {
        let out = set("# x\n", "prod-eu.1", &profile("https://a.example.com"));
        assert!(
            out.starts_with("# x\n\n[profiles.\"prod-eu.1\"]\n"),
            "{out}"
        );
    }

    #[test]
    fn a_value_is_replaced_where_it_stands() {
        let text = "[profiles.a]\r\nserver = 'https://old.example.com'   # mine\r\napi = \"runai\"\r\nusername = \"alice\"\r\nstore = \"file\"\r\n\r\n[profiles.b]\r\nserver = \"https://b.example.com\"\r\napi = \"runai\"";
        let out = set(text, "a", &profile("https://new.example.com"));
        assert_eq!(
            out,
            text.replace("'https://old.example.com'", "\"https://new.example.com\"")
        );
    }

    #[test]
    fn removing_the_last_line_keeps_no_final_newline() {
        let text = "[profiles.a]\nserver = \"https://a.example.com\"\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\npkce = true";
        let out = set(text, "a", &profile("https://a.example.com"));
        assert_eq!(out, text.replace("\npkce = true", ""));
        // A key added to that last profile: no final newline either.
        let mut p = profile("https://a.example.com");
        p.allow_http = true;
        let out = set(&out, "a", &p);
        assert!(
            out.ends_with("store = \"file\"\nallow_http = true"),
            "{out:?}"
        );
    }

    #[test]
    fn removed_keys_and_a_removed_anchor_line() {
        // The last entry goes and a key is added: it lands after the last
        // kept entry, the comment line before the removed one stays.
        let text = "[profiles.a]\nserver = \"https://a.example.com\"\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\n# about cache\ncache = true\n\n[profiles.b] # b\nserver = \"https://b.example.com\"\napi = \"runai\"\n";
        let mut p = profile("https://a.example.com");
        p.legacy_endpoints = true;
        let out = set(text, "a", &p);
        assert_eq!(
            out,
            "[profiles.a]\nserver = \"https://a.example.com\"\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\nlegacy_endpoints = true\n# about cache\n\n[profiles.b] # b\nserver = \"https://b.example.com\"\napi = \"runai\"\n"
        );
    }

    #[test]
    fn an_explicit_default_stays_as_written() {
        let text = "[profiles.a]\nserver = \"https://a.example.com\"\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\nallow_http = false # on purpose\n";
        let out = set(text, "a", &profile("https://a.example.com"));
        assert_eq!(out, text);
    }

    #[test]
    fn other_layouts_keep_comments_and_line_ends() {
        // Inline tables and dotted keys: through toml_edit's writer.
        let text = "# inline\r\nprofiles = { a = { server = \"https://a.example.com\", api = \"runai\" } }\r\n";
        let out = set(text, "b", &profile("https://b.example.com"));
        assert!(out.starts_with("# inline\r\n"), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        let text = "[profiles]\n# dotted\na.server = \"https://a.example.com\"\na.api = \"runai\"";
        let out = set(text, "a", &profile("https://c.example.com"));
        assert!(out.contains("# dotted\n"), "{out:?}");
        assert!(!out.ends_with('\n'), "{out:?}");
        let text =
            "[profiles]\na = { server = \"https://a.example.com\", api = \"runai\" } # mine\n";
        let out = set(text, "a", &profile("https://c.example.com"));
        assert!(out.contains("# mine"), "{out:?}");
    }

    #[test]
    fn removal_drops_only_that_profile() {
        let text = "# top\n[profiles.a]\nserver = \"https://a.example.com\"\napi = \"runai\"\n\n[profiles.b]\nserver = \"https://b.example.com\"\napi = \"runai\"\n";
        let old = parse(text).unwrap().profiles.get("a").cloned();
        let out = set_profile(text, "a", old.as_ref(), None).unwrap();
        assert_eq!(
            out,
            "# top\n\n[profiles.b]\nserver = \"https://b.example.com\"\napi = \"runai\"\n"
        );
        // The last profile of a file without a final newline.
        let text = text.trim_end();
        let old = parse(text).unwrap().profiles.get("b").cloned();
        let out = set_profile(text, "b", old.as_ref(), None).unwrap();
        assert_eq!(
            out,
            "# top\n[profiles.a]\nserver = \"https://a.example.com\"\napi = \"runai\"\n"
        );
    }
}
