//! Bounded retries of reads, as a [`tower::retry::Policy`] in the client stack.
//!
//! A read (GET: a get, a LIST page, the initial request of a watch) answered **429 Too Many
//! Requests** or **503 Service Unavailable** is sent again, at most [`MAX_RETRIES`] times,
//! after the wait the server asked for (the `Retry-After` header, else
//! `details.retryAfterSeconds` of its `Status`), else after 0.5 s, 1 s, 2 s. A retry is only
//! made when its wait ends before the command's deadline (`--request-timeout`): the policy
//! never sleeps past it. Writes (PATCH, POST, PUT, DELETE) are never sent twice: the request
//! is not even cloned.
//!
//! When the policy stops retrying a 429/503 read, the answer becomes an [`Exhausted`] error
//! that carries the server's answer, how many attempts were made and why it stopped, so the
//! one-line error can say so. Every attempt is its own `-v=6` line (the trace layer sits below
//! this one) and every decision to wait is one more line.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Either, Full, Limited};
use kube::client::Body;
use tokio::time::Instant;
use tower::BoxError;
use tower::retry::Policy;

use super::trace;

/// Retries after the first attempt (so at most `MAX_RETRIES + 1` requests per read).
pub const MAX_RETRIES: u32 = 3;

/// Waits when the server does not say how long: 0.5 s, 1 s, 2 s.
const BACKOFF: [Duration; 3] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
];

/// A `Retry-After` longer than this is not waited for, deadline or not.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// Largest 429/503 body read to find `details.retryAfterSeconds`: as any error answer.
const BODY_LIMIT: usize = super::fetch::MAX_ERROR_BODY;

/// The command's deadline, shared by the connection and its retry policy (a watch renews it
/// at each reconnect).
#[derive(Debug, Clone, Default)]
pub struct Deadline(Arc<Mutex<Option<std::time::Instant>>>);

impl Deadline {
    pub fn new(at: Option<std::time::Instant>) -> Deadline {
        Deadline(Arc::new(Mutex::new(at)))
    }
    pub fn get(&self) -> Option<std::time::Instant> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    pub fn set(&self, at: Option<std::time::Instant>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

/// Only reads are sent twice.
fn is_read(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

/// The answers that say "not now, later".
fn is_retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
}

/// A 429/503 answer to a read, read whole (up to [`BODY_LIMIT`]): kept in the response's
/// extensions for the policy.
#[derive(Debug, Clone)]
pub struct ServerAnswer {
    pub status: StatusCode,
    /// What the server asked for: `Retry-After`, else `details.retryAfterSeconds`.
    pub retry_after: Option<Duration>,
    pub body: Bytes,
}

/// `Retry-After: 5` or `Retry-After: Fri, 31 Dec 1999 23:59:59 GMT` (RFC 9110 §10.2.3).
pub fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = at.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

/// `details.retryAfterSeconds` of a `Status` body.
fn details_retry_after(body: &[u8]) -> Option<Duration> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let secs = v.pointer("/details/retryAfterSeconds")?.as_u64()?;
    (secs > 0).then(|| Duration::from_secs(secs))
}

/// The layer below the retry policy: reads 429/503 answers to reads whole, so that the policy
/// can see `details.retryAfterSeconds` (other responses stream through untouched).
#[derive(Clone, Default)]
pub struct ReadAnswersLayer;

impl<S> tower::Layer<S> for ReadAnswersLayer {
    type Service = ReadAnswers<S>;
    fn layer(&self, inner: S) -> ReadAnswers<S> {
        ReadAnswers { inner }
    }
}

#[derive(Clone)]
pub struct ReadAnswers<S> {
    inner: S,
}

pub type AnswerBody<B> = Either<B, Full<Bytes>>;

impl<S, B> tower::Service<Request<Body>> for ReadAnswers<S>
where
    S: tower::Service<Request<Body>, Response = Response<B>, Error = BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<AnswerBody<B>>;
    type Error = BoxError;
    type Future = futures::future::BoxFuture<'static, Result<Self::Response, BoxError>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let read = is_read(request.method());
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            if !(read && is_retryable(response.status())) {
                return Ok(response.map(Either::Left));
            }
            let (mut parts, body) = response.into_parts();
            let body = Limited::new(body, BODY_LIMIT).collect().await?.to_bytes();
            let header = parts
                .headers
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, jiff::Timestamp::now()));
            parts.extensions.insert(ServerAnswer {
                status: parts.status,
                retry_after: header.or_else(|| details_retry_after(&body)),
                body: body.clone(),
            });
            Ok(Response::from_parts(parts, Either::Right(Full::new(body))))
        })
    }
}

/// Why the policy stopped retrying a 429/503 read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// [`MAX_RETRIES`] retries were made.
    Attempts,
    /// The next wait would end after the command's deadline.
    Deadline,
    /// The server asked for a wait longer than [`MAX_WAIT`].
    TooLong,
}

/// A read still answered 429/503 when the policy stopped: the server's last answer, kept for
/// the error message.
#[derive(Debug)]
pub struct Exhausted {
    pub answer: ServerAnswer,
    /// Requests made (1 + retries).
    pub attempts: u32,
    pub stop: Stop,
}

impl std::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "answered {} to {} attempt{}",
            self.answer.status,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Exhausted {}

/// The retry policy: one clone per request (tower clones it), counting that request's retries.
#[derive(Clone)]
pub struct ReadRetry {
    deadline: Deadline,
    retries: u32,
}

impl ReadRetry {
    pub fn new(deadline: Deadline) -> ReadRetry {
        ReadRetry {
            deadline,
            retries: 0,
        }
    }

    /// Whether to wait `wait` and send again, given the time now.
    fn decide(&self, asked: Option<Duration>, now: std::time::Instant) -> Result<Duration, Stop> {
        if self.retries >= MAX_RETRIES {
            return Err(Stop::Attempts);
        }
        let wait = asked.unwrap_or(BACKOFF[(self.retries as usize).min(BACKOFF.len() - 1)]);
        if wait > MAX_WAIT {
            return Err(Stop::TooLong);
        }
        match self.deadline.get() {
            Some(deadline) if now + wait >= deadline => Err(Stop::Deadline),
            _ => Ok(wait),
        }
    }
}

impl<B> Policy<Request<Body>, Response<B>, BoxError> for ReadRetry {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        request: &mut Request<Body>,
        result: &mut Result<Response<B>, BoxError>,
    ) -> Option<Self::Future> {
        let Ok(response) = result else {
            return None;
        };
        if !is_read(request.method()) {
            return None;
        }
        let answer = response.extensions().get::<ServerAnswer>()?.clone();
        let what = format!("{} {}", request.method(), request.uri());
        match self.decide(answer.retry_after, std::time::Instant::now()) {
            Ok(wait) => {
                self.retries += 1;
                trace::retrying(
                    &what,
                    answer.status,
                    wait,
                    answer.retry_after.is_some(),
                    self.retries,
                );
                Some(tokio::time::sleep_until(Instant::now() + wait))
            }
            Err(stop) => {
                let attempts = self.retries + 1;
                trace::giving_up(&what, answer.status, attempts, stop);
                *result = Err(Box::new(Exhausted {
                    answer,
                    attempts,
                    stop,
                }));
                None
            }
        }
    }

    fn clone_request(&mut self, request: &Request<Body>) -> Option<Request<Body>> {
        if !is_read(request.method()) {
            return None;
        }
        let mut clone = Request::builder()
            .method(request.method().clone())
            .uri(request.uri().clone())
            .version(request.version())
            .body(request.body().try_clone()?)
            .ok()?;
        *clone.headers_mut() = request.headers().clone();
        *clone.extensions_mut() = request.extensions().clone();
        Some(clone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Answer = Result<Response<()>, BoxError>;

    fn clone(p: &mut ReadRetry, req: &Request<Body>) -> Option<Request<Body>> {
        <ReadRetry as Policy<Request<Body>, Response<()>, BoxError>>::clone_request(p, req)
    }

    fn policy(deadline_in: Option<Duration>) -> (ReadRetry, std::time::Instant) {
        let now = std::time::Instant::now();
        (
            ReadRetry::new(Deadline::new(deadline_in.map(|d| now + d))),
            now,
        )
    }

    #[test]
    fn waits_as_asked_and_stops_before_the_deadline() {
        let (mut p, now) = policy(Some(Duration::from_secs(10)));
        assert_eq!(
            p.decide(Some(Duration::from_secs(2)), now),
            Ok(Duration::from_secs(2))
        );
        assert_eq!(p.decide(None, now), Ok(Duration::from_millis(500)));
        // A wait that would end at or after the deadline is not made.
        assert_eq!(
            p.decide(Some(Duration::from_secs(10)), now),
            Err(Stop::Deadline)
        );
        assert_eq!(
            p.decide(Some(Duration::from_secs(9)), now + Duration::from_secs(2)),
            Err(Stop::Deadline)
        );
        assert_eq!(
            p.decide(Some(Duration::from_secs(61)), now),
            Err(Stop::TooLong)
        );
        p.retries = 1;
        assert_eq!(p.decide(None, now), Ok(Duration::from_secs(1)));
        p.retries = MAX_RETRIES;
        assert_eq!(p.decide(None, now), Err(Stop::Attempts));
        // No deadline (--request-timeout=0): still bounded by MAX_WAIT and MAX_RETRIES.
        let (p, now) = policy(None);
        assert_eq!(p.decide(Some(MAX_WAIT), now), Ok(MAX_WAIT));
    }

    #[test]
    fn retry_after_forms() {
        let now: jiff::Timestamp = "1999-12-31T23:59:49Z".parse().unwrap();
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 1999 23:59:59 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 1999 23:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(
            details_retry_after(br#"{"kind":"Status","details":{"retryAfterSeconds":3}}"#),
            Some(Duration::from_secs(3))
        );
        assert_eq!(details_retry_after(b"<html>busy</html>"), None);
    }

    fn answer(status: u16) -> Response<()> {
        let mut r = Response::new(());
        *r.status_mut() = StatusCode::from_u16(status).unwrap();
        let status = r.status();
        r.extensions_mut().insert(ServerAnswer {
            status,
            retry_after: Some(Duration::from_millis(1)),
            body: Bytes::from_static(b"{}"),
        });
        r
    }

    #[tokio::test]
    async fn writes_are_never_cloned_nor_retried() {
        let (mut p, _) = policy(Some(Duration::from_secs(30)));
        for method in [Method::PATCH, Method::POST, Method::PUT, Method::DELETE] {
            let mut req = Request::builder()
                .method(method.clone())
                .uri("/x")
                .body(Body::from(b"{}".to_vec()))
                .unwrap();
            assert!(clone(&mut p, &req).is_none(), "{method}");
            let mut res: Answer = Ok(answer(503));
            assert!(p.retry(&mut req, &mut res).is_none(), "{method}");
            assert!(
                res.is_ok(),
                "a write's answer is left as the server gave it"
            );
        }
    }

    #[tokio::test]
    async fn reads_are_retried_then_exhausted() {
        let (mut p, _) = policy(Some(Duration::from_secs(30)));
        let mut req = Request::get("/x").body(Body::empty()).unwrap();
        assert!(clone(&mut p, &req).is_some());
        for _ in 0..MAX_RETRIES {
            let mut res: Answer = Ok(answer(429));
            assert!(p.retry(&mut req, &mut res).is_some());
        }
        let mut res: Answer = Ok(answer(429));
        assert!(p.retry(&mut req, &mut res).is_none());
        let err = res.unwrap_err();
        let exhausted = err.downcast_ref::<Exhausted>().unwrap();
        assert_eq!(
            (exhausted.attempts, exhausted.stop),
            (MAX_RETRIES + 1, Stop::Attempts)
        );
        // Other answers are left alone.
        let mut res: Answer = Ok(Response::new(()));
        assert!(p.retry(&mut req, &mut res).is_none() && res.is_ok());
    }
}
