//! Loading a large kubeconfig (what a 5,000-cluster session writes: one cluster entry with its
//! CA per cluster, two contexts per cluster) and resolving the session, by size, with the fast
//! reader (`ac`'s loader) and with kube's reader (the path it falls back to).
//! Run: `cargo bench --bench kubeconfig -- --quick` (docs/performance.md).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use ac::access::kubeconfig::{Session, Source, load};
use criterion::{Criterion, criterion_group, criterion_main};
use kube::config::Kubeconfig;

/// The layout `ac-sim` (and an ACP login) writes, `n` workload clusters.
fn kubeconfig(n: usize) -> String {
    let ca = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t".repeat(28);
    let url = "https://127.0.0.1:39503";
    let names: Vec<String> = std::iter::once("global".to_string())
        .chain((1..=n).map(|i| format!("workload-{i:04}")))
        .collect();
    let mut out = String::from("apiVersion: v1\nclusters:\n");
    for (i, name) in names.iter().enumerate() {
        let _ = write!(
            out,
            "- cluster:\n    certificate-authority-data: >-\n      {ca}\n    extensions:\n    - extension:\n        clusterName: {name}\n        isGlobal: {}\n        platformUrl: {url}\n        sessionName: sim\n      name: acp.io/v1\n    server: {url}/kubernetes/{name}/\n  name: acp:sim:{name}\n",
            i == 0
        );
    }
    out.push_str("contexts:\n");
    for (user, prefix) in [("admin", "sim"), ("viewer", "sim-viewer")] {
        for name in &names {
            let _ = write!(
                out,
                "- context:\n    cluster: acp:sim:{name}\n    user: acp:sim:{user}\n  name: {prefix}/{name}\n"
            );
        }
    }
    out.push_str("current-context: sim/global\nkind: Config\npreferences: {}\nusers:\n");
    for user in ["admin", "viewer"] {
        let _ = write!(
            out,
            "- name: acp:sim:{user}\n  user:\n    extensions:\n    - extension:\n        platformUrl: {url}\n        sessionName: sim\n        username: {user}@sim.local\n      name: acp.io/v1\n    token: 70aee08a327f42138b89b0676eb7368158ceb0a74ffdca8f\n"
        );
    }
    out
}

fn loading(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("kubeconfig");
    for n in [1_000, 5_000, 10_000] {
        let path = dir.path().join(format!("kubeconfig-{n}"));
        std::fs::write(&path, kubeconfig(n)).unwrap();
        let path: &Path = &path;
        g.bench_function(format!("{n} clusters: ac load + resolve"), |b| {
            b.iter(|| {
                let loaded = load(&Source::Explicit(path.to_path_buf())).unwrap();
                black_box(Session::resolve(&loaded.config, None, None).unwrap())
            })
        });
        if n == 5_000 {
            g.bench_function(format!("{n} clusters: kube's Kubeconfig::read_from"), |b| {
                b.iter(|| black_box(Kubeconfig::read_from(path).unwrap()))
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = loading
}
criterion_main!(benches);
