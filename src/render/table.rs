//! kubectl-style text tables on comfy-table 8: no borders, upper-case header, two spaces between
//! columns, no wrapping, trailing blanks trimmed, one line per row (newlines in server text are
//! folded). Columns are as wide as their widest cell in display columns (wide characters count
//! two). Cells may carry a [`Tone`]; color is applied only when the table is built with
//! `color = true`, and only to the cell text, so alignment is the same with and without color.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use crate::error::one_line;
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
                let mut cell = Cell::new(cell_text(text));
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

/// One line; an empty cell stays empty.
/// The widest a cell may be, in display columns: longer server text is cut (ending in `…`),
/// so no multi-kilobyte value reaches the terminal (`-o json|yaml` keeps it whole).
pub const MAX_CELL: usize = 400;

fn cell_text(text: &str) -> String {
    let text = if text.contains(|ch: char| ch.is_control()) || text.contains("  ") {
        one_line(text)
    } else {
        text.to_string()
    };
    crate::render::text::clip(&text, MAX_CELL)
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
