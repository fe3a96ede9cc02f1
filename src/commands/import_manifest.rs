//! `ac adm release import-manifest --version V [--wait] [--timeout 10m]`: create ProductManifest
//! `v<V>` so the controller offers V. Never overwrites.

use serde_json::Value;

use super::Ctx;
use super::follow::{self, Res, Step};
use crate::access::client::{self, Conn};
use crate::cli::ImportManifestArgs;
use crate::domain::advice;
use crate::domain::cvsh::ProductManifest;
use crate::domain::report::import;
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render;

pub async fn run(ctx: &Ctx, a: ImportManifestArgs) -> Result<()> {
    let v =
        version::normalize(&a.version).map_err(|e| AcError::usage(format!("--version: {e}")))?;
    if a.wait && a.dry_run {
        return Err(AcError::usage("--wait cannot be combined with --dry-run"));
    }
    let name = format!("v{v}");
    let p = &ctx.printer;
    let resolved = client::resolve(&ctx.global)?;
    let conn = Conn::open_resolved(resolved, &ctx.global, p).await?;
    let obj = import::manifest(&name, &v);

    let existing = conn.get_pdman(&name).await?;
    let created = match existing {
        Some(cur) => {
            check_same(&cur, &name, &v)?;
            p.info(&format!(
                "ProductManifest {name} already exists with version {v}; unchanged"
            ));
            false
        }
        None if a.dry_run => {
            let report = import::would_create(&name, &v, &obj, &conn.endpoint);
            if p.is_text() {
                p.out(&render::request::import_outcome(&report))?;
            } else {
                p.machine(&report)?;
            }
            return Ok(());
        }
        None => {
            match conn.create_pdman(&obj, false).await {
                Ok(_) => true,
                // Someone created it between our read and write: judge what is there now.
                Err(e) if e.message.contains("already exists") => {
                    let cur = conn.get_pdman(&name).await?.ok_or(e)?;
                    check_same(&cur, &name, &v)?;
                    p.info(&format!("ProductManifest {name} was created concurrently with version {v}; unchanged"));
                    false
                }
                Err(e) => return Err(e),
            }
        }
    };
    let endpoint = conn.endpoint.clone();
    let global_name = conn.session.global_name();
    let report = |ready| import::applied(&name, &v, created, ready, &endpoint, &global_name);
    if p.is_text() && created {
        p.out(&render::request::import_created(&report(None)))?;
    }
    let ready = if a.wait {
        let what = format!("ProductManifest {name} to become Ready");
        let r = follow::follow(p, conn, Res::Pdman, &name, a.timeout, &what, |o: &Value| {
            let pm = ProductManifest::from_value(o);
            match pm.ready() {
                Some(c) if c.is_true() => Step::Done(Ok(true)),
                _ => Step::Continue,
            }
        })
        .await?;
        Some(r)
    } else {
        None
    };
    let report = report(ready);
    if p.is_text() {
        p.out(&render::request::import_outcome(&report))?;
    } else {
        p.machine(&report)?;
    }
    Ok(())
}

/// An existing manifest must carry exactly this version (and no image).
fn check_same(cur: &Value, name: &str, v: &str) -> Result<()> {
    let pm = ProductManifest::from_value(cur);
    match (&pm.version, &pm.image) {
        (Some(x), None) if version::same_version(x, v) => Ok(()),
        (x, img) => {
            let what = match (x, img) {
                (_, Some(i)) => format!("image {i}"),
                (Some(x), None) => format!("version {x}"),
                (None, None) => "no version".to_string(),
            };
            Err(AcError::refused(format!(
                "ProductManifest {name} already exists with {what}, not version {v}; nothing was written"
            ))
            .hint(advice::request::inspect_manifest(name)))
        }
    }
}
