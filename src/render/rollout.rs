//! `ac adm upgrade rollout` as text, from the rollout's report (and, live, its state): the plan
//! (`--dry-run`), the live table on a terminal, one line per change off a terminal, the final
//! summary, the Markdown of `--report`, and `precheck --all-clusters`' table.

use jiff::Timestamp;

use crate::domain::report::rollout::{ClusterRow, RolloutReport, Wave};
use crate::domain::rollout::Role;
use crate::domain::rollout::scheduler::{Outcome, Rollout, Slot, State};
use crate::output::text::{clip, human_duration, one_line, plural, truncate, versions_arrow};
use crate::render::style::Tone;
use crate::render::summary::suggestions;
use crate::render::table::TableBuilder;
use crate::render::text::{dash, indent};

/// Names spelled out in a sentence before "+N more".
const NAMES: usize = 8;
/// Rows of the live table besides the tier and what runs.
const LIVE_ROWS: usize = 12;

fn names<'a>(rows: impl Iterator<Item = &'a str>) -> String {
    super::text::name_list(rows, NAMES)
}

fn tone(state: &str) -> Tone {
    match state {
        "failed" | "blocked" => Tone::Bad,
        "not offered" | "ahead" | "not offered yet" => Tone::Warn,
        "done" | "completed" => Tone::Good,
        _ => Tone::Plain,
    }
}

fn limits_line(r: &RolloutReport) -> String {
    let l = &r.limits;
    format!(
        "canary {}{}, then {} at a time; {}; {}",
        l.canary,
        if l.soak_seconds > 0 {
            format!(" soaking {}", human_duration(l.soak_seconds))
        } else {
            String::new()
        },
        l.window,
        match l.max_failures {
            0 => "no failure tolerated".to_string(),
            n => format!("{} tolerated", plural(n, "failure", "failures")),
        },
        match l.cluster_timeout_seconds {
            Some(s) => format!("a cluster may take {}", human_duration(s)),
            None => "no per-cluster timeout".into(),
        }
    )
}

/// Rows as a table: cluster, from → to, state, and the reason or remedy.
fn table(rows: &[&ClusterRow], color: bool, with_remedy: bool) -> String {
    let mut header = vec!["CLUSTER", "FROM → TO", "STATE", "REASON"];
    if with_remedy {
        header.push("REMEDY");
    }
    let mut t = TableBuilder::new(&header, color);
    for row in rows {
        let mut cells = vec![
            (one_line(&row.cluster), Tone::Plain),
            (
                versions_arrow(row.from.as_deref(), Some(&row.to)),
                Tone::Plain,
            ),
            (
                if row.canary {
                    format!("{} (canary)", row.state)
                } else {
                    row.state.to_string()
                },
                tone(row.state),
            ),
            (dash(row.reason.as_deref()), Tone::Plain),
        ];
        if with_remedy {
            cells.push((dash(row.remedy.as_deref()), Tone::Plain));
        }
        t.toned_row(cells);
    }
    indent(&t.render(), 2)
}

/// `--dry-run`: the waves, in order, and what will not be requested.
pub fn plan(r: &RolloutReport, color: bool) -> String {
    let selected: usize = r.counts.values().sum();
    let mut out = format!(
        "Rollout plan to {}: {} selected; {}.\n",
        r.target,
        plural(selected, "cluster", "clusters"),
        limits_line(r)
    );
    let wave =
        |w: Wave| -> Vec<&ClusterRow> { r.clusters.iter().filter(|c| c.wave == w).collect() };
    let tier = wave(Wave::Tier);
    let mut n = 0;
    if !tier.is_empty() {
        n += 1;
        out.push_str(&format!(
            "\n{n}. The global tier, one at a time (the standby first under DR):\n"
        ));
        out.push_str(&table(&tier, color, false));
    }
    let canary = wave(Wave::Canary);
    if !canary.is_empty() {
        n += 1;
        out.push_str(&format!(
            "\n{n}. The canary: {} must complete{} before any other workload cluster starts:\n",
            plural(canary.len(), "cluster", "clusters"),
            if r.limits.soak_seconds > 0 {
                format!(
                    " and stay healthy for {}",
                    human_duration(r.limits.soak_seconds)
                )
            } else {
                String::new()
            }
        ));
        out.push_str(&table(&canary, color, false));
    }
    let window = wave(Wave::Window);
    if !window.is_empty() {
        n += 1;
        out.push_str(&format!(
            "\n{n}. {}, {} at a time (the next as soon as one completes): {}\n",
            if n > 1 {
                format!(
                    "Then {}",
                    plural(window.len(), "workload cluster", "workload clusters")
                )
            } else {
                "The workload clusters".to_string()
            },
            r.limits.window,
            names(window.iter().map(|c| c.cluster.as_str()))
        ));
        let proven = r
            .clusters
            .iter()
            .filter(|c| c.role == Role::Workload && matches!(c.state, "done" | "completed"))
            .count();
        if canary.is_empty() && r.limits.canary > 0 && proven > 0 {
            out.push_str(&format!(
                "   No canary: {} already at {} {} it.\n",
                plural(proven, "workload cluster", "workload clusters"),
                r.target,
                if proven == 1 { "proves" } else { "prove" }
            ));
        }
    }
    let done = r.count("done");
    if done > 0 {
        out.push_str(&format!(
            "\nAlready at {}: {} ({}).\n",
            r.target,
            plural(done, "cluster", "clusters"),
            names(r.of("done").map(|c| c.cluster.as_str()))
        ));
    }
    let stuck: Vec<&ClusterRow> = r
        .clusters
        .iter()
        .filter(|c| matches!(c.state, "blocked" | "not offered" | "ahead"))
        .collect();
    if !stuck.is_empty() {
        out.push_str(&format!(
            "\n{} not requested:\n",
            Tone::Bad.paint(&plural(stuck.len(), "cluster is", "clusters are"), color)
        ));
        out.push_str(&table(&stuck, color, true));
    }
    out.push_str("\nNothing was written (--dry-run).\n");
    if !r.next_steps.is_empty() {
        out.push('\n');
        out.push_str(&suggestions(&r.next_steps, color));
    }
    out
}

/// One line per state change (off a terminal): time, cluster, change, and the detail.
pub fn change_line(slot: &Slot, from: &str, to: &str, target: &str, at: Timestamp) -> String {
    let detail = match &slot.state {
        State::Failed { reason } => format!(": {}", truncate(reason, 160)),
        State::Blocked { blocker } => {
            format!(": {}: {}", blocker.check, truncate(&blocker.detail, 160))
        }
        State::Requested => format!(
            " ({})",
            truncate(&versions_arrow(slot.from.as_deref(), Some(target)), 80)
        ),
        State::Completed => format!(" (at {})", truncate(target, 40)),
        _ => String::new(),
    };
    format!("{at}  {}  {from} → {to}{detail}\n", one_line(&slot.cluster))
}

/// The live table (a terminal): the counts, then the tier, what runs, what failed or is
/// blocked, and what ended last — at most a screenful.
pub fn live(rollout: &Rollout, elapsed_seconds: i64, columns: usize) -> String {
    let selected = rollout.slots.iter().filter(|s| s.selected);
    let at = selected.clone().filter(|s| s.state.at_target()).count();
    let total = selected.clone().count();
    let count = |label: &str| {
        selected
            .clone()
            .filter(|s| s.state.label() == label)
            .count()
    };
    let mut out = format!(
        "Rollout to {} — {} — {at}/{total} at {}, {} running, {} failed, {} blocked\n",
        rollout.target,
        human_duration(elapsed_seconds),
        rollout.target,
        count("running") + count("requested") + count("in flight"),
        count("failed"),
        count("blocked"),
    );
    if let Some(why) = &rollout.stopping {
        out.push_str(&if rollout.outcome == Some(Outcome::Interrupted) {
            format!("Stopped: {why}; running clusters go on server-side.\n")
        } else {
            format!("Stopping: {why}; running clusters are followed to the end.\n")
        });
    }
    let mut rows: Vec<&Slot> = rollout
        .slots
        .iter()
        .filter(|s| s.role != Role::Workload || s.state.active())
        .collect();
    let mut rest: Vec<&Slot> = rollout
        .slots
        .iter()
        .filter(|s| s.selected && s.role == Role::Workload && !s.state.active())
        .filter(|s| {
            matches!(s.state, State::Failed { .. } | State::Blocked { .. }) || s.ended_at.is_some()
        })
        .collect();
    rest.sort_by_key(|b| std::cmp::Reverse(b.ended_at));
    rows.extend(rest.into_iter().take(LIVE_ROWS));
    let mut t = TableBuilder::new(
        &[
            "CLUSTER",
            "FROM → TO",
            "STATE",
            "PROGRESS",
            "ELAPSED",
            "ETA",
            "REASON",
        ],
        false,
    );
    for s in rows {
        let elapsed = s
            .requested_at
            .map(|at| s.ended_at.unwrap_or(rollout.now).as_second() - at.as_second())
            .or(s.seen.elapsed_seconds.filter(|_| s.state.active()));
        let reason = match &s.state {
            State::Failed { reason } => reason.clone(),
            State::Blocked { blocker } => format!("{}: {}", blocker.check, blocker.detail),
            _ => s.seen.trouble.clone().unwrap_or_default(),
        };
        t.row(&[
            one_line(&s.cluster),
            versions_arrow(s.from.as_deref(), Some(&rollout.target)),
            if s.canary {
                format!("{} (canary)", s.state.label())
            } else {
                s.state.label().to_string()
            },
            s.seen
                .percent
                .filter(|_| s.state.active())
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "-".into()),
            elapsed.map(human_duration).unwrap_or_else(|| "-".into()),
            s.seen
                .eta_seconds
                .filter(|_| s.state.active())
                .map(human_duration)
                .unwrap_or_else(|| "-".into()),
            if reason.is_empty() {
                "-".into()
            } else {
                reason
            },
        ]);
    }
    out.push_str(&t.render());
    let waiting: Vec<&str> = rollout
        .slots
        .iter()
        .filter(|s| s.selected && matches!(s.state, State::Ready | State::NotOfferedYet))
        .map(|s| s.cluster.as_str())
        .collect();
    if !waiting.is_empty() {
        out.push_str(&format!(
            "Up next ({}): {}\n",
            waiting.len(),
            names(waiting.iter().copied())
        ));
    }
    // Never wider than the terminal: a wrapped line would break the redraw.
    out.lines()
        .map(|l| format!("{}\n", clip(l, columns)))
        .collect()
}

/// How it ended, in one sentence.
fn ending(r: &RolloutReport) -> String {
    let took = r
        .duration_seconds
        .map(|s| format!(" in {}", human_duration(s)))
        .unwrap_or_default();
    let t = &r.target;
    if r.timed_out {
        return format!(
            "Rollout to {t}: --timeout passed{took}; running clusters go on server-side."
        );
    }
    match r.outcome {
        Some(Outcome::AllAtTarget) => {
            format!("Rollout to {t}: every selected cluster is at {t}{took}.")
        }
        Some(Outcome::Failed) => format!(
            "Rollout to {t} ended with {}{took}{}.",
            plural(r.failures, "failure", "failures"),
            r.stopped
                .as_ref()
                .map(|why| format!(" (stopped: {why})"))
                .unwrap_or_default()
        ),
        Some(Outcome::Incomplete) => format!(
            "Rollout to {t} ended{took} with clusters not moved (blocked, not offered, or waiting for the global tier); nothing failed."
        ),
        Some(Outcome::Interrupted) => format!(
            "Rollout to {t} interrupted{took}: no new cluster starts; running clusters go on server-side."
        ),
        None => format!("Rollout to {t}."),
    }
}

fn counts_line(r: &RolloutReport, ready: &str) -> String {
    let parts: Vec<String> = [
        "completed",
        "done",
        "running",
        "requested",
        "in flight",
        "failed",
        "blocked",
        "not offered",
        "not offered yet",
        "ahead",
        "ready",
    ]
    .iter()
    .filter_map(|state| {
        let n = r.count(state);
        (n > 0).then(|| match *state {
            "ready" => format!("{n} {ready}"),
            "done" => format!("{n} already at {}", r.target),
            other => format!("{n} {other}"),
        })
    })
    .collect();
    parts.join(", ")
}

/// The summary after a rollout: how it ended, the counts, what needs a person, what to do.
pub fn summary(r: &RolloutReport, color: bool) -> String {
    let tone = match r.outcome {
        Some(Outcome::AllAtTarget) => Tone::Good,
        Some(Outcome::Failed) => Tone::Bad,
        _ => Tone::Warn,
    };
    let mut out = format!(
        "{}\n{}.\n",
        tone.paint(&ending(r), color),
        counts_line(r, "not started")
    );
    let attention: Vec<&ClusterRow> = r
        .clusters
        .iter()
        .filter(|c| {
            matches!(
                c.state,
                "failed"
                    | "blocked"
                    | "not offered"
                    | "ahead"
                    | "running"
                    | "requested"
                    | "in flight"
            )
        })
        .collect();
    if !attention.is_empty() {
        out.push('\n');
        out.push_str(&table(
            &attention,
            color,
            attention.iter().any(|c| c.remedy.is_some()),
        ));
    }
    let left = r.count("ready") + r.count("not offered yet");
    if left > 0 {
        out.push_str(&format!(
            "\nNot started: {}.\n",
            names(
                r.clusters
                    .iter()
                    .filter(|c| c.state == "ready" || c.state == "not offered yet")
                    .map(|c| c.cluster.as_str())
            )
        ));
    }
    if !r.next_steps.is_empty() {
        out.push('\n');
        out.push_str(&suggestions(&r.next_steps, color));
    }
    out
}

/// `precheck --all-clusters`: every cluster's verdict for the target, in plan order.
pub fn prechecks(r: &RolloutReport, color: bool) -> String {
    let mut out = format!("Pre-checks of every cluster for {}:\n\n", r.target);
    let rows: Vec<&ClusterRow> = r.clusters.iter().collect();
    out.push_str(&table(
        &rows,
        color,
        rows.iter().any(|c| c.remedy.is_some()),
    ));
    out.push_str(&format!("\n{}.\n", counts_line(r, "ready")));
    let stuck = r.count("blocked") + r.count("not offered") + r.count("ahead");
    out.push_str(&if stuck > 0 {
        format!(
            "{}: {} cannot be moved to {} now; each row names its remedy.\n",
            Tone::Bad.paint("Blocked", color),
            plural(stuck, "cluster", "clusters"),
            r.target
        )
    } else {
        format!(
            "{}: the global tier first, then the workload clusters (\"not offered yet\" waits for the tier).\n",
            Tone::Good.paint("Nothing blocks", color)
        )
    });
    if !r.next_steps.is_empty() {
        out.push('\n');
        out.push_str(&suggestions(&r.next_steps, color));
    }
    out
}

/// Server text as literal Markdown: its markup characters escaped, HTML's angle brackets as
/// entities (a message cannot add a link, an image or a tag to the change ticket).
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `--report FILE`: the final report as Markdown, for a change ticket.
pub fn markdown(r: &RolloutReport) -> String {
    let cell = |text: &str| markdown_text(&one_line(text));
    let mut out = format!("# Rollout to {}\n\n{}\n\n", r.target, ending(r));
    out.push_str(&format!(
        "- Started: {}\n- Ended: {}\n- Settings: {}\n- Result: {}\n\n",
        r.started_at,
        r.ended_at.as_deref().unwrap_or("-"),
        limits_line(r),
        counts_line(r, "not started")
    ));
    out.push_str("## Clusters\n\n| cluster | role | from | to | state | requested | ended | took | reason |\n|---|---|---|---|---|---|---|---|---|\n");
    for c in &r.clusters {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {}{} | {} | {} | {} | {} |\n",
            cell(&c.cluster),
            match c.role {
                Role::Standby => "standby global",
                Role::Global => "global",
                Role::Workload => "workload",
            },
            cell(c.from.as_deref().unwrap_or("-")),
            c.to,
            c.state,
            if c.canary { " (canary)" } else { "" },
            c.requested_at.as_deref().unwrap_or("-"),
            c.ended_at.as_deref().unwrap_or("-"),
            c.elapsed_seconds
                .map(human_duration)
                .unwrap_or_else(|| "-".into()),
            cell(c.reason.as_deref().unwrap_or("-")),
        ));
    }
    let remedies: Vec<&ClusterRow> = r.clusters.iter().filter(|c| c.remedy.is_some()).collect();
    if !remedies.is_empty() {
        out.push_str("\n## Remedies\n\n");
        for c in remedies {
            out.push_str(&format!(
                "- **{}**: {}\n",
                cell(&c.cluster),
                cell(c.remedy.as_deref().unwrap_or_default())
            ));
        }
    }
    if !r.next_steps.is_empty() {
        out.push_str("\n## Next steps\n\n");
        for s in &r.next_steps {
            out.push_str(&format!("- {}: `{}`\n", s.message, s.command));
        }
    }
    out
}
