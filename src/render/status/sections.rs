//! The tables of the status screen: preflight checks, stages, the operations of a stage,
//! conditions, history, releases, and the next steps. Outside `--verbose` long tables are
//! capped, but failed and running rows are never hidden.

use crate::domain::advice::NextStep;
use crate::domain::assess::timing::{parse_time, seconds_between};
use crate::domain::assess::{CheckState, PhaseClass};
use crate::domain::cvsh::DesiredUpdate;
use crate::domain::report::status::{StageReport, StatusReport};
use crate::output::text::one_line;
use crate::output::text::{human_duration, plural, truncate, versions_arrow};
use crate::render::status::{MESSAGE_COLUMNS, Options, TEXT_COLUMNS};
use crate::render::style::{Tone, check_tone, condition_tone};
use crate::render::table::TableBuilder;
use crate::render::text::{bare_time, dash, release_label, when, wrap};

/// Default caps (lifted by `--verbose`); failed and running rows are always shown.
const MAX_OPERATIONS: usize = 10;
const MAX_STAGES: usize = 12;
/// Finished stages kept for context outside `--verbose`.
const RECENT_FINISHED_STAGES: usize = 2;
/// Dependencies listed in full up to this many, else the first two and a count.
const DEPENDENCIES_LISTED: usize = 3;

/// Pick rows to show: every rank-0 row (failed, running), then the best-ranked others until
/// `limit`; returns ascending indices.
pub(super) fn select_rows(ranks: &[(u8, usize)], limit: usize) -> Vec<usize> {
    let mut by_rank: Vec<usize> = (0..ranks.len()).collect();
    by_rank.sort_by_key(|&index| ranks[index]);
    let mut shown: Vec<usize> = Vec::new();
    for index in by_rank {
        if ranks[index].0 == 0 || shown.len() < limit {
            shown.push(index);
        }
    }
    shown.sort_unstable();
    shown
}

/// Every row with `--verbose`, else [`select_rows`].
fn shown_rows(ranks: &[(u8, usize)], limit: usize, verbose: bool) -> Vec<usize> {
    if verbose {
        (0..ranks.len()).collect()
    } else {
        select_rows(ranks, limit)
    }
}

/// `… and 7 more stages (5 finished, 2 pending; use --verbose)` for the rows not `shown`.
fn hidden_note(what: &str, classes: &[PhaseClass], shown: &[usize]) -> Option<String> {
    let hidden = hidden_classes(classes, shown);
    if hidden.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    for (class, word) in [
        (PhaseClass::Done, "finished"),
        (PhaseClass::Pending, "pending"),
        (PhaseClass::Other, "other"),
    ] {
        let count = hidden.iter().filter(|&&hidden| hidden == class).count();
        if count > 0 {
            parts.push(format!("{count} {word}"));
        }
    }
    Some(format!(
        "… and {} more {what} ({}; use --verbose)\n",
        hidden.len(),
        parts.join(", ")
    ))
}

/// The classes of the rows not shown, for [`hidden_note`] (running and failed count as other).
fn hidden_classes(classes: &[PhaseClass], shown: &[usize]) -> Vec<PhaseClass> {
    (0..classes.len())
        .filter(|index| !shown.contains(index))
        .map(|index| match classes[index] {
            PhaseClass::Done => PhaseClass::Done,
            PhaseClass::Pending => PhaseClass::Pending,
            _ => PhaseClass::Other,
        })
        .collect()
}

/// Order of preflight rows outside `--verbose`: blocking failures, other failures, retries,
/// no result, skipped.
fn check_rank(state: CheckState, blocking: bool) -> u8 {
    match state {
        CheckState::Failed if blocking => 0,
        CheckState::Failed => 1,
        CheckState::Retry => 2,
        CheckState::Unknown => 3,
        CheckState::Skipped => 4,
        CheckState::Passed => 5,
    }
}

fn phase_tone(class: PhaseClass) -> Tone {
    match class {
        PhaseClass::Failed => Tone::Bad,
        _ => Tone::Plain,
    }
}

/// The preflight table: every check with `--verbose` (server order); otherwise every check that
/// did not pass, most severe first, and a count of the passed ones.
pub(super) fn preflight_section(report: &StatusReport, options: &Options) -> String {
    let Some(preflight) = &report.preflight else {
        return String::new();
    };
    let checks = &preflight.checks;
    if checks.is_empty() {
        return String::new();
    }
    let observed = preflight
        .observed_at
        .as_deref()
        .map(|time| format!(", observed {}", when(time, report.now)))
        .unwrap_or_default();
    let mut out = format!("Preflight checks{observed}:\n");
    let mut shown: Vec<usize> = (0..checks.len()).collect();
    if !options.verbose {
        shown.retain(|&index| checks[index].state_class != CheckState::Passed);
        shown.sort_by_key(|&index| {
            (
                check_rank(checks[index].state_class, checks[index].blocking),
                index,
            )
        });
    }
    let mut table = TableBuilder::new(
        &["check", "policy", "state", "reason", "message"],
        options.color,
    );
    for &index in &shown {
        let check = &checks[index];
        let message = check.message.as_deref().unwrap_or("");
        table.toned_row(vec![
            (one_line(&check.name), Tone::Plain),
            (dash(check.policy.as_deref()), Tone::Plain),
            (
                dash(check.state.as_deref()),
                check_tone(check.state_class, check.blocking),
            ),
            (dash(check.reason.as_deref()), Tone::Plain),
            (
                if options.verbose {
                    one_line(message)
                } else {
                    truncate(message, MESSAGE_COLUMNS)
                },
                Tone::Plain,
            ),
        ]);
    }
    if !table.is_empty() {
        out.push_str(&table.render());
    }
    let hidden = checks.len() - shown.len();
    if hidden > 0 {
        out.push_str(&format!(
            "… and {} (use --verbose)\n",
            plural(hidden, "passed check", "passed checks")
        ));
    }
    out
}

pub(super) fn stages_section(report: &StatusReport, options: &Options) -> String {
    let stages = &report.stages;
    if stages.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "Stages ({} of {} finished):\n",
        report.progress.stages_done, report.progress.stages_total
    );
    // Outside --verbose: failed and running stages, the two last finished ones for context,
    // then the next pending ones, then older finished ones.
    let finished: Vec<usize> = (0..stages.len())
        .filter(|&index| stages[index].class == PhaseClass::Done)
        .collect();
    let recent = &finished[finished.len().saturating_sub(RECENT_FINISHED_STAGES)..];
    let ranks: Vec<(u8, usize)> = stages
        .iter()
        .enumerate()
        .map(|(index, stage)| match stage.class {
            _ if stage.bad() => (0, index),
            PhaseClass::Running => (0, index),
            PhaseClass::Done if recent.contains(&index) => (1, index),
            PhaseClass::Done => (3, stages.len() - index),
            _ => (2, index),
        })
        .collect();
    let shown = shown_rows(&ranks, MAX_STAGES, options.verbose);
    let mut table =
        TableBuilder::new(&["stage", "priority", "phase", "progress"], options.color).right(1);
    for &index in &shown {
        let stage = &stages[index];
        let mut progress = format!("{}/{}", stage.ops_done, stage.ops_total);
        if stage.ops_failed > 0 {
            progress.push_str(&format!(" ({} failed)", stage.ops_failed));
        }
        table.toned_row(vec![
            (one_line(&stage.name), Tone::Plain),
            (
                stage
                    .priority
                    .map(|priority| priority.to_string())
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (dash(stage.phase.as_deref()), phase_tone(stage.class)),
            (
                progress,
                if stage.ops_failed > 0 {
                    Tone::Bad
                } else {
                    Tone::Plain
                },
            ),
        ]);
    }
    out.push_str(&table.render());
    let classes: Vec<PhaseClass> = stages.iter().map(|stage| stage.class).collect();
    if let Some(note) = hidden_note("stages", &classes, &shown) {
        out.push_str(&note);
    }
    out
}

fn depends_text(dependencies: &[String], verbose: bool) -> String {
    let listed = |names: &[String]| {
        names
            .iter()
            .map(|name| one_line(name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if verbose || dependencies.len() <= DEPENDENCIES_LISTED {
        return listed(dependencies);
    }
    format!(
        "{}, +{} more",
        listed(&dependencies[..2]),
        dependencies.len() - 2
    )
}

fn operations_table(stage: &StageReport, options: &Options) -> String {
    let mut out = format!(
        "Operations of stage {} ({}, {} of {} finished):\n",
        one_line(&stage.name),
        dash(stage.phase.as_deref()),
        stage.ops_done,
        stage.ops_total
    );
    let operations = &stage.operations;
    let ranks: Vec<(u8, usize)> = operations
        .iter()
        .enumerate()
        .map(|(index, operation)| match operation.class {
            PhaseClass::Failed | PhaseClass::Running => (0, index),
            PhaseClass::Done => (2, index),
            _ => (1, index),
        })
        .collect();
    let shown = shown_rows(&ranks, MAX_OPERATIONS, options.verbose);
    let mut table = TableBuilder::new(
        &[
            "operation",
            "action",
            "current → target",
            "phase",
            "depends on",
        ],
        options.color,
    );
    for &index in &shown {
        let operation = &operations[index];
        let arrow = versions_arrow(
            operation.current_version.as_deref(),
            operation.target_version.as_deref(),
        );
        table.toned_row(vec![
            (one_line(&operation.name), Tone::Plain),
            (dash(operation.action.as_deref()), Tone::Plain),
            (
                if arrow.is_empty() { "-".into() } else { arrow },
                Tone::Plain,
            ),
            (
                dash(operation.phase.as_deref()),
                phase_tone(operation.class),
            ),
            (
                depends_text(&operation.depends_on, options.verbose),
                Tone::Plain,
            ),
        ]);
    }
    out.push_str(&table.render());
    let classes: Vec<PhaseClass> = operations.iter().map(|operation| operation.class).collect();
    if let Some(note) = hidden_note("operations", &classes, &shown) {
        out.push_str(&note);
    }
    out
}

/// The operations of the running stage and of every stage with a failure (every stage with
/// `--verbose`).
pub(super) fn operations_sections(report: &StatusReport, options: &Options) -> Vec<String> {
    report
        .stages
        .iter()
        .filter(|stage| !stage.operations.is_empty())
        .filter(|stage| options.verbose || stage.class == PhaseClass::Running || stage.bad())
        .map(|stage| operations_table(stage, options))
        .collect()
}

pub(super) fn conditions_section(report: &StatusReport, options: &Options) -> String {
    if report.conditions.is_empty() {
        return String::new();
    }
    let mut out = String::from("Conditions:\n");
    let mut table = TableBuilder::new(
        &["type", "status", "reason", "last transition", "message"],
        options.color,
    );
    for condition in &report.conditions {
        table.toned_row(vec![
            (one_line(&condition.type_), Tone::Plain),
            (one_line(&condition.status), condition_tone(condition)),
            (dash(condition.reason.as_deref()), Tone::Plain),
            (
                condition
                    .last_transition_time
                    .as_deref()
                    .map(|time| when(time, report.now))
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (
                one_line(condition.message.as_deref().unwrap_or("")),
                Tone::Plain,
            ),
        ]);
    }
    out.push_str(&table.render());
    out
}

/// The history table: every entry, or the `limit` newest ("Recent upgrades").
pub(super) fn history_section(
    report: &StatusReport,
    options: &Options,
    limit: Option<usize>,
) -> String {
    let history = &report.history;
    if history.is_empty() {
        return String::new();
    }
    let mut out = String::from(if limit.is_some() {
        "Recent upgrades:\n"
    } else {
        "History:\n"
    });
    let mut table = TableBuilder::new(
        &["version", "state", "started", "completed", "duration"],
        options.color,
    );
    let shown = limit.unwrap_or(history.len()).min(history.len());
    for entry in &history[..shown] {
        let duration = match (entry.duration_seconds, &entry.completion_time) {
            (Some(seconds), _) => human_duration(seconds),
            (None, None) => match entry.started_time.as_deref().and_then(parse_time) {
                Some(started) => format!(
                    "{} (running)",
                    human_duration(seconds_between(started, report.now))
                ),
                None => "running".into(),
            },
            (None, Some(_)) => "-".into(),
        };
        let state_tone = if entry.state_is("completed") {
            Tone::Good
        } else {
            Tone::Plain
        };
        let time =
            |time: &Option<String>| time.as_deref().map(bare_time).unwrap_or_else(|| "-".into());
        table.toned_row(vec![
            (
                release_label(&entry.release(), options.verbose),
                Tone::Plain,
            ),
            (dash(entry.state.as_deref()), state_tone),
            (time(&entry.started_time), Tone::Plain),
            (time(&entry.completion_time), Tone::Plain),
            (duration, Tone::Plain),
        ]);
    }
    out.push_str(&table.render());
    if history.len() > shown {
        out.push_str(&format!(
            "… and {} earlier (use --verbose)\n",
            history.len() - shown
        ));
    }
    if options.verbose {
        for entry in history {
            if let Some(risks) = &entry.accepted_risks {
                out.push_str(&format!(
                    "Accepted risks for {}: {}\n",
                    release_label(&entry.release(), true),
                    one_line(risks)
                ));
            }
        }
    }
    out
}

/// `--verbose`: current, desired, requested and offered releases with their full images.
pub(super) fn releases_section(report: &StatusReport) -> String {
    let mut out = String::from("Releases:\n");
    let mut table = TableBuilder::new(&["release", "version", "image"], false);
    let requested = report.requested.as_ref().and_then(DesiredUpdate::release);
    let named = [
        ("current", report.current.as_ref()),
        ("desired", report.desired.as_ref()),
        ("requested", requested.as_ref()),
    ];
    let offered = report
        .available_updates
        .iter()
        .map(|release| ("offered", Some(release)));
    let mut any = false;
    for (kind, release) in named.into_iter().chain(offered) {
        if let Some(release) = release {
            any = true;
            table.row(&[
                kind.to_string(),
                dash(release.version.as_deref()),
                dash(release.image.as_deref()),
            ]);
        }
    }
    if any {
        out.push_str(&table.render());
    } else {
        out.push_str("none reported\n");
    }
    if report.available_updates.is_empty() {
        out.push_str("No updates are offered.\n");
    }
    out
}

/// Numbered when more than one; each step's commands indented under it.
pub(super) fn next_steps_section(steps: &[NextStep]) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let mut out = String::from("Next steps:\n");
    let numbered = steps.len() > 1;
    for (index, step) in steps.iter().enumerate() {
        let (first, rest) = if numbered {
            (format!("  {}. ", index + 1), "     ".to_string())
        } else {
            ("  ".to_string(), "  ".to_string())
        };
        out.push_str(&wrap(&step.text, TEXT_COLUMNS, &first, &rest));
        for command in &step.commands {
            out.push_str(&format!("{rest}  {}\n", one_line(command)));
        }
    }
    out
}
