//! The simulated clock: every timestamp the simulator writes comes from here.
//!
//! Two times are kept apart. The controller's *simulated* time runs `speed` times faster than
//! the wall clock, so a 47-minute stage takes 47 real seconds at speed 60. What the simulator
//! *writes* (conditions, `preflight.observedAt`, history, creation times of what a client
//! creates) is that simulated time mapped onto the wall clock by a [`Timeline`]: simulated
//! durations are compressed by `speed` on both sides of the start (a request a scenario made
//! "300 simulated seconds" before the start is written 5 s before it at speed 60), so every
//! duration a client reads from written times — a running upgrade's elapsed time, a finished
//! one's length — agrees with the speed, and written times never run ahead of the wall clock.
//! Dates a scenario gives as such (its history 20 days ago, creation times) are written as
//! they are; their durations come from the speed too ([`Timeline::written_secs`]). The clock
//! starts at a fixed instant (reproducible output) and only moves when the controller
//! advances it or a test sets it.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// The default start of simulated time: 2026-11-23T08:00:00Z.
pub fn default_start() -> Timestamp {
    Timestamp::from_second(1_795_420_800).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// How simulated instants map onto the times the simulator writes (the wall clock).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeline {
    /// The start: up to it, simulated and written times are the same.
    pub anchor: Timestamp,
    /// Simulated seconds per written second after the anchor (`1`, `0` or less: the same).
    pub speed: f64,
}

impl Timeline {
    /// Simulated time is written as it is (unit tests of the controller).
    pub fn identity(anchor: Timestamp) -> Timeline {
        Timeline { anchor, speed: 1.0 }
    }

    fn scales(&self) -> bool {
        self.speed.is_finite() && self.speed > 0.0 && self.speed != 1.0
    }

    /// The written (wall-clock) time of a simulated instant: `anchor + (sim − anchor) / speed`,
    /// before the anchor as after it.
    pub fn wall(&self, sim: Timestamp) -> Timestamp {
        if !self.scales() {
            return sim;
        }
        let offset = sim.duration_since(self.anchor).as_secs_f64();
        plus(self.anchor, offset / self.speed)
    }

    /// The simulated instant of a written time (the inverse of [`Timeline::wall`]).
    pub fn sim(&self, wall: Timestamp) -> Timestamp {
        if !self.scales() {
            return wall;
        }
        let offset = wall.duration_since(self.anchor).as_secs_f64();
        plus(self.anchor, offset * self.speed)
    }

    /// How long `sim_secs` simulated seconds last in written time (the length of a seeded
    /// history entry whose upgrade took that long).
    pub fn written_secs(&self, sim_secs: f64) -> f64 {
        if self.scales() {
            sim_secs / self.speed
        } else {
            sim_secs
        }
    }
}

/// A shared clock: the simulated instant in milliseconds since the Unix epoch, and the
/// [`Timeline`] that maps it onto written times.
#[derive(Debug)]
pub struct SimClock {
    millis: AtomicI64,
    timeline: Timeline,
}

impl SimClock {
    /// A clock at `start` whose simulated time is written as it is (speed 1).
    pub fn new(start: Timestamp) -> SimClock {
        SimClock::with_speed(start, 1.0)
    }

    /// A clock at `start` whose simulated time after `start` runs `speed` times faster than
    /// the times it writes.
    pub fn with_speed(start: Timestamp, speed: f64) -> SimClock {
        SimClock {
            millis: AtomicI64::new(start.as_millisecond()),
            timeline: Timeline {
                anchor: start,
                speed,
            },
        }
    }

    /// Now, as the simulator writes it (creation times, ages, every status field).
    pub fn now(&self) -> Timestamp {
        self.timeline.wall(self.sim_now())
    }

    /// The controller's simulated instant.
    pub fn sim_now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.millis.load(Ordering::SeqCst))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub fn timeline(&self) -> Timeline {
        self.timeline
    }

    /// Set the simulated instant.
    pub fn set(&self, t: Timestamp) {
        self.millis.store(t.as_millisecond(), Ordering::SeqCst);
    }

    /// Advance the simulated instant.
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

/// A kubectl-style age (`45s`, `3m12s`, `5h`, `12d`) of `then` seen at `now`, as kubectl's
/// `HumanDuration` picks the units: seconds under 2 minutes, minutes (and seconds under 10
/// minutes), hours (and minutes under 8 hours), days (and hours under 8 days), years (and
/// days under 8 years). The span is truncated to those units and written by jiff's friendly
/// printer (`3m12s`).
pub fn human_age(then: Timestamp, now: Timestamp) -> String {
    use jiff::fmt::friendly::{Designator, Spacing, SpanPrinter};
    use jiff::{RoundMode, Span, SpanRound, Unit};
    static PRINTER: SpanPrinter = SpanPrinter::new()
        .designator(Designator::Compact)
        .spacing(Spacing::None);
    const MINUTE: i64 = 60;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;
    const YEAR: i64 = 365 * DAY;
    let secs = (now.as_second() - then.as_second()).max(0);
    let (largest, smallest) = match secs {
        s if s < 2 * MINUTE => (Unit::Second, Unit::Second),
        s if s < 10 * MINUTE => (Unit::Minute, Unit::Second),
        s if s < 3 * HOUR => (Unit::Minute, Unit::Minute),
        s if s < 8 * HOUR => (Unit::Hour, Unit::Minute),
        s if s < 2 * DAY => (Unit::Hour, Unit::Hour),
        s if s < 8 * DAY => (Unit::Day, Unit::Hour),
        _ => (Unit::Day, Unit::Day),
    };
    let round = SpanRound::new()
        .largest(largest)
        .smallest(smallest)
        .mode(RoundMode::Trunc)
        .days_are_24_hours();
    let span = Span::new().seconds(secs).round(round).unwrap_or_default();
    if secs >= 2 * YEAR {
        // Years of 365 days, as kubectl counts them (a calendar year needs a date).
        let (years, days) = (secs / YEAR, (secs % YEAR) / DAY);
        let span = Span::new()
            .years(years)
            .days(if years < 8 { days } else { 0 });
        return PRINTER.span_to_string(&span);
    }
    PRINTER.span_to_string(&span)
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
    fn timeline_compresses_after_the_start_only() {
        let start = default_start();
        let tl = Timeline {
            anchor: start,
            speed: 60.0,
        };
        // Simulated durations are compressed before the start too: a request made a
        // simulated hour before it is written a minute before it.
        assert_eq!(tl.wall(plus(start, -3600.0)), plus(start, -60.0));
        assert_eq!(tl.sim(plus(start, -60.0)), plus(start, -3600.0));
        assert_eq!(tl.written_secs(445.0), 445.0 / 60.0);
        assert_eq!(Timeline::identity(start).written_secs(445.0), 445.0);
        // A 47-minute stage after the start takes 47 written seconds.
        assert_eq!(tl.wall(plus(start, 47.0 * 60.0)), plus(start, 47.0));
        assert_eq!(tl.sim(plus(start, 47.0)), plus(start, 47.0 * 60.0));
        assert_eq!(
            Timeline::identity(start).wall(plus(start, 90.0)),
            plus(start, 90.0)
        );
        let frozen = Timeline {
            anchor: start,
            speed: 0.0,
        };
        assert_eq!(frozen.wall(plus(start, 5.0)), plus(start, 5.0));
        let clock = SimClock::with_speed(start, 600.0);
        clock.advance(SignedDuration::from_secs(6000));
        assert_eq!(clock.sim_now(), plus(start, 6000.0));
        assert_eq!(clock.now(), plus(start, 10.0));
    }

    #[test]
    fn ages() {
        let t = default_start();
        assert_eq!(human_age(t, plus(t, 5.0)), "5s");
        assert_eq!(human_age(t, plus(t, 192.0)), "3m12s");
        assert_eq!(human_age(t, plus(t, 3600.0 * 5.0)), "5h");
        assert_eq!(human_age(t, plus(t, 86_400.0 * 12.0)), "12d");
        assert_eq!(human_age(t, plus(t, 119.0)), "119s");
        assert_eq!(human_age(t, plus(t, 120.0)), "2m");
        assert_eq!(human_age(t, plus(t, 9.0 * 60.0 + 59.0)), "9m59s");
        assert_eq!(human_age(t, plus(t, 65.0 * 60.0 + 30.0)), "65m");
        assert_eq!(human_age(t, plus(t, 3600.0 * 5.0 + 61.0)), "5h1m");
        assert_eq!(human_age(t, plus(t, 3600.0 * 30.0)), "30h");
        assert_eq!(
            human_age(t, plus(t, 86_400.0 * 3.0 + 3600.0 * 4.0 + 7.0)),
            "3d4h"
        );
        assert_eq!(human_age(t, plus(t, 86_400.0 * 65.0)), "65d");
        assert_eq!(
            human_age(t, plus(t, 86_400.0 * (365.0 * 3.0 + 10.0))),
            "3y10d"
        );
        assert_eq!(human_age(t, plus(t, 86_400.0 * 365.0 * 9.0)), "9y");
        assert_eq!(human_age(plus(t, 5.0), t), "0s", "the future is now");
    }
}
