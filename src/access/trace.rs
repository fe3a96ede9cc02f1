//! `-v=6` and `-v=7`: one line per HTTP request, as kubectl prints them.
//!
//! Requests are traced by tower-http's [`TraceLayer`] in the client stack (a `tracing` span per
//! request: method, URL, how it authenticates, then the status). Nothing is collected unless a
//! subscriber listens: at `-v=6` [`install`] sets one whose [`HttpLines`] layer turns those
//! spans into lines on the [`Diagnostics`] sink: `I GET <url> 200 OK in 5 milliseconds
//! (Authorization: Bearer <redacted>)`; at `-v=7` also the request headers. Credentials never
//! reach a span: the Authorization value is replaced before it is recorded.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderMap, Request, Response};
use tower_http::classify::{ServerErrorsAsFailures, ServerErrorsFailureClass, SharedClassifier};
use tower_http::trace::{MakeSpan, OnFailure, OnRequest, OnResponse, TraceLayer};
use tracing::field::{Field, Visit};
use tracing::{Event, Span, Subscriber, span};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use super::Diagnostics;

const SPAN_NAME: &str = "ac.http";
const TARGET: &str = "ac::http";

/// The trace layer of the client stack.
pub(super) type HttpTraceLayer = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    RequestHeaders,
    ResponseStatus,
    (),
    (),
    TransportFailure,
>;

/// `auth` describes the credentials for trace lines when the request carries no Authorization
/// header (client certificates, anonymous).
pub(super) fn layer(auth: &'static str) -> HttpTraceLayer {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan { auth })
        .on_request(RequestHeaders { auth })
        .on_response(ResponseStatus)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(TransportFailure)
}

/// Route the request spans to `sink` for the rest of the process (`-v=6` and up).
pub(super) fn install(verbosity: u8, sink: Arc<dyn Diagnostics>) {
    let subscriber = tracing_subscriber::registry().with(HttpLines { verbosity, sink });
    // A second connection in the same process keeps the first subscriber (same sink).
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// `-v=6`: the retry policy waits before sending a read again.
pub(super) fn retrying(
    what: &str,
    status: http::StatusCode,
    wait: Duration,
    asked: bool,
    retry: u32,
) {
    let line = format!(
        "I {what}: {status}; retry {retry} of {} in {}{}",
        super::retry::MAX_RETRIES,
        crate::duration::format(wait),
        if asked { " (as the server asked)" } else { "" }
    );
    tracing::info!(target: TARGET, retry = line.as_str());
}

/// `-v=6`: the retry policy stops retrying a read.
pub(super) fn giving_up(
    what: &str,
    status: http::StatusCode,
    attempts: u32,
    stop: super::retry::Stop,
) {
    use super::retry::Stop;
    let why = match stop {
        Stop::Attempts => "no retries left",
        Stop::Deadline => "the next wait would pass the --request-timeout deadline",
        Stop::TooLong => "the server asked for a longer wait than ac makes",
    };
    let line = format!(
        "I {what}: {status} after {attempts} attempt{}; not retrying: {why}",
        if attempts == 1 { "" } else { "s" }
    );
    tracing::info!(target: TARGET, retry = line.as_str());
}

/// What an Authorization header is, never what it says.
fn redacted(headers: &HeaderMap) -> Option<&'static str> {
    let value = headers.get(http::header::AUTHORIZATION)?.as_bytes();
    Some(if value.starts_with(b"Bearer ") {
        "Bearer <redacted>"
    } else if value.starts_with(b"Basic ") {
        "Basic <redacted>"
    } else {
        "<redacted>"
    })
}

#[derive(Clone)]
pub(super) struct RequestSpan {
    auth: &'static str,
}

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        tracing::info_span!(
            target: TARGET,
            SPAN_NAME,
            method = %request.method(),
            url = %request.uri(),
            auth = redacted(request.headers()).unwrap_or(self.auth),
            status = tracing::field::Empty,
        )
    }
}

#[derive(Clone)]
pub(super) struct RequestHeaders {
    auth: &'static str,
}

impl<B> OnRequest<B> for RequestHeaders {
    fn on_request(&mut self, request: &Request<B>, _: &Span) {
        if !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
            return;
        }
        let mut lines = String::new();
        for (name, value) in request.headers() {
            let shown = if name == http::header::AUTHORIZATION {
                redacted(request.headers()).unwrap_or("<redacted>")
            } else {
                value.to_str().unwrap_or("<binary>")
            };
            let _ = writeln!(lines, "I     {name}: {shown}");
        }
        if redacted(request.headers()).is_none() {
            let _ = writeln!(lines, "I     authorization: {}", self.auth);
        }
        tracing::debug!(target: TARGET, headers = lines.as_str());
    }
}

#[derive(Clone)]
pub(super) struct ResponseStatus;

impl<B> OnResponse<B> for ResponseStatus {
    fn on_response(self, response: &Response<B>, _: Duration, span: &Span) {
        span.record("status", response.status().as_u16());
    }
}

#[derive(Clone)]
pub(super) struct TransportFailure;

impl OnFailure<ServerErrorsFailureClass> for TransportFailure {
    fn on_failure(&mut self, class: ServerErrorsFailureClass, _: Duration, span: &Span) {
        // Error statuses were already printed with their status line.
        if let ServerErrorsFailureClass::Error(error) = class {
            tracing::error!(target: TARGET, parent: span, failure = error.as_str());
        }
    }
}

/// The subscriber layer that prints request spans.
struct HttpLines {
    verbosity: u8,
    sink: Arc<dyn Diagnostics>,
}

impl HttpLines {
    /// Every trace line leaves through here: URLs (the request's, one in a transport
    /// failure) never show their user-info (`https://bob:pw@host` in a server URL).
    fn line(&self, text: &str) {
        self.sink.trace(&crate::output::text::redact_userinfo(text));
    }
}

/// What a request span knows.
struct Call {
    method: String,
    url: String,
    auth: String,
    started: Instant,
}

#[derive(Default)]
struct Fields {
    method: String,
    url: String,
    auth: String,
    status: Option<u64>,
    headers: Option<String>,
    failure: Option<String>,
    retry: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "auth" => self.auth = value.to_string(),
            "headers" => self.headers = Some(value.to_string()),
            "failure" => self.failure = Some(crate::output::text::one_line(value)),
            "retry" => self.retry = Some(value.to_string()),
            _ => self.record_debug(field, &value),
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "status" {
            self.status = Some(value);
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "method" => self.method = format!("{value:?}"),
            "url" => self.url = format!("{value:?}"),
            _ => {}
        }
    }
}

impl Call {
    fn millis(&self) -> u128 {
        self.started.elapsed().as_millis()
    }
}

impl<S> Layer<S> for HttpLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != SPAN_NAME {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Call {
                method: fields.method,
                url: fields.url,
                auth: fields.auth,
                started: Instant::now(),
            });
        }
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        let (Some(status), Some(span)) = (fields.status, ctx.span(id)) else {
            return;
        };
        if let Some(call) = span.extensions().get::<Call>() {
            let reason = u16::try_from(status)
                .ok()
                .and_then(|s| http::StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            self.line(&format!(
                "I {} {} {status} {reason} in {} milliseconds (Authorization: {})",
                call.method,
                call.url,
                call.millis(),
                call.auth
            ));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != TARGET {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(retry) = fields.retry {
            self.line(&retry);
            return;
        }
        let Some(span) = ctx.event_span(event) else {
            return;
        };
        let extensions = span.extensions();
        let Some(call) = extensions.get::<Call>() else {
            return;
        };
        if let Some(headers) = fields.headers.filter(|_| self.verbosity >= 7) {
            self.line(&format!(
                "I Request Headers for {} {}:",
                call.method, call.url
            ));
            for line in headers.lines() {
                self.line(line);
            }
        }
        if let Some(failure) = fields.failure {
            self.line(&format!(
                "I {} {} failed in {} milliseconds: {failure}",
                call.method,
                call.url,
                call.millis()
            ));
        }
    }
}
