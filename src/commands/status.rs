//! `ac adm upgrade status`: preflight, stages, progress (one GET); `--watch` (the wait of
//! [`super::wait`]); `--all-clusters` (one LIST).

use super::wait::{self, Start};
use super::{Ctx, open};
use crate::cli::StatusArgs;
use crate::domain::cvsh::Cvsh;
use crate::domain::precheck::Fact;
use crate::domain::report::fleet::{FleetEntry, FleetPlatform, fleet_report_of};
use crate::domain::report::status::{StatusInput, status_report};
use crate::domain::sequencing::Global;
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
    let global_name = conn.session.global_name();
    let raw = conn.get_cvsh(&t.cluster).await?;
    let c = Cvsh::from_value(&raw);
    let (platform, standby) = tokio::join!(
        super::precheck::for_status(&conn, &c),
        super::precheck::standby(ctx, &conn, dr_standby)
    );
    let (platform, note) = (
        platform?,
        standby?.as_ref().map(super::precheck::standby_note),
    );
    let report = status_report(&StatusInput {
        cvsh: &c,
        object: &raw,
        now: ctx.now,
        note: note.as_deref(),
        platform: &platform,
        global: Global::new(&global_name, None).through(conn.session.kubectl_context_for_global()),
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
    let (list, clusters, standby) = tokio::join!(
        conn.list_cvsh_pages(|page: Vec<Cvsh>| {
            entries.extend(
                page.iter()
                    .map(|cvsh| FleetEntry::new(cvsh, ctx.now, &global_name)),
            )
        }),
        super::precheck::read_clusters(&conn, None),
        super::precheck::standby(ctx, &conn, dr_standby)
    );
    list?;
    let (clusters, standby) = (clusters?, standby?);
    let platform = FleetPlatform {
        // No Cluster objects at all says nothing about Kubernetes versions: no column.
        kubernetes: match &clusters {
            Fact::Read(list) if !list.is_empty() => Some(list.as_slice()),
            _ => None,
        },
        standby: standby.as_ref().map(|s| {
            (
                s.session.as_str(),
                match &s.cvsh {
                    Fact::Read(cvsh) => Some(cvsh),
                    Fact::Unknown(_) => None,
                },
            )
        }),
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
