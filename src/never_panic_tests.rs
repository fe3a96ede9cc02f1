//! Never panic on data: property tests that feed arbitrary ClusterVersionShadow, Cluster
//! (`clusters.platform.tkestack.io`) and ProductManifest JSON — plausible shapes and hostile
//! ones (wrong types, nulls, huge strings, control characters and terminal escape sequences,
//! wide characters, absurd numbers and times) — through parsing, assessment, the pre-checks and
//! every renderer (status screen, watch line and frame, summary, fleet, precheck, verify,
//! release list, JSON).
//!
//! Asserted for every case: no panic; text output (color off) carries no control character
//! but `\n` and no bidi control (so no raw ESC or override from server text reaches the
//! terminal); no line that reaches the
//! terminal (through [`crate::output::bound_lines`], what the printer applies to text) is longer
//! than [`MAX_LINE`] characters, and no table cell wider than
//! [`crate::render::table::MAX_CELL`] columns is printed; JSON output serializes and reads back.
//!
//! The cases (10,000 per `cargo test`, see [`CASES`]; ≈ 30 s on 2 cores, debug build) come from a fixed seed, so a run is
//! reproducible; a failure prints the minimal input proptest shrank it to.

use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{Map, Value, json};

use crate::domain::advice::Scope;
use crate::domain::advice::verify::VerifyScope;
use crate::domain::cmdline::Kubectl;
use crate::domain::cvsh::{Cvsh, ProductManifest};
use crate::domain::facts::{
    ClusterVersion, Fact, Machine, Platform, PlatformCluster, ResourcePatch, Standby,
    configmap_data, disabled_checks,
};
use crate::domain::precheck::{self, Input, Wanted, next_move};
use crate::domain::report::fleet::{FleetPlatform, fleet_report};
use crate::domain::report::precheck::precheck_report;
use crate::domain::report::releases::releases_report;
use crate::domain::report::status::{StatusInput, status_report, watch_event};
use crate::domain::report::summary::{SummaryInput, summary_report};
use crate::domain::report::verify::verify_report;
use crate::domain::rules::tier::{GlobalTier, StandbyGlobal};
use crate::domain::verify;
use crate::render;

use crate::output::MAX_LINE;

/// Cases per property (the sum is what one `cargo test` runs).
const CASES: [u32; 4] = [2000, 500, 2000, 5500];

fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    }
}

fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

/// Strings a server might send, and strings it should not.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "4.3.0", "4.2.1", "4.3.10", "v4.3.0", "4.3", "4.3.0-rc.1+build.5", "True", "False",
            "Unknown", "Ready", "Reconciling", "Degraded", "Stalled", "PreflightReady",
            "Passed", "Failed", "Retry", "Running", "Pending", "Finished", "Completed",
            "Partial", "Upgrade", "Install", "Delete", "UpgradePending", "Succeeded", "Block",
            "Warn", "Disabled", "global", "workload-a", "cpaas-system", "",
            "registry.example.com/acp/release@sha256:abcd",
            "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z",
        ])
        .prop_map(str::to_string),
        3 => any::<String>(),
        1 => prop::sample::select(vec![
            "\u{1b}[31mred\u{1b}[0m", "\u{1b}]0;owned\u{7}", "\u{9b}2J", "a\rb", "line\nbreak",
            "tab\there", "\u{7f}", "\u{202e}evil", "漢字のメッセージ", "🚀🚀🚀", "e\u{301}",
            "\u{0}", "99999999999999999999.0.0", "-1", "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "not a time",
        ])
        .prop_map(str::to_string),
        1 => (prop::sample::select(vec!["x", "漢", "\u{1b}[1m", "ab cd ", "🚀"]), 1usize..1500)
            .prop_map(|(unit, n)| unit.repeat(n)),
    ]
}

/// Any JSON value, shallow: what a wrong type looks like.
fn hostile() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
        prop::collection::vec(text().prop_map(Value::String), 0..3).prop_map(Value::Array),
        Just(json!({})),
    ]
}

/// A plausible value of kind `plausible`, or now and then a hostile one.
fn field(plausible: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![6 => plausible, 1 => hostile()]
}

fn s() -> impl Strategy<Value = Value> {
    field(text().prop_map(Value::String))
}

fn int() -> impl Strategy<Value = Value> {
    field(prop_oneof![
        (0i64..5).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
    ])
}

/// An object from optional fields: each key present or not.
fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .into_iter()
        .map(|(k, v)| prop::option::weighted(0.8, v.prop_map(move |v| (k.to_string(), v))).boxed())
        .collect();
    parts
        .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect::<Map<_, _>>()))
        .boxed()
}

fn list(item: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    field(prop::collection::vec(item, 0..max).prop_map(Value::Array)).boxed()
}

fn release() -> BoxedStrategy<Value> {
    field(object(vec![
        ("version", s().boxed()),
        ("image", s().boxed()),
    ]))
    .boxed()
}

fn condition() -> BoxedStrategy<Value> {
    object(vec![
        ("type", s().boxed()),
        ("status", s().boxed()),
        ("reason", s().boxed()),
        ("message", s().boxed()),
        ("lastTransitionTime", s().boxed()),
    ])
}

fn operation() -> BoxedStrategy<Value> {
    object(vec![
        ("name", s().boxed()),
        ("action", s().boxed()),
        ("currentVersion", s().boxed()),
        ("targetVersion", s().boxed()),
        ("phase", s().boxed()),
        ("dependsOn", list(s().boxed(), 3)),
        ("moduleInfo", hostile().boxed()),
    ])
}

fn stage() -> BoxedStrategy<Value> {
    object(vec![
        ("name", s().boxed()),
        ("priority", int().boxed()),
        ("phase", s().boxed()),
        ("operations", list(operation(), 4)),
    ])
}

fn check() -> BoxedStrategy<Value> {
    object(vec![
        ("name", s().boxed()),
        ("policy", s().boxed()),
        ("state", s().boxed()),
        ("reason", s().boxed()),
        ("message", s().boxed()),
    ])
}

fn history() -> BoxedStrategy<Value> {
    object(vec![
        ("version", s().boxed()),
        ("image", s().boxed()),
        ("state", s().boxed()),
        ("startedTime", s().boxed()),
        ("completionTime", s().boxed()),
        ("acceptedRisks", s().boxed()),
    ])
}

/// A ClusterVersionShadow as any server might send it.
fn cvsh_json() -> BoxedStrategy<Value> {
    let metadata = object(vec![
        ("name", s().boxed()),
        ("namespace", s().boxed()),
        ("generation", int().boxed()),
        ("resourceVersion", s().boxed()),
        ("creationTimestamp", s().boxed()),
    ]);
    let spec = field(object(vec![(
        "desiredUpdate",
        field(object(vec![
            ("version", s().boxed()),
            ("image", s().boxed()),
            ("force", field(any::<bool>().prop_map(Value::Bool)).boxed()),
        ]))
        .boxed(),
    )]));
    let status = field(object(vec![
        ("current", release()),
        ("desired", release()),
        ("availableUpdates", list(release(), 4)),
        ("conditions", list(condition(), 5)),
        ("observedGeneration", int().boxed()),
        ("history", list(history(), 4)),
        (
            "preflight",
            field(object(vec![
                ("observedAt", s().boxed()),
                ("checks", list(check(), 6)),
            ]))
            .boxed(),
        ),
        ("stages", list(stage(), 4)),
    ]));
    object(vec![
        ("apiVersion", s().boxed()),
        ("kind", s().boxed()),
        ("metadata", field(metadata).boxed()),
        ("spec", spec.boxed()),
        ("status", status.boxed()),
    ])
}

/// A small ClusterVersionShadow: just what another cluster's object contributes (its current
/// version, its offers, whether it is upgrading).
fn other_cvsh_json() -> BoxedStrategy<Value> {
    object(vec![
        (
            "spec",
            field(object(vec![("desiredUpdate", release())])).boxed(),
        ),
        (
            "status",
            field(object(vec![
                ("current", release()),
                ("desired", release()),
                ("availableUpdates", list(release(), 3)),
                ("conditions", list(condition(), 2)),
            ]))
            .boxed(),
        ),
    ])
}

fn platform_cluster_json() -> BoxedStrategy<Value> {
    object(vec![
        (
            "metadata",
            field(object(vec![("name", s().boxed())])).boxed(),
        ),
        (
            "spec",
            field(object(vec![("version", s().boxed())])).boxed(),
        ),
        (
            "status",
            field(object(vec![
                ("version", s().boxed()),
                ("phase", s().boxed()),
            ]))
            .boxed(),
        ),
    ])
}

fn pdman_json() -> BoxedStrategy<Value> {
    object(vec![
        (
            "metadata",
            field(object(vec![
                ("name", s().boxed()),
                (
                    "creationTimestamp",
                    prop_oneof![Just(json!("2026-11-20T07:30:00Z")), s()].boxed(),
                ),
            ]))
            .boxed(),
        ),
        (
            "spec",
            field(object(vec![
                ("version", s().boxed()),
                ("image", s().boxed()),
            ]))
            .boxed(),
        ),
        (
            "status",
            field(object(vec![("conditions", list(condition(), 3))])).boxed(),
        ),
    ])
}

fn configmap_json() -> BoxedStrategy<Value> {
    object(vec![(
        "data",
        field(object(vec![
            ("preflight", s().boxed()),
            ("ack-4.4-kubernetes-1.35-kernel-update", s().boxed()),
            ("ack-4.3-x", s().boxed()),
        ]))
        .boxed(),
    )])
}

/// Text output a person reads: no control character but newlines, no bidi control, no
/// overlong line.
fn assert_readable(what: &str, out: &str) {
    if let Some(c) = out
        .chars()
        .find(|c| (c.is_control() && *c != '\n') || crate::output::text::is_bidi_control(*c))
    {
        panic!("{what}: control character {c:?} in text output:\n{out}");
    }
    let shown = crate::output::bound_lines(out);
    if let Some(line) = shown.lines().find(|l| l.chars().count() > MAX_LINE) {
        panic!(
            "{what}: a line of {} characters (bound {MAX_LINE}): {}…",
            line.chars().count(),
            line.chars().take(200).collect::<String>()
        );
    }
}

/// Machine output serializes and reads back.
fn assert_json(what: &str, report: &impl serde::Serialize) {
    let text = serde_json::to_string(report).unwrap_or_else(|e| panic!("{what}: {e}"));
    serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
}

/// One object through the status and summary reports and every renderer of them.
fn status_and_summary(raw: &Value, global_version: Option<&str>) {
    let cvsh = Cvsh::from_value(raw);
    let _ = (cvsh.is_stale(), cvsh.requested(), cvsh.current_version());
    let tier = GlobalTier::new("global", global_version.map(str::to_string), None);
    let platform = Platform {
        disabled_checks: Fact::Read(vec![
            "\u{1b}[2JCheck\nName".into(),
            "PlatformLicense".into(),
        ]),
        ..Platform::default()
    };
    let scope = Scope {
        cluster: &cvsh.name,
        tier: &tier,
        kubectl: Kubectl::default(),
    };
    let next = next_move(&cvsh.name, &cvsh, &tier, &platform);
    let report = status_report(&StatusInput {
        cvsh: &cvsh,
        object: raw,
        now: now(),
        note: Some("Note: context x points at cluster y."),
        scope,
        platform: &platform,
        next: Some(&next),
    });
    for verbose in [false, true] {
        let options = render::status::Options {
            verbose,
            color: false,
        };
        assert_readable("status", &render::status::screen(&report, &options));
    }
    let _ = render::status::screen(
        &report,
        &render::status::Options {
            verbose: true,
            color: true,
        },
    );
    assert_readable(
        "watch line",
        &render::status::watch::watch_line(&report, false),
    );
    for columns in [0, 100] {
        assert_readable(
            "watch frame",
            &render::status::watch::watch_frame(&report, columns, false),
        );
    }
    assert_json("status", &report);
    assert_json("watch event", &watch_event(report));

    let next = next_move("workload-a", &cvsh, &tier, &platform);
    let summary = summary_report(&SummaryInput {
        cluster: "workload-a",
        cvsh: &cvsh,
        object: raw,
        scope: Scope {
            cluster: "workload-a",
            ..scope
        },
        next: &next,
        note: None,
        now: now(),
    });
    assert_readable("summary", &render::summary::summary(&summary, false));
    let _ = render::summary::summary(&summary, true);
    assert_json("summary", &summary);
}

proptest! {
    #![proptest_config(config(CASES[0], 0xac_0001))]
    #[test]
    fn any_cvsh_parses_assesses_and_renders(raw in cvsh_json(), global in other_cvsh_json()) {
        // The global cluster's version reaches the views the way the commands read it.
        let global = Cvsh::from_value(&global);
        status_and_summary(&raw, global.current_version());
    }
}

proptest! {
    #![proptest_config(config(CASES[1], 0xac_0002))]
    #[test]
    fn any_fleet_renders(items in prop::collection::vec(cvsh_json(), 0..6)) {
        let cvshs: Vec<Cvsh> = items.iter().map(Cvsh::from_value).collect();
        let kubernetes: Vec<PlatformCluster> = items
            .iter()
            .map(|item| PlatformCluster::from_value(&json!({
                "metadata": item.get("metadata").cloned().unwrap_or(Value::Null),
                "status": {"version": item.pointer("/status/current/version").cloned().unwrap_or(Value::Null)},
            })))
            .collect();
        let standby = Standby {
            session: "dr\u{1b}[31m".into(),
            context: "dr/global".into(),
            global_name: "global".into(),
            cvsh: match cvshs.first() {
                Some(c) => Fact::Read(c.clone()),
                None => Fact::Unknown("refused".into()),
            },
            disabled_checks: None,
        };
        let report = fleet_report(
            &cvshs,
            now(),
            "global",
            FleetPlatform {
                kubernetes: Some(&kubernetes),
                standby: Some(&standby),
            },
        );
        assert_readable("fleet", &render::fleet::fleet(&report, false));
        let _ = render::fleet::fleet(&report, true);
        assert_json("fleet", &report);
    }
}

fn observed<T>(v: T, unknown: bool) -> Fact<T> {
    if unknown {
        Fact::Unknown("not allowed to read it: \u{1b}[31mforbidden".into())
    } else {
        Fact::Read(v)
    }
}

proptest! {
    #![proptest_config(config(CASES[2], 0xac_0003))]
    #[test]
    fn any_platform_passes_the_prechecks(
        target in cvsh_json(),
        global in other_cvsh_json(),
        standby in other_cvsh_json(),
        clusters in prop::collection::vec(platform_cluster_json(), 0..6),
        machines in prop::collection::vec(platform_cluster_json(), 0..4),
        patches in prop::collection::vec(object(vec![
            ("metadata", field(object(vec![
                ("name", s().boxed()),
                ("annotations", field(object(vec![("config.cpaas.io/exempt-for-ver", s().boxed())])).boxed()),
            ])).boxed()),
        ]), 0..4),
        cvo in configmap_json(),
        gates in configmap_json(),
        acks in prop::option::of(configmap_json()),
        // --to / --to-image reach the checks only through the CLI's validation.
        wanted in prop_oneof![
            Just(Wanted::Unspecified),
            Just(Wanted::Latest),
            text().prop_map(|v| crate::domain::version::normalize(&v).map_or(Wanted::Latest, Wanted::Version)),
            text().prop_map(|i| crate::domain::version::validate_image(&i).map_or(Wanted::Unspecified, Wanted::Image)),
        ],
        is_global in any::<bool>(),
        allow_explicit in any::<bool>(),
        unknown in prop::array::uniform6(prop::bool::weighted(0.1)),
    ) {
        let cvsh = Cvsh::from_value(&target);
        let global = Cvsh::from_value(&global);
        let standby = Cvsh::from_value(&standby);
        let clusters: Vec<PlatformCluster> = clusters.iter().map(PlatformCluster::from_value).collect();
        let machines: Vec<Machine> = machines.iter().map(Machine::from_value).collect();
        let patches: Vec<ResourcePatch> = patches.iter().map(ResourcePatch::from_value).collect();
        let disabled = match disabled_checks(&cvo) {
            Ok(list) => Fact::Read(list),
            Err(why) => Fact::Unknown(why),
        };
        let platform = Platform {
            standby: Some(Standby {
                session: "dr".into(),
                context: "dr/global".into(),
                global_name: "global".into(),
                cvsh: observed(standby, unknown[0]),
                disabled_checks: None,
            }),
            clusters: Some(observed(clusters, unknown[1])),
            machines: is_global.then(|| observed(machines, unknown[2])),
            disabled_checks: if unknown[3] { Fact::Unknown("x".into()) } else { disabled },
            resource_patches: observed(patches, unknown[4]),
            admin_gates: observed(configmap_data(&gates), unknown[5]),
            admin_acks: Fact::Read(acks.as_ref().map(configmap_data)),
            versions: Some(observed(vec![ClusterVersion::of(&global), ClusterVersion::of(&cvsh)], unknown[2])),
        };
        let cluster = if is_global { "global" } else { "workload-a" };
        let tier = GlobalTier::new(
            "global",
            if is_global { cvsh.current_version() } else { global.current_version() }.map(str::to_string),
            platform.standby.as_ref().map(StandbyGlobal::from_read),
        );
        let input = Input {
            cluster,
            cvsh: &cvsh,
            tier: &tier,
            wanted: &wanted,
            allow_explicit,
            platform: &platform,
        };
        let judgement = precheck::run(&input);
        let report = precheck_report(&judgement, &Scope { cluster, tier: &tier, kubectl: Kubectl::default() });
        assert_readable("precheck", &render::precheck::report(&report, false));
        let _ = render::precheck::report(&report, true);
        assert_json("precheck", &report);
        // verify, on the same platform: every cluster, or the target alone.
        let mut platform = platform;
        if let Some(standby) = platform.standby.as_mut() {
            standby.disabled_checks = Some(platform.disabled_checks.clone());
        }
        let states = [verify::ClusterState::of(&global), verify::ClusterState::of(&cvsh)];
        let to = match &wanted {
            Wanted::Version(v) => Some(v.as_str()),
            _ => None,
        };
        for (clusters, all) in [(&states[..], true), (&states[1..], false)] {
            let judgement = verify::judge(&verify::Input { to, tier: &tier, clusters, all, platform: &platform });
            let report = verify_report(&judgement, &VerifyScope { tier: &tier, kubectl: Kubectl::default() });
            assert_readable("verify", &render::verify::report(&report, false));
            let _ = render::verify::report(&report, true);
            assert_json("verify", &report);
        }
    }
}

proptest! {
    #![proptest_config(config(CASES[3], 0xac_0004))]
    #[test]
    fn any_product_manifest_and_cluster_parses(pdman in pdman_json(), cluster in platform_cluster_json(), raw in hostile(), offers in cvsh_json()) {
        let manifest = ProductManifest::from_value(&pdman);
        let _ = manifest.ready().map(|c| c.is_true());
        let _ = ProductManifest::from_value(&raw);
        let _ = PlatformCluster::from_value(&cluster);
        let _ = PlatformCluster::from_value(&raw);
        let _ = Machine::from_value(&raw);
        let _ = ResourcePatch::from_value(&raw);
        let _ = configmap_data(&raw);
        let _ = disabled_checks(&raw);
        // The release list: any manifests, any cluster's offers, with and without DR.
        let clusters = [ClusterVersion::of(&Cvsh::from_value(&offers))];
        for standby in [None, Some(Some("4.3.0")), Some(None)] {
            let tier = GlobalTier::new(
                "global",
                clusters[0].current.clone(),
                standby.map(|at: Option<&str>| StandbyGlobal {
                    session: "dr".into(),
                    context: "dr/global".into(),
                    global_name: "global".into(),
                    version: Fact::Read(at.map(str::to_string)),
                }),
            );
            let report = releases_report(&[pdman.clone(), raw.clone()], &clusters, &tier, now());
            assert_readable("release list", &render::releases::releases(&report, false));
            let _ = render::releases::releases(&report, true);
            assert_json("release list", &report);
        }
        // Whole objects of the wrong shape, too.
        status_and_summary(&raw, None);
        status_and_summary(&pdman, Some("4.3.0"));
    }
}

#[test]
fn at_least_ten_thousand_cases_per_run() {
    assert!(CASES.iter().sum::<u32>() >= 10_000);
}
