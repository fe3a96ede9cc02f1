//! The API calls `ac` makes, all against the global cluster, through kube's typed `Api` over
//! [`RawObject`]. Objects come back as the raw JSON the server sent (kept for `-o json|yaml`)
//! and are read through the lenient domain views.

use std::marker::PhantomData;

use kube::api::{GetParams, ListParams, Patch, PatchParams, PostParams, Resource};
use kube::core::ApiResource;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::client::{Conn, Op};
use super::object::{NAMESPACE, RawObject, cvsh_resource, pdman_resource, qualified};
use super::{errors, fetch};
use crate::domain::name;
use crate::error::{AcError, Result};

/// Items per LIST request (kubectl's `--chunk-size` default): a large fleet is fetched in
/// pages (`limit`/`continue`), so no single response grows without bound.
pub const LIST_CHUNK: u32 = 500;

/// One page of a LIST, read straight into `T` (no intermediate tree of the whole list; the
/// continue token is read first, by [`PageHead`]).
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Page<T> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    items: Vec<T>,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    next: Option<String>,
    #[serde(rename = "resourceVersion", default)]
    resource_version: Option<String>,
}

/// A page's metadata only: the items are skipped unread.
#[derive(Deserialize)]
struct PageHead {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: PageMeta,
}

/// A page being fetched by its own task; aborted if it is not awaited (an error on the way).
struct InFlight(tokio::task::JoinHandle<kube::Result<String>>);

impl InFlight {
    async fn text(&mut self) -> kube::Result<String> {
        match (&mut self.0).await {
            Ok(result) => result,
            Err(e) => Err(kube::Error::Service(Box::new(e))),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A LIST read page by page, in pages of [`LIST_CHUNK`] (`limit`/`continue`), each read
/// straight into `T`.
///
/// Pipelined: as soon as a page has arrived, its continue token is read (a quick scan that
/// skips the items) and the next page is requested, so the server produces page N+1 while
/// this process reads page N into `T` (on a 5,000-object LIST that hides most of the
/// server's time). At most one page is in flight, so memory stays at two pages of text (each
/// at most [`fetch::MAX_BODY`]). A page that is not a JSON object (`[]`, `null`) or is a
/// `Status` is an error.
/// Cancel-safe: a page being fetched stays in flight until the next call to [`Pages::next`].
pub struct Pages<T> {
    conn: Conn,
    op: Op,
    path: kube::core::Request,
    params: ListParams,
    in_flight: Option<InFlight>,
    started: bool,
    resource_version: Option<String>,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Pages<T> {
    fn fetch(&self, token: Option<&str>) -> Result<InFlight> {
        let mut params = self.params.clone();
        if let Some(token) = token {
            params = params.continue_token(token);
        }
        let request = self.path.list(&params).map_err(built)?;
        let client = self.conn.client.clone();
        Ok(InFlight(tokio::spawn(async move {
            fetch::text(&client, request).await
        })))
    }

    /// The next page; `Ok(None)` after the last one (and after an error).
    pub async fn next(&mut self) -> Result<Option<Vec<T>>> {
        if !self.started {
            self.started = true;
            self.in_flight = Some(self.fetch(None)?);
        }
        let text = match self.in_flight.as_mut() {
            Some(page) => self.conn.call(&self.op, page.text()).await,
            None => return Ok(None),
        };
        self.in_flight = None;
        let text = text?;
        let head = match fetch::json_shape(&text) {
            "an object" => serde_json::from_str::<PageHead>(&text).ok(),
            // Not JSON at all: the parse below says where it breaks.
            "not JSON" | "empty" => None,
            other => return Err(errors::not_an_object(&self.op, other)),
        };
        if head.as_ref().and_then(|h| h.kind.as_deref()) == Some("Status") {
            let status: Value = serde_json::from_str(&text).unwrap_or_default();
            errors::check_object(&status, &self.op)?;
        }
        if let Some(version) = head
            .as_ref()
            .and_then(|head| head.metadata.resource_version.clone())
            .filter(|version| !version.is_empty())
        {
            self.resource_version = Some(version);
        }
        if let Some(token) = head
            .and_then(|head| head.metadata.next)
            .filter(|token| !token.is_empty())
        {
            self.in_flight = Some(self.fetch(Some(&token))?);
        }
        let read: Page<T> = serde_json::from_str(&text).map_err(|e| {
            super::errors::map(
                kube::Error::SerdeError(e),
                &self.op,
                self.conn.request_timeout,
            )
        })?;
        Ok(Some(read.items))
    }

    /// The list's `metadata.resourceVersion` (of the last page read that had one): where a
    /// watch of the same resource continues from.
    pub fn resource_version(&self) -> Option<&str> {
        self.resource_version.as_deref()
    }
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The field manager named on every write.
const FIELD_MANAGER: &str = "ac";

/// A name checked against the object-name rule ([`name::validate`]) before it becomes a path
/// segment: kube pastes names into URLs as they are (`Request::get` formats
/// `<collection>/<name>`), so `workload-c?dryRun=All` would carry a query string and
/// `workload-a/status` reach a subresource. Every request of this module is built from names
/// that passed here.
fn segment<'a>(name: &'a str, verb: &str, resource: &ApiResource) -> Result<&'a str> {
    name::validate(name).map_err(|e| {
        AcError::usage(format!(
            "cannot build the request to {verb} {}: the name {} is not valid: {e} (a name is {})",
            qualified(resource),
            name::shown(name),
            name::RULE
        ))
    })
}

/// The path of a resource's collection, its namespace checked like a name.
fn collection(
    resource: &ApiResource,
    namespace: Option<&str>,
    verb: &str,
) -> Result<kube::core::Request> {
    if let Some(ns) = namespace {
        segment(ns, verb, resource)?;
    }
    Ok(kube::core::Request::new(RawObject::url_path(
        resource, namespace,
    )))
}

fn built(e: kube::core::request::Error) -> AcError {
    AcError::usage(format!("cannot build the request: {e}"))
}

/// `GET <collection>/<name>`: nothing else in the URL.
pub fn get_request(
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
) -> Result<http::Request<Vec<u8>>> {
    let name = segment(name, "get", resource)?;
    collection(resource, namespace, "get")?
        .get(name, &GetParams::default())
        .map_err(built)
}

/// `PATCH <collection>/<name>?fieldManager=ac[&dryRun=All]` with a JSON merge patch.
pub fn patch_request(
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
    patch: &Value,
    dry_run: bool,
) -> Result<http::Request<Vec<u8>>> {
    let params = PatchParams {
        dry_run,
        field_manager: Some(FIELD_MANAGER.into()),
        ..Default::default()
    };
    let name = segment(name, "patch", resource)?;
    collection(resource, namespace, "patch")?
        .patch(name, &params, &Patch::Merge(patch))
        .map_err(built)
}

/// `POST <collection>?fieldManager=ac[&dryRun=All]`; the object's own name checked too.
pub fn create_request(
    resource: &ApiResource,
    namespace: Option<&str>,
    obj: &Value,
    dry_run: bool,
) -> Result<http::Request<Vec<u8>>> {
    let params = PostParams {
        dry_run,
        field_manager: Some(FIELD_MANAGER.into()),
    };
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    segment(name, "create", resource)?;
    let body = serde_json::to_vec(obj)
        .map_err(|e| AcError::usage(format!("cannot build the request: {e}")))?;
    collection(resource, namespace, "create")?
        .create(&params, body)
        .map_err(built)
}

impl Conn {
    /// One request whose answer is one object: read bounded ([`fetch::text`]) and checked to
    /// be a JSON object that is not a `Status` (a 200 carrying `[]`, `null` or a `Status` is
    /// an error, never an empty object).
    async fn object(&self, op: &Op, request: http::Request<Vec<u8>>) -> Result<Value> {
        let text = self.call(op, fetch::text(&self.client, request)).await?;
        self.parse_object(op, &text)
    }

    fn parse_object(&self, op: &Op, text: &str) -> Result<Value> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| errors::map(kube::Error::SerdeError(e), op, self.request_timeout))?;
        errors::check_object(&value, op)?;
        Ok(value)
    }

    pub async fn get_cvsh(&self, name: &str) -> Result<Value> {
        let resource = cvsh_resource();
        let op = self.op("get", &resource, Some(name), Some(NAMESPACE));
        self.object(&op, get_request(&resource, Some(NAMESPACE), name)?)
            .await
    }

    /// Every ClusterVersionShadow of the platform (a LIST, in pages of [`LIST_CHUNK`]), each
    /// page handed to `on_page` as soon as it is read ([`Conn::list_pages`]).
    pub async fn list_cvsh_pages<T: DeserializeOwned>(
        &self,
        on_page: impl FnMut(Vec<T>),
    ) -> Result<()> {
        self.list_pages(&cvsh_resource(), Some(NAMESPACE), on_page)
            .await
    }

    /// Every object of a resource, in pages of [`LIST_CHUNK`], each read into `T`.
    pub async fn list<T: DeserializeOwned>(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
    ) -> Result<Vec<T>> {
        let mut items = Vec::new();
        self.list_pages(resource, namespace, |page| items.extend(page))
            .await?;
        Ok(items)
    }

    /// Every object of a resource, in pages of [`LIST_CHUNK`]: each page is read into `T`s and
    /// handed to `on_page` before the next one is read, so a caller that keeps less than the
    /// objects themselves (the fleet keeps a row per cluster) holds one page of them at a time
    /// ([`Pages`]). An error on any page is the result; pages already handed over stay with the
    /// caller.
    pub async fn list_pages<T: DeserializeOwned>(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        mut on_page: impl FnMut(Vec<T>),
    ) -> Result<()> {
        let mut pages = self.pages(resource, namespace, None);
        while let Some(page) = pages.next().await? {
            on_page(page);
        }
        Ok(())
    }

    /// A LIST of a resource (optionally with a field selector), read page by page with
    /// [`Pages::next`].
    pub fn pages<T: DeserializeOwned>(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        field_selector: Option<&str>,
    ) -> Pages<T> {
        let mut params = ListParams::default().limit(LIST_CHUNK);
        if let Some(selector) = field_selector {
            params = params.fields(selector);
        }
        Pages {
            conn: self.clone(),
            op: self.op("list", resource, None, namespace),
            path: kube::core::Request::new(RawObject::url_path(resource, namespace)),
            params,
            in_flight: None,
            started: false,
            resource_version: None,
            _item: PhantomData,
        }
    }

    /// One object, `Ok(None)` when the server says it does not exist.
    pub async fn get_opt(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>> {
        let op = self.op("get", resource, Some(name), namespace);
        let request = get_request(resource, namespace, name)?;
        match self
            .call_opt(&op, fetch::text(&self.client, request))
            .await?
        {
            Some(text) => self.parse_object(&op, &text).map(Some),
            None => Ok(None),
        }
    }

    /// The request of one JSON merge patch of a cvsh: what [`Conn::patch_cvsh`] sends, and
    /// what `--dry-run` shows (the same builder, so the two cannot differ).
    pub fn cvsh_patch_request(&self, name: &str, patch: &Value) -> Result<http::Request<Vec<u8>>> {
        patch_request(&cvsh_resource(), Some(NAMESPACE), name, patch, false)
    }

    /// The full URL a request goes to: the endpoint (its path prefix kept) and the request's
    /// path and query.
    pub fn url_of(&self, request: &http::Request<Vec<u8>>) -> String {
        let path = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        format!("{}{path}", self.endpoint.trim_end_matches('/'))
    }

    /// One JSON merge patch ([`Conn::cvsh_patch_request`]).
    pub async fn patch_cvsh(&self, name: &str, patch: &Value) -> Result<Value> {
        let request = self.cvsh_patch_request(name, patch)?;
        let op = self.op("patch", &cvsh_resource(), Some(name), Some(NAMESPACE));
        self.object(&op, request).await
    }

    /// `Ok(None)` when the ProductManifest does not exist (the server's NotFound for that
    /// name; a 404 from anything else is an error).
    pub async fn get_pdman(&self, name: &str) -> Result<Option<Value>> {
        self.get_opt(&pdman_resource(), None, name).await
    }

    pub async fn create_pdman(&self, obj: &Value, dry_run: bool) -> Result<Value> {
        let resource = pdman_resource();
        let name = obj.pointer("/metadata/name").and_then(Value::as_str);
        let op = self.op("create", &resource, name, None);
        let request = create_request(&resource, None, obj, dry_run)?;
        self.object(&op, request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    const CVSH_PATH: &str =
        "/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows";

    /// What `--cluster` might be given: arbitrary text, names of the allowed alphabet mixed
    /// with the characters that would change a URL, and valid names.
    fn cluster_arg() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "workload-a",
            "global",
            "a",
            "0",
            "-",
            ".",
            "..",
            "/",
            "?",
            "#",
            "%2F",
            "%",
            "&",
            "=",
            "dryRun=All",
            "status",
            " ",
            "\t",
            "\n",
            "\u{202e}",
            "\u{1b}[2J",
            "A",
            "é",
            "+",
            ";",
            ":",
            "@",
            "\\",
            "\0",
            "x",
        ]);
        prop_oneof![
            3 => any::<String>(),
            4 => prop::collection::vec(piece, 0..8).prop_map(|p| p.concat()),
            2 => "[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?",
            1 => prop::collection::vec("[a-z]", 250..258).prop_map(|p| p.concat()),
        ]
    }

    proptest! {
        #![proptest_config(Config {
            cases: 3000,
            rng_seed: RngSeed::Fixed(0x15_c1u64),
            failure_persistence: None,
            ..Config::default()
        })]

        /// Any `--cluster` is either refused before any request exists (the rule of
        /// `commands::target` and of this builder is the same `name::validate`), or the
        /// request's path is exactly the object's, with nothing else in the URL.
        #[test]
        fn a_cluster_name_is_refused_or_is_exactly_the_last_path_segment(name in cluster_arg()) {
            let resource = cvsh_resource();
            let get = get_request(&resource, Some(NAMESPACE), &name);
            let patch = patch_request(&resource, Some(NAMESPACE), &name, &serde_json::json!({}), false);
            match name::validate(&name) {
                Err(_) => {
                    prop_assert!(get.is_err());
                    prop_assert!(patch.is_err());
                    let e = get.unwrap_err();
                    prop_assert_eq!(e.exit_code(), 2);
                    let raw = e.message.contains('\u{202e}') || e.message.contains('\u{1b}');
                    prop_assert!(!raw, "the name is shown escaped: {}", e.message);
                }
                Ok(_) => {
                    let get = get.unwrap();
                    prop_assert_eq!(get.uri().path(), format!("{CVSH_PATH}/{name}"));
                    prop_assert_eq!(get.uri().query(), None);
                    let patch = patch.unwrap();
                    prop_assert_eq!(patch.uri().path(), format!("{CVSH_PATH}/{name}"));
                    // kube starts the query with `&` (harmless; the server ignores the empty pair).
                    prop_assert_eq!(patch.uri().query(), Some("&fieldManager=ac"));
                }
            }
        }
    }

    #[test]
    fn the_known_attacks_are_refused() {
        for name in [
            "workload-c?dryRun=All",
            "workload-a/status",
            "..",
            ".",
            "a/../b",
            "%2e%2e",
        ] {
            let e = get_request(&cvsh_resource(), Some(NAMESPACE), name).unwrap_err();
            assert!(e.message.contains("is not valid"), "{name}: {}", e.message);
        }
        let r = patch_request(
            &cvsh_resource(),
            Some(NAMESPACE),
            "workload-c",
            &serde_json::json!({}),
            true,
        )
        .unwrap();
        assert_eq!(r.uri().path(), format!("{CVSH_PATH}/workload-c"));
        assert_eq!(r.uri().query(), Some("&dryRun=All&fieldManager=ac"));
        let pdman = serde_json::json!({"metadata": {"name": "v4.3.0/../x"}});
        assert!(create_request(&pdman_resource(), None, &pdman, false).is_err());
    }
}
