//! Where output goes and how it looks: stdout/stderr through `anstream` (ANSI stripped when
//! color is off), color precedence, `info:`/`warning:`/`error:` lines, quiet exit on a closed pipe.

use std::io::{self, Write};

use owo_colors::OwoColorize;

use crate::error::{AcError, ErrorKind};

pub mod terminal;
pub mod text;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Yaml,
}

/// A failed write to stdout: EPIPE ends quietly, everything else is reported.
fn stdout_error(e: io::Error) -> AcError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        AcError::new(ErrorKind::BrokenPipe, e.to_string())
    } else {
        AcError::new(
            ErrorKind::Output,
            format!(
                "cannot write to standard output: {}",
                text::one_line(&e.to_string())
            ),
        )
        .hint("the output is incomplete: check the disk or file the output goes to, then re-run")
        .with_source(e)
    }
}

/// Decide whether to color, given the flag and the environment:
/// `--color` > `NO_COLOR` (non-empty) > `CLICOLOR_FORCE` (non-empty, not `0`) > TTY.
pub fn color_enabled(
    choice: ColorChoice,
    is_tty: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                is_tty
            }
        }
    }
}

/// The process's printer: one per command run.
#[derive(Debug, Clone)]
pub struct Printer {
    pub color: bool,
    pub format: OutputFormat,
    pub stdout_tty: bool,
}

impl Printer {
    pub fn new(choice: ColorChoice, format: OutputFormat) -> Printer {
        use std::io::IsTerminal;
        let stdout_tty = io::stdout().is_terminal();
        let color = color_enabled(choice, stdout_tty, &|k| std::env::var(k).ok());
        Printer {
            color,
            format,
            stdout_tty,
        }
    }

    fn stream_choice(&self) -> anstream::ColorChoice {
        if self.color {
            anstream::ColorChoice::Always
        } else {
            anstream::ColorChoice::Never
        }
    }

    /// Write text to stdout. A closed pipe (`| head`) ends the command quietly; any other
    /// write failure (a full disk, an I/O error) is an error: output must never be lost silently.
    pub fn out(&self, text: &str) -> Result<(), AcError> {
        let bounded;
        let text = if self.is_text() {
            bounded = bound_lines(text);
            bounded.as_str()
        } else {
            text
        };
        let mut w = anstream::AutoStream::new(io::stdout().lock(), self.stream_choice());
        w.write_all(text.as_bytes())
            .and_then(|_| w.flush())
            .map_err(stdout_error)
    }

    /// A frame of a live screen drawn over the previous one (`previous_lines` high): the
    /// cursor movement goes out as it is — `out` strips escape sequences when color is off
    /// (`NO_COLOR`, `--color=never`), which would stack the frames — and the frame through `out`.
    pub fn frame(&self, previous_lines: usize, frame: &str) -> Result<(), AcError> {
        let mut w = io::stdout().lock();
        w.write_all(terminal::redraw(previous_lines, "").as_bytes())
            .map_err(stdout_error)?;
        drop(w);
        self.out(frame)
    }

    /// `-o json|yaml` of a report (text format is the caller's business). The report goes
    /// through `serde_json::Value` first, so keys come out sorted whatever the field order.
    pub fn machine(&self, report: &impl serde::Serialize) -> Result<(), AcError> {
        let v = to_value(report)?;
        let text = match self.format {
            OutputFormat::Yaml => serde_saphyr::to_string(&v)
                .map_err(|e| AcError::new(ErrorKind::Api, format!("cannot render YAML: {e}")))?,
            _ => {
                let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "null".into());
                s.push('\n');
                s
            }
        };
        self.out(&text)
    }

    /// One JSON document on one line (watch events), keys sorted as in [`Printer::machine`].
    pub fn json_line(&self, report: &impl serde::Serialize) -> Result<(), AcError> {
        let mut s = serde_json::to_string(&to_value(report)?).unwrap_or_else(|_| "null".into());
        s.push('\n');
        self.out(&s)
    }

    pub fn is_text(&self) -> bool {
        self.format == OutputFormat::Text
    }

    fn err_line(&self, text: &str) {
        let mut w = anstream::AutoStream::new(io::stderr().lock(), self.stream_choice());
        let _ = writeln!(w, "{text}");
    }

    pub fn info(&self, msg: &str) {
        self.err_line(&format!(
            "{} {}",
            self.paint_label("info:", Label::Info),
            text::line(msg)
        ));
    }

    pub fn warn(&self, msg: &str) {
        self.err_line(&format!(
            "{} {}",
            self.paint_label("warning:", Label::Warn),
            text::line(msg)
        ));
    }

    /// The `error:` line and its `hint:` lines. Like every line on stderr, they go through
    /// [`text::line`]: names from the kubeconfig or the command line (contexts, users,
    /// sessions, clusters, file names) are data, and a control character or bidi override in
    /// one is shown, never sent to the terminal.
    pub fn error(&self, e: &AcError) {
        self.err_line(&format!(
            "{} {}",
            self.paint_label("error:", Label::Error),
            text::line(&e.message)
        ));
        for h in &e.hints {
            self.err_line(&format!(
                "{} {}",
                self.paint_label("hint:", Label::Hint),
                text::line(h)
            ));
        }
    }

    /// A `-v` line on stderr (traces), made safe like every other line.
    pub fn trace(&self, msg: &str) {
        self.err_line(&text::line(msg));
    }

    fn paint_label(&self, s: &str, l: Label) -> String {
        match l {
            Label::Info => s.cyan().bold().to_string(),
            Label::Warn => s.yellow().bold().to_string(),
            Label::Error => s.red().bold().to_string(),
            Label::Hint => s.green().bold().to_string(),
        }
    }
}

/// The longest line of text output, in characters (escape sequences of `ac`'s own colors and
/// redraws not counted): server text that makes a line longer is cut there, ending in `…`, so
/// no multi-kilobyte value reaches the terminal. Tables already cut cells at
/// [`crate::render::table::MAX_CELL`] columns; `-o json|yaml` is never cut.
pub const MAX_LINE: usize = 4096;

/// Every line of `text` cut to [`MAX_LINE`] visible characters. Escape sequences (CSI: ESC `[`
/// … final byte) are copied whole and not counted, and a cut line ends with a color reset.
pub fn bound_lines(text: &str) -> String {
    if text.len() <= MAX_LINE {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len().min(1 << 20));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.chars().count() <= MAX_LINE {
            out.push_str(line);
            continue;
        }
        let mut visible = 0usize;
        let mut chars = line.chars().peekable();
        let mut cut = false;
        let mut escapes = false;
        while let Some(c) = chars.next() {
            if c == '\u{1b}' && chars.peek() == Some(&'[') {
                escapes = true;
                out.push(c);
                out.push(chars.next().unwrap_or('['));
                for c in chars.by_ref() {
                    out.push(c);
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
                continue;
            }
            if visible == MAX_LINE - 1 {
                cut = true;
                break;
            }
            out.push(c);
            visible += 1;
        }
        if cut {
            out.push('…');
            if escapes {
                out.push_str("\u{1b}[0m");
            }
        }
    }
    out
}

/// A report as a JSON value (objects are `BTreeMap`s: sorted keys).
fn to_value(report: &impl serde::Serialize) -> Result<serde_json::Value, AcError> {
    serde_json::to_value(report)
        .map_err(|e| AcError::new(ErrorKind::Api, format!("cannot render JSON: {e}")))
}

enum Label {
    Info,
    Warn,
    Error,
    Hint,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(a, _)| *a == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn only_a_closed_pipe_is_quiet() {
        let e = stdout_error(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(e.exit_code(), 0);
        let e = stdout_error(io::Error::from_raw_os_error(28)); // ENOSPC
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.message.starts_with("cannot write to standard output"),
            "{}",
            e.message
        );
        let e = stdout_error(io::Error::from_raw_os_error(5)); // EIO
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn long_lines_are_cut_and_escapes_kept_whole() {
        let long = "x".repeat(MAX_LINE * 2);
        let out = bound_lines(&format!("short\n{long}\nend"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "short");
        assert_eq!(lines[1].chars().count(), MAX_LINE);
        assert!(lines[1].ends_with('…'));
        assert_eq!(lines[2], "end");
        let colored = format!("\u{1b}[31m{long}\u{1b}[0m");
        let out = bound_lines(&colored);
        assert!(
            out.starts_with("\u{1b}[31mxx") && out.ends_with("…\u{1b}[0m"),
            "{}",
            &out[..20]
        );
        assert_eq!(bound_lines("a\nb\n"), "a\nb\n");
        let exactly = "y".repeat(MAX_LINE);
        let two = format!("{exactly}\n{exactly}");
        assert!(
            bound_lines(&two) == two,
            "a line of exactly MAX_LINE is kept"
        );
    }

    #[test]
    fn color_precedence() {
        assert!(color_enabled(
            ColorChoice::Always,
            false,
            &env(&[("NO_COLOR", "1")])
        ));
        assert!(!color_enabled(ColorChoice::Never, true, &env(&[])));
        assert!(!color_enabled(
            ColorChoice::Auto,
            true,
            &env(&[("NO_COLOR", "1")])
        ));
        assert!(color_enabled(
            ColorChoice::Auto,
            true,
            &env(&[("NO_COLOR", "")])
        ));
        assert!(color_enabled(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!color_enabled(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(!color_enabled(ColorChoice::Auto, false, &env(&[])));
    }
}
