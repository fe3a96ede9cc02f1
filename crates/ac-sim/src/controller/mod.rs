//! The simulated upgrade controller (the CVO of the global cluster).
//!
//! [`Controller::step`] advances every ClusterVersionShadow and ProductManifest to a given
//! simulated instant; it is deterministic (no randomness, no wall clock) and transitions
//! happen at exact simulated times, so the result does not depend on how often it is called.
//! [`run`] is the task that ticks it while the simulator serves.
//!
//! Per cluster: request seen → (waiting: release metadata missing) → preflight (checks Retry
//! → Passed/Failed over time; a workload cluster asked for a version global has not reached
//! fails `VersionUpgradePath` with `GlobalVersionNotReached`) → blocked with re-checks, or
//! stages (operations advance along their DAG) → completed, or stalled on a failed
//! operation. See docs/sim.md for the timings.
//!
//! A step's work follows what changed, not the size of the fleet: the clusters whose own
//! objects changed since the last step (the store's event log), those with a transition due,
//! and every cluster only when something they all read changed (global's version, release
//! metadata, cvo-config, admin gates and acks).

mod conditions;
mod config;
pub mod plan;
pub mod preflight;
mod render;
mod run;
pub mod world;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tokio::sync::watch;

pub use config::{ControllerConfig, OperationFailure, PreflightFailure, Timings};
pub use plan::operation_names;

use self::preflight::{CheckInput, Outcome, State};
use self::run::{Check, Phase, Run, Target};
use self::world::{World, WorldCache};
use crate::clock::{Timeline, parse_time, plus, rfc3339};
use crate::resources::{CLUSTERS, CVSH, MACHINES, NAMESPACE, PDMAN, RESOURCEPATCHES};
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
    /// [`Store::changed_at`] of the ProductManifests at the last look, and whether one was
    /// still being validated then.
    manifests_seen: (u64, bool),
    /// How simulated instants are written (taken from the store's clock at every step).
    timeline: Option<Timeline>,
    /// The inputs every cluster reads, re-read only where they changed.
    worlds: WorldCache,
    /// The store's event log has been read up to this resourceVersion.
    cursor: u64,
    /// The inputs of the last step (to see which clusters a ResourcePatch change concerns).
    last_world: Option<Arc<World>>,
    /// [`World::shared`] at the last step (`None` before the first: every cluster is looked at).
    shared_seen: Option<u64>,
    /// How many clusters the last step reconciled (see [`Controller::visited`]).
    visited: usize,
    /// Kubernetes upgrades under way: Cluster name → (target version, simulated start).
    kubernetes_upgrades: HashMap<String, (String, Timestamp)>,
    /// Clusters with no Kubernetes upgrade to do, at this resourceVersion.
    kubernetes_settled: HashMap<String, u64>,
    /// [`Store::changed_at`] of the Clusters at the last full look at them.
    kubernetes_seen: u64,
}

/// What changed since the last step, from the store's event log.
#[derive(Debug, Default)]
struct Changes {
    /// Look at every cluster (the first step, or the log no longer reaches back).
    all: bool,
    /// Clusters whose own objects changed (their cvsh, Cluster, ResourcePatches) and global
    /// when a Cluster or Machine did.
    names: BTreeSet<String>,
}

/// Why a request cannot start yet (`reason`, message), if it cannot: no Ready release
/// metadata for the target. (A workload cluster's target ahead of global is not a reason to
/// wait: the request is taken and preflight's `VersionUpgradePath` refuses it.)
fn gate(target: &Target, world: &World) -> Option<(&'static str, String)> {
    let offers_target = |manifest: &&world::Manifest| match (
        &target.version,
        &manifest.version,
        &target.image,
        &manifest.image,
    ) {
        (Some(wanted), Some(offered), _, _) => version::same(wanted, offered),
        (None, _, Some(wanted), Some(offered)) => wanted == offered,
        _ => false,
    };
    let matching: Vec<&world::Manifest> = world.manifests.iter().filter(offers_target).collect();
    if matching.iter().any(|manifest| manifest.ready) {
        return None;
    }
    let label = target.label();
    if !matching.is_empty() {
        Some((
            "ReleaseNotReady",
            format!("The release metadata for {label} is not Ready yet"),
        ))
    } else {
        Some((
            "ReleaseNotFound",
            format!(
                "No ProductManifest offers {label}; import the release metadata first (ac adm release import-manifest --version {label})"
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
            manifests_seen: (0, false),
            timeline: None,
            worlds: WorldCache::default(),
            cursor: 0,
            last_world: None,
            shared_seen: None,
            visited: 0,
            kubernetes_upgrades: HashMap::new(),
            kubernetes_settled: HashMap::new(),
            kubernetes_seen: 0,
        }
    }

    /// The written (wall-clock) time of a simulated instant.
    fn wall(&self, sim: Timestamp) -> Timestamp {
        self.timeline.map_or(sim, |timeline| timeline.wall(sim))
    }

    pub fn config(&self) -> &ControllerConfig {
        &self.config
    }

    /// How many ClusterVersionShadows the last [`Controller::step`] reconciled: those whose
    /// objects or inputs changed and those with a transition due, not the whole fleet.
    pub fn visited(&self) -> usize {
        self.visited
    }

    /// Bring every object up to simulated time `now` (times are written through the
    /// store clock's [`Timeline`]).
    pub fn step(&mut self, store: &Store, now: Timestamp) {
        self.timeline = Some(store.clock().timeline());
        self.visited = 0;
        self.reconcile_manifests(store, now);
        self.reconcile_kubernetes(store, now);
        let mut changes = self.changes(store);
        let mut world = self.worlds.read(store);
        if let Some(last) = &self.last_world
            && !Arc::ptr_eq(last, &world)
            && last.patches != world.patches
        {
            // ResourcePatches changed: the clusters they blocked and those they block now
            // (a patch re-pointed or deleted leaves no event naming its old cluster).
            for (cluster, patches) in last.patches.iter().chain(world.patches.iter()) {
                if world.patches.get(cluster) != Some(patches)
                    || last.patches.get(cluster) != Some(patches)
                {
                    changes.names.insert(cluster.clone());
                }
            }
        }
        // Global first: the workload clusters' offers and checks read its new version.
        let everyone = changes.all || self.shared_seen != Some(world.shared);
        if everyone || changes.names.contains("global") || self.is_due("global", now) {
            self.visit(store, "global", &world, now);
            world = self.worlds.read(store);
        }
        let names: Vec<String> = if changes.all || self.shared_seen != Some(world.shared) {
            let (items, _) = store.list(&CVSH, Some(NAMESPACE));
            let names: HashSet<&str> = items.iter().map(|cvsh| cvsh.name()).collect();
            // Forget the clusters deleted meanwhile.
            self.runs.retain(|name, _| names.contains(name.as_str()));
            self.seen.retain(|name, _| names.contains(name.as_str()));
            self.due.retain(|name, _| names.contains(name.as_str()));
            items.iter().map(|cvsh| cvsh.name().to_string()).collect()
        } else {
            let due = self
                .due
                .iter()
                .filter(|(_, at)| **at <= now)
                .map(|(name, _)| name.clone());
            let mut names = changes.names;
            names.extend(due);
            names.into_iter().collect()
        };
        self.shared_seen = Some(world.shared);
        for name in names.iter().filter(|name| *name != "global") {
            self.visit(store, name, &world, now);
        }
        self.last_world = Some(world);
    }

    fn is_due(&self, name: &str, now: Timestamp) -> bool {
        self.due.get(name).is_some_and(|at| *at <= now)
    }

    /// The clusters whose own objects changed since the last step (from the event log).
    fn changes(&mut self, store: &Store) -> Changes {
        let mut changes = Changes {
            all: self.shared_seen.is_none(),
            ..Changes::default()
        };
        match store.events_after(self.cursor) {
            Err(_) => {
                changes.all = true;
                self.cursor = store.current_rv();
            }
            Ok(events) => {
                for event in events {
                    self.cursor = event.rv;
                    let name = event.obj.name();
                    if std::ptr::eq(event.rt, &CVSH) {
                        changes.names.insert(name.to_string());
                    } else if std::ptr::eq(event.rt, &CLUSTERS) {
                        changes.names.insert(name.to_string());
                        changes.names.insert("global".to_string());
                    } else if std::ptr::eq(event.rt, &MACHINES) {
                        changes.names.insert("global".to_string());
                    } else if std::ptr::eq(event.rt, &RESOURCEPATCHES)
                        && let Some(cluster) = event
                            .obj
                            .value()
                            .pointer("/spec/clusterName")
                            .and_then(Value::as_str)
                    {
                        changes.names.insert(cluster.to_string());
                    }
                }
            }
        }
        changes
    }

    /// Reconcile one cluster if its object, its inputs or a due transition says so.
    fn visit(&mut self, store: &Store, name: &str, world: &World, now: Timestamp) {
        let Some(cvsh) = store.get(&CVSH, Some(NAMESPACE), name) else {
            self.runs.remove(name);
            self.seen.remove(name);
            self.due.remove(name);
            return;
        };
        let epoch = world.fingerprint_for(name);
        let unchanged = self.seen.get(name) == Some(&(cvsh.rv, epoch));
        if unchanged && !self.is_due(name, now) {
            return;
        }
        self.visited += 1;
        let mut value = cvsh.value();
        let rv = match self.reconcile(name, &value, world, epoch, now) {
            Some(status) => {
                value["status"] = status;
                store
                    .replace_if_current(&CVSH, Some(NAMESPACE), name, cvsh.rv, value)
                    .map_or(cvsh.rv, |written| written.rv)
            }
            None => cvsh.rv,
        };
        self.seen.insert(name.to_string(), (rv, epoch));
        match self.runs.get(name).and_then(|run| self.next_due(run, now)) {
            Some(at) => self.due.insert(name.to_string(), at),
            None => self.due.remove(name),
        };
    }

    /// New ProductManifests: `Ready=False` (`Validating`) until `manifest_ready` after their
    /// creation, then `Ready=True` (`Validated`). A Ready condition with another reason is
    /// someone else's verdict and stays.
    fn reconcile_manifests(&mut self, store: &Store, now: Timestamp) {
        let changed = store.changed_at(&PDMAN);
        if self.manifests_seen == (changed, false) && changed != 0 {
            return;
        }
        let mut validating = false;
        let (manifests, _) = store.list(&PDMAN, None);
        for stored in manifests {
            let manifest = stored.value();
            if world::manifest_ready(&manifest) {
                continue;
            }
            let conditions = manifest
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let is_ready =
                |condition: &Value| condition.get("type").and_then(Value::as_str) == Some("Ready");
            let verdict = conditions.iter().find(|condition| is_ready(condition));
            if verdict.is_some_and(|ready| {
                ready.get("reason").and_then(Value::as_str) != Some("Validating")
            }) {
                continue;
            }
            let name = stored.name().to_string();
            // Written times are wall-clock times: back onto the simulated timeline.
            let created = manifest
                .pointer("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .map(|written| self.timeline.map_or(written, |tl| tl.sim(written)))
                .unwrap_or_else(|| *self.manifest_seen.entry(name.clone()).or_insert(now));
            let ready_at = plus(created, self.config.timings.manifest_ready);
            let label = manifest
                .pointer("/spec/version")
                .or_else(|| manifest.pointer("/spec/image"))
                .and_then(Value::as_str)
                .unwrap_or(&name)
                .to_string();
            validating |= now < ready_at;
            let ready = if now >= ready_at {
                json!({"type": "Ready", "status": "True", "reason": "Validated",
                    "message": format!("Release metadata for {label} is ready"),
                    "lastTransitionTime": rfc3339(self.wall(ready_at))})
            } else {
                json!({"type": "Ready", "status": "False", "reason": "Validating",
                    "message": format!("Validating the release metadata for {label}"),
                    "lastTransitionTime": rfc3339(self.wall(created))})
            };
            let generation = manifest.pointer("/metadata/generation").cloned();
            store.update_with(&PDMAN, None, &name, |object| {
                let mut kept: Vec<Value> = conditions
                    .iter()
                    .filter(|condition| !is_ready(condition))
                    .cloned()
                    .collect();
                kept.insert(0, ready);
                if !object.get("status").is_some_and(Value::is_object) {
                    object["status"] = json!({});
                }
                object["status"]["conditions"] = Value::Array(kept);
                if let Some(generation) = generation {
                    object["status"]["observedGeneration"] = generation;
                }
            });
        }
        self.manifests_seen = (store.changed_at(&PDMAN), validating);
    }

    /// Kubernetes upgrades of the platform's Clusters: a `spec.version` that differs from
    /// `status.version` puts the Cluster in phase `Upgrading`; `kubernetes_upgrade` simulated
    /// seconds later `status.version` follows and the phase is `Running` again. A
    /// `spec.version` given as a line (`1.31`) is the platform's latest patch of it, written
    /// back into `spec.version` once reached. (The API refuses a step the platform does not
    /// take: see `Store::patch`.)
    fn reconcile_kubernetes(&mut self, store: &Store, now: Timestamp) {
        // Every Cluster when one changed since the last look; else only those upgrading.
        let changed = store.changed_at(&CLUSTERS);
        let clusters = if changed != self.kubernetes_seen || changed == 0 {
            let (clusters, _) = store.list(&CLUSTERS, None);
            if self.kubernetes_settled.len() + self.kubernetes_upgrades.len() > clusters.len() {
                let names: HashSet<&str> = clusters.iter().map(|stored| stored.name()).collect();
                self.kubernetes_upgrades
                    .retain(|name, _| names.contains(name.as_str()));
                self.kubernetes_settled
                    .retain(|name, _| names.contains(name.as_str()));
            }
            clusters
        } else {
            self.kubernetes_upgrades
                .keys()
                .filter_map(|name| store.get(&CLUSTERS, None, name))
                .collect()
        };
        self.kubernetes_seen = changed;
        let duration = self.config.timings.kubernetes_upgrade;
        for stored in clusters {
            if self.kubernetes_settled.get(stored.name()) == Some(&stored.rv) {
                continue;
            }
            let object = stored.value();
            let text = |pointer: &str| {
                object
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .filter(|text| !text.is_empty())
                    .map(str::to_owned)
            };
            let name = stored.name().to_string();
            let running = text("/status/version");
            let spec = text("/spec/version");
            // A line (`1.31`) means the platform's latest patch of it (`1.31.9`); the
            // controller writes that into spec.version too.
            let resolved = spec
                .as_deref()
                .map(|spec| version::resolve_kubernetes(spec).unwrap_or_else(|| spec.to_string()));
            let respec = resolved
                .clone()
                .filter(|resolved| spec.as_ref() != Some(resolved));
            let Some(wanted) = resolved.filter(|wanted| running.as_ref() != Some(wanted)) else {
                // Nothing to do; an upgrade taken back before it finished ends here.
                let upgrading = self.kubernetes_upgrades.remove(&name).is_some();
                let rv = if upgrading || respec.is_some() {
                    store
                        .update_with(&CLUSTERS, None, &name, |object| {
                            if upgrading {
                                object["status"]["phase"] = "Running".into();
                            }
                            if let Some(full) = &respec {
                                object["spec"]["version"] = full.clone().into();
                            }
                        })
                        .map_or(stored.rv, |written| written.rv)
                } else {
                    stored.rv
                };
                self.kubernetes_settled.insert(name, rv);
                continue;
            };
            self.kubernetes_settled.remove(&name);
            let started = match self.kubernetes_upgrades.get(&name) {
                Some((target, since)) if *target == wanted => *since,
                _ => {
                    self.kubernetes_upgrades
                        .insert(name.clone(), (wanted.clone(), now));
                    now
                }
            };
            let done = now >= plus(started, duration);
            if done {
                self.kubernetes_upgrades.remove(&name);
            }
            store.update_with(&CLUSTERS, None, &name, |object| {
                if !object.get("status").is_some_and(Value::is_object) {
                    object["status"] = json!({});
                }
                if done {
                    object["status"]["version"] = wanted.clone().into();
                    object["status"]["phase"] = "Running".into();
                    if respec.is_some() {
                        object["spec"]["version"] = wanted.clone().into();
                    }
                } else {
                    object["status"]["phase"] = "Upgrading".into();
                }
            });
        }
    }

    fn next_due(&self, run: &Run, now: Timestamp) -> Option<Timestamp> {
        match &run.phase {
            Phase::Preflight => run
                .checks
                .iter()
                .filter(|check| check.outcome.state == State::Retry)
                .map(|check| check.due)
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
        cvsh: &Value,
        world: &World,
        epoch: u64,
        now: Timestamp,
    ) -> Option<Value> {
        let old = cvsh
            .get("status")
            .cloned()
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        let mut status = old.clone();
        let desired = cvsh
            .pointer("/spec/desiredUpdate")
            .filter(|desired| desired.is_object());
        let requested = desired.and_then(Target::from_spec);
        let force = desired
            .and_then(|desired| desired.get("force"))
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
            (Some(target), Some(mut run)) if run.target.same(target) => {
                run.force = force;
                self.runs.insert(name.to_string(), run);
            }
            (Some(target), existing) => {
                let upgrading = existing
                    .as_ref()
                    .is_some_and(|run| run.phase == Phase::Upgrading);
                if target.is_current(&status) && !upgrading {
                    // The cluster already runs the requested release: nothing to do (a
                    // request not yet past preflight is dropped).
                    if existing.as_ref().is_some_and(Run::active) {
                        self.runs.remove(name);
                    }
                } else {
                    if upgrading {
                        render::close_partial(&mut status, self.wall(now));
                    }
                    if let Some(fields) = status.as_object_mut() {
                        fields.remove("preflight");
                        fields.remove("stages");
                    }
                    let from = status
                        .pointer("/current/version")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let run = Run::new(target.clone(), force, from, now);
                    self.runs.insert(name.to_string(), run);
                }
            }
        }

        // 2. Advance it to `now`.
        if let Some(mut run) = self.runs.remove(name) {
            self.advance(name, &mut run, &mut status, world, epoch, now);
            self.runs.insert(name.to_string(), run);
        }

        // 3. Derived fields.
        let generation = cvsh.pointer("/metadata/generation").and_then(Value::as_i64);
        let timeline = self.timeline.unwrap_or(Timeline::identity(now));
        render::finish(
            &mut status,
            name,
            (self.runs.get(name), self.config.degraded.contains(name)),
            world,
            (now, timeline),
            generation,
        );
        (status != old).then_some(status)
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
                failures: &self.config.preflight_failures,
            },
        )
    }

    /// Move a run through its phases up to `now`, each transition at its exact time.
    fn advance(
        &mut self,
        name: &str,
        run: &mut Run,
        status: &mut Value,
        world: &World,
        epoch: u64,
        now: Timestamp,
    ) {
        let timings = self.config.timings.clone();
        for _ in 0..100_000 {
            match run.phase.clone() {
                Phase::Waiting { since, reason, .. } => {
                    if let Some((why, message)) = gate(&run.target, world) {
                        let since = if why == reason { since } else { now };
                        run.phase = Phase::Waiting {
                            reason: why,
                            message,
                            since,
                        };
                        return;
                    }
                    run.preflight_start = Some(now);
                    run.observed_at = Some(now);
                    run.checks = preflight::checks_for(run.target.version.as_deref(), world)
                        .into_iter()
                        .enumerate()
                        .map(|(position, check)| Check {
                            name: check,
                            due: plus(
                                now,
                                timings.check_first + timings.check_spacing * position as f64,
                            ),
                            outcome: Outcome::pending(),
                        })
                        .collect();
                    run.phase = Phase::Preflight;
                }
                Phase::Preflight => {
                    // Checks disabled meanwhile in cvo-config are not run (and not reported).
                    run.checks
                        .retain(|check| !world.disabled.contains(check.name));
                    for position in 0..run.checks.len() {
                        let Check {
                            name: check,
                            due,
                            outcome,
                        } = &run.checks[position];
                        if outcome.state != State::Retry || *due > now {
                            continue;
                        }
                        let (check, due) = (*check, *due);
                        run.checks[position].outcome = self.evaluate(name, run, check, world, due);
                        run.observed_at = run.observed_at.max(Some(due));
                    }
                    if run
                        .checks
                        .iter()
                        .any(|check| check.outcome.state == State::Retry)
                    {
                        return;
                    }
                    let last = run.checks.iter().map(|check| check.due).max();
                    run.checked_epoch = epoch;
                    let at = last.unwrap_or(now);
                    if !run
                        .checks
                        .iter()
                        .any(|check| check.outcome.blocks(run.force))
                    {
                        self.pass_preflight(name, run, status, at);
                    } else {
                        run.phase = Phase::Blocked {
                            since: at,
                            next_recheck: plus(at, timings.recheck),
                        };
                    }
                }
                Phase::Blocked {
                    since,
                    next_recheck,
                } => {
                    if !run
                        .checks
                        .iter()
                        .any(|check| check.outcome.blocks(run.force))
                    {
                        self.pass_preflight(name, run, status, now);
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
                    run.checks
                        .retain(|check| !world.disabled.contains(check.name));
                    for position in 0..run.checks.len() {
                        if run.checks[position].outcome.state == State::Failed {
                            let check = run.checks[position].name;
                            run.checks[position].outcome =
                                self.evaluate(name, run, check, world, at);
                        }
                    }
                    run.checked_epoch = epoch;
                    run.observed_at = Some(at);
                    if run
                        .checks
                        .iter()
                        .any(|check| check.outcome.blocks(run.force))
                    {
                        run.phase = Phase::Blocked {
                            since,
                            next_recheck: plus(at, timings.recheck),
                        };
                    } else {
                        self.pass_preflight(name, run, status, at);
                    }
                }
                Phase::Upgrading => match plan::completion(&run.schedule) {
                    Some(done) if done <= now => {
                        render::complete(status, &run.target, self.wall(done));
                        run.phase = Phase::Completed { at: done };
                    }
                    _ => return,
                },
                Phase::Completed { .. } => return,
            }
        }
    }

    fn pass_preflight(&mut self, name: &str, run: &mut Run, status: &mut Value, at: Timestamp) {
        run.skipped = run
            .checks
            .iter()
            .filter(|check| check.outcome.blocking())
            .map(|check| check.name.to_string())
            .collect();
        run.passed_at = Some(at);
        let failures: Vec<&OperationFailure> = self
            .config
            .operation_failures
            .iter()
            .filter(|failure| {
                failure
                    .cluster
                    .as_deref()
                    .is_none_or(|cluster| cluster == name)
            })
            .collect();
        run.schedule = plan::schedule(at, &failures);
        render::start_history(status, &run.target, self.wall(at), &run.skipped);
        run.phase = Phase::Upgrading;
    }
}

/// Tick the controller every [`TICK`] of real time until `shutdown` flips. Simulated time
/// follows the real time elapsed since the task started, times `speed` (not a sum of ticks:
/// a late tick never lets it drift ahead); through the clock's [`Timeline`] the times written
/// then follow the wall clock.
pub async fn run(
    mut controller: Controller,
    store: Arc<Store>,
    speed: f64,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let origin = tokio::time::Instant::now();
    let sim_origin = store.clock().sim_now();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        // Checked all the way: no speed or uptime can overflow (an overflow keeps the clock).
        let ahead = origin.elapsed().as_secs_f64() * speed.max(0.0);
        let sim = SignedDuration::try_from_secs_f64(ahead)
            .ok()
            .and_then(|ahead| sim_origin.checked_add(ahead).ok())
            .unwrap_or(sim_origin);
        if sim > store.clock().sim_now() {
            store.clock().set(sim);
        }
        controller.step(&store, store.clock().sim_now());
    }
}

#[cfg(test)]
mod tests;
