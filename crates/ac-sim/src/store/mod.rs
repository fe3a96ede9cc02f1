//! The object store: objects by type/namespace/name, one global resourceVersion counter and a
//! bounded event log that feeds watches. Reads, the event log and the writes of the simulator
//! itself (seeding, the controller's status) are here; the API's writes, with validation and
//! preconditions, are in `api_writes`.

mod api_writes;
mod object;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::Value;
use tokio::sync::watch;

pub use self::object::{Key, Stored};
use self::object::{generation_of, meta_mut, meta_str, next_generation};
use crate::clock::{SimClock, rfc3339};
pub use crate::patch::PatchType;
use crate::resources::{self, ResourceType};
use crate::status::ApiError;

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
    /// Its place in the process-wide order ([`crate::order`]).
    pub seq: u64,
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
    /// Per type (plural): the resourceVersion of its latest change.
    changed: HashMap<&'static str, u64>,
}

/// The number of events kept for watches.
pub const EVENT_LOG_CAPACITY: usize = 10_000;

#[derive(Debug)]
pub struct Store {
    inner: RwLock<Inner>,
    notify: watch::Sender<u64>,
    clock: Arc<SimClock>,
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

    /// The resourceVersion of the latest change to any object of `rt` (0: none yet): a
    /// reader that saw this value has seen every object of the type as it is.
    pub fn changed_at(&self, rt: &ResourceType) -> u64 {
        self.read().changed.get(rt.plural).copied().unwrap_or(0)
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
        let Some(objects) = inner.objects.get(rt.plural) else {
            return page;
        };
        let start = match (after, ns) {
            (Some(key), _) => Bound::Excluded(key.clone()),
            (None, Some(ns)) => Bound::Included((ns.to_string(), String::new())),
            (None, None) => Bound::Unbounded,
        };
        let range = objects
            .range((start, Bound::Unbounded))
            .take_while(|((n, _), _)| ns.is_none_or(|ns| n == ns))
            .map(|(_, object)| object)
            .filter(|object| keep(object));
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
        inner.changed.insert(rt.plural, rv);
        let map = inner.objects.entry(rt.plural).or_default();
        if kind == EventType::Deleted {
            map.remove(&key);
        } else {
            map.insert(key, stored.clone());
        }
        inner.events.push_back(Arc::new(Event {
            rv,
            seq: crate::order::next(),
            kind,
            rt,
            obj: stored.clone(),
        }));
        while inner.events.len() > EVENT_LOG_CAPACITY {
            if let Some(event) = inner.events.pop_front() {
                inner.compacted = event.rv;
            }
        }
        self.notify.send_replace(rv);
        stored
    }

    fn next_uid(inner: &mut Inner) -> String {
        inner.uid_seq += 1;
        format!("5a1e0000-0000-4000-8000-{:012x}", inner.uid_seq)
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
            .and_then(|objects| objects.get(&(ns.clone(), name.clone())))
            .cloned();
        let now = rfc3339(self.clock.now());
        let old_value = old.as_ref().map(|stored| stored.value());
        let uid = match old_value
            .as_ref()
            .and_then(|stored| meta_str(stored, "uid"))
        {
            Some(uid) => uid.to_string(),
            None => Self::next_uid(&mut inner),
        };
        let old_meta = old_value
            .as_ref()
            .and_then(|stored| stored.get("metadata").cloned());
        let generation = match (&old_value, generation_of(&obj)) {
            (_, Some(given)) => Some(given),
            _ if !rt.has_generation() => None,
            (None, None) => Some(1),
            (Some(old_value), None) => Some(next_generation(old_value, &obj)),
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
                .and_then(|meta| meta.get("creationTimestamp").cloned())
                .unwrap_or_else(|| now.into());
            meta.insert("creationTimestamp".into(), ts);
        }
        if let Some(generation) = generation {
            meta.insert("generation".into(), generation.into());
        }
        let kind = if old.is_some() {
            EventType::Modified
        } else {
            EventType::Added
        };
        Ok(self.commit(&mut inner, rt, (ns, name), obj, kind))
    }

    /// Store `obj` (already complete) in place of the object if it is still at
    /// `expected_rv`; `None` when it changed meanwhile (or is gone).
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
    /// written when `change` leaves the object unchanged. Returns the stored object afterwards.
    pub fn update_with(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        change: impl FnOnce(&mut Value),
    ) -> Option<Arc<Stored>> {
        let mut inner = self.write();
        let old = Self::lookup(&inner, rt, ns, name).ok()?;
        let old_value = old.value();
        let mut new = old_value.clone();
        change(&mut new);
        if new == old_value {
            return Some(old);
        }
        let key = (ns.unwrap_or("").to_string(), name.to_string());
        Some(self.commit(&mut inner, rt, key, new, EventType::Modified))
    }
}
