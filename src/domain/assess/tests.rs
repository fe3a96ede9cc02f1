use super::*;
use serde_json::{Value, json};

fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

fn cv(v: Value) -> Cvsh {
    Cvsh::from_value(&v)
}

fn cond(t: &str, s: &str) -> Value {
    json!({"type": t, "status": s, "reason": "R", "message": format!("{t} is {s}")})
}

/// A cvsh at 4.2.1 with a request for 4.3.0 and the given status pieces merged in.
fn upgrading(status: Value) -> Value {
    let mut base = json!({
        "metadata": {"name": "global", "generation": 2},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {
            "observedGeneration": 2,
            "current": {"version": "4.2.1"},
            "desired": {"version": "4.3.0"},
            "history": [
                {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T09:00:00Z"},
                {"version": "4.2.1", "state": "Completed", "startedTime": "2026-10-01T08:00:00Z",
                 "completionTime": "2026-10-01T09:40:00Z"}
            ]
        }
    });
    if let (Some(b), Some(s)) = (base["status"].as_object_mut(), status.as_object()) {
        for (k, v) in s {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

fn stages(phases: &[(&str, &[&str])]) -> Value {
    Value::Array(
        phases
            .iter()
            .enumerate()
            .map(|(i, (p, ops))| {
                json!({"name": format!("s{i}"), "priority": i * 10, "phase": p,
                       "operations": ops.iter().enumerate().map(|(j, op)| json!({
                           "name": format!("op{i}-{j}"), "phase": op})).collect::<Vec<_>>()})
            })
            .collect(),
    )
}

#[test]
fn assessment_table() {
    use Assessment::*;
    let idle = json!({"metadata": {"name": "global", "generation": 1},
        "status": {"observedGeneration": 1, "current": {"version": "4.3.0"},
                   "conditions": [cond("Ready", "True")],
                   "history": [{"version": "4.3.0", "state": "Completed",
                                "startedTime": "2026-10-01T08:00:00Z", "completionTime": "2026-10-01T09:00:00Z"}]}});
    let mut completed = idle.clone();
    completed["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
    let mut completed_not_ready = completed.clone();
    completed_not_ready["status"]["conditions"] = json!([cond("Ready", "False")]);
    let mut idle_degraded = idle.clone();
    idle_degraded["status"]["conditions"] =
        json!([cond("Ready", "True"), cond("Degraded", "True")]);
    let mut stale = upgrading(json!({"conditions": [cond("Stalled", "True")]}));
    stale["metadata"]["generation"] = json!(3);
    let requested = json!({"metadata": {"name": "w", "generation": 2},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {"observedGeneration": 2, "current": {"version": "4.2.1"}}});

    let cases: Vec<(&str, Value, Assessment)> = vec![
        ("empty object", json!({}), Idle),
        ("idle, no request", idle.clone(), Idle),
        ("request == current, completed entry", completed, Completed),
        ("request == current, Ready False", completed_not_ready, Idle),
        ("idle but Degraded", idle_degraded, Stalled),
        ("stale request", stale, Requested),
        ("request, nothing from controller", requested, Requested),
        (
            "no checks yet, reconciling",
            upgrading(json!({"conditions": [cond("Reconciling", "True")]})),
            PreflightRunning,
        ),
        (
            "retry, none failed",
            upgrading(json!({"preflight": {"checks": [
                {"name": "A", "state": "Passed"}, {"name": "B", "state": "Retry"}]}})),
            PreflightRunning,
        ),
        (
            "failed blocks",
            upgrading(json!({"preflight": {"checks": [
                {"name": "A", "state": "Failed"}, {"name": "B", "state": "Retry"}]},
                "conditions": [cond("Stalled", "True")]})),
            BlockedByPreflight,
        ),
        (
            "failed with Warn policy does not block",
            upgrading(json!({"preflight": {"checks": [
                {"name": "A", "state": "Failed", "policy": "Warn"}, {"name": "B", "state": "Passed"}]},
                "conditions": [cond("PreflightReady", "True"), cond("Reconciling", "True")]})),
            Progressing,
        ),
        (
            "all passed, stages not started",
            upgrading(
                json!({"preflight": {"checks": [{"name": "A", "state": "Passed"}]},
                "conditions": [cond("PreflightReady", "True")],
                "stages": stages(&[("Pending", &["Pending"])])}),
            ),
            Progressing,
        ),
        (
            "stage running",
            upgrading(
                json!({"stages": stages(&[("Finished", &["Succeeded"]), ("Running", &["Running", "Pending"])])}),
            ),
            Progressing,
        ),
        (
            "operation failed",
            upgrading(json!({"stages": stages(&[("Running", &["Succeeded", "Failed"])])})),
            Stalled,
        ),
        (
            "Stalled condition while running",
            upgrading(json!({"conditions": [cond("Stalled", "True")],
                "stages": stages(&[("Running", &["Running"])])})),
            Stalled,
        ),
        (
            "old finished stages do not hide a block",
            upgrading(
                json!({"preflight": {"checks": [{"name": "A", "state": "Failed"}]},
                "stages": stages(&[("Finished", &["Succeeded"])])}),
            ),
            BlockedByPreflight,
        ),
    ];
    for (name, v, want) in cases {
        assert_eq!(assess(&cv(v), now()), want, "{name}");
    }
}

#[test]
fn force_skips_preflight_blocks() {
    let mut v = upgrading(
        json!({"preflight": {"checks": [{"name": "A", "state": "Failed"}]},
        "conditions": [cond("Reconciling", "True")]}),
    );
    v["spec"]["desiredUpdate"]["force"] = json!(true);
    let c = cv(v);
    assert!(blocking_checks(&c).is_empty());
    assert_ne!(assess(&c, now()), Assessment::BlockedByPreflight);
    assert_eq!(check_counts(&c).failed, 1);
    assert_eq!(check_counts(&c).blocking, 0);
}

#[test]
fn slow_when_far_beyond_baseline() {
    // baseline 1h40m; started 09:00 → 1h elapsed at 10:00.
    let running = upgrading(json!({"stages": stages(&[("Running", &["Running"])])}));
    assert_eq!(assess(&cv(running.clone()), now()), Assessment::Progressing);
    let later: Timestamp = "2026-11-23T11:30:00Z".parse().unwrap(); // 2h30m = 1.5 × 1h40m
    assert_eq!(assess(&cv(running.clone()), later), Assessment::Progressing);
    let much_later: Timestamp = "2026-11-23T11:31:00Z".parse().unwrap();
    assert_eq!(
        assess(&cv(running), much_later),
        Assessment::ProgressingSlow
    );
}

#[test]
fn labels_and_serde() {
    assert_eq!(Assessment::ProgressingSlow.label(), "Progressing – slow");
    assert_eq!(
        serde_json::to_value(Assessment::ProgressingSlow).unwrap(),
        json!("ProgressingSlow")
    );
    assert_eq!(Assessment::BlockedByPreflight.key(), "BlockedByPreflight");
    assert_eq!(
        Assessment::PreflightRunning.to_string(),
        "Preflight running"
    );
}

#[test]
fn phase_classes() {
    let cases = [
        (None, PhaseClass::Pending),
        (Some(""), PhaseClass::Pending),
        (Some("Succeeded"), PhaseClass::Done),
        (Some("finished"), PhaseClass::Done),
        (Some("Completed"), PhaseClass::Done),
        (Some("Skipped"), PhaseClass::Done),
        (Some("Failed"), PhaseClass::Failed),
        (Some("UpgradeFailed"), PhaseClass::Failed),
        (Some("Error"), PhaseClass::Failed),
        (Some("UpgradePending"), PhaseClass::Pending),
        (Some("Running"), PhaseClass::Running),
        (Some("Upgrading"), PhaseClass::Running),
        (Some("Paused"), PhaseClass::Other),
    ];
    for (p, want) in cases {
        assert_eq!(phase_class(p), want, "{p:?}");
    }
}

/// ops done, ops total, stages done, stages total, percent, current stage
type ProgressRow = (usize, usize, usize, usize, Option<u8>, Option<&'static str>);

#[test]
fn progress_table() {
    let cases: Vec<(Value, ProgressRow)> = vec![
        (json!([]), (0, 0, 0, 0, None, None)),
        (
            stages(&[
                ("Finished", &["Succeeded", "Skipped"]),
                ("Running", &["Running", "UpgradePending"]),
            ]),
            (2, 4, 1, 2, Some(50), Some("s1")),
        ),
        (
            stages(&[("Finished", &[]), ("Pending", &[])]),
            (0, 0, 1, 2, Some(50), Some("s1")),
        ),
        (
            stages(&[
                ("Finished", &["Completed"]),
                ("Finished", &["Finished", "Succeeded"]),
            ]),
            (3, 3, 2, 2, Some(100), None),
        ),
        (
            stages(&[("Running", &["Succeeded", "Succeeded", "Failed"])]),
            (2, 3, 0, 1, Some(66), Some("s0")),
        ),
    ];
    for (st, (done, total, sdone, stotal, pct, cur)) in cases {
        let p = progress(&cv(json!({"status": {"stages": st}})));
        assert_eq!(
            (
                p.ops_done,
                p.ops_total,
                p.stages_done,
                p.stages_total,
                p.percent,
                p.current_stage.as_deref()
            ),
            (done, total, sdone, stotal, pct, cur),
            "{st}"
        );
    }
}

#[test]
fn current_stage_follows_priority_not_order() {
    let c = cv(json!({"status": {"stages": [
        {"name": "late", "priority": 30, "phase": "Pending"},
        {"name": "first", "priority": 10, "phase": "Finished"},
        {"name": "noprio", "phase": "Pending"},
        {"name": "second", "priority": 20, "phase": "Pending"}
    ]}}));
    let names: Vec<&str> = stages_in_order(&c)
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["first", "second", "late", "noprio"]);
    let p = progress(&c);
    assert_eq!(p.current_stage.as_deref(), Some("second"));
    assert_eq!(p.current_stage_number, Some(2));
}

#[test]
fn estimate_table() {
    let base = Baseline {
        seconds: 6000,
        release: "4.2.1".into(),
        completed_at: Some("2026-10-01T09:40:00Z".into()),
    };
    let no_running = json!({"status": {"history": [
        {"version": "4.2.1", "state": "Completed", "startedTime": "2026-10-01T08:00:00Z", "completionTime": "2026-10-01T09:40:00Z"}]}});
    let bad_start = json!({"status": {"history": [{"version": "4.3.0", "state": "Partial", "startedTime": "yesterday"}]}});
    let no_base = json!({"status": {"history": [{"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T09:15:00Z"}]}});
    let partial_only_base = json!({"status": {"history": [
        {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T09:15:00Z"},
        {"version": "4.2.1", "state": "Partial", "startedTime": "2026-10-01T08:00:00Z", "completionTime": "2026-10-01T09:40:00Z"}]}});
    let cases: Vec<(&str, Value, Timestamp, Estimate)> = vec![
        ("nothing running", no_running, now(), Estimate::NotRunning),
        ("bad start", bad_start, now(), Estimate::UnknownStart),
        (
            "no baseline",
            no_base,
            now(),
            Estimate::NoBaseline {
                elapsed_seconds: 2700,
            },
        ),
        (
            "partial entries are no baseline",
            partial_only_base,
            now(),
            Estimate::NoBaseline {
                elapsed_seconds: 2700,
            },
        ),
        (
            "remaining",
            upgrading(json!({})),
            now(),
            Estimate::Remaining {
                remaining_seconds: 2400,
                elapsed_seconds: 3600,
                baseline: base.clone(),
            },
        ),
        (
            "overdue",
            upgrading(json!({})),
            "2026-11-23T11:00:00Z".parse().unwrap(),
            Estimate::Overdue {
                over_seconds: 1200,
                elapsed_seconds: 7200,
                baseline: base.clone(),
            },
        ),
        (
            "clock behind start",
            upgrading(json!({})),
            "2026-11-23T08:00:00Z".parse().unwrap(),
            Estimate::Remaining {
                remaining_seconds: 6000,
                elapsed_seconds: 0,
                baseline: base,
            },
        ),
    ];
    for (name, v, t, want) in cases {
        assert_eq!(estimate(&cv(v), t), want, "{name}");
    }
}

#[test]
fn estimate_serializes_with_kind() {
    let e = Estimate::NoBaseline { elapsed_seconds: 5 };
    assert_eq!(
        serde_json::to_value(e).unwrap(),
        json!({"kind": "NoBaseline", "elapsedSeconds": 5})
    );
}

#[test]
fn human_durations() {
    let cases = [
        (-5, "0s"),
        (0, "0s"),
        (42, "42s"),
        (60, "1m"),
        (330, "5m 30s"),
        (599, "9m 59s"),
        (2839, "47m"),
        (3600, "1h"),
        (3900, "1h 5m"),
        (3959, "1h 5m"),
        (86_400, "1d"),
        (3 * 86_400 + 4 * 3600 + 59, "3d 4h"),
        (400 * 86_400, "400d"),
    ];
    for (s, want) in cases {
        assert_eq!(human_duration(s), want, "{s}");
    }
    assert_eq!(ago("2026-11-23T09:12:00Z", now()).unwrap(), "48m ago");
    assert_eq!(ago("2026-11-23T10:05:00Z", now()).unwrap(), "in 5m");
    assert_eq!(ago("garbage", now()), None);
}

#[test]
fn resource_patch_names_from_messages() {
    let cases: &[(&str, &[&str])] = &[
        (
            "ResourcePatch rp-gateway-hotfix is not exempt for version 4.3.0",
            &["rp-gateway-hotfix"],
        ),
        (
            "found 2 unexempt resourcepatches: rp-a, rp-b are not exempted",
            &["rp-a", "rp-b"],
        ),
        (
            "unexempt ResourcePatches [rp-a rp-b.v2] block the upgrade",
            &["rp-a", "rp-b.v2"],
        ),
        (
            "resourcepatches (rp-a, rp-b) lack annotation",
            &["rp-a", "rp-b"],
        ),
        ("blocked by resourcepatches/rp-x.", &["rp-x"]),
        (
            "resourcepatches/rp-x and resourcepatches/rp-y need exemption",
            &["rp-x", "rp-y"],
        ),
        ("patch \"rp-quoted\" is not exempt", &["rp-quoted"]),
        (
            "ResourcePatch rp-a and rp-b are unexempt",
            &["rp-a", "rp-b"],
        ),
        ("ResourcePatch rp-end.", &["rp-end"]),
        ("some patches are not exempt", &[]),
        ("ResourcePatch Foo_Bar is bad", &[]),
        ("", &[]),
        ("3 ResourcePatches are not exempt", &[]),
        ("resourcepatch", &[]),
        ("resourcepatches/", &[]),
    ];
    for (msg, want) in cases {
        assert_eq!(resource_patch_names(msg), *want, "{msg}");
    }
}

#[test]
fn cluster_names_from_messages() {
    assert_eq!(
        cluster_names("workload cluster workload-legacy runs Kubernetes v1.30.6"),
        ["workload-legacy"]
    );
    assert_eq!(cluster_names("clusters/a-1 is too old"), ["a-1"]);
    assert!(cluster_names("the cluster is running").is_empty());
    assert!(cluster_names("subclusters x").is_empty());
}

#[test]
fn skipped_checks_neither_block_nor_wait() {
    let c = cv(upgrading(json!({"preflight": {"checks": [
        {"name": "A", "state": "Skipped"}, {"name": "B", "state": "Passed"}]},
        "conditions": [cond("Reconciling", "True")]})));
    assert_eq!(check_counts(&c).skipped, 1);
    assert_eq!(assess(&c, now()), Assessment::Progressing);
}

#[test]
fn admin_gate_keys_from_messages() {
    assert_eq!(
        admin_gate_keys(
            "admin ack required: ack-4.4-kubernetes-1.35-kernel-update, ack-4.4-foo. See admin-gates."
        ),
        ["ack-4.4-kubernetes-1.35-kernel-update", "ack-4.4-foo"]
    );
    assert!(admin_gate_keys("gates not acknowledged").is_empty());
}

fn blocked(check: Value) -> Cvsh {
    cv(upgrading(json!({"preflight": {"checks": [check]}})))
}

#[test]
fn next_steps_for_known_blocks() {
    let c = blocked(
        json!({"name": "ResourcePatchUpgradeable", "state": "Failed",
        "reason": "UnexemptResourcePatches", "message": "ResourcePatch rp-a is not exempt"}),
    );
    assert_eq!(assess(&c, now()), Assessment::BlockedByPreflight);
    let s = next_steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::ExemptResourcePatch);
    assert!(s[0].commands.contains(
        &"kubectl annotate resourcepatches rp-a config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
            .to_string()
    ));

    let c = blocked(
        json!({"name": "ResourcePatchUpgradeable", "state": "Failed",
        "reason": "UnexemptResourcePatches"}),
    );
    let s = next_steps(&c, Assessment::BlockedByPreflight);
    assert!(s[0].commands[1].contains("resourcepatches <rp-name> config"));

    let c = blocked(json!({"name": "AdminAckRequired", "state": "Failed",
        "message": "acknowledge ack-4.4-kernel"}));
    let s = next_steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::AcknowledgeAdminGate);
    assert!(s[0].commands[0].contains("admin-gates"));
    assert!(s[0].commands[1].contains(r#""ack-4.4-kernel":"true""#));

    let c = blocked(
        json!({"name": "KubernetesVersionSupported", "state": "Failed",
        "message": "workload clusters wl-1, wl-2 run Kubernetes v1.30"}),
    );
    let s = next_steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::KubernetesVersion);
    assert!(s[0].text.contains("1.31–1.34"), "{}", s[0].text);
    assert_eq!(
        s[0].commands,
        [
            "ac adm upgrade --cluster wl-1",
            "ac adm upgrade --cluster wl-2"
        ]
    );

    let c = blocked(json!({"name": "VersionUpgradePath", "state": "Failed"}));
    let s = next_steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::UpgradePath);
    assert!(s[0].text.contains("4.0, 4.1 or 4.2"), "{}", s[0].text);

    let c = blocked(json!({"name": "ClusterRunning", "state": "Failed", "message": "x"}));
    let s = next_steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::ResolveCheck);
}

#[test]
fn next_steps_for_retry_stalled_stale_idle() {
    let c = blocked(json!({"name": "ClusterModuleStable", "state": "Retry"}));
    let a = assess(&c, now());
    assert_eq!(a, Assessment::PreflightRunning);
    let s = next_steps(&c, a);
    assert_eq!(s[0].kind, NextStepKind::WaitForPreflight);
    assert!(s[0].text.contains("ClusterModuleStable"));

    let c = cv(upgrading(json!({"conditions": [cond("Stalled", "True")],
        "stages": stages(&[("Running", &["Succeeded", "Failed"])])})));
    let s = next_steps(&c, assess(&c, now()));
    assert_eq!(s[0].kind, NextStepKind::FailedOperation);
    assert!(s[0].text.contains("op0-1"));

    let c = cv(upgrading(json!({"conditions": [cond("Stalled", "True")],
        "stages": stages(&[("Running", &["Running"])])})));
    let s = next_steps(&c, assess(&c, now()));
    assert_eq!(s[0].kind, NextStepKind::ResolveCondition);

    let mut v = upgrading(json!({}));
    v["metadata"]["generation"] = json!(3);
    let c = cv(v);
    let s = next_steps(&c, assess(&c, now()));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].kind, NextStepKind::StaleStatus);

    let c = cv(
        json!({"metadata": {"name": "global"}, "status": {"current": {"version": "4.3.0"},
        "availableUpdates": [{"version": "4.3.1"}, {"version": "4.3.10"}]}}),
    );
    let s = next_steps(&c, Assessment::Idle);
    assert_eq!(s[0].kind, NextStepKind::RequestUpdate);
    assert!(s[0].text.starts_with("4.3.10"));

    let c =
        cv(json!({"metadata": {"name": "global"}, "status": {"current": {"version": "4.3.0"}}}));
    let s = next_steps(&c, Assessment::Idle);
    assert_eq!(s[0].kind, NextStepKind::ImportManifest);
}

#[test]
fn sequencing_and_move_to() {
    let c = cv(
        json!({"metadata": {"name": "w"}, "status": {"current": {"version": "4.1.0"},
        "availableUpdates": [{"version": "4.2.3"}, {"version": "4.3.0"}, {"version": "4.4.0"}, {"image": "x/y@sha256:ab"}]}}),
    );
    assert_eq!(move_to(&c, "4.3.0"), MoveTo::Offered("4.3.0".into()));
    assert_eq!(move_to(&c, "4.2.9"), MoveTo::Offered("4.2.3".into()));
    assert_eq!(move_to(&c, "4.1.0"), MoveTo::NotOffered);
    let s = sequencing_step(&c, Some("4.3.0")).unwrap();
    assert_eq!(s.commands, ["ac adm upgrade --cluster w --to=4.3.0"]);
    assert_eq!(sequencing_step(&c, Some("4.1.0")), None);
    assert_eq!(sequencing_step(&c, None), None);

    let ahead = cv(
        json!({"metadata": {"name": "w"}, "spec": {"desiredUpdate": {"version": "4.4.0"}},
        "status": {"current": {"version": "4.2.0"}}}),
    );
    assert!(
        sequencing_step(&ahead, Some("4.3.0"))
            .unwrap()
            .text
            .contains("ahead")
    );
}

#[test]
fn watch_outcomes() {
    let done = json!({"metadata": {"name": "g", "generation": 2},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {"observedGeneration": 2, "current": {"version": "4.3.0"},
                   "conditions": [cond("Ready", "True")]}});
    assert_eq!(
        watch_outcome(&cv(done.clone())),
        Some(WatchOutcome::Succeeded)
    );
    let mut stale = done.clone();
    stale["metadata"]["generation"] = json!(3);
    assert_eq!(watch_outcome(&cv(stale)), None);

    let running = upgrading(json!({"conditions": [cond("Ready", "True")],
        "stages": stages(&[("Running", &["Running"])])}));
    assert_eq!(watch_outcome(&cv(running)), None);

    let failed = upgrading(json!({"stages": stages(&[("Running", &["Failed"])])}));
    match watch_outcome(&cv(failed)) {
        Some(WatchOutcome::Failed(r)) => assert!(r.contains("op0-0"), "{r}"),
        o => panic!("{o:?}"),
    }
    let degraded = upgrading(json!({"conditions": [cond("Degraded", "True")]}));
    match watch_outcome(&cv(degraded)) {
        Some(WatchOutcome::Failed(r)) => assert!(r.starts_with("Degraded=True"), "{r}"),
        o => panic!("{o:?}"),
    }
    let blocked = upgrading(
        json!({"preflight": {"checks": [{"name": "X", "state": "Failed", "reason": "Why"}]}}),
    );
    assert_eq!(
        watch_outcome(&cv(blocked)),
        Some(WatchOutcome::Failed(
            "preflight check X failed (Why)".into()
        ))
    );
    let retry = upgrading(json!({"preflight": {"checks": [{"name": "X", "state": "Retry"}]}}));
    assert_eq!(watch_outcome(&cv(retry)), None);
}

#[test]
fn never_panics_on_odd_objects() {
    let odd = [
        json!(null),
        json!([]),
        json!({"status": {"history": [{"startedTime": "2026-13-45T99:00:00Z"}], "stages": [{}],
            "preflight": {"checks": [{}, {"state": "Failed", "policy": ""}]}}}),
        json!({"spec": {"desiredUpdate": {"image": "x"}}, "status": {"desired": {"image": "x"},
            "history": [{"image": "x", "startedTime": "2026-11-23T09:00:00Z", "completionTime": "2026-11-23T08:00:00Z", "state": "Completed"}]}}),
    ];
    for v in odd {
        let c = cv(v);
        let a = assess(&c, now());
        let _ = (
            progress(&c),
            estimate(&c, now()),
            next_steps(&c, a),
            watch_outcome(&c),
        );
        for m in [
            "resourcepatch",
            "resourcepatches: ,,,",
            "resourcepatches [",
            "\"",
            "ack-",
        ] {
            let _ = resource_patch_names(m);
            let _ = admin_gate_keys(m);
        }
    }
}

#[test]
fn unsafe_names_stay_out_of_commands() {
    let c = cv(json!({"metadata": {"name": "x'; rm -rf /"},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {"current": {"version": "4.2.1"}, "preflight": {"checks": [
            {"name": "Bad\"Check", "state": "Failed"}]}}}));
    let s = next_steps(&c, assess(&c, now()));
    assert_eq!(
        s[0].commands,
        ["kubectl -n cpaas-system get cvsh <cluster> -o jsonpath='{.status.preflight.checks}'"]
    );
}
