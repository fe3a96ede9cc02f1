//! The top of the status screen: the aligned `Key:  value` block of a cluster in flight (or
//! completed), or one paragraph for an idle cluster.

use crate::domain::assess::classify::TROUBLE_CONDITIONS;
use crate::domain::assess::{Assessment, Estimate, Progress};
use crate::domain::report::status::{CONDITION_ORDER, StatusReport};
use crate::output::text::one_line;
use crate::output::text::{display_width, human_duration, truncate};
use crate::render::status::{MESSAGE_COLUMNS, Options, TEXT_COLUMNS};
use crate::render::style::{Tone, assessment_tone, condition_tone};
use crate::render::text::{
    bare_time, dash, optional_release, pad, release_label, when, wrap, wrap_words,
};

/// Offered releases named in the idle paragraph before "and N more".
const OFFERS_NAMED: usize = 8;

enum Row {
    /// Prose, wrapped under the value column and painted line by line.
    Text(String, String, Tone),
    /// Short items joined by two spaces, wrapped between items.
    Chips(String, Vec<(String, Tone)>),
}

/// The aligned `Key:  value` block.
struct Block {
    rows: Vec<Row>,
}

impl Block {
    fn new() -> Block {
        Block { rows: Vec::new() }
    }

    fn add(&mut self, key: &str, value: impl Into<String>) {
        self.toned(key, value, Tone::Plain);
    }

    fn toned(&mut self, key: &str, value: impl Into<String>, tone: Tone) {
        self.rows.push(Row::Text(key.into(), value.into(), tone));
    }

    fn chips(&mut self, key: &str, chips: Vec<(String, Tone)>) {
        self.rows.push(Row::Chips(key.into(), chips));
    }

    fn render(&self, color: bool) -> String {
        let key_width = |row: &Row| match row {
            Row::Text(key, ..) | Row::Chips(key, _) => display_width(key),
        };
        let value_column = self.rows.iter().map(key_width).max().unwrap_or(0) + 3;
        let available = TEXT_COLUMNS.saturating_sub(value_column).max(30);
        let mut out = String::new();
        let mut emit = |key: &str, first: bool, body: String| {
            let key = if first && !key.is_empty() {
                format!("{key}:")
            } else {
                String::new()
            };
            out.push_str(format!("{}{body}", pad(&key, value_column)).trim_end());
            out.push('\n');
        };
        for row in &self.rows {
            match row {
                Row::Text(key, text, tone) => {
                    for (number, line) in wrap_words(text, available).into_iter().enumerate() {
                        emit(key, number == 0, tone.paint(&line, color));
                    }
                }
                Row::Chips(key, chips) => {
                    let mut line = String::new();
                    let mut used = 0;
                    let mut first = true;
                    for (chip, tone) in chips {
                        let width = display_width(chip);
                        if used > 0 && used + 2 + width > available {
                            emit(key, first, std::mem::take(&mut line));
                            first = false;
                            used = 0;
                        }
                        if used > 0 {
                            line.push_str("  ");
                            used += 2;
                        }
                        line.push_str(&tone.paint(chip, color));
                        used += width;
                    }
                    emit(key, first, line);
                }
            }
        }
        out
    }
}

pub(super) fn cluster_label<'r>(report: &'r StatusReport) -> &'r str {
    if report.cluster.is_empty() {
        "<unnamed>"
    } else {
        &report.cluster
    }
}

pub(super) fn stale_text(report: &StatusReport) -> String {
    format!(
        "stale: the controller has not observed generation {} yet (last observed {}); the status below describes an earlier request",
        report
            .generation
            .map(|g| g.to_string())
            .unwrap_or_else(|| "?".into()),
        report
            .observed_generation
            .map(|g| g.to_string())
            .unwrap_or_else(|| "none".into())
    )
}

fn condition_chips(report: &StatusReport) -> Vec<(String, Tone)> {
    let chips: Vec<(String, Tone)> = report
        .conditions
        .iter()
        .map(|condition| {
            (
                format!(
                    "{}={}",
                    one_line(&condition.type_),
                    one_line(&condition.status)
                ),
                condition_tone(condition),
            )
        })
        .collect();
    if chips.is_empty() {
        vec![("none reported".into(), Tone::Plain)]
    } else {
        chips
    }
}

/// Conditions worth a line of their own outside `--verbose`: `Stalled`/`Degraded` when
/// `True` (red), and conditions of other types that are `False` with a message.
fn condition_details(report: &StatusReport) -> Vec<(String, Tone)> {
    let mut details = Vec::new();
    for condition in &report.conditions {
        let bad = condition.is_true() && TROUBLE_CONDITIONS.contains(&condition.type_.as_str());
        let message = condition
            .message
            .as_deref()
            .filter(|message| !message.trim().is_empty());
        let other_false = !CONDITION_ORDER.contains(&condition.type_.as_str())
            && condition.status.eq_ignore_ascii_case("false")
            && message.is_some();
        if !(bad || other_false) {
            continue;
        }
        let mut line = format!("{}:", one_line(&condition.type_));
        if let Some(reason) = &condition.reason {
            line.push_str(&format!(" {}", one_line(reason)));
        }
        if let Some(message) = message {
            line.push_str(&format!(" – {}", truncate(message, 400)));
        }
        details.push((line, if bad { Tone::Bad } else { Tone::Plain }));
    }
    details
}

/// The one-line preflight verdict; `with_time` adds when it was observed. Checks disabled in
/// `cvo-config` are named: "passed" never hides that some checks did not run.
pub(super) fn preflight_summary(report: &StatusReport, with_time: bool) -> (String, Tone) {
    let (verdict, tone) = preflight_verdict(report, with_time);
    match report.disabled_checks.as_deref() {
        Some(disabled) if !disabled.is_empty() => (
            format!(
                "{verdict}; {} disabled in cvo-config: {}",
                disabled.len(),
                disabled.join(", ")
            ),
            if tone == Tone::Good { Tone::Warn } else { tone },
        ),
        _ => (verdict, tone),
    }
}

fn preflight_verdict(report: &StatusReport, with_time: bool) -> (String, Tone) {
    let counts = report.check_counts;
    let observed = report
        .preflight
        .as_ref()
        .and_then(|preflight| preflight.observed_at.as_deref())
        .filter(|_| with_time)
        .map(|time| format!("; observed {}", when(time, report.now)))
        .unwrap_or_default();
    if counts.total == 0 {
        return (format!("no result yet{observed}"), Tone::Warn);
    }
    if counts.passed == counts.total {
        let verdict = if counts.total == 1 {
            format!("passed, 1 check{observed}")
        } else {
            format!("passed, all {} checks{observed}", counts.total)
        };
        return (verdict, Tone::Good);
    }
    let mut parts = Vec::new();
    if counts.failed > 0 {
        let mut failed = format!("{} failed", counts.failed);
        if counts.blocking < counts.failed {
            failed.push_str(&format!(" ({} blocking)", counts.blocking));
        }
        parts.push(failed);
    }
    for (count, word) in [
        (counts.retry, "retrying"),
        (counts.unknown, "without result"),
        (counts.skipped, "skipped"),
        (counts.passed, "passed"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {word}"));
        }
    }
    let tone = if counts.blocking > 0 {
        Tone::Bad
    } else if counts.retry > 0 || counts.failed > 0 || counts.unknown > 0 {
        Tone::Warn
    } else {
        Tone::Plain
    };
    (format!("{}{observed}", parts.join(", ")), tone)
}

fn completion_text(progress: &Progress) -> String {
    if progress.stages_total == 0 {
        return "no stages reported yet".into();
    }
    let percent = progress
        .percent
        .map(|percent| format!("{percent}% "))
        .unwrap_or_default();
    let mut text = if progress.ops_total > 0 {
        format!(
            "{percent}({} of {} operations, {} of {} stages finished",
            progress.ops_done, progress.ops_total, progress.stages_done, progress.stages_total
        )
    } else {
        format!(
            "{percent}({} of {} stages finished",
            progress.stages_done, progress.stages_total
        )
    };
    if progress.ops_failed > 0 {
        text.push_str(&format!(", {} failed", progress.ops_failed));
    }
    text.push(')');
    text
}

fn stage_line(report: &StatusReport) -> Option<String> {
    let progress = &report.progress;
    let name = progress.current_stage.as_deref()?;
    let stage = report.stages.iter().find(|stage| stage.name == name)?;
    let mut line = format!(
        "{} of {}: {} ({}",
        progress.current_stage_number.unwrap_or(0),
        progress.stages_total,
        one_line(name),
        dash(stage.phase.as_deref())
    );
    if stage.ops_total > 0 {
        line.push_str(&format!(
            ", {} of {} operations",
            stage.ops_done, stage.ops_total
        ));
    }
    line.push(')');
    Some(line)
}

/// The ETA in a few words, when status has one: `about 22m left`, `under a minute left`,
/// `overdue by 1h 18m` (nothing running, no start time or no completed upgrade to compare
/// with: none). The watch line shows it; [`estimate_text`] adds what it is based on.
pub(super) fn eta(estimate: &Estimate) -> Option<String> {
    match estimate {
        Estimate::Remaining {
            remaining_seconds, ..
        } if *remaining_seconds < 60 => Some("under a minute left".into()),
        Estimate::Remaining {
            remaining_seconds, ..
        } => Some(format!("about {} left", human_duration(*remaining_seconds))),
        Estimate::Overdue { over_seconds, .. } => {
            Some(format!("overdue by {}", human_duration(*over_seconds)))
        }
        Estimate::NotRunning | Estimate::UnknownStart | Estimate::NoBaseline { .. } => None,
    }
}

/// The estimate line: time left, or overdue, against the last upgrade.
pub(super) fn estimate_text(estimate: &Estimate, assessment: Assessment) -> Option<(String, Tone)> {
    let last = |baseline: &crate::domain::assess::Baseline| {
        format!(
            "the last upgrade, to {}, took {}",
            truncate(&baseline.release, 40),
            human_duration(baseline.seconds)
        )
    };
    match estimate {
        Estimate::NotRunning => None,
        Estimate::UnknownStart => Some((
            "unknown (the running history entry has no start time)".into(),
            Tone::Plain,
        )),
        Estimate::NoBaseline { .. } => Some((
            "no baseline: no completed upgrade in history to compare with".into(),
            Tone::Plain,
        )),
        Estimate::Remaining { baseline, .. } | Estimate::Overdue { baseline, .. } => {
            let tone = if matches!(estimate, Estimate::Overdue { .. })
                && assessment == Assessment::ProgressingSlow
            {
                Tone::Warn
            } else {
                Tone::Plain
            };
            let eta = eta(estimate).unwrap_or_default();
            Some((format!("{eta} ({})", last(baseline)), tone))
        }
    }
}

fn started_text(report: &StatusReport) -> String {
    match (report.started_at.as_deref(), report.elapsed_seconds) {
        (Some(started), Some(elapsed)) => format!(
            "{} (running for {})",
            bare_time(started),
            human_duration(elapsed)
        ),
        (Some(started), None) => truncate(started, 40),
        (None, _) => "unknown".into(),
    }
}

fn completed_text(report: &StatusReport, options: &Options) -> Option<String> {
    let newest = report.history.first()?;
    let mut text = newest
        .completion_time
        .as_deref()
        .map(|time| when(time, report.now))
        .unwrap_or_else(|| "at an unknown time".into());
    if let Some(seconds) = newest.duration_seconds {
        text.push_str(&format!(", took {}", human_duration(seconds)));
    }
    if let Some(previous) = report.history.get(1) {
        text.push_str(&format!(
            ", from {}",
            release_label(&previous.release(), options.verbose)
        ));
        if previous.state_is("partial") {
            text.push_str(" (partially applied)");
        }
    }
    Some(text)
}

/// The summary block of a cluster in flight, completed, or shown with `--verbose`.
pub(super) fn summary_block(report: &StatusReport, options: &Options) -> String {
    let verbose = options.verbose;
    let assessment = report.assessment;
    let in_flight = assessment.in_flight();
    let mut block = Block::new();
    block.add("Cluster", cluster_label(report));
    block.toned(
        "Assessment",
        assessment.label(),
        assessment_tone(assessment),
    );
    if report.stale {
        block.toned("Status", stale_text(report), Tone::Warn);
    }
    match (&report.target, in_flight) {
        (Some(target), true) => {
            let mut text = format!(
                "{} → {}",
                optional_release(report.current.as_ref(), verbose),
                release_label(target, verbose)
            );
            if report.forced {
                text.push_str(" (force: the controller skips its safety checks)");
            }
            block.add("Target", text);
            if let Some(desired) = &report.desired
                && !desired.same_as(target)
                && report
                    .current
                    .as_ref()
                    .is_none_or(|current| !current.same_as(desired))
            {
                block.add(
                    "",
                    format!(
                        "(the controller's status still targets {})",
                        release_label(desired, verbose)
                    ),
                );
            }
        }
        _ => block.add(
            "Version",
            optional_release(report.current.as_ref(), verbose),
        ),
    }
    if let Some(global_version) = &report.global_version
        && !report.is_global
    {
        block.add("Global", one_line(global_version));
    }
    if in_flight {
        block.add("Completion", completion_text(&report.progress));
        if let Some(line) = stage_line(report) {
            block.add("Stage", line);
        }
        if report.running {
            block.add("Started", started_text(report));
        }
        if !assessment.needs_attention()
            && !report.stale
            && let Some((text, tone)) = estimate_text(&report.estimate, assessment)
        {
            block.toned("Estimate", text, tone);
        }
    }
    if assessment == Assessment::Completed
        && let Some(text) = completed_text(report, options)
    {
        block.toned("Completed", text, Tone::Good);
    }
    if in_flight || verbose {
        let with_time = !super::preflight_table_shown(report, options);
        let (text, tone) = preflight_summary(report, with_time);
        block.toned("Preflight", text, tone);
    }
    if !verbose {
        block.chips("Conditions", condition_chips(report));
        for (line, tone) in condition_details(report) {
            block.toned("", line, tone);
        }
    }
    block.render(options.color)
}

/// One paragraph for an idle cluster: its version, the last upgrade, what is offered.
pub(super) fn idle_paragraph(report: &StatusReport, options: &Options) -> String {
    let verbose = options.verbose;
    let name = cluster_label(report);
    let current = optional_release(report.current.as_ref(), verbose);
    let mut text = if report.assessment == Assessment::Completed {
        format!("Cluster {name} is at {current}: the requested upgrade completed.")
    } else {
        format!("Cluster {name} is at {current}, with no upgrade requested or running.")
    };
    if report.stale {
        text.push_str(&format!(" The status is {}.", stale_text(report)));
    }
    match report.conditions.iter().find(|c| c.type_ == "Ready") {
        Some(ready) if !ready.is_true() => {
            text.push_str(&format!(" Ready is {}", one_line(&ready.status)));
            if let Some(reason) = &ready.reason {
                text.push_str(&format!(" ({})", one_line(reason)));
            }
            if let Some(message) = &ready.message {
                text.push_str(&format!(
                    ": {}",
                    truncate(message, MESSAGE_COLUMNS).trim_end_matches('.')
                ));
            }
            text.push('.');
        }
        None if report.conditions.is_empty() => {
            text.push_str(" The controller reports no conditions.")
        }
        _ => {}
    }
    text.push_str(&last_upgrade_sentence(report, verbose));
    if report.available_updates.is_empty() {
        text.push_str(" No updates are offered.");
    } else {
        let named: Vec<String> = report
            .available_updates
            .iter()
            .take(OFFERS_NAMED)
            .map(|release| release_label(release, verbose))
            .collect();
        let more = report.available_updates.len().saturating_sub(OFFERS_NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        text.push_str(&format!(" Offered: {}{more}.", named.join(", ")));
    }
    wrap(&text, TEXT_COLUMNS, "", "")
}

fn last_upgrade_sentence(report: &StatusReport, verbose: bool) -> String {
    let history = &report.history;
    let Some(index) = history
        .iter()
        .position(|entry| entry.completion_time.is_some())
    else {
        return " No upgrade is recorded in its history.".into();
    };
    let entry = &history[index];
    let to = release_label(&entry.release(), verbose);
    let from = history
        .get(index + 1)
        .map(|previous| format!("{} → ", release_label(&previous.release(), verbose)))
        .unwrap_or_default();
    let mut sentence = format!(" The last upgrade, {from}{to}");
    if let Some(state) = &entry.state
        && !state.eq_ignore_ascii_case("completed")
    {
        sentence.push_str(&format!(" ({})", one_line(state)));
    }
    if let Some(time) = entry.completion_time.as_deref() {
        sentence.push_str(&format!(", finished {}", when(time, report.now)));
    }
    if let Some(seconds) = entry.duration_seconds {
        sentence.push_str(&format!(" and took {}", human_duration(seconds)));
    }
    sentence.push('.');
    sentence
}
