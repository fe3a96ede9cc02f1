//! When a watch reconnects: at once after a healthy stream, else after an exponential backoff
//! with jitter and a cap; and whether to resume from the last resourceVersion or re-LIST.
//! Pure (the clock and the randomness are given), so every rule is unit-tested.

use std::time::Duration;

/// The first wait after a failure (before jitter).
pub const BASE: Duration = Duration::from_millis(500);
/// No wait is longer (before jitter).
pub const CAP: Duration = Duration::from_secs(30);
/// A stream that stayed open this long was healthy: the failures before it are forgotten and
/// its end (the server's `timeoutSeconds`, a proxy's idle cut) is followed by an immediate
/// reconnect. A shorter stream counts as a failure, however it ended.
pub const HEALTHY: Duration = Duration::from_secs(30);

/// What the next connection does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// WATCH again from the last resourceVersion seen.
    Resume,
    /// LIST again (the state of everything, and a fresh resourceVersion), then WATCH from the
    /// LIST's resourceVersion.
    Relist,
}

/// Consecutive failures, and the wait each one earns.
#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    /// xorshift64 state for the jitter (never zero).
    seed: u64,
}

impl Backoff {
    /// `seed`: any number (zero is replaced); a process uses a random one so that many
    /// clients do not reconnect in step.
    pub fn new(seed: u64) -> Backoff {
        Backoff {
            failures: 0,
            seed: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
        }
    }

    /// A seed that differs between processes (the standard library's random hash keys).
    pub fn random_seed() -> u64 {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    }

    /// Failures since the last healthy stream.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A stream stayed open at least [`HEALTHY`]: start over.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// One more failure: how long to wait before the next attempt, in
    /// `[d/2, d]` where `d = min(CAP, BASE · 2^(failures−1))`.
    pub fn fail(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let ceiling = ceiling(self.failures);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_millis() as u64;
        half + Duration::from_millis(self.next_random() % (spread + 1))
    }

    fn next_random(&mut self) -> u64 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed = x;
        x
    }
}

/// The wait of the `failures`-th failure in a row, before jitter.
pub fn ceiling(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    BASE.saturating_mul(1 << doublings).min(CAP)
}

/// The shortest wait of the `failures`-th failure in a row (jitter never goes below half).
pub fn shortest(failures: u32) -> Duration {
    ceiling(failures) / 2
}

/// After a failure: resume from the last resourceVersion on the first failure in a row; from
/// the second on, re-LIST. A stream cut after each event could otherwise leave the watch
/// replaying old events one reconnect at a time, ever further behind; one LIST brings the state
/// up to date. A lost history (410) always re-lists.
pub fn then(failures: u32, asked: Then) -> Then {
    match asked {
        Then::Resume if failures < 2 => Then::Resume,
        _ => Then::Relist,
    }
}

/// Whether a stream open for `open_for` was healthy.
pub fn healthy(open_for: Duration) -> bool {
    open_for >= HEALTHY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_the_cap_with_jitter_and_reset() {
        let mut backoff = Backoff::new(42);
        let mut previous_ceiling = Duration::ZERO;
        for failure in 1..=40 {
            let wait = backoff.fail();
            let ceiling = ceiling(failure);
            assert!(ceiling >= previous_ceiling && ceiling <= CAP, "{failure}");
            assert!(
                wait >= ceiling / 2 && wait <= ceiling,
                "{failure}: {wait:?} outside [{:?}, {ceiling:?}]",
                ceiling / 2
            );
            previous_ceiling = ceiling;
        }
        assert_eq!(ceiling(1), BASE);
        assert_eq!(ceiling(2), BASE * 2);
        assert_eq!(ceiling(40), CAP);
        assert_eq!(backoff.failures(), 40);
        backoff.reset();
        assert_eq!(backoff.failures(), 0);
        assert!(backoff.fail() <= BASE);
    }

    #[test]
    fn jitter_spreads_clients() {
        let waits: std::collections::BTreeSet<Duration> =
            (1..=50).map(|seed| Backoff::new(seed).fail()).collect();
        assert!(waits.len() > 10, "{waits:?}");
        assert!(Backoff::new(0).fail() <= BASE);
    }

    #[test]
    fn resume_once_then_relist() {
        assert_eq!(then(1, Then::Resume), Then::Resume);
        assert_eq!(then(2, Then::Resume), Then::Relist);
        assert_eq!(then(1, Then::Relist), Then::Relist);
        assert!(healthy(HEALTHY) && !healthy(HEALTHY - Duration::from_millis(1)));
    }

    #[test]
    fn shortest_waits_bound_the_attempts() {
        // What the end-to-end tests rely on: n failures in a row take at least this long.
        let total: Duration = (1..=6).map(shortest).sum();
        assert_eq!(
            total,
            Duration::from_millis(250 + 500 + 1000 + 2000 + 4000 + 8000)
        );
    }
}
