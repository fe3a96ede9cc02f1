//! `ac adm upgrade status`: preflight, stages, progress (one GET); `--watch` (the wait of
//! [`super::wait`]); `--all-clusters` (one LIST).

use super::wait::{self, Start};
use super::{Ctx, open};
use crate::access::facts::{self, Clusters, Needs};
use crate::cli::StatusArgs;
use crate::domain::advice;
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::Fact;
use crate::domain::precheck;
use crate::domain::report::fleet::{FleetEntry, FleetPlatform, fleet_report_of};
use crate::domain::report::status::{StatusInput, status_report};
use crate::error::{AcError, Result};
use crate::render::{fleet, status};

pub async fn run(
    ctx: &Ctx,
    cluster: Option<&str>,
    dr_standby: Option<&str>,
    a: StatusArgs,
) -> Result<()> {
    if a.all_clusters {
        if cluster.is_some() {
            return Err(AcError::usage(
                "--all-clusters cannot be combined with --cluster",
            ));
        }
        return all_clusters(ctx, dr_standby).await;
    }
    let (conn, t) = open(ctx, cluster).await?;
    if a.watch {
        return wait::upgrade(ctx, conn, &t.cluster, a.timeout, Start::AsItIs).await;
    }
    // What the cluster's next move's pre-checks read (the screen suggests a request only when
    // they pass), which is also what the remedies of failed preflight checks name.
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let needs = Needs::guard(&t.cluster, t.is_global, dr.as_ref().map(|dr| dr.session()));
    let gathered = super::gather(ctx, &conn, &t, &needs).await?;
    let tier = gathered.tier(&conn.session.global_name());
    let (raw, c) = (
        gathered.raw.clone().unwrap_or_default(),
        gathered.cvsh.clone().unwrap_or_default(),
    );
    let next = precheck::next_move(&t.cluster, &c, &tier, &gathered.platform);
    let note = tier.standby().map(advice::summary::standby_note);
    let report = status_report(&StatusInput {
        cvsh: &c,
        object: &raw,
        now: ctx.now,
        note: note.as_deref(),
        platform: &gathered.platform,
        scope: super::scope(&conn, &t, &tier),
        next: Some(&next),
    });
    if ctx.printer.is_text() {
        let options = status::Options {
            verbose: a.verbose,
            color: ctx.printer.color,
        };
        ctx.printer.out(&status::screen(&report, &options))
    } else {
        ctx.printer.machine(&report)
    }
}

/// One LIST of every cvsh, one of every Cluster (Kubernetes versions), and under DR the
/// standby global's cvsh: concurrently.
async fn all_clusters(ctx: &Ctx, dr_standby: Option<&str>) -> Result<()> {
    let (conn, _) = open(ctx, None).await?;
    let global_name = conn.session.global_name();
    // Each page straight into views (no JSON tree of 5,000 objects), and each view into the
    // little the fleet keeps of it before the next page is read: memory stays at a page of
    // views, not the whole fleet's.
    let mut entries = Vec::new();
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let needs = Needs {
        clusters: Clusters::All,
        standby: dr.as_ref().map(|dr| dr.session()),
        ..Needs::none()
    };
    let (list, gathered) = tokio::join!(
        conn.list_cvsh_pages(|page: Vec<Cvsh>| {
            entries.extend(
                page.iter()
                    .map(|cvsh| FleetEntry::new(cvsh, ctx.now, &global_name)),
            )
        }),
        facts::gather(&conn, &ctx.access, ctx.diagnostics(), &needs)
    );
    list?;
    let gathered = gathered?;
    let platform = FleetPlatform {
        // No Cluster objects at all says nothing about Kubernetes versions: no column.
        kubernetes: match &gathered.platform.clusters {
            Some(Fact::Read(list)) if !list.is_empty() => Some(list.as_slice()),
            _ => None,
        },
        standby: gathered.platform.standby.as_ref(),
    };
    let report = fleet_report_of(entries, ctx.now, &global_name, platform);
    let printed = if ctx.printer.is_text() {
        ctx.printer.out(&fleet::fleet(&report, ctx.printer.color))
    } else {
        ctx.printer.machine(&report)
    };
    // The process ends here: freeing the rows' strings one by one would only cost time
    // (docs/performance.md).
    std::mem::forget(report);
    printed
}
