//! `ac adm release list`: the ProductManifests on global (one LIST), and which clusters can
//! move to each (every cluster's version and offers: one LIST of every cvsh, read page by page
//! into what the list keeps of a cluster); under DR one GET of the standby global's cvsh.
//! Read-only.

use serde_json::Value;

use super::Ctx;
use super::open;
use crate::access::facts::{self, Needs};
use crate::access::object::pdman_resource;
use crate::cli::ReleaseListArgs;
use crate::domain::facts::Fact;
use crate::domain::report::releases::releases_report;
use crate::error::Result;
use crate::render;

pub async fn run(ctx: &Ctx, args: ReleaseListArgs) -> Result<()> {
    let (conn, _) = open(ctx, None).await?;
    let dr = super::dr::resolve(ctx, args.dr_standby.as_deref(), &conn.session);
    let needs = Needs {
        versions: true,
        standby: dr.as_ref().map(|dr| dr.session()),
        ..Needs::none()
    };
    let pdman = pdman_resource();
    let (manifests, gathered) = tokio::join!(
        conn.list::<Value>(&pdman, None),
        facts::gather(&conn, &ctx.access, ctx.diagnostics(), &needs)
    );
    let (manifests, gathered) = (manifests?, gathered?);
    if let Some(Fact::Unknown(why)) = gathered.platform.standby.as_ref().map(|s| &s.cvsh) {
        ctx.printer.warn(&format!(
            "DR: the standby global could not be read ({why}): no cluster is shown as able to move"
        ));
    }
    let tier = gathered.tier(&conn.session.global_name());
    let clusters = match &gathered.platform.versions {
        Some(Fact::Read(all)) => all.as_slice(),
        _ => &[],
    };
    let report = releases_report(&manifests, clusters, &tier, ctx.now);
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::releases::releases(&report, p.color))
    } else {
        p.machine(&report)
    }
}
