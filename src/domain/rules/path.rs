//! Supported upgrade paths (SPEC §4, the guide: "The upgrade paths supported into 4.3 are from
//! 4.0, 4.1 and 4.2"; the controller's `VersionUpgradePath` check enforces them). [`judge`]
//! is the rule: no downgrades, updates within a release line, and the stated paths between
//! lines; a path the guide does not state is left to the controller.

use serde::Serialize;

use crate::domain::version;

/// ACP release lines from which an upgrade into `target` is supported.
pub fn sources_into(target: (u64, u64)) -> Option<&'static [&'static str]> {
    match target {
        (4, 3) => Some(&["4.0", "4.1", "4.2"]),
        _ => None,
    }
}

/// `MAJOR.MINOR`.
pub fn line(release: (u64, u64)) -> String {
    format!("{}.{}", release.0, release.1)
}

/// How a move from one version to another stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Path {
    /// The same version: no path to judge.
    Same,
    /// Either side is not a `MAJOR.MINOR.PATCH` version.
    NotVersions,
    Downgrade,
    /// An update within a release line.
    WithinLine {
        line: String,
    },
    /// A stated path between lines.
    Supported {
        from_line: String,
        to_line: String,
    },
    /// A path the guide rules out: `to_line` is reached from `sources` only.
    Unsupported {
        from_line: String,
        to_line: String,
        sources: Vec<String>,
    },
    /// The guide states no paths into `to_line`: the controller decides.
    NotStated {
        from_line: String,
        to_line: String,
    },
}

/// The path from `from` to `to`.
pub fn judge(from: &str, to: &str) -> Path {
    if version::same_version(from, to) {
        return Path::Same;
    }
    let (Some(from_v), Some(to_v)) = (version::parse(from), version::parse(to)) else {
        return Path::NotVersions;
    };
    if from_v > to_v {
        return Path::Downgrade;
    }
    let (from_line, to_line) = ((from_v.major, from_v.minor), (to_v.major, to_v.minor));
    if from_line == to_line {
        return Path::WithinLine {
            line: line(to_line),
        };
    }
    match sources_into(to_line) {
        Some(sources) if sources.contains(&line(from_line).as_str()) => Path::Supported {
            from_line: line(from_line),
            to_line: line(to_line),
        },
        Some(sources) => Path::Unsupported {
            from_line: line(from_line),
            to_line: line(to_line),
            sources: sources.iter().map(|s| s.to_string()).collect(),
        },
        None => Path::NotStated {
            from_line: line(from_line),
            to_line: line(to_line),
        },
    }
}

/// The pre-release part of a version (`rc.1` of `4.3.1-rc.1`), when it has one.
pub fn pre_release(v: &str) -> Option<String> {
    version::parse(v)
        .filter(|p| !p.pre.is_empty())
        .map(|p| p.pre.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(judge("4.2.1", "v4.2.1"), Path::Same);
        assert_eq!(judge("4.3.0", "4.2.1"), Path::Downgrade);
        assert_eq!(
            judge("4.3.0", "4.3.2"),
            Path::WithinLine { line: "4.3".into() }
        );
        assert!(matches!(judge("4.0.7", "4.3.0"), Path::Supported { .. }));
        assert!(matches!(
            judge("3.18.0", "4.3.0"),
            Path::Unsupported { ref sources, .. } if sources.len() == 3
        ));
        assert!(matches!(judge("4.3.0", "4.4.0"), Path::NotStated { .. }));
        assert_eq!(judge("4.3", "4.3.1"), Path::NotVersions);
        assert_eq!(pre_release("4.3.1-rc.1").as_deref(), Some("rc.1"));
        assert_eq!(pre_release("4.3.1"), None);
    }
}
