//! The watch faults (`--fault foreign-event=NAME|one-event|expired-event|expired|endless-line`)
//! as a kube client sees them.

use std::time::Duration;

use ac_sim::Fault;
use futures::{StreamExt, TryStreamExt};
use http_body_util::BodyExt;
use kube::api::{ListParams, WatchEvent, WatchParams};
use serde_json::json;

use crate::api::{CVSH, NS, client, cvsh_api, frozen, next_event};

fn fault(spec: &str) -> Vec<Fault> {
    vec![Fault::parse(spec).expect("fault parses")]
}

#[tokio::test(flavor = "multi_thread")]
async fn foreign_and_one_event_faults_change_watch_streams_only() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    let api = cvsh_api(&admin);
    let rv = api
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let global_only = WatchParams::default().fields("metadata.name=global");

    // A watch of global gets workload-a's object first, whatever its field selector.
    sim.set_faults(fault("foreign-event=workload-a"));
    let mut watch = api.watch(&global_only, &rv).await.unwrap().boxed();
    match next_event(&mut watch).await {
        WatchEvent::Modified(o) => assert_eq!(o.metadata.name.as_deref(), Some("workload-a")),
        other => panic!("expected the foreign MODIFIED, got {other:?}"),
    }
    // Other requests are left alone.
    assert_eq!(
        api.get("global").await.unwrap().metadata.name.unwrap(),
        "global"
    );

    // One event, then the stream ends (even though more changes follow).
    sim.set_faults(fault("one-event,path=watch=true"));
    let mut watch = api.watch(&global_only, &rv).await.unwrap().boxed();
    for generation in 1..=2 {
        sim.put(json!({"apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
            "metadata": {"name": "global", "namespace": NS, "labels": {"n": generation.to_string()}},
            "spec": {}}));
    }
    assert!(matches!(
        next_event(&mut watch).await,
        WatchEvent::Modified(_)
    ));
    let end = tokio::time::timeout(Duration::from_secs(60), watch.try_next())
        .await
        .expect("the stream ends");
    assert!(matches!(end, Ok(None)), "{end:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_faults_answer_410_as_an_event_or_as_http() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    let api = cvsh_api(&admin);

    sim.set_faults(fault("expired-event"));
    let mut watch = api
        .watch(&WatchParams::default(), "0")
        .await
        .unwrap()
        .boxed();
    match next_event(&mut watch).await {
        WatchEvent::Error(e) => assert_eq!((e.code, e.reason.as_str()), (410, "Expired")),
        other => panic!("expected ERROR 410, got {other:?}"),
    }
    let end = tokio::time::timeout(Duration::from_secs(60), watch.try_next())
        .await
        .expect("the stream ends");
    assert!(matches!(end, Ok(None)), "{end:?}");
    // A LIST is not a watch: untouched.
    assert!(api.list(&ListParams::default()).await.is_ok());

    sim.set_faults(fault("expired,path=watch=true"));
    match api.watch(&WatchParams::default(), "0").await {
        Err(kube::Error::Api(s)) => assert_eq!((s.code, s.reason.as_str()), (410, "Expired")),
        Err(other) => panic!("expected HTTP 410, got {other:?}"),
        Ok(_) => panic!("expected HTTP 410, got a stream"),
    }
    assert_eq!(sim.requests().last().unwrap().status, 410);
    assert!(api.list(&ListParams::default()).await.is_ok());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn endless_line_never_sends_a_newline() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    sim.set_faults(fault("endless-line"));
    let req = http::Request::get(format!("{CVSH}?watch=true"))
        .body(kube::client::Body::from(Vec::new()))
        .unwrap();
    let response = admin.send(req).await.expect("an answer");
    assert_eq!(response.status(), 200);
    let mut body = response.into_body();
    let mut read = 0usize;
    while read < 4 * 1024 * 1024 {
        let frame = tokio::time::timeout(Duration::from_secs(60), body.frame())
            .await
            .expect("more of the line")
            .expect("the stream goes on")
            .expect("no error");
        let data = frame.into_data().expect("data");
        assert!(!data.contains(&b'\n'), "a newline after {read} bytes");
        read += data.len();
    }
    drop(body);
    sim.shutdown().await;
}
