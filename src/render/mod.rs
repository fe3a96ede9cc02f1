//! Text tables and machine output: pure functions from domain views to strings.

pub mod fleet;
pub mod status;
pub mod summary;
pub mod table;

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};
use jiff::Timestamp;

/// A kubectl-style table: no borders, upper-case headers, columns separated by three spaces,
/// trailing white space trimmed. Cells are single-line.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().map(|h| h.to_string()));
    for r in rows {
        t.add_row(r.iter().map(|c| c.replace(['\n', '\r'], " ")));
    }
    let n = headers.len();
    for (i, col) in t.column_iter_mut().enumerate() {
        col.set_padding((0, if i + 1 == n { 0 } else { 3 }));
        col.set_cell_alignment(CellAlignment::Left);
        col.set_constraint(ColumnConstraint::ContentWidth);
    }
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

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

/// Cut to `max` characters with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Age of an RFC 3339 time relative to `now`, kubectl-style (`45s`, `12m`, `3h`, `2d`);
/// `-` when it does not parse.
pub fn age(rfc3339: &str, now: Timestamp) -> String {
    match rfc3339.parse::<Timestamp>() {
        Ok(t) => short_duration(now.as_second() - t.as_second()),
        Err(_) => "-".into(),
    }
}

/// Seconds as `45s`, `12m`, `3h5m`, `2d4h` (negative shown as `0s`).
pub fn short_duration(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=119 => format!("{s}s"),
        120..=3599 => format!("{}m", s / 60),
        3600..=86_399 => {
            let (h, m) = (s / 3600, (s % 3600) / 60);
            if m == 0 || h >= 10 {
                format!("{h}h")
            } else {
                format!("{h}h{m}m")
            }
        }
        _ => {
            let (d, h) = (s / 86_400, (s % 86_400) / 3600);
            if h == 0 || d >= 10 {
                format!("{d}d")
            } else {
                format!("{d}d{h}h")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_aligned_and_trimmed() {
        let t = table(
            &["A", "LONGER"],
            &[
                vec!["x".into(), "y".into()],
                vec!["wide-cell".into(), "".into()],
            ],
        );
        assert_eq!(t, "A           LONGER\nx           y\nwide-cell\n");
    }

    #[test]
    fn durations() {
        assert_eq!(short_duration(45), "45s");
        assert_eq!(short_duration(600), "10m");
        assert_eq!(short_duration(3600 + 300), "1h5m");
        assert_eq!(short_duration(2 * 86_400 + 3600 * 4), "2d4h");
        assert_eq!(short_duration(-5), "0s");
        let now: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        assert_eq!(age("2026-11-23T09:00:00Z", now), "1h");
        assert_eq!(age("garbage", now), "-");
    }
}
