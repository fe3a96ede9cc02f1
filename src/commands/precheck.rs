//! `ac adm upgrade precheck`: read what the guide's prerequisites need (`access::facts`, a
//! bounded number of requests whatever the fleet size), judge it (`domain::precheck`), say it
//! (`domain::report::precheck`, the advice layer's words) and render it.

use super::{Ctx, open};
use crate::access::facts::Needs;
use crate::cli::PrecheckArgs;
use crate::domain::precheck::{self, Input, Wanted};
use crate::domain::report::precheck::precheck_report;
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render::precheck as render;

pub async fn run(
    ctx: &Ctx,
    cluster: Option<&str>,
    dr_standby: Option<&str>,
    args: PrecheckArgs,
) -> Result<()> {
    if args.all_clusters {
        if cluster.is_some() {
            return Err(AcError::usage(
                "--all-clusters cannot be combined with --cluster",
            ));
        }
        return super::rollout::precheck_all(ctx, dr_standby, &args).await;
    }
    let wanted = wanted(&args)?;
    let (conn, target) = open(ctx, cluster).await?;
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let needs = Needs::guard(
        &target.cluster,
        target.is_global,
        dr.as_ref().map(|dr| dr.session()),
    );
    let gathered = super::gather(ctx, &conn, &target, &needs).await?;
    let tier = gathered.tier(&conn.session.global_name());
    let cvsh = gathered.cvsh.clone().unwrap_or_default();
    let judgement = precheck::run(&Input {
        cluster: &target.cluster,
        cvsh: &cvsh,
        tier: &tier,
        wanted: &wanted,
        allow_explicit: false,
        platform: &gathered.platform,
    });
    let report = precheck_report(&judgement, &super::scope(&conn, &target, &tier));
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::report(&report, p.color))?;
    } else {
        p.machine(&report)?;
    }
    if report.blocked {
        let n = report.blocking().count();
        return Err(AcError::refused(format!(
            "{n} pre-check{} block{} an upgrade of cluster {}{}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            report.cluster,
            report
                .target
                .as_ref()
                .map(|t| format!(" to {}", t.label()))
                .unwrap_or_default()
        )));
    }
    Ok(())
}

fn wanted(a: &PrecheckArgs) -> Result<Wanted> {
    Ok(if a.to_latest {
        Wanted::Latest
    } else if let Some(v) = &a.to {
        Wanted::Version(version::normalize(v).map_err(|e| AcError::usage(format!("--to: {e}")))?)
    } else if let Some(i) = &a.to_image {
        Wanted::Image(
            version::validate_image(i).map_err(|e| AcError::usage(format!("--to-image: {e}")))?,
        )
    } else {
        Wanted::Unspecified
    })
}
