//! One WATCH request: sent under the command's deadline (which bounds connecting and the
//! answer's first byte, not the stream), then read as lines of at most [`MAX_EVENT_BYTES`],
//! each a `{"type":…,"object":…}` event. kube's `Api::watch` reads lines without a limit, so
//! the request is sent with `Client::send` and framed here.

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use http_body_util::BodyExt;
use kube::core::Status;
use serde::Deserialize;
use serde_json::Value;
use tokio_util::codec::{FramedRead, LinesCodec, LinesCodecError};
use tokio_util::io::StreamReader;

use super::super::client::{Conn, Op};
use crate::error::{AcError, Result};

/// The longest watch event (one line) read: far above any real object, and a bound on what
/// a server or a proxy that sends a line without end can make `ac` hold.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// What one line of a watch stream says.
#[derive(Debug)]
pub enum Line {
    /// `ADDED` or `MODIFIED`.
    Upsert(Value),
    Delete(Value),
    /// A `BOOKMARK`'s resourceVersion (if it has one).
    Bookmark(Option<String>),
    /// An `ERROR` event's `Status`.
    Error(Box<Status>),
    /// An event type Kubernetes does not send.
    Unknown(String),
}

/// What reading a stream gave.
#[derive(Debug)]
pub enum Read {
    Line(Line),
    /// The server ended the stream (its `timeoutSeconds`, or anything else).
    End,
    /// The stream broke (reset, cut in the middle of an event, silent past the idle limit).
    Dropped(String),
}

type Bodies = Pin<Box<dyn futures::Stream<Item = std::io::Result<Bytes>> + Send>>;

/// An open watch stream.
pub struct Stream {
    lines: FramedRead<StreamReader<Bodies, Bytes>, LinesCodec>,
    /// No byte for this long: the connection is taken for dead.
    idle: Duration,
    op: Op,
    endpoint: String,
    request_timeout: Duration,
}

#[derive(Deserialize)]
struct RawLine {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    object: Value,
}

/// Send the watch `request`; its stream is taken for dead after `idle` without a byte.
pub async fn open(
    conn: &Conn,
    op: &Op,
    request: http::Request<Vec<u8>>,
    idle: Duration,
) -> Result<Stream> {
    let client = conn.client.clone();
    let answer = async move {
        let response = client.send(request.map(kube::client::Body::from)).await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(crate::access::fetch::error_answer(response).await)
        }
    };
    let response = conn.call(op, answer).await?;
    let bodies: Bodies = response
        .into_body()
        .into_data_stream()
        .map_err(std::io::Error::other)
        .boxed();
    Ok(Stream {
        lines: FramedRead::new(
            StreamReader::new(bodies),
            LinesCodec::new_with_max_length(MAX_EVENT_BYTES),
        ),
        idle,
        op: op.clone(),
        endpoint: conn.endpoint.clone(),
        request_timeout: conn.request_timeout,
    })
}

impl Stream {
    /// The next line, the end, or a break. `Err` only for what reconnecting cannot cure: a
    /// line over [`MAX_EVENT_BYTES`], text that is not JSON (or not UTF-8).
    pub async fn next(&mut self) -> Result<Read> {
        loop {
            let line = match tokio::time::timeout(self.idle, self.lines.next()).await {
                Err(_) => {
                    return Ok(Read::Dropped(format!(
                        "no data for {}",
                        crate::duration::format(self.idle)
                    )));
                }
                Ok(None) => return Ok(Read::End),
                Ok(Some(Err(LinesCodecError::MaxLineLengthExceeded))) => {
                    return Err(self.oversize());
                }
                Ok(Some(Err(LinesCodecError::Io(e))))
                    if e.kind() == std::io::ErrorKind::InvalidData =>
                {
                    return Err(self.not_json(&e.to_string()));
                }
                Ok(Some(Err(LinesCodecError::Io(e)))) => {
                    return Ok(Read::Dropped(format!(
                        "the stream broke: {}",
                        super::super::errors::chain(&e)
                    )));
                }
                Ok(Some(Ok(line))) => line,
            };
            if line.trim().is_empty() {
                continue;
            }
            return match serde_json::from_str::<RawLine>(&line) {
                Ok(raw) => Ok(Read::Line(parse(raw))),
                Err(e) if e.is_eof() => Ok(Read::Dropped(
                    "the stream ended in the middle of an event".into(),
                )),
                Err(e) => Err(super::super::errors::map(
                    kube::Error::SerdeError(e),
                    &self.op,
                    self.request_timeout,
                )),
            };
        }
    }

    fn oversize(&self) -> AcError {
        AcError::api(format!(
            "a watch event from {} for {} is longer than {} MiB, the limit of one event; the watch was stopped",
            self.endpoint,
            self.op.what(),
            MAX_EVENT_BYTES / (1024 * 1024)
        ))
        .hint("an API server sends one JSON event per line: the server, or a proxy in front of it, sent a line without end; -v=6 shows the requests")
    }

    fn not_json(&self, why: &str) -> AcError {
        AcError::api(format!(
            "the watch of {} on {} is not the expected JSON ({})",
            self.op.what(),
            self.endpoint,
            crate::output::text::one_line(why)
        ))
        .hint("a proxy in front of the API server may be rewriting the answer; -v=6 shows the requests")
    }
}

fn parse(raw: RawLine) -> Line {
    match raw.kind.as_str() {
        "ADDED" | "MODIFIED" => Line::Upsert(raw.object),
        "DELETED" => Line::Delete(raw.object),
        "BOOKMARK" => Line::Bookmark(resource_version(&raw.object)),
        "ERROR" => Line::Error(Box::new(status_of(&raw.object))),
        _ => Line::Unknown(crate::output::text::one_line(&raw.kind)),
    }
}

/// `metadata.resourceVersion`, when it is a non-empty string.
pub fn resource_version(object: &Value) -> Option<String> {
    object
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .filter(|version| !version.is_empty())
        .map(str::to_string)
}

/// An `ERROR` event's object, read field by field (a broken one is a 500 without a message).
fn status_of(object: &Value) -> Status {
    let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or("");
    let code = object
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|code| u16::try_from(code).ok())
        .unwrap_or(500);
    Status::failure(text("message"), text("reason")).with_code(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(text: &str) -> Line {
        parse(serde_json::from_str(text).unwrap())
    }

    #[test]
    fn lines_are_read_by_type() {
        assert!(matches!(
            line(r#"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"#),
            Line::Upsert(o) if o["metadata"]["name"] == "a"
        ));
        assert!(matches!(
            line(r#"{"type":"DELETED","object":{}}"#),
            Line::Delete(_)
        ));
        assert!(matches!(
            line(r#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12"}}}"#),
            Line::Bookmark(Some(rv)) if rv == "12"
        ));
        assert!(matches!(
            line(r#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":7}}}"#),
            Line::Bookmark(None)
        ));
        match line(
            r#"{"type":"ERROR","object":{"code":410,"reason":"Expired","message":"too old"}}"#,
        ) {
            Line::Error(s) => assert_eq!((s.code, s.reason.as_str()), (410, "Expired")),
            other => panic!("{other:?}"),
        }
        match line(r#"{"type":"ERROR","object":"nonsense"}"#) {
            Line::Error(s) => assert_eq!(s.code, 500),
            other => panic!("{other:?}"),
        }
        assert!(matches!(line(r#"{"type":"Weird"}"#), Line::Unknown(t) if t == "Weird"));
        assert_eq!(
            resource_version(&json!({"metadata": {"resourceVersion": ""}})),
            None
        );
    }
}
