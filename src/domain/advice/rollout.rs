//! What to do after a rollout (or before one, from its plan): the clusters that failed, those
//! blocked (each with its pre-checks), those not offered the target, and the command that
//! resumes it. Every step is read-only or the rollout itself (which judges each cluster as the
//! guard does).

use crate::domain::advice::Suggestion;
use crate::domain::cmdline::{self, ClusterFlag};
use crate::domain::rollout::scheduler::Outcome;
use crate::output::text::plural;

/// At most this many clusters get a step of their own; the rest are counted.
const NAMED: usize = 5;

fn first_names<'a>(rows: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, usize) {
    let all: Vec<&str> = rows.collect();
    let more = all.len().saturating_sub(NAMED);
    (all.into_iter().take(NAMED).collect(), more)
}

/// Which screen the steps are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// `rollout --dry-run`: the plan.
    Plan,
    /// `precheck --all-clusters`: the plan without the order.
    Prechecks,
    /// The rollout, as it ended.
    Run,
}

/// What the advice needs to know of a rollout (the report builds it from its rows).
pub struct Tally<'a> {
    pub target: &'a str,
    pub view: View,
    pub timed_out: bool,
    pub outcome: Option<Outcome>,
    /// Clusters by state name (`failed`, `blocked`, `not offered`, ...), in report order.
    pub clusters: Vec<(&'a str, &'a str)>,
}

impl<'a> Tally<'a> {
    fn of(&self, state: &'a str) -> impl Iterator<Item = &'a str> + '_ {
        self.clusters
            .iter()
            .filter(move |(s, _)| *s == state)
            .map(|(_, c)| *c)
    }

    fn count(&self, state: &str) -> usize {
        self.clusters.iter().filter(|(s, _)| *s == state).count()
    }
}

/// A command about one cluster of the rollout. The DR standby's row is `SESSION/GLOBAL`: its
/// commands run through that session's context (named `SESSION/GLOBAL`, as `ac login` names
/// contexts), about its own global cluster.
fn about(cluster: &str, command: impl Fn(ClusterFlag) -> String) -> String {
    match cluster.split_once('/') {
        Some((_, global)) => cmdline::in_context(cluster, &command(ClusterFlag::joined(global))),
        None => command(ClusterFlag::joined(cluster)),
    }
}

/// The next steps of a rollout; `resume`: the rollout's own command line.
pub fn next_steps(report: &Tally<'_>, resume: &str) -> Vec<Suggestion> {
    let mut steps = Vec::new();
    let to = report.target;
    let (failed, more) = first_names(report.of("failed"));
    for cluster in &failed {
        steps.push(Suggestion::new(
            format!("Cluster {cluster} failed; see why"),
            about(cluster, cmdline::status_verbose),
        ));
    }
    if more > 0 {
        steps.push(Suggestion::new(
            format!(
                "{} more failed; every cluster at a glance",
                plural(more, "cluster", "clusters")
            ),
            cmdline::status_all_clusters(),
        ));
    }
    let blocked = report.count("blocked");
    if blocked > 0 && report.view != View::Prechecks {
        steps.push(Suggestion::new(
            format!(
                "{} blocked by pre-checks; each with its remedy",
                plural(blocked, "cluster is", "clusters are")
            ),
            cmdline::precheck_all(to),
        ));
    }
    let (not_offered, _) = first_names(report.of("not offered"));
    for cluster in &not_offered {
        steps.push(Suggestion::new(
            format!("{to} is not offered to cluster {cluster}; what it is offered"),
            about(cluster, cmdline::upgrade),
        ));
    }
    if report.view == View::Run && report.outcome == Some(Outcome::AllAtTarget) {
        steps.push(Suggestion::new(
            "Check that the platform is done, then the guide's post-upgrade steps",
            cmdline::verify(None, Some(to)),
        ));
    }
    let resumable = report.timed_out
        || matches!(report.outcome, Some(Outcome::Interrupted))
        || report.count("ready") + report.count("not offered yet") + report.count("in flight") > 0
        || blocked > 0;
    let to_move =
        report.count("ready") + report.count("not offered yet") + report.count("in flight");
    if report.view == View::Plan && to_move > 0 {
        steps.push(Suggestion::new("Start it", resume));
    } else if report.view == View::Prechecks && to_move > 0 {
        steps.push(Suggestion::new(
            "Move them in order (the global tier, the canary, then the window)",
            resume,
        ));
    } else if resumable && report.outcome != Some(Outcome::AllAtTarget) {
        let message = if blocked + report.count("failed") > 0 {
            "Once resolved (or to go on), run the same command: it resumes from what the clusters report"
        } else {
            "To go on, run the same command: it resumes from what the clusters report"
        };
        steps.push(Suggestion::new(message, resume));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standby_is_looked_at_through_its_own_session() {
        let tally = Tally {
            target: "4.3.0",
            view: View::Run,
            timed_out: false,
            outcome: Some(Outcome::Failed),
            clusters: vec![("failed", "prod-dr/global"), ("failed", "workload-a")],
        };
        let steps = next_steps(&tally, "ac adm upgrade rollout --to=4.3.0");
        let commands: Vec<&str> = steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(
            commands[..2],
            [
                "ac --context prod-dr/global adm upgrade status --cluster=global --verbose",
                "ac adm upgrade status --cluster=workload-a --verbose"
            ]
        );
    }
}
