//! Scenarios: the platform the simulator starts with (clusters and their Kubernetes versions,
//! the global cluster's Machines, release metadata, ResourcePatches, config maps, the standby
//! global of a DR pair) and the failures it scripts. See docs/sim.md for the format.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, bail};
use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

use crate::clock::default_start;
use crate::cluster_faults::{ClusterFault, ClusterFaultKind};
use crate::controller::{ControllerConfig, OperationFailure, PreflightFailure, operation_names};
use crate::validate::valid_name;
use crate::version;

mod install;

/// One cluster of the platform.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    pub name: String,
    /// The ACP version the cluster runs (`status.current.version`).
    pub version: String,
    /// The Kubernetes version it runs (`1.32.6`; its `clusters.platform.tkestack.io`
    /// object); default [`DEFAULT_KUBERNETES`]. `kubernetes:` is accepted too.
    #[serde(default, alias = "kubernetes")]
    pub kubernetes_version: Option<String>,
    /// Versions the cluster ran before, newest first (history entries).
    #[serde(default)]
    pub previous: Vec<String>,
    /// An upgrade requested before the simulation starts (`spec.desiredUpdate.version`).
    #[serde(default)]
    pub target: Option<String>,
    /// Request by image instead of version.
    #[serde(default)]
    pub target_image: Option<String>,
    /// `spec.desiredUpdate.force` of that request.
    #[serde(default)]
    pub force: bool,
    /// How many simulated seconds before the start the request was made (default 0).
    #[serde(default)]
    pub requested_ago: f64,
    #[serde(default)]
    pub preflight_failures: Vec<PreflightFailure>,
    #[serde(default)]
    pub operation_failures: Vec<OperationFailure>,
    /// Faults of this cluster's upgrades: `stall`, `stall=OPERATION`, `degrade`,
    /// `preflight=CHECK` (see [`crate::cluster_faults`]).
    #[serde(default)]
    pub faults: Vec<ClusterFaultKind>,
}

/// A release whose metadata (ProductManifest) is imported.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestSpec {
    pub name: Option<String>,
    pub version: Option<String>,
    pub image: Option<String>,
    /// Already Ready at the start (default true); false: the controller validates it.
    pub ready: bool,
}

impl<'de> Deserialize<'de> for ManifestSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Full {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            version: Option<String>,
            #[serde(default)]
            image: Option<String>,
            #[serde(default = "yes")]
            ready: bool,
        }
        fn yes() -> bool {
            true
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum M {
            Full(Full),
            Version(String),
            Number(f64),
        }
        Ok(match M::deserialize(d)? {
            M::Version(v) => ManifestSpec::version(&v),
            M::Number(n) => ManifestSpec::version(&n.to_string()),
            M::Full(f) => ManifestSpec {
                name: f.name,
                version: f.version,
                image: f.image,
                ready: f.ready,
            },
        })
    }
}

impl ManifestSpec {
    pub fn version(v: &str) -> ManifestSpec {
        ManifestSpec {
            name: None,
            version: Some(v.to_string()),
            image: None,
            ready: true,
        }
    }

    /// `v<version>`, else the given name.
    pub fn object_name(&self) -> String {
        match (&self.name, &self.version) {
            (Some(n), _) => n.clone(),
            (None, Some(v)) => format!("v{v}"),
            (None, None) => "unnamed".into(),
        }
    }
}

/// A ResourcePatch that blocks `ResourcePatchUpgradeable` for a cluster until it carries
/// `config.cpaas.io/exempt-for-ver=<target>`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourcePatchSpec {
    pub name: String,
    pub cluster: String,
    #[serde(default)]
    pub exempt_for: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A Machine (`machines.platform.tkestack.io`): a node of the global cluster.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MachineSpec {
    pub name: String,
    /// `status.phase`; default `Running`.
    #[serde(default = "running")]
    pub phase: String,
    #[serde(default)]
    pub ip: Option<String>,
}

fn running() -> String {
    "Running".into()
}

impl MachineSpec {
    pub fn running(name: &str, ip: &str) -> MachineSpec {
        MachineSpec {
            name: name.into(),
            phase: running(),
            ip: Some(ip.into()),
        }
    }
}

/// The standby global cluster of a DR pair (`ac-sim serve --dr`, `SimOptions::dr`): a
/// platform of its own with only a `global` cluster. Every field defaults to the primary's
/// `global` (version, history, Kubernetes), idle, with Machines `standby-cp-1` … `-3`.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StandbySpec {
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub previous: Option<Vec<String>>,
    #[serde(default, alias = "kubernetes")]
    pub kubernetes_version: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub requested_ago: f64,
    #[serde(default)]
    pub machines: Option<Vec<MachineSpec>>,
    #[serde(default)]
    pub preflight_failures: Vec<PreflightFailure>,
    #[serde(default)]
    pub operation_failures: Vec<OperationFailure>,
}

/// A whole platform to simulate.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// Simulated start time (RFC 3339); default 2026-11-23T08:00:00Z.
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub clusters: Vec<ClusterSpec>,
    #[serde(default)]
    pub manifests: Vec<ManifestSpec>,
    #[serde(default)]
    pub resource_patches: Vec<ResourcePatchSpec>,
    #[serde(default)]
    pub preflight_failures: Vec<PreflightFailure>,
    #[serde(default)]
    pub operation_failures: Vec<OperationFailure>,
    /// `cpaas-system/admin-gates` data: gate key → description.
    #[serde(default)]
    pub admin_gates: BTreeMap<String, String>,
    /// `cpaas-system/admin-acks` data.
    #[serde(default)]
    pub admin_acks: BTreeMap<String, String>,
    /// Checks listed in `cpaas-system/cvo-config` `data.preflight` `disabled:`.
    #[serde(default)]
    pub disabled_checks: Vec<String>,
    /// The global cluster's Machines; absent: three Running (`global-cp-1` … `-3`).
    #[serde(default)]
    pub machines: Option<Vec<MachineSpec>>,
    /// The standby global of a DR pair, when the simulator runs one.
    #[serde(default)]
    pub standby: Option<StandbySpec>,
}

/// The Kubernetes version of a cluster that does not say: 1.31 is inside the range of every
/// ACP release line from 4.0 to 4.3.
pub const DEFAULT_KUBERNETES: &str = "1.31.4";

/// Three Running Machines named `<prefix>-cp-1` … `-3` on `<subnet>.11` … `.13`.
pub fn default_machines(prefix: &str, subnet: &str) -> Vec<MachineSpec> {
    (1..=3)
        .map(|n| MachineSpec::running(&format!("{prefix}-cp-{n}"), &format!("{subnet}.{}", 10 + n)))
        .collect()
}

pub const DAY: f64 = 86_400.0;

/// The Kubernetes versions of a generated fleet's clusters, by index modulo 10: index 4
/// (ACP 4.1.5) is outside 4.2's and 4.3's ranges, 6 (upgrading to 4.2.1) and 9 (4.0.7)
/// outside 4.3's.
pub const FLEET_KUBERNETES: [&str; 10] = [
    "1.32.6", "1.33.2", "1.31.4", "1.31.9", "1.29.15", "1.32.3", "1.30.10", "1.31.4", "1.32.6",
    "1.30.14",
];

/// The Kubernetes versions of an idle fleet's clusters ([`Scenario::idle_fleet`]), by index
/// modulo 3: inside both 4.2's and 4.3's ranges.
pub const IDLE_FLEET_KUBERNETES: [&str; 3] = ["1.31.4", "1.32.6", "1.33.2"];

/// Scripted durations: finite, from 0 to ten years.
fn seconds_in_range(secs: f64) -> bool {
    secs.is_finite() && (0.0..=DAY * 3650.0).contains(&secs)
}

fn cluster(name: &str, version: &str, kubernetes: &str) -> ClusterSpec {
    ClusterSpec {
        name: name.into(),
        version: version.into(),
        kubernetes_version: Some(kubernetes.into()),
        previous: Vec::new(),
        target: None,
        target_image: None,
        force: false,
        requested_ago: 0.0,
        preflight_failures: Vec::new(),
        operation_failures: Vec::new(),
        faults: Vec::new(),
    }
}

impl Scenario {
    /// No clusters and no objects.
    pub fn empty() -> Scenario {
        Scenario::default()
    }

    /// The built-in demo: global at 4.2.1 with 4.2.3 and 4.3.0 offered; workload-a idle at
    /// 4.2.1; workload-b upgrading 4.1.5 → 4.2.1 (stages running); workload-c blocked by
    /// preflight (ResourcePatchUpgradeable: rp-legacy-ingress is not exempt for 4.2.1) and on
    /// Kubernetes 1.30.14, outside 4.3's range, so global's 4.3 preflight fails
    /// (KubernetesVersionSupported) until its Kubernetes is raised. The others run Kubernetes
    /// inside both 4.2's and 4.3's ranges; three Running Machines; no disabled checks, no
    /// admin gates.
    pub fn builtin() -> Scenario {
        let mut global = cluster("global", "4.2.1", "1.32.6");
        global.previous = vec!["4.1.5".into(), "4.0.7".into()];
        let mut workload_a = cluster("workload-a", "4.2.1", "1.32.6");
        workload_a.previous = vec!["4.1.5".into()];
        let mut workload_b = cluster("workload-b", "4.1.5", "1.31.4");
        workload_b.previous = vec!["4.0.7".into()];
        workload_b.target = Some("4.2.1".into());
        workload_b.requested_ago = 240.0;
        let mut workload_c = cluster("workload-c", "4.1.5", "1.30.14");
        workload_c.target = Some("4.2.1".into());
        workload_c.requested_ago = 120.0;
        Scenario {
            start: None,
            clusters: vec![global, workload_a, workload_b, workload_c],
            manifests: ["4.1.5", "4.2.1", "4.2.3", "4.3.0"]
                .iter()
                .map(|version| ManifestSpec::version(version))
                .collect(),
            resource_patches: vec![ResourcePatchSpec {
                name: "rp-legacy-ingress".into(),
                cluster: "workload-c".into(),
                exempt_for: None,
                description: Some(
                    "Keeps the legacy ingress annotations on cpaas-system/legacy-ingress".into(),
                ),
            }],
            preflight_failures: Vec::new(),
            operation_failures: Vec::new(),
            admin_gates: BTreeMap::new(),
            admin_acks: BTreeMap::new(),
            disabled_checks: Vec::new(),
            machines: None,
            standby: None,
        }
    }

    /// An admin gate of ACP 4.4 (for scenarios that add it to `admin_gates`).
    pub fn kernel_gate() -> (String, String) {
        (
            "ack-4.4-kubernetes-1.35-kernel-update".to_string(),
            "ACP 4.4 runs Kubernetes 1.35, which needs Linux kernel 5.4 or later on every node; check the nodes' kernels before acknowledging.".to_string(),
        )
    }

    /// The standby global's own platform (DR): its `global` only (see [`StandbySpec`]), the
    /// same release metadata and config maps, no ResourcePatches, no scripted failures but its
    /// own. Empty when this scenario has no `global`.
    pub fn standby_scenario(&self) -> Scenario {
        let Some(primary) = self
            .clusters
            .iter()
            .find(|cluster| cluster.name == "global")
        else {
            return Scenario {
                start: self.start.clone(),
                ..Scenario::empty()
            };
        };
        let spec = self.standby.clone().unwrap_or_default();
        let global = ClusterSpec {
            name: "global".into(),
            version: spec.version.unwrap_or_else(|| primary.version.clone()),
            kubernetes_version: spec
                .kubernetes_version
                .or_else(|| primary.kubernetes_version.clone()),
            previous: spec.previous.unwrap_or_else(|| primary.previous.clone()),
            target: spec.target,
            target_image: None,
            force: false,
            requested_ago: spec.requested_ago,
            preflight_failures: spec.preflight_failures,
            operation_failures: spec.operation_failures,
            faults: Vec::new(),
        };
        Scenario {
            start: self.start.clone(),
            clusters: vec![global],
            manifests: self.manifests.clone(),
            resource_patches: Vec::new(),
            preflight_failures: Vec::new(),
            operation_failures: Vec::new(),
            admin_gates: self.admin_gates.clone(),
            admin_acks: self.admin_acks.clone(),
            disabled_checks: self.disabled_checks.clone(),
            machines: Some(
                spec.machines
                    .unwrap_or_else(|| default_machines("standby", "192.168.20")),
            ),
            standby: None,
        }
    }

    /// `global` plus `count` workload clusters in deterministic, varied states: idle at 4.2.1,
    /// idle at 4.1.5 (4.2.1 offered), upgrading, blocked by a ResourcePatch, stalled on a
    /// failed operation, and idle on an old 4.0.7; Kubernetes versions spread over 1.29–1.33,
    /// so some clusters are outside 4.2's or 4.3's range (see [`FLEET_KUBERNETES`]).
    pub fn fleet(count: usize) -> Scenario {
        let mut scenario = Scenario::builtin();
        scenario.clusters.truncate(1);
        scenario.resource_patches.clear();
        let width = count.to_string().len().max(4);
        for index in 0..count {
            let name = format!("workload-{:0width$}", index + 1);
            let mut spec = cluster(&name, "4.2.1", FLEET_KUBERNETES[index % 10]);
            match index % 10 {
                0..=2 => spec.previous = vec!["4.1.5".into()],
                3 | 4 => spec.version = "4.1.5".into(),
                5 | 6 => {
                    spec.version = "4.1.5".into();
                    spec.target = Some("4.2.1".into());
                    spec.requested_ago = 30.0 * (1 + (index * 7) % 14) as f64;
                }
                7 => {
                    spec.version = "4.1.5".into();
                    spec.target = Some("4.2.1".into());
                    spec.requested_ago = 60.0;
                    scenario.resource_patches.push(ResourcePatchSpec {
                        name: format!("rp-{name}"),
                        cluster: name.clone(),
                        exempt_for: None,
                        description: None,
                    });
                }
                8 => {
                    spec.version = "4.1.5".into();
                    spec.target = Some("4.2.1".into());
                    spec.requested_ago = 420.0;
                    spec.operation_failures.push(OperationFailure {
                        cluster: None,
                        operation: "monitoring".into(),
                        message: Some("deployment cpaas-system/prometheus did not become ready: 0/2 replicas available".into()),
                        after: None,
                        recover_after: None,
                    });
                }
                _ => spec.version = "4.0.7".into(),
            }
            scenario.clusters.push(spec);
        }
        scenario
    }

    /// A rollout's starting point: `global` and `count` workload clusters
    /// (`workload-0001` …), all idle at 4.2.1 (history 4.1.5 → 4.2.1), with 4.3.0 offered to
    /// global (ProductManifests 4.1.5, 4.2.1, 4.3.0; the workload clusters are offered 4.3.0
    /// once global completes it); Kubernetes versions inside 4.3's range (and 4.2's: see
    /// [`IDLE_FLEET_KUBERNETES`]), no ResourcePatches, no failures, three Running Machines.
    pub fn idle_fleet(count: usize) -> Scenario {
        let mut global = cluster("global", "4.2.1", "1.32.6");
        global.previous = vec!["4.1.5".into()];
        let width = count.to_string().len().max(4);
        let workloads = (0..count).map(|index| {
            let name = format!("workload-{:0width$}", index + 1);
            let mut spec = cluster(&name, "4.2.1", IDLE_FLEET_KUBERNETES[index % 3]);
            spec.previous = vec!["4.1.5".into()];
            spec
        });
        Scenario {
            clusters: std::iter::once(global).chain(workloads).collect(),
            manifests: ["4.1.5", "4.2.1", "4.3.0"]
                .iter()
                .map(|version| ManifestSpec::version(version))
                .collect(),
            ..Scenario::empty()
        }
    }

    /// Add faults to the clusters they name (`--cluster-fault`: a name or a glob). A fault
    /// that matches no cluster of the scenario is an error that lists some of the names.
    pub fn add_cluster_faults(&mut self, faults: &[ClusterFault]) -> anyhow::Result<()> {
        for fault in faults {
            let mut matched = 0;
            for cluster in &mut self.clusters {
                if fault.matches(&cluster.name) {
                    cluster.faults.push(fault.kind.clone());
                    matched += 1;
                }
            }
            if matched == 0 {
                let mut known: Vec<&str> = self
                    .clusters
                    .iter()
                    .map(|cluster| cluster.name.as_str())
                    .take(6)
                    .collect();
                if self.clusters.len() > known.len() {
                    known.push("…");
                }
                bail!(
                    "--cluster-fault {}={}: {:?} matches no cluster of the scenario (clusters: {})",
                    fault.pattern,
                    fault.kind,
                    fault.pattern,
                    known.join(", ")
                );
            }
        }
        Ok(())
    }

    /// Parse and check a scenario file.
    pub fn from_yaml(text: &str) -> anyhow::Result<Scenario> {
        let s: Scenario = serde_saphyr::from_str(text).context("parsing the scenario YAML")?;
        s.check()?;
        Ok(s)
    }

    /// Consistency checks (names, versions, references).
    pub fn check(&self) -> anyhow::Result<()> {
        if let Some(start) = &self.start {
            start
                .parse::<Timestamp>()
                .with_context(|| format!("start: {start:?} is not an RFC 3339 time"))?;
        }
        let names = self.check_clusters()?;
        if !self.clusters.is_empty() && !names.contains("global") {
            bail!("a scenario with clusters needs one named \"global\"");
        }
        self.check_failures(&names)?;
        let mut machines = BTreeSet::new();
        for machine in self.machines.iter().flatten() {
            if !valid_name(&machine.name) {
                bail!("machines: {:?} is not a valid name", machine.name);
            }
            if !machines.insert(machine.name.as_str()) {
                bail!("machines: {:?} is listed twice", machine.name);
            }
            if machine.phase.trim().is_empty() {
                bail!("machines: {:?} needs a phase", machine.name);
            }
        }
        if self.standby.is_some() {
            if !names.contains("global") {
                bail!("standby: the scenario needs a global cluster to have a standby");
            }
            self.standby_scenario().check().context("standby")?;
        }
        for rp in &self.resource_patches {
            if !valid_name(&rp.name) {
                bail!("resourcePatches: {:?} is not a valid name", rp.name);
            }
        }
        for manifest in &self.manifests {
            if manifest.version.is_some() == manifest.image.is_some() {
                bail!("manifests: give exactly one of version or image ({manifest:?})");
            }
            if let Some(release) = &manifest.version
                && version::parse(release).is_none()
            {
                bail!("manifests: {release:?} is not a version");
            }
        }
        Ok(())
    }

    /// Cluster names are valid and unique, versions parse, requests are well-formed; the
    /// names, for the references that follow.
    fn check_clusters(&self) -> anyhow::Result<BTreeSet<&str>> {
        let mut names = BTreeSet::new();
        for cluster in &self.clusters {
            if !valid_name(&cluster.name) {
                bail!(
                    "cluster {:?}: not a valid name (lowercase RFC 1123)",
                    cluster.name
                );
            }
            if !names.insert(cluster.name.as_str()) {
                bail!("cluster {:?} is listed twice", cluster.name);
            }
            for release in std::iter::once(&cluster.version)
                .chain(cluster.previous.iter())
                .chain(cluster.target.iter())
            {
                if version::parse(release).is_none() {
                    bail!("cluster {:?}: {release:?} is not a version", cluster.name);
                }
            }
            if cluster.target.is_some() && cluster.target_image.is_some() {
                bail!(
                    "cluster {:?}: give target or targetImage, not both",
                    cluster.name
                );
            }
            if let Some(kubernetes) = &cluster.kubernetes_version
                && !version::is_kubernetes_version(kubernetes)
            {
                bail!(
                    "cluster {:?}: kubernetesVersion {kubernetes:?} is not a Kubernetes version (like 1.32.6)",
                    cluster.name
                );
            }
            if !seconds_in_range(cluster.requested_ago) {
                bail!(
                    "cluster {:?}: requestedAgo must be a number of seconds from 0 to ten years",
                    cluster.name
                );
            }
        }
        Ok(names)
    }

    /// Scripted failures name known operations and clusters, with sensible times.
    fn check_failures(&self, names: &BTreeSet<&str>) -> anyhow::Result<()> {
        let known_ops = operation_names();
        let op_ok = |op: &str| {
            known_ops
                .iter()
                .any(|(stage, name)| op == *name || op == format!("{stage}/{name}"))
        };
        let all_op_failures = self.operation_failures.iter().chain(
            self.clusters
                .iter()
                .flat_map(|cluster| cluster.operation_failures.iter()),
        );
        let seconds_ok = |secs: Option<f64>| secs.is_none_or(seconds_in_range);
        for failure in self.preflight_failures.iter().chain(
            self.clusters
                .iter()
                .flat_map(|cluster| cluster.preflight_failures.iter()),
        ) {
            if !seconds_ok(failure.clears_after) {
                bail!(
                    "preflightFailures: clearsAfter must be a number of seconds from 0 to ten years"
                );
            }
        }
        for failure in all_op_failures {
            if !seconds_ok(failure.after) || !seconds_ok(failure.recover_after) {
                bail!(
                    "operationFailures: after and recoverAfter must be numbers of seconds from 0 to ten years"
                );
            }
            if !op_ok(&failure.operation) {
                bail!(
                    "operationFailures: unknown operation {:?} (known: {})",
                    failure.operation,
                    known_ops
                        .iter()
                        .map(|(stage, name)| format!("{stage}/{name}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        for failure in &self.preflight_failures {
            if let Some(cluster) = &failure.cluster
                && !names.contains(cluster.as_str())
            {
                bail!("preflightFailures: unknown cluster {cluster:?}");
            }
        }
        for failure in &self.operation_failures {
            if let Some(cluster) = &failure.cluster
                && !names.contains(cluster.as_str())
            {
                bail!("operationFailures: unknown cluster {cluster:?}");
            }
        }
        Ok(())
    }

    pub fn start_time(&self) -> Timestamp {
        self.start
            .as_deref()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(default_start)
    }

    /// What the controller needs from the scenario.
    pub fn controller_config(&self) -> ControllerConfig {
        let mut cfg = ControllerConfig::default();
        for c in &self.clusters {
            for fault in &c.faults {
                let cluster = Some(c.name.clone());
                match fault {
                    ClusterFaultKind::Stall { operation } => {
                        cfg.operation_failures.push(OperationFailure {
                            cluster,
                            operation: operation.clone(),
                            message: Some(format!(
                                "{operation} did not finish: injected fault (stall) of {}",
                                c.name
                            )),
                            after: None,
                            recover_after: None,
                        })
                    }
                    ClusterFaultKind::Preflight { check } => {
                        cfg.preflight_failures.push(PreflightFailure {
                            cluster,
                            check: check.clone(),
                            reason: Some("InjectedFault".into()),
                            message: Some(format!(
                                "{check} failed for {}: injected fault (preflight={check})",
                                c.name
                            )),
                            target: None,
                            clears_after: None,
                        })
                    }
                    ClusterFaultKind::Degrade => {
                        cfg.degraded.insert(c.name.clone());
                    }
                }
            }
            for f in &c.preflight_failures {
                cfg.preflight_failures.push(PreflightFailure {
                    cluster: Some(c.name.clone()),
                    ..f.clone()
                });
            }
            for f in &c.operation_failures {
                cfg.operation_failures.push(OperationFailure {
                    cluster: Some(c.name.clone()),
                    ..f.clone()
                });
            }
        }
        cfg.preflight_failures
            .extend(self.preflight_failures.iter().cloned());
        cfg.operation_failures
            .extend(self.operation_failures.iter().cloned());
        cfg
    }
}

#[cfg(test)]
mod tests;
