//! What the controller reads besides the cluster's own object: release metadata,
//! ResourcePatches, the cvo-config / admin-gates / admin-acks config maps, the platform's
//! Cluster and Machine objects, and the global cluster's version.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::resources::{
    CLUSTERS, CONFIGMAPS, CVSH, EXEMPT_ANNOTATION, MACHINES, NAMESPACE, PDMAN, RESOURCEPATCHES,
};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Manifest {
    pub name: String,
    pub version: Option<String>,
    pub image: Option<String>,
    pub ready: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Patch {
    pub name: String,
    /// `spec.clusterName`: the cluster whose upgrades this ResourcePatch blocks.
    pub cluster: Option<String>,
    /// The `config.cpaas.io/exempt-for-ver` annotation.
    pub exempt_for: Option<String>,
}

/// A `clusters.platform.tkestack.io` object as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PlatformCluster {
    /// The Kubernetes version it runs: `status.version`, else `spec.version`.
    pub kubernetes: Option<String>,
    /// `status.phase` (`Running`, `Upgrading`, `Failed`, …).
    pub phase: Option<String>,
}

impl PlatformCluster {
    pub fn from_value(object: &Value) -> PlatformCluster {
        PlatformCluster {
            kubernetes: text_at(object, "/status/version")
                .or_else(|| text_at(object, "/spec/version")),
            phase: text_at(object, "/status/phase"),
        }
    }
}

/// A `machines.platform.tkestack.io` object: a node of the global cluster.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Machine {
    pub name: String,
    pub phase: Option<String>,
}

/// The Cluster objects as last read (a fleet has thousands, and the controller reads its
/// inputs at every tick): reused while no Cluster changed, and each object parsed again only
/// when its own resourceVersion changed.
#[derive(Debug, Default)]
pub struct PlatformCache {
    /// [`Store::changed_at`] of the Clusters when `clusters` was built.
    rv: u64,
    clusters: Arc<BTreeMap<String, PlatformCluster>>,
    parsed: HashMap<String, (u64, PlatformCluster)>,
}

impl PlatformCache {
    fn read(&mut self, store: &Store) -> (u64, Arc<BTreeMap<String, PlatformCluster>>) {
        let changed = store.changed_at(&CLUSTERS);
        if changed == self.rv && changed != 0 {
            return (self.rv, self.clusters.clone());
        }
        let (stored, _) = store.list(&CLUSTERS, None);
        if self.parsed.len() > stored.len() {
            let names: BTreeSet<&str> = stored.iter().map(|object| object.name()).collect();
            self.parsed.retain(|name, _| names.contains(name.as_str()));
        }
        let mut clusters = BTreeMap::new();
        for object in &stored {
            let name = object.name().to_string();
            let parsed = match self.parsed.get(&name) {
                Some((rv, parsed)) if *rv == object.rv => parsed.clone(),
                _ => {
                    let parsed = PlatformCluster::from_value(&object.value());
                    self.parsed
                        .insert(name.clone(), (object.rv, parsed.clone()));
                    parsed
                }
            };
            clusters.insert(name, parsed);
        }
        // What was read is at least as new as `changed` (read before the list).
        self.rv = changed;
        self.clusters = Arc::new(clusters);
        (self.rv, self.clusters.clone())
    }
}

/// A snapshot of the controller's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct World {
    pub global_version: Option<String>,
    pub manifests: Vec<Manifest>,
    /// ResourcePatches by the cluster they block (`spec.clusterName`); one without a cluster
    /// blocks nothing and is not kept.
    pub patches: BTreeMap<String, Vec<Patch>>,
    pub disabled: BTreeSet<String>,
    pub gates: BTreeMap<String, String>,
    pub acks: BTreeMap<String, String>,
    /// The platform's Cluster objects by name.
    pub clusters: Arc<BTreeMap<String, PlatformCluster>>,
    /// When a Cluster object last changed: global's fingerprint hashes this instead of
    /// `clusters`.
    pub clusters_rv: u64,
    /// The global cluster's Machines, by name.
    pub machines: Vec<Machine>,
    /// [`World::shared_fingerprint`], kept by [`WorldCache`] (0 in a World built by hand).
    pub shared: u64,
}

impl World {
    /// A fingerprint of what every cluster's reconcile reads: global's version, the release
    /// metadata, disabled checks, admin gates and acks. When it changes, every cluster is
    /// looked at again (offers, gates, checks).
    pub fn shared_fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.global_version.hash(&mut hasher);
        self.manifests.hash(&mut hasher);
        self.disabled.hash(&mut hasher);
        self.gates.hash(&mut hasher);
        self.acks.hash(&mut hasher);
        hasher.finish()
    }

    /// A fingerprint of everything one cluster's reconcile reads: the shared part, its own
    /// ResourcePatches and Cluster object, and for global every Cluster and Machine (its
    /// `KubernetesVersionSupported` and `ClusterRunning` judge them).
    pub fn fingerprint_for(&self, cluster: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.shared.hash(&mut hasher);
        self.patches.get(cluster).hash(&mut hasher);
        self.clusters.get(cluster).hash(&mut hasher);
        if cluster == "global" {
            self.clusters_rv.hash(&mut hasher);
            self.machines.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The ResourcePatches that block `cluster`.
    pub fn patches_of(&self, cluster: &str) -> &[Patch] {
        self.patches.get(cluster).map_or(&[], Vec::as_slice)
    }
}

/// The non-empty string at a JSON pointer.
fn text_at(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn data(store: &Store, name: &str) -> BTreeMap<String, String> {
    store
        .get(&CONFIGMAPS, Some(NAMESPACE), name)
        .and_then(|cm| cm.value().get("data").and_then(Value::as_object).cloned())
        .map(|m| {
            m.into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// `cvo-config` `data.preflight`: YAML `disabled: [CheckName, …]`. Unparseable text
/// disables nothing.
pub fn parse_disabled(text: &str) -> BTreeSet<String> {
    #[derive(Deserialize)]
    struct Preflight {
        #[serde(default)]
        disabled: Option<Vec<String>>,
    }
    serde_saphyr::from_str::<Preflight>(text)
        .ok()
        .and_then(|p| p.disabled)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// Whether a ProductManifest's Ready condition is True.
pub fn manifest_ready(v: &Value) -> bool {
    v.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("Ready")
                    && c.get("status").and_then(Value::as_str) == Some("True")
            })
        })
}

/// The resourceVersions a [`WorldCache`] was built at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Seen {
    manifests: u64,
    patches: u64,
    machines: u64,
    configmaps: u64,
    clusters: u64,
    global: u64,
}

/// The controller's inputs as last read: each part is read again only when an object of its
/// type changed ([`Store::changed_at`]), so a tick where only some clusters' own objects
/// changed costs nothing here, whatever the size of the fleet.
#[derive(Debug, Default)]
pub struct WorldCache {
    seen: Option<Seen>,
    world: Arc<World>,
    platform: PlatformCache,
}

impl WorldCache {
    /// The inputs now.
    pub fn read(&mut self, store: &Store) -> Arc<World> {
        let global = store.get(&CVSH, Some(NAMESPACE), "global");
        let now = Seen {
            manifests: store.changed_at(&PDMAN),
            patches: store.changed_at(&RESOURCEPATCHES),
            machines: store.changed_at(&MACHINES),
            configmaps: store.changed_at(&CONFIGMAPS),
            clusters: store.changed_at(&CLUSTERS),
            global: global.as_ref().map_or(0, |global| global.rv),
        };
        let old = self.seen;
        if old == Some(now) {
            return self.world.clone();
        }
        let stale = |part: fn(&Seen) -> u64| old.is_none_or(|old| part(&old) != part(&now));
        let mut world = (*self.world).clone();
        if stale(|seen| seen.global) {
            world.global_version =
                global.and_then(|global| text_at(&global.value(), "/status/current/version"));
        }
        if stale(|seen| seen.manifests) {
            let (manifests, _) = store.list(&PDMAN, None);
            world.manifests = manifests
                .iter()
                .map(|stored| {
                    let manifest = stored.value();
                    Manifest {
                        name: stored.name().to_string(),
                        version: text_at(&manifest, "/spec/version"),
                        image: text_at(&manifest, "/spec/image"),
                        ready: manifest_ready(&manifest),
                    }
                })
                .collect();
        }
        if stale(|seen| seen.patches) {
            let (patches, _) = store.list(&RESOURCEPATCHES, None);
            let mut by_cluster: BTreeMap<String, Vec<Patch>> = BTreeMap::new();
            for stored in &patches {
                let patch = stored.value();
                let Some(cluster) = text_at(&patch, "/spec/clusterName") else {
                    continue;
                };
                by_cluster.entry(cluster.clone()).or_default().push(Patch {
                    name: stored.name().to_string(),
                    cluster: Some(cluster),
                    exempt_for: patch
                        .pointer("/metadata/annotations")
                        .and_then(|annotations| annotations.get(EXEMPT_ANNOTATION))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            }
            world.patches = by_cluster;
        }
        if stale(|seen| seen.machines) {
            let (machines, _) = store.list(&MACHINES, None);
            world.machines = machines
                .iter()
                .map(|stored| Machine {
                    name: stored.name().to_string(),
                    phase: text_at(&stored.value(), "/status/phase"),
                })
                .collect();
        }
        if stale(|seen| seen.configmaps) {
            world.disabled = data(store, "cvo-config")
                .get("preflight")
                .map(|text| parse_disabled(text))
                .unwrap_or_default();
            world.gates = data(store, "admin-gates");
            world.acks = data(store, "admin-acks");
        }
        if stale(|seen| seen.clusters) {
            let (clusters_rv, clusters) = self.platform.read(store);
            world.clusters = clusters;
            world.clusters_rv = clusters_rv;
        }
        world.shared = world.shared_fingerprint();
        self.seen = Some(now);
        self.world = Arc::new(world);
        self.world.clone()
    }
}

impl World {
    /// Every input read afresh (tests; the controller keeps a [`WorldCache`]).
    pub fn read(store: &Store) -> World {
        (*WorldCache::default().read(store)).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_checks() {
        assert!(parse_disabled("disabled: []\n").is_empty());
        let d = parse_disabled("disabled:\n  - ResourcePatchUpgradeable\n  - VersionUpgradePath\n");
        assert!(d.contains("ResourcePatchUpgradeable") && d.contains("VersionUpgradePath"));
        assert!(parse_disabled("::: not yaml").is_empty());
        assert!(parse_disabled("").is_empty());
    }
}
