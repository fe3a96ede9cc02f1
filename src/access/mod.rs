//! Kube access: kubeconfig and session resolution, the HTTPS client (TLS, proxies, credentials,
//! `-v` traces), the API calls `ac` makes, and every failure mapped to a typed, one-line error.
//!
//! This layer takes plain [`Options`] (no clap types) and reports warnings and traces through a
//! [`Diagnostics`] sink (no printing of its own).

pub mod api;
pub mod client;
pub mod credentials;
pub mod errors;
pub mod facts;
pub mod fetch;
pub mod kubeconfig;
pub mod kubeconfig_file;
mod kubeconfig_yaml;
pub mod object;
pub mod profiles;
pub mod retry;
pub mod session_edits;
mod tls;
mod trace;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to reach the platform: what kubectl's global flags say.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--kubeconfig` (else `$KUBECONFIG`, else `~/.kube/config`).
    pub kubeconfig: Option<PathBuf>,
    /// `--context` (else `current-context`).
    pub context: Option<String>,
    /// `--user`: another user entry for the credentials.
    pub user: Option<String>,
    /// Deadline for the whole command's API traffic; zero: none.
    pub request_timeout: Duration,
    /// Skip TLS verification (a warning says so).
    pub insecure_skip_tls_verify: bool,
    /// `-v`: 4 says how the endpoint was found, 6 traces every request, 7 adds headers.
    pub verbosity: u8,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kubeconfig: None,
            context: None,
            user: None,
            request_timeout: Duration::from_secs(30),
            insecure_skip_tls_verify: false,
            verbosity: 0,
        }
    }
}

/// Where this layer's warnings and `-v` trace lines go (the command's printer, in practice).
pub trait Diagnostics: Send + Sync {
    /// A caution the operator must see (e.g. TLS verification is off).
    fn warn(&self, message: &str);
    /// One `-v` trace line.
    fn trace(&self, line: &str);
}

/// Diagnostics that go nowhere (shell completion must print nothing but candidates).
pub struct Silent;

impl Diagnostics for Silent {
    fn warn(&self, _: &str) {}
    fn trace(&self, _: &str) {}
}

/// A file's bytes, at most `max`: `Ok(None)` when it holds more, or never ends (`/dev/zero`).
pub(crate) fn read_bounded(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}
