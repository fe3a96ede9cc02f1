//! The report builders, with a global cluster that is not called `global`.

use serde_json::{Value, json};

use crate::domain::advice::NextStepKind;
use crate::domain::assess::Assessment;
use crate::domain::cvsh::Cvsh;
use crate::domain::plan::{self, Ask, Decision, Observed, Request};
use crate::domain::precheck::next_move;
use crate::domain::report::fleet::fleet_report;
use crate::domain::report::import;
use crate::domain::report::request::{self, Delivery, RequestReport};
use crate::domain::report::status::{StatusInput, status_report, watch_event};
use crate::domain::report::summary::{SummaryInput, summary_report};
use crate::domain::test_support::*;

const GLOBAL: &str = "mgmt";

/// A cluster at `current` offered `offered`, Ready.
fn cluster(name: &str, current: &str, offered: &[&str]) -> Value {
    json!({"metadata": {"name": name, "generation": 1, "resourceVersion": "5"},
           "status": {"observedGeneration": 1, "current": {"version": current},
                      "availableUpdates": offered.iter().map(|v| json!({"version": v})).collect::<Vec<_>>(),
                      "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn requesting(mut cvsh: Value, version: &str) -> Value {
    cvsh["spec"] = json!({"desiredUpdate": {"version": version}});
    cvsh["status"]["conditions"] = json!([{"type": "Reconciling", "status": "True"}]);
    cvsh["status"]["stages"] = stages(&[("Running", &["Succeeded", "Running"])]);
    cvsh
}

#[test]
fn fleet_groups_against_a_global_cluster_of_another_name() {
    let mut stalled = requesting(cluster("w-stalled", "4.2.0", &["4.3.0"]), "4.3.0");
    stalled["status"]["stages"] = stages(&[("Running", &["Failed"])]);
    let items: Vec<Cvsh> = [
        cluster("w-b", "4.1.0", &["4.2.0", "4.3.0"]),
        cluster("w-a", "4.1.0", &["4.2.0"]),
        cluster("w-none", "4.1.0", &[]),
        cluster("w-level", "4.2.0", &[]),
        cluster("w-ahead", "4.3.0", &[]),
        requesting(cluster("w-up", "4.1.0", &["4.2.0"]), "4.2.0"),
        stalled,
        // a workload cluster that happens to be called "global"
        cluster("global", "4.1.0", &["4.2.0"]),
        cluster(GLOBAL, "4.2.0", &["4.3.0"]),
    ]
    .into_iter()
    .map(cv)
    .collect();
    let report = fleet_report(&items, now(), GLOBAL, Default::default());

    let names: Vec<&str> = report.clusters.iter().map(|r| r.cluster.as_str()).collect();
    assert_eq!(names[0], GLOBAL, "the global cluster first");
    assert!(report.clusters[0].global);
    assert_eq!(report.global_version.as_deref(), Some("4.2.0"));
    assert_eq!(report.workload_clusters, 8);
    assert_eq!(report.at_global, 2, "w-level and w-stalled");

    // behind global and not upgrading, grouped by (current, can move to), largest first
    let groups: Vec<(&str, Option<&str>, Vec<&str>)> = report
        .behind_groups
        .iter()
        .map(|g| {
            (
                g.current.as_str(),
                g.can_move_to.as_deref(),
                g.clusters.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("4.1.0", Some("4.2.0"), vec!["global", "w-a", "w-b"]),
            ("4.1.0", None, vec!["w-none"]),
        ]
    );
    let behind: Vec<(&str, bool)> = report
        .sequencing
        .behind
        .iter()
        .map(|b| (b.cluster.as_str(), b.offered))
        .collect();
    assert_eq!(
        behind,
        [
            ("global", true),
            ("w-a", true),
            ("w-b", true),
            ("w-none", false)
        ]
    );

    let upgrading: Vec<(&str, Vec<&str>)> = report
        .upgrading_groups
        .iter()
        .map(|g| {
            (
                g.target.as_str(),
                g.clusters.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(upgrading, [("4.2.0", vec!["w-up"])]);
    let blocked: Vec<(&str, Assessment, Option<&str>)> = report
        .sequencing
        .blocked
        .iter()
        .map(|b| (b.cluster.as_str(), b.assessment, b.reason.as_deref()))
        .collect();
    assert_eq!(
        blocked,
        [(
            "w-stalled",
            Assessment::Stalled,
            Some("operation op0-0 in stage s0 failed")
        )]
    );
    let ahead: Vec<(&str, &str)> = report
        .sequencing
        .ahead_of_global
        .iter()
        .map(|a| (a.cluster.as_str(), a.detail.as_str()))
        .collect();
    assert_eq!(
        ahead,
        [
            ("w-ahead", "is at 4.3.0 (ahead of global)"),
            ("w-stalled", "targets 4.3.0 (ahead of global)")
        ]
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["counts"]["Idle"], 7);
    assert_eq!(json["counts"].as_object().unwrap().len(), 8);
    assert_eq!(json["clusters"][0]["global"], true);
}

#[test]
fn fleet_without_the_global_cluster_names_it() {
    let items = vec![cv(cluster("global", "4.2.0", &[]))];
    let report = fleet_report(&items, now(), GLOBAL, Default::default());
    assert_eq!(report.global_version, None);
    assert_eq!(report.global_name, GLOBAL);
    assert!(
        report
            .clusters
            .iter()
            .all(|r| !r.global && !r.behind_global)
    );
    let text = crate::render::fleet::fleet(&report, false);
    assert!(
        text.contains("No ClusterVersionShadow named mgmt:"),
        "{text}"
    );
}

fn status_of(raw: &Value, global_version: Option<&str>) -> Vec<(NextStepKind, Vec<String>)> {
    let c = cv(raw.clone());
    let scope = scope(&c.name, GLOBAL, global_version);
    let next = next_move(&c.name, &c, scope.tier, no_platform());
    let report = status_report(&StatusInput {
        cvsh: &c,
        object: raw,
        now: now(),
        note: None,
        scope,
        platform: no_platform(),
        next: Some(&next),
    });
    report
        .next_steps
        .into_iter()
        .map(|s| (s.kind, s.commands))
        .collect()
}

#[test]
fn status_next_steps_know_the_global_cluster_by_its_name() {
    // idle global with nothing offered: import the release metadata
    let steps = status_of(&cluster(GLOBAL, "4.3.0", &[]), None);
    assert_eq!(
        steps,
        [(
            NextStepKind::ImportManifest,
            vec!["ac adm release import-manifest --version <version>".to_string()]
        )]
    );
    // a workload cluster called "global" gets no import step, but the sequencing one
    let steps = status_of(&cluster("global", "4.2.0", &["4.3.0"]), Some("4.3.0"));
    assert_eq!(
        steps,
        [(
            NextStepKind::Sequencing,
            vec!["ac adm upgrade --cluster global --to=4.3.0".to_string()]
        )]
    );
    // KubernetesVersionSupported on the global cluster: the pre-checks of the global cluster
    // (under its own name) list the workload clusters outside the range
    let mut blocked = requesting(cluster(GLOBAL, "4.2.1", &["4.3.0"]), "4.3.0");
    blocked["status"]["stages"] = json!([]);
    blocked["status"]["conditions"] = json!([]);
    blocked["status"]["preflight"] = json!({"checks": [{"name": "KubernetesVersionSupported",
        "state": "Failed", "message": "clusters mgmt, wl-1 run Kubernetes v1.30"}]});
    let steps = status_of(&blocked, None);
    assert_eq!(steps[0].0, NextStepKind::KubernetesVersion);
    assert_eq!(
        steps[0].1,
        ["ac adm upgrade precheck --cluster mgmt --to=4.3.0"]
    );
}

#[test]
fn summary_and_plan_hints_name_the_global_cluster() {
    let raw = cluster("w", "4.1.0", &["4.3.0"]);
    let c = cv(raw.clone());
    let scope = scope("w", GLOBAL, Some("4.2.0"));
    let next = next_move("w", &c, scope.tier, no_platform());
    let report = summary_report(&SummaryInput {
        cluster: "w",
        cvsh: &c,
        object: &raw,
        scope,
        next: &next,
        note: None,
        now: now(),
    });
    assert!(!report.is_global);
    assert_eq!(report.needs_global_first, [true]);
    assert_eq!(report.next_steps[0].command, "ac adm upgrade --cluster=w");
    assert!(
        report.next_steps[0]
            .message
            .contains("behind global at 4.2.0, but nothing up to 4.2.0 is offered yet"),
        "{:?}",
        report.next_steps
    );

    let observed = Observed {
        cluster: "w",
        cvsh: &c,
        scope,
    };
    let ask = Request {
        ask: Ask::Version("4.3.0".into()),
        force: false,
        allow_explicit: false,
        allow_warnings: false,
    };
    let Decision::Refuse(refusal) =
        plan::plan(&ask, &observed, &crate::domain::facts::Platform::default())
    else {
        panic!("sequencing refuses")
    };
    assert_eq!(
        refusal.hints[0],
        "global-first: the global cluster mgmt is at 4.2.0; a workload cluster may only move to a version the global tier has reached (move the global cluster to 4.3.0 first; its pre-checks: ac adm upgrade precheck --cluster=mgmt --to=4.3.0)"
    );
}

#[test]
fn watch_event_replaces_the_schema_and_adds_the_outcome() {
    let raw = cluster(GLOBAL, "4.3.0", &[]);
    let c = cv(raw.clone());
    let status = status_report(&StatusInput {
        cvsh: &c,
        object: &raw,
        now: now(),
        note: None,
        scope: scope(GLOBAL, GLOBAL, None),
        platform: no_platform(),
        next: None,
    });
    assert!(status.is_global);
    let status_json = serde_json::to_value(&status).unwrap();
    assert_eq!(status_json["schema"], "ac.alauda.io/upgrade-status/v1");
    assert_eq!(status_json.get("outcome"), None);
    let event = serde_json::to_value(watch_event(status)).unwrap();
    assert_eq!(event["schema"], "ac.alauda.io/upgrade-watch-event/v1");
    assert_eq!(event["event"], "Status");
    assert_eq!(event["outcome"], "Succeeded");
    assert_eq!(event["object"], raw);
}

#[test]
fn request_and_import_reports_keep_their_shapes() {
    let raw = cluster(GLOBAL, "4.2.0", &["4.3.0"]);
    let c = cv(raw);
    let observed = Observed {
        cluster: GLOBAL,
        cvsh: &c,
        scope: scope(GLOBAL, GLOBAL, None),
    };
    let ask = Request {
        ask: Ask::Latest,
        force: false,
        allow_explicit: false,
        allow_warnings: false,
    };
    let Decision::Write(write) =
        plan::plan(&ask, &observed, &crate::domain::facts::Platform::default())
    else {
        panic!("a write")
    };
    let dry = request::written(
        GLOBAL,
        None,
        &c,
        &write,
        false,
        &Delivery::DryRun { url: "u".into() },
    );
    let dry_json = serde_json::to_value(&dry).unwrap();
    let keys: Vec<&String> = dry_json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "changed", "cluster", "current", "dryRun", "patch", "previous", "request", "schema",
            "url", "warnings"
        ]
    );
    let RequestReport::Written(dry) = dry else {
        panic!()
    };
    assert!(dry.follow_up.is_none());
    let sent = request::written(
        GLOBAL,
        Some("prod/mgmt"),
        &c,
        &write,
        false,
        &Delivery::Sent { wait: false },
    );
    let RequestReport::Written(sent) = sent else {
        panic!()
    };
    assert_eq!(
        sent.cluster_label(),
        "cluster mgmt (the cluster of context prod/mgmt)"
    );
    assert_eq!(
        sent.follow_up.unwrap().inline(),
        "Follow it with: ac adm upgrade status --cluster=mgmt --watch"
    );
    let unchanged = serde_json::to_value(request::unchanged(GLOBAL, "m")).unwrap();
    assert_eq!(
        unchanged,
        json!({"schema": "ac.alauda.io/upgrade-request/v1", "cluster": "mgmt", "changed": false, "message": "m"})
    );

    let object = import::manifest("v4.3.0", "4.3.0");
    let would =
        serde_json::to_value(import::would_create("v4.3.0", "4.3.0", &object, "e")).unwrap();
    assert_eq!(would["object"], object);
    assert_eq!(would.get("ready"), None);
    let applied = import::applied("v4.3.0", "4.3.0", true, None, "e", GLOBAL);
    assert_eq!(
        applied.follow_up.as_ref().unwrap().inline(),
        "The controller offers 4.3.0 once it has processed it; check with: ac adm upgrade --cluster=mgmt"
    );
    let applied = serde_json::to_value(&applied).unwrap();
    assert_eq!(applied["ready"], Value::Null);
    assert_eq!(applied.get("object"), None);
}
