use super::*;
use crate::domain::assess::{Assessment, assess};
use crate::domain::cmdline::Kubectl;
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::{Fact, Platform, ResourcePatch};
use crate::domain::precheck::next_move;
use crate::domain::rules::tier::GlobalTier;
use crate::domain::test_support::*;
use serde_json::{Value, json};

/// The status screen's next steps, the global cluster named `global` at no known version,
/// nothing read of the platform.
fn steps(c: &Cvsh, assessment: Assessment) -> Vec<NextStep> {
    steps_on(c, assessment, &not_read())
}

fn steps_on(c: &Cvsh, assessment: Assessment, platform: &Platform) -> Vec<NextStep> {
    steps_with(
        c,
        assessment,
        platform,
        &GlobalTier::new("global", None, None),
    )
}

/// The next steps with the cluster's next move judged on `platform`.
fn steps_with(
    c: &Cvsh,
    assessment: Assessment,
    platform: &Platform,
    tier: &GlobalTier,
) -> Vec<NextStep> {
    let next = next_move(&c.name, c, tier, platform);
    let scope = Scope {
        cluster: &c.name,
        tier,
        kubectl: Kubectl::default(),
    };
    status::next_steps(c, assessment, &scope, platform, &next)
}

fn not_read() -> Platform {
    let unknown = || "not read".to_string();
    Platform {
        resource_patches: Fact::Unknown(unknown()),
        admin_gates: Fact::Unknown(unknown()),
        admin_acks: Fact::Unknown(unknown()),
        ..Platform::default()
    }
}

fn blocked(check: Value) -> Cvsh {
    cv(upgrading(json!({"preflight": {"checks": [check]}})))
}

#[test]
fn next_steps_for_known_blocks() {
    // Names come from the ResourcePatches themselves, not from the message.
    let c = blocked(
        json!({"name": "ResourcePatchUpgradeable", "state": "Failed",
        "reason": "UnexemptResourcePatches", "message": "ResourcePatch rp-wrong is not exempt"}),
    );
    assert_eq!(assess(&c, now()), Assessment::BlockedByPreflight);
    let patches = Platform {
        resource_patches: Fact::Read(vec![
            ResourcePatch {
                name: "rp-a".into(),
                exempt_for: None,
                cluster: None,
            },
            ResourcePatch {
                name: "rp-done".into(),
                exempt_for: Some("4.3.0".into()),
                cluster: None,
            },
        ]),
        ..Platform::default()
    };
    let s = steps_on(&c, Assessment::BlockedByPreflight, &patches);
    assert_eq!(s[0].kind, NextStepKind::ExemptResourcePatch);
    assert_eq!(
        s[0].commands[1],
        "kubectl annotate resourcepatches rp-a config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
    );
    // Not read: the pre-checks list them.
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(
        s[0].commands,
        ["ac adm upgrade precheck --cluster global --to=4.3.0"]
    );

    let c = blocked(json!({"name": "AdminAckRequired", "state": "Failed",
        "message": "acknowledge ack-wrong"}));
    let gates = Platform {
        admin_gates: Fact::Read(vec![
            ("ack-4.3-kernel".into(), "check the kernel".into()),
            ("ack-4.4-later".into(), "another release".into()),
        ]),
        admin_acks: Fact::Read(Some(vec![])),
        ..Platform::default()
    };
    let s = steps_on(&c, Assessment::BlockedByPreflight, &gates);
    assert_eq!(s[0].kind, NextStepKind::AcknowledgeAdminGate);
    assert!(s[0].commands[0].contains("admin-gates"));
    assert!(
        s[0].commands[1].contains(r#"{"data":{"ack-4.3-kernel":"true"}}"#),
        "{:?}",
        s[0].commands
    );

    let c = blocked(
        json!({"name": "KubernetesVersionSupported", "state": "Failed",
        "message": "1 cluster outside the range"}),
    );
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::KubernetesVersion);
    assert!(s[0].text.contains("1.31–1.34"), "{}", s[0].text);
    // never a word of the message as a cluster name
    assert_eq!(
        s[0].commands,
        ["ac adm upgrade precheck --cluster global --to=4.3.0"]
    );

    let c = blocked(json!({"name": "VersionUpgradePath", "state": "Failed"}));
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::UpgradePath);
    assert!(s[0].text.contains("4.0, 4.1 or 4.2"), "{}", s[0].text);

    let c = blocked(json!({"name": "ClusterRunning", "state": "Failed", "message": "x"}));
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::ResolveCheck);
}

#[test]
fn disabled_checks_are_a_reminder() {
    let c = blocked(json!({"name": "ClusterModuleStable", "state": "Passed"}));
    let platform = Platform {
        disabled_checks: Fact::Read(vec!["PlatformLicense".into(), "ClusterRunning".into()]),
        ..Platform::default()
    };
    let s = steps_on(&c, assess(&c, now()), &platform);
    let last = s.last().unwrap();
    assert_eq!(last.kind, NextStepKind::ReenableChecks);
    assert!(last.text.starts_with("2 preflight checks are disabled in cpaas-system/cvo-config (PlatformLicense, ClusterRunning)"), "{}", last.text);
}

#[test]
fn next_steps_for_retry_stalled_stale_idle() {
    let c = blocked(json!({"name": "ClusterModuleStable", "state": "Retry"}));
    let a = assess(&c, now());
    assert_eq!(a, Assessment::PreflightRunning);
    let s = steps(&c, a);
    assert_eq!(s[0].kind, NextStepKind::WaitForPreflight);
    assert!(s[0].text.contains("ClusterModuleStable"));

    let c = cv(upgrading(json!({"conditions": [cond("Stalled", "True")],
        "stages": stages(&[("Running", &["Succeeded", "Failed"])])})));
    let s = steps(&c, assess(&c, now()));
    assert_eq!(s[0].kind, NextStepKind::FailedOperation);
    assert!(s[0].text.contains("op0-1"));

    let c = cv(upgrading(json!({"conditions": [cond("Stalled", "True")],
        "stages": stages(&[("Running", &["Running"])])})));
    let s = steps(&c, assess(&c, now()));
    assert_eq!(s[0].kind, NextStepKind::ResolveCondition);

    let mut v = upgrading(json!({}));
    v["metadata"]["generation"] = json!(3);
    let c = cv(v);
    let s = steps(&c, assess(&c, now()));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].kind, NextStepKind::StaleStatus);

    let c = cv(
        json!({"metadata": {"name": "global"}, "status": {"current": {"version": "4.3.0"},
        "availableUpdates": [{"version": "4.3.1"}, {"version": "4.3.10"}]}}),
    );
    let s = steps_on(&c, Assessment::Idle, &Platform::default());
    assert_eq!(s[0].kind, NextStepKind::RequestUpdate);
    assert!(s[0].text.starts_with("4.3.10"));
    assert_eq!(
        s[0].commands,
        ["ac adm upgrade --cluster global --to=4.3.10"]
    );
    // Something blocks 4.3.10 (the ResourcePatches could not be read is not a block; an
    // unexempt one is): its pre-checks are the step, never the request.
    let blocking = Platform {
        resource_patches: Fact::Read(vec![ResourcePatch {
            name: "rp-a".into(),
            exempt_for: None,
            cluster: None,
        }]),
        ..Platform::default()
    };
    let s = steps_on(&c, Assessment::Idle, &blocking);
    assert_eq!(s[0].kind, NextStepKind::CheckAgain);
    assert!(s[0].text.contains("resource-patches"), "{}", s[0].text);
    assert_eq!(
        s[0].commands,
        ["ac adm upgrade precheck --cluster global --to=4.3.10"]
    );

    let c =
        cv(json!({"metadata": {"name": "global"}, "status": {"current": {"version": "4.3.0"}}}));
    let s = steps(&c, Assessment::Idle);
    assert_eq!(s[0].kind, NextStepKind::ImportManifest);
}

#[test]
fn a_workload_behind_the_tier_moves_to_what_the_tier_reached() {
    let c = cv(
        json!({"metadata": {"name": "w"}, "status": {"current": {"version": "4.1.0"},
        "availableUpdates": [{"version": "4.2.3"}, {"version": "4.3.0"}, {"version": "4.4.0"}, {"image": "x/y@sha256:ab"}]}}),
    );
    let platform = Platform {
        clusters: Some(Fact::Read(vec![crate::domain::facts::PlatformCluster {
            name: "w".into(),
            kubernetes_version: Some("1.31.1".into()),
            phase: None,
        }])),
        ..Platform::default()
    };
    let tier = GlobalTier::new("global", Some("4.3.0".into()), None);
    let s = steps_with(&c, Assessment::Idle, &platform, &tier);
    assert_eq!(s[0].kind, NextStepKind::Sequencing);
    assert!(
        s[0].text
            .starts_with("This cluster (4.1.0) is behind the global tier (4.3.0)")
    );
    assert_eq!(s[0].commands, ["ac adm upgrade --cluster w --to=4.3.0"]);
    let tier = GlobalTier::new("global", Some("4.2.9".into()), None);
    let s = steps_with(&c, Assessment::Idle, &platform, &tier);
    assert_eq!(s[0].commands, ["ac adm upgrade --cluster w --to=4.2.3"]);
    // Level with global: nothing newer that the tier allows.
    let tier = GlobalTier::new("global", Some("4.1.0".into()), None);
    assert!(steps_with(&c, Assessment::Idle, &platform, &tier).is_empty());

    let ahead = cv(
        json!({"metadata": {"name": "w"}, "spec": {"desiredUpdate": {"version": "4.4.0"}},
        "status": {"current": {"version": "4.2.0"}}}),
    );
    let tier = GlobalTier::new("global", Some("4.3.0".into()), None);
    let s = steps_with(&ahead, assess(&ahead, now()), &platform, &tier);
    assert!(s.iter().any(|s| s.text.contains("ahead")), "{s:?}");
}

#[test]
fn unsafe_names_stay_out_of_commands() {
    let c = cv(json!({"metadata": {"name": "x'; rm -rf /"},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {"current": {"version": "4.2.1"}, "preflight": {"checks": [
            {"name": "Bad\"Check", "state": "Failed"}]}}}));
    let s = steps(&c, assess(&c, now()));
    assert_eq!(
        s[0].commands,
        ["kubectl -n cpaas-system get cvsh <cluster> -o jsonpath='{.status.preflight.checks}'"]
    );
}
