//! kubectl-style text tables on comfy-table 8: no borders, upper-case header, two spaces between
//! columns, no wrapping, trailing blanks trimmed, one line per row (newlines in server text are
//! folded). Columns are as wide as their widest cell in display columns (wide characters count
//! two). Cells may carry a [`Tone`]; color is applied only when the table is built with
//! `color = true`, and only to the cell text, so alignment is the same with and without color.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use crate::output::text::{is_bidi_control, one_line};
pub use crate::render::style::Tone;

/// A table under construction.
#[derive(Debug)]
pub struct TableBuilder {
    header: Vec<String>,
    rows: Vec<Vec<(String, Tone)>>,
    right_aligned: Vec<usize>,
    color: bool,
}

impl TableBuilder {
    /// Header names are upper-cased.
    pub fn new(header: &[&str], color: bool) -> TableBuilder {
        TableBuilder {
            header: header.iter().map(|h| h.to_uppercase()).collect(),
            rows: Vec::new(),
            right_aligned: Vec::new(),
            color,
        }
    }

    /// Right-align a column (numbers).
    pub fn right(mut self, col: usize) -> TableBuilder {
        self.right_aligned.push(col);
        self
    }

    /// Add a row of plain cells.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> &mut Self {
        self.rows.push(
            cells
                .iter()
                .map(|c| (c.as_ref().to_string(), Tone::Plain))
                .collect(),
        );
        self
    }

    /// Add a row of cells with tones.
    pub fn toned_row(&mut self, cells: Vec<(String, Tone)>) -> &mut Self {
        self.rows.push(cells);
        self
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table, one line per row, each ending in `\n`.
    pub fn render(&self) -> String {
        if !self.color {
            return self.render_plain();
        }
        self.render_comfy()
    }

    /// What comfy-table lays out, written directly: one pass for the widths, one for the
    /// lines, no per-cell allocation for plain cells (a 5,000-row fleet table in a few
    /// milliseconds instead of tens). Same bytes as [`TableBuilder::render_comfy`] without
    /// color (a test compares them).
    fn render_plain(&self) -> String {
        use std::borrow::Cow;
        use unicode_width::UnicodeWidthStr;
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0);
        let rows: Vec<Vec<Cow<str>>> = std::iter::once(
            self.header
                .iter()
                .map(|text| cell_text(text))
                .collect::<Vec<_>>(),
        )
        .chain(self.rows.iter().map(|row| {
            row.iter()
                .map(|(text, _)| cell_text(text))
                .collect::<Vec<_>>()
        }))
        .collect();
        let mut widths = vec![0; columns];
        for row in &rows {
            for (column, text) in row.iter().enumerate() {
                widths[column] = widths[column].max(text.width());
            }
        }
        let mut out = String::with_capacity(rows.len() * (widths.iter().sum::<usize>() + 12));
        for (line, row) in rows.iter().enumerate() {
            let start = out.len();
            for (column, width) in widths.iter().enumerate() {
                let text = row.get(column).map(|text| text.as_ref()).unwrap_or("");
                let pad = width - text.width();
                // The header is left-aligned everywhere.
                if line > 0 && self.right_aligned.contains(&column) {
                    out.extend(std::iter::repeat_n(' ', pad));
                    out.push_str(text);
                } else {
                    out.push_str(text);
                    out.extend(std::iter::repeat_n(' ', pad));
                }
                if column + 1 < columns {
                    out.push_str("  ");
                }
            }
            let kept = out[start..].trim_end().len();
            out.truncate(start + kept);
            out.push('\n');
        }
        out
    }

    fn render_comfy(&self) -> String {
        let mut table = Table::new();
        table
            .load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        if self.color {
            table.enforce_styling();
            table.style_text_only();
        }
        table.set_header(self.header.iter().map(Cell::new));
        for row in &self.rows {
            table.add_row(row.iter().enumerate().map(|(column, (text, tone))| {
                let mut cell = Cell::new(cell_text(text).into_owned());
                if self.right_aligned.contains(&column) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                match tone.color() {
                    Some(color) if self.color => cell.fg(color),
                    _ => cell,
                }
            }));
        }
        let columns = table.column_count();
        for (index, column) in table.column_iter_mut().enumerate() {
            column.set_padding((0, if index + 1 == columns { 0 } else { 2 }));
        }
        let mut out = String::new();
        for line in table.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// The widest a cell may be, in display columns: longer server text is cut (ending in `…`),
/// so no multi-kilobyte value reaches the terminal (`-o json|yaml` keeps it whole).
pub const MAX_CELL: usize = 400;

/// A cell as printed: one line (an empty cell stays empty), at most [`MAX_CELL`] columns;
/// borrowed when the text is already that (no copy per cell on a 5,000-row table).
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let text = if text.contains(|ch: char| ch.is_control() || is_bidi_control(ch))
        || text.contains("  ")
    {
        Cow::Owned(one_line(text))
    } else {
        Cow::Borrowed(text)
    };
    // A cell's width is at most its length in bytes: only long text needs measuring.
    if text.len() <= MAX_CELL {
        return text;
    }
    Cow::Owned(crate::render::text::clip(&text, MAX_CELL))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::strip_ansi;

    #[test]
    fn kubectl_layout() {
        let mut t = TableBuilder::new(&["name", "phase", "message"], false);
        t.row(&["a", "Running", ""]);
        t.row(&["longer-name", "Failed", "line one\nline two"]);
        assert_eq!(
            t.render(),
            "NAME         PHASE    MESSAGE\n\
             a            Running\n\
             longer-name  Failed   line one line two\n"
        );
    }

    #[test]
    fn color_keeps_alignment() {
        let build = |color| {
            let mut t = TableBuilder::new(&["check", "state", "x"], color);
            t.toned_row(vec![
                ("A".into(), Tone::Plain),
                ("Failed".into(), Tone::Bad),
                ("1".into(), Tone::Plain),
            ]);
            t.toned_row(vec![
                ("LongerCheck".into(), Tone::Plain),
                ("Retry".into(), Tone::Warn),
                ("2".into(), Tone::Good),
            ]);
            t.render()
        };
        let plain = build(false);
        let colored = build(true);
        assert!(colored.contains('\u{1b}'));
        assert!(!plain.contains('\u{1b}'));
        assert_eq!(strip_ansi(&colored), plain);
    }

    /// The direct layout and comfy-table's agree byte for byte.
    #[test]
    fn plain_layout_is_comfy_tables() {
        /// Header, rows, right-aligned columns.
        type Case<'a> = (Vec<&'a str>, Vec<Vec<&'a str>>, Vec<usize>);
        let long = "升级".repeat(MAX_CELL);
        let tables: Vec<Case> = vec![
            (vec!["a", "b"], vec![], vec![]),
            (
                vec!["a", "b", ""],
                vec![vec!["x", "", ""], vec!["", "", ""]],
                vec![],
            ),
            (
                vec!["cluster", "current", "progress", "preflight"],
                vec![
                    vec!["global", "4.2.1", "-", "-"],
                    vec!["workload-0001", "4.1.5", "45%", "1 failed, 2 retry"],
                    vec!["w", "", "100%", ""],
                ],
                vec![2],
            ),
            (
                vec!["current", "can move to", "clusters", ""],
                vec![
                    vec!["4.1.5", "4.2.1", "1500", "a, b, c, +1497 more"],
                    vec!["4.0.7", "4.2.1 (not offered yet)", "7", ""],
                ],
                vec![2],
            ),
            (
                vec!["检查", "state"],
                vec![vec!["升级检查", "Failed  twice\nreally"], vec!["é", "a\tb"]],
                vec![0],
            ),
            (
                vec!["a", "b", "c"],
                vec![vec!["only one"], vec!["1", "2", "3"]],
                vec![1],
            ),
            (vec!["long", "x"], vec![vec![&long, "y"]], vec![]),
        ];
        for (header, rows, right) in tables {
            let mut t = TableBuilder::new(&header, false);
            for column in right {
                t = t.right(column);
            }
            for row in &rows {
                t.row(row);
            }
            assert_eq!(t.render_plain(), t.render_comfy(), "{header:?} {rows:?}");
        }
    }

    #[test]
    fn wide_characters_align() {
        let mut t = TableBuilder::new(&["check", "state"], false);
        t.row(&["升级检查", "Failed"]);
        t.row(&["ab", "Passed"]);
        assert_eq!(
            t.render(),
            "CHECK     STATE\n升级检查  Failed\nab        Passed\n"
        );
    }
}
