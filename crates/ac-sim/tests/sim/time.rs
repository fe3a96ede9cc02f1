//! Time as a client sees it: with the controller at high speed, no timestamp the simulator
//! writes is ever later than the wall clock (durations are compressed instead), and
//! historical entries stay in the past.

use std::time::Duration;

use ac_sim::{Scenario, Sim, SimOptions};
use jiff::Timestamp;
use serde_json::{Value, json};

/// Every RFC 3339 instant (`2026-11-23T08:00:00Z`) in any string of `value`, messages too.
fn timestamps(value: &Value, out: &mut Vec<(String, Timestamp)>) {
    match value {
        Value::String(text) => {
            for (start, _) in text.char_indices() {
                if let Some(candidate) = text.get(start..start + 20)
                    && candidate.as_bytes()[0].is_ascii_digit()
                    && candidate.as_bytes()[10] == b'T'
                    && let Ok(at) = candidate.parse::<Timestamp>()
                {
                    out.push((candidate.to_string(), at));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| timestamps(item, out)),
        Value::Object(fields) => fields.values().for_each(|field| timestamps(field, out)),
        _ => {}
    }
}

fn everything(sim: &Sim) -> Vec<Value> {
    [
        "clusterversionshadows",
        "productmanifests",
        "configmaps",
        "resourcepatches",
        "clusters",
        "machines",
    ]
    .iter()
    .flat_map(|resource| sim.list(resource, None))
    .collect()
}

/// Asserts that no timestamp in any object is later than the wall clock read afterwards;
/// returns how many it saw.
fn assert_none_in_the_future(sim: &Sim) -> usize {
    let objects = everything(sim);
    let now = Timestamp::now();
    let mut seen = Vec::new();
    for object in &objects {
        timestamps(object, &mut seen);
    }
    for (text, at) in &seen {
        assert!(*at <= now, "{text} is after the wall clock {now}");
    }
    seen.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn timestamps_never_run_ahead_of_the_wall_clock() {
    let mut scenario = Scenario::builtin();
    // Start at the wall clock, as the ac-sim binary does.
    let start = Timestamp::from_second(Timestamp::now().as_second()).unwrap();
    scenario.start = Some(start.to_string());
    let sim = Sim::start(SimOptions {
        scenario,
        speed: 3000.0,
        controller: true,
        ..SimOptions::empty()
    })
    .await
    .unwrap();
    assert!(sim.now() <= Timestamp::now());

    // Requests while the controller runs at 3000×: global to 4.2.3 (≈ 8 simulated minutes:
    // a fraction of a real second), a new release, and workload-c's block cured.
    let mut global = sim.get("cvsh", Some("cpaas-system"), "global").unwrap();
    global["spec"] = json!({"desiredUpdate": {"version": "4.2.3"}});
    sim.put(global);
    sim.put(
        json!({"apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
        "metadata": {"name": "v4.3.1"}, "spec": {"version": "4.3.1"}}),
    );
    let mut rp = sim
        .get("resourcepatches", None, "rp-legacy-ingress")
        .unwrap();
    rp["metadata"]["annotations"] = json!({"config.cpaas.io/exempt-for-ver": "4.2.1"});
    sim.put(rp);

    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut checked = 0;
    loop {
        checked += assert_none_in_the_future(&sim);
        let current = |name: &str| {
            sim.get("cvsh", Some("cpaas-system"), name).unwrap()["status"]["current"]["version"]
                .clone()
        };
        if current("global") == "4.2.3"
            && current("workload-b") == "4.2.1"
            && current("workload-c") == "4.2.1"
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "upgrades did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(checked > 100, "saw only {checked} timestamps");
    assert_none_in_the_future(&sim);

    // The new history entry is true in wall-clock terms: started after the start, took a
    // few real seconds at most; the scenario's history stays in the past.
    let global = sim.get("cvsh", Some("cpaas-system"), "global").unwrap();
    let history = global["status"]["history"].as_array().unwrap();
    let at = |value: &Value| value.as_str().unwrap().parse::<Timestamp>().unwrap();
    let (started, completed) = (
        at(&history[0]["startedTime"]),
        at(&history[0]["completionTime"]),
    );
    assert!(started >= start, "{started} before the start {start}");
    assert!(completed.duration_since(started).as_secs_f64() < 10.0);
    assert_eq!(history[1]["version"], "4.2.1");
    assert!(at(&history[1]["completionTime"]) < start);
    let pm = sim.get("pdman", None, "v4.3.1").unwrap();
    assert_eq!(pm["status"]["conditions"][0]["status"], "True");
    assert!(at(&pm["metadata"]["creationTimestamp"]) >= start);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_library_refuses_a_speed_out_of_range() {
    for speed in [f64::NAN, f64::INFINITY, -1.0, 1e20] {
        let started = Sim::start(SimOptions {
            speed,
            ..SimOptions::empty()
        })
        .await;
        let error = started.err().expect("refused").to_string();
        assert!(error.contains("out of range"), "{speed}: {error}");
    }
}
