//! `ac adm upgrade verify` (`ac.alauda.io/upgrade-verify/v1`, `docs/output.md`): every
//! cluster's row with the items that are not ok, the platform's checks, the guide's
//! post-upgrade steps for the version, and the verdict — each in words (the advice layer's)
//! beside its typed finding.

use serde::Serialize;

use crate::domain::advice::NextStep;
use crate::domain::advice::precheck::Explained;
use crate::domain::advice::verify::{
    VerifyScope, due, explain_cluster, explain_platform, heading, post_upgrade_heading, refusal,
    row_label, verdict,
};
use crate::domain::verify::post_upgrade::{self, Quote};
use crate::domain::verify::{CLUSTER_CHECKS, Due, Finding, Item, Judgement, TargetFrom, Verdict};

pub const VERIFY_SCHEMA: &str = "ac.alauda.io/upgrade-verify/v1";

/// Remedies the text lists before it counts the rest.
pub const REMEDIES_LISTED: usize = 20;

/// One item: CHECK · RESULT · DETAIL, and the remedy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyRow {
    pub check: &'static str,
    pub result: Verdict,
    pub detail: String,
    /// The remedy on one line, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
    /// The remedy's commands, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    /// What was found, typed (tagged by `kind`).
    pub finding: Finding,
}

fn row_of(item: &Item, explained: &Explained) -> VerifyRow {
    VerifyRow {
        check: item.check.name(),
        result: item.verdict,
        detail: explained.detail.clone(),
        remedy: explained.remedy.as_ref().map(NextStep::line),
        commands: explained
            .remedy
            .as_ref()
            .map(|r| r.commands.clone())
            .unwrap_or_default(),
        finding: item.finding.clone(),
    }
}

/// One cluster: its result and the items that are not ok.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    pub cluster: String,
    /// The standby global of a DR pair: its session.
    pub standby: Option<String>,
    pub is_global: bool,
    pub current: Option<String>,
    /// The worst of its items.
    pub result: Verdict,
    /// The items that are not ok (every check of `checks` passed otherwise).
    pub items: Vec<VerifyRow>,
    /// `global (DR standby, session prod-dr)`.
    #[serde(skip)]
    pub label: String,
}

/// A post-upgrade step of the guide and when it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostUpgradeRow {
    pub id: &'static str,
    pub step: &'static str,
    /// Only when this holds (`Service Mesh v1 is installed`).
    pub only_if: Option<&'static str>,
    pub dr_only: bool,
    pub due: Due,
    /// `now`, `after every cluster reaches 4.3.0 (2 not yet)`.
    pub due_text: String,
    /// The guide's sentences, with their sections.
    pub guide: &'static [Quote],
}

/// The guide's post-upgrade steps for the version verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostUpgradeReport {
    /// The release line (`4.3`; `null` without a version).
    pub release: Option<String>,
    /// The release lines the guide gives steps for.
    pub known: Vec<&'static str>,
    pub steps: Vec<PostUpgradeRow>,
    /// What the list is (`None` without a version).
    #[serde(skip)]
    pub heading: Option<String>,
}

/// `ac.alauda.io/upgrade-verify/v1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub schema: &'static str,
    /// The version verified (`null`: none could be determined).
    pub target: Option<String>,
    pub target_from: TargetFrom,
    /// Every cluster was verified (not `--cluster`).
    pub all_clusters: bool,
    /// Nothing open or unknown: exit 0.
    pub verified: bool,
    /// Items open or unknown.
    pub open: usize,
    /// The checks of every cluster, in order.
    pub checks: Vec<&'static str>,
    /// In the order they move: the DR standby global, the global cluster, then by name.
    pub clusters: Vec<ClusterRow>,
    /// The platform's checks (`target`, `disabled-checks`, `kubernetes-range`, `dr-order`).
    pub platform: Vec<VerifyRow>,
    pub post_upgrade: PostUpgradeReport,
    /// The verdict in a sentence.
    pub message: String,
    /// What to run once the open items are resolved.
    pub command: Option<String>,
    /// `Verify ACP 4.3.0 on 5 clusters`.
    #[serde(skip)]
    pub heading: String,
    /// What resolves each open item (`cluster check`, or `check` for the platform, and the
    /// step), at most [`REMEDIES_LISTED`].
    #[serde(skip)]
    pub remedies: Vec<(String, NextStep)>,
    /// Open items with a remedy not listed.
    #[serde(skip)]
    pub more_remedies: usize,
    /// The `error:` line of exit 3.
    #[serde(skip)]
    pub refusal: String,
}

/// The report of a judgement.
pub fn verify_report(judgement: &Judgement, scope: &VerifyScope) -> VerifyReport {
    // (who, label, remedy): `who` is the row's label, empty for the platform.
    let mut remedies: Vec<(String, String, NextStep)> = Vec::new();
    let mut all_remedies = 0;
    // One remedy per distinct set of commands: two items of a cluster resolved the same way
    // (not Ready because Stalled) share a line.
    let mut remember = |who: &str, check: &str, explained: &Explained, verdict: Verdict| {
        let (true, Some(step)) = (verdict.is_open(), &explained.remedy) else {
            return;
        };
        if let Some((_, label, _)) = remedies
            .iter_mut()
            .find(|(of, _, known)| of == who && known.commands == step.commands)
        {
            label.push_str(&format!(", {check}"));
            return;
        }
        all_remedies += 1;
        if remedies.len() < REMEDIES_LISTED {
            let label = if who.is_empty() {
                check.to_string()
            } else {
                format!("{who} {check}")
            };
            remedies.push((who.to_string(), label, step.clone()));
        }
    };
    let clusters = judgement
        .clusters
        .iter()
        .map(|row| {
            let label = row_label(row);
            let items = row
                .items
                .iter()
                .filter(|item| item.verdict != Verdict::Ok)
                .map(|item| {
                    let explained = explain_cluster(item, row, scope);
                    remember(&label, item.check.name(), &explained, item.verdict);
                    row_of(item, &explained)
                })
                .collect();
            ClusterRow {
                cluster: row.cluster.clone(),
                standby: row.standby.as_ref().map(|s| s.session.clone()),
                is_global: row.is_global,
                current: row.current.clone(),
                result: row.verdict(),
                items,
                label,
            }
        })
        .collect();
    let platform = judgement
        .platform
        .iter()
        .map(|item| {
            let explained = explain_platform(item, Some(scope));
            remember("", item.check.name(), &explained, item.verdict);
            row_of(item, &explained)
        })
        .collect();
    let to = judgement.target.as_deref().unwrap_or("<version>");
    let known = post_upgrade::known_releases();
    let post_upgrade = PostUpgradeReport {
        heading: judgement.post_upgrade.release.as_deref().map(|release| {
            post_upgrade_heading(release, &known, !judgement.post_upgrade.steps.is_empty())
        }),
        release: judgement.post_upgrade.release.clone(),
        known,
        steps: judgement
            .post_upgrade
            .steps
            .iter()
            .map(|item| PostUpgradeRow {
                id: item.step.id,
                step: item.step.step,
                only_if: item.step.only_if,
                dr_only: item.step.dr_only,
                due_text: due(&item.due, to),
                due: item.due.clone(),
                guide: item.step.guide,
            })
            .collect(),
    };
    let (message, command) = verdict(judgement);
    VerifyReport {
        schema: VERIFY_SCHEMA,
        target: judgement.target.clone(),
        target_from: judgement.target_from,
        all_clusters: judgement.all,
        verified: judgement.verified(),
        open: judgement.open_items().count(),
        checks: CLUSTER_CHECKS.iter().map(|c| c.name()).collect(),
        clusters,
        platform,
        post_upgrade,
        message,
        command,
        heading: heading(judgement),
        more_remedies: all_remedies - remedies.len(),
        remedies: remedies
            .into_iter()
            .map(|(_, label, step)| (label, step))
            .collect(),
        refusal: refusal(judgement),
    }
}
