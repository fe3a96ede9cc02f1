//! Error kinds, their exit codes, and the one-line `error:` + `hint:` rendering.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success, or nothing to do (an `info:` line says so) |
//! | 1 | API, transport, configuration or output error (kubeconfig, credentials, server answers, stdout not writable) |
//! | 2 | usage error (flags, arguments) |
//! | 3 | a check said no: a request refused by a client-side check or guard (nothing was written), `precheck` blocked, `verify` found something open |
//! | 4 | timed out (`--request-timeout`, `--timeout`) |
//! | 5 | the upgrade being watched failed: Stalled, Degraded or a failed operation |
//! | 130 | interrupted (Ctrl-C) |

use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Kubeconfig missing/malformed, unknown context, cluster not in the session.
    Config,
    /// The API server answered with an error, or an unusable answer.
    Api,
    /// The server could not be reached or TLS failed.
    Transport,
    /// Bad flags or arguments.
    Usage,
    /// A client-side check refused the request.
    Refused,
    /// A deadline passed.
    Timeout,
    /// A watched upgrade failed.
    UpgradeFailed,
    /// Ctrl-C.
    Interrupted,
    /// Stdout was closed by its reader (`| head`): exit quietly with 0.
    BrokenPipe,
    /// Output could not be written (full disk, I/O error).
    Output,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Config | ErrorKind::Api | ErrorKind::Transport | ErrorKind::Output => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Refused => 3,
            ErrorKind::Timeout => 4,
            ErrorKind::UpgradeFailed => 5,
            ErrorKind::Interrupted => 130,
            ErrorKind::BrokenPipe => 0,
        }
    }
}

/// The exit-code table shown in `--help` and the README.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success, or nothing to do (an info: line says so)
  1    API, transport, configuration or output error
  2    usage error (flags, arguments)
  3    a check said no: a request refused (nothing was written), precheck
       blocked, verify found something open
  4    timed out (--request-timeout, --timeout)
  5    the watched upgrade failed (Stalled, Degraded or a failed operation)
  130  interrupted";

/// An error a person reads: one line, plus hint lines naming the next step.
#[derive(Debug, Clone)]
pub struct AcError {
    pub kind: ErrorKind,
    pub message: String,
    pub hints: Vec<String>,
    /// A later attempt may succeed (5xx, 429, transport, timeouts): watch loops retry these.
    pub retryable: bool,
    /// Seconds the server asked us to wait before retrying (`Retry-After`, 429/503).
    pub retry_after: Option<u32>,
    /// The HTTP status the server answered, when this error is the server's answer.
    pub status: Option<u16>,
    /// What caused it (kube, TLS, I/O), kept for `source()`; never shown raw.
    pub source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl AcError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AcError {
            kind,
            message: message.into(),
            hints: Vec::new(),
            retryable: false,
            retry_after: None,
            status: None,
            source: None,
        }
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }
    pub fn api(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Api, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Refused, message)
    }
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Timeout, message)
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
    pub fn retryable(mut self) -> Self {
        self.retryable = true;
        self
    }
    /// Keep what caused this error (reachable through [`std::error::Error::source`]).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }
}

impl fmt::Display for AcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AcError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

pub type Result<T, E = AcError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_where_documented() {
        assert_eq!(ErrorKind::Api.exit_code(), 1);
        assert_eq!(ErrorKind::Usage.exit_code(), 2);
        assert_eq!(ErrorKind::Refused.exit_code(), 3);
        assert_eq!(ErrorKind::Timeout.exit_code(), 4);
        assert_eq!(ErrorKind::UpgradeFailed.exit_code(), 5);
    }
}
