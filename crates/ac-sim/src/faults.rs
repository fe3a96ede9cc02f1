//! Injected faults: latency, error answers (with `Retry-After`), hung and dropped requests,
//! broken bodies (a reset in the middle, truncated or malformed JSON), hostile answers
//! (objects without `metadata.resourceVersion`, oversized bodies, redirects, a `Status` whose
//! code disagrees with the HTTP status), and broken watch streams (a foreign object's event,
//! one event per stream, an ERROR 410 event, an HTTP 410, a line that never ends).
//!
//! CLI syntax (`--fault`): comma-separated `key=value` items, exactly one kind:
//! `latency=200ms` | `status=503` | `hang` | `drop` | `reset-body` | `truncate-body` |
//! `malformed-body` | `no-resource-version` | `oversize-body=20MiB` | `redirect=URL` |
//! `foreign-event=NAME` | `one-event` | `expired-event` | `expired` | `endless-line`,
//! plus the optional filters and knobs
//! `path=SUBSTRING` (matched against the request path *and* query, e.g. `path=watch=true`;
//! `path=/watch` also matches every watch request),
//! `method=PATCH`, `rate=0.5` (deterministic: fires on the 1st, 3rd, 5th … matching request),
//! `body=TEXT` and `content-type=TYPE` (for `status`; without `body` the answer is a Status;
//! a body that parses as JSON defaults to `application/json`, any other to `text/plain`),
//! `body-status=CODE` (for `status` without `body`: the answer is the Kubernetes `Status` of
//! CODE, e.g. `status=200,body-status=404` sends a NotFound Status with HTTP 200),
//! `retry-after=SECONDS` and `retry-after-in=header|details|both` (for `status`: the `Status`
//! carries `details.retryAfterSeconds` and/or the answer a `Retry-After` header; default both,
//! as kube-apiserver's 429s do).
//!
//! Watch faults change the stream of a watch request (`?watch=true`) and leave every other
//! request alone: `foreign-event=NAME` sends the stored object NAME (same resource and
//! namespace as the watch, whatever its selectors) as a `MODIFIED` event first;
//! `one-event` ends each stream after its first event (bookmarks count); `expired-event`
//! answers 200 and sends one `ERROR` event (410 `Expired`, as for a compacted history), then
//! ends; `endless-line` answers 200 and sends one line that never ends (no newline, ever).
//! `expired` answers HTTP 410 `Expired` instead of handling the request (any request; on a
//! watch request it is what an apiserver answers for a too-old resourceVersion).
//!
//! Durations (`latency=`) are written like `ac`'s: `200ms`, `2s`, `1m30s`, `1h`; a bare
//! whole number is seconds (`latency=2` = 2 s), at most [`MAX_LATENCY`]. Sizes
//! (`oversize-body=`) are bytes with an optional binary suffix: `4096`, `512KiB`, `20MiB`, `1GiB`, from
//! [`MIN_OVERSIZE`] to [`MAX_OVERSIZE`].
//!
//! Non-object JSON answers need no kind of their own: `status=200,body=[]` (or `null`, `"x"`,
//! `42`) answers that body as `application/json`.

use std::str::FromStr;

use futures::StreamExt;
use std::sync::Mutex;
use std::time::Duration;

/// What a fault does to a matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// Wait this long before handling the request (faults of this kind add up).
    Latency(Duration),
    /// Answer with this HTTP status instead of handling the request. `body: None` sends a
    /// Kubernetes `Status` JSON; `Some(raw)` sends the raw body (e.g. an HTML proxy page).
    Status {
        code: u16,
        body: Option<String>,
        content_type: Option<String>,
    },
    /// Never answer (the connection stays open until the client gives up).
    Hang,
    /// Close the connection without answering.
    Drop,
    /// Answer this status (429, 503, …) as a `Status` that asks the client to come back
    /// after `seconds`: in the `Retry-After` header and/or in `details.retryAfterSeconds`.
    RetryAfter {
        code: u16,
        seconds: u32,
        header: bool,
        details: bool,
    },
    /// Handle the request, send the answer's headers (with the full `Content-Length`) and
    /// half of its body, then reset the connection.
    ResetBody,
    /// Handle the request and answer with its body cut in half: a complete HTTP answer whose
    /// JSON ends early.
    TruncateBody,
    /// Answer 200 with a body that is not valid JSON.
    MalformedBody,
    /// Answer HTTP `http` with the Kubernetes `Status` of code `status` (e.g. a 404 NotFound
    /// Status sent with HTTP 200).
    StatusBody { http: u16, status: u16 },
    /// Handle the request, then remove `metadata.resourceVersion` from every object answered
    /// (a GET's object, a LIST's items, the objects of watch events).
    NoResourceVersion,
    /// Handle the request; a 200 JSON answer (not a watch) is padded to exactly this many
    /// bytes (one annotation's string value) and streamed without being held in memory.
    OversizeBody(u64),
    /// Answer `302 Found` with this `Location`.
    Redirect(String),
    /// Watch streams: a `MODIFIED` event of the stored object of this name (of the watched
    /// resource and namespace, whatever the watch's selectors) as the first event.
    ForeignEvent(String),
    /// Watch streams end after their first event.
    OneEvent,
    /// Watch requests answer 200 with one `ERROR` event (410 `Expired`), then end.
    ExpiredEvent,
    /// Answer HTTP 410 `Expired` (a `Status`) instead of handling the request.
    Expired,
    /// Watch requests answer 200 with one line that never ends.
    EndlessLine,
}

impl FaultKind {
    /// The faults that change a watch stream (and leave other requests alone).
    pub fn is_watch_stream(&self) -> bool {
        matches!(
            self,
            FaultKind::ForeignEvent(_)
                | FaultKind::OneEvent
                | FaultKind::ExpiredEvent
                | FaultKind::EndlessLine
        )
    }
}

/// The longest `latency=`: longer waits are `hang`.
pub const MAX_LATENCY: Duration = Duration::from_secs(3600);

/// The smallest `oversize-body=` (smaller answers are not "oversized").
pub const MIN_OVERSIZE: u64 = 4096;

/// The largest `oversize-body=` (64 GiB).
pub const MAX_OVERSIZE: u64 = 64 << 30;

/// The body of a [`FaultKind::MalformedBody`] answer: JSON-like, but a bare `4.3.0` is no
/// JSON value.
pub const MALFORMED_BODY: &str = r#"{"apiVersion":"config.alauda.io/v1","kind":"ClusterVersionShadow","metadata":{"name":"global"},"status":{"current":{"version":4.3.0}}}"#;

/// A fault rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Only requests with this method (case-insensitive); `None` = any.
    pub method: Option<String>,
    /// Only requests whose path-and-query contains this; empty = any.
    pub path_contains: String,
    pub kind: FaultKind,
    /// Fraction of matching requests that get the fault, 0..=1. Deterministic: the k-th
    /// matching request is hit when `ceil(k·rate) > ceil((k−1)·rate)`.
    pub rate: f64,
}

impl Fault {
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            method: None,
            path_contains: String::new(),
            kind,
            rate: 1.0,
        }
    }

    /// Parse the `--fault` syntax.
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let mut kind: Option<FaultKind> = None;
        let mut fault = Fault::new(FaultKind::Hang);
        let mut body: Option<String> = None;
        let mut content_type: Option<String> = None;
        let mut retry_after: Option<u32> = None;
        let mut retry_after_in: Option<(bool, bool)> = None;
        let mut body_status: Option<u16> = None;
        let status_code = |value: &str| -> Result<u16, String> {
            value
                .parse()
                .ok()
                .filter(|code| (100..=599).contains(code))
                .ok_or_else(|| format!("fault {spec:?}: {value:?} is not an HTTP status code"))
        };
        let set_kind = |new_kind: FaultKind, kind: &mut Option<FaultKind>| {
            if kind.is_some() {
                return Err(format!("fault {spec:?}: give exactly one of {KINDS}"));
            }
            *kind = Some(new_kind);
            Ok(())
        };
        for item in spec
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let (key, value) = match item.split_once('=') {
                Some((key, value)) => (key.trim().to_ascii_lowercase(), Some(value.trim())),
                None => (item.to_ascii_lowercase(), None),
            };
            match (key.as_str(), value) {
                ("hang", None) => set_kind(FaultKind::Hang, &mut kind)?,
                ("drop", None) => set_kind(FaultKind::Drop, &mut kind)?,
                ("reset-body", None) => set_kind(FaultKind::ResetBody, &mut kind)?,
                ("truncate-body", None) => set_kind(FaultKind::TruncateBody, &mut kind)?,
                ("malformed-body", None) => set_kind(FaultKind::MalformedBody, &mut kind)?,
                ("foreign-event", Some(name)) if !name.is_empty() => {
                    set_kind(FaultKind::ForeignEvent(name.to_string()), &mut kind)?
                }
                ("one-event", None) => set_kind(FaultKind::OneEvent, &mut kind)?,
                ("expired-event", None) => set_kind(FaultKind::ExpiredEvent, &mut kind)?,
                ("expired", None) => set_kind(FaultKind::Expired, &mut kind)?,
                ("endless-line", None) => set_kind(FaultKind::EndlessLine, &mut kind)?,
                ("no-resource-version", None) => set_kind(FaultKind::NoResourceVersion, &mut kind)?,
                ("oversize-body", Some(value)) => set_kind(
                    FaultKind::OversizeBody(
                        parse_size(value).map_err(|e| format!("fault {spec:?}: {e}"))?,
                    ),
                    &mut kind,
                )?,
                ("redirect", Some(value)) => {
                    if value.is_empty() || hyper::header::HeaderValue::from_str(value).is_err() {
                        return Err(format!(
                            "fault {spec:?}: redirect {value:?} is not a Location (e.g. redirect=https://sso.example.com/login)"
                        ));
                    }
                    set_kind(FaultKind::Redirect(value.to_string()), &mut kind)?
                }
                ("body-status", Some(value)) => body_status = Some(status_code(value)?),
                ("retry-after", Some(value)) => {
                    retry_after = Some(value.parse::<u32>().map_err(|_| {
                        format!("fault {spec:?}: retry-after {value:?} is not a number of seconds")
                    })?)
                }
                ("retry-after-in", Some(value)) => {
                    retry_after_in = Some(match value {
                        "header" => (true, false),
                        "details" => (false, true),
                        "both" => (true, true),
                        _ => {
                            return Err(format!(
                                "fault {spec:?}: retry-after-in is header, details or both"
                            ));
                        }
                    })
                }
                ("latency", Some(value)) => set_kind(
                    FaultKind::Latency(
                        parse_duration(value).map_err(|e| format!("fault {spec:?}: {e}"))?,
                    ),
                    &mut kind,
                )?,
                ("status", Some(value)) => {
                    let code = status_code(value)?;
                    set_kind(
                        FaultKind::Status {
                            code,
                            body: None,
                            content_type: None,
                        },
                        &mut kind,
                    )?
                }
                ("path", Some(value)) => fault.path_contains = value.to_string(),
                ("method", Some(value)) => fault.method = Some(value.to_ascii_uppercase()),
                ("rate", Some(value)) => {
                    fault.rate = value
                        .parse::<f64>()
                        .ok()
                        .filter(|rate| (0.0..=1.0).contains(rate))
                        .ok_or_else(|| {
                            format!("fault {spec:?}: rate {value:?} must be a number from 0 to 1")
                        })?
                }
                ("body", Some(value)) => body = Some(value.to_string()),
                ("content-type", Some(value)) => content_type = Some(value.to_string()),
                _ => {
                    return Err(format!(
                        "fault {spec:?}: unknown item {item:?} (expected one of {KINDS}, and path=, method=, rate=, body=, content-type=, body-status=, retry-after=, retry-after-in=)"
                    ));
                }
            }
        }
        let mut kind = kind.ok_or_else(|| format!("fault {spec:?}: give one of {KINDS}"))?;
        if let Some(status) = body_status {
            match (&kind, &body, retry_after) {
                (FaultKind::Status { code, .. }, None, None) => {
                    kind = FaultKind::StatusBody {
                        http: *code,
                        status,
                    };
                }
                _ => {
                    return Err(format!(
                        "fault {spec:?}: body-status= goes with status= (and no body= or retry-after=)"
                    ));
                }
            }
        }
        match (&kind, retry_after, retry_after_in) {
            (FaultKind::Status { code, .. }, Some(seconds), _) if body.is_none() => {
                let (header, details) = retry_after_in.unwrap_or((true, true));
                kind = FaultKind::RetryAfter {
                    code: *code,
                    seconds,
                    header,
                    details,
                };
            }
            (_, None, None) => {}
            _ => {
                return Err(format!(
                    "fault {spec:?}: retry-after= (and retry-after-in=) go with status= and no body="
                ));
            }
        }
        match &mut kind {
            FaultKind::Status {
                body: b,
                content_type: ct,
                ..
            } => {
                *ct = content_type.or_else(|| {
                    body.as_deref().map(|raw| {
                        let json = serde_json::from_str::<serde_json::Value>(raw).is_ok();
                        if json {
                            "application/json"
                        } else {
                            "text/plain"
                        }
                        .to_string()
                    })
                });
                *b = body;
            }
            _ if body.is_some() || content_type.is_some() => {
                return Err(format!(
                    "fault {spec:?}: body= and content-type= go with status="
                ));
            }
            _ => {}
        }
        fault.kind = kind;
        Ok(fault)
    }

    /// Whether a request is subject to this rule. `path=/watch` also matches watch requests
    /// (`?watch=true`), as the old `/watch/` URL form did.
    pub fn matches(&self, method: &str, path_and_query: &str, is_watch: bool) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && (path_and_query.contains(&self.path_contains)
                || (is_watch && self.path_contains == "/watch"))
    }
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Fault, String> {
        Fault::parse(s)
    }
}

/// A duration as `ac` takes one (jiff's friendly format): `200ms`, `2s`, `1m30s`, `1h`; a
/// bare whole number is seconds. At most [`MAX_LATENCY`].
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    use jiff::fmt::friendly::SpanParser;
    static PARSER: SpanParser = SpanParser::new();
    let text = s.trim();
    let bad =
        || format!("{s:?} is not a duration (e.g. 200ms, 2s, 1m30s; a bare number is seconds)");
    let duration = match text.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let parsed = PARSER.parse_duration(text).map_err(|_| bad())?;
            Duration::try_from(parsed).map_err(|_| bad())?
        }
    };
    if duration > MAX_LATENCY {
        return Err(format!(
            "{s:?} is longer than {}s (use hang for a request that never ends)",
            MAX_LATENCY.as_secs()
        ));
    }
    Ok(duration)
}

/// A size in bytes: `4096`, `512KiB`, `20MiB`, `1GiB` (also `B`, `KB`/`MB`/`GB` = powers of
/// 1000), from [`MIN_OVERSIZE`] to [`MAX_OVERSIZE`].
pub fn parse_size(s: &str) -> Result<u64, String> {
    let text = s.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let bad = || format!("{s:?} is not a size (e.g. 4096, 512KiB, 20MiB, 1GiB)");
    let number: u64 = number.parse().map_err(|_| bad())?;
    let unit: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "KB" | "kB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return Err(bad()),
    };
    let bytes = number
        .checked_mul(unit)
        .filter(|bytes| (MIN_OVERSIZE..=MAX_OVERSIZE).contains(bytes))
        .ok_or_else(|| {
            format!("{s:?} is out of range: a size from {MIN_OVERSIZE} bytes to 64GiB")
        })?;
    Ok(bytes)
}

/// The kinds, as the error messages list them.
const KINDS: &str = "latency=DURATION, status=CODE, hang, drop, reset-body, truncate-body, malformed-body, no-resource-version, oversize-body=SIZE, redirect=URL, foreign-event=NAME, one-event, expired-event, expired, endless-line";

/// What happens to one request.
#[derive(Debug, Default, PartialEq)]
pub struct FaultPlan {
    pub latency: Duration,
    /// The first firing fault that is not a latency.
    pub terminal: Option<FaultKind>,
}

/// The active faults with their per-rule counters.
#[derive(Debug, Default)]
pub struct FaultSet {
    rules: Mutex<Vec<(Fault, u64)>>,
}

fn fires(k: u64, rate: f64) -> bool {
    let r = (rate.clamp(0.0, 1.0) * 1_000_000.0).round() as u64;
    let ceil = |x: u64| (x * r).div_ceil(1_000_000);
    ceil(k) > ceil(k - 1)
}

impl FaultSet {
    pub fn new(faults: Vec<Fault>) -> FaultSet {
        let s = FaultSet::default();
        s.set(faults);
        s
    }

    /// Replace the rules (counters restart).
    pub fn set(&self, faults: Vec<Fault>) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        *rules = faults.into_iter().map(|f| (f, 0)).collect();
    }

    /// Count this request against every matching rule and decide what happens to it.
    pub fn plan(&self, method: &str, path_and_query: &str, is_watch: bool) -> FaultPlan {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let mut plan = FaultPlan::default();
        for (fault, count) in rules.iter_mut() {
            if !fault.matches(method, path_and_query, is_watch) {
                continue;
            }
            *count += 1;
            if !fires(*count, fault.rate) {
                continue;
            }
            match &fault.kind {
                FaultKind::Latency(d) => plan.latency += *d,
                other => {
                    if plan.terminal.is_none() {
                        plan.terminal = Some(other.clone());
                    }
                }
            }
        }
        plan
    }
}

/// The reason of a `Status` answered for an injected status code.
pub fn reason_for(code: u16) -> &'static str {
    match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    }
}

/// The answer of a [`FaultKind::RetryAfter`] fault: a `Status` like kube-apiserver's
/// (`details.retryAfterSeconds`) and/or a `Retry-After` header.
pub(crate) fn retry_after_response(
    code: u16,
    seconds: u32,
    header: bool,
    details: bool,
) -> hyper::Response<crate::response::Body> {
    let mut status = serde_json::json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": format!("injected fault: HTTP {code}, retry after {seconds}s"),
        "reason": reason_for(code),
        "code": code,
    });
    if details {
        status["details"] = serde_json::json!({"retryAfterSeconds": seconds});
    }
    let mut response = crate::response::json_response(code, &status);
    if header {
        response.headers_mut().insert(
            hyper::header::RETRY_AFTER,
            hyper::header::HeaderValue::from(seconds),
        );
    }
    response
}

/// Apply a body fault ([`FaultKind::ResetBody`], [`FaultKind::TruncateBody`],
/// [`FaultKind::MalformedBody`]) to the answer the API gave. Other kinds leave it alone.
pub(crate) async fn break_body(
    kind: &FaultKind,
    response: hyper::Response<crate::response::Body>,
) -> hyper::Response<crate::response::Body> {
    use http_body_util::BodyExt;
    let (mut parts, body) = response.into_parts();
    let whole = match kind {
        FaultKind::ResetBody | FaultKind::TruncateBody => match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => bytes::Bytes::new(),
        },
        FaultKind::MalformedBody => {
            parts.status = hyper::StatusCode::OK;
            parts.headers.insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            return hyper::Response::from_parts(parts, crate::response::full(MALFORMED_BODY));
        }
        _ => return hyper::Response::from_parts(parts, body),
    };
    let half = whole.slice(..whole.len() / 2);
    match kind {
        FaultKind::TruncateBody => {
            parts.headers.remove(hyper::header::CONTENT_LENGTH);
            hyper::Response::from_parts(parts, crate::response::full(half))
        }
        _ => {
            // Announce the whole length, send half, give the first half time to leave, then
            // fail the body: hyper aborts the connection (HTTP/1.1) or resets the stream (h2).
            parts.headers.insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(whole.len()),
            );
            let frames = futures::stream::iter([Ok(hyper::body::Frame::data(half))]).chain(
                futures::stream::once(async {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "connection reset by an ac-sim fault",
                    ))
                }),
            );
            let body = http_body_util::StreamBody::new(frames).boxed_unsync();
            hyper::Response::from_parts(parts, body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        let fault = Fault::parse("latency=200ms,path=/clusterversionshadows").unwrap();
        assert_eq!(fault.kind, FaultKind::Latency(Duration::from_millis(200)));
        assert_eq!(fault.path_contains, "/clusterversionshadows");
        assert_eq!(fault.rate, 1.0);
        let fault = Fault::parse("status=503,rate=0.5").unwrap();
        assert_eq!(
            fault.kind,
            FaultKind::Status {
                code: 503,
                body: None,
                content_type: None
            }
        );
        assert_eq!(fault.rate, 0.5);
        assert_eq!(
            Fault::parse("hang,path=/watch").unwrap().kind,
            FaultKind::Hang
        );
        let fault: Fault = "drop,method=patch".parse().unwrap();
        assert_eq!(
            (fault.kind, fault.method.as_deref()),
            (FaultKind::Drop, Some("PATCH"))
        );
        let fault = Fault::parse("status=502,body=<html>bad gateway</html>,content-type=text/html")
            .unwrap();
        assert_eq!(
            fault.kind,
            FaultKind::Status {
                code: 502,
                body: Some("<html>bad gateway</html>".into()),
                content_type: Some("text/html".into())
            }
        );
    }

    #[test]
    fn parses_retry_after_and_body_faults() {
        assert_eq!(
            Fault::parse("status=429,retry-after=2").unwrap().kind,
            FaultKind::RetryAfter {
                code: 429,
                seconds: 2,
                header: true,
                details: true
            }
        );
        assert_eq!(
            Fault::parse("status=503,retry-after=1,retry-after-in=details")
                .unwrap()
                .kind,
            FaultKind::RetryAfter {
                code: 503,
                seconds: 1,
                header: false,
                details: true
            }
        );
        assert_eq!(
            Fault::parse("reset-body").unwrap().kind,
            FaultKind::ResetBody
        );
        assert_eq!(
            Fault::parse("truncate-body,path=/x").unwrap().kind,
            FaultKind::TruncateBody
        );
        assert_eq!(
            Fault::parse("malformed-body").unwrap().kind,
            FaultKind::MalformedBody
        );
        assert!(serde_json::from_str::<serde_json::Value>(MALFORMED_BODY).is_err());
    }

    #[test]
    fn parses_watch_faults() {
        let fault = Fault::parse("foreign-event=workload-a,path=watch=true").unwrap();
        assert_eq!(fault.kind, FaultKind::ForeignEvent("workload-a".into()));
        assert_eq!(fault.path_contains, "watch=true");
        for (spec, kind) in [
            ("one-event", FaultKind::OneEvent),
            ("expired-event", FaultKind::ExpiredEvent),
            ("expired,path=watch=true", FaultKind::Expired),
            ("endless-line", FaultKind::EndlessLine),
        ] {
            assert_eq!(Fault::parse(spec).unwrap().kind, kind, "{spec}");
        }
        assert!(FaultKind::OneEvent.is_watch_stream());
        assert!(!FaultKind::Expired.is_watch_stream());
        for bad in [
            "foreign-event",
            "foreign-event=",
            "one-event=2",
            "expired,one-event",
        ] {
            assert!(Fault::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_the_hostile_answers() {
        for (body, content_type) in [
            ("[]", "application/json"),
            ("null", "application/json"),
            ("\"x\"", "application/json"),
            ("42", "application/json"),
            ("<html>login</html>", "text/plain"),
        ] {
            assert_eq!(
                Fault::parse(&format!("status=200,body={body}"))
                    .unwrap()
                    .kind,
                FaultKind::Status {
                    code: 200,
                    body: Some(body.into()),
                    content_type: Some(content_type.into())
                },
                "{body}"
            );
        }
        assert_eq!(
            Fault::parse("status=200,body-status=404").unwrap().kind,
            FaultKind::StatusBody {
                http: 200,
                status: 404
            }
        );
        assert_eq!(
            Fault::parse("no-resource-version,path=/clusterversionshadows")
                .unwrap()
                .kind,
            FaultKind::NoResourceVersion
        );
        assert_eq!(
            Fault::parse("oversize-body=1GiB").unwrap().kind,
            FaultKind::OversizeBody(1 << 30)
        );
        assert_eq!(parse_size("20MiB"), Ok(20 << 20));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert_eq!(
            Fault::parse("redirect=https://sso.example.com/login,method=GET")
                .unwrap()
                .kind,
            FaultKind::Redirect("https://sso.example.com/login".into())
        );
        for bad in [
            "oversize-body=12",
            "oversize-body=65GiB",
            "oversize-body=99999999999999999999",
            "oversize-body=1PiB",
            "oversize-body=lots",
            "redirect=",
            "redirect=a\u{7}b",
            "body-status=404",
            "status=200,body-status=99",
            "status=200,body-status=404,body=x",
            "status=429,body-status=404,retry-after=1",
            "hang,body-status=404",
            "no-resource-version,hang",
        ] {
            assert!(Fault::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "status=503,body=x,retry-after=1",
            "hang,retry-after=1",
            "status=429,retry-after=soon",
            "status=429,retry-after=1,retry-after-in=body",
            "",
            "path=/x",
            "hang,drop",
            "status=abc",
            "latency=fast",
            "rate=2,hang",
            "bogus",
            "hang,body=x",
        ] {
            assert!(Fault::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        // A bare number is seconds, as in `ac` (jiff's friendly format).
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert_eq!(
            Fault::parse("latency=3").unwrap().kind,
            FaultKind::Latency(Duration::from_secs(3))
        );
        for bad in ["-1s", "2x", "", "1.5", "soon", "2h", "99999999999999999999"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert!(parse_duration("1h").is_ok());
    }

    #[test]
    fn rate_is_deterministic() {
        let hits = |rate: f64| (1..=6).filter(|k| fires(*k, rate)).collect::<Vec<_>>();
        assert_eq!(hits(0.5), vec![1, 3, 5]);
        assert_eq!(hits(1.0), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(hits(0.0), Vec::<u64>::new());
        assert_eq!(hits(1.0 / 3.0), vec![1, 4]);
    }

    #[test]
    fn plan_combines_latency_and_first_terminal() {
        let set = FaultSet::new(vec![
            Fault::parse("latency=10ms").unwrap(),
            Fault::parse("status=500,method=GET").unwrap(),
            Fault::parse("drop").unwrap(),
        ]);
        let p = set.plan("GET", "/x", false);
        assert_eq!(p.latency, Duration::from_millis(10));
        assert!(matches!(
            p.terminal,
            Some(FaultKind::Status { code: 500, .. })
        ));
        assert_eq!(
            set.plan("PATCH", "/x", false).terminal,
            Some(FaultKind::Drop)
        );
        let watch = Fault::parse("hang,path=/watch").unwrap();
        assert!(watch.matches("GET", "/kubernetes/global/apis/g/v/x?watch=true", true));
        assert!(!watch.matches("GET", "/kubernetes/global/apis/g/v/x", false));
    }
}
