//! `ac adm release list` (`docs/output.md`): the ProductManifests on global, highest version
//! first, each with the clusters that can move to it now. Which clusters can is the global
//! tier's rule ([`GlobalTier::may_move`]): a version offered to a cluster (in its
//! `availableUpdates`) and newer than its current one is a move for a workload cluster once
//! the global tier (both globals under DR) has reached it, and for the primary global under DR
//! once the standby has; otherwise the cluster waits for the tier.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::domain::cvsh::{ProductManifest, str_at};
use crate::domain::facts::ClusterVersion;
use crate::domain::rules::offers::Offers;
use crate::domain::rules::tier::{GlobalTier, TierVerdict};
use crate::domain::version;

pub const RELEASES_SCHEMA: &str = "ac.alauda.io/releases/v1";

/// `ac.alauda.io/releases/v1`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleasesReport {
    pub schema: &'static str,
    /// The global cluster and its version.
    pub global: Tier,
    /// Under DR: the standby's session and its global's version (`null` when unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standby: Option<Tier>,
    pub releases: Vec<ReleaseRow>,
    /// How a release is published (text: shown when there is none).
    #[serde(skip)]
    pub publish: String,
}

/// A global cluster of the tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    /// The global cluster's name; for the standby, its session.
    pub name: String,
    pub version: Option<String>,
}

/// One ProductManifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRow {
    /// The object's name (`v4.3.0`).
    pub name: String,
    pub version: Option<String>,
    pub image: Option<String>,
    /// The Ready condition's status (`True`, `False`, `Unknown`); `null`: none yet.
    pub ready: Option<String>,
    pub ready_reason: Option<String>,
    pub ready_message: Option<String>,
    /// `metadata.creationTimestamp`.
    pub created: Option<String>,
    /// Clusters that can request this version now (the global cluster first).
    pub can_move: Vec<String>,
    /// Clusters it is offered to that wait for the global tier (or, for the primary global
    /// under DR, for the standby) to reach it first.
    pub waiting: Vec<String>,
    /// Seconds since `created` (text only: the AGE column).
    #[serde(skip)]
    pub age_seconds: Option<i64>,
}

/// The report from the ProductManifests, every cluster's version and offers, and the global
/// tier.
pub fn releases_report(
    manifests: &[Value],
    clusters: &[ClusterVersion],
    tier: &GlobalTier,
    now: Timestamp,
) -> ReleasesReport {
    let global = tier.primary();
    let mut ordered: Vec<&ClusterVersion> = clusters.iter().collect();
    ordered.sort_by(|a, b| (a.name != global, &a.name).cmp(&(b.name != global, &b.name)));
    let mut releases: Vec<ReleaseRow> = manifests
        .iter()
        .map(|raw| {
            let m = ProductManifest::from_value(raw);
            let created = raw
                .get("metadata")
                .and_then(|meta| str_at(meta, "creationTimestamp"));
            let age_seconds = created
                .as_deref()
                .and_then(|c| c.parse::<Timestamp>().ok())
                .map(|t| now.as_second() - t.as_second());
            let ready = m.ready().cloned();
            let (can_move, waiting) = match &m.version {
                Some(v) => movers(v, &ordered, tier),
                None => (Vec::new(), Vec::new()),
            };
            ReleaseRow {
                name: m.name,
                version: m.version,
                image: m.image,
                ready: ready.as_ref().map(|c| c.status.clone()),
                ready_reason: ready.as_ref().and_then(|c| c.reason.clone()),
                ready_message: ready.and_then(|c| c.message),
                created,
                can_move,
                waiting,
                age_seconds,
            }
        })
        .collect();
    releases.sort_by(|a, b| match (&a.version, &b.version) {
        (Some(x), Some(y)) => version::cmp_versions(y, x).then(a.name.cmp(&b.name)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.name.cmp(&b.name),
    });
    ReleasesReport {
        schema: RELEASES_SCHEMA,
        global: Tier {
            name: global.to_string(),
            version: tier.primary_version().map(str::to_string),
        },
        standby: tier.standby().map(|s| Tier {
            name: s.session.clone(),
            version: s.version().map(str::to_string),
        }),
        releases,
        publish: crate::domain::cmdline::import_manifest("<version>"),
    }
}

/// Who can move to `v` now, and who it is offered to but must wait.
fn movers(v: &str, clusters: &[&ClusterVersion], tier: &GlobalTier) -> (Vec<String>, Vec<String>) {
    let (mut can, mut wait) = (Vec::new(), Vec::new());
    for c in clusters {
        let offered = Offers::new(&c.offers)
            .find(&crate::domain::cvsh::Release {
                version: Some(v.to_string()),
                image: None,
            })
            .is_some();
        // Not offered, or not a move: already there, or beyond.
        if !offered
            || c.current
                .as_deref()
                .is_some_and(|cur| version::newer_than(v, cur) != Some(true))
        {
            continue;
        }
        match tier.may_move(&c.name, v) {
            TierVerdict::Clear(_) => can.push(c.name.clone()),
            _ => wait.push(c.name.clone()),
        }
    }
    (can, wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn offers(name: &str, current: &str, offered: &[&str]) -> ClusterVersion {
        ClusterVersion {
            name: name.into(),
            current: Some(current.into()),
            offers: offered
                .iter()
                .map(|v| crate::domain::cvsh::Release {
                    version: Some(v.to_string()),
                    image: None,
                })
                .collect(),
        }
    }

    fn pdman(version: &str, ready: &str, created: &str) -> Value {
        json!({"metadata": {"name": format!("v{version}"), "creationTimestamp": created},
               "spec": {"version": version},
               "status": {"conditions": [{"type": "Ready", "status": ready}]}})
    }

    /// The tier of `clusters`' global cluster, and under DR a standby at `standby`.
    fn tier(clusters: &[ClusterVersion], standby: Option<Option<&str>>) -> GlobalTier {
        let primary = clusters
            .iter()
            .find(|c| c.name == "global")
            .and_then(|c| c.current.clone());
        GlobalTier::new(
            "global",
            primary,
            standby.map(|at| crate::domain::rules::tier::StandbyGlobal {
                session: "dr".into(),
                context: "dr/global".into(),
                global_name: "global".into(),
                version: crate::domain::facts::Fact::Read(at.map(str::to_string)),
            }),
        )
    }

    fn now() -> Timestamp {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn highest_first_with_who_can_move_and_who_waits() {
        let manifests = [
            pdman("4.2.1", "True", "2026-10-01T10:00:00Z"),
            pdman("4.3.0", "True", "2026-11-20T10:00:00Z"),
            pdman("4.10.0", "False", "2026-11-23T09:00:00Z"),
            json!({"metadata": {"name": "img"}, "spec": {"image": "r/x:1"}}),
        ];
        let clusters = [
            offers("workload-b", "4.2.1", &["4.3.0"]),
            offers("global", "4.3.0", &["4.10.0"]),
            offers("workload-a", "4.2.0", &["4.2.1", "4.3.0", "4.10.0"]),
        ];
        let r = releases_report(&manifests, &clusters, &tier(&clusters, None), now());
        let names: Vec<&str> = r.releases.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["v4.10.0", "v4.3.0", "v4.2.1", "img"]);
        assert_eq!(r.releases[0].can_move, ["global"]);
        assert_eq!(r.releases[0].waiting, ["workload-a"]);
        assert_eq!(r.releases[1].can_move, ["workload-a", "workload-b"]);
        assert_eq!(r.releases[2].can_move, ["workload-a"]);
        assert_eq!(r.releases[0].age_seconds, Some(3600));
        assert_eq!(r.releases[0].ready.as_deref(), Some("False"));
        assert!(r.releases[3].can_move.is_empty() && r.releases[3].ready.is_none());
        assert_eq!(r.global.version.as_deref(), Some("4.3.0"));
    }

    #[test]
    fn under_dr_the_standby_goes_first_and_bounds_the_tier() {
        let manifests = [pdman("4.3.0", "True", "2026-11-20T10:00:00Z")];
        let clusters = [
            offers("global", "4.2.1", &["4.3.0"]),
            offers("workload-a", "4.2.1", &["4.3.0"]),
        ];
        // The standby is behind: the primary waits for it.
        let r = releases_report(
            &manifests,
            &clusters,
            &tier(&clusters, Some(Some("4.2.1"))),
            now(),
        );
        assert!(r.releases[0].can_move.is_empty());
        assert_eq!(r.releases[0].waiting, ["global", "workload-a"]);
        // The standby has reached it: the primary may move; the workload cluster still waits
        // for the primary.
        let r = releases_report(
            &manifests,
            &clusters,
            &tier(&clusters, Some(Some("4.3.0"))),
            now(),
        );
        assert_eq!(r.releases[0].can_move, ["global"]);
        assert_eq!(r.releases[0].waiting, ["workload-a"]);
        // Unknown standby version: nobody moves.
        let r = releases_report(&manifests, &clusters, &tier(&clusters, Some(None)), now());
        assert!(r.releases[0].can_move.is_empty());
        assert_eq!(r.standby.as_ref().unwrap().name, "dr");
    }
}
