//! The sequencing rule (SPEC §4): a workload cluster may only move to a version the global
//! cluster has reached. Shared by request planning, the summary, the status next steps and
//! the fleet view.

use crate::domain::advice::commands::Kubectl;
use crate::domain::assess;
use crate::domain::cvsh::{Cvsh, Release};
use crate::domain::version;
use crate::output::text::one_line;

/// The global cluster as the others see it: its name (the session's global cluster; `global`
/// after a login) and its current version, when known.
#[derive(Debug, Clone, Copy)]
pub struct Global<'a> {
    pub name: &'a str,
    /// `status.current.version` of the global cluster's cvsh.
    pub version: Option<&'a str>,
    /// How kubectl reaches it (the objects the kubectl commands of the advice name live there).
    pub kubectl: Kubectl<'a>,
}

impl<'a> Global<'a> {
    pub fn new(name: &'a str, version: Option<&'a str>) -> Self {
        Global {
            name,
            version,
            kubectl: Kubectl::default(),
        }
    }

    /// Reached by kubectl through this context (the current one points at another cluster).
    pub fn through(self, kubectl_context: Option<&'a str>) -> Self {
        Global {
            kubectl: Kubectl::through(kubectl_context),
            ..self
        }
    }

    /// Whether `cluster` is the global cluster.
    pub fn is(&self, cluster: &str) -> bool {
        cluster == self.name
    }
}

/// Where a workload cluster can go, given global's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveTo {
    /// The highest offered version not newer than global's.
    Offered(String),
    /// Nothing suitable offered yet (global is ahead).
    NotOffered,
}

impl MoveTo {
    pub fn offered(self) -> Option<String> {
        match self {
            MoveTo::Offered(version) => Some(version),
            MoveTo::NotOffered => None,
        }
    }
}

/// The highest of the cluster's available versions that is newer than its current one and not
/// newer than `global_version`.
pub fn move_to(cvsh: &Cvsh, global_version: &str) -> MoveTo {
    move_to_among(
        &cvsh.available_updates,
        cvsh.current_version(),
        global_version,
    )
}

/// [`move_to`] from the parts it reads: the offered releases and the current version.
pub fn move_to_among(offers: &[Release], current: Option<&str>, global_version: &str) -> MoveTo {
    // The highest offer up to global's version; it is a move only when newer than the current
    // version (nothing lower can be).
    let best = version::highest_up_to(offers, global_version).filter(|offer| {
        current.is_none_or(|current| version::newer_than(offer, current) == Some(true))
    });
    match best {
        Some(offer) => MoveTo::Offered(offer),
        None => MoveTo::NotOffered,
    }
}

/// A current version older than global's (both known).
pub fn behind(current: Option<&str>, global_version: Option<&str>) -> bool {
    match (global_version, current) {
        (Some(global), Some(current)) => version::newer_than(global, current) == Some(true),
        _ => false,
    }
}

/// A workload cluster at, or targeting, a version beyond global's: `is at 4.4.0 (ahead of
/// global)`, `targets 4.4.0 (ahead of global)`.
pub fn ahead_of_global(cvsh: &Cvsh, global_version: &str) -> Option<String> {
    let pending_target = assess::pending_target(cvsh).and_then(|target| target.version);
    ahead_of_global_at(
        cvsh.current_version(),
        pending_target.as_deref(),
        global_version,
    )
}

/// [`ahead_of_global`] from the parts it reads: the current version and the version of the
/// pending target ([`assess::pending_target`]).
pub fn ahead_of_global_at(
    current: Option<&str>,
    pending_target: Option<&str>,
    global_version: &str,
) -> Option<String> {
    if let Some(current) = current
        && version::newer_than(current, global_version) == Some(true)
    {
        return Some(format!("is at {} (ahead of global)", one_line(current)));
    }
    let target = pending_target?;
    (version::newer_than(target, global_version) == Some(true))
        .then(|| format!("targets {} (ahead of global)", one_line(target)))
}
