//! How a scenario becomes the starting state: its objects, then its requests replayed through
//! the controller up to the start time.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{ClusterSpec, DAY, DEFAULT_KUBERNETES, Scenario, default_machines};
use crate::clock::{Timeline, plus, rfc3339};
use crate::controller::Controller;
use crate::controller::plan;
use crate::resources::{
    CVSH, EXEMPT_ANNOTATION, NAMESPACE, RESOURCEPATCH_GROUP, cluster_object, configmap_object,
    machine_object,
};
use crate::store::{PatchType, Store};

impl Scenario {
    /// The objects the platform starts with (before any request is replayed), dated before
    /// the scenario's start. A history entry lasts as long, in written time, as
    /// the stages of an upgrade take at the timeline's speed (7 s at speed 60, 445 s at speed
    /// 1), so that a client estimating the next upgrade from the last one gets the truth.
    pub fn base_objects(&self, timeline: &Timeline) -> Vec<Value> {
        let start = self.start_time();
        let mut out = Vec::new();
        let at = |secs_before: f64| rfc3339(plus(start, -secs_before));
        let took = timeline.written_secs(plan::stages_secs());
        for cluster in &self.clusters {
            let mut history = Vec::new();
            let mut ago = 20.0 * DAY;
            for release in std::iter::once(&cluster.version).chain(cluster.previous.iter()) {
                history.push(json!({
                    "version": release, "state": "Completed",
                    "startedTime": at(ago), "completionTime": at(ago - took),
                }));
                ago += 45.0 * DAY;
            }
            let kubernetes = cluster
                .kubernetes_version
                .as_deref()
                .unwrap_or(DEFAULT_KUBERNETES);
            let mut platform = cluster_object(&cluster.name, kubernetes, "Running");
            platform["metadata"]["creationTimestamp"] = at(ago).into();
            platform["metadata"]["generation"] = 1.into();
            out.push(platform);
            out.push(json!({
                "apiVersion": CVSH.api_version(), "kind": CVSH.kind,
                "metadata": {"name": cluster.name, "namespace": NAMESPACE, "generation": 1,
                    "creationTimestamp": at(ago)},
                "spec": {},
                "status": {
                    "current": {"version": cluster.version},
                    "desired": {"version": cluster.version},
                    "history": history,
                    "observedGeneration": 1,
                },
            }));
        }
        for (position, manifest) in self.manifests.iter().enumerate() {
            // A manifest not Ready yet was imported at the start: the controller validates it.
            let created = if manifest.ready {
                at(30.0 * DAY - position as f64 * 3.0 * DAY)
            } else {
                at(0.0)
            };
            let mut spec = serde_json::Map::new();
            if let Some(release) = &manifest.version {
                spec.insert("version".into(), release.clone().into());
            }
            if let Some(image) = &manifest.image {
                spec.insert("image".into(), image.clone().into());
            }
            let mut obj = json!({
                "apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
                "metadata": {"name": manifest.object_name(), "generation": 1, "creationTimestamp": created},
                "spec": spec,
            });
            if manifest.ready {
                let label = manifest
                    .version
                    .clone()
                    .or_else(|| manifest.image.clone())
                    .unwrap_or_default();
                obj["status"] = json!({"conditions": [{
                    "type": "Ready", "status": "True", "reason": "Validated",
                    "message": format!("Release metadata for {label} is ready"),
                    "lastTransitionTime": created,
                }], "observedGeneration": 1});
            }
            out.push(obj);
        }
        for rp in &self.resource_patches {
            let mut obj = json!({
                "apiVersion": format!("{RESOURCEPATCH_GROUP}/v1"), "kind": "ResourcePatch",
                "metadata": {"name": rp.name, "generation": 1, "creationTimestamp": at(90.0 * DAY)},
                "spec": {
                    "clusterName": rp.cluster,
                    "description": rp.description.clone().unwrap_or_else(|| format!("Local customization on cluster {}", rp.cluster)),
                },
            });
            if let Some(release) = &rp.exempt_for {
                obj["metadata"]["annotations"] = json!({EXEMPT_ANNOTATION: release});
            }
            out.push(obj);
        }
        if !self.clusters.is_empty() {
            let machines = self
                .machines
                .clone()
                .unwrap_or_else(|| default_machines("global", "192.168.10"));
            for (position, machine) in machines.iter().enumerate() {
                let ip = machine
                    .ip
                    .clone()
                    .unwrap_or_else(|| format!("192.168.10.{}", 11 + position));
                let mut object = machine_object(&machine.name, &ip, &machine.phase);
                object["metadata"]["creationTimestamp"] = at(120.0 * DAY).into();
                object["metadata"]["generation"] = 1.into();
                out.push(object);
            }
            let cm = |name: &str, data: &BTreeMap<String, String>| {
                let mut object = configmap_object(
                    name,
                    data.iter()
                        .map(|(key, value)| (key.as_str(), value.as_str())),
                );
                object["metadata"]["creationTimestamp"] = at(120.0 * DAY).into();
                object
            };
            let disabled = if self.disabled_checks.is_empty() {
                "disabled: []\n".to_string()
            } else {
                let mut text = "disabled:\n".to_string();
                for check in &self.disabled_checks {
                    text.push_str(&format!("  - {check}\n"));
                }
                text
            };
            let preflight = BTreeMap::from([("preflight".to_string(), disabled)]);
            out.push(cm("cvo-config", &preflight));
            out.push(cm("admin-gates", &self.admin_gates));
            out.push(cm("admin-acks", &self.admin_acks));
        }
        out
    }

    /// Seed `store` and replay the scripted requests through `controller`, so the platform
    /// is mid-flight at the start time (the clock is left at the start time).
    pub fn install(&self, store: &Store, controller: &mut Controller) -> anyhow::Result<()> {
        let start = self.start_time();
        let mut requests: Vec<&ClusterSpec> = self
            .clusters
            .iter()
            .filter(|cluster| cluster.target.is_some() || cluster.target_image.is_some())
            .collect();
        // Oldest request first; ties by name.
        requests.sort_by(|left, right| {
            right
                .requested_ago
                .total_cmp(&left.requested_ago)
                .then_with(|| left.name.cmp(&right.name))
        });
        let lead = requests
            .first()
            .map_or(0.0, |cluster| cluster.requested_ago);
        let clock = store.clock();
        clock.set(plus(start, -lead));
        for obj in self.base_objects(&clock.timeline()) {
            store
                .put(obj)
                .map_err(|error| anyhow::anyhow!("{}", error.message))?;
        }
        controller.step(store, clock.sim_now());
        // Requests made at the same moment are applied together, then the controller runs.
        let mut next = 0;
        while next < requests.len() {
            let ago = requests[next].requested_ago;
            let at = plus(start, -ago);
            if at > clock.sim_now() {
                clock.set(at);
                controller.step(store, at);
            }
            while next < requests.len() && requests[next].requested_ago == ago {
                let cluster = requests[next];
                next += 1;
                let mut desired = serde_json::Map::new();
                if let Some(release) = &cluster.target {
                    desired.insert("version".into(), release.clone().into());
                }
                if let Some(image) = &cluster.target_image {
                    desired.insert("image".into(), image.clone().into());
                }
                if cluster.force {
                    desired.insert("force".into(), true.into());
                }
                store
                    .patch(
                        &CVSH,
                        Some(NAMESPACE),
                        &cluster.name,
                        PatchType::Merge,
                        &json!({"spec": {"desiredUpdate": desired}}),
                        false,
                    )
                    .map_err(|error| anyhow::anyhow!("{}", error.message))?;
            }
            controller.step(store, clock.sim_now());
        }
        clock.set(start);
        controller.step(store, start);
        Ok(())
    }
}
