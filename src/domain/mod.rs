//! Pure domain logic: no I/O, unit-tested.
//!
//! | module | concern |
//! |---|---|
//! | [`cvsh`] | lenient read-only views of the resources (`cvsh_wire`: the same view straight from JSON, for large LISTs) |
//! | [`version`] | ACP versions, offers, compatibility tables |
//! | [`assess`] | what a cvsh means: classification, progress, timing, assessment, watch outcome |
//! | [`sequencing`] | the global-first rule and the global cluster's name |
//! | [`name`] | the object-name rule (DNS-1123 subdomain) every name passes before it enters a URL |
//! | [`plan`] | upgrade requests: target, no-ops, offered check, guards, merge patch |
//! | [`verify`] | after the upgrade: every cluster at V, healthy, nothing pending; the platform; the guide's post-upgrade steps |
//! | [`advice`] | every next step, remedy and hint, with its command |
//! | [`report`] | the typed reports the commands print (text via `render`, JSON via serde) |

pub mod advice;
pub mod assess;
pub mod cmdline;
pub mod cvsh;
mod cvsh_wire;
pub mod facts;
pub mod name;
pub mod plan;
pub mod precheck;
pub mod report;
pub mod rollout;
pub mod rules;
pub mod verify;
pub mod version;

#[cfg(test)]
mod test_support;
