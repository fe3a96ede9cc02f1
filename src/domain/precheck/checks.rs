//! One function per prerequisite (`docs/precheck.md` gives each rule's source in the guide).
//! Each asks the rule types of `domain::rules` and returns typed items; nothing here writes a
//! sentence or a command.

use super::finding::{KubeOutside, KubeRemedy, MachineState, StateProblem};
use super::{Check, Finding, Input, Item, Verdict, Wanted, judge};
use crate::domain::assess::classify::{in_progress_towards, trouble_conditions};
use crate::domain::cvsh::Release;
use crate::domain::facts::{Fact, PlatformCluster, by_name, unacknowledged_gates};
use crate::domain::rules::kubernetes::{KubernetesRange, Placement};
use crate::domain::rules::offers::Offers;
use crate::domain::rules::path::{self, Path};
use crate::domain::rules::tier::{NextVersion, TierVerdict};
use crate::domain::version;
use crate::output::text::one_line;

fn unreadable(check: Check, why: &str) -> Item {
    Item::new(
        check,
        Verdict::Unknown,
        Finding::Unreadable {
            why: why.to_string(),
        },
    )
}

fn release_of(version: &str) -> Release {
    Release {
        version: Some(version.to_string()),
        image: None,
    }
}

/// The version `input`'s cluster may take now (tier and offers), when a request for it would
/// pass its own pre-checks: the move a blocked item can offer instead. Judged without looking
/// for alternatives again (`alternatives: false`), so this never recurses further.
fn clear_move_now(input: &Input, alternatives: bool, instead_of: &str) -> Option<String> {
    if !alternatives {
        return None;
    }
    let offers = Offers::new(&input.cvsh.available_updates);
    let now = input
        .tier
        .next_version_for(input.cluster, &offers, input.cvsh.current_version());
    let now = now.offered()?.to_string();
    if version::same_version(&now, instead_of) {
        return None;
    }
    let wanted = Wanted::Version(now.clone());
    let judged = judge(
        &Input {
            wanted: &wanted,
            allow_explicit: false,
            ..*input
        },
        false,
    );
    (!judged.blocked()).then_some(now)
}

/// The target: what was asked, resolved against what the controller offers.
pub(super) fn target(input: &Input) -> (Item, Option<Release>) {
    let c = input.cvsh;
    let offers = Offers::new(&c.available_updates);
    let nothing_offered = || Item::new(Check::Target, Verdict::Block, Finding::NothingOffered);
    let latest = || offers.latest().and_then(|r| r.version.clone());
    let chosen: Release = match input.wanted {
        Wanted::Version(v) => release_of(v),
        Wanted::Image(i) => Release {
            version: None,
            image: Some(i.clone()),
        },
        Wanted::Latest => match latest() {
            Some(v) => release_of(&v),
            None => return (nothing_offered(), None),
        },
        Wanted::Unspecified => {
            let next = input
                .tier
                .next_version_for(input.cluster, &offers, c.current_version());
            match next.offered().map(str::to_string).or_else(latest) {
                Some(v) => release_of(&v),
                None => return (nothing_offered(), None),
            }
        }
    };
    if let Some(cur) = &c.current
        && cur.same_as(&chosen)
    {
        let item = Item::new(
            Check::Target,
            Verdict::Pass,
            Finding::AlreadyAt {
                release: chosen.clone(),
            },
        );
        return (item, Some(chosen));
    }
    let offer = offers.find(&chosen);
    // An image target is judged by the version it is offered as, when it is offered.
    let resolved = Release {
        version: chosen
            .version
            .clone()
            .or_else(|| offer.and_then(|o| o.version.clone())),
        image: chosen.image.clone(),
    };
    let item = match (offer, input.allow_explicit) {
        (Some(_), _) => Item::new(
            Check::Target,
            Verdict::Pass,
            Finding::Offered { release: chosen },
        ),
        (None, explicit) => Item::new(
            Check::Target,
            if explicit {
                Verdict::Warn
            } else {
                Verdict::Block
            },
            Finding::NotOffered {
                release: chosen,
                offered: offers.labels(),
                explicit,
            },
        ),
    };
    (item, Some(resolved))
}

/// Supported upgrade paths (4.0/4.1/4.2 → 4.3), downgrades, pre-releases.
pub(super) fn upgrade_path(input: &Input, target: &Release) -> Option<Item> {
    let check = Check::UpgradePath;
    let Some(to) = target.version.as_deref() else {
        return Some(Item::new(
            check,
            Verdict::Unknown,
            Finding::TargetVersionUnknown,
        ));
    };
    let Some(from) = input.cvsh.current_version() else {
        return Some(Item::new(
            check,
            Verdict::Unknown,
            Finding::CurrentVersionUnknown,
        ));
    };
    let path = path::judge(from, to);
    let pre_release = path::pre_release(to);
    let verdict = match &path {
        Path::Same => return None,
        Path::NotVersions | Path::NotStated { .. } => Verdict::Unknown,
        Path::Downgrade | Path::Unsupported { .. } => Verdict::Block,
        Path::WithinLine { .. } | Path::Supported { .. } if pre_release.is_some() => Verdict::Warn,
        Path::WithinLine { .. } | Path::Supported { .. } => Verdict::Pass,
    };
    Some(Item::new(
        check,
        verdict,
        Finding::Path {
            from: from.to_string(),
            to: to.to_string(),
            path,
            pre_release,
        },
    ))
}

/// A tier verdict as an item of `check`.
fn tier_item(
    input: &Input,
    alternatives: bool,
    check: Check,
    to: &str,
    verdict: TierVerdict,
) -> Item {
    match verdict {
        TierVerdict::Clear(clear) => Item::new(
            check,
            Verdict::Pass,
            Finding::TierClear {
                to: to.to_string(),
                clear,
            },
        ),
        TierVerdict::Blocked(block) => Item::new(
            check,
            Verdict::Block,
            Finding::TierBlocked {
                to: to.to_string(),
                block,
                now: clear_move_now(input, alternatives, to),
            },
        ),
        TierVerdict::StandbyUnreadable(why) => Item::new(
            check,
            Verdict::Unknown,
            Finding::StandbyUnreadable {
                session: input
                    .tier
                    .standby()
                    .map(|s| s.session.clone())
                    .unwrap_or_default(),
                why,
            },
        ),
    }
}

/// Workload clusters move only to a version the global tier (both globals under DR) reached.
pub(super) fn global_first(input: &Input, alternatives: bool, target: &Release) -> Item {
    let check = Check::GlobalFirst;
    let Some(to) = target.version.as_deref() else {
        return Item::new(check, Verdict::Unknown, Finding::TargetVersionUnknown);
    };
    let verdict = input.tier.may_move(input.cluster, to);
    tier_item(input, alternatives, check, to, verdict)
}

/// Under DR the standby global is upgraded before the primary.
pub(super) fn dr_order(input: &Input, alternatives: bool, target: &Release) -> Option<Item> {
    input.tier.standby()?;
    let to = target.version.as_deref()?;
    Some(tier_item(
        input,
        alternatives,
        Check::DrStandbyFirst,
        to,
        input.tier.may_move(input.cluster, to),
    ))
}

/// What moves `cluster` (Kubernetes `kubernetes`, ACP `acp`, offered `offers`) toward `range`.
pub(super) fn kubernetes_remedy(
    input: &Input,
    alternatives: bool,
    cluster: &str,
    kubernetes: &str,
    range: &KubernetesRange,
) -> KubeRemedy {
    if range.place(kubernetes) == Some(Placement::Above) {
        return KubeRemedy::Above;
    }
    let Some(step) = range.step_toward(kubernetes) else {
        return KubeRemedy::CheckCluster;
    };
    // The cluster's own ACP release bounds its Kubernetes: within it, upgrade Kubernetes.
    let (acp, offers) = if cluster == input.cluster {
        (
            input.cvsh.current_version().map(str::to_string),
            Some(Offers::new(&input.cvsh.available_updates)),
        )
    } else {
        match input.platform.version_of(cluster) {
            Some(known) => (known.current.clone(), Some(Offers::new(&known.offers))),
            None => (None, None),
        }
    };
    let own_range = acp.as_deref().and_then(KubernetesRange::of_release);
    if own_range.is_none_or(|own| own.contains(&step.to_string()) == Some(true)) {
        return KubeRemedy::UpgradeKubernetes { to: step };
    }
    // Else its ACP version first: the highest the tier lets it take now, when that move's own
    // pre-checks pass (judged for the cluster being checked; another cluster's are its own).
    let Some(offers) = offers else {
        return KubeRemedy::CheckCluster;
    };
    match input
        .tier
        .next_version_for(cluster, &offers, acp.as_deref())
    {
        NextVersion::Offered(_) if cluster == input.cluster => {
            let current = input.cvsh.current_version().unwrap_or_default();
            match clear_move_now(input, alternatives, current) {
                Some(now) => KubeRemedy::UpgradeCluster {
                    to: now,
                    checked: true,
                },
                None => KubeRemedy::CheckCluster,
            }
        }
        NextVersion::Offered(to) => KubeRemedy::UpgradeCluster { to, checked: false },
        _ => KubeRemedy::CheckCluster,
    }
}

/// Before the global tier moves to a release, every workload cluster's Kubernetes version
/// must be inside that release's compatible range; a workload cluster is judged on its own.
pub(super) fn kubernetes_versions(
    input: &Input,
    alternatives: bool,
    target: &Release,
) -> Option<Item> {
    let check = Check::KubernetesVersions;
    let clusters = match input.platform.clusters.as_ref()? {
        Fact::Read(c) => c,
        Fact::Unknown(why) => return Some(unreadable(check, why)),
    };
    let Some(to) = target.version.as_deref() else {
        return Some(Item::new(
            check,
            Verdict::Unknown,
            Finding::TargetVersionUnknown,
        ));
    };
    let Some(range) = KubernetesRange::of_release(to) else {
        return Some(Item::new(
            check,
            Verdict::Unknown,
            Finding::NoKubernetesRange { to: to.into() },
        ));
    };
    let mut outside = Vec::new();
    let mut unknown = Vec::new();
    let mut inside = 0usize;
    let judged: Vec<&PlatformCluster> = if input.is_global() {
        clusters
            .iter()
            .filter(|c| !input.tier.is_global(&c.name))
            .collect()
    } else {
        // A workload cluster is judged on its own Cluster (one of thousands, by name).
        by_name(clusters, input.cluster, |c| &c.name)
            .into_iter()
            .collect()
    };
    for c in judged {
        let version = c.kubernetes_version.as_deref();
        match version.and_then(|v| range.contains(v)) {
            Some(true) => inside += 1,
            Some(false) => {
                let version = version.unwrap_or_default();
                outside.push(KubeOutside {
                    cluster: c.name.clone(),
                    version: version.to_string(),
                    remedy: kubernetes_remedy(input, alternatives, &c.name, version, &range),
                })
            }
            None => unknown.push(c.name.clone()),
        }
    }
    Some(if !outside.is_empty() {
        Item::new(
            check,
            Verdict::Block,
            Finding::KubernetesOutside {
                to: to.to_string(),
                range,
                outside,
                unknown,
            },
        )
    } else if !unknown.is_empty() {
        Item::new(
            check,
            Verdict::Unknown,
            Finding::KubernetesUnknown {
                range,
                unknown,
                inside,
            },
        )
    } else if inside == 0 && !input.is_global() {
        Item::new(
            check,
            Verdict::Unknown,
            Finding::NoClusterObject {
                cluster: input.cluster.to_string(),
            },
        )
    } else {
        Item::new(
            check,
            Verdict::Pass,
            Finding::KubernetesInside {
                range,
                count: inside,
            },
        )
    })
}

/// Every Machine of the global cluster is Running before it is upgraded.
pub(super) fn machines(input: &Input) -> Option<Item> {
    let check = Check::Machines;
    let machines = match input.platform.machines.as_ref()? {
        Fact::Read(m) => m,
        Fact::Unknown(why) => return Some(unreadable(check, why)),
    };
    let not_running: Vec<MachineState> = machines
        .iter()
        .filter(|m| !m.is_running())
        .map(|m| MachineState {
            name: m.name.clone(),
            phase: m.phase.clone(),
        })
        .collect();
    Some(if not_running.is_empty() {
        Item::new(
            check,
            Verdict::Pass,
            Finding::MachinesRunning {
                count: machines.len(),
            },
        )
    } else {
        Item::new(
            check,
            Verdict::Block,
            Finding::MachinesNotRunning {
                total: machines.len(),
                not_running,
            },
        )
    })
}

/// ResourcePatches not exempt for the target version block ResourcePatchUpgradeable.
pub(super) fn resource_patches(input: &Input, target: &Release) -> Item {
    let check = Check::ResourcePatches;
    let patches = match &input.platform.resource_patches {
        Fact::Read(p) => p,
        Fact::Unknown(why) => return unreadable(check, why),
    };
    let Some(to) = target.version.as_deref() else {
        return Item::new(check, Verdict::Unknown, Finding::TargetVersionUnknown);
    };
    let count = patches
        .iter()
        .filter(|p| p.applies_to(input.cluster))
        .count();
    let names: Vec<String> = patches
        .iter()
        .filter(|p| p.blocks(input.cluster, to))
        .map(|p| p.name.clone())
        .collect();
    if names.is_empty() {
        Item::new(
            check,
            Verdict::Pass,
            Finding::PatchesExempt {
                count,
                to: to.into(),
            },
        )
    } else {
        Item::new(
            check,
            Verdict::Block,
            Finding::PatchesNotExempt {
                names,
                to: to.into(),
            },
        )
    }
}

/// Release gates (`admin-gates`) need an administrator's ack (`admin-acks`).
pub(super) fn admin_acks(input: &Input, target: &Release) -> Option<Item> {
    let check = Check::AdminAcks;
    let gates = match &input.platform.admin_gates {
        Fact::Read(g) => g,
        Fact::Unknown(why) => return Some(unreadable(check, why)),
    };
    let release = version::minor_of(target.version.as_deref()?)?;
    let (applicable, _) = unacknowledged_gates(gates, None, release);
    if applicable.is_empty() {
        return Some(Item::new(
            check,
            Verdict::Pass,
            Finding::NoGates {
                line: path::line(release),
            },
        ));
    }
    let acks = match &input.platform.admin_acks {
        Fact::Read(a) => a,
        Fact::Unknown(why) => return Some(unreadable(check, why)),
    };
    let (applicable, missing) = unacknowledged_gates(gates, acks.as_deref(), release);
    Some(if missing.is_empty() {
        Item::new(
            check,
            Verdict::Pass,
            Finding::GatesAcknowledged {
                count: applicable.len(),
            },
        )
    } else {
        Item::new(
            check,
            Verdict::Block,
            Finding::GatesNotAcknowledged {
                keys: missing.iter().map(|k| k.to_string()).collect(),
                acks_exist: acks.is_some(),
            },
        )
    })
}

/// Preflight checks disabled in `cvo-config` are skipped by the controller.
pub(super) fn disabled_checks(input: &Input) -> Item {
    let check = Check::DisabledChecks;
    match &input.platform.disabled_checks {
        Fact::Unknown(why) => unreadable(check, why),
        Fact::Read(list) if list.is_empty() => {
            Item::new(check, Verdict::Pass, Finding::NoneDisabled)
        }
        Fact::Read(list) => Item::new(
            check,
            Verdict::Warn,
            Finding::ChecksDisabled {
                names: list.clone(),
            },
        ),
    }
}

/// The cluster is not upgrading elsewhere (nor has a request the controller has not seen),
/// not Stalled or Degraded, and its status is current. Every problem found is named.
pub(super) fn cluster_state(input: &Input, target: Option<&Release>) -> Item {
    let check = Check::ClusterState;
    let c = input.cvsh;
    let is_target = |r: &Release| {
        target.is_some_and(|t| t.same_as(r) || (t.version.is_none() && t.image == r.image))
    };
    let mut problems = Vec::new();
    if let Some(busy) = in_progress_towards(c)
        && !is_target(&busy)
    {
        problems.push(StateProblem::Upgrading { to: busy });
    } else if c.is_stale()
        && let Some(pending) = c.requested()
        && c.current.as_ref().is_none_or(|cur| !cur.same_as(&pending))
        && !is_target(&pending)
    {
        problems.push(StateProblem::PendingUnobserved {
            to: pending,
            generation: c.generation.unwrap_or_default(),
        });
    }
    for condition in trouble_conditions(c) {
        problems.push(StateProblem::Condition {
            condition: condition.type_.clone(),
            why: condition
                .message
                .as_deref()
                .or(condition.reason.as_deref())
                .map(one_line),
        });
    }
    if !problems.is_empty() {
        return Item::new(check, Verdict::Block, Finding::ClusterBusy { problems });
    }
    if c.is_stale() {
        return Item::new(
            check,
            Verdict::Warn,
            Finding::StatusStale {
                generation: c.generation.unwrap_or_default(),
            },
        );
    }
    Item::new(check, Verdict::Pass, Finding::ClusterReady)
}
