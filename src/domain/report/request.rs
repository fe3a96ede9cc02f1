//! The outcome of a request (`ac adm upgrade --to…/--clear`, `docs/output.md`): written, a
//! dry run, or nothing to do.

use serde::Serialize;
use serde_json::Value;

use crate::domain::advice::{self, Suggestion};
use crate::domain::cvsh::{Cvsh, DesiredUpdate, Release};
use crate::domain::plan::Write;

pub const REQUEST_SCHEMA: &str = "ac.alauda.io/upgrade-request/v1";

/// `ac.alauda.io/upgrade-request/v1`: a no-op, or a request written (or that a dry run would
/// write).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RequestReport {
    Unchanged(Unchanged),
    Written(Box<Written>),
}

/// Nothing to do (the same sentence goes to stderr as an `info:` line).
#[derive(Debug, Clone, Serialize)]
pub struct Unchanged {
    pub schema: &'static str,
    pub cluster: String,
    pub changed: bool,
    pub message: String,
}

/// A request written, or what a dry run would write.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    pub schema: &'static str,
    pub cluster: String,
    /// The context the cluster came from, when `--cluster` was not given (SPEC §3.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_context: Option<String>,
    /// `false` for dry runs.
    pub changed: bool,
    pub dry_run: bool,
    pub current: Option<Release>,
    /// `spec.desiredUpdate` before the request.
    pub previous: Option<DesiredUpdate>,
    /// `spec.desiredUpdate` after it (`null`: cleared).
    pub request: Option<DesiredUpdate>,
    /// Guards bypassed with `--allow-upgrade-with-warnings`, and cautions.
    pub warnings: Vec<String>,
    /// Dry runs: the exact merge patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<Value>,
    /// Dry runs: where it would go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,

    /// `--force` was given.
    #[serde(skip)]
    pub force: bool,
    /// The current release, as a person reads it.
    #[serde(skip)]
    pub from: String,
    /// The requested release, or `<none>` when cleared.
    #[serde(skip)]
    pub to: String,
    /// The cleared request, as a person reads it.
    #[serde(skip)]
    pub was: String,
    /// What to run next (none while `--wait` follows the request).
    #[serde(skip)]
    pub follow_up: Option<Suggestion>,
}

/// How the request is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// `--dry-run`: nothing is sent; the patch would go to this URL.
    DryRun { url: String },
    /// Written; `wait` when `--wait` follows it.
    Sent { wait: bool },
}

/// A no-op.
pub fn unchanged(cluster: &str, message: &str) -> RequestReport {
    RequestReport::Unchanged(Unchanged {
        schema: REQUEST_SCHEMA,
        cluster: cluster.to_string(),
        changed: false,
        message: message.to_string(),
    })
}

/// A request written (or, for a dry run, about to be).
pub fn written(
    cluster: &str,
    from_context: Option<&str>,
    cvsh: &Cvsh,
    write: &Write,
    force: bool,
    delivery: &Delivery,
) -> RequestReport {
    let (dry_run, url, wait) = match delivery {
        Delivery::DryRun { url } => (true, Some(url.clone()), false),
        Delivery::Sent { wait } => (false, None, *wait),
    };
    let follow_up = match (&write.request, dry_run || wait) {
        (_, true) => None,
        (None, false) => Some(advice::request::check_cleared(cluster)),
        (Some(_), false) => Some(advice::request::follow_written(cluster)),
    };
    RequestReport::Written(Box::new(Written {
        schema: REQUEST_SCHEMA,
        cluster: cluster.to_string(),
        from_context: from_context.map(str::to_string),
        changed: !dry_run,
        dry_run,
        current: cvsh.current.clone(),
        previous: write.previous.clone(),
        request: write.request.clone(),
        warnings: write.warnings.clone(),
        patch: dry_run.then(|| write.patch.clone()),
        url,
        force,
        from: cvsh
            .current
            .as_ref()
            .map(Release::label)
            .unwrap_or_else(|| "<unknown>".into()),
        to: write.target_label(),
        was: write
            .previous
            .as_ref()
            .and_then(DesiredUpdate::release)
            .map(|release| release.label())
            .unwrap_or_else(|| "<none>".into()),
        follow_up,
    }))
}

impl Written {
    /// `cluster NAME`, and where the name came from when the context chose it.
    pub fn cluster_label(&self) -> String {
        match &self.from_context {
            Some(context) => format!(
                "cluster {} (the cluster of context {context})",
                self.cluster
            ),
            None => format!("cluster {}", self.cluster),
        }
    }
}

/// The `warning:` line of `--force`.
pub fn force_caution(cluster: &str) -> String {
    format!(
        "--force: the controller will SKIP ITS SAFETY CHECKS (preflight) for cluster {cluster}; use it only for testing or a documented known-bug workaround"
    )
}
