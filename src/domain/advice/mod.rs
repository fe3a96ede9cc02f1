//! What to tell the operator to do next: every next step, remedy and hint, with the exact
//! commands, built here and nowhere else.
//!
//! | module | advice |
//! |---|---|
//! | [`status`] | next steps of `ac adm upgrade status` (and the watch frame, the fleet) |
//! | [`preflight`] | remedies for failed preflight checks |
//! | [`summary`] | next steps of `ac adm upgrade` |
//! | [`request`] | hints of refused requests and follow-ups of requests and import-manifest |
//! | [`commands`] | every command line, in one place |

pub mod commands;
pub mod preflight;
pub mod request;
pub mod status;
pub mod summary;

use serde::Serialize;

/// What a next step of the status screen is about (stable names for machine output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NextStepKind {
    StaleStatus,
    ExemptResourcePatch,
    AcknowledgeAdminGate,
    KubernetesVersion,
    UpgradePath,
    ResolveCheck,
    WaitForPreflight,
    FailedOperation,
    ResolveCondition,
    Watch,
    RequestUpdate,
    ImportManifest,
    Sequencing,
    ReenableChecks,
}

/// One thing to do on the status screen, with the exact commands (`nextSteps[]` of
/// `upgrade-status/v1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    pub kind: NextStepKind,
    /// One or two sentences.
    pub text: String,
    /// Copy-pasteable commands, in order.
    pub commands: Vec<String>,
}

impl NextStep {
    pub(crate) fn new(kind: NextStepKind, text: impl Into<String>) -> NextStep {
        NextStep {
            kind,
            text: text.into(),
            commands: Vec::new(),
        }
    }

    pub(crate) fn command(mut self, command: impl Into<String>) -> NextStep {
        self.commands.push(command.into());
        self
    }
}

/// A sentence and the one command it is about: a next step of the summary
/// (`nextSteps[]` of `upgrade-summary/v1`), a `hint:` line, a follow-up after a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub message: String,
    /// Empty when there is nothing to run.
    pub command: String,
}

impl Suggestion {
    pub(crate) fn new(message: impl Into<String>, command: impl Into<String>) -> Suggestion {
        Suggestion {
            message: message.into(),
            command: command.into(),
        }
    }

    /// `message: command`, the form of most `hint:` lines and follow-ups.
    pub fn inline(&self) -> String {
        format!("{}: {}", self.message, self.command)
    }

    /// `message (command)`.
    pub fn parenthesized(&self) -> String {
        format!("{} ({})", self.message, self.command)
    }
}

#[cfg(test)]
mod tests;
