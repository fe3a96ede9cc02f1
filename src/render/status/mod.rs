//! `ac adm upgrade status` as text, from a [`StatusReport`]: the screen ([`screen`]: the
//! summary [`block`] and the [`sections`]) and the `--watch` line and frame ([`watch`]).
//! Layout in `docs/status.md` §5–§6.

mod block;
mod sections;
pub mod watch;

use crate::domain::assess::Assessment;
use crate::domain::report::status::StatusReport;
use crate::output::text::one_line;

pub use watch::{progress_bar, watch_frame, watch_line};

/// Prose wraps at this width; tables never wrap.
const TEXT_COLUMNS: usize = 100;
/// Messages are cut to this width outside `--verbose`.
const MESSAGE_COLUMNS: usize = 80;
/// History entries a completed cluster shows outside `--verbose`.
const RECENT_HISTORY: usize = 3;

/// How the screen is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--verbose`: every row, every condition, history and images in full.
    pub verbose: bool,
    pub color: bool,
}

/// Whether the preflight table is printed (then the summary line omits the time).
fn preflight_table_shown(report: &StatusReport, options: &Options) -> bool {
    let counts = report.check_counts;
    let all_passed = counts.total > 0 && counts.passed == counts.total;
    counts.total > 0 && (options.verbose || (report.assessment.in_flight() && !all_passed))
}

/// The full text screen (ends with a newline).
pub fn screen(report: &StatusReport, options: &Options) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(note) = &report.note {
        parts.push(format!("{}\n", one_line(note)));
    }
    if report.assessment == Assessment::Idle {
        parts.push(block::idle_paragraph(report, options));
    } else {
        parts.push(block::summary_block(report, options));
    }
    if options.verbose {
        parts.push(sections::conditions_section(report, options));
    }
    if report.assessment.in_flight() || options.verbose {
        if preflight_table_shown(report, options) {
            parts.push(sections::preflight_section(report, options));
        }
        parts.push(sections::stages_section(report, options));
        parts.extend(sections::operations_sections(report, options));
    } else if report.stages.iter().any(|stage| stage.bad()) {
        parts.extend(sections::operations_sections(report, options));
    }
    if options.verbose {
        parts.push(sections::history_section(report, options, None));
        parts.push(sections::releases_section(report));
    } else if report.assessment == Assessment::Completed {
        parts.push(sections::history_section(
            report,
            options,
            Some(RECENT_HISTORY),
        ));
    }
    parts.push(sections::next_steps_section(&report.next_steps));
    let mut out = String::new();
    for part in parts.into_iter().filter(|part| !part.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sections::select_rows;
    use super::*;

    #[test]
    fn bars() {
        assert_eq!(progress_bar(Some(60), 10), "[██████░░░░] 60%");
        assert_eq!(progress_bar(Some(0), 4), "[░░░░] 0%");
        assert_eq!(progress_bar(Some(100), 4), "[████] 100%");
        assert_eq!(progress_bar(None, 3), "[░░░]");
        assert_eq!(progress_bar(Some(250), 2), "[██] 100%");
    }

    #[test]
    fn row_selection_keeps_bad_rows() {
        // 20 rows; rows 15 and 18 are rank 0.
        let ranks: Vec<(u8, usize)> = (0..20)
            .map(|i| (if i == 15 || i == 18 { 0 } else { 1 }, i))
            .collect();
        let s = select_rows(&ranks, 5);
        assert_eq!(s, vec![0, 1, 2, 15, 18]);
        let all_bad: Vec<(u8, usize)> = (0..20).map(|i| (0, i)).collect();
        assert_eq!(select_rows(&all_bad, 5).len(), 20);
    }
}
