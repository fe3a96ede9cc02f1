//! The overridable guards of a request, in the order they are reported: downgrade, sequencing
//! (workload clusters), in progress towards another release, Stalled/Degraded. All are
//! collected; the first is the refusal and the others its `also:` hints, or every one a
//! warning under `--allow-upgrade-with-warnings`.

use crate::domain::advice::request as advice;
use crate::domain::assess::classify::{in_progress_towards, trouble_conditions};
use crate::domain::cvsh::Release;
use crate::domain::plan::Observed;
use crate::domain::version;
use crate::error::{AcError, one_line};

/// Every guard that refuses the request (the sequencing check may add a warning instead).
pub(super) fn check(
    target: &Release,
    target_version: Option<&str>,
    observed: &Observed,
    warnings: &mut Vec<String>,
) -> Vec<AcError> {
    let mut refusals = Vec::new();
    refusals.extend(downgrade(target_version, observed));
    if !observed.is_global() {
        refusals.extend(sequencing(target, target_version, observed, warnings));
    }
    refusals.extend(in_progress(target, observed));
    refusals.extend(stalled_or_degraded(observed));
    refusals
}

/// No refusal: fine. Refusals and no `--allow-upgrade-with-warnings`: the first one, naming
/// the others. With it: each becomes a warning.
pub(super) fn apply(
    mut refusals: Vec<AcError>,
    allow_warnings: bool,
    warnings: &mut Vec<String>,
) -> Result<(), AcError> {
    if refusals.is_empty() {
        return Ok(());
    }
    if allow_warnings {
        for refusal in refusals {
            warnings.push(format!(
                "{} (overridden by --allow-upgrade-with-warnings)",
                refusal.message
            ));
        }
        return Ok(());
    }
    let mut first = refusals.remove(0);
    for other in refusals {
        first.hints.push(format!("also: {}", other.message));
    }
    first.message.push_str("; nothing was written");
    first.hints.push(advice::ALLOW_WARNINGS.into());
    Err(first)
}

fn downgrade(target_version: Option<&str>, observed: &Observed) -> Option<AcError> {
    let (target_version, current) = (target_version?, observed.cvsh.current_version()?);
    (version::newer_than(current, target_version) == Some(true)).then(|| {
        AcError::refused(format!(
            "{target_version} is older than cluster {}'s current version {current}: downgrades are not supported",
            observed.cluster
        ))
        .hint(advice::pick_newer(observed.cluster).parenthesized())
    })
}

/// A workload cluster may only move to a version global has reached.
fn sequencing(
    target: &Release,
    target_version: Option<&str>,
    observed: &Observed,
    warnings: &mut Vec<String>,
) -> Option<AcError> {
    let (cluster, global) = (observed.cluster, observed.global);
    match (target_version, global.version) {
        (Some(target_version), Some(global_version))
            if version::newer_than(target_version, global_version) != Some(false)
                && !version::same_version(target_version, global_version) =>
        {
            let mut refusal = AcError::refused(format!(
                "cluster {cluster} cannot move to {target_version}: the global cluster is at {global_version}, and a workload cluster may only move to a version global has reached"
            ))
            .hint(advice::upgrade_global_first(global.name, target_version).inline());
            if let Some(allowed) =
                version::highest_up_to(&observed.cvsh.available_updates, global_version)
            {
                refusal = refusal.hint(advice::move_now(cluster, &allowed).inline());
            }
            Some(refusal)
        }
        (Some(_), None) => Some(
            AcError::refused(format!(
                "cannot check the sequencing rule for cluster {cluster}: the global cluster reports no current version"
            ))
            .hint(advice::check_global(global.name).inline()),
        ),
        (None, _) => {
            warnings.push(format!(
                "the version behind image {} is unknown: the sequencing rule (global first) could not be checked",
                target.label()
            ));
            None
        }
        _ => None,
    }
}

/// Already upgrading to another release: a new request would redirect it.
fn in_progress(target: &Release, observed: &Observed) -> Option<AcError> {
    let busy = in_progress_towards(observed.cvsh).filter(|busy| !busy.same_as(target))?;
    Some(
        AcError::refused(format!(
            "cluster {} is already upgrading to {}; a new request would redirect it",
            observed.cluster,
            busy.label()
        ))
        .hint(advice::wait_for_running(observed.cluster).inline()),
    )
}

/// `Stalled=True` and `Degraded=True`, one refusal each.
fn stalled_or_degraded(observed: &Observed) -> Vec<AcError> {
    trouble_conditions(observed.cvsh)
        .into_iter()
        .map(|condition| {
            let why = condition
                .message
                .as_deref()
                .or(condition.reason.as_deref())
                .map(|text| format!(": {}", one_line(text)))
                .unwrap_or_default();
            AcError::refused(format!(
                "cluster {} is {}{why}",
                observed.cluster, condition.type_
            ))
            .hint(advice::fix_first(observed.cluster).inline())
        })
        .collect()
}
