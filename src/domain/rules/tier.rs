//! The global tier (SPEC §1 and §4; the guide's "Sequencing"): the global cluster, and under
//! disaster recovery a standby global beside it. The standby moves first, then the primary;
//! a workload cluster moves only to a version the whole tier has reached. [`GlobalTier`] is
//! that rule in one place: its ceiling, "may this cluster move to V", what a cluster moves to
//! next, and which part of the platform moves next. Pre-checks, the request guard, every
//! screen and the rollout ask it; none keeps a copy.

use serde::Serialize;

use crate::domain::facts::{Fact, Standby};
use crate::domain::rules::offers::Offers;
use crate::domain::version::{self, reached};

/// The standby global as the tier sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandbyGlobal {
    /// The kubeconfig session of the standby platform.
    pub session: String,
    /// A context of that session, for commands that act on it.
    pub context: String,
    /// The standby platform's global cluster name.
    pub global_name: String,
    /// Its current version (`Read(None)`: it reports none).
    pub version: Fact<Option<String>>,
}

impl StandbyGlobal {
    pub fn from_read(standby: &Standby) -> StandbyGlobal {
        StandbyGlobal {
            session: standby.session.clone(),
            context: standby.context.clone(),
            global_name: standby.global_name.clone(),
            version: match &standby.cvsh {
                Fact::Read(cvsh) => Fact::Read(cvsh.current_version().map(str::to_string)),
                Fact::Unknown(why) => Fact::Unknown(why.clone()),
            },
        }
    }

    /// The version it reports, when it could be read and reports one.
    pub fn version(&self) -> Option<&str> {
        match &self.version {
            Fact::Read(v) => v.as_deref(),
            Fact::Unknown(_) => None,
        }
    }
}

/// The global cluster (the primary) and, under DR, the standby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalTier {
    /// The session's global cluster name (`global` after a login).
    primary: String,
    /// `status.current.version` of the primary's cvsh, when known.
    primary_version: Option<String>,
    standby: Option<StandbyGlobal>,
}

/// Nothing in the tier stands in the way of a move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TierClear {
    /// A global cluster without a standby: nothing to wait for.
    NoStandby,
    /// The standby global already reached the version (the primary may follow).
    StandbyReached { at: String },
    /// The global cluster reached the version (no standby).
    GlobalReached { at: String },
    /// Both globals reached the version.
    BothReached { primary: String, standby: String },
}

/// What in the tier stands in the way of a move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TierBlock {
    /// A workload cluster's move cannot be checked: the global cluster reports no version.
    GlobalVersionUnknown,
    /// The global cluster is at `at`, below the version a workload cluster asks for.
    GlobalNotReached { at: String },
    /// The standby global is at `at` (or reports nothing), below the version: it moves first.
    StandbyNotReached { at: Option<String> },
}

/// Whether the tier lets a cluster move to a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TierVerdict {
    Clear(TierClear),
    Blocked(TierBlock),
    /// The standby global could not be read (the reason).
    StandbyUnreadable(String),
}

/// Where a cluster can go next, by the tier and the offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextVersion {
    /// This version, offered and allowed by the tier.
    Offered(String),
    /// Nothing is offered at all.
    NothingOffered,
    /// A workload cluster behind the tier's ceiling, but no version up to it is offered yet.
    NotOfferedYet { ceiling: String },
    /// A workload cluster while the global cluster reports no version.
    GlobalUnknown,
    /// Nothing newer that the tier allows: where it should be.
    UpToDate,
}

impl NextVersion {
    pub fn offered(&self) -> Option<&str> {
        match self {
            NextVersion::Offered(v) => Some(v),
            _ => None,
        }
    }
}

/// Which part of the platform moves next toward a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TierStep {
    /// The standby global (DR) has not reached it: it goes first.
    Standby,
    /// The global cluster has not reached it.
    Primary,
    /// The whole tier reached it: workload clusters may follow.
    Workloads,
}

/// A workload cluster beyond the global cluster's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "version", rename_all = "camelCase")]
pub enum Ahead {
    /// Runs a newer version than global.
    At(String),
    /// Asks for a newer version than global.
    Targets(String),
}

impl GlobalTier {
    pub fn new(
        primary: impl Into<String>,
        primary_version: Option<String>,
        standby: Option<StandbyGlobal>,
    ) -> GlobalTier {
        GlobalTier {
            primary: primary.into(),
            primary_version,
            standby,
        }
    }

    /// The global cluster's name.
    pub fn primary(&self) -> &str {
        &self.primary
    }

    pub fn primary_version(&self) -> Option<&str> {
        self.primary_version.as_deref()
    }

    pub fn standby(&self) -> Option<&StandbyGlobal> {
        self.standby.as_ref()
    }

    /// Whether `cluster` is the (primary) global cluster.
    pub fn is_global(&self, cluster: &str) -> bool {
        cluster == self.primary
    }

    /// The highest version the whole tier has reached: the global cluster's, or under DR the
    /// lower of both globals' (a standby that could not be read does not lower it; the moves
    /// it governs say so themselves).
    pub fn ceiling(&self) -> Option<&str> {
        let primary = self.primary_version.as_deref()?;
        match self.standby.as_ref().and_then(StandbyGlobal::version) {
            Some(standby) if !reached(standby, primary) => Some(standby),
            _ => Some(primary),
        }
    }

    /// Whether the standby (when there is one) stands in the way of `to`.
    fn standby_verdict(&self, to: &str) -> Option<Result<String, TierVerdict>> {
        let standby = self.standby.as_ref()?;
        Some(match &standby.version {
            Fact::Unknown(why) => Err(TierVerdict::StandbyUnreadable(why.clone())),
            Fact::Read(Some(at)) if reached(at, to) => Ok(at.clone()),
            Fact::Read(at) => Err(TierVerdict::Blocked(TierBlock::StandbyNotReached {
                at: at.clone(),
            })),
        })
    }

    /// May `cluster` move to version `to` as far as the tier goes? The global cluster waits for
    /// the standby (DR); a workload cluster waits for every global.
    pub fn may_move(&self, cluster: &str, to: &str) -> TierVerdict {
        if self.is_global(cluster) {
            return match self.standby_verdict(to) {
                None => TierVerdict::Clear(TierClear::NoStandby),
                Some(Ok(at)) => TierVerdict::Clear(TierClear::StandbyReached { at }),
                Some(Err(verdict)) => verdict,
            };
        }
        let Some(primary) = self.primary_version.as_deref() else {
            return TierVerdict::Blocked(TierBlock::GlobalVersionUnknown);
        };
        if !reached(primary, to) {
            return TierVerdict::Blocked(TierBlock::GlobalNotReached {
                at: primary.to_string(),
            });
        }
        match self.standby_verdict(to) {
            None => TierVerdict::Clear(TierClear::GlobalReached {
                at: primary.to_string(),
            }),
            Some(Ok(standby)) => TierVerdict::Clear(TierClear::BothReached {
                primary: primary.to_string(),
                standby,
            }),
            Some(Err(verdict)) => verdict,
        }
    }

    /// Where `cluster` (at `current`, offered `offers`) goes next: for the global cluster the
    /// highest stable offer (a pre-release only when nothing else is newer); for a workload
    /// cluster the highest offer the tier has reached.
    pub fn next_version_for(
        &self,
        cluster: &str,
        offers: &Offers,
        current: Option<&str>,
    ) -> NextVersion {
        let newer = |v: &str| current.is_none_or(|c| version::newer_than(v, c) == Some(true));
        if self.is_global(cluster) {
            let pick = offers
                .latest_stable()
                .and_then(|r| r.version.as_deref())
                .filter(|v| newer(v))
                .or_else(|| {
                    offers
                        .latest()
                        .and_then(|r| r.version.as_deref())
                        .filter(|v| newer(v))
                });
            return match pick {
                Some(v) => NextVersion::Offered(v.to_string()),
                None if offers.is_empty() => NextVersion::NothingOffered,
                None => NextVersion::UpToDate,
            };
        }
        let Some(ceiling) = self.ceiling() else {
            return NextVersion::GlobalUnknown;
        };
        match offers.highest_up_to(ceiling).filter(|v| newer(v)) {
            Some(v) => NextVersion::Offered(v.to_string()),
            None if current.is_some_and(|c| version::newer_than(ceiling, c) == Some(true)) => {
                NextVersion::NotOfferedYet {
                    ceiling: ceiling.to_string(),
                }
            }
            None if offers.is_empty() => NextVersion::NothingOffered,
            None => NextVersion::UpToDate,
        }
    }

    /// A workload cluster at `current` is behind the global cluster's version (both known).
    pub fn behind(&self, current: Option<&str>) -> bool {
        match (self.primary_version.as_deref(), current) {
            (Some(global), Some(current)) => version::newer_than(global, current) == Some(true),
            _ => false,
        }
    }

    /// A workload cluster running or asking for a version beyond the global cluster's.
    pub fn ahead(&self, current: Option<&str>, pending_target: Option<&str>) -> Option<Ahead> {
        let global = self.primary_version.as_deref()?;
        if let Some(current) = current
            && version::newer_than(current, global) == Some(true)
        {
            return Some(Ahead::At(current.to_string()));
        }
        let target = pending_target?;
        (version::newer_than(target, global) == Some(true)).then(|| Ahead::Targets(target.into()))
    }

    /// Which part of the platform moves next toward `to`.
    pub fn next_step(&self, to: &str) -> TierStep {
        if let Some(standby) = &self.standby
            && !standby.version().is_some_and(|at| reached(at, to))
        {
            return TierStep::Standby;
        }
        if !self
            .primary_version
            .as_deref()
            .is_some_and(|at| reached(at, to))
        {
            return TierStep::Primary;
        }
        TierStep::Workloads
    }

    /// Under DR, the primary runs a newer version than the standby: the order the guide
    /// demands (standby first) was not kept. `(primary, standby)` versions.
    pub fn order_violated(&self) -> Option<(&str, &str)> {
        let primary = self.primary_version.as_deref()?;
        let standby = self.standby.as_ref()?.version()?;
        (version::newer_than(primary, standby) == Some(true)).then_some((primary, standby))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::version::Release;

    fn standby(at: Option<&str>) -> StandbyGlobal {
        StandbyGlobal {
            session: "prod-dr".into(),
            context: "prod-dr/global".into(),
            global_name: "global".into(),
            version: Fact::Read(at.map(str::to_string)),
        }
    }

    fn tier(primary: Option<&str>, standby_at: Option<Option<&str>>) -> GlobalTier {
        GlobalTier::new(
            "global",
            primary.map(str::to_string),
            standby_at.map(standby),
        )
    }

    fn offers(list: &[&str]) -> Offers {
        let releases: Vec<Release> = list
            .iter()
            .map(|v| Release {
                version: Some(v.to_string()),
                image: None,
            })
            .collect();
        Offers::new(&releases)
    }

    #[test]
    fn ceiling_is_the_lower_global() {
        assert_eq!(tier(Some("4.3.0"), None).ceiling(), Some("4.3.0"));
        assert_eq!(
            tier(Some("4.3.0"), Some(Some("4.2.1"))).ceiling(),
            Some("4.2.1")
        );
        assert_eq!(
            tier(Some("4.2.1"), Some(Some("4.3.0"))).ceiling(),
            Some("4.2.1")
        );
        assert_eq!(tier(None, None).ceiling(), None);
        let mut unreadable = tier(Some("4.3.0"), Some(None));
        unreadable.standby.as_mut().unwrap().version = Fact::Unknown("refused".into());
        assert_eq!(unreadable.ceiling(), Some("4.3.0"));
    }

    #[test]
    fn the_standby_first_then_the_primary_then_workloads() {
        let t = tier(Some("4.2.1"), Some(Some("4.2.1")));
        assert_eq!(
            t.may_move("global", "4.3.0"),
            TierVerdict::Blocked(TierBlock::StandbyNotReached {
                at: Some("4.2.1".into())
            })
        );
        assert_eq!(t.next_step("4.3.0"), TierStep::Standby);
        let t = tier(Some("4.2.1"), Some(Some("4.3.0")));
        assert_eq!(
            t.may_move("global", "4.3.0"),
            TierVerdict::Clear(TierClear::StandbyReached { at: "4.3.0".into() })
        );
        assert_eq!(t.next_step("4.3.0"), TierStep::Primary);
        assert_eq!(
            t.may_move("workload-a", "4.3.0"),
            TierVerdict::Blocked(TierBlock::GlobalNotReached { at: "4.2.1".into() })
        );
        let t = tier(Some("4.3.0"), Some(Some("4.3.0")));
        assert_eq!(t.next_step("4.3.0"), TierStep::Workloads);
        assert!(matches!(
            t.may_move("workload-a", "4.3.0"),
            TierVerdict::Clear(TierClear::BothReached { .. })
        ));
        let t = tier(Some("4.3.0"), Some(Some("4.2.1")));
        assert_eq!(
            t.may_move("workload-a", "4.3.0"),
            TierVerdict::Blocked(TierBlock::StandbyNotReached {
                at: Some("4.2.1".into())
            })
        );
        assert_eq!(t.order_violated(), Some(("4.3.0", "4.2.1")));
        assert_eq!(
            tier(None, None).may_move("w", "4.3.0"),
            TierVerdict::Blocked(TierBlock::GlobalVersionUnknown)
        );
        assert_eq!(
            tier(Some("4.2.0"), None).may_move("global", "4.3.0"),
            TierVerdict::Clear(TierClear::NoStandby)
        );
    }

    #[test]
    fn next_versions() {
        let t = tier(Some("4.3.0"), None);
        let o = offers(&["4.3.0", "4.2.3", "4.4.0"]);
        assert_eq!(
            t.next_version_for("w", &o, Some("4.2.1")),
            NextVersion::Offered("4.3.0".into())
        );
        assert_eq!(
            t.next_version_for("global", &o, Some("4.3.0")),
            NextVersion::Offered("4.4.0".into())
        );
        assert_eq!(
            t.next_version_for("w", &offers(&["4.4.0"]), Some("4.2.1")),
            NextVersion::NotOfferedYet {
                ceiling: "4.3.0".into()
            }
        );
        assert_eq!(
            t.next_version_for("w", &offers(&[]), Some("4.3.0")),
            NextVersion::NothingOffered
        );
        assert_eq!(
            t.next_version_for("w", &offers(&["4.2.1"]), Some("4.3.0")),
            NextVersion::UpToDate
        );
        assert_eq!(
            tier(Some("4.2.0"), None).next_version_for(
                "global",
                &offers(&["4.4.0-rc.1", "4.3.0"]),
                Some("4.2.0")
            ),
            NextVersion::Offered("4.3.0".into()),
            "a stable release before a pre-release"
        );
        assert_eq!(
            tier(Some("4.3.0"), None).next_version_for(
                "global",
                &offers(&["4.4.0-rc.1", "4.3.0"]),
                Some("4.3.0")
            ),
            NextVersion::Offered("4.4.0-rc.1".into())
        );
        assert_eq!(
            tier(None, None).next_version_for("w", &o, Some("4.2.1")),
            NextVersion::GlobalUnknown
        );
    }

    #[test]
    fn behind_and_ahead() {
        let t = tier(Some("4.3.0"), None);
        assert!(t.behind(Some("4.2.1")));
        assert!(!t.behind(Some("4.3.0")));
        assert_eq!(
            t.ahead(Some("4.4.0"), None),
            Some(Ahead::At("4.4.0".into()))
        );
        assert_eq!(
            t.ahead(Some("4.2.1"), Some("4.4.0")),
            Some(Ahead::Targets("4.4.0".into()))
        );
        assert_eq!(t.ahead(Some("4.2.1"), Some("4.3.0")), None);
    }
}
