//! Patch formats: JSON merge patch (RFC 7386) and JSON patch (RFC 6902).

use serde_json::{Map, Value};

/// Apply an RFC 7386 merge patch: objects merge recursively, `null` deletes, anything else
/// replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// Strategic merge patch reduced to what the simulator needs for ConfigMaps and
/// ResourcePatches (maps of strings): a merge patch with `$`-directives dropped.
pub fn strategic_as_merge(patch: &Value) -> Value {
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

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn split_pointer(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer {path:?}"));
    };
    Ok(rest.split('/').map(unescape).collect())
}

fn get<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(doc, |cur, t| match cur {
        Value::Object(m) => m.get(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn get_mut<'a>(doc: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(doc, |cur, t| match cur {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(move |i| a.get_mut(i)),
        _ => None,
    })
}

fn add(doc: &mut Value, tokens: &[String], value: Value) -> Result<(), String> {
    let Some((last, parent)) = tokens.split_last() else {
        *doc = value;
        return Ok(());
    };
    match get_mut(doc, parent) {
        Some(Value::Object(m)) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let idx = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>()
                    .map_err(|_| format!("invalid array index {last:?}"))?
            };
            if idx > a.len() {
                return Err(format!("array index {idx} out of bounds"));
            }
            a.insert(idx, value);
            Ok(())
        }
        _ => Err("doc is missing path".into()),
    }
}

fn remove(doc: &mut Value, tokens: &[String]) -> Result<Value, String> {
    let Some((last, parent)) = tokens.split_last() else {
        return Err("cannot remove the document root".into());
    };
    match get_mut(doc, parent) {
        Some(Value::Object(m)) => m
            .remove(last)
            .ok_or_else(|| "unable to remove nonexistent key".to_string()),
        Some(Value::Array(a)) => {
            let idx = last
                .parse::<usize>()
                .map_err(|_| format!("invalid array index {last:?}"))?;
            if idx >= a.len() {
                return Err(format!("array index {idx} out of bounds"));
            }
            Ok(a.remove(idx))
        }
        _ => Err("doc is missing path".into()),
    }
}

/// Apply an RFC 6902 JSON patch (`add`, `remove`, `replace`, `move`, `copy`, `test`).
pub fn json_patch(doc: &mut Value, patch: &Value) -> Result<(), String> {
    let Value::Array(ops) = patch else {
        return Err("a JSON patch must be an array of operations".into());
    };
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = split_pointer(op.get("path").and_then(Value::as_str).unwrap_or(""))?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("operation {name:?} needs a value"))
        };
        let from = || split_pointer(op.get("from").and_then(Value::as_str).unwrap_or(""));
        match name {
            "add" => add(doc, &path, value()?)?,
            "remove" => {
                remove(doc, &path)?;
            }
            "replace" => {
                let v = value()?;
                match get_mut(doc, &path) {
                    Some(slot) => *slot = v,
                    None => {
                        return Err("replace operation does not apply: doc is missing key".into());
                    }
                }
            }
            "move" => {
                let v = remove(doc, &from()?)?;
                add(doc, &path, v)?;
            }
            "copy" => {
                let v = get(doc, &from()?)
                    .cloned()
                    .ok_or_else(|| "copy from a missing path".to_string())?;
                add(doc, &path, v)?;
            }
            "test" => {
                if get(doc, &path) != Some(&value()?) {
                    return Err("testing value failed".into());
                }
            }
            other => return Err(format!("unexpected kind: {other:?}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_follows_rfc7386() {
        let mut t = json!({"a": {"b": 1, "c": 2}, "keep": [1, 2], "x": 1});
        merge_patch(
            &mut t,
            &json!({"a": {"b": null, "d": 3}, "keep": [3], "x": {"y": 1}}),
        );
        assert_eq!(
            t,
            json!({"a": {"c": 2, "d": 3}, "keep": [3], "x": {"y": 1}})
        );
        let mut s = json!("scalar");
        merge_patch(&mut s, &json!({"a": null, "b": 1}));
        assert_eq!(s, json!({"b": 1}));
    }

    #[test]
    fn strategic_directives_dropped() {
        assert_eq!(
            strategic_as_merge(&json!({"$patch": "merge", "data": {"a": "1", "$retainKeys": []}})),
            json!({"data": {"a": "1"}})
        );
    }

    #[test]
    fn json_patch_ops() {
        let mut d = json!({"metadata": {"annotations": {"a/b": "1"}}, "list": [1, 2]});
        json_patch(
            &mut d,
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
            d,
            json!({"metadata": {"annotations": {"a/b": "2"}}, "list": [2, 3], "moved": [2, 3]})
        );
        assert!(
            json_patch(
                &mut d,
                &json!([{"op": "replace", "path": "/nope/x", "value": 1}])
            )
            .is_err()
        );
        assert!(json_patch(&mut d, &json!({"op": "add"})).is_err());
        assert!(
            json_patch(
                &mut d,
                &json!([{"op": "test", "path": "/list/0", "value": 9}])
            )
            .is_err()
        );
    }
}
