//! The answers of the hostile-server faults ([`crate::faults`]): a `Status` whose code
//! disagrees with the HTTP status, a redirect, objects without `metadata.resourceVersion`
//! (GET, LIST items, watch events) and an oversized body streamed without being held in
//! memory.

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::BodyExt;
use hyper::Response;
use hyper::body::Frame;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, LOCATION};
use serde_json::{Value, json};

use crate::faults::reason_for;
use crate::response::{Body, bytes_response, json_response};

/// HTTP `http` carrying the Kubernetes `Status` of code `status` (`status=200,body-status=404`).
pub fn status_body(http: u16, status: u16) -> Response<Body> {
    json_response(
        http,
        &json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": format!("injected fault: a {status} Status sent with HTTP {http}"),
            "reason": reason_for(status), "code": status,
        }),
    )
}

/// `302 Found` to `location`, with the small HTML body a proxy or an SSO gateway sends.
pub fn redirect(location: &str) -> Response<Body> {
    let body = format!("<a href=\"{location}\">Found</a>.\n");
    let mut response = bytes_response(302, "text/html; charset=utf-8", body);
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Remove `metadata.resourceVersion` from one object (not from a list, a Table or a Status:
/// their objects are inside).
fn strip_object(object: &mut Value) {
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("resourceVersion");
    }
}

/// Remove `metadata.resourceVersion` from the objects of an answer: the object itself, a
/// list's `items`, a Table's `rows[].object`. The list's own resourceVersion stays.
fn strip_answer(answer: &mut Value) {
    let kind = answer
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if kind == "Status" {
        return;
    }
    if let Some(items) = answer.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(strip_object);
    } else if let Some(rows) = answer.get_mut("rows").and_then(Value::as_array_mut) {
        for row in rows {
            if let Some(object) = row.get_mut("object") {
                strip_answer(object);
            }
        }
    } else if kind != "Table" {
        strip_object(answer);
    }
}

/// The same watch lines with `metadata.resourceVersion` removed from the objects of ADDED,
/// MODIFIED and DELETED events (BOOKMARK and ERROR events keep theirs).
fn strip_watch_lines(data: Bytes) -> Bytes {
    let mut out = Vec::with_capacity(data.len());
    for line in data.split_inclusive(|byte| *byte == b'\n') {
        match serde_json::from_slice::<Value>(line) {
            Ok(mut event) => {
                let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
                if matches!(kind, "ADDED" | "MODIFIED" | "DELETED")
                    && let Some(object) = event.get_mut("object")
                {
                    strip_answer(object);
                }
                out.extend_from_slice(&serde_json::to_vec(&event).unwrap_or_default());
                if line.ends_with(b"\n") {
                    out.push(b'\n');
                }
            }
            Err(_) => out.extend_from_slice(line),
        }
    }
    Bytes::from(out)
}

/// The `no-resource-version` fault: the answer with `metadata.resourceVersion` removed from
/// every object in it. A watch stream is rewritten event by event (the simulator sends one
/// whole line per frame); any other answer is read whole (the simulator's own, already in
/// memory) and rewritten when it is JSON.
pub async fn without_resource_versions(response: Response<Body>, watch: bool) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    if watch {
        let body = body
            .map_frame(|frame| frame.map_data(strip_watch_lines))
            .boxed_unsync();
        return Response::from_parts(parts, body);
    }
    let whole = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let bytes = match serde_json::from_slice::<Value>(&whole) {
        Ok(mut answer) => {
            strip_answer(&mut answer);
            Bytes::from(serde_json::to_vec(&answer).unwrap_or_default())
        }
        Err(_) => whole,
    };
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, crate::response::full(bytes))
}

/// A marker the padding replaces (a plain string serde_json writes as it is).
const PADDING_MARK: &str = "AC-SIM-PADDING-7c1e9b";

/// The annotation that carries the padding.
pub const PADDING_ANNOTATION: &str = "ac-sim.io/padding";

/// Put the padding marker into the answer: an annotation of the object (a list's first item,
/// a Table's first row object), else a top-level `padding` field.
fn mark(answer: &mut Value) {
    let pointer = if answer
        .get("items")
        .and_then(Value::as_array)
        .is_some_and(|items| !items.is_empty())
    {
        Some("/items/0")
    } else if answer
        .pointer("/rows/0/object/metadata")
        .is_some_and(Value::is_object)
    {
        Some("/rows/0/object")
    } else if answer.get("items").is_none()
        && answer.get("metadata").is_some_and(Value::is_object)
        && answer.get("kind").and_then(Value::as_str) != Some("Table")
    {
        Some("")
    } else {
        None
    };
    match pointer.and_then(|pointer| answer.pointer_mut(pointer)) {
        Some(object) => {
            let metadata = &mut object["metadata"];
            if !metadata.get("annotations").is_some_and(Value::is_object) {
                metadata["annotations"] = json!({});
            }
            metadata["annotations"][PADDING_ANNOTATION] = PADDING_MARK.into();
        }
        None => {
            if let Some(fields) = answer.as_object_mut() {
                fields.insert("padding".into(), PADDING_MARK.into());
            }
        }
    }
}

/// One chunk of padding.
static PADDING: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// The `oversize-body=SIZE` fault: a 200 JSON answer padded to exactly `size` bytes and
/// streamed (chunked, no `Content-Length`): its head, `size` minus the rest bytes of `x` in
/// 64 KiB chunks made on demand, its tail. Other answers, and answers already larger than
/// `size`, pass unchanged.
pub async fn oversize(response: Response<Body>, size: u64) -> Response<Body> {
    let json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if response.status() != hyper::StatusCode::OK || !json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let whole = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let mut answer = match serde_json::from_slice::<Value>(&whole) {
        Ok(answer) if answer.is_object() => answer,
        _ => return Response::from_parts(parts, crate::response::full(whole)),
    };
    mark(&mut answer);
    let text = serde_json::to_string(&answer).unwrap_or_default();
    let Some(at) = text.find(PADDING_MARK) else {
        return Response::from_parts(parts, crate::response::full(whole));
    };
    let head = Bytes::from(text[..at].to_string());
    let tail = Bytes::from(text[at + PADDING_MARK.len()..].to_string());
    let padding = size.saturating_sub((head.len() + tail.len()) as u64);
    let chunks = futures::stream::unfold(padding, |left| async move {
        if left == 0 {
            return None;
        }
        let n = left.min(PADDING.len() as u64);
        let chunk = Bytes::from_static(&PADDING[..n as usize]);
        Some((Ok(Frame::data(chunk)), left - n))
    });
    let frames = futures::stream::once(async move { Ok(Frame::data(head)) })
        .chain(chunks)
        .chain(futures::stream::once(async move { Ok(Frame::data(tail)) }));
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(
        parts,
        http_body_util::StreamBody::new(frames).boxed_unsync(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn text(response: Response<Body>) -> String {
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn oversize_pads_to_the_exact_size_and_stays_json() {
        let object = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
        let padded = oversize(json_response(200, &object), 100_000).await;
        let body = text(padded).await;
        assert_eq!(body.len(), 100_000);
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["metadata"]["name"], "x");
        let padding = value["metadata"]["annotations"][PADDING_ANNOTATION]
            .as_str()
            .unwrap();
        assert!(padding.len() > 99_000 && padding.bytes().all(|b| b == b'x'));
        let list = json!({"kind": "ConfigMapList", "metadata": {"resourceVersion": "5"},
            "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]});
        let body = text(oversize(json_response(200, &list), 70_000).await).await;
        assert_eq!(body.len(), 70_000);
        let value: Value = serde_json::from_str(&body).unwrap();
        assert!(value["items"][0]["metadata"]["annotations"][PADDING_ANNOTATION].is_string());
        assert_eq!(value["items"][1]["metadata"]["name"], "b");
        let empty = json!({"kind": "ConfigMapList", "metadata": {}, "items": []});
        let body = text(oversize(json_response(200, &empty), 5_000).await).await;
        assert_eq!(body.len(), 5_000);
        assert!(serde_json::from_str::<Value>(&body).unwrap()["padding"].is_string());
        // Errors pass unchanged.
        let error = json_response(404, &json!({"kind": "Status", "code": 404}));
        assert!(text(oversize(error, 5_000).await).await.len() < 100);
    }

    #[test]
    fn resource_versions_leave_objects_not_lists() {
        let mut list = json!({"kind": "XList", "metadata": {"resourceVersion": "9"},
            "items": [{"metadata": {"name": "a", "resourceVersion": "3"}}]});
        strip_answer(&mut list);
        assert_eq!(list["metadata"]["resourceVersion"], "9");
        assert!(
            list["items"][0]["metadata"]
                .get("resourceVersion")
                .is_none()
        );
        let lines = Bytes::from(
            "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"4\"}}}\n{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"5\"}}}\n",
        );
        let out = String::from_utf8(strip_watch_lines(lines).to_vec()).unwrap();
        let events: Vec<Value> = out
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert!(
            events[0]["object"]["metadata"]
                .get("resourceVersion")
                .is_none()
        );
        assert_eq!(events[1]["object"]["metadata"]["resourceVersion"], "5");
        assert!(out.ends_with('\n'));
    }
}
