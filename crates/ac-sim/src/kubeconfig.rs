//! The ACP-style kubeconfig the simulator hands out (SPEC §3).

use serde_json::{Value, json};

use crate::auth::{ADMIN_USER, VIEWER_USER};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The ACP session name of the simulator's platform.
pub const SESSION: &str = "sim";

/// The ACP session name of the standby global of a DR pair.
pub const STANDBY_SESSION: &str = "sim-dr";

/// What a kubeconfig is made of.
pub struct KubeconfigInput<'a> {
    /// The ACP session (`sim`, `sim-dr`): it prefixes every entry's name.
    pub session: &'a str,
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
    let session = input.session;
    let ca = BASE64.encode(input.ca_pem.as_bytes());
    let clusters: Vec<Value> = input
        .clusters
        .iter()
        .map(|cluster| {
            json!({
                "name": format!("acp:{session}:{cluster}"),
                "cluster": {
                    "server": format!("{}/kubernetes/{cluster}/", input.base_url),
                    "certificate-authority-data": ca,
                    "extensions": ext(json!({
                        "isGlobal": cluster == "global",
                        "platformUrl": input.base_url,
                        "sessionName": session,
                        "clusterName": cluster,
                    })),
                }
            })
        })
        .collect();
    let user = |name: &str, token: &str, username: &str| {
        json!({
            "name": format!("acp:{session}:{name}"),
            "user": {
                "token": token,
                "extensions": ext(json!({
                    "platformUrl": input.base_url,
                    "sessionName": session,
                    "username": username,
                })),
            }
        })
    };
    let mut contexts = Vec::new();
    for cluster in input.clusters {
        contexts.push(json!({"name": format!("{session}/{cluster}"), "context": {"cluster": format!("acp:{session}:{cluster}"), "user": format!("acp:{session}:admin")}}));
    }
    for cluster in input.clusters {
        contexts.push(json!({"name": format!("{session}-viewer/{cluster}"), "context": {"cluster": format!("acp:{session}:{cluster}"), "user": format!("acp:{session}:viewer")}}));
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
        "current-context": format!("{session}/{}", input.current_context_cluster),
    })
}

/// Append another session's clusters, users and contexts (a DR standby) to a kubeconfig;
/// the current context stays.
pub fn merge(into: &mut Value, other: &Value) {
    for list in ["clusters", "users", "contexts"] {
        if let (Some(entries), Some(more)) = (
            into.get_mut(list).and_then(Value::as_array_mut),
            other.get(list).and_then(Value::as_array),
        ) {
            entries.extend(more.iter().cloned());
        }
    }
}

/// A kubeconfig value as YAML.
pub fn to_yaml(value: &Value) -> String {
    serde_saphyr::to_string(value)
        .unwrap_or_else(|_| serde_json::to_string_pretty(value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_round_trips() {
        let clusters = vec!["global".to_string(), "workload-a".to_string()];
        let input = |session, base_url, current_context_cluster| KubeconfigInput {
            session,
            base_url,
            ca_pem: "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n",
            admin_token: "tok-a",
            viewer_token: "tok-v",
            clusters: &clusters,
            current_context_cluster,
        };
        let mut value = kubeconfig_value(&input(SESSION, "https://127.0.0.1:1234", "workload-a"));
        let only_global = vec!["global".to_string()];
        let standby = KubeconfigInput {
            clusters: &only_global,
            ..input(STANDBY_SESSION, "https://127.0.0.1:5678", "global")
        };
        merge(&mut value, &kubeconfig_value(&standby));
        let v: Value = serde_saphyr::from_str(&to_yaml(&value)).unwrap();
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
        // The standby's session: its own cluster entry, users and contexts.
        assert_eq!(v["clusters"][2]["name"], "acp:sim-dr:global");
        assert_eq!(
            v["clusters"][2]["cluster"]["server"],
            "https://127.0.0.1:5678/kubernetes/global/"
        );
        let ext = &v["clusters"][2]["cluster"]["extensions"][0]["extension"];
        assert_eq!(
            (&ext["sessionName"], &ext["isGlobal"], &ext["platformUrl"]),
            (
                &json!("sim-dr"),
                &json!(true),
                &json!("https://127.0.0.1:5678")
            )
        );
        assert_eq!(v["users"][2]["name"], "acp:sim-dr:admin");
        assert_eq!(
            v["users"][2]["user"]["extensions"][0]["extension"]["sessionName"],
            "sim-dr"
        );
        assert_eq!(v["contexts"][4]["name"], "sim-dr/global");
        assert_eq!(v["contexts"][4]["context"]["user"], "acp:sim-dr:admin");
        assert_eq!(v["contexts"][5]["name"], "sim-dr-viewer/global");
        assert_eq!(v["current-context"], "sim/workload-a");
    }
}
