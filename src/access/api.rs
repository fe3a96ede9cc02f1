//! The API calls `ac` makes, all against the global cluster. Objects are read as raw JSON
//! (kept for `-o json|yaml`) and viewed through the lenient domain views.

use futures::StreamExt;
use futures::stream::BoxStream;
use kube::api::{GetParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use kube::core::Request;
use serde_json::Value;

use super::client::Conn;
use crate::error::Result;

pub const NAMESPACE: &str = "cpaas-system";
pub const CVSH: &str = "clusterversionshadows.config.alauda.io";
pub const PDMAN: &str = "productmanifests.config.alauda.io";
const CVSH_PATH: &str = "/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows";
/// Events of a single-object watch.
pub type WatchStream = BoxStream<'static, kube::Result<WatchEvent<Value>>>;

const PDMAN_PATH: &str = "/apis/config.alauda.io/v1/productmanifests";

fn build(
    r: std::result::Result<http::Request<Vec<u8>>, kube::core::request::Error>,
) -> Result<http::Request<Vec<u8>>> {
    r.map_err(|e| crate::error::AcError::usage(format!("cannot build the request: {e}")))
}

impl Conn {
    pub async fn get_cvsh(&self, name: &str) -> Result<Value> {
        let req = build(Request::new(CVSH_PATH).get(name, &GetParams::default()))?;
        let op = self.op("get", CVSH, Some(name), Some(NAMESPACE));
        self.call(&op, self.client.request::<Value>(req)).await
    }

    pub async fn list_cvsh(&self) -> Result<Value> {
        let req = build(Request::new(CVSH_PATH).list(&ListParams::default()))?;
        let op = self.op("list", CVSH, None, Some(NAMESPACE));
        self.call(&op, self.client.request::<Value>(req)).await
    }

    /// One JSON merge patch; `dry_run` asks the server to validate without storing.
    pub async fn patch_cvsh(&self, name: &str, patch: &Value, dry_run: bool) -> Result<Value> {
        let pp = PatchParams {
            dry_run,
            field_manager: Some("ac".into()),
            ..Default::default()
        };
        let req = build(Request::new(CVSH_PATH).patch(name, &pp, &Patch::Merge(patch)))?;
        let op = self.op("patch", CVSH, Some(name), Some(NAMESPACE));
        self.call(&op, self.client.request::<Value>(req)).await
    }

    /// Watch one cvsh (by field selector) from `resource_version`.
    pub async fn watch_cvsh(
        &self,
        name: &str,
        resource_version: &str,
        timeout_secs: u32,
    ) -> Result<WatchStream> {
        self.watch_one(
            CVSH_PATH,
            CVSH,
            Some(NAMESPACE),
            name,
            resource_version,
            timeout_secs,
        )
        .await
    }

    async fn watch_one(
        &self,
        path: &str,
        resource: &'static str,
        namespace: Option<&str>,
        name: &str,
        resource_version: &str,
        timeout_secs: u32,
    ) -> Result<WatchStream> {
        let wp = WatchParams::default()
            .fields(&format!("metadata.name={name}"))
            .timeout(timeout_secs);
        let req = build(Request::new(path).watch(&wp, resource_version))?;
        let op = self.op("watch", resource, Some(name), namespace);
        let s = self
            .call(&op, self.client.request_events::<Value>(req))
            .await?;
        Ok(s.boxed())
    }

    /// `Ok(None)` when it does not exist.
    pub async fn get_pdman(&self, name: &str) -> Result<Option<Value>> {
        let req = build(Request::new(PDMAN_PATH).get(name, &GetParams::default()))?;
        let op = self.op("get", PDMAN, Some(name), None);
        self.call_opt(&op, self.client.request::<Value>(req)).await
    }

    pub async fn create_pdman(&self, obj: &Value, dry_run: bool) -> Result<Value> {
        let pp = PostParams {
            dry_run,
            field_manager: Some("ac".into()),
        };
        let body = serde_json::to_vec(obj).unwrap_or_default();
        let req = build(Request::new(PDMAN_PATH).create(&pp, body))?;
        let name = obj.pointer("/metadata/name").and_then(Value::as_str);
        let op = self.op("create", PDMAN, name, None);
        self.call(&op, self.client.request::<Value>(req)).await
    }

    pub async fn watch_pdman(
        &self,
        name: &str,
        resource_version: &str,
        timeout_secs: u32,
    ) -> Result<WatchStream> {
        self.watch_one(
            PDMAN_PATH,
            PDMAN,
            None,
            name,
            resource_version,
            timeout_secs,
        )
        .await
    }
}
