//! `ac adm upgrade status`: the text screen, the `-o json` object, and the watch line/frame.
//! Pure: everything comes from a [`StatusView`]; layout and schema in `docs/status.md`.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::domain::assess::{
    self, Assessment, CheckCounts, CheckState, Estimate, NextStep, PhaseClass, Progress,
};
use crate::domain::cvsh::{Condition, Cvsh, HistoryEntry, Release, Stage};
use crate::domain::version;
use crate::error::one_line;
use crate::render::table::{TableBuilder, Tone, clip, truncate, wrap, wrap_words};

/// Schema identifiers of the machine output.
pub const STATUS_SCHEMA: &str = "ac.alauda.io/upgrade-status/v1";
pub const WATCH_SCHEMA: &str = "ac.alauda.io/upgrade-watch-event/v1";

/// Prose wraps at this width; tables never wrap.
const TEXT_WIDTH: usize = 100;
/// Default caps (lifted by `--verbose`); failed and running rows are always shown.
const MAX_OPERATIONS: usize = 10;
const MAX_STAGES: usize = 12;
const MAX_RECENT_HISTORY: usize = 3;
const MESSAGE_WIDTH: usize = 80;

/// Everything the status screen needs. `raw` is the object as read (for `-o json|yaml`).
#[derive(Debug, Clone)]
pub struct StatusView<'a> {
    pub cvsh: &'a Cvsh,
    pub raw: &'a Value,
    pub now: Timestamp,
    pub verbose: bool,
    pub color: bool,
    /// Printed first, e.g. "Context prod/workload-a points at workload-a; showing cluster global".
    pub cluster_note: Option<String>,
    /// `status.current.version` of `cvsh/global`, when known (sequencing hints).
    pub global_version: Option<String>,
}

/// Facts derived once per render.
struct Facts<'a> {
    c: &'a Cvsh,
    a: Assessment,
    p: Progress,
    e: Estimate,
    counts: CheckCounts,
    target: Option<Release>,
    running: Option<&'a HistoryEntry>,
    steps: Vec<NextStep>,
}

fn facts<'a>(v: &StatusView<'a>) -> Facts<'a> {
    let c = v.cvsh;
    let a = assess::assess(c, v.now);
    let mut steps = assess::next_steps(c, a);
    if let Some(s) = assess::sequencing_step(c, v.global_version.as_deref()) {
        // A sequencing hint replaces the generic "request the latest" one.
        steps.retain(|x| x.kind != assess::NextStepKind::RequestUpdate);
        steps.push(s);
    }
    Facts {
        c,
        a,
        p: assess::progress(c),
        e: assess::estimate(c, v.now),
        counts: assess::check_counts(c),
        target: assess::target(c),
        running: assess::running_entry(c),
        steps,
    }
}

fn assessment_tone(a: Assessment) -> Tone {
    match a {
        Assessment::Stalled | Assessment::BlockedByPreflight => Tone::Bad,
        Assessment::ProgressingSlow => Tone::Warn,
        Assessment::Completed => Tone::Good,
        _ => Tone::Plain,
    }
}

fn cluster_label(c: &Cvsh) -> &str {
    if c.name.is_empty() {
        "<unnamed>"
    } else {
        &c.name
    }
}

/// `registry/acp/release@sha256:0123456789ab…` unless verbose.
fn short_image(s: &str, verbose: bool) -> String {
    let s = one_line(s);
    if verbose {
        return s;
    }
    if let Some(i) = s.find("@sha256:") {
        let head = &s[..i + "@sha256:".len()];
        let digest: String = s[head.len()..].chars().take(13).collect();
        if digest.chars().count() > 12 {
            let short: String = digest.chars().take(12).collect();
            return format!("{head}{short}…");
        }
    }
    truncate(&s, 72)
}

fn release_label(r: &Release, verbose: bool) -> String {
    match (&r.version, &r.image) {
        (Some(v), _) => one_line(v),
        (None, Some(i)) => short_image(i, verbose),
        (None, None) => "<unknown>".into(),
    }
}

fn opt_release(r: Option<&Release>, verbose: bool) -> String {
    r.map(|r| release_label(r, verbose))
        .unwrap_or_else(|| "<unknown>".into())
}

/// `2026-11-23T09:12:00Z (48m ago)`; unparseable text is shown as is (shortened).
fn when(ts: &str, now: Timestamp) -> String {
    match assess::ago(ts, now) {
        Some(a) => format!("{} ({a})", bare_time(ts)),
        None => truncate(ts, 40),
    }
}

fn bare_time(ts: &str) -> String {
    match assess::parse_time(ts) {
        Some(t) => Timestamp::from_second(t.as_second())
            .unwrap_or(t)
            .to_string(),
        None => truncate(ts, 40),
    }
}

fn dash(s: Option<&str>) -> String {
    match s {
        Some(x) if !x.trim().is_empty() => one_line(x),
        _ => "-".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Summary block

enum Row {
    /// Prose, wrapped under the value column and painted line by line.
    Text(String, String, Tone),
    /// Short items joined by two spaces, wrapped between items.
    Chips(String, Vec<(String, Tone)>),
}

/// The aligned `Key:  value` block at the top of the screen.
struct Block {
    rows: Vec<Row>,
}

impl Block {
    fn new() -> Block {
        Block { rows: Vec::new() }
    }
    fn add(&mut self, k: &str, v: impl Into<String>) {
        self.rows.push(Row::Text(k.into(), v.into(), Tone::Plain));
    }
    fn toned(&mut self, k: &str, v: impl Into<String>, tone: Tone) {
        self.rows.push(Row::Text(k.into(), v.into(), tone));
    }
    fn chips(&mut self, k: &str, chips: Vec<(String, Tone)>) {
        self.rows.push(Row::Chips(k.into(), chips));
    }
    fn render(&self, color: bool) -> String {
        let key_of = |r: &Row| match r {
            Row::Text(k, ..) | Row::Chips(k, _) => k.chars().count(),
        };
        let w = self.rows.iter().map(key_of).max().unwrap_or(0) + 3;
        let avail = TEXT_WIDTH.saturating_sub(w).max(30);
        let mut out = String::new();
        let mut emit = |k: &str, first: bool, body: String| {
            let key = if first && !k.is_empty() {
                format!("{k}:")
            } else {
                String::new()
            };
            out.push_str(format!("{key:w$}{body}").trim_end());
            out.push('\n');
        };
        for r in &self.rows {
            match r {
                Row::Text(k, text, tone) => {
                    for (i, l) in wrap_words(text, avail).into_iter().enumerate() {
                        emit(k, i == 0, tone.paint(&l, color));
                    }
                }
                Row::Chips(k, chips) => {
                    let mut line = String::new();
                    let mut len = 0;
                    let mut first = true;
                    for (c, tone) in chips {
                        let cl = c.chars().count();
                        if len > 0 && len + 2 + cl > avail {
                            emit(k, first, std::mem::take(&mut line));
                            first = false;
                            len = 0;
                        }
                        if len > 0 {
                            line.push_str("  ");
                            len += 2;
                        }
                        line.push_str(&tone.paint(c, color));
                        len += cl;
                    }
                    emit(k, first, line);
                }
            }
        }
        out
    }
}

const CONDITION_ORDER: &[&str] = &[
    "Ready",
    "Reconciling",
    "Degraded",
    "Stalled",
    "PreflightReady",
];

/// Conditions in display order: the known five first, then the others as the server lists them.
fn ordered_conditions(c: &Cvsh) -> Vec<&Condition> {
    let mut out: Vec<&Condition> = CONDITION_ORDER
        .iter()
        .filter_map(|t| c.condition(t))
        .collect();
    for k in &c.conditions {
        if !CONDITION_ORDER.contains(&k.type_.as_str()) {
            out.push(k);
        }
    }
    out
}

fn condition_tone(k: &Condition) -> Tone {
    match (k.type_.as_str(), k.is_true()) {
        ("Degraded" | "Stalled", true) => Tone::Bad,
        ("Ready" | "PreflightReady", true) => Tone::Good,
        _ => Tone::Plain,
    }
}

fn condition_chips(c: &Cvsh) -> Vec<(String, Tone)> {
    let chips: Vec<(String, Tone)> = ordered_conditions(c)
        .iter()
        .map(|k| {
            (
                format!("{}={}", one_line(&k.type_), one_line(&k.status)),
                condition_tone(k),
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
fn condition_details(c: &Cvsh) -> Vec<(String, Tone)> {
    let mut out = Vec::new();
    for k in ordered_conditions(c) {
        let bad = matches!(k.type_.as_str(), "Stalled" | "Degraded") && k.is_true();
        let other_false = !CONDITION_ORDER.contains(&k.type_.as_str())
            && k.status.eq_ignore_ascii_case("false")
            && k.message.as_deref().is_some_and(|m| !m.trim().is_empty());
        if !(bad || other_false) {
            continue;
        }
        let mut s = format!("{}:", one_line(&k.type_));
        if let Some(r) = &k.reason {
            s.push_str(&format!(" {}", one_line(r)));
        }
        if let Some(m) = k.message.as_deref().filter(|m| !m.trim().is_empty()) {
            s.push_str(&format!(" – {}", truncate(m, 400)));
        }
        out.push((s, if bad { Tone::Bad } else { Tone::Plain }));
    }
    out
}

/// The one-line preflight verdict; `with_time` adds when it was observed.
fn preflight_summary(f: &Facts, v: &StatusView, with_time: bool) -> (String, Tone) {
    let n = f.counts;
    let observed =
        f.c.preflight
            .as_ref()
            .and_then(|p| p.observed_at.as_deref())
            .filter(|_| with_time)
            .map(|t| format!("; observed {}", when(t, v.now)));
    if n.total == 0 {
        return (
            format!("no result yet{}", observed.unwrap_or_default()),
            Tone::Warn,
        );
    }
    let observed = observed.unwrap_or_default();
    if n.passed == n.total {
        return (
            if n.total == 1 {
                format!("passed, 1 check{observed}")
            } else {
                format!("passed, all {} checks{observed}", n.total)
            },
            Tone::Good,
        );
    }
    let mut parts = Vec::new();
    if n.failed > 0 {
        let mut s = format!("{} failed", n.failed);
        if n.blocking < n.failed {
            s.push_str(&format!(" ({} blocking)", n.blocking));
        }
        parts.push(s);
    }
    if n.retry > 0 {
        parts.push(format!("{} retrying", n.retry));
    }
    if n.unknown > 0 {
        parts.push(format!("{} without result", n.unknown));
    }
    if n.skipped > 0 {
        parts.push(format!("{} skipped", n.skipped));
    }
    if n.passed > 0 {
        parts.push(format!("{} passed", n.passed));
    }
    let tone = if n.blocking > 0 {
        Tone::Bad
    } else if n.retry > 0 || n.failed > 0 || n.unknown > 0 {
        Tone::Warn
    } else {
        Tone::Plain
    };
    (format!("{}{observed}", parts.join(", ")), tone)
}

fn completion_text(p: &Progress) -> String {
    if p.stages_total == 0 {
        return "no stages reported yet".into();
    }
    let pct = p.percent.map(|x| format!("{x}% ")).unwrap_or_default();
    let mut s = if p.ops_total > 0 {
        format!(
            "{pct}({} of {} operations, {} of {} stages finished",
            p.ops_done, p.ops_total, p.stages_done, p.stages_total
        )
    } else {
        format!(
            "{pct}({} of {} stages finished",
            p.stages_done, p.stages_total
        )
    };
    if p.ops_failed > 0 {
        s.push_str(&format!(", {} failed", p.ops_failed));
    }
    s.push(')');
    s
}

fn stage_line(f: &Facts) -> Option<String> {
    let name = f.p.current_stage.as_deref()?;
    let st = assess::stages_in_order(f.c)
        .into_iter()
        .find(|s| s.name == name)?;
    let (done, total) = stage_ops(st);
    let mut s = format!(
        "{} of {}: {} ({}",
        f.p.current_stage_number.unwrap_or(0),
        f.p.stages_total,
        one_line(name),
        dash(st.phase.as_deref())
    );
    if total > 0 {
        s.push_str(&format!(", {done} of {total} operations"));
    }
    s.push(')');
    Some(s)
}

fn stage_ops(s: &Stage) -> (usize, usize) {
    (
        s.operations.iter().filter(|o| assess::op_done(o)).count(),
        s.operations.len(),
    )
}

fn estimate_text(e: &Estimate, a: Assessment) -> Option<(String, Tone)> {
    let base = |b: &assess::Baseline| {
        format!(
            "the last upgrade, to {}, took {}",
            truncate(&b.release, 40),
            assess::human_duration(b.seconds)
        )
    };
    match e {
        Estimate::NotRunning => None,
        Estimate::UnknownStart => Some((
            "unknown (the running history entry has no start time)".into(),
            Tone::Plain,
        )),
        Estimate::NoBaseline { .. } => Some((
            "no baseline: no completed upgrade in history to compare with".into(),
            Tone::Plain,
        )),
        Estimate::Remaining {
            remaining_seconds,
            baseline,
            ..
        } => {
            let left = if *remaining_seconds < 60 {
                "under a minute left".to_string()
            } else {
                format!("about {} left", assess::human_duration(*remaining_seconds))
            };
            Some((format!("{left} ({})", base(baseline)), Tone::Plain))
        }
        Estimate::Overdue {
            over_seconds,
            baseline,
            ..
        } => Some((
            format!(
                "overdue by {} ({})",
                assess::human_duration(*over_seconds),
                base(baseline)
            ),
            if a == Assessment::ProgressingSlow {
                Tone::Warn
            } else {
                Tone::Plain
            },
        )),
    }
}

fn stale_text(c: &Cvsh) -> String {
    format!(
        "stale: the controller has not observed generation {} yet (last observed {}); the status below describes an earlier request",
        c.generation
            .map(|g| g.to_string())
            .unwrap_or_else(|| "?".into()),
        c.observed_generation
            .map(|g| g.to_string())
            .unwrap_or_else(|| "none".into())
    )
}

/// Whether the preflight table is printed (then the summary line omits the time).
fn preflight_table_shown(f: &Facts, v: &StatusView) -> bool {
    let all_passed = f.counts.total > 0 && f.counts.passed == f.counts.total;
    f.counts.total > 0 && (v.verbose || (f.a.in_flight() && !all_passed))
}

fn summary(f: &Facts, v: &StatusView) -> String {
    let c = f.c;
    let mut b = Block::new();
    b.add("Cluster", cluster_label(c));
    b.toned("Assessment", f.a.label(), assessment_tone(f.a));
    if c.is_stale() {
        b.toned("Status", stale_text(c), Tone::Warn);
    }
    let in_flight = f.a.in_flight();
    match (&f.target, in_flight) {
        (Some(t), true) => {
            let mut s = format!(
                "{} → {}",
                opt_release(c.current.as_ref(), v.verbose),
                release_label(t, v.verbose)
            );
            if c.desired_update.as_ref().and_then(|d| d.force) == Some(true) {
                s.push_str(" (force: the controller skips its safety checks)");
            }
            b.add("Target", s);
            if let Some(d) = &c.desired
                && !d.same_as(t)
                && c.current.as_ref().is_none_or(|cur| !cur.same_as(d))
            {
                b.add(
                    "",
                    format!(
                        "(the controller's status still targets {})",
                        release_label(d, v.verbose)
                    ),
                );
            }
        }
        _ => b.add("Version", opt_release(c.current.as_ref(), v.verbose)),
    }
    if let Some(g) = &v.global_version
        && c.name != "global"
    {
        b.add("Global", one_line(g));
    }
    if in_flight {
        b.add("Completion", completion_text(&f.p));
        if let Some(s) = stage_line(f) {
            b.add("Stage", s);
        }
        if let Some(r) = f.running {
            let started = match r.started_time.as_deref() {
                Some(t) => match (assess::parse_time(t), assess::elapsed(c, v.now)) {
                    (Some(_), Some(el)) => {
                        format!(
                            "{} (running for {})",
                            bare_time(t),
                            assess::human_duration(el)
                        )
                    }
                    _ => truncate(t, 40),
                },
                None => "unknown".into(),
            };
            b.add("Started", started);
        }
        if !f.a.needs_attention()
            && !c.is_stale()
            && let Some((t, tone)) = estimate_text(&f.e, f.a)
        {
            b.toned("Estimate", t, tone);
        }
    }
    if f.a == Assessment::Completed
        && let Some(h) = c.history.first()
    {
        let mut s = h
            .completion_time
            .as_deref()
            .map(|t| when(t, v.now))
            .unwrap_or_else(|| "at an unknown time".into());
        if let Some(d) = assess::entry_duration(h) {
            s.push_str(&format!(", took {}", assess::human_duration(d)));
        }
        if let Some(prev) = c.history.get(1) {
            s.push_str(&format!(
                ", from {}",
                release_label(&prev.release(), v.verbose)
            ));
            if prev
                .state
                .as_deref()
                .is_some_and(|st| st.eq_ignore_ascii_case("partial"))
            {
                s.push_str(" (partially applied)");
            }
        }
        b.toned("Completed", s, Tone::Good);
    }
    if in_flight || v.verbose {
        let (t, tone) = preflight_summary(f, v, !preflight_table_shown(f, v));
        b.toned("Preflight", t, tone);
    }
    if !v.verbose {
        b.chips("Conditions", condition_chips(c));
        for (line, tone) in condition_details(c) {
            b.toned("", line, tone);
        }
    }
    b.render(v.color)
}

// ---------------------------------------------------------------------------------------------
// Idle paragraph

fn idle_paragraph(f: &Facts, v: &StatusView) -> String {
    let c = f.c;
    let name = cluster_label(c);
    let cur = opt_release(c.current.as_ref(), v.verbose);
    let mut s = if f.a == Assessment::Completed {
        format!("Cluster {name} is at {cur}: the requested upgrade completed.")
    } else {
        format!("Cluster {name} is at {cur}, with no upgrade requested or running.")
    };
    if c.is_stale() {
        s.push_str(&format!(" The status is {}.", stale_text(c)));
    }
    match c.condition("Ready") {
        Some(k) if !k.is_true() => {
            s.push_str(&format!(" Ready is {}", one_line(&k.status)));
            if let Some(r) = &k.reason {
                s.push_str(&format!(" ({})", one_line(r)));
            }
            if let Some(m) = &k.message {
                s.push_str(&format!(
                    ": {}",
                    truncate(m, MESSAGE_WIDTH).trim_end_matches('.')
                ));
            }
            s.push('.');
        }
        None if c.conditions.is_empty() => s.push_str(" The controller reports no conditions."),
        _ => {}
    }
    // last upgrade
    match c.history.iter().position(|h| h.completion_time.is_some()) {
        Some(i) => {
            let h = &c.history[i];
            let to = release_label(&h.release(), v.verbose);
            let from = c
                .history
                .get(i + 1)
                .map(|p| format!("{} → ", release_label(&p.release(), v.verbose)))
                .unwrap_or_default();
            s.push_str(&format!(" The last upgrade, {from}{to}"));
            if let Some(st) = &h.state
                && !st.eq_ignore_ascii_case("completed")
            {
                s.push_str(&format!(" ({})", one_line(st)));
            }
            if let Some(t) = h.completion_time.as_deref() {
                s.push_str(&format!(", finished {}", when(t, v.now)));
            }
            if let Some(d) = assess::entry_duration(h) {
                s.push_str(&format!(" and took {}", assess::human_duration(d)));
            }
            s.push('.');
        }
        None => s.push_str(" No upgrade is recorded in its history."),
    }
    // offered
    let offered = version::sort_updates(&c.available_updates);
    if offered.is_empty() {
        s.push_str(" No updates are offered.");
    } else {
        let list: Vec<String> = offered
            .iter()
            .take(8)
            .map(|r| release_label(r, v.verbose))
            .collect();
        let more = offered.len().saturating_sub(8);
        s.push_str(&format!(
            " Offered: {}{}.",
            list.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    wrap(&s, TEXT_WIDTH, "", "")
}

// ---------------------------------------------------------------------------------------------
// Tables

/// Pick rows to show: every rank-0 row (failed, running), then the best-ranked others until
/// `limit`; returns ascending indices.
fn select_rows(ranks: &[(u8, usize)], limit: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..ranks.len()).collect();
    idx.sort_by_key(|&i| ranks[i]);
    let mut out: Vec<usize> = Vec::new();
    for i in idx {
        if ranks[i].0 == 0 || out.len() < limit {
            out.push(i);
        }
    }
    out.sort_unstable();
    out
}

fn hidden_note(what: &str, hidden: &[PhaseClass]) -> Option<String> {
    if hidden.is_empty() {
        return None;
    }
    let count = |k: PhaseClass| hidden.iter().filter(|&&h| h == k).count();
    let mut parts = Vec::new();
    for (k, word) in [
        (PhaseClass::Done, "finished"),
        (PhaseClass::Pending, "pending"),
        (PhaseClass::Other, "other"),
    ] {
        let n = count(k);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    Some(format!(
        "… and {} more {what} ({}; use --verbose)\n",
        hidden.len(),
        parts.join(", ")
    ))
}

fn check_state_tone(k: &crate::domain::cvsh::PreflightCheck, forced: bool) -> Tone {
    match assess::check_state(k) {
        CheckState::Failed if assess::check_blocks(k) && !forced => Tone::Bad,
        CheckState::Failed | CheckState::Retry | CheckState::Unknown => Tone::Warn,
        CheckState::Passed => Tone::Good,
        CheckState::Skipped => Tone::Plain,
    }
}

/// Order of preflight rows outside `--verbose`: blocking failures, other failures, retries,
/// no result, skipped.
fn check_rank(k: &crate::domain::cvsh::PreflightCheck, forced: bool) -> u8 {
    match assess::check_state(k) {
        CheckState::Failed if assess::check_blocks(k) && !forced => 0,
        CheckState::Failed => 1,
        CheckState::Retry => 2,
        CheckState::Unknown => 3,
        CheckState::Skipped => 4,
        CheckState::Passed => 5,
    }
}

/// The preflight table: every check with `--verbose` (server order); otherwise every check that
/// did not pass, most severe first, and a count of the passed ones.
fn preflight_section(f: &Facts, v: &StatusView) -> String {
    let Some(pf) = &f.c.preflight else {
        return String::new();
    };
    if pf.checks.is_empty() {
        return String::new();
    }
    let forced = f.c.desired_update.as_ref().and_then(|d| d.force) == Some(true);
    let mut out = String::new();
    let observed = pf
        .observed_at
        .as_deref()
        .map(|t| format!(", observed {}", when(t, v.now)))
        .unwrap_or_default();
    out.push_str(&format!("Preflight checks{observed}:\n"));
    let mut shown: Vec<usize> = (0..pf.checks.len()).collect();
    if !v.verbose {
        shown.retain(|&i| assess::check_state(&pf.checks[i]) != CheckState::Passed);
        shown.sort_by_key(|&i| (check_rank(&pf.checks[i], forced), i));
    }
    let mut t = TableBuilder::new(&["check", "policy", "state", "reason", "message"], v.color);
    for &i in &shown {
        let k = &pf.checks[i];
        let msg = k.message.as_deref().unwrap_or("");
        t.toned_row(vec![
            (one_line(&k.name), Tone::Plain),
            (dash(k.policy.as_deref()), Tone::Plain),
            (dash(k.state.as_deref()), check_state_tone(k, forced)),
            (dash(k.reason.as_deref()), Tone::Plain),
            (
                if v.verbose {
                    one_line(msg)
                } else {
                    truncate(msg, MESSAGE_WIDTH)
                },
                Tone::Plain,
            ),
        ]);
    }
    if !t.is_empty() {
        out.push_str(&t.render());
    }
    let hidden = pf.checks.len() - shown.len();
    if hidden > 0 {
        out.push_str(&format!(
            "… and {hidden} passed {} (use --verbose)\n",
            if hidden == 1 { "check" } else { "checks" }
        ));
    }
    out
}

fn stage_bad(s: &Stage) -> bool {
    matches!(phase_class_of(s.phase.as_deref()), PhaseClass::Failed)
        || s.operations.iter().any(assess::op_failed)
}

fn phase_class_of(p: Option<&str>) -> PhaseClass {
    assess::phase_class(p)
}

fn phase_tone(p: Option<&str>) -> Tone {
    match phase_class_of(p) {
        PhaseClass::Failed => Tone::Bad,
        _ => Tone::Plain,
    }
}

fn stages_section(f: &Facts, v: &StatusView) -> String {
    let stages = assess::stages_in_order(f.c);
    if stages.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "Stages ({} of {} finished):\n",
        f.p.stages_done, f.p.stages_total
    );
    // Outside --verbose: failed and running stages, the two last finished ones for context,
    // then the next pending ones, then older finished ones.
    let done_idx: Vec<usize> = (0..stages.len())
        .filter(|&i| phase_class_of(stages[i].phase.as_deref()) == PhaseClass::Done)
        .collect();
    let recent_done = &done_idx[done_idx.len().saturating_sub(2)..];
    let ranks: Vec<(u8, usize)> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| match phase_class_of(s.phase.as_deref()) {
            _ if stage_bad(s) => (0, i),
            PhaseClass::Running => (0, i),
            PhaseClass::Done if recent_done.contains(&i) => (1, i),
            PhaseClass::Done => (3, stages.len() - i),
            _ => (2, i),
        })
        .collect();
    let shown = if v.verbose {
        (0..stages.len()).collect()
    } else {
        select_rows(&ranks, MAX_STAGES)
    };
    let mut t = TableBuilder::new(&["stage", "priority", "phase", "progress"], v.color).right(1);
    for &i in &shown {
        let s = stages[i];
        let (done, total) = stage_ops(s);
        let failed = s.operations.iter().filter(|o| assess::op_failed(o)).count();
        let mut prog = format!("{done}/{total}");
        if failed > 0 {
            prog.push_str(&format!(" ({failed} failed)"));
        }
        t.toned_row(vec![
            (one_line(&s.name), Tone::Plain),
            (
                s.priority
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (dash(s.phase.as_deref()), phase_tone(s.phase.as_deref())),
            (prog, if failed > 0 { Tone::Bad } else { Tone::Plain }),
        ]);
    }
    out.push_str(&t.render());
    let hidden: Vec<PhaseClass> = (0..stages.len())
        .filter(|i| !shown.contains(i))
        .map(|i| match phase_class_of(stages[i].phase.as_deref()) {
            PhaseClass::Done => PhaseClass::Done,
            PhaseClass::Pending => PhaseClass::Pending,
            _ => PhaseClass::Other,
        })
        .collect();
    if let Some(n) = hidden_note("stages", &hidden) {
        out.push_str(&n);
    }
    out
}

fn depends_text(d: &[String], verbose: bool) -> String {
    if d.is_empty() {
        return String::new();
    }
    if verbose || d.len() <= 3 {
        return d.iter().map(|x| one_line(x)).collect::<Vec<_>>().join(", ");
    }
    format!(
        "{}, +{} more",
        d[..2]
            .iter()
            .map(|x| one_line(x))
            .collect::<Vec<_>>()
            .join(", "),
        d.len() - 2
    )
}

fn operations_table(s: &Stage, v: &StatusView) -> String {
    let (done, total) = stage_ops(s);
    let mut out = format!(
        "Operations of stage {} ({}, {done} of {total} finished):\n",
        one_line(&s.name),
        dash(s.phase.as_deref())
    );
    let ranks: Vec<(u8, usize)> = s
        .operations
        .iter()
        .enumerate()
        .map(|(i, o)| match phase_class_of(o.phase.as_deref()) {
            PhaseClass::Failed | PhaseClass::Running => (0, i),
            PhaseClass::Done => (2, i),
            _ => (1, i),
        })
        .collect();
    let shown = if v.verbose {
        (0..s.operations.len()).collect()
    } else {
        select_rows(&ranks, MAX_OPERATIONS)
    };
    let mut t = TableBuilder::new(
        &[
            "operation",
            "action",
            "current → target",
            "phase",
            "depends on",
        ],
        v.color,
    );
    for &i in &shown {
        let o = &s.operations[i];
        let arrow = assess::versions_arrow(o);
        t.toned_row(vec![
            (one_line(&o.name), Tone::Plain),
            (dash(o.action.as_deref()), Tone::Plain),
            (
                if arrow.is_empty() { "-".into() } else { arrow },
                Tone::Plain,
            ),
            (dash(o.phase.as_deref()), phase_tone(o.phase.as_deref())),
            (depends_text(&o.depends_on, v.verbose), Tone::Plain),
        ]);
    }
    out.push_str(&t.render());
    let hidden: Vec<PhaseClass> = (0..s.operations.len())
        .filter(|i| !shown.contains(i))
        .map(|i| match phase_class_of(s.operations[i].phase.as_deref()) {
            PhaseClass::Done => PhaseClass::Done,
            PhaseClass::Pending => PhaseClass::Pending,
            _ => PhaseClass::Other,
        })
        .collect();
    if let Some(n) = hidden_note("operations", &hidden) {
        out.push_str(&n);
    }
    out
}

fn operations_sections(f: &Facts, v: &StatusView) -> Vec<String> {
    assess::stages_in_order(f.c)
        .into_iter()
        .filter(|s| !s.operations.is_empty())
        .filter(|s| {
            v.verbose || phase_class_of(s.phase.as_deref()) == PhaseClass::Running || stage_bad(s)
        })
        .map(|s| operations_table(s, v))
        .collect()
}

fn conditions_section(c: &Cvsh, v: &StatusView) -> String {
    if c.conditions.is_empty() {
        return String::new();
    }
    let mut out = String::from("Conditions:\n");
    let mut t = TableBuilder::new(
        &["type", "status", "reason", "last transition", "message"],
        v.color,
    );
    for k in ordered_conditions(c) {
        t.toned_row(vec![
            (one_line(&k.type_), Tone::Plain),
            (one_line(&k.status), condition_tone(k)),
            (dash(k.reason.as_deref()), Tone::Plain),
            (
                k.last_transition_time
                    .as_deref()
                    .map(|t| when(t, v.now))
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (one_line(k.message.as_deref().unwrap_or("")), Tone::Plain),
        ]);
    }
    out.push_str(&t.render());
    out
}

fn history_section(c: &Cvsh, v: &StatusView, limit: Option<usize>) -> String {
    if c.history.is_empty() {
        return String::new();
    }
    let mut out = String::from(if limit.is_some() {
        "Recent upgrades:\n"
    } else {
        "History:\n"
    });
    let mut t = TableBuilder::new(
        &["version", "state", "started", "completed", "duration"],
        v.color,
    );
    let n = limit.unwrap_or(c.history.len()).min(c.history.len());
    for h in &c.history[..n] {
        let duration = match (assess::entry_duration(h), &h.completion_time) {
            (Some(d), _) => assess::human_duration(d),
            (None, None) => match h.started_time.as_deref().and_then(assess::parse_time) {
                Some(s) => format!(
                    "{} (running)",
                    assess::human_duration((v.now.as_second() - s.as_second()).max(0))
                ),
                None => "running".into(),
            },
            (None, Some(_)) => "-".into(),
        };
        let state_tone = match h.state.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("completed") => Tone::Good,
            _ => Tone::Plain,
        };
        t.toned_row(vec![
            (release_label(&h.release(), v.verbose), Tone::Plain),
            (dash(h.state.as_deref()), state_tone),
            (
                h.started_time
                    .as_deref()
                    .map(bare_time)
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (
                h.completion_time
                    .as_deref()
                    .map(bare_time)
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (duration, Tone::Plain),
        ]);
    }
    out.push_str(&t.render());
    if c.history.len() > n {
        out.push_str(&format!(
            "… and {} earlier (use --verbose)\n",
            c.history.len() - n
        ));
    }
    if v.verbose {
        for h in &c.history {
            if let Some(r) = &h.accepted_risks {
                out.push_str(&format!(
                    "Accepted risks for {}: {}\n",
                    release_label(&h.release(), true),
                    one_line(r)
                ));
            }
        }
    }
    out
}

fn images_section(c: &Cvsh) -> String {
    let mut out = String::from("Releases:\n");
    let mut t = TableBuilder::new(&["release", "version", "image"], false);
    let requested = c.requested();
    let mut any = false;
    for (k, r) in [
        ("current", c.current.as_ref()),
        ("desired", c.desired.as_ref()),
        ("requested", requested.as_ref()),
    ] {
        if let Some(r) = r {
            any = true;
            t.row(&[
                k.to_string(),
                dash(r.version.as_deref()),
                dash(r.image.as_deref()),
            ]);
        }
    }
    for r in version::sort_updates(&c.available_updates) {
        any = true;
        t.row(&[
            "offered".to_string(),
            dash(r.version.as_deref()),
            dash(r.image.as_deref()),
        ]);
    }
    if any {
        out.push_str(&t.render());
    } else {
        out.push_str("none reported\n");
    }
    if c.available_updates.is_empty() {
        out.push_str("No updates are offered.\n");
    }
    out
}

fn next_steps_section(steps: &[NextStep]) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let mut out = String::from("Next steps:\n");
    let many = steps.len() > 1;
    for (i, s) in steps.iter().enumerate() {
        let (first, rest) = if many {
            (format!("  {}. ", i + 1), "     ".to_string())
        } else {
            ("  ".to_string(), "  ".to_string())
        };
        out.push_str(&wrap(&s.text, TEXT_WIDTH, &first, &rest));
        for c in &s.commands {
            out.push_str(&format!("{rest}  {}\n", one_line(c)));
        }
    }
    out
}

/// The full text screen (ends with a newline).
pub fn render_status(v: &StatusView) -> String {
    let f = facts(v);
    let mut sections: Vec<String> = Vec::new();
    if let Some(n) = &v.cluster_note {
        sections.push(format!("{}\n", one_line(n)));
    }
    let idle_like = matches!(f.a, Assessment::Idle);
    if idle_like {
        sections.push(idle_paragraph(&f, v));
    } else {
        sections.push(summary(&f, v));
    }
    if v.verbose {
        sections.push(conditions_section(f.c, v));
    }
    let in_flight = f.a.in_flight();
    if in_flight || v.verbose {
        if preflight_table_shown(&f, v) {
            sections.push(preflight_section(&f, v));
        }
        sections.push(stages_section(&f, v));
        sections.extend(operations_sections(&f, v));
    } else if f.c.stages.iter().any(stage_bad) {
        sections.extend(operations_sections(&f, v));
    }
    if v.verbose {
        sections.push(history_section(f.c, v, None));
        sections.push(images_section(f.c));
    } else if f.a == Assessment::Completed {
        sections.push(history_section(f.c, v, Some(MAX_RECENT_HISTORY)));
    }
    sections.push(next_steps_section(&f.steps));
    let mut out = String::new();
    for s in sections.into_iter().filter(|s| !s.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&s);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// JSON

fn release_json(r: Option<&Release>) -> Value {
    match r {
        Some(r) => serde_json::to_value(r).unwrap_or(Value::Null),
        None => Value::Null,
    }
}

fn opt<T: serde::Serialize>(x: Option<T>) -> Value {
    x.map(|v| serde_json::to_value(v).unwrap_or(Value::Null))
        .unwrap_or(Value::Null)
}

/// The `-o json` object; schema in `docs/status.md`. Every top-level key is always present
/// (`null` when unknown).
pub fn status_json(v: &StatusView) -> Value {
    let f = facts(v);
    let c = f.c;
    let forced = c.desired_update.as_ref().and_then(|d| d.force) == Some(true);
    let preflight = c.preflight.as_ref().map(|p| {
        json!({
            "observedAt": p.observed_at,
            "total": f.counts.total,
            "passed": f.counts.passed,
            "retry": f.counts.retry,
            "failed": f.counts.failed,
            "blocking": f.counts.blocking,
            "checks": p.checks.iter().map(|k| json!({
                "name": k.name,
                "policy": k.policy,
                "state": k.state,
                "reason": k.reason,
                "message": k.message,
                "blocking": !forced && assess::check_blocks(k),
            })).collect::<Vec<_>>(),
        })
    });
    let stages: Vec<Value> = assess::stages_in_order(c)
        .into_iter()
        .map(|s| {
            let (done, total) = stage_ops(s);
            json!({
                "name": s.name,
                "priority": s.priority,
                "phase": s.phase,
                "opsDone": done,
                "opsTotal": total,
                "operations": s.operations.iter().map(|o| json!({
                    "name": o.name,
                    "action": o.action,
                    "currentVersion": o.current_version,
                    "targetVersion": o.target_version,
                    "phase": o.phase,
                    "dependsOn": o.depends_on,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let history: Vec<Value> = c
        .history
        .iter()
        .map(|h| {
            json!({
                "version": h.version,
                "image": h.image,
                "state": h.state,
                "startedTime": h.started_time,
                "completionTime": h.completion_time,
                "durationSeconds": assess::entry_duration(h),
                "acceptedRisks": h.accepted_risks,
            })
        })
        .collect();
    json!({
        "schema": STATUS_SCHEMA,
        "time": v.now.to_string(),
        "cluster": c.name,
        "note": v.cluster_note,
        "assessment": f.a,
        "assessmentLabel": f.a.label(),
        "stale": c.is_stale(),
        "generation": c.generation,
        "observedGeneration": c.observed_generation,
        "current": release_json(c.current.as_ref()),
        "target": release_json(f.target.as_ref()),
        "requested": opt(c.desired_update.as_ref().filter(|d| d.release().is_some())),
        "desired": release_json(c.desired.as_ref()),
        "globalVersion": v.global_version,
        "startedAt": f.running.and_then(|h| h.started_time.clone()),
        "elapsedSeconds": assess::elapsed(c, v.now),
        "progress": f.p,
        "estimate": f.e,
        "conditions": ordered_conditions(c),
        "preflight": preflight,
        "stages": stages,
        "history": history,
        "availableUpdates": version::sort_updates(&c.available_updates),
        "nextSteps": f.steps,
        "object": v.raw,
    })
}

/// One watch event for `-o json` (one per line): the status object plus `event` and
/// `outcome` (`null` while the watch goes on, `"Succeeded"`, or `{"Failed": "reason"}`).
pub fn watch_event_json(v: &StatusView) -> Value {
    let mut s = status_json(v);
    if let Some(o) = s.as_object_mut() {
        o.insert("schema".into(), json!(WATCH_SCHEMA));
        o.insert("event".into(), json!("Status"));
        o.insert("outcome".into(), opt(assess::watch_outcome(v.cvsh)));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Watch

fn failing_check(c: &Cvsh) -> Option<String> {
    let checks = c
        .preflight
        .as_ref()
        .map(|p| p.checks.as_slice())
        .unwrap_or(&[]);
    checks
        .iter()
        .find(|k| assess::check_state(k) == CheckState::Failed)
        .or_else(|| {
            checks
                .iter()
                .find(|k| assess::check_state(k) == CheckState::Retry)
        })
        .map(|k| {
            format!(
                "{} {}{}",
                one_line(&k.name),
                dash(k.state.as_deref()),
                k.reason
                    .as_deref()
                    .map(|r| format!(" ({})", one_line(r)))
                    .unwrap_or_default()
            )
        })
}

fn progress_brief(p: &Progress) -> String {
    match p.percent {
        Some(pct) if p.ops_total > 0 => format!("{pct}% ({}/{} ops)", p.ops_done, p.ops_total),
        Some(pct) => format!("{pct}%"),
        None => "-".into(),
    }
}

/// One compact line per change (non-TTY watch): time, cluster, assessment, progress, stage,
/// failing check. No trailing newline.
pub fn render_watch_line(v: &StatusView) -> String {
    let f = facts(v);
    let mut parts = vec![
        v.now.to_string(),
        cluster_label(f.c).to_string(),
        assessment_tone(f.a).paint(f.a.label(), v.color),
    ];
    if let Some(t) = &f.target
        && f.a.in_flight()
    {
        parts.push(format!(
            "{} → {}",
            opt_release(f.c.current.as_ref(), false),
            release_label(t, false)
        ));
    } else {
        parts.push(opt_release(f.c.current.as_ref(), false));
    }
    let show_progress = f.a.in_flight() || f.a == Assessment::Completed;
    if f.p.stages_total > 0 && show_progress {
        parts.push(progress_brief(&f.p));
    }
    if let (Some(s), Some(n)) = (&f.p.current_stage, f.p.current_stage_number)
        && f.a.in_flight()
    {
        parts.push(format!("stage {n}/{} {}", f.p.stages_total, one_line(s)));
    }
    if let Some(k) = failing_check(f.c)
        && f.a.in_flight()
    {
        parts.push(format!("preflight: {k}"));
    }
    if f.c.is_stale() {
        parts.push(Tone::Warn.paint("stale", v.color));
    }
    parts.join("  ")
}

/// A text progress bar, `[██████░░░░] 60%`; `inner` is the number of cells between brackets.
pub fn progress_bar(percent: Option<u8>, inner: usize) -> String {
    let inner = inner.max(1);
    match percent {
        Some(p) => {
            let p = p.min(100) as usize;
            let full = p * inner / 100;
            format!("[{}{}] {p}%", "█".repeat(full), "░".repeat(inner - full))
        }
        None => format!("[{}]", "░".repeat(inner)),
    }
}

/// The TTY frame for `--watch`, redrawn in place; no line longer than `width` (minimum 40).
pub fn render_watch_frame(v: &StatusView, width: usize) -> String {
    let width = width.max(40);
    let f = facts(v);
    let c = f.c;
    let mut lines: Vec<String> = Vec::new();
    let head = match (&f.target, f.a.in_flight()) {
        (Some(t), true) => format!(
            "{}  {} → {}  {}",
            cluster_label(c),
            opt_release(c.current.as_ref(), false),
            release_label(t, false),
            f.a.label()
        ),
        _ => format!(
            "{}  {}  {}",
            cluster_label(c),
            opt_release(c.current.as_ref(), false),
            f.a.label()
        ),
    };
    lines.push(head);
    let bar_inner = (width.saturating_sub(10)).min(40);
    let show_progress = f.a.in_flight() || f.a == Assessment::Completed;
    if show_progress {
        let mut l2 = progress_bar(f.p.percent, bar_inner);
        if f.p.ops_total > 0 {
            l2.push_str(&format!("  {}/{} operations", f.p.ops_done, f.p.ops_total));
        } else {
            l2.push_str("  no stages reported yet");
        }
        lines.push(l2);
    }
    if let (Some(s), Some(n)) = (&f.p.current_stage, f.p.current_stage_number)
        && f.a.in_flight()
    {
        lines.push(format!("Stage {n}/{}: {}", f.p.stages_total, one_line(s)));
    }
    let mut timing = Vec::new();
    if let Some(el) = assess::elapsed(c, v.now) {
        timing.push(format!("running for {}", assess::human_duration(el)));
    }
    if !f.a.needs_attention()
        && !c.is_stale()
        && let Some((t, _)) = estimate_text(&f.e, f.a)
    {
        timing.push(t);
    }
    if !timing.is_empty() {
        lines.push(timing.join(", "));
    }
    if let Some(k) = failing_check(c).filter(|_| f.a.in_flight()) {
        lines.push(format!("Preflight: {k}"));
    } else if f.counts.total == 0 && f.a.in_flight() {
        lines.push("Preflight: no result yet".into());
    }
    let running: Vec<&str> = c
        .stages
        .iter()
        .flat_map(|s| &s.operations)
        .filter(|o| assess::op_running(o))
        .map(|o| o.name.as_str())
        .collect();
    if !running.is_empty() {
        let shown: Vec<String> = running.iter().take(3).map(|s| one_line(s)).collect();
        let more = running.len().saturating_sub(3);
        lines.push(format!(
            "Running: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" (+{more})")
            } else {
                String::new()
            }
        ));
    }
    for (s, o) in c
        .stages
        .iter()
        .flat_map(|s| s.operations.iter().map(move |o| (s, o)))
        .filter(|(_, o)| assess::op_failed(o))
        .take(3)
    {
        lines.push(format!(
            "Failed: {} (stage {})",
            one_line(&o.name),
            one_line(&s.name)
        ));
    }
    if c.is_stale() {
        lines.push("Status is stale: waiting for the controller to observe the request".into());
    }
    if let Some(s) = f.steps.first()
        && f.a.needs_attention()
    {
        lines.push(format!("Next: {}", one_line(&s.text)));
    }
    lines.push(format!("Updated {}", v.now));
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let l = clip(l, width);
        let l = if i == 0 {
            assessment_tone(f.a).paint(&l, v.color)
        } else {
            l
        };
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn multibyte_images_do_not_panic() {
        assert_eq!(
            short_image("é@sha256:éééééééééééééééé", false),
            "é@sha256:éééééééééééé…"
        );
        assert_eq!(short_image("x@sha256:ab", false), "x@sha256:ab");
    }

    #[test]
    fn images_are_shortened_unless_verbose() {
        let img = "registry.example.com/acp/release@sha256:0123456789abcdef0123456789abcdef";
        assert_eq!(
            short_image(img, false),
            "registry.example.com/acp/release@sha256:0123456789ab…"
        );
        assert_eq!(short_image(img, true), img);
    }
}
