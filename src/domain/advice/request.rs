//! Advice around requests: the `hint:` lines of refused requests (`plan`), the follow-ups after
//! a request is written or cleared, after a watched upgrade fails, and after import-manifest.

use crate::domain::advice::Suggestion;
use crate::domain::cmdline::{self, ClusterFlag};

/// Relaxes the "offered" check only.
pub const ALLOW_EXPLICIT: &str =
    "to request it anyway (the controller still decides), add --allow-explicit-upgrade";

/// Turns every overridable guard into a `warning:` line.
pub const ALLOW_WARNINGS: &str = "to go ahead anyway, add --allow-upgrade-with-warnings";

/// `--to-latest` picked a pre-release (a `warning:` line).
pub fn latest_is_pre_release(version: &str, pre: &str, stable: Option<&str>) -> String {
    let stable = match stable {
        Some(stable) => format!("; the highest stable release offered is {stable} (--to={stable})"),
        None => "; no stable release is offered".to_string(),
    };
    format!(
        "--to-latest picked {version}, a pre-release ({pre}): for testing, not for production clusters{stable}"
    )
}

/// Request flags without a target.
pub fn name_a_target() -> String {
    format!(
        "add --to-latest, --to=VERSION, --to-image=IMAGE or --clear; see {}",
        cmdline::upgrade_help()
    )
}

/// `--to` is not a version.
pub fn list_offers() -> Suggestion {
    Suggestion::new("list the offered versions with", cmdline::upgrade_here())
}

/// Nothing (or not this version) is offered to global: publish the release metadata.
pub fn import_first(version: &str) -> Suggestion {
    Suggestion::new(
        "publish the release metadata first",
        cmdline::import_manifest(version),
    )
}

/// A workload cluster behind global with nothing offered yet: the offer follows.
pub fn await_offer(global_version: &str, cluster: &str) -> Suggestion {
    Suggestion::new(
        format!(
            "global is at {global_version}: the controller offers it once it has processed the release; check again with"
        ),
        cmdline::upgrade(ClusterFlag::joined(cluster)),
    )
}

/// A workload cluster level with global and nothing offered (shown in parentheses).
pub fn workload_offers_follow_global(global: &str) -> Suggestion {
    Suggestion::new(
        "a workload cluster is offered only versions the global cluster has reached: upgrade global first",
        cmdline::upgrade(ClusterFlag::joined(global)),
    )
}

/// A request refused by its pre-checks: the whole table.
pub fn see_prechecks(cluster: &str, target: &crate::domain::cvsh::Release) -> Suggestion {
    Suggestion::new(
        "see every pre-check with",
        cmdline::precheck(ClusterFlag::joined(cluster), target.version.as_deref()),
    )
}

/// The same request is already there (the end of the no-op sentence).
pub fn follow_existing(cluster: &str) -> Suggestion {
    Suggestion::new(
        "follow it with",
        cmdline::status(ClusterFlag::joined(cluster)),
    )
}

/// After a request was written.
pub fn follow_written(cluster: &str) -> Suggestion {
    Suggestion::new(
        "Follow it with",
        cmdline::status_watch(ClusterFlag::joined(cluster)),
    )
}

/// After a request was cleared.
pub fn check_cleared(cluster: &str) -> Suggestion {
    Suggestion::new(
        "Check it with",
        cmdline::upgrade(ClusterFlag::joined(cluster)),
    )
}

/// After a watched upgrade failed.
pub fn details_of_failure(cluster: &str) -> Suggestion {
    Suggestion::new(
        "see the details",
        cmdline::status_verbose(ClusterFlag::joined(cluster)),
    )
}

/// After import-manifest, once the manifest is Ready.
pub fn see_offer(global: &str) -> Suggestion {
    Suggestion::new("See it with", cmdline::upgrade(ClusterFlag::joined(global)))
}

/// After import-manifest without `--wait`.
pub fn check_offer(version: &str, global: &str) -> Suggestion {
    Suggestion::new(
        format!("The controller offers {version} once it has processed it; check with"),
        cmdline::upgrade(ClusterFlag::joined(global)),
    )
}

/// A ProductManifest of that name exists with another spec.
pub fn inspect_manifest(kubectl: cmdline::Kubectl, name: &str) -> String {
    format!(
        "{} (its spec is immutable)",
        Suggestion::new(
            "inspect it with",
            cmdline::get_product_manifest(kubectl, name)
        )
        .inline()
    )
}
