//! `ac adm upgrade` (no request flags): where a cluster stands and what it can move to.

use jiff::Timestamp;
use owo_colors::OwoColorize;
use serde_json::{Value, json};

use crate::domain::cvsh::{Cvsh, Release};
use crate::domain::{assess, plan, version};
use crate::error::one_line;
use crate::render::table::{TableBuilder, Tone, truncate};

/// Everything the summary shows, gathered by the command.
pub struct SummaryView<'a> {
    pub cluster: &'a str,
    pub is_global: bool,
    pub cvsh: &'a Cvsh,
    pub raw: &'a Value,
    /// `status.current.version` of global (workload clusters only).
    pub global_version: Option<&'a str>,
    /// "the context X points at cluster Y" when Y differs from the cluster shown.
    pub context_note: Option<String>,
    pub now: Timestamp,
    pub color: bool,
}

/// Next steps, as (explanation, command) pairs; the command may be empty.
pub fn next_steps(v: &SummaryView) -> Vec<(String, String)> {
    let c = v.cvsh;
    let cl = v.cluster;
    let mut out = Vec::new();
    if let Some(busy) = plan::in_progress_towards(c).or_else(|| pending_request(c)) {
        out.push((
            format!(
                "An upgrade to {} is requested or running; follow it",
                busy.label()
            ),
            format!("ac adm upgrade status --cluster={cl} --watch"),
        ));
        return out;
    }
    let offered = version::sort_updates(&c.available_updates);
    if offered.is_empty() {
        if v.is_global {
            out.push((
                "No updates are offered. Publish the release metadata of the version you want"
                    .into(),
                "ac adm release import-manifest --version <version>".into(),
            ));
        } else {
            match (v.global_version, c.current_version()) {
                (Some(g), Some(cur)) if version::newer_than(g, cur) == Some(true) => out.push((
                    format!("Cluster {cl} is at {cur}, behind global at {g}, but nothing is offered yet; check again shortly"),
                    format!("ac adm upgrade --cluster={cl}"),
                )),
                _ => out.push((
                    "No updates are offered. Workload clusters are offered versions the global cluster has reached: upgrade global first".into(),
                    "ac adm upgrade --cluster=global".into(),
                )),
            }
        }
        return out;
    }
    if v.is_global {
        if let Some(l) = version::latest(&c.available_updates).and_then(|r| r.version) {
            out.push((
                format!("Update to the latest version, {l}"),
                format!("ac adm upgrade --cluster={cl} --to-latest"),
            ));
        } else if let Some(img) = offered.first().and_then(|r| r.image.clone()) {
            out.push((
                "Update to the offered release image".into(),
                format!("ac adm upgrade --cluster={cl} --to-image={img}"),
            ));
        }
        return out;
    }
    let g = v.global_version;
    let allowed = g.and_then(|g| version::highest_up_to(&c.available_updates, g));
    match (allowed.as_deref(), g) {
        (Some(a), Some(g)) => out.push((
            format!("Global is at {g}; cluster {cl} can move to {a}"),
            format!("ac adm upgrade --cluster={cl} --to={a}"),
        )),
        (None, Some(g)) => out.push((
            format!("Every offered version is newer than global's {g}: upgrade global first"),
            "ac adm upgrade --cluster=global".into(),
        )),
        (_, None) => out.push((
            "The global cluster reports no current version; check it before moving this cluster"
                .into(),
            "ac adm upgrade --cluster=global".into(),
        )),
    }
    out
}

fn pending_request(c: &Cvsh) -> Option<Release> {
    let r = c.requested()?;
    match &c.current {
        Some(cur) if cur.same_as(&r) => None,
        _ => Some(r),
    }
}

pub fn render(v: &SummaryView) -> String {
    let c = v.cvsh;
    let mut s = String::new();
    let label = |t: &str| format!("{:<11}", format!("{t}:"));
    if let Some(note) = &v.context_note {
        s.push_str(&format!("Note: {note}.\n"));
    }
    s.push_str(&format!("{}{}\n", label("Cluster"), v.cluster));
    let current = c
        .current
        .as_ref()
        .map(Release::label)
        .unwrap_or_else(|| "<unknown>".into());
    s.push_str(&format!("{}{}\n", label("Current"), current));
    if let Some(img) = c
        .current
        .as_ref()
        .and_then(|r| r.image.as_deref())
        .filter(|_| c.current.as_ref().is_some_and(|r| r.version.is_some()))
    {
        s.push_str(&format!("{}{}\n", label("Image"), img));
    }
    if let Some(r) = pending_request(c) {
        let force = if c
            .desired_update
            .as_ref()
            .and_then(|d| d.force)
            .unwrap_or(false)
        {
            " (force)"
        } else {
            ""
        };
        s.push_str(&format!("{}{}{}\n", label("Requested"), r.label(), force));
    }
    if let Some(d) = &c.desired
        && c.current.as_ref().is_none_or(|cur| !cur.same_as(d))
        && c.requested().is_none_or(|r| !r.same_as(d))
    {
        s.push_str(&format!(
            "{}{} (status.desired)\n",
            label("Desired"),
            d.label()
        ));
    }
    if !v.is_global
        && let Some(g) = v.global_version
    {
        s.push_str(&format!("{}{}\n", label("Global"), g));
    }
    if c.is_stale() {
        let msg = format!(
            "Status is stale: the controller has not observed generation {} yet (observed {}); what follows may be out of date.",
            c.generation.unwrap_or_default(),
            c.observed_generation
                .map(|o| o.to_string())
                .unwrap_or_else(|| "none".into())
        );
        s.push_str(&format!(
            "\n{}\n",
            if v.color {
                msg.yellow().to_string()
            } else {
                msg
            }
        ));
    }

    s.push_str("\nConditions:\n");
    if c.conditions.is_empty() {
        s.push_str("  none reported yet\n");
    } else {
        let mut t = TableBuilder::new(&["TYPE", "STATUS", "SINCE", "REASON", "MESSAGE"], v.color);
        for k in &c.conditions {
            let tone = if matches!(k.type_.as_str(), "Stalled" | "Degraded") && k.is_true() {
                Tone::Bad
            } else if k.type_ == "Ready" && k.is_true() {
                Tone::Good
            } else {
                Tone::Plain
            };
            let since = k
                .last_transition_time
                .as_deref()
                .and_then(|t| assess::ago(t, v.now))
                .unwrap_or_else(|| "-".into());
            t.toned_row(vec![
                (k.type_.clone(), Tone::Plain),
                (k.status.clone(), tone),
                (since, Tone::Plain),
                (k.reason.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
                (
                    k.message
                        .as_deref()
                        .map(|m| truncate(&one_line(m), 100))
                        .unwrap_or_else(|| "-".into()),
                    Tone::Plain,
                ),
            ]);
        }
        s.push_str(&super::indent(&t.render(), 2));
    }

    let offered = version::sort_updates(&c.available_updates);
    if offered.is_empty() {
        s.push_str("\nAvailable updates: none offered\n");
    } else {
        s.push_str(&format!(
            "\nAvailable updates ({}), highest first:\n",
            offered.len()
        ));
        let notes: Vec<String> = offered
            .iter()
            .map(
                |r| match (v.is_global, v.global_version, r.version.as_deref()) {
                    (false, Some(g), Some(x)) if version::newer_than(x, g) == Some(true) => {
                        format!("needs global at {x} first")
                    }
                    _ => String::new(),
                },
            )
            .collect();
        let with_notes = notes.iter().any(|n| !n.is_empty());
        let header: &[&str] = if with_notes {
            &["VERSION", "IMAGE", "NOTE"]
        } else {
            &["VERSION", "IMAGE"]
        };
        let mut t = TableBuilder::new(header, v.color);
        for (r, note) in offered.iter().zip(notes) {
            let mut row = vec![
                r.version.clone().unwrap_or_else(|| "-".into()),
                r.image.clone().unwrap_or_else(|| "-".into()),
            ];
            if with_notes {
                row.push(note);
            }
            t.row(&row);
        }
        s.push_str(&super::indent(&t.render(), 2));
    }

    let steps = next_steps(v);
    if !steps.is_empty() {
        s.push('\n');
        for (why, cmd) in steps {
            if cmd.is_empty() {
                s.push_str(&format!("{why}.\n"));
            } else {
                let cmd = if v.color { cmd.bold().to_string() } else { cmd };
                s.push_str(&format!("{why}:\n  {cmd}\n"));
            }
        }
    }
    s
}

/// The stable `-o json|yaml` object of the summary (docs/output.md).
pub fn to_json(v: &SummaryView) -> Value {
    let c = v.cvsh;
    json!({
        "schema": "ac.alauda.io/upgrade-summary/v1",
        "cluster": v.cluster,
        "isGlobal": v.is_global,
        "current": c.current,
        "requested": c.desired_update,
        "desired": c.desired,
        "stale": c.is_stale(),
        "generation": c.generation,
        "observedGeneration": c.observed_generation,
        "conditions": c.conditions,
        "availableUpdates": version::sort_updates(&c.available_updates),
        "globalVersion": v.global_version,
        "nextSteps": next_steps(v).into_iter().map(|(why, cmd)| json!({"message": why, "command": cmd})).collect::<Vec<_>>(),
        "object": v.raw,
    })
}
