//! How counts, lists, durations and ages read in a sentence or a cell. One place for the
//! domain's advice and for every renderer (status, fleet, summary, watch).

use jiff::fmt::friendly::{Designator, Spacing, SpanPrinter};
use jiff::{RoundMode, Span, SpanRound, Timestamp, Unit};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::domain::assess::timing;
use crate::domain::cvsh::Release;
use crate::error::one_line;

/// `1 check`, `3 checks`.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `4.0`, `4.0 or 4.1`, `4.0, 4.1 or 4.2`.
pub fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => only.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Durations the way kubectl/oc readers expect them, two units at most, rounded down, seconds
/// only below ten minutes: `42s`, `5m 30s`, `47m`, `1h 5m`, `3d 4h`, `2h`; negative reads as
/// `0s`. Days are 24 hours.
pub fn human_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (largest, smallest) = match seconds {
        86_400.. => (Unit::Day, Unit::Hour),
        3_600.. => (Unit::Hour, Unit::Minute),
        600.. => (Unit::Minute, Unit::Minute),
        _ => (Unit::Minute, Unit::Second),
    };
    let rounding = SpanRound::new()
        .largest(largest)
        .smallest(smallest)
        .mode(RoundMode::Trunc)
        .days_are_24_hours();
    let printer = SpanPrinter::new()
        .designator(Designator::Compact)
        .spacing(Spacing::BetweenUnits);
    match Span::new()
        .try_seconds(seconds)
        .and_then(|span| span.round(rounding))
    {
        Ok(span) => printer.span_to_string(&span),
        // Beyond what a Span holds (thousands of years): days are all that matter.
        Err(_) => format!("{}d", seconds / 86_400),
    }
}

/// `48m ago` for a past time, `in 5m` for a future one; `None` when `time` is not RFC 3339.
pub fn ago(time: &str, now: Timestamp) -> Option<String> {
    let then = timing::parse_time(time)?;
    let seconds = timing::seconds_between(then, now);
    Some(if seconds >= 0 {
        format!("{} ago", human_duration(seconds))
    } else {
        format!("in {}", human_duration(-seconds))
    })
}

/// `4.2.1 → 4.3.0`, `- → 4.3.0`, `4.2.1 → -`, or empty when neither is known.
pub fn versions_arrow(current: Option<&str>, target: Option<&str>) -> String {
    match (current, target) {
        (None, None) => String::new(),
        (from, to) => format!("{} → {}", from.unwrap_or("-"), to.unwrap_or("-")),
    }
}

/// Columns `text` takes on a terminal: wide characters (CJK, most emoji) count two, combining
/// marks none.
pub fn display_width(text: &str) -> usize {
    text.width()
}

/// The longest prefix of `text` made of whole characters (grapheme clusters: a letter with its
/// accents, an emoji sequence) that fits in `columns`.
pub fn take_columns(text: &str, columns: usize) -> &str {
    let mut used = 0;
    let mut end = 0;
    for (start, grapheme) in text.grapheme_indices(true) {
        used += grapheme.width();
        if used > columns {
            break;
        }
        end = start + grapheme.len();
    }
    &text[..end]
}

/// Cut `text` to at most `columns` display columns, ending with `…` when cut. Newlines are
/// folded first; a character is never split.
pub fn truncate(text: &str, columns: usize) -> String {
    let text = one_line(text);
    if display_width(&text) <= columns {
        return text;
    }
    let mut cut = take_columns(&text, columns.saturating_sub(1))
        .trim_end()
        .to_string();
    cut.push('…');
    cut
}

/// How much of an image's path [`short_image`] keeps before `@sha256:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePath {
    /// `registry.example.com/acp/release@sha256:0123456789ab…`
    Full,
    /// `release@sha256:0123456789ab…`
    LastSegment,
}

/// A long image reference in a few columns: a digest is cut to its first 12 characters and
/// `…`; anything else is cut to `columns`. Newlines are folded.
pub fn short_image(image: &str, path: ImagePath, columns: usize) -> String {
    let image = one_line(image);
    if let Some(at) = image.find("@sha256:") {
        let digest: String = image[at + "@sha256:".len()..].chars().take(13).collect();
        if digest.chars().count() > 12 {
            let kept = match path {
                ImagePath::Full => &image[..at],
                ImagePath::LastSegment => image[..at].rsplit('/').next().unwrap_or(""),
            };
            let short: String = digest.chars().take(12).collect();
            return format!("{kept}@sha256:{short}…");
        }
    }
    truncate(&image, columns)
}

/// A release in a few columns: its version, else its image ([`short_image`]), else
/// `<unknown>`.
pub fn short_release(release: &Release, path: ImagePath, columns: usize) -> String {
    match (&release.version, &release.image) {
        (Some(version), _) => one_line(version),
        (None, Some(image)) => short_image(image, path, columns),
        (None, None) => "<unknown>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        let cases = [
            (-5, "0s"),
            (0, "0s"),
            (42, "42s"),
            (60, "1m"),
            (330, "5m 30s"),
            (599, "9m 59s"),
            (600, "10m"),
            (2839, "47m"),
            (3600, "1h"),
            (3900, "1h 5m"),
            (3959, "1h 5m"),
            (86_400, "1d"),
            (90_000, "1d 1h"),
            (3 * 86_400 + 4 * 3600 + 59, "3d 4h"),
            (400 * 86_400, "400d"),
            (i64::MAX, "106751991167300d"),
        ];
        for (seconds, want) in cases {
            assert_eq!(human_duration(seconds), want, "{seconds}");
        }
    }

    /// The formatter before jiff, kept as the reference over a wide range.
    fn reference(seconds: i64) -> String {
        let s = seconds.max(0);
        let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
        let pair = |a: i64, ua: &str, b: i64, ub: &str| {
            if b == 0 {
                format!("{a}{ua}")
            } else {
                format!("{a}{ua} {b}{ub}")
            }
        };
        if d > 0 {
            pair(d, "d", h, "h")
        } else if h > 0 {
            pair(h, "h", m, "m")
        } else if m >= 10 {
            format!("{m}m")
        } else if m > 0 {
            pair(m, "m", sec, "s")
        } else {
            format!("{sec}s")
        }
    }

    #[test]
    fn same_as_the_reference() {
        let mut seconds = 0i64;
        while seconds < 40 * 86_400 {
            assert_eq!(human_duration(seconds), reference(seconds), "{seconds}");
            seconds += 1 + seconds / 97;
        }
    }

    #[test]
    fn ages() {
        let now: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        assert_eq!(ago("2026-11-23T09:12:00Z", now).unwrap(), "48m ago");
        assert_eq!(ago("2026-11-23T10:05:00Z", now).unwrap(), "in 5m");
        assert_eq!(ago("garbage", now), None);
    }

    #[test]
    fn lists_and_arrows() {
        assert_eq!(join_or(&["4.0", "4.1", "4.2"]), "4.0, 4.1 or 4.2");
        assert_eq!(join_or(&["4.0"]), "4.0");
        assert_eq!(plural(1, "check", "checks"), "1 check");
        assert_eq!(plural(0, "check", "checks"), "0 checks");
        assert_eq!(versions_arrow(None, Some("4.3.0")), "- → 4.3.0");
        assert_eq!(versions_arrow(None, None), "");
    }

    #[test]
    fn truncation_by_display_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("a\nb", 10), "a b");
        assert_eq!(truncate("ab cd", 4), "ab…");
        // CJK characters take two columns: 80 of them would fill 160.
        let cut = truncate(&"检查".repeat(50), 20);
        assert_eq!(cut, format!("{}…", "检查".repeat(4) + "检"));
        assert_eq!(
            display_width(&cut),
            19,
            "nine wide characters and the ellipsis"
        );
        // never splits a letter from its accent, nor an emoji sequence
        assert_eq!(
            truncate(&"e\u{301}".repeat(30), 10),
            format!("{}…", "e\u{301}".repeat(9))
        );
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(truncate(&format!("ab{family}{family}"), 4), "ab…");
        assert_eq!(take_columns("日本語", 3), "日");
        assert_eq!(take_columns("日本語", 0), "");
    }

    #[test]
    fn images_are_shortened() {
        let image = "registry.example.com/acp/release@sha256:0123456789abcdef0123456789abcdef";
        assert_eq!(
            short_image(image, ImagePath::Full, 72),
            "registry.example.com/acp/release@sha256:0123456789ab…"
        );
        assert_eq!(
            short_image(image, ImagePath::LastSegment, 40),
            "release@sha256:0123456789ab…"
        );
        assert_eq!(
            short_image("x@sha256:ab", ImagePath::Full, 72),
            "x@sha256:ab"
        );
        // multi-byte characters never panic
        assert_eq!(
            short_image("é@sha256:éééééééééééééééé", ImagePath::Full, 72),
            "é@sha256:éééééééééééé…"
        );
    }
}
