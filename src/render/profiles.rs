//! `ac config`: the sessions and clusters tables, and what a switch did.

use std::path::Path;

use crate::domain::report::profiles::{
    ClusterInfo, DrStandbyReport, SessionChange, SessionEditReport, SessionInfo, Switch,
};
use crate::output::text::{line, one_line, plural, printable, redact_url};
use crate::render::table::TableBuilder;

/// Kubeconfig text in a sentence: one line, control characters made visible.
fn safe(text: &str) -> String {
    printable(&one_line(text))
}

fn star(current: bool) -> &'static str {
    if current { "*" } else { "" }
}

pub fn sessions(sessions: &[SessionInfo], color: bool) -> String {
    if sessions.is_empty() {
        return "No ACP sessions in the kubeconfig: log in with the ACP CLI (ac login <platform-url> --name <session>).\n".into();
    }
    let dr = sessions
        .iter()
        .any(|s| s.dr_standby.is_some() || !s.dr_standby_of.is_empty());
    let mut header = vec!["CURRENT", "SESSION", "PLATFORM", "USER", "CLUSTERS"];
    if dr {
        header.push("DR");
    }
    let mut t = TableBuilder::new(&header, color);
    for s in sessions {
        let mut row = vec![
            star(s.current).to_string(),
            s.name.clone(),
            s.platform_url
                .as_deref()
                .map(redact_url)
                .unwrap_or_else(|| "-".into()),
            s.username.clone().unwrap_or_else(|| "-".into()),
            s.clusters.to_string(),
        ];
        if dr {
            row.push(dr_cell(s));
        }
        t.row(&row);
    }
    t.render()
}

/// `primary (standby: prod-dr)`, `standby of prod`, both, or `-`.
fn dr_cell(s: &SessionInfo) -> String {
    let mut parts = Vec::new();
    if let Some(standby) = &s.dr_standby {
        parts.push(format!("primary (standby: {standby})"));
    }
    if !s.dr_standby_of.is_empty() {
        parts.push(format!("standby of {}", s.dr_standby_of.join(", ")));
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join("; ")
    }
}

pub fn clusters(clusters: &[ClusterInfo], color: bool) -> String {
    let mut t = TableBuilder::new(&["CURRENT", "CLUSTER", "TYPE", "CONTEXT", "SERVER"], color);
    for c in clusters {
        t.row(&[
            star(c.current).to_string(),
            c.name.clone(),
            if c.is_global { "global" } else { "workload" }.to_string(),
            c.context.clone().unwrap_or_else(|| "-".into()),
            c.server
                .as_deref()
                .map(redact_url)
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    t.render()
}

pub fn switched(s: &Switch, file: &Path) -> String {
    let mut out = String::new();
    if let Some(new) = &s.create {
        out.push_str(&format!(
            "Created context {:?} (cluster entry {:?}, user {:?}) in {}.\n",
            new.name,
            new.cluster_entry,
            new.user_entry,
            file.display()
        ));
    }
    // Names from the kubeconfig are data: shown, never sent to the terminal raw.
    out.push_str(&format!(
        "Switched to context {:?}: cluster {} of session {}.\n",
        s.context,
        line(&s.cluster),
        line(&s.session)
    ));
    out
}

/// At most this many names in a sentence; the rest are counted (`-o json` has them all).
const NAMES_SHOWN: usize = 10;

fn names(list: &[String]) -> String {
    let mut shown: Vec<String> = list.iter().take(NAMES_SHOWN).map(|n| safe(n)).collect();
    if list.len() > NAMES_SHOWN {
        shown.push(format!("and {} more", list.len() - NAMES_SHOWN));
    }
    shown.join(", ")
}

/// The warning about cluster names from the server that were not used.
pub fn skipped_names(skipped: &[String]) -> String {
    format!(
        "skipped {} from the platform that {} not a DNS-1123 name: {}",
        plural(skipped.len(), "cluster name", "cluster names"),
        if skipped.len() == 1 { "is" } else { "are" },
        names(&skipped.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>())
    )
}

/// What `ac login`, `ac config sync` and `ac logout` did, per session.
pub fn session_edit(r: &SessionEditReport) -> String {
    let mut out = String::new();
    for s in &r.sessions {
        let platform = s
            .platform_url
            .as_deref()
            .map(|u| format!(" ({})", safe(u)))
            .unwrap_or_default();
        let headline = match r.action {
            "login" => format!("Logged in to session {}{platform}.", safe(&s.session)),
            "sync" if s.is_empty() => format!(
                "Session {}{platform} already has every cluster of the platform: nothing to change.",
                safe(&s.session)
            ),
            "sync" => format!(
                "Synced session {}{platform} with the platform's cluster list.",
                safe(&s.session)
            ),
            _ => format!("Logged out of session {}{platform}.", safe(&s.session)),
        };
        out.push_str(&headline);
        out.push('\n');
        out.push_str(&changes(s));
        if !s.not_on_platform.is_empty() {
            out.push_str(&format!(
                "  not on the platform any more: {} (ac config sync removes them)\n",
                names(&s.not_on_platform)
            ));
        }
    }
    if let Some(c) = &r.current_context {
        out.push_str(&format!("Current context: {}.\n", safe(c)));
    }
    if let Some(c) = &r.cleared_current_context {
        out.push_str(&format!(
            "Current context {} was removed: current-context is cleared (not moved); pick one with: {}\n",
            safe(c),
            if r.action == "sync" {
                "ac config use-cluster NAME"
            } else {
                "ac config use-session NAME"
            }
        ));
    }
    if r.action == "logout" {
        out.push_str("The token is not revoked on the platform; it stays valid until it expires or is revoked there.\n");
    }
    match r.kubeconfig.as_slice() {
        [] => out.push_str("The kubeconfig was not changed.\n"),
        files => out.push_str(&format!(
            "Wrote {}.\n",
            files.iter().map(|f| safe(f)).collect::<Vec<_>>().join(", ")
        )),
    }
    out
}

/// The lines of one session's change: what was added, updated, removed.
fn changes(s: &SessionChange) -> String {
    let mut out = String::new();
    let mut line = |what: &str, list: &[String]| {
        if !list.is_empty() {
            out.push_str(&format!("  {what}: {}\n", names(list)));
        }
    };
    line("clusters added", &s.clusters_added);
    line("clusters updated", &s.clusters_updated);
    line("clusters removed", &s.clusters_removed);
    line("contexts added", &s.contexts_added);
    line("contexts removed", &s.contexts_removed);
    line("user entries added", &s.users_added);
    line("user entries updated (token)", &s.users_updated);
    line("user entries removed", &s.users_removed);
    out
}

/// What `ac config set-dr-standby` did.
pub fn dr_standby(r: &DrStandbyReport) -> String {
    let session = safe(&r.session);
    let mut out = match (&r.standby, &r.previous) {
        (Some(s), Some(p)) if s == p => format!(
            "Session {session} already remembers {} as its DR standby.\n",
            safe(s)
        ),
        (Some(s), _) => format!(
            "Session {session} now has {} as its DR standby global: commands that order the global tier upgrade it first.\n",
            safe(s)
        ),
        (None, Some(p)) => format!(
            "Session {session} no longer remembers a DR standby (was {}).\n",
            safe(p)
        ),
        (None, None) => format!("Session {session} remembers no DR standby.\n"),
    };
    out.push_str(&match r.kubeconfig.as_slice() {
        [] => "The kubeconfig was not changed.\n".to_string(),
        files => format!(
            "{} drStandbySession {} cluster entry {} in {}.\n",
            if r.standby.is_some() {
                "Wrote"
            } else {
                "Removed"
            },
            if r.standby.is_some() { "on" } else { "from" },
            safe(&r.entry),
            files.iter().map(|f| safe(f)).collect::<Vec<_>>().join(", ")
        ),
    });
    out
}
