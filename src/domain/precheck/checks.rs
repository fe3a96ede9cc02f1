//! One function per prerequisite (`docs/precheck.md` gives each rule's source in the guide).

use super::platform::gate_applies;
use super::{Fact, Input, Item, ResourcePatch, Verdict, Wanted};
use crate::domain::advice::commands::{self, ClusterFlag, names_for_shell, shell_safe};
use crate::domain::assess::classify::{in_progress_towards, trouble_conditions};
use crate::domain::cvsh::Release;
use crate::domain::version;
use crate::output::text::one_line;

/// At most this many names are spelled out in a detail; the rest are counted.
const NAMES_SHOWN: usize = 10;

fn item(check: &'static str, result: Verdict, detail: String, remedy: Option<String>) -> Item {
    Item {
        check,
        result,
        detail,
        remedy,
    }
}

fn unknown(check: &'static str, why: &str) -> Item {
    item(check, Verdict::Unknown, why.to_string(), None)
}

fn names(list: &[String]) -> String {
    if list.len() <= NAMES_SHOWN {
        list.join(", ")
    } else {
        format!(
            "{}, and {} more",
            list[..NAMES_SHOWN].join(", "),
            list.len() - NAMES_SHOWN
        )
    }
}

/// `a` has reached `b` (same or newer version).
fn reached(a: &str, b: &str) -> bool {
    version::same_version(a, b) || version::newer_than(a, b) == Some(true)
}

/// The highest version every global of the platform has reached (both under DR).
fn globals_ceiling(input: &Input) -> Option<String> {
    let primary = input.global.version?.to_string();
    match input.platform.standby.as_ref().map(|s| &s.cvsh) {
        Some(Fact::Read(standby)) => {
            let s = standby.current_version()?;
            Some(if reached(&primary, s) {
                s.to_string()
            } else {
                primary
            })
        }
        _ => Some(primary),
    }
}

/// The target: what was asked, resolved against what the controller offers.
pub(super) fn target(input: &Input) -> (Item, Option<Release>) {
    let c = input.cvsh;
    let cl = input.cluster;
    let import = commands::import_manifest;
    let global_first = || commands::upgrade(ClusterFlag::joined(input.global.name));
    let nothing_offered = || {
        let remedy = if input.is_global() {
            import("<version>")
        } else {
            global_first()
        };
        item(
            "target",
            Verdict::Block,
            format!("nothing is offered to cluster {cl} (status.availableUpdates is empty)"),
            Some(remedy),
        )
    };
    let chosen: Release = match &input.wanted {
        Wanted::Version(v) => Release {
            version: Some(v.clone()),
            image: None,
        },
        Wanted::Image(i) => Release {
            version: None,
            image: Some(i.clone()),
        },
        Wanted::Latest => match version::latest(&c.available_updates) {
            Some(r) => Release {
                version: r.version,
                image: None,
            },
            None => return (nothing_offered(), None),
        },
        Wanted::Unspecified => {
            let pick = if input.is_global() {
                version::latest(&c.available_updates).and_then(|r| r.version)
            } else {
                globals_ceiling(input)
                    .and_then(|g| version::highest_up_to(&c.available_updates, &g))
                    .or_else(|| version::latest(&c.available_updates).and_then(|r| r.version))
            };
            match pick {
                Some(v) => Release {
                    version: Some(v),
                    image: None,
                },
                None => return (nothing_offered(), None),
            }
        }
    };
    let label = chosen.label();
    if let Some(cur) = &c.current
        && cur.same_as(&chosen)
    {
        return (
            item(
                "target",
                Verdict::Pass,
                format!("cluster {cl} is already at {label}"),
                None,
            ),
            Some(chosen),
        );
    }
    let offer = version::sort_updates(&c.available_updates)
        .into_iter()
        .find(|o| match (&chosen.version, &chosen.image) {
            (Some(_), _) => o.same_as(&chosen),
            (None, Some(i)) => o.image.as_deref() == Some(i.as_str()),
            _ => false,
        });
    // An image target is judged by the version it is offered as, when it is offered.
    let resolved = Release {
        version: chosen
            .version
            .clone()
            .or_else(|| offer.as_ref().and_then(|o| o.version.clone())),
        image: chosen.image.clone(),
    };
    let judged = match (&offer, input.allow_explicit) {
        (Some(_), _) => item(
            "target",
            Verdict::Pass,
            format!("{label} is offered to cluster {cl}"),
            None,
        ),
        (None, true) => item(
            "target",
            Verdict::Warn,
            format!(
                "{label} is not offered to cluster {cl} (offered: {}); requested anyway with --allow-explicit-upgrade: the controller still decides",
                version::offered_labels(&c.available_updates)
            ),
            None,
        ),
        (None, false) => item(
            "target",
            Verdict::Block,
            format!(
                "{label} is not offered to cluster {cl} (offered: {})",
                version::offered_labels(&c.available_updates)
            ),
            Some(match (&chosen.version, input.is_global()) {
                (Some(v), true) => import(v),
                _ => global_first(),
            }),
        ),
    };
    (judged, Some(resolved))
}

/// Supported upgrade paths (4.0/4.1/4.2 → 4.3), downgrades, pre-releases.
pub(super) fn upgrade_path(input: &Input, target: &Release) -> Option<Item> {
    let check = "upgrade-path";
    let Some(to) = target.version.as_deref() else {
        return Some(unknown(
            check,
            "the version behind the target image is unknown: the upgrade path cannot be checked",
        ));
    };
    let Some(from) = input.cvsh.current_version() else {
        return Some(unknown(
            check,
            "the cluster reports no current version: the upgrade path cannot be checked",
        ));
    };
    if version::same_version(from, to) {
        return None;
    }
    let (Some(from_v), Some(to_v)) = (version::parse(from), version::parse(to)) else {
        return Some(unknown(
            check,
            &format!("{from} → {to}: not both are versions (MAJOR.MINOR.PATCH)"),
        ));
    };
    if from_v > to_v {
        return Some(item(
            check,
            Verdict::Block,
            format!("{to} is older than the current {from}: downgrades are not supported"),
            Some(commands::upgrade(ClusterFlag::joined(input.cluster))),
        ));
    }
    let (from_minor, to_minor) = ((from_v.major, from_v.minor), (to_v.major, to_v.minor));
    let minor = |m: (u64, u64)| format!("{}.{}", m.0, m.1);
    let mut found = if from_minor == to_minor {
        item(
            check,
            Verdict::Pass,
            format!("{from} → {to}: an update within {}", minor(to_minor)),
            None,
        )
    } else {
        match version::supported_sources(to_minor) {
            Some(sources) if sources.contains(&minor(from_minor).as_str()) => item(
                check,
                Verdict::Pass,
                format!(
                    "{from} → {to}: {} → {} is a supported path",
                    minor(from_minor),
                    minor(to_minor)
                ),
                None,
            ),
            Some(sources) => item(
                check,
                Verdict::Block,
                format!(
                    "{} → {} is not a supported path: {} is reached from {} only",
                    minor(from_minor),
                    minor(to_minor),
                    minor(to_minor),
                    sources.join(", ")
                ),
                Some(format!(
                    "upgrade to a {} release first",
                    sources.last().copied().unwrap_or_default()
                )),
            ),
            None => unknown(
                check,
                &format!(
                    "{} → {}: the guide states the paths into 4.3 only; the controller's VersionUpgradePath check decides",
                    minor(from_minor),
                    minor(to_minor)
                ),
            ),
        }
    };
    if !to_v.pre.is_empty() && found.result == Verdict::Pass {
        found.result = Verdict::Warn;
        found.detail.push_str(&format!(
            "; {to} is a pre-release ({}): for testing, not for production clusters",
            to_v.pre
        ));
    }
    Some(found)
}

/// Workload clusters move only to a version the global tier (both globals under DR) reached.
pub(super) fn sequencing(input: &Input, target: &Release) -> Option<Item> {
    let check = "global-first";
    let Some(to) = target.version.as_deref() else {
        return Some(unknown(
            check,
            "the version behind the target image is unknown: the global-first rule cannot be checked",
        ));
    };
    let g = input.global.name;
    let Some(primary) = input.global.version else {
        // The rule cannot be verified: refuse (overridable) rather than let it pass unseen.
        return Some(item(
            check,
            Verdict::Block,
            format!(
                "the global cluster {g} reports no current version: the global-first rule cannot be checked"
            ),
            Some(commands::upgrade(ClusterFlag::joined(g))),
        ));
    };
    if !reached(primary, to) {
        let mut remedy = commands::upgrade_to(ClusterFlag::joined(g), to);
        let newer_than_current = |v: &String| {
            input
                .cvsh
                .current_version()
                .is_none_or(|current| version::newer_than(v, current) == Some(true))
        };
        if let Some(now) = globals_ceiling(input)
            .and_then(|ceiling| version::highest_up_to(&input.cvsh.available_updates, &ceiling))
            .filter(newer_than_current)
        {
            remedy.push_str(&format!(
                "; or move {} to {now} now: {}",
                input.cluster,
                commands::upgrade_to(ClusterFlag::joined(input.cluster), &now)
            ));
        }
        return Some(item(
            check,
            Verdict::Block,
            format!(
                "the global cluster {g} is at {primary}; a workload cluster may only move to a version the global tier has reached"
            ),
            Some(remedy),
        ));
    }
    let Some(standby) = &input.platform.standby else {
        return Some(item(
            check,
            Verdict::Pass,
            format!("the global cluster {g} is at {primary}"),
            None,
        ));
    };
    match &standby.cvsh {
        Fact::Unknown(why) => Some(unknown(
            check,
            &format!(
                "the standby global (session {}) could not be read: {why}",
                standby.session
            ),
        )),
        Fact::Read(s) => match s.current_version() {
            Some(v) if reached(v, to) => Some(item(
                check,
                Verdict::Pass,
                format!("both globals have reached {to}: primary at {primary}, standby at {v}"),
                None,
            )),
            other => Some(item(
                check,
                Verdict::Block,
                format!(
                    "the standby global (session {}) is at {}; both globals must reach {to} before workload clusters",
                    standby.session,
                    other.unwrap_or("<unknown>")
                ),
                Some(standby_upgrade(standby, to)),
            )),
        },
    }
}

fn standby_upgrade(standby: &super::Standby, to: &str) -> String {
    commands::upgrade_in_context(
        &standby.context,
        ClusterFlag::joined(&standby.global_name),
        to,
    )
}

/// Under DR the standby global is upgraded before the primary.
pub(super) fn dr_order(input: &Input, target: &Release) -> Option<Item> {
    let check = "dr-standby-first";
    let standby = input.platform.standby.as_ref()?;
    let to = target.version.as_deref()?;
    Some(match &standby.cvsh {
        Fact::Unknown(why) => unknown(
            check,
            &format!(
                "the standby global (session {}) could not be read: {why}",
                standby.session
            ),
        ),
        Fact::Read(s) => match s.current_version() {
            Some(v) if reached(v, to) => item(
                check,
                Verdict::Pass,
                format!("the standby global (session {}) is at {v}", standby.session),
                None,
            ),
            other => item(
                check,
                Verdict::Block,
                format!(
                    "the standby global (session {}) is at {}: upgrade the standby to {to} before the primary",
                    standby.session,
                    other.unwrap_or("<unknown>")
                ),
                Some(standby_upgrade(standby, to)),
            ),
        },
    })
}

/// Before the global tier moves to a release, every workload cluster's Kubernetes version
/// must be inside that release's compatible range.
pub(super) fn kubernetes_versions(input: &Input, target: &Release) -> Option<Item> {
    let check = "kubernetes-versions";
    let clusters = match input.platform.clusters.as_ref()? {
        Fact::Read(c) => c,
        Fact::Unknown(why) => return Some(unknown(check, why)),
    };
    let Some(to) = target.version.as_deref() else {
        return Some(unknown(check, "the target's version is unknown"));
    };
    let Some((lo, hi)) = version::minor_of(to).and_then(version::kubernetes_range) else {
        return Some(unknown(
            check,
            &format!("no compatible Kubernetes range is known for ACP {to} (known: 4.0 to 4.3)"),
        ));
    };
    let range = format!("{lo}–{hi}");
    let as_minor = |v: &str| {
        let t = v.trim().trim_start_matches(['v', 'V']);
        let mut parts = t.split('.');
        Some((
            parts.next()?.parse::<u64>().ok()?,
            parts
                .next()?
                .split(['-', '+'])
                .next()?
                .parse::<u64>()
                .ok()?,
        ))
    };
    let (lo_m, hi_m) = (as_minor(lo)?, as_minor(hi)?);
    let mut outside = Vec::new();
    let mut unreadable = Vec::new();
    let mut inside = 0usize;
    // A global target is judged on every workload cluster; a workload target on itself.
    let judged = clusters.iter().filter(|c| {
        if input.is_global() {
            c.name != input.global.name
        } else {
            c.name == input.cluster
        }
    });
    for c in judged {
        match c
            .kubernetes_version
            .as_deref()
            .and_then(|v| Some((v, as_minor(v)?)))
        {
            Some((_, m)) if m >= lo_m && m <= hi_m => inside += 1,
            Some((v, _)) => outside.push(format!("{} ({v})", c.name)),
            None => unreadable.push(c.name.clone()),
        }
    }
    let unknown_note = if unreadable.is_empty() {
        String::new()
    } else {
        format!("; version unknown: {}", names(&unreadable))
    };
    if !input.is_global() {
        let minor = version::minor_of(to)
            .map(|m| format!("{}.{}", m.0, m.1))
            .unwrap_or_default();
        return Some(match (outside.first(), unreadable.is_empty()) {
            (Some(found), _) => item(
                check,
                Verdict::Block,
                format!("{found} is outside ACP {minor}'s Kubernetes range {range}"),
                Some(format!(
                    "upgrade the cluster's Kubernetes into {range} first; see it with: {}",
                    commands::get_platform_cluster(input.global.kubectl, input.cluster)
                )),
            ),
            (None, false) => unknown(
                check,
                &format!(
                    "the Kubernetes version of cluster {} is unknown",
                    input.cluster
                ),
            ),
            (None, true) if inside == 0 => unknown(
                check,
                &format!(
                    "no clusters.platform.tkestack.io object for cluster {}",
                    input.cluster
                ),
            ),
            (None, true) => item(
                check,
                Verdict::Pass,
                format!("cluster {} runs Kubernetes inside {range}", input.cluster),
                None,
            ),
        });
    }
    Some(if !outside.is_empty() {
        item(
            check,
            Verdict::Block,
            format!(
                "{} workload cluster{} outside ACP {}'s Kubernetes range {range}: {}{unknown_note}",
                outside.len(),
                if outside.len() == 1 { " is" } else { "s are" },
                version::minor_of(to)
                    .map(|m| format!("{}.{}", m.0, m.1))
                    .unwrap_or_default(),
                names(&outside)
            ),
            Some(format!(
                "upgrade the Kubernetes of those clusters into {range} first, then check again: {}",
                commands::precheck(ClusterFlag::joined(input.cluster), Some(to))
            )),
        )
    } else if !unreadable.is_empty() {
        unknown(
            check,
            &format!(
                "Kubernetes version unknown for {}; {inside} inside {range}",
                names(&unreadable)
            ),
        )
    } else {
        item(
            check,
            Verdict::Pass,
            match inside {
                0 => format!("no workload cluster to judge: the range is {range}"),
                1 => format!("the workload cluster runs Kubernetes {range}"),
                n => format!("all {n} workload clusters run Kubernetes {range}"),
            },
            None,
        )
    })
}

/// Every Machine of the global cluster is Running before it is upgraded.
pub(super) fn machines(input: &Input) -> Option<Item> {
    let check = "machines";
    let machines = match input.platform.machines.as_ref()? {
        Fact::Read(m) => m,
        Fact::Unknown(why) => return Some(unknown(check, why)),
    };
    let bad: Vec<String> = machines
        .iter()
        .filter(|m| !m.is_running())
        .map(|m| format!("{} ({})", m.name, m.phase.as_deref().unwrap_or("no phase")))
        .collect();
    Some(if bad.is_empty() {
        item(
            check,
            Verdict::Pass,
            match machines.len() {
                0 => "no Machine objects".to_string(),
                1 => "the Machine is Running".to_string(),
                n => format!("all {n} Machines are Running"),
            },
            None,
        )
    } else {
        let names_only: Vec<&str> = machines
            .iter()
            .filter(|m| !m.is_running())
            .map(|m| m.name.as_str())
            .collect();
        item(
            check,
            Verdict::Block,
            format!(
                "{} of {} Machines not Running: {}",
                bad.len(),
                machines.len(),
                names(&bad)
            ),
            Some(format!(
                "resolve them first; inspect with: {}",
                commands::get_machines(
                    input.global.kubectl,
                    &names_for_shell(names_only, "<machine>"),
                )
            )),
        )
    })
}

/// ResourcePatches not exempt for the target version block ResourcePatchUpgradeable.
pub(super) fn resource_patches(input: &Input, target: &Release) -> Option<Item> {
    let check = "resource-patches";
    let patches = match &input.platform.resource_patches {
        Fact::Read(p) => p,
        Fact::Unknown(why) => return Some(unknown(check, why)),
    };
    let Some(to) = target.version.as_deref() else {
        return Some(unknown(check, "the target's version is unknown"));
    };
    let patches: Vec<&ResourcePatch> = patches
        .iter()
        .filter(|p| p.applies_to(input.cluster))
        .collect();
    let blocking: Vec<String> = patches
        .iter()
        .filter(|p| {
            !p.exempt_for
                .as_deref()
                .is_some_and(|v| version::same_version(v, to))
        })
        .map(|p| p.name.clone())
        .collect();
    Some(if blocking.is_empty() {
        item(
            check,
            Verdict::Pass,
            match patches.len() {
                0 => format!("no ResourcePatch applies to cluster {}", input.cluster),
                1 => format!("the ResourcePatch is exempt for {to}"),
                n => format!("all {n} ResourcePatches are exempt for {to}"),
            },
            None,
        )
    } else {
        item(
            check,
            Verdict::Block,
            format!(
                "{} ResourcePatch{} not exempt for {to}: {} (review each, then exempt it)",
                blocking.len(),
                if blocking.len() == 1 { " is" } else { "es are" },
                names(&blocking)
            ),
            Some(commands::exempt_resource_patches(
                input.global.kubectl,
                &names_for_shell(blocking.iter().map(String::as_str), "<rp-name>"),
                to,
            )),
        )
    })
}

/// Release gates (`admin-gates`) need an administrator's ack (`admin-acks`).
pub(super) fn admin_acks(input: &Input, target: &Release) -> Option<Item> {
    let check = "admin-acks";
    let gates = match &input.platform.admin_gates {
        Fact::Read(g) => g,
        Fact::Unknown(why) => return Some(unknown(check, why)),
    };
    let to = target.version.as_deref()?;
    let release = version::minor_of(to)?;
    let applicable: Vec<&str> = gates
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| gate_applies(k, release))
        .collect();
    if applicable.is_empty() {
        return Some(item(
            check,
            Verdict::Pass,
            format!(
                "no admin gate of cpaas-system/admin-gates applies to {}.{}",
                release.0, release.1
            ),
            None,
        ));
    }
    let acks = match &input.platform.admin_acks {
        Fact::Read(a) => a,
        Fact::Unknown(why) => return Some(unknown(check, why)),
    };
    let acked = |k: &str| {
        acks.as_ref()
            .is_some_and(|a| a.iter().any(|(key, v)| key == k && v.trim() == "true"))
    };
    let missing: Vec<String> = applicable
        .iter()
        .filter(|k| !acked(k))
        .map(|k| k.to_string())
        .collect();
    Some(if missing.is_empty() {
        item(
            check,
            Verdict::Pass,
            format!("{} admin gate(s) acknowledged", applicable.len()),
            None,
        )
    } else {
        let keys: Vec<String> = missing
            .iter()
            .map(|k| {
                if shell_safe(k) {
                    k.clone()
                } else {
                    "<gate-key>".into()
                }
            })
            .collect();
        let remedy = match acks {
            Some(_) => commands::acknowledge_admin_gates(input.global.kubectl, &keys),
            None => commands::create_admin_acks(input.global.kubectl, &keys),
        };
        item(
            check,
            Verdict::Block,
            format!(
                "not acknowledged: {}; do the manual checks each gate describes in cpaas-system/admin-gates, then acknowledge",
                names(&missing)
            ),
            Some(remedy),
        )
    })
}

/// Preflight checks disabled in `cvo-config` are skipped by the controller.
pub(super) fn disabled_checks(input: &Input) -> Option<Item> {
    let check = "disabled-checks";
    match &input.platform.disabled_checks {
        Fact::Unknown(why) => Some(unknown(check, why)),
        Fact::Read(list) if list.is_empty() => Some(item(
            check,
            Verdict::Pass,
            "no preflight check is disabled in cpaas-system/cvo-config".into(),
            None,
        )),
        Fact::Read(list) => Some(item(
            check,
            Verdict::Warn,
            format!(
                "the controller skips {} preflight check{} disabled in cpaas-system/cvo-config: {}; re-enable them after the upgrade",
                list.len(),
                if list.len() == 1 { "" } else { "s" },
                list.join(", ")
            ),
            Some(commands::reenable_preflight_checks(input.global.kubectl)),
        )),
    }
}

/// The cluster is not upgrading elsewhere (nor has a request the controller has not seen),
/// not Stalled or Degraded, and its status is current. Every problem found is named.
pub(super) fn cluster_state(input: &Input, target: Option<&Release>) -> Item {
    let check = "cluster-state";
    let c = input.cvsh;
    let cl = input.cluster;
    let flag = ClusterFlag::joined(cl);
    let is_target = |r: &Release| {
        target.is_some_and(|t| t.same_as(r) || (t.version.is_none() && t.image == r.image))
    };
    let mut problems: Vec<String> = Vec::new();
    let mut remedy: Option<String> = None;
    if let Some(busy) = in_progress_towards(c)
        && !is_target(&busy)
    {
        problems.push(format!(
            "cluster {cl} is already upgrading to {}; a new request would redirect it",
            busy.label()
        ));
        remedy = Some(format!("wait for it: {}", commands::status_watch(flag)));
    } else if c.is_stale()
        && let Some(pending) = c.requested()
        && c.current.as_ref().is_none_or(|cur| !cur.same_as(&pending))
        && !is_target(&pending)
    {
        problems.push(format!(
            "a request for {} is pending: the controller has not observed it yet (generation {} not observed)",
            pending.label(),
            c.generation.unwrap_or_default()
        ));
        remedy = Some(format!(
            "wait for it: {}; or withdraw it: {} --clear",
            commands::status_watch(flag),
            commands::upgrade(flag)
        ));
    }
    let trouble = trouble_conditions(c);
    for condition in &trouble {
        let why = condition
            .message
            .as_deref()
            .or(condition.reason.as_deref())
            .map(|m| format!(": {}", one_line(m)))
            .unwrap_or_default();
        problems.push(format!("cluster {cl} is {}{why}", condition.type_));
    }
    if !trouble.is_empty() && remedy.is_none() {
        remedy = Some(format!(
            "see why and fix it first: {}",
            commands::status(flag)
        ));
    }
    if !problems.is_empty() {
        return item(check, Verdict::Block, problems.join("; "), remedy);
    }
    if c.is_stale() {
        return item(
            check,
            Verdict::Warn,
            format!(
                "the status of cluster {cl} is stale (generation {} not yet observed by the controller)",
                c.generation.unwrap_or_default()
            ),
            Some(commands::status_watch(flag)),
        );
    }
    item(
        check,
        Verdict::Pass,
        format!(
            "cluster {cl} is not upgrading elsewhere, not Stalled or Degraded, and its status is current"
        ),
        None,
    )
}
