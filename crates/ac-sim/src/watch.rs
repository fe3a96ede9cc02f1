//! Watch streams: `{"type":…,"object":…}\n` lines over a chunked response, and the watch
//! faults played on them (`crate::faults`: a foreign object's event, one event per stream, an
//! ERROR 410 event, a line that never ends).

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, stream};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::faults::FaultKind;
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
    /// A watch fault to play on this stream ([`FaultKind::is_watch_stream`]).
    pub fault: Option<FaultKind>,
}

struct WatchState {
    shared: Arc<Shared>,
    params: WatchParams,
    cursor: u64,
    queue: VecDeque<Bytes>,
    notify: watch::Receiver<u64>,
    drops: watch::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
    deadline: Option<Instant>,
    next_bookmark: Instant,
    done: bool,
    /// The `one-event` fault: the stream ends after its first event.
    one_event: bool,
}

impl WatchState {
    fn matches(&self, obj: &Stored) -> bool {
        if let Some(ns) = &self.params.ns
            && obj.namespace() != Some(ns.as_str())
        {
            return false;
        }
        self.params.fields.matches_fields(obj.selectable())
            && self.params.labels.matches_labels(obj.selectable())
    }

    fn encode(&self, kind: &str, obj: &Stored) -> Bytes {
        match self.params.table {
            Some(include) => {
                let t = table(
                    self.params.rt,
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
            "kind": self.params.rt.kind, "apiVersion": self.params.rt.api_version(), "metadata": meta}}))
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

async fn next(mut state: WatchState) -> Option<(Result<Frame<Bytes>, io::Error>, WatchState)> {
    loop {
        if let Some(bytes) = state.queue.pop_front() {
            if state.one_event {
                state.queue.clear();
                state.done = true;
            }
            return Some((Ok(Frame::data(bytes)), state));
        }
        if state.done {
            return None;
        }
        state.notify.borrow_and_update();
        match state.shared.store.events_after(state.cursor) {
            Ok(events) => {
                for event in events {
                    state.cursor = event.rv;
                    if std::ptr::eq(event.rt, state.params.rt) && state.matches(&event.obj) {
                        let bytes = state.encode(event.kind.as_str(), &event.obj);
                        state.queue.push_back(bytes);
                    }
                }
            }
            Err(oldest) => {
                state.queue.push_back(expired_event(state.cursor, oldest));
                state.done = true;
                continue;
            }
        }
        if !state.queue.is_empty() {
            continue;
        }
        let far = Instant::now() + Duration::from_secs(86_400 * 365);
        let deadline = state.deadline.unwrap_or(far);
        let bookmark_at = if state.params.bookmarks && state.params.table.is_none() {
            state.next_bookmark
        } else {
            far
        };
        tokio::select! {
            r = state.notify.changed() => {
                if r.is_err() {
                    return None;
                }
            }
            _ = state.drops.changed() => {
                state.done = true;
                let err = io::Error::new(io::ErrorKind::ConnectionAborted, "watch dropped by ac-sim");
                return Some((Err(err), state));
            }
            _ = state.shutdown.changed() => return None,
            _ = tokio::time::sleep_until(deadline) => return None,
            _ = tokio::time::sleep_until(bookmark_at) => {
                state.next_bookmark = Instant::now() + BOOKMARK_INTERVAL;
                let bytes = state.bookmark(false);
                state.queue.push_back(bytes);
            }
        }
    }
}

/// What the `endless-line` fault sends, again and again: never a newline.
const ENDLESS_CHUNK: &[u8] = &[b'x'; 64 * 1024];

/// Start a watch; the caller has already checked authorization and parameters.
pub fn watch_body(shared: &Arc<Shared>, params: WatchParams) -> Body {
    if params.fault == Some(FaultKind::EndlessLine) {
        let head = Bytes::from_static(br#"{"type":"MODIFIED","object":{"padding":""#);
        let endless = stream::once(async move { Ok::<_, io::Error>(Frame::data(head)) }).chain(
            stream::repeat_with(|| Ok(Frame::data(Bytes::from_static(ENDLESS_CHUNK)))),
        );
        return StreamBody::new(endless).boxed_unsync();
    }
    let store = &shared.store;
    let mut notify = store.subscribe();
    notify.borrow_and_update();
    let mut state = WatchState {
        shared: shared.clone(),
        cursor: 0,
        queue: VecDeque::new(),
        notify,
        drops: shared.drop_watches.subscribe(),
        shutdown: shared.shutdown.subscribe(),
        deadline: params.timeout.map(|timeout| Instant::now() + timeout),
        next_bookmark: Instant::now() + BOOKMARK_INTERVAL,
        done: false,
        one_event: params.fault == Some(FaultKind::OneEvent),
        params,
    };
    if state.params.fault == Some(FaultKind::ExpiredEvent) {
        let requested = state.params.start.unwrap_or(0);
        state
            .queue
            .push_back(expired_event(requested, store.current_rv()));
        state.done = true;
        return StreamBody::new(stream::unfold(state, next)).boxed_unsync();
    }
    match state.params.start {
        None => {
            let (items, rv) = store.list(state.params.rt, state.params.ns.as_deref());
            state.cursor = rv;
            let initial: Vec<Bytes> = items
                .iter()
                .filter(|object| state.matches(object))
                .map(|object| state.encode(EventType::Added.as_str(), object))
                .collect();
            state.queue.extend(initial);
            if state.params.initial_events_end {
                let bytes = state.bookmark(true);
                state.queue.push_back(bytes);
            }
        }
        Some(rv) => {
            state.cursor = rv;
            if let Err(oldest) = store.events_after(rv) {
                state.queue.push_back(expired_event(rv, oldest));
                state.done = true;
            }
        }
    }
    if let Some(FaultKind::ForeignEvent(name)) = &state.params.fault
        && let Some(foreign) = store.get(state.params.rt, state.params.ns.as_deref(), name)
    {
        let bytes = state.encode(EventType::Modified.as_str(), &foreign);
        state.queue.push_back(bytes);
    }
    StreamBody::new(stream::unfold(state, next)).boxed_unsync()
}
