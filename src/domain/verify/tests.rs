use serde_json::{Value, json};

use super::*;
use crate::domain::facts::{PlatformCluster, Standby};
use crate::domain::rules::tier::StandbyGlobal;

fn cvsh(name: &str, current: &str) -> Value {
    json!({
        "metadata": {"name": name, "generation": 4},
        "spec": {},
        "status": {
            "observedGeneration": 4,
            "current": {"version": current},
            "conditions": [
                {"type": "Ready", "status": "True", "message": format!("at {current}")},
                {"type": "Stalled", "status": "False"}
            ]
        }
    })
}

fn state(v: &Value) -> ClusterState {
    ClusterState::of(&Cvsh::from_value(v))
}

fn kube(name: &str, version: &str) -> PlatformCluster {
    PlatformCluster {
        name: name.into(),
        kubernetes_version: Some(version.into()),
        phase: Some("Running".into()),
    }
}

fn platform(kubernetes: &[(&str, &str)]) -> Platform {
    Platform {
        clusters: Some(Fact::Read(
            kubernetes.iter().map(|(n, v)| kube(n, v)).collect(),
        )),
        ..Platform::default()
    }
}

fn tier(global: &str) -> GlobalTier {
    GlobalTier::new("global", Some(global.into()), None)
}

fn run(to: Option<&str>, tier: &GlobalTier, states: &[ClusterState], p: &Platform) -> Judgement {
    judge(&Input {
        to,
        tier,
        clusters: states,
        all: true,
        platform: p,
    })
}

fn verdicts(j: &Judgement, cluster: &str) -> Vec<(&'static str, Verdict)> {
    j.clusters
        .iter()
        .find(|c| c.cluster == cluster && c.standby.is_none())
        .unwrap()
        .items
        .iter()
        .map(|i| (i.check.name(), i.verdict))
        .collect()
}

fn platform_item(j: &Judgement, check: Check) -> &Item {
    j.platform.iter().find(|i| i.check == check).unwrap()
}

#[test]
fn a_platform_at_the_tiers_version_is_verified() {
    let states = [
        state(&cvsh("workload-a", "4.3.0")),
        state(&cvsh("global", "4.3.0")),
    ];
    let p = platform(&[("workload-a", "1.32.6"), ("global", "1.32.6")]);
    let j = run(None, &tier("4.3.0"), &states, &p);
    assert!(j.verified(), "{j:#?}");
    assert_eq!(j.target.as_deref(), Some("4.3.0"));
    assert_eq!(j.target_from, TargetFrom::Tier);
    assert_eq!(j.clusters[0].cluster, "global", "global first");
    assert_eq!(
        verdicts(&j, "workload-a"),
        CLUSTER_CHECKS
            .iter()
            .map(|c| (c.name(), Verdict::Ok))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        platform_item(&j, Check::KubernetesRange).finding,
        Finding::KubernetesInside {
            range: KubernetesRange::of_release("4.3.0").unwrap(),
            count: 1
        }
    );
    // Every step of 4.3 is due, none under DR only.
    assert_eq!(j.post_upgrade.release.as_deref(), Some("4.3"));
    assert!(j.post_upgrade.steps.iter().all(|s| s.due == Due::Now));
    assert!(j.post_upgrade.steps.iter().all(|s| !s.step.dr_only));
}

#[test]
fn each_open_state_of_a_cluster_is_named() {
    let behind = state(&cvsh("w-behind", "4.2.1"));
    let mut stalled = cvsh("w-stalled", "4.3.0");
    stalled["status"]["conditions"] = json!([
        {"type": "Ready", "status": "False", "reason": "Failing"},
        {"type": "Stalled", "status": "True", "message": "operation etcd failed"},
        {"type": "Degraded", "status": "True", "reason": "Down"}
    ]);
    let mut stale = cvsh("w-stale", "4.3.0");
    stale["metadata"]["generation"] = json!(5);
    let mut other = cvsh("w-other", "4.3.0");
    other["spec"]["desiredUpdate"] = json!({"version": "4.3.1"});
    let mut requested = cvsh("w-requested", "4.2.1");
    requested["spec"]["desiredUpdate"] = json!({"version": "4.3.0"});
    let mut no_ready = cvsh("w-noready", "4.3.0");
    no_ready["status"]["conditions"] = json!([]);
    let states = [
        state(&cvsh("global", "4.3.0")),
        behind,
        state(&stalled),
        state(&stale),
        state(&other),
        state(&requested),
        state(&no_ready),
        state(&cvsh("w-beyond", "4.4.0")),
    ];
    let j = run(None, &tier("4.3.0"), &states, &Platform::default());
    assert!(!j.verified());
    let open = |cluster: &str| -> Vec<&'static str> {
        verdicts(&j, cluster)
            .into_iter()
            .filter(|(_, v)| v.is_open())
            .map(|(c, _)| c)
            .collect()
    };
    assert_eq!(open("global"), Vec::<&str>::new());
    assert_eq!(open("w-behind"), ["version"]);
    assert_eq!(open("w-stalled"), ["ready", "conditions"]);
    assert_eq!(open("w-stale"), ["status-current"]);
    assert_eq!(open("w-other"), ["request"]);
    assert_eq!(
        open("w-requested"),
        ["version"],
        "its own request is not another"
    );
    assert_eq!(open("w-noready"), ["ready"]);
    assert_eq!(open("w-beyond"), ["version"]);
    let find = |cluster: &str, check: Check| {
        j.clusters
            .iter()
            .find(|c| c.cluster == cluster)
            .unwrap()
            .items
            .iter()
            .find(|i| i.check == check)
            .unwrap()
            .finding
            .clone()
    };
    assert_eq!(
        find("w-requested", Check::Version),
        Finding::NotAtTarget {
            at: "4.2.1".into(),
            to: "4.3.0".into(),
            beyond: false,
            requested: true
        }
    );
    assert!(matches!(
        find("w-beyond", Check::Version),
        Finding::NotAtTarget { beyond: true, .. }
    ));
    let Finding::Trouble { conditions } = find("w-stalled", Check::Conditions) else {
        panic!()
    };
    assert_eq!(
        conditions
            .iter()
            .map(|c| (c.condition.as_str(), c.why.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("Stalled", Some("operation etcd failed")),
            ("Degraded", Some("Down"))
        ]
    );
    assert_eq!(
        find("w-stale", Check::StatusCurrent),
        Finding::StatusStale {
            generation: 5,
            observed: Some(4)
        }
    );
    // PKCE waits for every cluster.
    let pkce = j
        .post_upgrade
        .steps
        .iter()
        .find(|s| s.step.id == "pkce")
        .unwrap();
    assert_eq!(pkce.due, Due::AfterEveryCluster { left: 2 });
}

#[test]
fn the_target_from_the_flag_and_when_none_is_known() {
    let states = [state(&cvsh("global", "4.2.1"))];
    let j = run(Some("4.3.0"), &tier("4.2.1"), &states, &Platform::default());
    assert_eq!(j.target_from, TargetFrom::Flag);
    assert_eq!(verdicts(&j, "global")[0], ("version", Verdict::Open));
    let l5 = j
        .post_upgrade
        .steps
        .iter()
        .find(|s| s.step.id == "l5-plugins")
        .unwrap();
    assert_eq!(l5.due, Due::AfterGlobal);
    let j = run(
        None,
        &GlobalTier::new("global", None, None),
        &states,
        &Platform::default(),
    );
    assert_eq!(j.target, None);
    assert_eq!(platform_item(&j, Check::Target).verdict, Verdict::Open);
    assert!(!j.verified());
    assert_eq!(j.post_upgrade.release, None);
    // Another release line: no steps known.
    let j = run(Some("4.2.1"), &tier("4.2.1"), &states, &Platform::default());
    assert_eq!(j.post_upgrade.release.as_deref(), Some("4.2"));
    assert!(j.post_upgrade.steps.is_empty());
}

#[test]
fn disabled_checks_and_kubernetes_outside_or_unknown() {
    let states = [
        state(&cvsh("global", "4.3.0")),
        state(&cvsh("low", "4.3.0")),
        state(&cvsh("low-old", "4.1.5")),
        state(&cvsh("high", "4.3.0")),
        state(&cvsh("nobody", "4.3.0")),
        state(&json!({"metadata": {"name": "low-image"},
            "status": {"current": {"image": "r/acp@sha256:1"}}})),
    ];
    let mut p = platform(&[
        ("low", "1.30.14"),
        ("low-old", "1.28.3"),
        ("high", "1.35.1"),
        ("low-image", "1.29.1"),
    ]);
    p.disabled_checks = Fact::Read(vec!["PlatformLicense".into()]);
    let j = run(Some("4.3.0"), &tier("4.3.0"), &states, &p);
    assert_eq!(
        platform_item(&j, Check::DisabledChecks).finding,
        Finding::ChecksDisabled {
            names: vec!["PlatformLicense".into()],
            standby: None
        }
    );
    let Finding::KubernetesOutside {
        outside, unknown, ..
    } = &platform_item(&j, Check::KubernetesRange).finding
    else {
        panic!("{j:#?}")
    };
    assert_eq!(unknown, &["nobody"]);
    let steps: Vec<(&str, &KubeRemedy)> = outside
        .iter()
        .map(|o| (o.cluster.as_str(), &o.remedy))
        .collect();
    assert_eq!(
        steps,
        [
            ("high", &KubeRemedy::Above),
            (
                "low",
                &KubeRemedy::UpgradeKubernetes {
                    to: crate::domain::rules::kubernetes::KubeVersion {
                        major: 1,
                        minor: 31
                    }
                }
            ),
            ("low-image", &KubeRemedy::CheckCluster),
            (
                "low-old",
                &KubeRemedy::UpgradeKubernetes {
                    to: crate::domain::rules::kubernetes::KubeVersion {
                        major: 1,
                        minor: 29
                    }
                }
            ),
        ]
    );
    // Without the outside ones, the unknown one keeps it from being verified.
    let j = run(Some("4.3.0"), &tier("4.3.0"), &states[..1], &p);
    assert_eq!(
        platform_item(&j, Check::KubernetesRange).finding,
        Finding::NoWorkloadCluster
    );
    p.clusters = Some(Fact::Unknown("not allowed".into()));
    p.disabled_checks = Fact::Read(Vec::new());
    let j = run(Some("4.3.0"), &tier("4.3.0"), &states[..2], &p);
    assert_eq!(
        platform_item(&j, Check::KubernetesRange).verdict,
        Verdict::Unknown
    );
    assert!(!j.verified(), "unknown is not verified");
    // A release the guide gives no range for: skipped, not open.
    let states = [state(&cvsh("global", "4.4.0")), state(&cvsh("w", "4.4.0"))];
    let j = run(None, &tier("4.4.0"), &states, &platform(&[("w", "1.36.0")]));
    assert_eq!(
        platform_item(&j, Check::KubernetesRange).verdict,
        Verdict::Skipped
    );
    assert!(j.verified(), "{j:#?}");
}

fn dr(primary: &str, standby: &str) -> (GlobalTier, Platform) {
    let standby_cvsh = Cvsh::from_value(&cvsh("global", standby));
    let read = Standby {
        session: "prod-dr".into(),
        context: "prod-dr/global".into(),
        global_name: "global".into(),
        cvsh: Fact::Read(standby_cvsh),
        disabled_checks: Some(Fact::Read(vec!["VersionUpgradePath".into()])),
    };
    let tier = GlobalTier::new(
        "global",
        Some(primary.into()),
        Some(StandbyGlobal::from_read(&read)),
    );
    let platform = Platform {
        standby: Some(read),
        ..platform(&[])
    };
    (tier, platform)
}

#[test]
fn dr_both_globals_their_order_and_the_standbys_cvo_config() {
    let (t, p) = dr("4.3.0", "4.3.0");
    let states = [state(&cvsh("global", "4.3.0"))];
    let j = run(None, &t, &states, &p);
    assert_eq!(j.clusters.len(), 2, "the standby has a row");
    assert_eq!(
        j.clusters[0].standby.as_ref().map(|s| s.session.as_str()),
        Some("prod-dr"),
        "the standby first: it moves first"
    );
    assert_eq!(
        platform_item(&j, Check::DrOrder).finding,
        Finding::StandbyFirst {
            primary: "4.3.0".into(),
            standby: "4.3.0".into()
        }
    );
    // The standby's cvo-config is judged too.
    let standby_config = j
        .platform
        .iter()
        .filter(|i| i.check == Check::DisabledChecks)
        .nth(1)
        .unwrap();
    assert_eq!(
        standby_config.finding,
        Finding::ChecksDisabled {
            names: vec!["VersionUpgradePath".into()],
            standby: Some("prod-dr".into())
        }
    );
    assert!(
        j.post_upgrade
            .steps
            .iter()
            .any(|s| s.step.id == "etcd-sync")
    );

    // The primary went first: the order is violated, the target is the ceiling (the standby's).
    let (t, p) = dr("4.3.0", "4.2.1");
    let j = run(None, &t, &states, &p);
    assert_eq!(j.target.as_deref(), Some("4.2.1"));
    assert_eq!(
        platform_item(&j, Check::DrOrder).finding,
        Finding::DrOrderViolated {
            primary: "4.3.0".into(),
            standby: "4.2.1".into()
        }
    );
    assert_eq!(j.post_upgrade.release.as_deref(), Some("4.2"));
    let j = run(Some("4.3.0"), &t, &states, &p);
    let etcd = j
        .post_upgrade
        .steps
        .iter()
        .find(|s| s.step.id == "etcd-sync")
        .unwrap();
    assert_eq!(etcd.due, Due::AfterBothGlobals);
    assert_eq!(
        j.clusters[0]
            .items
            .iter()
            .find(|i| i.check == Check::Version)
            .unwrap()
            .verdict,
        Verdict::Open,
        "the standby behind 4.3.0"
    );

    // A workload cluster alone: no standby row, no DR order.
    let (t, p) = dr("4.3.0", "4.3.0");
    let j = judge(&Input {
        to: None,
        tier: &t,
        clusters: &[state(&cvsh("w", "4.3.0"))],
        all: false,
        platform: &p,
    });
    assert_eq!(j.clusters.len(), 1);
    assert!(j.platform.iter().all(|i| i.check != Check::DrOrder));
    assert!(
        j.post_upgrade
            .steps
            .iter()
            .any(|s| s.step.id == "pkce" && s.due == Due::NotJudged)
    );
}

#[test]
fn an_unreadable_standby_is_unknown() {
    let (_, mut p) = dr("4.3.0", "4.3.0");
    let standby = p.standby.as_mut().unwrap();
    standby.cvsh = Fact::Unknown("connection refused".into());
    standby.disabled_checks = Some(Fact::Unknown("connection refused".into()));
    let t = GlobalTier::new(
        "global",
        Some("4.3.0".into()),
        Some(StandbyGlobal::from_read(standby)),
    );
    let j = run(None, &t, &[state(&cvsh("global", "4.3.0"))], &p);
    assert_eq!(j.clusters.len(), 1, "no row without its state");
    assert_eq!(platform_item(&j, Check::DrOrder).verdict, Verdict::Unknown);
    assert!(!j.verified());
}

#[test]
fn one_global_under_dr_is_named_by_its_own_name() {
    let (_, mut p) = dr("4.3.0", "4.2.1");
    p.standby.as_mut().unwrap().global_name = "global-dr".into();
    let t = GlobalTier::new(
        "global",
        Some("4.3.0".into()),
        Some(StandbyGlobal::from_read(p.standby.as_ref().unwrap())),
    );
    let j = judge(&Input {
        to: Some("4.3.0"),
        tier: &t,
        clusters: &[state(&cvsh("global", "4.3.0"))],
        all: false,
        platform: &p,
    });
    assert_eq!(j.clusters.len(), 2);
    assert_eq!(
        crate::domain::advice::verify::heading(&j),
        "Verify ACP 4.3.0 on cluster global and its DR standby"
    );
    assert_eq!(
        crate::domain::advice::verify::verdict(&j).1.as_deref(),
        Some("ac adm upgrade verify --cluster=global --to=4.3.0")
    );
}
