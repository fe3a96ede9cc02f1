//! Routing of `/kubernetes/<cluster>/…` and the resource handlers.

use std::sync::Arc;
use std::time::Duration;

use hyper::Response;
use serde_json::{Map, Value, json};

use crate::auth::{ADMIN_USER, User};
use crate::discovery;
use crate::query::{ContinueToken, Query, Selector};
use crate::resources::{self, ResourceType};
use crate::response::{Body, bytes_response, error_response, json_response, response};
use crate::shared::Shared;
use crate::status::ApiError;
use crate::store::{Key, Page, PatchType, Stored};
use crate::table::{IncludeObject, table, wants_table};
use crate::watch::{WatchParams, watch_body};

/// One request as the handlers see it.
pub struct Ctx<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub accept: Option<&'a str>,
    pub user: User,
    pub body: &'a [u8],
    /// A watch fault to play on this request's stream (`crate::faults`).
    pub watch_fault: Option<&'a crate::faults::FaultKind>,
}

/// A resource request: `…/[namespaces/<ns>/]<plural>[/<name>[/<sub>]]`.
struct Target<'a> {
    rt: &'static ResourceType,
    ns: Option<&'a str>,
    name: Option<&'a str>,
}

pub fn dispatch(shared: &Arc<Shared>, ctx: &Ctx) -> Response<Body> {
    match route(shared, ctx) {
        Ok(response) => response,
        Err(error) => error_response(&error),
    }
}

fn route(shared: &Arc<Shared>, ctx: &Ctx) -> Result<Response<Body>, ApiError> {
    let Some(rest) = ctx.path.strip_prefix("/kubernetes/") else {
        return match ctx.path {
            "/healthz" | "/livez" | "/readyz" => Ok(bytes_response(200, "text/plain", "ok")),
            _ => Err(ApiError::no_route()),
        };
    };
    let (cluster, rest) = rest.split_once('/').unwrap_or((rest, ""));
    let global = cluster == "global";
    if !global && !shared.is_cluster(cluster) {
        return Err(ApiError::new(
            404,
            "NotFound",
            format!("cluster \"{cluster}\" is not known to this platform"),
        ));
    }
    let segments: Vec<&str> = rest
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    let get_only = |document: Value| -> Result<Response<Body>, ApiError> {
        if ctx.method == "GET" || ctx.method == "HEAD" {
            Ok(json_response(200, &document))
        } else {
            Err(ApiError::method_not_allowed(ctx.method))
        }
    };
    match segments.as_slice() {
        ["version"] => {
            let kubernetes = shared.kubernetes_version(cluster);
            return get_only(discovery::version(
                kubernetes
                    .as_deref()
                    .unwrap_or(discovery::KUBERNETES_VERSION),
            ));
        }
        ["healthz" | "livez" | "readyz"] => return Ok(bytes_response(200, "text/plain", "ok")),
        _ => {}
    }
    match ctx.user {
        User::Admin | User::Viewer => {}
        User::Invalid | User::None => return Err(ApiError::unauthorized()),
    }
    match segments.as_slice() {
        [] => get_only(json!({"paths": ["/api", "/api/v1", "/apis", "/version"]})),
        ["api"] => get_only(discovery::api_versions(&shared.host_port())),
        ["api", version] => get_only(
            discovery::api_resource_list("", version, global).ok_or_else(ApiError::no_route)?,
        ),
        ["apis"] => get_only(discovery::api_group_list(global)),
        ["apis", group] if global => {
            get_only(discovery::api_group(group).ok_or_else(ApiError::no_route)?)
        }
        ["apis", group, version] => get_only(
            discovery::api_resource_list(group, version, global).ok_or_else(ApiError::no_route)?,
        ),
        ["openapi", "v3"] => get_only(discovery::openapi_v3_root(global)),
        ["openapi", "v3", "api", version] if global => get_only(
            discovery::openapi_v3_group_version("", version).ok_or_else(ApiError::no_route)?,
        ),
        ["openapi", "v3", "apis", group, version] if global => get_only(
            discovery::openapi_v3_group_version(group, version).ok_or_else(ApiError::no_route)?,
        ),
        ["api", "v1", "namespaces"] if global => namespaces(shared, ctx, None),
        ["api", "v1", "namespaces", ns] if global => namespaces(shared, ctx, Some(ns)),
        ["api", version, rest @ ..] if global => resource(shared, ctx, "", version, rest),
        ["apis", group, version, rest @ ..] if global => {
            resource(shared, ctx, group, version, rest)
        }
        _ => Err(ApiError::no_route()),
    }
}

fn resource(
    shared: &Arc<Shared>,
    ctx: &Ctx,
    group: &str,
    version: &str,
    rest: &[&str],
) -> Result<Response<Body>, ApiError> {
    let (ns, rest) = match rest {
        ["namespaces", ns, tail @ ..] if !tail.is_empty() => (Some(*ns), tail),
        _ => (None, rest),
    };
    let (plural, name, sub) = match rest {
        [plural] => (*plural, None, None),
        [plural, name] => (*plural, Some(*name), None),
        [plural, name, sub] => (*plural, Some(*name), Some(*sub)),
        _ => return Err(ApiError::no_route()),
    };
    let rt = resources::by_path(group, version, plural).ok_or_else(ApiError::no_route)?;
    if (!rt.namespaced && ns.is_some())
        || (rt.namespaced && ns.is_none() && name.is_some())
        || sub.is_some_and(|sub| sub != "status" || !rt.status_subresource)
    {
        return Err(ApiError::no_route());
    }
    let target = Target { rt, ns, name };
    let query = Query::parse(ctx.query);
    let watching = query.flag("watch");
    let verb = match (ctx.method, name) {
        ("GET" | "HEAD", Some(_)) if watching => "watch",
        ("GET" | "HEAD", Some(_)) => "get",
        ("GET" | "HEAD", None) if watching => "watch",
        ("GET" | "HEAD", None) => "list",
        ("POST", None) => "create",
        ("PUT", Some(_)) => "update",
        ("PATCH", Some(_)) => "patch",
        ("DELETE", Some(_)) => "delete",
        (m, _) => return Err(ApiError::method_not_allowed(m)),
    };
    let read = matches!(verb, "get" | "list" | "watch");
    // The viewer only reads, and status belongs to the controller: no user may write it
    // (see docs/sim.md).
    if !read && (ctx.user == User::Viewer || sub.is_some()) {
        let user = ctx.user.user_name().unwrap_or(ADMIN_USER);
        let name = name.unwrap_or("");
        return Err(ApiError::forbidden(rt, sub, name, ns, user, verb));
    }
    let dry_run = query.get("dryRun").is_some_and(|mode| mode == "All");
    match verb {
        "get" => get(shared, ctx, &target, &query),
        "list" => list(shared, ctx, &target, &query),
        "watch" => watch(shared, ctx, &target, &query),
        "create" => {
            json_only(ctx.content_type)?;
            let body = parse_body(ctx.body)?;
            let obj = shared.store.create(rt, ns, body, dry_run)?;
            Ok(object_response(201, &obj))
        }
        "update" => {
            json_only(ctx.content_type)?;
            let body = parse_body(ctx.body)?;
            let obj = shared
                .store
                .replace(rt, ns, name.unwrap_or(""), body, dry_run)?;
            Ok(object_response(200, &obj))
        }
        "patch" => {
            let ptype = patch_type(rt, ctx.content_type)?;
            let body = parse_body(ctx.body)?;
            let obj = shared
                .store
                .patch(rt, ns, name.unwrap_or(""), ptype, &body, dry_run)?;
            Ok(object_response(200, &obj))
        }
        _ => {
            let obj = shared.store.delete(rt, ns, name.unwrap_or(""), dry_run)?;
            Ok(object_response(200, &obj))
        }
    }
}

fn object_response(code: u16, obj: &Stored) -> Response<Body> {
    bytes_response(code, "application/json", obj.json.clone())
}

/// POST and PUT bodies are JSON. kubectl's generators (`kubectl create configmap`, `create
/// secret`) send protobuf, which the simulator does not decode: a 415 says so instead of a
/// JSON syntax error (`kubectl create -f` / `apply -f` send JSON).
fn json_only(content_type: Option<&str>) -> Result<(), ApiError> {
    match media_type(content_type).as_str() {
        protobuf @ "application/vnd.kubernetes.protobuf" => Err(ApiError::unsupported_media_type(
            protobuf,
            &["application/json"],
        )),
        _ => Ok(()),
    }
}

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding the request body as JSON: {e}")))
}

fn media_type(ct: Option<&str>) -> String {
    ct.unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn patch_type(rt: &ResourceType, ct: Option<&str>) -> Result<PatchType, ApiError> {
    let custom = !rt.group.is_empty();
    let mut accepted = vec![
        "application/json-patch+json",
        "application/merge-patch+json",
    ];
    if !custom {
        accepted.push("application/strategic-merge-patch+json");
    }
    match media_type(ct).as_str() {
        "application/merge-patch+json" => Ok(PatchType::Merge),
        "application/json-patch+json" => Ok(PatchType::Json),
        "application/strategic-merge-patch+json" if !custom => Ok(PatchType::Strategic),
        other => Err(ApiError::unsupported_media_type(other, &accepted)),
    }
}

fn get(
    shared: &Arc<Shared>,
    ctx: &Ctx,
    target: &Target,
    query: &Query,
) -> Result<Response<Body>, ApiError> {
    let name = target.name.unwrap_or("");
    let obj = shared
        .store
        .get(target.rt, target.ns, name)
        .ok_or_else(|| ApiError::not_found(target.rt, name))?;
    if wants_table(ctx.accept) {
        let meta = json!({"resourceVersion": obj.rv.to_string()});
        let include = IncludeObject::parse(query.get("includeObject"));
        return Ok(json_response(
            200,
            &table(
                target.rt,
                &[&obj.value()],
                meta,
                include,
                shared.clock.now(),
            ),
        ));
    }
    Ok(object_response(200, &obj))
}

fn selectors(q: &Query) -> Result<(Selector, Selector), ApiError> {
    Ok((
        Selector::parse_fields(q.get("fieldSelector").unwrap_or(""))?,
        Selector::parse_labels(q.get("labelSelector").unwrap_or(""))?,
    ))
}

fn parse_rv(s: &str) -> Result<u64, ApiError> {
    s.parse().map_err(|_| {
        ApiError::new(
            422,
            "Invalid",
            format!("resourceVersion: Invalid value: {s:?}: must be a resourceVersion returned by the server"),
        )
    })
}

fn list(
    shared: &Arc<Shared>,
    ctx: &Ctx,
    target: &Target,
    query: &Query,
) -> Result<Response<Body>, ApiError> {
    let (fields, labels) = selectors(query)?;
    if let Some(rv) = query
        .get("resourceVersion")
        .filter(|value| !value.is_empty() && *value != "0")
    {
        let rv = parse_rv(rv)?;
        if rv < shared.store.compacted_rv() {
            return Err(ApiError::expired(
                "The resourceVersion for the provided list is too old.",
            ));
        }
    }
    let mut list_rv = 0;
    let mut after: Option<Key> = None;
    if let Some(token) = query.get("continue").filter(|token| !token.is_empty()) {
        let token = ContinueToken::decode(token)?;
        list_rv = token.rv;
        after = Some((token.namespace, token.name));
    }
    let limit: usize = query
        .get("limit")
        .and_then(|limit| limit.parse().ok())
        .unwrap_or(0);
    let keep = |object: &Stored| {
        fields.matches_fields(object.selectable()) && labels.matches_labels(object.selectable())
    };
    let page = match (fields.pinned_name(), target.ns, &after) {
        // One object by name (how clients watch/list a single cvsh): no scan.
        (Some(name), ns, None) if ns.is_some() || !target.rt.namespaced => Page {
            rv: shared.store.current_rv(),
            items: shared
                .store
                .get(target.rt, ns, name)
                .into_iter()
                .filter(|object| keep(object))
                .collect(),
            more: false,
            remaining: 0,
        },
        _ => shared
            .store
            .list_page(target.rt, target.ns, after.as_ref(), limit, keep),
    };
    if after.is_none() {
        list_rv = page.rv;
    }
    let selected = &page.items;
    let mut meta = Map::new();
    meta.insert("resourceVersion".into(), list_rv.to_string().into());
    if page.more
        && let Some(last) = selected.last()
    {
        let token = ContinueToken {
            rv: list_rv,
            namespace: last.namespace().unwrap_or("").to_string(),
            name: last.name().to_string(),
        };
        meta.insert("continue".into(), token.encode().into());
        if fields.is_empty() && labels.is_empty() {
            meta.insert("remainingItemCount".into(), page.remaining.into());
        }
    }
    if wants_table(ctx.accept) {
        let parsed: Vec<Value> = selected.iter().map(|object| object.value()).collect();
        let values: Vec<&Value> = parsed.iter().collect();
        let include = IncludeObject::parse(query.get("includeObject"));
        return Ok(json_response(
            200,
            &table(
                target.rt,
                &values,
                Value::Object(meta),
                include,
                shared.clock.now(),
            ),
        ));
    }
    let head = json!({"apiVersion": target.rt.api_version(), "kind": target.rt.list_kind, "metadata": meta});
    let head = serde_json::to_string(&head).unwrap_or_default();
    let mut out = Vec::with_capacity(
        selected
            .iter()
            .map(|object| object.json.len() + 1)
            .sum::<usize>()
            + head.len()
            + 16,
    );
    // `{"apiVersion":…,"kind":…,"metadata":{…}}` → `{…,"items":[…]}`
    out.extend_from_slice(head.strip_suffix('}').unwrap_or(&head).as_bytes());
    out.extend_from_slice(b",\"items\":[");
    for (position, object) in selected.iter().enumerate() {
        if position > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&object.json);
    }
    out.extend_from_slice(b"]}");
    Ok(bytes_response(200, "application/json", out))
}

fn watch(
    shared: &Arc<Shared>,
    ctx: &Ctx,
    target: &Target,
    query: &Query,
) -> Result<Response<Body>, ApiError> {
    let (mut fields, labels) = selectors(query)?;
    if let Some(name) = target.name {
        let pinned = format!("metadata.name={name}");
        let extra = Selector::parse_fields(&pinned)?;
        fields = if fields.is_empty() {
            extra
        } else {
            Selector::parse_fields(&format!(
                "{},{pinned}",
                query.get("fieldSelector").unwrap_or("")
            ))?
        };
    }
    let initial_events_end = query.flag("sendInitialEvents");
    let start = match query.get("resourceVersion") {
        _ if initial_events_end => None,
        None | Some("") | Some("0") => None,
        Some(rv) => Some(parse_rv(rv)?),
    };
    let timeout = query
        .get("timeoutSeconds")
        .and_then(|text| text.parse::<u64>().ok())
        .map(|secs| Duration::from_secs(secs.min(365 * 86_400)));
    let table = wants_table(ctx.accept).then(|| IncludeObject::parse(query.get("includeObject")));
    let body = watch_body(
        shared,
        WatchParams {
            rt: target.rt,
            ns: target.ns.map(str::to_owned),
            fields,
            labels,
            start,
            timeout,
            bookmarks: query.flag("allowWatchBookmarks"),
            initial_events_end,
            table,
            fault: ctx.watch_fault.cloned(),
        },
    );
    Ok(response(200, "application/json", body))
}

/// The namespaces that exist on the simulated global cluster.
pub const NAMESPACES: &[&str] = &["cpaas-system", "default", "kube-public", "kube-system"];

fn namespace_object(name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": name, "uid": format!("5a1e0000-0000-4000-9000-{:012x}", name.len()),
            "resourceVersion": "1", "creationTimestamp": "2026-01-05T08:00:00Z",
            "labels": {"kubernetes.io/metadata.name": name}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    })
}

/// Read-only Namespaces (kubectl looks the namespace up after a 404).
fn namespaces(
    shared: &Arc<Shared>,
    ctx: &Ctx,
    name: Option<&str>,
) -> Result<Response<Body>, ApiError> {
    if ctx.method != "GET" {
        return Err(ApiError::method_not_allowed(ctx.method));
    }
    match name {
        Some(n) if NAMESPACES.contains(&n) => Ok(json_response(200, &namespace_object(n))),
        Some(n) => Err(ApiError {
            details: Some(json!({"name": n, "kind": "namespaces"})),
            ..ApiError::new(404, "NotFound", format!("namespaces \"{n}\" not found"))
        }),
        None => Ok(json_response(
            200,
            &json!({
                "apiVersion": "v1", "kind": "NamespaceList",
                "metadata": {"resourceVersion": shared.store.current_rv().to_string()},
                "items": NAMESPACES.iter().map(|n| namespace_object(n)).collect::<Vec<_>>(),
            }),
        )),
    }
}
