//! Per-cluster faults of the simulated controller (what a rollout must notice): a cluster
//! whose upgrade stalls, one that goes Degraded, one whose preflight check fails.
//!
//! Syntax, the same in a scenario (`faults: [stall, degrade, preflight=ClusterRunning]` in a
//! cluster entry) and on the command line (`--cluster-fault NAME=KIND`, repeatable; NAME a
//! cluster name or a glob with `*` and `?`, e.g. `edge-*`):
//!
//! - `stall` / `stall=OPERATION`: the upgrade's operation (default `control-plane/etcd`; a
//!   name like `monitoring` or `platform-modules/monitoring`) fails halfway and stays failed:
//!   the cluster is `Stalled` (`OperationFailed`) and never completes;
//! - `degrade`: once the upgrade's stages start, the cluster reports `Degraded=True`
//!   (`ModuleDegraded`); the upgrade goes on and completes, Degraded stays;
//! - `preflight=CHECK`: that preflight check fails (reason `InjectedFault`) on every request,
//!   so the cluster is blocked (`Stalled`, `PreflightFailed`) unless the check is disabled in
//!   `cvo-config` (or, for a check other than `VersionUpgradePath`'s global rule, forced).
//!
//! A fault applies to every upgrade of the cluster, from the start of the simulator.

use std::fmt;
use std::str::FromStr;

use crate::controller::operation_names;
use crate::controller::preflight::CHECKS;

/// The operation `stall` fails when it names none.
pub const DEFAULT_STALL: &str = "control-plane/etcd";

/// What goes wrong with a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterFaultKind {
    /// An operation (`stage/operation` or `operation`) fails for good.
    Stall { operation: String },
    /// `Degraded=True` once the stages start.
    Degrade,
    /// This preflight check fails.
    Preflight { check: String },
}

impl FromStr for ClusterFaultKind {
    type Err = String;

    fn from_str(text: &str) -> Result<ClusterFaultKind, String> {
        let text = text.trim();
        let (kind, value) = match text.split_once('=') {
            Some((kind, value)) => (kind.trim(), Some(value.trim())),
            None => (text, None),
        };
        match (kind, value) {
            ("stall", None) => Ok(ClusterFaultKind::Stall {
                operation: DEFAULT_STALL.to_string(),
            }),
            ("stall", Some(operation)) => {
                let known = operation_names();
                if known.iter().any(|(stage, name)| {
                    operation == *name || operation == format!("{stage}/{name}")
                }) {
                    Ok(ClusterFaultKind::Stall {
                        operation: operation.to_string(),
                    })
                } else {
                    let known: Vec<String> = known
                        .iter()
                        .map(|(stage, name)| format!("{stage}/{name}"))
                        .collect();
                    Err(format!(
                        "stall={operation:?}: not an operation of the upgrade (known: {})",
                        known.join(", ")
                    ))
                }
            }
            ("degrade", None) => Ok(ClusterFaultKind::Degrade),
            ("preflight", Some(check)) => {
                if CHECKS.contains(&check) {
                    Ok(ClusterFaultKind::Preflight {
                        check: check.to_string(),
                    })
                } else {
                    Err(format!(
                        "preflight={check:?}: not a preflight check (known: {})",
                        CHECKS.join(", ")
                    ))
                }
            }
            _ => Err(format!(
                "{text:?} is not a cluster fault (stall, stall=OPERATION, degrade, preflight=CHECK)"
            )),
        }
    }
}

impl fmt::Display for ClusterFaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterFaultKind::Stall { operation } if operation == DEFAULT_STALL => {
                f.write_str("stall")
            }
            ClusterFaultKind::Stall { operation } => write!(f, "stall={operation}"),
            ClusterFaultKind::Degrade => f.write_str("degrade"),
            ClusterFaultKind::Preflight { check } => write!(f, "preflight={check}"),
        }
    }
}

impl<'de> serde::Deserialize<'de> for ClusterFaultKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `--cluster-fault NAME=KIND`: a fault for the clusters NAME matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterFault {
    /// A cluster name, or a glob (`*` any run of characters, `?` one character).
    pub pattern: String,
    pub kind: ClusterFaultKind,
}

impl ClusterFault {
    /// Parse `NAME=KIND` (`edge-*=stall`, `workload-b=preflight=ClusterRunning`).
    pub fn parse(text: &str) -> Result<ClusterFault, String> {
        let Some((pattern, kind)) = text.split_once('=') else {
            return Err(format!(
                "{text:?}: give NAME=KIND, e.g. workload-b=stall, 'edge-*=degrade', workload-c=preflight=ClusterRunning"
            ));
        };
        let pattern = pattern.trim();
        let valid = !pattern.is_empty()
            && pattern.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '*' | '?')
            });
        if !valid {
            return Err(format!(
                "{pattern:?} is not a cluster name or glob (lowercase letters, digits, '-', '.', '*', '?')"
            ));
        }
        Ok(ClusterFault {
            pattern: pattern.to_string(),
            kind: kind.parse()?,
        })
    }

    /// Whether the fault applies to cluster `name`.
    pub fn matches(&self, name: &str) -> bool {
        glob(self.pattern.as_bytes(), name.as_bytes())
    }
}

impl FromStr for ClusterFault {
    type Err = String;
    fn from_str(text: &str) -> Result<ClusterFault, String> {
        ClusterFault::parse(text)
    }
}

/// `*` matches any run of bytes, `?` one byte, anything else itself (iterative, with
/// backtracking to the last `*`: linear-ish, no recursion).
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == b'?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((star_p, star_n)) => {
                    p = star_p + 1;
                    n = star_n + 1;
                    star = Some((star_p, star_n + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let fault = ClusterFault::parse("edge-*=stall").unwrap();
        assert_eq!(
            fault.kind,
            ClusterFaultKind::Stall {
                operation: DEFAULT_STALL.into()
            }
        );
        assert!(fault.matches("edge-1") && fault.matches("edge-") && !fault.matches("core-1"));
        let fault = ClusterFault::parse("workload-00?1=preflight=ClusterRunning").unwrap();
        assert!(fault.matches("workload-0011") && !fault.matches("workload-011"));
        assert_eq!(
            fault.kind,
            ClusterFaultKind::Preflight {
                check: "ClusterRunning".into()
            }
        );
        assert_eq!(
            ClusterFault::parse("b=stall=monitoring")
                .unwrap()
                .kind
                .to_string(),
            "stall=monitoring"
        );
        assert_eq!(
            ClusterFault::parse("*=degrade").unwrap().kind,
            ClusterFaultKind::Degrade
        );
        assert!(
            ClusterFault::parse("*=degrade")
                .unwrap()
                .matches("anything")
        );
        assert!(glob(b"a*b*c", b"aXXbYYc") && !glob(b"a*b*c", b"aXXbYY"));
        for bad in [
            "stall",
            "=stall",
            "Edge=stall",
            "a b=stall",
            "x=explode",
            "x=degrade=yes",
            "x=stall=warp-drive",
            "x=preflight=NoSuchCheck",
            "x=preflight",
        ] {
            assert!(ClusterFault::parse(bad).is_err(), "{bad}");
        }
    }
}
