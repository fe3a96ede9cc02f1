//! The controller's memory of one cluster's latest request: its target and where the run
//! stands (waiting, preflight, blocked, upgrading, completed).

use jiff::Timestamp;
use serde_json::{Value, json};

use super::plan::OpTimes;
use super::preflight::Outcome;
use crate::version;

/// A requested release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub version: Option<String>,
    pub image: Option<String>,
}

impl Target {
    pub(super) fn from_spec(du: &Value) -> Option<Target> {
        let s = |k: &str| {
            du.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let t = Target {
            version: s("version"),
            image: s("image"),
        };
        (t.version.is_some() || t.image.is_some()).then_some(t)
    }

    pub fn label(&self) -> String {
        self.version
            .clone()
            .or_else(|| self.image.clone())
            .unwrap_or_default()
    }

    pub(super) fn same(&self, other: &Target) -> bool {
        match (&self.version, &other.version) {
            (Some(a), Some(b)) => version::same(a, b),
            (None, None) => self.image == other.image,
            _ => false,
        }
    }

    /// Whether the cluster already runs this release.
    pub(super) fn is_current(&self, status: &Value) -> bool {
        let cur = |k: &str| {
            status
                .pointer(&format!("/current/{k}"))
                .and_then(Value::as_str)
        };
        match (&self.version, cur("version")) {
            (Some(t), Some(c)) => version::same(t, c),
            (None, _) => self.image.is_some() && self.image.as_deref() == cur("image"),
            _ => false,
        }
    }

    pub(super) fn to_json(&self) -> Value {
        let mut v = json!({});
        if let Some(x) = &self.version {
            v["version"] = x.clone().into();
        }
        if let Some(x) = &self.image {
            v["image"] = x.clone().into();
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Phase {
    /// Not started: release metadata missing, or a workload target ahead of global.
    Waiting {
        reason: &'static str,
        message: String,
        since: Timestamp,
    },
    Preflight,
    Blocked {
        since: Timestamp,
        next_recheck: Timestamp,
    },
    Upgrading,
    Completed {
        at: Timestamp,
    },
}

/// One preflight check of a run: when its result is due and what it is so far.
#[derive(Debug, Clone)]
pub(super) struct Check {
    pub(super) name: &'static str,
    pub(super) due: Timestamp,
    pub(super) outcome: Outcome,
}

/// The controller's memory of one cluster's latest request.
#[derive(Debug, Clone)]
pub(super) struct Run {
    pub(super) target: Target,
    pub(super) force: bool,
    pub(super) from: Option<String>,
    pub(super) phase: Phase,
    pub(super) preflight_start: Option<Timestamp>,
    pub(super) checks: Vec<Check>,
    pub(super) observed_at: Option<Timestamp>,
    pub(super) passed_at: Option<Timestamp>,
    pub(super) skipped: Vec<String>,
    pub(super) schedule: Vec<Vec<OpTimes>>,
    /// The world fingerprint the checks were last evaluated against.
    pub(super) checked_epoch: u64,
}

impl Run {
    /// A new request, seen at `now`: it waits until the controller finds it may start.
    pub(super) fn new(target: Target, force: bool, from: Option<String>, now: Timestamp) -> Run {
        Run {
            target,
            force,
            from,
            phase: Phase::Waiting {
                reason: "",
                message: String::new(),
                since: now,
            },
            preflight_start: None,
            checks: Vec::new(),
            observed_at: None,
            passed_at: None,
            skipped: Vec::new(),
            schedule: Vec::new(),
            checked_epoch: 0,
        }
    }

    pub(super) fn active(&self) -> bool {
        !matches!(self.phase, Phase::Completed { .. })
    }
}
