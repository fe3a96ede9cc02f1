//! Disaster recovery: which session is the standby global, decided once for every command that
//! orders the global tier (`ac adm upgrade`, `status`, `precheck`, `ac adm release list` and
//! `import-manifest`), and the connection to it.
//!
//! The standby is `--dr-standby`, else `AC_DR_STANDBY`, else the session remembered on the
//! current session's global cluster entry (`drStandbySession`, written by `ac config
//! set-dr-standby`); `-v=4` says which. A standby that cannot be found in kubeconfig stops the
//! command: ordering the global tier without it is the mistake the guide warns about most.

use super::Ctx;
use crate::access::client::{self, Conn};
use crate::access::kubeconfig::{self, Session};
use crate::access::profiles;
use crate::error::{AcError, Result};

/// The environment variable that names the standby (overridden by `--dr-standby`).
pub const ENV: &str = "AC_DR_STANDBY";

/// Where the standby's session name came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    Flag,
    Env,
    /// `drStandbySession` of the current session's global cluster entry.
    Remembered {
        primary: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrStandby {
    pub session: String,
    pub from: From,
}

impl DrStandby {
    /// How messages name it: `--dr-standby sim-dr`, `AC_DR_STANDBY=sim-dr`, `the DR standby
    /// sim-dr remembered for session sim`.
    pub fn label(&self) -> String {
        match &self.from {
            From::Flag => format!("--dr-standby {}", self.session),
            From::Env => format!("{ENV}={}", self.session),
            From::Remembered { primary } => format!(
                "the DR standby {} remembered for session {primary}",
                self.session
            ),
        }
    }

    /// What fixes a standby that is not usable, by where it came from.
    fn fix(&self) -> String {
        match &self.from {
            From::Flag => {
                "name another session with --dr-standby (ac config get-sessions lists them)".into()
            }
            From::Env => format!(
                "set {ENV} to another session, or unset it (ac config get-sessions lists them)"
            ),
            From::Remembered { .. } => {
                "log in to the standby again, or forget the pair: ac config set-dr-standby --unset"
                    .into()
            }
        }
    }
}

/// The standby for a command whose primary session is `primary` (`None`: no DR, or this is
/// the standby itself).
pub fn resolve(ctx: &Ctx, flag: Option<&str>, primary: &Session) -> Option<DrStandby> {
    let env = std::env::var(ENV).ok();
    let current = primary.acp.as_ref();
    let found = match (
        flag.filter(|f| !f.is_empty()),
        env.filter(|e| !e.is_empty()),
    ) {
        (Some(flag), _) => Some(DrStandby {
            session: flag.to_string(),
            from: From::Flag,
        }),
        (None, Some(env)) => Some(DrStandby {
            session: env,
            from: From::Env,
        }),
        (None, None) => current.and_then(|acp| {
            Some(DrStandby {
                session: acp.dr_standby.clone()?,
                from: From::Remembered {
                    primary: acp.name.clone(),
                },
            })
        }),
    };
    let itself = found
        .as_ref()
        .is_some_and(|dr| current.is_some_and(|acp| acp.name == dr.session));
    if ctx.access.verbosity >= 4 {
        let line = match (&found, itself) {
            (Some(dr), true) => format!(
                "I DR standby: {} is the session of this context: no standby to wait for",
                dr.label()
            ),
            (Some(dr), false) => format!(
                "I DR standby: session {} from {}",
                dr.session,
                match &dr.from {
                    From::Flag => "--dr-standby".to_string(),
                    From::Env => ENV.to_string(),
                    From::Remembered { primary } => format!(
                        "the kubeconfig (drStandbySession on the global cluster entry of session {primary})"
                    ),
                }
            ),
            (None, _) => format!(
                "I DR standby: none (no --dr-standby, no {ENV}, none remembered{})",
                current
                    .map(|acp| format!(" for session {}", acp.name))
                    .unwrap_or_default()
            ),
        };
        ctx.printer.trace(&line);
    }
    // The standby itself: its own commands read its own platform.
    found.filter(|_| !itself)
}

/// The standby's global cluster, reached through its session's global context.
pub struct StandbyConn {
    pub context: String,
    pub global_name: String,
    /// `Err`: the standby's endpoint could not be set up (credentials, TLS settings).
    pub conn: Result<Conn>,
}

/// The standby's session in kubeconfig, and a connection to its global cluster.
pub async fn connect(ctx: &Ctx, dr: &DrStandby) -> Result<StandbyConn> {
    let loaded = kubeconfig::load(&kubeconfig::Source::from_env(
        ctx.access.kubeconfig.as_deref(),
    ))?;
    let switch = profiles::use_session(&loaded.config, &dr.session).map_err(|e| {
        AcError::config(format!("{}: {}", dr.label(), e.message))
            .hint(dr.fix())
            .hint(
                e.hints
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "list the sessions with: ac config get-sessions".into()),
            )
    })?;
    if switch.create.is_some() {
        return Err(AcError::config(format!(
            "{}: the kubeconfig has no context for the standby session",
            dr.label()
        ))
        .hint(format!(
            "create one (this also switches to it): ac config use-session {}",
            dr.session
        )));
    }
    let options = crate::access::Options {
        context: Some(switch.context.clone()),
        user: None,
        ..ctx.access.clone()
    };
    let resolved = client::resolve(&options)?;
    let global_name = resolved.session.global_name();
    let conn = Conn::open(resolved, &options, ctx.diagnostics()).await;
    Ok(StandbyConn {
        context: switch.context,
        global_name,
        conn,
    })
}
