//! `--clusters` and `--exclude`: cluster names and globs (`edge-*`, `w-?1`), matched by
//! `globset` against the names of the platform's clusters.

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Which clusters a rollout takes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

fn set(patterns: &[String], flag: &str) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let p = pattern.trim();
        if p.is_empty()
            || !p.chars().all(|c| {
                c.is_ascii_lowercase()
                    || c.is_ascii_digit()
                    || matches!(c, '-' | '.' | '*' | '?' | '[' | ']')
            })
        {
            return Err(format!(
                "{flag}: {pattern:?} is not a cluster name or glob (lowercase letters, digits, '-', '.', and * ? [..])"
            ));
        }
        builder.add(Glob::new(p).map_err(|e| format!("{flag}: {pattern:?} is not a glob: {e}"))?);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| format!("{flag}: {e}"))
}

impl Selection {
    /// From `--clusters` and `--exclude` (each a list of names and globs).
    pub fn new(clusters: &[String], exclude: &[String]) -> Result<Selection, String> {
        Ok(Selection {
            include: set(clusters, "--clusters")?,
            exclude: set(exclude, "--exclude")?,
        })
    }

    /// `--clusters` was given: only what it names (the global tier included only when named).
    pub fn explicit(&self) -> bool {
        self.include.is_some()
    }

    /// Whether `--clusters` names `cluster` (everything without `--clusters`), and `--exclude`
    /// does not.
    pub fn names(&self, cluster: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(cluster))
            && !self
                .exclude
                .as_ref()
                .is_some_and(|set| set.is_match(cluster))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_globs_and_exclusions() {
        let s = Selection::new(&list(&["global", "edge-*"]), &list(&["edge-9?"])).unwrap();
        assert!(s.explicit());
        assert!(s.names("global") && s.names("edge-1") && s.names("edge-100"));
        assert!(!s.names("edge-91") && !s.names("workload-a"));
        let all = Selection::new(&[], &list(&["workload-b"])).unwrap();
        assert!(!all.explicit() && all.names("workload-a") && !all.names("workload-b"));
        assert!(Selection::new(&list(&["Bad Name"]), &[]).is_err());
        assert!(Selection::new(&list(&["a/b"]), &[]).is_err());
        assert!(Selection::new(&list(&["[a"]), &[]).is_err());
    }
}
