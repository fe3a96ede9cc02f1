//! The next steps of `ac adm upgrade` (the summary): follow a request, request the latest
//! offer, import release metadata, or (workload clusters) the version allowed by global's.

use crate::domain::advice::Suggestion;
use crate::domain::advice::commands::{self, ClusterFlag};
use crate::domain::assess::Assessment;
use crate::domain::assess::classify::{in_progress_towards, pending_request};
use crate::domain::cvsh::Cvsh;
use crate::domain::sequencing::{self, Global};
use crate::domain::version;

/// What to do next about `cluster` (one suggestion today; a list for machine output).
pub fn next_steps(
    cvsh: &Cvsh,
    cluster: &str,
    global: Global,
    assessment: Assessment,
) -> Vec<Suggestion> {
    let is_global = global.is(cluster);
    let this = ClusterFlag::joined(cluster);
    let upgrade_global = commands::upgrade(ClusterFlag::joined(global.name));
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
                commands::status(this),
            )];
        }
        return vec![Suggestion::new(
            format!(
                "An upgrade to {} is requested or running; follow it",
                busy.label()
            ),
            commands::status_watch(this),
        )];
    }
    let offered = version::sort_updates(&cvsh.available_updates);
    if offered.is_empty() {
        if is_global {
            return vec![Suggestion::new(
                "No updates are offered. Publish the release metadata of the version you want",
                commands::import_manifest("<version>"),
            )];
        }
        return vec![match (global.version, cvsh.current_version()) {
            (Some(global_version), Some(current))
                if sequencing::behind(Some(current), Some(global_version)) =>
            {
                Suggestion::new(
                    format!(
                        "Cluster {cluster} is at {current}, behind global at {global_version}, but nothing is offered yet; check again shortly"
                    ),
                    commands::upgrade(this),
                )
            }
            _ => Suggestion::new(
                "No updates are offered. Workload clusters are offered versions the global cluster has reached: upgrade global first",
                upgrade_global,
            ),
        }];
    }
    // The guide: "if preflight does not pass, do not submit the upgrade request".
    let precheck_first = |version: &str| {
        Suggestion::new(
            format!("Check the prerequisites of {version} first (read-only)"),
            commands::precheck(this, Some(version)),
        )
    };
    if is_global {
        if let Some(latest) = version::latest(&cvsh.available_updates).and_then(|r| r.version) {
            return vec![
                precheck_first(&latest),
                Suggestion::new(
                    format!("Then update to the latest version, {latest}"),
                    commands::upgrade_to_latest(this),
                ),
            ];
        }
        if let Some(image) = offered.first().and_then(|r| r.image.as_deref()) {
            return vec![Suggestion::new(
                "Update to the offered release image",
                commands::upgrade_to_image(this, image),
            )];
        }
        return Vec::new();
    }
    let Some(global_version) = global.version else {
        return vec![Suggestion::new(
            "The global cluster reports no current version; check it before moving this cluster",
            upgrade_global,
        )];
    };
    vec![
        match version::highest_up_to(&cvsh.available_updates, global_version) {
            Some(allowed) => {
                return vec![
                    precheck_first(&allowed),
                    Suggestion::new(
                        format!(
                            "Global is at {global_version}; then move cluster {cluster} to {allowed}"
                        ),
                        commands::upgrade_to(this, &allowed),
                    ),
                ];
            }
            None => Suggestion::new(
                format!(
                    "Every offered version is newer than global's {global_version}: upgrade global first"
                ),
                upgrade_global,
            ),
        },
    ]
}
