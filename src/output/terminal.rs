//! The terminal itself: how wide it is, and the control sequences that redraw a frame in
//! place (`status --watch`, `--wait`, the rollout's live table). Nothing else in `ac` writes a
//! control sequence of its own; server text never carries one ([`super::text::printable`]).

/// Columns of the terminal stdout is on (read on every call, so a resize is followed), else
/// `$COLUMNS`, else 100.
pub fn columns() -> usize {
    if let Some((terminal_size::Width(columns), _)) = terminal_size::terminal_size()
        && columns > 0
    {
        return usize::from(columns);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .unwrap_or(100)
}

/// A frame drawn over the previous one of `previous_lines` lines: the cursor goes to the start
/// of the previous frame's first line (the start: whatever the terminal echoed since, such as
/// `^C`, must not shift the frame) and everything below is cleared first.
pub fn redraw(previous_lines: usize, frame: &str) -> String {
    if previous_lines == 0 {
        return frame.to_string();
    }
    format!("\r\x1b[{previous_lines}A\x1b[J{frame}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redraw_moves_up_and_clears() {
        assert_eq!(redraw(0, "a\n"), "a\n");
        assert_eq!(redraw(3, "a\n"), "\r\x1b[3A\x1b[Ja\n");
    }
}
