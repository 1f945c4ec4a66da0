//! The crates' layers point one way (issue 17): no top-level module reaches
//! back up into a module that uses it, and the plain data types at the
//! bottom import nothing above the error type. The library
//! (crates/tokenctl-core) is the lower layer (issue 27): it builds without
//! clap, prints nothing, and names none of the binary's modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::Command;

/// `crate::NAME` references in the code of one file, tests left out.
fn references(text: &str) -> BTreeSet<String> {
    let code = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// The binary's sources and the library's.
const SOURCE_DIRS: [&str; 2] = ["src", "crates/tokenctl-core/src"];

/// The files under `dir` with their paths relative to it.
fn rust_files(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.push((path, rel));
            }
        }
    }
    out
}

/// Top-level module -> the top-level modules its code names. The binary
/// re-exports the library's modules under their own names (src/lib.rs), so
/// `crate::config` is one module whichever crate names it.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for dir in SOURCE_DIRS {
        graph_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut graph);
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    graph
}

fn graph_of(src: &Path, graph: &mut BTreeMap<String, BTreeSet<String>>) {
    let src = src.to_path_buf();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if top == "lib" || top == "main" {
                continue;
            }
            let refs = references(&std::fs::read_to_string(&path).unwrap());
            let entry = graph.entry(top.clone()).or_default();
            entry.extend(refs.into_iter().filter(|r| *r != top));
        }
    }
}

/// A path from `from` back to itself, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_module_imports_a_module_that_imports_it() {
    let graph = graph();
    assert!(graph.len() > 10, "read the crate: {graph:?}");
    let cycles: Vec<Vec<String>> = graph
        .keys()
        .filter_map(|m| cycle_through(&graph, m))
        .collect();
    assert!(cycles.is_empty(), "import circles: {cycles:?}");
}

#[test]
fn the_bottom_layer_imports_nothing_above_the_error_type() {
    let graph = graph();
    for bottom in ["model", "text", "secret", "error"] {
        let deps = &graph[bottom];
        assert!(
            deps.iter().all(|d| d == "error"),
            "{bottom} imports {deps:?}"
        );
    }
    // The layers that the issue named, pinned: data below the vendor clients.
    for (low, high) in [
        ("token", "api"),
        ("config", "api"),
        ("grant", "config"),
        ("model", "config"),
    ] {
        assert!(!graph[low].contains(high), "{low} imports {high}");
    }
}

#[test]
fn the_reader_finds_a_circle_when_there_is_one() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(cycle_through(&graph, "a").is_some());
    assert_eq!(
        references(
            "use crate::{config::Profile, token};\nx crate::api::Api\n#[cfg(test)]\nmod tests { crate::ui }"
        ),
        BTreeSet::from(["api".to_string(), "config".to_string(), "token".to_string()])
    );
}

fn core_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tokenctl-core")
}

/// The library's top-level modules, from its sources.
fn core_modules() -> BTreeSet<String> {
    rust_files(&core_dir().join("src"))
        .into_iter()
        .map(|(_, rel)| {
            rel.components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .filter(|m| m != "lib")
        .collect()
}

/// The modules the issue put in the library are there, and the binary has
/// no file of its own by those names (a copy that would drift).
#[test]
fn the_library_holds_the_core_and_the_binary_the_rest() {
    let core = core_modules();
    for m in [
        "api", "cache", "config", "env", "error", "grant", "lock", "model", "paths", "repo",
        "secret", "settings", "store", "text", "token",
    ] {
        assert!(core.contains(m), "crates/tokenctl-core/src has no {m}");
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for m in &core {
        assert!(
            !src.join(format!("{m}.rs")).exists() && !src.join(m).is_dir(),
            "src/ has its own {m} beside the library's"
        );
    }
    for m in ["cli", "commands", "output", "ui", "prompt", "shell", "sso"] {
        assert!(
            !core.contains(m),
            "the library holds {m}, a part of the binary"
        );
    }
}

/// The library prints nothing and knows nothing of the command line: no
/// print macro, no standard stream, no module of the binary named (the
/// compiler would refuse one anyway: this says why).
#[test]
fn the_library_prints_nothing() {
    let banned = [
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "dbg!(",
        "std::io::stdout",
        "std::io::stderr",
        "io::stdout()",
        "io::stderr()",
        "clap",
        "crate::ui",
        "crate::cli",
        "crate::commands",
        "crate::output",
        "crate::prompt",
    ];
    let mut found = Vec::new();
    for (path, rel) in rust_files(&core_dir().join("src")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for b in banned {
                if code.contains(b) {
                    found.push(format!("{}:{}: {b}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the library prints or reaches up: {found:?}"
    );
}

/// `cargo tree` of the library's normal dependencies has no clap (nor the
/// terminal crates the binary uses), and it names what it does use, so the
/// check cannot pass on an empty answer. Unix only: it runs the host's
/// cargo, which a test under Wine (scripts/cross.sh) cannot start.
#[cfg(unix)]
#[test]
fn the_library_builds_without_clap() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "tokenctl-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let crates: BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains("tokenctl-core") && crates.contains("reqwest"),
        "{tree}"
    );
    for banned in [
        "clap",
        "clap_builder",
        "clap_complete",
        "anstyle",
        "rpassword",
        "tokenctl",
    ] {
        assert!(
            !crates.contains(banned),
            "tokenctl-core depends on {banned}:\n{tree}"
        );
    }
    // The manifest says so too, not only this platform's tree.
    let manifest = std::fs::read_to_string(core_dir().join("Cargo.toml")).unwrap();
    let deps: toml::Table = toml::from_str(&manifest).unwrap();
    let names: Vec<&String> = ["dependencies"]
        .iter()
        .filter_map(|k| deps.get(*k)?.as_table())
        .chain(
            deps.get("target")
                .and_then(|t| t.as_table())
                .into_iter()
                .flat_map(|t| t.values())
                .filter_map(|t| t.get("dependencies")?.as_table()),
        )
        .flat_map(|t| t.keys())
        .collect();
    assert!(names.len() > 10, "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("clap") || *n == "anstyle" || *n == "rpassword"),
        "{names:?}"
    );
}
