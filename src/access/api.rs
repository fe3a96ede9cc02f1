//! The API calls `ac` makes, all against the global cluster, through kube's typed `Api` over
//! [`RawObject`]. Objects come back as the raw JSON the server sent (kept for `-o json|yaml`)
//! and are read through the lenient domain views.

use std::marker::PhantomData;

use kube::Api;
use kube::api::{ListParams, Patch, PatchParams, PostParams, Resource};
use kube::core::ApiResource;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::client::{Conn, Op};
use super::object::{NAMESPACE, RawObject, cvsh_resource, pdman_resource};
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
/// server's time). At most one page is in flight, so memory stays at two pages of text.
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
        let request = self
            .path
            .list(&params)
            .map_err(|e| AcError::usage(format!("cannot build the request: {e}")))?;
        let client = self.conn.client.clone();
        Ok(InFlight(tokio::spawn(async move {
            client.request_text(request).await
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
        let head = serde_json::from_str::<PageHead>(&text).ok();
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

impl Conn {
    fn cvsh_api(&self) -> Api<RawObject> {
        Api::namespaced_with(self.client.clone(), NAMESPACE, &cvsh_resource())
    }

    fn pdman_api(&self) -> Api<RawObject> {
        Api::all_with(self.client.clone(), &pdman_resource())
    }

    pub async fn get_cvsh(&self, name: &str) -> Result<Value> {
        let op = self.op("get", &cvsh_resource(), Some(name), Some(NAMESPACE));
        let obj = self.call(&op, self.cvsh_api().get(name)).await?;
        Ok(obj.into_value())
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
        let api: Api<RawObject> = match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, resource),
            None => Api::all_with(self.client.clone(), resource),
        };
        let obj = self.call_opt(&op, api.get(name)).await?;
        Ok(obj.map(RawObject::into_value))
    }

    /// The request of one JSON merge patch of a cvsh: what [`Conn::patch_cvsh`] sends, and
    /// what `--dry-run` shows (the same builder, so the two cannot differ).
    pub fn cvsh_patch_request(&self, name: &str, patch: &Value) -> Result<http::Request<Vec<u8>>> {
        let params = PatchParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..Default::default()
        };
        kube::core::Request::new(RawObject::url_path(&cvsh_resource(), Some(NAMESPACE)))
            .patch(name, &params, &Patch::Merge(patch))
            .map_err(|e| AcError::usage(format!("cannot build the request: {e}")))
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
        let obj = self
            .call(&op, self.client.request::<RawObject>(request))
            .await?;
        Ok(obj.into_value())
    }

    /// `Ok(None)` when the ProductManifest does not exist (the server's NotFound for that
    /// name; a 404 from anything else is an error).
    pub async fn get_pdman(&self, name: &str) -> Result<Option<Value>> {
        self.get_opt(&pdman_resource(), None, name).await
    }

    pub async fn create_pdman(&self, obj: &Value, dry_run: bool) -> Result<Value> {
        let params = PostParams {
            dry_run,
            field_manager: Some(FIELD_MANAGER.into()),
        };
        let name = obj.pointer("/metadata/name").and_then(Value::as_str);
        let op = self.op("create", &pdman_resource(), name, None);
        let created = self
            .call(
                &op,
                self.pdman_api()
                    .create(&params, &RawObject::new(obj.clone())),
            )
            .await?;
        Ok(created.into_value())
    }
}
