//! `ac adm upgrade status --all-clusters`: one row per cluster, then the sequencing picture
//! (global's version, workload clusters behind it and where each can move, clusters upgrading,
//! clusters blocked). Linear in the number of clusters apart from one sort.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::assess::{self, Assessment, CheckCounts, MoveTo};
use crate::domain::cvsh::{Cvsh, Release};
use crate::domain::version;
use crate::error::one_line;
use crate::render::table::{TableBuilder, Tone, truncate};

pub const FLEET_SCHEMA: &str = "ac.alauda.io/upgrade-fleet/v1";
const GLOBAL: &str = "global";
/// Names listed per group before "+N more".
const NAMES_PER_GROUP: usize = 5;
/// Blocked clusters listed with their reason before "… and N more".
const MAX_BLOCKED_LINES: usize = 20;

/// One cluster in the fleet view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    pub cluster: String,
    pub global: bool,
    pub current: Option<String>,
    /// The release being moved to (only while one is pending or running).
    pub target: Option<String>,
    pub assessment: Assessment,
    pub assessment_label: &'static str,
    pub stale: bool,
    pub ops_done: usize,
    pub ops_total: usize,
    /// Percent of operations finished while an upgrade is in flight.
    pub percent: Option<u8>,
    pub preflight: CheckCounts,
    /// Why it needs attention (blocked or stalled).
    pub reason: Option<String>,
    /// For workload clusters behind global: the version it can move to now (`None`: nothing
    /// up to global's version is offered yet).
    pub can_move_to: Option<String>,
    /// Behind the global cluster's current version.
    pub behind_global: bool,
}

fn label(r: Option<&Release>) -> Option<String> {
    r.map(|r| match (&r.version, &r.image) {
        (Some(v), _) => one_line(v),
        (None, Some(i)) => short_image(i),
        (None, None) => "<unknown>".into(),
    })
}

fn short_image(s: &str) -> String {
    let s = one_line(s);
    if let Some(i) = s.find("@sha256:") {
        let repo = s[..i].rsplit('/').next().unwrap_or("");
        let digest: String = s[i + "@sha256:".len()..].chars().take(13).collect();
        if digest.chars().count() > 12 {
            let short: String = digest.chars().take(12).collect();
            return format!("{repo}@sha256:{short}…");
        }
    }
    truncate(&s, 40)
}

/// Why a cluster needs attention, in a few words.
pub fn attention_reason(c: &Cvsh, a: Assessment) -> Option<String> {
    match a {
        Assessment::BlockedByPreflight => {
            let b = assess::blocking_checks(c);
            let first = b.first()?;
            let mut s = format!("preflight check {} failed", one_line(&first.name));
            if let Some(r) = &first.reason {
                s.push_str(&format!(" ({})", one_line(r)));
            }
            if b.len() > 1 {
                s.push_str(&format!(" and {} more", b.len() - 1));
            }
            Some(s)
        }
        Assessment::Stalled => {
            let failed = c
                .stages
                .iter()
                .flat_map(|s| s.operations.iter().map(move |o| (s, o)))
                .find(|(_, o)| assess::op_failed(o));
            if let Some((s, o)) = failed {
                return Some(format!(
                    "operation {} in stage {} failed",
                    one_line(&o.name),
                    one_line(&s.name)
                ));
            }
            for t in ["Stalled", "Degraded"] {
                if let Some(k) = c.condition(t).filter(|k| k.is_true()) {
                    let mut s = t.to_string();
                    if let Some(r) = &k.reason {
                        s.push_str(&format!(" ({})", one_line(r)));
                    }
                    if let Some(m) = &k.message {
                        s.push_str(&format!(": {}", truncate(m, 80)));
                    }
                    return Some(s);
                }
            }
            None
        }
        _ => None,
    }
}

fn row_for(c: &Cvsh, now: Timestamp, global_version: Option<&str>) -> FleetRow {
    let a = assess::assess(c, now);
    let p = assess::progress(c);
    let in_flight = a.in_flight();
    let is_global = c.name == GLOBAL;
    let cur = c.current_version();
    let behind = !is_global
        && match (global_version, cur) {
            (Some(g), Some(cur)) => version::newer_than(g, cur) == Some(true),
            _ => false,
        };
    let can_move_to = match (behind, global_version) {
        (true, Some(g)) => match assess::move_to(c, g) {
            MoveTo::Offered(v) => Some(v),
            MoveTo::NotOffered => None,
        },
        _ => None,
    };
    FleetRow {
        cluster: c.name.clone(),
        global: is_global,
        current: label(c.current.as_ref()),
        target: if in_flight {
            label(assess::target(c).as_ref())
        } else {
            None
        },
        assessment: a,
        assessment_label: a.label(),
        stale: c.is_stale(),
        ops_done: p.ops_done,
        ops_total: p.ops_total,
        percent: if in_flight { p.percent } else { None },
        preflight: assess::check_counts(c),
        reason: attention_reason(c, a),
        can_move_to,
        behind_global: behind,
    }
}

/// Global's current version, if a cvsh named `global` is in the list.
pub fn global_version(items: &[Cvsh]) -> Option<String> {
    items
        .iter()
        .find(|c| c.name == GLOBAL)
        .and_then(|c| c.current_version().map(str::to_string))
}

/// Rows sorted global first, then by name.
pub fn fleet_rows(items: &[Cvsh], now: Timestamp) -> Vec<FleetRow> {
    let gv = global_version(items);
    let mut rows: Vec<FleetRow> = items
        .iter()
        .map(|c| row_for(c, now, gv.as_deref()))
        .collect();
    rows.sort_by(|a, b| {
        b.global
            .cmp(&a.global)
            .then_with(|| a.cluster.cmp(&b.cluster))
    });
    rows
}

fn preflight_cell(r: &FleetRow) -> (String, Tone) {
    let n = r.preflight;
    if !r.assessment.in_flight() {
        return ("-".into(), Tone::Plain);
    }
    if n.total == 0 {
        return ("no result".into(), Tone::Plain);
    }
    let mut parts = Vec::new();
    if n.failed > 0 {
        parts.push(format!("{} failed", n.failed));
    }
    if n.retry > 0 {
        parts.push(format!("{} retry", n.retry));
    }
    if parts.is_empty() {
        return if n.passed == n.total {
            ("passed".into(), Tone::Plain)
        } else {
            (format!("{}/{} passed", n.passed, n.total), Tone::Plain)
        };
    }
    let tone = if n.blocking > 0 {
        Tone::Bad
    } else {
        Tone::Warn
    };
    (parts.join(", "), tone)
}

fn tone_of(a: Assessment) -> Tone {
    match a {
        Assessment::Stalled | Assessment::BlockedByPreflight => Tone::Bad,
        Assessment::ProgressingSlow => Tone::Warn,
        Assessment::Completed => Tone::Good,
        _ => Tone::Plain,
    }
}

fn names(list: &[&str]) -> String {
    let shown = list
        .iter()
        .take(NAMES_PER_GROUP)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > NAMES_PER_GROUP {
        format!("{shown}, +{} more", list.len() - NAMES_PER_GROUP)
    } else {
        shown
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// (current version, version it can move to).
type GroupKey = (String, Option<String>);
/// Groups of workload clusters behind global: (current, can move to) → names.
type BehindGroups<'a> = BTreeMap<GroupKey, Vec<&'a str>>;

fn behind_groups(rows: &[FleetRow]) -> BehindGroups<'_> {
    let mut g: BehindGroups = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.behind_global && !r.assessment.in_flight())
    {
        g.entry((r.current.clone().unwrap_or_default(), r.can_move_to.clone()))
            .or_default()
            .push(&r.cluster);
    }
    g
}

fn sorted_groups<'a>(g: &'a BehindGroups<'a>) -> Vec<(&'a GroupKey, &'a Vec<&'a str>)> {
    let mut v: Vec<_> = g.iter().collect();
    v.sort_by(|(ka, a), (kb, b)| {
        b.len()
            .cmp(&a.len())
            .then_with(|| version::cmp_versions(&kb.0, &ka.0))
    });
    v
}

fn ahead_of_global<'a>(items: &'a [Cvsh], gv: &str) -> Vec<(&'a str, String)> {
    items
        .iter()
        .filter(|c| c.name != GLOBAL)
        .filter_map(|c| {
            let cur = c.current_version();
            if let Some(cur) = cur
                && version::newer_than(cur, gv) == Some(true)
            {
                return Some((
                    c.name.as_str(),
                    format!("is at {} (ahead of global)", one_line(cur)),
                ));
            }
            let t = assess::pending_target(c)?.version?;
            (version::newer_than(&t, gv) == Some(true)).then(|| {
                (
                    c.name.as_str(),
                    format!("targets {} (ahead of global)", one_line(&t)),
                )
            })
        })
        .collect()
}

fn sequencing_text(rows: &[FleetRow], items: &[Cvsh], color: bool) -> String {
    let mut out = String::new();
    // counts by assessment
    let mut counts: BTreeMap<usize, (Assessment, usize)> = BTreeMap::new();
    for r in rows {
        let order = ORDER.iter().position(|a| *a == r.assessment).unwrap_or(0);
        counts.entry(order).or_insert((r.assessment, 0)).1 += 1;
    }
    let summary: Vec<String> = counts
        .values()
        .map(|(a, n)| tone_of(*a).paint(&format!("{n} {}", a.label().to_lowercase()), color))
        .collect();
    out.push_str(&format!(
        "{}: {}.\n",
        plural(rows.len(), "cluster", "clusters"),
        summary.join(", ")
    ));

    let global = rows.iter().find(|r| r.global);
    let gv = global_version(items);
    let workload = rows.iter().filter(|r| !r.global).count();
    match (global, gv.as_deref()) {
        (None, _) => out.push_str(
            "No ClusterVersionShadow named global: the sequencing of workload clusters cannot be judged.\n",
        ),
        (Some(g), None) => out.push_str(&format!(
            "Global reports no current version ({}): the sequencing of workload clusters cannot be judged.\n",
            g.assessment_label
        )),
        (Some(g), Some(gv)) => {
            let mut head = format!("Global is at {}", one_line(gv));
            if g.assessment.in_flight() {
                head.push_str(&format!(
                    ", {} to {}",
                    g.assessment_label.to_lowercase(),
                    g.target.as_deref().unwrap_or("<unknown>")
                ));
                head.push_str("; workload clusters can move up to its current version meanwhile");
            }
            head.push_str(".\n");
            out.push_str(&head);
            let at_global = rows
                .iter()
                .filter(|r| !r.global)
                .filter(|r| {
                    r.current
                        .as_deref()
                        .is_some_and(|c| version::same_version(c, gv))
                })
                .count();
            out.push_str(&format!(
                "  At global's version: {} of {workload}\n",
                at_global
            ));
            let groups = behind_groups(rows);
            let behind_total: usize = groups.values().map(Vec::len).sum();
            if behind_total > 0 {
                out.push_str(&format!(
                    "  Behind global, not upgrading: {}\n",
                    behind_total
                ));
                let mut t = TableBuilder::new(&["current", "can move to", "clusters", ""], false)
                    .right(2);
                for ((cur, to), list) in sorted_groups(&groups) {
                    let to = match to {
                        Some(v) => v.clone(),
                        None => format!("{gv} (not offered yet)"),
                    };
                    t.row(&[cur.clone(), to, list.len().to_string(), names(list)]);
                }
                for line in t.render().lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
            for (name, what) in ahead_of_global(items, gv) {
                out.push_str(&Tone::Warn.paint(
                    &format!("  {name} {what}: a workload cluster may only move to a version global has reached.\n"),
                    color,
                ));
            }
        }
    }
    // upgrading, grouped by target
    let mut upgrading: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.assessment.in_flight() && !r.assessment.needs_attention())
    {
        upgrading
            .entry(r.target.clone().unwrap_or_else(|| "<unknown>".into()))
            .or_default()
            .push(&r.cluster);
    }
    if !upgrading.is_empty() {
        let n: usize = upgrading.values().map(Vec::len).sum();
        out.push_str(&format!("  Upgrading: {n}\n"));
        let mut groups: Vec<_> = upgrading.iter().collect();
        groups.sort_by(|a, b| version::cmp_versions(b.0, a.0));
        for (t, list) in groups {
            out.push_str(&format!("    → {t}: {} ({})\n", list.len(), names(list)));
        }
    }
    let blocked: Vec<&FleetRow> = rows
        .iter()
        .filter(|r| r.assessment.needs_attention())
        .collect();
    if !blocked.is_empty() {
        out.push_str(&Tone::Bad.paint(&format!("  Blocked: {}\n", blocked.len()), color));
        let mut t = TableBuilder::new(&["cluster", "assessment", "reason"], color);
        for r in blocked.iter().take(MAX_BLOCKED_LINES) {
            t.toned_row(vec![
                (r.cluster.clone(), Tone::Plain),
                (r.assessment_label.to_string(), tone_of(r.assessment)),
                (r.reason.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
            ]);
        }
        for line in t.render().lines() {
            out.push_str(&format!("    {line}\n"));
        }
        if blocked.len() > MAX_BLOCKED_LINES {
            out.push_str(&format!(
                "    … and {} more (all are in the table above; ac adm upgrade status --cluster NAME for one)\n",
                blocked.len() - MAX_BLOCKED_LINES
            ));
        }
    }
    out
}

const ORDER: [Assessment; 8] = [
    Assessment::Stalled,
    Assessment::BlockedByPreflight,
    Assessment::ProgressingSlow,
    Assessment::Progressing,
    Assessment::PreflightRunning,
    Assessment::Requested,
    Assessment::Completed,
    Assessment::Idle,
];

/// The fleet screen: the table (every cluster, global first), then the sequencing picture.
pub fn render_fleet(items: &[Cvsh], now: Timestamp, color: bool) -> String {
    if items.is_empty() {
        return "No clusters: there is no ClusterVersionShadow in cpaas-system on the global cluster.\n"
            .into();
    }
    let rows = fleet_rows(items, now);
    let mut t = TableBuilder::new(
        &[
            "cluster",
            "current",
            "target",
            "assessment",
            "progress",
            "preflight",
        ],
        color,
    )
    .right(4);
    for r in &rows {
        let mut a = r.assessment_label.to_string();
        if r.stale {
            a.push_str(" (stale)");
        }
        let (pf, pf_tone) = preflight_cell(r);
        t.toned_row(vec![
            (one_line(&r.cluster), Tone::Plain),
            (r.current.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
            (r.target.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
            (a, tone_of(r.assessment)),
            (
                r.percent
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (pf, pf_tone),
        ]);
    }
    let mut out = t.render();
    out.push('\n');
    out.push_str(&sequencing_text(&rows, items, color));
    out
}

/// The `-o json` object of the fleet view; schema in `docs/status.md`.
pub fn fleet_json(items: &[Cvsh], now: Timestamp) -> Value {
    let rows = fleet_rows(items, now);
    let gv = global_version(items);
    let mut counts = serde_json::Map::new();
    for a in ORDER {
        counts.insert(a.key().into(), json!(0));
    }
    for r in &rows {
        if let Some(Value::Number(n)) = counts.get(r.assessment.key()) {
            let n = n.as_u64().unwrap_or(0) + 1;
            counts.insert(r.assessment.key().into(), json!(n));
        }
    }
    let behind: Vec<Value> = rows
        .iter()
        .filter(|r| r.behind_global && !r.assessment.in_flight())
        .map(|r| {
            json!({
                "cluster": r.cluster,
                "current": r.current,
                "canMoveTo": r.can_move_to,
                "offered": r.can_move_to.is_some(),
            })
        })
        .collect();
    let upgrading: Vec<Value> = rows
        .iter()
        .filter(|r| r.assessment.in_flight() && !r.assessment.needs_attention())
        .map(|r| json!({"cluster": r.cluster, "target": r.target, "assessment": r.assessment, "percent": r.percent}))
        .collect();
    let blocked: Vec<Value> = rows
        .iter()
        .filter(|r| r.assessment.needs_attention())
        .map(|r| json!({"cluster": r.cluster, "assessment": r.assessment, "reason": r.reason}))
        .collect();
    let ahead: Vec<Value> = match gv.as_deref() {
        Some(g) => ahead_of_global(items, g)
            .into_iter()
            .map(|(c, what)| json!({"cluster": c, "detail": what}))
            .collect(),
        None => Vec::new(),
    };
    json!({
        "schema": FLEET_SCHEMA,
        "time": now.to_string(),
        "total": rows.len(),
        "globalVersion": gv,
        "counts": counts,
        "clusters": rows,
        "sequencing": {
            "globalVersion": gv,
            "behind": behind,
            "upgrading": upgrading,
            "blocked": blocked,
            "aheadOfGlobal": ahead,
        },
    })
}

/// Helper for callers holding a `List` object: the items as lenient views.
pub fn items_from_list(list: &Value) -> Vec<Cvsh> {
    crate::domain::cvsh::arr_at(list, "items")
        .iter()
        .map(Cvsh::from_value)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn global_first_then_by_name() {
        let items: Vec<Cvsh> = ["b", "global", "a"]
            .iter()
            .map(|n| Cvsh::from_value(&json!({"metadata": {"name": n}})))
            .collect();
        let names: Vec<String> = fleet_rows(&items, now())
            .into_iter()
            .map(|r| r.cluster)
            .collect();
        assert_eq!(names, ["global", "a", "b"]);
    }

    #[test]
    fn preflight_cells() {
        let c = Cvsh::from_value(&json!({"metadata": {"name": "w"},
            "spec": {"desiredUpdate": {"version": "4.3.0"}},
            "status": {"current": {"version": "4.2.0"}, "preflight": {"checks": [
                {"name": "a", "state": "Failed"}, {"name": "b", "state": "Retry"}]}}}));
        let r = &fleet_rows(&[c], now())[0];
        assert_eq!(preflight_cell(r).0, "1 failed, 1 retry");
        assert_eq!(r.reason.as_deref(), Some("preflight check a failed"));
    }

    #[test]
    fn empty_list_is_a_sentence() {
        assert!(render_fleet(&[], now(), false).starts_with("No clusters"));
        assert_eq!(fleet_json(&[], now())["total"], 0);
    }
}
