//! The resource types the simulator serves, and builders of the platform objects tests put.

use serde_json::{Value, json};

/// A served resource type (what discovery advertises and the store keys on).
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub list_kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    /// A custom resource with a `status` subresource: writes through the main resource keep
    /// the stored status; `metadata.generation` counts spec changes.
    pub status_subresource: bool,
}

/// Verbs every served type supports.
pub const VERBS: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];

/// The API group of the ACP resources.
pub const ACP_GROUP: &str = "config.alauda.io";

/// The API group assumed for ResourcePatch (the real one is not public; see docs/sim.md).
pub const RESOURCEPATCH_GROUP: &str = "config.cpaas.io";

/// The namespace the ACP objects live in.
pub const NAMESPACE: &str = "cpaas-system";

/// The annotation that exempts a ResourcePatch from blocking an upgrade to the version it
/// names (`ResourcePatchUpgradeable`).
pub const EXEMPT_ANNOTATION: &str = "config.cpaas.io/exempt-for-ver";

pub static CVSH: ResourceType = ResourceType {
    group: ACP_GROUP,
    version: "v1",
    plural: "clusterversionshadows",
    singular: "clusterversionshadow",
    kind: "ClusterVersionShadow",
    list_kind: "ClusterVersionShadowList",
    namespaced: true,
    short_names: &["cvsh"],
    categories: &["all", "acp", "upgrade"],
    status_subresource: true,
};

pub static PDMAN: ResourceType = ResourceType {
    group: ACP_GROUP,
    version: "v1",
    plural: "productmanifests",
    singular: "productmanifest",
    kind: "ProductManifest",
    list_kind: "ProductManifestList",
    namespaced: false,
    short_names: &["pdman"],
    categories: &["acp", "upgrade"],
    status_subresource: true,
};

pub static CONFIGMAPS: ResourceType = ResourceType {
    group: "",
    version: "v1",
    plural: "configmaps",
    singular: "configmap",
    kind: "ConfigMap",
    list_kind: "ConfigMapList",
    namespaced: true,
    short_names: &["cm"],
    categories: &[],
    status_subresource: false,
};

pub static RESOURCEPATCHES: ResourceType = ResourceType {
    group: RESOURCEPATCH_GROUP,
    version: "v1",
    plural: "resourcepatches",
    singular: "resourcepatch",
    kind: "ResourcePatch",
    list_kind: "ResourcePatchList",
    namespaced: false,
    short_names: &[],
    categories: &["acp"],
    status_subresource: false,
};

/// The API group of the platform's own resources (Cluster, Machine), from TKEStack.
pub const PLATFORM_GROUP: &str = "platform.tkestack.io";

/// `clusters.platform.tkestack.io`: one per ACP cluster, named like its cvsh;
/// `spec.version` / `status.version` is its Kubernetes version.
pub static CLUSTERS: ResourceType = ResourceType {
    group: PLATFORM_GROUP,
    version: "v1",
    plural: "clusters",
    singular: "cluster",
    kind: "Cluster",
    list_kind: "ClusterList",
    namespaced: false,
    short_names: &[],
    categories: &["platform"],
    status_subresource: true,
};

/// `machines.platform.tkestack.io`: the global cluster's nodes.
pub static MACHINES: ResourceType = ResourceType {
    group: PLATFORM_GROUP,
    version: "v1",
    plural: "machines",
    singular: "machine",
    kind: "Machine",
    list_kind: "MachineList",
    namespaced: false,
    short_names: &[],
    categories: &["platform"],
    status_subresource: true,
};

pub static ALL: [&ResourceType; 6] = [
    &CVSH,
    &PDMAN,
    &CONFIGMAPS,
    &RESOURCEPATCHES,
    &CLUSTERS,
    &MACHINES,
];

impl ResourceType {
    /// `v1` or `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `name.group`, or `name` alone for the core group.
    fn with_group(&self, name: &str) -> String {
        if self.group.is_empty() {
            name.to_string()
        } else {
            format!("{name}.{}", self.group)
        }
    }

    /// `clusterversionshadows.config.alauda.io`, or `configmaps` for the core group.
    pub fn qualified(&self) -> String {
        self.with_group(self.plural)
    }

    /// `ClusterVersionShadow.config.alauda.io`, or `ConfigMap` for the core group.
    pub fn group_kind(&self) -> String {
        self.with_group(self.kind)
    }

    /// Whether this type counts `metadata.generation` (custom resources do; ConfigMaps not).
    pub fn has_generation(&self) -> bool {
        !self.group.is_empty()
    }
}

/// Look a type up by group, version and plural (as in a request path).
pub fn by_path(group: &str, version: &str, plural: &str) -> Option<&'static ResourceType> {
    ALL.iter()
        .copied()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// Look a type up by plural, singular or short name (as the library API takes it).
pub fn by_name(name: &str) -> Option<&'static ResourceType> {
    let n = name.to_ascii_lowercase();
    ALL.iter().copied().find(|r| {
        r.plural == n
            || r.singular == n
            || r.short_names.contains(&n.as_str())
            || r.qualified() == n
    })
}

/// Look a type up by an object's `apiVersion` and `kind`.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceType> {
    ALL.iter()
        .copied()
        .find(|r| r.api_version() == api_version && r.kind == kind)
}

/// The API groups served (besides the core group), in discovery order.
pub fn groups() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in ALL.iter() {
        if !r.group.is_empty() && !out.contains(&r.group) {
            out.push(r.group);
        }
    }
    out
}

/// A `clusters.platform.tkestack.io` Cluster as the platform keeps it: Kubernetes version
/// `kubernetes` in `spec.version` and `status.version`, `status.phase` (`Running`, …).
pub fn cluster_object(name: &str, kubernetes: &str, phase: &str) -> Value {
    json!({
        "apiVersion": CLUSTERS.api_version(), "kind": CLUSTERS.kind,
        "metadata": {"name": name},
        "spec": {"displayName": name, "type": "Baremetal", "version": kubernetes},
        "status": {"phase": phase, "version": kubernetes},
    })
}

/// A `machines.platform.tkestack.io` Machine (a node of the global cluster) in `phase`
/// (`Running`, `Failed`, …).
pub fn machine_object(name: &str, ip: &str, phase: &str) -> Value {
    json!({
        "apiVersion": MACHINES.api_version(), "kind": MACHINES.kind,
        "metadata": {"name": name},
        "spec": {"clusterName": "global", "type": "Baremetal", "ip": ip},
        "status": {"phase": phase},
    })
}

/// A ConfigMap in `cpaas-system` (`cvo-config`, `admin-gates`, `admin-acks`); no `data` when
/// `data` is empty.
pub fn configmap_object<'a>(
    name: &str,
    data: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Value {
    let data: serde_json::Map<String, Value> = data
        .into_iter()
        .map(|(key, value)| (key.to_string(), Value::String(value.to_string())))
        .collect();
    let mut object = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": NAMESPACE},
    });
    if !data.is_empty() {
        object["data"] = Value::Object(data);
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(by_name("cvsh"), Some(&CVSH));
        assert_eq!(by_name("productmanifests"), Some(&PDMAN));
        assert_eq!(by_kind("v1", "ConfigMap"), Some(&CONFIGMAPS));
        assert_eq!(
            by_path("config.cpaas.io", "v1", "resourcepatches"),
            Some(&RESOURCEPATCHES)
        );
        assert_eq!(CVSH.qualified(), "clusterversionshadows.config.alauda.io");
        assert_eq!(
            groups(),
            vec![
                "config.alauda.io",
                "config.cpaas.io",
                "platform.tkestack.io"
            ]
        );
        assert_eq!(by_name("clusters.platform.tkestack.io"), Some(&CLUSTERS));
        assert_eq!(
            by_kind("platform.tkestack.io/v1", "Machine"),
            Some(&MACHINES)
        );
        let cluster = cluster_object("workload-c", "1.30.14", "Running");
        assert_eq!(cluster["status"]["version"], "1.30.14");
        assert!(configmap_object("admin-acks", []).get("data").is_none());
    }
}
