use serde_json::{Value, json};

use super::*;
use crate::domain::advice::Scope;
use crate::domain::cmdline::Kubectl;
use crate::domain::facts::{
    ClusterVersion, Fact, Machine, PlatformCluster, ResourcePatch, Standby,
};
use crate::domain::report::precheck::{PrecheckReport, PrecheckRow, precheck_report};
use crate::domain::rules::kubernetes::KubernetesRange;
use crate::domain::rules::tier::StandbyGlobal;

fn cvsh(name: &str, current: &str, offered: &[&str]) -> Cvsh {
    Cvsh::from_value(&json!({
        "metadata": {"name": name, "generation": 1},
        "status": {
            "observedGeneration": 1,
            "current": {"version": current},
            "availableUpdates": offered.iter().map(|v| json!({"version": v})).collect::<Vec<Value>>(),
            "conditions": [{"type": "Ready", "status": "True"}]
        }
    }))
}

fn cluster(name: &str, k8s: Option<&str>) -> PlatformCluster {
    PlatformCluster {
        name: name.into(),
        kubernetes_version: k8s.map(str::to_string),
        phase: Some("Running".into()),
    }
}

fn machine(name: &str, phase: &str) -> Machine {
    Machine {
        name: name.into(),
        phase: Some(phase.into()),
    }
}

fn fine_platform() -> Platform {
    Platform {
        clusters: Some(Fact::Read(vec![
            cluster("global", Some("1.32.6")),
            cluster("workload-a", Some("1.32.6")),
            cluster("workload-b", Some("v1.33.1")),
        ])),
        machines: Some(Fact::Read(vec![machine("m1", "Running")])),
        ..Platform::default()
    }
}

fn tier_of(c: &Cvsh, global_version: Option<&str>, platform: &Platform) -> GlobalTier {
    GlobalTier::new(
        "global",
        if c.name == "global" {
            c.current_version().map(str::to_string)
        } else {
            global_version.map(str::to_string)
        },
        platform.standby.as_ref().map(StandbyGlobal::from_read),
    )
}

/// Judge an upgrade of `cluster` (global when named so) to `wanted`, in words.
fn judge_as(
    c: &Cvsh,
    global_version: Option<&str>,
    wanted: Wanted,
    platform: &Platform,
    allow_explicit: bool,
) -> PrecheckReport {
    let tier = tier_of(c, global_version, platform);
    let judgement = run(&Input {
        cluster: &c.name,
        cvsh: c,
        tier: &tier,
        wanted: &wanted,
        allow_explicit,
        platform,
    });
    assert_eq!(
        judgement.blocked(),
        judgement.items.iter().any(|i| i.verdict == Verdict::Block)
    );
    precheck_report(
        &judgement,
        &Scope {
            cluster: &c.name,
            tier: &tier,
            kubectl: Kubectl::default(),
        },
    )
}

fn judge(
    c: &Cvsh,
    global_version: Option<&str>,
    wanted: Wanted,
    platform: &Platform,
) -> PrecheckReport {
    judge_as(c, global_version, wanted, platform, false)
}

fn to(v: &str) -> Wanted {
    Wanted::Version(v.into())
}

fn item<'a>(r: &'a PrecheckReport, check: &str) -> &'a PrecheckRow {
    r.items
        .iter()
        .find(|i| i.check == check)
        .unwrap_or_else(|| panic!("no {check} item in {r:#?}"))
}

#[test]
fn everything_fine_passes() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let r = judge(&c, None, to("4.3.0"), &fine_platform());
    assert!(!r.blocked, "{r:#?}");
    assert!(r.items.iter().all(|i| i.result == Verdict::Pass), "{r:#?}");
    assert_eq!(r.target_version(), Some("4.3.0"));
}

#[test]
fn kubernetes_outside_the_range_blocks_a_global_upgrade() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut platform = fine_platform();
    platform.clusters = Some(Fact::Read(vec![
        cluster("workload-a", Some("1.30.4")),
        cluster("workload-b", Some("1.30.1")),
        cluster("workload-c", Some("1.32.0")),
        cluster("workload-d", None),
    ]));
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert!(r.blocked);
    let k = item(&r, "kubernetes-versions");
    assert_eq!(k.result, Verdict::Block);
    assert!(
        k.detail
            .contains("workload-a (1.30.4), workload-b (1.30.1)"),
        "{}",
        k.detail
    );
    assert!(k.detail.contains("1.31–1.34"), "{}", k.detail);
    assert!(
        k.detail.contains("version unknown: workload-d"),
        "{}",
        k.detail
    );
    // unknown alone is unknown, never a pass
    platform.clusters = Some(Fact::Read(vec![cluster("workload-d", None)]));
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert_eq!(item(&r, "kubernetes-versions").result, Verdict::Unknown);
    // not served: unknown with the reason
    let why = "the platform does not serve clusters.platform.tkestack.io";
    platform.clusters = Some(Fact::Unknown(why.into()));
    let r = judge(&c, None, to("4.3.0"), &platform);
    let k = item(&r, "kubernetes-versions");
    assert_eq!((k.result, k.detail.as_str()), (Verdict::Unknown, why));
    assert!(!r.blocked);
}

#[test]
fn a_workload_cluster_is_judged_on_its_own_kubernetes() {
    let w = cvsh("workload-a", "4.2.1", &["4.3.0"]);
    let platform = Platform {
        clusters: Some(Fact::Read(vec![cluster("workload-a", Some("1.30.2"))])),
        ..Platform::default()
    };
    let r = judge(&w, Some("4.3.0"), to("4.3.0"), &platform);
    let k = item(&r, "kubernetes-versions");
    assert_eq!(k.result, Verdict::Block, "{k:?}");
    assert!(k.detail.contains("workload-a (1.30.2)"));
    let platform = Platform {
        clusters: Some(Fact::Read(vec![])),
        ..Platform::default()
    };
    let r = judge(&w, Some("4.3.0"), to("4.3.0"), &platform);
    assert_eq!(item(&r, "kubernetes-versions").result, Verdict::Unknown);
}

#[test]
fn machines_not_running_block() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut platform = fine_platform();
    platform.machines = Some(Fact::Read(vec![
        machine("m1", "Running"),
        machine("m2", "Failed"),
    ]));
    let r = judge(&c, None, to("4.3.0"), &platform);
    let m = item(&r, "machines");
    assert_eq!(m.result, Verdict::Block);
    assert!(m.detail.contains("m2 (Failed)"));
}

fn standby(at: &str) -> Standby {
    Standby {
        session: "prod-dr".into(),
        context: "prod-dr/global".into(),
        global_name: "global".into(),
        cvsh: Fact::Read(cvsh("global", at, &["4.3.0"])),
        disabled_checks: None,
    }
}

#[test]
fn workload_targets_need_every_global_at_the_target() {
    let w = cvsh("workload-a", "4.2.1", &["4.3.0"]);
    let r = judge(&w, Some("4.2.1"), to("4.3.0"), &Platform::default());
    let s = item(&r, "global-first");
    assert_eq!(s.result, Verdict::Block);
    assert_eq!(
        s.commands,
        ["ac adm upgrade precheck --cluster=global --to=4.3.0"],
        "another cluster's move: its own pre-checks"
    );
    assert!(r.items.iter().all(|i| i.check != "machines"));
    // DR: the primary reached it, the standby did not
    let platform = Platform {
        standby: Some(standby("4.2.1")),
        ..Platform::default()
    };
    let r = judge(&w, Some("4.3.0"), to("4.3.0"), &platform);
    let s = item(&r, "global-first");
    assert_eq!(s.result, Verdict::Block, "{s:?}");
    assert_eq!(
        s.commands,
        ["ac --context prod-dr/global adm upgrade precheck --cluster=global --to=4.3.0"]
    );
    // with no target given, the highest version both globals reached is chosen
    let w2 = cvsh("workload-a", "4.2.0", &["4.3.0", "4.2.1"]);
    let r = judge(&w2, Some("4.3.0"), Wanted::Unspecified, &platform);
    assert_eq!(r.target_version(), Some("4.2.1"), "{r:#?}");
    assert!(!r.blocked, "{r:#?}");
}

#[test]
fn dr_primary_waits_for_the_standby() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut platform = fine_platform();
    platform.standby = Some(standby("4.2.1"));
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert_eq!(item(&r, "dr-standby-first").result, Verdict::Block);
    platform.standby = Some(standby("4.3.0"));
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert_eq!(item(&r, "dr-standby-first").result, Verdict::Pass);
    platform.standby.as_mut().unwrap().cvsh = Fact::Unknown("connection refused".into());
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert_eq!(item(&r, "dr-standby-first").result, Verdict::Unknown);
}

#[test]
fn patches_gates_and_disabled_checks() {
    let c = cvsh("global", "4.3.2", &["4.4.0"]);
    let mut platform = fine_platform();
    platform.resource_patches = Fact::Read(vec![
        ResourcePatch {
            name: "rp-a".into(),
            exempt_for: Some("4.4.0".into()),
            cluster: None,
        },
        ResourcePatch {
            name: "rp-b".into(),
            exempt_for: Some("4.3.0".into()),
            cluster: None,
        },
        ResourcePatch {
            name: "rp-c".into(),
            exempt_for: None,
            cluster: None,
        },
        // names another cluster: not in the way of this one
        ResourcePatch {
            name: "rp-edge".into(),
            exempt_for: None,
            cluster: Some("workload-edge".into()),
        },
    ]);
    platform.admin_gates = Fact::Read(vec![
        (
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "Check the kernel".into(),
        ),
        ("ack-4.3-old".into(), "not for 4.4".into()),
    ]);
    platform.admin_acks = Fact::Read(Some(vec![]));
    platform.disabled_checks =
        Fact::Read(vec!["PlatformLicense".into(), "ClusterModuleStable".into()]);
    let r = judge(&c, None, to("4.4.0"), &platform);
    assert_eq!(
        item(&r, "resource-patches").remedy.as_deref(),
        Some(
            "kubectl annotate resourcepatches rp-b rp-c config.cpaas.io/exempt-for-ver=4.4.0 --overwrite"
        )
    );
    let a = item(&r, "admin-acks");
    assert_eq!(a.result, Verdict::Block);
    assert_eq!(
        a.remedy.as_deref(),
        Some(
            "kubectl -n cpaas-system patch configmap admin-acks --type merge -p '{\"data\":{\"ack-4.4-kubernetes-1.35-kernel-update\":\"true\"}}'"
        )
    );
    let d = item(&r, "disabled-checks");
    assert_eq!(d.result, Verdict::Warn);
    assert!(d.detail.contains("PlatformLicense"));
    // no admin-acks ConfigMap yet: create it
    platform.admin_acks = Fact::Read(None);
    let r = judge(&c, None, to("4.4.0"), &platform);
    assert!(
        item(&r, "admin-acks")
            .remedy
            .as_deref()
            .unwrap()
            .starts_with(
                "kubectl -n cpaas-system create configmap admin-acks --from-literal=ack-4.4"
            )
    );
    // acknowledged
    platform.admin_acks = Fact::Read(Some(vec![(
        "ack-4.4-kubernetes-1.35-kernel-update".into(),
        "true".into(),
    )]));
    let r = judge(&c, None, to("4.4.0"), &platform);
    assert_eq!(item(&r, "admin-acks").result, Verdict::Pass);
}

#[test]
fn paths_downgrades_and_prereleases() {
    let platform = fine_platform();
    let c = cvsh("global", "3.18.2", &["4.3.0"]);
    let r = judge(&c, None, to("4.3.0"), &platform);
    let p = item(&r, "upgrade-path");
    assert_eq!(p.result, Verdict::Block);
    assert!(
        p.detail.contains("3.18 → 4.3 is not a supported path"),
        "{}",
        p.detail
    );
    let c = cvsh("global", "4.3.2", &["4.3.0"]);
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert_eq!(item(&r, "upgrade-path").result, Verdict::Block);
    let c = cvsh("global", "4.2.1", &["4.3.1-rc.1"]);
    let r = judge(&c, None, to("4.3.1-rc.1"), &platform);
    let p = item(&r, "upgrade-path");
    assert_eq!(p.result, Verdict::Warn);
    assert!(p.detail.contains("pre-release"));
}

#[test]
fn not_offered_and_nothing_offered() {
    let platform = fine_platform();
    let c = cvsh("global", "4.2.1", &["4.2.3"]);
    let r = judge(&c, None, to("4.3.0"), &platform);
    let t = item(&r, "target");
    assert_eq!(t.result, Verdict::Block);
    assert_eq!(
        t.commands,
        ["ac adm release import-manifest --version 4.3.0"]
    );
    let r = judge_as(&c, None, to("4.3.0"), &platform, true);
    assert_eq!(item(&r, "target").result, Verdict::Warn);
    let c = cvsh("global", "4.2.1", &[]);
    let r = judge(&c, None, Wanted::Latest, &platform);
    assert!(r.blocked && r.target.is_none());
}

#[test]
fn busy_stalled_and_pending_clusters_block() {
    let platform = fine_platform();
    let mut v = json!({
        "metadata": {"name": "global", "generation": 2},
        "spec": {"desiredUpdate": {"version": "4.2.3"}},
        "status": {"observedGeneration": 1, "current": {"version": "4.2.1"},
                   "availableUpdates": [{"version": "4.3.0"}, {"version": "4.2.3"}]}
    });
    let c = Cvsh::from_value(&v);
    let r = judge(&c, None, to("4.3.0"), &platform);
    let s = item(&r, "cluster-state");
    assert_eq!(s.result, Verdict::Block);
    assert!(s.detail.contains("pending"), "{}", s.detail);
    v["status"]["observedGeneration"] = json!(2);
    v["status"]["conditions"] =
        json!([{"type": "Stalled", "status": "True", "message": "op x failed"}]);
    let c = Cvsh::from_value(&v);
    let r = judge(&c, None, to("4.3.0"), &platform);
    assert!(
        item(&r, "cluster-state")
            .detail
            .contains("Stalled: op x failed")
    );
}

#[test]
fn kubernetes_remedies_are_commands() {
    // A global target. workload-c (ACP 4.1.5, Kubernetes 1.30) is one minor below 4.3's
    // range, and 1.31 is inside 4.1's own range (1.29–1.32): upgrade its Kubernetes through
    // the Cluster resource. workload-z runs a newer Kubernetes than the range: nothing moves
    // it back; it is named with the command that shows it.
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut platform = fine_platform();
    platform.clusters = Some(Fact::Read(vec![
        cluster("workload-c", Some("1.30.14")),
        cluster("workload-z", Some("1.35.0")),
    ]));
    platform.versions = Some(Fact::Read(vec![
        ClusterVersion {
            name: "workload-c".into(),
            current: Some("4.1.5".into()),
            offers: Vec::new(),
        },
        ClusterVersion {
            name: "workload-z".into(),
            current: Some("4.2.1".into()),
            offers: Vec::new(),
        },
    ]));
    let r = judge(&c, None, to("4.3.0"), &platform);
    let k = item(&r, "kubernetes-versions");
    assert_eq!(k.result, Verdict::Block);
    assert_eq!(
        k.commands,
        [
            "kubectl patch clusters.platform.tkestack.io workload-c --type merge -p '{\"spec\":{\"version\":\"1.31\"}}'",
            "kubectl get clusters.platform.tkestack.io workload-z",
            "ac adm upgrade precheck --cluster=global --to=4.3.0",
        ]
    );
    assert!(
        k.remedy
            .as_deref()
            .unwrap()
            .contains("workload-z runs a newer Kubernetes")
    );
    // A workload target: within the range already, nothing to do.
    let w = cvsh("workload-w", "4.0.7", &["4.2.1", "4.3.0"]);
    let platform = Platform {
        clusters: Some(Fact::Read(vec![cluster("workload-w", Some("1.31.2"))])),
        ..Platform::default()
    };
    // To 4.2.1 (range 1.30–1.33): 1.31 is inside, nothing to do.
    let r = judge(&w, Some("4.3.0"), to("4.2.1"), &platform);
    assert_eq!(item(&r, "kubernetes-versions").result, Verdict::Pass);
}

#[test]
fn a_workload_outside_its_targets_range_upgrades_acp_first_when_its_release_stops_short() {
    // ACP 4.0 runs Kubernetes up to 1.31; 4.3 needs 1.31+. A cluster at ACP 4.0.7 on
    // Kubernetes 1.30 steps to 1.31 inside 4.0's range: the Cluster patch.
    let w = cvsh("workload-w", "4.0.7", &["4.2.1", "4.3.0"]);
    let platform = Platform {
        clusters: Some(Fact::Read(vec![cluster("workload-w", Some("1.30.2"))])),
        ..Platform::default()
    };
    let r = judge(&w, Some("4.3.0"), to("4.3.0"), &platform);
    let k = item(&r, "kubernetes-versions");
    assert_eq!(k.result, Verdict::Block);
    assert_eq!(
        k.commands[0],
        "kubectl patch clusters.platform.tkestack.io workload-w --type merge -p '{\"spec\":{\"version\":\"1.31\"}}'"
    );
    // A cluster at ACP 4.0.7 on Kubernetes 1.31 asked for a release whose range starts at
    // 1.33 would need 1.32, outside 4.0's 1.28–1.31: its ACP version moves first — to the
    // highest the tier allows (4.2.1), whose own pre-checks pass: the request itself.
    let range = KubernetesRange::of_release("4.3.0").unwrap();
    let tier = GlobalTier::new("global", Some("4.3.0".into()), None);
    let wanted = to("4.3.0");
    let w = cvsh("workload-w", "4.0.7", &["4.2.1", "4.3.0"]);
    let platform = Platform {
        clusters: Some(Fact::Read(vec![cluster("workload-w", Some("1.31.2"))])),
        ..Platform::default()
    };
    let input = Input {
        cluster: "workload-w",
        cvsh: &w,
        tier: &tier,
        wanted: &wanted,
        allow_explicit: false,
        platform: &platform,
    };
    let low = KubernetesRange {
        low: crate::domain::rules::kubernetes::KubeVersion {
            major: 1,
            minor: 33,
        },
        ..range
    };
    assert_eq!(
        checks::kubernetes_remedy(&input, true, "workload-w", "1.31.2", &low),
        KubeRemedy::UpgradeCluster {
            to: "4.3.0".into(),
            checked: true
        }
    );
}

#[test]
fn a_blocked_workload_names_the_move_it_may_take_now() {
    // Global at 4.2.3; the workload at 4.2.1 asks for 4.3.0: global-first blocks, and 4.2.3
    // (offered, reached by global, its pre-checks pass) is the move it may take now.
    let w = cvsh("workload-a", "4.2.1", &["4.3.0", "4.2.3"]);
    let platform = Platform {
        clusters: Some(Fact::Read(vec![cluster("workload-a", Some("1.32.1"))])),
        ..Platform::default()
    };
    let r = judge(&w, Some("4.2.3"), to("4.3.0"), &platform);
    let g = item(&r, "global-first");
    assert_eq!(
        g.commands,
        [
            "ac adm upgrade precheck --cluster=global --to=4.3.0",
            "ac adm upgrade --cluster=workload-a --to=4.2.3"
        ]
    );
}

#[test]
fn machines_name_themselves_and_the_command_that_shows_why() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut platform = fine_platform();
    platform.machines = Some(Fact::Read(vec![
        machine("m1", "Running"),
        machine("m2", "Failed"),
        machine("m3", "Provisioning"),
    ]));
    let r = judge(&c, None, to("4.3.0"), &platform);
    let m = item(&r, "machines");
    assert!(
        m.detail.contains("m2 (Failed), m3 (Provisioning)"),
        "{}",
        m.detail
    );
    assert_eq!(
        m.commands,
        [
            "kubectl describe machines.platform.tkestack.io m2",
            "kubectl describe machines.platform.tkestack.io m3"
        ]
    );
}

#[test]
fn findings_are_typed() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut platform = fine_platform();
    platform.machines = Some(Fact::Read(vec![machine("m2", "Failed")]));
    let r = judge(&c, None, to("4.3.0"), &platform);
    let json = serde_json::to_value(&item(&r, "machines").finding).unwrap();
    assert_eq!(
        json,
        json!({"kind": "machinesNotRunning", "total": 1,
               "notRunning": [{"name": "m2", "phase": "Failed"}]})
    );
}
