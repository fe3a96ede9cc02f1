//! Following one object through the Kubernetes watch API: GET, then watch from its
//! resourceVersion; reconnect when the stream ends or drops; re-GET on 410 Gone; retry
//! transient failures until the deadline; Ctrl-C ends cleanly.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::StreamExt;
use kube::api::WatchEvent;
use serde_json::Value;

use crate::access::client::Conn;
use crate::error::{AcError, ErrorKind, Result};
use crate::output::Printer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Res {
    Cvsh,
    Pdman,
}

/// What a step decided.
pub enum Step<T> {
    Continue,
    Done(Result<T>),
}

/// Seconds a single watch request may stay open before the client reconnects.
const WATCH_WINDOW_SECS: u32 = 240;

async fn get(conn: &Conn, res: Res, name: &str) -> Result<Value> {
    match res {
        Res::Cvsh => conn.get_cvsh(name).await,
        Res::Pdman => conn.get_pdman(name).await?.ok_or_else(|| {
            AcError::api(format!(
                "ProductManifest {name} was deleted while waiting for it"
            ))
        }),
    }
}

fn rv_of(v: &Value) -> String {
    v.pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Follow `name` until `step` says done, `timeout` passes (exit 4) or Ctrl-C (exit 130).
pub async fn follow<T>(
    printer: &Printer,
    conn: Conn,
    res: Res,
    name: &str,
    timeout: Duration,
    what: &str,
    mut step: impl FnMut(&Value) -> Step<T>,
) -> Result<T> {
    let deadline = Instant::now() + timeout;
    let body = watch_loop(printer, conn, res, name, &mut step);
    with_deadline_and_interrupt(body, deadline, timeout, what).await
}

pub async fn with_deadline_and_interrupt<T>(
    body: impl Future<Output = Result<T>>,
    deadline: Instant,
    timeout: Duration,
    what: &str,
) -> Result<T> {
    tokio::select! {
        r = tokio::time::timeout_at(deadline.into(), body) => match r {
            Ok(r) => r,
            Err(_) => Err(AcError::timeout(format!(
                "gave up waiting for {what} after {} (--timeout)",
                crate::duration::format(timeout)
            ))
            .hint("nothing was changed by giving up; raise --timeout or look again later")),
        },
        _ = tokio::signal::ctrl_c() => Err(AcError::new(ErrorKind::Interrupted, "interrupted; nothing was changed by stopping to watch")),
    }
}

async fn watch_loop<T>(
    printer: &Printer,
    mut conn: Conn,
    res: Res,
    name: &str,
    step: &mut impl FnMut(&Value) -> Step<T>,
) -> Result<T> {
    let mut failures = 0u32;
    let mut rv = String::new();
    let mut need_get = true;
    loop {
        conn.renew_deadline();
        if need_get {
            match get(&conn, res, name).await {
                Ok(obj) => {
                    failures = 0;
                    rv = rv_of(&obj);
                    need_get = false;
                    if let Step::Done(r) = step(&obj) {
                        return r;
                    }
                }
                Err(e) if e.retryable => {
                    backoff(printer, &mut failures, &e).await;
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
        conn.renew_deadline();
        let stream = match res {
            Res::Cvsh => conn.watch_cvsh(name, &rv, WATCH_WINDOW_SECS).await,
            Res::Pdman => conn.watch_pdman(name, &rv, WATCH_WINDOW_SECS).await,
        };
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) if e.retryable => {
                backoff(printer, &mut failures, &e).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut events = 0u32;
        while let Some(ev) = stream.next().await {
            events += 1;
            match ev {
                Ok(WatchEvent::Added(o)) | Ok(WatchEvent::Modified(o)) => {
                    failures = 0;
                    let new_rv = rv_of(&o);
                    if !new_rv.is_empty() {
                        rv = new_rv;
                    }
                    if let Step::Done(r) = step(&o) {
                        return r;
                    }
                }
                Ok(WatchEvent::Bookmark(b)) => rv = b.metadata.resource_version,
                Ok(WatchEvent::Deleted(_)) => {
                    return Err(AcError::api(format!(
                        "{name} was deleted while watching it"
                    )));
                }
                Ok(WatchEvent::Error(s)) if s.code == 410 => {
                    need_get = true;
                    break;
                }
                Err(kube::Error::Api(s)) if s.code == 410 => {
                    need_get = true;
                    break;
                }
                Ok(WatchEvent::Error(s)) => {
                    return Err(AcError::api(format!(
                        "the watch of {name} on {} failed: {} ({})",
                        conn.endpoint,
                        crate::output::text::one_line(&s.message),
                        s.code
                    )));
                }
                Err(_) => break, // dropped: reconnect from rv
            }
        }
        if events == 0 {
            // An empty stream (dropped at once, or a window with no change): do not spin.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

async fn backoff(printer: &Printer, failures: &mut u32, e: &AcError) {
    *failures += 1;
    if *failures == 1 || failures.is_power_of_two() {
        printer.warn(&format!("{} (retrying)", e.message));
    }
    let secs = (*failures as u64).min(5);
    tokio::time::sleep(Duration::from_secs(secs)).await;
}
