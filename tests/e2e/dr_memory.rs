//! The DR pair remembered in kubeconfig (`ac config set-dr-standby`): every command that
//! orders the global tier uses it without a flag, `--dr-standby` and `AC_DR_STANDBY` override
//! it, `-v=4` says where it came from, and a remembered standby that is gone stops the command.

use std::path::Path;

use crate::common::{Env, Run, base_command, run};
use crate::precheck::dr_pair;

/// `ac` with no `AC_DR_STANDBY` (the harness sets none) and the standby's tokens checked too.
async fn ac(env: &Env, args: &[&str], extra_env: &[(&str, &str)]) -> Run {
    let r = env.ac_env(args, extra_env).await;
    let dr = env.sim.standby().unwrap();
    for secret in [dr.admin_token(), dr.viewer_token()] {
        assert!(!r.both().contains(&secret), "{}", r.both());
    }
    r
}

fn shown(env: &Env, r: &Run) -> String {
    r.both()
        .replace(env.kubeconfig.to_str().unwrap(), "<kubeconfig>")
}

const PRECHECK_GLOBAL: &[&str] = &[
    "adm",
    "upgrade",
    "precheck",
    "--cluster=global",
    "--to=4.3.0",
    "-v=4",
];

#[tokio::test(flavor = "multi_thread")]
async fn the_remembered_standby_orders_the_global_tier_without_a_flag() {
    let env = dr_pair("4.2.1", "4.2.1").await;
    // Nothing remembered, no flag: the primary's precheck does not know the standby.
    let r = ac(&env, PRECHECK_GLOBAL, &[]).await;
    assert!(
        r.stderr.contains("I DR standby: none (no --dr-standby, no AC_DR_STANDBY, none remembered for session sim)"),
        "{}",
        r.both()
    );

    let r = ac(&env, &["config", "set-dr-standby", "sim-dr"], &[]).await;
    golden!(shown(&env, &r), "dr/set.txt");
    let text = std::fs::read_to_string(&env.kubeconfig).unwrap();
    assert!(text.contains("drStandbySession: sim-dr"), "{text}");

    // Every command that orders the global tier now waits for the standby.
    let r = ac(&env, PRECHECK_GLOBAL, &[]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(
        r.stderr.contains("I DR standby: session sim-dr from the kubeconfig (drStandbySession on the global cluster entry of session sim)"),
        "{}",
        r.both()
    );
    let r = ac(
        &env,
        &["adm", "upgrade", "--cluster=global", "--to=4.3.0"],
        &[],
    )
    .await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(env.patches().is_empty(), "nothing requested");
    let r = ac(&env, &["adm", "upgrade", "status", "--all-clusters"], &[]).await;
    assert!(
        r.stdout.contains("DR standby, session sim-dr"),
        "{}",
        r.both()
    );
    let r = ac(&env, &["adm", "upgrade", "--cluster=workload-a"], &[]).await;
    assert!(
        r.stdout
            .contains("DR: the standby global (session sim-dr) is at 4.2.1"),
        "{}",
        r.both()
    );

    // The flag and the variable still override (and -v=4 says so).
    let r = ac(
        &env,
        &[PRECHECK_GLOBAL, &["--dr-standby=sim-dr"]].concat(),
        &[("AC_DR_STANDBY", "nope")],
    )
    .await;
    assert!(
        r.stderr
            .contains("I DR standby: session sim-dr from --dr-standby"),
        "{}",
        r.both()
    );
    let r = ac(&env, PRECHECK_GLOBAL, &[("AC_DR_STANDBY", "sim-dr")]).await;
    assert!(
        r.stderr
            .contains("I DR standby: session sim-dr from AC_DR_STANDBY"),
        "{}",
        r.both()
    );
    let r = ac(&env, PRECHECK_GLOBAL, &[("AC_DR_STANDBY", "nope")]).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr
            .contains("error: AC_DR_STANDBY=nope: no ACP session \"nope\""),
        "{}",
        r.both()
    );

    // The standby's own commands: no standby of its own.
    let r = ac(
        &env,
        &[&["--context=sim-dr/global"], PRECHECK_GLOBAL].concat(),
        &[],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stderr.contains("I DR standby: none"), "{}", r.both());

    // Forgotten: the primary goes alone again.
    let r = ac(&env, &["config", "set-dr-standby", "--unset"], &[]).await;
    golden!(shown(&env, &r), "dr/unset.txt");
    let r = ac(&env, PRECHECK_GLOBAL, &[]).await;
    assert!(r.stderr.contains("I DR standby: none"), "{}", r.both());
    assert!(
        !std::fs::read_to_string(&env.kubeconfig)
            .unwrap()
            .contains("drStandbySession")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_remembered_standby_that_is_gone_stops_the_command() {
    let env = dr_pair("4.2.1", "4.3.0").await;
    assert_eq!(
        ac(&env, &["config", "set-dr-standby", "sim-dr"], &[])
            .await
            .code,
        0
    );
    let r = ac(&env, &["logout", "--session", "sim-dr"], &[]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr
            .contains("warning: session sim names sim-dr as its DR standby"),
        "{}",
        r.both()
    );
    let r = ac(
        &env,
        &["adm", "upgrade", "--cluster=global", "--to=4.3.0"],
        &[],
    )
    .await;
    golden!(shown(&env, &r), "dr/standby-gone.txt");
    assert_eq!(r.code, 1);
    assert!(env.patches().is_empty());
    // The refusals of set-dr-standby.
    let r = ac(&env, &["config", "set-dr-standby", "sim"], &[]).await;
    assert_eq!(r.code, 2, "{}", r.both());
    let r = ac(&env, &["config", "set-dr-standby", "sim-dr"], &[]).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.contains("no ACP session \"sim-dr\""),
        "{}",
        r.both()
    );
}

/// Two platforms and a remembered pair, as `ac config get-sessions` shows them.
const PAIR: &str = r#"apiVersion: v1
kind: Config
clusters:
- name: acp:prod:global
  cluster:
    server: https://prod.example.com/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://prod.example.com, sessionName: prod, clusterName: global, drStandbySession: prod-dr}
- name: acp:prod-dr:global
  cluster:
    server: https://10.0.0.20/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://10.0.0.20, sessionName: prod-dr, clusterName: global}
- name: acp:stage:global
  cluster:
    server: https://stage.example.com/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://stage.example.com, sessionName: stage, clusterName: global}
users:
- name: acp:prod:user
  user: {token: tok-prod-secret}
contexts:
- {name: prod/global, context: {cluster: acp:prod:global, user: acp:prod:user}}
current-context: prod/global
"#;

#[tokio::test(flavor = "multi_thread")]
async fn get_sessions_shows_the_pair() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("config");
    std::fs::write(&kc, PAIR).unwrap();
    let mut cmd = base_command(dir.path());
    cmd.env("KUBECONFIG", &kc).args(["config", "get-sessions"]);
    let r = run(cmd).await;
    golden!(r.both(), "dr/get-sessions.txt");
    let mut cmd = base_command(dir.path());
    cmd.env("KUBECONFIG", &kc)
        .args(["config", "get-sessions", "-o", "json"]);
    let r = run(cmd).await;
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["sessions"][0]["drStandby"], "prod-dr");
    assert_eq!(v["sessions"][1]["drStandbyOf"], serde_json::json!(["prod"]));
    assert!(!r.both().contains("tok-prod-secret"));
    assert!(Path::new(&kc).exists());
}
