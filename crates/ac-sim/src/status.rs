//! `metav1.Status` error bodies, worded like a real kube-apiserver.

use serde_json::{Map, Value, json};

use crate::resources::ResourceType;

/// An API error answered as a `Status` object.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

/// One field error of a 422 Invalid answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    /// `FieldValueInvalid`, `FieldValueRequired`, …
    pub reason: &'static str,
    /// e.g. `Invalid value: "object": exactly one of version or image must be set`
    pub message: String,
}

impl FieldError {
    pub fn invalid(field: &str, value_type: &str, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            reason: "FieldValueInvalid",
            message: format!("Invalid value: \"{value_type}\": {detail}"),
        }
    }

    pub fn invalid_value(field: &str, value: &str, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            reason: "FieldValueInvalid",
            message: format!("Invalid value: {value:?}: {detail}"),
        }
    }

    pub fn required(field: &str, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            reason: "FieldValueRequired",
            message: format!("Required value: {detail}"),
        }
    }

    fn text(&self) -> String {
        format!("{}: {}", self.field, self.message)
    }
}

fn details(name: Option<&str>, group: &str, kind: &str) -> Value {
    let mut d = Map::new();
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        d.insert("name".into(), n.into());
    }
    if !group.is_empty() {
        d.insert("group".into(), group.into());
    }
    d.insert("kind".into(), kind.into());
    Value::Object(d)
}

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    /// The `Status` object.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let (Some(d), Some(m)) = (&self.details, v.as_object_mut()) {
            m.insert("details".into(), d.clone());
        }
        v
    }

    /// An error about one object, with the `details` a kube-apiserver gives (name, group,
    /// plural).
    fn about(
        rt: &ResourceType,
        name: &str,
        code: u16,
        reason: &'static str,
        message: String,
    ) -> ApiError {
        ApiError {
            details: Some(details(Some(name), rt.group, rt.plural)),
            ..ApiError::new(code, reason, message)
        }
    }

    pub fn not_found(rt: &ResourceType, name: &str) -> ApiError {
        let message = format!("{} \"{name}\" not found", rt.qualified());
        ApiError::about(rt, name, 404, "NotFound", message)
    }

    /// An unknown path or resource type.
    pub fn no_route() -> ApiError {
        ApiError {
            details: Some(json!({})),
            ..ApiError::new(
                404,
                "NotFound",
                "the server could not find the requested resource",
            )
        }
    }

    pub fn already_exists(rt: &ResourceType, name: &str) -> ApiError {
        let message = format!("{} \"{name}\" already exists", rt.qualified());
        ApiError::about(rt, name, 409, "AlreadyExists", message)
    }

    pub fn conflict(rt: &ResourceType, name: &str) -> ApiError {
        let message = format!(
            "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            rt.qualified()
        );
        ApiError::about(rt, name, 409, "Conflict", message)
    }

    pub fn invalid(rt: &ResourceType, name: &str, errors: Vec<FieldError>) -> ApiError {
        let list = if errors.len() == 1 {
            errors[0].text()
        } else {
            format!(
                "[{}]",
                errors
                    .iter()
                    .map(FieldError::text)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut details = details(Some(name), rt.group, rt.kind);
        if let Some(fields) = details.as_object_mut() {
            let causes = errors.iter().map(|error| {
                json!({"reason": error.reason, "message": error.message, "field": error.field})
            });
            fields.insert("causes".into(), causes.collect());
        }
        ApiError {
            details: Some(details),
            ..ApiError::new(
                422,
                "Invalid",
                format!("{} \"{name}\" is invalid: {list}", rt.group_kind()),
            )
        }
    }

    /// RBAC-style denial. `name` empty for collection verbs.
    pub fn forbidden(
        rt: &ResourceType,
        subresource: Option<&str>,
        name: &str,
        namespace: Option<&str>,
        user: &str,
        verb: &str,
    ) -> ApiError {
        let resource = match subresource {
            Some(sub) => format!("{}/{sub}", rt.plural),
            None => rt.plural.to_string(),
        };
        let subject = if name.is_empty() {
            rt.qualified()
        } else {
            format!("{} \"{name}\"", rt.qualified())
        };
        let scope = match namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".into(),
        };
        ApiError {
            details: Some(details(Some(name), rt.group, rt.plural)),
            ..ApiError::new(
                403,
                "Forbidden",
                format!(
                    "{subject} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{}\" {scope}",
                    rt.group
                ),
            )
        }
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(401, "Unauthorized", "Unauthorized")
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "BadRequest", message)
    }

    pub fn method_not_allowed(method: &str) -> ApiError {
        ApiError {
            details: Some(json!({})),
            ..ApiError::new(
                405,
                "MethodNotAllowed",
                format!(
                    "the server does not allow this method on the requested resource ({method})"
                ),
            )
        }
    }

    pub fn unsupported_media_type(content_type: &str, accepted: &[&str]) -> ApiError {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format ({content_type}) - accepted media types include: {}",
                accepted.join(", ")
            ),
        )
    }

    pub fn expired(message: impl Into<String>) -> ApiError {
        ApiError::new(410, "Expired", message)
    }

    pub fn too_large() -> ApiError {
        ApiError::new(
            413,
            "RequestEntityTooLarge",
            "Request entity too large: limit is 3145728",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::{CONFIGMAPS, CVSH, PDMAN};

    #[test]
    fn wording_matches_the_apiserver() {
        assert_eq!(
            ApiError::not_found(&CVSH, "x").message,
            "clusterversionshadows.config.alauda.io \"x\" not found"
        );
        assert_eq!(
            ApiError::not_found(&CONFIGMAPS, "x").message,
            "configmaps \"x\" not found"
        );
        assert_eq!(
            ApiError::forbidden(
                &CVSH,
                None,
                "global",
                Some("cpaas-system"),
                "viewer@sim.local",
                "patch"
            )
            .message,
            "clusterversionshadows.config.alauda.io \"global\" is forbidden: User \"viewer@sim.local\" cannot patch resource \"clusterversionshadows\" in API group \"config.alauda.io\" in the namespace \"cpaas-system\""
        );
        assert_eq!(
            ApiError::forbidden(&PDMAN, None, "", None, "viewer@sim.local", "create").message,
            "productmanifests.config.alauda.io is forbidden: User \"viewer@sim.local\" cannot create resource \"productmanifests\" in API group \"config.alauda.io\" at the cluster scope"
        );
        let invalid = ApiError::invalid(
            &CVSH,
            "global",
            vec![FieldError::invalid(
                "spec.desiredUpdate",
                "object",
                "exactly one of version or image must be set",
            )],
        );
        assert_eq!(
            invalid.message,
            "ClusterVersionShadow.config.alauda.io \"global\" is invalid: spec.desiredUpdate: Invalid value: \"object\": exactly one of version or image must be set"
        );
        let status_json = invalid.to_json();
        assert_eq!(status_json["code"], 422);
        assert_eq!(
            status_json["details"]["causes"][0]["field"],
            "spec.desiredUpdate"
        );
        let configmap_status = ApiError::not_found(&CONFIGMAPS, "x").to_json();
        assert!(configmap_status["details"].get("group").is_none());
    }
}
