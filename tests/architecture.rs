//! The crate's module graph has no import cycles: among the top-level
//! modules (`engine`, `report`, `document`, …), and among the files of each
//! folder module (a parser must not import the module that dispatches to
//! it). Read from the sources, so a cycle that comes back fails here.
//!
//! An edge is a path in non-test code that names another module: `crate::a`,
//! `super::b`, a `use crate::{…}` group, or a name a folder's `mod.rs`
//! re-exports from one of its files (`pub use jsonl::parse`), which counts
//! as naming that file. Comments and `#[cfg(test)]` modules are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module's path below the crate root: `["document", "jsonl"]`.
type ModPath = Vec<String>;

struct Module {
    path: ModPath,
    /// Non-test code without comments.
    code: String,
    /// Whether it is a folder's `mod.rs`.
    folder: bool,
}

/// Every module under `src/` but the crate roots.
fn modules() -> Vec<Module> {
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &[],
        &mut out,
    );
    out
}

fn walk(dir: &Path, prefix: &[String], out: &mut Vec<Module>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_string();
        if path.is_dir() {
            let mut inner = prefix.to_vec();
            inner.push(name);
            walk(&path, &inner, out);
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let folder = name == "mod";
        if prefix.is_empty() && (name == "lib" || name == "main") {
            continue;
        }
        let mut module = prefix.to_vec();
        if !folder {
            module.push(name);
        }
        let source = fs::read_to_string(&path).expect("read source");
        out.push(Module {
            path: module,
            code: strip(&source),
            folder,
        });
    }
}

/// `source` without comments and without `#[cfg(test)]` modules (the test
/// modules come last in their files, as this project writes them).
fn strip(source: &str) -> String {
    let mut code = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines.peek().is_some_and(|next| {
                let next = next.trim_start();
                next.starts_with("mod ") || next.contains(" mod ")
            })
        {
            break;
        }
        let without_comment = match line.find("//") {
            // A `//` inside a string (a URL) is rare in module paths; the
            // rest of such a line names no module either way.
            Some(at) => &line[..at],
            None => line,
        };
        code.push_str(without_comment);
        code.push('\n');
    }
    code
}

/// The identifiers of every path in `code` that starts with `crate::`,
/// `super::` or `self::`, made absolute from `here` (the module the code is
/// in). Groups (`{a, b::c}`) give
/// one path per item.
fn paths(code: &str, here: &ModPath) -> Vec<ModPath> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        let start_ok = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':');
        let rest = &bytes[i..];
        let base: Option<(ModPath, usize)> = if !start_ok {
            None
        } else if rest.starts_with(b"crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if rest.starts_with(b"self::") {
            Some((here.clone(), "self::".len()))
        } else if rest.starts_with(b"super::") {
            // A folder's mod.rs has the folder's path, a file its own: in
            // both, `super` drops the last name.
            let mut base = here.clone();
            let mut len = 0;
            while bytes[i + len..].starts_with(b"super::") {
                base.pop();
                len += "super::".len();
            }
            Some((base, len))
        } else {
            None
        };
        let Some((base, len)) = base else {
            i += 1;
            continue;
        };
        i += len;
        collect(code, &mut i, base, &mut out);
    }
    out
}

/// Reads a path (or a `{…}` group of paths) at `*i` after `base`.
fn collect(code: &str, i: &mut usize, base: ModPath, out: &mut Vec<ModPath>) {
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut path = base;
    loop {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
        if *i < bytes.len() && bytes[*i] == b'{' {
            *i += 1;
            loop {
                collect(code, i, path.clone(), out);
                while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
                    *i += 1;
                }
                match bytes.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b'}') => {
                        *i += 1;
                        return;
                    }
                    _ => return,
                }
                while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
                    *i += 1;
                }
                if bytes.get(*i) == Some(&b'}') {
                    *i += 1;
                    return;
                }
            }
        }
        let start = *i;
        while *i < bytes.len() && is_ident(bytes[*i]) {
            *i += 1;
        }
        if start == *i {
            break;
        }
        let ident = &code[start..*i];
        if ident != "self" {
            path.push(ident.to_string());
        }
        if bytes[*i..].starts_with(b"::") {
            *i += 2;
        } else {
            break;
        }
    }
    out.push(path);
}

/// The module a path names: its longest prefix that is a module, or the
/// file a folder re-exports the next name from.
fn resolve(
    path: &ModPath,
    known: &BTreeSet<ModPath>,
    reexports: &BTreeMap<ModPath, BTreeMap<String, String>>,
) -> Option<ModPath> {
    let mut best = None;
    for n in (1..=path.len()).rev() {
        if known.contains(&path[..n]) {
            best = Some(path[..n].to_vec());
            break;
        }
    }
    let mut module = best?;
    if let Some(name) = path.get(module.len())
        && let Some(child) = reexports.get(&module).and_then(|r| r.get(name))
    {
        module.push(child.clone());
    }
    Some(module)
}

/// For each folder module, the names its `mod.rs` re-exports from its files.
fn reexports(modules: &[Module]) -> BTreeMap<ModPath, BTreeMap<String, String>> {
    let mut out: BTreeMap<ModPath, BTreeMap<String, String>> = BTreeMap::new();
    for m in modules.iter().filter(|m| m.folder) {
        for line in m.code.lines() {
            let line = line.trim();
            let Some(rest) = line
                .strip_prefix("pub use ")
                .or_else(|| line.strip_prefix("pub(crate) use "))
            else {
                continue;
            };
            let rest = rest.trim_start_matches("self::").trim_end_matches(';');
            let Some((child, names)) = rest.split_once("::") else {
                continue;
            };
            let names = names.trim_start_matches('{').trim_end_matches('}');
            for name in names.split(',') {
                let name = name.split(" as ").last().unwrap_or(name).trim();
                if !name.is_empty() {
                    out.entry(m.path.clone())
                        .or_default()
                        .insert(name.to_string(), child.to_string());
                }
            }
        }
    }
    out
}

/// The groups of modules in `graph` that import each other, directly or
/// through others (its strongly connected components of more than one
/// module), each sorted.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(node) = todo.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|n| (n, reach(n))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (node, seen) in &reached {
        if !seen.contains(*node) {
            continue;
        }
        let group: Vec<String> = seen
            .iter()
            .filter(|other| reached.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        groups.insert(group);
    }
    groups.into_iter().collect()
}

/// Each group with the imports inside it, for the failure message.
fn explain(graph: &BTreeMap<String, BTreeSet<String>>, groups: &[Vec<String>]) -> String {
    let mut out = String::new();
    for group in groups {
        out.push_str(&format!("\n  {{{}}}:", group.join(", ")));
        for from in group {
            for to in graph.get(from).into_iter().flatten() {
                if group.contains(to) {
                    out.push_str(&format!(" {from} → {to};"));
                }
            }
        }
    }
    out
}

/// Every edge between two modules: (from, to).
fn edges() -> Vec<(ModPath, ModPath)> {
    let modules = modules();
    let known: BTreeSet<ModPath> = modules.iter().map(|m| m.path.clone()).collect();
    let reexports = reexports(&modules);
    let mut out = Vec::new();
    for m in &modules {
        for path in paths(&m.code, &m.path) {
            if let Some(to) = resolve(&path, &known, &reexports)
                && to != m.path
            {
                out.push((m.path.clone(), to));
            }
        }
    }
    out
}

#[test]
fn top_level_modules_have_no_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in edges() {
        let (Some(a), Some(b)) = (from.first(), to.first()) else {
            continue;
        };
        if a != b {
            graph.entry(a.clone()).or_default().insert(b.clone());
        }
    }
    assert!(graph.len() > 5, "too few modules read: {graph:?}");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "modules that import each other: {}",
        explain(&graph, &found)
    );
}

#[test]
fn files_of_a_folder_module_have_no_cycle() {
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, to) in edges() {
        // Two files of one folder (not its mod.rs, the folder's face).
        if from.len() == 2 && to.len() == 2 && from[0] == to[0] {
            graphs
                .entry(from[0].clone())
                .or_default()
                .entry(from[1].clone())
                .or_default()
                .insert(to[1].clone());
        }
    }
    let found: Vec<String> = graphs
        .iter()
        .filter_map(|(folder, graph)| {
            let groups = cycles(graph);
            (!groups.is_empty()).then(|| format!("in {folder}/: {}", explain(graph, &groups)))
        })
        .collect();
    assert!(found.is_empty(), "files that import each other {found:?}");
}

/// The reader itself: paths of every form are found and resolved.
#[test]
fn paths_of_every_form_are_read() {
    let here: ModPath = vec!["document".into(), "jsonl".into()];
    let code = "use crate::{finding::Finding, report::{Needs, visible}};\n\
                use super::format::Parsed;\n\
                fn f() { crate::engine::run(); super::super::ruleset::X; }\n";
    let found = paths(code, &here);
    let want: Vec<ModPath> = [
        vec!["finding", "Finding"],
        vec!["report", "Needs"],
        vec!["report", "visible"],
        vec!["document", "format", "Parsed"],
        vec!["engine", "run"],
        vec!["ruleset", "X"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(found, want);
    // In a folder's mod.rs, `super` is the folder's parent.
    let found = paths("use super::finding::F;", &vec!["report".into()]);
    assert_eq!(found, vec![vec!["finding".to_string(), "F".to_string()]]);
    let graph = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .iter()
        .map(|(x, y)| (x.to_string(), BTreeSet::from([y.to_string()])))
        .collect();
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c"]]);
}
