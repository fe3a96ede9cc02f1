//! The pre-checks of one cluster's move (`ac adm upgrade precheck`, `docs/output.md`): every
//! item with its detail and remedy in words (the advice layer's), its typed finding, and the
//! request that follows when nothing blocks.

use serde::Serialize;

use crate::domain::advice::precheck::{explain, request};
use crate::domain::advice::{NextStep, Scope};
use crate::domain::cvsh::Release;
use crate::domain::precheck::{Check, Finding, Judgement, Verdict};

pub const PRECHECK_SCHEMA: &str = "ac.alauda.io/upgrade-precheck/v1";

/// One row: CHECK · RESULT · DETAIL, and the remedy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrecheckRow {
    pub check: &'static str,
    pub result: Verdict,
    pub detail: String,
    /// The remedy on one line (text: commands), where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
    /// The remedy's commands, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    /// What was found, typed (tagged by `kind`).
    pub finding: Finding,
    /// The remedy as a next step (text: its sentence and commands).
    #[serde(skip)]
    pub next: Option<NextStep>,
}

/// `ac.alauda.io/upgrade-precheck/v1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrecheckReport {
    pub schema: &'static str,
    pub cluster: String,
    pub is_global: bool,
    pub current: Option<String>,
    /// The release the checks were judged against (`None`: none could be chosen).
    pub target: Option<Release>,
    pub items: Vec<PrecheckRow>,
    /// Something blocks: nothing may be requested (exit 3).
    pub blocked: bool,
    /// Nothing blocks: the request (the guard accepts it).
    pub request: Option<String>,
}

impl PrecheckReport {
    pub fn blocking(&self) -> impl Iterator<Item = &PrecheckRow> {
        self.items.iter().filter(|i| i.result == Verdict::Block)
    }

    /// Warn and unknown items.
    pub fn cautions(&self) -> impl Iterator<Item = &PrecheckRow> {
        self.items
            .iter()
            .filter(|i| matches!(i.result, Verdict::Warn | Verdict::Unknown))
    }

    pub fn target_version(&self) -> Option<&str> {
        self.target.as_ref().and_then(|t| t.version.as_deref())
    }
}

/// The report of a judgement.
pub fn precheck_report(judgement: &Judgement, scope: &Scope) -> PrecheckReport {
    let items = judgement
        .items
        .iter()
        .map(|item| {
            let explained = explain(item, scope);
            PrecheckRow {
                check: item.check.name(),
                result: item.verdict,
                detail: explained.detail,
                remedy: explained.remedy.as_ref().map(NextStep::line),
                commands: explained
                    .remedy
                    .as_ref()
                    .map(|r| r.commands.clone())
                    .unwrap_or_default(),
                finding: item.finding.clone(),
                next: explained.remedy,
            }
        })
        .collect();
    let blocked = judgement.blocked();
    PrecheckReport {
        schema: PRECHECK_SCHEMA,
        cluster: judgement.cluster.clone(),
        is_global: judgement.is_global,
        current: judgement.current.clone(),
        // Nothing blocks and there is somewhere to go: the request, as the guard accepts it.
        request: match (&judgement.target, blocked, judgement.item(Check::Target)) {
            (_, _, Some(item)) if matches!(item.finding, Finding::AlreadyAt { .. }) => None,
            (Some(target), false, _) => Some(request(&judgement.cluster, target)),
            _ => None,
        },
        target: judgement.target.clone(),
        items,
        blocked,
    }
}
