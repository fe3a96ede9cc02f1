//! Legacy discovery documents and `/version`: enough for kubectl to resolve `cvsh`, `pdman`,
//! `cm`, `resourcepatches`, `clusters.platform.tkestack.io` and `machines.platform.tkestack.io`.

use serde_json::{Value, json};

use crate::resources::{self, ALL, ResourceType, VERBS};

/// The `/version` of a cluster without a Kubernetes version of its own (and of the OpenAPI
/// documents).
pub const KUBERNETES_VERSION: &str = "v1.31.4";

/// `/version` of a cluster running Kubernetes `kubernetes` (`1.32.6` or `v1.32.6`).
pub fn version(kubernetes: &str) -> Value {
    let bare = kubernetes.trim().trim_start_matches('v');
    let mut parts = bare.split('.');
    let major = parts.next().unwrap_or("1");
    let minor = parts.next().unwrap_or("");
    json!({
        "major": major,
        "minor": minor,
        "gitVersion": format!("v{bare}"),
        "gitCommit": "a78aa47129b8539636eb86a9d00e31b2720fe06b",
        "gitTreeState": "clean",
        "buildDate": "2024-12-10T11:36:17Z",
        "goVersion": "go1.22.9",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

pub fn api_versions(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]
    })
}

fn group_doc(group: &str) -> Value {
    let gv = json!({"groupVersion": format!("{group}/v1"), "version": "v1"});
    json!({"name": group, "versions": [gv.clone()], "preferredVersion": gv})
}

/// `/apis`: the groups served on this cluster (none on workload clusters).
pub fn api_group_list(global: bool) -> Value {
    let groups: Vec<Value> = if global {
        resources::groups().into_iter().map(group_doc).collect()
    } else {
        Vec::new()
    };
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `/apis/<group>`.
pub fn api_group(group: &str) -> Option<Value> {
    resources::groups().contains(&group).then(|| {
        let mut g = group_doc(group);
        if let Some(m) = g.as_object_mut() {
            m.insert("kind".into(), "APIGroup".into());
            m.insert("apiVersion".into(), "v1".into());
        }
        g
    })
}

fn resource_doc(rt: &ResourceType) -> Vec<Value> {
    let mut main = json!({
        "name": rt.plural,
        "singularName": rt.singular,
        "namespaced": rt.namespaced,
        "kind": rt.kind,
        "verbs": VERBS,
    });
    if let Some(m) = main.as_object_mut() {
        if !rt.short_names.is_empty() {
            m.insert("shortNames".into(), json!(rt.short_names));
        }
        if !rt.categories.is_empty() {
            m.insert("categories".into(), json!(rt.categories));
        }
    }
    let mut out = vec![main];
    if rt.status_subresource {
        out.push(json!({
            "name": format!("{}/status", rt.plural),
            "singularName": "",
            "namespaced": rt.namespaced,
            "kind": rt.kind,
            "verbs": ["get", "patch", "update"],
        }));
    }
    out
}

/// `/api/v1` or `/apis/<group>/<version>`; `None` when that group version is not served.
pub fn api_resource_list(group: &str, version: &str, global: bool) -> Option<Value> {
    let served: Vec<&ResourceType> = ALL
        .iter()
        .copied()
        .filter(|r| r.group == group && r.version == version)
        .collect();
    if served.is_empty() || (!global && !group.is_empty()) {
        return None;
    }
    let resources: Vec<Value> = if global {
        served.into_iter().flat_map(resource_doc).collect()
    } else {
        Vec::new()
    };
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv,
        "resources": resources,
    }))
}

/// `/openapi/v3`: the group versions with a document each (global only).
pub fn openapi_v3_root(global: bool) -> Value {
    let mut paths = serde_json::Map::new();
    if global {
        let mut gvs: Vec<String> = vec!["api/v1".into()];
        gvs.extend(
            resources::groups()
                .into_iter()
                .map(|g| format!("apis/{g}/v1")),
        );
        for gv in gvs {
            paths.insert(
                gv.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{gv}?hash=AC5117")}),
            );
        }
    }
    json!({"paths": paths})
}

/// `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`: a minimal OpenAPI 3 document.
/// It has no schemas; it tells kubectl that every served type accepts `fieldValidation`, so
/// kubectl leaves validation to the server instead of downloading OpenAPI v2 schemas.
pub fn openapi_v3_group_version(group: &str, version: &str) -> Option<Value> {
    let served: Vec<&ResourceType> = ALL
        .iter()
        .copied()
        .filter(|resource| resource.group == group && resource.version == version)
        .collect();
    if served.is_empty() {
        return None;
    }
    let mut paths = serde_json::Map::new();
    for rt in served {
        let prefix = if group.is_empty() {
            format!("/api/{version}")
        } else {
            format!("/apis/{group}/{version}")
        };
        let scope = if rt.namespaced {
            "/namespaces/{namespace}"
        } else {
            ""
        };
        let gvk = json!({"group": group, "version": version, "kind": rt.kind});
        let params = json!([
            {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
        ]);
        let op = |id: &str| {
            json!({
                "operationId": id,
                "parameters": params,
                "responses": {"200": {"description": "OK"}},
                "x-kubernetes-action": id,
                "x-kubernetes-group-version-kind": gvk,
            })
        };
        paths.insert(
            format!("{prefix}{scope}/{}/{{name}}", rt.plural),
            json!({"patch": op("patch"), "put": op("put"), "get": op("get")}),
        );
        paths.insert(
            format!("{prefix}{scope}/{}", rt.plural),
            json!({"post": op("post"), "get": op("list")}),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes (ac-sim)", "version": KUBERNETES_VERSION},
        "paths": paths,
        "components": {"schemas": {}},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let list = api_resource_list("config.alauda.io", "v1", true).unwrap();
        let names: Vec<&str> = list["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|resource| resource["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            vec![
                "clusterversionshadows",
                "clusterversionshadows/status",
                "productmanifests",
                "productmanifests/status"
            ]
        );
        assert_eq!(list["resources"][0]["shortNames"], json!(["cvsh"]));
        assert!(api_resource_list("config.alauda.io", "v1", false).is_none());
        assert_eq!(
            api_resource_list("", "v1", false).unwrap()["resources"],
            json!([])
        );
        assert_eq!(api_group_list(true)["groups"].as_array().unwrap().len(), 3);
        let platform = api_resource_list("platform.tkestack.io", "v1", true).unwrap();
        assert_eq!(platform["resources"][0]["name"], "clusters");
        assert_eq!(platform["resources"][0]["namespaced"], false);
        assert_eq!(platform["resources"][2]["name"], "machines");
        assert_eq!(version("1.30.14")["gitVersion"], "v1.30.14");
        assert_eq!(version("v1.32.6")["minor"], "32");
        assert!(api_group("nope.io").is_none());
        let root = openapi_v3_root(true);
        assert_eq!(
            root["paths"]["apis/config.alauda.io/v1"]["serverRelativeURL"],
            "/openapi/v3/apis/config.alauda.io/v1?hash=AC5117"
        );
        let doc = openapi_v3_group_version("config.alauda.io", "v1").unwrap();
        let patch_op = &doc["paths"]["/apis/config.alauda.io/v1/namespaces/{namespace}/clusterversionshadows/{name}"]
            ["patch"];
        assert_eq!(
            patch_op["x-kubernetes-group-version-kind"]["kind"],
            "ClusterVersionShadow"
        );
        assert!(openapi_v3_group_version("x", "v1").is_none());
    }
}
