//! What `ac login`, `ac config sync`, `ac logout` and `ac config set-dr-standby` change in
//! kubeconfig: pure functions from the files as read ([`Kubeconfigs`]) to [`Change`]s, with
//! the report of what they do. Entries are found by their `acp.io/v1` metadata, never by their
//! names (users rename them); a name `ac` would give (`acp:<session>:<cluster>`,
//! `acp:<session>:user`, `<session>/<cluster>`) that is taken by something else is a refusal,
//! never an overwrite. What a session does not own — hand-made entries, other sessions,
//! unknown fields, other extensions, contexts' namespaces — is left as it is.

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::kubeconfig::{ACP_EXTENSION, ClusterExt, UserExt, same_url, segment_cluster};
use super::kubeconfig_file::{Change, Kubeconfigs, Section};
use super::profiles::login_hint;
pub use crate::domain::report::profiles::{DrStandbyReport, SessionChange};
use crate::error::{AcError, Result};

/// How new and updated cluster entries reach the platform's TLS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// `certificate-authority-data` (base64 of the PEM file given at login).
    CaData(String),
    /// `insecure-skip-tls-verify: true`.
    Insecure,
    /// Keep what existing entries have; new ones copy the session's global entry (the
    /// system's trust store when there is none).
    Unchanged,
}

/// The TLS fields of a cluster entry's body that [`Tls`] decides.
const TLS_FIELDS: [&str; 3] = [
    "certificate-authority-data",
    "certificate-authority",
    "insecure-skip-tls-verify",
];

/// What a login knows.
pub struct Login<'a> {
    pub session: &'a str,
    /// The platform's URL, without a trailing `/`.
    pub platform_url: &'a str,
    pub token: &'a str,
    pub tls: Tls,
    /// The platform's clusters (names checked), the global one among them.
    pub clusters: &'a [String],
    /// The global cluster's name.
    pub global: &'a str,
}

/// The changes of one command and what they do.
#[derive(Debug)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub sessions: Vec<SessionChange>,
    /// Context made current (login).
    pub current_context: Option<String>,
    /// The current context was one of the removed ones: it is cleared.
    pub cleared_current_context: Option<String>,
    /// Things the operator should know (a DR pair left pointing at a removed session).
    pub warnings: Vec<String>,
}

/// A cluster entry of a session.
#[derive(Debug, Clone)]
struct Member {
    entry: String,
    cluster: String,
    is_global: bool,
    item: Value,
}

/// The `acp.io/v1` extension of an entry's body.
fn ext(item: &Value, section: Section) -> Option<&Value> {
    item.get(section.body())?
        .get("extensions")?
        .as_array()?
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some(ACP_EXTENSION))?
        .get("extension")
}

fn cluster_ext(item: &Value) -> Option<ClusterExt> {
    serde_json::from_value(ext(item, Section::Clusters)?.clone()).ok()
}

fn user_ext(item: &Value) -> Option<UserExt> {
    serde_json::from_value(ext(item, Section::Users)?.clone()).ok()
}

fn name_of(item: &Value) -> &str {
    item.get("name").and_then(Value::as_str).unwrap_or_default()
}

fn same_platform(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same_url(x, y),
        _ => true,
    }
}

/// The cluster entries whose metadata names `session` (on `platform`, when both say).
fn members(kcs: &Kubeconfigs, session: &str, platform: Option<&str>) -> Vec<Member> {
    kcs.entries(Section::Clusters)
        .into_iter()
        .filter_map(|item| {
            let e = cluster_ext(item)?;
            if e.session_name.as_deref() != Some(session)
                || !same_platform(e.platform_url.as_deref(), platform)
            {
                return None;
            }
            let server = item.pointer("/cluster/server").and_then(Value::as_str);
            let cluster = e
                .cluster_name
                .clone()
                .or_else(|| server.and_then(segment_cluster))?;
            Some(Member {
                entry: name_of(item).to_string(),
                cluster,
                is_global: e.is_global,
                item: item.clone(),
            })
        })
        .collect()
}

/// The platform a session is logged in to (its entries' `platformUrl`).
fn platform_of(kcs: &Kubeconfigs, session: &str) -> Option<String> {
    members(kcs, session, None)
        .iter()
        .find_map(|m| cluster_ext(&m.item)?.platform_url)
}

/// The user entries whose metadata names `session`.
fn users(kcs: &Kubeconfigs, session: &str, platform: Option<&str>) -> Vec<Value> {
    kcs.entries(Section::Users)
        .into_iter()
        .filter(|item| {
            user_ext(item).is_some_and(|e| {
                e.session_name.as_deref() == Some(session)
                    && same_platform(e.platform_url.as_deref(), platform)
            })
        })
        .cloned()
        .collect()
}

/// The contexts pointing at a cluster entry, `<session>/<cluster>` first, then by name.
fn contexts_of(kcs: &Kubeconfigs, entry: &str, preferred: &str) -> Vec<String> {
    let mut found: Vec<String> = kcs.contexts_pointing_at(entry).to_vec();
    found.sort_by_key(|name| (name != preferred, name.clone()));
    found
}

/// Set fields of an entry's `acp.io/v1` extension, keeping its other fields and the entry's
/// other extensions.
fn set_ext(item: &mut Value, section: Section, fields: &[(&str, Option<Value>)]) {
    let body = entry_body(item, section);
    let exts = body
        .entry("extensions")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !exts.is_array() {
        *exts = Value::Array(Vec::new());
    }
    let list = exts.as_array_mut().expect("made a list above");
    let at = match list
        .iter()
        .position(|e| e.get("name").and_then(Value::as_str) == Some(ACP_EXTENSION))
    {
        Some(at) => at,
        None => {
            list.push(json!({"name": ACP_EXTENSION, "extension": {}}));
            list.len() - 1
        }
    };
    let ext = &mut list[at]["extension"];
    if !ext.is_object() {
        *ext = json!({});
    }
    let map = ext.as_object_mut().expect("made a mapping above");
    for (key, value) in fields {
        match value {
            Some(v) => {
                map.insert((*key).to_string(), v.clone());
            }
            None => {
                map.remove(*key);
            }
        }
    }
}

/// The entry's body mapping (`cluster:`, `user:`), made a mapping if it is not one.
fn entry_body(item: &mut Value, section: Section) -> &mut Map<String, Value> {
    if !item.is_object() {
        *item = json!({});
    }
    let body = item
        .as_object_mut()
        .expect("a mapping")
        .entry(section.body())
        .or_insert_with(|| json!({}));
    if !body.is_object() {
        *body = json!({});
    }
    body.as_object_mut().expect("made a mapping above")
}

fn set_tls(item: &mut Value, tls: &Tls, template: Option<&Value>) {
    let body = entry_body(item, Section::Clusters);
    let wanted: Vec<(&str, Value)> = match tls {
        Tls::CaData(data) => vec![("certificate-authority-data", json!(data))],
        Tls::Insecure => vec![("insecure-skip-tls-verify", json!(true))],
        Tls::Unchanged => match template.and_then(|t| t.get("cluster")) {
            Some(global) => TLS_FIELDS
                .iter()
                .chain(["tls-server-name", "proxy-url"].iter())
                .filter_map(|k| Some((*k, global.get(*k)?.clone())))
                .collect(),
            None => return,
        },
    };
    if !matches!(tls, Tls::Unchanged) || template.is_some() {
        for field in TLS_FIELDS {
            body.remove(field);
        }
    }
    for (key, value) in wanted {
        body.insert(key.to_string(), value);
    }
}

fn taken(kcs: &Kubeconfigs, section: Section, name: &str, session: &str) -> AcError {
    AcError::config(format!(
        "{} {name:?} already exists in the kubeconfig and does not belong to session {session:?} (no acp.io/v1 metadata of it); nothing was written",
        section.noun()
    ))
    .hint(format!(
        "rename or delete that entry (kubectl config {} {name}), or log in under another --name",
        match section {
            Section::Clusters => "delete-cluster",
            Section::Users => "delete-user",
            Section::Contexts => "delete-context",
        }
    ))
    .hint(format!("kubeconfig: {}", kcs.describe()))
}

/// A new cluster entry of the session.
fn new_cluster(entry: &str, server: &str, ext_fields: Value) -> Value {
    json!({
        "name": entry,
        "cluster": {
            "server": server,
            "extensions": [{"name": ACP_EXTENSION, "extension": ext_fields}],
        },
    })
}

fn cluster_ext_fields(platform: &str, session: &str, cluster: &str, global: &str) -> Value {
    json!({
        "isGlobal": cluster == global,
        "platformUrl": platform,
        "sessionName": session,
        "clusterName": cluster,
    })
}

/// Adds what the platform has and the kubeconfig lacks; with `tls` other than `Unchanged`,
/// and at login, updates the existing entries too.
struct Builder<'a> {
    kcs: &'a Kubeconfigs,
    session: &'a str,
    platform: &'a str,
    global: &'a str,
    user_entry: String,
    changes: Vec<Change>,
    report: SessionChange,
}

impl Builder<'_> {
    /// The cluster entry for `cluster`: the member updated (login) or kept, or a new entry.
    fn cluster(
        &mut self,
        cluster: &str,
        member: Option<&Member>,
        tls: &Tls,
        template: Option<&Value>,
        update: bool,
    ) -> Result<String> {
        let server = format!("{}/kubernetes/{cluster}/", self.platform);
        let fields = cluster_ext_fields(self.platform, self.session, cluster, self.global);
        let ext_fields: Vec<(&str, Option<Value>)> = fields
            .as_object()
            .expect("a mapping")
            .iter()
            .map(|(k, v)| (k.as_str(), Some(v.clone())))
            .collect();
        if let Some(m) = member {
            if update {
                let mut item = m.item.clone();
                entry_body(&mut item, Section::Clusters).insert("server".into(), json!(server));
                if !matches!(tls, Tls::Unchanged) {
                    set_tls(&mut item, tls, None);
                }
                set_ext(&mut item, Section::Clusters, &ext_fields);
                if item != m.item {
                    self.changes.push(Change::Put(Section::Clusters, item));
                    self.report.clusters_updated.push(cluster.to_string());
                }
            }
            return Ok(m.entry.clone());
        }
        let entry = format!("acp:{}:{cluster}", self.session);
        if self.kcs.entry(Section::Clusters, &entry).is_some() {
            return Err(taken(self.kcs, Section::Clusters, &entry, self.session));
        }
        let mut item = new_cluster(&entry, &server, fields);
        set_tls(&mut item, tls, template);
        self.changes.push(Change::Put(Section::Clusters, item));
        self.report.clusters_added.push(cluster.to_string());
        Ok(entry)
    }

    /// A context for the entry: an existing one, else `<session>/<cluster>` created.
    fn context(&mut self, cluster: &str, entry: &str) -> Result<String> {
        let preferred = format!("{}/{cluster}", self.session);
        if let Some(found) = contexts_of(self.kcs, entry, &preferred).into_iter().next() {
            return Ok(found);
        }
        if self.kcs.entry(Section::Contexts, &preferred).is_some() {
            return Err(taken(self.kcs, Section::Contexts, &preferred, self.session));
        }
        self.changes.push(Change::Put(
            Section::Contexts,
            json!({"name": preferred, "context": {"cluster": entry, "user": self.user_entry}}),
        ));
        self.report.contexts_added.push(preferred.clone());
        Ok(preferred)
    }
}

/// The session's user entry to write the token to: the one its global cluster's contexts
/// use, else `acp:<session>:user`, else the first; `None`: a new `acp:<session>:user`.
fn pick_user(
    kcs: &Kubeconfigs,
    session: &str,
    users: &[Value],
    global: Option<&Member>,
) -> Option<Value> {
    let used_by_global: BTreeSet<String> = global
        .map(|g| {
            kcs.entries(Section::Contexts)
                .into_iter()
                .filter(|c| c.pointer("/context/cluster").and_then(Value::as_str) == Some(&g.entry))
                .filter_map(|c| c.pointer("/context/user").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let default_name = format!("acp:{session}:user");
    users
        .iter()
        .find(|u| used_by_global.contains(name_of(u)))
        .or_else(|| users.iter().find(|u| name_of(u) == default_name))
        .or_else(|| users.first())
        .cloned()
}

/// `ac login`: the session's entries as SPEC §3 shows them, the token written, current
/// context the global cluster's; existing entries updated in place.
pub fn login(kcs: &Kubeconfigs, input: &Login) -> Result<Plan> {
    let session = input.session;
    let platform = input.platform_url;
    if let Some(other) = platform_of(kcs, session)
        && !same_url(&other, platform)
    {
        return Err(AcError::config(format!(
            "session {session:?} is logged in to another platform ({other}); nothing was written"
        ))
        .hint(format!(
            "log in to {platform} under another name (--name), or log out of the other first: ac logout --session {session}"
        )));
    }
    let existing = members(kcs, session, Some(platform));
    let global_member = existing.iter().find(|m| m.is_global);
    let session_users = users(kcs, session, Some(platform));
    let mut report = SessionChange::new(session, Some(platform));
    let mut changes = Vec::new();
    let user_entry = match pick_user(kcs, session, &session_users, global_member) {
        Some(mut item) => {
            let before = item.clone();
            entry_body(&mut item, Section::Users).insert("token".into(), json!(input.token));
            set_ext(
                &mut item,
                Section::Users,
                &[
                    ("platformUrl", Some(json!(platform))),
                    ("sessionName", Some(json!(session))),
                ],
            );
            let name = name_of(&item).to_string();
            if item != before {
                changes.push(Change::Put(Section::Users, item));
                report.users_updated.push(name.clone());
            }
            name
        }
        None => {
            let name = format!("acp:{session}:user");
            if kcs.entry(Section::Users, &name).is_some() {
                return Err(taken(kcs, Section::Users, &name, session));
            }
            changes.push(Change::Put(
                Section::Users,
                json!({
                    "name": name,
                    "user": {
                        "token": input.token,
                        "extensions": [{"name": ACP_EXTENSION, "extension": {
                            "platformUrl": platform, "sessionName": session,
                        }}],
                    },
                }),
            ));
            report.users_added.push(name.clone());
            name
        }
    };
    let template = global_member.map(|g| g.item.clone());
    let mut b = Builder {
        kcs,
        session,
        platform,
        global: input.global,
        user_entry,
        changes,
        report,
    };
    let mut global_context = None;
    let by_cluster: std::collections::HashMap<&str, &Member> = existing
        .iter()
        .rev()
        .map(|m| (m.cluster.as_str(), m))
        .collect();
    for cluster in ordered(input.clusters, input.global) {
        let member = by_cluster.get(cluster.as_str()).copied();
        let entry = b.cluster(&cluster, member, &input.tls, template.as_ref(), true)?;
        let context = b.context(&cluster, &entry)?;
        if cluster == input.global {
            global_context = Some(context);
        }
    }
    let on_platform: BTreeSet<&str> = input.clusters.iter().map(String::as_str).collect();
    b.report.not_on_platform = existing
        .iter()
        .filter(|m| !m.is_global && !on_platform.contains(m.cluster.as_str()))
        .map(|m| m.cluster.clone())
        .collect();
    let current = global_context.expect("the global cluster is always in the list");
    b.changes.push(Change::SetCurrentContext(current.clone()));
    Ok(Plan {
        changes: b.changes,
        sessions: vec![b.report],
        current_context: Some(current),
        cleared_current_context: None,
        warnings: Vec::new(),
    })
}

/// The global cluster first, then the others by name, each once.
fn ordered(clusters: &[String], global: &str) -> Vec<String> {
    let rest: BTreeSet<&str> = clusters
        .iter()
        .map(String::as_str)
        .filter(|c| *c != global)
        .collect();
    std::iter::once(global.to_string())
        .chain(rest.into_iter().map(str::to_string))
        .collect()
}

/// The sessions of the kubeconfig, by name, in the order their first entry appears.
pub fn session_names(kcs: &Kubeconfigs) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in kcs.entries(Section::Clusters) {
        if let Some(name) = cluster_ext(item).and_then(|e| e.session_name)
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

fn no_session(kcs: &Kubeconfigs, session: &str) -> AcError {
    let known = session_names(kcs);
    AcError::config(format!("no ACP session {session:?} in the kubeconfig"))
        .hint(format!(
            "sessions: {}",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
        .hint(login_hint(session, None, None))
}

/// `ac config sync`: the session's clusters made the platform's (`clusters`): new ones added
/// (entry and context, the TLS settings of the session's global entry), deleted ones removed
/// (entry and every context pointing at it). The global cluster's entry always stays.
pub fn sync(kcs: &Kubeconfigs, session: &str, clusters: &[String], global: &str) -> Result<Plan> {
    let platform = platform_of(kcs, session);
    let existing = members(kcs, session, platform.as_deref());
    if existing.is_empty() {
        return Err(no_session(kcs, session));
    }
    let Some(platform) = platform else {
        return Err(AcError::config(format!(
            "session {session:?} has no platformUrl in its acp.io/v1 metadata: cannot tell where its clusters live"
        ))
        .hint(login_hint(session, None, None)));
    };
    let global_member = existing.iter().find(|m| m.is_global);
    let session_users = users(kcs, session, Some(&platform));
    let user =
        pick_user(kcs, session, &session_users, global_member).map(|u| name_of(&u).to_string());
    let template = global_member.map(|g| g.item.clone());
    let mut b = Builder {
        kcs,
        session,
        platform: &platform,
        global,
        user_entry: user.clone().unwrap_or_default(),
        changes: Vec::new(),
        report: SessionChange::new(session, Some(&platform)),
    };
    let known: BTreeSet<&str> = existing.iter().map(|m| m.cluster.as_str()).collect();
    for cluster in ordered(clusters, global) {
        if known.contains(cluster.as_str()) {
            continue;
        }
        if user.is_none() {
            return Err(AcError::config(format!(
                "session {session:?} has no credentials in the kubeconfig (no user entry with its acp.io/v1 metadata): cannot add cluster {cluster}"
            ))
            .hint(login_hint(session, Some(&platform), None)));
        }
        let entry = b.cluster(&cluster, None, &Tls::Unchanged, template.as_ref(), false)?;
        b.context(&cluster, &entry)?;
    }
    let on_platform: BTreeSet<&str> = clusters.iter().map(String::as_str).collect();
    let gone: Vec<&Member> = existing
        .iter()
        .filter(|m| {
            !m.is_global && m.cluster != global && !on_platform.contains(m.cluster.as_str())
        })
        .collect();
    let mut removed_contexts = Vec::new();
    for m in &gone {
        b.changes
            .push(Change::Remove(Section::Clusters, m.entry.clone()));
        b.report.clusters_removed.push(m.cluster.clone());
        for context in contexts_of(kcs, &m.entry, "") {
            b.changes
                .push(Change::Remove(Section::Contexts, context.clone()));
            removed_contexts.push(context);
        }
    }
    b.report.contexts_removed = removed_contexts.clone();
    Ok(finish(
        kcs,
        b.changes,
        vec![b.report],
        removed_contexts,
        Vec::new(),
    ))
}

/// The plan's end: `current-context` cleared when it was removed.
fn finish(
    kcs: &Kubeconfigs,
    mut changes: Vec<Change>,
    sessions: Vec<SessionChange>,
    removed_contexts: Vec<String>,
    warnings: Vec<String>,
) -> Plan {
    let cleared = kcs
        .current_context()
        .filter(|c| removed_contexts.iter().any(|r| r == c))
        .map(str::to_string);
    if !removed_contexts.is_empty() {
        changes.push(Change::ClearCurrentContext(removed_contexts));
    }
    Plan {
        changes,
        sessions,
        current_context: None,
        cleared_current_context: cleared,
        warnings,
    }
}

/// `ac logout`: every entry of these sessions — cluster entries and user entries with their
/// metadata, and the contexts pointing at either. A DR pair naming a removed session is left
/// as it is, with a warning (commands that order the global tier refuse until it is fixed).
pub fn logout(kcs: &Kubeconfigs, sessions: &[String]) -> Result<Plan> {
    let mut changes = Vec::new();
    let mut reports = Vec::new();
    let mut removed_contexts: Vec<String> = Vec::new();
    for session in sessions {
        let clusters = members(kcs, session, None);
        let session_users = users(kcs, session, None);
        if clusters.is_empty() && session_users.is_empty() {
            return Err(no_session(kcs, session));
        }
        let mut report = SessionChange::new(session, platform_of(kcs, session).as_deref());
        let entries: BTreeSet<&str> = clusters.iter().map(|m| m.entry.as_str()).collect();
        let user_names: BTreeSet<&str> = session_users.iter().map(name_of).collect();
        for m in &clusters {
            changes.push(Change::Remove(Section::Clusters, m.entry.clone()));
            report.clusters_removed.push(m.cluster.clone());
        }
        for u in &user_names {
            changes.push(Change::Remove(Section::Users, u.to_string()));
            report.users_removed.push(u.to_string());
        }
        for c in kcs.entries(Section::Contexts) {
            let cluster = c.pointer("/context/cluster").and_then(Value::as_str);
            let user = c.pointer("/context/user").and_then(Value::as_str);
            let name = name_of(c).to_string();
            if (cluster.is_some_and(|e| entries.contains(e))
                || user.is_some_and(|u| user_names.contains(u)))
                && !removed_contexts.contains(&name)
            {
                changes.push(Change::Remove(Section::Contexts, name.clone()));
                report.contexts_removed.push(name.clone());
                removed_contexts.push(name);
            }
        }
        reports.push(report);
    }
    let mut warnings = Vec::new();
    for name in session_names(kcs) {
        if sessions.contains(&name) {
            continue;
        }
        if let Some(standby) = remembered_standby(kcs, &name)
            && sessions.contains(&standby)
        {
            warnings.push(format!(
                "session {name} names {standby} as its DR standby: commands that order the global tier refuse until you log in to {standby} again or run: ac --context {} config set-dr-standby --unset",
                global_context(kcs, &name).unwrap_or_else(|| format!("{name}/global"))
            ));
        }
    }
    Ok(finish(kcs, changes, reports, removed_contexts, warnings))
}

/// The standby remembered on a session's global cluster entry.
pub fn remembered_standby(kcs: &Kubeconfigs, session: &str) -> Option<String> {
    members(kcs, session, None)
        .iter()
        .find(|m| m.is_global)
        .and_then(|m| cluster_ext(&m.item)?.dr_standby_session)
        .filter(|s| !s.is_empty())
}

fn global_context(kcs: &Kubeconfigs, session: &str) -> Option<String> {
    let global = members(kcs, session, None)
        .into_iter()
        .find(|m| m.is_global)?;
    contexts_of(kcs, &global.entry, &format!("{session}/{}", global.cluster))
        .into_iter()
        .next()
}

/// `ac config set-dr-standby`: remember (or forget, `standby: None`) the DR standby's
/// session on the primary session's global cluster entry (`drStandbySession`).
pub fn set_dr_standby(
    kcs: &Kubeconfigs,
    primary: &str,
    standby: Option<&str>,
) -> Result<(Vec<Change>, DrStandbyReport)> {
    let members = members(kcs, primary, None);
    let Some(global) = members.iter().find(|m| m.is_global) else {
        return Err(AcError::config(format!(
            "session {primary:?} has no global cluster entry (isGlobal: true) to remember its DR standby on"
        ))
        .hint(login_hint(primary, platform_of(kcs, primary).as_deref(), None)));
    };
    let previous = cluster_ext(&global.item).and_then(|e| e.dr_standby_session);
    if let Some(standby) = standby {
        if standby == primary {
            return Err(AcError::usage(format!(
                "session {primary:?} cannot be its own DR standby"
            ))
            .hint("name the session of the standby global; list the sessions with: ac config get-sessions"));
        }
        let standby_members = self::members(kcs, standby, None);
        if !standby_members.iter().any(|m| m.is_global) {
            return Err(if standby_members.is_empty() {
                no_session(kcs, standby)
            } else {
                AcError::config(format!(
                    "session {standby:?} has no global cluster entry: it cannot be a DR standby global"
                ))
                .hint(login_hint(standby, platform_of(kcs, standby).as_deref(), None))
            });
        }
        if remembered_standby(kcs, standby).as_deref() == Some(primary) {
            return Err(AcError::config(format!(
                "session {standby:?} names {primary:?} as its own DR standby: a pair has one standby"
            ))
            .hint(format!(
                "forget that first: ac --context {} config set-dr-standby --unset",
                global_context(kcs, standby).unwrap_or_else(|| format!("{standby}/global"))
            )));
        }
    }
    let mut item = global.item.clone();
    set_ext(
        &mut item,
        Section::Clusters,
        &[("drStandbySession", standby.map(|s| json!(s)))],
    );
    let changes = if item == global.item {
        Vec::new()
    } else {
        vec![Change::Put(Section::Clusters, item)]
    };
    Ok((
        changes,
        DrStandbyReport {
            schema: crate::domain::report::profiles::DR_STANDBY_SCHEMA,
            session: primary.to_string(),
            standby: standby.map(str::to_string),
            previous: previous.filter(|p| !p.is_empty()),
            entry: global.entry.clone(),
            kubeconfig: Vec::new(),
        },
    ))
}

/// The platform's cluster names from a LIST of its Cluster objects: DNS-1123 names only (each
/// becomes a kubeconfig entry name and a URL path segment), each once, the global cluster
/// always (it is where the session is reached). Returns the names and what was skipped (made
/// printable and cut, for messages).
pub fn platform_clusters(items: &[Value], global: &str) -> (Vec<String>, Vec<String>) {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut skipped = Vec::new();
    for item in items {
        let name = item
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if is_dns1123_subdomain(name) {
            names.insert(name.to_string());
        } else {
            let shown = crate::output::text::printable(&crate::output::text::one_line(name));
            skipped.push(crate::output::text::truncate(&shown, 80));
        }
    }
    names.insert(global.to_string());
    (
        ordered(&names.into_iter().collect::<Vec<_>>(), global),
        skipped,
    )
}

/// A Kubernetes object name (DNS-1123 subdomain): at most 253 characters, dot-separated
/// labels of lower-case letters, digits and `-`, each starting and ending with a letter or
/// digit.
pub fn is_dns1123_subdomain(name: &str) -> bool {
    name.len() <= 253
        && !name.is_empty()
        && name.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}
