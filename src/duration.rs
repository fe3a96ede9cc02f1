//! Durations as kubectl users write and read them (`30s`, `1m30s`, `2h`, `500ms`), parsed and
//! printed by jiff's "friendly" format: one parser for every duration flag, one printer for
//! every duration echoed back in a message.

use std::sync::LazyLock;
use std::time::Duration;

use jiff::SignedDuration;
use jiff::fmt::friendly::{Designator, Spacing, SpanParser, SpanPrinter};

static PARSER: LazyLock<SpanParser> = LazyLock::new(SpanParser::new);
static PRINTER: LazyLock<SpanPrinter> = LazyLock::new(|| {
    SpanPrinter::new()
        .designator(Designator::Compact)
        .spacing(Spacing::None)
});

/// The longest duration a flag accepts: 366 days. Every deadline is "now + duration", and a
/// clock cannot hold any instant (`--timeout=18446744073709551615` overflowed it); nothing
/// `ac` waits for takes a year.
pub const MAX: Duration = Duration::from_secs(366 * 24 * 3600);

/// `30s`, `1m30s`, `2h`, `500ms`, `1.5h`; a bare number is seconds; `0` means no limit (zero).
/// Longer than [`MAX`] is refused.
pub fn parse(input: &str) -> Result<Duration, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("empty duration (use e.g. 30s, 2m, 1h)".into());
    }
    let parsed = match text.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let parsed: SignedDuration = PARSER.parse_duration(text).map_err(|_| {
                format!("{input:?} is not a duration (use e.g. 30s, 2m, 1h30m, 500ms)")
            })?;
            Duration::try_from(parsed)
                .map_err(|_| format!("{input:?}: a duration cannot be negative"))?
        }
    };
    if parsed > MAX {
        return Err(format!(
            "{input:?} is longer than the longest duration ac accepts ({}, 366 days)",
            format(MAX)
        ));
    }
    Ok(parsed)
}

/// The shortest exact form: `30s`, `1m30s`, `2h`, `500ms`, `0s`.
pub fn format(d: Duration) -> String {
    match SignedDuration::try_from(d) {
        Ok(sd) => PRINTER.duration_to_string(&sd),
        Err(_) => format!("{}s", d.as_secs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_kubectl_users_type() {
        assert_eq!(parse("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse("2h").unwrap(), Duration::from_secs(7200));
        assert_eq!(parse("0").unwrap(), Duration::ZERO);
        assert_eq!(parse("2").unwrap(), Duration::from_secs(2));
        for bad in ["10x", "m", "", "-5s", "soon"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn durations_are_bounded() {
        assert_eq!(parse("8784h").unwrap(), MAX);
        assert_eq!(parse(&MAX.as_secs().to_string()).unwrap(), MAX);
        for huge in [
            "18446744073709551615",
            "8785h",
            "31622401",
            "9999999999999h",
            "200y",
        ] {
            let e = parse(huge).unwrap_err();
            assert!(
                e.contains("longer than the longest duration ac accepts (8784h, 366 days)")
                    || e.contains("is not a duration"),
                "{huge}: {e}"
            );
        }
        assert!(
            parse("18446744073709551615")
                .unwrap_err()
                .contains("longest")
        );
    }

    #[test]
    fn prints_the_shortest_exact_form() {
        assert_eq!(format(Duration::from_secs(30)), "30s");
        assert_eq!(format(Duration::from_secs(90)), "1m30s");
        assert_eq!(format(Duration::from_secs(7200)), "2h");
        assert_eq!(format(Duration::from_millis(500)), "500ms");
        assert_eq!(format(Duration::ZERO), "0s");
        for text in ["1s", "2m", "1h30m", "10m"] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
    }
}
