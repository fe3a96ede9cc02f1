//! The outcome of a request and of import-manifest as text, from their reports.

use crate::domain::report::import::{ImportOutcome, ImportReport};
use crate::domain::report::request::{RequestReport, Written};

/// What a request prints on stdout: the dry run's exact request, or what was written and what
/// to run next. A no-op prints nothing (its `info:` line goes to stderr).
pub fn request(report: &RequestReport) -> String {
    match report {
        RequestReport::Unchanged(_) => String::new(),
        RequestReport::Written(written) if written.dry_run => dry_run(written),
        RequestReport::Written(written) => {
            let mut out = match &written.request {
                None => format!(
                    "Cleared the upgrade request of {} (was {}).\n",
                    written.cluster_label(),
                    written.was
                ),
                Some(_) => format!(
                    "Requested the upgrade of {} from {} to {}{}.\n",
                    written.cluster_label(),
                    written.from,
                    written.to,
                    if written.force { " (force)" } else { "" }
                ),
            };
            if let Some(follow_up) = &written.follow_up {
                out.push_str(&format!("{}\n", follow_up.inline()));
            }
            out
        }
    }
}

fn dry_run(written: &Written) -> String {
    let body = written
        .patch
        .as_ref()
        .and_then(|patch| serde_json::to_string_pretty(patch).ok())
        .unwrap_or_default();
    let origin = written
        .from_context
        .as_ref()
        .map(|_| format!(" ({})", written.cluster_label()))
        .unwrap_or_default();
    format!(
        "Dry run: nothing was written{origin}. The request would be:\nPATCH {}\nContent-Type: application/merge-patch+json\n\n{body}\n",
        written.url.as_deref().unwrap_or_default()
    )
}

/// The line printed as soon as the ProductManifest is created (on the DR standby global:
/// `standby` names its session).
pub fn import_created_on(
    name: &str,
    version: &str,
    endpoint: &str,
    standby: Option<&str>,
) -> String {
    format!(
        "Created ProductManifest {name} (version {version}) on {endpoint}{}.\n",
        standby
            .map(|s| format!(" (the DR standby global, session {s})"))
            .unwrap_or_default()
    )
}

/// What import-manifest prints last: the dry run's object, or whether the offer is there and
/// how to look at it.
pub fn import_outcome(report: &ImportReport) -> String {
    let follow_up = report
        .follow_up
        .as_ref()
        .map(|follow_up| format!("{}\n", follow_up.inline()))
        .unwrap_or_default();
    let standby = report.standby.as_ref().map(|s| {
        let on = format!(
            "{} (the DR standby global, session {})",
            s.endpoint, s.session
        );
        match (s.existed, s.ready) {
            (true, _) if matches!(report.outcome, ImportOutcome::WouldCreate { .. }) => {
                format!("{on} already has it.\n")
            }
            (false, _) if matches!(report.outcome, ImportOutcome::WouldCreate { .. }) => {
                format!("Would create it on {on} first.\n")
            }
            (_, Some(true)) => format!("ProductManifest {} is Ready on {on}.\n", report.name),
            _ => String::new(),
        }
    });
    let standby = standby.unwrap_or_default();
    match &report.outcome {
        ImportOutcome::WouldCreate { object } => format!(
            "Dry run: nothing was written. {standby}Would create on {}:\n{}\n",
            report.endpoint,
            serde_json::to_string_pretty(object).unwrap_or_default()
        ),
        ImportOutcome::Applied { ready: Some(_) } => format!(
            "{standby}ProductManifest {} is Ready: the controller offers {} to the clusters on a supported path.\n{follow_up}",
            report.name, report.version
        ),
        ImportOutcome::Applied { ready: None } => format!("{standby}{follow_up}"),
    }
}
