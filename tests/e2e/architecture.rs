//! The map of `docs/design.md`, checked on the sources: the domain's modules import each other
//! without a cycle, each layer imports only the layers below it, `render/` composes no command
//! and compares no version, and each rule of the guide is defined in exactly one place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    out.sort();
    out
}

/// The code of a file: comment lines and `#[cfg(test)] mod tests { … }` left out, and test
/// files (`tests.rs`, `never_panic_tests.rs`, `test_support.rs`) not at all.
fn code(path: &Path, text: &str) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    if name.ends_with("tests.rs") || name == "test_support.rs" {
        return String::new();
    }
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::domain::X` and `crate::domain::{X, Y::…}` of a text.
fn domain_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::domain::") {
        rest = &rest[at + "crate::domain::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
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

/// The top-level module of a file under `src/domain/`.
fn top_module(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let rel = path.strip_prefix(&root).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn domain_modules_import_each_other_without_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources("src/domain") {
        let top = top_module(&path);
        if top == "mod" {
            continue;
        }
        let code = code(&path, &text);
        for module in domain_modules(&code) {
            if module != top {
                edges.entry(top.clone()).or_default().insert(module);
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = path.iter().position(|n| *n == node) {
            panic!("a cycle between domain modules: {:?}", &path[at..]);
        }
        if done.contains(node) {
            return;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done);
    }
    // The leaves stay leaves.
    for leaf in ["version", "cmdline"] {
        let out: Vec<&String> = edges
            .get(leaf)
            .into_iter()
            .flatten()
            .filter(|m| *m != "version" || leaf != "version")
            .collect();
        assert!(
            out.is_empty() || (leaf == "version" && out.is_empty()),
            "{leaf} imports {out:?}"
        );
    }
    assert!(edges.len() > 5, "the scan found the modules: {edges:?}");
}

/// Imports point one way: cli → commands → {domain, access, render}; render → domain;
/// access → domain (the types it fills); domain → nothing but `output::text`, the leaf that
/// says how text reads.
#[test]
fn layers_import_one_way() {
    let rules: [(&str, &[&str]); 3] = [
        (
            "src/domain",
            &[
                "crate::access",
                "crate::commands",
                "crate::render",
                "crate::cli",
                "crate::output::Printer",
                "crate::output::terminal",
            ],
        ),
        (
            "src/render",
            &["crate::access", "crate::commands", "crate::cli"],
        ),
        (
            "src/access",
            &[
                "crate::commands",
                "crate::render",
                "crate::cli",
                "crate::output::Printer",
            ],
        ),
    ];
    for (dir, forbidden) in rules {
        for (path, text) in sources(dir) {
            let code = code(&path, &text);
            for f in forbidden {
                assert!(
                    !code.contains(f),
                    "{} imports {f} ({dir} may not)",
                    path.display()
                );
            }
        }
    }
}

/// Render lays out what the reports carry: no command is composed and no version compared
/// under `src/render/`.
#[test]
fn render_composes_no_command_and_compares_no_version() {
    for (path, text) in sources("src/render") {
        let code = code(&path, &text);
        for needle in [
            "\"ac adm",
            " ac adm ",
            "cmdline::",
            "version::",
            "newer_than",
            "same_version",
        ] {
            assert!(
                !code.contains(needle),
                "{} contains {needle:?}",
                path.display()
            );
        }
    }
}

/// Each rule's comparison is defined once: a grep for it finds one definition.
#[test]
fn each_rule_is_defined_once() {
    let all: Vec<(PathBuf, String)> = sources("src")
        .into_iter()
        .map(|(p, t)| {
            let c = code(&p, &t);
            (p, c)
        })
        .collect();
    let defined = |needle: &str| -> Vec<String> {
        all.iter()
            .filter(|(_, code)| code.contains(needle))
            .map(|(p, code)| format!("{} ×{}", p.display(), code.matches(needle).count()))
            .collect()
    };
    for (rule, needle, home) in [
        (
            "has reached (same or newer)",
            "fn reached(",
            "src/domain/version.rs",
        ),
        (
            "the tier's ceiling (DR)",
            "fn ceiling(&self) -> Option<&str>",
            "src/domain/rules/tier.rs",
        ),
        (
            "may this cluster move to V",
            "fn may_move(",
            "src/domain/rules/tier.rs",
        ),
        (
            "what a cluster moves to next",
            "fn next_version_for(",
            "src/domain/rules/tier.rs",
        ),
        (
            "which part of the platform moves next",
            "fn next_step(",
            "src/domain/rules/tier.rs",
        ),
        (
            "the Kubernetes range table",
            "((4, 3), 31, 34)",
            "src/domain/rules/kubernetes.rs",
        ),
        (
            "a Kubernetes version's minor",
            "fn parse(text: &str) -> Option<KubeVersion>",
            "src/domain/rules/kubernetes.rs",
        ),
        (
            "inside the Kubernetes range",
            "fn contains(&self, kubernetes",
            "src/domain/rules/kubernetes.rs",
        ),
        (
            "the supported upgrade paths",
            "(4, 3) => Some(&[\"4.0\", \"4.1\", \"4.2\"])",
            "src/domain/rules/path.rs",
        ),
        (
            "the offers, sorted and de-duplicated",
            "fn new(updates: &[Release]) -> Offers",
            "src/domain/rules/offers.rs",
        ),
        (
            "the latest offer",
            "fn latest(&self)",
            "src/domain/rules/offers.rs",
        ),
        (
            "the highest offer up to a ceiling",
            "fn highest_up_to(",
            "src/domain/rules/offers.rs",
        ),
        (
            "a ResourcePatch blocks",
            "fn blocks(&self, cluster",
            "src/domain/facts.rs",
        ),
        (
            "an admin gate is acknowledged",
            "value.trim() == \"true\"",
            "src/domain/facts.rs",
        ),
    ] {
        let found = defined(needle);
        assert_eq!(found.len(), 1, "{rule}: {found:?}");
        assert!(
            found[0].starts_with(&format!("{}/{home} ×1", env!("CARGO_MANIFEST_DIR"))),
            "{rule}: {found:?}"
        );
    }
    // The comparisons the rules replaced are gone.
    for gone in [
        "fn globals_ceiling",
        "fn kubernetes_minor",
        "fn in_range(",
        "fn move_to(",
        "fn sort_updates",
    ] {
        assert!(defined(gone).is_empty(), "{gone}: {:?}", defined(gone));
    }
}
