//! One request, one answer read whole and bounded: what every get, LIST page, patch and
//! create goes through (watches stream their events instead).
//!
//! kube's `Client::request_text` reads any body to its end, follows no redirect and says "not
//! the expected JSON" about a 302. Here the answer is judged before its body is read: a
//! redirect is an error naming its `Location`; an error status is read (at most
//! [`MAX_ERROR_BODY`], enough for any `Status`) into the same `kube::Error::Api` kube would
//! make; a success body larger than [`MAX_BODY`] is refused — at once when its
//! `Content-Length` says so, else as soon as the bytes read pass the limit — so a hostile or
//! broken server cannot make `ac` hold more than that in memory.

use std::fmt;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use kube::Client;
use kube::client::Body;
use kube::core::Status;

/// The largest answer `ac` reads (one object, one LIST page of [`super::api::LIST_CHUNK`]
/// objects): 512 MiB, far above any real page (a 500-object page of large
/// ClusterVersionShadows is a few MiB).
pub const MAX_BODY: u64 = 512 * 1024 * 1024;

/// The part of an error answer (4xx, 5xx) that is read: a `Status` is a few hundred bytes, an
/// HTML page of a proxy a few KiB; the rest is not read.
pub const MAX_ERROR_BODY: usize = 1024 * 1024;

/// The limit in force: [`MAX_BODY`]. Debug builds (the test binaries) honour a lower limit
/// from `AC_TEST_MAX_BODY` (bytes), so that the end-to-end tests need not send 512 MiB; a
/// release build ignores it, and no value can raise the limit.
pub fn max_body() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(lower) = std::env::var("AC_TEST_MAX_BODY")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        return lower.min(MAX_BODY);
    }
    MAX_BODY
}

/// An answer `ac` does not use, found before its body is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// A 3xx: `ac` follows no redirect (the API server sends none; a login page of a proxy
    /// does, and following it would send the credentials elsewhere).
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// The body is larger than `limit` bytes (`announced`: its `Content-Length`, when that
    /// already said so; else the body was cut off after `limit` bytes).
    TooLarge { limit: u64, announced: Option<u64> },
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::Redirect { status, location } => write!(
                f,
                "redirect {status} to {}",
                location.as_deref().unwrap_or("<no Location>")
            ),
            Unusable::TooLarge { limit, .. } => write!(f, "answer larger than {limit} bytes"),
        }
    }
}

impl std::error::Error for Unusable {}

fn unusable(u: Unusable) -> kube::Error {
    kube::Error::Service(Box::new(u))
}

/// Send `request` and read its answer's body as text, bounded by [`max_body`].
pub async fn text(client: &Client, request: http::Request<Vec<u8>>) -> kube::Result<String> {
    let response = client.send(request.map(Body::from)).await?;
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(http::header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        return Err(unusable(Unusable::Redirect {
            status: status.as_u16(),
            location,
        }));
    }
    if status.is_client_error() || status.is_server_error() {
        return Err(error_answer(response).await);
    }
    let limit = max_body();
    let announced = response
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(length) = announced.filter(|length| *length > limit) {
        return Err(unusable(Unusable::TooLarge {
            limit,
            announced: Some(length),
        }));
    }
    let body = read_limited(response.into_body(), limit).await?;
    String::from_utf8(Vec::from(body)).map_err(kube::Error::FromUtf8)
}

/// The whole body, or [`Unusable::TooLarge`] as soon as more than `limit` bytes arrived.
async fn read_limited<B>(body: B, limit: u64) -> kube::Result<Bytes>
where
    B: http_body::Body<Data = Bytes, Error = kube::Error>,
{
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    match Limited::new(body, cap).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(unusable(Unusable::TooLarge {
            limit,
            announced: None,
        })),
        Err(e) => Err(match e.downcast::<kube::Error>() {
            Ok(kube) => *kube,
            Err(other) => kube::Error::Service(other),
        }),
    }
}

/// An error answer (4xx, 5xx) as kube reads one: its body's `Status` (the first
/// [`MAX_ERROR_BODY`] bytes), else the body as the message — with the HTTP code whenever the body
/// gives none (any JSON object parses as a `Status`, so a proxy's `{"message": …}` would
/// otherwise say code 0 and escape every judgement by code). Every request path reads error
/// answers here: plain reads and writes, watches, retried reads.
pub async fn error_answer(response: http::Response<Body>) -> kube::Error {
    let code = response.status().as_u16();
    match read_at_most(response.into_body(), MAX_ERROR_BODY).await {
        Ok(body) => kube::Error::Api(status_from_body(code, &body).boxed()),
        Err(e) => e,
    }
}

/// The `Status` of an error answer's body (see [`error_answer`]).
pub fn status_from_body(code: u16, body: &[u8]) -> Status {
    let text = String::from_utf8_lossy(body);
    match serde_json::from_str::<Status>(&text) {
        Ok(mut status) => {
            if status.code == 0 {
                status.code = code;
            }
            status
        }
        Err(_) => Status::failure(text.trim(), "Failed to parse error data").with_code(code),
    }
}

/// The first `cap` bytes of a body (the rest is not read).
async fn read_at_most<B>(mut body: B, cap: usize) -> kube::Result<Bytes>
where
    B: http_body::Body<Data = Bytes, Error = kube::Error> + Unpin,
{
    let mut out = bytes::BytesMut::new();
    while out.len() < cap {
        match body.frame().await {
            Some(frame) => {
                if let Ok(data) = frame?.into_data() {
                    let room = cap - out.len();
                    out.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            None => break,
        }
    }
    Ok(out.freeze())
}

/// What a JSON text is, from its first byte (cheap: a LIST page is not parsed twice to
/// learn that it is no object).
pub fn json_shape(text: &str) -> &'static str {
    match text.trim_start().bytes().next() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(_) => "not JSON",
        None => "empty",
    }
}

/// What a JSON value is, in words.
pub fn value_shape(value: &serde_json::Value) -> &'static str {
    use serde_json::Value as V;
    match value {
        V::Object(_) => "an object",
        V::Array(_) => "an array",
        V::String(_) => "a string",
        V::Null => "null",
        V::Bool(_) => "a boolean",
        V::Number(_) => "a number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn streamed(chunks: Vec<usize>) -> impl http_body::Body<Data = Bytes, Error = kube::Error> {
        let frames = futures::stream::iter(chunks)
            .map(|n| Ok::<_, kube::Error>(hyper::body::Frame::data(Bytes::from(vec![b'x'; n]))));
        http_body_util::StreamBody::new(frames)
    }

    #[test]
    fn the_production_limit_is_512_mib() {
        assert_eq!(MAX_BODY, 536_870_912);
        // Without the debug-only override, the limit in force is MAX_BODY.
        if std::env::var_os("AC_TEST_MAX_BODY").is_none() {
            assert_eq!(max_body(), MAX_BODY);
        }
    }

    #[tokio::test]
    async fn a_body_without_a_length_is_cut_off_at_the_limit() {
        let ok = read_limited(streamed(vec![400, 600]), 1000).await.unwrap();
        assert_eq!(ok.len(), 1000);
        let err = read_limited(streamed(vec![400, 600, 1]), 1000)
            .await
            .unwrap_err();
        let kube::Error::Service(e) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            e.downcast_ref::<Unusable>(),
            Some(&Unusable::TooLarge {
                limit: 1000,
                announced: None
            })
        );
        // The limit does not stop at the first chunk: a stream of many small chunks too.
        let err = read_limited(streamed(vec![1; 2000]), 1000)
            .await
            .unwrap_err();
        assert!(matches!(err, kube::Error::Service(_)), "{err:?}");
    }

    #[tokio::test]
    async fn an_error_answer_is_read_up_to_its_cap() {
        let body = read_at_most(streamed(vec![700, 700, 700]), 1000)
            .await
            .unwrap();
        assert_eq!(body.len(), 1000);
    }

    #[test]
    fn shapes() {
        for (text, shape) in [
            (" {\"a\":1}", "an object"),
            ("[]", "an array"),
            ("\"x\"", "a string"),
            ("null", "null"),
            ("42", "a number"),
            ("-1", "a number"),
            ("true", "a boolean"),
            ("<html>", "not JSON"),
            ("  ", "empty"),
        ] {
            assert_eq!(json_shape(text), shape, "{text}");
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
                assert_eq!(value_shape(&v), shape, "{text}");
            }
        }
    }
}
