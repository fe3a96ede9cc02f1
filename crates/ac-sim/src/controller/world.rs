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

impl World {
    pub fn read(store: &Store) -> World {
        let (manifests, _) = store.list(&PDMAN, None);
        let (patches, _) = store.list(&RESOURCEPATCHES, None);
        World {
            global_version: store
                .get(&CVSH, Some(NAMESPACE), "global")
                .and_then(|global| text_at(&global.value(), "/status/current/version")),
            manifests: manifests
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
                .collect(),
            patches: patches
                .iter()
                .map(|stored| (stored, stored.value()))
                .map(|(stored, patch)| Patch {
                    name: stored.name().to_string(),
                    cluster: text_at(&patch, "/spec/clusterName"),
                    exempt_for: patch
                        .pointer("/metadata/annotations")
                        .and_then(|annotations| annotations.get(EXEMPT_ANNOTATION))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
                .collect(),
            disabled: data(store, "cvo-config")
                .get("preflight")
                .map(|text| parse_disabled(text))
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
