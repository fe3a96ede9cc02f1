//! `ac adm upgrade`: the summary, or one upgrade request.

use super::wait::{self, Start};
use super::{Ctx, open};
use crate::access::facts::Needs;
use crate::cli::UpgradeArgs;
use crate::domain::advice;
use crate::domain::plan::{self, Ask, Decision, Observed, Request};
use crate::domain::precheck;
use crate::domain::report::request::{self as request_report, Delivery};
use crate::domain::report::summary::{SummaryInput, summary_report};
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render;

pub async fn run(ctx: &Ctx, args: UpgradeArgs) -> Result<()> {
    match args.command {
        Some(crate::cli::UpgradeCommand::Status(s)) => {
            return super::status::run(ctx, args.cluster.as_deref(), args.dr_standby.as_deref(), s)
                .await;
        }
        Some(crate::cli::UpgradeCommand::Rollout(r)) => {
            return super::rollout::run(
                ctx,
                args.cluster.as_deref(),
                args.dr_standby.as_deref(),
                *r,
            )
            .await;
        }
        Some(crate::cli::UpgradeCommand::Precheck(p)) => {
            return super::precheck::run(
                ctx,
                args.cluster.as_deref(),
                args.dr_standby.as_deref(),
                p,
            )
            .await;
        }
        Some(crate::cli::UpgradeCommand::Verify(v)) => {
            return super::verify::run(ctx, args.cluster.as_deref(), args.dr_standby.as_deref(), v)
                .await;
        }
        None => {}
    }
    if args.is_request() {
        let req = validate(&args)?;
        request(ctx, &args, req).await
    } else {
        check_summary_flags(&args)?;
        show(ctx, args.cluster.as_deref(), args.dr_standby.as_deref()).await
    }
}

/// Flags that only make sense with a target.
fn check_summary_flags(a: &UpgradeArgs) -> Result<()> {
    let stray: Vec<&str> = [
        (a.force, "--force"),
        (a.dry_run, "--dry-run"),
        (a.allow_explicit_upgrade, "--allow-explicit-upgrade"),
        (
            a.allow_upgrade_with_warnings,
            "--allow-upgrade-with-warnings",
        ),
        (a.wait, "--wait"),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect();
    if stray.is_empty() {
        Ok(())
    } else {
        Err(
            AcError::usage(format!("{} needs a target", stray.join(", ")))
                .hint(advice::request::name_a_target()),
        )
    }
}

/// Everything that can be checked before any network call.
pub fn validate(a: &UpgradeArgs) -> Result<Request> {
    let ask = if a.clear {
        if a.force {
            return Err(AcError::usage("--force cannot be combined with --clear"));
        }
        Ask::Clear
    } else if a.to_latest {
        Ask::Latest
    } else if let Some(v) = &a.to {
        Ask::Version(version::normalize(v).map_err(|e| {
            AcError::usage(format!("--to: {e}")).hint(advice::request::list_offers().inline())
        })?)
    } else if let Some(i) = &a.to_image {
        Ask::Image(
            version::validate_image(i).map_err(|e| AcError::usage(format!("--to-image: {e}")))?,
        )
    } else {
        return Err(AcError::usage("no target given"));
    };
    if a.allow_explicit_upgrade && matches!(ask, Ask::Latest | Ask::Clear) {
        return Err(AcError::usage(
            "--allow-explicit-upgrade applies only to --to and --to-image",
        ));
    }
    if a.wait && a.dry_run {
        return Err(AcError::usage(
            "--wait cannot be combined with --dry-run (nothing is written to wait for)",
        ));
    }
    if a.wait && ask == Ask::Clear {
        return Err(AcError::usage("--wait cannot be combined with --clear"));
    }
    Ok(Request {
        ask,
        force: a.force,
        allow_explicit: a.allow_explicit_upgrade,
        allow_warnings: a.allow_upgrade_with_warnings,
    })
}

async fn show(ctx: &Ctx, cluster: Option<&str>, dr_standby: Option<&str>) -> Result<()> {
    let (conn, t) = open(ctx, cluster).await?;
    // What the cluster's next move's pre-checks read: the summary suggests a request only
    // when they pass.
    let dr = super::dr::resolve(ctx, dr_standby, &conn.session);
    let needs = Needs::guard(&t.cluster, t.is_global, dr.as_ref().map(|dr| dr.session()));
    let gathered = super::gather(ctx, &conn, &t, &needs).await?;
    let tier = gathered.tier(&conn.session.global_name());
    let (raw, cvsh) = (
        gathered.raw.clone().unwrap_or_default(),
        gathered.cvsh.clone().unwrap_or_default(),
    );
    let next = precheck::next_move(&t.cluster, &cvsh, &tier, &gathered.platform);
    let note = tier.standby().map(advice::summary::standby_note);
    let report = summary_report(&SummaryInput {
        cluster: &t.cluster,
        cvsh: &cvsh,
        object: &raw,
        scope: super::scope(&conn, &t, &tier),
        next: &next,
        note: note.as_deref(),
        now: ctx.now,
    });
    if ctx.printer.is_text() {
        ctx.printer
            .out(&render::summary::summary(&report, ctx.printer.color))
    } else {
        ctx.printer.machine(&report)
    }
}

async fn request(ctx: &Ctx, args: &UpgradeArgs, req: Request) -> Result<()> {
    let printer = &ctx.printer;
    let (conn, t) = open(ctx, args.cluster.as_deref()).await?;
    let dr = super::dr::resolve(ctx, args.dr_standby.as_deref(), &conn.session);
    // A clear needs only the object; a request reads what its pre-checks judge.
    let needs = if req.ask == Ask::Clear {
        Needs {
            cluster: Some(&t.cluster),
            ..Needs::none()
        }
    } else {
        Needs::guard(&t.cluster, t.is_global, dr.as_ref().map(|dr| dr.session()))
    };
    let gathered = super::gather(ctx, &conn, &t, &needs).await?;
    let tier = gathered.tier(&conn.session.global_name());
    let cvsh = gathered.cvsh.clone().unwrap_or_default();
    let observed = Observed {
        cluster: &t.cluster,
        cvsh: &cvsh,
        scope: super::scope(&conn, &t, &tier),
    };
    let write = match plan::plan(&req, &observed, &gathered.platform) {
        // `--wait` on the very request that is already there: follow it, and end as the wait
        // of a new one would (0 reached, 5 failed — a Stalled cluster at once —, 4 timeout).
        Decision::AlreadyRequested(_) if args.wait => {
            printer.info(&format!(
                "cluster {} already has a request for {}; following it (--wait)",
                t.cluster,
                cvsh.requested()
                    .map(|release| release.label())
                    .unwrap_or_default()
            ));
            return wait::upgrade(ctx, conn, &t.cluster, args.timeout, Start::AsItIs).await;
        }
        Decision::NoOp(message) | Decision::AlreadyRequested(message) => {
            printer.info(&message);
            if !printer.is_text() {
                printer.machine(&request_report::unchanged(&t.cluster, &message))?;
            }
            return Ok(());
        }
        Decision::Refuse(e) => return Err(e),
        Decision::Write(write) => write,
    };
    for warning in &write.warnings {
        printer.warn(warning);
    }
    if req.force {
        printer.warn(&request_report::force_caution(&t.cluster));
    }
    // The request sent, and the one a dry run shows: one builder.
    let patch_request = conn.cvsh_patch_request(&t.cluster, &write.patch)?;
    let delivery = if args.dry_run {
        Delivery::DryRun {
            url: conn.url_of(&patch_request),
        }
    } else {
        Delivery::Sent { wait: args.wait }
    };
    let report = request_report::written(
        &t.cluster,
        t.from_context.as_deref(),
        &cvsh,
        &write,
        req.force,
        &delivery,
    );
    if !args.dry_run {
        conn.patch_cvsh(&t.cluster, &write.patch).await?;
    }
    if printer.is_text() {
        printer.out(&render::request::request(&report))?;
    } else if !args.wait {
        printer.machine(&report)?;
    }
    if args.wait {
        return wait::upgrade(ctx, conn, &t.cluster, args.timeout, Start::AfterRequest).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{AdmCommand, Cli, Command};
    use clap::Parser;

    fn args(a: &[&str]) -> UpgradeArgs {
        let cli = Cli::try_parse_from(["ac", "adm", "upgrade"].iter().chain(a.iter())).unwrap();
        let Command::Adm(AdmCommand::Upgrade(u)) = cli.command else {
            panic!()
        };
        u
    }

    #[test]
    fn validation_before_network() {
        assert_eq!(
            validate(&args(&["--to=v4.3.0"])).unwrap().ask,
            Ask::Version("4.3.0".into())
        );
        assert_eq!(validate(&args(&["--to=4.3"])).unwrap_err().exit_code(), 2);
        assert_eq!(
            validate(&args(&["--to-image=bad image"]))
                .unwrap_err()
                .exit_code(),
            2
        );
        assert!(validate(&args(&["--clear", "--force"])).is_err());
        assert!(validate(&args(&["--to-latest", "--allow-explicit-upgrade"])).is_err());
        assert!(validate(&args(&["--to-latest", "--wait", "--dry-run"])).is_err());
        assert!(check_summary_flags(&args(&["--force"])).is_err());
        assert!(check_summary_flags(&args(&[])).is_ok());
    }
}
