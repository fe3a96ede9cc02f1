//! ACP versions and the rules ACP's upgrade controller applies to them (SPEC §4): the order of
//! versions, the supported upgrade paths, and the Kubernetes versions each release runs with.
//!
//! The simulator plays the server and `ac` is its client. This is the server's own statement
//! of the rules, written for what the controller needs: if one side gets a rule wrong, the
//! tests see the two disagree instead of both sharing the mistake.

use std::fmt;

use semver::Version;

/// A release line, `MAJOR.MINOR`: `4.3` for ACP, `1.31` for Kubernetes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minor {
    pub major: u64,
    pub minor: u64,
}

impl Minor {
    pub const fn new(major: u64, minor: u64) -> Minor {
        Minor { major, minor }
    }
}

impl fmt::Display for Minor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// An ACP version as the controller reads it from a request, a manifest or a scenario: a
/// semantic version (`4.3.0`, `4.20.0`, `4.3.1-rc.1`, `4.3.0+build.7`), with or without a
/// leading `v`.
pub fn parse(text: &str) -> Option<Version> {
    let trimmed = text.trim();
    Version::parse(trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed)).ok()
}

/// Whether two texts name the same release. Texts that are not versions (an operator's typo)
/// are the same only when they read the same without a leading `v`.
pub fn same(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Some(left), Some(right)) => left == right,
        _ => {
            let bare = |text: &str| text.trim().trim_start_matches(['v', 'V']).to_string();
            bare(a) == bare(b)
        }
    }
}

/// Whether `a` comes after `b` in semantic-version order (`4.3.10` after `4.3.9`, `4.3.0`
/// after `4.3.0-rc.1`); `None` when either is not a version.
pub fn is_newer(a: &str, b: &str) -> Option<bool> {
    Some(parse(a)? > parse(b)?)
}

/// The release line of a version (`4.3.7` → `4.3`).
pub fn minor_of(text: &str) -> Option<Minor> {
    parse(text).map(|v| Minor::new(v.major, v.minor))
}

/// Release lines with a published list of the lines an upgrade into them may start from.
const PUBLISHED_PATHS: &[(Minor, &[Minor])] = &[(
    Minor::new(4, 3),
    &[Minor::new(4, 0), Minor::new(4, 1), Minor::new(4, 2)],
)];

/// The lines an upgrade into `target` may start from, when ACP publishes them.
pub fn published_sources(target: Minor) -> Option<&'static [Minor]> {
    PUBLISHED_PATHS
        .iter()
        .find(|(into, _)| *into == target)
        .map(|(_, sources)| *sources)
}

/// Whether the controller accepts an upgrade `from` → `to` (`VersionUpgradePath`): within a
/// release line always; into a line with published paths only from those lines; into any
/// other line only from the line just before it.
pub fn upgrade_path_supported(from: &str, to: &str) -> bool {
    let (Some(source), Some(target)) = (minor_of(from), minor_of(to)) else {
        return false;
    };
    if source == target {
        return true;
    }
    match published_sources(target) {
        Some(sources) => sources.contains(&source),
        None => source.major == target.major && source.minor + 1 == target.minor,
    }
}

/// The Kubernetes release lines an ACP release line runs with, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KubernetesRange {
    pub oldest: Minor,
    pub newest: Minor,
}

impl KubernetesRange {
    /// Whether a cluster's Kubernetes version (`1.31`, `1.32.6`, `v1.31.4`) is inside the
    /// range; a text that is not a Kubernetes version is not.
    pub fn contains(&self, kubernetes: &str) -> bool {
        kubernetes_minor(kubernetes).is_some_and(|m| self.oldest <= m && m <= self.newest)
    }
}

impl fmt::Display for KubernetesRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.oldest, self.newest)
    }
}

const fn range(oldest: u64, newest: u64) -> KubernetesRange {
    KubernetesRange {
        oldest: Minor::new(1, oldest),
        newest: Minor::new(1, newest),
    }
}

/// SPEC §4: ACP 4.3 runs Kubernetes 1.31–1.34, 4.2 1.30–1.33, 4.1 1.29–1.32, 4.0 1.28–1.31.
const KUBERNETES: &[(Minor, KubernetesRange)] = &[
    (Minor::new(4, 3), range(31, 34)),
    (Minor::new(4, 2), range(30, 33)),
    (Minor::new(4, 1), range(29, 32)),
    (Minor::new(4, 0), range(28, 31)),
];

/// The Kubernetes versions an ACP release line runs with, where known.
pub fn kubernetes_range(acp: Minor) -> Option<KubernetesRange> {
    KUBERNETES
        .iter()
        .find(|(line, _)| *line == acp)
        .map(|(_, kubernetes)| *kubernetes)
}

/// The release line of a Kubernetes version: `1.31`, `1.32.6` and `v1.31.4` → `1.31`.
pub fn kubernetes_minor(text: &str) -> Option<Minor> {
    let mut parts = text.trim().trim_start_matches('v').split('.');
    Some(Minor::new(
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    ))
}

/// Whether a text is a Kubernetes version: `1.32`, `1.32.6` or `v1.32.6`.
pub fn is_kubernetes_version(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().trim_start_matches('v').split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantic_order() {
        assert_eq!(is_newer("4.3.10", "4.3.9"), Some(true));
        assert_eq!(is_newer("4.20.0", "4.3.0"), Some(true));
        assert_eq!(is_newer("4.3.0", "4.3.0-rc.1"), Some(true));
        assert_eq!(is_newer("4.3.0-rc.10", "4.3.0-rc.9"), Some(true));
        assert_eq!(is_newer("4.2.1", "4.2.1"), Some(false));
        assert_eq!(is_newer("banana", "4.2.1"), None);
        assert!(same("v4.3.0", "4.3.0"));
        assert!(!same("4.3.0", "4.3.0-rc.1"));
        assert!(same("v-weird", "-weird"));
        assert_eq!(minor_of("v4.3.7"), Some(Minor::new(4, 3)));
        assert_eq!(minor_of("4.3"), None);
    }

    #[test]
    fn upgrade_paths_into_4_3() {
        for from in ["4.0.7", "4.1.5", "4.2.1", "4.3.0"] {
            assert!(upgrade_path_supported(from, "4.3.2"), "{from}");
        }
        assert!(!upgrade_path_supported("3.18.0", "4.3.0"));
        assert!(upgrade_path_supported("4.3.0", "4.4.0"));
        assert!(!upgrade_path_supported("4.2.0", "4.4.0"));
        assert!(!upgrade_path_supported("4.0.7", "4.2.1"));
        assert!(!upgrade_path_supported("junk", "4.3.0"));
        assert_eq!(
            published_sources(Minor::new(4, 3)).map(<[Minor]>::len),
            Some(3)
        );
    }

    #[test]
    fn kubernetes_compatibility() {
        let k43 = kubernetes_range(Minor::new(4, 3)).unwrap();
        assert_eq!(k43.to_string(), "1.31–1.34");
        assert!(k43.contains("1.31") && k43.contains("v1.34.2") && !k43.contains("1.30"));
        assert!(!k43.contains("latest"));
        assert_eq!(
            kubernetes_range(Minor::new(4, 0)).unwrap().to_string(),
            "1.28–1.31"
        );
        assert_eq!(kubernetes_range(Minor::new(4, 4)), None);
        assert!(kubernetes_minor("1.29") < kubernetes_minor("1.30.1"));
        assert!(is_kubernetes_version("1.32.6") && is_kubernetes_version("v1.31"));
        assert!(!is_kubernetes_version("1.32.x") && !is_kubernetes_version("1"));
    }
}
