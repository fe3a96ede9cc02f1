//! The summary (`ac adm upgrade`, `docs/output.md`): where a cluster stands, what it can move
//! to, and what to do next.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::domain::advice::{self, Scope, Suggestion};
use crate::domain::assess::classify::{forced, pending_request};
use crate::domain::cvsh::{Condition, Cvsh, DesiredUpdate, Release};
use crate::domain::precheck::NextMove;
use crate::domain::rules::offers::Offers;
use crate::domain::version;

pub const SUMMARY_SCHEMA: &str = "ac.alauda.io/upgrade-summary/v1";

/// What a summary is built from.
#[derive(Debug, Clone, Copy)]
pub struct SummaryInput<'a> {
    /// The cluster shown (`--cluster`, default the global cluster).
    pub cluster: &'a str,
    pub cvsh: &'a Cvsh,
    /// The object as read, embedded as `object`.
    pub object: &'a Value,
    /// The cluster, the global tier, how kubectl reaches global.
    pub scope: Scope<'a>,
    /// The cluster's next move as its pre-checks judged it.
    pub next: &'a NextMove,
    /// "the context X points at cluster Y" when Y differs from the cluster shown.
    pub note: Option<&'a str>,
    pub now: Timestamp,
}

/// `ac.alauda.io/upgrade-summary/v1`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryReport<'a> {
    pub schema: &'static str,
    pub cluster: String,
    pub is_global: bool,
    pub current: Option<Release>,
    /// `spec.desiredUpdate` as it is (`null` when none).
    pub requested: Option<DesiredUpdate>,
    pub desired: Option<Release>,
    pub stale: bool,
    pub generation: Option<i64>,
    pub observed_generation: Option<i64>,
    /// In server order.
    pub conditions: Vec<Condition>,
    /// Highest first, duplicates removed, image-only last.
    pub available_updates: Vec<Release>,
    /// Workload clusters: the version the global tier reached (both globals under DR).
    pub global_version: Option<String>,
    pub next_steps: Vec<Suggestion>,
    pub object: &'a Value,

    #[serde(skip)]
    pub note: Option<String>,
    #[serde(skip)]
    pub now: Timestamp,
    /// A request for another release than the current one.
    #[serde(skip)]
    pub pending_request: Option<Release>,
    /// `spec.desiredUpdate.force: true`.
    #[serde(skip)]
    pub forced: bool,
    /// `status.desired` when it is neither the current release nor the request.
    #[serde(skip)]
    pub desired_elsewhere: Option<Release>,
    /// Per available update: a workload cluster must wait for global to reach it.
    #[serde(skip)]
    pub needs_global_first: Vec<bool>,
}

/// Build the summary report.
pub fn summary_report<'a>(input: &SummaryInput<'a>) -> SummaryReport<'a> {
    let cvsh = input.cvsh;
    let is_global = input.scope.is_global();
    let ceiling = if is_global {
        None
    } else {
        input.scope.tier.ceiling()
    };
    let available_updates = Offers::new(&cvsh.available_updates).into_vec();
    let needs_global_first = available_updates
        .iter()
        .map(|offer| match (ceiling, offer.version.as_deref()) {
            (Some(ceiling), Some(offered)) => !version::reached(ceiling, offered),
            _ => false,
        })
        .collect();
    let desired_elsewhere = cvsh.desired.clone().filter(|desired| {
        cvsh.current
            .as_ref()
            .is_none_or(|current| !current.same_as(desired))
            && cvsh
                .requested()
                .is_none_or(|requested| !requested.same_as(desired))
    });
    SummaryReport {
        schema: SUMMARY_SCHEMA,
        cluster: input.cluster.to_string(),
        is_global,
        current: cvsh.current.clone(),
        requested: cvsh.desired_update.clone(),
        desired: cvsh.desired.clone(),
        stale: cvsh.is_stale(),
        generation: cvsh.generation,
        observed_generation: cvsh.observed_generation,
        conditions: cvsh.conditions.clone(),
        available_updates,
        global_version: ceiling.map(str::to_string),
        next_steps: advice::summary::next_steps(
            cvsh,
            &input.scope,
            crate::domain::assess::assess(cvsh, input.now),
            input.next,
        ),
        object: input.object,
        note: input.note.map(str::to_string),
        now: input.now,
        pending_request: pending_request(cvsh),
        forced: forced(cvsh),
        desired_elsewhere,
        needs_global_first,
    }
}
