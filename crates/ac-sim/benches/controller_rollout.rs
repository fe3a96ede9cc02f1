//! Controller benchmark (not a timed test): a platform rollout on an idle fleet, driven the
//! way the live simulator drives it (one controller step per 100 ms tick of real time, at
//! `SIM_ROLLOUT_SPEED` simulated seconds per real second), with a sliding window of
//! `SIM_ROLLOUT_WINDOW` workload clusters upgrading at once. Prints the cost of a step while
//! the window runs, of the step where global completes (every cluster gets the new offer),
//! of an idle step, and how many clusters a step reconciles: the work follows the clusters
//! in flight, so a fleet ten times larger costs about the same per step.
//!
//! `cargo bench -p ac-sim --bench controller_rollout`; knobs: SIM_ROLLOUT_CLUSTERS (5000;
//! also run at a tenth of it for comparison), SIM_ROLLOUT_WINDOW (50), SIM_ROLLOUT_SPEED
//! (600), SIM_ROLLOUT_UPGRADES (500: how many workload clusters the rollout moves).

use std::sync::Arc;
use std::time::{Duration, Instant};

use ac_sim::clock::{SimClock, plus};
use ac_sim::resources::{CVSH, NAMESPACE};
use ac_sim::store::{PatchType, Store};
use ac_sim::{Controller, Scenario, TICK};
use serde_json::json;

/// The allocator of the `ac-sim` binary (remove these lines to measure glibc's malloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn current(store: &Store, name: &str) -> String {
    store
        .get(&CVSH, Some(NAMESPACE), name)
        .map(|cvsh| cvsh.value()["status"]["current"]["version"].clone())
        .and_then(|version| version.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn request(store: &Store, name: &str) {
    store
        .patch(
            &CVSH,
            Some(NAMESPACE),
            name,
            PatchType::Merge,
            &json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}}),
            false,
        )
        .expect("request");
}

#[derive(Default)]
struct Steps {
    count: u32,
    total: Duration,
    max: Duration,
    visited: usize,
}

impl Steps {
    fn add(&mut self, took: Duration, visited: usize) {
        self.count += 1;
        self.total += took;
        self.max = self.max.max(took);
        self.visited += visited;
    }

    fn line(&self, what: &str) -> String {
        let count = self.count.max(1);
        format!(
            "{what}: {} steps, avg {:.3} ms, max {:.3} ms, {:.1} clusters reconciled a step",
            self.count,
            self.total.as_secs_f64() * 1000.0 / f64::from(count),
            self.max.as_secs_f64() * 1000.0,
            self.visited as f64 / f64::from(count)
        )
    }
}

fn rollout(clusters: usize, window: usize, speed: f64, upgrades: usize) {
    let scenario = Scenario::idle_fleet(clusters);
    let start = scenario.start_time();
    let store = Store::new(Arc::new(SimClock::with_speed(start, speed)));
    let mut controller = Controller::new(scenario.controller_config());
    let built = Instant::now();
    scenario.install(&store, &mut controller).expect("scenario");
    println!(
        "fleet of {clusters} workload clusters (speed {speed}, window {window}): built in {:.2} s",
        built.elapsed().as_secs_f64()
    );
    let tick = TICK.as_secs_f64() * speed;
    let mut now = start;
    let mut step = |controller: &mut Controller| {
        now = plus(now, tick);
        store.clock().set(now);
        let began = Instant::now();
        controller.step(&store, now);
        (began.elapsed(), controller.visited())
    };

    let mut idle = Steps::default();
    for _ in 0..20 {
        let (took, visited) = step(&mut controller);
        idle.add(took, visited);
    }
    request(&store, "global");
    let mut global = Steps::default();
    let mut completion = Steps::default();
    while current(&store, "global") != "4.3.0" {
        let (took, visited) = step(&mut controller);
        if current(&store, "global") == "4.3.0" {
            completion.add(took, visited);
        } else {
            global.add(took, visited);
        }
    }
    let names: Vec<String> = (1..=clusters.min(upgrades))
        .map(|index| {
            format!(
                "workload-{index:0width$}",
                width = clusters.to_string().len().max(4)
            )
        })
        .collect();
    let mut next = 0;
    let mut in_flight: Vec<&String> = Vec::new();
    let mut window_steps = Steps::default();
    let mut peak = 0;
    while next < names.len() || !in_flight.is_empty() {
        in_flight.retain(|name| current(&store, name) != "4.3.0");
        while in_flight.len() < window && next < names.len() {
            request(&store, &names[next]);
            in_flight.push(&names[next]);
            next += 1;
        }
        peak = peak.max(in_flight.len());
        let (took, visited) = step(&mut controller);
        window_steps.add(took, visited);
    }
    println!("  {}", idle.line("idle"));
    println!("  {}", global.line("global upgrading"));
    println!(
        "  {}",
        completion.line("global completes (new offers for all)")
    );
    println!(
        "  {} ({} clusters moved, at most {peak} at once)",
        window_steps.line("sliding window"),
        names.len()
    );
}

fn main() {
    let clusters = env("SIM_ROLLOUT_CLUSTERS", 5000) as usize;
    let window = env("SIM_ROLLOUT_WINDOW", 50) as usize;
    let speed = env("SIM_ROLLOUT_SPEED", 600) as f64;
    let upgrades = env("SIM_ROLLOUT_UPGRADES", 500) as usize;
    println!("ac-sim controller during a rollout (one step per 100 ms tick)");
    rollout((clusters / 10).max(1), window, speed, upgrades);
    rollout(clusters, window, speed, upgrades);
}
