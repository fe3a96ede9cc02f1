//! `ac adm upgrade` (no request flags) as text, from a [`SummaryReport`].

use crate::domain::advice::Suggestion;
use owo_colors::OwoColorize;

use crate::domain::cvsh::Release;
use crate::domain::report::summary::SummaryReport;
use crate::output::text::{ago, truncate};
use crate::render::style::{Tone, condition_tone};
use crate::render::table::TableBuilder;
use crate::render::text::{indent, pad};

/// Condition messages are cut to this width.
const MESSAGE_COLUMNS: usize = 100;
/// Keys are padded to this width.
const KEY_COLUMNS: usize = 11;

fn key_line(key: &str, value: &str) -> String {
    format!("{}{value}\n", pad(&format!("{key}:"), KEY_COLUMNS))
}

fn stale_sentence(report: &SummaryReport) -> String {
    format!(
        "Status is stale: the controller has not observed generation {} yet (observed {}); what follows may be out of date.",
        report.generation.unwrap_or_default(),
        report
            .observed_generation
            .map(|generation| generation.to_string())
            .unwrap_or_else(|| "none".into())
    )
}

fn conditions_table(report: &SummaryReport, color: bool) -> String {
    if report.conditions.is_empty() {
        return "  none reported yet\n".into();
    }
    let mut table = TableBuilder::new(&["TYPE", "STATUS", "SINCE", "REASON", "MESSAGE"], color);
    for condition in &report.conditions {
        let since = condition
            .last_transition_time
            .as_deref()
            .and_then(|time| ago(time, report.now))
            .unwrap_or_else(|| "-".into());
        table.toned_row(vec![
            (condition.type_.clone(), Tone::Plain),
            (condition.status.clone(), condition_tone(condition)),
            (since, Tone::Plain),
            (
                condition.reason.clone().unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (
                condition
                    .message
                    .as_deref()
                    .map(|message| truncate(message, MESSAGE_COLUMNS))
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
        ]);
    }
    indent(&table.render(), 2)
}

fn offers_table(report: &SummaryReport, color: bool) -> String {
    let offers = &report.available_updates;
    if offers.is_empty() {
        return "\nAvailable updates: none offered\n".into();
    }
    let with_notes = report.needs_global_first.iter().any(|needs| *needs);
    let header: &[&str] = if with_notes {
        &["VERSION", "IMAGE", "NOTE"]
    } else {
        &["VERSION", "IMAGE"]
    };
    let mut table = TableBuilder::new(header, color);
    for (offer, needs_global) in offers.iter().zip(&report.needs_global_first) {
        let mut row = vec![
            offer.version.clone().unwrap_or_else(|| "-".into()),
            offer.image.clone().unwrap_or_else(|| "-".into()),
        ];
        if with_notes {
            row.push(match (&offer.version, needs_global) {
                (Some(version), true) => format!("needs global at {version} first"),
                _ => String::new(),
            });
        }
        table.row(&row);
    }
    format!(
        "\nAvailable updates ({}), highest first:\n{}",
        offers.len(),
        indent(&table.render(), 2)
    )
}

/// The summary screen.
pub fn summary(report: &SummaryReport, color: bool) -> String {
    let mut out = String::new();
    if let Some(note) = &report.note {
        out.push_str(&format!("Note: {note}.\n"));
    }
    out.push_str(&key_line("Cluster", &report.cluster));
    let current = report.current.as_ref();
    out.push_str(&key_line(
        "Current",
        &current
            .map(Release::label)
            .unwrap_or_else(|| "<unknown>".into()),
    ));
    if let Some(image) = current
        .filter(|release| release.version.is_some())
        .and_then(|release| release.image.as_deref())
    {
        out.push_str(&key_line("Image", image));
    }
    if let Some(requested) = &report.pending_request {
        let force = if report.forced { " (force)" } else { "" };
        out.push_str(&key_line(
            "Requested",
            &format!("{}{force}", requested.label()),
        ));
    }
    if let Some(desired) = &report.desired_elsewhere {
        out.push_str(&key_line(
            "Desired",
            &format!("{} (status.desired)", desired.label()),
        ));
    }
    if !report.is_global
        && let Some(global_version) = &report.global_version
    {
        out.push_str(&key_line("Global", global_version));
    }
    if report.stale {
        out.push_str(&format!(
            "\n{}\n",
            Tone::Warn.paint(&stale_sentence(report), color)
        ));
    }
    out.push_str("\nConditions:\n");
    out.push_str(&conditions_table(report, color));
    out.push_str(&offers_table(report, color));
    if !report.next_steps.is_empty() {
        out.push('\n');
        out.push_str(&suggestions(&report.next_steps, color));
    }
    out
}

/// Suggestions as the summary and the fleet print them: the sentence, then the command on its
/// own line.
pub fn suggestions(steps: &[Suggestion], color: bool) -> String {
    let mut out = String::new();
    for step in steps {
        if step.command.is_empty() {
            out.push_str(&format!("{}.\n", step.message));
        } else {
            let command = if color {
                step.command.bold().to_string()
            } else {
                step.command.clone()
            };
            out.push_str(&format!("{}:\n  {command}\n", step.message));
        }
    }
    out
}
