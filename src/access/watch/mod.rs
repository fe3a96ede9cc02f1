//! Watching: one LIST, then one WATCH from the LIST's resourceVersion, kept up for as long as
//! the caller wants, over one connection at a time whatever the number of objects.
//!
//! - [`Watcher`] follows a collection (all ClusterVersionShadows, for the rollout; any resource
//!   and field selector): each LIST page and each event is handed over as it is read, read
//!   straight into the caller's `T`, so the caller keeps what it needs and nothing holds a
//!   whole fleet of objects. [`Event`]: `Listed(page)`… `Synced`, then `Upserted` / `Deleted`;
//!   after a lost place `Relisting`, `Relisted(page)`… `Synced`.
//! - [`ObjectWatch`] follows one named object (`--watch`, `--wait`) on top of it: events are
//!   matched by name, and by uid once one is seen; others are ignored (counted, `-v=6`).
//!
//! Recovery: a stream that stayed open a healthy while ([`backoff::HEALTHY`]), however it
//! ended, is reopened at once from the last resourceVersion (event or bookmark; bookmarks are
//! asked for). Anything else — a shorter stream, a refused or failed WATCH or LIST (5xx, 429,
//! transport, a timeout) — is a failure (so is silence past the server's `timeoutSeconds` plus
//! a margin, which ends a stream as dropped): the next attempt waits an
//! exponential backoff with jitter and a cap ([`backoff`]), resumes from the last
//! resourceVersion the first time and re-LISTs from the second failure in a row. A 410 (an
//! `ERROR` event, or the answer to the watch request itself) always re-LISTs and watches from
//! the LIST's resourceVersion, never from an object's own (which is just as old). What
//! reconnecting cannot cure ends the watch with the error: 401, 403, 404, an event line over
//! 16 MiB, text that is not JSON. The caller bounds the whole with its own deadline
//! (`--timeout`); `--request-timeout` bounds each request up to its first byte, not a
//! stream's life.
//!
//! kube's `kube::runtime::watcher` is not used: `docs/design.md` ("Watching") says why.

pub mod backoff;
mod object;
mod stream;

use std::time::{Duration, Instant};

use kube::api::{Resource, WatchParams};
use kube::core::ApiResource;
use serde::de::DeserializeOwned;
use serde_json::Value;

use self::backoff::{Backoff, Then};
use self::stream::{Line, Read};
use super::api::Pages;
use super::client::{Conn, Op};
use super::object::{NAMESPACE, RawObject, cvsh_resource, pdman_resource};
use crate::error::{AcError, ErrorKind, Result};

pub use self::object::{ObjectWatch, Seen};
pub use self::stream::MAX_EVENT_BYTES;

/// Seconds the server is asked to keep each watch open (`timeoutSeconds`).
pub const WINDOW_SECS: u32 = 240;

/// A stream silent this long past its `timeoutSeconds` is taken for dead.
pub const IDLE_MARGIN: Duration = Duration::from_secs(30);

/// `-v` from which watches trace reconnects, relists and ignored events.
pub const TRACE_VERBOSITY: u8 = 6;

/// What a [`Watcher`] hands over, in order.
#[derive(Debug)]
pub enum Event<T> {
    /// A page of the first LIST.
    Listed(Vec<T>),
    /// A LIST starts again: the watch lost its place (a 410, or repeated failures), or a LIST
    /// broke after handing over pages. What is listed from here to the next [`Event::Synced`]
    /// is the whole collection: anything known before and not listed since is gone.
    Relisting,
    /// A page of a LIST made again (after [`Event::Relisting`]).
    Relisted(Vec<T>),
    /// The (re)list is complete; changes follow as [`Event::Upserted`] and [`Event::Deleted`].
    Synced,
    /// An object was added or changed (`ADDED`, `MODIFIED`).
    Upserted(T),
    /// An object was deleted (its last state).
    Deleted(T),
}

/// What a watcher did so far: requests made and events set aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// LISTs made (each perhaps of several pages), the first included.
    pub lists: u32,
    /// WATCH requests sent.
    pub watches: u32,
    /// Events not handed over: no name, not readable as `T`, or of an unknown type.
    pub ignored: u64,
}

/// Which objects to watch.
#[derive(Debug, Clone)]
pub struct Spec {
    pub resource: ApiResource,
    pub namespace: Option<String>,
    /// E.g. `metadata.name=global` (a single object's watch).
    pub field_selector: Option<String>,
    /// The name, for messages and the error mapping of a single object's watch.
    pub name: Option<String>,
}

enum State<T> {
    /// The next step is a LIST (`relist`: not the first; `announced`: `Relisting` was said).
    Start {
        relist: bool,
        announced: bool,
    },
    Listing {
        pages: Box<Pages<T>>,
        relist: bool,
    },
    /// The next step is a WATCH from `Watcher::resource_version`.
    Connect,
    Streaming {
        stream: Box<stream::Stream>,
        opened: Instant,
    },
    /// Backing off until `until`, then `then`.
    Waiting {
        until: tokio::time::Instant,
        then: Then,
    },
}

/// A LIST + WATCH of a collection, kept up until the caller stops asking. See the module
/// documentation for recovery.
///
/// [`Watcher::next`] is cancel-safe (it can be a branch of `tokio::select!`): all progress is
/// kept in the watcher, so a cancelled call at worst repeats the request it was making.
pub struct Watcher<T> {
    conn: Conn,
    spec: Spec,
    state: State<T>,
    /// Where the next WATCH starts: the LIST's resourceVersion, then the last event's or
    /// bookmark's.
    resource_version: String,
    backoff: Backoff,
    stats: Stats,
    /// A LIST page was handed over: every later LIST is a relist.
    handed_over: bool,
}

impl<T: DeserializeOwned> Watcher<T> {
    pub fn new(conn: Conn, spec: Spec) -> Watcher<T> {
        Watcher {
            conn,
            spec,
            state: State::Start {
                relist: false,
                announced: false,
            },
            resource_version: String::new(),
            backoff: Backoff::new(Backoff::random_seed()),
            stats: Stats::default(),
            handed_over: false,
        }
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The resourceVersion the watch is at (empty before the first LIST completes).
    pub fn resource_version(&self) -> &str {
        &self.resource_version
    }

    fn op(&self, verb: &'static str) -> Op {
        self.conn.op(
            verb,
            &self.spec.resource,
            self.spec.name.as_deref(),
            self.spec.namespace.as_deref(),
        )
    }

    fn trace(&self, line: impl FnOnce() -> String) {
        if self.conn.verbosity >= TRACE_VERBOSITY {
            self.conn.diagnostics.trace(&format!(
                "I watch {}: {}",
                self.op("watch").what(),
                line()
            ));
        }
    }

    /// The next event. Retries (with backoff) whatever a later attempt may cure, forever: the
    /// caller's deadline bounds it. `Err` is final.
    pub async fn next(&mut self) -> Result<Event<T>> {
        loop {
            match &mut self.state {
                State::Waiting { until, then } => {
                    let (until, then) = (*until, *then);
                    tokio::time::sleep_until(until).await;
                    self.state = match then {
                        Then::Resume => State::Connect,
                        // The first LIST again if it never handed anything over.
                        Then::Relist => State::Start {
                            relist: self.handed_over,
                            announced: false,
                        },
                    };
                }
                State::Start { relist, announced } => {
                    let relist = *relist;
                    if relist && !*announced {
                        *announced = true;
                        return Ok(Event::Relisting);
                    }
                    self.conn.renew_deadline();
                    self.stats.lists += 1;
                    let pages = Box::new(self.conn.pages(
                        &self.spec.resource,
                        self.spec.namespace.as_deref(),
                        self.spec.field_selector.as_deref(),
                    ));
                    self.state = State::Listing { pages, relist };
                }
                State::Listing { pages, relist } => {
                    let relist = *relist;
                    match pages.next().await {
                        Ok(Some(items)) => {
                            self.handed_over = true;
                            return Ok(if relist {
                                Event::Relisted(items)
                            } else {
                                Event::Listed(items)
                            });
                        }
                        Ok(None) => match pages.resource_version().map(str::to_string) {
                            Some(version) => {
                                self.resource_version = version;
                                self.state = State::Connect;
                                return Ok(Event::Synced);
                            }
                            None => self.failed(
                                "the LIST answer has no metadata.resourceVersion to watch from",
                                None,
                                Then::Relist,
                            ),
                        },
                        Err(e) if recoverable(&e) => {
                            let why = e.message.clone();
                            self.failed(&why, Some(&e), Then::Relist);
                        }
                        Err(e) => return Err(e),
                    }
                }
                State::Connect => {
                    self.conn.renew_deadline();
                    self.stats.watches += 1;
                    match self.open().await {
                        Ok(stream) => {
                            self.state = State::Streaming {
                                stream: Box::new(stream),
                                opened: Instant::now(),
                            }
                        }
                        Err(e) if e.status == Some(410) => self.failed(
                            "the watch request was answered 410 Gone",
                            None,
                            Then::Relist,
                        ),
                        Err(e) if recoverable(&e) => {
                            let why = e.message.clone();
                            self.failed(&why, Some(&e), Then::Resume);
                        }
                        Err(e) => return Err(e),
                    }
                }
                State::Streaming { stream, opened } => {
                    let opened = *opened;
                    match stream.next().await? {
                        Read::Line(line) => {
                            if let Some(event) = self.on_line(line, opened)? {
                                return Ok(event);
                            }
                        }
                        Read::End => self.ended(opened, "the server ended the stream"),
                        Read::Dropped(why) => self.ended(opened, &why),
                    }
                }
            }
        }
    }

    async fn open(&self) -> Result<stream::Stream> {
        let params = WatchParams {
            field_selector: self.spec.field_selector.clone(),
            timeout: Some(WINDOW_SECS),
            bookmarks: true,
            ..WatchParams::default()
        };
        let path = RawObject::url_path(&self.spec.resource, self.spec.namespace.as_deref());
        let request = kube::core::Request::new(path)
            .watch(&params, &self.resource_version)
            .map_err(|e| AcError::usage(format!("cannot build the watch request: {e}")))?;
        let idle = Duration::from_secs(u64::from(WINDOW_SECS)) + IDLE_MARGIN;
        stream::open(&self.conn, &self.op("watch"), request, idle).await
    }

    /// One line of the stream: an event to hand over, or `None` (a bookmark, an ignored
    /// event, or a failure that changed the state).
    fn on_line(&mut self, line: Line, opened: Instant) -> Result<Option<Event<T>>> {
        match line {
            Line::Upsert(object) => Ok(self.object(object).map(Event::Upserted)),
            Line::Delete(object) => Ok(self.object(object).map(Event::Deleted)),
            Line::Bookmark(version) => {
                if let Some(version) = version {
                    self.resource_version = version;
                }
                Ok(None)
            }
            Line::Error(status) if status.code == 410 => {
                self.failed(
                    &format!(
                        "the watch lost its place (410 {}): re-listing",
                        crate::output::text::one_line(&status.reason)
                    ),
                    None,
                    Then::Relist,
                );
                Ok(None)
            }
            Line::Error(status) if status.code >= 500 || status.code == 429 => {
                self.ended(
                    opened,
                    &format!(
                        "the server sent an ERROR event ({}: {})",
                        status.code,
                        crate::output::text::one_line(&status.message)
                    ),
                );
                Ok(None)
            }
            Line::Error(status) => {
                let op = self.op("watch");
                Err(super::errors::map(
                    kube::Error::Api(status),
                    &op,
                    self.conn.request_timeout,
                ))
            }
            Line::Unknown(kind) => {
                self.stats.ignored += 1;
                self.trace(|| format!("ignored an event of unknown type {kind:?}"));
                Ok(None)
            }
        }
    }

    /// An event's object as `T`, after moving the resourceVersion on; `None` (ignored) when it
    /// has no name or is not readable as `T`.
    fn object(&mut self, object: Value) -> Option<T> {
        if let Some(version) = stream::resource_version(&object) {
            self.resource_version = version;
        }
        let named = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .is_some_and(|name| !name.is_empty());
        match named.then(|| T::deserialize(object)) {
            Some(Ok(item)) => Some(item),
            _ => {
                self.stats.ignored += 1;
                self.trace(|| "ignored an event whose object has no name or cannot be read".into());
                None
            }
        }
    }

    /// The stream ended or broke after `opened`: at once again after a healthy stream, else a
    /// failure.
    fn ended(&mut self, opened: Instant, why: &str) {
        let open_for = opened.elapsed();
        if backoff::healthy(open_for) {
            self.backoff.reset();
            self.trace(|| {
                format!(
                    "{why} after {}; watching again from resourceVersion {}",
                    millis(open_for),
                    self.resource_version
                )
            });
            self.state = State::Connect;
        } else {
            self.failed(
                &format!("{why} after {}", millis(open_for)),
                None,
                Then::Resume,
            );
        }
    }

    /// A failure: wait the backoff, then resume or re-list ([`backoff::then`]). An error the
    /// server answered is a warning the first time and at every power of two in a row; short
    /// streams and 410s warn from the fourth in a row on.
    fn failed(&mut self, why: &str, error: Option<&AcError>, asked: Then) {
        let wait = self.backoff.fail();
        let failures = self.backoff.failures();
        let then = backoff::then(failures, asked);
        let until = tokio::time::Instant::now() + wait;
        let next = match then {
            Then::Resume => format!("from resourceVersion {}", self.resource_version),
            Then::Relist => "re-listing first".to_string(),
        };
        let in_wait = millis(wait);
        self.trace(|| format!("{why}; failure {failures} in a row, again in {in_wait} {next}"));
        let power_of_two = failures.is_power_of_two();
        match error {
            Some(e) if failures == 1 || power_of_two => self
                .conn
                .diagnostics
                .warn(&format!("{} (retrying in {in_wait})", e.message)),
            None if failures >= 4 && power_of_two => {
                self.conn.diagnostics.warn(&format!(
                    "the watch of {} on {} failed {failures} times in a row ({why}); retrying in {in_wait}",
                    self.op("watch").what(),
                    self.conn.endpoint
                ))
            }
            _ => {}
        }
        self.state = State::Waiting { until, then };
    }
}

/// A duration to the millisecond (`1s234ms`), for messages.
fn millis(d: Duration) -> String {
    crate::duration::format(Duration::from_millis(d.as_millis() as u64))
}

/// What a later attempt may cure: 5xx, 429, transport failures, and a request that timed out
/// (`--request-timeout`; the whole watch has its own deadline).
fn recoverable(e: &AcError) -> bool {
    e.retryable || e.kind == ErrorKind::Timeout || e.kind == ErrorKind::Transport
}

impl Conn {
    /// Every ClusterVersionShadow of the platform: one LIST (in pages), then one WATCH,
    /// each object read straight into `T` (e.g. the lenient `Cvsh` view, or a caller's own
    /// smaller type).
    pub fn watch_cvsh_collection<T: DeserializeOwned>(&self) -> Watcher<T> {
        Watcher::new(
            self.clone(),
            Spec {
                resource: cvsh_resource(),
                namespace: Some(NAMESPACE.to_string()),
                field_selector: None,
                name: None,
            },
        )
    }

    /// One ClusterVersionShadow (the cluster's upgrade).
    pub fn watch_cvsh(&self, name: &str) -> ObjectWatch {
        ObjectWatch::new(self.clone(), cvsh_resource(), Some(NAMESPACE), name)
    }

    /// One ProductManifest.
    pub fn watch_pdman(&self, name: &str) -> ObjectWatch {
        ObjectWatch::new(self.clone(), pdman_resource(), None, name)
    }
}
