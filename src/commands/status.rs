//! `ac adm upgrade status`: preflight, stages, progress (one GET); `--watch` (watch API);
//! `--all-clusters` (one LIST).

use std::time::Duration;

use serde_json::Value;

use super::follow::{self, Res, Step};
use super::{Ctx, open};
use crate::access::client::Conn;
use crate::cli::StatusArgs;
use crate::domain::assess::{self, Assessment, WatchOutcome};
use crate::domain::cvsh::Cvsh;
use crate::error::{AcError, ErrorKind, Result};
use crate::render::{fleet, status};

pub async fn run(ctx: &Ctx, cluster: Option<&str>, a: StatusArgs) -> Result<()> {
    if a.all_clusters {
        if cluster.is_some() {
            return Err(AcError::usage(
                "--all-clusters cannot be combined with --cluster",
            ));
        }
        return all_clusters(ctx).await;
    }
    let (conn, t) = open(ctx, cluster).await?;
    if a.watch {
        let n = t.context_note.as_deref().map(note);
        return watch(ctx, conn, &t.cluster, a.timeout, a.verbose, n, false).await;
    }
    let raw = conn.get_cvsh(&t.cluster).await?;
    let c = Cvsh::from_value(&raw);
    let view = status::StatusView {
        cvsh: &c,
        raw: &raw,
        now: ctx.now,
        verbose: a.verbose,
        color: ctx.printer.color,
        cluster_note: t.context_note.as_deref().map(note),
        global_version: None,
    };
    if ctx.printer.is_text() {
        ctx.printer.out(&status::render_status(&view))
    } else {
        ctx.printer.machine(&status::status_json(&view))
    }
}

async fn all_clusters(ctx: &Ctx) -> Result<()> {
    let (conn, _) = open(ctx, None).await?;
    let list = conn.list_cvsh().await?;
    let items: Vec<Cvsh> = list.iter().map(Cvsh::from_value).collect();
    if ctx.printer.is_text() {
        ctx.printer
            .out(&fleet::render_fleet(&items, ctx.now, ctx.printer.color))
    } else {
        ctx.printer.machine(&fleet::fleet_json(&items, ctx.now))
    }
}

/// `ac adm upgrade --to… --wait`: follow the request just written.
pub async fn watch_upgrade(ctx: &Ctx, conn: Conn, cluster: &str, timeout: Duration) -> Result<()> {
    watch(ctx, conn, cluster, timeout, false, None, true).await
}

/// Follow a cluster's upgrade: exit 0 at the desired version, 5 when it fails, 4 at the timeout.
async fn watch(
    ctx: &Ctx,
    conn: Conn,
    cluster: &str,
    timeout: Duration,
    verbose: bool,
    note: Option<String>,
    just_requested: bool,
) -> Result<()> {
    let p = ctx.printer.clone();
    let tty_frames = p.is_text() && p.stdout_tty;
    let mut last_line = String::new();
    let mut frame_lines = 0usize;
    let mut first = true;
    let what = format!("the upgrade of cluster {cluster}");
    let res = follow::follow(
        &ctx.printer,
        conn,
        Res::Cvsh,
        cluster,
        timeout,
        &what,
        |raw: &Value| {
            let c = Cvsh::from_value(raw);
            let now = super::now_from_env().unwrap_or(ctx.now);
            let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
            let view = status::StatusView {
                cvsh: &c,
                raw,
                now,
                verbose,
                color: p.color,
                cluster_note: note.clone(),
                global_version: None,
            };
            let shown = if !p.is_text() {
                p.json_line(&status::watch_event_json(&view))
            } else if tty_frames {
                let width = terminal_width().saturating_sub(1);
                let frame = status::render_watch_frame(&view, width);
                let clear = if frame_lines > 0 {
                    format!("\x1b[{frame_lines}A\x1b[J")
                } else {
                    String::new()
                };
                frame_lines = frame.lines().count();
                p.out(&format!("{clear}{frame}"))
            } else {
                let line = status::render_watch_line(&view);
                if line != last_line {
                    last_line = line.clone();
                    p.out(&format!("{line}\n"))
                } else {
                    Ok(())
                }
            };
            if let Err(e) = shown {
                return Step::Done(Err(e));
            }
            let was_first = first;
            first = false;
            // Before the request was even seen by the controller, an old outcome says nothing.
            if just_requested && c.is_stale() {
                return Step::Continue;
            }
            if was_first && !just_requested && assess::assess(&c, now) == Assessment::Idle {
                return Step::Done(Ok(None));
            }
            match assess::watch_outcome(&c) {
                Some(WatchOutcome::Succeeded) => Step::Done(Ok(Some(
                    c.current.as_ref().map(|r| r.label()).unwrap_or_default(),
                ))),
                Some(WatchOutcome::Failed(reason)) => Step::Done(Err(AcError::new(
                    ErrorKind::UpgradeFailed,
                    format!("the upgrade of cluster {cluster} failed: {reason}"),
                )
                .hint(format!(
                    "see the details: ac adm upgrade status --cluster={cluster} --verbose"
                )))),
                None => Step::Continue,
            }
        },
    )
    .await;
    if tty_frames && frame_lines > 0 {
        let _ = ctx.printer.out("\n");
    }
    match res {
        Ok(Some(version)) => {
            if ctx.printer.is_text() {
                ctx.printer
                    .out(&format!("Cluster {cluster} reached {version}.\n"))?;
            }
            Ok(())
        }
        Ok(None) => {
            ctx.printer.info(&format!(
                "nothing to watch: cluster {cluster} has no upgrade requested or running"
            ));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn note(text: &str) -> String {
    format!("Note: {text}.")
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
