//! One order for everything that happens in this process: each change a store commits and
//! each request a server receives takes the next number, so that a test can tell what came
//! first across platforms (a DR pair's two stores) — `LoggedRequest::seq`, `Sim::changes`.

use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(1);

/// The next number of the process-wide order.
pub fn next() -> u64 {
    NEXT.fetch_add(1, Ordering::SeqCst)
}
