//! `ac logout [--session=S | --all]`: remove exactly a session's entries from kubeconfig (its
//! cluster and user entries, by their `acp.io/v1` metadata, and the contexts pointing at
//! them); no network. A current context that goes is cleared, never moved to another
//! platform: the next command must not quietly act on a platform nobody chose. The token is
//! not revoked on the platform (ACP's token API is not part of this CLI).

use super::Ctx;
use crate::access::kubeconfig::Source;
use crate::access::kubeconfig_file::{Kubeconfigs, Missing};
use crate::access::session_edits;
use crate::cli::LogoutArgs;
use crate::domain::report::profiles::{SESSION_EDIT_SCHEMA, SessionEditReport};
use crate::error::{AcError, Result};

pub fn run(ctx: &Ctx, args: LogoutArgs) -> Result<()> {
    let source = Source::from_env(ctx.access.kubeconfig.as_deref());
    let mut files = Kubeconfigs::open(&source, Missing::Fail)?;
    let sessions = if args.all {
        let all = session_edits::session_names(&files);
        if all.is_empty() {
            return Err(AcError::config(format!(
                "no ACP sessions in the kubeconfig ({}): nothing to log out of",
                files.describe()
            ))
            .hint("list the sessions with: ac config get-sessions"));
        }
        all
    } else {
        vec![super::config::session_of(
            ctx,
            &files,
            args.session.as_deref(),
        )?]
    };
    let plan = session_edits::logout(&files, &sessions)?;
    files.apply(&plan.changes)?;
    let written = files.commit()?;
    let report = SessionEditReport {
        schema: SESSION_EDIT_SCHEMA,
        action: "logout",
        sessions: plan.sessions,
        current_context: None,
        cleared_current_context: plan.cleared_current_context,
        skipped_names: Vec::new(),
        kubeconfig: written.iter().map(|p| p.display().to_string()).collect(),
        warnings: plan.warnings,
    };
    super::config::print_edit(ctx, &report)
}
