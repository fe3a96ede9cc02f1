//! The patch formats the API accepts: JSON merge patch (RFC 7386) and JSON patch (RFC 6902),
//! both applied by the `json-patch` crate, and the strategic merge patch of the core types,
//! reduced to a merge patch.

use serde_json::Value;

use crate::status::ApiError;

/// A PATCH request's format (its `Content-Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/merge-patch+json`
    Merge,
    /// `application/strategic-merge-patch+json` (ConfigMaps only)
    Strategic,
    /// `application/json-patch+json`
    Json,
}

impl PatchType {
    /// Apply `patch` to `doc`. A JSON patch that does not apply is a 422, worded like the
    /// apiserver.
    pub fn apply(self, doc: &mut Value, patch: &Value) -> Result<(), ApiError> {
        match self {
            PatchType::Merge => json_patch::merge(doc, patch),
            PatchType::Strategic => json_patch::merge(doc, &strategic_as_merge(patch)),
            PatchType::Json => apply_json_patch(doc, patch).map_err(|e| {
                ApiError::new(
                    422,
                    "Invalid",
                    format!("the server rejected our request due to an error in our request: {e}"),
                )
            })?,
        }
        Ok(())
    }
}

/// Strategic merge patch reduced to what the simulator needs for ConfigMaps and
/// ResourcePatches (maps of strings): a merge patch with `$`-directives dropped.
fn strategic_as_merge(patch: &Value) -> Value {
    match patch {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strategic_as_merge(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Apply an RFC 6902 JSON patch (`add`, `remove`, `replace`, `move`, `copy`, `test`); all or
/// nothing.
fn apply_json_patch(doc: &mut Value, patch: &Value) -> Result<(), String> {
    if !patch.is_array() {
        return Err("a JSON patch must be an array of operations".into());
    }
    let operations: json_patch::Patch =
        serde_json::from_value(patch.clone()).map_err(|e| format!("invalid JSON patch: {e}"))?;
    json_patch::patch(doc, &operations).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_follows_rfc7386() {
        let mut doc = json!({"a": {"b": 1, "c": 2}, "keep": [1, 2], "x": 1});
        PatchType::Merge
            .apply(
                &mut doc,
                &json!({"a": {"b": null, "d": 3}, "keep": [3], "x": {"y": 1}}),
            )
            .unwrap();
        assert_eq!(
            doc,
            json!({"a": {"c": 2, "d": 3}, "keep": [3], "x": {"y": 1}})
        );
    }

    #[test]
    fn strategic_directives_dropped() {
        let mut doc = json!({"data": {"a": "0", "b": "1"}});
        PatchType::Strategic
            .apply(
                &mut doc,
                &json!({"$patch": "merge", "data": {"a": "1", "$retainKeys": []}}),
            )
            .unwrap();
        assert_eq!(doc, json!({"data": {"a": "1", "b": "1"}}));
    }

    #[test]
    fn json_patch_ops() {
        let mut doc = json!({"metadata": {"annotations": {"a/b": "1"}}, "list": [1, 2]});
        PatchType::Json
            .apply(
                &mut doc,
                &json!([
                    {"op": "test", "path": "/metadata/annotations/a~1b", "value": "1"},
                    {"op": "replace", "path": "/metadata/annotations/a~1b", "value": "2"},
                    {"op": "add", "path": "/list/-", "value": 3},
                    {"op": "remove", "path": "/list/0"},
                    {"op": "copy", "from": "/list", "path": "/copy"},
                    {"op": "move", "from": "/copy", "path": "/moved"}
                ]),
            )
            .unwrap();
        assert_eq!(
            doc,
            json!({"metadata": {"annotations": {"a/b": "2"}}, "list": [2, 3], "moved": [2, 3]})
        );
        for bad in [
            json!([{"op": "replace", "path": "/nope/x", "value": 1}]),
            json!({"op": "add"}),
            json!([{"op": "test", "path": "/list/0", "value": 9}]),
            json!([{"op": "bogus", "path": "/x"}]),
        ] {
            let error = PatchType::Json.apply(&mut doc, &bad).unwrap_err();
            assert_eq!((error.code, error.reason), (422, "Invalid"), "{bad}");
        }
        // A failed patch changes nothing.
        let before = doc.clone();
        let _ = PatchType::Json.apply(
            &mut doc,
            &json!([{"op": "add", "path": "/z", "value": 1}, {"op": "remove", "path": "/nope"}]),
        );
        assert_eq!(doc, before);
    }
}
