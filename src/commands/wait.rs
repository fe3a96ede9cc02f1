//! Waiting, for every command that waits: `ac adm upgrade --to… --wait` (the request just
//! written, or the one already there), `ac adm upgrade status --watch`, and
//! `ac adm release import-manifest --wait`. What is followed and how it is recovered is the
//! access layer's (`access::watch`); here: when a wait ends and with which exit code, what is
//! printed per change (a line, a frame redrawn in place on a terminal, or a JSON document),
//! and the deadline (`--timeout`, exit 4) and Ctrl-C (exit 130) around it all.

use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Ctx;
use crate::access::client::Conn;
use crate::access::facts::{self, Needs};
use crate::access::watch::{ObjectWatch, Seen};
use crate::domain::advice;
use crate::domain::advice::Scope;
use crate::domain::assess::{Assessment, WatchOutcome};
use crate::domain::cmdline::Kubectl;
use crate::domain::cvsh::{Cvsh, ProductManifest};
use crate::domain::report::status::{StatusInput, StatusReport, status_report, watch_event};
use crate::domain::rules::tier::GlobalTier;
use crate::error::{AcError, ErrorKind, Result};
use crate::output::{Printer, terminal};
use crate::render::status;

/// How the wait of an upgrade starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// `--wait` after writing the request: until the controller has seen it, what the status
    /// says is about the past.
    AfterRequest,
    /// `status --watch`, or `--wait` on the request that was already there: the status is
    /// judged as it is (nothing to follow on an idle cluster; a preflight block already there
    /// waits for the controller's next run).
    AsItIs,
}

/// Follow the upgrade of `cluster` until it reaches its target (exit 0), fails (exit 5), the
/// `timeout` passes (exit 4) or Ctrl-C (exit 130). One line per change, a frame on a
/// terminal, or one JSON document per change with `-o json`.
pub async fn upgrade(
    ctx: &Ctx,
    conn: Conn,
    cluster: &str,
    timeout: Duration,
    start: Start,
) -> Result<()> {
    let deadline = Instant::now() + timeout;
    let what = format!("the upgrade of cluster {cluster}");
    let mut screen = WatchScreen::new(&ctx.printer);
    let body = follow_upgrade(ctx, conn, cluster, start, &mut screen);
    let res = with_deadline_and_interrupt(body, deadline, timeout, &what).await;
    if screen.frame_lines > 0 {
        let _ = ctx.printer.out("\n");
    }
    match res? {
        Some(version) => {
            if ctx.printer.is_text() {
                ctx.printer
                    .out(&format!("Cluster {cluster} reached {version}.\n"))?;
            }
            Ok(())
        }
        None => {
            ctx.printer.info(&format!(
                "nothing to watch: cluster {cluster} has no upgrade requested or running"
            ));
            Ok(())
        }
    }
}

/// The body of [`upgrade`]: `Some(version)` reached, `None` nothing to watch.
async fn follow_upgrade(
    ctx: &Ctx,
    conn: Conn,
    cluster: &str,
    start: Start,
    screen: &mut WatchScreen,
) -> Result<Option<String>> {
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
    // The watch follows a request; it suggests none (no next move is judged).
    let tier = GlobalTier::new(global_name.clone(), None, None);
    let mut judge = Judge::new(cluster, start, &ctx.printer);
    let mut watch = conn.watch_cvsh(cluster);
    let mut first = true;
    loop {
        let raw = match watch.next().await? {
            Seen::Object(raw) => raw,
            // Not in the first LIST: the object's own GET says why (its 404 names the
            // cluster and how to list the clusters).
            Seen::Missing if first => conn.get_cvsh(cluster).await?,
            Seen::Missing | Seen::Deleted => {
                return Err(AcError::api(format!(
                    "the ClusterVersionShadow of cluster {cluster} was deleted while watching it"
                )));
            }
        };
        first = false;
        let cvsh = Cvsh::from_value(&raw);
        let now = super::now_from_env().unwrap_or(ctx.now);
        let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
        let report = status_report(&StatusInput {
            cvsh: &cvsh,
            object: &raw,
            now,
            note: None,
            scope: Scope {
                cluster,
                tier: &tier,
                kubectl: Kubectl::through(kubectl_context.as_deref()),
            },
            platform: &platform,
            next: None,
        });
        let (assessment, outcome) = (report.assessment, report.outcome.clone());
        screen.show(&ctx.printer, report)?;
        if let Some(done) = judge.judge(&cvsh, assessment, outcome) {
            return done;
        }
    }
}

/// When the wait of an upgrade ends, change by change.
struct Judge<'a> {
    cluster: &'a str,
    start: Start,
    printer: &'a Printer,
    first: bool,
    /// A preflight block already there when the watch started (typically just resolved): the
    /// preflight run it comes from; the watch waits for the controller's next run before it
    /// calls the block a failure.
    block_at_start: Option<Option<String>>,
}

impl<'a> Judge<'a> {
    fn new(cluster: &'a str, start: Start, printer: &'a Printer) -> Judge<'a> {
        Judge {
            cluster,
            start,
            printer,
            first: true,
            block_at_start: None,
        }
    }

    /// `None`: go on. `Some(Ok(Some(v)))` reached v; `Some(Ok(None))` nothing to watch.
    fn judge(
        &mut self,
        cvsh: &Cvsh,
        assessment: Assessment,
        outcome: Option<WatchOutcome>,
    ) -> Option<Result<Option<String>>> {
        let was_first = std::mem::replace(&mut self.first, false);
        let as_it_is = self.start == Start::AsItIs;
        // Before the request was even seen by the controller, an old outcome says nothing.
        if !as_it_is && cvsh.is_stale() {
            return None;
        }
        if was_first && as_it_is && assessment == Assessment::Idle {
            return Some(Ok(None));
        }
        let preflight_run = cvsh.preflight.as_ref().and_then(|p| p.observed_at.clone());
        if was_first && as_it_is && assessment == Assessment::BlockedByPreflight {
            self.printer.info(&format!(
                "preflight blocks cluster {} (run {}); waiting for the controller to run it again",
                self.cluster,
                preflight_run.as_deref().unwrap_or("at an unknown time")
            ));
            self.block_at_start = Some(preflight_run);
            return None;
        }
        if let Some(run) = &self.block_at_start {
            if assessment == Assessment::BlockedByPreflight && *run == preflight_run {
                return None;
            }
            self.block_at_start = None;
        }
        match outcome? {
            WatchOutcome::Succeeded => Some(Ok(Some(
                cvsh.current
                    .as_ref()
                    .map(|release| release.label())
                    .unwrap_or_default(),
            ))),
            WatchOutcome::Failed(reason) => Some(Err(AcError::new(
                ErrorKind::UpgradeFailed,
                format!("the upgrade of cluster {} failed: {reason}", self.cluster),
            )
            .hint(advice::request::details_of_failure(self.cluster).inline()))),
        }
    }
}

/// Follow ProductManifest `name` until it is `Ready=True` (`timeout`: exit 4; Ctrl-C: 130).
pub async fn manifest_ready(conn: Conn, name: &str, where_: &str, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    let what = format!("ProductManifest {name}{where_} to become Ready");
    let body = async {
        let mut watch: ObjectWatch = conn.watch_pdman(name);
        loop {
            let object = match watch.next().await? {
                Seen::Object(object) => object,
                Seen::Missing | Seen::Deleted => {
                    return Err(AcError::api(format!(
                        "ProductManifest {name} was deleted while waiting for it"
                    )));
                }
            };
            if ready(&object) {
                return Ok(());
            }
        }
    };
    with_deadline_and_interrupt(body, deadline, timeout, &what).await
}

fn ready(object: &Value) -> bool {
    ProductManifest::from_value(object)
        .ready()
        .is_some_and(|condition| condition.is_true())
}

/// `body`, unless `deadline` passes first (exit 4, naming `what` and `timeout`) or Ctrl-C
/// (exit 130). A zero `timeout` is none (`--timeout=0`, as every duration flag reads it).
pub async fn with_deadline_and_interrupt<T>(
    body: impl Future<Output = Result<T>>,
    deadline: Instant,
    timeout: Duration,
    what: &str,
) -> Result<T> {
    let bounded = async {
        if timeout.is_zero() {
            Ok(body.await)
        } else {
            tokio::time::timeout_at(deadline.into(), body).await
        }
    };
    tokio::select! {
        r = bounded => match r {
            Ok(r) => r,
            Err(_) => Err(AcError::timeout(format!(
                "gave up waiting for {what} after {} (--timeout)",
                crate::duration::format(timeout)
            ))
            .hint("nothing was changed by giving up; raise --timeout or look again later")),
        },
        _ = tokio::signal::ctrl_c() => Err(AcError::new(ErrorKind::Interrupted, "interrupted; nothing was changed by stopping to watch")),
    }
}

/// What a watch has printed so far: the last line (a line is printed only when it changes) or
/// the height of the frame (redrawn in place on a terminal).
struct WatchScreen {
    /// Text on a terminal: a frame redrawn in place.
    frames: bool,
    last_line: String,
    frame_lines: usize,
}

impl WatchScreen {
    fn new(printer: &Printer) -> WatchScreen {
        WatchScreen {
            frames: printer.is_text() && printer.stdout_tty,
            last_line: String::new(),
            frame_lines: 0,
        }
    }

    /// One change: a JSON document, a frame, or a line when it differs from the last one.
    /// (The line and the frame are compact: `--verbose` changes nothing there.)
    fn show(&mut self, printer: &Printer, report: StatusReport) -> Result<()> {
        if !printer.is_text() {
            return printer.json_line(&watch_event(report));
        }
        if self.frames {
            let columns = terminal::columns().saturating_sub(1);
            let frame = status::watch_frame(&report, columns, printer.color);
            let previous = std::mem::replace(&mut self.frame_lines, frame.lines().count());
            return printer.frame(previous, &frame);
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
