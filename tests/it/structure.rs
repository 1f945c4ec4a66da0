//! The crate's layers point one way (issue 17): no top-level module reaches
//! back up into a module that uses it, and the plain data types at the
//! bottom import nothing above the error type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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

/// Top-level module -> the top-level modules its code names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    graph
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
