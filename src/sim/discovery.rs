//! Legacy discovery documents and `/version`: enough for kubectl to resolve `cvsh`, `pdman`,
//! `cm` and `resourcepatches`.

use serde_json::{Value, json};

use super::resources::{self, ALL, ResourceType, VERBS};

pub const KUBERNETES_VERSION: &str = "v1.31.4";

pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "31",
        "gitVersion": KUBERNETES_VERSION,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let l = api_resource_list("config.alauda.io", "v1", true).unwrap();
        let names: Vec<&str> = l["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
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
        assert_eq!(l["resources"][0]["shortNames"], json!(["cvsh"]));
        assert!(api_resource_list("config.alauda.io", "v1", false).is_none());
        assert_eq!(
            api_resource_list("", "v1", false).unwrap()["resources"],
            json!([])
        );
        assert_eq!(api_group_list(true)["groups"].as_array().unwrap().len(), 2);
        assert!(api_group("nope.io").is_none());
    }
}
