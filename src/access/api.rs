//! The API calls `ac` makes, all against the global cluster, through kube's typed `Api` over
//! [`RawObject`]. Objects come back as the raw JSON the server sent (kept for `-o json|yaml`)
//! and are read through the lenient domain views.

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use kube::core::ApiResource;
use serde_json::Value;

use super::client::Conn;
use super::object::{NAMESPACE, RawObject, cvsh_resource, pdman_resource};
use crate::error::Result;

/// Events of a single-object watch.
pub type WatchStream = BoxStream<'static, kube::Result<WatchEvent<Value>>>;

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

    /// Every ClusterVersionShadow of the platform (one LIST).
    pub async fn list_cvsh(&self) -> Result<Vec<Value>> {
        let op = self.op("list", &cvsh_resource(), None, Some(NAMESPACE));
        let list = self
            .call(&op, self.cvsh_api().list(&Default::default()))
            .await?;
        Ok(list.items.into_iter().map(RawObject::into_value).collect())
    }

    /// One JSON merge patch; `dry_run` asks the server to validate without storing.
    pub async fn patch_cvsh(&self, name: &str, patch: &Value, dry_run: bool) -> Result<Value> {
        let params = PatchParams {
            dry_run,
            field_manager: Some(FIELD_MANAGER.into()),
            ..Default::default()
        };
        let op = self.op("patch", &cvsh_resource(), Some(name), Some(NAMESPACE));
        let obj = self
            .call(
                &op,
                self.cvsh_api().patch(name, &params, &Patch::Merge(patch)),
            )
            .await?;
        Ok(obj.into_value())
    }

    /// Watch one cvsh (by field selector) from `resource_version`.
    pub async fn watch_cvsh(
        &self,
        name: &str,
        resource_version: &str,
        timeout_secs: u32,
    ) -> Result<WatchStream> {
        let api = self.cvsh_api();
        self.watch_one(
            &api,
            &cvsh_resource(),
            Some(NAMESPACE),
            name,
            resource_version,
            timeout_secs,
        )
        .await
    }

    /// `Ok(None)` when the ProductManifest does not exist (the server's NotFound for that
    /// name; a 404 from anything else is an error).
    pub async fn get_pdman(&self, name: &str) -> Result<Option<Value>> {
        let op = self.op("get", &pdman_resource(), Some(name), None);
        let obj = self.call_opt(&op, self.pdman_api().get(name)).await?;
        Ok(obj.map(RawObject::into_value))
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

    pub async fn watch_pdman(
        &self,
        name: &str,
        resource_version: &str,
        timeout_secs: u32,
    ) -> Result<WatchStream> {
        let api = self.pdman_api();
        self.watch_one(
            &api,
            &pdman_resource(),
            None,
            name,
            resource_version,
            timeout_secs,
        )
        .await
    }

    async fn watch_one(
        &self,
        api: &Api<RawObject>,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        resource_version: &str,
        timeout_secs: u32,
    ) -> Result<WatchStream> {
        let params = WatchParams::default()
            .fields(&format!("metadata.name={name}"))
            .timeout(timeout_secs);
        let op = self.op("watch", resource, Some(name), namespace);
        let events = self.call(&op, api.watch(&params, resource_version)).await?;
        Ok(events.map_ok(raw_event).boxed())
    }
}

fn raw_event(event: WatchEvent<RawObject>) -> WatchEvent<Value> {
    match event {
        WatchEvent::Added(o) => WatchEvent::Added(o.into_value()),
        WatchEvent::Modified(o) => WatchEvent::Modified(o.into_value()),
        WatchEvent::Deleted(o) => WatchEvent::Deleted(o.into_value()),
        WatchEvent::Bookmark(b) => WatchEvent::Bookmark(b),
        WatchEvent::Error(s) => WatchEvent::Error(s),
    }
}
