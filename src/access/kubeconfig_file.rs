//! Writing kubeconfig the way kubectl does, only safer.
//!
//! - Which file: `--kubeconfig`, else the first existing file of the `KUBECONFIG` list, else
//!   `~/.kube/config` — where `kubectl config use-context` writes `current-context` and new
//!   contexts.
//! - What changes: `current-context`, and a context appended when one must be created; every
//!   other entry and field of that file is kept as it was read (the file is edited as a YAML
//!   document, not re-derived from kube's typed view).
//! - How: under kubectl's lock file (`<file>.lock`), into a temporary file in the same
//!   directory with the original file's mode, flushed, then renamed over the original (atomic:
//!   a crash leaves the old file or the new one, never half of one). Symlinks are followed.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::kubeconfig::Source;
use super::profiles::Switch;
use crate::error::{AcError, Result};
use crate::output::text::one_line;

/// The file a switch is written to.
pub fn destination(source: &Source) -> Result<PathBuf> {
    let path = match source {
        Source::Explicit(p) => Some(p.clone()),
        Source::EnvList(list) => std::env::split_paths(list)
            .filter(|p| !p.as_os_str().is_empty())
            .find(|p| p.exists()),
        Source::Home(p) => p.clone(),
    };
    match path {
        Some(p) if p.exists() => Ok(p),
        Some(p) => Err(
            AcError::config(format!("kubeconfig {} does not exist", p.display()))
                .hint("log in with the ACP CLI first (ac login <platform-url> --name <session>)"),
        ),
        None => Err(AcError::config(
            "no kubeconfig to write: none of the files in KUBECONFIG exists",
        )
        .hint("point KUBECONFIG or --kubeconfig at an existing file")),
    }
}

/// Apply `switch` to the file at `path`.
pub fn apply(path: &Path, switch: &Switch) -> Result<()> {
    let path = fs::canonicalize(path).map_err(|e| io_error("read", path, e))?;
    let _lock = Lock::take(&path)?;
    let text = String::from_utf8(super::kubeconfig::read_bytes(&path)?).map_err(|_| {
        AcError::config(format!(
            "kubeconfig {} is not UTF-8 text: ac edits only UTF-8 kubeconfig files",
            path.display()
        ))
    })?;
    let mut doc: Value = if text.trim().is_empty() {
        json!({})
    } else {
        serde_saphyr::from_str(&text).map_err(|e| {
            AcError::config(format!(
                "kubeconfig {} is not valid YAML: {}",
                path.display(),
                one_line(&e.to_string())
            ))
        })?
    };
    edit(&mut doc, switch).map_err(|why| {
        AcError::config(format!("cannot edit kubeconfig {}: {why}", path.display()))
    })?;
    let out = serde_saphyr::to_string(&doc).map_err(|e| {
        AcError::config(format!(
            "cannot write kubeconfig {}: {}",
            path.display(),
            one_line(&e.to_string())
        ))
    })?;
    replace(&path, out.as_bytes())
}

/// The YAML-level change: `current-context`, plus an appended context.
fn edit(doc: &mut Value, switch: &Switch) -> std::result::Result<(), String> {
    let Some(map) = doc.as_object_mut() else {
        return Err("the document is not a mapping".into());
    };
    if let Some(new) = &switch.create {
        let contexts = map
            .entry("contexts")
            .or_insert_with(|| Value::Array(Vec::new()));
        if contexts.is_null() {
            *contexts = Value::Array(Vec::new());
        }
        let Some(list) = contexts.as_array_mut() else {
            return Err("contexts is not a list".into());
        };
        if !list.iter().any(|c| c["name"] == json!(new.name)) {
            list.push(json!({
                "name": new.name,
                "context": {"cluster": new.cluster_entry, "user": new.user_entry},
            }));
        }
    }
    map.insert("current-context".into(), json!(switch.context));
    Ok(())
}

/// Write `bytes` over `path` atomically, keeping the file's permissions.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let perms = fs::metadata(path)
        .map_err(|e| io_error("read", path, e))?
        .permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".ac-kubeconfig-")
        .tempfile_in(dir)
        .map_err(|e| io_error("write into the directory of", path, e))?;
    tmp.as_file()
        .set_permissions(perms)
        .map_err(|e| io_error("write", path, e))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| io_error("write", path, e))?;
    tmp.persist(path)
        .map_err(|e| io_error("replace", path, e.error))?;
    Ok(())
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> AcError {
    AcError::config(format!(
        "cannot {what} kubeconfig {}: {}",
        path.display(),
        one_line(&e.to_string())
    ))
    .with_source(e)
}

/// kubectl's lock: `<file>.lock`, created exclusively, removed when done.
struct Lock(PathBuf);

impl Lock {
    fn take(path: &Path) -> Result<Lock> {
        let mut name = path.as_os_str().to_owned();
        name.push(".lock");
        let lock = PathBuf::from(name);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(_) => Ok(Lock(lock)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(AcError::config(format!(
                    "kubeconfig {} is being changed by another program ({} exists)",
                    path.display(),
                    lock.display()
                ))
                .hint(format!(
                    "wait for it to finish; if nothing else is running, remove {}",
                    lock.display()
                )))
            }
            Err(e) => Err(io_error("lock", path, e)),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::profiles::NewContext;
    use std::os::unix::fs::PermissionsExt;

    fn switch(create: bool) -> Switch {
        Switch {
            context: "prod/workload-b".into(),
            create: create.then(|| NewContext {
                name: "prod/workload-b".into(),
                cluster_entry: "pb".into(),
                user_entry: "pu".into(),
            }),
            cluster: "workload-b".into(),
            session: "prod".into(),
        }
    }

    #[test]
    fn edits_only_what_it_must_and_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config");
        fs::write(
            &p,
            "apiVersion: v1\nkind: Config\npreferences: {colors: true}\nclusters: [{name: pb, cluster: {server: 'https://x', x-unknown: 7}}]\ncontexts: [{name: a, context: {cluster: pb, user: pu}}]\ncurrent-context: a\nusers: [{name: pu, user: {token: s3cret}}]\n",
        )
        .unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        apply(&p, &switch(true)).unwrap();
        let doc: Value = serde_saphyr::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        assert_eq!(doc["current-context"], "prod/workload-b");
        assert_eq!(doc["contexts"][1]["context"]["cluster"], "pb");
        assert_eq!(doc["clusters"][0]["cluster"]["x-unknown"], 7);
        assert_eq!(doc["preferences"]["colors"], true);
        assert_eq!(doc["users"][0]["user"]["token"], "s3cret");
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert!(!dir.path().join("config.lock").exists());
        // idempotent: the context is not appended twice
        apply(&p, &switch(true)).unwrap();
        let doc: Value = serde_saphyr::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        assert_eq!(doc["contexts"].as_array().unwrap().len(), 2);
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn a_held_lock_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config");
        fs::write(&p, "current-context: a\n").unwrap();
        fs::write(dir.path().join("config.lock"), "").unwrap();
        let e = apply(&p, &switch(false)).unwrap_err();
        assert!(e.message.contains("another program"), "{}", e.message);
        assert_eq!(fs::read_to_string(&p).unwrap(), "current-context: a\n");
    }

    #[test]
    fn the_first_existing_file_of_the_list() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        fs::write(&b, "").unwrap();
        let list = std::env::join_paths([a.clone(), b.clone()]).unwrap();
        let d = destination(&Source::EnvList(list.to_string_lossy().into())).unwrap();
        assert_eq!(d, b);
        fs::write(&a, "").unwrap();
        let d = destination(&Source::EnvList(list.to_string_lossy().into())).unwrap();
        assert_eq!(d, a);
    }
}
