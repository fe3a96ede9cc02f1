//! Upgrade requests: target resolution, sequencing, guards and the merge patch. Pure.

use serde_json::{Value, json};

use crate::domain::cvsh::{Cvsh, DesiredUpdate, Release};
use crate::domain::version;
use crate::error::AcError;

/// What the operator asked for (already syntax-checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Latest,
    Version(String),
    Image(String),
    Clear,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub target: Target,
    pub force: bool,
    pub allow_explicit: bool,
    pub allow_warnings: bool,
}

/// What the server told us.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub cluster: &'a str,
    pub is_global: bool,
    pub cvsh: &'a Cvsh,
    /// `status.current.version` of the global cluster (workload clusters only).
    pub global_version: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub enum Decision {
    /// Nothing to do; exit 0 with this `info:` line.
    NoOp(String),
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
            .map(|r| r.label())
            .unwrap_or_else(|| "<none>".into())
    }
}

/// Decide what to do with a request. Order: resolve the target (no-ops, offered list), then
/// sequencing, then guards; overridable refusals become warnings under `allow_warnings`.
pub fn plan(req: &Request, f: &Facts) -> Decision {
    let c = f.cvsh;
    let cl = f.cluster;
    let previous = c.desired_update.clone();
    let mut warnings = Vec::new();

    if req.target == Target::Clear {
        let Some(prev) = previous
            .clone()
            .filter(|p| p.release().is_some() || p.force.is_some())
        else {
            return Decision::NoOp(format!(
                "nothing to clear: cluster {cl} has no upgrade request"
            ));
        };
        if c.condition_true("Reconciling") {
            warnings.push(format!(
                "cluster {cl} is reconciling: clearing the request does not roll back what the controller already applied"
            ));
        }
        return Decision::Write(Write {
            request: None,
            previous: Some(prev),
            patch: patch_body(c, Value::Null),
            warnings,
        });
    }

    let offered = version::sort_updates(&c.available_updates);
    let offered_list = || {
        if offered.is_empty() {
            "none".to_string()
        } else {
            offered
                .iter()
                .map(Release::label)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let import_hint = |v: &str| {
        format!("publish the release metadata first: ac adm release import-manifest --version {v}")
    };

    // 1. Resolve the target release.
    let target: Release = match &req.target {
        Target::Latest => {
            let Some(latest) = version::latest(&c.available_updates) else {
                let mut e = AcError::refused(format!(
                    "no updates are offered to cluster {cl} (status.availableUpdates is empty); nothing was written"
                ));
                e = if f.is_global {
                    e.hint(import_hint("<version>"))
                } else {
                    match f.global_version {
                        Some(g) if c.current_version().is_some_and(|cur| version::newer_than(g, cur) == Some(true)) => e.hint(format!(
                            "global is at {g}: the controller offers it once it has processed the release; check again with: ac adm upgrade --cluster={cl}"
                        )),
                        _ => e.hint("a workload cluster is offered only versions the global cluster has reached: upgrade global first (ac adm upgrade --cluster=global)"),
                    }
                };
                return Decision::Refuse(e);
            };
            // The request names the version only; the controller resolves the image.
            Release {
                version: latest.version,
                image: None,
            }
        }
        Target::Version(v) => Release {
            version: Some(v.clone()),
            image: None,
        },
        Target::Image(i) => Release {
            version: None,
            image: Some(i.clone()),
        },
        Target::Clear => unreachable!("handled above"),
    };
    let label = target.label();

    // 2. No-ops: already there, already asked.
    let requested = c.requested();
    if let Some(cur) = &c.current
        && cur.same_as(&target)
        && requested.as_ref().is_none_or(|r| r.same_as(cur))
    {
        return Decision::NoOp(format!("cluster {cl} is already at {label}"));
    }
    if let Some(r) = &requested
        && r.same_as(&target)
        && previous.as_ref().and_then(|p| p.force).unwrap_or(false) == req.force
    {
        return Decision::NoOp(format!(
            "cluster {cl} already has a request for {label}; follow it with: ac adm upgrade status --cluster={cl}"
        ));
    }

    // 3. Offered?
    let offered_entry = offered
        .iter()
        .find(|o| match (&target.version, &target.image) {
            (Some(_), _) => o.same_as(&target),
            (None, Some(i)) => o.image.as_deref() == Some(i.as_str()),
            _ => false,
        });
    if offered_entry.is_none() {
        if !req.allow_explicit {
            let mut e = AcError::refused(format!(
                "{label} is not offered to cluster {cl} (offered: {}); nothing was written",
                offered_list()
            ));
            if let Some(v) = &target.version
                && f.is_global
            {
                e = e.hint(import_hint(v));
            }
            e = e.hint(
                "to request it anyway (the controller still decides), add --allow-explicit-upgrade",
            );
            return Decision::Refuse(e);
        }
        warnings.push(format!(
            "{label} is not in the updates offered to cluster {cl}; requesting it anyway (--allow-explicit-upgrade): the controller still decides"
        ));
    }
    // The version the request amounts to, when one is known (image targets through the offer).
    let target_version = target
        .version
        .clone()
        .or_else(|| offered_entry.and_then(|o| o.version.clone()));

    let mut guards: Vec<AcError> = Vec::new();

    // 4. Downgrade.
    if let (Some(tv), Some(cur)) = (&target_version, c.current_version())
        && version::newer_than(cur, tv) == Some(true)
    {
        guards.push(
            AcError::refused(format!("{tv} is older than cluster {cl}'s current version {cur}: downgrades are not supported"))
                .hint("pick a newer version (ac adm upgrade --cluster=".to_string() + cl + ")"),
        );
    }

    // 5. Sequencing: a workload cluster may only move to a version global has reached.
    if !f.is_global {
        match (&target_version, f.global_version) {
            (Some(tv), Some(g)) if version::newer_than(tv, g) != Some(false) && !version::same_version(tv, g) => {
                let allowed = version::highest_up_to(&c.available_updates, g);
                let mut e = AcError::refused(format!(
                    "cluster {cl} cannot move to {tv}: the global cluster is at {g}, and a workload cluster may only move to a version global has reached"
                ))
                .hint(format!("upgrade global first: ac adm upgrade --cluster=global --to={tv}"));
                if let Some(a) = allowed {
                    e = e.hint(format!("or move {cl} to {a} now: ac adm upgrade --cluster={cl} --to={a}"));
                }
                guards.push(e);
            }
            (Some(_), None) => guards.push(
                AcError::refused(format!(
                    "cannot check the sequencing rule for cluster {cl}: the global cluster reports no current version"
                ))
                .hint("check the global cluster: ac adm upgrade --cluster=global"),
            ),
            (None, _) => warnings.push(format!(
                "the version behind image {label} is unknown: the sequencing rule (global first) could not be checked"
            )),
            _ => {}
        }
    }

    // 6. In progress towards something else.
    if let Some(busy) = in_progress_towards(c)
        && !busy.same_as(&target)
    {
        guards.push(
            AcError::refused(format!(
                "cluster {cl} is already upgrading to {}; a new request would redirect it",
                busy.label()
            ))
            .hint(format!(
                "wait for it: ac adm upgrade status --cluster={cl} --watch"
            )),
        );
    }

    // 7. Stalled / Degraded.
    for t in ["Stalled", "Degraded"] {
        if let Some(cond) = c.condition(t).filter(|x| x.is_true()) {
            let why = cond
                .message
                .as_deref()
                .or(cond.reason.as_deref())
                .map(|m| format!(": {}", crate::error::one_line(m)))
                .unwrap_or_default();
            guards.push(
                AcError::refused(format!("cluster {cl} is {t}{why}")).hint(format!(
                    "see why and fix it first: ac adm upgrade status --cluster={cl}"
                )),
            );
        }
    }

    if !guards.is_empty() {
        if !req.allow_warnings {
            let mut first = guards.remove(0);
            for g in guards {
                first.hints.push(format!("also: {}", g.message));
            }
            first.message.push_str("; nothing was written");
            first
                .hints
                .push("to go ahead anyway, add --allow-upgrade-with-warnings".into());
            return Decision::Refuse(first);
        }
        for g in guards {
            warnings.push(format!(
                "{} (overridden by --allow-upgrade-with-warnings)",
                g.message
            ));
        }
    }
    if c.is_stale() {
        warnings.push(format!(
            "the status of cluster {cl} is stale (generation {} not yet observed by the controller)",
            c.generation.unwrap_or_default()
        ));
    }

    let request = DesiredUpdate {
        version: target.version.clone(),
        image: target.image.clone(),
        force: req.force.then_some(true),
    };
    let du = json!({
        "version": target.version,
        "image": target.image,
        "force": if req.force { Value::Bool(true) } else { Value::Null },
    });
    Decision::Write(Write {
        request: Some(request),
        previous,
        patch: patch_body(c, du),
        warnings,
    })
}

/// The merge patch: `spec.desiredUpdate` (or `null` to clear), with the read's
/// `metadata.resourceVersion` so the server refuses it (409) if the object changed since.
fn patch_body(c: &Cvsh, desired_update: Value) -> Value {
    let mut p = json!({ "spec": { "desiredUpdate": desired_update } });
    if let Some(rv) = &c.resource_version {
        p["metadata"] = json!({ "resourceVersion": rv });
    }
    p
}

/// The release the controller is applying now, if it is busy.
pub fn in_progress_towards(c: &Cvsh) -> Option<Release> {
    let running = c
        .history
        .first()
        .filter(|h| h.completion_time.is_none() && h.state.as_deref() != Some("Completed"))
        .map(|h| h.release());
    if c.condition_true("Reconciling") {
        return c.desired.clone().or(running);
    }
    running
        .filter(|r| r.version.is_some() || r.image.is_some())
        .filter(|r| c.current.as_ref().is_none_or(|cur| !cur.same_as(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cvsh(v: Value) -> Cvsh {
        Cvsh::from_value(&v)
    }

    fn base(updates: &[&str]) -> Value {
        json!({
            "metadata": {"name": "global", "resourceVersion": "42", "generation": 1},
            "status": {
                "observedGeneration": 1,
                "current": {"version": "4.2.1"},
                "availableUpdates": updates.iter().map(|v| json!({"version": v})).collect::<Vec<_>>(),
                "conditions": [{"type": "Ready", "status": "True"}]
            }
        })
    }

    fn req(t: Target) -> Request {
        Request {
            target: t,
            force: false,
            allow_explicit: false,
            allow_warnings: false,
        }
    }

    fn global<'a>(c: &'a Cvsh) -> Facts<'a> {
        Facts {
            cluster: "global",
            is_global: true,
            cvsh: c,
            global_version: None,
        }
    }

    fn write(d: Decision) -> Write {
        match d {
            Decision::Write(w) => w,
            other => panic!("expected a write, got {other:?}"),
        }
    }

    fn refused(d: Decision) -> AcError {
        match d {
            Decision::Refuse(e) => e,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn latest_is_semver_highest_and_patch_is_exact() {
        let c = cvsh(base(&["4.3.9", "4.3.10", "4.2.3"]));
        let w = write(plan(&req(Target::Latest), &global(&c)));
        assert_eq!(
            w.patch,
            json!({"metadata": {"resourceVersion": "42"},
                   "spec": {"desiredUpdate": {"version": "4.3.10", "image": null, "force": null}}})
        );
        assert!(w.warnings.is_empty());
    }

    #[test]
    fn latest_requests_the_version_only_even_when_the_offer_has_an_image() {
        let mut v = base(&[]);
        v["status"]["availableUpdates"] =
            json!([{"version": "4.3.0", "image": "r.example/acp:4.3.0"}]);
        let c = cvsh(v);
        let w = write(plan(&req(Target::Latest), &global(&c)));
        assert_eq!(
            w.patch["spec"]["desiredUpdate"],
            json!({"version": "4.3.0", "image": null, "force": null})
        );
    }

    #[test]
    fn nothing_offered_refuses_with_import_hint() {
        let c = cvsh(base(&[]));
        let e = refused(plan(&req(Target::Latest), &global(&c)));
        assert_eq!(e.exit_code(), 3);
        assert!(e.hints[0].contains("import-manifest"), "{:?}", e.hints);
    }

    #[test]
    fn not_offered_needs_explicit() {
        let c = cvsh(base(&["4.3.0"]));
        let e = refused(plan(&req(Target::Version("4.4.0".into())), &global(&c)));
        assert!(e.message.contains("offered: 4.3.0"));
        assert!(
            e.hints
                .iter()
                .any(|h| h.contains("--allow-explicit-upgrade"))
        );
        let mut r = req(Target::Version("4.4.0".into()));
        r.allow_explicit = true;
        let w = write(plan(&r, &global(&c)));
        assert_eq!(w.warnings.len(), 1);
    }

    #[test]
    fn noops() {
        let c = cvsh(base(&["4.3.0"]));
        assert!(
            matches!(plan(&req(Target::Version("4.2.1".into())), &global(&c)), Decision::NoOp(m) if m.contains("already at"))
        );
        assert!(
            matches!(plan(&req(Target::Clear), &global(&c)), Decision::NoOp(m) if m.contains("nothing to clear"))
        );
        let mut v = base(&["4.3.0"]);
        v["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
        let c = cvsh(v);
        assert!(
            matches!(plan(&req(Target::Version("v4.3.0".into())), &global(&c)), Decision::NoOp(m) if m.contains("already has a request"))
        );
        // same version but now with --force is a change
        let mut r = req(Target::Version("4.3.0".into()));
        r.force = true;
        let w = write(plan(&r, &global(&c)));
        assert_eq!(w.patch["spec"]["desiredUpdate"]["force"], json!(true));
    }

    #[test]
    fn clear_nulls_desired_update() {
        let mut v = base(&["4.3.0"]);
        v["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
        let w = write(plan(&req(Target::Clear), &global(&cvsh(v))));
        assert_eq!(w.patch["spec"], json!({"desiredUpdate": null}));
        assert!(w.request.is_none());
    }

    #[test]
    fn image_targets_null_the_version() {
        let mut v = base(&[]);
        v["status"]["availableUpdates"] =
            json!([{"version": "4.3.0", "image": "r.example/acp@sha256:ab"}]);
        let c = cvsh(v);
        let w = write(plan(
            &req(Target::Image("r.example/acp@sha256:ab".into())),
            &global(&c),
        ));
        assert_eq!(
            w.patch["spec"]["desiredUpdate"],
            json!({"version": null, "image": "r.example/acp@sha256:ab", "force": null})
        );
    }

    #[test]
    fn sequencing_for_workload_clusters() {
        let mut v = base(&["4.3.0", "4.2.3"]);
        v["metadata"]["name"] = json!("workload-a");
        let c = cvsh(v);
        let f = Facts {
            cluster: "workload-a",
            is_global: false,
            cvsh: &c,
            global_version: Some("4.2.3"),
        };
        let e = refused(plan(&req(Target::Version("4.3.0".into())), &f));
        assert!(
            e.message.contains("global cluster is at 4.2.3"),
            "{}",
            e.message
        );
        assert!(
            e.hints.iter().any(|h| h.contains("--to=4.2.3")),
            "{:?}",
            e.hints
        );
        assert!(
            write(plan(&req(Target::Version("4.2.3".into())), &f))
                .warnings
                .is_empty()
        );
        let e = refused(plan(&req(Target::Latest), &f));
        assert!(e.message.contains("4.3.0"));
        let mut r = req(Target::Version("4.3.0".into()));
        r.allow_warnings = true;
        let w = write(plan(&r, &f));
        assert!(w.warnings[0].contains("overridden"));
        let f2 = Facts {
            global_version: None,
            ..f
        };
        assert!(
            refused(plan(&req(Target::Version("4.2.3".into())), &f2))
                .message
                .contains("sequencing")
        );
    }

    #[test]
    fn guards_in_progress_and_stalled() {
        let mut v = base(&["4.3.0", "4.2.3"]);
        v["spec"] = json!({"desiredUpdate": {"version": "4.2.3"}});
        v["status"]["desired"] = json!({"version": "4.2.3"});
        v["status"]["conditions"] = json!([{"type": "Reconciling", "status": "True"},
                                           {"type": "Stalled", "status": "True", "message": "operation x failed"}]);
        let c = cvsh(v);
        let e = refused(plan(&req(Target::Version("4.3.0".into())), &global(&c)));
        assert!(
            e.message.contains("already upgrading to 4.2.3"),
            "{}",
            e.message
        );
        assert!(
            e.hints
                .iter()
                .any(|h| h.contains("Stalled: operation x failed")),
            "{:?}",
            e.hints
        );
        assert!(
            e.hints
                .last()
                .unwrap()
                .contains("--allow-upgrade-with-warnings")
        );
        let mut r = req(Target::Version("4.3.0".into()));
        r.allow_warnings = true;
        assert_eq!(write(plan(&r, &global(&c))).warnings.len(), 2);
    }

    #[test]
    fn downgrade_is_guarded() {
        let c = cvsh(base(&["4.1.0"]));
        let e = refused(plan(&req(Target::Version("4.1.0".into())), &global(&c)));
        assert!(e.message.contains("older"));
    }

    #[test]
    fn duplicates_and_prereleases_in_offer() {
        let c = cvsh(base(&["4.3.0-rc.1", "4.3.0", "4.3.0"]));
        let w = write(plan(&req(Target::Latest), &global(&c)));
        assert_eq!(w.target_label(), "4.3.0");
    }
}
