//! What to tell the operator: every detail sentence of a pre-check, every next step, remedy
//! and hint, with the exact commands (built by the leaf [`crate::domain::cmdline`]), written
//! here and nowhere else. The rules (`domain::rules`) and the pre-checks (`domain::precheck`)
//! decide; this layer says it. A request suggested here is one the guard accepts at that
//! moment: it is suggested only after the same pre-checks judged it
//! ([`crate::domain::precheck::next_move`]), else the suggestion is the remedy or
//! `ac adm upgrade precheck`.
//!
//! | module | advice |
//! |---|---|
//! | [`precheck`] | the detail and remedy of every pre-check finding; the guard's refusal lines |
//! | [`status`] | next steps of `ac adm upgrade status` (and the watch frame) |
//! | [`preflight`] | remedies for preflight checks the controller failed |
//! | [`summary`] | next steps of `ac adm upgrade` |
//! | [`fleet`] | the fleet view's words and next steps |
//! | [`rollout`] | after (or before) a rollout: failed, blocked, not offered, resume |
//! | [`verify`] | the detail and remedy of every verify finding, post-upgrade due dates, the verdict |
//! | [`dr`] | the DR order: the guide's sentence, a violation, the standby's catch-up |
//! | [`request`] | hints of refused requests and follow-ups of requests and import-manifest |

pub mod dr;
pub mod fleet;
pub mod precheck;
pub mod preflight;
pub mod request;
pub mod rollout;
pub mod status;
pub mod summary;
pub mod verify;

use serde::Serialize;

use crate::domain::cmdline::Kubectl;
use crate::domain::rules::tier::GlobalTier;

/// What advice needs to know besides the finding: the cluster it is about, the global tier,
/// and how kubectl reaches the global cluster.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub cluster: &'a str,
    pub tier: &'a GlobalTier,
    pub kubectl: Kubectl<'a>,
}

impl Scope<'_> {
    pub fn is_global(&self) -> bool {
        self.tier.is_global(self.cluster)
    }
}

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
    ResolveMachines,
    WithdrawRequest,
    CheckAgain,
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

    /// On one line: `text: command; command` (just the commands when there is no text).
    pub fn line(&self) -> String {
        match (self.text.is_empty(), self.commands.is_empty()) {
            (_, true) => self.text.clone(),
            (true, false) => self.commands.join("; "),
            (false, false) => format!("{}: {}", self.text, self.commands.join("; ")),
        }
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
