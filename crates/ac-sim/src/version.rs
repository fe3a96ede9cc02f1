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

/// The Kubernetes releases this platform has: each line with its latest patch. A Cluster's
/// `spec.version` given as a line (`1.31`) means that patch (`1.31.9`).
pub const KUBERNETES_RELEASES: &[(Minor, u64)] = &[
    (Minor::new(1, 28), 15),
    (Minor::new(1, 29), 15),
    (Minor::new(1, 30), 14),
    (Minor::new(1, 31), 9),
    (Minor::new(1, 32), 6),
    (Minor::new(1, 33), 2),
    (Minor::new(1, 34), 1),
];

/// A Kubernetes version as `(line, patch)`: `1.31.4` → `(1.31, Some(4))`, `1.31` → `(1.31,
/// None)`; a leading `v` is allowed.
fn kubernetes_parts(text: &str) -> Option<(Minor, Option<u64>)> {
    if !is_kubernetes_version(text) {
        return None;
    }
    let mut parts = text.trim().trim_start_matches('v').split('.');
    let line = Minor::new(parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    let patch = match parts.next() {
        Some(patch) => Some(patch.parse().ok()?),
        None => None,
    };
    Some((line, patch))
}

/// The full Kubernetes version a text names: `1.31.4` as it is (without a `v`), a line
/// `1.31` as this platform's latest patch of it ([`KUBERNETES_RELEASES`]); `None` for a line
/// the platform does not have, or a text that is no Kubernetes version.
pub fn resolve_kubernetes(text: &str) -> Option<String> {
    let (line, patch) = kubernetes_parts(text)?;
    let latest = KUBERNETES_RELEASES
        .iter()
        .find(|(known, _)| *known == line)
        .map(|(_, latest)| *latest);
    match patch {
        Some(patch) => Some(format!("{line}.{patch}")),
        None => latest.map(|latest| format!("{line}.{latest}")),
    }
}

/// Whether the platform lets a cluster running Kubernetes `running` (`None`: unknown), on ACP
/// `acp` (its cvsh's current version, if known), move to `requested` (a full version or a
/// line): forward only, one minor at a time, to a line this platform has and the cluster's
/// ACP release supports. `Ok` is the full version it moves to; `Err` says why not.
pub fn kubernetes_step(
    cluster: &str,
    running: Option<&str>,
    requested: &str,
    acp: Option<&str>,
) -> Result<String, String> {
    let Some((line, _)) = kubernetes_parts(requested) else {
        return Err("must be a Kubernetes version such as 1.32.6".into());
    };
    let (first, last) = (
        KUBERNETES_RELEASES[0].0,
        KUBERNETES_RELEASES[KUBERNETES_RELEASES.len() - 1].0,
    );
    let Some(target) = resolve_kubernetes(requested).filter(|_| first <= line && line <= last)
    else {
        return Err(format!(
            "Kubernetes {line} is not a release this platform has ({first}–{last})"
        ));
    };
    if let Some((running_line, running_patch)) = running.and_then(kubernetes_parts) {
        let (_, target_patch) = kubernetes_parts(&target).unwrap_or((line, None));
        let running = running.unwrap_or_default();
        if (line, target_patch) < (running_line, running_patch) {
            return Err(format!(
                "{cluster} runs Kubernetes {running}; downgrading it to {target} is not supported"
            ));
        }
        let next = Minor::new(running_line.major, running_line.minor + 1);
        if line > next {
            return Err(format!(
                "{cluster} runs Kubernetes {running}; Kubernetes moves one minor at a time: upgrade to {next} first"
            ));
        }
    }
    if let Some(acp) = acp
        && let Some(range) = minor_of(acp).and_then(kubernetes_range)
        && !range.contains(&target)
    {
        return Err(format!(
            "{target} is outside Kubernetes {range} supported by ACP {acp}, which {cluster} runs; upgrade its ACP release first"
        ));
    }
    Ok(target)
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

    #[test]
    fn kubernetes_steps() {
        assert_eq!(resolve_kubernetes("1.31").as_deref(), Some("1.31.9"));
        assert_eq!(resolve_kubernetes("v1.31.4").as_deref(), Some("1.31.4"));
        assert_eq!(resolve_kubernetes("1.40"), None);
        let step = |running, requested, acp| kubernetes_step("c", running, requested, acp);
        // One minor forward, as a line or a full version, inside the ACP release's range.
        assert_eq!(
            step(Some("1.30.14"), "1.31", Some("4.1.5")),
            Ok("1.31.9".into())
        );
        assert_eq!(
            step(Some("1.30.14"), "1.31.4", Some("4.1.5")),
            Ok("1.31.4".into())
        );
        assert_eq!(
            step(Some("1.31.4"), "1.31", Some("4.1.5")),
            Ok("1.31.9".into())
        );
        // Back to what runs (an upgrade taken back) is no downgrade.
        assert_eq!(
            step(Some("1.30.14"), "1.30.14", Some("4.1.5")),
            Ok("1.30.14".into())
        );
        let refused = |running, requested, acp, says: &str| {
            let error = step(running, requested, acp).unwrap_err();
            assert!(error.contains(says), "{requested}: {error}");
        };
        refused(
            Some("1.30.14"),
            "1.29",
            Some("4.1.5"),
            "downgrading it to 1.29.15",
        );
        refused(Some("1.31.9"), "1.31.4", None, "downgrading");
        refused(
            Some("1.30.14"),
            "1.32",
            Some("4.1.5"),
            "upgrade to 1.31 first",
        );
        refused(
            Some("1.32.6"),
            "1.33",
            Some("4.1.5"),
            "outside Kubernetes 1.29–1.32 supported by ACP 4.1.5",
        );
        refused(
            Some("1.34.1"),
            "1.35",
            None,
            "not a release this platform has (1.28–1.34)",
        );
        refused(
            Some("1.30.14"),
            "latest",
            None,
            "must be a Kubernetes version",
        );
        // Without a known running version or ACP release, only the known lines count.
        assert_eq!(step(None, "1.33", None), Ok("1.33.2".into()));
    }
}
