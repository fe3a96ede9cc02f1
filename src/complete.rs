//! Dynamic completion of flag values (clap_complete `unstable-dynamic`).

use clap_complete::engine::CompletionCandidate;
use std::ffi::OsStr;

/// `--context`: context names from the kubeconfig.
pub fn contexts(_current: &OsStr) -> Vec<CompletionCandidate> {
    Vec::new()
}

/// `--cluster`: ACP cluster names of the current session.
pub fn clusters(_current: &OsStr) -> Vec<CompletionCandidate> {
    Vec::new()
}

/// `--to`: versions offered to the target cluster.
pub fn versions(_current: &OsStr) -> Vec<CompletionCandidate> {
    Vec::new()
}
