//! Disaster recovery: which session is the standby global, decided once for every command that
//! orders the global tier (`ac adm upgrade`, `status`, `precheck`, `verify`, `ac adm release
//! list` and `import-manifest`), and the connection to it.
//!
//! The standby is `--dr-standby`, else `AC_DR_STANDBY`, else the session remembered on the
//! current session's global cluster entry (`drStandbySession`, written by `ac config
//! set-dr-standby`); `-v=4` says which. A standby that cannot be found in kubeconfig stops the
//! command: ordering the global tier without it is the mistake the guide warns about most.

use super::Ctx;
use crate::access::facts::{self, StandbySession};
use crate::access::kubeconfig::Session;
use crate::error::Result;

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
    /// [`DrStandby::label`] and [`DrStandby::fix`], for the access layer's messages.
    said: (String, String),
}

impl DrStandby {
    fn new(session: String, from: From) -> DrStandby {
        let mut dr = DrStandby {
            session,
            from,
            said: (String::new(), String::new()),
        };
        dr.said = (dr.label(), dr.fix());
        dr
    }

    /// The session as the access layer reads it (`access::facts::Needs::standby`).
    pub fn session(&self) -> StandbySession<'_> {
        StandbySession {
            session: &self.session,
            label: &self.said.0,
            fix: &self.said.1,
        }
    }

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
                "name another session with --dr-standby; list the sessions with: ac config get-sessions".into()
            }
            From::Env => format!(
                "set {ENV} to another session, or unset it; list the sessions with: ac config get-sessions"
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
        (Some(flag), _) => Some(DrStandby::new(flag.to_string(), From::Flag)),
        (None, Some(env)) => Some(DrStandby::new(env, From::Env)),
        (None, None) => current.and_then(|acp| {
            Some(DrStandby::new(
                acp.dr_standby.clone()?,
                From::Remembered {
                    primary: acp.name.clone(),
                },
            ))
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

/// The standby's session in kubeconfig, and a connection to its global cluster.
pub async fn connect(ctx: &Ctx, dr: &DrStandby) -> Result<facts::StandbyConn> {
    facts::connect_standby(&ctx.access, ctx.diagnostics(), &dr.session()).await
}
