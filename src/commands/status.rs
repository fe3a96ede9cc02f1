//! `ac adm upgrade status`: preflight, stages, progress (one GET); `--watch` (watch API);
//! `--all-clusters` (one LIST).

use std::time::Duration;

use serde_json::Value;

use super::follow::{self, Res, Step};
use super::{Ctx, open};
use crate::access::client::Conn;
use crate::access::facts::{self, Clusters, Needs};
use crate::cli::StatusArgs;
use crate::domain::advice;
use crate::domain::advice::Scope;
use crate::domain::assess::{Assessment, WatchOutcome};
use crate::domain::cmdline::Kubectl;
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::Fact;
use crate::domain::precheck;
use crate::domain::report::fleet::{FleetEntry, FleetPlatform, fleet_report_of};
use crate::domain::report::status::{StatusInput, StatusReport, status_report, watch_event};
use crate::domain::rules::tier::GlobalTier;
use crate::error::{AcError, ErrorKind, Result};
use crate::output::{Printer, terminal};
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
        return watch(ctx, conn, &t.cluster, a.timeout, false).await;
    }
    // What the cluster's next move's pre-checks read (the screen suggests a request only when
    // they pass), which is also what the remedies of failed preflight checks name.
    let needs = Needs::guard(&t.cluster, t.is_global, dr_standby);
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
    let needs = Needs {
        clusters: Clusters::All,
        standby: dr_standby,
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

/// `ac adm upgrade --to… --wait`: follow the request just written.
pub async fn watch_upgrade(ctx: &Ctx, conn: Conn, cluster: &str, timeout: Duration) -> Result<()> {
    watch(ctx, conn, cluster, timeout, true).await
}

/// Follow a cluster's upgrade: exit 0 at the desired version, 5 when it fails, 4 at the timeout.
/// (The watch line and frame are compact: `--verbose` changes nothing there.)
async fn watch(
    ctx: &Ctx,
    conn: Conn,
    cluster: &str,
    timeout: Duration,
    just_requested: bool,
) -> Result<()> {
    let printer = ctx.printer.clone();
    let global_name = conn.session.global_name();
    let kubectl_context = conn
        .session
        .kubectl_context_for_global()
        .map(str::to_string);
    // Disabled checks, read once: the watch says they are skipped.
    let needs = Needs {
        disabled_checks: true,
        ..Needs::none()
    };
    let platform = facts::gather(&conn, &ctx.access, ctx.diagnostics(), &needs)
        .await?
        .platform;
    let tier = GlobalTier::new(global_name.clone(), None, None);
    let target = super::Target {
        is_global: tier.is_global(cluster),
        cluster: cluster.to_string(),
        from_context: None,
    };
    let mut screen = WatchScreen {
        frames: printer.is_text() && printer.stdout_tty,
        ..WatchScreen::default()
    };
    let mut first = true;
    // A preflight block already there when the watch starts (typically just resolved): the
    // preflight run it comes from; the watch waits for the controller's next run before it
    // calls the block a failure.
    let mut block_at_start: Option<Option<String>> = None;
    let what = format!("the upgrade of cluster {cluster}");
    let res = follow::follow(
        &ctx.printer,
        conn,
        Res::Cvsh,
        cluster,
        timeout,
        &what,
        |raw: &Value| {
            let cvsh = Cvsh::from_value(raw);
            let now = super::now_from_env().unwrap_or(ctx.now);
            let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
            let report = status_report(&StatusInput {
                cvsh: &cvsh,
                object: raw,
                now,
                note: None,
                scope: Scope {
                    cluster: &target.cluster,
                    tier: &tier,
                    kubectl: Kubectl::through(kubectl_context.as_deref()),
                },
                platform: &platform,
                next: None,
            });
            let assessment = report.assessment;
            let outcome = report.outcome.clone();
            if let Err(e) = screen.show(&printer, report) {
                return Step::Done(Err(e));
            }
            let was_first = first;
            first = false;
            // Before the request was even seen by the controller, an old outcome says nothing.
            if just_requested && cvsh.is_stale() {
                return Step::Continue;
            }
            if was_first && !just_requested && assessment == Assessment::Idle {
                return Step::Done(Ok(None));
            }
            let preflight_run = cvsh.preflight.as_ref().and_then(|p| p.observed_at.clone());
            if was_first && !just_requested && assessment == Assessment::BlockedByPreflight {
                printer.info(&format!(
                    "preflight blocks cluster {cluster} (run {}); waiting for the controller to run it again",
                    preflight_run.as_deref().unwrap_or("at an unknown time")
                ));
                block_at_start = Some(preflight_run);
                return Step::Continue;
            }
            if let Some(run) = &block_at_start {
                if assessment == Assessment::BlockedByPreflight && *run == preflight_run {
                    return Step::Continue;
                }
                block_at_start = None;
            }
            match outcome {
                Some(WatchOutcome::Succeeded) => Step::Done(Ok(Some(
                    cvsh.current
                        .as_ref()
                        .map(|release| release.label())
                        .unwrap_or_default(),
                ))),
                Some(WatchOutcome::Failed(reason)) => Step::Done(Err(AcError::new(
                    ErrorKind::UpgradeFailed,
                    format!("the upgrade of cluster {cluster} failed: {reason}"),
                )
                .hint(advice::request::details_of_failure(cluster).inline()))),
                None => Step::Continue,
            }
        },
    )
    .await;
    if screen.frame_lines > 0 {
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

/// What a watch has printed so far: the last line (a line is printed only when it changes) or
/// the height of the frame (redrawn in place on a terminal).
#[derive(Default)]
struct WatchScreen {
    /// Text on a terminal: a frame redrawn in place.
    frames: bool,
    last_line: String,
    frame_lines: usize,
}

impl WatchScreen {
    /// One event: a JSON document, a frame, or a line when it differs from the last one.
    fn show(&mut self, printer: &Printer, report: StatusReport) -> Result<()> {
        if !printer.is_text() {
            return printer.json_line(&watch_event(report));
        }
        if self.frames {
            let columns = terminal::columns().saturating_sub(1);
            let frame = status::watch_frame(&report, columns, printer.color);
            let drawn = terminal::redraw(self.frame_lines, &frame);
            self.frame_lines = frame.lines().count();
            return printer.out(&drawn);
        }
        let line = status::watch_line(&report, printer.color);
        if line == self.last_line {
            return Ok(());
        }
        printer.out(&format!("{line}\n"))?;
        self.last_line = line;
        Ok(())
    }
}
