//! Platform facts, read in one place: the cluster's own ClusterVersionShadow, the global
//! cluster's, every cluster's version (the cvsh LIST), Clusters, Machines, `cvo-config`, the
//! admin gates and acks, ResourcePatches, and the standby global under DR. `status`,
//! `precheck`, the summary, every request and the rollout call [`gather`], each asking
//! ([`Needs`]) only for what it needs; the reads run concurrently, a bounded number of requests
//! whatever the fleet size (LISTs are paged). A resource the platform does not serve, or one
//! the user may not read, becomes a [`Fact::Unknown`] with the reason; any other failure fails
//! the command.

use std::sync::Arc;

use serde_json::Value;

use super::client::{self, Conn};
use super::object::{
    NAMESPACE, configmap_resource, cvsh_resource, machine_resource, platform_cluster_resource,
    resource_patch_resource,
};
use super::{Diagnostics, Options, kubeconfig, profiles};
use crate::domain::cmdline;
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::{
    ClusterVersion, Fact, Machine, Platform, PlatformCluster, ResourcePatch, Standby,
    configmap_data, disabled_checks,
};
use crate::domain::rules::tier::{GlobalTier, StandbyGlobal};
use crate::domain::verify::ClusterState;
use crate::error::{AcError, Result};

/// Which `clusters.platform.tkestack.io` to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clusters<'a> {
    None,
    /// One cluster's (a workload cluster's own Kubernetes version).
    One(&'a str),
    /// Every cluster's (a global target: every workload cluster is judged).
    All,
}

/// Which ClusterVersionShadows to read as [`ClusterState`]s (`verify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum States<'a> {
    None,
    /// One cluster's (a GET).
    One(&'a str),
    /// Every cluster's (the cvsh LIST, in pages, each page kept as states).
    All,
}

/// What a command needs read.
#[derive(Debug, Clone, Copy)]
pub struct Needs<'a> {
    /// The cvsh of this cluster (kept raw for `-o json|yaml`).
    pub cluster: Option<&'a str>,
    /// The global cluster's cvsh (its version), when `cluster` is another one.
    pub global: bool,
    /// Every cluster's version and offers (a LIST of every cvsh).
    pub versions: bool,
    pub clusters: Clusters<'a>,
    pub machines: bool,
    /// `cvo-config`: the preflight checks an administrator disabled.
    pub disabled_checks: bool,
    pub resource_patches: bool,
    /// `admin-gates` and `admin-acks`.
    pub admin_gates: bool,
    /// The standby global's session (DR), as the command decided it.
    pub standby: Option<StandbySession<'a>>,
    /// The standby's `cvo-config` too (read through its session).
    pub standby_disabled_checks: bool,
    /// What `verify` judges of each cluster's cvsh.
    pub states: States<'a>,
}

impl<'a> Needs<'a> {
    /// Nothing.
    pub fn none() -> Needs<'a> {
        Needs {
            cluster: None,
            global: false,
            versions: false,
            clusters: Clusters::None,
            machines: false,
            disabled_checks: false,
            resource_patches: false,
            admin_gates: false,
            standby: None,
            standby_disabled_checks: false,
            states: States::None,
        }
    }

    /// Everything the pre-checks of a move of `cluster` judge (and the remedies name): the
    /// request guard, `precheck`, and every screen that suggests a request.
    pub fn guard(
        cluster: &'a str,
        is_global: bool,
        standby: Option<StandbySession<'a>>,
    ) -> Needs<'a> {
        Needs {
            cluster: Some(cluster),
            global: !is_global,
            versions: is_global,
            clusters: if is_global {
                Clusters::All
            } else {
                Clusters::One(cluster)
            },
            machines: is_global,
            disabled_checks: true,
            resource_patches: true,
            admin_gates: true,
            standby,
            ..Needs::none()
        }
    }
}

/// What was read.
#[derive(Debug, Clone)]
pub struct Gathered {
    /// The cluster's cvsh as the server sent it, and its view (`Needs::cluster`).
    pub raw: Option<Value>,
    pub cvsh: Option<Cvsh>,
    /// The global cluster's current version (for a global target: its own).
    pub global_version: Option<String>,
    pub platform: Platform,
    /// `Needs::states`: the states read (`None`: not asked for).
    pub states: Option<Vec<ClusterState>>,
}

impl Gathered {
    /// The global tier (`global_name` is the session's global cluster).
    pub fn tier(&self, global_name: &str) -> GlobalTier {
        GlobalTier::new(
            global_name,
            self.global_version.clone(),
            self.platform.standby.as_ref().map(StandbyGlobal::from_read),
        )
    }
}

fn not_read<T>() -> Fact<T> {
    Fact::Unknown("not read".into())
}

/// A read the checks can do without: 403 and "not served" become `unknown` with the reason;
/// anything else (transport, server errors) fails the command.
fn observed<T>(read: Result<T>, what: &str) -> Result<Fact<T>> {
    match read {
        Ok(v) => Ok(Fact::Read(v)),
        Err(e) if e.status == Some(403) => Ok(Fact::Unknown(format!(
            "not allowed to read {what}: {}",
            e.message
        ))),
        Err(e) if e.status == Some(404) => Ok(Fact::Unknown(format!(
            "the platform does not serve {what} (an older release?)"
        ))),
        Err(e) => Err(e),
    }
}

/// Read what `needs` asks for, concurrently.
pub async fn gather(
    conn: &Conn,
    options: &Options,
    diagnostics: Arc<dyn Diagnostics>,
    needs: &Needs<'_>,
) -> Result<Gathered> {
    let global_name = conn.session.global_name();
    let cvsh = async {
        match needs.cluster {
            Some(name) => conn.get_cvsh(name).await.map(Some),
            None => Ok(None),
        }
    };
    // The global cluster's cvsh: missing, its version is unknown (the rules say what that
    // stops) rather than the command failing.
    let global = async {
        if needs.global {
            conn.get_opt(&cvsh_resource(), Some(NAMESPACE), &global_name)
                .await
        } else {
            Ok(None)
        }
    };
    let versions = async {
        if needs.versions {
            read_versions(conn).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let clusters = async {
        match needs.clusters {
            Clusters::None => Ok(None),
            Clusters::One(name) => read_clusters(conn, Some(name)).await.map(Some),
            Clusters::All => read_clusters(conn, None).await.map(Some),
        }
    };
    let machines = async {
        if needs.machines {
            read_machines(conn).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let disabled = async {
        if needs.disabled_checks {
            read_disabled_checks(conn).await
        } else {
            Ok(not_read())
        }
    };
    let patches = async {
        if needs.resource_patches {
            read_resource_patches(conn).await
        } else {
            Ok(not_read())
        }
    };
    let gates = async {
        if needs.admin_gates {
            read_admin_gates(conn).await
        } else {
            Ok(not_read())
        }
    };
    let acks = async {
        if needs.admin_gates {
            read_admin_acks(conn).await
        } else {
            Ok(not_read())
        }
    };
    let standby = async {
        match &needs.standby {
            Some(who) => read_standby(options, diagnostics, who, needs.standby_disabled_checks)
                .await
                .map(Some),
            None => Ok(None),
        }
    };
    let states = async {
        match needs.states {
            States::None => Ok(None),
            States::One(name) => conn
                .get_cvsh(name)
                .await
                .map(|v| Some(vec![ClusterState::of(&Cvsh::from_value(&v))])),
            States::All => {
                let mut all = Vec::new();
                conn.list_cvsh_pages(|page: Vec<Cvsh>| {
                    all.extend(page.iter().map(ClusterState::of))
                })
                .await
                .map(|()| Some(all))
            }
        }
    };
    let (
        cvsh,
        global,
        versions,
        clusters,
        machines,
        disabled,
        patches,
        gates,
        acks,
        standby,
        states,
    ) = tokio::join!(
        cvsh, global, versions, clusters, machines, disabled, patches, gates, acks, standby, states
    );
    let states = states?;
    let raw = cvsh?;
    let cvsh = raw.as_ref().map(Cvsh::from_value);
    let versions = versions?;
    let global_version = match global? {
        Some(global) => Cvsh::from_value(&global)
            .current_version()
            .map(str::to_string),
        None if needs.cluster == Some(global_name.as_str()) => cvsh
            .as_ref()
            .and_then(|c| c.current_version().map(str::to_string)),
        // From the LIST, when that was read.
        None => versions
            .as_ref()
            .and_then(Fact::read)
            .and_then(|all: &Vec<ClusterVersion>| all.iter().find(|c| c.name == global_name))
            .and_then(|c| c.current.clone())
            .or_else(|| {
                states
                    .iter()
                    .flatten()
                    .find(|s| s.name == global_name)
                    .and_then(|s| s.current_version().map(str::to_string))
            }),
    };
    Ok(Gathered {
        raw,
        cvsh,
        global_version,
        platform: Platform {
            standby: standby?,
            clusters: clusters?,
            machines: machines?,
            versions,
            disabled_checks: disabled?,
            resource_patches: patches?,
            admin_gates: gates?,
            admin_acks: acks?,
        },
        states,
    })
}

/// Every cluster's version and offers: one LIST of every cvsh, in pages, each page kept as
/// the little the remedies need.
async fn read_versions(conn: &Conn) -> Result<Fact<Vec<ClusterVersion>>> {
    let mut all = Vec::new();
    let read = conn
        .list_cvsh_pages(|page: Vec<Cvsh>| all.extend(page.iter().map(ClusterVersion::of)))
        .await;
    // By name: looked up by binary search (`facts::by_name`).
    all.sort_by(|a: &ClusterVersion, b| a.name.cmp(&b.name));
    observed(read.map(|()| all), "clusterversionshadows.config.alauda.io")
}

/// Every Cluster (global targets), or the named cluster's own.
pub async fn read_clusters(conn: &Conn, one: Option<&str>) -> Result<Fact<Vec<PlatformCluster>>> {
    let read = match one {
        None => conn.list::<Value>(&platform_cluster_resource(), None).await,
        Some(name) => conn
            .get_opt(&platform_cluster_resource(), None, name)
            .await
            .map(|found| found.into_iter().collect()),
    };
    let read = read.map(|items| {
        let mut clusters: Vec<PlatformCluster> =
            items.iter().map(PlatformCluster::from_value).collect();
        // By name: looked up by binary search (`facts::by_name`).
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        clusters
    });
    observed(read, "clusters.platform.tkestack.io")
}

async fn read_machines(conn: &Conn) -> Result<Fact<Vec<Machine>>> {
    let read = conn
        .list::<Value>(&machine_resource(), None)
        .await
        .map(|items| items.iter().map(Machine::from_value).collect());
    observed(read, "machines.platform.tkestack.io")
}

async fn read_resource_patches(conn: &Conn) -> Result<Fact<Vec<ResourcePatch>>> {
    let read = conn
        .list::<Value>(&resource_patch_resource(), None)
        .await
        .map(|items| items.iter().map(ResourcePatch::from_value).collect());
    observed(read, "resourcepatches.config.cpaas.io")
}

async fn read_configmap(conn: &Conn, name: &str) -> Result<Fact<Option<Value>>> {
    let read = conn
        .get_opt(&configmap_resource(), Some(NAMESPACE), name)
        .await;
    observed(read, &format!("configmap {NAMESPACE}/{name}"))
}

async fn read_disabled_checks(conn: &Conn) -> Result<Fact<Vec<String>>> {
    Ok(match read_configmap(conn, "cvo-config").await? {
        Fact::Read(Some(cm)) => match disabled_checks(&cm) {
            Ok(list) => Fact::Read(list),
            Err(why) => Fact::Unknown(why),
        },
        Fact::Read(None) => Fact::Read(Vec::new()),
        Fact::Unknown(why) => Fact::Unknown(why),
    })
}

async fn read_admin_gates(conn: &Conn) -> Result<Fact<Vec<(String, String)>>> {
    Ok(match read_configmap(conn, "admin-gates").await? {
        Fact::Read(cm) => Fact::Read(cm.as_ref().map(configmap_data).unwrap_or_default()),
        Fact::Unknown(why) => Fact::Unknown(why),
    })
}

async fn read_admin_acks(conn: &Conn) -> Result<Fact<Option<Vec<(String, String)>>>> {
    Ok(match read_configmap(conn, "admin-acks").await? {
        Fact::Read(cm) => Fact::Read(cm.as_ref().map(configmap_data)),
        Fact::Unknown(why) => Fact::Unknown(why),
    })
}

/// The standby global's session as the command decided it (`--dr-standby`, `AC_DR_STANDBY` or
/// the pair remembered in kubeconfig), and how messages name it and what fixes it.
#[derive(Debug, Clone, Copy)]
pub struct StandbySession<'a> {
    pub session: &'a str,
    /// `--dr-standby sim-dr`, `AC_DR_STANDBY=sim-dr`, `the DR standby sim-dr remembered for …`.
    pub label: &'a str,
    /// What to do when the session cannot be used.
    pub fix: &'a str,
}

/// The standby's global cluster, reached through its session's global context.
pub struct StandbyConn {
    pub context: String,
    pub global_name: String,
    /// `Err`: the standby's endpoint could not be set up (credentials, TLS settings).
    pub conn: Result<Conn>,
}

/// The standby's session in kubeconfig, and a connection to its global cluster: a session the
/// kubeconfig does not have (or has no context for) stops the command.
pub async fn connect_standby(
    options: &Options,
    diagnostics: Arc<dyn Diagnostics>,
    who: &StandbySession<'_>,
) -> Result<StandbyConn> {
    let loaded = kubeconfig::load(&kubeconfig::Source::from_env(options.kubeconfig.as_deref()))?;
    let switch =
        profiles::use_session(&loaded.config, who.session).map_err(|e| {
            AcError::config(format!("{}: {}", who.label, e.message))
                .hint(who.fix)
                .hint(e.hints.first().cloned().unwrap_or_else(|| {
                    format!("list the sessions with: {}", cmdline::get_sessions())
                }))
        })?;
    if switch.create.is_some() {
        return Err(AcError::config(format!(
            "{}: the kubeconfig has no context for the standby session",
            who.label
        ))
        .hint(format!(
            "create one (this also switches to it): {}",
            cmdline::use_session(who.session)
        )));
    }
    let standby_options = Options {
        context: Some(switch.context.clone()),
        user: None,
        ..options.clone()
    };
    let resolved = client::resolve(&standby_options)?;
    let global_name = resolved.session.global_name();
    let conn = Conn::open(resolved, &standby_options, diagnostics).await;
    Ok(StandbyConn {
        context: switch.context,
        global_name,
        conn,
    })
}

/// The standby global under DR: a context of its session, its global cluster's cvsh and,
/// when asked, its `cvo-config` (an unreadable standby is a [`Fact::Unknown`]: the rules say
/// what it stops).
pub async fn read_standby(
    options: &Options,
    diagnostics: Arc<dyn Diagnostics>,
    who: &StandbySession<'_>,
    disabled_checks: bool,
) -> Result<Standby> {
    let found = connect_standby(options, diagnostics, who).await?;
    let (cvsh, disabled) = match &found.conn {
        Ok(conn) => {
            let disabled = async {
                if disabled_checks {
                    Some(read_disabled_checks(conn).await)
                } else {
                    None
                }
            };
            let (cvsh, disabled) = tokio::join!(conn.get_cvsh(&found.global_name), disabled);
            let disabled = disabled.map(|read| read.unwrap_or_else(|e| Fact::Unknown(e.message)));
            (
                cvsh.map(|v| Cvsh::from_value(&v)).map_err(|e| e.message),
                disabled,
            )
        }
        Err(e) => (
            Err(e.message.clone()),
            disabled_checks.then(|| Fact::Unknown(e.message.clone())),
        ),
    };
    Ok(Standby {
        session: who.session.to_string(),
        context: found.context,
        global_name: found.global_name,
        cvsh: match cvsh {
            Ok(cvsh) => Fact::Read(cvsh),
            Err(why) => Fact::Unknown(why),
        },
        disabled_checks: disabled,
    })
}
