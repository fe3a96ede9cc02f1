//! `ac adm release import-manifest --version V [--wait] [--timeout 10m]`: create ProductManifest
//! `v<V>` so the controller offers V. Never overwrites. Under DR (`--dr-standby`,
//! `AC_DR_STANDBY` or the remembered pair) on the standby global first, then on the primary;
//! a global that already has it is left as it is.

use serde_json::Value;

use super::{Ctx, wait};
use crate::access::client::{self, Conn};
use crate::cli::ImportManifestArgs;
use crate::domain::advice;
use crate::domain::cmdline::Kubectl;
use crate::domain::cvsh::ProductManifest;
use crate::domain::report::import;
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render;

pub async fn run(ctx: &Ctx, args: ImportManifestArgs) -> Result<()> {
    let wanted =
        version::normalize(&args.version).map_err(|e| AcError::usage(format!("--version: {e}")))?;
    if args.wait && args.dry_run {
        return Err(AcError::usage("--wait cannot be combined with --dry-run"));
    }
    let name = format!("v{wanted}");
    let printer = &ctx.printer;
    let resolved = client::resolve(&ctx.access)?;
    let conn = Conn::open(resolved, &ctx.access, ctx.diagnostics()).await?;
    let manifest = import::manifest(&name, &wanted);

    // Under DR the standby global offers the version first (SPEC §1: standby before
    // primary): a standby that cannot be written to stops the command before the primary.
    let standby = match super::dr::resolve(ctx, args.dr_standby.as_deref(), &conn.session) {
        Some(dr) => {
            let found = super::dr::connect(ctx, &dr).await?;
            Some((dr.session, found.conn?))
        }
        None => None,
    };
    let mut standby_import = None;
    if let Some((session, standby_conn)) = &standby {
        let where_ = format!("on the DR standby global (session {session})");
        let existed = publish(
            printer,
            standby_conn,
            &manifest,
            &name,
            &wanted,
            args.dry_run,
            &where_,
        )
        .await?;
        if !existed && !args.dry_run && printer.is_text() {
            printer.out(&render::request::import_created_on(
                &name,
                &wanted,
                &standby_conn.endpoint,
                Some(session),
            ))?;
        }
        standby_import = Some(import::StandbyImport {
            session: session.clone(),
            existed,
            created: !existed && !args.dry_run,
            ready: None,
            endpoint: standby_conn.endpoint.clone(),
        });
    }

    let where_ = if standby.is_some() {
        "on the primary global".to_string()
    } else {
        String::new()
    };
    let existed = publish(
        printer,
        &conn,
        &manifest,
        &name,
        &wanted,
        args.dry_run,
        &where_,
    )
    .await?;
    let standby_missing = standby_import.as_ref().is_some_and(|s| !s.existed);
    if args.dry_run && (!existed || standby_missing) {
        // Only the standby lacks it: that is where it would be created.
        let (endpoint, standby_import) = match standby_import {
            Some(s) if existed => (s.endpoint, None),
            other => (conn.endpoint.clone(), other),
        };
        let mut report = import::would_create(&name, &wanted, &manifest, &endpoint);
        report.standby = standby_import;
        return if printer.is_text() {
            printer.out(&render::request::import_outcome(&report))
        } else {
            printer.machine(&report)
        };
    }
    let created = !existed && !args.dry_run;
    let endpoint = conn.endpoint.clone();
    let global_name = conn.session.global_name();
    if printer.is_text() && created {
        printer.out(&render::request::import_created_on(
            &name, &wanted, &endpoint, None,
        ))?;
    }
    let (ready, standby_ready) = if args.wait {
        let wait = |conn: Conn, where_: String| {
            let name = name.clone();
            async move {
                wait::manifest_ready(conn, &name, &where_, args.timeout)
                    .await
                    .map(|()| true)
            }
        };
        match standby {
            Some((session, standby_conn)) => {
                let (standby_ready, ready) = tokio::try_join!(
                    wait(
                        standby_conn,
                        format!(" on the DR standby global (session {session})")
                    ),
                    wait(conn, " on the primary global".into())
                )?;
                (Some(ready), Some(standby_ready))
            }
            None => (Some(wait(conn, String::new()).await?), None),
        }
    } else {
        (None, None)
    };
    let mut report = import::applied(&name, &wanted, created, ready, &endpoint, &global_name);
    report.standby = standby_import.map(|s| import::StandbyImport {
        ready: standby_ready,
        ..s
    });
    if printer.is_text() {
        printer.out(&render::request::import_outcome(&report))?;
    } else {
        printer.machine(&report)?;
    }
    Ok(())
}

/// Create the manifest on one global unless it is there (with exactly this version: else a
/// refusal, nothing overwritten). Returns whether it existed. A dry run creates nothing.
async fn publish(
    printer: &crate::output::Printer,
    conn: &Conn,
    manifest: &Value,
    name: &str,
    wanted: &str,
    dry_run: bool,
    where_: &str,
) -> Result<bool> {
    let at = if where_.is_empty() {
        String::new()
    } else {
        format!(" {where_}")
    };
    if let Some(found) = conn.get_pdman(name).await? {
        check_same(conn, &found, name, wanted)?;
        printer.info(&format!(
            "ProductManifest {name} already exists{at} with version {wanted}; unchanged"
        ));
        return Ok(true);
    }
    if dry_run {
        return Ok(false);
    }
    match conn.create_pdman(manifest, false).await {
        Ok(_) => Ok(false),
        // Someone created it between our read and write: judge what is there now.
        Err(e) if crate::access::errors::is_already_exists(&e) => {
            let found = conn.get_pdman(name).await?.ok_or(e)?;
            check_same(conn, &found, name, wanted)?;
            printer.info(&format!(
                "ProductManifest {name} was created concurrently{at} with version {wanted}; unchanged"
            ));
            Ok(true)
        }
        Err(e) => Err(e),
    }
}

/// An existing manifest must carry exactly this version (and no image).
fn check_same(conn: &Conn, found: &Value, name: &str, wanted: &str) -> Result<()> {
    let manifest = ProductManifest::from_value(found);
    match (&manifest.version, &manifest.image) {
        (Some(existing), None) if version::same_version(existing, wanted) => Ok(()),
        (existing, image) => {
            let what = match (existing, image) {
                (_, Some(image)) => format!("image {image}"),
                (Some(existing), None) => format!("version {existing}"),
                (None, None) => "no version".to_string(),
            };
            Err(AcError::refused(format!(
                "ProductManifest {name} already exists with {what}, not version {wanted}; nothing was written"
            ))
            .hint(advice::request::inspect_manifest(
                Kubectl::through(conn.session.kubectl_context_for_global()),
                name,
            )))
        }
    }
}
