//! Server-side validation the real CRDs (OpenAPI schema + CEL rules) would do.

use serde_json::Value;

use crate::resources::{CLUSTERS, CONFIGMAPS, CVSH, PDMAN, ResourceType};
use crate::status::{ApiError, FieldError};

/// The OpenAPI type name of a JSON value.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn expect_type(errors: &mut Vec<FieldError>, field: &str, v: Option<&Value>, want: &str) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(v) if type_name(v) == want => true,
        Some(v) => {
            let got = type_name(v);
            errors.push(FieldError::invalid(
                field,
                got,
                &format!("{field} in body must be of type {want}: \"{got}\""),
            ));
            false
        }
    }
}

fn present(v: &Value, key: &str) -> bool {
    v.get(key).is_some_and(|x| !x.is_null())
}

/// Whether `name` is a lowercase RFC 1123 subdomain.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Metadata problems the apiserver rejects while decoding (400).
pub fn check_metadata(obj: &Value) -> Result<(), ApiError> {
    let Some(meta) = obj.get("metadata") else {
        return Ok(());
    };
    if !meta.is_object() {
        return Err(ApiError::bad_request(
            "unable to decode the object: metadata must be an object",
        ));
    }
    for key in ["labels", "annotations"] {
        match meta.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) if m.values().all(Value::is_string) => {}
            Some(_) => {
                return Err(ApiError::bad_request(format!(
                    "unable to decode the object: metadata.{key} must be a map of strings"
                )));
            }
        }
    }
    Ok(())
}

/// Validate an object about to be stored (`old` is the stored version on updates).
pub fn validate(
    rt: &'static ResourceType,
    obj: &Value,
    old: Option<&Value>,
) -> Result<(), ApiError> {
    check_metadata(obj)?;
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut errors = Vec::new();
    if old.is_none() && !valid_name(name) {
        if name.is_empty() {
            errors.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        } else {
            errors.push(FieldError::invalid_value(
                "metadata.name",
                name,
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            ));
        }
    }
    if std::ptr::eq(rt, &CVSH) {
        validate_cvsh(obj, &mut errors);
    } else if std::ptr::eq(rt, &PDMAN) {
        validate_pdman(obj, old, &mut errors);
    } else if std::ptr::eq(rt, &CLUSTERS) {
        validate_cluster(obj, &mut errors);
    } else if std::ptr::eq(rt, &CONFIGMAPS) {
        for key in ["data", "binaryData"] {
            if let Some(Value::Object(entries)) = obj.get(key) {
                for (entry, value) in entries {
                    if !value.is_string() {
                        return Err(ApiError::bad_request(format!(
                            "unable to decode the object: {key}.{entry} must be a string, not {}",
                            type_name(value)
                        )));
                    }
                }
            } else if obj.get(key).is_some_and(|value| !value.is_null()) {
                return Err(ApiError::bad_request(format!(
                    "unable to decode the object: {key} must be a map of strings"
                )));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(rt, name, errors))
    }
}

const EXACTLY_ONE: &str = "exactly one of version or image must be set";

fn validate_cvsh(obj: &Value, errors: &mut Vec<FieldError>) {
    if !expect_type(errors, "spec", obj.get("spec"), "object") {
        return;
    }
    let spec = &obj["spec"];
    let desired = spec.get("desiredUpdate");
    if !expect_type(errors, "spec.desiredUpdate", desired, "object") {
        return;
    }
    let desired = &spec["desiredUpdate"];
    expect_type(
        errors,
        "spec.desiredUpdate.version",
        desired.get("version"),
        "string",
    );
    expect_type(
        errors,
        "spec.desiredUpdate.image",
        desired.get("image"),
        "string",
    );
    expect_type(
        errors,
        "spec.desiredUpdate.force",
        desired.get("force"),
        "boolean",
    );
    if present(desired, "version") == present(desired, "image") {
        errors.push(FieldError::invalid(
            "spec.desiredUpdate",
            "object",
            EXACTLY_ONE,
        ));
    }
}

fn validate_pdman(obj: &Value, old: Option<&Value>, errors: &mut Vec<FieldError>) {
    match obj.get("spec") {
        None | Some(Value::Null) => {
            errors.push(FieldError::required("spec", ""));
            return;
        }
        spec => {
            if !expect_type(errors, "spec", spec, "object") {
                return;
            }
        }
    }
    let spec = &obj["spec"];
    expect_type(errors, "spec.version", spec.get("version"), "string");
    expect_type(errors, "spec.image", spec.get("image"), "string");
    if present(spec, "version") == present(spec, "image") {
        errors.push(FieldError::invalid("spec", "object", EXACTLY_ONE));
    }
    if let Some(old) = old {
        for field in ["version", "image"] {
            let before = old.pointer(&format!("/spec/{field}"));
            let after = spec.get(field);
            if before.filter(|value| !value.is_null()) != after.filter(|value| !value.is_null()) {
                let value_type = after.map(type_name).unwrap_or("null");
                errors.push(FieldError::invalid(
                    &format!("spec.{field}"),
                    value_type,
                    &format!("{field} is immutable"),
                ));
            }
        }
    }
}

/// A platform Cluster's `spec.version` is a Kubernetes version (`1.32.6`).
fn validate_cluster(obj: &Value, errors: &mut Vec<FieldError>) {
    if !expect_type(errors, "spec", obj.get("spec"), "object") {
        return;
    }
    let wanted = obj.pointer("/spec/version");
    if expect_type(errors, "spec.version", wanted, "string") {
        let text = wanted.and_then(Value::as_str).unwrap_or("");
        if !crate::version::is_kubernetes_version(text) {
            errors.push(FieldError::invalid_value(
                "spec.version",
                text,
                "must be a Kubernetes version such as 1.32.6",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cvsh(spec: Value) -> Value {
        json!({"metadata": {"name": "global"}, "spec": spec})
    }

    #[test]
    fn desired_update_exactly_one() {
        assert!(
            validate(
                &CVSH,
                &cvsh(json!({"desiredUpdate": {"version": "4.3.0"}})),
                None
            )
            .is_ok()
        );
        assert!(validate(&CVSH, &cvsh(json!({})), None).is_ok());
        let both = validate(
            &CVSH,
            &cvsh(json!({"desiredUpdate": {"version": "4.3.0", "image": "r/x:1"}})),
            None,
        )
        .unwrap_err();
        assert_eq!(both.code, 422);
        assert_eq!(
            both.message,
            "ClusterVersionShadow.config.alauda.io \"global\" is invalid: spec.desiredUpdate: Invalid value: \"object\": exactly one of version or image must be set"
        );
        assert!(
            validate(
                &CVSH,
                &cvsh(json!({"desiredUpdate": {"force": true}})),
                None
            )
            .is_err()
        );
        let wrong = validate(
            &CVSH,
            &cvsh(json!({"desiredUpdate": {"version": "4.3.0", "force": "yes"}})),
            None,
        )
        .unwrap_err();
        assert!(
            wrong
                .message
                .contains("spec.desiredUpdate.force in body must be of type boolean: \"string\"")
        );
    }

    #[test]
    fn manifest_rules() {
        let pm = |spec: Value| json!({"metadata": {"name": "v4.3.0"}, "spec": spec});
        assert!(validate(&PDMAN, &pm(json!({"version": "4.3.0"})), None).is_ok());
        assert!(validate(&PDMAN, &pm(json!({})), None).is_err());
        let old = pm(json!({"version": "4.3.0"}));
        let e = validate(&PDMAN, &pm(json!({"version": "4.3.1"})), Some(&old)).unwrap_err();
        assert!(
            e.message
                .contains("spec.version: Invalid value: \"string\": version is immutable")
        );
        assert!(
            validate(
                &PDMAN,
                &json!({"metadata": {"name": "Bad_Name"}, "spec": {"version": "1.0.0"}}),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn cluster_versions_are_kubernetes_versions() {
        let cluster = |version: Value| json!({"metadata": {"name": "workload-c"}, "spec": {"version": version}});
        assert!(validate(&CLUSTERS, &cluster(json!("1.31.4")), None).is_ok());
        let e = validate(&CLUSTERS, &cluster(json!("latest")), None).unwrap_err();
        assert_eq!(e.code, 422);
        assert!(
            e.message
                .contains("spec.version: Invalid value: \"latest\""),
            "{}",
            e.message
        );
        assert!(validate(&CLUSTERS, &cluster(json!(1.31)), None).is_err());
    }

    #[test]
    fn configmap_data_must_be_strings() {
        let e = validate(
            &CONFIGMAPS,
            &json!({"metadata": {"name": "x"}, "data": {"a": 1}}),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, 400);
        assert!(valid_name("a.b-c"));
        assert!(!valid_name("-a"));
    }
}
