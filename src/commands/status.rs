//! `ac adm upgrade status`: preflight, stages, progress; `--watch`; `--all-clusters`.

use std::time::Duration;

use serde_json::Value;

use super::Ctx;
use super::follow::{self, Res, Step};
use crate::access::client::Conn;
use crate::cli::StatusArgs;
use crate::domain::cvsh::{Cvsh, Release};
use crate::error::{AcError, ErrorKind, Result};

pub async fn run(_ctx: &Ctx, _cluster: Option<&str>, _a: StatusArgs) -> Result<()> {
    Err(AcError::usage("status: work in progress"))
}

/// Watch a cluster's upgrade until it completes (0), fails (5) or times out (4).
pub async fn watch_upgrade(
    ctx: &Ctx,
    conn: Conn,
    cluster: &str,
    timeout: Duration,
    want: Option<Release>,
) -> Result<()> {
    let p = ctx.printer.clone();
    let what = format!("the upgrade of cluster {cluster}");
    let mut last = String::new();
    follow::follow(
        &ctx.printer,
        conn,
        Res::Cvsh,
        cluster,
        timeout,
        &what,
        |o: &Value| {
            let c = Cvsh::from_value(o);
            let line = format!(
                "{} current={} desired={}",
                cluster,
                c.current.as_ref().map(|r| r.label()).unwrap_or_default(),
                c.desired.as_ref().map(|r| r.label()).unwrap_or_default()
            );
            if line != last {
                let _ = p.out(&format!("{line}\n"));
                last = line;
            }
            if c.condition_true("Stalled") || c.condition_true("Degraded") {
                return Step::Done(Err(AcError::new(
                    ErrorKind::UpgradeFailed,
                    format!("the upgrade of cluster {cluster} is stalled"),
                )));
            }
            let at = match (&want, &c.current) {
                (Some(w), Some(cur)) => cur.same_as(w),
                _ => false,
            };
            if at && c.condition_true("Ready") && !c.is_stale() {
                return Step::Done(Ok(()));
            }
            Step::Continue
        },
    )
    .await
}
