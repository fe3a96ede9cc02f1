//! docs/faults.md's table is checked against the tests: every row names at least one test
//! (`module::function` in backticks), each named test exists in `tests/e2e/<module>.rs`, and
//! every test of the fault matrix and secrets modules appears in the table.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The cells of a Markdown table row (`\|` is a pipe inside a cell).
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    if out.last().is_some_and(|c| c.trim().is_empty()) {
        out.pop();
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// `module::function` names in backticks.
fn named_tests(cell: &str) -> Vec<(String, String)> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|name| {
            let (module, function) = name.split_once("::")?;
            Some((module.to_string(), function.to_string()))
        })
        .collect()
}

/// The test functions of a test module: `fn name(` after a `#[test]` or `#[tokio::test…]`.
fn tests_in(module: &str) -> BTreeSet<String> {
    let path = root().join("tests/e2e").join(format!("{module}.rs"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return BTreeSet::new();
    };
    let mut found = BTreeSet::new();
    let mut attribute = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
            attribute = true;
        } else if attribute
            && let Some(rest) = line
                .strip_prefix("async fn ")
                .or_else(|| line.strip_prefix("fn "))
        {
            if let Some(name) = rest.split('(').next() {
                found.insert(name.to_string());
            }
            attribute = false;
        }
    }
    found
}

/// The rows of the table whose header starts with `| fault |`.
fn rows(doc: &str) -> Vec<Vec<String>> {
    let mut in_table = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        if line.starts_with("| fault |") {
            in_table = true;
            continue;
        }
        if !in_table {
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        if line.starts_with("|---") {
            continue;
        }
        out.push(cells(line));
    }
    out
}

#[test]
fn every_row_names_existing_tests() {
    let doc = std::fs::read_to_string(root().join("docs/faults.md")).unwrap();
    let rows = rows(&doc);
    assert!(rows.len() >= 30, "the table has {} rows", rows.len());
    let mut problems = Vec::new();
    let mut named = BTreeSet::new();
    for row in &rows {
        if row.len() != 4 {
            problems.push(format!(
                "{:?}: expected 4 cells (fault, what ac does, exit, test)",
                row
            ));
            continue;
        }
        let tests = named_tests(&row[3]);
        if tests.is_empty() {
            problems.push(format!("{:?}: names no test", row[0]));
        }
        for (module, function) in tests {
            if !tests_in(&module).contains(&function) {
                problems.push(format!(
                    "{:?}: test {module}::{function} does not exist",
                    row[0]
                ));
            }
            named.insert(format!("{module}::{function}"));
        }
    }
    for module in ["faults", "secrets"] {
        for test in tests_in(module) {
            if !named.contains(&format!("{module}::{test}")) {
                problems.push(format!("{module}::{test} is not in the table"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/faults.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_catches_bad_rows() {
    let doc = "| fault | what | exit | test |\n|---|---|---|---|\n| a \\| b | x | 1 | `faults::no_such_test` |\n| c | y | 1 | none |\n";
    let rows = rows(doc);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "a | b");
    assert!(!tests_in("faults").contains("no_such_test"));
    assert!(named_tests(&rows[1][3]).is_empty());
    assert!(tests_in("faults").contains("truncated_json"));
}
