//! The reports `ac` prints: typed structs built by pure functions from what was read, the
//! injected "now" and the global cluster. Their serde form *is* the machine output
//! (`-o json|yaml`; keys come out sorted because the printer goes through
//! `serde_json::Value`); fields marked `#[serde(skip)]` exist for the text renderers only.
//! `src/render/` formats them into text and decides nothing.
//!
//! | report | schema | command |
//! |---|---|---|
//! | [`summary::SummaryReport`] | `upgrade-summary/v1` | `ac adm upgrade` |
//! | [`status::StatusReport`] | `upgrade-status/v1` | `ac adm upgrade status` |
//! | [`status::WatchEvent`] | `upgrade-watch-event/v1` | `… status --watch -o json`, `--wait` |
//! | [`fleet::FleetReport`] | `upgrade-fleet/v1` | `… status --all-clusters` |
//! | [`request::RequestReport`] | `upgrade-request/v1` | `ac adm upgrade --to…/--clear` |
//! | [`rollout::RolloutReport`] | `upgrade-rollout/v1` | `ac adm upgrade rollout` (and its `--dry-run` plan) |
//! | [`import::ImportReport`] | `import-manifest/v1` | `ac adm release import-manifest` |
//! | [`precheck::PrecheckReport`] | `upgrade-precheck/v1` | `ac adm upgrade precheck` |
//! | [`profiles::SessionInfo`], [`profiles::ClusterInfo`] | `sessions/v1`, `clusters/v1` | `ac config get-sessions`, `get-clusters` |
//! | [`profiles::SessionEditReport`] | `session-edit/v1` | `ac login`, `ac logout`, `ac config sync` |
//! | [`profiles::DrStandbyReport`] | `dr-standby/v1` | `ac config set-dr-standby` |
//! | [`releases::ReleasesReport`] | `releases/v1` | `ac adm release list` |
//! | [`verify::VerifyReport`] | `upgrade-verify/v1` | `ac adm upgrade verify` |

pub mod fleet;
pub mod import;
pub mod precheck;
pub mod profiles;
pub mod releases;
pub mod request;
pub mod rollout;
pub mod status;
pub mod summary;
pub mod verify;

#[cfg(test)]
mod tests;
