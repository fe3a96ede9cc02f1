//! A stored object, and the metadata helpers the store's writes share.

use bytes::Bytes;
use serde_json::{Map, Value};

/// `(namespace or "", name)`.
pub type Key = (String, String);

/// A stored object, kept as its JSON encoding (lists and watches send the bytes as they are;
/// the tree is parsed only when someone needs it), plus the metadata selectors look at.
#[derive(Debug)]
pub struct Stored {
    pub json: Bytes,
    pub rv: u64,
    name: String,
    namespace: Option<String>,
    /// `{"metadata": {"name", "namespace", "labels"}}`: what field and label selectors see.
    selectable: Value,
}

impl Stored {
    pub(super) fn new(value: &Value, rv: u64) -> Stored {
        let json = Bytes::from(serde_json::to_vec(value).unwrap_or_default());
        let meta = value.get("metadata");
        let field = |k: &str| meta.and_then(|m| m.get(k)).cloned().unwrap_or(Value::Null);
        Stored {
            json,
            rv,
            name: meta_str(value, "name").unwrap_or("").to_string(),
            namespace: meta_str(value, "namespace").map(str::to_owned),
            selectable: serde_json::json!({"metadata": {
                "name": field("name"), "namespace": field("namespace"), "labels": field("labels")}}),
        }
    }

    /// The object as a JSON tree (parsed from the stored bytes).
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.json).unwrap_or(Value::Null)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// Name, namespace and labels, for selectors.
    pub fn selectable(&self) -> &Value {
        &self.selectable
    }
}

pub(super) fn meta_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get("metadata")?.get(key)?.as_str()
}

pub(super) fn meta_mut(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    let Value::Object(obj) = v else {
        unreachable!("made an object above")
    };
    let meta = obj
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    match meta {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// Everything but `metadata` and `status`: what `metadata.generation` counts.
fn spec_part(v: &Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| k.as_str() != "metadata" && k.as_str() != "status")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Map::new(),
    }
}

pub(super) fn generation_of(v: &Value) -> Option<i64> {
    v.get("metadata")?.get("generation")?.as_i64()
}

/// The generation after `old` becomes `new`: one more when anything outside `metadata` and
/// `status` changed.
pub(super) fn next_generation(old: &Value, new: &Value) -> i64 {
    let generation = generation_of(old).unwrap_or(1);
    if spec_part(old) != spec_part(new) {
        generation + 1
    } else {
        generation
    }
}
