//! What a verify check found, typed: the versions, conditions, requests and objects behind a
//! verdict. The serde form is the `finding` of each item in `ac adm upgrade verify -o json`
//! (tagged by `kind`); the sentences and remedies a person reads are the advice layer's
//! (`domain::advice::verify`).

use serde::Serialize;

use crate::domain::cvsh::Release;
pub use crate::domain::precheck::finding::{KubeOutside, KubeRemedy};
use crate::domain::rules::kubernetes::KubernetesRange;

/// A condition of the cluster's status as verify saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionSeen {
    /// `Ready`, `Stalled`, `Degraded`.
    pub condition: String,
    /// Its `status` as the server wrote it (`True`, `False`, `Unknown`).
    pub status: String,
    /// Its message, else its reason (one line).
    pub why: Option<String>,
}

/// Where the version verified came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TargetFrom {
    /// `--to`.
    Flag,
    /// The global tier's version (its ceiling: under DR the lower of both globals).
    Tier,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Finding {
    /// A fact the check needs could not be read (the one-line reason).
    Unreadable {
        why: String,
    },

    // the target (platform)
    /// The version verified, and where it came from.
    Target {
        version: String,
        from: TargetFrom,
    },
    /// No `--to`, and the global tier reports no version.
    TargetUnknown,

    // version (a cluster)
    AtTarget {
        version: String,
    },
    /// Not at the target: behind it, or `beyond` it. `requested`: a request for the target is
    /// there (the upgrade is on its way).
    NotAtTarget {
        at: String,
        to: String,
        beyond: bool,
        requested: bool,
    },
    /// The cluster reports no current version.
    NoVersion {
        to: String,
        requested: bool,
    },

    // ready
    Ready,
    /// The `Ready` condition is there but not `True`.
    NotReady {
        ready: ConditionSeen,
    },
    /// No `Ready` condition at all.
    NoReadyCondition,

    // conditions
    NoTrouble,
    /// `Stalled=True`, `Degraded=True`.
    Trouble {
        conditions: Vec<ConditionSeen>,
    },

    // status-current
    StatusCurrent {
        generation: Option<i64>,
    },
    /// `metadata.generation` not observed by the controller (`status.observedGeneration`).
    StatusStale {
        generation: i64,
        observed: Option<i64>,
    },

    // request
    /// No request, or the request is the target (or the current release).
    NoOtherRequest,
    /// `spec.desiredUpdate` names another release than the target.
    OtherRequest {
        request: Release,
        to: String,
    },

    // disabled-checks (platform; `standby`: the standby global's cvo-config)
    NoneDisabled {
        standby: Option<String>,
    },
    ChecksDisabled {
        names: Vec<String>,
        standby: Option<String>,
    },

    // kubernetes-range (platform)
    /// The global cluster reports no version: the range is unknown.
    GlobalVersionUnknown,
    /// No compatible range is known for the global's release (not judged).
    NoKubernetesRange {
        release: String,
    },
    /// No workload cluster is selected.
    NoWorkloadCluster,
    KubernetesInside {
        #[serde(serialize_with = "range_text")]
        range: KubernetesRange,
        count: usize,
    },
    KubernetesOutside {
        #[serde(serialize_with = "range_text")]
        range: KubernetesRange,
        outside: Vec<KubeOutside>,
        /// Clusters whose Kubernetes version is not known.
        unknown: Vec<String>,
    },
    /// Some clusters' Kubernetes version is not known, none is outside.
    KubernetesUnknown {
        #[serde(serialize_with = "range_text")]
        range: KubernetesRange,
        unknown: Vec<String>,
        inside: usize,
    },

    // dr-order (platform, under DR)
    /// The standby has not fallen behind the primary: the guide's order was kept.
    StandbyFirst {
        primary: String,
        standby: String,
    },
    /// The primary runs a newer version than the standby: the order (standby first) was not
    /// kept.
    DrOrderViolated {
        primary: String,
        standby: String,
    },
    /// A global reports no version: the order cannot be judged.
    DrVersionUnknown {
        primary: Option<String>,
        standby: Option<String>,
    },
    /// The standby global could not be read.
    StandbyUnreadable {
        session: String,
        why: String,
    },
}

fn range_text<S: serde::Serializer>(range: &KubernetesRange, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(range)
}
