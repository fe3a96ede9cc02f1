//! Watch streams: `{"type":…,"object":…}\n` lines over a chunked response.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::query::Selector;
use crate::resources::ResourceType;
use crate::response::Body;
use crate::shared::Shared;
use crate::store::{EventType, Stored};
use crate::table::{IncludeObject, table};

/// How often a watch that asked for bookmarks gets one (real time).
pub const BOOKMARK_INTERVAL: Duration = Duration::from_secs(5);

pub struct WatchParams {
    pub rt: &'static ResourceType,
    pub ns: Option<String>,
    pub fields: Selector,
    pub labels: Selector,
    /// `None`: start with ADDED events for the current objects; `Some(rv)`: changes after rv.
    pub start: Option<u64>,
    pub timeout: Option<Duration>,
    pub bookmarks: bool,
    /// `sendInitialEvents=true`: end the initial ADDED events with a bookmark.
    pub initial_events_end: bool,
    pub table: Option<IncludeObject>,
}

struct WatchState {
    shared: Arc<Shared>,
    p: WatchParams,
    cursor: u64,
    queue: VecDeque<Bytes>,
    notify: watch::Receiver<u64>,
    drops: watch::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
    deadline: Option<Instant>,
    next_bookmark: Instant,
    done: bool,
}

impl WatchState {
    fn matches(&self, obj: &Stored) -> bool {
        if let Some(ns) = &self.p.ns
            && obj.namespace() != Some(ns.as_str())
        {
            return false;
        }
        self.p.fields.matches_fields(obj.selectable())
            && self.p.labels.matches_labels(obj.selectable())
    }

    fn encode(&self, kind: &str, obj: &Stored) -> Bytes {
        match self.p.table {
            Some(include) => {
                let t = table(
                    self.p.rt,
                    &[&obj.value()],
                    json!({"resourceVersion": obj.rv.to_string()}),
                    include,
                    self.shared.clock.now(),
                );
                line(&json!({"type": kind, "object": t}))
            }
            None => {
                let mut b = Vec::with_capacity(obj.json.len() + 32);
                b.extend_from_slice(b"{\"type\":\"");
                b.extend_from_slice(kind.as_bytes());
                b.extend_from_slice(b"\",\"object\":");
                b.extend_from_slice(&obj.json);
                b.extend_from_slice(b"}\n");
                Bytes::from(b)
            }
        }
    }

    fn bookmark(&self, initial_end: bool) -> Bytes {
        let mut meta = json!({"resourceVersion": self.cursor.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        line(&json!({"type": "BOOKMARK", "object": {
            "kind": self.p.rt.kind, "apiVersion": self.p.rt.api_version(), "metadata": meta}}))
    }
}

fn line(v: &Value) -> Bytes {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    Bytes::from(b)
}

/// The ERROR event a real server sends when a watch starts before the compacted history.
pub fn expired_event(requested: u64, oldest: u64) -> Bytes {
    line(&json!({"type": "ERROR", "object": {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": format!("too old resource version: {requested} ({oldest})"),
        "reason": "Expired", "code": 410}}))
}

async fn next(mut st: WatchState) -> Option<(Result<Frame<Bytes>, io::Error>, WatchState)> {
    loop {
        if let Some(b) = st.queue.pop_front() {
            return Some((Ok(Frame::data(b)), st));
        }
        if st.done {
            return None;
        }
        st.notify.borrow_and_update();
        match st.shared.store.events_after(st.cursor) {
            Ok(events) => {
                for e in events {
                    st.cursor = e.rv;
                    if std::ptr::eq(e.rt, st.p.rt) && st.matches(&e.obj) {
                        let b = st.encode(e.kind.as_str(), &e.obj);
                        st.queue.push_back(b);
                    }
                }
            }
            Err(oldest) => {
                st.queue.push_back(expired_event(st.cursor, oldest));
                st.done = true;
                continue;
            }
        }
        if !st.queue.is_empty() {
            continue;
        }
        let far = Instant::now() + Duration::from_secs(86_400 * 365);
        let deadline = st.deadline.unwrap_or(far);
        let bookmark_at = if st.p.bookmarks && st.p.table.is_none() {
            st.next_bookmark
        } else {
            far
        };
        tokio::select! {
            r = st.notify.changed() => {
                if r.is_err() {
                    return None;
                }
            }
            _ = st.drops.changed() => {
                st.done = true;
                let err = io::Error::new(io::ErrorKind::ConnectionAborted, "watch dropped by ac-sim");
                return Some((Err(err), st));
            }
            _ = st.shutdown.changed() => return None,
            _ = tokio::time::sleep_until(deadline) => return None,
            _ = tokio::time::sleep_until(bookmark_at) => {
                st.next_bookmark = Instant::now() + BOOKMARK_INTERVAL;
                let b = st.bookmark(false);
                st.queue.push_back(b);
            }
        }
    }
}

/// Start a watch; the caller has already checked authorization and parameters.
pub fn watch_body(shared: &Arc<Shared>, p: WatchParams) -> Body {
    let store = &shared.store;
    let mut notify = store.subscribe();
    notify.borrow_and_update();
    let mut st = WatchState {
        shared: shared.clone(),
        cursor: 0,
        queue: VecDeque::new(),
        notify,
        drops: shared.drop_watches.subscribe(),
        shutdown: shared.shutdown.subscribe(),
        deadline: p.timeout.map(|t| Instant::now() + t),
        next_bookmark: Instant::now() + BOOKMARK_INTERVAL,
        done: false,
        p,
    };
    match st.p.start {
        None => {
            let (items, rv) = store.list(st.p.rt, st.p.ns.as_deref());
            st.cursor = rv;
            let initial: Vec<Bytes> = items
                .iter()
                .filter(|o| st.matches(o))
                .map(|o| st.encode(EventType::Added.as_str(), o))
                .collect();
            st.queue.extend(initial);
            if st.p.initial_events_end {
                let b = st.bookmark(true);
                st.queue.push_back(b);
            }
        }
        Some(rv) => {
            st.cursor = rv;
            if let Err(oldest) = store.events_after(rv) {
                st.queue.push_back(expired_event(rv, oldest));
                st.done = true;
            }
        }
    }
    StreamBody::new(stream::unfold(st, next)).boxed_unsync()
}
