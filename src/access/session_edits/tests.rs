use serde_json::json;

use super::*;

const URL: &str = "https://acp.example.com";

fn login_input<'a>(clusters: &'a [String], tls: Tls) -> Login<'a> {
    Login {
        session: "prod",
        platform_url: URL,
        token: "tok-new",
        tls,
        clusters,
        global: "global",
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The files after the plan, as one merged document.
fn after(texts: &[(&str, &str)], plan: impl FnOnce(&Kubeconfigs) -> Vec<Change>) -> Kubeconfigs {
    let mut kcs = Kubeconfigs::from_texts(texts);
    let changes = plan(&kcs);
    kcs.apply(&changes).unwrap();
    kcs
}

fn entry(kcs: &Kubeconfigs, section: Section, name: &str) -> Value {
    kcs.entry(section, name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} missing"))
}

#[test]
fn a_first_login_writes_what_spec_3_shows() {
    let clusters = names(&["workload-a", "global"]);
    let ca = Tls::CaData("Q0E=".into());
    let kcs = after(&[("/k", "")], |kcs| {
        login(kcs, &login_input(&clusters, ca)).unwrap().changes
    });
    assert_eq!(
        entry(&kcs, Section::Clusters, "acp:prod:global"),
        json!({"name": "acp:prod:global", "cluster": {
            "server": "https://acp.example.com/kubernetes/global/",
            "certificate-authority-data": "Q0E=",
            "extensions": [{"name": "acp.io/v1", "extension": {
                "isGlobal": true, "platformUrl": URL, "sessionName": "prod", "clusterName": "global"}}]}})
    );
    assert_eq!(
        entry(&kcs, Section::Clusters, "acp:prod:workload-a")
            .pointer("/cluster/extensions/0/extension/isGlobal"),
        Some(&json!(false))
    );
    assert_eq!(
        entry(&kcs, Section::Users, "acp:prod:user"),
        json!({"name": "acp:prod:user", "user": {"token": "tok-new",
            "extensions": [{"name": "acp.io/v1", "extension": {"platformUrl": URL, "sessionName": "prod"}}]}})
    );
    assert_eq!(
        entry(&kcs, Section::Contexts, "prod/workload-a"),
        json!({"name": "prod/workload-a", "context": {"cluster": "acp:prod:workload-a", "user": "acp:prod:user"}})
    );
    assert_eq!(kcs.current_context(), Some("prod/global"));
    // The order entries are written in: global first.
    let clusters: Vec<&str> = kcs
        .entries(Section::Clusters)
        .iter()
        .map(|c| name_of(c))
        .collect();
    assert_eq!(clusters, ["acp:prod:global", "acp:prod:workload-a"]);
}

const LOGGED_IN: &str = r#"
clusters:
- name: my-global
  cluster:
    server: https://acp.example.com/kubernetes/global/
    certificate-authority-data: T0xE
    proxy-url: http://proxy:3128
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://acp.example.com, sessionName: prod, clusterName: global, drStandbySession: prod-dr, futureField: 1}
    - name: other.io/v1
      extension: {keep: me}
- name: acp:prod:gone
  cluster:
    server: https://acp.example.com/kubernetes/gone/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://acp.example.com, sessionName: prod, clusterName: gone}
- name: hand-made
  cluster: {server: https://10.0.0.1:6443}
- name: acp:prod-dr:global
  cluster:
    server: https://dr.example.com/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://dr.example.com, sessionName: prod-dr, clusterName: global}
users:
- name: acp:prod:user
  user:
    token: tok-old
    extensions:
    - name: acp.io/v1
      extension: {platformUrl: https://acp.example.com, sessionName: prod, username: admin@example.com}
- name: acp:prod-dr:user
  user:
    token: tok-dr
    extensions:
    - name: acp.io/v1
      extension: {platformUrl: https://dr.example.com, sessionName: prod-dr}
- name: hand-user
  user: {token: t}
contexts:
- {name: prod/global, context: {cluster: my-global, user: acp:prod:user, namespace: ops}}
- {name: my-gone, context: {cluster: acp:prod:gone, user: acp:prod:user}}
- {name: prod/gone, context: {cluster: acp:prod:gone, user: acp:prod:user}}
- {name: prod-dr/global, context: {cluster: acp:prod-dr:global, user: acp:prod-dr:user}}
- {name: hand, context: {cluster: hand-made, user: hand-user}}
current-context: prod/gone
"#;

#[test]
fn a_login_again_updates_in_place_and_keeps_everything_else() {
    let clusters = names(&["global", "workload-new"]);
    let mut plan = None;
    let kcs = after(&[("/k", LOGGED_IN)], |kcs| {
        let p = login(kcs, &login_input(&clusters, Tls::Unchanged)).unwrap();
        let changes = p.changes.clone();
        plan = Some(p);
        changes
    });
    let plan = plan.unwrap();
    let report = &plan.sessions[0];
    assert_eq!(report.users_updated, ["acp:prod:user"]);
    assert_eq!(report.clusters_added, ["workload-new"]);
    assert!(report.clusters_updated.is_empty(), "{report:?}");
    assert_eq!(report.not_on_platform, ["gone"]);
    let global = entry(&kcs, Section::Clusters, "my-global");
    let before = Kubeconfigs::from_texts(&[("/k", LOGGED_IN)]);
    assert_eq!(
        global,
        entry(&before, Section::Clusters, "my-global"),
        "untouched"
    );
    let user = entry(&kcs, Section::Users, "acp:prod:user");
    assert_eq!(user["user"]["token"], "tok-new");
    assert_eq!(
        user.pointer("/user/extensions/0/extension/username"),
        Some(&json!("admin@example.com"))
    );
    // The new cluster copies the global entry's TLS settings and proxy.
    let new = entry(&kcs, Section::Clusters, "acp:prod:workload-new");
    assert_eq!(new["cluster"]["certificate-authority-data"], "T0xE");
    assert_eq!(new["cluster"]["proxy-url"], "http://proxy:3128");
    assert_eq!(
        entry(&kcs, Section::Contexts, "prod/global")["context"]["namespace"],
        "ops"
    );
    assert_eq!(kcs.current_context(), Some("prod/global"));
    for kept in ["hand-made", "acp:prod-dr:global", "acp:prod:gone"] {
        assert_eq!(
            entry(&kcs, Section::Clusters, kept),
            entry(&before, Section::Clusters, kept)
        );
    }
    assert_eq!(
        entry(&kcs, Section::Users, "acp:prod-dr:user"),
        entry(&before, Section::Users, "acp:prod-dr:user")
    );

    // A new CA replaces the TLS settings of every entry of the session, and only those.
    let ca = Tls::CaData("TkVX".into());
    let kcs = after(&[("/k", LOGGED_IN)], |kcs| {
        login(kcs, &login_input(&clusters, ca)).unwrap().changes
    });
    let global = entry(&kcs, Section::Clusters, "my-global");
    assert_eq!(global["cluster"]["certificate-authority-data"], "TkVX");
    assert_eq!(
        global.pointer("/cluster/extensions/0/extension/drStandbySession"),
        Some(&json!("prod-dr"))
    );
    assert_eq!(
        global.pointer("/cluster/extensions/0/extension/futureField"),
        Some(&json!(1))
    );
    assert_eq!(
        global.pointer("/cluster/extensions/1/extension/keep"),
        Some(&json!("me"))
    );
    assert!(
        entry(&kcs, Section::Clusters, "hand-made")["cluster"]
            .get("certificate-authority-data")
            .is_none()
    );
}

#[test]
fn a_login_never_takes_what_is_not_the_sessions() {
    let clusters = names(&["global"]);
    let kcs = Kubeconfigs::from_texts(&[(
        "/k",
        "clusters:\n- name: acp:prod:global\n  cluster: {server: https://mine}\n",
    )]);
    let e = login(&kcs, &login_input(&clusters, Tls::Unchanged)).unwrap_err();
    assert!(
        e.message
            .contains("cluster entry \"acp:prod:global\" already exists"),
        "{}",
        e.message
    );
    let kcs = Kubeconfigs::from_texts(&[("/k", LOGGED_IN)]);
    let other = Login {
        platform_url: "https://elsewhere.example.com",
        ..login_input(&clusters, Tls::Unchanged)
    };
    let e = login(&kcs, &other).unwrap_err();
    assert!(
        e.message.contains("logged in to another platform"),
        "{}",
        e.message
    );
}

#[test]
fn a_sync_adds_new_clusters_and_removes_deleted_ones_with_their_contexts() {
    let clusters = names(&["global", "workload-b"]);
    let mut plan = None;
    let kcs = after(&[("/k", LOGGED_IN)], |kcs| {
        let p = sync(kcs, "prod", &clusters, "global").unwrap();
        let changes = p.changes.clone();
        plan = Some(p);
        changes
    });
    let plan = plan.unwrap();
    let report = &plan.sessions[0];
    assert_eq!(report.clusters_added, ["workload-b"]);
    assert_eq!(report.clusters_removed, ["gone"]);
    assert_eq!(report.contexts_removed, ["my-gone", "prod/gone"]);
    assert_eq!(report.contexts_added, ["prod/workload-b"]);
    assert_eq!(plan.cleared_current_context.as_deref(), Some("prod/gone"));
    assert_eq!(kcs.current_context(), None, "cleared, not moved");
    assert!(kcs.entry(Section::Clusters, "acp:prod:gone").is_none());
    assert!(kcs.entry(Section::Clusters, "hand-made").is_some());
    assert!(kcs.entry(Section::Contexts, "hand").is_some());
    assert_eq!(
        entry(&kcs, Section::Contexts, "prod/workload-b")["context"]["user"],
        "acp:prod:user"
    );
    // Nothing to do is nothing written.
    let kcs2 = Kubeconfigs::from_texts(&[("/k", LOGGED_IN)]);
    let same = names(&["global", "gone"]);
    assert!(
        sync(&kcs2, "prod", &same, "global")
            .unwrap()
            .changes
            .is_empty()
    );
    assert!(sync(&kcs2, "nope", &same, "global").is_err());
}

#[test]
fn a_logout_removes_exactly_the_sessions_entries() {
    let mut plan = None;
    let kcs = after(&[("/k", LOGGED_IN)], |kcs| {
        let p = logout(kcs, &names(&["prod-dr"])).unwrap();
        let changes = p.changes.clone();
        plan = Some(p);
        changes
    });
    let plan = plan.unwrap();
    assert_eq!(plan.sessions[0].clusters_removed, ["global"]);
    assert_eq!(plan.sessions[0].users_removed, ["acp:prod-dr:user"]);
    assert_eq!(plan.sessions[0].contexts_removed, ["prod-dr/global"]);
    assert_eq!(plan.cleared_current_context, None);
    assert!(
        plan.warnings[0].contains("session prod names prod-dr as its DR standby"),
        "{:?}",
        plan.warnings
    );
    let before = Kubeconfigs::from_texts(&[("/k", LOGGED_IN)]);
    for section in Section::ALL {
        let left: Vec<&Value> = kcs.entries(section);
        let expected: Vec<&Value> = before
            .entries(section)
            .into_iter()
            .filter(|e| !name_of(e).contains("prod-dr"))
            .collect();
        assert_eq!(left, expected, "{section:?}");
    }
    assert_eq!(kcs.current_context(), Some("prod/gone"));

    let kcs = after(&[("/k", LOGGED_IN)], |kcs| {
        logout(kcs, &names(&["prod", "prod-dr"])).unwrap().changes
    });
    let left: Vec<&str> = kcs
        .entries(Section::Clusters)
        .iter()
        .map(|c| name_of(c))
        .collect();
    assert_eq!(left, ["hand-made"]);
    assert_eq!(kcs.entries(Section::Contexts).len(), 1);
    assert_eq!(kcs.current_context(), None);
}

#[test]
fn the_dr_standby_is_remembered_on_the_primarys_global_entry() {
    let text = LOGGED_IN.replace(", drStandbySession: prod-dr", "");
    let kcs = Kubeconfigs::from_texts(&[("/k", &text)]);
    assert_eq!(remembered_standby(&kcs, "prod"), None);
    let (changes, report) = set_dr_standby(&kcs, "prod", Some("prod-dr")).unwrap();
    assert_eq!(report.entry, "my-global");
    assert_eq!(report.previous, None);
    let mut kcs = kcs;
    kcs.apply(&changes).unwrap();
    assert_eq!(remembered_standby(&kcs, "prod").as_deref(), Some("prod-dr"));
    let global = entry(&kcs, Section::Clusters, "my-global");
    assert_eq!(
        global.pointer("/cluster/extensions/0/extension/futureField"),
        Some(&json!(1))
    );
    // Again: nothing to write.
    assert!(
        set_dr_standby(&kcs, "prod", Some("prod-dr"))
            .unwrap()
            .0
            .is_empty()
    );
    // The other way round would make a cycle.
    let e = set_dr_standby(&kcs, "prod-dr", Some("prod")).unwrap_err();
    assert!(
        e.message.contains("a pair has one standby"),
        "{}",
        e.message
    );
    assert!(set_dr_standby(&kcs, "prod", Some("prod")).is_err());
    assert!(set_dr_standby(&kcs, "prod", Some("nope")).is_err());
    let (changes, report) = set_dr_standby(&kcs, "prod", None).unwrap();
    assert_eq!(report.previous.as_deref(), Some("prod-dr"));
    kcs.apply(&changes).unwrap();
    assert_eq!(remembered_standby(&kcs, "prod"), None);
    assert!(
        entry(&kcs, Section::Clusters, "my-global")
            .pointer("/cluster/extensions/0/extension/drStandbySession")
            .is_none()
    );
}

#[test]
fn only_dns_1123_names_from_the_server_become_entries() {
    let items: Vec<Value> = [
        "workload-a",
        "global",
        "workload-a",
        "../../etc",
        "Upper",
        "a/b",
        "x\u{1b}[31m",
        "-dash",
        "ok.sub-domain",
        "",
    ]
    .iter()
    .map(|n| json!({"metadata": {"name": n}}))
    .chain([json!({"metadata": {}}), json!("not an object")])
    .collect();
    let (names, skipped) = platform_clusters(&items, "global");
    assert_eq!(names, ["global", "ok.sub-domain", "workload-a"]);
    assert_eq!(skipped.len(), 8, "{skipped:?}");
    assert!(skipped.iter().all(|s| !s.contains('\u{1b}')), "{skipped:?}");
    let (names, _) = platform_clusters(&[], "global");
    assert_eq!(names, ["global"]);
    assert!(is_dns1123_subdomain(&"a".repeat(63)));
    assert!(!is_dns1123_subdomain(&"a".repeat(64)));
}
