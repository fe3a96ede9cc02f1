//! The resource types the simulator serves.

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

pub static ALL: [&ResourceType; 4] = [&CVSH, &PDMAN, &CONFIGMAPS, &RESOURCEPATCHES];

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
        assert_eq!(groups(), vec!["config.alauda.io", "config.cpaas.io"]);
    }
}
