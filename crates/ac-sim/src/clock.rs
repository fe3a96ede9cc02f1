//! The simulated clock: every timestamp the simulator writes comes from here.
//!
//! It starts at a fixed instant (reproducible output) and only moves when the controller
//! advances it (`tick × speed`) or a test sets it.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// The default start of simulated time: 2026-11-23T08:00:00Z.
pub fn default_start() -> Timestamp {
    Timestamp::from_second(1_795_420_800).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A shared clock in milliseconds since the Unix epoch.
#[derive(Debug)]
pub struct SimClock {
    millis: AtomicI64,
}

impl SimClock {
    pub fn new(start: Timestamp) -> SimClock {
        SimClock {
            millis: AtomicI64::new(start.as_millisecond()),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.millis.load(Ordering::SeqCst))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub fn set(&self, t: Timestamp) {
        self.millis.store(t.as_millisecond(), Ordering::SeqCst);
    }

    pub fn advance(&self, by: SignedDuration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 4);
        self.millis.fetch_add(ms, Ordering::SeqCst);
    }
}

/// RFC 3339 with second precision, as Kubernetes writes `metav1.Time`.
pub fn rfc3339(t: Timestamp) -> String {
    Timestamp::from_second(t.as_second())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_string()
}

/// Parse an RFC 3339 timestamp written by anyone.
pub fn parse_time(s: &str) -> Option<Timestamp> {
    s.parse().ok()
}

/// `t + secs` (simulated seconds, fractional allowed).
pub fn plus(t: Timestamp, secs: f64) -> Timestamp {
    SignedDuration::try_from_secs_f64(secs)
        .ok()
        .and_then(|d| t.checked_add(d).ok())
        .unwrap_or(t)
}

/// A kubectl-style age (`45s`, `3m12s`, `5h`, `12d`) of `then` seen at `now`.
pub fn human_age(then: Timestamp, now: Timestamp) -> String {
    let secs = (now.as_second() - then.as_second()).max(0);
    let (minutes, hours, days) = (secs / 60, secs / 3600, secs / 86_400);
    if secs < 120 {
        format!("{secs}s")
    } else if minutes < 10 {
        if secs % 60 == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{}s", secs % 60)
        }
    } else if hours < 3 {
        format!("{minutes}m")
    } else if hours < 8 {
        if minutes % 60 == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{}m", minutes % 60)
        }
    } else if hours < 48 {
        format!("{hours}h")
    } else if days < 8 {
        if hours % 24 == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{}h", hours % 24)
        }
    } else if days < 365 * 2 {
        format!("{days}d")
    } else {
        format!("{}y", days / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_and_format() {
        assert_eq!(rfc3339(default_start()), "2026-11-23T08:00:00Z");
        let c = SimClock::new(default_start());
        c.advance(SignedDuration::from_millis(90_500));
        assert_eq!(rfc3339(c.now()), "2026-11-23T08:01:30Z");
        assert_eq!(
            parse_time("2026-11-23T08:01:30Z"),
            Some(plus(default_start(), 90.0))
        );
    }

    #[test]
    fn ages() {
        let t = default_start();
        assert_eq!(human_age(t, plus(t, 5.0)), "5s");
        assert_eq!(human_age(t, plus(t, 192.0)), "3m12s");
        assert_eq!(human_age(t, plus(t, 3600.0 * 5.0)), "5h");
        assert_eq!(human_age(t, plus(t, 86_400.0 * 12.0)), "12d");
    }
}
