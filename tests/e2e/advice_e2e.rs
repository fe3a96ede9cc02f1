//! Advice that depends on what the server answers, end to end (issue 15, "Smaller"): a
//! preflight the controller failed because the global tier is behind, and `--to-latest`
//! landing on a pre-release.

use std::time::Duration;

use ac_sim::SimOptions;
use ac_sim::scenario::Scenario;
use serde_json::json;

use crate::common::*;

/// A workload cluster requested above the global's version (by hand, past `ac`'s guard): the
/// simulator's controller fails `VersionUpgradePath` with `GlobalVersionNotReached`, as ACP's
/// does; `status` says to move the global tier first and names its pre-checks — not "move to a
/// supported version".
#[tokio::test(flavor = "multi_thread")]
async fn global_version_not_reached_advises_the_global_tier_first() {
    let env = Env::start_with(
        SimOptions {
            scenario: Scenario::idle_fleet(1),
            speed: 600.0,
            controller: true,
            ..SimOptions::empty()
        },
        "global",
    )
    .await;
    let mut cvsh = env.cvsh("workload-0001");
    cvsh["spec"]["desiredUpdate"] = json!({"version": "4.3.0"});
    cvsh["metadata"]["generation"] =
        json!(cvsh["metadata"]["generation"].as_i64().unwrap_or(1) + 1);
    env.sim.put(cvsh);
    let mut failed = false;
    for _ in 0..600 {
        let now = env.cvsh("workload-0001");
        let text = now["status"].to_string();
        if text.contains("GlobalVersionNotReached") {
            failed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        failed,
        "the controller failed the path check: {}",
        env.cvsh("workload-0001")
    );

    let r = env
        .ac(&["adm", "upgrade", "status", "--cluster=workload-0001"])
        .await;
    // The screen wraps sentences: compare them with the white space folded.
    let out = r.both().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("GlobalVersionNotReached"), "{out}");
    assert!(
        out.contains(
            "The global tier has not reached 4.3.0 (it is at 4.2.1): move the global tier first"
        ),
        "{out}"
    );
    assert!(
        out.contains("ac adm upgrade precheck --cluster global --to=4.3.0")
            || out.contains("ac adm upgrade precheck --cluster=global --to=4.3.0"),
        "{out}"
    );
    assert!(
        !out.contains("Move it to a supported version first"),
        "{out}"
    );
}

/// `--to-latest` whose highest offer is a pre-release warns, naming the highest stable offer.
#[tokio::test(flavor = "multi_thread")]
async fn to_latest_warns_when_the_highest_offer_is_a_pre_release() {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0", "4.4.0-rc.1"]));
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--cluster=global",
            "--to-latest",
            "--dry-run",
        ])
        .await;
    assert!(
        r.stderr.contains(
            "--to-latest picked 4.4.0-rc.1, a pre-release (rc.1): for testing, not for production clusters; the highest stable release offered is 4.3.0 (--to=4.3.0)"
        ),
        "{}",
        r.both()
    );
    assert!(env.patches().is_empty(), "a dry run: {}", r.both());
    // A stable highest offer: no such warning.
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0", "4.3.1"]));
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--cluster=global",
            "--to-latest",
            "--dry-run",
        ])
        .await;
    assert!(!r.stderr.contains("pre-release"), "{}", r.both());
}
