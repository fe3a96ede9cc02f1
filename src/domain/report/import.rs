//! The outcome of `ac adm release import-manifest` (`docs/output.md`): the ProductManifest
//! `v<version>` created, already there, or (dry run) the object that would be created.

use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::advice::{self, Suggestion};

pub const IMPORT_SCHEMA: &str = "ac.alauda.io/import-manifest/v1";

/// The ProductManifest that offers `version`: named `v<version>`, `spec.version` only.
pub fn manifest(name: &str, version: &str) -> Value {
    json!({
        "apiVersion": "config.alauda.io/v1",
        "kind": "ProductManifest",
        "metadata": {"name": name},
        "spec": {"version": version},
    })
}

/// `ac.alauda.io/import-manifest/v1`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport<'a> {
    pub schema: &'static str,
    pub name: String,
    pub version: String,
    pub dry_run: bool,
    pub created: bool,
    #[serde(flatten)]
    pub outcome: ImportOutcome<'a>,
    /// Under DR: what happened on the standby global (published there first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standby: Option<StandbyImport>,

    /// The API endpoint written to.
    #[serde(skip)]
    pub endpoint: String,
    /// What to run next.
    #[serde(skip)]
    pub follow_up: Option<Suggestion>,
}

/// The manifest on the DR standby global.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StandbyImport {
    /// The standby's kubeconfig session.
    pub session: String,
    /// It was there before this command (left unchanged).
    pub existed: bool,
    pub created: bool,
    /// With `--wait`: whether it became Ready; `null` otherwise.
    pub ready: Option<bool>,
    /// The standby's API endpoint.
    #[serde(skip)]
    pub endpoint: String,
}

/// Dry run: the object; otherwise whether it became Ready (`null` without `--wait`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ImportOutcome<'a> {
    WouldCreate { object: &'a Value },
    Applied { ready: Option<bool> },
}

/// What a dry run would create.
pub fn would_create<'a>(
    name: &str,
    version: &str,
    object: &'a Value,
    endpoint: &str,
) -> ImportReport<'a> {
    ImportReport {
        schema: IMPORT_SCHEMA,
        name: name.to_string(),
        version: version.to_string(),
        dry_run: true,
        created: false,
        outcome: ImportOutcome::WouldCreate { object },
        standby: None,
        endpoint: endpoint.to_string(),
        follow_up: None,
    }
}

/// Created (or found) and, with `--wait`, Ready. `global` is the cluster to look at the offer
/// on.
pub fn applied(
    name: &str,
    version: &str,
    created: bool,
    ready: Option<bool>,
    endpoint: &str,
    global: &str,
) -> ImportReport<'static> {
    let follow_up = match ready {
        Some(_) => advice::request::see_offer(global),
        None => advice::request::check_offer(version, global),
    };
    ImportReport {
        schema: IMPORT_SCHEMA,
        name: name.to_string(),
        version: version.to_string(),
        dry_run: false,
        created,
        outcome: ImportOutcome::Applied { ready },
        standby: None,
        endpoint: endpoint.to_string(),
        follow_up: Some(follow_up),
    }
}
