//! The documentation as a reader meets it: every relative link in
//! README.md, CONTRIBUTING.md and docs/*.md leads to a file and heading that
//! exist, every page in docs/ can be found from README.md and the index,
//! README stays short, and the reference tables list what the code has
//! (environment variables, profile keys). The exit-code table is checked
//! against `Exit` by a unit test in src/error.rs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// docs/*.md, sorted.
fn doc_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

/// Every markdown file the link check covers.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("CONTRIBUTING.md")];
    files.extend(doc_pages());
    files
}

/// The lines of `text` outside fenced code blocks, with their numbers
/// (1-based).
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match fence {
            Some(open) => {
                if trimmed.starts_with(open)
                    && trimmed
                        .trim_end()
                        .chars()
                        .all(|c| c == open.chars().next().unwrap())
                {
                    fence = None;
                }
            }
            None => {
                if trimmed.starts_with("```") {
                    fence = Some("```");
                } else if trimmed.starts_with("~~~") {
                    fence = Some("~~~");
                } else {
                    out.push((n + 1, line));
                }
            }
        }
    }
    out
}

/// `line` with the contents of inline code spans blanked out (same length),
/// so a `[x](y)` shown as code is not taken for a link.
fn mask_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = chars.clone();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
        let open_end = i + run;
        // The closing run: the same number of backticks, not more.
        let mut j = open_end;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                if r == run {
                    close = Some(j);
                    break;
                }
                j += r;
            } else {
                j += 1;
            }
        }
        match close {
            Some(c) => {
                for ch in &mut out[open_end..c] {
                    *ch = 'x';
                }
                i = c + run;
            }
            None => i = open_end,
        }
    }
    out.into_iter().collect()
}

/// The targets of inline links and images on one (masked) line.
fn link_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        let inside = after[..end].trim();
        // `(target "title")`: the title is not part of the target.
        let target = inside.split_whitespace().next().unwrap_or_default();
        let target = target.trim_start_matches('<').trim_end_matches('>');
        targets.push(target.to_string());
        rest = &after[end..];
    }
    targets
}

/// GitHub's anchor for a heading's text: lowercase, everything but
/// letters, digits, spaces, `-` and `_` dropped, spaces turned to `-`.
fn slug(heading: &str) -> String {
    // A link in a heading contributes its text only.
    let mut text = String::new();
    let mut rest = heading;
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](").map(|m| open + m) {
            Some(mid) if rest[mid..].contains(')') => {
                let close = mid + rest[mid..].find(')').unwrap();
                text.push_str(&rest[..open]);
                text.push_str(&rest[open + 1..mid]);
                rest = &rest[close + 1..];
            }
            _ => break,
        }
    }
    text.push_str(rest);
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a markdown file's headings, duplicates numbered as
/// GitHub numbers them (`name`, `name-1`, ...).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let title = line[hashes..].trim().trim_end_matches('#').trim();
        let base = slug(title);
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

#[test]
fn slugs_follow_github() {
    assert_eq!(
        slug("Run:ai versions and token endpoints"),
        "runai-versions-and-token-endpoints"
    );
    assert_eq!(
        slug("Long jobs: `tokenctl exec`"),
        "long-jobs-tokenctl-exec"
    );
    assert_eq!(
        slug("Who am I: `status --claims`"),
        "who-am-i-status---claims"
    );
    assert_eq!(slug("`TOKENCTL_OUTPUT`"), "tokenctl_output");
    assert_eq!(
        slug("kubectl 1.35's plugin policy (kuberc)"),
        "kubectl-135s-plugin-policy-kuberc"
    );
    assert_eq!(slug("See [the docs](x.md) now"), "see-the-docs-now");
    let a = anchors("# A\n```\n# not a heading\n```\n## A\n#nospace\n");
    assert_eq!(
        a,
        ["a", "a-1"]
            .into_iter()
            .map(String::from)
            .collect::<BTreeSet<_>>()
    );
    assert_eq!(
        link_targets(&mask_code_spans(
            "see [`a.md`](a.md#x) and `[b](b.md)`, ![i](i.png \"t\")"
        )),
        vec!["a.md#x".to_string(), "i.png".to_string()]
    );
}

#[test]
fn every_relative_link_resolves_to_a_file_and_heading() {
    let root = root();
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let text = read(&file);
        let dir = file.parent().unwrap();
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        for (n, line) in prose_lines(&text) {
            for target in link_targets(&mask_code_spans(line)) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target.as_str(), None),
                };
                if target.is_empty() || path.starts_with('/') {
                    bad.push(format!("{name}:{n}: `{target}`: not a relative link"));
                    continue;
                }
                let dest = if path.is_empty() {
                    file.clone()
                } else {
                    dir.join(path)
                };
                if !dest.exists() {
                    bad.push(format!(
                        "{name}:{n}: `{target}`: {} does not exist",
                        dest.display()
                    ));
                    continue;
                }
                if let Some(anchor) = anchor {
                    if dest.extension().is_none_or(|e| e != "md") {
                        bad.push(format!(
                            "{name}:{n}: `{target}`: an anchor into a file that is not markdown"
                        ));
                    } else if !anchors(&read(&dest)).contains(anchor) {
                        bad.push(format!(
                            "{name}:{n}: `{target}`: no heading with anchor #{anchor} in {}",
                            dest.strip_prefix(&root).unwrap_or(&dest).display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} links found: is the parser broken?"
    );
    assert!(bad.is_empty(), "broken links:\n{}", bad.join("\n"));
}

/// The relative link targets of one file, resolved, anchors dropped.
fn linked_files(file: &Path) -> BTreeSet<PathBuf> {
    let text = read(file);
    let dir = file.parent().unwrap();
    prose_lines(&text)
        .into_iter()
        .flat_map(|(_, line)| link_targets(&mask_code_spans(line)))
        .filter(|t| !t.contains("://"))
        .filter_map(|t| {
            let path = t.split('#').next().unwrap().to_string();
            (!path.is_empty()).then(|| dir.join(path))
        })
        .filter_map(|p| p.canonicalize().ok())
        .collect()
}

#[test]
fn every_docs_page_is_linked_from_readme_and_the_index() {
    let from_readme = linked_files(&root().join("README.md"));
    let from_index = linked_files(&root().join("docs/README.md"));
    let mut missing = Vec::new();
    for page in doc_pages() {
        let page = page.canonicalize().unwrap();
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        if !from_readme.contains(&page) {
            missing.push(format!("README.md does not link docs/{name}"));
        }
        if name != "README.md" && !from_index.contains(&page) {
            missing.push(format!("docs/README.md does not link {name}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// README is read in two minutes: short, and the two first commands a
/// newcomer runs (the demo, the full test suite) in a code block on its
/// first screen. `.ci/run` runs the second.
#[test]
fn readme_is_short_and_starts_with_the_demo_and_the_test_command() {
    let readme = read(&root().join("README.md"));
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; move detail to docs/"
    );
    let first_screen: Vec<&str> = readme.lines().take(30).collect();
    let block_start = first_screen
        .iter()
        .position(|l| l.starts_with("```"))
        .expect("a code block on README's first screen");
    let block: Vec<&str> = first_screen[block_start + 1..]
        .iter()
        .take_while(|l| !l.starts_with("```"))
        .copied()
        .collect();
    let commands: Vec<&str> = block
        .iter()
        .map(|l| l.split(" #").next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --example demo", "./scripts/test.sh"],
        "README's first code block"
    );
    let ci = read(&root().join(".ci/run"));
    assert!(
        ci.lines().any(|l| l.trim() == "./scripts/test.sh"),
        ".ci/run must run README's test command, ./scripts/test.sh"
    );
    assert!(
        root().join("CONTRIBUTING.md").exists(),
        "README links CONTRIBUTING.md"
    );
}

/// Every `TOKENCTL_*` name quoted in `text` as a string literal.
fn quoted_tokenctl_names(text: &str, out: &mut BTreeSet<String>) {
    for (i, _) in text.match_indices("\"TOKENCTL_") {
        let name: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        // `"TOKENCTL_"` alone is a prefix (src/env.rs's own checks), no name.
        if name.len() > "TOKENCTL_".len() && text[i + 1 + name.len()..].starts_with('"') {
            out.insert(name);
        }
    }
}

/// Every `TOKENCTL_*` name in `text`, quoted or not.
fn tokenctl_names(text: &str) -> BTreeSet<String> {
    text.match_indices("TOKENCTL_")
        .filter(|(i, _)| {
            !text[..*i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(|(i, _)| {
            text[i..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect::<String>()
        })
        .map(|n| n.trim_end_matches('_').to_string())
        .filter(|n| n.len() > "TOKENCTL_".len())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// docs/environment.md's tables (between its BEGIN and END markers) name
/// every variable the code reads or sets, and nothing the code lacks.
/// Build-time (`TOKENCTL_BUILD_*`) and test-only (`TOKENCTL_TEST_*`) names
/// are CONTRIBUTING.md's.
#[test]
fn environment_table_lists_every_tokenctl_variable() {
    let mut in_code = BTreeSet::new();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for f in &files {
        quoted_tokenctl_names(&read(f), &mut in_code);
    }
    in_code.extend(tokenctl_names(&read(&root().join("scripts/install.sh"))));
    in_code.retain(|n| !n.starts_with("TOKENCTL_BUILD_") && !n.starts_with("TOKENCTL_TEST_"));
    assert!(in_code.len() > 30, "found only {in_code:?}");

    let page = read(&root().join("docs/environment.md"));
    let table = page
        .split("<!-- BEGIN environment variables -->")
        .nth(1)
        .and_then(|s| s.split("<!-- END environment variables -->").next())
        .expect("docs/environment.md has its BEGIN and END markers");
    let in_docs: BTreeSet<String> = table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| tokenctl_names(l.split(" | ").next().unwrap()))
        .collect();

    let undocumented: Vec<&String> = in_code.difference(&in_docs).collect();
    let unknown: Vec<&String> = in_docs.difference(&in_code).collect();
    assert!(
        undocumented.is_empty(),
        "in the code but not in docs/environment.md: {undocumented:?}"
    );
    assert!(
        unknown.is_empty(),
        "in docs/environment.md but not in src/ or scripts/install.sh: {unknown:?}"
    );
}

/// The field names serde knows for `T`: what `deserialize_struct` is given.
fn struct_fields<'de, T: serde::Deserialize<'de>>() -> Vec<&'static str> {
    use serde::de::{Error, Visitor, value};

    struct Capture(std::cell::RefCell<Vec<&'static str>>);
    impl<'de> serde::Deserializer<'de> for &Capture {
        type Error = value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, value::Error> {
            Err(value::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, value::Error> {
            self.0.borrow_mut().extend_from_slice(fields);
            Err(value::Error::custom("captured"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let capture = Capture(Default::default());
    let _ = T::deserialize(&capture);
    capture.0.into_inner()
}

/// docs/configuration.md's table of profile keys is the set of keys a
/// profile in config.toml may have (`Profile`'s serde fields, a removed
/// key that is still read included).
#[test]
fn configuration_table_lists_every_profile_key() {
    let in_code: BTreeSet<String> = struct_fields::<tokenctl::config::Profile>()
        .into_iter()
        .map(String::from)
        .collect();
    assert!(
        in_code.contains("server") && in_code.len() > 20,
        "{in_code:?}"
    );

    let page = read(&root().join("docs/configuration.md"));
    let section = page
        .split("\n## Every key\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("docs/configuration.md has an `Every key` section");
    let in_docs: BTreeSet<String> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l[3..].split('`').next().unwrap().to_string())
        .collect();
    assert_eq!(in_docs, in_code, "docs/configuration.md against the code");
}
