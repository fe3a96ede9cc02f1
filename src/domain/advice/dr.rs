//! Disaster recovery's order in words: the guide's sentence that puts the standby global
//! before the primary, what it means when the primary already went first
//! (`GlobalTier::order_violated`), and what to do then — the standby's own upgrade, through
//! its own session, starting with its pre-checks. `status --all-clusters` and `verify` say it
//! the same way.

use crate::domain::cmdline::{self, ClusterFlag};
use crate::domain::rules::tier::StandbyGlobal;

/// The guide (Global DR Procedure, step 5): the primary moves only after the standby.
pub const GUIDE_STANDBY_FIRST: &str = "After the standby global cluster has reached the desired version, run the remaining steps from the standard workflow on the primary global cluster";

/// The guide's words, quoted: `the guide: "…"`.
pub fn guide_quote() -> String {
    format!("the guide: \"{GUIDE_STANDBY_FIRST}\"")
}

/// `DR order violated: the primary global is at 4.3.0, ahead of the standby global (session
/// prod-dr) at 4.2.1`.
pub fn violation(primary: &str, standby_version: &str, standby: &StandbyGlobal) -> String {
    format!(
        "DR order violated: the primary global is at {primary}, ahead of the standby global (session {}) at {standby_version}",
        standby.session
    )
}

/// The violation and the guide's sentence, as `status --all-clusters` and `verify` say it.
pub fn violation_quoted(primary: &str, standby_version: &str, standby: &StandbyGlobal) -> String {
    format!(
        "{}; {}",
        violation(primary, standby_version, standby),
        guide_quote()
    )
}

/// What puts it right: the standby's own upgrade to the primary's version — what the sentence
/// of the next step says, and its pre-checks, through the standby's session.
pub fn catch_up(primary: &str, standby: &StandbyGlobal) -> (String, String) {
    (
        format!("upgrade the standby global to {primary} through its own session; its pre-checks"),
        cmdline::in_context(
            &standby.context,
            &cmdline::precheck(ClusterFlag::joined(&standby.global_name), Some(primary)),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Fact;

    #[test]
    fn the_standbys_own_pre_checks_through_its_session() {
        let standby = StandbyGlobal {
            session: "prod-dr".into(),
            context: "prod-dr/global".into(),
            global_name: "global".into(),
            version: Fact::Read(Some("4.2.1".into())),
        };
        assert_eq!(
            violation("4.3.0", "4.2.1", &standby),
            "DR order violated: the primary global is at 4.3.0, ahead of the standby global (session prod-dr) at 4.2.1"
        );
        assert_eq!(
            catch_up("4.3.0", &standby).1,
            "ac --context prod-dr/global adm upgrade precheck --cluster=global --to=4.3.0"
        );
        assert!(guide_quote().contains("standby global cluster has reached the desired version"));
    }
}
