//! `ac adm upgrade status --all-clusters` as text, from a [`FleetReport`]: one row per cluster,
//! then the sequencing picture (`docs/status.md` §8).

use crate::domain::report::fleet::{BLOCKED_LISTED, FleetReport, FleetRow};
use crate::output::text::one_line;
use crate::output::text::plural;
use crate::render::style::{Tone, assessment_tone};
use crate::render::table::TableBuilder;

/// Names listed per group before "+N more".
const NAMES_PER_GROUP: usize = 5;

fn preflight_cell(row: &FleetRow) -> (String, Tone) {
    let counts = row.preflight;
    if !row.assessment.in_flight() {
        return ("-".into(), Tone::Plain);
    }
    if counts.total == 0 {
        return ("no result".into(), Tone::Plain);
    }
    let mut parts = Vec::new();
    if counts.failed > 0 {
        parts.push(format!("{} failed", counts.failed));
    }
    if counts.retry > 0 {
        parts.push(format!("{} retry", counts.retry));
    }
    if parts.is_empty() {
        return if counts.passed == counts.total {
            ("passed".into(), Tone::Plain)
        } else {
            (
                format!("{}/{} passed", counts.passed, counts.total),
                Tone::Plain,
            )
        };
    }
    let tone = if counts.blocking > 0 {
        Tone::Bad
    } else {
        Tone::Warn
    };
    (parts.join(", "), tone)
}

/// The Kubernetes version, marked `!` (and red) when outside the next release's range.
fn kubernetes_cell(row: &FleetRow) -> (String, Tone) {
    match (&row.kubernetes_version, row.kubernetes_in_range) {
        (Some(version), Some(false)) => (format!("{} !", one_line(version)), Tone::Bad),
        (Some(version), _) => (one_line(version), Tone::Plain),
        (None, _) => ("-".into(), Tone::Plain),
    }
}

/// `a, b, c, d, e, +3 more`.
fn names(list: &[String]) -> String {
    super::text::name_list(list.iter().map(String::as_str), NAMES_PER_GROUP)
}

/// Lines of a table indented by four spaces.
fn indented(table: &TableBuilder) -> String {
    table
        .render()
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect()
}

/// Global's version, the workload clusters at it, behind it (grouped), ahead of it.
fn global_lines(report: &FleetReport, color: bool) -> String {
    let global = report.clusters.iter().find(|row| row.global);
    let Some(global) = global else {
        return format!(
            "No ClusterVersionShadow named {}: the sequencing of workload clusters cannot be judged.\n",
            report.global_name
        );
    };
    let Some(global_version) = report.global_version.as_deref() else {
        return format!(
            "Global reports no current version ({}): the sequencing of workload clusters cannot be judged.\n",
            global.assessment_label
        );
    };
    let mut out = format!("Global is at {}", one_line(global_version));
    if let Some(standby) = &report.standby {
        out.push_str(&format!(
            " (DR standby, session {}: {})",
            one_line(&standby.session),
            one_line(standby.current.as_deref().unwrap_or("unknown"))
        ));
    }
    if global.assessment.in_flight() {
        out.push_str(&format!(
            ", {} to {}",
            global.assessment_label.to_lowercase(),
            global.target.as_deref().unwrap_or("<unknown>")
        ));
        out.push_str("; workload clusters can move up to its current version meanwhile");
    }
    out.push_str(".\n");
    if let Some(ceiling) = report
        .sequencing
        .ceiling
        .as_deref()
        .filter(|ceiling| *ceiling != global_version)
    {
        out.push_str(&format!(
            "  Workload clusters may move up to {ceiling}: the version both globals have reached.\n"
        ));
    }
    out.push_str(&format!(
        "  At global's version: {} of {}\n",
        report.at_global, report.workload_clusters
    ));
    let behind: usize = report
        .behind_groups
        .iter()
        .map(|group| group.clusters.len())
        .sum();
    if behind > 0 {
        out.push_str(&format!("  Behind global, not upgrading: {behind}\n"));
        let mut table =
            TableBuilder::new(&["current", "can move to", "clusters", ""], false).right(2);
        for group in &report.behind_groups {
            let to = match &group.can_move_to {
                Some(version) => version.clone(),
                None => format!(
                    "{} (not offered yet)",
                    report
                        .sequencing
                        .ceiling
                        .as_deref()
                        .unwrap_or(global_version)
                ),
            };
            table.row(&[
                group.current.clone(),
                to,
                group.clusters.len().to_string(),
                names(&group.clusters),
            ]);
        }
        out.push_str(&indented(&table));
    }
    let outside = &report.sequencing.kubernetes_outside;
    if let (false, Some(next)) = (outside.is_empty(), &report.next_release) {
        let listed: Vec<String> = outside
            .iter()
            .map(|entry| format!("{} ({})", entry.cluster, one_line(&entry.version)))
            .collect();
        let release = &next.release_label;
        let before = if next.ahead_of_global {
            format!(
                " — bring them into it before the global tier moves to {}",
                next.version
            )
        } else {
            String::new()
        };
        out.push_str(&Tone::Bad.paint(
            &format!(
                "  Kubernetes outside {release}'s range ({}): {}{before}.\n",
                next.kubernetes_range.as_deref().unwrap_or("unknown"),
                names(&listed),
            ),
            color,
        ));
    }
    if let Some(violation) = &report.sequencing.dr_order_violation {
        out.push_str(&Tone::Bad.paint(&format!("  {}.\n", violation.message), color));
    }
    for ahead in &report.sequencing.ahead_of_global {
        out.push_str(&Tone::Warn.paint(
            &format!(
                "  {} {}: a workload cluster may only move to a version global has reached.\n",
                ahead.cluster, ahead.detail
            ),
            color,
        ));
    }
    out
}

fn sequencing_text(report: &FleetReport, color: bool) -> String {
    let counts: Vec<String> = report
        .urgent_counts
        .iter()
        .map(|(assessment, count)| {
            assessment_tone(*assessment).paint(
                &format!("{count} {}", assessment.label().to_lowercase()),
                color,
            )
        })
        .collect();
    let mut out = format!(
        "{}: {}.\n",
        plural(report.total, "cluster", "clusters"),
        counts.join(", ")
    );
    out.push_str(&global_lines(report, color));
    if !report.upgrading_groups.is_empty() {
        let upgrading: usize = report
            .upgrading_groups
            .iter()
            .map(|group| group.clusters.len())
            .sum();
        out.push_str(&format!("  Upgrading: {upgrading}\n"));
        for group in &report.upgrading_groups {
            out.push_str(&format!(
                "    → {}: {} ({})\n",
                group.target,
                group.clusters.len(),
                names(&group.clusters)
            ));
        }
    }
    let blocked = &report.sequencing.blocked;
    if !blocked.is_empty() {
        out.push_str(&Tone::Bad.paint(&format!("  Blocked: {}\n", blocked.len()), color));
        let mut table = TableBuilder::new(&["cluster", "assessment", "reason"], color);
        for entry in blocked.iter().take(BLOCKED_LISTED) {
            table.toned_row(vec![
                (entry.cluster.clone(), Tone::Plain),
                (
                    entry.assessment.label().to_string(),
                    assessment_tone(entry.assessment),
                ),
                (
                    entry.reason.clone().unwrap_or_else(|| "-".into()),
                    Tone::Plain,
                ),
            ]);
        }
        out.push_str(&indented(&table));
        if blocked.len() > BLOCKED_LISTED {
            out.push_str(&format!(
                "    … and {} more (all are in the table above; the next: {})\n",
                blocked.len() - BLOCKED_LISTED,
                report.more_blocked.as_deref().unwrap_or_default()
            ));
        }
    }
    out
}

/// The fleet screen: the table (every cluster, global first), then the sequencing picture.
pub fn fleet(report: &FleetReport, color: bool) -> String {
    if report.clusters.is_empty() {
        return "No clusters: there is no ClusterVersionShadow in cpaas-system on the global cluster.\n"
            .into();
    }
    let mut header = vec!["cluster", "current"];
    if report.kubernetes_read {
        header.push("k8s");
    }
    header.extend(["target", "assessment", "progress", "preflight"]);
    let progress_column = header.len() - 2;
    let mut table = TableBuilder::new(&header, color).right(progress_column);
    for row in &report.clusters {
        let mut assessment = row.assessment_label.to_string();
        if row.stale {
            assessment.push_str(" (stale)");
        }
        let (preflight, preflight_tone) = preflight_cell(row);
        let mut cells = vec![
            (one_line(&row.cluster), Tone::Plain),
            (
                row.current.clone().unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
        ];
        if report.kubernetes_read {
            cells.push(kubernetes_cell(row));
        }
        cells.extend([
            (
                row.target.clone().unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (assessment, assessment_tone(row.assessment)),
            (
                row.percent
                    .map(|percent| format!("{percent}%"))
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (preflight, preflight_tone),
        ]);
        table.toned_row(cells);
    }
    let mut out = table.render();
    out.push('\n');
    out.push_str(&sequencing_text(report, color));
    if !report.next_steps.is_empty() {
        out.push('\n');
        out.push_str(&crate::render::summary::suggestions(
            &report.next_steps,
            color,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cvsh::Cvsh;
    use crate::domain::report::fleet::fleet_report;
    use serde_json::json;

    #[test]
    fn preflight_cells() {
        let c = Cvsh::from_value(&json!({"metadata": {"name": "w"},
            "spec": {"desiredUpdate": {"version": "4.3.0"}},
            "status": {"current": {"version": "4.2.0"}, "preflight": {"checks": [
                {"name": "a", "state": "Failed"}, {"name": "b", "state": "Retry"}]}}}));
        let now = "2026-11-23T10:00:00Z".parse().unwrap();
        let report = fleet_report(&[c], now, "global", Default::default());
        let row = &report.clusters[0];
        assert_eq!(preflight_cell(row).0, "1 failed, 1 retry");
        assert_eq!(row.reason.as_deref(), Some("preflight check a failed"));
    }

    #[test]
    fn empty_list_is_a_sentence() {
        let now = "2026-11-23T10:00:00Z".parse().unwrap();
        let report = fleet_report(&[], now, "global", Default::default());
        assert!(fleet(&report, false).starts_with("No clusters"));
        assert_eq!(report.total, 0);
    }
}
