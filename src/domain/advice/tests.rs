use super::*;
use crate::domain::advice::scrape::{admin_gate_keys, cluster_names, resource_patch_names};
use crate::domain::assess::{Assessment, assess};
use crate::domain::cvsh::Cvsh;
use crate::domain::sequencing::{Global, MoveTo, move_to};
use crate::domain::test_support::*;
use serde_json::{Value, json};

/// The status screen's next steps, the global cluster named `global`.
fn steps(c: &Cvsh, assessment: Assessment) -> Vec<NextStep> {
    status::next_steps(c, assessment, Global::new("global", None))
}

#[test]
fn resource_patch_names_from_messages() {
    let cases: &[(&str, &[&str])] = &[
        (
            "ResourcePatch rp-gateway-hotfix is not exempt for version 4.3.0",
            &["rp-gateway-hotfix"],
        ),
        (
            "found 2 unexempt resourcepatches: rp-a, rp-b are not exempted",
            &["rp-a", "rp-b"],
        ),
        (
            "unexempt ResourcePatches [rp-a rp-b.v2] block the upgrade",
            &["rp-a", "rp-b.v2"],
        ),
        (
            "resourcepatches (rp-a, rp-b) lack annotation",
            &["rp-a", "rp-b"],
        ),
        ("blocked by resourcepatches/rp-x.", &["rp-x"]),
        (
            "resourcepatches/rp-x and resourcepatches/rp-y need exemption",
            &["rp-x", "rp-y"],
        ),
        ("patch \"rp-quoted\" is not exempt", &["rp-quoted"]),
        (
            "ResourcePatch rp-a and rp-b are unexempt",
            &["rp-a", "rp-b"],
        ),
        ("ResourcePatch rp-end.", &["rp-end"]),
        ("some patches are not exempt", &[]),
        ("ResourcePatch Foo_Bar is bad", &[]),
        ("", &[]),
        ("3 ResourcePatches are not exempt", &[]),
        ("resourcepatch", &[]),
        ("resourcepatches/", &[]),
    ];
    for (msg, want) in cases {
        assert_eq!(resource_patch_names(msg), *want, "{msg}");
    }
}

#[test]
fn cluster_names_from_messages() {
    assert_eq!(
        cluster_names("workload cluster workload-legacy runs Kubernetes v1.30.6"),
        ["workload-legacy"]
    );
    assert_eq!(cluster_names("clusters/a-1 is too old"), ["a-1"]);
    assert!(cluster_names("the cluster is running").is_empty());
    assert!(cluster_names("subclusters x").is_empty());
}

#[test]
fn admin_gate_keys_from_messages() {
    assert_eq!(
        admin_gate_keys(
            "admin ack required: ack-4.4-kubernetes-1.35-kernel-update, ack-4.4-foo. See admin-gates."
        ),
        ["ack-4.4-kubernetes-1.35-kernel-update", "ack-4.4-foo"]
    );
    assert!(admin_gate_keys("gates not acknowledged").is_empty());
}

fn blocked(check: Value) -> Cvsh {
    cv(upgrading(json!({"preflight": {"checks": [check]}})))
}

#[test]
fn next_steps_for_known_blocks() {
    let c = blocked(
        json!({"name": "ResourcePatchUpgradeable", "state": "Failed",
        "reason": "UnexemptResourcePatches", "message": "ResourcePatch rp-a is not exempt"}),
    );
    assert_eq!(assess(&c, now()), Assessment::BlockedByPreflight);
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::ExemptResourcePatch);
    assert!(s[0].commands.contains(
        &"kubectl annotate resourcepatches rp-a config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
            .to_string()
    ));

    let c = blocked(
        json!({"name": "ResourcePatchUpgradeable", "state": "Failed",
        "reason": "UnexemptResourcePatches"}),
    );
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert!(s[0].commands[1].contains("resourcepatches <rp-name> config"));

    let c = blocked(json!({"name": "AdminAckRequired", "state": "Failed",
        "message": "acknowledge ack-4.4-kernel"}));
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::AcknowledgeAdminGate);
    assert!(s[0].commands[0].contains("admin-gates"));
    assert!(s[0].commands[1].contains(r#""ack-4.4-kernel":"true""#));

    let c = blocked(
        json!({"name": "KubernetesVersionSupported", "state": "Failed",
        "message": "workload clusters wl-1, wl-2 run Kubernetes v1.30"}),
    );
    let s = steps(&c, Assessment::BlockedByPreflight);
    assert_eq!(s[0].kind, NextStepKind::KubernetesVersion);
    assert!(s[0].text.contains("1.31–1.34"), "{}", s[0].text);
    assert_eq!(
        s[0].commands,
        [
            "ac adm upgrade --cluster wl-1",
            "ac adm upgrade --cluster wl-2"
        ]
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
    let s = steps(&c, Assessment::Idle);
    assert_eq!(s[0].kind, NextStepKind::RequestUpdate);
    assert!(s[0].text.starts_with("4.3.10"));

    let c =
        cv(json!({"metadata": {"name": "global"}, "status": {"current": {"version": "4.3.0"}}}));
    let s = steps(&c, Assessment::Idle);
    assert_eq!(s[0].kind, NextStepKind::ImportManifest);
}

#[test]
fn sequencing_and_move_to() {
    let c = cv(
        json!({"metadata": {"name": "w"}, "status": {"current": {"version": "4.1.0"},
        "availableUpdates": [{"version": "4.2.3"}, {"version": "4.3.0"}, {"version": "4.4.0"}, {"image": "x/y@sha256:ab"}]}}),
    );
    assert_eq!(move_to(&c, "4.3.0"), MoveTo::Offered("4.3.0".into()));
    assert_eq!(move_to(&c, "4.2.9"), MoveTo::Offered("4.2.3".into()));
    assert_eq!(move_to(&c, "4.1.0"), MoveTo::NotOffered);
    let s = status::sequencing_step(&c, Global::new("global", Some("4.3.0"))).unwrap();
    assert_eq!(s.commands, ["ac adm upgrade --cluster w --to=4.3.0"]);
    assert_eq!(
        status::sequencing_step(&c, Global::new("global", Some("4.1.0"))),
        None
    );
    assert_eq!(
        status::sequencing_step(&c, Global::new("global", None)),
        None
    );

    let ahead = cv(
        json!({"metadata": {"name": "w"}, "spec": {"desiredUpdate": {"version": "4.4.0"}},
        "status": {"current": {"version": "4.2.0"}}}),
    );
    assert!(
        status::sequencing_step(&ahead, Global::new("global", Some("4.3.0")))
            .unwrap()
            .text
            .contains("ahead")
    );
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
