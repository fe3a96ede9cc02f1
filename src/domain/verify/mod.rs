//! After the upgrade: `ac adm upgrade verify` judges whether the platform is done at a version
//! V (`--to`, else the global tier's version: its ceiling). Per cluster: at V, `Ready`, not
//! `Stalled`/`Degraded`, its status current (`observedGeneration`), no request for another
//! release pending. For the platform: `cvo-config` disables no preflight check (on both
//! globals under DR), every selected workload cluster's Kubernetes inside the range of the
//! global's release, and under DR the standby not behind the primary (the guide's order). Then
//! the guide's post-upgrade steps for V's release line ([`post_upgrade`]), each with when it is
//! due.
//!
//! Pure, like `domain::precheck`: what was read goes in ([`ClusterState`] per cluster — the
//! little verify judges of each cvsh, so that a 5,000-cluster LIST is kept page by page —,
//! the [`Platform`], the [`GlobalTier`]); typed [`Item`]s come out, a [`Finding`] each. The
//! words are `domain::advice::verify`'s; each rule and the guide's sentence are in
//! `docs/verify.md`.

pub mod finding;
pub mod post_upgrade;

use serde::Serialize;

use crate::domain::assess::classify::trouble_conditions;
use crate::domain::cvsh::{Condition, Cvsh, Release};
use crate::domain::facts::{Fact, Platform};
use crate::domain::rules::kubernetes::{KubernetesRange, Placement};
use crate::domain::rules::tier::{GlobalTier, StandbyGlobal};
use crate::domain::version;
use crate::output::text::one_line;
pub use finding::{ConditionSeen, Finding, KubeOutside, KubeRemedy, TargetFrom};
use post_upgrade::{Step, When};

/// What verify keeps of one cluster's ClusterVersionShadow: a few strings and numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterState {
    pub name: String,
    pub current: Option<Release>,
    /// `spec.desiredUpdate`.
    pub requested: Option<Release>,
    pub generation: Option<i64>,
    pub observed_generation: Option<i64>,
    /// `metadata.generation` not observed (`Cvsh::is_stale`).
    pub stale: bool,
    /// The `Ready` condition.
    pub ready: Option<ConditionSeen>,
    /// `Stalled=True`, `Degraded=True`.
    pub trouble: Vec<ConditionSeen>,
}

fn seen(condition: &Condition) -> ConditionSeen {
    ConditionSeen {
        condition: condition.type_.clone(),
        status: condition.status.clone(),
        why: condition
            .message
            .as_deref()
            .or(condition.reason.as_deref())
            .map(one_line),
    }
}

impl ClusterState {
    pub fn of(cvsh: &Cvsh) -> ClusterState {
        ClusterState {
            name: cvsh.name.clone(),
            current: cvsh.current.clone(),
            requested: cvsh.requested(),
            generation: cvsh.generation,
            observed_generation: cvsh.observed_generation,
            stale: cvsh.is_stale(),
            ready: cvsh.condition("Ready").map(seen),
            trouble: trouble_conditions(cvsh).into_iter().map(seen).collect(),
        }
    }

    pub fn current_version(&self) -> Option<&str> {
        self.current.as_ref().and_then(|c| c.version.as_deref())
    }

    /// Whether it runs `v` or a newer version.
    fn at_least(&self, v: &str) -> bool {
        self.current_version()
            .is_some_and(|at| version::reached(at, v))
    }
}

/// The checks, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Target,
    Version,
    Ready,
    Conditions,
    StatusCurrent,
    Request,
    DisabledChecks,
    KubernetesRange,
    DrOrder,
}

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Check::Target => "target",
            Check::Version => "version",
            Check::Ready => "ready",
            Check::Conditions => "conditions",
            Check::StatusCurrent => "status-current",
            Check::Request => "request",
            Check::DisabledChecks => "disabled-checks",
            Check::KubernetesRange => "kubernetes-range",
            Check::DrOrder => "dr-order",
        }
    }
}

/// The checks of every cluster, in order.
pub const CLUSTER_CHECKS: [Check; 5] = [
    Check::Version,
    Check::Ready,
    Check::Conditions,
    Check::StatusCurrent,
    Check::Request,
];

/// A check's result. Open and unknown items make `verify` exit 3: it says "done" only about
/// what it could see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    /// Not judged, by design (no rule is known for it).
    Skipped,
    /// Could not be judged (a fact could not be read).
    Unknown,
    Open,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Skipped => "skipped",
            Verdict::Unknown => "unknown",
            Verdict::Open => "open",
        }
    }

    /// Keeps the platform from being verified.
    pub fn is_open(self) -> bool {
        matches!(self, Verdict::Open | Verdict::Unknown)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub check: Check,
    pub verdict: Verdict,
    pub finding: Finding,
}

fn item(check: Check, verdict: Verdict, finding: Finding) -> Item {
    Item {
        check,
        verdict,
        finding,
    }
}

/// The standby global's session and a context of it (the row of the standby).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandbyRef {
    pub session: String,
    pub context: String,
}

/// One cluster, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterVerdict {
    pub cluster: String,
    /// The standby global of a DR pair (its checks run through its own session).
    pub standby: Option<StandbyRef>,
    pub is_global: bool,
    /// Its current release, as a person reads it.
    pub current: Option<String>,
    pub items: Vec<Item>,
}

impl ClusterVerdict {
    /// The worst of its items.
    pub fn verdict(&self) -> Verdict {
        self.items
            .iter()
            .map(|i| i.verdict)
            .max()
            .unwrap_or(Verdict::Ok)
    }
}

/// When a post-upgrade step is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Due {
    Now,
    /// The global cluster has not reached the version yet.
    AfterGlobal,
    /// Under DR, both globals have not reached it yet.
    AfterBothGlobals,
    /// `left` clusters (globals included) have not reached it yet.
    AfterEveryCluster {
        left: usize,
    },
    /// Not every cluster was verified (`--cluster`): whether every cluster reached it is not
    /// known here.
    NotJudged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostUpgradeItem {
    pub step: &'static Step,
    pub due: Due,
}

/// The post-upgrade checklist of the version verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostUpgrade {
    /// The release line (`4.3`); `None` without a version.
    pub release: Option<String>,
    pub steps: Vec<PostUpgradeItem>,
}

/// Everything judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The version verified (`None`: none could be determined).
    pub target: Option<String>,
    pub target_from: TargetFrom,
    /// Every cluster was selected (not `--cluster`).
    pub all: bool,
    /// In the order they move: the DR standby global, the global cluster, then by name.
    pub clusters: Vec<ClusterVerdict>,
    pub platform: Vec<Item>,
    pub post_upgrade: PostUpgrade,
}

impl Judgement {
    /// Items open or unknown, on clusters and the platform.
    pub fn open_items(&self) -> impl Iterator<Item = &Item> {
        self.clusters
            .iter()
            .flat_map(|c| c.items.iter())
            .chain(self.platform.iter())
            .filter(|i| i.verdict.is_open())
    }

    /// Nothing is open: exit 0.
    pub fn verified(&self) -> bool {
        self.open_items().next().is_none()
    }
}

/// Everything verify judges.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// `--to` (already a version).
    pub to: Option<&'a str>,
    pub tier: &'a GlobalTier,
    /// The selected clusters: one (`--cluster`), or every ClusterVersionShadow.
    pub clusters: &'a [ClusterState],
    /// Every cluster was selected.
    pub all: bool,
    pub platform: &'a Platform,
}

/// Judge the platform.
pub fn judge(input: &Input) -> Judgement {
    let tier = input.tier;
    let (target, target_from) = match input.to {
        Some(v) => (Some(v.to_string()), TargetFrom::Flag),
        None => (tier.ceiling().map(str::to_string), TargetFrom::Tier),
    };
    let target_item = match &target {
        Some(version) => item(
            Check::Target,
            Verdict::Ok,
            Finding::Target {
                version: version.clone(),
                from: target_from,
            },
        ),
        None => item(Check::Target, Verdict::Open, Finding::TargetUnknown),
    };
    let mut states: Vec<&ClusterState> = input.clusters.iter().collect();
    states.sort_by(|a, b| {
        tier.is_global(&b.name)
            .cmp(&tier.is_global(&a.name))
            .then_with(|| a.name.cmp(&b.name))
    });
    let global_selected = states.iter().any(|s| tier.is_global(&s.name));
    // The standby's own state, when the global tier is verified under DR.
    let standby = tier.standby().filter(|_| global_selected);
    let standby_read = input
        .platform
        .standby
        .as_ref()
        .filter(|_| standby.is_some());
    let standby_state = standby_read
        .and_then(|s| s.cvsh.read())
        .map(ClusterState::of);

    // In the order they move: the standby global, the primary, the workload clusters.
    let mut clusters = Vec::new();
    if let (Some(standby), Some(state)) = (standby, &standby_state) {
        let reference = StandbyRef {
            session: standby.session.clone(),
            context: standby.context.clone(),
        };
        clusters.push(cluster_verdict(
            state,
            true,
            Some(reference),
            target.as_deref(),
        ));
    }
    for state in &states {
        let is_global = tier.is_global(&state.name);
        clusters.push(cluster_verdict(state, is_global, None, target.as_deref()));
    }

    let mut platform = vec![target_item];
    platform.push(disabled_checks(&input.platform.disabled_checks, None));
    if let (Some(standby), Some(read)) = (standby, standby_read)
        && let Some(fact) = &read.disabled_checks
    {
        platform.push(disabled_checks(fact, Some(&standby.session)));
    }
    let workloads: Vec<&ClusterState> = states
        .iter()
        .copied()
        .filter(|s| !tier.is_global(&s.name))
        .collect();
    if !workloads.is_empty() || input.all {
        platform.push(kubernetes_range(tier, &workloads, input.platform));
    }
    if let Some(standby) = standby {
        platform.push(dr_order(tier, standby));
    }
    let post_upgrade = post_upgrade_of(input, target.as_deref(), &states, &standby_state);
    Judgement {
        target,
        target_from,
        all: input.all,
        clusters,
        platform,
        post_upgrade,
    }
}

/// The per-cluster checks of one cluster.
fn cluster_verdict(
    state: &ClusterState,
    is_global: bool,
    standby: Option<StandbyRef>,
    target: Option<&str>,
) -> ClusterVerdict {
    let mut items = Vec::new();
    let to_release = target.map(|v| Release {
        version: Some(v.to_string()),
        image: None,
    });
    if let (Some(to), Some(to_release)) = (target, &to_release) {
        let requested = state
            .requested
            .as_ref()
            .is_some_and(|r| r.same_as(to_release));
        items.push(match state.current_version() {
            Some(at) if version::same_version(at, to) => item(
                Check::Version,
                Verdict::Ok,
                Finding::AtTarget {
                    version: at.to_string(),
                },
            ),
            Some(at) => item(
                Check::Version,
                Verdict::Open,
                Finding::NotAtTarget {
                    at: at.to_string(),
                    to: to.to_string(),
                    beyond: version::reached(at, to),
                    requested,
                },
            ),
            None => item(
                Check::Version,
                Verdict::Open,
                Finding::NoVersion {
                    to: to.to_string(),
                    requested,
                },
            ),
        });
    }
    items.push(match &state.ready {
        Some(ready) if ready.status.eq_ignore_ascii_case("true") => {
            item(Check::Ready, Verdict::Ok, Finding::Ready)
        }
        Some(ready) => item(
            Check::Ready,
            Verdict::Open,
            Finding::NotReady {
                ready: ready.clone(),
            },
        ),
        None => item(Check::Ready, Verdict::Open, Finding::NoReadyCondition),
    });
    items.push(if state.trouble.is_empty() {
        item(Check::Conditions, Verdict::Ok, Finding::NoTrouble)
    } else {
        item(
            Check::Conditions,
            Verdict::Open,
            Finding::Trouble {
                conditions: state.trouble.clone(),
            },
        )
    });
    items.push(if state.stale {
        item(
            Check::StatusCurrent,
            Verdict::Open,
            Finding::StatusStale {
                generation: state.generation.unwrap_or_default(),
                observed: state.observed_generation,
            },
        )
    } else {
        item(
            Check::StatusCurrent,
            Verdict::Ok,
            Finding::StatusCurrent {
                generation: state.generation,
            },
        )
    });
    // A request for the target, or for what the cluster already runs, is not pending.
    let other = state.requested.as_ref().filter(|request| {
        !to_release.as_ref().is_some_and(|to| request.same_as(to))
            && !state
                .current
                .as_ref()
                .is_some_and(|current| request.same_as(current))
    });
    items.push(match (other, target) {
        (Some(request), _) => item(
            Check::Request,
            Verdict::Open,
            Finding::OtherRequest {
                request: request.clone(),
                to: target.unwrap_or("<unknown>").to_string(),
            },
        ),
        (None, _) => item(Check::Request, Verdict::Ok, Finding::NoOtherRequest),
    });
    ClusterVerdict {
        cluster: state.name.clone(),
        standby,
        is_global,
        current: state.current.as_ref().map(Release::label),
        items,
    }
}

/// `cvo-config` of a global (`standby`: the standby's session).
fn disabled_checks(fact: &Fact<Vec<String>>, standby: Option<&str>) -> Item {
    let check = Check::DisabledChecks;
    let standby = standby.map(str::to_string);
    match (fact, standby) {
        (Fact::Unknown(why), Some(session)) => item(
            check,
            Verdict::Unknown,
            Finding::StandbyUnreadable {
                session,
                why: why.clone(),
            },
        ),
        (Fact::Unknown(why), None) => item(
            check,
            Verdict::Unknown,
            Finding::Unreadable { why: why.clone() },
        ),
        (Fact::Read(names), standby) if names.is_empty() => {
            item(check, Verdict::Ok, Finding::NoneDisabled { standby })
        }
        (Fact::Read(names), standby) => item(
            check,
            Verdict::Open,
            Finding::ChecksDisabled {
                names: names.clone(),
                standby,
            },
        ),
    }
}

/// Every selected workload cluster inside the Kubernetes range of the global's release.
fn kubernetes_range(tier: &GlobalTier, workloads: &[&ClusterState], platform: &Platform) -> Item {
    let check = Check::KubernetesRange;
    let Some(global) = tier.primary_version() else {
        return item(check, Verdict::Unknown, Finding::GlobalVersionUnknown);
    };
    let Some(range) = KubernetesRange::of_release(global) else {
        return item(
            check,
            Verdict::Skipped,
            Finding::NoKubernetesRange {
                release: global.to_string(),
            },
        );
    };
    if workloads.is_empty() {
        return item(check, Verdict::Ok, Finding::NoWorkloadCluster);
    }
    let objects = match &platform.clusters {
        Some(Fact::Read(list)) => list,
        Some(Fact::Unknown(why)) => {
            return item(
                check,
                Verdict::Unknown,
                Finding::Unreadable { why: why.clone() },
            );
        }
        None => {
            return item(
                check,
                Verdict::Unknown,
                Finding::Unreadable {
                    why: "clusters.platform.tkestack.io was not read".into(),
                },
            );
        }
    };
    let versions: std::collections::HashMap<&str, &str> = objects
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.kubernetes_version.as_deref()?)))
        .collect();
    let (mut outside, mut unknown, mut inside) = (Vec::new(), Vec::new(), 0);
    for state in workloads {
        let Some(kubernetes) = versions.get(state.name.as_str()) else {
            unknown.push(state.name.clone());
            continue;
        };
        match range.place(kubernetes) {
            Some(Placement::Inside) => inside += 1,
            None => unknown.push(state.name.clone()),
            Some(Placement::Above) => outside.push(KubeOutside {
                cluster: state.name.clone(),
                version: kubernetes.to_string(),
                remedy: KubeRemedy::Above,
            }),
            Some(Placement::Below) => {
                // One minor up, when the cluster's own release runs it.
                let step = range.step_toward(kubernetes).filter(|line| {
                    state
                        .current_version()
                        .and_then(KubernetesRange::of_release)
                        .and_then(|own| own.contains(&line.to_string()))
                        == Some(true)
                });
                outside.push(KubeOutside {
                    cluster: state.name.clone(),
                    version: kubernetes.to_string(),
                    remedy: match step {
                        Some(to) => KubeRemedy::UpgradeKubernetes { to },
                        None => KubeRemedy::CheckCluster,
                    },
                });
            }
        }
    }
    if !outside.is_empty() {
        item(
            check,
            Verdict::Open,
            Finding::KubernetesOutside {
                range,
                outside,
                unknown,
            },
        )
    } else if !unknown.is_empty() {
        item(
            check,
            Verdict::Unknown,
            Finding::KubernetesUnknown {
                range,
                unknown,
                inside,
            },
        )
    } else {
        item(
            check,
            Verdict::Ok,
            Finding::KubernetesInside {
                range,
                count: inside,
            },
        )
    }
}

/// Under DR: the primary is not ahead of the standby (the guide's order: standby first).
fn dr_order(tier: &GlobalTier, standby: &StandbyGlobal) -> Item {
    let check = Check::DrOrder;
    if let Fact::Unknown(why) = &standby.version {
        return item(
            check,
            Verdict::Unknown,
            Finding::StandbyUnreadable {
                session: standby.session.clone(),
                why: why.clone(),
            },
        );
    }
    if let Some((primary, standby)) = tier.order_violated() {
        return item(
            check,
            Verdict::Open,
            Finding::DrOrderViolated {
                primary: primary.to_string(),
                standby: standby.to_string(),
            },
        );
    }
    match (tier.primary_version(), standby.version()) {
        (Some(primary), Some(at))
            if version::parse(primary).is_some() && version::parse(at).is_some() =>
        {
            item(
                check,
                Verdict::Ok,
                Finding::StandbyFirst {
                    primary: primary.to_string(),
                    standby: at.to_string(),
                },
            )
        }
        (primary, at) => item(
            check,
            Verdict::Unknown,
            Finding::DrVersionUnknown {
                primary: primary.map(str::to_string),
                standby: at.map(str::to_string),
            },
        ),
    }
}

/// The guide's post-upgrade steps of the target's release line, each with when it is due.
fn post_upgrade_of(
    input: &Input,
    target: Option<&str>,
    states: &[&ClusterState],
    standby: &Option<ClusterState>,
) -> PostUpgrade {
    let tier = input.tier;
    let Some((to, release)) = target.and_then(|t| Some((t, version::minor_of(t)?))) else {
        return PostUpgrade {
            release: None,
            steps: Vec::new(),
        };
    };
    let dr = tier.standby().is_some();
    let global_reached = tier
        .primary_version()
        .is_some_and(|at| version::reached(at, to));
    let standby_reached = tier
        .standby()
        .and_then(|s| s.version())
        .is_some_and(|at| version::reached(at, to));
    let left = states
        .iter()
        .copied()
        .chain(standby.iter())
        .filter(|s| !s.at_least(to))
        .count();
    let steps = post_upgrade::steps_for(release, dr)
        .map(|step| {
            let due = match step.when {
                When::GlobalReached if global_reached => Due::Now,
                When::GlobalReached => Due::AfterGlobal,
                When::BothGlobalsReached if global_reached && standby_reached => Due::Now,
                When::BothGlobalsReached => Due::AfterBothGlobals,
                When::AllClustersReached if !input.all => Due::NotJudged,
                When::AllClustersReached if left == 0 => Due::Now,
                When::AllClustersReached => Due::AfterEveryCluster { left },
            };
            PostUpgradeItem { step, due }
        })
        .collect();
    PostUpgrade {
        release: Some(format!("{}.{}", release.0, release.1)),
        steps,
    }
}

#[cfg(test)]
mod tests;
