//! Query strings, label and field selectors, continue tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::status::ApiError;

/// Decode one query-string component: `+` is a space, `%XX` a byte; malformed escapes stay as
/// they are and bytes that are not UTF-8 become U+FFFD.
pub fn decode(component: &str) -> String {
    let spaced = component.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// Decoded query parameters in order.
#[derive(Debug, Default, Clone)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(q: Option<&str>) -> Query {
        Query(
            q.unwrap_or("")
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `true`, `1` (and a bare `?watch`) are true.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true" | "1" | "True" | ""))
    }
}

/// Where a paginated list goes on (`continue`): the list's resourceVersion and the last key
/// answered. Opaque to clients: base64url of JSON, as a kube-apiserver writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinueToken {
    pub rv: u64,
    #[serde(rename = "ns")]
    pub namespace: String,
    pub name: String,
}

impl ContinueToken {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Result<ContinueToken, ApiError> {
        URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or_else(|| ApiError::bad_request("continue key is not valid"))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Req {
    Eq(String, String),
    NotEq(String, String),
    Exists(String),
    NotExists(String),
}

/// A parsed selector (`a=b,c!=d,e,!f`); used for labels and for the fields
/// `metadata.name` / `metadata.namespace`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector(Vec<Req>);

impl Selector {
    pub fn parse_labels(s: &str) -> Result<Selector, ApiError> {
        Self::parse(s, false)
    }

    pub fn parse_fields(s: &str) -> Result<Selector, ApiError> {
        let sel = Self::parse(s, true)?;
        for r in &sel.0 {
            let key = match r {
                Req::Eq(k, _) | Req::NotEq(k, _) | Req::Exists(k) | Req::NotExists(k) => k,
            };
            if key != "metadata.name" && key != "metadata.namespace" {
                return Err(ApiError::bad_request(format!(
                    "field label not supported: {key}"
                )));
            }
        }
        Ok(sel)
    }

    fn parse(s: &str, fields: bool) -> Result<Selector, ApiError> {
        let mut reqs = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || ApiError::bad_request(format!("unable to parse requirement: {part:?}"));
            if part.contains(" in ") || part.contains(" notin ") || part.contains('(') {
                return Err(bad());
            }
            let req = if let Some((k, v)) = part.split_once("!=") {
                Req::NotEq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==") {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once('=') {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if fields {
                return Err(bad());
            } else if let Some(k) = part.strip_prefix('!') {
                Req::NotExists(k.trim().into())
            } else {
                Req::Exists(part.into())
            };
            if let Req::Eq(k, _) | Req::NotEq(k, _) | Req::Exists(k) | Req::NotExists(k) = &req
                && k.is_empty()
            {
                return Err(bad());
            }
            reqs.push(req);
        }
        Ok(Selector(reqs))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The name this selector pins (`metadata.name=x`), if any.
    pub fn pinned_name(&self) -> Option<&str> {
        self.0.iter().find_map(|r| match r {
            Req::Eq(k, v) if k == "metadata.name" => Some(v.as_str()),
            _ => None,
        })
    }

    fn matches_with(&self, lookup: impl Fn(&str) -> Option<String>) -> bool {
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => lookup(k).as_deref() == Some(v.as_str()),
            Req::NotEq(k, v) => lookup(k).as_deref() != Some(v.as_str()),
            Req::Exists(k) => lookup(k).is_some(),
            Req::NotExists(k) => lookup(k).is_none(),
        })
    }

    pub fn matches_labels(&self, obj: &Value) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let labels = obj.get("metadata").and_then(|m| m.get("labels"));
        self.matches_with(|k| {
            labels
                .and_then(|l| l.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
    }

    pub fn matches_fields(&self, obj: &Value) -> bool {
        if self.0.is_empty() {
            return true;
        }
        self.matches_with(|k| {
            let field = match k {
                "metadata.name" => "name",
                "metadata.namespace" => "namespace",
                _ => return None,
            };
            Some(
                obj.get("metadata")
                    .and_then(|m| m.get(field))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queries() {
        let q = Query::parse(Some(
            "watch=1&fieldSelector=metadata.name%3Dglobal&labelSelector=a+b&x",
        ));
        assert!(q.flag("watch"));
        assert!(q.flag("x"));
        assert!(!q.flag("missing"));
        assert_eq!(q.get("fieldSelector"), Some("metadata.name=global"));
        assert_eq!(q.get("labelSelector"), Some("a b"));
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("a+b%2Bc%C3%A9"), "a b+cé");
    }

    #[test]
    fn continue_tokens_round_trip() {
        let token = ContinueToken {
            rv: 42,
            namespace: "cpaas-system".into(),
            name: "workload-0007".into(),
        };
        let text = token.encode();
        assert!(!text.contains(['+', '/', '=']), "{text}");
        assert_eq!(ContinueToken::decode(&text).unwrap(), token);
        for bad in ["zz", "", "e30"] {
            assert_eq!(ContinueToken::decode(bad).unwrap_err().code, 400, "{bad}");
        }
    }

    #[test]
    fn selectors() {
        let obj = json!({"metadata": {"name": "global", "namespace": "cpaas-system", "labels": {"tier": "global"}}});
        let f = Selector::parse_fields("metadata.name=global").unwrap();
        assert!(f.matches_fields(&obj));
        assert_eq!(f.pinned_name(), Some("global"));
        assert!(
            !Selector::parse_fields("metadata.name!=global")
                .unwrap()
                .matches_fields(&obj)
        );
        assert_eq!(
            Selector::parse_fields("spec.x=1").unwrap_err().message,
            "field label not supported: spec.x"
        );
        assert!(
            Selector::parse_labels("tier=global,!missing,tier")
                .unwrap()
                .matches_labels(&obj)
        );
        assert!(
            !Selector::parse_labels("tier!=global")
                .unwrap()
                .matches_labels(&obj)
        );
        assert!(Selector::parse_labels("tier in (a)").is_err());
    }
}
