//! The store: writes, generation, preconditions, events and pages.

use std::sync::Arc;

use serde_json::{Value, json};

use super::*;
use crate::clock::default_start;
use crate::resources::{CONFIGMAPS, CVSH, PDMAN};

fn store() -> Store {
    Store::new(Arc::new(SimClock::new(default_start())))
}

/// A merge patch of cvsh `global`, as a client would send it.
fn patch_global(store: &Store, patch: Value, dry_run: bool) -> Result<Arc<Stored>, ApiError> {
    store.patch(
        &CVSH,
        Some("cpaas-system"),
        "global",
        PatchType::Merge,
        &patch,
        dry_run,
    )
}

fn seed(s: &Store) {
    s.put(json!({
        "apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
        "metadata": {"name": "global", "namespace": "cpaas-system", "generation": 3},
        "spec": {"unknown": {"keep": true}},
        "status": {"current": {"version": "4.2.1"}, "observedGeneration": 3}
    }))
    .unwrap();
}

#[test]
fn put_assigns_rv_and_keeps_generation() {
    let s = store();
    seed(&s);
    let g = s.get(&CVSH, Some("cpaas-system"), "global").unwrap();
    assert_eq!(g.value()["metadata"]["resourceVersion"], "1");
    assert_eq!(g.value()["metadata"]["generation"], 3);
    assert_eq!(
        g.value()["metadata"]["creationTimestamp"],
        "2026-11-23T08:00:00Z"
    );
    assert_eq!(s.current_rv(), 1);
}

#[test]
fn merge_patch_bumps_generation_and_keeps_status_and_unknown_fields() {
    let store = store();
    seed(&store);
    let out = patch_global(&store, json!({"spec": {"desiredUpdate": {"version": "4.3.0", "image": null}}, "status": {"current": {"version": "9.9.9"}}}), false)
        .unwrap();
    assert_eq!(out.value()["metadata"]["generation"], 4);
    assert_eq!(out.value()["metadata"]["resourceVersion"], "2");
    assert_eq!(out.value()["status"]["current"]["version"], "4.2.1");
    assert_eq!(out.value()["spec"]["unknown"]["keep"], true);
    assert_eq!(
        out.value()["spec"]["desiredUpdate"],
        json!({"version": "4.3.0"})
    );
    // A no-op patch writes nothing.
    let same = patch_global(
        &store,
        json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}}),
        false,
    )
    .unwrap();
    assert_eq!(same.rv, 2);
    // Labels do not bump the generation.
    let labelled =
        patch_global(&store, json!({"metadata": {"labels": {"a": "b"}}}), false).unwrap();
    assert_eq!(labelled.value()["metadata"]["generation"], 4);
}

#[test]
fn resource_version_precondition_conflicts() {
    let s = store();
    seed(&s);
    let e = patch_global(&s, json!({"metadata": {"resourceVersion": "0"}, "spec": {"desiredUpdate": {"version": "4.3.0"}}}), false)
        .unwrap_err();
    assert_eq!(e.code, 409);
    assert!(e.message.starts_with("Operation cannot be fulfilled on clusterversionshadows.config.alauda.io \"global\": the object has been modified"));
    let ok = patch_global(&s, json!({"metadata": {"resourceVersion": "1"}, "spec": {"desiredUpdate": {"version": "4.3.0"}}}), false)
        .unwrap();
    assert_eq!(ok.rv, 2);
}

#[test]
fn validation_and_dry_run_do_not_store() {
    let store = store();
    seed(&store);
    let error = patch_global(
        &store,
        json!({"spec": {"desiredUpdate": {"version": "4.3.0", "image": "r/x:1"}}}),
        false,
    )
    .unwrap_err();
    assert_eq!(error.code, 422);
    let dry_run_result = patch_global(
        &store,
        json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}}),
        true,
    )
    .unwrap();
    assert_eq!(
        dry_run_result.value()["spec"]["desiredUpdate"]["version"],
        "4.3.0"
    );
    assert_eq!(store.current_rv(), 1);
    assert!(
        store
            .get(&CVSH, Some("cpaas-system"), "global")
            .unwrap()
            .value()["spec"]
            .get("desiredUpdate")
            .is_none()
    );
}

#[test]
fn create_conflicts_and_strips_status() {
    let store = store();
    let pm = json!({"apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
        "metadata": {"name": "v4.3.0"}, "spec": {"version": "4.3.0"}, "status": {"x": 1}});
    let created = store.create(&PDMAN, None, pm.clone(), false).unwrap();
    assert_eq!(created.value()["metadata"]["generation"], 1);
    assert!(created.value().get("status").is_none());
    assert!(created.value()["metadata"]["uid"].is_string());
    assert_eq!(
        store.create(&PDMAN, None, pm, false).unwrap_err().reason,
        "AlreadyExists"
    );
    let error = store
        .patch(
            &PDMAN,
            None,
            "v4.3.0",
            PatchType::Merge,
            &json!({"spec": {"version": "4.3.1"}}),
            false,
        )
        .unwrap_err();
    assert_eq!(error.code, 422);
}

#[test]
fn events_and_expiry() {
    let store = store();
    seed(&store);
    store
        .create(
            &CONFIGMAPS,
            Some("cpaas-system"),
            json!({"metadata": {"name": "admin-acks"}}),
            false,
        )
        .unwrap();
    let evs = store.events_after(0).unwrap();
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[1].kind, EventType::Added);
    assert_eq!(store.events_after(1).unwrap().len(), 1);
    store
        .delete(&CONFIGMAPS, Some("cpaas-system"), "admin-acks", false)
        .unwrap();
    assert_eq!(store.events_after(2).unwrap()[0].kind, EventType::Deleted);
    store.expire_history();
    assert_eq!(store.events_after(1).unwrap_err(), 3);
    assert!(store.events_after(3).unwrap().is_empty());
    let (items, rv) = store.list(&CONFIGMAPS, Some("cpaas-system"));
    assert!(items.is_empty());
    assert_eq!(rv, 3);
}

#[test]
fn pages() {
    let store = store();
    for i in 0..5 {
        store.put(json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": format!("cm-{i}"), "namespace": if i == 4 { "other" } else { "cpaas-system" }}}))
            .unwrap();
    }
    let page = store.list_page(&CONFIGMAPS, Some("cpaas-system"), None, 2, |_| true);
    assert_eq!(
        page.items.iter().map(|o| o.name()).collect::<Vec<_>>(),
        ["cm-0", "cm-1"]
    );
    assert!(page.more);
    assert_eq!(page.remaining, 2);
    let after = ("cpaas-system".to_string(), "cm-1".to_string());
    let page = store.list_page(&CONFIGMAPS, Some("cpaas-system"), Some(&after), 2, |_| true);
    assert_eq!(
        page.items.iter().map(|o| o.name()).collect::<Vec<_>>(),
        ["cm-2", "cm-3"]
    );
    assert!(!page.more);
    let all = store.list_page(&CONFIGMAPS, None, None, 0, |o| o.name() != "cm-0");
    assert_eq!(all.items.len(), 4);
}

#[test]
fn update_with_is_a_noop_when_unchanged() {
    let s = store();
    seed(&s);
    let same = s
        .update_with(&CVSH, Some("cpaas-system"), "global", |_| {})
        .unwrap();
    assert_eq!(same.rv, 1);
    let changed = s
        .update_with(&CVSH, Some("cpaas-system"), "global", |v| {
            v["status"]["observedGeneration"] = 4.into()
        })
        .unwrap();
    assert_eq!(changed.rv, 2);
    assert_eq!(changed.value()["metadata"]["resourceVersion"], "2");
}

#[test]
fn changed_at_is_per_type() {
    let s = store();
    assert_eq!(s.changed_at(&crate::resources::CLUSTERS), 0);
    seed(&s);
    let seeded = s.current_rv();
    assert_eq!(s.changed_at(&CVSH), seeded);
    let cluster = s
        .put(crate::resources::cluster_object(
            "global", "1.32.6", "Running",
        ))
        .unwrap();
    assert_eq!(s.changed_at(&crate::resources::CLUSTERS), cluster.rv);
    assert_eq!(s.changed_at(&CVSH), seeded, "other types unchanged");
    s.delete(&crate::resources::CLUSTERS, None, "global", false)
        .unwrap();
    assert_eq!(s.changed_at(&crate::resources::CLUSTERS), s.current_rv());
}
