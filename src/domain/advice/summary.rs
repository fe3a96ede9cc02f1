//! The next steps of `ac adm upgrade` (the summary): follow a request, request the next move
//! (only when its pre-checks pass — the guard would accept it), its pre-checks when something
//! blocks it, import release metadata, or wait for the offer the global tier brings.

use crate::domain::advice::precheck::explain;
use crate::domain::advice::{Scope, Suggestion};
use crate::domain::assess::Assessment;
use crate::domain::assess::classify::{in_progress_towards, pending_request};
use crate::domain::cmdline::{self, ClusterFlag};
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::Fact;
use crate::domain::precheck::NextMove;
use crate::domain::rules::tier::{NextVersion, StandbyGlobal};
use crate::output::text::plural;

/// The line the views print under DR: where the standby global stands.
pub fn standby_note(standby: &StandbyGlobal) -> String {
    match &standby.version {
        Fact::Read(at) => format!(
            "DR: the standby global (session {}) is at {}",
            standby.session,
            at.as_deref().unwrap_or("<unknown>")
        ),
        Fact::Unknown(why) => format!(
            "DR: the standby global (session {}) could not be read: {why}",
            standby.session
        ),
    }
}

/// What to do next about the cluster of `scope`.
pub fn next_steps(
    cvsh: &Cvsh,
    scope: &Scope,
    assessment: Assessment,
    next: &NextMove,
) -> Vec<Suggestion> {
    let cluster = scope.cluster;
    let this = ClusterFlag::joined(cluster);
    let global = scope.tier.primary();
    if let Some(busy) = in_progress_towards(cvsh).or_else(|| pending_request(cvsh)) {
        // A blocked or stalled upgrade does not move: watching it would end at once (exit 5).
        if matches!(
            assessment,
            Assessment::BlockedByPreflight | Assessment::Stalled
        ) {
            return vec![Suggestion::new(
                format!(
                    "The upgrade to {} is {}; see why and what to do",
                    busy.label(),
                    if assessment == Assessment::Stalled {
                        "stalled"
                    } else {
                        "blocked by preflight"
                    }
                ),
                cmdline::status(this),
            )];
        }
        return vec![Suggestion::new(
            format!(
                "An upgrade to {} is requested or running; follow it",
                busy.label()
            ),
            cmdline::status_watch(this),
        )];
    }
    if let Some(target) = &next.target {
        let label = target.label();
        if let Some(judgement) = next.blocked() {
            let blocking: Vec<_> = judgement.blocking().collect();
            let first = blocking
                .first()
                .map(|item| format!(" ({}: {})", item.check.name(), explain(item, scope).detail))
                .unwrap_or_default();
            return vec![Suggestion::new(
                format!(
                    "{label} is offered, but {} {} it{first}; see each with its remedy",
                    plural(blocking.len(), "pre-check", "pre-checks"),
                    if blocking.len() == 1 {
                        "blocks"
                    } else {
                        "block"
                    },
                ),
                cmdline::precheck(this, target.version.as_deref()),
            )];
        }
        let request = super::precheck::request(cluster, target);
        let message = match (scope.is_global(), scope.tier.ceiling()) {
            (false, Some(ceiling)) => format!(
                "Global is at {ceiling}; move cluster {cluster} to {label} (its pre-checks pass)"
            ),
            _ if target.version.is_none() => {
                "Update to the offered release image (its pre-checks pass)".to_string()
            }
            _ => format!("Update to {label} (its pre-checks pass)"),
        };
        return vec![Suggestion::new(message, request)];
    }
    match &next.next {
        NextVersion::NothingOffered if scope.is_global() => vec![Suggestion::new(
            "No updates are offered. Publish the release metadata of the version you want",
            cmdline::import_manifest("<version>"),
        )],
        NextVersion::NothingOffered => vec![Suggestion::new(
            "No updates are offered. Workload clusters are offered versions the global cluster has reached: upgrade global first",
            cmdline::upgrade(ClusterFlag::joined(global)),
        )],
        NextVersion::NotOfferedYet { ceiling } => vec![Suggestion::new(
            format!(
                "Cluster {cluster} is at {}, behind global at {ceiling}, but nothing up to {ceiling} is offered yet; check again shortly",
                cvsh.current_version().unwrap_or("<unknown>")
            ),
            cmdline::upgrade(this),
        )],
        NextVersion::GlobalUnknown => vec![Suggestion::new(
            "The global cluster reports no current version; check it before moving this cluster",
            cmdline::upgrade(ClusterFlag::joined(global)),
        )],
        NextVersion::UpToDate if !scope.is_global() && !cvsh.available_updates.is_empty() => {
            vec![Suggestion::new(
                format!(
                    "Every offered version is newer than what the global tier reached ({}): upgrade global first",
                    scope.tier.ceiling().unwrap_or("<unknown>")
                ),
                cmdline::upgrade(ClusterFlag::joined(global)),
            )]
        }
        NextVersion::UpToDate | NextVersion::Offered(_) => Vec::new(),
    }
}
