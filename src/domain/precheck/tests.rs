use serde_json::{Value, json};

use super::*;

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

/// A global target with everything fine.
fn global_input(c: &Cvsh) -> Input<'_> {
    Input {
        cluster: "global",
        global_name: "global",
        is_global: true,
        cvsh: c,
        wanted: Wanted::Version("4.3.0".into()),
        allow_explicit: false,
        global: None,
        standby: None,
        platform_clusters: Some(Observed::Read(vec![
            cluster("global", Some("1.32.6")),
            cluster("workload-a", Some("1.32.6")),
            cluster("workload-b", Some("v1.33.1")),
        ])),
        machines: Some(Observed::Read(vec![machine("m1", "Running")])),
        disabled_checks: Observed::Read(vec![]),
        resource_patches: Observed::Read(vec![]),
        admin_gates: Observed::Read(vec![]),
        admin_acks: Observed::Read(None),
    }
}

fn verdict<'a>(r: &'a Report, check: &str) -> Option<&'a Item> {
    r.items.iter().find(|i| i.check == check)
}

#[test]
fn everything_fine_passes() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let r = run(&global_input(&c));
    assert!(!r.blocked, "{r:#?}");
    assert!(r.items.iter().all(|i| i.result == Verdict::Pass), "{r:#?}");
    assert_eq!(r.target_version(), Some("4.3.0"));
}

#[test]
fn kubernetes_outside_the_range_blocks_a_global_upgrade() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut input = global_input(&c);
    input.platform_clusters = Some(Observed::Read(vec![
        cluster("workload-a", Some("1.30.4")),
        cluster("workload-b", Some("1.30.1")),
        cluster("workload-c", Some("1.32.0")),
        cluster("workload-d", None),
    ]));
    let r = run(&input);
    assert!(r.blocked);
    let k = verdict(&r, "kubernetes-versions").unwrap();
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
    input.platform_clusters = Some(Observed::Read(vec![cluster("workload-d", None)]));
    assert_eq!(
        verdict(&run(&input), "kubernetes-versions").unwrap().result,
        Verdict::Unknown
    );
    // not served: unknown with the reason
    input.platform_clusters = Some(Observed::Unknown(
        "the platform does not serve clusters.platform.tkestack.io".into(),
    ));
    let r = run(&input);
    let k = verdict(&r, "kubernetes-versions").unwrap();
    assert_eq!(
        (k.result, k.detail.as_str()),
        (
            Verdict::Unknown,
            "the platform does not serve clusters.platform.tkestack.io"
        )
    );
    assert!(!r.blocked);
}

#[test]
fn machines_not_running_block() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut input = global_input(&c);
    input.machines = Some(Observed::Read(vec![
        machine("m1", "Running"),
        machine("m2", "Failed"),
    ]));
    let r = run(&input);
    let m = verdict(&r, "machines").unwrap();
    assert_eq!(m.result, Verdict::Block);
    assert!(m.detail.contains("m2 (Failed)"));
}

#[test]
fn workload_targets_need_every_global_at_the_target() {
    let g = cvsh("global", "4.2.1", &["4.3.0"]);
    let w = cvsh("workload-a", "4.2.1", &["4.3.0"]);
    let mut input = global_input(&w);
    input.cluster = "workload-a";
    input.is_global = false;
    input.global = Some(&g);
    input.platform_clusters = None;
    input.machines = None;
    let r = run(&input);
    let s = verdict(&r, "global-first").unwrap();
    assert_eq!(s.result, Verdict::Block);
    assert_eq!(
        s.remedy.as_deref(),
        Some("ac adm upgrade --cluster=global --to=4.3.0")
    );
    assert!(verdict(&r, "kubernetes-versions").is_none());
    // DR: the primary reached it, the standby did not
    let g2 = cvsh("global", "4.3.0", &[]);
    let standby = cvsh("global", "4.2.1", &["4.3.0"]);
    input.global = Some(&g2);
    input.standby = Some(Standby {
        session: "prod-dr",
        context: "prod-dr/global",
        global_name: "global",
        cvsh: Observed::Read(&standby),
    });
    let r = run(&input);
    let s = verdict(&r, "global-first").unwrap();
    assert_eq!(s.result, Verdict::Block, "{s:?}");
    assert_eq!(
        s.remedy.as_deref(),
        Some("ac --context prod-dr/global adm upgrade --cluster=global --to=4.3.0")
    );
    // with no target given, the highest version both globals reached is chosen
    input.wanted = Wanted::Unspecified;
    let w2 = cvsh("workload-a", "4.2.0", &["4.3.0", "4.2.1"]);
    input.cvsh = &w2;
    let r = run(&input);
    assert_eq!(r.target_version(), Some("4.2.1"), "{r:#?}");
    assert!(!r.blocked, "{r:#?}");
}

#[test]
fn dr_primary_waits_for_the_standby() {
    let c = cvsh("global", "4.2.1", &["4.3.0"]);
    let standby_behind = cvsh("global", "4.2.1", &["4.3.0"]);
    let mut input = global_input(&c);
    input.standby = Some(Standby {
        session: "dr",
        context: "dr/global",
        global_name: "global",
        cvsh: Observed::Read(&standby_behind),
    });
    assert_eq!(
        verdict(&run(&input), "dr-standby-first").unwrap().result,
        Verdict::Block
    );
    let standby_done = cvsh("global", "4.3.0", &[]);
    input.standby.as_mut().unwrap().cvsh = Observed::Read(&standby_done);
    assert_eq!(
        verdict(&run(&input), "dr-standby-first").unwrap().result,
        Verdict::Pass
    );
    input.standby.as_mut().unwrap().cvsh = Observed::Unknown("connection refused".into());
    assert_eq!(
        verdict(&run(&input), "dr-standby-first").unwrap().result,
        Verdict::Unknown
    );
}

#[test]
fn patches_gates_and_disabled_checks() {
    let c = cvsh("global", "4.3.2", &["4.4.0"]);
    let mut input = global_input(&c);
    input.wanted = Wanted::Version("4.4.0".into());
    input.resource_patches = Observed::Read(vec![
        ResourcePatch {
            name: "rp-a".into(),
            exempt_for: Some("4.4.0".into()),
        },
        ResourcePatch {
            name: "rp-b".into(),
            exempt_for: Some("4.3.0".into()),
        },
        ResourcePatch {
            name: "rp-c".into(),
            exempt_for: None,
        },
    ]);
    input.admin_gates = Observed::Read(vec![
        (
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "Check the kernel".into(),
        ),
        ("ack-4.3-old".into(), "not for 4.4".into()),
    ]);
    input.admin_acks = Observed::Read(Some(vec![]));
    input.disabled_checks =
        Observed::Read(vec!["PlatformLicense".into(), "ClusterModuleStable".into()]);
    let r = run(&input);
    let p = verdict(&r, "resource-patches").unwrap();
    assert_eq!(
        p.remedy.as_deref(),
        Some(
            "kubectl annotate resourcepatches rp-b rp-c config.cpaas.io/exempt-for-ver=4.4.0 --overwrite"
        )
    );
    let a = verdict(&r, "admin-acks").unwrap();
    assert_eq!(a.result, Verdict::Block);
    assert_eq!(
        a.remedy.as_deref(),
        Some(
            "kubectl -n cpaas-system patch configmap admin-acks --type=merge -p '{\"data\":{\"ack-4.4-kubernetes-1.35-kernel-update\":\"true\"}}'"
        )
    );
    let d = verdict(&r, "disabled-checks").unwrap();
    assert_eq!(d.result, Verdict::Warn);
    assert!(d.detail.contains("PlatformLicense"));
    // no admin-acks ConfigMap yet: create it
    input.admin_acks = Observed::Read(None);
    let r = run(&input);
    assert!(
        verdict(&r, "admin-acks")
            .unwrap()
            .remedy
            .as_deref()
            .unwrap()
            .starts_with(
                "kubectl -n cpaas-system create configmap admin-acks --from-literal=ack-4.4"
            )
    );
    // acknowledged
    input.admin_acks = Observed::Read(Some(vec![(
        "ack-4.4-kubernetes-1.35-kernel-update".into(),
        "true".into(),
    )]));
    assert_eq!(
        verdict(&run(&input), "admin-acks").unwrap().result,
        Verdict::Pass
    );
}

#[test]
fn paths_downgrades_and_prereleases() {
    let c = cvsh("global", "3.18.2", &["4.3.0"]);
    let r = run(&global_input(&c));
    let p = verdict(&r, "upgrade-path").unwrap();
    assert_eq!(p.result, Verdict::Block);
    assert!(
        p.detail.contains("3.18 → 4.3 is not a supported path"),
        "{}",
        p.detail
    );
    let c = cvsh("global", "4.3.2", &["4.3.0"]);
    let r = run(&global_input(&c));
    assert_eq!(verdict(&r, "upgrade-path").unwrap().result, Verdict::Block);
    let c = cvsh("global", "4.2.1", &["4.3.1-rc.1"]);
    let mut input = global_input(&c);
    input.wanted = Wanted::Version("4.3.1-rc.1".into());
    let p = run(&input);
    let p = verdict(&p, "upgrade-path").unwrap();
    assert_eq!(p.result, Verdict::Warn);
    assert!(p.detail.contains("pre-release"));
}

#[test]
fn not_offered_and_nothing_offered() {
    let c = cvsh("global", "4.2.1", &["4.2.3"]);
    let r = run(&global_input(&c));
    let t = verdict(&r, "target").unwrap();
    assert_eq!(t.result, Verdict::Block);
    assert_eq!(
        t.remedy.as_deref(),
        Some("ac adm release import-manifest --version 4.3.0")
    );
    let mut input = global_input(&c);
    input.allow_explicit = true;
    assert_eq!(
        verdict(&run(&input), "target").unwrap().result,
        Verdict::Warn
    );
    let c = cvsh("global", "4.2.1", &[]);
    let mut input = global_input(&c);
    input.wanted = Wanted::Latest;
    let r = run(&input);
    assert!(r.blocked && r.target.is_none());
}

#[test]
fn busy_stalled_and_pending_clusters_block() {
    let mut v = json!({
        "metadata": {"name": "global", "generation": 2},
        "spec": {"desiredUpdate": {"version": "4.2.3"}},
        "status": {"observedGeneration": 1, "current": {"version": "4.2.1"},
                   "availableUpdates": [{"version": "4.3.0"}, {"version": "4.2.3"}]}
    });
    let c = Cvsh::from_value(&v);
    let s = run(&global_input(&c));
    let s = verdict(&s, "cluster-state").unwrap();
    assert_eq!(s.result, Verdict::Block);
    assert!(s.detail.contains("pending"), "{}", s.detail);
    v["status"]["observedGeneration"] = json!(2);
    v["status"]["conditions"] =
        json!([{"type": "Stalled", "status": "True", "message": "op x failed"}]);
    let c = Cvsh::from_value(&v);
    let r = run(&global_input(&c));
    assert!(
        verdict(&r, "cluster-state")
            .unwrap()
            .detail
            .contains("Stalled: op x failed")
    );
}
