//! Loading kubeconfig like kubectl, and resolving the ACP session behind a context.
//!
//! Loading rules: an explicit `--kubeconfig` must exist; else every file of the `KUBECONFIG`
//! list (missing ones skipped, duplicates dropped, first value wins); else `~/.kube/config`.
//! ACP metadata lives in `acp.io/v1` extensions; entries are identified by their extension
//! metadata, never by their names.

use std::path::{Path, PathBuf};

use kube::config::{Kubeconfig, NamedExtension};
use serde::Deserialize;

use crate::domain::cmdline;
use crate::error::{AcError, Result};
use crate::output::text::{one_line, redact_url};

pub const ACP_EXTENSION: &str = "acp.io/v1";

/// The global cluster's name when no `isGlobal` entry names it (what ACP calls it).
pub const DEFAULT_GLOBAL_CLUSTER: &str = "global";

/// A loaded (merged) kubeconfig and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Kubeconfig,
    /// Files that were read, in order.
    pub sources: Vec<PathBuf>,
}

impl Loaded {
    pub fn describe_sources(&self) -> String {
        self.sources
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Where to look, as decided from flags and environment (kept separate from the environment
/// itself so it can be tested).
#[derive(Debug, Clone)]
pub enum Source {
    Explicit(PathBuf),
    EnvList(String),
    Home(Option<PathBuf>),
}

impl Source {
    pub fn from_env(explicit: Option<&Path>) -> Source {
        if let Some(p) = explicit {
            return Source::Explicit(p.to_path_buf());
        }
        match std::env::var("KUBECONFIG") {
            Ok(list) if !list.trim().is_empty() => Source::EnvList(list),
            _ => Source::Home(
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".kube").join("config")),
            ),
        }
    }
}

pub fn load(source: &Source) -> Result<Loaded> {
    match source {
        Source::Explicit(p) => {
            if !p.exists() {
                return Err(AcError::config(format!("kubeconfig {} does not exist", p.display()))
                    .hint("pass an existing file to --kubeconfig, or drop the flag to use $KUBECONFIG / ~/.kube/config"));
            }
            Ok(Loaded {
                config: read_one(p)?,
                sources: vec![p.clone()],
            })
        }
        Source::EnvList(list) => {
            let mut seen: Vec<PathBuf> = Vec::new();
            let mut merged: Option<Kubeconfig> = None;
            for part in std::env::split_paths(list) {
                if part.as_os_str().is_empty() || seen.contains(&part) || !part.exists() {
                    continue;
                }
                let kc = read_one(&part)?;
                seen.push(part.clone());
                merged = Some(match merged {
                    None => kc,
                    Some(m) => m.merge(kc).map_err(|e| {
                        AcError::config(format!(
                            "kubeconfig {}: {}",
                            part.display(),
                            one_line(&e.to_string())
                        ))
                    })?,
                });
            }
            match merged {
                Some(config) => Ok(Loaded { config, sources: seen }),
                None => Err(AcError::config(format!(
                    "no kubeconfig found: none of the files in KUBECONFIG ({list}) exists"
                ))
                .hint("log in with the ACP CLI to create one (ac login <platform-url> --name <session>), or point KUBECONFIG / --kubeconfig at an existing file")),
            }
        }
        Source::Home(path) => {
            let Some(p) = path else {
                return Err(AcError::config("no kubeconfig: HOME is not set and neither --kubeconfig nor KUBECONFIG is given")
                    .hint("pass --kubeconfig PATH"));
            };
            if !p.exists() {
                return Err(AcError::config(format!(
                    "no kubeconfig: {} does not exist",
                    p.display()
                ))
                .hint("log in with the ACP CLI to create one (ac login <platform-url> --name <session>), or pass --kubeconfig PATH or set KUBECONFIG"));
            }
            Ok(Loaded {
                config: read_one(p)?,
                sources: vec![p.clone()],
            })
        }
    }
}

/// The largest kubeconfig file `ac` reads: 64 MiB (a 5,000-cluster session writes 7 MB). A
/// larger file, or one that never ends (`--kubeconfig /dev/zero`), is refused after that
/// many bytes.
pub const MAX_KUBECONFIG: u64 = 64 * 1024 * 1024;

/// A kubeconfig file's bytes, read at most [`MAX_KUBECONFIG`].
pub fn read_bytes(p: &Path) -> Result<Vec<u8>> {
    super::read_bounded(p, MAX_KUBECONFIG)
        .map_err(|e| {
            AcError::config(format!(
                "cannot read kubeconfig {}: {}",
                p.display(),
                one_line(&e.to_string())
            ))
            .hint("check the file and its permissions, or pass another with --kubeconfig")
        })?
        .ok_or_else(|| {
            AcError::config(format!(
                "kubeconfig {} is larger than {}, the most ac reads of a kubeconfig file",
                p.display(),
                super::errors::bytes(MAX_KUBECONFIG)
            ))
            .hint("is it the right file? a kubeconfig is a YAML document of a few KiB to a few MiB; pass another with --kubeconfig")
        })
}

/// Text as `Kubeconfig::read_from` decodes a file: UTF-8, with a byte-order mark also UTF-8
/// or UTF-16 (little or big endian).
fn decode(bytes: &[u8]) -> std::result::Result<String, &'static str> {
    let utf16 = |data: &[u8], from: fn([u8; 2]) -> u16| {
        if !data.len().is_multiple_of(2) {
            return Err("UTF-16 with an odd number of bytes");
        }
        let units: Vec<u16> = data.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
        String::from_utf16(&units).map_err(|_| "invalid UTF-16")
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|_| "invalid UTF-8")
        }
        _ => String::from_utf8(bytes.to_vec()).map_err(|_| "not UTF-8 text"),
    }
}

fn read_one(p: &Path) -> Result<Kubeconfig> {
    if p.is_dir() {
        return Err(AcError::config(format!(
            "kubeconfig {} is a directory, not a file",
            p.display()
        )));
    }
    let bytes = read_bytes(p)?;
    if let Some(kc) = read_fast(&bytes, p) {
        return Ok(kc);
    }
    let invalid = |why: String| {
        AcError::config(format!("kubeconfig {} is not valid: {why}", p.display())).hint(
            "fix the file (it must be a kubeconfig YAML document), or pass another with --kubeconfig",
        )
    };
    let text = decode(&bytes).map_err(|why| invalid(why.to_string()))?;
    drop(bytes);
    // What `Kubeconfig::read_from` does with the text (which reads the file without a bound).
    let mut kc = Kubeconfig::from_yaml(&text).map_err(|e| {
        // Parser messages span several lines (a code excerpt): keep the first line of each cause.
        let mut parts: Vec<String> = Vec::new();
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(c) = cur {
            let text = c.to_string();
            let first = one_line(text.lines().next().unwrap_or_default());
            let first = first.replace("error: ", "");
            if !first.is_empty() && !parts.iter().any(|p| p.contains(&first)) {
                parts.push(first);
            }
            cur = c.source();
        }
        invalid(parts.join(": "))
    })?;
    if let Some(dir) = p.parent() {
        make_paths_absolute(&mut kc, dir);
    }
    Ok(kc)
}

/// The file through the fast reader ([`super::kubeconfig_yaml`]), with the rest of what
/// `Kubeconfig::read_from` does: UTF-8 (a BOM or UTF-16 goes to `read_from`'s path), and
/// relative file references made absolute against the file's directory. `None`: use the
/// full reader, which also produces every error message.
fn read_fast(bytes: &[u8], p: &Path) -> Option<Kubeconfig> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut kc = super::kubeconfig_yaml::kubeconfig(text).ok()?;
    if let Some(dir) = p.parent() {
        make_paths_absolute(&mut kc, dir);
    }
    Some(kc)
}

/// `Kubeconfig::read_from`'s remapping (kube 5, `file_config.rs`): certificate-authority,
/// client-certificate, client-key and tokenFile relative to the file's directory, and exec
/// commands that contain a path separator (bare names are looked up on PATH).
fn make_paths_absolute(kc: &mut Kubeconfig, dir: &Path) {
    let absolute = |file: &mut Option<String>| {
        if let Some(path) = file.as_deref()
            && Path::new(path).is_relative()
            && let Some(joined) = dir.join(path).to_str()
        {
            *file = Some(joined.to_owned());
        }
    };
    for cluster in kc.clusters.iter_mut().filter_map(|c| c.cluster.as_mut()) {
        absolute(&mut cluster.certificate_authority);
    }
    for user in kc
        .auth_infos
        .iter_mut()
        .filter_map(|u| u.auth_info.as_mut())
    {
        absolute(&mut user.client_certificate);
        absolute(&mut user.client_key);
        absolute(&mut user.token_file);
        if let Some(exec) = user.exec.as_mut()
            && exec
                .command
                .as_deref()
                .is_some_and(|c| c.contains(std::path::MAIN_SEPARATOR))
        {
            absolute(&mut exec.command);
        }
    }
}

/// Only the entries `kube::Config::from_custom_kubeconfig` reads for a connection: the
/// context, the cluster entry requests go to and the user (`--user`, else the context's),
/// each the first of its name as kube looks them up. Hands kube three entries instead of a
/// 5,000-cluster session (which it would search and clone from); a name that is not there is
/// left out, so kube reports it as before.
pub fn for_connection(
    mut kc: Kubeconfig,
    context: &str,
    cluster_entry: &str,
    user: Option<&str>,
) -> Kubeconfig {
    fn take<T>(list: &mut Vec<T>, is: impl Fn(&T) -> bool) -> Vec<T> {
        match list.iter().position(is) {
            Some(index) => vec![list.swap_remove(index)],
            None => Vec::new(),
        }
    }
    let contexts = take(&mut kc.contexts, |c| c.name == context);
    let user = user.map(str::to_string).or_else(|| {
        contexts
            .first()
            .and_then(|c| c.context.as_ref())
            .and_then(|c| c.user.clone())
    });
    Kubeconfig {
        clusters: take(&mut kc.clusters, |c| c.name == cluster_entry),
        auth_infos: match user {
            Some(user) => take(&mut kc.auth_infos, |u| u.name == user),
            None => Vec::new(),
        },
        contexts,
        current_context: kc.current_context.take(),
        preferences: kc.preferences.take(),
        extensions: kc.extensions.take(),
        kind: kc.kind.take(),
        api_version: kc.api_version.take(),
        other: std::mem::take(&mut kc.other),
    }
}

/// The `acp.io/v1` extension of a cluster entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct ClusterExt {
    pub is_global: bool,
    pub platform_url: Option<String>,
    pub session_name: Option<String>,
    pub cluster_name: Option<String>,
    /// On the global cluster's entry: the session of the DR standby global (SPEC §4, "DR
    /// memory"; `ac config set-dr-standby`).
    pub dr_standby_session: Option<String>,
}

/// The `acp.io/v1` extension of a user entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct UserExt {
    pub platform_url: Option<String>,
    pub session_name: Option<String>,
    pub username: Option<String>,
}

pub(crate) fn acp_ext<T: for<'de> Deserialize<'de>>(
    exts: &Option<Vec<NamedExtension>>,
) -> Option<T> {
    exts.as_ref()?
        .iter()
        .find(|e| e.name == ACP_EXTENSION)
        .and_then(|e| T::deserialize(&e.extension).ok())
}

/// One ACP cluster of a session, as the kubeconfig knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpCluster {
    /// ACP cluster name (`clusterName` of the extension).
    pub name: String,
    /// Kubeconfig cluster entry name (whatever the user renamed it to).
    pub entry: String,
    pub server: Option<String>,
    pub is_global: bool,
}

/// What a context resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub context: String,
    /// Kubeconfig user entry used for credentials.
    pub user_entry: Option<String>,
    /// Kubeconfig cluster entry of the context.
    pub context_entry: String,
    pub context_server: String,
    /// ACP details when the context's cluster carries `acp.io/v1`; `None` for plain kubeconfigs.
    pub acp: Option<AcpSession>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpSession {
    pub name: String,
    pub platform_url: Option<String>,
    /// ACP cluster the context points at.
    pub context_cluster: String,
    /// Clusters of this session found in the kubeconfig, sorted by name.
    pub clusters: Vec<AcpCluster>,
    pub username: Option<String>,
    /// A context of the global cluster's entry (`<session>/<global>` preferred), for kubectl
    /// commands about objects on global when the current context points elsewhere.
    pub global_context: Option<String>,
    /// The DR standby's session remembered on the global cluster's entry
    /// (`drStandbySession`), when there is one.
    pub dr_standby: Option<String>,
}

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The global cluster's API URL (path prefix kept).
    pub url: String,
    /// Kubeconfig cluster entry whose TLS settings apply (the isGlobal entry when there is one,
    /// else the context's entry).
    pub entry: String,
    /// How the URL was found, for `-v` and error messages.
    pub how: RouteKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    GlobalEntry,
    Rewritten,
    Plain,
}

impl Session {
    pub fn resolve(kc: &Kubeconfig, context: Option<&str>, user: Option<&str>) -> Result<Session> {
        let names = || {
            let mut v: Vec<&str> = kc.contexts.iter().map(|c| c.name.as_str()).collect();
            v.sort();
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        let ctx_name = match context {
            Some(c) => c.to_string(),
            None => match kc.current_context.as_deref() {
                Some(c) if !c.is_empty() => c.to_string(),
                _ => {
                    return Err(AcError::config("the kubeconfig has no current-context")
                        .hint(format!("pass --context NAME (contexts: {})", names())));
                }
            },
        };
        let Some(ctx) = kc
            .contexts
            .iter()
            .find(|c| c.name == ctx_name)
            .and_then(|c| c.context.as_ref())
        else {
            return Err(
                AcError::config(format!("context {ctx_name:?} is not in the kubeconfig"))
                    .hint(format!("pass --context NAME (contexts: {})", names())),
            );
        };
        let Some(cluster) = kc
            .clusters
            .iter()
            .find(|c| c.name == ctx.cluster)
            .and_then(|c| c.cluster.as_ref())
        else {
            return Err(AcError::config(format!(
                "context {ctx_name:?} refers to cluster entry {:?}, which is not in the kubeconfig",
                ctx.cluster
            ))
            .hint("pick another --context (kubectl config get-contexts lists them), or log in again with the ACP CLI to rewrite it: ac login <platform-url> --name <session>"));
        };
        let Some(server) = cluster.server.clone().filter(|s| !s.is_empty()) else {
            return Err(AcError::config(format!(
                "cluster entry {:?} has no server URL",
                ctx.cluster
            ))
            .hint("log in again with the ACP CLI (ac login <platform-url> --name <session>) to rewrite it"));
        };
        let user_entry = user.map(str::to_string).or_else(|| ctx.user.clone());
        if let Some(u) = user
            && !kc.auth_infos.iter().any(|a| a.name == u)
        {
            return Err(
                AcError::config(format!("user {u:?} is not in the kubeconfig")).hint(format!(
                    "pass --user NAME (users: {})",
                    kc.auth_infos
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }

        let acp = acp_ext::<ClusterExt>(&cluster.extensions).and_then(|ext| {
            let session = ext.session_name.clone()?;
            let context_cluster = ext
                .cluster_name
                .clone()
                .or_else(|| segment_cluster(&server))
                .unwrap_or_else(|| {
                    if ext.is_global {
                        DEFAULT_GLOBAL_CLUSTER.into()
                    } else {
                        ctx.cluster.clone()
                    }
                });
            let mut dr_standby = None;
            let mut clusters: Vec<AcpCluster> = kc
                .clusters
                .iter()
                .filter_map(|nc| {
                    let c = nc.cluster.as_ref()?;
                    let e: ClusterExt = acp_ext(&c.extensions)?;
                    if e.session_name.as_deref() != Some(session.as_str()) {
                        return None;
                    }
                    if let (Some(a), Some(b)) = (&e.platform_url, &ext.platform_url)
                        && !same_url(a, b)
                    {
                        return None;
                    }
                    let name = e
                        .cluster_name
                        .clone()
                        .or_else(|| c.server.as_deref().and_then(segment_cluster))?;
                    if e.is_global && dr_standby.is_none() {
                        dr_standby = e.dr_standby_session.clone().filter(|s| !s.is_empty());
                    }
                    Some(AcpCluster {
                        name,
                        entry: nc.name.clone(),
                        server: c.server.clone(),
                        is_global: e.is_global,
                    })
                })
                .collect();
            clusters.sort_by(|a, b| b.is_global.cmp(&a.is_global).then(a.name.cmp(&b.name)));
            clusters.dedup_by(|a, b| a.name == b.name);
            let username = user_entry.as_deref().and_then(|u| {
                kc.auth_infos
                    .iter()
                    .find(|a| a.name == u)
                    .and_then(|a| a.auth_info.as_ref())
                    .and_then(|a| acp_ext::<UserExt>(&a.extensions))
                    .and_then(|e| e.username)
            });
            let global_context = clusters.iter().find(|c| c.is_global).and_then(|global| {
                let preferred = format!("{session}/{}", global.name);
                let mut found: Vec<&str> = kc
                    .contexts
                    .iter()
                    .filter(|c| {
                        c.context
                            .as_ref()
                            .is_some_and(|x| x.cluster == global.entry)
                    })
                    .map(|c| c.name.as_str())
                    .collect();
                found.sort_unstable();
                found
                    .iter()
                    .find(|c| **c == preferred)
                    .or(found.first())
                    .map(|c| c.to_string())
            });
            Some(AcpSession {
                name: session,
                platform_url: ext.platform_url.clone(),
                context_cluster,
                clusters,
                username,
                global_context,
                dr_standby,
            })
        });

        Ok(Session {
            context: ctx_name,
            user_entry,
            context_entry: ctx.cluster.clone(),
            context_server: server,
            acp,
        })
    }

    /// The ACP name of the global cluster (the `isGlobal` entry's name, else `global`).
    pub fn global_name(&self) -> String {
        self.acp
            .as_ref()
            .and_then(|a| a.clusters.iter().find(|c| c.is_global))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| DEFAULT_GLOBAL_CLUSTER.into())
    }

    /// The context kubectl needs for objects on the global cluster: `None` when the current
    /// context is the global cluster's (or no context of it is known).
    pub fn kubectl_context_for_global(&self) -> Option<&str> {
        let acp = self.acp.as_ref()?;
        if acp.context_cluster == self.global_name() {
            return None;
        }
        acp.global_context.as_deref()
    }

    /// The ACP CLI command that logs this session in again (`None` for a plain kubeconfig).
    pub fn login_command(&self) -> Option<String> {
        let acp = self.acp.as_ref()?;
        Some(cmdline::login(acp.platform_url.as_deref(), &acp.name))
    }

    /// The cluster the context points at: the ACP name, or for a plain kubeconfig the entry.
    pub fn context_cluster(&self) -> Option<&str> {
        self.acp.as_ref().map(|a| a.context_cluster.as_str())
    }

    /// Where every request goes (SPEC §3 step 3).
    pub fn route(&self) -> Result<Route> {
        let Some(acp) = &self.acp else {
            return Ok(Route {
                url: self.context_server.clone(),
                entry: self.context_entry.clone(),
                how: RouteKind::Plain,
            });
        };
        if let Some(g) = acp.clusters.iter().find(|c| c.is_global)
            && let Some(server) = g.server.clone().filter(|s| !s.is_empty())
        {
            return Ok(Route {
                url: server,
                entry: g.entry.clone(),
                how: RouteKind::GlobalEntry,
            });
        }
        match rewrite_to_global(&self.context_server, &self.global_name()) {
            Some(url) => Ok(Route {
                url,
                entry: self.context_entry.clone(),
                how: RouteKind::Rewritten,
            }),
            None => Err(AcError::config(format!(
                "cannot find the global cluster of session {:?}: no cluster entry has isGlobal: true and the context's server {} has no /kubernetes/<cluster>/ path to rewrite",
                acp.name, redact_url(&self.context_server)
            ))
            .hint(self.login_command().map(|c| format!("log in to this platform again so the kubeconfig knows its global cluster: {c}")).unwrap_or_default())
            .hint("or pass --context with a context of the global cluster (list them with: ac config get-clusters)")),
        }
    }
}

pub(crate) fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// `https://h/kubernetes/workload-a/` → `Some("workload-a")`.
pub fn segment_cluster(server: &str) -> Option<String> {
    let (_, rest) = server.split_once("/kubernetes/")?;
    let name = rest.split(['/', '?']).next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Rewrite the `/kubernetes/<name>/` segment of a proxy URL to `/kubernetes/<global>/`.
pub fn rewrite_to_global(server: &str, global: &str) -> Option<String> {
    let idx = server.find("/kubernetes/")?;
    let (head, rest) = server.split_at(idx + "/kubernetes/".len());
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    if end == 0 {
        return None;
    }
    Some(format!("{head}{global}{}", &rest[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_SESSIONS: &str = r#"
apiVersion: v1
kind: Config
clusters:
- name: my-renamed-global
  cluster:
    server: https://acp.example.com/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://acp.example.com, sessionName: prod, clusterName: global}
- name: wa
  cluster:
    server: https://acp.example.com/kubernetes/workload-a/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://acp.example.com, sessionName: prod, clusterName: workload-a}
- name: acp:stage:workload-x
  cluster:
    server: https://stage.example.com/kubernetes/workload-x/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://stage.example.com, sessionName: stage, clusterName: workload-x}
- name: plain
  cluster:
    server: https://10.0.0.1:6443
users:
- name: u-prod
  user:
    token: secret-prod
    extensions:
    - name: acp.io/v1
      extension: {platformUrl: https://acp.example.com, sessionName: prod, username: admin@example.com}
- name: u-stage
  user: {token: secret-stage}
- name: u-plain
  user: {token: t}
contexts:
- {name: prod/global, context: {cluster: my-renamed-global, user: u-prod}}
- {name: prod/workload-a, context: {cluster: wa, user: u-prod, namespace: my-app}}
- {name: stage/x, context: {cluster: acp:stage:workload-x, user: u-stage}}
- {name: plain, context: {cluster: plain, user: u-plain}}
- {name: dangling, context: {cluster: nowhere, user: u-plain}}
current-context: prod/workload-a
"#;

    fn kc() -> Kubeconfig {
        Kubeconfig::from_yaml(TWO_SESSIONS).unwrap()
    }

    #[test]
    fn renamed_entries_resolve_by_extension() {
        let s = Session::resolve(&kc(), None, None).unwrap();
        assert_eq!(s.context, "prod/workload-a");
        let acp = s.acp.as_ref().unwrap();
        assert_eq!(acp.name, "prod");
        assert_eq!(acp.context_cluster, "workload-a");
        assert_eq!(acp.username.as_deref(), Some("admin@example.com"));
        let names: Vec<_> = acp.clusters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["global", "workload-a"], "other sessions excluded");
        let r = s.route().unwrap();
        assert_eq!(r.url, "https://acp.example.com/kubernetes/global/");
        assert_eq!(r.entry, "my-renamed-global");
        assert_eq!(r.how, RouteKind::GlobalEntry);
    }

    #[test]
    fn session_without_global_entry_rewrites_url() {
        let s = Session::resolve(&kc(), Some("stage/x"), None).unwrap();
        let r = s.route().unwrap();
        assert_eq!(r.url, "https://stage.example.com/kubernetes/global/");
        assert_eq!(r.how, RouteKind::Rewritten);
        assert_eq!(r.entry, "acp:stage:workload-x");
    }

    #[test]
    fn plain_kubeconfig_used_as_is() {
        let s = Session::resolve(&kc(), Some("plain"), None).unwrap();
        assert!(s.acp.is_none());
        let r = s.route().unwrap();
        assert_eq!(r.url, "https://10.0.0.1:6443");
        assert_eq!(r.how, RouteKind::Plain);
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let e = Session::resolve(&kc(), Some("nope"), None).unwrap_err();
        assert!(e.message.contains("\"nope\""), "{}", e.message);
        assert!(e.hints[0].contains("prod/global"));
        let e = Session::resolve(&kc(), Some("dangling"), None).unwrap_err();
        assert!(e.message.contains("nowhere"));
        let e = Session::resolve(&kc(), None, Some("ghost")).unwrap_err();
        assert!(e.message.contains("ghost"));
    }

    #[test]
    fn no_current_context() {
        let mut k = kc();
        k.current_context = None;
        let e = Session::resolve(&k, None, None).unwrap_err();
        assert!(e.message.contains("current-context"));
    }

    #[test]
    fn url_rewrite() {
        assert_eq!(
            rewrite_to_global("https://h/kubernetes/workload-a/", "global").as_deref(),
            Some("https://h/kubernetes/global/")
        );
        assert_eq!(
            rewrite_to_global("https://h:8443/p/kubernetes/w", "global").as_deref(),
            Some("https://h:8443/p/kubernetes/global")
        );
        assert_eq!(rewrite_to_global("https://h/api", "global"), None);
        assert_eq!(rewrite_to_global("https://h/kubernetes/", "global"), None);
        assert_eq!(
            segment_cluster("https://h/kubernetes/w-1/").as_deref(),
            Some("w-1")
        );
    }

    #[test]
    fn reads_are_bounded_and_decoding_never_panics() {
        assert_eq!(MAX_KUBECONFIG, 64 << 20);
        let e = load(&Source::Explicit(PathBuf::from("/dev/zero"))).unwrap_err();
        assert!(e.message.contains("larger than 64 MiB"), "{}", e.message);
        assert_eq!(decode(b"\xff\xfea\x00b\x00").unwrap(), "ab");
        assert_eq!(decode(b"\xfe\xff\x00a").unwrap(), "a");
        assert_eq!(decode(b"\xef\xbb\xbfa: 1").unwrap(), "a: 1");
        assert!(
            decode(b"\xff\xfea").is_err(),
            "odd UTF-16 (kube's reader panics)"
        );
        assert!(decode(b"\xff\x00").is_err());
    }

    #[test]
    fn kubeconfig_list_skips_missing_and_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(
            &a,
            "current-context: first\ncontexts: [{name: first, context: {cluster: c}}]\n",
        )
        .unwrap();
        std::fs::write(
            &b,
            "current-context: second\ncontexts: [{name: second, context: {cluster: c}}]\n",
        )
        .unwrap();
        let list =
            std::env::join_paths([a.clone(), dir.path().join("missing"), b.clone(), a.clone()])
                .unwrap();
        let l = load(&Source::EnvList(list.to_string_lossy().into())).unwrap();
        assert_eq!(l.sources, vec![a.clone(), b]);
        assert_eq!(l.config.current_context.as_deref(), Some("first"));
        assert_eq!(l.config.contexts.len(), 2);
        let e = load(&Source::Explicit(dir.path().join("missing"))).unwrap_err();
        assert!(e.message.contains("does not exist"));
        std::fs::write(&a, "clusters: {not: a list}\n").unwrap();
        let e = load(&Source::Explicit(a.clone())).unwrap_err();
        assert!(e.message.contains("is not valid"), "{}", e.message);
        let e = load(&Source::EnvList(
            dir.path().join("x").to_string_lossy().into(),
        ))
        .unwrap_err();
        assert!(e.message.contains("none of the files"));
    }
}
