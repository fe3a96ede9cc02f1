//! `ac adm upgrade precheck`: read what the guide's prerequisites need — concurrently, a
//! bounded number of requests whatever the fleet size — and judge it (`domain::precheck`).
//! Also the guard in front of every upgrade request.

use serde_json::Value;

use super::{Ctx, Target, open};
use crate::access::client::Conn;
use crate::access::object::{
    NAMESPACE, configmap_resource, machine_resource, platform_cluster_resource,
    resource_patch_resource,
};
use crate::cli::PrecheckArgs;
use crate::domain::cvsh::Cvsh;
use crate::domain::precheck::platform::{configmap_data, disabled_checks};
use crate::domain::precheck::{
    self, Fact, Input, Machine, Platform, PlatformCluster, ResourcePatch, Standby, Wanted,
};
use crate::domain::sequencing::Global;
use crate::domain::version;
use crate::error::{AcError, Result};
use crate::render::precheck as render;

pub async fn run(
    ctx: &Ctx,
    cluster: Option<&str>,
    dr_standby: Option<&str>,
    args: PrecheckArgs,
) -> Result<()> {
    let wanted = wanted(&args)?;
    let (conn, target) = open(ctx, cluster).await?;
    let facts = gather(ctx, &conn, &target, dr_standby).await?;
    let report = precheck::run(&facts.input(&target, wanted, false));
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::report(&report, p.color))?;
    } else {
        p.machine(&serde_json::to_value(&report).unwrap_or(Value::Null))?;
    }
    if report.blocked {
        let n = report.blocking().count();
        return Err(AcError::refused(format!(
            "{n} pre-check{} block{} an upgrade of cluster {}{}; nothing was requested",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            report.cluster,
            report
                .target
                .as_ref()
                .map(|t| format!(" to {}", t.label()))
                .unwrap_or_default()
        )));
    }
    Ok(())
}

fn wanted(a: &PrecheckArgs) -> Result<Wanted> {
    Ok(if a.to_latest {
        Wanted::Latest
    } else if let Some(v) = &a.to {
        Wanted::Version(version::normalize(v).map_err(|e| AcError::usage(format!("--to: {e}")))?)
    } else if let Some(i) = &a.to_image {
        Wanted::Image(
            version::validate_image(i).map_err(|e| AcError::usage(format!("--to-image: {e}")))?,
        )
    } else {
        Wanted::Unspecified
    })
}

/// What was read for the checks.
pub struct Facts {
    /// The cluster's cvsh as the server sent it, and read.
    pub raw: Value,
    pub cvsh: Cvsh,
    pub global_name: String,
    /// The global cluster's current version (for a global target: its own).
    pub global_version: Option<String>,
    /// The context kubectl commands about objects on global need (`None`: the current one).
    pub kubectl_context: Option<String>,
    pub platform: Platform,
}

impl Facts {
    pub fn global(&self) -> Global<'_> {
        Global::new(&self.global_name, self.global_version.as_deref())
            .through(self.kubectl_context.as_deref())
    }

    pub fn input<'a>(
        &'a self,
        target: &'a Target,
        wanted: Wanted,
        allow_explicit: bool,
    ) -> Input<'a> {
        Input {
            cluster: &target.cluster,
            cvsh: &self.cvsh,
            global: self.global(),
            wanted,
            allow_explicit,
            platform: &self.platform,
        }
    }
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

/// Read everything the checks need, concurrently: at most nine requests.
pub async fn gather(
    ctx: &Ctx,
    conn: &Conn,
    target: &Target,
    dr_standby: Option<&str>,
) -> Result<Facts> {
    let global_name = conn.session.global_name();
    let global_target = target.is_global;
    let cvsh = conn.get_cvsh(&target.cluster);
    let global = async {
        if global_target {
            Ok(None)
        } else {
            conn.get_cvsh(&global_name).await.map(Some)
        }
    };
    let clusters = async {
        if global_target {
            read_clusters(conn, None).await
        } else {
            read_clusters(conn, Some(&target.cluster)).await
        }
    };
    let machines = async {
        if global_target {
            read_machines(conn).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let standby = standby(ctx, conn, dr_standby);
    let (cvsh, global, clusters, machines, patches, disabled, gates, acks, standby) = tokio::join!(
        cvsh,
        global,
        clusters,
        machines,
        read_resource_patches(conn),
        read_disabled_checks(conn),
        read_admin_gates(conn),
        read_admin_acks(conn),
        standby
    );
    let raw = cvsh?;
    let cvsh = Cvsh::from_value(&raw);
    let global_version = match global? {
        Some(global) => Cvsh::from_value(&global)
            .current_version()
            .map(str::to_string),
        None => cvsh.current_version().map(str::to_string),
    };
    Ok(Facts {
        raw,
        cvsh,
        global_name,
        global_version,
        kubectl_context: conn
            .session
            .kubectl_context_for_global()
            .map(str::to_string),
        platform: Platform {
            standby: standby?,
            clusters: Some(clusters?),
            machines: machines?,
            disabled_checks: disabled?,
            resource_patches: patches?,
            admin_gates: gates?,
            admin_acks: acks?,
        },
    })
}

/// What the status screen reads besides the cvsh: `cvo-config` always (disabled checks), and
/// the objects whose names the remedies of the failed checks need — at most four requests.
pub async fn for_status(conn: &Conn, cvsh: &Cvsh) -> Result<Platform> {
    let failed = |name: &str| {
        cvsh.preflight.as_ref().is_some_and(|preflight| {
            preflight
                .checks
                .iter()
                .any(|check| check.name == name && check.state.as_deref() == Some("Failed"))
        })
    };
    let (patches_needed, acks_needed) = (
        failed("ResourcePatchUpgradeable"),
        failed("AdminAckRequired"),
    );
    let patches = async {
        if patches_needed {
            read_resource_patches(conn).await
        } else {
            Ok(not_read())
        }
    };
    let gates = async {
        if acks_needed {
            read_admin_gates(conn).await
        } else {
            Ok(not_read())
        }
    };
    let acks = async {
        if acks_needed {
            read_admin_acks(conn).await
        } else {
            Ok(not_read())
        }
    };
    let (disabled, patches, gates, acks) =
        tokio::join!(read_disabled_checks(conn), patches, gates, acks);
    Ok(Platform {
        disabled_checks: disabled?,
        resource_patches: patches?,
        admin_gates: gates?,
        admin_acks: acks?,
        ..Platform::default()
    })
}

fn not_read<T>() -> Fact<T> {
    Fact::Unknown("not read".into())
}

/// Every Cluster (global targets), or the named cluster's own.
pub(super) async fn read_clusters(
    conn: &Conn,
    one: Option<&str>,
) -> Result<Fact<Vec<PlatformCluster>>> {
    let read = match one {
        None => conn.list::<Value>(&platform_cluster_resource(), None).await,
        Some(name) => conn
            .get_opt(&platform_cluster_resource(), None, name)
            .await
            .map(|found| found.into_iter().collect()),
    };
    let read = read.map(|items| items.iter().map(PlatformCluster::from_value).collect());
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

/// The line the views print under DR: where the standby global stands.
pub(super) fn standby_note(standby: &Standby) -> String {
    match &standby.cvsh {
        Fact::Read(cvsh) => format!(
            "DR: the standby global (session {}) is at {}",
            standby.session,
            cvsh.current_version().unwrap_or("<unknown>")
        ),
        Fact::Unknown(why) => format!(
            "DR: the standby global (session {}) could not be read: {why}",
            standby.session
        ),
    }
}

/// The standby global under DR (`--dr-standby`, `AC_DR_STANDBY` or the pair remembered in
/// kubeconfig: [`super::dr::resolve`]): a context of its session, and its global cluster's cvsh.
pub(super) async fn standby(
    ctx: &Ctx,
    primary: &Conn,
    flag: Option<&str>,
) -> Result<Option<Standby>> {
    let Some(dr) = super::dr::resolve(ctx, flag, &primary.session) else {
        return Ok(None);
    };
    let found = super::dr::connect(ctx, &dr).await?;
    let read = async {
        let conn = found.conn?;
        conn.get_cvsh(&found.global_name).await
    };
    let cvsh = match read.await {
        Ok(v) => Fact::Read(Cvsh::from_value(&v)),
        Err(e) => Fact::Unknown(e.message),
    };
    Ok(Some(Standby {
        session: dr.session,
        context: found.context,
        global_name: found.global_name,
        cvsh,
    }))
}
