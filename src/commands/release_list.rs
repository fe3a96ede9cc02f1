//! `ac adm release list`: the ProductManifests on global (one LIST), and which clusters can
//! move to each (one LIST of every cvsh, read page by page into what the list keeps of a
//! cluster); under DR one GET of the standby global's cvsh. Read-only.

use serde_json::Value;

use super::Ctx;
use super::open;
use crate::access::object::pdman_resource;
use crate::cli::ReleaseListArgs;
use crate::domain::cvsh::Cvsh;
use crate::domain::precheck::Fact;
use crate::domain::report::releases::{ClusterOffers, releases_report};
use crate::error::Result;
use crate::render;

pub async fn run(ctx: &Ctx, args: ReleaseListArgs) -> Result<()> {
    let (conn, _) = open(ctx, None).await?;
    let global = conn.session.global_name();
    let mut clusters: Vec<ClusterOffers> = Vec::new();
    let pdman = pdman_resource();
    let (manifests, listed, standby) = tokio::join!(
        conn.list::<Value>(&pdman, None),
        conn.list_cvsh_pages(|page: Vec<Cvsh>| {
            clusters.extend(page.iter().map(ClusterOffers::new))
        }),
        super::precheck::standby(ctx, &conn, args.dr_standby.as_deref())
    );
    let (manifests, standby) = (manifests?, standby?);
    listed?;
    if let Some(Fact::Unknown(why)) = standby.as_ref().map(|s| &s.cvsh) {
        ctx.printer.warn(&format!(
            "DR: the standby global could not be read ({why}): no cluster is shown as able to move"
        ));
    }
    let standby_version = standby.as_ref().map(|s| match &s.cvsh {
        Fact::Read(c) => c.current_version().map(str::to_string),
        Fact::Unknown(_) => None,
    });
    let report = releases_report(
        &manifests,
        &clusters,
        &global,
        standby
            .as_ref()
            .zip(standby_version.as_ref())
            .map(|(s, v)| (s.session.as_str(), v.as_deref())),
        ctx.now,
    );
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::releases::releases(&report, p.color))
    } else {
        p.machine(&report)
    }
}
