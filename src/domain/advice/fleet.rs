//! The fleet view's words and next steps (`ac adm upgrade status --all-clusters`): clusters
//! ahead of global, what to look at first, and what the global tier does next. The requests
//! themselves are never suggested here (each cluster's pre-checks decide them): the next steps
//! are read-only commands.

use crate::domain::advice::{Suggestion, dr};
use crate::domain::cmdline::{self, ClusterFlag};
use crate::domain::rules::tier::{Ahead, GlobalTier, TierStep};

/// `is at 4.4.0 (ahead of global)`, `targets 4.4.0 (ahead of global)`.
pub fn ahead(ahead: &Ahead) -> String {
    match ahead {
        Ahead::At(v) => format!("is at {v} (ahead of global)"),
        Ahead::Targets(v) => format!("targets {v} (ahead of global)"),
    }
}

/// The status of one cluster: where it stands and what to do.
pub fn see_cluster(cluster: &str) -> String {
    cmdline::status(ClusterFlag::joined(cluster))
}

/// What to do next about a fleet: the first blocked cluster, then the global tier's next move
/// toward `next_release` (its pre-checks; the standby's first under DR).
pub fn next_steps(
    tier: &GlobalTier,
    first_blocked: Option<&str>,
    blocked: usize,
    next_release: Option<&str>,
) -> Vec<Suggestion> {
    let mut steps = Vec::new();
    // The primary went before the standby: putting that right comes first.
    if let (Some((primary, _)), Some(standby)) = (tier.order_violated(), tier.standby()) {
        let (text, command) = dr::catch_up(primary, standby);
        steps.push(Suggestion::new(
            format!("DR order violated: {text}"),
            command,
        ));
    }
    if let Some(cluster) = first_blocked {
        steps.push(Suggestion::new(
            if blocked == 1 {
                format!("Cluster {cluster} needs attention; see why and what to do")
            } else {
                format!(
                    "{blocked} clusters need attention (blocked or stalled); start with {cluster}"
                )
            },
            see_cluster(cluster),
        ));
    }
    if let Some(to) = next_release {
        match tier.next_step(to) {
            TierStep::Standby => {
                if let Some(standby) = tier.standby() {
                    let command = cmdline::in_context(
                        &standby.context,
                        &cmdline::precheck(ClusterFlag::joined(&standby.global_name), Some(to)),
                    );
                    if !steps.iter().any(|s| s.command == command) {
                        steps.push(Suggestion::new(
                            format!("The standby global moves to {to} first; its pre-checks"),
                            command,
                        ));
                    }
                }
            }
            TierStep::Primary => steps.push(Suggestion::new(
                format!("The global cluster moves to {to} next; its pre-checks"),
                cmdline::precheck(ClusterFlag::joined(tier.primary()), Some(to)),
            )),
            TierStep::Workloads => {}
        }
    }
    steps
}
