//! Dynamic completion of flag values (clap_complete `unstable-dynamic`).
//!
//! The completers read the kubeconfig (no network) except `--to`, which makes one GET of the
//! target cluster's ClusterVersionShadow with a 2-second budget and stays silent on any failure.
//! They see only the word being completed, so `--kubeconfig`, `--context` and `--cluster`
//! already typed on the command line are read from the process arguments.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap_complete::engine::CompletionCandidate;

use crate::access::kubeconfig::{self, Session, Source};
use crate::access::{Options, Silent, client};
use crate::domain::name;

/// The value of `--flag X` or `--flag=X` among the words being completed (last one wins).
fn flag_value(words: &[String], flag: &str) -> Option<String> {
    let mut found = None;
    let mut it = words.iter().peekable();
    while let Some(w) = it.next() {
        if w == flag {
            if let Some(v) = it.peek() {
                found = Some((*v).clone());
            }
        } else if let Some(v) = w.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            found = Some(v.to_string());
        }
    }
    found
}

fn words() -> Vec<String> {
    std::env::args().collect()
}

fn load(words: &[String]) -> Option<kube::config::Kubeconfig> {
    let explicit = flag_value(words, "--kubeconfig").map(PathBuf::from);
    kubeconfig::load(&Source::from_env(explicit.as_deref()))
        .ok()
        .map(|l| l.config)
}

fn prefix(current: &OsStr) -> String {
    current.to_string_lossy().into_owned()
}

/// `--context`: context names from the kubeconfig, described by their cluster.
pub fn contexts(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(kc) = load(&words()) else {
        return Vec::new();
    };
    contexts_of(&kc, &prefix(current))
}

pub fn contexts_of(kc: &kube::config::Kubeconfig, prefix: &str) -> Vec<CompletionCandidate> {
    kc.contexts
        .iter()
        .filter(|c| c.name.starts_with(prefix))
        .map(|c| {
            let help = c
                .context
                .as_ref()
                .map(|x| format!("cluster entry {}", x.cluster));
            CompletionCandidate::new(c.name.clone()).help(help.map(Into::into))
        })
        .collect()
}

/// `ac config use-session`: the ACP sessions of the kubeconfig, described by their platform.
pub fn sessions(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(kc) = load(&words()) else {
        return Vec::new();
    };
    let prefix = prefix(current);
    crate::access::profiles::sessions(&kc)
        .into_iter()
        .filter(|s| s.name.starts_with(&prefix))
        .map(|s| {
            let help = s.platform_url.unwrap_or_default();
            CompletionCandidate::new(s.name).help(Some(help.into()))
        })
        .collect()
}

/// `ac config set-dr-standby`: the sessions other than the primary's (`--session`, else the
/// context's), which cannot be its own standby.
pub fn standby_sessions(current: &OsStr) -> Vec<CompletionCandidate> {
    let w = words();
    let Some(kc) = load(&w) else {
        return Vec::new();
    };
    let primary = flag_value(&w, "--session").or_else(|| {
        Session::resolve(&kc, flag_value(&w, "--context").as_deref(), None)
            .ok()
            .and_then(|s| s.acp.map(|a| a.name))
    });
    standby_sessions_of(&kc, primary.as_deref(), &prefix(current))
}

pub fn standby_sessions_of(
    kc: &kube::config::Kubeconfig,
    primary: Option<&str>,
    prefix: &str,
) -> Vec<CompletionCandidate> {
    crate::access::profiles::sessions(kc)
        .into_iter()
        .filter(|s| Some(s.name.as_str()) != primary && s.name.starts_with(prefix))
        .map(|s| {
            let help = format!("standby global at {}", s.platform_url.unwrap_or_default());
            CompletionCandidate::new(s.name).help(Some(help.into()))
        })
        .collect()
}

/// `ac login URL`: the platforms the kubeconfig has sessions for (logging in again), described
/// by their session.
pub fn platform_urls(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(kc) = load(&words()) else {
        return Vec::new();
    };
    let prefix = prefix(current);
    let mut seen = Vec::new();
    crate::access::profiles::sessions(&kc)
        .into_iter()
        .filter_map(|s| Some((s.platform_url?, s.name)))
        .filter(|(url, _)| url.starts_with(&prefix))
        .filter(|(url, _)| {
            let new = !seen.contains(url);
            seen.push(url.clone());
            new
        })
        .map(|(url, session)| {
            CompletionCandidate::new(url).help(Some(format!("session {session}").into()))
        })
        .collect()
}

/// `--cluster`: the clusters of the current session in kubeconfig, and every cluster with a
/// ClusterVersionShadow on the session's global (one LIST, 2-second budget, silent on failure):
/// any of them can be targeted.
pub fn clusters(current: &OsStr) -> Vec<CompletionCandidate> {
    let w = words();
    let Some(kc) = load(&w) else {
        return Vec::new();
    };
    let prefix = prefix(current);
    let mut found = clusters_of(&kc, flag_value(&w, "--context").as_deref(), &prefix);
    let on_global = with_budget(cvsh_names(&w)).unwrap_or_default();
    for cluster in on_global {
        if cluster.starts_with(&prefix)
            && name::validate(&cluster).is_ok()
            && !found.iter().any(|c| c.get_value() == cluster.as_str())
        {
            found.push(
                CompletionCandidate::new(cluster)
                    .help(Some("cluster of the platform (no kubeconfig entry)".into())),
            );
        }
    }
    found
}

/// Run `future` on a small runtime for at most 2 seconds; `None` on failure or timeout.
fn with_budget<T>(future: impl std::future::Future<Output = Option<T>>) -> Option<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let found = rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(2), future)
            .await
            .ok()
            .flatten()
    });
    rt.shutdown_background();
    found
}

/// A connection to the global cluster of the session the words name, for completion: quiet,
/// 2-second budget.
async fn connect(w: &[String]) -> Option<client::Conn> {
    let opts = Options {
        kubeconfig: flag_value(w, "--kubeconfig").map(PathBuf::from),
        context: flag_value(w, "--context"),
        user: flag_value(w, "--user"),
        request_timeout: Duration::from_secs(2),
        ..Options::default()
    };
    let resolved = client::resolve(&opts).ok()?;
    client::Conn::open(resolved, &opts, Arc::new(Silent))
        .await
        .ok()
}

/// The name of an object, and nothing else of it.
#[derive(serde::Deserialize)]
struct Named {
    #[serde(default)]
    metadata: NameOnly,
}

#[derive(serde::Deserialize, Default)]
struct NameOnly {
    #[serde(default)]
    name: Option<String>,
}

/// The names of every ClusterVersionShadow on global.
async fn cvsh_names(w: &[String]) -> Option<Vec<String>> {
    let conn = connect(w).await?;
    let mut names = Vec::new();
    conn.list_cvsh_pages(|page: Vec<Named>| {
        names.extend(page.into_iter().filter_map(|n| n.metadata.name))
    })
    .await
    .ok()?;
    names.sort();
    Some(names)
}

pub fn clusters_of(
    kc: &kube::config::Kubeconfig,
    context: Option<&str>,
    prefix: &str,
) -> Vec<CompletionCandidate> {
    let Ok(s) = Session::resolve(kc, context, None) else {
        return Vec::new();
    };
    let Some(acp) = &s.acp else { return Vec::new() };
    let mut names: Vec<(String, String)> = acp
        .clusters
        .iter()
        .map(|c| {
            let role = if c.is_global {
                "global cluster"
            } else {
                "workload cluster"
            };
            (c.name.clone(), format!("{role} of session {}", acp.name))
        })
        .collect();
    let g = s.global_name();
    if !names.iter().any(|(n, _)| *n == g) {
        names.insert(0, (g, format!("global cluster of session {}", acp.name)));
    }
    names
        .into_iter()
        // Only names `--cluster` accepts (a hostile kubeconfig's names are not offered).
        .filter(|(n, _)| n.starts_with(prefix) && name::validate(n).is_ok())
        .map(|(n, h)| CompletionCandidate::new(n).help(Some(h.into())))
        .collect()
}

/// `--to`: versions offered to the target cluster (one GET, 2-second budget, silent on failure).
pub fn versions(current: &OsStr) -> Vec<CompletionCandidate> {
    let w = words();
    let pre = prefix(current);
    let found = with_budget(offered(&w));
    found
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v.starts_with(&pre))
        .map(|v| CompletionCandidate::new(v).help(Some("offered in availableUpdates".into())))
        .collect()
}

async fn offered(w: &[String]) -> Option<Vec<String>> {
    let conn = connect(w).await?;
    let cluster = flag_value(w, "--cluster").unwrap_or_else(|| conn.session.global_name());
    // Silent on a name `--cluster` refuses: no request is built from it.
    name::validate(&cluster).ok()?;
    let raw = conn.get_cvsh(&cluster).await.ok()?;
    let c = crate::domain::cvsh::Cvsh::from_value(&raw);
    Some(
        crate::domain::rules::offers::Offers::new(&c.available_updates)
            .into_vec()
            .into_iter()
            .filter_map(|r| r.version)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_values_from_words() {
        let w: Vec<String> = [
            "ac",
            "adm",
            "upgrade",
            "--context",
            "a",
            "--cluster=w1",
            "--to",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(flag_value(&w, "--context").as_deref(), Some("a"));
        assert_eq!(flag_value(&w, "--cluster").as_deref(), Some("w1"));
        assert_eq!(flag_value(&w, "--kubeconfig"), None);
    }

    #[test]
    fn clusters_of_the_current_session() {
        let kc = kube::config::Kubeconfig::from_yaml(
            r#"
clusters:
- name: g
  cluster:
    server: https://p/kubernetes/global/
    extensions: [{name: acp.io/v1, extension: {isGlobal: true, sessionName: s, clusterName: global}}]
- name: w
  cluster:
    server: https://p/kubernetes/work-1/
    extensions: [{name: acp.io/v1, extension: {sessionName: s, clusterName: work-1}}]
- name: other
  cluster:
    server: https://q/kubernetes/x/
    extensions: [{name: acp.io/v1, extension: {sessionName: t, clusterName: x}}]
- name: hostile
  cluster:
    server: https://p/kubernetes/evil/
    extensions: [{name: acp.io/v1, extension: {sessionName: s, clusterName: "work-2?dryRun=All"}}]
contexts:
- {name: s/w, context: {cluster: w}}
- {name: t/x, context: {cluster: other}}
current-context: s/w
"#,
        )
        .unwrap();
        let names: Vec<String> = clusters_of(&kc, None, "")
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["global", "work-1"]);
        let names: Vec<String> = clusters_of(&kc, Some("t/x"), "")
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["global", "x"]);
        // The hostile entry's name is not offered.
        assert_eq!(clusters_of(&kc, None, "wo").len(), 1);
        assert_eq!(contexts_of(&kc, "t").len(), 1);
    }
}
