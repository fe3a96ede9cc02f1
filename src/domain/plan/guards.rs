//! The guards of a request are the pre-checks (`domain::precheck`, SPEC §4 and the guide's
//! prerequisites): whatever `ac adm upgrade precheck` reports as blocking refuses the request,
//! every item listed, nothing written; `--allow-upgrade-with-warnings` goes ahead and names
//! each bypassed item. Warn and unknown items become `warning:` lines. The `target` item is
//! left to the planner (not offered has its own refusal, relaxed only by
//! `--allow-explicit-upgrade`).

use crate::domain::advice::request as advice;
use crate::domain::cvsh::Release;
use crate::domain::plan::{Ask, Observed, Request};
use crate::domain::precheck::{self, Input, Item, Platform, Report, Wanted};
use crate::error::AcError;

/// The pre-check report of this request.
pub(super) fn prechecks(request: &Request, observed: &Observed, platform: &Platform) -> Report {
    let wanted = match &request.ask {
        Ask::Latest => Wanted::Latest,
        Ask::Version(v) => Wanted::Version(v.clone()),
        Ask::Image(i) => Wanted::Image(i.clone()),
        Ask::Clear => Wanted::Unspecified,
    };
    precheck::run(&Input {
        cluster: observed.cluster,
        cvsh: observed.cvsh,
        global: observed.global,
        wanted,
        allow_explicit: request.allow_explicit,
        platform,
    })
}

fn line(item: &Item) -> String {
    match &item.remedy {
        Some(remedy) => format!("{}: {} ({remedy})", item.check, item.detail),
        None => format!("{}: {}", item.check, item.detail),
    }
}

/// Nothing blocks: fine. Blocking items and no `--allow-upgrade-with-warnings`: a refusal
/// listing every one. With it: each becomes a warning.
pub(super) fn apply(
    report: &Report,
    target: &Release,
    observed: &Observed,
    allow_warnings: bool,
    warnings: &mut Vec<String>,
) -> Result<(), AcError> {
    let judged = |item: &&Item| item.check != "target";
    for caution in report.cautions().filter(judged) {
        warnings.push(line(caution));
    }
    let blocking: Vec<&Item> = report.blocking().filter(judged).collect();
    if blocking.is_empty() {
        return Ok(());
    }
    if allow_warnings {
        for item in blocking {
            warnings.push(format!(
                "{} (bypassed: --allow-upgrade-with-warnings)",
                line(item)
            ));
        }
        return Ok(());
    }
    let n = blocking.len();
    let mut refusal = AcError::refused(format!(
        "{n} pre-check{} block{} the upgrade of cluster {} to {}; nothing was written",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        observed.cluster,
        target.label()
    ));
    for item in blocking {
        refusal = refusal.hint(line(item));
    }
    refusal = refusal.hint(advice::see_prechecks(observed.cluster, target).inline());
    Err(refusal.hint(advice::ALLOW_WARNINGS))
}
