//! Tones: what a piece of text means (failed, warning, good), mapped to a color only when
//! coloring is on. One mapping per thing shown, shared by every screen.

use comfy_table::Color;

use crate::domain::assess::classify::TROUBLE_CONDITIONS;
use crate::domain::assess::{Assessment, CheckState};
use crate::domain::cvsh::Condition;

/// Meaning of a cell or a line, mapped to a color when coloring is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    /// Failed, Stalled, blocking: red.
    Bad,
    /// Retry, slow, stale: yellow.
    Warn,
    /// Completed, passed: green.
    Good,
}

impl Tone {
    /// The comfy-table color of a cell.
    pub fn color(self) -> Option<Color> {
        match self {
            Tone::Plain => None,
            Tone::Bad => Some(Color::DarkRed),
            Tone::Warn => Some(Color::DarkYellow),
            Tone::Good => Some(Color::DarkGreen),
        }
    }

    /// Paint text with owo-colors (for text outside tables); unchanged when `color` is false.
    pub fn paint(self, text: &str, color: bool) -> String {
        use owo_colors::OwoColorize;
        if !color {
            return text.to_string();
        }
        match self {
            Tone::Plain => text.to_string(),
            Tone::Bad => text.red().to_string(),
            Tone::Warn => text.yellow().to_string(),
            Tone::Good => text.green().to_string(),
        }
    }
}

/// Blocked and stalled red, slow yellow, completed green.
pub fn assessment_tone(assessment: Assessment) -> Tone {
    match assessment {
        Assessment::Stalled | Assessment::BlockedByPreflight => Tone::Bad,
        Assessment::ProgressingSlow => Tone::Warn,
        Assessment::Completed => Tone::Good,
        _ => Tone::Plain,
    }
}

/// `Stalled`/`Degraded` true red, `Ready`/`PreflightReady` true green.
pub fn condition_tone(condition: &Condition) -> Tone {
    let kind = condition.type_.as_str();
    match condition.is_true() {
        true if TROUBLE_CONDITIONS.contains(&kind) => Tone::Bad,
        true if matches!(kind, "Ready" | "PreflightReady") => Tone::Good,
        _ => Tone::Plain,
    }
}

/// A preflight check's state: blocking failures red; other failures, retries and no result
/// yellow; passed green.
pub fn check_tone(state: CheckState, blocking: bool) -> Tone {
    match state {
        CheckState::Failed if blocking => Tone::Bad,
        CheckState::Failed | CheckState::Retry | CheckState::Unknown => Tone::Warn,
        CheckState::Passed => Tone::Good,
        CheckState::Skipped => Tone::Plain,
    }
}
