//! `ac adm upgrade rollout`: a whole platform to one version (`docs/rollout.md`). The command
//! reads the platform once to plan (`access::facts` and one paged LIST of every cvsh, each
//! cluster judged by its pre-checks and kept as a few fields), then drives the pure scheduler
//! (`domain::rollout::scheduler`) with one LIST + one WATCH of the cvsh collection (and under DR
//! one watch of the standby global): every watch event, request answer, tick and Ctrl-C is an
//! event; every action (start a cluster: its pre-checks, then the same guarded merge patch as
//! `ac adm upgrade`; re-read the canary) is carried out here. Nothing is kept locally: a rerun
//! reads the clusters again and resumes.
//!
//! `ac adm upgrade precheck --all-clusters --to=V` is the plan without its order: the same read
//! and judgement, one row per cluster.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::{Ctx, open};
use crate::access::client::Conn;
use crate::access::facts::{self, Clusters, Gathered, Needs};
use crate::access::watch::{Event as WatchEvent, ObjectWatch, Seen as WatchSeen, Watcher};
use crate::cli::{Parallel, PrecheckArgs, RolloutArgs};
use crate::domain::advice::Scope;
use crate::domain::advice::precheck::explain;
use crate::domain::advice::rollout::View;
use crate::domain::cmdline::{self, Kubectl};
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::{ClusterVersion, Fact, Platform};
use crate::domain::plan::{self, Ask, Decision, Observed, Request};
use crate::domain::precheck::{self, Input, Item, Judgement, Wanted};
use crate::domain::report::rollout::{RolloutReport, rollout_report};
use crate::domain::rollout::scheduler::{Action, Event, Limits, Outcome, Rollout, Slot};
use crate::domain::rollout::select::Selection;
use crate::domain::rollout::{Blocker, Gate, Role, Seen, gate, initial_state};
use crate::domain::rules::offers::Offers;
use crate::domain::rules::tier::{GlobalTier, StandbyGlobal};
use crate::domain::version;
use crate::error::{AcError, ErrorKind, Result};
use crate::output::terminal;
use crate::render::rollout as render;

/// Platform facts older than this are read again before a cluster starts.
const FACTS_FRESH: Duration = Duration::from_secs(30);

/// How often the live table is redrawn and time-driven rules are checked.
const TICK: Duration = Duration::from_secs(1);

/// The now of the run: `AC_NOW` (tests) advanced by the time that passed, else the clock.
fn now(ctx: &Ctx, began: Instant) -> Timestamp {
    let base = ctx.now.as_second() + began.elapsed().as_secs() as i64;
    Timestamp::from_second(base).unwrap_or(ctx.now)
}

/// The standby global's side of a DR pair: its connection and what its pre-checks read.
struct StandbySide {
    conn: Conn,
    /// `<session>/<global>`: its slot's name.
    slot: String,
    global_name: String,
    context: String,
    session: String,
    facts: Gathered,
    read_at: Instant,
}

/// Everything the run needs besides the scheduler.
struct Run<'a> {
    ctx: &'a Ctx,
    conn: Conn,
    target: String,
    global_name: String,
    /// The pre-checks' facts of the primary platform, and when they were read.
    facts: Gathered,
    read_at: Instant,
    standby: Option<StandbySide>,
    dr: Option<super::dr::DrStandby>,
    kubectl_context: Option<String>,
}

fn wanted(target: &str) -> Wanted {
    Wanted::Version(target.to_string())
}

/// A blocking item in words: the rollout's blocker.
fn blocker(item: &Item, scope: &Scope) -> Blocker {
    let explained = explain(item, scope);
    Blocker {
        check: item.check.name(),
        detail: explained.detail,
        remedy: explained.remedy.as_ref().map(|r| r.line()),
    }
}

/// The tier as the rollout knows it now: global's and the standby's last reads.
fn tier_of(rollout: &Rollout, global_name: &str, standby: Option<&StandbySide>) -> GlobalTier {
    let global = rollout
        .get(global_name)
        .and_then(|s| s.seen.current.clone());
    GlobalTier::new(
        global_name,
        global,
        standby.map(|side| StandbyGlobal {
            session: side.session.clone(),
            context: side.context.clone(),
            global_name: side.global_name.clone(),
            version: Fact::Read(rollout.get(&side.slot).and_then(|s| s.seen.current.clone())),
        }),
    )
}

fn limits(args: &RolloutArgs, workloads: usize) -> Limits {
    let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    Limits {
        canary: args.canary,
        soak_seconds: seconds(args.soak),
        window: args
            .max_parallel
            .unwrap_or(Parallel::Count(DEFAULT_WINDOW))
            .window(workloads),
        max_failures: args.max_failures,
        // `0` is none, as every duration flag reads it.
        cluster_timeout_seconds: args.cluster_timeout.filter(|d| !d.is_zero()).map(seconds),
    }
}

/// Clusters upgrading at once after the canary, without `--max-parallel`.
const DEFAULT_WINDOW: usize = 5;

/// The flags of the command line, as the rollout's resume step repeats them.
fn resume_flags(args: &RolloutArgs, dr: Option<&super::dr::DrStandby>) -> Vec<String> {
    let mut flags = Vec::new();
    if !args.clusters.is_empty() {
        flags.push(format!("--clusters={}", args.clusters.join(",")));
    }
    if !args.exclude.is_empty() {
        flags.push(format!("--exclude={}", args.exclude.join(",")));
    }
    if args.canary != 1 {
        flags.push(format!("--canary={}", args.canary));
    }
    if !args.soak.is_zero() {
        flags.push(format!("--soak={}", crate::duration::format(args.soak)));
    }
    match args.max_parallel {
        None => {}
        Some(Parallel::Count(n)) => flags.push(format!("--max-parallel={n}")),
        Some(Parallel::Percent(p)) => flags.push(format!("--max-parallel={p}%")),
    }
    if args.max_failures != 0 {
        flags.push(format!("--max-failures={}", args.max_failures));
    }
    if let Some(t) = args.cluster_timeout {
        flags.push(format!("--cluster-timeout={}", crate::duration::format(t)));
    }
    if let Some(dr) = dr.filter(|dr| dr.from == super::dr::From::Flag) {
        flags.push(format!("--dr-standby={}", dr.session));
    }
    flags
}

pub async fn run(
    ctx: &Ctx,
    cluster: Option<&str>,
    dr_standby: Option<&str>,
    args: RolloutArgs,
) -> Result<()> {
    if cluster.is_some() {
        return Err(AcError::usage(
            "rollout takes --clusters (names and globs), not --cluster",
        ));
    }
    let selection = Selection::new(&args.clusters, &args.exclude).map_err(AcError::usage)?;
    let to = args
        .to
        .as_deref()
        .map(version::normalize)
        .transpose()
        .map_err(|e| AcError::usage(format!("--to: {e}")))?;
    let began = Instant::now();
    let started_at = now(ctx, began);
    let (conn, _) = open(ctx, None).await?;
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let (mut run, rollout) = plan(ctx, conn, dr, &selection, to, args.to_latest, &args).await?;
    let resume = cmdline::rollout(&rollout.target, &resume_flags(&args, run.dr.as_ref()));
    if args.dry_run {
        let report = rollout_report(&rollout, View::Plan, started_at, false, &resume);
        show_final(ctx, &report, &args, true)?;
        return plan_outcome(&report);
    }
    let (rollout, timed_out, failure) = drive(&mut run, rollout, &args, began).await;
    let report = rollout_report(&rollout, View::Run, started_at, timed_out, &resume);
    show_final(ctx, &report, &args, false)?;
    if let Some(e) = failure {
        return Err(e);
    }
    outcome(&report)
}

/// The exit of a plan: 3 when some selected cluster cannot be moved (blocked, not offered,
/// ahead), else 0.
fn plan_outcome(report: &RolloutReport) -> Result<()> {
    let stuck = report.count("blocked") + report.count("not offered") + report.count("ahead");
    if stuck > 0 {
        return Err(AcError::refused(format!(
            "{stuck} of the selected clusters cannot be moved to {} (blocked, not offered, or ahead); each is listed above with its remedy",
            report.target
        )));
    }
    Ok(())
}

/// The exit of a rollout, by its outcome.
fn outcome(report: &RolloutReport) -> Result<()> {
    let t = &report.target;
    if report.timed_out {
        return Err(AcError::timeout(format!(
            "the rollout to {t} did not finish within --timeout; running clusters go on server-side"
        ))
        .hint("run the same command again to follow and resume it"));
    }
    match report.outcome {
        Some(Outcome::AllAtTarget) | None => Ok(()),
        Some(Outcome::Incomplete) => Err(AcError::refused(format!(
            "the rollout to {t} ended with clusters not moved (blocked, not offered, or waiting for a global tier that cannot move); nothing failed"
        ))),
        Some(Outcome::Failed) => Err(AcError::new(
            ErrorKind::UpgradeFailed,
            format!(
                "the rollout to {t} ended with {} failed",
                crate::output::text::plural(report.failures, "cluster", "clusters")
            ),
        )),
        Some(Outcome::Interrupted) => Err(AcError::new(
            ErrorKind::Interrupted,
            "interrupted: no new cluster starts; running clusters go on server-side (run the same command to resume)",
        )),
    }
}

/// The plan: one read of the platform, every cluster judged.
async fn plan<'a>(
    ctx: &'a Ctx,
    conn: Conn,
    dr: Option<super::dr::DrStandby>,
    selection: &Selection,
    to: Option<String>,
    to_latest: bool,
    args: &RolloutArgs,
) -> Result<(Run<'a>, Rollout)> {
    let global_name = conn.session.global_name();
    let needs = Needs {
        cluster: Some(&global_name),
        clusters: Clusters::All,
        machines: true,
        disabled_checks: true,
        resource_patches: true,
        admin_gates: true,
        standby: dr.as_ref().map(|dr| dr.session()),
        ..Needs::none()
    };
    let mut gathered = facts::gather(&conn, &ctx.access, ctx.diagnostics(), &needs).await?;
    let global_cvsh = gathered.cvsh.clone().unwrap_or_default();
    let target = match to {
        Some(v) => v,
        None if to_latest => latest(&global_cvsh)?,
        None => return Err(AcError::usage("give --to=VERSION or --to-latest")),
    };
    let now = ctx.now;
    let kubectl_context = conn
        .session
        .kubectl_context_for_global()
        .map(str::to_string);
    // The standby's own side: a connection, and what its own pre-checks read.
    let standby = match (&dr, &gathered.platform.standby) {
        (Some(dr), Some(read)) => {
            let found = super::dr::connect(ctx, dr).await?;
            let standby_conn = found.conn?;
            let standby_needs = Needs::guard(&found.global_name, true, None);
            let facts = facts::gather(
                &standby_conn,
                &ctx.access,
                ctx.diagnostics(),
                &standby_needs,
            )
            .await?;
            Some(StandbySide {
                conn: standby_conn,
                slot: format!("{}/{}", read.session, found.global_name),
                global_name: found.global_name,
                context: read.context.clone(),
                session: read.session.clone(),
                facts,
                read_at: Instant::now(),
            })
        }
        _ => None,
    };
    let tier = gathered.tier(&global_name);
    // Every cluster: one LIST, page by page; each judged and kept as a slot.
    let mut versions: Vec<ClusterVersion> = Vec::new();
    let mut workloads: Vec<Slot> = Vec::new();
    {
        let platform = &gathered.platform;
        let tier = &tier;
        let kubectl = Kubectl::through(kubectl_context.as_deref());
        let wanted = wanted(&target);
        let target = target.as_str();
        conn.list_cvsh_pages(|page: Vec<Cvsh>| {
            for cvsh in &page {
                versions.push(ClusterVersion::of(cvsh));
                if tier.is_global(&cvsh.name) {
                    continue;
                }
                let scope = Scope {
                    cluster: &cvsh.name,
                    tier,
                    kubectl,
                };
                let judgement = precheck::run(&Input {
                    cluster: &cvsh.name,
                    cvsh,
                    tier,
                    wanted: &wanted,
                    allow_explicit: false,
                    platform,
                });
                let seen = Seen::of(cvsh, target, now);
                let gate = gate(&seen, Role::Workload, target, &judgement, |i| {
                    blocker(i, &scope)
                });
                let selected =
                    selection.names(&cvsh.name) && (selection.explicit() || gate != Gate::Ahead);
                workloads.push(slot(&cvsh.name, Role::Workload, seen, gate, selected));
            }
        })
        .await?;
    }
    versions.sort_by(|a, b| a.name.cmp(&b.name));
    gathered.platform.versions = Some(Fact::Read(versions));
    workloads.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    // The global tier: the standby (its own pre-checks on its own platform), then global.
    let mut slots = Vec::new();
    if let Some(side) = &standby {
        let standby_cvsh = match gathered.platform.standby.as_ref().map(|s| &s.cvsh) {
            Some(Fact::Read(cvsh)) => cvsh.clone(),
            _ => Cvsh::default(),
        };
        let standby_tier = side.facts.tier(&side.global_name);
        let judgement = judge(
            &standby_cvsh,
            &standby_tier,
            &side.facts.platform,
            &target,
            &side.global_name,
        );
        let scope = Scope {
            cluster: &side.global_name,
            tier: &standby_tier,
            kubectl: Kubectl::through(Some(&side.context)),
        };
        let seen = Seen::of(&standby_cvsh, &target, now);
        let gate = gate(&seen, Role::Standby, &target, &judgement, |i| {
            blocker(i, &scope)
        });
        let selected = selection.names(&side.global_name) || !selection.explicit();
        slots.push(slot(&side.slot, Role::Standby, seen, gate, selected));
    }
    let judgement = judge(
        &global_cvsh,
        &tier,
        &gathered.platform,
        &target,
        &global_name,
    );
    let scope = Scope {
        cluster: &global_name,
        tier: &tier,
        kubectl: Kubectl::through(kubectl_context.as_deref()),
    };
    let seen = Seen::of(&global_cvsh, &target, now);
    let global_gate = gate(&seen, Role::Global, &target, &judgement, |i| {
        blocker(i, &scope)
    });
    let selected = selection.names(&global_name);
    slots.push(slot(
        &global_name,
        Role::Global,
        seen,
        global_gate,
        selected,
    ));
    let selected_workloads = workloads.iter().filter(|s| s.selected).count();
    slots.extend(workloads);
    // Only the judgements of the tier needed every cluster's version: done with them.
    gathered.platform.versions = None;
    let rollout = Rollout::new(&target, limits(args, selected_workloads), slots, now);
    Ok((
        Run {
            ctx,
            conn,
            target,
            global_name,
            facts: gathered,
            read_at: Instant::now(),
            standby,
            dr,
            kubectl_context,
        },
        rollout,
    ))
}

/// `--to-latest`: the highest stable version offered to global, else (nothing newer offered)
/// the version it runs — the workload clusters follow it.
fn latest(global: &Cvsh) -> Result<String> {
    let offers = Offers::new(&global.available_updates);
    if let Some(v) = offers
        .latest_stable()
        .and_then(|r| r.version.clone())
        .filter(|v| {
            global
                .current_version()
                .is_none_or(|c| version::newer_than(v, c) == Some(true))
        })
    {
        return Ok(v);
    }
    global.current_version().map(str::to_string).ok_or_else(|| {
        AcError::refused(
            "--to-latest: the global cluster reports no version and is offered no stable one",
        )
        .hint(format!(
            "name the version: {}",
            cmdline::rollout("<version>", &[])
        ))
    })
}

fn judge(
    cvsh: &Cvsh,
    tier: &GlobalTier,
    platform: &Platform,
    target: &str,
    cluster: &str,
) -> Judgement {
    precheck::run(&Input {
        cluster,
        cvsh,
        tier,
        wanted: &wanted(target),
        allow_explicit: false,
        platform,
    })
}

fn slot(cluster: &str, role: Role, seen: Seen, gate: Gate, selected: bool) -> Slot {
    Slot {
        cluster: cluster.to_string(),
        role,
        from: seen.current.clone(),
        state: initial_state(role, gate),
        canary: false,
        seen,
        selected,
        requested_at: None,
        ended_at: None,
    }
}

/// Follow and drive the rollout to its end; `(rollout, timed out, an error that ended it)`.
async fn drive(
    run: &mut Run<'_>,
    mut rollout: Rollout,
    args: &RolloutArgs,
    began: Instant,
) -> (Rollout, bool, Option<AcError>) {
    let ctx = run.ctx;
    let printer = &ctx.printer;
    let mut screen = Screen::new(printer);
    let deadline = args
        .timeout
        .filter(|t| !t.is_zero())
        .map(|t| tokio::time::Instant::now() + t);
    let mut watcher: Watcher<Cvsh> = run.conn.watch_cvsh_collection();
    let mut standby_watch: Option<ObjectWatch> = run
        .standby
        .as_ref()
        .map(|side| side.conn.watch_cvsh(&side.global_name));
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut pace = Pace::default();
    let mut queue: VecDeque<Action> = pace.step(&mut rollout, Event::Tick, now(ctx, began));
    let ended = 'drive: loop {
        // Carry out what the scheduler asked, in order.
        while let Some(action) = queue.pop_front() {
            let at = now(ctx, began);
            match action {
                // A start is decided on everything before it: none after a stop.
                Action::Start(cluster) if rollout.stopping.is_some() => {
                    let event = Event::NotStarted { cluster };
                    queue.extend(pace.step(&mut rollout, event, now(ctx, began)));
                }
                Action::Start(cluster) => match start(run, &rollout, &cluster, at).await {
                    Ok(event) => queue.extend(pace.step(&mut rollout, event, now(ctx, began))),
                    Err(e) => {
                        screen.done();
                        break 'drive (false, Some(e));
                    }
                },
                Action::Reread(clusters) => {
                    let mut seen = Vec::new();
                    for cluster in clusters {
                        let conn = conn_for(run, &cluster);
                        if let Ok(raw) = conn.get_cvsh(&name_on(run, &cluster)).await {
                            seen.push((
                                cluster,
                                Seen::of(&Cvsh::from_value(&raw), &rollout.target, at),
                            ));
                        }
                    }
                    queue.extend(pace.step(&mut rollout, Event::Reread { seen }, now(ctx, began)));
                }
                Action::Changed { cluster, from, to } => {
                    if let Err(e) = screen.changed(&rollout, &cluster, from, to, at) {
                        break 'drive (false, Some(e));
                    }
                }
                Action::Finish(_) => {}
            }
        }
        if rollout.outcome.is_some() {
            // The last frame, as it ended, then the summary below it.
            let drawn = screen.frame(&rollout, began, true);
            screen.done();
            break (false, drawn.err());
        }
        if let Err(e) = screen.frame(&rollout, began, false) {
            break (false, Some(e));
        }
        let at = now(ctx, began);
        let event = tokio::select! {
            next = watcher.next() => match next {
                Ok(WatchEvent::Listed(page) | WatchEvent::Relisted(page)) => {
                    for cvsh in page {
                        let seen = Seen::of(&cvsh, &rollout.target, at);
                        if rollout.news(&cvsh.name, &seen) {
                            queue.extend(pace.step(&mut rollout, Event::Seen { cluster: cvsh.name.clone(), seen }, at));
                        }
                    }
                    None
                }
                Ok(WatchEvent::Upserted(cvsh)) => {
                    let seen = Seen::of(&cvsh, &rollout.target, at);
                    rollout.news(&cvsh.name, &seen).then(|| Event::Seen { cluster: cvsh.name.clone(), seen })
                }
                Ok(_) => None,
                Err(e) => { screen.done(); break (false, Some(e)); }
            },
            next = async {
                match standby_watch.as_mut() {
                    Some(w) => w.next().await,
                    None => std::future::pending().await,
                }
            } => match next {
                Ok(WatchSeen::Object(raw)) => {
                    let slot = run.standby.as_ref().map(|s| s.slot.clone()).unwrap_or_default();
                    Some(Event::Seen { cluster: slot, seen: Seen::of(&Cvsh::from_value(&raw), &rollout.target, at) })
                }
                Ok(_) => None,
                Err(e) => { screen.done(); break (false, Some(e)); }
            },
            _ = tick.tick() => Some(Event::Tick),
            _ = &mut ctrl_c => Some(Event::Interrupt),
            _ = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            } => {
                screen.done();
                break (true, None);
            }
        };
        if let Some(event) = event {
            queue.extend(pace.step(&mut rollout, event, now(ctx, began)));
        }
    };
    if ctx.access.verbosity >= 4 {
        printer.trace(&format!(
            "I rollout: {} events; the scheduler took {} ms of {} ms",
            pace.events,
            pace.busy.as_millis(),
            began.elapsed().as_millis()
        ));
    }
    (rollout, ended.0, ended.1)
}

/// The scheduler's own share of the run: events fed and the time its steps took.
#[derive(Default)]
struct Pace {
    events: u64,
    busy: Duration,
}

impl Pace {
    fn step(&mut self, rollout: &mut Rollout, event: Event, at: Timestamp) -> VecDeque<Action> {
        let began = Instant::now();
        let actions = rollout.step(event, at);
        self.busy += began.elapsed();
        self.events += 1;
        actions.into()
    }
}

/// The connection of a slot: the standby's for the standby, else the primary's.
fn conn_for(run: &Run, cluster: &str) -> Conn {
    let mut conn = match &run.standby {
        Some(side) if side.slot == cluster => side.conn.clone(),
        _ => run.conn.clone(),
    };
    // Each request of an hours-long rollout gets the whole --request-timeout.
    conn.renew_deadline();
    conn
}

/// The cvsh name of a slot (the standby's slot is `<session>/<global>`).
fn name_on(run: &Run, cluster: &str) -> String {
    match &run.standby {
        Some(side) if side.slot == cluster => side.global_name.clone(),
        _ => cluster.to_string(),
    }
}

/// Start a cluster: read it, judge it as the guard does, and write the same guarded merge
/// patch as `ac adm upgrade --to=V` — or say why not. A read that fails before anything is
/// written ends the rollout (exit 1; run it again): it says nothing about the cluster, so it
/// is not the cluster's failure.
async fn start(
    run: &mut Run<'_>,
    rollout: &Rollout,
    cluster: &str,
    at: Timestamp,
) -> Result<Event> {
    let is_standby = run.standby.as_ref().is_some_and(|s| s.slot == cluster);
    let role = rollout
        .get(cluster)
        .map(|s| s.role)
        .unwrap_or(Role::Workload);
    // Fresh facts for the pre-checks (ResourcePatches exempted, gates acknowledged meanwhile).
    let before = |e: AcError| {
        let message = format!(
            "{}; nothing was written to cluster {} (run the same command to resume)",
            e.message,
            crate::domain::name::shown(cluster)
        );
        AcError { message, ..e }
    };
    refresh(run, role, &name_on(run, cluster))
        .await
        .map_err(before)?;
    let conn = conn_for(run, cluster);
    let name = name_on(run, cluster);
    let raw = conn.get_cvsh(&name).await.map_err(before)?;
    let cvsh = Cvsh::from_value(&raw);
    let (tier, platform, kubectl) = match (&run.standby, is_standby) {
        (Some(side), true) => (
            side.facts.tier(&side.global_name),
            &side.facts.platform,
            Kubectl::through(Some(&side.context)),
        ),
        _ => (
            tier_of(rollout, &run.global_name, run.standby.as_ref()),
            &run.facts.platform,
            Kubectl::through(run.kubectl_context.as_deref()),
        ),
    };
    let scope = Scope {
        cluster: &name,
        tier: &tier,
        kubectl,
    };
    let judgement = judge(&cvsh, &tier, platform, &run.target, &name);
    let seen = Seen::of(&cvsh, &rollout.target, at);
    match gate(&seen, role, &run.target, &judgement, |i| blocker(i, &scope)) {
        Gate::Ready => {}
        Gate::Done | Gate::InFlight => {
            return Ok(Event::Seen {
                cluster: cluster.to_string(),
                seen,
            });
        }
        Gate::WaitsForTier | Gate::NotOffered => {
            return Ok(Event::NotOfferedYet {
                cluster: cluster.to_string(),
            });
        }
        Gate::Ahead => {
            return Ok(Event::Refused {
                cluster: cluster.to_string(),
                blocker: Blocker {
                    check: "target",
                    detail: format!("runs a newer version than {}", run.target),
                    remedy: None,
                },
            });
        }
        Gate::Blocked(blocker) => {
            return Ok(Event::Refused {
                cluster: cluster.to_string(),
                blocker,
            });
        }
    }
    let request = Request {
        ask: Ask::Version(run.target.clone()),
        force: false,
        allow_explicit: false,
        allow_warnings: false,
    };
    let observed = Observed {
        cluster: &name,
        cvsh: &cvsh,
        scope,
    };
    Ok(match plan::plan(&request, &observed, platform) {
        Decision::Write(write) => match conn.patch_cvsh(&name, &write.patch).await {
            Ok(written) => Event::Requested {
                cluster: cluster.to_string(),
                generation: Cvsh::from_value(&written).generation,
            },
            Err(e) => Event::WriteFailed {
                cluster: cluster.to_string(),
                why: e.message,
            },
        },
        // Already asked for: followed from here.
        Decision::AlreadyRequested(_) => Event::Seen {
            cluster: cluster.to_string(),
            seen,
        },
        // Nothing to write, yet not at rest at the target (at it but failing): the rollout
        // cannot move it.
        Decision::NoOp(why) => Event::Refused {
            cluster: cluster.to_string(),
            blocker: Blocker {
                check: "cluster-state",
                detail: seen.trouble.clone().unwrap_or(why),
                remedy: None,
            },
        },
        Decision::Refuse(e) => Event::Refused {
            cluster: cluster.to_string(),
            blocker: Blocker {
                check: "guard",
                detail: e.message,
                remedy: e.hints.first().cloned(),
            },
        },
    })
}

/// The pre-checks' facts for a start, fresh enough: the platform's small facts
/// (ResourcePatches, admin gates, cvo-config) when older than [`FACTS_FRESH`]; for a workload
/// cluster its own `Cluster` (one GET: the fleet's Clusters are not listed again every 30 s
/// during an hours-long rollout); for the global cluster every `Cluster` and its Machines, read
/// now (its Kubernetes check judges every workload cluster).
async fn refresh(run: &mut Run<'_>, role: Role, cluster: &str) -> Result<()> {
    let ctx = run.ctx;
    if role == Role::Standby {
        if let Some(side) = run.standby.as_mut()
            && side.read_at.elapsed() > FACTS_FRESH
        {
            let needs = Needs::guard(&side.global_name, true, None);
            side.facts = facts::gather(&side.conn, &ctx.access, ctx.diagnostics(), &needs).await?;
            side.read_at = Instant::now();
        }
        return Ok(());
    }
    let mut conn = run.conn.clone();
    conn.renew_deadline();
    let global = role == Role::Global;
    if global || run.read_at.elapsed() > FACTS_FRESH {
        let needs = Needs {
            clusters: if global {
                Clusters::All
            } else {
                Clusters::None
            },
            machines: global,
            disabled_checks: true,
            resource_patches: true,
            admin_gates: true,
            ..Needs::none()
        };
        let fresh = facts::gather(&conn, &ctx.access, ctx.diagnostics(), &needs).await?;
        let platform = &mut run.facts.platform;
        platform.disabled_checks = fresh.platform.disabled_checks;
        platform.resource_patches = fresh.platform.resource_patches;
        platform.admin_gates = fresh.platform.admin_gates;
        platform.admin_acks = fresh.platform.admin_acks;
        if global {
            platform.clusters = fresh.platform.clusters;
            platform.machines = fresh.platform.machines;
        }
        run.read_at = Instant::now();
    }
    if !global {
        run.facts.platform.clusters = Some(facts::read_clusters(&conn, Some(cluster)).await?);
    }
    Ok(())
}

/// What the rollout prints while it runs: on a terminal a live table redrawn in place; off a
/// terminal one line per state change; with `-o json|yaml` nothing until the final document.
struct Screen<'a> {
    printer: &'a crate::output::Printer,
    live: bool,
    lines: bool,
    frame_lines: usize,
    drawn_at: Option<Instant>,
}

/// How often the live table may be redrawn.
const FRAME_EVERY: Duration = Duration::from_millis(200);

impl<'a> Screen<'a> {
    fn new(printer: &'a crate::output::Printer) -> Screen<'a> {
        Screen {
            printer,
            live: printer.is_text() && printer.stdout_tty,
            lines: printer.is_text() && !printer.stdout_tty,
            frame_lines: 0,
            drawn_at: None,
        }
    }

    fn changed(
        &mut self,
        rollout: &Rollout,
        cluster: &str,
        from: &str,
        to: &str,
        at: Timestamp,
    ) -> Result<()> {
        if !self.lines {
            return Ok(());
        }
        let Some(slot) = rollout.get(cluster) else {
            return Ok(());
        };
        self.printer
            .out(&render::change_line(slot, from, to, &rollout.target, at))
    }

    /// Redraw the live table: at most every [`FRAME_EVERY`] (each frame is a pass over the
    /// fleet), and always the last (`last`).
    fn frame(&mut self, rollout: &Rollout, began: Instant, last: bool) -> Result<()> {
        if !self.live {
            return Ok(());
        }
        if !last && self.drawn_at.is_some_and(|at| at.elapsed() < FRAME_EVERY) {
            return Ok(());
        }
        self.drawn_at = Some(Instant::now());
        let columns = terminal::columns().saturating_sub(1);
        let frame = render::live(rollout, began.elapsed().as_secs() as i64, columns);
        let previous = std::mem::replace(&mut self.frame_lines, frame.lines().count());
        self.printer.frame(previous, &frame)
    }

    /// The live table stays as it was last drawn; the summary follows it.
    fn done(&mut self) {
        if self.frame_lines > 0 {
            let _ = self.printer.out("\n");
        }
    }
}

/// The final document: text (the plan, or the summary), `-o json|yaml`, and `--report FILE`.
fn show_final(ctx: &Ctx, report: &RolloutReport, args: &RolloutArgs, dry_run: bool) -> Result<()> {
    let p = &ctx.printer;
    if p.is_text() {
        let text = if dry_run {
            render::plan(report, p.color)
        } else {
            render::summary(report, p.color)
        };
        p.out(&text)?;
    } else {
        p.machine(report)?;
    }
    if let Some(path) = &args.report {
        write_report(path, &render::markdown(report))?;
    }
    Ok(())
}

/// `--report FILE`: written whole or not at all (a temporary file in the same directory,
/// renamed over it).
fn write_report(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let failed = |e: std::io::Error| {
        AcError::new(
            ErrorKind::Output,
            format!("cannot write the report {}: {e}", path.display()),
        )
        .hint("the rollout itself is unaffected; pick another --report path")
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.flush().map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// `ac adm upgrade precheck --all-clusters --to=V`: every cluster's pre-checks, one row each
/// (the rollout's plan without its order); exit 3 when any is blocked.
pub async fn precheck_all(ctx: &Ctx, dr_standby: Option<&str>, args: &PrecheckArgs) -> Result<()> {
    let to = match (&args.to, args.to_latest) {
        (Some(v), _) => {
            Some(version::normalize(v).map_err(|e| AcError::usage(format!("--to: {e}")))?)
        }
        (None, true) => None,
        (None, false) => {
            return Err(AcError::usage(
                "--all-clusters needs --to=VERSION (or --to-latest)",
            ));
        }
    };
    let (conn, _) = open(ctx, None).await?;
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let rollout_args = RolloutArgs {
        to: to.clone(),
        to_latest: to.is_none(),
        clusters: Vec::new(),
        exclude: Vec::new(),
        canary: 0,
        soak: Duration::ZERO,
        max_parallel: Some(Parallel::Count(1)),
        max_failures: 0,
        cluster_timeout: None,
        timeout: None,
        dry_run: true,
        report: None,
    };
    let everything = Selection::default();
    let (_, rollout) = plan(
        ctx,
        conn,
        dr,
        &everything,
        to,
        rollout_args.to_latest,
        &rollout_args,
    )
    .await?;
    let start = cmdline::rollout(&rollout.target, &[]);
    let report = rollout_report(&rollout, View::Prechecks, ctx.now, false, &start);
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::prechecks(&report, p.color))?;
    } else {
        p.machine(&report)?;
    }
    plan_outcome(&report)
}
