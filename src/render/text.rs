//! Text helpers shared by every screen: display width (wide characters count two columns),
//! clipping and word wrapping by width, `-` for missing values, release labels, times.

use jiff::Timestamp;

use crate::domain::assess::timing::parse_time;
use crate::domain::cvsh::Release;
use crate::output::text::one_line;
use crate::output::text::{ImagePath, ago, display_width, truncate};

/// Columns an image keeps on the status screen outside `--verbose`.
const IMAGE_COLUMNS: usize = 72;

/// A value for a cell: `-` when missing or blank, else one line.
pub fn dash(value: Option<&str>) -> String {
    match value {
        Some(text) if !text.trim().is_empty() => one_line(text),
        _ => "-".into(),
    }
}

/// A release as a person reads it: the version, else the image (shortened unless `verbose`).
pub fn release_label(release: &Release, verbose: bool) -> String {
    match (&release.version, &release.image) {
        (None, Some(image)) if verbose => one_line(image),
        _ => release.short_label(ImagePath::Full, IMAGE_COLUMNS),
    }
}

/// [`release_label`], `<unknown>` when there is none.
pub fn optional_release(release: Option<&Release>, verbose: bool) -> String {
    release
        .map(|release| release_label(release, verbose))
        .unwrap_or_else(|| "<unknown>".into())
}

/// `2026-11-23T09:12:00Z (48m ago)`; unparseable text is shown as is (shortened).
pub fn when(time: &str, now: Timestamp) -> String {
    match ago(time, now) {
        Some(age) => format!("{} ({age})", bare_time(time)),
        None => truncate(time, 40),
    }
}

/// An RFC 3339 time to the second, in UTC; unparseable text as is (shortened).
pub fn bare_time(time: &str) -> String {
    match parse_time(time) {
        Some(parsed) => Timestamp::from_second(parsed.as_second())
            .unwrap_or(parsed)
            .to_string(),
        None => truncate(time, 40),
    }
}

/// `text` followed by spaces up to `columns` display columns.
pub fn pad(text: &str, columns: usize) -> String {
    let fill = columns.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(fill))
}

pub use crate::output::text::clip;

/// Word-wrap prose into lines of at most `columns` display columns (newlines folded first).
/// Words wider than that stay whole. Never returns an empty list.
pub fn wrap_words(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in one_line(text).split(' ').filter(|word| !word.is_empty()) {
        let width = display_width(word);
        if used > 0 && used + 1 + width > columns {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += width;
    }
    lines.push(line);
    lines
}

/// Word-wrap prose to `columns` including the indents: the first line starts with
/// `first_indent`, the others with `indent`. Every line ends with `\n`.
pub fn wrap(text: &str, columns: usize, first_indent: &str, indent: &str) -> String {
    let available = columns.saturating_sub(display_width(indent).max(display_width(first_indent)));
    let mut out = String::new();
    for (number, line) in wrap_words(text, available.max(20)).into_iter().enumerate() {
        let prefix = if number == 0 { first_indent } else { indent };
        out.push_str(format!("{prefix}{line}").trim_end());
        out.push('\n');
    }
    out
}

/// Indent every non-empty line by `spaces` spaces.
pub fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{line}\n")
            }
        })
        .collect()
}

/// Text without its ANSI escape sequences (tests and width measurement): anstream's
/// stripping, the same that writes uncolored output.
pub fn strip_ansi(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

/// The first `limit` names, comma-separated, then `, +N more`.
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, limit: usize) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for name in names {
        if shown.len() < limit {
            shown.push(name);
        } else {
            more += 1;
        }
    }
    let shown = shown.join(", ");
    if more > 0 {
        format!("{shown}, +{more} more")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_and_wrapping() {
        assert_eq!(clip("a  b  c", 5), "a  b…");
        assert_eq!(clip("a  b", 5), "a  b");
        assert_eq!(
            wrap_words("one two three four", 7),
            ["one two", "three", "four"]
        );
        assert_eq!(wrap_words("", 7), [""]);
        assert_eq!(wrap_words("abcdefghij x", 4), ["abcdefghij", "x"]);
        assert_eq!(
            wrap("one two three four five six seven eight", 24, "- ", "  "),
            "- one two three four\n  five six seven eight\n"
        );
    }

    #[test]
    fn wide_characters_count_two_columns() {
        // 10 columns: five CJK characters, or four and the ellipsis when cut
        assert_eq!(clip("升级失败升级失败", 10), "升级失败…");
        assert_eq!(display_width(&clip("升级失败升级失败", 10)), 9);
        assert_eq!(clip("升级失败升", 10), "升级失败升");
        assert_eq!(
            wrap_words("升级 失败 检查 通过", 9),
            ["升级 失败", "检查 通过"]
        );
        assert_eq!(pad("升级", 6), "升级  ");
        // an emoji sequence is one character
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(
            clip(&format!("{family}{family}{family}"), 4),
            format!("{family}…")
        );
    }

    #[test]
    fn images_outside_verbose_are_shortened() {
        let image = Release {
            version: None,
            image: Some(
                "registry.example.com/acp/release@sha256:0123456789abcdef0123456789abcdef".into(),
            ),
        };
        assert_eq!(
            release_label(&image, false),
            "registry.example.com/acp/release@sha256:0123456789ab…"
        );
        assert_eq!(release_label(&image, true), image.image.clone().unwrap());
    }
}
