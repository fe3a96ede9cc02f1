//! ACP versions: `4.3.0`, `4.20.0`, `4.3.1-rc.1`, `4.3.0+build.7`; a leading `v` is tolerated.

use std::cmp::Ordering;

use serde::Serialize;

use crate::output::text::{ImagePath, one_line, short_image};

/// `{version?, image?}` as found in `status.current`, `status.desired`, `availableUpdates[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Release {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl Release {
    /// What a person reads: the version, else the image, else `<unknown>`.
    pub fn label(&self) -> String {
        match (&self.version, &self.image) {
            (Some(v), _) => v.clone(),
            (None, Some(i)) => i.clone(),
            (None, None) => "<unknown>".into(),
        }
    }

    /// A release in a few columns: its version, else its image (digest shortened, see
    /// [`short_image`]), else `<unknown>`.
    pub fn short_label(&self, path: ImagePath, columns: usize) -> String {
        match (&self.version, &self.image) {
            (Some(version), _) => one_line(version),
            (None, Some(image)) => short_image(image, path, columns),
            (None, None) => "<unknown>".into(),
        }
    }

    /// Whether two releases name the same thing (same version, or same image when neither has
    /// a version).
    pub fn same_as(&self, other: &Release) -> bool {
        match (&self.version, &other.version) {
            (Some(a), Some(b)) => same_version(a, b),
            (None, None) => self.image.is_some() && self.image == other.image,
            _ => match (&self.image, &other.image) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }
}

/// Parse an ACP version (a leading `v` or `V` accepted).
pub fn parse(s: &str) -> Option<semver::Version> {
    let t = s.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    semver::Version::parse(t).ok()
}

/// Normalize user input: strip the leading `v`; error text when it is not a version.
pub fn normalize(input: &str) -> Result<String, String> {
    let t = input.trim();
    let stripped = t.strip_prefix(['v', 'V']).unwrap_or(t);
    match semver::Version::parse(stripped) {
        Ok(_) => Ok(stripped.to_string()),
        Err(e) => Err(format!(
            "{input:?} is not a version (expected MAJOR.MINOR.PATCH such as 4.3.0, optionally with a -pre-release or +build suffix): {e}"
        )),
    }
}

/// A version's text as compared when it does not parse: trimmed, without a leading `v`.
pub fn plain(v: &str) -> &str {
    let t = v.trim();
    t.strip_prefix(['v', 'V']).unwrap_or(t)
}

/// Whether two version strings name the same version (semver equality incl. build metadata,
/// else the same [`plain`] text).
pub fn same_version(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => plain(a) == plain(b),
    }
}

/// A cluster at `current` has reached `target`: the same version or a newer one. The one
/// definition of "reached" (the global tier's rule, the rollout's "done").
pub fn reached(current: &str, target: &str) -> bool {
    same_version(current, target) || newer_than(current, target) == Some(true)
}

/// Total order on version strings: parseable versions by semver precedence (build metadata
/// breaks ties), unparseable ones below every parseable one and by text among themselves.
pub fn cmp_versions(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => a.cmp(b),
    }
}

/// `a > b` as versions; `None` when either does not parse.
pub fn newer_than(a: &str, b: &str) -> Option<bool> {
    Some(parse(a)? > parse(b)?)
}

/// `MAJOR.MINOR` of a version, used for upgrade paths and compatibility tables.
pub fn minor_of(v: &str) -> Option<(u64, u64)> {
    parse(v).map(|p| (p.major, p.minor))
}

/// Image references: `registry/repo[:tag][@sha256:hex]`, no spaces, something after the last `/`.
pub fn validate_image(input: &str) -> Result<String, String> {
    let t = input.trim();
    let bad = |why: &str| Err(format!("{input:?} is not an image reference: {why}"));
    if t.is_empty() {
        return bad("it is empty");
    }
    if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it contains white space");
    }
    if t.starts_with("http://") || t.starts_with("https://") {
        return bad("drop the URL scheme (e.g. registry.example.com/acp/release@sha256:…)");
    }
    let (name, digest) = match t.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (t, None),
    };
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else {
            return bad("the digest must look like sha256:<hex>");
        };
        if algo.is_empty() || hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return bad("the digest must look like sha256:<hex>");
        }
    }
    let last = name.rsplit('/').next().unwrap_or("");
    let repo = last.split(':').next().unwrap_or("");
    if name.is_empty() || repo.is_empty() || name.ends_with('/') || name.starts_with('/') {
        return bad("expected [registry/]repository[:tag][@sha256:digest]");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/:".contains(c))
    {
        return bad("only letters, digits and . _ - / : are allowed before the digest");
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_not_lexical_and_pre_releases_below() {
        assert_eq!(cmp_versions("4.3.10", "4.3.9"), Ordering::Greater);
        assert_eq!(cmp_versions("4.20.0", "4.3.0"), Ordering::Greater);
        assert_eq!(cmp_versions("4.3.0-rc.1", "4.3.0"), Ordering::Less);
        assert_eq!(cmp_versions("4.3.0-rc.10", "4.3.0-rc.9"), Ordering::Greater);
    }

    #[test]
    fn leading_v_reached_and_lines() {
        assert!(same_version("v4.3.0", "4.3.0"));
        assert_eq!(normalize("v4.3.0").unwrap(), "4.3.0");
        assert!(normalize("4.3").is_err());
        assert!(normalize("latest").is_err());
        assert!(reached("4.3.0", "v4.3.0") && reached("4.3.1", "4.3.0"));
        assert!(!reached("4.2.9", "4.3.0") && !reached("junk", "4.3.0"));
        assert_eq!(minor_of("v4.3.7"), Some((4, 3)));
    }

    #[test]
    fn images() {
        assert!(validate_image("registry.example.com/acp/release:4.3.0").is_ok());
        assert!(validate_image("registry.example.com:5000/acp/release@sha256:abcdef01").is_ok());
        assert!(validate_image("acp release").is_err());
        assert!(validate_image("https://x/y").is_err());
        assert!(validate_image("x/y@sha256:zz").is_err());
        assert!(validate_image("x/").is_err());
    }
}
