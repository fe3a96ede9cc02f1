//! The offer rule (SPEC §4): the controller offers each cluster a list of releases
//! (`status.availableUpdates`, order not guaranteed, duplicates possible); a request names one
//! of them unless `--allow-explicit-upgrade`. [`Offers`] is that list as every screen, guard
//! and the rollout reads it: highest first, duplicates removed, image-only entries last.

use std::cmp::Ordering;

use crate::domain::version::{self, Release};

/// What the controller offers one cluster, highest version first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offers {
    sorted: Vec<Release>,
}

/// The order of offers: parseable versions by semver precedence (highest first), then
/// unparseable versions by their text, then image-only entries by image.
fn order(a: &Release, b: &Release) -> Ordering {
    match (&a.version, &b.version) {
        (Some(x), Some(y)) => match (version::parse(x), version::parse(y)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => version::plain(y).cmp(version::plain(x)),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.image.cmp(&b.image))
}

impl Offers {
    /// Sorted and de-duplicated in n·log n: entries that name the same release (and image) sort
    /// next to each other, so one pass drops the repeats.
    pub fn new(updates: &[Release]) -> Offers {
        let mut sorted = updates.to_vec();
        sorted.sort_by(order);
        sorted.dedup_by(|b, a| a.same_as(b) && a.image == b.image);
        Offers { sorted }
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Every offer, highest first.
    pub fn all(&self) -> &[Release] {
        &self.sorted
    }

    pub fn into_vec(self) -> Vec<Release> {
        self.sorted
    }

    /// The highest offered version, a pre-release included (`--to-latest`); image-only
    /// entries and unparseable versions are never "latest".
    pub fn latest(&self) -> Option<&Release> {
        self.sorted
            .iter()
            .find(|r| r.version.as_deref().and_then(version::parse).is_some())
    }

    /// The highest offered version that is not a pre-release (the rollout's `--to-latest`).
    pub fn latest_stable(&self) -> Option<&Release> {
        self.sorted.iter().find(|r| {
            r.version
                .as_deref()
                .and_then(version::parse)
                .is_some_and(|v| v.pre.is_empty())
        })
    }

    /// The offered entry a target names: the same version, or for an image target the same
    /// image.
    pub fn find(&self, target: &Release) -> Option<&Release> {
        self.sorted
            .iter()
            .find(|offer| match (&target.version, &target.image) {
                (Some(_), _) => offer.same_as(target),
                (None, Some(image)) => offer.image.as_deref() == Some(image.as_str()),
                _ => false,
            })
    }

    /// The highest offered version not newer than `ceiling` (what the global tier reached, for
    /// a workload cluster).
    pub fn highest_up_to(&self, ceiling: &str) -> Option<&str> {
        self.sorted
            .iter()
            .filter_map(|r| r.version.as_deref())
            .find(|v| version::newer_than(v, ceiling) == Some(false))
    }

    /// Offers that would move a cluster at `current` forward (all of them when the current
    /// version is unknown or an offer's version does not parse).
    pub fn newer_than<'a>(&'a self, current: Option<&'a str>) -> impl Iterator<Item = &'a Release> {
        self.sorted
            .iter()
            .filter(move |offer| match (offer.version.as_deref(), current) {
                (Some(offered), Some(current)) => {
                    version::newer_than(offered, current).unwrap_or(true)
                }
                _ => true,
            })
    }

    /// What is offered, as a person reads it: `4.3.10, 4.3.9, r/x@sha256:…`, or `none`.
    pub fn labels(&self) -> String {
        if self.sorted.is_empty() {
            return "none".into();
        }
        self.sorted
            .iter()
            .map(Release::label)
            .collect::<Vec<_>>()
            .join(", ")
    }
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

    fn img(s: &str) -> Release {
        Release {
            version: None,
            image: Some(s.into()),
        }
    }

    #[test]
    fn sorted_highest_first_deduplicated_images_last() {
        let offers = Offers::new(&[
            img("r/b"),
            v("4.3.9"),
            v("garbage"),
            v("4.3.10"),
            v("v4.3.9"),
            img("r/a"),
            v("4.3.0-rc.1"),
            v("4.3.9"),
        ]);
        let labels: Vec<String> = offers.all().iter().map(Release::label).collect();
        assert_eq!(
            labels,
            ["4.3.10", "4.3.9", "4.3.0-rc.1", "garbage", "r/a", "r/b"]
        );
        assert_eq!(offers.latest(), Some(&v("4.3.10")));
        assert_eq!(
            offers.labels(),
            "4.3.10, 4.3.9, 4.3.0-rc.1, garbage, r/a, r/b"
        );
        assert_eq!(Offers::new(&[]).labels(), "none");
    }

    #[test]
    fn latest_may_be_a_pre_release_latest_stable_never() {
        let offers = Offers::new(&[v("4.4.0-rc.1"), v("4.3.2")]);
        assert_eq!(offers.latest(), Some(&v("4.4.0-rc.1")));
        assert_eq!(offers.latest_stable(), Some(&v("4.3.2")));
        assert_eq!(Offers::new(&[img("r/x")]).latest(), None);
    }

    #[test]
    fn highest_up_to_a_ceiling_and_newer_than_current() {
        let offers = Offers::new(&[v("4.3.0"), v("4.2.10"), v("4.2.9"), v("junk")]);
        assert_eq!(offers.highest_up_to("4.2.10"), Some("4.2.10"));
        assert_eq!(offers.highest_up_to("4.2.9"), Some("4.2.9"));
        assert_eq!(offers.highest_up_to("4.1.0"), None);
        let newer: Vec<String> = offers
            .newer_than(Some("4.2.9"))
            .map(Release::label)
            .collect();
        assert_eq!(newer, ["4.3.0", "4.2.10", "junk"]);
        assert!(offers.find(&v("v4.2.10")).is_some());
        assert!(offers.find(&v("4.2.11")).is_none());
    }

    /// Many offers, many repeats: still one entry per release (the sort is n·log n; the
    /// benchmark `benches/render.rs` measures it).
    #[test]
    fn forty_thousand_offers() {
        let updates: Vec<Release> = (0..40_000)
            .map(|i| v(&format!("4.{}.{}", i % 200, i % 97)))
            .collect();
        let offers = Offers::new(&updates);
        let distinct: std::collections::BTreeSet<(u64, u64)> =
            (0..40_000u64).map(|i| (i % 200, i % 97)).collect();
        assert_eq!(offers.all().len(), distinct.len());
        assert_eq!(offers.latest(), Some(&v("4.199.96")));
    }
}
