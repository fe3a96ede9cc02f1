//! `ac adm release import-manifest --version V [--wait] [--timeout 10m]`: create ProductManifest
//! `v<V>` so the controller offers V. Never overwrites.

use serde_json::{Value, json};

use super::Ctx;
use super::follow::{self, Res, Step};
use crate::access::client::{self, Conn};
use crate::cli::ImportManifestArgs;
use crate::domain::cvsh::ProductManifest;
use crate::domain::version;
use crate::error::{AcError, Result};

pub async fn run(ctx: &Ctx, a: ImportManifestArgs) -> Result<()> {
    let v =
        version::normalize(&a.version).map_err(|e| AcError::usage(format!("--version: {e}")))?;
    if a.wait && a.dry_run {
        return Err(AcError::usage("--wait cannot be combined with --dry-run"));
    }
    let name = format!("v{v}");
    let p = &ctx.printer;
    let resolved = client::resolve(&ctx.access)?;
    let conn = Conn::open(resolved, &ctx.access, ctx.diagnostics()).await?;
    let obj = json!({
        "apiVersion": "config.alauda.io/v1",
        "kind": "ProductManifest",
        "metadata": {"name": name},
        "spec": {"version": v},
    });

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
            if p.is_text() {
                p.out(&format!(
                    "Dry run: nothing was written. Would create on {}:\n{}\n",
                    conn.endpoint,
                    serde_json::to_string_pretty(&obj).unwrap_or_default()
                ))?;
            } else {
                p.machine(&json!({"schema": "ac.alauda.io/import-manifest/v1", "name": name, "version": v, "dryRun": true, "created": false, "object": obj}))?;
            }
            return Ok(());
        }
        None => {
            match conn.create_pdman(&obj, false).await {
                Ok(_) => true,
                // Someone created it between our read and write: judge what is there now.
                Err(e) if crate::access::errors::is_already_exists(&e) => {
                    let cur = conn.get_pdman(&name).await?.ok_or(e)?;
                    check_same(&cur, &name, &v)?;
                    p.info(&format!("ProductManifest {name} was created concurrently with version {v}; unchanged"));
                    false
                }
                Err(e) => return Err(e),
            }
        }
    };
    if p.is_text() && created {
        p.out(&format!(
            "Created ProductManifest {name} (version {v}) on {}.\n",
            conn.endpoint
        ))?;
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
        if p.is_text() {
            p.out(&format!(
                "ProductManifest {name} is Ready: the controller offers {v} to the clusters on a supported path.\nSee it with: ac adm upgrade --cluster=global\n"
            ))?;
        }
        Some(r)
    } else {
        if p.is_text() {
            p.out(&format!(
                "The controller offers {v} once it has processed it; check with: ac adm upgrade --cluster=global\n"
            ))?;
        }
        None
    };
    if !p.is_text() {
        p.machine(&json!({
            "schema": "ac.alauda.io/import-manifest/v1",
            "name": name, "version": v, "dryRun": false, "created": created, "ready": ready,
        }))?;
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
            .hint(format!("inspect it with: kubectl get productmanifests {name} -o yaml (its spec is immutable)")))
        }
    }
}
