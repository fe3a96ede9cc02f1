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

/// A version as [`same_version`] compares it, parsed once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum VersionKey {
    Text(String),
    Parsed(semver::Version),
}

impl VersionKey {
    fn of(v: &str) -> VersionKey {
        match parse(v) {
            Some(parsed) => VersionKey::Parsed(parsed),
            None => VersionKey::Text(v.trim().trim_start_matches(['v', 'V']).to_string()),
        }
    }
}

/// Available updates sorted highest version first, duplicates removed; image-only entries
/// last, by image.
///
/// A duplicate is an entry with the same version (semver equality) and the same image as an
/// earlier one, or an image-only entry whose image an entry already kept names (a versioned
/// entry is kept over an image-only one). Each version is parsed once, duplicates are found
/// by hashing and the sort is by precomputed keys: n·log n for the controller's offers
/// (1–16 entries) as for a hostile server's 40,000 (`benches/render.rs`, `offers`).
pub fn sort_updates(updates: &[Release]) -> Vec<Release> {
    use std::collections::HashSet;
    let mut seen: HashSet<(Option<&str>, VersionKey)> = HashSet::new();
    let mut images: HashSet<&str> = HashSet::new();
    let mut versioned: Vec<(VersionKey, &Release)> = Vec::new();
    for u in updates {
        let Some(version) = &u.version else { continue };
        let key = VersionKey::of(version);
        if seen.insert((u.image.as_deref(), key.clone())) {
            images.extend(u.image.as_deref());
            versioned.push((key, u));
        }
    }
    let mut image_only: Vec<&Release> = updates
        .iter()
        .filter(|u| u.version.is_none())
        .filter(|u| u.image.as_deref().is_none_or(|image| images.insert(image)))
        .collect();
    // As `cmp_versions`, highest first, from the parsed keys.
    versioned.sort_by(|(ka, a), (kb, b)| {
        let by_version = match (ka, kb) {
            (VersionKey::Parsed(x), VersionKey::Parsed(y)) => x.cmp(y),
            (VersionKey::Parsed(_), VersionKey::Text(_)) => Ordering::Greater,
            (VersionKey::Text(_), VersionKey::Parsed(_)) => Ordering::Less,
            (VersionKey::Text(_), VersionKey::Text(_)) => a.version.cmp(&b.version),
        };
        by_version.reverse().then_with(|| a.image.cmp(&b.image))
    });
    image_only.sort_by(|a, b| a.image.cmp(&b.image));
    versioned
        .into_iter()
        .map(|(_, u)| u)
        .chain(image_only)
        .cloned()
        .collect()
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

    /// The linear-search version this replaced (quadratic), for comparison on small inputs.
    fn sort_updates_quadratic(updates: &[Release]) -> Vec<Release> {
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

    fn release(version: Option<&str>, image: Option<&str>) -> Release {
        Release {
            version: version.map(str::to_string),
            image: image.map(str::to_string),
        }
    }

    #[test]
    fn sorting_offers_matches_the_definition() {
        let versions = [
            Some("4.3.0"),
            Some("v4.3.0"),
            Some("4.3.10"),
            Some("4.3.9"),
            Some("4.3.0-rc.1"),
            Some("4.3.0+build.1"),
            Some("junk"),
            Some("vjunk"),
            Some("vab"),
            Some("b"),
            None,
        ];
        let images = [None, Some("r/a@sha256:01"), Some("r/b@sha256:02")];
        let all: Vec<Release> = versions
            .iter()
            .flat_map(|v| images.iter().map(move |i| release(*v, *i)))
            .collect();
        // Every window of the combinations, forwards and backwards, with repeats, where the
        // old definition is unambiguous (image-only entries after the versioned ones).
        for start in 0..all.len() {
            for len in 1..=8.min(all.len() - start) {
                let mut input: Vec<Release> = all[start..start + len].to_vec();
                input.extend(all[start..start + len].iter().rev().cloned());
                input.sort_by_key(|r| r.version.is_none());
                assert_eq!(
                    sort_updates(&input),
                    sort_updates_quadratic(&input),
                    "{input:?}"
                );
            }
        }
        // A versioned entry is kept over an image-only one naming the same image, in any order.
        let img = release(None, Some("r/a@sha256:01"));
        let both = release(Some("4.3.0"), Some("r/a@sha256:01"));
        assert_eq!(
            sort_updates(&[img.clone(), both.clone()]),
            vec![both.clone()]
        );
        assert_eq!(sort_updates(&[both.clone(), img]), [both]);
    }

    #[test]
    fn forty_thousand_offers_sorted_and_deduplicated() {
        // A hostile server's 40,000 offers: 10,000 distinct versions, each four times (twice
        // with a `v`), plus image-only entries. The quadratic version took 107 s on 40,000;
        // this one's speed is measured by the `offers` bench (benches/render.rs), not here.
        let mut offered: Vec<Release> = Vec::new();
        for copy in 0..4 {
            for i in 0..10_000u32 {
                let text = format!(
                    "{}4.{}.{}",
                    if copy % 2 == 0 { "" } else { "v" },
                    i / 100,
                    i % 100
                );
                offered.push(v(&text));
            }
        }
        offered.push(release(None, Some("r/x@sha256:ff")));
        offered.push(release(None, Some("r/x@sha256:ff")));
        let sorted = sort_updates(&offered);
        assert_eq!(sorted.len(), 10_001);
        assert_eq!(sorted[0], v("4.99.99"));
        assert_eq!(sorted[9_999], v("4.0.0"));
        assert_eq!(sorted[10_000], release(None, Some("r/x@sha256:ff")));
        assert!(sorted[..10_000].windows(2).all(|w| cmp_versions(
            w[0].version.as_deref().unwrap(),
            w[1].version.as_deref().unwrap()
        ) == Ordering::Greater));
        assert_eq!(latest(&offered), Some(v("4.99.99")));
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
