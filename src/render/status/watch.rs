//! `ac adm upgrade status --watch` as text: one line per change when stdout is not a terminal,
//! a frame redrawn in place when it is (`docs/status.md` §6).

use crate::domain::assess::Assessment;
use crate::domain::report::status::{CheckReport, StatusReport};
use crate::output::text::human_duration;
use crate::output::text::one_line;
use crate::render::status::block::{cluster_label, estimate_text, eta};
use crate::render::style::{Tone, assessment_tone};
use crate::render::text::{clip, dash, optional_release, release_label};

/// The narrowest frame drawn; narrower terminals get lines cut at this width.
const MIN_FRAME_COLUMNS: usize = 40;
/// The progress bar's cells at most.
const BAR_CELLS: usize = 40;
/// Operations named per line of the frame.
const OPERATIONS_NAMED: usize = 3;

/// `CHECK STATE (REASON)`.
fn check_text(check: &CheckReport) -> String {
    format!(
        "{} {}{}",
        one_line(&check.name),
        dash(check.state.as_deref()),
        check
            .reason
            .as_deref()
            .map(|reason| format!(" ({})", one_line(reason)))
            .unwrap_or_default()
    )
}

/// `4.2.1 → 4.3.0` while in flight, else the current release.
fn versions(report: &StatusReport) -> String {
    match &report.target {
        Some(target) if report.assessment.in_flight() => format!(
            "{} → {}",
            optional_release(report.current.as_ref(), false),
            release_label(target, false)
        ),
        _ => optional_release(report.current.as_ref(), false),
    }
}

fn progress_brief(report: &StatusReport) -> String {
    let progress = &report.progress;
    match progress.percent {
        Some(percent) if progress.ops_total > 0 => format!(
            "{percent}% ({}/{} ops)",
            progress.ops_done, progress.ops_total
        ),
        Some(percent) => format!("{percent}%"),
        None => "-".into(),
    }
}

fn shows_progress(assessment: Assessment) -> bool {
    assessment.in_flight() || assessment == Assessment::Completed
}

/// One compact line per change (non-TTY watch): time, cluster, assessment, progress, stage,
/// the ETA status computes (when it has one), failing check. No trailing newline.
pub fn watch_line(report: &StatusReport, color: bool) -> String {
    let assessment = report.assessment;
    let progress = &report.progress;
    let mut parts = vec![
        report.time.clone(),
        cluster_label(report).to_string(),
        assessment_tone(assessment).paint(assessment.label(), color),
        versions(report),
    ];
    if progress.stages_total > 0 && shows_progress(assessment) {
        parts.push(progress_brief(report));
    }
    if let (Some(stage), Some(number)) = (&progress.current_stage, progress.current_stage_number)
        && assessment.in_flight()
    {
        parts.push(format!(
            "stage {number}/{} {}",
            progress.stages_total,
            one_line(stage)
        ));
    }
    if !assessment.needs_attention()
        && !report.stale
        && let Some(eta) = eta(&report.estimate)
    {
        parts.push(eta);
    }
    if let Some(check) = &report.watched_check
        && assessment.in_flight()
    {
        parts.push(format!("preflight: {}", check_text(check)));
    }
    if report.stale {
        parts.push(Tone::Warn.paint("stale", color));
    }
    parts.join("  ")
}

/// A text progress bar, `[██████░░░░] 60%`; `cells` is the number of cells between brackets.
pub fn progress_bar(percent: Option<u8>, cells: usize) -> String {
    let cells = cells.max(1);
    match percent {
        Some(percent) => {
            let percent = percent.min(100) as usize;
            let full = percent * cells / 100;
            format!(
                "[{}{}] {percent}%",
                "█".repeat(full),
                "░".repeat(cells - full)
            )
        }
        None => format!("[{}]", "░".repeat(cells)),
    }
}

/// `Running: a, b, c (+2)`.
fn named_list(label: &str, names: &[String]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(OPERATIONS_NAMED)
        .map(|name| one_line(name))
        .collect();
    let more = names.len().saturating_sub(OPERATIONS_NAMED);
    let more = if more > 0 {
        format!(" (+{more})")
    } else {
        String::new()
    };
    format!("{label}: {}{more}", shown.join(", "))
}

/// The TTY frame for `--watch`, redrawn in place; no line wider than `columns` display columns
/// (at least 40).
pub fn watch_frame(report: &StatusReport, columns: usize, color: bool) -> String {
    let columns = columns.max(MIN_FRAME_COLUMNS);
    let assessment = report.assessment;
    let progress = &report.progress;
    let mut lines: Vec<String> = vec![format!(
        "{}  {}  {}",
        cluster_label(report),
        versions(report),
        assessment.label()
    )];
    if shows_progress(assessment) {
        let mut bar = progress_bar(progress.percent, columns.saturating_sub(10).min(BAR_CELLS));
        if progress.ops_total > 0 {
            bar.push_str(&format!(
                "  {}/{} operations",
                progress.ops_done, progress.ops_total
            ));
        } else {
            bar.push_str("  no stages reported yet");
        }
        lines.push(bar);
    }
    if let (Some(stage), Some(number)) = (&progress.current_stage, progress.current_stage_number)
        && assessment.in_flight()
    {
        lines.push(format!(
            "Stage {number}/{}: {}",
            progress.stages_total,
            one_line(stage)
        ));
    }
    let mut timing = Vec::new();
    if let Some(elapsed) = report.elapsed_seconds {
        timing.push(format!("running for {}", human_duration(elapsed)));
    }
    if !assessment.needs_attention()
        && !report.stale
        && let Some((estimate, _)) = estimate_text(&report.estimate, assessment)
    {
        timing.push(estimate);
    }
    if !timing.is_empty() {
        lines.push(timing.join(", "));
    }
    if let Some(check) = report
        .watched_check
        .as_ref()
        .filter(|_| assessment.in_flight())
    {
        lines.push(format!("Preflight: {}", check_text(check)));
    } else if report.check_counts.total == 0 && assessment.in_flight() {
        lines.push("Preflight: no result yet".into());
    }
    if !report.running_operations.is_empty() {
        lines.push(named_list("Running", &report.running_operations));
    }
    for failed in report.failed_operations.iter().take(OPERATIONS_NAMED) {
        lines.push(format!(
            "Failed: {} (stage {})",
            one_line(&failed.operation),
            one_line(&failed.stage)
        ));
    }
    if report.stale {
        lines.push("Status is stale: waiting for the controller to observe the request".into());
    }
    if let Some(step) = report.next_steps.first()
        && assessment.needs_attention()
    {
        lines.push(format!("Next: {}", one_line(&step.text)));
    }
    lines.push(format!("Updated {}", report.time));
    let mut out = String::new();
    for (number, line) in lines.iter().enumerate() {
        let line = clip(line, columns);
        let line = if number == 0 {
            assessment_tone(assessment).paint(&line, color)
        } else {
            line
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}
