//! Parse + render costs for the status screens: a 5,000-cluster fleet, the whole path at
//! 1k/5k/10k clusters (linear in the fleet), one cvsh with 50 stages × 40 operations, and
//! 40,000 offered versions sorted and de-duplicated.
//! Run: `cargo bench --bench render -- --quick` (docs/performance.md).

use std::hint::black_box;
use std::time::Duration;

use ac::domain::advice::Scope;
use ac::domain::cmdline::Kubectl;
use ac::domain::cvsh::Cvsh;
use ac::domain::report::fleet::{fleet_report, items as items_from_list};
use ac::domain::report::status::{StatusInput, status_report};
use ac::domain::rules::offers::Offers;
use ac::domain::rules::tier::GlobalTier;
use ac::domain::version::Release;
use ac::render::fleet::fleet as render_fleet_report;
use ac::render::status::{Options, screen};
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use serde_json::Value;

#[path = "../tests/e2e/generate.rs"]
mod generate;

fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

/// Report and text, as the command does it.
fn render_fleet(items: &[Cvsh], now: Timestamp, color: bool) -> String {
    render_fleet_report(
        &fleet_report(items, now, "global", Default::default()),
        color,
    )
}

/// Report and JSON value, as the printer does it.
fn fleet_json(items: &[Cvsh], now: Timestamp) -> Value {
    serde_json::to_value(fleet_report(items, now, "global", Default::default())).unwrap()
}

fn fleet(c: &mut Criterion) {
    let list = generate::large_fleet(5000);
    let text = serde_json::to_string(&list).unwrap();
    let items = items_from_list(&list);
    let mut g = c.benchmark_group("fleet-5000");
    g.bench_function("json text -> Value", |b| {
        b.iter(|| black_box(serde_json::from_str::<Value>(black_box(&text)).unwrap()))
    });
    g.bench_function("Value -> Cvsh views", |b| {
        b.iter(|| black_box(items_from_list(black_box(&list))))
    });
    g.bench_function("render text", |b| {
        b.iter(|| black_box(render_fleet(black_box(&items), now(), false)))
    });
    g.bench_function("render text (color)", |b| {
        b.iter(|| black_box(render_fleet(black_box(&items), now(), true)))
    });
    g.bench_function("json object", |b| {
        b.iter(|| black_box(fleet_json(black_box(&items), now())))
    });
    g.bench_function("end to end: text -> screen", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(&text)).unwrap();
            black_box(render_fleet(&items_from_list(&v), now(), false))
        })
    });
    let items_text = serde_json::to_string(&list["items"]).unwrap();
    g.bench_function(
        "json text -> Cvsh views (direct, what the LIST does)",
        |b| {
            b.iter(|| black_box(serde_json::from_str::<Vec<Cvsh>>(black_box(&items_text)).unwrap()))
        },
    );
    g.finish();
}

/// The command's whole local path (JSON text of the items → views → report → screen) by
/// fleet size: the time per cluster stays flat.
fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("fleet-scaling");
    for n in [1_000, 5_000, 10_000] {
        let list = generate::large_fleet(n);
        let text = serde_json::to_string(&list["items"]).unwrap();
        g.throughput(criterion::Throughput::Elements(n as u64));
        g.bench_function(format!("{n} clusters: text -> views -> screen"), |b| {
            b.iter(|| {
                let items: Vec<Cvsh> = serde_json::from_str(black_box(&text)).unwrap();
                let screen = render_fleet(&items, now(), false);
                std::mem::forget(items); // as the command does
                black_box(screen)
            })
        });
    }
    g.finish();
}

fn big(c: &mut Criterion) {
    let raw = generate::big_cvsh(50, 40);
    let cv = Cvsh::from_value(&raw);
    let platform = ac::domain::facts::Platform::default();
    let tier = GlobalTier::new("global", None, None);
    let input = StatusInput {
        cvsh: &cv,
        object: &raw,
        now: now(),
        note: None,
        scope: Scope {
            cluster: "global",
            tier: &tier,
            kubectl: Kubectl::default(),
        },
        platform: &platform,
        next: None,
    };
    let render_status = |verbose| {
        let options = Options {
            verbose,
            color: false,
        };
        screen(&status_report(&input), &options)
    };
    let mut g = c.benchmark_group("cvsh-50x40");
    g.bench_function("Value -> Cvsh view", |b| {
        b.iter(|| black_box(Cvsh::from_value(black_box(&raw))))
    });
    g.bench_function("render default", |b| {
        b.iter(|| black_box(render_status(false)))
    });
    g.bench_function("render verbose", |b| {
        b.iter(|| black_box(render_status(true)))
    });
    g.bench_function("status json", |b| {
        b.iter(|| black_box(serde_json::to_value(status_report(&input)).unwrap()))
    });
    g.finish();
}

/// `status.availableUpdates` of 10,000 and 40,000 entries, many repeated: sorted and
/// de-duplicated in n·log n (issue 15: the linear search made this quadratic, 107 s at 40,000).
fn offers(c: &mut Criterion) {
    let mut g = c.benchmark_group("offers");
    for n in [10_000usize, 40_000] {
        let updates: Vec<Release> = (0..n)
            .map(|i| Release {
                version: Some(format!("4.{}.{}", i % 200, i % 97)),
                image: None,
            })
            .collect();
        g.bench_function(format!("{n} offered"), |b| {
            b.iter(|| black_box(Offers::new(black_box(&updates))))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = fleet, scaling, big, offers
}
criterion_main!(benches);
