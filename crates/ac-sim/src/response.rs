//! HTTP answers: the body type every handler returns and the JSON, raw and error responses.

use std::convert::Infallible;
use std::io;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::Value;

use crate::status::ApiError;

/// A response body: whole (most answers) or streamed (watches).
pub type Body = http_body_util::combinators::UnsyncBoxBody<Bytes, io::Error>;

/// A whole body.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed_unsync()
}

/// An answer with the headers a kube-apiserver sends (content type, `no-cache`).
pub fn response(code: u16, content_type: &str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    r
}

pub fn bytes_response(code: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    response(code, content_type, full(body))
}

pub fn json_response(code: u16, v: &Value) -> Response<Body> {
    bytes_response(
        code,
        "application/json",
        serde_json::to_vec(v).unwrap_or_default(),
    )
}

pub fn error_response(e: &ApiError) -> Response<Body> {
    json_response(e.code, &e.to_json())
}
