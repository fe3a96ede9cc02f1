//! Text as a person reads it, in one leaf of the output layer: server text made safe for a
//! terminal ([`printable`], [`one_line`]), display widths and cutting, and how counts, lists,
//! durations and ages read in a sentence or a cell. Imports nothing of the crate, so the
//! domain's advice (its sentences), the lenient views (sanitising at the door) and every
//! renderer share it without a cycle.

use jiff::fmt::friendly::{Designator, Spacing, SpanPrinter};
use jiff::{RoundMode, Span, SpanRound, Timestamp, Unit};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

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

/// One line of a message (`error:`, `hint:`, `warning:`, `info:`, a trace) made safe for a
/// terminal: [`printable`], with newlines shown as spaces so the line stays one line. Text
/// without anything to replace is returned as is.
pub fn line(s: &str) -> std::borrow::Cow<'_, str> {
    if !needs_printable(s) && !s.contains('\n') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(printable(s).replace('\n', " "))
}

/// `scheme://user:password@host` → `scheme://<redacted>@host`, anywhere in a line (only
/// after a `://`: in free text, `user@host` may be a user name such as `admin@example.com`).
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| {
                c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '"' || c == '\''
            })
            .unwrap_or(tail.len());
        match tail[..authority_end].rfind('@') {
            Some(at) => {
                out.push_str("<redacted>");
                out.push_str(&tail[at..authority_end]);
            }
            None => out.push_str(&tail[..authority_end]),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// A string known to be a URL (a server, a proxy, a platform URL) with its user-info
/// replaced, also without a scheme (`alice:pw@proxy:3128` → `<redacted>@proxy:3128`, as
/// `HTTPS_PROXY` is often written).
pub fn redact_url(url: &str) -> String {
    if url.contains("://") {
        return redact_userinfo(url);
    }
    let authority_end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..authority_end].rfind('@') {
        Some(at) => format!("<redacted>{}", &url[at..]),
        None => url.to_string(),
    }
}

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
    let then = time.trim().parse::<Timestamp>().ok()?;
    let seconds = now.as_second() - then.as_second();
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

/// Cut one line to `columns` display columns (ending in `…` when cut) without touching its
/// spacing (a table's alignment, a live frame's columns).
pub fn clip(line: &str, columns: usize) -> String {
    if display_width(line) <= columns {
        return line.to_string();
    }
    format!("{}…", take_columns(line, columns.saturating_sub(1)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_lines_show_controls_and_stay_one_line() {
        assert_eq!(line("context prod/a"), "context prod/a");
        assert_eq!(
            line("context \u{202e}lanoitcudorp\nx\u{1b}[2J"),
            "context \u{fffd}lanoitcudorp x\u{241b}[2J"
        );
    }

    #[test]
    fn urls_lose_their_user_info() {
        for (url, shown) in [
            (
                "https://bob:pw@h:6443/kubernetes/global/",
                "https://<redacted>@h:6443/kubernetes/global/",
            ),
            ("alice:pw@proxy:3128", "<redacted>@proxy:3128"),
            ("alice:p%40w@proxy:3128/x", "<redacted>@proxy:3128/x"),
            ("http://proxy:3128", "http://proxy:3128"),
            ("proxy:3128", "proxy:3128"),
            ("https://h/p?q=a@b", "https://h/p?q=a@b"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
        assert_eq!(
            redact_userinfo("user admin@example.com via https://u:p@h/x"),
            "user admin@example.com via https://<redacted>@h/x"
        );
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
