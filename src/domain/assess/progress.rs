//! Progress: operations and stages finished, the stage at work, the percentage
//! (`docs/status.md` §2).

use serde::Serialize;

use crate::domain::assess::classify::{PhaseClass, phase_class, stage_done, stages_in_order};
use crate::domain::cvsh::Cvsh;

/// Operations and stages finished so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub ops_done: usize,
    pub ops_total: usize,
    pub ops_running: usize,
    pub ops_failed: usize,
    pub stages_done: usize,
    pub stages_total: usize,
    /// The stage at work: the first `Running` one in priority order, else the first not done
    /// when some are done.
    pub current_stage: Option<String>,
    /// 1-based position of `current_stage` in priority order.
    pub current_stage_number: Option<usize>,
    /// `ops_done × 100 / ops_total` floor-rounded (by stages when no stage lists operations);
    /// `None` when there is nothing to count.
    pub percent: Option<u8>,
}

impl Progress {
    /// Work is under way: an operation runs or failed, or some (not all) stages or operations
    /// are finished. Everything finished reads as "not under way" (a finished run, possibly of
    /// the previous upgrade).
    pub fn under_way(&self) -> bool {
        self.ops_running > 0
            || self.ops_failed > 0
            || (self.stages_done > 0 && self.stages_done < self.stages_total)
            || (self.ops_done > 0 && self.ops_done < self.ops_total)
    }
}

pub fn progress(cvsh: &Cvsh) -> Progress {
    let mut counted = Progress {
        stages_total: cvsh.stages.len(),
        ..Default::default()
    };
    for stage in &cvsh.stages {
        if stage_done(stage) {
            counted.stages_done += 1;
        }
        for operation in &stage.operations {
            counted.ops_total += 1;
            match phase_class(operation.phase.as_deref()) {
                PhaseClass::Done => counted.ops_done += 1,
                PhaseClass::Running => counted.ops_running += 1,
                PhaseClass::Failed => counted.ops_failed += 1,
                _ => {}
            }
        }
    }
    let ordered = stages_in_order(cvsh);
    let running = ordered
        .iter()
        .position(|stage| phase_class(stage.phase.as_deref()) == PhaseClass::Running);
    let some_done = counted.stages_done > 0 && counted.stages_done < counted.stages_total;
    let current = running.or_else(|| {
        some_done
            .then(|| ordered.iter().position(|stage| !stage_done(stage)))
            .flatten()
    });
    if let Some(index) = current {
        counted.current_stage = Some(ordered[index].name.clone());
        counted.current_stage_number = Some(index + 1);
    }
    counted.percent = (counted.ops_done * 100)
        .checked_div(counted.ops_total)
        .or_else(|| (counted.stages_done * 100).checked_div(counted.stages_total))
        .map(|percent| percent.min(100) as u8);
    counted
}
