//! The object store: objects by type/namespace/name, one global resourceVersion counter and a
//! bounded event log that feeds watches.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;
use serde_json::{Map, Value};
use tokio::sync::watch;

use crate::clock::{SimClock, rfc3339};
pub use crate::patch::PatchType;
use crate::resources::{self, ResourceType};
use crate::status::ApiError;
use crate::validate::validate;

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
    fn new(value: &Value, rv: u64) -> Stored {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change, as a watch reports it.
#[derive(Debug)]
pub struct Event {
    pub rv: u64,
    pub kind: EventType,
    pub rt: &'static ResourceType,
    pub obj: Arc<Stored>,
}

/// A page of a list.
#[derive(Debug)]
pub struct Page {
    pub items: Vec<Arc<Stored>>,
    /// The store's resourceVersion when the page was taken.
    pub rv: u64,
    /// More objects follow.
    pub more: bool,
    /// How many.
    pub remaining: usize,
}

#[derive(Debug, Default)]
struct Inner {
    objects: HashMap<&'static str, BTreeMap<Key, Arc<Stored>>>,
    rv: u64,
    events: VecDeque<Arc<Event>>,
    /// Watches starting before this resourceVersion have missed events (410 Gone).
    compacted: u64,
    uid_seq: u64,
}

/// The number of events kept for watches.
pub const EVENT_LOG_CAPACITY: usize = 10_000;

#[derive(Debug)]
pub struct Store {
    inner: RwLock<Inner>,
    notify: watch::Sender<u64>,
    clock: Arc<SimClock>,
}

fn meta_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get("metadata")?.get(key)?.as_str()
}

fn meta_mut(v: &mut Value) -> &mut Map<String, Value> {
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

fn generation_of(v: &Value) -> Option<i64> {
    v.get("metadata")?.get("generation")?.as_i64()
}

impl Store {
    pub fn new(clock: Arc<SimClock>) -> Store {
        Store {
            inner: RwLock::new(Inner::default()),
            notify: watch::channel(0).0,
            clock,
        }
    }

    pub fn clock(&self) -> &SimClock {
        &self.clock
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// A receiver that changes whenever the store does (value: the latest resourceVersion).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.notify.subscribe()
    }

    pub fn current_rv(&self) -> u64 {
        self.read().rv
    }

    /// The resourceVersion below which history has been compacted.
    pub fn compacted_rv(&self) -> u64 {
        self.read().compacted
    }

    pub fn get(&self, rt: &ResourceType, ns: Option<&str>, name: &str) -> Option<Arc<Stored>> {
        let key = (ns.unwrap_or("").to_string(), name.to_string());
        self.read().objects.get(rt.plural)?.get(&key).cloned()
    }

    /// Every object of a type (in one namespace, or all), in key order, and the store's
    /// resourceVersion at that moment.
    pub fn list(&self, rt: &ResourceType, ns: Option<&str>) -> (Vec<Arc<Stored>>, u64) {
        let inner = self.read();
        let items = match inner.objects.get(rt.plural) {
            None => Vec::new(),
            Some(m) => match ns {
                Some(ns) => m
                    .range((ns.to_string(), String::new())..)
                    .take_while(|((n, _), _)| n == ns)
                    .map(|(_, v)| v.clone())
                    .collect(),
                None => m.values().cloned().collect(),
            },
        };
        (items, inner.rv)
    }

    /// One page of a list, chosen under the read lock without touching the other objects:
    /// objects after `after` (exclusive) that satisfy `keep`, at most `limit` (0: all).
    pub fn list_page(
        &self,
        rt: &ResourceType,
        ns: Option<&str>,
        after: Option<&Key>,
        limit: usize,
        keep: impl Fn(&Stored) -> bool,
    ) -> Page {
        use std::ops::Bound;
        let inner = self.read();
        let mut page = Page {
            items: Vec::new(),
            rv: inner.rv,
            more: false,
            remaining: 0,
        };
        let Some(m) = inner.objects.get(rt.plural) else {
            return page;
        };
        let start = match (after, ns) {
            (Some(k), _) => Bound::Excluded(k.clone()),
            (None, Some(ns)) => Bound::Included((ns.to_string(), String::new())),
            (None, None) => Bound::Unbounded,
        };
        let range = m
            .range((start, Bound::Unbounded))
            .take_while(|((n, _), _)| ns.is_none_or(|ns| n == ns))
            .map(|(_, v)| v)
            .filter(|v| keep(v));
        for obj in range {
            if limit > 0 && page.items.len() == limit {
                page.more = true;
                page.remaining += 1;
            } else {
                page.items.push(obj.clone());
            }
        }
        page
    }

    /// Changes after `rv`; `Err(compacted)` when some of them are no longer kept.
    pub fn events_after(&self, rv: u64) -> Result<Vec<Arc<Event>>, u64> {
        let inner = self.read();
        if rv < inner.compacted {
            return Err(inner.compacted);
        }
        let start = inner.events.partition_point(|e| e.rv <= rv);
        Ok(inner.events.range(start..).cloned().collect())
    }

    /// Forget the event log: watches and lists from older resourceVersions get 410 Gone.
    pub fn expire_history(&self) {
        let mut inner = self.write();
        inner.events.clear();
        inner.compacted = inner.rv;
    }

    fn commit(
        &self,
        inner: &mut Inner,
        rt: &'static ResourceType,
        key: Key,
        mut obj: Value,
        kind: EventType,
    ) -> Arc<Stored> {
        inner.rv += 1;
        let rv = inner.rv;
        meta_mut(&mut obj).insert("resourceVersion".into(), rv.to_string().into());
        let stored = Arc::new(Stored::new(&obj, rv));
        let map = inner.objects.entry(rt.plural).or_default();
        if kind == EventType::Deleted {
            map.remove(&key);
        } else {
            map.insert(key, stored.clone());
        }
        inner.events.push_back(Arc::new(Event {
            rv,
            kind,
            rt,
            obj: stored.clone(),
        }));
        while inner.events.len() > EVENT_LOG_CAPACITY {
            if let Some(e) = inner.events.pop_front() {
                inner.compacted = e.rv;
            }
        }
        self.notify.send_replace(rv);
        stored
    }

    fn next_uid(inner: &mut Inner) -> String {
        inner.uid_seq += 1;
        format!("5a1e0000-0000-4000-8000-{:012x}", inner.uid_seq)
    }

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
        super::validate::check_metadata(&obj)?;
        let meta = meta_mut(&mut obj);
        if meta.get("resourceVersion").is_some_and(|v| !v.is_null()) {
            return Err(ApiError::bad_request(
                "resourceVersion should not be set on objects to be created",
            ));
        }
        if rt.namespaced {
            let url_ns = ns.unwrap_or("default");
            match meta.get("namespace").and_then(Value::as_str) {
                Some(b) if !b.is_empty() && b != url_ns => {
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
        for k in ["uid", "creationTimestamp", "generation", "managedFields"] {
            meta.remove(k);
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
            .is_some_and(|m| m.contains_key(&key))
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

    fn lookup(
        inner: &Inner,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
    ) -> Result<Arc<Stored>, ApiError> {
        let key = (ns.unwrap_or("").to_string(), name.to_string());
        inner
            .objects
            .get(rt.plural)
            .and_then(|m| m.get(&key))
            .cloned()
            .ok_or_else(|| ApiError::not_found(rt, name))
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
        if let Some(rv) = new.get("metadata").and_then(|m| m.get("resourceVersion"))
            && !rv.is_null()
            && rv.as_str() != Some(old_rv.as_str())
        {
            return Err(ApiError::conflict(rt, &name));
        }
        super::validate::check_metadata(&new)?;
        if let Value::Object(m) = &mut new {
            m.insert("apiVersion".into(), rt.api_version().into());
            m.insert("kind".into(), rt.kind.into());
            if rt.status_subresource {
                match old_value.get("status") {
                    Some(s) => m.insert("status".into(), s.clone()),
                    None => m.remove("status"),
                };
            }
        }
        let meta = meta_mut(&mut new);
        for k in ["name", "namespace", "uid", "creationTimestamp"] {
            match old_value.get("metadata").and_then(|m| m.get(k)) {
                Some(v) => meta.insert(k.into(), v.clone()),
                None => meta.remove(k),
            };
        }
        meta.insert("resourceVersion".into(), old_rv.into());
        if rt.has_generation() {
            let old_gen = generation_of(&old_value).unwrap_or(1);
            let gen_now = if spec_part(&old_value) != spec_part(&new) {
                old_gen + 1
            } else {
                old_gen
            };
            meta_mut(&mut new).insert("generation".into(), gen_now.into());
        } else {
            meta_mut(&mut new).remove("generation");
        }
        validate(rt, &new, Some(&old_value))?;
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

    /// Upsert an object as given (test and scenario seeding): keeps `status` and a given
    /// `metadata.generation`; fills in uid, creationTimestamp and generation when missing.
    pub fn put(&self, mut obj: Value) -> Result<Arc<Stored>, ApiError> {
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        let rt = resources::by_kind(api_version, kind).ok_or_else(|| {
            ApiError::bad_request(format!("ac-sim does not serve {api_version:?} {kind:?}"))
        })?;
        let name = meta_str(&obj, "name").unwrap_or("").to_string();
        if name.is_empty() {
            return Err(ApiError::bad_request("metadata.name is required"));
        }
        let ns = if rt.namespaced {
            meta_str(&obj, "namespace").unwrap_or("default").to_string()
        } else {
            String::new()
        };
        let mut inner = self.write();
        let old = inner
            .objects
            .get(rt.plural)
            .and_then(|m| m.get(&(ns.clone(), name.clone())))
            .cloned();
        let now = rfc3339(self.clock.now());
        let old_value = old.as_ref().map(|o| o.value());
        let uid = match old_value.as_ref().and_then(|o| meta_str(o, "uid")) {
            Some(u) => u.to_string(),
            None => Self::next_uid(&mut inner),
        };
        let old_meta = old_value.as_ref().and_then(|o| o.get("metadata").cloned());
        let gen_now = match (&old_value, generation_of(&obj)) {
            (_, Some(g)) => Some(g),
            _ if !rt.has_generation() => None,
            (None, None) => Some(1),
            (Some(o), None) => {
                let g = generation_of(o).unwrap_or(1);
                Some(if spec_part(o) != spec_part(&obj) {
                    g + 1
                } else {
                    g
                })
            }
        };
        let meta = meta_mut(&mut obj);
        if rt.namespaced {
            meta.insert("namespace".into(), ns.clone().into());
        } else {
            meta.remove("namespace");
        }
        if !meta.contains_key("uid") {
            meta.insert("uid".into(), uid.into());
        }
        if !meta.contains_key("creationTimestamp") {
            let ts = old_meta
                .as_ref()
                .and_then(|m| m.get("creationTimestamp").cloned())
                .unwrap_or_else(|| now.into());
            meta.insert("creationTimestamp".into(), ts);
        }
        if let Some(g) = gen_now {
            meta.insert("generation".into(), g.into());
        }
        let kind = if old.is_some() {
            EventType::Modified
        } else {
            EventType::Added
        };
        Ok(self.commit(&mut inner, rt, (ns, name), obj, kind))
    }

    /// Store `obj` (already complete) in place of the object if it is still at
    /// `expected_rv`; `None` when it changed meanwhile (or is gone). Nothing is written when
    /// `obj` equals the stored object.
    pub fn replace_if_current(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        expected_rv: u64,
        obj: Value,
    ) -> Option<Arc<Stored>> {
        let mut inner = self.write();
        let old = Self::lookup(&inner, rt, ns, name).ok()?;
        if old.rv != expected_rv {
            return None;
        }
        let key = (ns.unwrap_or("").to_string(), name.to_string());
        Some(self.commit(&mut inner, rt, key, obj, EventType::Modified))
    }

    /// Change a stored object in place (the controller writes status this way). Nothing is
    /// written when `f` leaves the object unchanged. Returns the stored object afterwards.
    pub fn update_with(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> Option<Arc<Stored>> {
        let mut inner = self.write();
        let old = Self::lookup(&inner, rt, ns, name).ok()?;
        let old_value = old.value();
        let mut new = old_value.clone();
        f(&mut new);
        if new == old_value {
            return Some(old);
        }
        let key = (ns.unwrap_or("").to_string(), name.to_string());
        Some(self.commit(&mut inner, rt, key, new, EventType::Modified))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::default_start;
    use crate::resources::{CONFIGMAPS, CVSH, PDMAN};
    use serde_json::json;

    fn store() -> Store {
        Store::new(Arc::new(SimClock::new(default_start())))
    }

    fn seed(s: &Store) {
        s.put(json!({
            "apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
            "metadata": {"name": "global", "namespace": "cpaas-system", "generation": 3},
            "spec": {"unknown": {"keep": true}},
            "status": {"current": {"version": "4.2.1"}, "observedGeneration": 3}
        }))
        .unwrap();
    }

    #[test]
    fn put_assigns_rv_and_keeps_generation() {
        let s = store();
        seed(&s);
        let g = s.get(&CVSH, Some("cpaas-system"), "global").unwrap();
        assert_eq!(g.value()["metadata"]["resourceVersion"], "1");
        assert_eq!(g.value()["metadata"]["generation"], 3);
        assert_eq!(
            g.value()["metadata"]["creationTimestamp"],
            "2026-11-23T08:00:00Z"
        );
        assert_eq!(s.current_rv(), 1);
    }

    #[test]
    fn merge_patch_bumps_generation_and_keeps_status_and_unknown_fields() {
        let s = store();
        seed(&s);
        let out = s
            .patch(
                &CVSH,
                Some("cpaas-system"),
                "global",
                PatchType::Merge,
                &json!({"spec": {"desiredUpdate": {"version": "4.3.0", "image": null}}, "status": {"current": {"version": "9.9.9"}}}),
                false,
            )
            .unwrap();
        assert_eq!(out.value()["metadata"]["generation"], 4);
        assert_eq!(out.value()["metadata"]["resourceVersion"], "2");
        assert_eq!(out.value()["status"]["current"]["version"], "4.2.1");
        assert_eq!(out.value()["spec"]["unknown"]["keep"], true);
        assert_eq!(
            out.value()["spec"]["desiredUpdate"],
            json!({"version": "4.3.0"})
        );
        // A no-op patch writes nothing.
        let same = s
            .patch(
                &CVSH,
                Some("cpaas-system"),
                "global",
                PatchType::Merge,
                &json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}}),
                false,
            )
            .unwrap();
        assert_eq!(same.rv, 2);
        // Labels do not bump the generation.
        let l = s
            .patch(
                &CVSH,
                Some("cpaas-system"),
                "global",
                PatchType::Merge,
                &json!({"metadata": {"labels": {"a": "b"}}}),
                false,
            )
            .unwrap();
        assert_eq!(l.value()["metadata"]["generation"], 4);
    }

    #[test]
    fn resource_version_precondition_conflicts() {
        let s = store();
        seed(&s);
        let e = s
            .patch(&CVSH, Some("cpaas-system"), "global", PatchType::Merge,
                &json!({"metadata": {"resourceVersion": "0"}, "spec": {"desiredUpdate": {"version": "4.3.0"}}}), false)
            .unwrap_err();
        assert_eq!(e.code, 409);
        assert!(e.message.starts_with("Operation cannot be fulfilled on clusterversionshadows.config.alauda.io \"global\": the object has been modified"));
        let ok = s
            .patch(&CVSH, Some("cpaas-system"), "global", PatchType::Merge,
                &json!({"metadata": {"resourceVersion": "1"}, "spec": {"desiredUpdate": {"version": "4.3.0"}}}), false)
            .unwrap();
        assert_eq!(ok.rv, 2);
    }

    #[test]
    fn validation_and_dry_run_do_not_store() {
        let s = store();
        seed(&s);
        let e = s
            .patch(
                &CVSH,
                Some("cpaas-system"),
                "global",
                PatchType::Merge,
                &json!({"spec": {"desiredUpdate": {"version": "4.3.0", "image": "r/x:1"}}}),
                false,
            )
            .unwrap_err();
        assert_eq!(e.code, 422);
        let d = s
            .patch(
                &CVSH,
                Some("cpaas-system"),
                "global",
                PatchType::Merge,
                &json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}}),
                true,
            )
            .unwrap();
        assert_eq!(d.value()["spec"]["desiredUpdate"]["version"], "4.3.0");
        assert_eq!(s.current_rv(), 1);
        assert!(
            s.get(&CVSH, Some("cpaas-system"), "global")
                .unwrap()
                .value()["spec"]
                .get("desiredUpdate")
                .is_none()
        );
    }

    #[test]
    fn create_conflicts_and_strips_status() {
        let s = store();
        let pm = json!({"apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
            "metadata": {"name": "v4.3.0"}, "spec": {"version": "4.3.0"}, "status": {"x": 1}});
        let c = s.create(&PDMAN, None, pm.clone(), false).unwrap();
        assert_eq!(c.value()["metadata"]["generation"], 1);
        assert!(c.value().get("status").is_none());
        assert!(c.value()["metadata"]["uid"].is_string());
        assert_eq!(
            s.create(&PDMAN, None, pm, false).unwrap_err().reason,
            "AlreadyExists"
        );
        let e = s
            .patch(
                &PDMAN,
                None,
                "v4.3.0",
                PatchType::Merge,
                &json!({"spec": {"version": "4.3.1"}}),
                false,
            )
            .unwrap_err();
        assert_eq!(e.code, 422);
    }

    #[test]
    fn events_and_expiry() {
        let s = store();
        seed(&s);
        s.create(
            &CONFIGMAPS,
            Some("cpaas-system"),
            json!({"metadata": {"name": "admin-acks"}}),
            false,
        )
        .unwrap();
        let evs = s.events_after(0).unwrap();
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[1].kind, EventType::Added);
        assert_eq!(s.events_after(1).unwrap().len(), 1);
        s.delete(&CONFIGMAPS, Some("cpaas-system"), "admin-acks", false)
            .unwrap();
        assert_eq!(s.events_after(2).unwrap()[0].kind, EventType::Deleted);
        s.expire_history();
        assert_eq!(s.events_after(1).unwrap_err(), 3);
        assert!(s.events_after(3).unwrap().is_empty());
        let (items, rv) = s.list(&CONFIGMAPS, Some("cpaas-system"));
        assert!(items.is_empty());
        assert_eq!(rv, 3);
    }

    #[test]
    fn pages() {
        let s = store();
        for i in 0..5 {
            s.put(json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("cm-{i}"), "namespace": if i == 4 { "other" } else { "cpaas-system" }}}))
                .unwrap();
        }
        let p = s.list_page(&CONFIGMAPS, Some("cpaas-system"), None, 2, |_| true);
        assert_eq!(
            p.items.iter().map(|o| o.name()).collect::<Vec<_>>(),
            ["cm-0", "cm-1"]
        );
        assert!(p.more);
        assert_eq!(p.remaining, 2);
        let after = ("cpaas-system".to_string(), "cm-1".to_string());
        let p = s.list_page(&CONFIGMAPS, Some("cpaas-system"), Some(&after), 2, |_| true);
        assert_eq!(
            p.items.iter().map(|o| o.name()).collect::<Vec<_>>(),
            ["cm-2", "cm-3"]
        );
        assert!(!p.more);
        let all = s.list_page(&CONFIGMAPS, None, None, 0, |o| o.name() != "cm-0");
        assert_eq!(all.items.len(), 4);
    }

    #[test]
    fn update_with_is_a_noop_when_unchanged() {
        let s = store();
        seed(&s);
        let same = s
            .update_with(&CVSH, Some("cpaas-system"), "global", |_| {})
            .unwrap();
        assert_eq!(same.rv, 1);
        let changed = s
            .update_with(&CVSH, Some("cpaas-system"), "global", |v| {
                v["status"]["observedGeneration"] = 4.into()
            })
            .unwrap();
        assert_eq!(changed.rv, 2);
        assert_eq!(changed.value()["metadata"]["resourceVersion"], "2");
    }
}
