//! The simulated upgrade controller (CVO). Skeleton: filled in by the controller commit.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use super::TICK;
use super::scenario::{OperationFailure, PreflightFailure};
use super::store::Store;

#[derive(Debug, Clone, Default)]
pub struct ControllerConfig {
    pub kubernetes: BTreeMap<String, String>,
    pub preflight_failures: Vec<PreflightFailure>,
    pub operation_failures: Vec<OperationFailure>,
}

pub struct Controller {
    #[allow(dead_code)]
    config: ControllerConfig,
}

/// `(stage, operation)` names of the upgrade plan.
pub fn operation_names() -> Vec<(&'static str, &'static str)> {
    Vec::new()
}

impl Controller {
    pub fn new(config: ControllerConfig) -> Controller {
        Controller { config }
    }

    pub fn step(&mut self, _store: &Store, _now: Timestamp) {}
}

pub async fn run(
    mut controller: Controller,
    store: Arc<Store>,
    speed: f64,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let step =
        SignedDuration::try_from(TICK.mul_f64(speed.max(0.0))).unwrap_or(SignedDuration::ZERO);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        store.clock().advance(step);
        let now = store.clock().now();
        controller.step(&store, now);
    }
}
