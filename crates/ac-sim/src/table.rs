//! `meta.k8s.io/v1` Table answers (what `kubectl get` asks for), with the printer columns of
//! the real resources.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::clock::{human_age, parse_time};
use crate::resources::{CLUSTERS, CONFIGMAPS, CVSH, MACHINES, PDMAN, ResourceType};

/// Whether the client asked for a Table (`Accept: application/json;as=Table;…`).
pub fn wants_table(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| {
        a.split(',')
            .any(|part| part.contains("as=Table") && part.contains("g=meta.k8s.io"))
    })
}

/// `includeObject` of a Table request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeObject {
    None,
    Metadata,
    Object,
}

impl IncludeObject {
    pub fn parse(v: Option<&str>) -> IncludeObject {
        match v {
            Some("None") => IncludeObject::None,
            Some("Object") => IncludeObject::Object,
            _ => IncludeObject::Metadata,
        }
    }
}

fn column(name: &str, typ: &str, format: &str, description: &str) -> Value {
    json!({"name": name, "type": typ, "format": format, "description": description, "priority": 0})
}

fn columns(rt: &ResourceType) -> Vec<Value> {
    let name = column(
        "Name",
        "string",
        "name",
        "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
    );
    let age = column(
        "Age",
        "date",
        "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.",
    );
    if std::ptr::eq(rt, &CVSH) {
        vec![
            name,
            column("Current", "string", "", "The version the cluster runs"),
            column("Desired", "string", "", "The version being reconciled"),
            column(
                "Ready",
                "string",
                "",
                "Whether the desired version is reached",
            ),
            column("Status", "string", "", "The Ready condition's message"),
        ]
    } else if std::ptr::eq(rt, &PDMAN) {
        vec![
            name,
            column("Version", "string", "", "The release version"),
            column(
                "Ready",
                "string",
                "",
                "Whether the release metadata is ready",
            ),
        ]
    } else if std::ptr::eq(rt, &CONFIGMAPS) {
        vec![
            name,
            column("Data", "integer", "", "Number of data items"),
            age,
        ]
    } else if std::ptr::eq(rt, &CLUSTERS) {
        vec![
            name,
            column(
                "Version",
                "string",
                "",
                "The Kubernetes version the cluster runs",
            ),
            column("Phase", "string", "", "The cluster's phase"),
            age,
        ]
    } else if std::ptr::eq(rt, &MACHINES) {
        vec![
            name,
            column(
                "Cluster",
                "string",
                "",
                "The cluster the machine belongs to",
            ),
            column("IP", "string", "", "The machine's address"),
            column("Phase", "string", "", "The machine's phase"),
            age,
        ]
    } else {
        vec![name, age]
    }
}

fn at(v: &Value, ptr: &str) -> Value {
    v.pointer(ptr)
        .filter(|x| !x.is_null())
        .cloned()
        .unwrap_or(Value::Null)
}

fn ready_condition(v: &Value) -> Option<&Value> {
    v.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
}

fn age(v: &Value, now: Timestamp) -> Value {
    v.pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(parse_time)
        .map(|t| Value::String(human_age(t, now)))
        .unwrap_or(Value::String("<unknown>".into()))
}

fn cells(rt: &ResourceType, v: &Value, now: Timestamp) -> Vec<Value> {
    let name = at(v, "/metadata/name");
    let ready = ready_condition(v);
    if std::ptr::eq(rt, &CVSH) {
        vec![
            name,
            at(v, "/status/current/version"),
            at(v, "/status/desired/version"),
            ready.map(|c| at(c, "/status")).unwrap_or(Value::Null),
            ready.map(|c| at(c, "/message")).unwrap_or(Value::Null),
        ]
    } else if std::ptr::eq(rt, &PDMAN) {
        vec![
            name,
            at(v, "/spec/version"),
            ready.map(|c| at(c, "/status")).unwrap_or(Value::Null),
        ]
    } else if std::ptr::eq(rt, &CONFIGMAPS) {
        let count = |k: &str| v.get(k).and_then(Value::as_object).map_or(0, |m| m.len());
        vec![
            name,
            json!(count("data") + count("binaryData")),
            age(v, now),
        ]
    } else if std::ptr::eq(rt, &CLUSTERS) {
        let version = match at(v, "/status/version") {
            Value::Null => at(v, "/spec/version"),
            running => running,
        };
        vec![name, version, at(v, "/status/phase"), age(v, now)]
    } else if std::ptr::eq(rt, &MACHINES) {
        vec![
            name,
            at(v, "/spec/clusterName"),
            at(v, "/spec/ip"),
            at(v, "/status/phase"),
            age(v, now),
        ]
    } else {
        vec![name, age(v, now)]
    }
}

fn row(rt: &ResourceType, v: &Value, include: IncludeObject, now: Timestamp) -> Value {
    let mut r = json!({"cells": cells(rt, v, now)});
    let object = match include {
        IncludeObject::None => None,
        IncludeObject::Object => Some(v.clone()),
        IncludeObject::Metadata => Some(json!({
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": v.get("metadata").cloned().unwrap_or_else(|| json!({})),
        })),
    };
    if let (Some(o), Some(m)) = (object, r.as_object_mut()) {
        m.insert("object".into(), o);
    }
    r
}

/// A Table of `items`; `list_meta` becomes the Table's `metadata`.
pub fn table(
    rt: &ResourceType,
    items: &[&Value],
    list_meta: Value,
    include: IncludeObject,
    now: Timestamp,
) -> Value {
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta,
        "columnDefinitions": columns(rt),
        "rows": items.iter().map(|v| row(rt, v, include, now)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{default_start, plus};

    #[test]
    fn cvsh_columns() {
        let obj = json!({"metadata": {"name": "global", "creationTimestamp": "2026-11-23T08:00:00Z"},
            "status": {"current": {"version": "4.2.1"}, "conditions": [{"type": "Ready", "status": "True", "message": "Cluster is running 4.2.1"}]}});
        let t = table(
            &CVSH,
            &[&obj],
            json!({"resourceVersion": "7"}),
            IncludeObject::Metadata,
            default_start(),
        );
        assert_eq!(
            t["rows"][0]["cells"],
            json!(["global", "4.2.1", null, "True", "Cluster is running 4.2.1"])
        );
        assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
        assert_eq!(t["columnDefinitions"].as_array().unwrap().len(), 5);
        let cm = json!({"metadata": {"name": "x", "creationTimestamp": "2026-11-23T08:00:00Z"}, "data": {"a": "1"}});
        let t = table(
            &CONFIGMAPS,
            &[&cm],
            json!({}),
            IncludeObject::None,
            plus(default_start(), 65.0),
        );
        assert_eq!(t["rows"][0]["cells"], json!(["x", 1, "65s"]));
        assert!(t["rows"][0].get("object").is_none());
    }

    #[test]
    fn accept_detection() {
        assert!(wants_table(Some(
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        )));
        assert!(!wants_table(Some("application/json")));
        assert!(!wants_table(None));
    }
}
