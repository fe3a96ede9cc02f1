//! The simulator's HTTP API as a client sees it (kube client over HTTPS, controller off).

use std::time::Duration;

use ac_sim::{Fault, FaultKind, Scenario, Sim, SimOptions};
use futures::{StreamExt, TryStreamExt};
use http_body_util::BodyExt;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams, WatchEvent, WatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{Value, json};

pub(crate) const NS: &str = "cpaas-system";

pub(crate) async fn frozen() -> Sim {
    Sim::start(SimOptions {
        scenario: Scenario::builtin(),
        ..SimOptions::empty()
    })
    .await
    .expect("sim starts")
}

pub(crate) async fn client(sim: &Sim, context: &str) -> kube::Client {
    let kc = Kubeconfig::from_yaml(&sim.kubeconfig_yaml("global")).expect("kubeconfig parses");
    let opts = KubeConfigOptions {
        context: Some(context.into()),
        ..Default::default()
    };
    let mut cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    cfg.read_timeout = Some(Duration::from_secs(30));
    cfg.default_retry = false;
    kube::Client::try_from(cfg).expect("client")
}

pub(crate) async fn raw(
    client: &kube::Client,
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut builder = http::Request::builder().method(method).uri(path);
    if let Some(ct) = ct {
        builder = builder.header("content-type", ct);
    }
    let req = builder
        .body(kube::client::Body::from(body.as_bytes().to_vec()))
        .unwrap();
    let resp = client.send(req).await.expect("answer");
    let code = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        code,
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into())),
    )
}

pub(crate) fn cvsh_api(c: &kube::Client) -> Api<DynamicObject> {
    let ar = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("config.alauda.io", "v1", "ClusterVersionShadow"),
        "clusterversionshadows",
    );
    Api::namespaced_with(c.clone(), NS, &ar)
}

pub(crate) const CVSH: &str =
    "/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows";
pub(crate) const MERGE: Option<&str> = Some("application/merge-patch+json");

#[tokio::test(flavor = "multi_thread")]
async fn reads_writes_and_errors_like_an_apiserver() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    let viewer = client(&sim, "sim-viewer/global").await;

    let (code, global) = raw(&admin, "GET", &format!("{CVSH}/global"), None, "").await;
    assert_eq!(code, 200);
    assert_eq!(global["status"]["current"]["version"], "4.2.1");
    let rv = global["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let gen0 = global["metadata"]["generation"].as_i64().unwrap();

    let (code, list) = raw(
        &admin,
        "GET",
        "/apis/config.alauda.io/v1/clusterversionshadows",
        None,
        "",
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(list["kind"], "ClusterVersionShadowList");
    assert_eq!(list["items"].as_array().unwrap().len(), 4);
    assert!(list["metadata"]["resourceVersion"].is_string());

    // Pagination.
    let (_, p1) = raw(&admin, "GET", &format!("{CVSH}?limit=3"), None, "").await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 3);
    assert_eq!(p1["metadata"]["remainingItemCount"], 1);
    let token = p1["metadata"]["continue"].as_str().unwrap();
    let (_, p2) = raw(
        &admin,
        "GET",
        &format!("{CVSH}?limit=3&continue={token}"),
        None,
        "",
    )
    .await;
    assert_eq!(p2["items"][0]["metadata"]["name"], "workload-c");
    assert!(p2["metadata"].get("continue").is_none());

    // Merge patch with a stale resourceVersion: 409 Conflict.
    let (code, status) = raw(
        &admin,
        "PATCH",
        &format!("{CVSH}/global"),
        MERGE,
        r#"{"metadata":{"resourceVersion":"12345"},"spec":{"desiredUpdate":{"version":"4.3.0"}}}"#,
    )
    .await;
    assert_eq!(code, 409, "{status}");
    assert_eq!(status["reason"], "Conflict");
    assert_eq!(
        status["message"],
        "Operation cannot be fulfilled on clusterversionshadows.config.alauda.io \"global\": the object has been modified; please apply your changes to the latest version and try again"
    );

    // Both version and image: 422 like the CRD's CEL rule.
    let (code, status) = raw(
        &admin,
        "PATCH",
        &format!("{CVSH}/global"),
        MERGE,
        r#"{"spec":{"desiredUpdate":{"version":"4.3.0","image":"r/x:1"}}}"#,
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(status["reason"], "Invalid");

    // Dry run validates without storing.
    let (code, deleted) = raw(
        &admin,
        "PATCH",
        &format!("{CVSH}/global?dryRun=All"),
        MERGE,
        r#"{"spec":{"desiredUpdate":{"version":"4.3.0"}}}"#,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(deleted["spec"]["desiredUpdate"]["version"], "4.3.0");
    assert!(
        sim.get("cvsh", Some(NS), "global").unwrap()["spec"]
            .get("desiredUpdate")
            .is_none()
    );

    // A real patch with the right resourceVersion: generation bumps, status untouched.
    let (code, page) = raw(&admin, "PATCH", &format!("{CVSH}/global"), MERGE,
        &format!(r#"{{"metadata":{{"resourceVersion":"{rv}"}},"spec":{{"desiredUpdate":{{"version":"4.3.0","image":null}}}},"status":{{"current":{{"version":"0.0.1"}}}}}}"#)).await;
    assert_eq!(code, 200, "{page}");
    assert_eq!(page["metadata"]["generation"].as_i64().unwrap(), gen0 + 1);
    assert_eq!(page["status"]["current"]["version"], "4.2.1");

    // Strategic merge patch on a custom resource: 415.
    let (code, status) = raw(
        &admin,
        "PATCH",
        &format!("{CVSH}/global"),
        Some("application/strategic-merge-patch+json"),
        "{}",
    )
    .await;
    assert_eq!(
        (code, status["reason"].as_str()),
        (415, Some("UnsupportedMediaType"))
    );
    // Malformed JSON: 400.
    let (code, status) = raw(&admin, "PATCH", &format!("{CVSH}/global"), MERGE, "{nope").await;
    assert_eq!((code, status["reason"].as_str()), (400, Some("BadRequest")));
    // The status subresource is read-only for clients.
    assert_eq!(
        raw(&admin, "GET", &format!("{CVSH}/global/status"), None, "")
            .await
            .0,
        200
    );
    let (code, status) = raw(
        &admin,
        "PATCH",
        &format!("{CVSH}/global/status"),
        MERGE,
        "{}",
    )
    .await;
    assert_eq!((code, status["reason"].as_str()), (403, Some("Forbidden")));
    // Viewer may read, not write.
    assert_eq!(
        raw(&viewer, "GET", &format!("{CVSH}/global"), None, "")
            .await
            .0,
        200
    );
    let (code, status) = raw(&viewer, "PATCH", &format!("{CVSH}/global"), MERGE, "{}").await;
    assert_eq!(code, 403);
    assert_eq!(
        status["message"],
        "clusterversionshadows.config.alauda.io \"global\" is forbidden: User \"viewer@sim.local\" cannot patch resource \"clusterversionshadows\" in API group \"config.alauda.io\" in the namespace \"cpaas-system\""
    );
    // Unknown things.
    let (code, status) = raw(&admin, "GET", &format!("{CVSH}/nope"), None, "").await;
    assert_eq!(
        (code, status["message"].as_str()),
        (
            404,
            Some("clusterversionshadows.config.alauda.io \"nope\" not found")
        )
    );
    let (code, status) = raw(&admin, "GET", "/apis/config.alauda.io/v1/widgets", None, "").await;
    assert_eq!(
        (code, status["message"].as_str()),
        (
            404,
            Some("the server could not find the requested resource")
        )
    );
    // Workload cluster paths serve discovery only.
    let wl = client(&sim, "sim/workload-a").await;
    assert_eq!(raw(&wl, "GET", CVSH, None, "").await.0, 404);
    assert_eq!(raw(&wl, "GET", "/version", None, "").await.0, 200);
    assert_eq!(
        raw(&wl, "GET", "/apis", None, "").await.1["groups"],
        json!([])
    );

    // ProductManifest create: 201, then 409 AlreadyExists; immutable spec.
    let pm = r#"{"apiVersion":"config.alauda.io/v1","kind":"ProductManifest","metadata":{"name":"v4.4.0"},"spec":{"version":"4.4.0"}}"#;
    let pms = "/apis/config.alauda.io/v1/productmanifests";
    let (code, client) = raw(&admin, "POST", pms, Some("application/json"), pm).await;
    assert_eq!(code, 201);
    assert_eq!(client["metadata"]["generation"], 1);
    assert!(client["metadata"]["uid"].is_string());
    assert_eq!(
        raw(&admin, "POST", pms, Some("application/json"), pm)
            .await
            .1["reason"],
        "AlreadyExists"
    );
    let (code, _) = raw(
        &admin,
        "PATCH",
        &format!("{pms}/v4.4.0"),
        MERGE,
        r#"{"spec":{"version":"4.4.1"}}"#,
    )
    .await;
    assert_eq!(code, 422);
    let (code, _) = raw(&viewer, "POST", pms, Some("application/json"), pm).await;
    assert_eq!(code, 403);

    // ConfigMaps: strategic merge patch accepted (kubectl's default).
    let (code, cm) = raw(
        &admin,
        "PATCH",
        "/api/v1/namespaces/cpaas-system/configmaps/admin-acks",
        Some("application/strategic-merge-patch+json"),
        r#"{"data":{"ack-4.4-kubernetes-1.35-kernel-update":"true"}}"#,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(cm["data"]["ack-4.4-kubernetes-1.35-kernel-update"], "true");

    // The request log: who, never the token.
    let log = sim.requests();
    assert!(log.iter().any(
        |response| response.authorization.as_deref() == Some("viewer") && response.status == 403
    ));
    assert!(
        log.iter()
            .all(|response| !response.body.contains(&sim.admin_token()))
    );
    let patch = log
        .iter()
        .find(|response| response.method == "PATCH" && response.status == 200)
        .unwrap();
    assert_eq!(
        patch.content_type.as_deref(),
        Some("application/merge-patch+json")
    );
    sim.clear_requests();
    assert!(sim.requests().is_empty());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthenticated_is_401() {
    let sim = frozen().await;
    let mut kc = Kubeconfig::from_yaml(&sim.kubeconfig_yaml("global")).unwrap();
    for unauthenticated in &mut kc.auth_infos {
        if let Some(admin) = unauthenticated.auth_info.as_mut() {
            admin.token = Some("wrong".to_string().into());
        }
    }
    let cfg = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    let client = kube::Client::try_from(cfg).unwrap();
    let (code, status) = raw(&client, "GET", CVSH, None, "").await;
    assert!(
        !sim.requests()
            .iter()
            .any(|response| response.body.contains("wrong"))
    );
    assert_eq!(
        (code, status["reason"].as_str()),
        (401, Some("Unauthorized"))
    );
    assert_eq!(
        sim.requests().last().unwrap().authorization.as_deref(),
        Some("invalid")
    );
    sim.shutdown().await;
}

pub(crate) async fn next_event(
    s: &mut (impl futures::Stream<Item = kube::Result<WatchEvent<DynamicObject>>> + Unpin),
) -> WatchEvent<DynamicObject> {
    tokio::time::timeout(Duration::from_secs(60), s.next())
        .await
        .expect("a watch event within 60 s")
        .expect("stream open")
        .expect("event decodes")
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_from_resource_version_expiry_and_drops() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    let api = cvsh_api(&admin);
    let list = api.list(&ListParams::default()).await.unwrap();
    let rv = list.metadata.resource_version.clone().unwrap();

    // Only changes after rv, only the selected object.
    let wp = WatchParams::default().fields("metadata.name=global");
    let mut status = api.watch(&wp, &rv).await.unwrap().boxed();
    sim.put(
        json!({"apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
        "metadata": {"name": "workload-a", "namespace": NS}, "spec": {}}),
    );
    api.patch(
        "global",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}})),
    )
    .await
    .unwrap();
    match next_event(&mut status).await {
        WatchEvent::Modified(o) => {
            assert_eq!(o.metadata.name.as_deref(), Some("global"));
            assert_eq!(o.data["spec"]["desiredUpdate"]["version"], "4.3.0");
        }
        other => panic!("expected MODIFIED, got {other:?}"),
    }

    // rv "0": current objects first.
    let mut all = api
        .watch(&WatchParams::default(), "0")
        .await
        .unwrap()
        .boxed();
    for _ in 0..4 {
        assert!(matches!(next_event(&mut all).await, WatchEvent::Added(_)));
    }

    // Compacted history: the watch answers an ERROR 410 Expired, the list HTTP 410.
    sim.expire_history();
    let mut old = api
        .watch(&WatchParams::default(), &rv)
        .await
        .unwrap()
        .boxed();
    match next_event(&mut old).await {
        WatchEvent::Error(e) => assert_eq!((e.code, e.reason.as_str()), (410, "Expired")),
        other => panic!("expected ERROR, got {other:?}"),
    }
    let (code, st) = raw(
        &admin,
        "GET",
        &format!("{CVSH}?resourceVersion={rv}"),
        None,
        "",
    )
    .await;
    assert_eq!((code, st["reason"].as_str()), (410, Some("Expired")));

    // Dropped watches end with a transport error; a new watch works.
    let current = api
        .get("global")
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut watch = api
        .watch(&WatchParams::default(), &current)
        .await
        .unwrap()
        .boxed();
    sim.drop_watches();
    let end = tokio::time::timeout(Duration::from_secs(60), watch.try_next())
        .await
        .expect("ends");
    assert!(matches!(end, Err(_) | Ok(None)), "{end:?}");
    let mut again = api
        .watch(&WatchParams::default().fields("metadata.name=global"), "0")
        .await
        .unwrap()
        .boxed();
    assert!(matches!(next_event(&mut again).await, WatchEvent::Added(_)));

    // timeoutSeconds ends the stream cleanly.
    let mut token = api
        .watch(&WatchParams::default().timeout(1), &current)
        .await
        .unwrap()
        .boxed();
    let end = tokio::time::timeout(Duration::from_secs(60), token.try_next())
        .await
        .expect("ends");
    assert!(matches!(end, Ok(None)), "{end:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_are_deterministic() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    sim.set_faults(vec![
        Fault::parse("status=503,rate=0.5,path=/clusterversionshadows/global").unwrap(),
    ]);
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(
            raw(&admin, "GET", &format!("{CVSH}/global"), None, "")
                .await
                .0,
        );
    }
    assert_eq!(seen, vec![503, 200, 503, 200]);

    sim.set_faults(vec![Fault {
        method: Some("GET".into()),
        path_contains: "/productmanifests".into(),
        kind: FaultKind::Status {
            code: 502,
            body: Some("<html>Bad Gateway</html>".into()),
            content_type: Some("text/html".into()),
        },
        rate: 1.0,
    }]);
    let (code, body) = raw(
        &admin,
        "GET",
        "/apis/config.alauda.io/v1/productmanifests",
        None,
        "",
    )
    .await;
    assert_eq!(
        (code, body.as_str()),
        (502, Some("<html>Bad Gateway</html>"))
    );

    sim.set_faults(vec![Fault::parse("drop,method=PATCH").unwrap()]);
    let req = http::Request::builder()
        .method("PATCH")
        .uri(format!("{CVSH}/global"))
        .header("content-type", "application/merge-patch+json")
        .body(kube::client::Body::from(b"{}".to_vec()))
        .unwrap();
    assert!(
        admin.send(req).await.is_err(),
        "a dropped request has no answer"
    );
    assert_eq!(sim.requests().last().unwrap().status, 0);

    sim.set_faults(vec![Fault::parse("latency=300ms").unwrap()]);
    let t0 = std::time::Instant::now();
    assert_eq!(
        raw(&admin, "GET", &format!("{CVSH}/global"), None, "")
            .await
            .0,
        200
    );
    assert!(t0.elapsed() >= Duration::from_millis(300));

    sim.set_faults(vec![Fault::parse("hang,path=watch=true").unwrap()]);
    let api = cvsh_api(&admin);
    let hung = tokio::time::timeout(
        Duration::from_millis(500),
        api.watch(&WatchParams::default(), "0"),
    )
    .await;
    assert!(hung.is_err(), "the watch request hangs");
    sim.set_faults(Vec::new());
    assert_eq!(
        raw(&admin, "GET", &format!("{CVSH}/global"), None, "")
            .await
            .0,
        200
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_status_answers() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    let pms = "/apis/config.alauda.io/v1/productmanifests";
    let cases: Vec<(&str, String, Option<&str>, String, u16)> = vec![
        (
            "POST",
            pms.into(),
            Some("application/json"),
            "[1,2]".into(),
            400,
        ),
        (
            "POST",
            pms.into(),
            Some("application/json"),
            r#"{"kind":"Other","metadata":{"name":"x"}}"#.into(),
            400,
        ),
        (
            "POST",
            pms.into(),
            Some("application/json"),
            r#"{"metadata":{"name":"Bad Name"},"spec":{"version":"1.0.0"}}"#.into(),
            422,
        ),
        (
            "POST",
            pms.into(),
            Some("application/json"),
            r#"{"metadata":{"name":"v9","resourceVersion":"3"},"spec":{"version":"9.0.0"}}"#.into(),
            400,
        ),
        (
            "PATCH",
            format!("{CVSH}/global"),
            Some("application/json-patch+json"),
            r#"[{"op":"bogus","path":"/x"}]"#.into(),
            422,
        ),
        (
            "PATCH",
            format!("{CVSH}/global"),
            Some("application/json-patch+json"),
            r#"[{"op":"replace","path":"","value":7}]"#.into(),
            400,
        ),
        (
            "PATCH",
            format!("{CVSH}/global"),
            Some("application/apply-patch+yaml"),
            "{}".into(),
            415,
        ),
        ("PATCH", format!("{CVSH}/global"), None, "{}".into(), 415),
        (
            "PATCH",
            format!("{CVSH}/global"),
            MERGE,
            r#"{"metadata":{"labels":{"a":1}}}"#.into(),
            400,
        ),
        (
            "PATCH",
            format!("{CVSH}/global"),
            MERGE,
            r#"{"spec":{"desiredUpdate":"4.3.0"}}"#.into(),
            422,
        ),
        (
            "PUT",
            format!("{CVSH}/global"),
            Some("application/json"),
            r#"{"metadata":{"name":"other"}}"#.into(),
            400,
        ),
        (
            "POST",
            format!("{CVSH}/global"),
            Some("application/json"),
            "{}".into(),
            405,
        ),
        ("DELETE", CVSH.into(), None, String::new(), 405),
        (
            "GET",
            format!("{CVSH}?continue=zz"),
            None,
            String::new(),
            400,
        ),
        (
            "GET",
            format!("{CVSH}?fieldSelector=spec.x%3D1"),
            None,
            String::new(),
            400,
        ),
        (
            "GET",
            format!("{CVSH}?labelSelector=a+in+(b)"),
            None,
            String::new(),
            400,
        ),
        (
            "GET",
            format!("{CVSH}?resourceVersion=abc"),
            None,
            String::new(),
            422,
        ),
        (
            "GET",
            format!("{CVSH}?watch=true&resourceVersion=abc"),
            None,
            String::new(),
            422,
        ),
        (
            "GET",
            format!("{CVSH}/global/scale"),
            None,
            String::new(),
            404,
        ),
        (
            "GET",
            "/apis/config.alauda.io/v1/clusterversionshadows/global".into(),
            None,
            String::new(),
            404,
        ),
        (
            "GET",
            "/apis/config.alauda.io/v1/namespaces/x/productmanifests".into(),
            None,
            String::new(),
            404,
        ),
        (
            "GET",
            "/api/v1/namespaces/nope".into(),
            None,
            String::new(),
            404,
        ),
        ("POST", "/api".into(), None, String::new(), 405),
        (
            "POST",
            pms.into(),
            Some("application/json"),
            "x".repeat(4 * 1024 * 1024),
            413,
        ),
    ];
    for (method, path, ct, body, want) in cases {
        let (code, status) = raw(&admin, method, &path, ct, &body).await;
        assert_eq!(code, want, "{method} {path}: {status}");
        assert_eq!(status["kind"], "Status", "{method} {path}: {status}");
        assert_eq!(status["code"], want);
    }
    // The server is still fine.
    assert_eq!(
        raw(&admin, "GET", &format!("{CVSH}/global"), None, "")
            .await
            .0,
        200
    );
    sim.shutdown().await;
}
