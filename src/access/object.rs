//! The objects `ac` reads, as kube's typed `Api` sees them: the raw JSON the server sent (kept
//! whole for `-o json|yaml` and read through the lenient domain views) with the few metadata
//! fields the client needs. Deserializing never fails on an object's content.

use std::borrow::Cow;

use kube::core::{ApiResource, DynamicResourceScope, GroupVersionKind, ObjectMeta, Resource};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The namespace of the ACP objects on the global cluster.
pub const NAMESPACE: &str = "cpaas-system";

fn resource(group: &str, kind: &str, plural: &str) -> ApiResource {
    let gvk = GroupVersionKind::gvk(group, "v1", kind);
    ApiResource::from_gvk_with_plural(&gvk, plural)
}

/// `clusterversionshadows.config.alauda.io/v1` (namespaced, one per cluster).
pub fn cvsh_resource() -> ApiResource {
    resource(
        "config.alauda.io",
        "ClusterVersionShadow",
        "clusterversionshadows",
    )
}

/// `productmanifests.config.alauda.io/v1` (cluster-scoped).
pub fn pdman_resource() -> ApiResource {
    resource("config.alauda.io", "ProductManifest", "productmanifests")
}

/// `clusters.platform.tkestack.io/v1`: one per ACP cluster, with its Kubernetes version.
pub fn platform_cluster_resource() -> ApiResource {
    resource("platform.tkestack.io", "Cluster", "clusters")
}

/// `machines.platform.tkestack.io/v1`: the global cluster's nodes.
pub fn machine_resource() -> ApiResource {
    resource("platform.tkestack.io", "Machine", "machines")
}

/// `resourcepatches.config.cpaas.io/v1` (RPCH).
pub fn resource_patch_resource() -> ApiResource {
    resource("config.cpaas.io", "ResourcePatch", "resourcepatches")
}

/// Core `configmaps/v1` (namespaced).
pub fn configmap_resource() -> ApiResource {
    resource("", "ConfigMap", "configmaps")
}

/// `plural.group` of a resource, as messages name it.
pub fn qualified(resource: &ApiResource) -> String {
    if resource.group.is_empty() {
        resource.plural.clone()
    } else {
        format!("{}.{}", resource.plural, resource.group)
    }
}

/// An object exactly as the server sent it.
#[derive(Debug, Clone)]
pub struct RawObject {
    metadata: ObjectMeta,
    pub value: Value,
}

impl RawObject {
    pub fn new(value: Value) -> RawObject {
        RawObject {
            metadata: lenient_meta(&value),
            value,
        }
    }

    pub fn into_value(self) -> Value {
        self.value
    }
}

/// Name, namespace, resourceVersion and generation, read field by field: a wrong type in the
/// server's metadata must not make the whole object unreadable.
fn lenient_meta(value: &Value) -> ObjectMeta {
    let meta = value.get("metadata");
    let text = |key: &str| {
        meta.and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    ObjectMeta {
        name: text("name"),
        namespace: text("namespace"),
        resource_version: text("resourceVersion"),
        generation: meta
            .and_then(|m| m.get("generation"))
            .and_then(Value::as_i64),
        ..ObjectMeta::default()
    }
}

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(RawObject::new)
    }
}

impl Serialize for RawObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl Resource for RawObject {
    type DynamicType = ApiResource;
    type Scope = DynamicResourceScope;

    fn kind(dt: &ApiResource) -> Cow<'_, str> {
        dt.kind.as_str().into()
    }
    fn group(dt: &ApiResource) -> Cow<'_, str> {
        dt.group.as_str().into()
    }
    fn version(dt: &ApiResource) -> Cow<'_, str> {
        dt.version.as_str().into()
    }
    fn api_version(dt: &ApiResource) -> Cow<'_, str> {
        dt.api_version.as_str().into()
    }
    fn plural(dt: &ApiResource) -> Cow<'_, str> {
        dt.plural.as_str().into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_metadata_is_tolerated_and_the_object_kept_whole() {
        let v =
            json!({"metadata": {"name": "global", "generation": "x", "labels": 3}, "spec": null});
        let o: RawObject = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(o.meta().name.as_deref(), Some("global"));
        assert_eq!(o.meta().generation, None);
        assert_eq!(serde_json::to_value(&o).unwrap(), v);
        let o: RawObject = serde_json::from_value(json!([1, 2])).unwrap();
        assert_eq!(o.meta().name, None);
    }

    #[test]
    fn qualified_names_and_paths() {
        assert_eq!(
            qualified(&cvsh_resource()),
            "clusterversionshadows.config.alauda.io"
        );
        assert_eq!(qualified(&configmap_resource()), "configmaps");
        assert_eq!(
            RawObject::url_path(&configmap_resource(), Some(NAMESPACE)),
            "/api/v1/namespaces/cpaas-system/configmaps"
        );
        assert_eq!(
            RawObject::url_path(&machine_resource(), None),
            "/apis/platform.tkestack.io/v1/machines"
        );
    }
}
