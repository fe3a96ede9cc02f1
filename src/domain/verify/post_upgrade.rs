//! The guide's post-upgrade steps, as data keyed by release line: what the operator does by
//! hand once the platform reached a release ("Post-upgrade" of "Upgrade the global cluster",
//! "Post-upgrade Security Hardening" of the overview, "After All Workload Clusters Reach ACP
//! 4.3", and step 6 of the Global DR Procedure). `ac` cannot check these (plugins, the PKCE
//! setting, the etcd synchronizer are not in the resources it reads): `verify` lists them as a
//! checklist, each with the guide's own sentences and when it is due. To add a release's
//! steps, add its rows to [`STEPS`]; nothing else changes.

use serde::Serialize;

/// When a step is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum When {
    /// Once the global cluster reached the release.
    GlobalReached,
    /// Once the global cluster and every workload cluster reached it.
    AllClustersReached,
    /// Under DR, once both globals reached it.
    BothGlobalsReached,
}

/// One sentence of the guide and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The guide's page and section (`Upgrade the global cluster › Post-upgrade`).
    pub section: &'static str,
    /// The guide's words, as written (links reduced to their titles).
    pub text: &'static str,
}

/// One post-upgrade step of a release line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// `MAJOR.MINOR` of the releases it applies to (`4.3`).
    pub release: &'static str,
    /// A stable name for scripts (`l5-plugins`).
    pub id: &'static str,
    /// What to do, in a line.
    pub step: &'static str,
    /// Only when this holds (`Service Mesh v1 is installed`); `None`: always.
    pub only_if: Option<&'static str>,
    pub when: When,
    /// Only under disaster recovery (a standby global).
    pub dr_only: bool,
    /// The guide's sentences this step comes from.
    pub guide: &'static [Quote],
}

const GLOBAL_POST_UPGRADE: &str = "Upgrade the global cluster › Post-upgrade";

/// Every release line's steps, in the order the guide gives them.
pub const STEPS: &[Step] = &[
    Step {
        release: "4.3",
        id: "alauda-ai",
        step: "Upgrade Alauda AI",
        only_if: Some("Alauda AI is installed"),
        when: When::GlobalReached,
        dr_only: false,
        guide: &[Quote {
            section: GLOBAL_POST_UPGRADE,
            text: "Upgrade Alauda AI",
        }],
    },
    Step {
        release: "4.3",
        id: "alauda-devops",
        step: "Upgrade Alauda DevOps",
        only_if: Some("Alauda DevOps is installed"),
        when: When::GlobalReached,
        dr_only: false,
        guide: &[Quote {
            section: GLOBAL_POST_UPGRADE,
            text: "Upgrade Alauda DevOps",
        }],
    },
    Step {
        release: "4.3",
        id: "l5-plugins",
        step: "Upgrade the L5 plugins to ACP v4.3-compatible versions: Alauda DevOps v3, Alauda AI Essentials, Alauda Hyperflux, Alauda Container Platform Data Services Essentials",
        only_if: Some("any of these plugins is installed"),
        when: When::GlobalReached,
        dr_only: false,
        guide: &[
            Quote {
                section: GLOBAL_POST_UPGRADE,
                text: "ACP 4.3 fixes an API authentication issue where specific APIs could previously be accessed without authentication. After the global cluster reaches ACP 4.3, upgrade the following L5 plugins to ACP v4.3-compatible versions. Otherwise, their UI pages may fail to open: Alauda DevOps v3, Alauda AI Essentials, Alauda Hyperflux, Alauda Container Platform Data Services Essentials",
            },
            Quote {
                section: "Overview › Post-upgrade Security Hardening",
                text: "After the global cluster reaches ACP 4.3, complete the required L5 plugin compatibility upgrades in Upgrade the global cluster.",
            },
        ],
    },
    Step {
        release: "4.3",
        id: "plugin-ui",
        step: "Open each upgraded plugin's UI page and check that it loads",
        only_if: Some("plugins were upgraded"),
        when: When::GlobalReached,
        dr_only: false,
        guide: &[Quote {
            section: GLOBAL_POST_UPGRADE,
            text: "After upgrading the plugins, verify that each listed plugin UI page opens successfully.",
        }],
    },
    Step {
        release: "4.3",
        id: "service-mesh-v1",
        step: "Before the workload clusters move, follow the Alauda Service Mesh Essentials Cluster Plugin documentation",
        only_if: Some("Service Mesh v1 is installed"),
        when: When::GlobalReached,
        dr_only: false,
        guide: &[Quote {
            section: "Upgrade the global cluster › (Conditional) Upgrade Alauda Service Mesh Essentials",
            text: "If Service Mesh v1 is installed, refer to the Alauda Service Mesh Essentials Cluster Plugin documentation before upgrading the workload clusters.",
        }],
    },
    Step {
        release: "4.3",
        id: "etcd-sync",
        step: "Reinstall the Alauda Container Platform etcd Synchronizer on the standby global cluster and check the sync status",
        only_if: None,
        when: When::BothGlobalsReached,
        dr_only: true,
        guide: &[Quote {
            section: "Upgrade the global cluster › Global DR Procedure › 6",
            text: "Reinstall the etcd synchronization plugin and verify sync status",
        }],
    },
    Step {
        release: "4.3",
        id: "pkce",
        step: "Complete the PKCE security hardening: Disabling the PKCE Plain Method",
        only_if: None,
        when: When::AllClustersReached,
        dr_only: false,
        guide: &[
            Quote {
                section: GLOBAL_POST_UPGRADE,
                text: "After all workload clusters have also reached ACP 4.3, complete PKCE hardening by following Disabling the PKCE Plain Method.",
            },
            Quote {
                section: "Overview › Post-upgrade Security Hardening",
                text: "After the global cluster and all workload clusters have reached ACP 4.3, complete PKCE security hardening by following Disabling the PKCE Plain Method.",
            },
        ],
    },
];

/// The release lines that have steps, in table order, without repeats.
pub fn known_releases() -> Vec<&'static str> {
    let mut lines: Vec<&'static str> = Vec::new();
    for step in STEPS {
        if !lines.contains(&step.release) {
            lines.push(step.release);
        }
    }
    lines
}

/// The steps of release line `(major, minor)`, with or without the DR-only ones.
pub fn steps_for(release: (u64, u64), dr: bool) -> impl Iterator<Item = &'static Step> {
    let line = format!("{}.{}", release.0, release.1);
    STEPS
        .iter()
        .filter(move |step| step.release == line && (dr || !step.dr_only))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_well_formed() {
        let mut ids = std::collections::BTreeSet::new();
        for step in STEPS {
            assert!(ids.insert((step.release, step.id)), "{} twice", step.id);
            assert!(
                !step.guide.is_empty(),
                "{}: no sentence of the guide",
                step.id
            );
            let mut parts = step.release.split('.');
            assert!(
                parts.next().and_then(|p| p.parse::<u64>().ok()).is_some()
                    && parts.next().and_then(|p| p.parse::<u64>().ok()).is_some()
                    && parts.next().is_none(),
                "{}: release {} is not MAJOR.MINOR",
                step.id,
                step.release
            );
        }
        assert_eq!(known_releases(), ["4.3"]);
    }

    #[test]
    fn every_quote_is_the_guides_text() {
        // The guide beside SPEC.md, when this runs in the project's tree (its text is
        // rendered from HTML: compare with white space folded).
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/reference/acp-4.3-upgrade-guide.txt");
        let Ok(guide) = std::fs::read_to_string(&path) else {
            return;
        };
        let fold = |s: &str| {
            s.replace("**", "")
                .replace(['[', ']'], "")
                .replace("(#)", "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let guide = fold(&guide).replace(": - ", ": ").replace(" - ", ", ");
        for step in STEPS {
            for quote in step.guide {
                assert!(
                    guide.contains(&fold(quote.text)),
                    "{}: not in the guide: {:?}",
                    step.id,
                    quote.text
                );
            }
        }
    }

    #[test]
    fn steps_by_release_line_and_dr() {
        let plain: Vec<&str> = steps_for((4, 3), false).map(|s| s.id).collect();
        assert!(plain.contains(&"pkce") && !plain.contains(&"etcd-sync"));
        assert!(steps_for((4, 3), true).any(|s| s.id == "etcd-sync"));
        assert_eq!(steps_for((4, 2), true).count(), 0);
    }
}
