use serde_json::{Value, json};

use super::*;
use crate::domain::sequencing::Global;

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

/// Judge an upgrade of `cluster` (global when named so) to `wanted`.
fn judge(c: &Cvsh, global_version: Option<&str>, wanted: Wanted, platform: &Platform) -> Report {
    run(&Input {
        cluster: &c.name,
        cvsh: c,
        global: Global::new(
            "global",
            if c.name == "global" {
                c.current_version()
            } else {
                global_version
            },
        ),
        wanted,
        allow_explicit: false,
        platform,
    })
}

fn to(v: &str) -> Wanted {
    Wanted::Version(v.into())
}

fn item<'a>(r: &'a Report, check: &str) -> &'a Item {
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
    }
}

#[test]
fn workload_targets_need_every_global_at_the_target() {
    let w = cvsh("workload-a", "4.2.1", &["4.3.0"]);
    let r = judge(&w, Some("4.2.1"), to("4.3.0"), &Platform::default());
    let s = item(&r, "global-first");
    assert_eq!(s.result, Verdict::Block);
    assert_eq!(
        s.remedy.as_deref(),
        Some("ac adm upgrade --cluster=global --to=4.3.0")
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
        s.remedy.as_deref(),
        Some("ac --context prod-dr/global adm upgrade --cluster=global --to=4.3.0")
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
        t.remedy.as_deref(),
        Some("ac adm release import-manifest --version 4.3.0")
    );
    let r = run(&Input {
        cluster: "global",
        cvsh: &c,
        global: Global::new("global", Some("4.2.1")),
        wanted: to("4.3.0"),
        allow_explicit: true,
        platform: &platform,
    });
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
