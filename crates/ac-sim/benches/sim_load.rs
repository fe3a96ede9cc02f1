//! Load benchmark (not a timed test): a fleet of 5,000 workload clusters, 50 concurrent
//! clients (one HTTPS connection each) doing GETs of single ClusterVersionShadows and
//! paginated LISTs, with the controller running. Prints requests per second and memory.
//!
//! `cargo bench -p ac-sim --bench sim_load`; knobs: SIM_LOAD_CLUSTERS (5000), SIM_LOAD_CLIENTS (50),
//! SIM_LOAD_SECS (10), SIM_LOAD_LIST_EVERY (10: one LIST per 10 requests), SIM_LOAD_LIST_LIMIT
//! (500), SIM_LOAD_CONTROLLER (1; 0 runs without the controller).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ac_sim::{Scenario, Sim, SimOptions};
use http_body_util::BodyExt;
use kube::config::{KubeConfigOptions, Kubeconfig};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn proc_status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .map(|l| l[field.len()..].trim().to_string())
        .unwrap_or_else(|| "?".into())
}

#[derive(Default)]
struct Counters {
    gets: AtomicU64,
    lists: AtomicU64,
    errors: AtomicU64,
    bytes: AtomicU64,
    get_micros: AtomicU64,
    list_micros: AtomicU64,
}

#[tokio::main]
async fn main() {
    let clusters = env("SIM_LOAD_CLUSTERS", 5000) as usize;
    let clients = env("SIM_LOAD_CLIENTS", 50) as usize;
    let secs = env("SIM_LOAD_SECS", 10);
    let list_every = env("SIM_LOAD_LIST_EVERY", 10).max(1);
    let list_limit = env("SIM_LOAD_LIST_LIMIT", 500);
    let controller = env("SIM_LOAD_CONTROLLER", 1) != 0;

    let t0 = Instant::now();
    let sim = Sim::start(SimOptions {
        scenario: Scenario::fleet(clusters),
        controller,
        ..SimOptions::default_scenario()
    })
    .await
    .expect("sim starts");
    let startup = t0.elapsed();
    let rss_idle = proc_status("VmRSS:");
    println!(
        "ac-sim load: {clusters} workload clusters, {clients} clients, {secs} s, one LIST (limit={list_limit}) per {list_every} requests, controller {}",
        if controller { "on" } else { "off" }
    );
    println!(
        "  startup (scenario replay + TLS + bind): {:.2} s; RSS after start: {rss_idle}",
        startup.as_secs_f64()
    );

    let kubeconfig = sim.kubeconfig_yaml("global");
    let counters = Arc::new(Counters::default());
    let kc = Kubeconfig::from_yaml(&kubeconfig).expect("kubeconfig");
    drop(kubeconfig);
    let mut cfg = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .expect("config");
    cfg.default_retry = false;
    // One client (and so one connection pool) per simulated user.
    let handles: Vec<kube::Client> = (0..clients)
        .map(|_| kube::Client::try_from(cfg.clone()).expect("client"))
        .collect();
    let rss_clients = proc_status("VmRSS:");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (worker, client) in handles.into_iter().enumerate() {
        let counts = counters.clone();
        tasks.push(tokio::spawn(async move {
            let mut request: u64 = worker as u64;
            while Instant::now() < deadline {
                request += 1;
                let list = request.is_multiple_of(list_every);
                let uri = if list {
                    format!("/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows?limit={list_limit}")
                } else {
                    let number = (request * 7919 + worker as u64 * 104_729) % clusters as u64 + 1;
                    format!(
                        "/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows/workload-{number:0width$}",
                        width = clusters.to_string().len().max(4)
                    )
                };
                let req = http::Request::get(uri).body(kube::client::Body::empty()).unwrap();
                let start = Instant::now();
                match client.send(req).await {
                    Ok(resp) if resp.status().is_success() => {
                        let size = resp.into_body().collect().await.map(|body| body.to_bytes().len()).unwrap_or(0);
                        counts.bytes.fetch_add(size as u64, Ordering::Relaxed);
                        let us = start.elapsed().as_micros() as u64;
                        if list {
                            counts.lists.fetch_add(1, Ordering::Relaxed);
                            counts.list_micros.fetch_add(us, Ordering::Relaxed);
                        } else {
                            counts.gets.fetch_add(1, Ordering::Relaxed);
                            counts.get_micros.fetch_add(us, Ordering::Relaxed);
                        }
                    }
                    _ => {
                        counts.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let gets = counters.gets.load(Ordering::Relaxed);
    let lists = counters.lists.load(Ordering::Relaxed);
    let errors = counters.errors.load(Ordering::Relaxed);
    let avg = |us: u64, count: u64| {
        if count == 0 {
            0.0
        } else {
            us as f64 / count as f64 / 1000.0
        }
    };
    println!(
        "  requests: {} in {elapsed:.1} s = {:.0} req/s ({gets} GET, avg {:.1} ms; {lists} LIST, avg {:.1} ms; {errors} errors)",
        gets + lists,
        (gets + lists) as f64 / elapsed,
        avg(counters.get_micros.load(Ordering::Relaxed), gets),
        avg(counters.list_micros.load(Ordering::Relaxed), lists),
    );
    println!(
        "  transferred: {:.1} MB/s",
        counters.bytes.load(Ordering::Relaxed) as f64 / elapsed / 1e6
    );
    println!(
        "  memory (server + clients, one process): VmHWM {}, VmRSS {} (before the run: {rss_clients})",
        proc_status("VmHWM:"),
        proc_status("VmRSS:")
    );
    sim.shutdown().await;
}
