//! The guide's prerequisites, judged before anything is requested: `ac adm upgrade precheck`,
//! the same judgement in front of every upgrade request (the guard, `domain::plan`), behind
//! every suggested request of a screen, and per cluster in the rollout. Pure: what was read of
//! the platform ([`Platform`]) and the global tier ([`GlobalTier`]) go in; typed [`Item`]s
//! come out — which check, pass/warn/block/unknown, and a [`Finding`] saying what was found
//! (which cluster, which objects, which versions). No sentences and no commands here: the
//! advice layer (`domain::advice::precheck`) turns findings into details and remedies. Each rule
//! and the guide sentence it comes from is in `docs/precheck.md`.

mod checks;
pub mod finding;

use serde::Serialize;

use crate::domain::cvsh::{Cvsh, Release};
use crate::domain::facts::Platform;
use crate::domain::rules::offers::Offers;
use crate::domain::rules::tier::{GlobalTier, NextVersion};
pub use finding::{Finding, KubeOutside, KubeRemedy, MachineState, StateProblem};

/// What the operator asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// No target flag: the highest version the cluster may take now.
    Unspecified,
    Latest,
    Version(String),
    Image(String),
}

/// Everything the checks judge.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub cluster: &'a str,
    pub cvsh: &'a Cvsh,
    pub tier: &'a GlobalTier,
    pub wanted: &'a Wanted,
    /// `--allow-explicit-upgrade`: a target that is not offered is a warning, not a block.
    pub allow_explicit: bool,
    pub platform: &'a Platform,
}

impl Input<'_> {
    pub fn is_global(&self) -> bool {
        self.tier.is_global(self.cluster)
    }
}

/// The checks, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Target,
    UpgradePath,
    GlobalFirst,
    DrStandbyFirst,
    KubernetesVersions,
    Machines,
    ResourcePatches,
    AdminAcks,
    DisabledChecks,
    ClusterState,
}

impl Check {
    /// The name shown in the CHECK column and in refusals.
    pub fn name(self) -> &'static str {
        match self {
            Check::Target => "target",
            Check::UpgradePath => "upgrade-path",
            Check::GlobalFirst => "global-first",
            Check::DrStandbyFirst => "dr-standby-first",
            Check::KubernetesVersions => "kubernetes-versions",
            Check::Machines => "machines",
            Check::ResourcePatches => "resource-patches",
            Check::AdminAcks => "admin-acks",
            Check::DisabledChecks => "disabled-checks",
            Check::ClusterState => "cluster-state",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Unknown,
    Warn,
    Block,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Unknown => "unknown",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }
}

/// One judged prerequisite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub check: Check,
    pub verdict: Verdict,
    pub finding: Finding,
}

impl Item {
    pub(crate) fn new(check: Check, verdict: Verdict, finding: Finding) -> Item {
        Item {
            check,
            verdict,
            finding,
        }
    }
}

/// Every prerequisite of one move, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub cluster: String,
    pub is_global: bool,
    pub current: Option<String>,
    /// The release the checks were judged against (`None`: none could be chosen).
    pub target: Option<Release>,
    pub items: Vec<Item>,
}

impl Judgement {
    /// Something blocks: nothing may be requested.
    pub fn blocked(&self) -> bool {
        self.blocking().next().is_some()
    }

    pub fn blocking(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.verdict == Verdict::Block)
    }

    /// Items worth a `warning:` line in front of a request (warn and unknown).
    pub fn cautions(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| matches!(i.verdict, Verdict::Warn | Verdict::Unknown))
    }

    pub fn target_version(&self) -> Option<&str> {
        self.target.as_ref().and_then(|t| t.version.as_deref())
    }

    pub fn item(&self, check: Check) -> Option<&Item> {
        self.items.iter().find(|i| i.check == check)
    }
}

/// Judge every prerequisite.
pub fn run(input: &Input) -> Judgement {
    judge(input, true)
}

/// [`run`]; `alternatives`: a blocked item may name another move of the same cluster whose own
/// judgement passes (judged once more with `alternatives: false`).
fn judge(input: &Input, alternatives: bool) -> Judgement {
    let (target_item, target) = checks::target(input);
    let mut items = vec![target_item];
    if let Some(t) = &target {
        items.extend(checks::upgrade_path(input, t));
        if input.is_global() {
            items.extend(checks::dr_order(input, alternatives, t));
        } else {
            items.push(checks::global_first(input, alternatives, t));
        }
        items.extend(checks::kubernetes_versions(input, alternatives, t));
        if input.is_global() {
            items.extend(checks::machines(input));
        }
        items.push(checks::resource_patches(input, t));
        items.extend(checks::admin_acks(input, t));
    }
    items.push(checks::disabled_checks(input));
    items.push(checks::cluster_state(input, target.as_ref()));
    Judgement {
        cluster: input.cluster.to_string(),
        is_global: input.is_global(),
        current: input.cvsh.current.as_ref().map(Release::label),
        target,
        items,
    }
}

/// Where a cluster goes next and whether its pre-checks let it: the move every screen
/// suggests, judged exactly as the request guard would judge it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextMove {
    /// By the tier and the offers (`domain::rules::tier`).
    pub next: NextVersion,
    /// The release suggested: `next`'s version, or an image-only offer when no version is.
    pub target: Option<Release>,
    /// The pre-checks of a request for `target`.
    pub judgement: Option<Judgement>,
}

impl NextMove {
    /// The suggested release when its pre-checks pass: a request for it is accepted.
    pub fn clear(&self) -> Option<&Release> {
        match &self.judgement {
            Some(j) if !j.blocked() => self.target.as_ref(),
            _ => None,
        }
    }

    /// The judgement of the suggested release when something blocks it.
    pub fn blocked(&self) -> Option<&Judgement> {
        self.judgement.as_ref().filter(|j| j.blocked())
    }
}

/// The next move of `cluster` and its judgement.
pub fn next_move(cluster: &str, cvsh: &Cvsh, tier: &GlobalTier, platform: &Platform) -> NextMove {
    let offers = Offers::new(&cvsh.available_updates);
    let next = tier.next_version_for(cluster, &offers, cvsh.current_version());
    let target = match &next {
        NextVersion::Offered(v) => Some(Release {
            version: Some(v.clone()),
            image: None,
        }),
        // Only images are offered (no version at all): the only way forward on offer.
        _ if offers.all().iter().all(|r| r.version.is_none()) => offers.all().first().cloned(),
        _ => None,
    };
    let judgement = target.as_ref().map(|t| {
        let wanted = match (&t.version, &t.image) {
            (Some(v), _) => Wanted::Version(v.clone()),
            (None, image) => Wanted::Image(image.clone().unwrap_or_default()),
        };
        run(&Input {
            cluster,
            cvsh,
            tier,
            wanted: &wanted,
            allow_explicit: false,
            platform,
        })
    });
    NextMove {
        next,
        target,
        judgement,
    }
}

#[cfg(test)]
mod tests;
