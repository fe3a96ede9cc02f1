//! The upgrade guide's rules, each one type (or one function) in one place that every
//! pre-check, the request guard, every screen and the rollout ask — no copies:
//!
//! | rule | the guide | here |
//! |---|---|---|
//! | the global tier first (standby before primary under DR); a workload cluster only to a version the tier reached | "A workload cluster can be upgraded only to a Distribution Version that the global tier has already reached" | [`tier::GlobalTier`] |
//! | workload clusters inside the target's Kubernetes range before the global tier moves | "all workload clusters must remain within the ACP 4.3 Compatible Versions" | [`kubernetes::KubernetesRange`] |
//! | a request names an offered release | SPEC §4 `--to` | [`offers::Offers`] |
//! | supported upgrade paths | "supported into 4.3 … from 4.0, 4.1 and 4.2" | [`path::judge`] |
//!
//! "Has reached" (same or newer) is [`crate::domain::version::reached`]. `docs/precheck.md`
//! cites each rule's sentence.

pub mod kubernetes;
pub mod offers;
pub mod path;
pub mod tier;
