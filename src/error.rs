//! Error kinds, their exit codes, and the one-line `error:` + `hint:` rendering.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success, or nothing to do (an `info:` line says so) |
//! | 1 | API, transport, configuration or output error (kubeconfig, credentials, server answers, stdout not writable) |
//! | 2 | usage error (flags, arguments) |
//! | 3 | refused by a client-side check or guard; nothing was written |
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
  3    refused by a client-side check or guard; nothing was written
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

/// One line: newlines, control characters and bidi controls ([`is_bidi_control`]) from server
/// text are folded into spaces.
pub fn one_line(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Unicode's explicit bidirectional formatting characters: embeddings and overrides
/// (U+202A–U+202E) and isolates (U+2066–U+2069). In server text they could make a terminal
/// show characters in another order than they are (a name or a command that reads as
/// something else), so they are treated like control characters. The implicit marks (LRM,
/// RLM, ALM) only nudge neutral characters and are kept.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` has a control character other than `\n` or a bidi control (what [`printable`]
/// replaces): a byte scan, as every string of a 5,000-object LIST goes through it. In UTF-8
/// the control characters (Unicode `Cc`) are the bytes below 0x20, DEL (0x7F) and C1
/// (0xC2 0x80–0x9F); the bidi controls are 0xE2 0x80 0xAA–0xAE and 0xE2 0x81 0xA6–0xA9.
pub fn needs_printable(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\n' => false,
        0..0x20 | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

/// Server text made safe for a terminal, keeping its lines: every control character but `\n`
/// is replaced by something visible — tab and carriage return by a space, the other C0
/// controls by their Unicode control pictures (ESC → `␛`, so `\x1b[31m` shows as `␛[31m`
/// instead of coloring the terminal), DEL by `␡`, C1 controls and bidi controls
/// ([`is_bidi_control`]) by `�`. Text without them is returned as is.
pub fn printable(s: &str) -> String {
    if !needs_printable(s) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' | '\r' => ' ',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() || is_bidi_control(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

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

    #[test]
    fn printable_shows_controls_and_keeps_lines() {
        assert_eq!(printable("plain\ntext"), "plain\ntext");
        assert_eq!(
            printable("\u{1b}[31mred\u{1b}[0m"),
            "\u{241b}[31mred\u{241b}[0m"
        );
        assert_eq!(
            printable("a\tb\rc\u{7}\u{7f}\u{9b}"),
            "a b c\u{2407}\u{2421}\u{fffd}"
        );
        // Bidi overrides and isolates are shown; the implicit marks (here RLM) are kept.
        assert_eq!(
            printable("\u{202e}txt.exe\u{202c} \u{2067}x\u{2069}\u{200f}"),
            "\u{fffd}txt.exe\u{fffd} \u{fffd}x\u{fffd}\u{200f}"
        );
        assert_eq!(one_line("a\u{202e}b\u{2066}"), "a b");
    }

    #[test]
    fn needs_printable_is_any_control_but_newline_and_the_bidi_controls() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(
                needs_printable(&text),
                (c.is_control() && c != '\n') || is_bidi_control(c),
                "{:?}",
                c
            );
        }
    }

    #[test]
    fn one_line_folds() {
        assert_eq!(one_line("a\nb\r\n  c\u{1b}[31m"), "a b c [31m");
    }
}
