//! The fleet (`ac adm upgrade status --all-clusters`, `docs/status.md` §7.3 and §8): one row
//! per cluster, then the sequencing picture — global's version, workload clusters behind it
//! grouped by where they can move, clusters ahead of it, upgrading (grouped by target) and
//! blocked. Linear in the number of clusters apart from the sorts.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::domain::advice::{self, Suggestion};
use crate::domain::assess::{self, Assessment, CheckCounts};
use crate::domain::cvsh::{Cvsh, Release, arr_at};
use crate::domain::facts::{PlatformCluster, Standby};
use crate::domain::rules::kubernetes::KubernetesRange;
use crate::domain::rules::offers::Offers;
use crate::domain::rules::tier::{GlobalTier, StandbyGlobal};
use crate::domain::version;
use crate::output::text::ImagePath;

pub const FLEET_SCHEMA: &str = "ac.alauda.io/upgrade-fleet/v1";

/// Blocked clusters the text lists with their reason.
pub const BLOCKED_LISTED: usize = 20;

/// Assessments from most to least urgent: the order of the counts line.
pub const URGENCY: [Assessment; 8] = [
    Assessment::Stalled,
    Assessment::BlockedByPreflight,
    Assessment::ProgressingSlow,
    Assessment::Progressing,
    Assessment::PreflightRunning,
    Assessment::Requested,
    Assessment::Completed,
    Assessment::Idle,
];

/// The items of a `List` object as lenient views.
pub fn items(list: &Value) -> Vec<Cvsh> {
    arr_at(list, "items").iter().map(Cvsh::from_value).collect()
}

/// One cluster in the fleet view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    pub cluster: String,
    pub global: bool,
    pub current: Option<String>,
    /// The release being moved to (only while one is pending or running).
    pub target: Option<String>,
    pub assessment: Assessment,
    pub assessment_label: &'static str,
    pub stale: bool,
    pub ops_done: usize,
    pub ops_total: usize,
    /// Percent of operations finished while an upgrade is in flight.
    pub percent: Option<u8>,
    pub preflight: CheckCounts,
    /// Why it needs attention (blocked or stalled).
    pub reason: Option<String>,
    /// For workload clusters behind global: the version it can move to now (`None`: nothing
    /// up to global's version is offered yet).
    pub can_move_to: Option<String>,
    /// Behind the global cluster's current version.
    pub behind_global: bool,
    /// The cluster's Kubernetes version (`clusters.platform.tkestack.io`; `null` when unknown).
    pub kubernetes_version: Option<String>,
    /// Inside the Kubernetes range of the next release (`null` when either is unknown).
    pub kubernetes_in_range: Option<bool>,
}

/// What the fleet view reads besides the cvsh list.
#[derive(Debug, Clone, Copy, Default)]
pub struct FleetPlatform<'a> {
    /// Every `clusters.platform.tkestack.io` (`None`: not served or not readable).
    pub kubernetes: Option<&'a [PlatformCluster]>,
    /// DR: the standby global.
    pub standby: Option<&'a Standby>,
}

/// The release the global tier moves to next (the highest offered to global, else the one
/// it runs), and the Kubernetes range workload clusters must be in before it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextRelease {
    pub version: String,
    /// `1.31–1.34` (`null`: no range known for that release).
    pub kubernetes_range: Option<String>,
    /// `ACP 4.3`.
    #[serde(skip)]
    pub release_label: String,
    /// Newer than the global cluster's version: the global tier has yet to move to it.
    #[serde(skip)]
    pub ahead_of_global: bool,
}

/// The standby global of a DR pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StandbyReport {
    pub session: String,
    pub current: Option<String>,
    pub assessment: Option<Assessment>,
}

/// `ac.alauda.io/upgrade-fleet/v1`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetReport {
    pub schema: &'static str,
    pub time: String,
    pub total: usize,
    pub global_version: Option<String>,
    /// Every assessment, with zero counts.
    pub counts: BTreeMap<&'static str, usize>,
    /// Global first, then by name.
    pub clusters: Vec<FleetRow>,
    pub sequencing: FleetSequencing,
    pub next_release: Option<NextRelease>,
    /// DR: the standby global (`--dr-standby`).
    pub standby: Option<StandbyReport>,
    /// What to do next about the fleet.
    pub next_steps: Vec<Suggestion>,
    /// More than [`BLOCKED_LISTED`] blocked: the status of the first one not listed.
    #[serde(skip)]
    pub more_blocked: Option<String>,

    /// Kubernetes versions were read (text: the K8S column).
    #[serde(skip)]
    pub kubernetes_read: bool,
    /// The global cluster's name.
    #[serde(skip)]
    pub global_name: String,
    /// Non-zero counts, most urgent first.
    #[serde(skip)]
    pub urgent_counts: Vec<(Assessment, usize)>,
    /// Workload clusters, and those at global's version.
    #[serde(skip)]
    pub workload_clusters: usize,
    #[serde(skip)]
    pub at_global: usize,
    /// Workload clusters behind global and not upgrading, grouped by (current, can move to);
    /// largest group first.
    #[serde(skip)]
    pub behind_groups: Vec<BehindGroup>,
    /// Clusters upgrading (in flight, not blocked), grouped by target; highest first.
    #[serde(skip)]
    pub upgrading_groups: Vec<TargetGroup>,
}

/// `sequencing` of the fleet report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetSequencing {
    pub global_version: Option<String>,
    /// The highest version workload clusters may move to: global's, or under DR the lower of
    /// both globals'.
    pub ceiling: Option<String>,
    /// Workload clusters whose Kubernetes is outside the next release's range.
    pub kubernetes_outside: Vec<KubernetesOutside>,
    pub behind: Vec<Behind>,
    pub upgrading: Vec<Upgrading>,
    pub blocked: Vec<Blocked>,
    pub ahead_of_global: Vec<Ahead>,
    /// DR: the primary global runs a newer version than the standby (the guide's order,
    /// standby first, was not kept); `null` otherwise.
    pub dr_order_violation: Option<DrOrderViolation>,
}

/// The primary global went before its standby.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrOrderViolation {
    pub primary: String,
    pub standby: String,
    /// The standby's session.
    pub session: String,
    /// The violation and the guide's sentence.
    pub message: String,
    /// What puts it right: the standby's pre-checks, through its session.
    pub command: String,
}

/// A workload cluster behind global and not upgrading.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Behind {
    pub cluster: String,
    pub current: Option<String>,
    pub can_move_to: Option<String>,
    pub offered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Upgrading {
    pub cluster: String,
    pub target: Option<String>,
    pub assessment: Assessment,
    pub percent: Option<u8>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KubernetesOutside {
    pub cluster: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Blocked {
    pub cluster: String,
    pub assessment: Assessment,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ahead {
    pub cluster: String,
    /// `is at 4.4.0 (ahead of global)`, `targets 4.4.0 (ahead of global)`.
    pub detail: String,
}

/// Workload clusters at the same version that can move to the same one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BehindGroup {
    pub current: String,
    /// `None`: nothing up to global's version is offered yet.
    pub can_move_to: Option<String>,
    pub clusters: Vec<String>,
}

/// Clusters upgrading to the same release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup {
    pub target: String,
    pub clusters: Vec<String>,
}

/// A release for a cell: the version, else the image's last path segment and short digest.
fn release_cell(release: Option<&Release>) -> Option<String> {
    release.map(|release| release.short_label(ImagePath::LastSegment, 40))
}

/// What the fleet keeps of one cluster's ClusterVersionShadow: its row, but for the parts that
/// depend on the global cluster's version and on the Kubernetes versions, and what those parts
/// are computed from. A few hundred bytes instead of the whole view, so that
/// `status --all-clusters` keeps only these while it reads a LIST page by page.
#[derive(Debug, Clone)]
pub struct FleetEntry {
    /// `behind_global`, `can_move_to` and `kubernetes_*` are filled in by [`FleetEntry::row`].
    partial: FleetRow,
    current_version: Option<String>,
    /// `status.availableUpdates`.
    offers: Offers,
    /// The version of [`assess::pending_target`].
    pending_target: Option<String>,
}

impl FleetEntry {
    /// `global_name` is the session's global cluster.
    pub fn new(cvsh: &Cvsh, now: Timestamp, global_name: &str) -> FleetEntry {
        let assessment = assess::assess(cvsh, now);
        let progress = assess::progress(cvsh);
        let in_flight = assessment.in_flight();
        FleetEntry {
            partial: FleetRow {
                cluster: cvsh.name.clone(),
                global: cvsh.name == global_name,
                current: release_cell(cvsh.current.as_ref()),
                target: if in_flight {
                    release_cell(assess::target(cvsh).as_ref())
                } else {
                    None
                },
                assessment,
                assessment_label: assessment.label(),
                stale: cvsh.is_stale(),
                ops_done: progress.ops_done,
                ops_total: progress.ops_total,
                percent: if in_flight { progress.percent } else { None },
                preflight: assess::check_counts(cvsh),
                reason: assess::attention_reason(cvsh, assessment),
                can_move_to: None,
                behind_global: false,
                kubernetes_version: None,
                kubernetes_in_range: None,
            },
            current_version: cvsh.current_version().map(str::to_string),
            offers: Offers::new(&cvsh.available_updates),
            pending_target: assess::pending_target(cvsh).and_then(|target| target.version),
        }
    }

    /// The whole row, once the global tier and the Kubernetes versions are known.
    fn row(
        self,
        tier: &GlobalTier,
        kubernetes: Option<&str>,
        range: Option<&KubernetesRange>,
    ) -> FleetRow {
        let mut row = self.partial;
        let current = self.current_version.as_deref();
        row.behind_global = !row.global && tier.behind(current);
        row.can_move_to = if row.behind_global {
            tier.next_version_for(&row.cluster, &self.offers, current)
                .offered()
                .map(str::to_string)
        } else {
            None
        };
        row.kubernetes_version = kubernetes.map(str::to_string);
        row.kubernetes_in_range = kubernetes.and_then(|v| range?.contains(v));
        row
    }
}

/// Rows sorted global first, then by name.
fn rows(
    entries: Vec<FleetEntry>,
    tier: &GlobalTier,
    kubernetes: Option<&[PlatformCluster]>,
    range: Option<&KubernetesRange>,
) -> Vec<FleetRow> {
    let versions: BTreeMap<&str, &str> = kubernetes
        .unwrap_or_default()
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.kubernetes_version.as_deref()?)))
        .collect();
    let mut rows: Vec<FleetRow> = entries
        .into_iter()
        .map(|entry| {
            let k8s = versions.get(entry.partial.cluster.as_str()).copied();
            entry.row(tier, k8s, range)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.global
            .cmp(&a.global)
            .then_with(|| a.cluster.cmp(&b.cluster))
    });
    rows
}

fn upgrading(row: &FleetRow) -> bool {
    row.assessment.in_flight() && !row.assessment.needs_attention()
}

fn behind_and_idle(row: &FleetRow) -> bool {
    row.behind_global && !row.assessment.in_flight()
}

fn behind_groups(rows: &[FleetRow]) -> Vec<BehindGroup> {
    let mut groups: BTreeMap<(String, Option<String>), Vec<String>> = BTreeMap::new();
    for row in rows.iter().filter(|row| behind_and_idle(row)) {
        groups
            .entry((
                row.current.clone().unwrap_or_default(),
                row.can_move_to.clone(),
            ))
            .or_default()
            .push(row.cluster.clone());
    }
    let mut groups: Vec<BehindGroup> = groups
        .into_iter()
        .map(|((current, can_move_to), clusters)| BehindGroup {
            current,
            can_move_to,
            clusters,
        })
        .collect();
    groups.sort_by(|a, b| {
        b.clusters
            .len()
            .cmp(&a.clusters.len())
            .then_with(|| version::cmp_versions(&b.current, &a.current))
    });
    groups
}

fn upgrading_groups(rows: &[FleetRow]) -> Vec<TargetGroup> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows.iter().filter(|row| upgrading(row)) {
        groups
            .entry(row.target.clone().unwrap_or_else(|| "<unknown>".into()))
            .or_default()
            .push(row.cluster.clone());
    }
    let mut groups: Vec<TargetGroup> = groups
        .into_iter()
        .map(|(target, clusters)| TargetGroup { target, clusters })
        .collect();
    groups.sort_by(|a, b| version::cmp_versions(&b.target, &a.target));
    groups
}

/// The release the global tier moves to next: the next version of global, else its own.
fn next_release(tier: &GlobalTier, global: &FleetEntry) -> Option<String> {
    let current = global.current_version.as_deref();
    tier.next_version_for(tier.primary(), &global.offers, current)
        .offered()
        .map(str::to_string)
        .or_else(|| current.map(str::to_string))
}

/// Build the fleet report. `global_name` is the session's global cluster.
pub fn fleet_report(
    items: &[Cvsh],
    now: Timestamp,
    global_name: &str,
    platform: FleetPlatform,
) -> FleetReport {
    let entries = items
        .iter()
        .map(|cvsh| FleetEntry::new(cvsh, now, global_name))
        .collect();
    fleet_report_of(entries, now, global_name, platform)
}

/// [`fleet_report`] from the entries of every cluster, in the order the LIST gave them.
pub fn fleet_report_of(
    entries: Vec<FleetEntry>,
    now: Timestamp,
    global_name: &str,
    platform: FleetPlatform,
) -> FleetReport {
    let global_entry = entries
        .iter()
        .find(|entry| entry.partial.cluster == global_name);
    let global_version = global_entry.and_then(|entry| entry.current_version.clone());
    let tier = GlobalTier::new(
        global_name,
        global_version.clone(),
        platform.standby.map(StandbyGlobal::from_read),
    );
    let global_version = global_version.as_deref();
    // Under DR a workload cluster may only move to a version both globals have reached.
    let ceiling = tier.ceiling().map(str::to_string);
    let next = global_entry.and_then(|entry| next_release(&tier, entry));
    let range = next.as_deref().and_then(KubernetesRange::of_release);
    let ahead_of_global = entries
        .iter()
        .filter(|entry| !tier.is_global(&entry.partial.cluster))
        .filter_map(|entry| {
            let ahead = tier.ahead(
                entry.current_version.as_deref(),
                entry.pending_target.as_deref(),
            )?;
            Some(Ahead {
                cluster: entry.partial.cluster.clone(),
                detail: advice::fleet::ahead(&ahead),
            })
        })
        .collect();
    let rows = rows(entries, &tier, platform.kubernetes, range.as_ref());
    let mut counts: BTreeMap<&'static str, usize> = URGENCY
        .iter()
        .map(|assessment| (assessment.key(), 0))
        .collect();
    for row in &rows {
        *counts.entry(row.assessment.key()).or_default() += 1;
    }
    let urgent_counts = URGENCY
        .iter()
        .map(|assessment| (*assessment, counts[assessment.key()]))
        .filter(|(_, count)| *count > 0)
        .collect();
    let at_global = match global_version {
        Some(global_version) => rows
            .iter()
            .filter(|row| !row.global)
            .filter(|row| {
                row.current
                    .as_deref()
                    .is_some_and(|current| version::same_version(current, global_version))
            })
            .count(),
        None => 0,
    };
    let sequencing = FleetSequencing {
        global_version: global_version.map(str::to_string),
        ceiling: ceiling.clone(),
        kubernetes_outside: rows
            .iter()
            .filter(|row| !row.global && row.kubernetes_in_range == Some(false))
            .map(|row| KubernetesOutside {
                cluster: row.cluster.clone(),
                version: row.kubernetes_version.clone().unwrap_or_default(),
            })
            .collect(),
        behind: rows
            .iter()
            .filter(|row| behind_and_idle(row))
            .map(|row| Behind {
                cluster: row.cluster.clone(),
                current: row.current.clone(),
                can_move_to: row.can_move_to.clone(),
                offered: row.can_move_to.is_some(),
            })
            .collect(),
        upgrading: rows
            .iter()
            .filter(|row| upgrading(row))
            .map(|row| Upgrading {
                cluster: row.cluster.clone(),
                target: row.target.clone(),
                assessment: row.assessment,
                percent: row.percent,
            })
            .collect(),
        blocked: rows
            .iter()
            .filter(|row| row.assessment.needs_attention())
            .map(|row| Blocked {
                cluster: row.cluster.clone(),
                assessment: row.assessment,
                reason: row.reason.clone(),
            })
            .collect(),
        ahead_of_global,
        dr_order_violation: tier.order_violated().zip(tier.standby()).map(
            |((primary, standby_version), standby)| DrOrderViolation {
                primary: primary.to_string(),
                standby: standby_version.to_string(),
                session: standby.session.clone(),
                message: advice::dr::violation_quoted(primary, standby_version, standby),
                command: advice::dr::catch_up(primary, standby).1,
            },
        ),
    };
    let blocked = &sequencing.blocked;
    let next_steps = advice::fleet::next_steps(
        &tier,
        blocked.first().map(|b| b.cluster.as_str()),
        blocked.len(),
        next.as_deref(),
    );
    let more_blocked = blocked
        .get(BLOCKED_LISTED)
        .map(|b| advice::fleet::see_cluster(&b.cluster));
    FleetReport {
        schema: FLEET_SCHEMA,
        next_steps,
        more_blocked,
        time: now.to_string(),
        total: rows.len(),
        global_version: global_version.map(str::to_string),
        counts,
        global_name: global_name.to_string(),
        urgent_counts,
        workload_clusters: rows.iter().filter(|row| !row.global).count(),
        at_global,
        behind_groups: behind_groups(&rows),
        upgrading_groups: upgrading_groups(&rows),
        sequencing,
        next_release: next.map(|version| NextRelease {
            kubernetes_range: range.map(|range| range.to_string()),
            release_label: range
                .map(|range| range.release_label())
                .unwrap_or_else(|| version.clone()),
            ahead_of_global: global_version
                .is_some_and(|global| !version::reached(global, &version)),
            version,
        }),
        standby: platform.standby.map(|standby| {
            let cvsh = standby.cvsh.read();
            StandbyReport {
                session: standby.session.clone(),
                current: cvsh.and_then(|c| c.current_version().map(str::to_string)),
                assessment: cvsh.map(|c| assess::assess(c, now)),
            }
        }),
        kubernetes_read: platform.kubernetes.is_some(),
        clusters: rows,
    }
}
