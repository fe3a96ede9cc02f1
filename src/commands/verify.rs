//! `ac adm upgrade verify`: one read of the platform (`access::facts::gather`: every cluster's
//! state from the cvsh LIST, or one cluster's; the Cluster objects; `cvo-config`; under DR the
//! standby global's cvsh and `cvo-config`), judged by `domain::verify`, said by the advice layer
//! (`domain::report::verify`) and rendered. Exit 3 when anything is open.

use super::{Ctx, open};
use crate::access::facts::{Clusters, Needs, States};
use crate::cli::VerifyArgs;
use crate::domain::advice::verify::VerifyScope;
use crate::domain::cmdline::{self, Kubectl};
use crate::domain::report::verify::verify_report;
use crate::domain::verify::{self, Input};
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render::verify as render;

pub async fn run(
    ctx: &Ctx,
    cluster: Option<&str>,
    dr_standby: Option<&str>,
    args: VerifyArgs,
) -> Result<()> {
    if args.all_clusters && cluster.is_some() {
        return Err(
            AcError::usage("--all-clusters cannot be combined with --cluster")
                .hint("verify every cluster (the default), or one with --cluster NAME"),
        );
    }
    let to = args
        .to
        .as_deref()
        .map(version::normalize)
        .transpose()
        .map_err(|e| {
            AcError::usage(format!("--to: {e}")).hint(format!(
                "without --to, verify checks the global tier's version: {}",
                cmdline::verify(None, None)
            ))
        })?;
    // Without --cluster: every cluster, whatever the context points at.
    let (conn, target) = open(ctx, cluster).await?;
    let all = cluster.is_none();
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let global_selected = all || target.is_global;
    let needs = Needs {
        states: if all {
            States::All
        } else {
            States::One(&target.cluster)
        },
        global: !all && !target.is_global,
        clusters: match (all, target.is_global) {
            (true, _) => Clusters::All,
            (false, false) => Clusters::One(&target.cluster),
            (false, true) => Clusters::None,
        },
        disabled_checks: true,
        standby: dr.as_ref().map(|dr| dr.session()),
        standby_disabled_checks: global_selected,
        ..Needs::none()
    };
    let gathered = super::gather(ctx, &conn, &target, &needs).await?;
    let tier = gathered.tier(&conn.session.global_name());
    let states = gathered.states.clone().unwrap_or_default();
    let judgement = verify::judge(&Input {
        to: to.as_deref(),
        tier: &tier,
        clusters: &states,
        all,
        platform: &gathered.platform,
    });
    let report = verify_report(
        &judgement,
        &VerifyScope {
            tier: &tier,
            kubectl: Kubectl::through(conn.session.kubectl_context_for_global()),
        },
    );
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::report(&report, p.color))?;
    } else {
        p.machine(&report)?;
    }
    if report.verified {
        Ok(())
    } else {
        Err(AcError::refused(report.refusal.clone()))
    }
}
