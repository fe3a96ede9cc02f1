//! Text tables and machine output: pure functions from domain views to strings.

pub mod fleet;
pub mod precheck;
pub mod profiles;
pub mod status;
pub mod summary;
pub mod table;

/// Indent every non-empty line by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect()
}
