use super::*;
use serde_json::{Value, json};

/// From the text and from the parsed `Value`: the same view.
fn same(object: Value) {
    let text = serde_json::to_string(&object).unwrap();
    let direct: Cvsh = serde_json::from_str(&text).unwrap();
    assert_eq!(direct, Cvsh::from_value(&object), "{text}");
}

#[test]
fn odd_data_reads_as_from_value_does() {
    same(json!({}));
    same(json!(null));
    same(json!([1, {"metadata": {"name": "x"}}]));
    same(json!("text"));
    same(json!({"metadata": null, "spec": null, "status": {
            "availableUpdates": null, "conditions": [null, 3, {"type": "Ready"}, {"status": true}],
            "stages": [{"name": "s", "priority": "7", "operations": null}, "x",
                       {"priority": 1.5, "phase": 3, "operations": [{"dependsOn": ["a", "", 3, null]}, 7]}],
            "current": {"version": 4}, "desired": {"foo": 1}, "observedGeneration": "2"}}));
    same(
        json!({"metadata": {"name": 7, "namespace": "", "resourceVersion": 12,
                                 "generation": 18446744073709551615u64, "labels": {"a": "b"}},
            "spec": {"desiredUpdate": {"version": 4.0, "force": "true", "image": [1]}},
            "status": {"availableUpdates": [{"version": "4.3.0"}, {}, {"image": "r@sha256:1"}, 5],
                       "history": [{"version": "4.2.1", "state": "Completed", "acceptedRisks": false}, []],
                       "preflight": {"observedAt": {"x": 1}, "checks": [{"name": ""}, {"state": "Failed"}]},
                       "observedGeneration": 1.0}}),
    );
    same(
        json!({"spec": {"desiredUpdate": "4.3.0"}, "status": {"preflight": [1], "current": "4.2.1"}}),
    );
    same(json!({"metadata": {"generation": " 3 "}, "status": {"observedGeneration": -2}}));
    same(
        json!({"metadata": {"name": "a\u{1b}[2Jb\u{7f}"}, "status": {"conditions": [
            {"type": "Failing", "message": "\u{1b}]0;title\u{7}x"}]}}),
    );
}

#[test]
fn repeated_keys_keep_the_last_value_as_a_json_value_does() {
    let text = r#"{"metadata": {"name": "a", "name": "b"}, "status": {"current": {"version": "1"}, "current": null}}"#;
    let direct: Cvsh = serde_json::from_str(text).unwrap();
    let value: Value = serde_json::from_str(text).unwrap();
    assert_eq!(direct, Cvsh::from_value(&value));
    assert_eq!(direct.name, "b");
}

#[test]
fn escaped_keys_and_strings() {
    same(
        json!({"metadata": {"name": "caf\u{e9} \"q\""}, "status": {"conditions": [
            {"type": "Ready", "status": "True", "message": "line\nbreak \\ slash"}]}}),
    );
    let text = r#"{"meta\u0064ata": {"name": "x"}}"#;
    let direct: Cvsh = serde_json::from_str(text).unwrap();
    assert_eq!(direct.name, "x");
}

#[test]
fn malformed_json_is_still_an_error() {
    assert!(serde_json::from_str::<Cvsh>(r#"{"metadata": {"name": "x"}"#).is_err());
}
