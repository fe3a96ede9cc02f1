//! `ac config`: the sessions and clusters tables, and what a switch did.

use std::path::Path;

use crate::domain::report::profiles::{ClusterInfo, SessionInfo, Switch};
use crate::output::text::{line, redact_url};
use crate::render::table::TableBuilder;

fn star(current: bool) -> &'static str {
    if current { "*" } else { "" }
}

pub fn sessions(sessions: &[SessionInfo], color: bool) -> String {
    if sessions.is_empty() {
        return "No ACP sessions in the kubeconfig: log in with the ACP CLI (ac login <platform-url> --name <session>).\n".into();
    }
    let mut t = TableBuilder::new(
        &["CURRENT", "SESSION", "PLATFORM", "USER", "CLUSTERS"],
        color,
    );
    for s in sessions {
        t.row(&[
            star(s.current).to_string(),
            s.name.clone(),
            s.platform_url
                .as_deref()
                .map(redact_url)
                .unwrap_or_else(|| "-".into()),
            s.username.clone().unwrap_or_else(|| "-".into()),
            s.clusters.to_string(),
        ]);
    }
    t.render()
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
