//! ACP CLI profiles: the sessions and clusters a kubeconfig knows (by their `acp.io/v1`
//! metadata, never by entry names), and what switching to one means — which context becomes
//! current, and which context must be created first (`<session>/<cluster>`, as `ac login`
//! names them). Pure functions of a parsed kubeconfig; writing is in [`super::kubeconfig_file`].

use kube::config::Kubeconfig;

use super::kubeconfig::{ClusterExt, Session, UserExt, acp_ext, same_url, segment_cluster};
pub use crate::domain::report::profiles::{ClusterInfo, NewContext, SessionInfo, Switch};
use crate::error::{AcError, Result};

/// A cluster entry that carries ACP metadata.
struct Entry<'a> {
    entry: &'a str,
    ext: ClusterExt,
    cluster: String,
}

fn entries(kc: &Kubeconfig) -> Vec<Entry<'_>> {
    kc.clusters
        .iter()
        .filter_map(|named| {
            let c = named.cluster.as_ref()?;
            let ext: ClusterExt = acp_ext(&c.extensions)?;
            ext.session_name.as_ref()?;
            let cluster = ext
                .cluster_name
                .clone()
                .or_else(|| c.server.as_deref().and_then(segment_cluster))?;
            Some(Entry {
                entry: &named.name,
                ext,
                cluster,
            })
        })
        .collect()
}

fn same_session(a: &ClusterExt, name: &str, platform: Option<&str>) -> bool {
    a.session_name.as_deref() == Some(name)
        && match (a.platform_url.as_deref(), platform) {
            (Some(x), Some(y)) => same_url(x, y),
            _ => true,
        }
}

/// The cluster entry a context points at.
fn context_entry<'a>(kc: &'a Kubeconfig, context: &str) -> Option<&'a str> {
    kc.contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .map(|c| c.cluster.as_str())
}

/// The sessions that have a cluster named `cluster` (by `acp.io/v1` metadata), in the order
/// their entries appear.
pub fn sessions_with_cluster(kc: &Kubeconfig, cluster: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in entries(kc).iter().filter(|e| e.cluster == cluster) {
        if let Some(name) = &e.ext.session_name
            && !out.contains(name)
        {
            out.push(name.clone());
        }
    }
    out
}

/// Every session, in the order their first cluster entry appears.
pub fn sessions(kc: &Kubeconfig) -> Vec<SessionInfo> {
    let all = entries(kc);
    let current_entry = kc
        .current_context
        .as_deref()
        .and_then(|c| context_entry(kc, c));
    let mut out: Vec<SessionInfo> = Vec::new();
    for e in &all {
        let name = e.ext.session_name.clone().unwrap_or_default();
        let platform = e.ext.platform_url.clone();
        if out
            .iter()
            .any(|s| s.name == name && same_platform(&s.platform_url, &platform))
        {
            continue;
        }
        let members: Vec<&Entry> = all
            .iter()
            .filter(|x| same_session(&x.ext, &name, platform.as_deref()))
            .collect();
        let mut names: Vec<&str> = members.iter().map(|m| m.cluster.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        out.push(SessionInfo {
            username: session_user(kc, &name, platform.as_deref()).and_then(|(_, u)| u),
            current: members.iter().any(|m| Some(m.entry) == current_entry),
            clusters: names.len(),
            dr_standby: members
                .iter()
                .find(|m| m.ext.is_global)
                .and_then(|m| m.ext.dr_standby_session.clone())
                .filter(|s| !s.is_empty()),
            dr_standby_of: Vec::new(),
            name,
            platform_url: platform,
        });
    }
    let pairs: Vec<(String, String)> = out
        .iter()
        .filter_map(|s| Some((s.dr_standby.clone()?, s.name.clone())))
        .collect();
    for (standby, primary) in pairs {
        for s in out.iter_mut().filter(|s| s.name == standby) {
            s.dr_standby_of.push(primary.clone());
        }
    }
    out
}

fn same_platform(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same_url(x, y),
        _ => true,
    }
}

/// The user entry holding a session's credential, and its ACP username.
fn session_user(
    kc: &Kubeconfig,
    session: &str,
    platform: Option<&str>,
) -> Option<(String, Option<String>)> {
    kc.auth_infos.iter().find_map(|a| {
        let ext: UserExt = acp_ext(&a.auth_info.as_ref()?.extensions)?;
        let platform_ok = match (ext.platform_url.as_deref(), platform) {
            (Some(x), Some(y)) => same_url(x, y),
            _ => true,
        };
        (ext.session_name.as_deref() == Some(session) && platform_ok)
            .then(|| (a.name.clone(), ext.username))
    })
}

/// The clusters of the resolved session (the current context's, or `--context`'s).
pub fn clusters(kc: &Kubeconfig, session: &Session) -> Result<Vec<ClusterInfo>> {
    let acp = not_acp(session)?;
    Ok(acp
        .clusters
        .iter()
        .map(|c| ClusterInfo {
            name: c.name.clone(),
            is_global: c.is_global,
            entry: c.entry.clone(),
            server: c.server.clone(),
            context: context_for(kc, &acp.name, &c.name, &c.entry),
            current: c.entry == session.context_entry,
        })
        .collect())
}

fn not_acp(session: &Session) -> Result<&super::kubeconfig::AcpSession> {
    session.acp.as_ref().ok_or_else(|| {
        AcError::config(format!(
            "context {:?} is not an ACP session (its cluster entry has no acp.io/v1 metadata)",
            session.context
        ))
        .hint("list the ACP sessions with: ac config get-sessions; switch with: ac config use-session NAME")
    })
}

/// A context pointing at `entry`: `<session>/<cluster>` if it exists, else the first by name.
fn context_for(kc: &Kubeconfig, session: &str, cluster: &str, entry: &str) -> Option<String> {
    let preferred = format!("{session}/{cluster}");
    let mut candidates: Vec<&str> = kc
        .contexts
        .iter()
        .filter(|c| c.context.as_ref().is_some_and(|x| x.cluster == entry))
        .map(|c| c.name.as_str())
        .collect();
    if candidates.contains(&preferred.as_str()) {
        return Some(preferred);
    }
    candidates.sort_unstable();
    candidates.first().map(|c| c.to_string())
}

pub(crate) fn login_hint(session: &str, platform: Option<&str>, _cluster: Option<&str>) -> String {
    format!(
        "log in with the ACP CLI so the kubeconfig gets it: {}",
        crate::domain::cmdline::login(platform, session)
    )
}

/// Switch to a session: its global cluster's context (created if needed), else any context
/// of the session.
pub fn use_session(kc: &Kubeconfig, name: &str) -> Result<Switch> {
    let all = sessions(kc);
    let Some(info) = all.iter().find(|s| s.name == name) else {
        let known: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        return Err(
            AcError::config(format!("no ACP session {name:?} in the kubeconfig")).hint(format!(
                "sessions: {}; {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                },
                login_hint(name, None, None)
            )),
        );
    };
    let members: Vec<Entry> = entries(kc)
        .into_iter()
        .filter(|e| same_session(&e.ext, name, info.platform_url.as_deref()))
        .collect();
    let global = members
        .iter()
        .find(|e| e.ext.is_global)
        .or_else(|| members.first())
        .ok_or_else(|| AcError::config(format!("session {name:?} has no clusters")))?;
    switch_to(kc, name, info.platform_url.as_deref(), global)
}

/// Switch to a cluster of the current session.
pub fn use_cluster(kc: &Kubeconfig, session: &Session, cluster: &str) -> Result<Switch> {
    let acp = not_acp(session)?;
    let members: Vec<Entry> = entries(kc)
        .into_iter()
        .filter(|e| same_session(&e.ext, &acp.name, acp.platform_url.as_deref()))
        .collect();
    let Some(target) = members.iter().find(|e| e.cluster == cluster) else {
        let mut known: Vec<&str> = members.iter().map(|e| e.cluster.as_str()).collect();
        known.sort_unstable();
        known.dedup();
        return Err(AcError::config(format!(
            "cluster {cluster:?} is not in session {:?}",
            acp.name
        ))
        .hint(format!(
            "clusters of this session: {}; see them with: ac config get-clusters",
            known.join(", ")
        ))
        .hint(login_hint(
            &acp.name,
            acp.platform_url.as_deref(),
            Some(cluster),
        )));
    };
    switch_to(kc, &acp.name, acp.platform_url.as_deref(), target)
}

fn switch_to(
    kc: &Kubeconfig,
    session: &str,
    platform: Option<&str>,
    target: &Entry,
) -> Result<Switch> {
    if let Some(context) = context_for(kc, session, &target.cluster, target.entry) {
        return Ok(Switch {
            context,
            create: None,
            cluster: target.cluster.clone(),
            session: session.to_string(),
        });
    }
    let Some((user_entry, _)) = session_user(kc, session, platform) else {
        return Err(AcError::config(format!(
            "session {session:?} has no credentials in the kubeconfig (no user entry with its acp.io/v1 metadata)"
        ))
        .hint(login_hint(session, platform, Some(&target.cluster))));
    };
    let name = format!("{session}/{}", target.cluster);
    if kc.contexts.iter().any(|c| c.name == name) {
        return Err(AcError::config(format!(
            "context {name:?} exists but points at another cluster entry than {:?}",
            target.entry
        ))
        .hint(format!(
            "inspect it with: kubectl config get-contexts {name}; rename or delete it, then re-run"
        )));
    }
    Ok(Switch {
        context: name.clone(),
        create: Some(NewContext {
            name,
            cluster_entry: target.entry.to_string(),
            user_entry,
        }),
        cluster: target.cluster.clone(),
        session: session.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KC: &str = r#"
clusters:
- name: pg
  cluster:
    server: https://prod.example.com/kubernetes/global/
    extensions: [{name: acp.io/v1, extension: {isGlobal: true, platformUrl: https://prod.example.com, sessionName: prod, clusterName: global}}]
- name: pa
  cluster:
    server: https://prod.example.com/kubernetes/workload-a/
    extensions: [{name: acp.io/v1, extension: {platformUrl: https://prod.example.com, sessionName: prod, clusterName: workload-a}}]
- name: pb
  cluster:
    server: https://prod.example.com/kubernetes/workload-b/
    extensions: [{name: acp.io/v1, extension: {platformUrl: https://prod.example.com, sessionName: prod, clusterName: workload-b}}]
- name: sg
  cluster:
    server: https://stage.example.com/kubernetes/global/
    extensions: [{name: acp.io/v1, extension: {isGlobal: true, platformUrl: https://stage.example.com, sessionName: stage, clusterName: global}}]
- name: plain
  cluster: {server: https://10.0.0.1:6443}
users:
- name: pu
  user:
    token: t1
    extensions: [{name: acp.io/v1, extension: {platformUrl: https://prod.example.com, sessionName: prod, username: admin@prod}}]
- name: su
  user:
    token: t2
    extensions: [{name: acp.io/v1, extension: {platformUrl: https://stage.example.com, sessionName: stage, username: ops@stage}}]
contexts:
- {name: prod/global, context: {cluster: pg, user: pu}}
- {name: my-a, context: {cluster: pa, user: pu}}
- {name: plain, context: {cluster: plain, user: pu}}
current-context: my-a
"#;

    fn kc() -> Kubeconfig {
        Kubeconfig::from_yaml(KC).unwrap()
    }

    #[test]
    fn sessions_by_metadata() {
        let s = sessions(&kc());
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "prod");
        assert_eq!(s[0].clusters, 3);
        assert!(s[0].current);
        assert_eq!(s[0].username.as_deref(), Some("admin@prod"));
        assert_eq!(s[1].name, "stage");
        assert!(!s[1].current);
    }

    #[test]
    fn clusters_of_the_current_session_with_their_contexts() {
        let kc = kc();
        let session = Session::resolve(&kc, None, None).unwrap();
        let c = clusters(&kc, &session).unwrap();
        let names: Vec<_> = c.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["global", "workload-a", "workload-b"]);
        assert_eq!(c[1].context.as_deref(), Some("my-a"));
        assert!(c[1].current);
        assert_eq!(c[2].context, None);
    }

    #[test]
    fn switching_finds_or_creates_contexts() {
        let kc = kc();
        let session = Session::resolve(&kc, None, None).unwrap();
        let s = use_cluster(&kc, &session, "global").unwrap();
        assert_eq!(s.context, "prod/global");
        assert_eq!(s.create, None);
        let s = use_cluster(&kc, &session, "workload-b").unwrap();
        assert_eq!(
            s.create,
            Some(NewContext {
                name: "prod/workload-b".into(),
                cluster_entry: "pb".into(),
                user_entry: "pu".into()
            })
        );
        let e = use_cluster(&kc, &session, "workload-z").unwrap_err();
        assert!(
            e.hints
                .iter()
                .any(|h| h.contains("ac login https://prod.example.com --name prod")),
            "{:?}",
            e.hints
        );
        let s = use_session(&kc, "stage").unwrap();
        assert_eq!(s.context, "stage/global");
        assert_eq!(s.create.unwrap().user_entry, "su");
        assert!(use_session(&kc, "nope").is_err());
        let plain = Session::resolve(&kc, Some("plain"), None).unwrap();
        assert!(use_cluster(&kc, &plain, "global").is_err());
    }
}
