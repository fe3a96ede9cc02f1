//! Golden files for the status and fleet renderings, with a fixed clock.
//! Refresh with `SNAPSHOTS=overwrite cargo test --test e2e render_golden`, then read every diff.

use std::path::{Path, PathBuf};

use ac::domain::cvsh::Cvsh;
use ac::domain::facts::{Fact, Platform, ResourcePatch};
use ac::domain::report::fleet::{FleetReport, fleet_report, items};
use ac::domain::report::status::{StatusInput, StatusReport, status_report, watch_event};
use ac::render::status::{Options, screen, watch_frame, watch_line};
use ac::render::text::strip_ansi;
use jiff::Timestamp;
use serde_json::{Value, json};
use snapbox::data::DataFormat;

use crate::generate::{big_cvsh, large_fleet};

fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn load(rel: &str) -> Value {
    let p = root().join("fixtures").join(rel);
    let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub(crate) fn check(rel: &str, actual: String) {
    let path = root().join("golden").join(rel);
    let expected = snapbox::Data::read_from(&path, Some(DataFormat::Text)).raw();
    snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .eq(actual, expected);
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s
}

/// Scenario → (global version, cluster note) as the command would pass them.
fn context(name: &str) -> (Option<&'static str>, Option<&'static str>) {
    match name {
        "requested-no-preflight" => (
            Some("4.3.0"),
            Some("Context prod/global points at global; showing cluster workload-a"),
        ),
        "stalled" | "stale" | "image-only" => (Some("4.3.0"), None),
        _ => (None, None),
    }
}

const SCENARIOS: &[&str] = &[
    "idle",
    "requested-no-preflight",
    "preflight-retry",
    "preflight-failed-rp",
    "preflight-failed-adminack",
    "preflight-failed-k8s-version",
    "running",
    "slow",
    "stalled",
    "completed-history",
    "stale",
    "image-only",
    "unknown-conditions",
    "nulls",
    "wide-messages",
];

/// What the status command reads of the platform for a scenario: the ResourcePatches and
/// admin gates its failed checks are about (the remedies name them from these, not from the
/// check's message). The end-to-end test puts the same objects into the simulator.
pub fn platform(name: &str) -> &'static Platform {
    static RP: std::sync::LazyLock<Platform> = std::sync::LazyLock::new(|| Platform {
        resource_patches: Fact::Read(vec![
            ResourcePatch {
                name: "rp-alb-hotfix-0915".into(),
                exempt_for: None,
                cluster: None,
            },
            ResourcePatch {
                name: "rp-console-branding".into(),
                exempt_for: Some("4.2.1".into()),
                cluster: None,
            },
            ResourcePatch {
                name: "rp-reviewed".into(),
                exempt_for: Some("4.3.0".into()),
                cluster: None,
            },
        ]),
        ..Platform::default()
    });
    static GATES: std::sync::LazyLock<Platform> = std::sync::LazyLock::new(|| Platform {
        admin_gates: Fact::Read(vec![(
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "Kubernetes 1.35 requires kernel 5.4 or later on every node".into(),
        )]),
        admin_acks: Fact::Read(Some(vec![])),
        ..Platform::default()
    });
    static WIDE: std::sync::LazyLock<Platform> = std::sync::LazyLock::new(|| Platform {
        resource_patches: Fact::Read(vec![ResourcePatch {
            name: "rp-gateway-hotfix".into(),
            exempt_for: None,
            cluster: None,
        }]),
        ..Platform::default()
    });
    static NOTHING: std::sync::LazyLock<Platform> = std::sync::LazyLock::new(Platform::default);
    match name {
        "preflight-failed-rp" => &RP,
        "wide-messages" => &WIDE,
        "preflight-failed-adminack" => &GATES,
        _ => &NOTHING,
    }
}

fn report<'a>(c: &'a Cvsh, raw: &'a Value, name: &str) -> StatusReport<'a> {
    let (global_version, note) = context(name);
    status_report(&StatusInput {
        cvsh: c,
        object: raw,
        now: now(),
        note,
        scope: crate::common::scope(&c.name, global_version),
        next: Some(crate::common::next_move(
            c,
            &crate::common::scope(&c.name, global_version),
            platform(name),
        )),
        platform: platform(name),
    })
}

fn text(report: &StatusReport, verbose: bool) -> String {
    screen(
        report,
        &Options {
            verbose,
            color: false,
        },
    )
}

fn colored(report: &StatusReport, verbose: bool) -> String {
    screen(
        report,
        &Options {
            verbose,
            color: true,
        },
    )
}

fn fleet_of(items: &[Cvsh]) -> FleetReport {
    fleet_report(items, now(), "global", Default::default())
}

fn fleet_text(report: &FleetReport, color: bool) -> String {
    ac::render::fleet::fleet(report, color)
}

fn to_json(report: &impl serde::Serialize) -> Value {
    serde_json::to_value(report).unwrap()
}

#[test]
fn status_text_and_json() {
    for name in SCENARIOS {
        let raw = load(&format!("cvsh/{name}.json"));
        let c = Cvsh::from_value(&raw);
        let r = report(&c, &raw, name);
        check(&format!("status/{name}.txt"), text(&r, false));
        check(&format!("status/{name}-verbose.txt"), text(&r, true));
        let mut j = to_json(&r);
        assert_eq!(j["object"], raw, "{name}: raw object under `object`");
        j["object"] = json!("<the object as read; omitted from this golden file>");
        check(&format!("status/{name}.json"), pretty(&j));
    }
}

#[test]
fn watch_lines_and_frames() {
    for name in SCENARIOS {
        let raw = load(&format!("cvsh/{name}.json"));
        let c = Cvsh::from_value(&raw);
        let r = report(&c, &raw, name);
        let mut out = String::from("--- line\n");
        out.push_str(&watch_line(&r, false));
        out.push_str("\n--- frame (width 80)\n");
        out.push_str(&watch_frame(&r, 80, false));
        let ev = to_json(&watch_event(r));
        out.push_str(&format!(
            "--- event: assessment={} outcome={}\n",
            ev["assessment"], ev["outcome"]
        ));
        // At 80 columns wide-messages draws exactly what preflight-failed-rp draws (its wide
        // text is in messages the line and the frame leave out): one golden file for both.
        let golden = if *name == "wide-messages" {
            "preflight-failed-rp"
        } else {
            name
        };
        check(&format!("watch/{golden}.txt"), out);
    }
}

#[test]
fn watch_event_schema() {
    let raw = load("cvsh/running.json");
    let c = Cvsh::from_value(&raw);
    let ev = to_json(&watch_event(report(&c, &raw, "running")));
    // One document per line on stdout is checked end to end (status::watch_json_is_one_document_per_line).
    assert_eq!(ev["schema"], "ac.alauda.io/upgrade-watch-event/v1");
    assert_eq!(ev["outcome"], Value::Null);
}

#[test]
fn fleet_small_and_empty() {
    for name in ["small", "empty"] {
        let list = load(&format!("fleet/{name}.json"));
        let fleet = fleet_of(&items(&list));
        check(&format!("fleet/{name}.txt"), fleet_text(&fleet, false));
        check(&format!("fleet/{name}.json"), pretty(&to_json(&fleet)));
    }
}

#[test]
fn fleet_large() {
    let list = large_fleet(2000);
    let fleet = fleet_of(&items(&list));
    let text = fleet_text(&fleet, false);
    assert_eq!(
        text.lines().next().map(|l| l.starts_with("CLUSTER")),
        Some(true)
    );
    assert!(text.lines().nth(1).unwrap().starts_with("global "));
    check("fleet/large.txt", text);
    let j = to_json(&fleet);
    assert_eq!(j["total"], 2000);
    check(
        "fleet/large-summary.json",
        pretty(
            &json!({"counts": j["counts"], "globalVersion": j["globalVersion"],
            "behind": j["sequencing"]["behind"].as_array().map(|a| a.len()),
            "upgrading": j["sequencing"]["upgrading"].as_array().map(|a| a.len()),
            "blocked": j["sequencing"]["blocked"].as_array().map(|a| a.len())}),
        ),
    );
}

#[test]
fn nothing_panics_on_broken_objects() {
    let broken = [
        json!(null),
        json!(42),
        json!({"metadata": {"name": ""}, "status": "nope"}),
        json!({"metadata": {"name": "x"}, "status": {"stages": [{"name": "a\nb", "phase": "Running",
            "operations": [{"name": "o\u{1b}[31m", "phase": "Failed", "dependsOn": vec!["x"; 40]}]}],
            "conditions": [{"type": "Stalled", "status": "True", "message": "line1\nline2\tx"}],
            "history": [{"startedTime": "2026-11-23T10:30:00Z"}]}}),
        json!({"metadata": {"name": "y"}, "spec": {"desiredUpdate": {"image": "i"}},
            "status": {"preflight": {"checks": [{"name": "ResourcePatchUpgradeable", "state": "Failed",
                "message": "resourcepatches [,, ]"}]}}}),
    ];
    for raw in &broken {
        let c = Cvsh::from_value(raw);
        let r = status_report(&StatusInput {
            cvsh: &c,
            object: raw,
            now: now(),
            note: None,
            scope: crate::common::scope(&c.name, Some("garbage")),
            next: None,
            platform: platform(""),
        });
        for verbose in [false, true] {
            for color in [false, true] {
                let text = screen(&r, &Options { verbose, color });
                assert!(text.ends_with('\n'));
                let _ = (
                    to_json(&r),
                    watch_line(&r, color),
                    watch_frame(&r, 0, color),
                );
            }
        }
    }
    let items: Vec<Cvsh> = broken.iter().map(Cvsh::from_value).collect();
    let fleet = fleet_of(&items);
    let _ = (fleet_text(&fleet, true), to_json(&fleet));
}

#[test]
fn big_cvsh_is_capped_but_keeps_bad_rows() {
    let raw = big_cvsh(50, 40);
    let c = Cvsh::from_value(&raw);
    let r = report(&c, &raw, "big");
    let screen = text(&r, false);
    check("status/big-50x40.txt", screen.clone());
    // every failed operation is visible, the rest is counted
    for line in ["op-24-07", "op-24-33"] {
        assert!(screen.contains(line), "{line} missing");
    }
    assert!(screen.contains("more stages ("));
    assert!(screen.contains("more operations ("));
    let verbose = text(&r, true);
    assert!(verbose.lines().count() > 50 * 40);
}

#[test]
fn color_changes_nothing_but_escapes() {
    for name in SCENARIOS {
        let raw = load(&format!("cvsh/{name}.json"));
        let c = Cvsh::from_value(&raw);
        let r = report(&c, &raw, name);
        for verbose in [false, true] {
            let plain = text(&r, verbose);
            assert_eq!(
                strip_ansi(&colored(&r, verbose)),
                plain,
                "{name} verbose={verbose}"
            );
            assert!(!plain.contains('\u{1b}'));
        }
    }
    // red for failures, yellow for retries, green for completed
    let red = "\u{1b}[31m";
    let raw = load("cvsh/stalled.json");
    let c = Cvsh::from_value(&raw);
    let out = colored(&report(&c, &raw, "stalled"), false);
    assert!(out.contains(&format!("{red}Stalled")), "{out}");
    assert!(out.contains("Failed\u{1b}["), "failed operation colored");
    let list = load("fleet/small.json");
    let fleet = fleet_of(&items(&list));
    assert_eq!(
        strip_ansi(&fleet_text(&fleet, true)),
        fleet_text(&fleet, false)
    );
}

/// A tiny deterministic generator (no extra dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Replace some values of `v` by odd ones: null, numbers, strings with multi-byte and control
/// characters, empty containers, wrong types.
fn mutate(v: &mut Value, rng: &mut Lcg, depth: usize) {
    if rng.pick(9) == 0 {
        *v = match rng.pick(9) {
            0 => Value::Null,
            1 => json!(-7),
            2 => json!(1e300),
            3 => json!("é@sha256:ééééééééééééééééé\n\u{1b}[2J"),
            4 => json!([]),
            5 => json!({}),
            6 => json!(true),
            7 => json!("2026-02-30T25:61:00Z"),
            _ => json!("x".repeat(500)),
        };
        return;
    }
    if depth > 12 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (_, x) in m.iter_mut() {
                mutate(x, rng, depth + 1);
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                mutate(x, rng, depth + 1);
            }
        }
        _ => {}
    }
}

#[test]
fn fuzzed_fixtures_never_panic() {
    let mut rng = Lcg(0x5eed);
    for name in SCENARIOS {
        let base = load(&format!("cvsh/{name}.json"));
        for _ in 0..40 {
            let mut raw = base.clone();
            mutate(&mut raw, &mut rng, 0);
            let c = Cvsh::from_value(&raw);
            let r = status_report(&StatusInput {
                cvsh: &c,
                object: &raw,
                now: now(),
                note: Some("note\nwith newline"),
                scope: crate::common::scope(
                    &c.name,
                    Some(["4.3.0", "x", ""][rng.pick(3) as usize]),
                ),
                next: None,
                platform: platform(name),
            });
            let verbose = rng.pick(2) == 0;
            // Escape sequences in server text never reach the terminal: without color there is
            // no ESC at all, and with color the only difference is our own SGR codes.
            let plain = text(&r, verbose);
            assert!(!plain.contains('\u{1b}'), "{name}: escape in {plain:?}");
            assert_eq!(strip_ansi(&colored(&r, verbose)), plain, "{name}");
            let _ = to_json(&r);
            let _ = watch_line(&r, true);
            let _ = watch_frame(&r, rng.pick(200) as usize, true);
            let fleet = fleet_of(&[c.clone(), c]);
            let _ = fleet_text(&fleet, true);
            let _ = to_json(&fleet);
        }
    }
}

/// Every fixture and a few synthetic cases through the summary (`ac adm upgrade`): text and JSON
/// in one golden file, so a change to any next step shows up here.
#[test]
fn summary_scenarios() {
    use ac::domain::report::summary::{SummaryInput, summary_report};
    let mut cases: Vec<(String, Value, Option<&str>)> = SCENARIOS
        .iter()
        .map(|name| {
            let raw = load(&format!("cvsh/{name}.json"));
            let global_version = match raw["metadata"]["name"].as_str() {
                Some("global") => None,
                _ => context(name).0.or(Some("4.3.0")),
            };
            (name.to_string(), raw, global_version)
        })
        .collect();
    let workload = |current: &str, offered: &[Value]| {
        json!({"metadata": {"name": "workload-x", "generation": 1},
               "status": {"observedGeneration": 1, "current": {"version": current},
                          "availableUpdates": offered,
                          "conditions": [{"type": "Ready", "status": "True"}]}})
    };
    cases.push((
        "workload behind global, nothing offered".into(),
        workload("4.2.1", &[]),
        Some("4.3.0"),
    ));
    cases.push((
        "workload level with global, nothing offered".into(),
        workload("4.3.0", &[]),
        Some("4.3.0"),
    ));
    cases.push((
        "workload, every offer beyond global".into(),
        workload(
            "4.1.0",
            &[json!({"version": "4.3.0"}), json!({"version": "4.4.0"})],
        ),
        Some("4.2.0"),
    ));
    cases.push((
        "workload, global version unknown".into(),
        workload("4.1.0", &[json!({"version": "4.2.0"})]),
        None,
    ));
    let mut global_image = workload("4.2.1", &[json!({"image": "r.example/acp@sha256:ab"})]);
    global_image["metadata"]["name"] = json!("global");
    cases.push(("global, image-only offer".into(), global_image, None));
    let mut forced = workload("4.2.1", &[json!({"version": "4.2.3"})]);
    forced["spec"] = json!({"desiredUpdate": {"version": "4.2.3", "force": true}});
    forced["status"]["desired"] = json!({"version": "4.2.0"});
    cases.push(("workload, forced request".into(), forced, Some("4.3.0")));

    let mut out = String::new();
    for (name, raw, global_version) in &cases {
        let c = Cvsh::from_value(raw);
        let cluster = raw["metadata"]["name"].as_str().unwrap_or("global");
        let r = summary_report(&SummaryInput {
            cluster,
            cvsh: &c,
            object: raw,
            scope: crate::common::scope(cluster, *global_version),
            next: crate::common::next_move(
                &c,
                &crate::common::scope(cluster, *global_version),
                &Platform::default(),
            ),
            note: (name == "stale").then_some(
                "context prod/global points at cluster global; showing cluster workload-c",
            ),
            now: now(),
        });
        let mut j = to_json(&r);
        j["object"] = json!("<omitted>");
        let text = ac::render::summary::summary(&r, false);
        out.push_str(&format!("=== {name}\n{text}--- json\n{}", pretty(&j)));
    }
    check("summary/scenarios.txt", out);
}

/// The watch event of every scenario, in full (the raw object left out), one per line.
#[test]
fn watch_events_in_full() {
    let mut out = String::new();
    for name in SCENARIOS {
        let raw = load(&format!("cvsh/{name}.json"));
        let c = Cvsh::from_value(&raw);
        let mut ev = to_json(&watch_event(report(&c, &raw, name)));
        ev["object"] = json!("<omitted>");
        out.push_str(&serde_json::to_string(&ev).unwrap());
        out.push('\n');
    }
    check("watch/events.jsonl", out);
}

/// Controller messages in CJK and emoji take two columns a character: frames fit the terminal
/// by display width (before, a 120-column frame drew a 124-column `Next:` line, which the
/// terminal wrapped, and the in-place redraw then left stale lines behind).
#[test]
fn wide_characters_fit_the_frame() {
    use ac::output::text::display_width;
    let raw = load("cvsh/wide-messages.json");
    let c = Cvsh::from_value(&raw);
    let r = report(&c, &raw, "wide-messages");
    let mut golden = String::new();
    for columns in 40..=160 {
        let frame = watch_frame(&r, columns, false);
        for line in frame.lines() {
            assert!(
                display_width(line) <= columns,
                "{columns}: {line:?} is {} columns",
                display_width(line)
            );
        }
        if columns == 100 || columns == 120 {
            golden.push_str(&format!("--- frame (width {columns})\n{frame}"));
        }
    }
    check("watch/wide-messages-frames.txt", golden);
}

/// The fleet with Kubernetes versions (one workload cluster outside 4.3's range, one unknown)
/// and a DR standby global behind the primary: workload clusters may move only up to the
/// standby's version.
#[test]
fn fleet_with_kubernetes_versions_and_a_dr_standby() {
    use ac::domain::facts::{PlatformCluster, Standby};
    use ac::domain::report::fleet::FleetPlatform;
    let mut list = load("fleet/small.json");
    // 4.3.1 is offered to global: the next release, 4.3 (Kubernetes 1.31–1.34)
    for item in list["items"].as_array_mut().unwrap() {
        if item["metadata"]["name"] == "global" {
            item["status"]["availableUpdates"] = json!([{"version": "4.3.1"}]);
        }
    }
    let items = items(&list);
    let k8s = |name: &str, v: Option<&str>| PlatformCluster {
        name: name.into(),
        kubernetes_version: v.map(str::to_string),
        phase: Some("Running".into()),
    };
    let kubernetes = vec![
        k8s("global", Some("1.32.6")),
        k8s("workload-a", Some("1.32.6")),
        k8s("workload-b", Some("v1.33.1")),
        k8s("workload-c", Some("1.30.4")),
        k8s("workload-d", None),
        k8s("workload-e", Some("1.31.0")),
    ];
    let standby = Standby {
        session: "prod-dr".into(),
        context: "prod-dr/global".into(),
        global_name: "global".into(),
        cvsh: Fact::Read(Cvsh::from_value(&json!({"metadata": {"name": "global"},
            "status": {"current": {"version": "4.2.3"}, "conditions": [{"type": "Ready", "status": "True"}]}}))),
        disabled_checks: None,
    };
    let report = fleet_report(
        &items,
        now(),
        "global",
        FleetPlatform {
            kubernetes: Some(&kubernetes),
            standby: Some(&standby),
        },
    );
    let mut out = fleet_text(&report, false);
    out.push_str("--- json: sequencing, nextRelease, standby\n");
    let j = to_json(&report);
    out.push_str(&pretty(&json!({
        "sequencing": j["sequencing"],
        "nextRelease": j["nextRelease"],
        "standby": j["standby"],
    })));
    check("fleet/kubernetes-dr.txt", out);
}
