//! Upgrade requests (SPEC §4, `docs/design.md` "Requests"): what the operator asked for,
//! checked against the cluster as read, in this order — clear, resolve the target, the
//! no-ops, the offered check, the guards ([`guards`]: the pre-checks of `ac adm upgrade
//! precheck`, each blocking item listed), then the merge patch. Pure; every hint comes from
//! [`crate::domain::advice`].

mod guards;

use serde_json::{Value, json};

use crate::domain::advice::Scope;
use crate::domain::advice::request as advice;
use crate::domain::cvsh::{Cvsh, DesiredUpdate, Release};
use crate::domain::facts::Platform;
use crate::domain::rules::offers::Offers;
use crate::domain::rules::path;
use crate::error::AcError;

/// What the operator asked for (already syntax-checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    Latest,
    Version(String),
    Image(String),
    Clear,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub ask: Ask,
    pub force: bool,
    pub allow_explicit: bool,
    pub allow_warnings: bool,
}

/// The cluster the request is for, as read from the server, and the tier around it.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    pub cluster: &'a str,
    pub cvsh: &'a Cvsh,
    /// The cluster, the global tier, how kubectl reaches global (for the advice).
    pub scope: Scope<'a>,
}

impl Observed<'_> {
    fn is_global(&self) -> bool {
        self.scope.is_global()
    }
}

#[derive(Debug, Clone)]
pub enum Decision {
    /// Nothing to do; exit 0 with this `info:` line.
    NoOp(String),
    /// The cluster already has this very request (same target, same `force`): nothing to
    /// write, this `info:` line; `--wait` follows that request.
    AlreadyRequested(String),
    /// Write this patch.
    Write(Write),
    /// A client-side check refused; nothing is written.
    Refuse(AcError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    /// The new `spec.desiredUpdate` (`None` = cleared).
    pub request: Option<DesiredUpdate>,
    /// The previous request, if any.
    pub previous: Option<DesiredUpdate>,
    /// The JSON merge patch to send.
    pub patch: Value,
    /// Guards that were bypassed, and other cautions, for `warning:` lines.
    pub warnings: Vec<String>,
}

impl Write {
    pub fn target_label(&self) -> String {
        self.request
            .as_ref()
            .and_then(DesiredUpdate::release)
            .map(|release| release.label())
            .unwrap_or_else(|| "<none>".into())
    }
}

/// Decide what to do with a request; see the module documentation for the order of checks.
/// The guards are the pre-checks on what was read of the `platform`; blocking ones become
/// warnings under `allow_warnings`.
pub fn plan(request: &Request, observed: &Observed, platform: &Platform) -> Decision {
    if request.ask == Ask::Clear {
        return plan_clear(observed);
    }
    let target = match resolve_target(&request.ask, observed) {
        Ok(target) => target,
        Err(refusal) => return Decision::Refuse(refusal),
    };
    if let Some(decision) = no_op(&target, request, observed) {
        return decision;
    }
    let mut warnings = Vec::new();
    if let Err(refusal) = offered_entry(&target, request, observed, &mut warnings) {
        return Decision::Refuse(refusal);
    }
    if request.ask == Ask::Latest {
        warnings.extend(pre_release_caution(&target, observed));
    }
    let prechecks = guards::prechecks(request, observed, platform);
    if let Err(refusal) = guards::apply(
        &prechecks,
        &target,
        observed,
        request.allow_warnings,
        &mut warnings,
    ) {
        return Decision::Refuse(refusal);
    }
    match write(&target, request.force, observed, warnings) {
        Ok(write) => Decision::Write(write),
        Err(refusal) => Decision::Refuse(refusal),
    }
}

/// `--clear`: a no-op without a request; a caution while the controller reconciles.
fn plan_clear(observed: &Observed) -> Decision {
    let (cvsh, cluster) = (observed.cvsh, observed.cluster);
    let Some(previous) = cvsh
        .desired_update
        .clone()
        .filter(|previous| previous.release().is_some() || previous.force.is_some())
    else {
        return Decision::NoOp(format!(
            "nothing to clear: cluster {cluster} has no upgrade request"
        ));
    };
    let mut warnings = Vec::new();
    if cvsh.condition_true("Reconciling") {
        warnings.push(format!(
            "cluster {cluster} is reconciling: clearing the request does not roll back what the controller already applied"
        ));
    }
    match patch_body(observed, Value::Null) {
        Ok(patch) => Decision::Write(Write {
            request: None,
            previous: Some(previous),
            patch,
            warnings,
        }),
        Err(refusal) => Decision::Refuse(refusal),
    }
}

/// The release asked for. `--to-latest` takes the highest version offered (the version only:
/// the controller resolves the image); nothing offered is a refusal.
fn resolve_target(ask: &Ask, observed: &Observed) -> Result<Release, AcError> {
    let (cvsh, cluster) = (observed.cvsh, observed.cluster);
    match ask {
        Ask::Latest => match Offers::new(&cvsh.available_updates).latest() {
            Some(latest) => Ok(Release {
                version: latest.version.clone(),
                image: None,
            }),
            None => {
                let refusal = AcError::refused(format!(
                    "no updates are offered to cluster {cluster} (status.availableUpdates is empty); nothing was written"
                ));
                Err(refusal.hint(nothing_offered_hint(observed)))
            }
        },
        Ask::Version(wanted) => Ok(Release {
            version: Some(wanted.clone()),
            image: None,
        }),
        Ask::Image(image) => Ok(Release {
            version: None,
            image: Some(image.clone()),
        }),
        Ask::Clear => unreachable!("--clear is planned by plan_clear"),
    }
}

fn nothing_offered_hint(observed: &Observed) -> String {
    if observed.is_global() {
        return advice::import_first("<version>").inline();
    }
    let tier = observed.scope.tier;
    match tier.primary_version() {
        Some(global_version) if tier.behind(observed.cvsh.current_version()) => {
            advice::await_offer(global_version, observed.cluster).inline()
        }
        _ => advice::workload_offers_follow_global(tier.primary()).parenthesized(),
    }
}

/// `--to-latest` picked a pre-release: say so, and name the highest stable release offered.
fn pre_release_caution(target: &Release, observed: &Observed) -> Option<String> {
    let version = target.version.as_deref()?;
    let pre = path::pre_release(version)?;
    let stable = Offers::new(&observed.cvsh.available_updates)
        .latest_stable()
        .and_then(|r| r.version.clone());
    Some(advice::latest_is_pre_release(
        version,
        &pre,
        stable.as_deref(),
    ))
}

/// Already there ([`Decision::NoOp`]), or already asked for with the same `force`
/// ([`Decision::AlreadyRequested`]).
fn no_op(target: &Release, request: &Request, observed: &Observed) -> Option<Decision> {
    let (cvsh, cluster) = (observed.cvsh, observed.cluster);
    let label = target.label();
    let requested = cvsh.requested();
    if let Some(current) = &cvsh.current
        && current.same_as(target)
        && requested.as_ref().is_none_or(|r| r.same_as(current))
    {
        return Some(Decision::NoOp(format!(
            "cluster {cluster} is already at {label}"
        )));
    }
    let same_force = cvsh
        .desired_update
        .as_ref()
        .and_then(|d| d.force)
        .unwrap_or(false)
        == request.force;
    if let Some(requested) = &requested
        && requested.same_as(target)
        && same_force
    {
        return Some(Decision::AlreadyRequested(format!(
            "cluster {cluster} already has a request for {label}; {}",
            advice::follow_existing(cluster).inline()
        )));
    }
    None
}

/// The offered entry the target matches. Not offered: a refusal, or with
/// `--allow-explicit-upgrade` a warning.
fn offered_entry(
    target: &Release,
    request: &Request,
    observed: &Observed,
    warnings: &mut Vec<String>,
) -> Result<Option<Release>, AcError> {
    let (cvsh, cluster) = (observed.cvsh, observed.cluster);
    let offers = Offers::new(&cvsh.available_updates);
    let entry = offers.find(target).cloned();
    if entry.is_some() {
        return Ok(entry);
    }
    let label = target.label();
    if request.allow_explicit {
        warnings.push(format!(
            "{label} is not in the updates offered to cluster {cluster}; requesting it anyway (--allow-explicit-upgrade): the controller still decides"
        ));
        return Ok(None);
    }
    let offered_list = offers.labels();
    let mut refusal = AcError::refused(format!(
        "{label} is not offered to cluster {cluster} (offered: {offered_list}); nothing was written"
    ));
    if let Some(wanted) = &target.version
        && observed.is_global()
    {
        refusal = refusal.hint(advice::import_first(wanted).inline());
    }
    Err(refusal.hint(advice::ALLOW_EXPLICIT))
}

/// The request to write: exactly one of version/image (the other nulled), `force` set or
/// removed.
fn write(
    target: &Release,
    force: bool,
    observed: &Observed,
    warnings: Vec<String>,
) -> Result<Write, AcError> {
    let request = DesiredUpdate {
        version: target.version.clone(),
        image: target.image.clone(),
        force: force.then_some(true),
    };
    let desired_update = json!({
        "version": target.version,
        "image": target.image,
        "force": if force { Value::Bool(true) } else { Value::Null },
    });
    Ok(Write {
        request: Some(request),
        previous: observed.cvsh.desired_update.clone(),
        patch: patch_body(observed, desired_update)?,
        warnings,
    })
}

/// The merge patch: `spec.desiredUpdate` (or `null` to clear), with the read's
/// `metadata.resourceVersion` so the server refuses it (409) if the object changed since.
/// A read without one cannot be guarded: such a patch would overwrite whatever another
/// writer did since the read, so it is refused (exit 1: the server's answer is unusable for
/// a write; nothing is written).
fn patch_body(observed: &Observed, desired_update: Value) -> Result<Value, AcError> {
    let Some(resource_version) = observed
        .cvsh
        .resource_version
        .as_deref()
        .filter(|rv| !rv.is_empty())
    else {
        return Err(AcError::api(format!(
            "the ClusterVersionShadow of cluster {} was read without metadata.resourceVersion, so a write could not be guarded against a concurrent change; nothing was written",
            observed.cluster
        ))
        .hint("every API server sends one: a proxy or a broken server may be answering; -v=6 shows the requests")
        .hint("re-run when the server answers with the object's resourceVersion"));
    };
    Ok(json!({
        "metadata": { "resourceVersion": resource_version },
        "spec": { "desiredUpdate": desired_update },
    }))
}

#[cfg(test)]
mod tests;
