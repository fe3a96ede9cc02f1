//! `ac adm release import-manifest --version V [--wait] [--timeout 10m]`: create ProductManifest
//! `v<V>` so the controller offers V. Never overwrites.

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

    let existing = conn.get_pdman(&name).await?;
    let created = match existing {
        Some(found) => {
            check_same(&conn, &found, &name, &wanted)?;
            printer.info(&format!(
                "ProductManifest {name} already exists with version {wanted}; unchanged"
            ));
            false
        }
        None if args.dry_run => {
            let report = import::would_create(&name, &wanted, &manifest, &conn.endpoint);
            if printer.is_text() {
                printer.out(&render::request::import_outcome(&report))?;
            } else {
                printer.machine(&report)?;
            }
            return Ok(());
        }
        None => {
            match conn.create_pdman(&manifest, false).await {
                Ok(_) => true,
                // Someone created it between our read and write: judge what is there now.
                Err(e) if crate::access::errors::is_already_exists(&e) => {
                    let found = conn.get_pdman(&name).await?.ok_or(e)?;
                    check_same(&conn, &found, &name, &wanted)?;
                    printer.info(&format!("ProductManifest {name} was created concurrently with version {wanted}; unchanged"));
                    false
                }
                Err(e) => return Err(e),
            }
        }
    };
    let endpoint = conn.endpoint.clone();
    let global_name = conn.session.global_name();
    let report = |ready| import::applied(&name, &wanted, created, ready, &endpoint, &global_name);
    if printer.is_text() && created {
        printer.out(&render::request::import_created(&report(None)))?;
    }
    let ready = if args.wait {
        wait::manifest_ready(conn, &name, args.timeout).await?;
        Some(true)
    } else {
        None
    };
    let report = report(ready);
    if printer.is_text() {
        printer.out(&render::request::import_outcome(&report))?;
    } else {
        printer.machine(&report)?;
    }
    Ok(())
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
