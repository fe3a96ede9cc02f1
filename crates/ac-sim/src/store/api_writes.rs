//! Writes as the API makes them (POST, PATCH, PUT, DELETE): the checks a kube-apiserver
//! does on the body, validation, the resourceVersion precondition, `metadata.generation`,
//! the kept status of custom resources, and dry runs.

use std::sync::Arc;

use serde_json::Value;

use super::object::{meta_mut, meta_str, next_generation};
use super::{EventType, Inner, PatchType, Store, Stored};
use crate::clock::rfc3339;
use crate::resources::{CLUSTERS, CVSH, NAMESPACE, ResourceType};
use crate::status::{ApiError, FieldError};
use crate::validate::{check_metadata, validate};

impl Store {
    /// POST: create a new object.
    pub fn create(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        mut obj: Value,
        dry_run: bool,
    ) -> Result<Arc<Stored>, ApiError> {
        let Value::Object(body) = &mut obj else {
            return Err(ApiError::bad_request(
                "the request body must be a JSON object",
            ));
        };
        if let Some(kind) = body.get("kind").and_then(Value::as_str)
            && kind != rt.kind
        {
            return Err(ApiError::bad_request(format!(
                "the kind in the body ({kind}) does not match the resource ({})",
                rt.kind
            )));
        }
        if let Some(av) = body.get("apiVersion").and_then(Value::as_str)
            && av != rt.api_version()
        {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({av}) does not match the expected API version ({})",
                rt.api_version()
            )));
        }
        body.insert("apiVersion".into(), rt.api_version().into());
        body.insert("kind".into(), rt.kind.into());
        if rt.status_subresource {
            body.remove("status");
        }
        check_metadata(&obj)?;
        let meta = meta_mut(&mut obj);
        if meta
            .get("resourceVersion")
            .is_some_and(|value| !value.is_null())
        {
            return Err(ApiError::bad_request(
                "resourceVersion should not be set on objects to be created",
            ));
        }
        if rt.namespaced {
            let url_ns = ns.unwrap_or("default");
            match meta.get("namespace").and_then(Value::as_str) {
                Some(given) if !given.is_empty() && given != url_ns => {
                    return Err(ApiError::bad_request(
                        "the namespace of the provided object does not match the namespace sent on the request",
                    ));
                }
                _ => {
                    meta.insert("namespace".into(), url_ns.into());
                }
            }
        } else {
            meta.remove("namespace");
        }
        for key in ["uid", "creationTimestamp", "generation", "managedFields"] {
            meta.remove(key);
        }
        validate(rt, &obj, None)?;
        let name = meta_str(&obj, "name").unwrap_or("").to_string();
        let key = (
            meta_str(&obj, "namespace").unwrap_or("").to_string(),
            name.clone(),
        );
        let mut inner = self.write();
        if inner
            .objects
            .get(rt.plural)
            .is_some_and(|objects| objects.contains_key(&key))
        {
            return Err(ApiError::already_exists(rt, &name));
        }
        let now = rfc3339(self.clock.now());
        let meta = meta_mut(&mut obj);
        meta.insert("creationTimestamp".into(), now.into());
        if rt.has_generation() {
            meta.insert("generation".into(), 1.into());
        }
        if dry_run {
            meta.insert("uid".into(), "dry-run".into());
            return Ok(Arc::new(Stored::new(&obj, inner.rv)));
        }
        let uid = Self::next_uid(&mut inner);
        meta_mut(&mut obj).insert("uid".into(), uid.into());
        Ok(self.commit(&mut inner, rt, key, obj, EventType::Added))
    }

    /// PATCH the main resource.
    pub fn patch(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        ptype: PatchType,
        patch: &Value,
        dry_run: bool,
    ) -> Result<Arc<Stored>, ApiError> {
        let mut inner = self.write();
        let old = Self::lookup(&inner, rt, ns, name)?;
        let mut new = old.value();
        ptype.apply(&mut new, patch)?;
        self.finish_update(&mut inner, rt, &old, new, dry_run)
    }

    /// PUT the main resource.
    pub fn replace(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        new: Value,
        dry_run: bool,
    ) -> Result<Arc<Stored>, ApiError> {
        if !new.is_object() {
            return Err(ApiError::bad_request(
                "the request body must be a JSON object",
            ));
        }
        if let Some(body_name) = meta_str(&new, "name")
            && body_name != name
        {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let mut inner = self.write();
        let old = Self::lookup(&inner, rt, ns, name)?;
        self.finish_update(&mut inner, rt, &old, new, dry_run)
    }

    fn finish_update(
        &self,
        inner: &mut Inner,
        rt: &'static ResourceType,
        old: &Arc<Stored>,
        mut new: Value,
        dry_run: bool,
    ) -> Result<Arc<Stored>, ApiError> {
        if !new.is_object() {
            return Err(ApiError::bad_request(
                "the patched object is not a JSON object",
            ));
        }
        let name = old.name().to_string();
        let old_rv = old.rv.to_string();
        let old_value = old.value();
        if let Some(rv) = new
            .get("metadata")
            .and_then(|fields| fields.get("resourceVersion"))
            && !rv.is_null()
            && rv.as_str() != Some(old_rv.as_str())
        {
            return Err(ApiError::conflict(rt, &name));
        }
        check_metadata(&new)?;
        if let Value::Object(fields) = &mut new {
            fields.insert("apiVersion".into(), rt.api_version().into());
            fields.insert("kind".into(), rt.kind.into());
            if rt.status_subresource {
                match old_value.get("status") {
                    Some(status) => fields.insert("status".into(), status.clone()),
                    None => fields.remove("status"),
                };
            }
        }
        let meta = meta_mut(&mut new);
        for key in ["name", "namespace", "uid", "creationTimestamp"] {
            match old_value.get("metadata").and_then(|fields| fields.get(key)) {
                Some(value) => meta.insert(key.into(), value.clone()),
                None => meta.remove(key),
            };
        }
        meta.insert("resourceVersion".into(), old_rv.into());
        if rt.has_generation() {
            let generation = next_generation(&old_value, &new);
            meta_mut(&mut new).insert("generation".into(), generation.into());
        } else {
            meta_mut(&mut new).remove("generation");
        }
        validate(rt, &new, Some(&old_value))?;
        if std::ptr::eq(rt, &CLUSTERS) {
            kubernetes_step(inner, &name, &old_value, &new)?;
        }
        if new == old_value {
            return Ok(old.clone());
        }
        if dry_run {
            return Ok(Arc::new(Stored::new(&new, old.rv)));
        }
        let key = (old.namespace().unwrap_or("").to_string(), name);
        Ok(self.commit(inner, rt, key, new, EventType::Modified))
    }

    /// DELETE: remove and return the object.
    pub fn delete(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        dry_run: bool,
    ) -> Result<Arc<Stored>, ApiError> {
        let mut inner = self.write();
        let old = Self::lookup(&inner, rt, ns, name)?;
        if dry_run {
            return Ok(old);
        }
        let key = (ns.unwrap_or("").to_string(), name.to_string());
        Ok(self.commit(&mut inner, rt, key, old.value(), EventType::Deleted))
    }
}

/// A Cluster's new `spec.version` (a Kubernetes upgrade) must be a step the platform takes
/// ([`crate::version::kubernetes_step`]): forward from what runs (`status.version`, else the
/// old `spec.version`), one minor at a time, inside the range of the cluster's ACP release
/// (its cvsh's `status.current.version`). A write that leaves `spec.version` alone is not
/// judged.
fn kubernetes_step(inner: &Inner, name: &str, old: &Value, new: &Value) -> Result<(), ApiError> {
    let text = |value: &Value, pointer: &str| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    let Some(requested) = text(new, "/spec/version") else {
        return Ok(());
    };
    if text(old, "/spec/version").as_deref() == Some(requested.as_str()) {
        return Ok(());
    }
    let running = text(old, "/status/version").or_else(|| text(old, "/spec/version"));
    let acp = inner
        .objects
        .get(CVSH.plural)
        .and_then(|objects| objects.get(&(NAMESPACE.to_string(), name.to_string())))
        .and_then(|cvsh| text(&cvsh.value(), "/status/current/version"));
    crate::version::kubernetes_step(name, running.as_deref(), &requested, acp.as_deref())
        .map(|_| ())
        .map_err(|why| {
            ApiError::invalid(
                &CLUSTERS,
                name,
                vec![FieldError::invalid_value("spec.version", &requested, &why)],
            )
        })
}
