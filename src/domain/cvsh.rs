//! Lenient read-only views of the ACP resources.
//!
//! Every field may be missing, `null` or of an unexpected type on a real server; the views never
//! fail. A ClusterVersionShadow is read by one lenient `Deserialize` ([`crate::domain::cvsh_wire`]),
//! from a LIST page's text or from a parsed `serde_json::Value` alike; the smaller resources are
//! read from a `Value` field by field. The raw object is kept by the caller for `-o json|yaml`.

use serde::Serialize;
use serde_json::Value;

pub use crate::domain::version::Release;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DesiredUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

impl DesiredUpdate {
    pub fn release(&self) -> Option<Release> {
        if self.version.is_none() && self.image.is_none() {
            None
        } else {
            Some(Release {
                version: self.version.clone(),
                image: self.image.clone(),
            })
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(rename = "lastTransitionTime", skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<String>,
}

impl Condition {
    pub fn is_true(&self) -> bool {
        self.status.eq_ignore_ascii_case("true")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "startedTime", skip_serializing_if = "Option::is_none")]
    pub started_time: Option<String>,
    #[serde(rename = "completionTime", skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<String>,
    #[serde(rename = "acceptedRisks", skip_serializing_if = "Option::is_none")]
    pub accepted_risks: Option<String>,
}

impl HistoryEntry {
    pub fn release(&self) -> Release {
        Release {
            version: self.version.clone(),
            image: self.image.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PreflightCheck {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Preflight {
    #[serde(rename = "observedAt", skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<String>,
    pub checks: Vec<PreflightCheck>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Operation {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(rename = "currentVersion", skip_serializing_if = "Option::is_none")]
    pub current_version: Option<String>,
    #[serde(rename = "targetVersion", skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    pub operations: Vec<Operation>,
}

/// A ClusterVersionShadow as the CLI reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cvsh {
    pub name: String,
    pub namespace: Option<String>,
    pub resource_version: Option<String>,
    pub generation: Option<i64>,
    pub desired_update: Option<DesiredUpdate>,
    pub current: Option<Release>,
    pub desired: Option<Release>,
    pub available_updates: Vec<Release>,
    pub conditions: Vec<Condition>,
    pub observed_generation: Option<i64>,
    pub history: Vec<HistoryEntry>,
    pub preflight: Option<Preflight>,
    pub stages: Vec<Stage>,
}

impl Cvsh {
    /// The view of an object already parsed (a GET, a watch event): the same lenient reading
    /// as a LIST page read straight from its text ([`crate::domain::cvsh_wire`] is the one
    /// implementation of both), so nothing here fails.
    pub fn from_value(object: &Value) -> Cvsh {
        use serde::Deserialize;
        Cvsh::deserialize(object).unwrap_or_default()
    }

    /// A condition by type (case-sensitive, as the API defines them).
    pub fn condition(&self, type_: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }

    pub fn condition_true(&self, type_: &str) -> bool {
        self.condition(type_).is_some_and(Condition::is_true)
    }

    /// Status is stale when the controller has not observed the latest spec generation.
    /// Unknown on either side is not called stale, except a generation with no observed one.
    pub fn is_stale(&self) -> bool {
        match (self.generation, self.observed_generation) {
            (Some(g), Some(o)) => g != o,
            (Some(_), None) => self.has_status_content(),
            _ => false,
        }
    }

    fn has_status_content(&self) -> bool {
        self.current.is_some() || !self.conditions.is_empty()
    }

    /// The release requested in `spec.desiredUpdate`, if any.
    pub fn requested(&self) -> Option<Release> {
        self.desired_update
            .as_ref()
            .and_then(DesiredUpdate::release)
    }

    pub fn current_version(&self) -> Option<&str> {
        self.current.as_ref().and_then(|c| c.version.as_deref())
    }
}

/// A ProductManifest as the CLI reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProductManifest {
    pub name: String,
    pub version: Option<String>,
    pub image: Option<String>,
    pub conditions: Vec<Condition>,
}

impl ProductManifest {
    pub fn from_value(v: &Value) -> ProductManifest {
        let meta = v.get("metadata").unwrap_or(&Value::Null);
        let spec = v.get("spec").unwrap_or(&Value::Null);
        let status = v.get("status").unwrap_or(&Value::Null);
        ProductManifest {
            name: str_at(meta, "name").unwrap_or_default(),
            version: str_at(spec, "version"),
            image: str_at(spec, "image"),
            conditions: conditions_at(status),
        }
    }

    pub fn ready(&self) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.type_ == "Ready")
    }
}

/// `status.conditions[]`: entries that are not objects are skipped; a missing type reads as
/// `<unnamed>`, a missing status as `Unknown`.
pub fn conditions_at(status: &Value) -> Vec<Condition> {
    arr_at(status, "conditions")
        .iter()
        .filter(|c| c.is_object())
        .map(|c| Condition {
            type_: str_at(c, "type").unwrap_or_else(|| "<unnamed>".into()),
            status: str_at(c, "status").unwrap_or_else(|| "Unknown".into()),
            reason: str_at(c, "reason"),
            message: str_at(c, "message"),
            last_transition_time: str_at(c, "lastTransitionTime"),
        })
        .collect()
}

/// A string field; numbers and bools are shown as text, everything else is absent.
pub fn str_at(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        // Control characters (a raw ESC) never reach a terminal from here.
        Value::String(s) if !s.is_empty() => Some(crate::output::text::printable(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer field; numeric strings are accepted.
pub fn int_at(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An array field; anything else reads as empty.
pub fn arr_at<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    match v.get(key) {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerates_missing_null_and_wrong_types() {
        let c = Cvsh::from_value(&json!({}));
        assert_eq!(c, Cvsh::default());
        let c = Cvsh::from_value(&json!({"metadata": null, "spec": null, "status": {
            "availableUpdates": null, "conditions": [null, 3, {"type": "Ready"}],
            "stages": [{"name": "s", "priority": "7", "operations": null}],
            "current": {"version": 4}, "observedGeneration": "2"}}));
        assert_eq!(c.available_updates, vec![]);
        assert_eq!(c.conditions.len(), 1);
        assert_eq!(c.conditions[0].status, "Unknown");
        assert_eq!(c.stages[0].priority, Some(7));
        assert_eq!(c.current_version(), Some("4"));
        assert_eq!(c.observed_generation, Some(2));
    }

    #[test]
    fn stale_when_generation_differs() {
        let mut c = Cvsh {
            generation: Some(3),
            observed_generation: Some(2),
            ..Default::default()
        };
        assert!(c.is_stale());
        c.observed_generation = Some(3);
        assert!(!c.is_stale());
        c.generation = None;
        assert!(!c.is_stale());
    }

    #[test]
    fn release_with_neither_field_is_absent() {
        let c = Cvsh::from_value(&json!({"status": {"current": {"foo": 1},
            "desired": {"image": "r/x@sha256:1"}, "availableUpdates": [{}, {"version": "4.3.0"}]}}));
        assert_eq!(c.current, None);
        assert_eq!(c.desired.unwrap().label(), "r/x@sha256:1");
        assert_eq!(c.available_updates.len(), 1);
    }

    #[test]
    fn text_is_printable_and_numbers_read_as_text_or_integers() {
        let c = Cvsh::from_value(&json!({"metadata": {"name": 7, "generation": " 3 "},
            "spec": {"desiredUpdate": {"version": 4.0, "force": "true"}},
            "status": {"conditions": [{"type": "Failing", "status": true, "message": "a\u{1b}[31mb"}],
                       "stages": [{"operations": [{"dependsOn": ["x", 3, null]}]}]}}));
        assert_eq!(c.name, "7");
        assert_eq!(c.generation, Some(3));
        let update = c.desired_update.unwrap();
        assert_eq!(
            (update.version.as_deref(), update.force),
            (Some("4.0"), None)
        );
        assert_eq!(c.conditions[0].status, "true");
        assert!(
            !c.conditions[0]
                .message
                .as_deref()
                .unwrap()
                .contains('\u{1b}')
        );
        assert_eq!(c.stages[0].name, "<unnamed>");
        assert_eq!(c.stages[0].operations[0].depends_on, vec!["x"]);
    }
}
