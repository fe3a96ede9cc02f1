use super::*;
use crate::domain::facts::Platform;
use crate::domain::test_support::scope;
use serde_json::json;

fn cvsh(v: Value) -> Cvsh {
    Cvsh::from_value(&v)
}

fn base(updates: &[&str]) -> Value {
    json!({
        "metadata": {"name": "global", "resourceVersion": "42", "generation": 1},
        "status": {
            "observedGeneration": 1,
            "current": {"version": "4.2.1"},
            "availableUpdates": updates.iter().map(|v| json!({"version": v})).collect::<Vec<_>>(),
            "conditions": [{"type": "Ready", "status": "True"}]
        }
    })
}

fn req(ask: Ask) -> Request {
    Request {
        ask,
        force: false,
        allow_explicit: false,
        allow_warnings: false,
    }
}

fn global<'a>(c: &'a Cvsh) -> Observed<'a> {
    Observed {
        cluster: "global",
        cvsh: c,
        scope: scope("global", "global", None),
    }
}

fn write(d: Decision) -> Write {
    match d {
        Decision::Write(w) => w,
        other => panic!("expected a write, got {other:?}"),
    }
}

fn refused(d: Decision) -> AcError {
    match d {
        Decision::Refuse(e) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn latest_is_semver_highest_and_patch_is_exact() {
    let c = cvsh(base(&["4.3.9", "4.3.10", "4.2.3"]));
    let w = write(plan(&req(Ask::Latest), &global(&c), &Platform::default()));
    assert_eq!(
        w.patch,
        json!({"metadata": {"resourceVersion": "42"},
               "spec": {"desiredUpdate": {"version": "4.3.10", "image": null, "force": null}}})
    );
    assert!(w.warnings.is_empty());
}

#[test]
fn latest_requests_the_version_only_even_when_the_offer_has_an_image() {
    let mut v = base(&[]);
    v["status"]["availableUpdates"] = json!([{"version": "4.3.0", "image": "r.example/acp:4.3.0"}]);
    let c = cvsh(v);
    let w = write(plan(&req(Ask::Latest), &global(&c), &Platform::default()));
    assert_eq!(
        w.patch["spec"]["desiredUpdate"],
        json!({"version": "4.3.0", "image": null, "force": null})
    );
}

#[test]
fn nothing_offered_refuses_with_import_hint() {
    let c = cvsh(base(&[]));
    let e = refused(plan(&req(Ask::Latest), &global(&c), &Platform::default()));
    assert_eq!(e.exit_code(), 3);
    assert!(e.hints[0].contains("import-manifest"), "{:?}", e.hints);
}

#[test]
fn not_offered_needs_explicit() {
    let c = cvsh(base(&["4.3.0"]));
    let e = refused(plan(
        &req(Ask::Version("4.4.0".into())),
        &global(&c),
        &Platform::default(),
    ));
    assert!(e.message.contains("offered: 4.3.0"));
    assert!(
        e.hints
            .iter()
            .any(|h| h.contains("--allow-explicit-upgrade"))
    );
    let mut r = req(Ask::Version("4.4.0".into()));
    r.allow_explicit = true;
    let w = write(plan(&r, &global(&c), &Platform::default()));
    assert!(
        w.warnings[0].contains("--allow-explicit-upgrade"),
        "{:?}",
        w.warnings
    );
    // 4.2 → 4.4 is not a path the guide states: the pre-checks say so (unknown), as a warning
    assert!(
        w.warnings.iter().any(|w| w.starts_with("upgrade-path:")),
        "{:?}",
        w.warnings
    );
}

#[test]
fn noops() {
    let c = cvsh(base(&["4.3.0"]));
    assert!(
        matches!(plan(&req(Ask::Version("4.2.1".into())), &global(&c), &Platform::default()), Decision::NoOp(m) if m.contains("already at"))
    );
    assert!(
        matches!(plan(&req(Ask::Clear), &global(&c), &Platform::default()), Decision::NoOp(m) if m.contains("nothing to clear"))
    );
    let mut v = base(&["4.3.0"]);
    v["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
    let c = cvsh(v);
    assert!(
        matches!(plan(&req(Ask::Version("v4.3.0".into())), &global(&c), &Platform::default()), Decision::AlreadyRequested(m) if m.contains("already has a request"))
    );
    // same version but now with --force is a change
    let mut r = req(Ask::Version("4.3.0".into()));
    r.force = true;
    let w = write(plan(&r, &global(&c), &Platform::default()));
    assert_eq!(w.patch["spec"]["desiredUpdate"]["force"], json!(true));
}

#[test]
fn clear_nulls_desired_update() {
    let mut v = base(&["4.3.0"]);
    v["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
    let w = write(plan(
        &req(Ask::Clear),
        &global(&cvsh(v)),
        &Platform::default(),
    ));
    assert_eq!(w.patch["spec"], json!({"desiredUpdate": null}));
    assert!(w.request.is_none());
}

#[test]
fn image_targets_null_the_version() {
    let mut v = base(&[]);
    v["status"]["availableUpdates"] =
        json!([{"version": "4.3.0", "image": "r.example/acp@sha256:ab"}]);
    let c = cvsh(v);
    let w = write(plan(
        &req(Ask::Image("r.example/acp@sha256:ab".into())),
        &global(&c),
        &Platform::default(),
    ));
    assert_eq!(
        w.patch["spec"]["desiredUpdate"],
        json!({"version": null, "image": "r.example/acp@sha256:ab", "force": null})
    );
}

#[test]
fn sequencing_for_workload_clusters() {
    let mut v = base(&["4.3.0", "4.2.3"]);
    v["metadata"]["name"] = json!("workload-a");
    let c = cvsh(v);
    let f = Observed {
        cluster: "workload-a",
        cvsh: &c,
        scope: scope("workload-a", "global", Some("4.2.3")),
    };
    let none = Platform::default();
    let e = refused(plan(&req(Ask::Version("4.3.0".into())), &f, &none));
    assert!(
        e.message
            .contains("1 pre-check blocks the upgrade of cluster workload-a to 4.3.0"),
        "{}",
        e.message
    );
    assert!(
        e.hints.iter().any(|h| h
            .starts_with("global-first: the global cluster global is at 4.2.3")
            && h.contains("ac adm upgrade precheck --cluster=global --to=4.3.0")),
        "{:?}",
        e.hints
    );
    assert!(
        e.hints
            .iter()
            .any(|h| h.contains("ac adm upgrade precheck --cluster=workload-a --to=4.3.0")),
        "{:?}",
        e.hints
    );
    // Without a cluster object the workload's own Kubernetes is unknown: a warning only.
    let w = write(plan(&req(Ask::Version("4.2.3".into())), &f, &none));
    assert!(
        w.warnings.iter().all(|w| !w.contains("global-first")),
        "{:?}",
        w.warnings
    );
    let e = refused(plan(&req(Ask::Latest), &f, &none));
    assert!(e.message.contains("4.3.0"));
    let mut r = req(Ask::Version("4.3.0".into()));
    r.allow_warnings = true;
    let w = write(plan(&r, &f, &none));
    assert!(
        w.warnings.iter().any(|w| w.starts_with("global-first:")
            && w.ends_with("(bypassed: --allow-upgrade-with-warnings)")),
        "{:?}",
        w.warnings
    );
    let f2 = Observed {
        scope: scope("workload-a", "global", None),
        ..f
    };
    let e = refused(plan(&req(Ask::Version("4.2.3".into())), &f2, &none));
    assert!(
        e.hints
            .iter()
            .any(|h| h.contains("reports no current version")),
        "{:?}",
        e.hints
    );
}

#[test]
fn guards_in_progress_and_stalled() {
    let mut v = base(&["4.3.0", "4.2.3"]);
    v["spec"] = json!({"desiredUpdate": {"version": "4.2.3"}});
    v["status"]["desired"] = json!({"version": "4.2.3"});
    v["status"]["conditions"] = json!([{"type": "Reconciling", "status": "True"},
                                       {"type": "Stalled", "status": "True", "message": "operation x failed"}]);
    let c = cvsh(v);
    let none = Platform::default();
    let e = refused(plan(&req(Ask::Version("4.3.0".into())), &global(&c), &none));
    let state = e
        .hints
        .iter()
        .find(|h| h.starts_with("cluster-state:"))
        .expect("the cluster-state item");
    assert!(state.contains("already upgrading to 4.2.3"), "{state}");
    assert!(state.contains("Stalled: operation x failed"), "{state}");
    assert!(
        e.hints
            .last()
            .unwrap()
            .contains("--allow-upgrade-with-warnings")
    );
    let mut r = req(Ask::Version("4.3.0".into()));
    r.allow_warnings = true;
    let w = write(plan(&r, &global(&c), &none));
    assert!(
        w.warnings.iter().any(|w| w.contains("bypassed")),
        "{:?}",
        w.warnings
    );
}

#[test]
fn downgrade_is_guarded() {
    let c = cvsh(base(&["4.1.0"]));
    let e = refused(plan(
        &req(Ask::Version("4.1.0".into())),
        &global(&c),
        &Platform::default(),
    ));
    assert!(e.hints.iter().any(|h| h.contains("older")), "{:?}", e.hints);
}

#[test]
fn platform_facts_guard_a_global_upgrade() {
    use crate::domain::facts::{Fact as Read, Machine, PlatformCluster};
    let c = cvsh(base(&["4.3.0"]));
    let platform = Platform {
        clusters: Some(Read::Read(vec![PlatformCluster {
            name: "workload-c".into(),
            kubernetes_version: Some("1.30.4".into()),
            phase: Some("Running".into()),
        }])),
        machines: Some(Read::Read(vec![Machine {
            name: "m2".into(),
            phase: Some("Failed".into()),
        }])),
        ..Platform::default()
    };
    let e = refused(plan(
        &req(Ask::Version("4.3.0".into())),
        &global(&c),
        &platform,
    ));
    assert!(e.message.starts_with("2 pre-checks block"), "{}", e.message);
    assert!(e.hints.iter().any(|h| h.contains("workload-c (1.30.4)")));
    assert!(e.hints.iter().any(|h| h.contains("m2 (Failed)")));
}

#[test]
fn duplicates_and_prereleases_in_offer() {
    let c = cvsh(base(&["4.3.0-rc.1", "4.3.0", "4.3.0"]));
    let w = write(plan(&req(Ask::Latest), &global(&c), &Platform::default()));
    assert_eq!(w.target_label(), "4.3.0");
}

#[test]
fn a_read_without_resource_version_is_never_written_blindly() {
    let mut v = base(&["4.3.0"]);
    v["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("resourceVersion");
    v["spec"] = json!({"desiredUpdate": {"version": "4.2.1"}});
    let c = cvsh(v);
    for ask in [Ask::Version("4.3.0".into()), Ask::Latest, Ask::Clear] {
        let e = refused(plan(&req(ask.clone()), &global(&c), &Platform::default()));
        assert_eq!(e.exit_code(), 1, "{ask:?}");
        assert!(
            e.message.contains("without metadata.resourceVersion")
                && e.message.contains("nothing was written"),
            "{}",
            e.message
        );
    }
    // What needs no write is still answered.
    assert!(matches!(
        plan(
            &req(Ask::Version("4.2.1".into())),
            &global(&c),
            &Platform::default()
        ),
        Decision::NoOp(_)
    ));
}
