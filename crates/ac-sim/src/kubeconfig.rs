//! The ACP-style kubeconfig the simulator hands out (SPEC §3).

use serde_json::{Value, json};

use crate::auth::{ADMIN_USER, VIEWER_USER};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The ACP session name the simulator uses.
pub const SESSION: &str = "sim";

/// What a kubeconfig is made of.
pub struct KubeconfigInput<'a> {
    pub base_url: &'a str,
    pub ca_pem: &'a str,
    pub admin_token: &'a str,
    pub viewer_token: &'a str,
    /// `global` first, then the workload clusters.
    pub clusters: &'a [String],
    pub current_context_cluster: &'a str,
}

fn ext(value: Value) -> Value {
    json!([{"name": "acp.io/v1", "extension": value}])
}

/// The kubeconfig as a JSON value.
pub fn kubeconfig_value(input: &KubeconfigInput) -> Value {
    let ca = BASE64.encode(input.ca_pem.as_bytes());
    let clusters: Vec<Value> = input
        .clusters
        .iter()
        .map(|cluster| {
            json!({
                "name": format!("acp:{SESSION}:{cluster}"),
                "cluster": {
                    "server": format!("{}/kubernetes/{cluster}/", input.base_url),
                    "certificate-authority-data": ca,
                    "extensions": ext(json!({
                        "isGlobal": cluster == "global",
                        "platformUrl": input.base_url,
                        "sessionName": SESSION,
                        "clusterName": cluster,
                    })),
                }
            })
        })
        .collect();
    let user = |name: &str, token: &str, username: &str| {
        json!({
            "name": format!("acp:{SESSION}:{name}"),
            "user": {
                "token": token,
                "extensions": ext(json!({
                    "platformUrl": input.base_url,
                    "sessionName": SESSION,
                    "username": username,
                })),
            }
        })
    };
    let mut contexts = Vec::new();
    for cluster in input.clusters {
        contexts.push(json!({"name": format!("{SESSION}/{cluster}"), "context": {"cluster": format!("acp:{SESSION}:{cluster}"), "user": format!("acp:{SESSION}:admin")}}));
    }
    for cluster in input.clusters {
        contexts.push(json!({"name": format!("{SESSION}-viewer/{cluster}"), "context": {"cluster": format!("acp:{SESSION}:{cluster}"), "user": format!("acp:{SESSION}:viewer")}}));
    }
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": clusters,
        "users": [
            user("admin", input.admin_token, ADMIN_USER),
            user("viewer", input.viewer_token, VIEWER_USER),
        ],
        "contexts": contexts,
        "current-context": format!("{SESSION}/{}", input.current_context_cluster),
    })
}

/// The kubeconfig as YAML.
pub fn kubeconfig_yaml(input: &KubeconfigInput) -> String {
    let value = kubeconfig_value(input);
    serde_saphyr::to_string(&value)
        .unwrap_or_else(|_| serde_json::to_string_pretty(&value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_round_trips() {
        let clusters = vec!["global".to_string(), "workload-a".to_string()];
        let yaml = kubeconfig_yaml(&KubeconfigInput {
            base_url: "https://127.0.0.1:1234",
            ca_pem: "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n",
            admin_token: "tok-a",
            viewer_token: "tok-v",
            clusters: &clusters,
            current_context_cluster: "workload-a",
        });
        let v: Value = serde_saphyr::from_str(&yaml).unwrap();
        assert_eq!(v["current-context"], "sim/workload-a");
        assert_eq!(
            v["clusters"][1]["cluster"]["server"],
            "https://127.0.0.1:1234/kubernetes/workload-a/"
        );
        assert_eq!(
            v["clusters"][0]["cluster"]["extensions"][0]["extension"]["isGlobal"],
            true
        );
        assert_eq!(v["clusters"][1]["name"], "acp:sim:workload-a");
        assert_eq!(v["users"][1]["user"]["token"], "tok-v");
        assert_eq!(v["contexts"][3]["name"], "sim-viewer/workload-a");
        assert_eq!(v["contexts"][3]["context"]["user"], "acp:sim:viewer");
    }
}
