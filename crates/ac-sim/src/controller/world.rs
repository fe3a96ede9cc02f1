//! What the controller reads besides the cluster's own object: release metadata,
//! ResourcePatches, the cvo-config / admin-gates / admin-acks config maps, and the global
//! cluster's version.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use crate::resources::{CONFIGMAPS, CVSH, EXEMPT_ANNOTATION, NAMESPACE, PDMAN, RESOURCEPATCHES};
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

/// A snapshot of the controller's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct World {
    pub global_version: Option<String>,
    pub manifests: Vec<Manifest>,
    pub patches: Vec<Patch>,
    pub disabled: BTreeSet<String>,
    pub gates: BTreeMap<String, String>,
    pub acks: BTreeMap<String, String>,
}

fn s(v: &Value, ptr: &str) -> Option<String> {
    v.pointer(ptr)
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

impl World {
    pub fn read(store: &Store) -> World {
        let (pms, _) = store.list(&PDMAN, None);
        let (rps, _) = store.list(&RESOURCEPATCHES, None);
        World {
            global_version: store
                .get(&CVSH, Some(NAMESPACE), "global")
                .and_then(|g| s(&g.value(), "/status/current/version")),
            manifests: pms
                .iter()
                .map(|stored| {
                    let p = stored.value();
                    Manifest {
                        name: stored.name().to_string(),
                        version: s(&p, "/spec/version"),
                        image: s(&p, "/spec/image"),
                        ready: manifest_ready(&p),
                    }
                })
                .collect(),
            patches: rps
                .iter()
                .map(|stored| (stored, stored.value()))
                .map(|(stored, p)| Patch {
                    name: stored.name().to_string(),
                    cluster: s(&p, "/spec/clusterName"),
                    exempt_for: p
                        .pointer("/metadata/annotations")
                        .and_then(|a| a.get(EXEMPT_ANNOTATION))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
                .collect(),
            disabled: data(store, "cvo-config")
                .get("preflight")
                .map(|t| parse_disabled(t))
                .unwrap_or_default(),
            gates: data(store, "admin-gates"),
            acks: data(store, "admin-acks"),
        }
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
