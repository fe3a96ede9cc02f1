//! kubectl-style text tables on comfy-table 8: no borders, upper-case header, two spaces between
//! columns, no wrapping, trailing blanks trimmed, one line per row (newlines in server text are
//! folded). Cells may carry a [`Tone`]; color is applied only when the table is built with
//! `color = true`, and only to the cell text, so alignment is the same with and without color.

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};

use crate::error::one_line;

/// Meaning of a cell, mapped to a color when coloring is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    /// Failed, Stalled, blocking: red.
    Bad,
    /// Retry, slow, stale: yellow.
    Warn,
    /// Completed, passed: green.
    Good,
}

impl Tone {
    fn color(self) -> Option<Color> {
        match self {
            Tone::Plain => None,
            Tone::Bad => Some(Color::DarkRed),
            Tone::Warn => Some(Color::DarkYellow),
            Tone::Good => Some(Color::DarkGreen),
        }
    }

    /// Paint text with owo-colors (for text outside tables); unchanged when `color` is false.
    pub fn paint(self, s: &str, color: bool) -> String {
        use owo_colors::OwoColorize;
        if !color {
            return s.to_string();
        }
        match self {
            Tone::Plain => s.to_string(),
            Tone::Bad => s.red().to_string(),
            Tone::Warn => s.yellow().to_string(),
            Tone::Good => s.green().to_string(),
        }
    }
}

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
        let mut t = Table::new();
        t.load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        if self.color {
            t.enforce_styling();
            t.style_text_only();
        }
        t.set_header(self.header.iter().map(Cell::new));
        for r in &self.rows {
            t.add_row(r.iter().enumerate().map(|(i, (text, tone))| {
                let mut cell = Cell::new(cell_text(text));
                if self.right_aligned.contains(&i) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                match tone.color() {
                    Some(c) if self.color => cell.fg(c),
                    _ => cell,
                }
            }));
        }
        let n = t.column_count();
        for (i, col) in t.column_iter_mut().enumerate() {
            col.set_padding((0, if i + 1 == n { 0 } else { 2 }));
        }
        let mut out = String::new();
        for line in t.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// One line; an empty cell stays empty.
fn cell_text(s: &str) -> String {
    if s.contains(|c: char| c.is_control()) || s.contains("  ") {
        one_line(s)
    } else {
        s.to_string()
    }
}

/// Cut `s` to at most `max` characters, ending with `…` when cut. Newlines are folded first.
pub fn truncate(s: &str, max: usize) -> String {
    let s = one_line(s);
    if s.chars().count() <= max {
        return s;
    }
    let keep = max.saturating_sub(1);
    let mut out: String = s.chars().take(keep).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Cut one line to `max` characters (ending in `…` when cut) without touching its spacing.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Word-wrap prose into lines of at most `width` characters (newlines folded first). Words
/// longer than the width stay whole. Never returns an empty list.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in one_line(text).split(' ').filter(|w| !w.is_empty()) {
        let wl = word.chars().count();
        if len > 0 && len + 1 + wl > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wl;
    }
    lines.push(line);
    lines
}

/// Word-wrap prose to `width` columns including the indents: the first line starts with
/// `first_indent`, the others with `indent`. Every line ends with `\n`.
pub fn wrap(text: &str, width: usize, first_indent: &str, indent: &str) -> String {
    let avail = width.saturating_sub(indent.chars().count().max(first_indent.chars().count()));
    let mut out = String::new();
    for (i, l) in wrap_words(text, avail.max(20)).into_iter().enumerate() {
        let prefix = if i == 0 { first_indent } else { indent };
        out.push_str(format!("{prefix}{l}").trim_end());
        out.push('\n');
    }
    out
}

/// Strip ANSI SGR sequences (tests and width measurement).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn truncation_and_wrapping() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("a\nb", 10), "a b");
        assert_eq!(truncate("ab cd", 4), "ab…");
        assert_eq!(clip("a  b  c", 5), "a  b…");
        assert_eq!(clip("a  b", 5), "a  b");
        assert_eq!(
            wrap_words("one two three four", 7),
            ["one two", "three", "four"]
        );
        assert_eq!(wrap_words("", 7), [""]);
        assert_eq!(wrap_words("abcdefghij x", 4), ["abcdefghij", "x"]);
        assert_eq!(
            wrap("one two three four five six seven eight", 24, "- ", "  "),
            "- one two three four\n  five six seven eight\n"
        );
    }
}
