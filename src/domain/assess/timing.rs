//! Time: how long the running upgrade has taken, how long the last one took (the baseline),
//! the estimate that follows, and when an upgrade counts as slow (`docs/status.md` §4).

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::assess::classify::running_entry;
use crate::domain::cvsh::{Cvsh, HistoryEntry};

/// Elapsed time above `SLOW_FACTOR` × baseline makes a progressing upgrade "slow".
pub const SLOW_FACTOR: f64 = 1.5;

/// Parse an RFC 3339 time; `None` for anything else.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    text.trim().parse::<Timestamp>().ok()
}

/// Seconds from `from` to `to` (negative when `to` is earlier), counted on whole seconds.
pub fn seconds_between(from: Timestamp, to: Timestamp) -> i64 {
    to.as_second() - from.as_second()
}

/// Duration of a finished history entry, in seconds (`None` if a time is missing, unparseable
/// or the interval is negative).
pub fn entry_duration(entry: &HistoryEntry) -> Option<i64> {
    let started = parse_time(entry.started_time.as_deref()?)?;
    let completed = parse_time(entry.completion_time.as_deref()?)?;
    let seconds = seconds_between(started, completed);
    (seconds >= 0).then_some(seconds)
}

/// The reference duration for estimates: the last completed upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    /// Duration of that upgrade in seconds.
    pub seconds: i64,
    /// The release it went to (version, else image).
    pub release: String,
    pub completed_at: Option<String>,
}

/// The newest history entry with state `Completed` and both times, excluding the running one.
/// Entries of zero length are skipped (an install record, or clock noise).
pub fn baseline(cvsh: &Cvsh) -> Option<Baseline> {
    cvsh.history
        .iter()
        .filter(|entry| entry.completion_time.is_some())
        .filter(|entry| {
            entry
                .state
                .as_deref()
                .is_some_and(|state| state.eq_ignore_ascii_case("completed"))
        })
        .find_map(|entry| {
            let seconds = entry_duration(entry)?;
            (seconds > 0).then(|| Baseline {
                seconds,
                release: entry.release().label(),
                completed_at: entry.completion_time.clone(),
            })
        })
}

/// Seconds since the running entry started (`None` when nothing runs or its start is unknown;
/// clamped at 0 for clocks that disagree).
pub fn elapsed(cvsh: &Cvsh, now: Timestamp) -> Option<i64> {
    let running = running_entry(cvsh)?;
    let started = parse_time(running.started_time.as_deref()?)?;
    Some(seconds_between(started, now).max(0))
}

/// Time remaining for the running upgrade, from the last completed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum Estimate {
    /// No upgrade is running (no history entry without completionTime).
    NotRunning,
    /// Running, but its start time is missing or unparseable.
    UnknownStart,
    /// Running for `elapsed` seconds; no completed upgrade to compare with.
    NoBaseline { elapsed_seconds: i64 },
    /// Expected to finish in `remaining` seconds (baseline − elapsed).
    Remaining {
        remaining_seconds: i64,
        elapsed_seconds: i64,
        baseline: Baseline,
    },
    /// Already `over` seconds longer than the baseline.
    Overdue {
        over_seconds: i64,
        elapsed_seconds: i64,
        baseline: Baseline,
    },
}

pub fn estimate(cvsh: &Cvsh, now: Timestamp) -> Estimate {
    if running_entry(cvsh).is_none() {
        return Estimate::NotRunning;
    }
    let Some(elapsed_seconds) = elapsed(cvsh, now) else {
        return Estimate::UnknownStart;
    };
    match baseline(cvsh) {
        None => Estimate::NoBaseline { elapsed_seconds },
        Some(baseline) if elapsed_seconds <= baseline.seconds => Estimate::Remaining {
            remaining_seconds: baseline.seconds - elapsed_seconds,
            elapsed_seconds,
            baseline,
        },
        Some(baseline) => Estimate::Overdue {
            over_seconds: elapsed_seconds - baseline.seconds,
            elapsed_seconds,
            baseline,
        },
    }
}

/// Whether the running upgrade is beyond [`SLOW_FACTOR`] × its baseline.
pub fn is_slow(cvsh: &Cvsh, now: Timestamp) -> bool {
    match estimate(cvsh, now) {
        Estimate::Overdue {
            elapsed_seconds,
            baseline,
            ..
        } => (elapsed_seconds as f64) > SLOW_FACTOR * baseline.seconds as f64,
        _ => false,
    }
}
