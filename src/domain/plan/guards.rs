//! The guards of a request are the pre-checks (`domain::precheck`, SPEC §4 and the guide's
//! prerequisites): whatever `ac adm upgrade precheck` reports as blocking refuses the request,
//! every item listed, nothing written; `--allow-upgrade-with-warnings` goes ahead and names
//! each bypassed item. Warn and unknown items become `warning:` lines. The `target` item is
//! left to the planner (not offered has its own refusal, relaxed only by
//! `--allow-explicit-upgrade`).

use crate::domain::advice::precheck::line;
use crate::domain::advice::request as advice;
use crate::domain::cvsh::Release;
use crate::domain::facts::Platform;
use crate::domain::plan::{Ask, Observed, Request};
use crate::domain::precheck::{self, Check, Input, Item, Judgement, Wanted};
use crate::error::AcError;

/// The pre-checks of this request.
pub(super) fn prechecks(request: &Request, observed: &Observed, platform: &Platform) -> Judgement {
    let wanted = match &request.ask {
        Ask::Latest => Wanted::Latest,
        Ask::Version(v) => Wanted::Version(v.clone()),
        Ask::Image(i) => Wanted::Image(i.clone()),
        Ask::Clear => Wanted::Unspecified,
    };
    precheck::run(&Input {
        cluster: observed.cluster,
        cvsh: observed.cvsh,
        tier: observed.scope.tier,
        wanted: &wanted,
        allow_explicit: request.allow_explicit,
        platform,
    })
}

/// Nothing blocks: fine. Blocking items and no `--allow-upgrade-with-warnings`: a refusal
/// listing every one. With it: each becomes a warning.
pub(super) fn apply(
    report: &Judgement,
    target: &Release,
    observed: &Observed,
    allow_warnings: bool,
    warnings: &mut Vec<String>,
) -> Result<(), AcError> {
    let judged = |item: &&Item| item.check != Check::Target;
    let scope = &observed.scope;
    for caution in report.cautions().filter(judged) {
        warnings.push(line(caution, scope));
    }
    let blocking: Vec<&Item> = report.blocking().filter(judged).collect();
    if blocking.is_empty() {
        return Ok(());
    }
    if allow_warnings {
        for item in blocking {
            warnings.push(format!(
                "{} (bypassed: --allow-upgrade-with-warnings)",
                line(item, scope)
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
        refusal = refusal.hint(line(item, scope));
    }
    refusal = refusal.hint(advice::see_prechecks(observed.cluster, target).inline());
    Err(refusal.hint(advice::ALLOW_WARNINGS))
}
