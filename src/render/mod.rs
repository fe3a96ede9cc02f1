//! Text: pure functions from the domain's reports ([`crate::domain::report`]) to strings. They
//! decide nothing (the reports did); they lay out, cut to width and color.
//!
//! | module | screen |
//! |---|---|
//! | [`status`] | `ac adm upgrade status`: the screen, the watch line and frame |
//! | [`fleet`] | `ac adm upgrade status --all-clusters` |
//! | [`summary`] | `ac adm upgrade` |
//! | [`request`] | request and import-manifest outcomes |
//! | [`precheck`] | `ac adm upgrade precheck` |
//! | [`profiles`] | `ac config` sessions and clusters, `ac login`, `ac logout`, sync, the DR pair |
//! | [`releases`] | `ac adm release list` |
//! | [`verify`] | `ac adm upgrade verify` |
//! | [`table`], [`text`], [`style`] | tables, widths and wrapping, tones |

pub mod fleet;
pub mod precheck;
pub mod profiles;
pub mod releases;
pub mod request;
pub mod rollout;
pub mod status;
pub mod style;
pub mod summary;
pub mod table;
pub mod text;
pub mod verify;
