use super::*;
use crate::domain::test_support::*;
use jiff::Timestamp;
use serde_json::{Value, json};

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
fn skipped_checks_neither_block_nor_wait() {
    let c = cv(upgrading(json!({"preflight": {"checks": [
        {"name": "A", "state": "Skipped"}, {"name": "B", "state": "Passed"}]},
        "conditions": [cond("Reconciling", "True")]})));
    assert_eq!(check_counts(&c).skipped, 1);
    assert_eq!(assess(&c, now()), Assessment::Progressing);
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
            crate::domain::advice::status::next_steps(
                &c,
                a,
                &scope("global", "global", None),
                &crate::domain::facts::Platform::default(),
                &crate::domain::precheck::next_move(
                    "global",
                    &c,
                    scope("global", "global", None).tier,
                    &crate::domain::facts::Platform::default(),
                ),
            ),
            watch_outcome(&c),
        );
    }
}
