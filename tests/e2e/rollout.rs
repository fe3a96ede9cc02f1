//! `ac adm upgrade rollout` end to end against ac-sim's controller: the order (global tier,
//! then the canary, then the window), the failure budget, resume, the plan, exit codes. What
//! happened when is read from the simulator itself, not from `ac`'s output: every request it
//! served and every change its store made carry one process-wide sequence number
//! (`LoggedRequest::seq`, `Sim::changes`).

use std::collections::BTreeMap;
use std::time::Duration;

use ac_sim::scenario::{ResourcePatchSpec, Scenario};
use ac_sim::{ClusterFault, SimOptions};
use serde_json::Value;

use crate::common::*;

const V: &str = "4.3.0";

/// `global` + `workloads` idle clusters at 4.2.1 (4.3.0 offered to global), the controller on.
async fn fleet(workloads: usize, faults: &[&str], speed: f64) -> Env {
    fleet_with(workloads, faults, speed, |_| {}).await
}

async fn fleet_with(
    workloads: usize,
    faults: &[&str],
    speed: f64,
    edit: impl FnOnce(&mut Scenario),
) -> Env {
    let mut scenario = Scenario::idle_fleet(workloads);
    let faults: Vec<ClusterFault> = faults
        .iter()
        .map(|f| ClusterFault::parse(f).unwrap())
        .collect();
    scenario.add_cluster_faults(&faults).unwrap();
    edit(&mut scenario);
    Env::start_with(
        SimOptions {
            scenario,
            speed,
            controller: true,
            ..SimOptions::empty()
        },
        "global",
    )
    .await
}

/// A ResourcePatch not exempt for any version, on `cluster`: it blocks that cluster.
fn legacy_patch(scenario: &mut Scenario, cluster: &str) {
    scenario.resource_patches.push(ResourcePatchSpec {
        name: "rp-legacy-ingress".into(),
        cluster: cluster.into(),
        exempt_for: None,
        description: None,
    });
}

/// The requests (PATCH of a cvsh's spec) the server accepted: (cluster, seq), in order.
fn requests_made(env: &Env) -> Vec<(String, u64)> {
    env.requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.status == 200)
        .filter_map(|r| {
            let name = r.path.split("/clusterversionshadows/").nth(1)?;
            Some((name.to_string(), r.seq))
        })
        .collect()
}

fn writes(env: &Env) -> Vec<String> {
    env.request_lines()
        .into_iter()
        .filter(|l| !l.starts_with("GET "))
        .collect()
}

/// Requests per cluster.
fn request_counts(env: &Env) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (cluster, _) in requests_made(env) {
        *counts.entry(cluster).or_default() += 1;
    }
    counts
}

/// The sequence number of the change that recorded `cluster`'s completed move to `version`.
fn completed_at(env: &Env, cluster: &str, version: &str) -> Option<u64> {
    let changes = env
        .sim
        .changes("clusterversionshadows")
        .expect("the store kept every change of the test");
    changes.into_iter().find_map(|(seq, obj)| {
        let done = obj["metadata"]["name"] == cluster
            && obj["status"]["history"][0]["version"] == version
            && obj["status"]["history"][0]["state"] == "Completed";
        done.then_some(seq)
    })
}

fn current(env: &Env, cluster: &str) -> String {
    env.cvsh(cluster)["status"]["current"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.both()))
}

fn state_of<'a>(doc: &'a Value, cluster: &str) -> &'a str {
    doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cluster"] == cluster)
        .and_then(|c| c["state"].as_str())
        .unwrap_or_else(|| panic!("{cluster} in the report: {doc:#}"))
}

/// Global first and completed before any workload cluster is requested; the canary completed
/// before any other starts; never more than the window upgrading at once; one request per
/// cluster; the Markdown report written.
#[tokio::test(flavor = "multi_thread")]
async fn rollout_moves_the_platform_in_order() {
    let env = fleet(6, &[], 300.0).await;
    let report = env.dir.path().join("rollout.md");
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "rollout",
            "--to=4.3.0",
            "--max-parallel=2",
            "--timeout=100s",
            "--report",
            report.to_str().unwrap(),
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout
            .contains("Rollout to 4.3.0: every selected cluster is at 4.3.0"),
        "{}",
        r.both()
    );
    let clusters = env.sim.clusters();
    for cluster in &clusters {
        assert_eq!(current(&env, cluster), V, "{cluster}");
    }
    // Exactly one request per cluster.
    let counts = request_counts(&env);
    assert_eq!(counts.len(), clusters.len(), "{counts:?}");
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");

    let made = requests_made(&env);
    assert_eq!(made[0].0, "global", "{made:?}");
    let global_done = completed_at(&env, "global", V).unwrap();
    let workloads: Vec<&(String, u64)> = made.iter().filter(|(c, _)| c != "global").collect();
    assert!(
        workloads.iter().all(|(_, seq)| *seq > global_done),
        "a workload cluster was requested before global completed {V}: {made:?} (global completed at #{global_done})"
    );
    // The canary: the first workload requested, completed before the next one.
    let canary = &workloads[0].0;
    assert_eq!(canary, "workload-0001");
    let canary_done = completed_at(&env, canary, V).unwrap();
    assert!(
        workloads[1..].iter().all(|(_, seq)| *seq > canary_done),
        "a cluster started before the canary completed: {made:?} (canary completed at #{canary_done})"
    );
    // The window: at each request, the workload clusters requested and not yet completed.
    let mut widest = 0;
    for (i, (_, at)) in workloads.iter().enumerate() {
        let running = workloads[..=i]
            .iter()
            .filter(|(c, _)| completed_at(&env, c, V).is_none_or(|done| done > *at))
            .count();
        assert!(running <= 2, "{running} upgrading at once: {made:?}");
        widest = widest.max(running);
    }
    assert_eq!(widest, 2, "the window was used: {made:?}");

    let md = std::fs::read_to_string(&report).expect("the report was written");
    assert!(md.starts_with("# Rollout to 4.3.0"), "{md}");
    for cluster in &clusters {
        assert!(md.contains(cluster.as_str()), "{cluster} in {md}");
    }

    // Run again: everything is done; nothing is requested.
    let before = made.len();
    let r = env
        .ac(&["adm", "upgrade", "rollout", "--to=4.3.0", "-o", "json"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    let doc = json(&r);
    assert_eq!(doc["schema"], "ac.alauda.io/upgrade-rollout/v1");
    assert_eq!(doc["outcome"], "allAtTarget");
    assert_eq!(requests_made(&env).len(), before);
}

/// `--dry-run` reads and writes nothing; the plan names the blocked cluster's remedy; the
/// JSON plan has the same schema.
#[tokio::test(flavor = "multi_thread")]
async fn dry_run_plans_and_writes_nothing() {
    let env = fleet_with(4, &[], 0.0, |s| legacy_patch(s, "workload-0003")).await;
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "rollout",
            "--to=4.3.0",
            "--dry-run",
            "--max-parallel=50%",
        ])
        .await;
    crate::render_golden::check("rollout/plan-e2e.txt", r.both());
    assert!(writes(&env).is_empty(), "{:?}", writes(&env));

    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "rollout",
            "--to=4.3.0",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    let doc = json(&r);
    assert_eq!(doc["dryRun"], true);
    assert_eq!(state_of(&doc, "global"), "ready");
    assert_eq!(state_of(&doc, "workload-0001"), "not offered yet");
    assert_eq!(state_of(&doc, "workload-0003"), "blocked");
    assert!(writes(&env).is_empty(), "{:?}", writes(&env));

    // --to-latest is the highest stable version offered to global; a selection by glob, less
    // the excluded; the global tier, not selected, is named as what the rest waits for.
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "rollout",
            "--to-latest",
            "--dry-run",
            "--clusters=workload-000[12]",
            "--exclude=workload-0002",
            "-o",
            "json",
        ])
        .await;
    let doc = json(&r);
    assert_eq!(doc["target"], V);
    let rows: Vec<&str> = doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["cluster"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["global", "workload-0001"], "{doc:#}");
    assert!(
        doc["clusters"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("not in --clusters"),
        "{doc:#}"
    );
    assert_eq!(
        doc["nextSteps"][0]["command"],
        "ac adm upgrade rollout --to=4.3.0 '--clusters=workload-000[12]' --exclude=workload-0002"
    );

    // The rollout's plan without the order: every cluster's pre-checks.
    let r = env
        .ac(&["adm", "upgrade", "precheck", "--all-clusters", "--to=4.3.0"])
        .await;
    assert_eq!(r.code, 3, "{}", r.both());
    crate::render_golden::check("rollout/precheck-all-e2e.txt", r.both());
    assert!(writes(&env).is_empty(), "{:?}", writes(&env));
}

/// A blocked cluster is skipped with its remedy, never written; the rest move; exit 3.
#[tokio::test(flavor = "multi_thread")]
async fn blocked_clusters_are_skipped_with_their_remedy() {
    let env = fleet_with(3, &[], 300.0, |s| legacy_patch(s, "workload-0002")).await;
    let r = env
        .ac(&["adm", "upgrade", "rollout", "--to=4.3.0", "--timeout=100s"])
        .await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(
        r.both().contains(
            "kubectl annotate resourcepatches rp-legacy-ingress config.cpaas.io/exempt-for-ver=4.3.0"
        ),
        "{}",
        r.both()
    );
    let counts = request_counts(&env);
    assert!(!counts.contains_key("workload-0002"), "{counts:?}");
    for cluster in ["global", "workload-0001", "workload-0003"] {
        assert_eq!(current(&env, cluster), V, "{cluster}");
    }
    assert_eq!(current(&env, "workload-0002"), "4.2.1");
}

/// A failed canary stops the rollout: no other workload cluster is requested; exit 5.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_canary_stops_every_other_start() {
    let env = fleet(4, &["workload-0001=degrade"], 300.0).await;
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "rollout",
            "--to=4.3.0",
            "--timeout=100s",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(r.code, 5, "{}", r.both());
    let doc = json(&r);
    assert_eq!(doc["outcome"], "failed");
    assert_eq!(state_of(&doc, "workload-0001"), "failed");
    let counts = request_counts(&env);
    assert_eq!(
        counts.keys().collect::<Vec<_>>(),
        ["global", "workload-0001"],
        "{counts:?}"
    );
    for cluster in ["workload-0002", "workload-0003", "workload-0004"] {
        assert_eq!(current(&env, cluster), "4.2.1", "{cluster}");
    }
}

/// Past the budget nothing new starts; within it the rollout goes on and still exits 5.
#[tokio::test(flavor = "multi_thread")]
async fn the_failure_budget_stops_new_starts() {
    let env = fleet(
        4,
        &[
            "workload-0002=stall",
            "workload-0003=preflight=ClusterRunning",
        ],
        300.0,
    )
    .await;
    let rollout = |budget: &'static str| {
        [
            "adm",
            "upgrade",
            "rollout",
            "--to=4.3.0",
            "--max-parallel=1",
            budget,
            "--timeout=100s",
        ]
    };
    let r = env.ac(&rollout("--max-failures=0")).await;
    assert_eq!(r.code, 5, "{}", r.both());
    assert!(r.stdout.contains("workload-0002"), "{}", r.both());
    let counts = request_counts(&env);
    assert_eq!(
        counts.keys().collect::<Vec<_>>(),
        ["global", "workload-0001", "workload-0002"],
        "one at a time: after the failure nothing new starts: {counts:?}"
    );

    // A budget of 2 lets it go on: workload-0003 fails its preflight, workload-0004 moves;
    // the failed cluster is not requested again.
    let r = env.ac(&rollout("--max-failures=2")).await;
    assert_eq!(r.code, 5, "{}", r.both());
    assert!(r.stdout.contains("ClusterRunning"), "{}", r.both());
    let counts = request_counts(&env);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert_eq!(counts.len(), 5, "{counts:?}");
    assert_eq!(current(&env, "workload-0004"), V);
}

/// Ctrl-C stops new starts (exit 130, what runs on is named); the same command resumes and
/// requests each remaining cluster exactly once, waiting on the one in flight.
#[tokio::test(flavor = "multi_thread")]
async fn resume_after_interrupt_requests_each_cluster_once() {
    let env = fleet(4, &[], 60.0).await;
    let args = [
        "adm",
        "upgrade",
        "rollout",
        "--to=4.3.0",
        "--max-parallel=1",
        "--timeout=100s",
    ];
    let mut cmd = base_command(env.dir.path());
    cmd.env("KUBECONFIG", &env.kubeconfig)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let pid = child.id().unwrap();
    // Interrupt once the canary was requested.
    let mut waited = 0;
    while !requests_made(&env).iter().any(|(c, _)| c != "global") {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
        assert!(waited < 2400, "the canary was never requested");
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("ac stops after Ctrl-C")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stdout}{stderr}");
    assert!(stderr.contains("interrupted"), "{stdout}{stderr}");
    assert!(
        stderr.contains("run the same command to resume"),
        "{stderr}"
    );
    let interrupted = request_counts(&env);
    assert_eq!(
        interrupted.keys().collect::<Vec<_>>(),
        ["global", "workload-0001"],
        "{interrupted:?}"
    );

    let r = env.ac(&args).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let counts = request_counts(&env);
    assert_eq!(counts.len(), 5, "{counts:?}");
    assert!(
        counts.values().all(|n| *n == 1),
        "one request per cluster across both runs: {counts:?}"
    );
}

/// `--timeout` bounds the whole rollout (exit 4); the same command run again waits on what is
/// in flight instead of requesting it again.
#[tokio::test(flavor = "multi_thread")]
async fn the_rollout_times_out_and_resumes_without_requesting_again() {
    // Speed 1: an upgrade takes minutes.
    let env = fleet(2, &[], 1.0).await;
    let args = ["adm", "upgrade", "rollout", "--to=4.3.0", "--timeout=2s"];
    let r = env.ac(&args).await;
    assert_eq!(r.code, 4, "{}", r.both());
    assert_eq!(request_counts(&env).keys().collect::<Vec<_>>(), ["global"]);
    let r = env.ac(&[&args[..], &["-o", "json"]].concat()).await;
    assert_eq!(r.code, 4, "{}", r.both());
    let doc = json(&r);
    assert_eq!(doc["timedOut"], true);
    assert_eq!(state_of(&doc, "global"), "in flight");
    assert_eq!(
        request_counts(&env).get("global"),
        Some(&1),
        "in flight: waited on, not requested again"
    );
}

/// A rollout in the middle of everything: the tier and the canary done, clusters running and
/// requested, one failed, one blocked, one waiting, one not offered, one already there.
fn midway(outcome: Option<ac::domain::rollout::Outcome>) -> ac::domain::rollout::Rollout {
    use ac::domain::assess::Assessment;
    use ac::domain::rollout::scheduler::{Limits, Slot, State};
    use ac::domain::rollout::{Blocker, Role, Rollout, Seen};
    let at = |s: i64| jiff::Timestamp::from_second(1_795_428_000 + s).unwrap();
    let seen = |current: &str, pending: Option<&str>, assessment, percent, eta| Seen {
        current: Some(current.into()),
        pending: pending.map(str::to_string),
        assessment,
        stale: false,
        percent,
        eta_seconds: eta,
        elapsed_seconds: None,
        trouble: None,
        offered: true,
        generation: None,
    };
    let slot =
        |name: &str, role, state, seen: Seen, requested: Option<i64>, ended: Option<i64>| Slot {
            cluster: name.into(),
            role,
            from: Some("4.2.1".into()),
            state,
            canary: name == "workload-0001",
            seen,
            selected: true,
            requested_at: requested.map(at),
            ended_at: ended.map(at),
        };
    let idle = || seen("4.2.1", None, Assessment::Idle, None, None);
    let done = || seen(V, None, Assessment::Completed, None, None);
    let slots = vec![
        slot("global", Role::Global, State::Completed, done(), Some(0), Some(2460)),
        slot("workload-0001", Role::Workload, State::Completed, done(), Some(2470), Some(4100)),
        slot(
            "workload-0002",
            Role::Workload,
            State::Running,
            seen("4.2.1", Some(V), Assessment::Progressing, Some(62), Some(540)),
            Some(4110),
            None,
        ),
        slot(
            "workload-0003",
            Role::Workload,
            State::Requested,
            seen("4.2.1", Some(V), Assessment::PreflightRunning, None, None),
            Some(4700),
            None,
        ),
        slot(
            "workload-0004",
            Role::Workload,
            State::Failed {
                reason: "Stalled: operation control-plane/etcd failed: etcd member 2 did not rejoin".into(),
            },
            seen("4.2.1", Some(V), Assessment::Stalled, Some(35), None),
            Some(4111),
            Some(4690),
        ),
        slot(
            "workload-0005",
            Role::Workload,
            State::Blocked {
                blocker: Blocker {
                    check: "resource-patches",
                    detail: "1 ResourcePatch is not exempt for 4.3.0: rp-legacy-ingress".into(),
                    remedy: Some("kubectl annotate resourcepatches rp-legacy-ingress config.cpaas.io/exempt-for-ver=4.3.0 --overwrite".into()),
                },
            },
            idle(),
            None,
            None,
        ),
        slot("workload-0006", Role::Workload, State::Ready, idle(), None, None),
        slot("workload-0007", Role::Workload, State::NotOffered, idle(), None, None),
        slot("workload-0008", Role::Workload, State::Done, done(), None, None),
    ];
    let limits = Limits {
        canary: 1,
        soak_seconds: 600,
        window: 2,
        max_failures: 1,
        cluster_timeout_seconds: Some(7200),
    };
    let mut rollout = Rollout::new(V, limits, slots, at(4754));
    rollout.failures = 1;
    rollout.outcome = outcome;
    rollout
}

/// The live table (a terminal frame), the summary and the Markdown report, as golden files.
#[test]
fn live_frame_summary_and_report_goldens() {
    use ac::domain::advice::rollout::View;
    use ac::domain::report::rollout::rollout_report;
    use ac::domain::rollout::Outcome;
    let started = jiff::Timestamp::from_second(1_795_428_000).unwrap();
    let resume = "ac adm upgrade rollout --to=4.3.0 --soak=10m --max-parallel=2 --max-failures=1 --cluster-timeout=2h";

    let running = midway(None);
    crate::render_golden::check(
        "rollout/live-frame.txt",
        ac::render::rollout::live(&running, 4754, 120),
    );
    crate::render_golden::check(
        "rollout/live-frame-narrow.txt",
        ac::render::rollout::live(&running, 4754, 60),
    );

    let ended = midway(Some(Outcome::Failed));
    let report = rollout_report(&ended, View::Run, started, false, resume);
    crate::render_golden::check(
        "rollout/summary.txt",
        ac::render::rollout::summary(&report, false),
    );
    crate::render_golden::check("rollout/report.md", ac::render::rollout::markdown(&report));
    let mut json = serde_json::to_string_pretty(&report).unwrap();
    json.push('\n');
    crate::render_golden::check("rollout/report.json", json);
    // The plan of the same clusters, before anything started.
    let plan = rollout_report(&midway(None), View::Plan, started, false, resume);
    crate::render_golden::check("rollout/plan.txt", ac::render::rollout::plan(&plan, false));
}

/// Under DR the standby global moves first and completes before the primary is requested;
/// workload clusters wait for the primary.
#[tokio::test(flavor = "multi_thread")]
async fn dr_moves_the_standby_then_the_primary_then_workloads() {
    let env = Env::start_with(
        SimOptions {
            scenario: Scenario::idle_fleet(2),
            speed: 300.0,
            controller: true,
            dr: true,
            ..SimOptions::empty()
        },
        "global",
    )
    .await;
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "rollout",
            "--to=4.3.0",
            "--dr-standby=sim-dr",
            "--timeout=100s",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    let standby = env.sim.standby().unwrap();
    let standby_patches: Vec<u64> = standby
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.status == 200)
        .map(|r| r.seq)
        .collect();
    assert_eq!(standby_patches.len(), 1, "the standby requested once");
    let standby_done = standby
        .changes("clusterversionshadows")
        .unwrap()
        .into_iter()
        .find_map(|(seq, obj)| {
            (obj["status"]["history"][0]["version"] == V
                && obj["status"]["history"][0]["state"] == "Completed")
                .then_some(seq)
        })
        .expect("the standby completed");
    let made = requests_made(&env);
    assert_eq!(made[0].0, "global", "{made:?}");
    assert!(
        made[0].1 > standby_done,
        "global was requested before the standby completed"
    );
    let global_done = completed_at(&env, "global", V).unwrap();
    assert!(
        made[1..].iter().all(|(_, seq)| *seq > global_done),
        "{made:?}"
    );
    assert!(made.len() == 3, "{made:?}");
}

/// Server text in the Markdown report is literal: no link, image, tag or table cell of its own.
#[test]
fn the_markdown_report_keeps_server_text_literal() {
    use ac::domain::advice::rollout::View;
    use ac::domain::report::rollout::rollout_report;
    use ac::domain::rollout::scheduler::State;
    let mut rollout = midway(Some(ac::domain::rollout::Outcome::Failed));
    rollout.slots[4].state = State::Failed {
        reason: "see [the fix](https://evil.example) <img src=x onerror=alert(1)> | forged | cell\n# Heading".into(),
    };
    let started = jiff::Timestamp::from_second(1_795_428_000).unwrap();
    let md = ac::render::rollout::markdown(&rollout_report(
        &rollout,
        View::Run,
        started,
        false,
        "ac adm upgrade rollout --to=4.3.0",
    ));
    let line = md
        .lines()
        .find(|l| l.starts_with("| workload-0004 "))
        .unwrap();
    assert!(!line.contains("<img"), "{line}");
    assert!(
        line.contains("\\[the fix\\](https"),
        "the link is literal: {line}"
    );
    assert_eq!(
        line.matches(" | ").count(),
        8,
        "nine cells, no forged one: {line}"
    );
    assert!(!md.contains("\n# Heading"), "{md}");
}
