//! The simulated upgrade controller (the CVO of the global cluster).
//!
//! [`Controller::step`] advances every ClusterVersionShadow and ProductManifest to a given
//! simulated instant; it is deterministic (no randomness, no wall clock) and transitions
//! happen at exact simulated times, so the result does not depend on how often it is called.
//! [`run`] is the task that ticks it while the simulator serves.
//!
//! Per cluster: request seen → (waiting: release metadata missing, or a workload target
//! ahead of global) → preflight (checks Retry → Passed/Failed over time) → blocked with
//! re-checks, or stages (operations advance along their DAG) → completed, or
//! stalled on a failed operation. See docs/sim.md for the timings.

mod config;
pub mod plan;
pub mod preflight;
mod render;
mod run;
pub mod world;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tokio::sync::watch;

pub use config::{ControllerConfig, OperationFailure, PreflightFailure, Timings};
pub use plan::operation_names;

use self::preflight::{CheckInput, Outcome, State};
use self::run::{Phase, Run, Target};
use self::world::World;
use crate::clock::{parse_time, plus, rfc3339};
use crate::resources::{CVSH, NAMESPACE, PDMAN};
use crate::store::Store;
use crate::version;

/// How often the controller runs (real time).
pub const TICK: Duration = Duration::from_millis(100);

/// The controller: configuration plus per-cluster memory.
pub struct Controller {
    config: ControllerConfig,
    runs: HashMap<String, Run>,
    /// `(resourceVersion, world fingerprint)` last reconciled per cluster.
    seen: HashMap<String, (u64, u64)>,
    /// The next simulated instant a cluster needs attention without any input changing.
    due: HashMap<String, Timestamp>,
    manifest_seen: HashMap<String, Timestamp>,
}

fn fingerprint(w: &World) -> u64 {
    let mut h = DefaultHasher::new();
    w.hash(&mut h);
    h.finish()
}

fn gate(cluster: &str, target: &Target, world: &World) -> Option<(&'static str, String)> {
    if cluster != "global"
        && let Some(t) = &target.version
    {
        match &world.global_version {
            Some(g) if version::is_newer(t, g) == Some(true) => {
                return Some((
                    "TargetAheadOfGlobal",
                    format!(
                        "{cluster} cannot move to {t} before the global cluster: global is at {g}; upgrade global to {t} first"
                    ),
                ));
            }
            None => {
                return Some((
                    "GlobalVersionUnknown",
                    format!(
                        "The global cluster's version is unknown, so {t} cannot be checked against it"
                    ),
                ));
            }
            _ => {}
        }
    }
    let matches =
        |m: &&world::Manifest| match (&target.version, &m.version, &target.image, &m.image) {
            (Some(t), Some(v), _, _) => version::same(t, v),
            (None, _, Some(t), Some(i)) => t == i,
            _ => false,
        };
    if world.manifests.iter().filter(matches).any(|m| m.ready) {
        return None;
    }
    let t = target.label();
    if world.manifests.iter().any(|m| matches(&m)) {
        Some((
            "ReleaseNotReady",
            format!("The release metadata for {t} is not Ready yet"),
        ))
    } else {
        Some((
            "ReleaseNotFound",
            format!(
                "No ProductManifest offers {t}; import the release metadata first (ac adm release import-manifest --version {t})"
            ),
        ))
    }
}

impl Controller {
    pub fn new(config: ControllerConfig) -> Controller {
        Controller {
            config,
            runs: HashMap::new(),
            seen: HashMap::new(),
            due: HashMap::new(),
            manifest_seen: HashMap::new(),
        }
    }

    pub fn config(&self) -> &ControllerConfig {
        &self.config
    }

    /// Bring every object up to simulated time `now`.
    pub fn step(&mut self, store: &Store, now: Timestamp) {
        self.reconcile_manifests(store, now);
        let (items, _) = store.list(&CVSH, Some(NAMESPACE));
        let (global, others): (Vec<_>, Vec<_>) = items.iter().partition(|o| o.name() == "global");
        // Global first: the workload clusters' offers and gates read its new version.
        for batch in [global, others] {
            let world = World::read(store);
            let epoch = fingerprint(&world);
            for obj in batch {
                let unchanged = self.seen.get(obj.name()) == Some(&(obj.rv, epoch));
                let due = self.due.get(obj.name()).is_some_and(|d| *d <= now);
                if unchanged && !due {
                    continue;
                }
                let name = obj.name().to_string();
                let mut value = obj.value();
                let rv = match self.reconcile(&name, &value, &world, epoch, now) {
                    Some(status) => {
                        value["status"] = status;
                        store
                            .replace_if_current(&CVSH, Some(NAMESPACE), &name, obj.rv, value)
                            .map_or(obj.rv, |s| s.rv)
                    }
                    None => obj.rv,
                };
                self.seen.insert(name.clone(), (rv, epoch));
                match self.runs.get(&name).and_then(|r| self.next_due(r, now)) {
                    Some(t) => self.due.insert(name, t),
                    None => self.due.remove(&name),
                };
            }
        }
        if self.seen.len() > items.len() {
            // Some cluster was deleted: forget it.
            let names: HashSet<&str> = items.iter().map(|o| o.name()).collect();
            self.runs.retain(|k, _| names.contains(k.as_str()));
            self.seen.retain(|k, _| names.contains(k.as_str()));
            self.due.retain(|k, _| names.contains(k.as_str()));
        }
    }

    fn reconcile_manifests(&mut self, store: &Store, now: Timestamp) {
        let (pms, _) = store.list(&PDMAN, None);
        for stored in pms {
            let p = stored.value();
            if world::manifest_ready(&p) {
                continue;
            }
            let conds = p
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let ready = conds
                .iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"));
            if ready.is_some_and(|c| c.get("reason").and_then(Value::as_str) != Some("Validating"))
            {
                continue; // someone else's verdict
            }
            let name = stored.name().to_string();
            let created = p
                .pointer("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .unwrap_or_else(|| *self.manifest_seen.entry(name.clone()).or_insert(now));
            let ready_at = plus(created, self.config.timings.manifest_ready);
            let label = p
                .pointer("/spec/version")
                .or_else(|| p.pointer("/spec/image"))
                .and_then(Value::as_str)
                .unwrap_or(&name)
                .to_string();
            let cond = if now >= ready_at {
                json!({"type": "Ready", "status": "True", "reason": "Validated",
                    "message": format!("Release metadata for {label} is ready"),
                    "lastTransitionTime": rfc3339(ready_at)})
            } else {
                json!({"type": "Ready", "status": "False", "reason": "Validating",
                    "message": format!("Validating the release metadata for {label}"),
                    "lastTransitionTime": rfc3339(created)})
            };
            let generation = p.pointer("/metadata/generation").cloned();
            store.update_with(&PDMAN, None, &name, |v| {
                let mut others: Vec<Value> = conds
                    .iter()
                    .filter(|c| c.get("type").and_then(Value::as_str) != Some("Ready"))
                    .cloned()
                    .collect();
                others.insert(0, cond);
                if !v.get("status").is_some_and(Value::is_object) {
                    v["status"] = json!({});
                }
                v["status"]["conditions"] = Value::Array(others);
                if let Some(g) = generation {
                    v["status"]["observedGeneration"] = g;
                }
            });
        }
    }

    fn next_due(&self, run: &Run, now: Timestamp) -> Option<Timestamp> {
        match &run.phase {
            Phase::Preflight => run
                .checks
                .iter()
                .filter(|(_, _, o)| o.state == State::Retry)
                .map(|(_, due, _)| *due)
                .min(),
            Phase::Blocked { next_recheck, .. } => Some(*next_recheck),
            Phase::Upgrading => plan::next_event(&run.schedule, now),
            Phase::Waiting { .. } | Phase::Completed { .. } => None,
        }
    }

    /// The new status of one cluster at `now`, or `None` when nothing changes.
    fn reconcile(
        &mut self,
        name: &str,
        obj: &Value,
        world: &World,
        epoch: u64,
        now: Timestamp,
    ) -> Option<Value> {
        let old = obj
            .get("status")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        let mut st = old.clone();
        let du = obj.pointer("/spec/desiredUpdate").filter(|d| d.is_object());
        let requested = du.and_then(Target::from_spec);
        let force = du
            .and_then(|d| d.get("force"))
            .and_then(Value::as_bool)
            .unwrap_or(false);

        // 1. Which run, if any, is this cluster's?
        let existing = self.runs.get(name).cloned();
        match (&requested, existing) {
            (None, Some(run)) => {
                let keep = matches!(run.phase, Phase::Upgrading | Phase::Completed { .. });
                if !keep {
                    self.runs.remove(name);
                }
            }
            (None, None) => {}
            (Some(t), Some(mut run)) if run.target.same(t) => {
                run.force = force;
                self.runs.insert(name.to_string(), run);
            }
            (Some(t), existing) => {
                let upgrading = existing
                    .as_ref()
                    .is_some_and(|r| r.phase == Phase::Upgrading);
                if t.is_current(&st) && !upgrading {
                    // The cluster already runs the requested release: nothing to do (a
                    // request not yet past preflight is dropped).
                    if existing.as_ref().is_some_and(Run::active) {
                        self.runs.remove(name);
                    }
                } else {
                    if upgrading {
                        render::close_partial(&mut st, now);
                    }
                    if let Some(m) = st.as_object_mut() {
                        m.remove("preflight");
                        m.remove("stages");
                    }
                    let from = st
                        .pointer("/current/version")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    self.runs
                        .insert(name.to_string(), Run::new(t.clone(), force, from, now));
                }
            }
        }

        // 2. Advance it to `now`.
        if let Some(mut run) = self.runs.remove(name) {
            self.advance(name, &mut run, &mut st, world, epoch, now);
            self.runs.insert(name.to_string(), run);
        }

        // 3. Derived fields.
        let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
        render::finish(&mut st, name, self.runs.get(name), world, now, generation);
        (st != old).then_some(st)
    }

    fn evaluate(
        &self,
        name: &str,
        run: &Run,
        check: &str,
        world: &World,
        at: Timestamp,
    ) -> Outcome {
        preflight::evaluate(
            check,
            &CheckInput {
                cluster: name,
                current: run.from.as_deref(),
                target: run.target.version.as_deref(),
                accepted_at: run.preflight_start.unwrap_or(at),
                now: at,
                world,
                kubernetes: &self.config.kubernetes,
                failures: &self.config.preflight_failures,
            },
        )
    }

    fn advance(
        &mut self,
        name: &str,
        run: &mut Run,
        st: &mut Value,
        world: &World,
        epoch: u64,
        now: Timestamp,
    ) {
        let t = self.config.timings.clone();
        for _ in 0..100_000 {
            match run.phase.clone() {
                Phase::Waiting { since, reason, .. } => {
                    if let Some((r, message)) = gate(name, &run.target, world) {
                        let since = if r == reason { since } else { now };
                        run.phase = Phase::Waiting {
                            reason: r,
                            message,
                            since,
                        };
                        return;
                    }
                    run.preflight_start = Some(now);
                    run.observed_at = Some(now);
                    run.checks = preflight::checks_for(run.target.version.as_deref())
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| {
                            (
                                c,
                                plus(now, t.check_first + t.check_spacing * i as f64),
                                Outcome::pending(),
                            )
                        })
                        .collect();
                    run.phase = Phase::Preflight;
                }
                Phase::Preflight => {
                    let due_now: Vec<usize> = (0..run.checks.len())
                        .filter(|i| {
                            run.checks[*i].2.state == State::Retry && run.checks[*i].1 <= now
                        })
                        .collect();
                    for i in due_now {
                        let (check, due, _) = run.checks[i].clone();
                        run.checks[i].2 = self.evaluate(name, run, check, world, due);
                        run.observed_at = run.observed_at.max(Some(due));
                    }
                    if run.checks.iter().any(|c| c.2.state == State::Retry) {
                        return;
                    }
                    let last = run.checks.iter().map(|c| c.1).max().unwrap_or(now);
                    run.checked_epoch = epoch;
                    self.conclude_preflight(name, run, st, last, t.recheck);
                }
                Phase::Blocked {
                    since,
                    next_recheck,
                } => {
                    if run.force {
                        self.pass_preflight(name, run, st, now);
                        continue;
                    }
                    // Periodically, and at once when an input (ResourcePatches, config maps,
                    // manifests, global's version) changed.
                    let at = if next_recheck <= now {
                        next_recheck
                    } else if run.checked_epoch != epoch {
                        now
                    } else {
                        return;
                    };
                    for i in 0..run.checks.len() {
                        if run.checks[i].2.state == State::Failed {
                            let check = run.checks[i].0;
                            run.checks[i].2 = self.evaluate(name, run, check, world, at);
                        }
                    }
                    run.checked_epoch = epoch;
                    run.observed_at = Some(at);
                    if run.checks.iter().any(|c| c.2.blocking()) {
                        run.phase = Phase::Blocked {
                            since,
                            next_recheck: plus(at, t.recheck),
                        };
                    } else {
                        self.pass_preflight(name, run, st, at);
                    }
                }
                Phase::Upgrading => match plan::completion(&run.schedule) {
                    Some(done) if done <= now => {
                        render::complete(st, &run.target, done);
                        self.bump_kubernetes(name, &run.target);
                        run.phase = Phase::Completed { at: done };
                    }
                    _ => return,
                },
                Phase::Completed { .. } => return,
            }
        }
    }

    fn conclude_preflight(
        &mut self,
        name: &str,
        run: &mut Run,
        st: &mut Value,
        at: Timestamp,
        recheck: f64,
    ) {
        if run.force || !run.checks.iter().any(|c| c.2.blocking()) {
            self.pass_preflight(name, run, st, at);
        } else {
            run.phase = Phase::Blocked {
                since: at,
                next_recheck: plus(at, recheck),
            };
        }
    }

    fn pass_preflight(&mut self, name: &str, run: &mut Run, st: &mut Value, at: Timestamp) {
        run.skipped = run
            .checks
            .iter()
            .filter(|c| c.2.blocking())
            .map(|c| c.0.to_string())
            .collect();
        run.passed_at = Some(at);
        let failures: Vec<&OperationFailure> = self
            .config
            .operation_failures
            .iter()
            .filter(|f| f.cluster.as_deref().is_none_or(|c| c == name))
            .collect();
        run.schedule = plan::schedule(at, &failures);
        render::start_history(st, &run.target, at, &run.skipped);
        run.phase = Phase::Upgrading;
    }

    /// After an upgrade a cluster's Kubernetes is at least the release's minimum.
    fn bump_kubernetes(&mut self, name: &str, target: &Target) {
        let Some(range) = target
            .version
            .as_deref()
            .and_then(version::minor_of)
            .and_then(version::kubernetes_range)
        else {
            return;
        };
        let oldest = range.oldest.to_string();
        let kubernetes = self
            .config
            .kubernetes
            .entry(name.to_string())
            .or_insert_with(|| oldest.clone());
        if version::kubernetes_minor(kubernetes) < Some(range.oldest) {
            *kubernetes = oldest;
        }
    }
}

/// Tick the controller every [`TICK`] of real time, advancing the simulated clock by
/// `TICK × speed`, until `shutdown` flips.
pub async fn run(
    mut controller: Controller,
    store: Arc<Store>,
    speed: f64,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let step =
        SignedDuration::try_from(TICK.mul_f64(speed.max(0.0))).unwrap_or(SignedDuration::ZERO);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        store.clock().advance(step);
        let now = store.clock().now();
        controller.step(&store, now);
    }
}

#[cfg(test)]
mod tests;
