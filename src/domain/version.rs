//! ACP versions: `4.3.0`, `4.20.0`, `4.3.1-rc.1`, `4.3.0+build.7`; a leading `v` is tolerated.

use std::cmp::Ordering;

use crate::domain::cvsh::Release;

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

/// Whether two version strings name the same version (semver equality incl. build metadata,
/// else exact text after stripping `v`).
pub fn same_version(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim().trim_start_matches(['v', 'V']) == b.trim().trim_start_matches(['v', 'V']),
    }
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

/// Available updates sorted highest version first, duplicates removed; image-only entries
/// last, by image.
pub fn sort_updates(updates: &[Release]) -> Vec<Release> {
    let mut out: Vec<Release> = Vec::new();
    for u in updates {
        if !out.iter().any(|o| o.same_as(u) && o.image == u.image) {
            out.push(u.clone());
        }
    }
    out.sort_by(|a, b| match (&a.version, &b.version) {
        (Some(x), Some(y)) => cmp_versions(y, x).then_with(|| a.image.cmp(&b.image)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.image.cmp(&b.image),
    });
    out
}

/// What is offered, as a person reads it: `4.3.10, 4.3.9, r/x@sha256:…`, or `none`.
pub fn offered_labels(updates: &[Release]) -> String {
    let offered = sort_updates(updates);
    if offered.is_empty() {
        "none".into()
    } else {
        offered
            .iter()
            .map(Release::label)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The highest version offered (image-only entries are never "latest").
pub fn latest(updates: &[Release]) -> Option<Release> {
    sort_updates(updates)
        .into_iter()
        .find(|r| r.version.as_deref().and_then(parse).is_some())
}

/// The highest offered version not newer than `ceiling` (global's version, for a workload
/// cluster under the sequencing rule).
pub fn highest_up_to(updates: &[Release], ceiling: &str) -> Option<String> {
    sort_updates(updates)
        .into_iter()
        .filter_map(|r| r.version)
        .find(|v| newer_than(v, ceiling) == Some(false))
}

/// `MAJOR.MINOR` of a version, used for upgrade paths and compatibility tables.
pub fn minor_of(v: &str) -> Option<(u64, u64)> {
    parse(v).map(|p| (p.major, p.minor))
}

/// Kubernetes minor range compatible with an ACP minor release (SPEC §4).
pub fn kubernetes_range(acp: (u64, u64)) -> Option<(&'static str, &'static str)> {
    match acp {
        (4, 3) => Some(("1.31", "1.34")),
        (4, 2) => Some(("1.30", "1.33")),
        (4, 1) => Some(("1.29", "1.32")),
        (4, 0) => Some(("1.28", "1.31")),
        _ => None,
    }
}

/// ACP minor releases from which an upgrade into `target` is supported (SPEC §4).
pub fn supported_sources(target: (u64, u64)) -> Option<&'static [&'static str]> {
    match target {
        (4, 3) => Some(&["4.0", "4.1", "4.2"]),
        _ => None,
    }
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

    fn v(s: &str) -> Release {
        Release {
            version: Some(s.into()),
            image: None,
        }
    }

    #[test]
    fn numeric_not_lexical() {
        assert_eq!(cmp_versions("4.3.10", "4.3.9"), Ordering::Greater);
        assert_eq!(cmp_versions("4.20.0", "4.3.0"), Ordering::Greater);
        assert_eq!(
            latest(&[v("4.3.9"), v("4.3.10"), v("4.3.2")]),
            Some(v("4.3.10"))
        );
    }

    #[test]
    fn prerelease_below_release() {
        assert_eq!(cmp_versions("4.3.0-rc.1", "4.3.0"), Ordering::Less);
        assert_eq!(latest(&[v("4.3.0-rc.2"), v("4.3.0")]), Some(v("4.3.0")));
        assert_eq!(cmp_versions("4.3.0-rc.10", "4.3.0-rc.9"), Ordering::Greater);
    }

    #[test]
    fn leading_v_and_duplicates() {
        assert!(same_version("v4.3.0", "4.3.0"));
        assert_eq!(normalize("v4.3.0").unwrap(), "4.3.0");
        assert!(normalize("4.3").is_err());
        assert!(normalize("latest").is_err());
        assert_eq!(sort_updates(&[v("4.3.0"), v("4.3.0"), v("4.2.1")]).len(), 2);
    }

    #[test]
    fn image_only_entries_sort_last_and_never_latest() {
        let img = Release {
            version: None,
            image: Some("r.example/acp@sha256:ab".into()),
        };
        let sorted = sort_updates(&[img.clone(), v("4.2.0"), v("garbage")]);
        assert_eq!(sorted[0], v("4.2.0"));
        assert_eq!(sorted[2], img);
        assert_eq!(latest(std::slice::from_ref(&img)), None);
        assert_eq!(latest(&[img, v("garbage")]), None);
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

    #[test]
    fn highest_up_to_a_ceiling() {
        let offered = [v("4.3.0"), v("4.2.10"), v("4.2.9"), v("junk")];
        assert_eq!(highest_up_to(&offered, "4.2.10").as_deref(), Some("4.2.10"));
        assert_eq!(highest_up_to(&offered, "4.2.9").as_deref(), Some("4.2.9"));
        assert_eq!(highest_up_to(&offered, "4.1.0"), None);
    }

    #[test]
    fn tables() {
        assert_eq!(kubernetes_range((4, 3)), Some(("1.31", "1.34")));
        assert_eq!(supported_sources((4, 3)).unwrap().len(), 3);
        assert_eq!(minor_of("v4.3.7"), Some((4, 3)));
    }
}
