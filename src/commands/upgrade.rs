//! `ac adm upgrade`: the summary, or one upgrade request.

use serde_json::{Value, json};

use super::{Ctx, open};
use crate::cli::UpgradeArgs;
use crate::domain::cvsh::Cvsh;
use crate::domain::plan::{self, Decision, Facts, Request, Target};
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render::summary::{self, SummaryView};

pub async fn run(ctx: &Ctx, args: UpgradeArgs) -> Result<()> {
    match args.command {
        Some(crate::cli::UpgradeCommand::Status(s)) => {
            return super::status::run(ctx, args.cluster.as_deref(), s).await;
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
        None => {}
    }
    if args.is_request() {
        let req = validate(&args)?;
        request(ctx, &args, req).await
    } else {
        check_summary_flags(&args)?;
        show(ctx, args.cluster.as_deref()).await
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
        Err(AcError::usage(format!("{} needs a target", stray.join(", ")))
            .hint("add --to-latest, --to=VERSION, --to-image=IMAGE or --clear; see ac adm upgrade --help"))
    }
}

/// Everything that can be checked before any network call.
pub fn validate(a: &UpgradeArgs) -> Result<Request> {
    let target = if a.clear {
        if a.force {
            return Err(AcError::usage("--force cannot be combined with --clear"));
        }
        Target::Clear
    } else if a.to_latest {
        Target::Latest
    } else if let Some(v) = &a.to {
        Target::Version(version::normalize(v).map_err(|e| {
            AcError::usage(format!("--to: {e}"))
                .hint("list the offered versions with: ac adm upgrade")
        })?)
    } else if let Some(i) = &a.to_image {
        Target::Image(
            version::validate_image(i).map_err(|e| AcError::usage(format!("--to-image: {e}")))?,
        )
    } else {
        return Err(AcError::usage("no target given"));
    };
    if a.allow_explicit_upgrade && matches!(target, Target::Latest | Target::Clear) {
        return Err(AcError::usage(
            "--allow-explicit-upgrade applies only to --to and --to-image",
        ));
    }
    if a.wait && a.dry_run {
        return Err(AcError::usage(
            "--wait cannot be combined with --dry-run (nothing is written to wait for)",
        ));
    }
    if a.wait && target == Target::Clear {
        return Err(AcError::usage("--wait cannot be combined with --clear"));
    }
    Ok(Request {
        target,
        force: a.force,
        allow_explicit: a.allow_explicit_upgrade,
        allow_warnings: a.allow_upgrade_with_warnings,
    })
}

async fn show(ctx: &Ctx, cluster: Option<&str>) -> Result<()> {
    let (conn, t) = open(ctx, cluster).await?;
    let raw = conn.get_cvsh(&t.cluster).await?;
    let cvsh = Cvsh::from_value(&raw);
    let global_version = if t.is_global {
        None
    } else {
        match conn.get_cvsh(&conn.session.global_name()).await {
            Ok(g) => Cvsh::from_value(&g).current_version().map(str::to_string),
            Err(e) => {
                ctx.printer.warn(&format!(
                    "cannot read the global cluster's version: {}",
                    e.message
                ));
                None
            }
        }
    };
    let view = SummaryView {
        cluster: &t.cluster,
        is_global: t.is_global,
        cvsh: &cvsh,
        raw: &raw,
        global_version: global_version.as_deref(),
        context_note: t.context_note.clone(),
        now: ctx.now,
        color: ctx.printer.color,
    };
    if ctx.printer.is_text() {
        ctx.printer.out(&summary::render(&view))
    } else {
        ctx.printer.machine(&summary::to_json(&view))
    }
}

async fn request(ctx: &Ctx, args: &UpgradeArgs, req: Request) -> Result<()> {
    let p = &ctx.printer;
    let (conn, t) = open(ctx, args.cluster.as_deref()).await?;
    let raw = conn.get_cvsh(&t.cluster).await?;
    let cvsh = Cvsh::from_value(&raw);
    let global_version = if t.is_global || req.target == Target::Clear {
        None
    } else {
        let g = conn.get_cvsh(&conn.session.global_name()).await?;
        Cvsh::from_value(&g).current_version().map(str::to_string)
    };
    let facts = Facts {
        cluster: &t.cluster,
        is_global: t.is_global,
        cvsh: &cvsh,
        global_version: global_version.as_deref(),
    };
    let w = match plan::plan(&req, &facts) {
        Decision::NoOp(msg) => {
            p.info(&msg);
            if !p.is_text() {
                p.machine(&json!({"schema": "ac.alauda.io/upgrade-request/v1", "cluster": t.cluster, "changed": false, "message": msg}))?;
            }
            return Ok(());
        }
        Decision::Refuse(e) => return Err(e),
        Decision::Write(w) => w,
    };
    for warning in &w.warnings {
        p.warn(warning);
    }
    if req.force {
        p.warn(&format!(
            "--force: the controller will SKIP ITS SAFETY CHECKS (preflight) for cluster {}; use it only for testing or a documented known-bug workaround",
            t.cluster
        ));
    }
    let from = cvsh
        .current
        .as_ref()
        .map(|c| c.label())
        .unwrap_or_else(|| "<unknown>".into());
    let to = w.target_label();
    let result = |dry: bool| {
        json!({
            "schema": "ac.alauda.io/upgrade-request/v1",
            "cluster": t.cluster,
            "changed": !dry,
            "dryRun": dry,
            "current": cvsh.current,
            "previous": w.previous,
            "request": w.request,
            "warnings": w.warnings,
        })
    };
    if args.dry_run {
        let url = format!(
            "{}/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows/{}?fieldManager=ac",
            conn.endpoint.trim_end_matches('/'),
            t.cluster
        );
        if p.is_text() {
            let body = serde_json::to_string_pretty(&w.patch).unwrap_or_default();
            p.out(&format!(
                "Dry run: nothing was written. The request would be:\nPATCH {url}\nContent-Type: application/merge-patch+json\n\n{body}\n"
            ))?;
        } else {
            let mut v = result(true);
            v["patch"] = w.patch.clone();
            v["url"] = Value::String(url);
            p.machine(&v)?;
        }
        return Ok(());
    }
    conn.patch_cvsh(&t.cluster, &w.patch, false).await?;
    if p.is_text() {
        let text = match &w.request {
            None => format!(
                "Cleared the upgrade request of cluster {} (was {}).\nCheck it with: ac adm upgrade --cluster={}\n",
                t.cluster,
                w.previous
                    .as_ref()
                    .and_then(|d| d.release())
                    .map(|r| r.label())
                    .unwrap_or_else(|| "<none>".into()),
                t.cluster
            ),
            Some(_) => format!(
                "Requested the upgrade of cluster {} from {from} to {to}{}.\n{}",
                t.cluster,
                if req.force { " (force)" } else { "" },
                if args.wait {
                    String::new()
                } else {
                    format!(
                        "Follow it with: ac adm upgrade status --cluster={} --watch\n",
                        t.cluster
                    )
                }
            ),
        };
        p.out(&text)?;
    } else if !args.wait {
        p.machine(&result(false))?;
    }
    if args.wait {
        return super::status::watch_upgrade(ctx, conn, &t.cluster, args.timeout).await;
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
            validate(&args(&["--to=v4.3.0"])).unwrap().target,
            Target::Version("4.3.0".into())
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
