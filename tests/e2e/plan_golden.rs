//! The request planner's every decision (the guards, the pre-checks, the next step) in one golden
//! file, from objects as the server returns them.

use ac::domain::cvsh::Cvsh;
use serde_json::{Value, json};

use crate::render_golden::check;

/// Every path of request planning: no-ops, refusals with their hints, writes with warnings.
#[test]
fn plan_decisions() {
    use ac::domain::plan::{Ask, Decision, Observed, Request, plan};
    let cluster = |name: &str, current: &str, offered: &[&str], extra: Value| {
        let mut v = json!({"metadata": {"name": name, "resourceVersion": "7", "generation": 1},
            "status": {"observedGeneration": 1, "current": {"version": current},
                       "availableUpdates": offered.iter().map(|o| json!({"version": o})).collect::<Vec<_>>(),
                       "conditions": [{"type": "Ready", "status": "True"}]}});
        if let (Some(base), Some(more)) = (v.as_object_mut(), extra.as_object()) {
            for (k, x) in more {
                if k == "status" {
                    for (sk, sx) in x.as_object().unwrap() {
                        base["status"][sk] = sx.clone();
                    }
                } else {
                    base.insert(k.clone(), x.clone());
                }
            }
        }
        v
    };
    let request = |ask: Ask| Request {
        ask,
        force: false,
        allow_explicit: false,
        allow_warnings: false,
    };
    let version = |v: &str| Ask::Version(v.into());
    let busy = json!({"spec": {"desiredUpdate": {"version": "4.2.3"}},
        "status": {"desired": {"version": "4.2.3"}, "conditions": [
            {"type": "Reconciling", "status": "True"},
            {"type": "Stalled", "status": "True", "reason": "OperationFailed", "message": "operation x\nfailed"},
            {"type": "Degraded", "status": "True", "reason": "Broken"}]}});
    let stale = json!({"metadata": {"name": "global", "resourceVersion": "7", "generation": 4}});
    // (label, cvsh, is_global, global version, request)
    let mut cases: Vec<(&str, Value, bool, Option<&str>, Request)> = vec![
        (
            "latest",
            cluster("global", "4.2.1", &["4.2.3", "4.3.0"], json!({})),
            true,
            None,
            request(Ask::Latest),
        ),
        (
            "latest, nothing offered, global",
            cluster("global", "4.2.1", &[], json!({})),
            true,
            None,
            request(Ask::Latest),
        ),
        (
            "latest, nothing offered, workload behind",
            cluster("w", "4.2.1", &[], json!({})),
            false,
            Some("4.3.0"),
            request(Ask::Latest),
        ),
        (
            "latest, nothing offered, workload level",
            cluster("w", "4.3.0", &[], json!({})),
            false,
            Some("4.3.0"),
            request(Ask::Latest),
        ),
        (
            "latest beyond global",
            cluster("w", "4.2.1", &["4.2.3", "4.3.0"], json!({})),
            false,
            Some("4.2.3"),
            request(Ask::Latest),
        ),
        (
            "latest beyond global, nothing allowed",
            cluster("w", "4.2.1", &["4.3.0"], json!({})),
            false,
            Some("4.2.1"),
            request(Ask::Latest),
        ),
        (
            "already there",
            cluster("global", "4.2.1", &["4.3.0"], json!({})),
            true,
            None,
            request(version("4.2.1")),
        ),
        (
            "already requested",
            cluster(
                "global",
                "4.2.1",
                &["4.3.0"],
                json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}}),
            ),
            true,
            None,
            request(version("4.3.0")),
        ),
        (
            "not offered, global",
            cluster("global", "4.2.1", &["4.3.0"], json!({})),
            true,
            None,
            request(version("4.4.0")),
        ),
        (
            "not offered, workload",
            cluster("w", "4.2.1", &["4.2.3"], json!({})),
            false,
            Some("4.3.0"),
            request(version("4.3.0")),
        ),
        (
            "image not offered",
            cluster("global", "4.2.1", &["4.3.0"], json!({})),
            true,
            None,
            request(Ask::Image("r.example/acp@sha256:ab".into())),
        ),
        (
            "downgrade",
            cluster("global", "4.2.1", &["4.1.0"], json!({})),
            true,
            None,
            request(version("4.1.0")),
        ),
        (
            "workload, global unknown",
            cluster("w", "4.2.1", &["4.2.3"], json!({})),
            false,
            None,
            request(version("4.2.3")),
        ),
        (
            "busy and stalled",
            cluster("global", "4.2.1", &["4.2.3", "4.3.0"], busy.clone()),
            true,
            None,
            request(version("4.3.0")),
        ),
        (
            "clear, nothing",
            cluster("global", "4.2.1", &[], json!({})),
            true,
            None,
            request(Ask::Clear),
        ),
        (
            "clear while reconciling",
            cluster("global", "4.2.1", &[], busy.clone()),
            true,
            None,
            request(Ask::Clear),
        ),
        (
            "stale",
            cluster("global", "4.2.1", &["4.3.0"], stale),
            true,
            None,
            request(version("4.3.0")),
        ),
    ];
    let mut overridden = request(version("4.3.0"));
    overridden.allow_warnings = true;
    cases.push((
        "busy and stalled, overridden",
        cluster("global", "4.2.1", &["4.2.3", "4.3.0"], busy),
        true,
        None,
        overridden,
    ));
    let mut explicit = request(version("4.4.0"));
    explicit.allow_explicit = true;
    explicit.force = true;
    cases.push((
        "explicit and forced",
        cluster("global", "4.2.1", &["4.3.0"], json!({})),
        true,
        None,
        explicit,
    ));
    let mut image_seq = request(Ask::Image("r.example/acp:x".into()));
    image_seq.allow_explicit = true;
    cases.push((
        "image, workload, version unknown",
        cluster("w", "4.2.1", &[], json!({})),
        false,
        Some("4.3.0"),
        image_seq,
    ));

    let mut out = String::new();
    for (label, raw, is_global, global_version, req) in &cases {
        let c = Cvsh::from_value(raw);
        let cluster = raw["metadata"]["name"].as_str().unwrap();
        assert_eq!(*is_global, cluster == "global", "{label}");
        let facts = Observed {
            cluster,
            cvsh: &c,
            scope: crate::common::scope(cluster, *global_version),
        };
        out.push_str(&format!("=== {label}\n"));
        match plan(req, &facts, &ac::domain::facts::Platform::default()) {
            Decision::NoOp(m) => out.push_str(&format!("no-op: {m}\n")),
            Decision::AlreadyRequested(m) => out.push_str(&format!("already requested: {m}\n")),
            Decision::Refuse(e) => {
                out.push_str(&format!(
                    "refused (exit {}): {}\n",
                    e.exit_code(),
                    e.message
                ));
                for h in &e.hints {
                    out.push_str(&format!("  hint: {h}\n"));
                }
            }
            Decision::Write(w) => {
                out.push_str(&format!("write {}: {}\n", w.target_label(), w.patch));
                out.push_str(&format!(
                    "  previous: {}\n",
                    serde_json::to_string(&w.previous).unwrap()
                ));
                for x in &w.warnings {
                    out.push_str(&format!("  warning: {x}\n"));
                }
            }
        }
    }
    check("upgrade/plan-decisions.txt", out);
}
