//! The guide's prerequisites, checked before anything is requested: `ac adm upgrade precheck`,
//! and the same checks in front of every upgrade request. Pure: the command reads the
//! platform (a bounded number of requests, whatever the fleet size) into an [`Input`]; [`run`]
//! judges it into a [`Report`]. Each rule and the guide sentence it comes from is listed in
//! `docs/precheck.md`.

mod checks;
pub mod platform;

use serde::Serialize;

use crate::domain::cvsh::{Cvsh, Release};
use crate::domain::sequencing::Global;
pub use platform::{Machine, PlatformCluster, ResourcePatch};

pub const SCHEMA: &str = "ac.alauda.io/upgrade-precheck/v1";

/// What the operator asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// No target flag: the highest version the cluster may take now.
    Unspecified,
    Latest,
    Version(String),
    Image(String),
}

/// A fact read from the platform, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact<T> {
    Read(T),
    /// A one-line reason (the platform does not serve the resource, access denied, …).
    Unknown(String),
}

/// The standby global cluster of a disaster-recovery pair (`--dr-standby SESSION`).
#[derive(Debug, Clone)]
pub struct Standby {
    pub session: String,
    /// A context of the standby session, for commands that act on it.
    pub context: String,
    /// The standby platform's global cluster name.
    pub global_name: String,
    pub cvsh: Fact<Cvsh>,
}

/// What was read from the platform besides the cluster's own cvsh. `Default` is a platform
/// with nothing in the way (every list empty, no standby).
#[derive(Debug, Clone)]
pub struct Platform {
    pub standby: Option<Standby>,
    /// `clusters.platform.tkestack.io` (global targets: every cluster; workload targets: its own).
    pub clusters: Option<Fact<Vec<PlatformCluster>>>,
    /// Read for global targets only.
    pub machines: Option<Fact<Vec<Machine>>>,
    pub disabled_checks: Fact<Vec<String>>,
    pub resource_patches: Fact<Vec<ResourcePatch>>,
    /// `admin-gates` data (empty when the ConfigMap does not exist).
    pub admin_gates: Fact<Vec<(String, String)>>,
    /// `admin-acks` data; `None` when the ConfigMap does not exist.
    pub admin_acks: Fact<Option<Vec<(String, String)>>>,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            standby: None,
            clusters: None,
            machines: None,
            disabled_checks: Fact::Read(Vec::new()),
            resource_patches: Fact::Read(Vec::new()),
            admin_gates: Fact::Read(Vec::new()),
            admin_acks: Fact::Read(None),
        }
    }
}

/// Everything the checks judge.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub cluster: &'a str,
    pub cvsh: &'a Cvsh,
    /// The global cluster: its name, and its version (workload targets).
    pub global: Global<'a>,
    pub wanted: Wanted,
    /// `--allow-explicit-upgrade`: a target that is not offered is a warning, not a block.
    pub allow_explicit: bool,
    pub platform: &'a Platform,
}

impl Input<'_> {
    pub fn is_global(&self) -> bool {
        self.global.is(self.cluster)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Unknown,
    Warn,
    Block,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Unknown => "unknown",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }
}

/// One row: CHECK · RESULT · DETAIL · REMEDY.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub check: &'static str,
    pub result: Verdict,
    pub detail: String,
    /// The exact command that resolves it, where one exists; else what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema: &'static str,
    pub cluster: String,
    pub is_global: bool,
    pub current: Option<String>,
    /// The release the checks were judged against (`None`: none could be chosen).
    pub target: Option<Release>,
    pub items: Vec<Item>,
    /// Something blocks: nothing may be requested (exit 3).
    pub blocked: bool,
}

impl Report {
    pub fn blocking(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.result == Verdict::Block)
    }

    /// Items worth a `warning:` line in front of a request (warn and unknown).
    pub fn cautions(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| matches!(i.result, Verdict::Warn | Verdict::Unknown))
    }

    pub fn target_version(&self) -> Option<&str> {
        self.target.as_ref().and_then(|t| t.version.as_deref())
    }
}

/// Judge every prerequisite.
pub fn run(input: &Input) -> Report {
    let (target_item, target) = checks::target(input);
    let mut items = vec![target_item];
    if let Some(t) = &target {
        items.extend(checks::upgrade_path(input, t));
        if input.is_global() {
            items.extend(checks::dr_order(input, t));
            items.extend(checks::kubernetes_versions(input, t));
            items.extend(checks::machines(input));
        } else {
            items.extend(checks::sequencing(input, t));
            items.extend(checks::kubernetes_versions(input, t));
        }
        items.extend(checks::resource_patches(input, t));
        items.extend(checks::admin_acks(input, t));
    }
    items.extend(checks::disabled_checks(input));
    items.push(checks::cluster_state(input, target.as_ref()));
    Report {
        schema: SCHEMA,
        cluster: input.cluster.to_string(),
        is_global: input.is_global(),
        current: input.cvsh.current.as_ref().map(Release::label),
        blocked: items.iter().any(|i| i.result == Verdict::Block),
        target,
        items,
    }
}

#[cfg(test)]
mod tests;
