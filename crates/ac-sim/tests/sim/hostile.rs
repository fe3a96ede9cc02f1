//! Hostile answers a client must survive (issue 15), as the faults serve them over HTTPS:
//! 200s whose body is not a JSON object, objects without `metadata.resourceVersion`,
//! oversized bodies and redirects.

use std::time::Duration;

use ac_sim::{Fault, Sim};
use http_body_util::BodyExt;
use serde_json::Value;

use crate::api::{CVSH, MERGE, client, frozen, raw};

/// One request: status, headers and the whole body.
async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
) -> (u16, http::HeaderMap, bytes::Bytes) {
    let req = http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/merge-patch+json")
        .body(kube::client::Body::from(b"{}".to_vec()))
        .unwrap();
    let resp = client.send(req).await.expect("an answer");
    let code = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (code, headers, body)
}

fn faults(sim: &Sim, specs: &[&str]) {
    sim.set_faults(specs.iter().map(|s| Fault::parse(s).unwrap()).collect());
}

#[tokio::test(flavor = "multi_thread")]
async fn ok_answers_whose_body_is_not_an_object() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    for body in ["[]", "null", "\"x\"", "42"] {
        faults(&sim, &[&format!("status=200,body={body}")]);
        let (code, headers, bytes) = send(&admin, "GET", &format!("{CVSH}/global")).await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(headers["content-type"], "application/json", "{body}");
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(body).unwrap());
        assert!(!value.is_object());
    }
    // A Kubernetes Status that says 404, sent with HTTP 200.
    faults(
        &sim,
        &["status=200,body-status=404,path=/clusterversionshadows/"],
    );
    let (code, headers, bytes) = send(&admin, "GET", &format!("{CVSH}/global")).await;
    let status: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(code, 200);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        (&status["kind"], &status["code"], &status["reason"]),
        (
            &Value::from("Status"),
            &Value::from(404),
            &Value::from("NotFound")
        )
    );
    // The PATCH a client must not send after such an answer would get the same.
    assert_eq!(
        send(&admin, "PATCH", &format!("{CVSH}/global")).await.0,
        200
    );
    assert_eq!(sim.requests().last().unwrap().status, 200);
    // A non-JSON raw body keeps text/plain.
    faults(&sim, &["status=200,body=<html>login</html>"]);
    let (_, headers, _) = send(&admin, "GET", &format!("{CVSH}/global")).await;
    assert_eq!(headers["content-type"], "text/plain");
    sim.shutdown().await;
}

fn has_rv(object: &Value) -> bool {
    object["metadata"].get("resourceVersion").is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn objects_without_resource_version() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    faults(&sim, &["no-resource-version,path=/clusterversionshadows"]);

    let (code, _, bytes) = send(&admin, "GET", &format!("{CVSH}/global")).await;
    let object: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        (code, &object["metadata"]["name"]),
        (200, &Value::from("global"))
    );
    assert!(!has_rv(&object), "{object}");

    let (_, _, bytes) = send(&admin, "GET", CVSH).await;
    let list: Value = serde_json::from_slice(&bytes).unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(|item| !has_rv(item)));
    assert!(has_rv(&list), "the list keeps its own resourceVersion");

    // A PATCH answer too (the request itself is handled).
    let (code, body) = raw(
        &admin,
        "PATCH",
        &format!("{CVSH}/workload-a"),
        MERGE,
        r#"{"metadata":{"labels":{"x":"y"}}}"#,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(body["metadata"]["labels"]["x"], "y");
    assert!(!has_rv(&body));
    assert!(has_rv(
        &sim.get("cvsh", Some("cpaas-system"), "workload-a").unwrap()
    ));

    // Watch events: ADDED for the current objects, then a MODIFIED, all without one.
    let req = http::Request::get(format!("{CVSH}?watch=true"))
        .body(kube::client::Body::empty())
        .unwrap();
    let mut body = admin.send(req).await.unwrap().into_body();
    let mut text = String::new();
    let mut patched = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while text.lines().count() < 5 {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .expect("watch events in time")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
        if text.lines().count() == 4 && !patched {
            patched = true;
            let mut global = sim.get("cvsh", Some("cpaas-system"), "global").unwrap();
            global["metadata"]["labels"] = serde_json::json!({"seen": "yes"});
            sim.put(global);
        }
    }
    let events: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(events[4]["type"], "MODIFIED");
    for event in &events {
        assert!(!has_rv(&event["object"]), "{event}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_are_exactly_that_large_and_valid() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    faults(
        &sim,
        &["oversize-body=20MiB,path=/clusterversionshadows/global,method=GET"],
    );
    let (code, headers, bytes) = send(&admin, "GET", &format!("{CVSH}/global")).await;
    assert_eq!(code, 200);
    assert!(headers.get("content-length").is_none(), "streamed, chunked");
    assert_eq!(bytes.len(), 20 << 20);
    let object: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(object["status"]["current"]["version"], "4.2.1");
    let padding = object["metadata"]["annotations"]["ac-sim.io/padding"]
        .as_str()
        .unwrap();
    assert!(padding.len() > (20 << 20) - 10_000);

    // A LIST page: the first item carries the padding.
    faults(&sim, &["oversize-body=1MiB,path=/clusterversionshadows?"]);
    let (_, _, bytes) = send(&admin, "GET", &format!("{CVSH}?limit=2")).await;
    assert_eq!(bytes.len(), 1 << 20);
    let list: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    // Requests the filter does not match are answered as usual.
    let (_, _, bytes) = send(&admin, "GET", &format!("{CVSH}/global")).await;
    assert!(bytes.len() < 100_000);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn redirects_answer_302_with_the_location() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    faults(
        &sim,
        &["redirect=https://sso.example.com/login?next=/kubernetes/global"],
    );
    for method in ["GET", "PATCH"] {
        let (code, headers, body) = send(&admin, method, &format!("{CVSH}/global")).await;
        assert_eq!(code, 302, "{method}");
        assert_eq!(
            headers["location"],
            "https://sso.example.com/login?next=/kubernetes/global"
        );
        assert!(String::from_utf8_lossy(&body).contains("Found"));
    }
    assert_eq!(sim.requests().last().unwrap().status, 302);
    assert!(
        sim.get("cvsh", Some("cpaas-system"), "global").unwrap()["metadata"]["generation"] == 1,
        "the redirected PATCH changed nothing"
    );
    sim.shutdown().await;
}
