//! The compatible Kubernetes range (SPEC §4, the guide's "Compatible Versions"): each ACP
//! release runs workload clusters on a range of Kubernetes minors, and before the global tier
//! moves to a release every workload cluster must be inside that release's range. One type,
//! [`KubernetesRange`], answers "inside?", "the nearest version inside" and "the next step
//! toward it"; [`KubeVersion`] is the one reader of a Kubernetes version.

use std::fmt;

use serde::Serialize;

use crate::domain::version;

/// A Kubernetes release line, `MAJOR.MINOR` (`1.31`), read from `1.31`, `1.32.6`, `v1.31.4` or
/// `1.30.14-tke.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub major: u64,
    pub minor: u64,
}

impl KubeVersion {
    /// The release line of a Kubernetes version; `None` when it is not one.
    pub fn parse(text: &str) -> Option<KubeVersion> {
        let mut parts = text.trim().trim_start_matches(['v', 'V']).split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.split(['-', '+']).next()?.parse().ok()?;
        Some(KubeVersion { major, minor })
    }

    /// The next minor (`1.31` → `1.32`).
    pub fn next(self) -> KubeVersion {
        KubeVersion {
            minor: self.minor + 1,
            ..self
        }
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Serialize for KubeVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a Kubernetes version stands against a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Below,
    Inside,
    Above,
}

/// The Kubernetes minors an ACP release supports (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KubernetesRange {
    /// The ACP release line (`4.3`).
    pub release: (u64, u64),
    pub low: KubeVersion,
    pub high: KubeVersion,
}

/// SPEC §4: ACP 4.3: 1.31–1.34; 4.2: 1.30–1.33; 4.1: 1.29–1.32; 4.0: 1.28–1.31.
const TABLE: [((u64, u64), u64, u64); 4] = [
    ((4, 3), 31, 34),
    ((4, 2), 30, 33),
    ((4, 1), 29, 32),
    ((4, 0), 28, 31),
];

impl KubernetesRange {
    /// The range of the ACP release `acp_version` belongs to (`4.3.0` → 1.31–1.34); `None`
    /// for a release the guide states no range for.
    pub fn of_release(acp_version: &str) -> Option<KubernetesRange> {
        let release = version::minor_of(acp_version)?;
        TABLE
            .iter()
            .find(|(line, _, _)| *line == release)
            .map(|&(release, low, high)| KubernetesRange {
                release,
                low: KubeVersion {
                    major: 1,
                    minor: low,
                },
                high: KubeVersion {
                    major: 1,
                    minor: high,
                },
            })
    }

    /// Where `kubernetes` stands; `None` when it is not a Kubernetes version.
    pub fn place(&self, kubernetes: &str) -> Option<Placement> {
        let v = KubeVersion::parse(kubernetes)?;
        Some(if v < self.low {
            Placement::Below
        } else if v > self.high {
            Placement::Above
        } else {
            Placement::Inside
        })
    }

    /// Inside the range? `None` when `kubernetes` is not a Kubernetes version.
    pub fn contains(&self, kubernetes: &str) -> Option<bool> {
        self.place(kubernetes).map(|p| p == Placement::Inside)
    }

    /// The line inside the range nearest to `kubernetes` (itself when inside).
    pub fn nearest_inside(&self, kubernetes: &str) -> Option<KubeVersion> {
        let v = KubeVersion::parse(kubernetes)?;
        Some(v.clamp(self.low, self.high))
    }

    /// The next Kubernetes upgrade toward the range: one minor up from below (Kubernetes moves
    /// one minor at a time); `None` when inside, above (Kubernetes is never downgraded) or not a
    /// version.
    pub fn step_toward(&self, kubernetes: &str) -> Option<KubeVersion> {
        let v = KubeVersion::parse(kubernetes)?;
        (v < self.low).then(|| v.next())
    }

    /// `ACP 4.3`.
    pub fn release_label(&self) -> String {
        format!("ACP {}.{}", self.release.0, self.release.1)
    }
}

impl fmt::Display for KubernetesRange {
    /// `1.31–1.34`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.low, self.high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_lines() {
        assert_eq!(KubeVersion::parse("v1.31.4").unwrap().to_string(), "1.31");
        assert_eq!(KubeVersion::parse("1.30.14-tke.1").unwrap().minor, 30);
        assert_eq!(KubeVersion::parse("1.33+k3s").unwrap().minor, 33);
        assert_eq!(KubeVersion::parse("1"), None);
        assert_eq!(KubeVersion::parse("1.x"), None);
    }

    #[test]
    fn ranges_from_the_table() {
        let r = KubernetesRange::of_release("4.3.0").unwrap();
        assert_eq!(r.to_string(), "1.31–1.34");
        assert_eq!(r.release_label(), "ACP 4.3");
        assert_eq!(
            KubernetesRange::of_release("v4.0.7").unwrap().to_string(),
            "1.28–1.31"
        );
        assert_eq!(KubernetesRange::of_release("4.4.0"), None);
        assert_eq!(KubernetesRange::of_release("junk"), None);
    }

    #[test]
    fn inside_nearest_and_step() {
        let r = KubernetesRange::of_release("4.3.1").unwrap();
        assert_eq!(r.contains("1.31.0"), Some(true));
        assert_eq!(r.contains("v1.34.9"), Some(true));
        assert_eq!(r.contains("1.30.14"), Some(false));
        assert_eq!(r.contains("1.35.0"), Some(false));
        assert_eq!(r.contains("latest"), None);
        assert_eq!(r.place("1.28.1"), Some(Placement::Below));
        assert_eq!(r.nearest_inside("1.28.1").unwrap().to_string(), "1.31");
        assert_eq!(r.nearest_inside("1.36.0").unwrap().to_string(), "1.34");
        assert_eq!(r.nearest_inside("1.32.2").unwrap().to_string(), "1.32");
        assert_eq!(r.step_toward("1.28.1").unwrap().to_string(), "1.29");
        assert_eq!(r.step_toward("1.30.14").unwrap().to_string(), "1.31");
        assert_eq!(r.step_toward("1.31.0"), None);
        assert_eq!(r.step_toward("1.36.0"), None);
    }
}
