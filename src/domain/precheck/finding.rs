//! What a pre-check found, typed: the objects, clusters and versions behind a verdict. The
//! serde form is the `finding` of each item in `ac adm upgrade precheck -o json` (tagged by
//! `kind`); the sentences and remedies a person reads are the advice layer's.

use serde::Serialize;

use crate::domain::cvsh::Release;
use crate::domain::rules::kubernetes::{KubeVersion, KubernetesRange};
use crate::domain::rules::path::Path;
use crate::domain::rules::tier::{TierBlock, TierClear};

/// A workload cluster outside the target's Kubernetes range, and what moves it toward it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeOutside {
    pub cluster: String,
    /// Its Kubernetes version (`1.30.14`).
    pub version: String,
    pub remedy: KubeRemedy,
}

/// What moves a cluster's Kubernetes toward a range (`docs/precheck.md`, "Kubernetes range").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum KubeRemedy {
    /// Upgrade its Kubernetes one minor, to this line, through the platform's Cluster resource
    /// (inside the range of the cluster's own ACP release).
    UpgradeKubernetes { to: KubeVersion },
    /// Upgrade the cluster's ACP version first (the highest it may take now): the next
    /// Kubernetes minor is outside its current release's range. `checked`: that request's own
    /// pre-checks were judged and pass (else they are the next thing to look at).
    UpgradeCluster { to: String, checked: bool },
    /// Neither is possible now (e.g. nothing it may take is offered): its own pre-checks say
    /// what stands in the way.
    CheckCluster,
    /// Above the range: Kubernetes is never downgraded; the target is not for this cluster.
    Above,
}

/// A Machine that is not Running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MachineState {
    pub name: String,
    pub phase: Option<String>,
}

/// Why a cluster is not ready for a new request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum StateProblem {
    /// Already upgrading to another release: a new request would redirect it.
    Upgrading { to: Release },
    /// A request the controller has not observed yet.
    PendingUnobserved { to: Release, generation: i64 },
    /// `Stalled=True`, `Degraded=True` (or another trouble condition) and why.
    Condition {
        condition: String,
        why: Option<String>,
    },
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

    // target
    AlreadyAt {
        release: Release,
    },
    Offered {
        release: Release,
    },
    /// Not among the offers; `explicit`: requested anyway (`--allow-explicit-upgrade`).
    NotOffered {
        release: Release,
        offered: String,
        explicit: bool,
    },
    NothingOffered,

    // upgrade path
    /// The version behind an image target is unknown.
    TargetVersionUnknown,
    /// The cluster reports no current version.
    CurrentVersionUnknown,
    Path {
        from: String,
        to: String,
        path: Path,
        /// The target is a pre-release (`rc.1`).
        pre_release: Option<String>,
    },

    // the global tier
    /// The tier lets the cluster move.
    TierClear {
        to: String,
        clear: TierClear,
    },
    /// The tier stands in the way; `now`: the highest version this cluster may take instead.
    TierBlocked {
        to: String,
        block: TierBlock,
        now: Option<String>,
    },
    /// The standby global could not be read.
    StandbyUnreadable {
        session: String,
        why: String,
    },

    // Kubernetes
    /// No range is known for the target's release.
    NoKubernetesRange {
        to: String,
    },
    KubernetesInside {
        #[serde(serialize_with = "range_text")]
        range: KubernetesRange,
        /// Workload clusters judged (a global target), or 1 (a workload target).
        count: usize,
    },
    KubernetesOutside {
        /// The target version the range is of.
        to: String,
        #[serde(serialize_with = "range_text")]
        range: KubernetesRange,
        outside: Vec<KubeOutside>,
        /// Clusters whose Kubernetes version is not known.
        unknown: Vec<String>,
    },
    /// Every judged cluster's Kubernetes version is unknown (or there is no Cluster object).
    KubernetesUnknown {
        #[serde(serialize_with = "range_text")]
        range: KubernetesRange,
        unknown: Vec<String>,
        inside: usize,
    },
    NoClusterObject {
        cluster: String,
    },

    // Machines
    MachinesRunning {
        count: usize,
    },
    MachinesNotRunning {
        total: usize,
        not_running: Vec<MachineState>,
    },

    // ResourcePatches
    PatchesExempt {
        count: usize,
        to: String,
    },
    PatchesNotExempt {
        names: Vec<String>,
        to: String,
    },

    // admin gates
    NoGates {
        line: String,
    },
    GatesAcknowledged {
        count: usize,
    },
    GatesNotAcknowledged {
        keys: Vec<String>,
        /// `admin-acks` exists (patch it) or not (create it).
        acks_exist: bool,
    },

    // cvo-config
    NoneDisabled,
    ChecksDisabled {
        names: Vec<String>,
    },

    // the cluster's own state
    ClusterReady,
    ClusterBusy {
        problems: Vec<StateProblem>,
    },
    StatusStale {
        generation: i64,
    },
}

fn range_text<S: serde::Serializer>(range: &KubernetesRange, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(range)
}
