//! Writing kubeconfig the way kubectl does, only safer. Every command that changes kubeconfig
//! (`ac login`, `ac logout`, `ac config sync | set-dr-standby | use-*`) goes through here.
//!
//! - Which files: `--kubeconfig`; else every file of the `KUBECONFIG` list; else
//!   `~/.kube/config`. As kubectl's `ModifyConfig`: an entry that changes or goes is changed in
//!   the file that defines it (the first of the list that has it: the one kubectl reads it
//!   from); a new entry goes into the *default file* (`--kubeconfig`, else the first existing
//!   file of the list — when none exists, the last one, as kubectl — else `~/.kube/config`);
//!   `current-context` is set in the default file and cleared where it is set.
//! - What changes: only the entries named by [`Change`]s. Each file is edited as a YAML
//!   document and written back with the bytes of every entry and key that did not change
//!   ([`splice`]); unknown fields and other entries are kept as they were.
//! - How: under kubectl's lock files (`<file>.lock`, created exclusively, taken in sorted order
//!   for every file of the list), read, edited, then each changed file written into a temporary
//!   file in its own directory (the original's mode, owner and group; `0600` for a new file),
//!   flushed to disk and renamed over the original: a crash, a full disk or a size limit leaves
//!   the old file or the new one, never half of one. A read-only file is refused, not replaced.
//!   Symlinks are followed (the file they point at is replaced).

mod splice;
#[cfg(test)]
mod tests;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use kube::config::Kubeconfig;
use serde_json::{Map, Value, json};

use super::kubeconfig::Source;
use super::profiles::Switch;
use crate::error::{AcError, Result};
use crate::output::text::one_line;

/// The named lists of a kubeconfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Clusters,
    Users,
    Contexts,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Clusters, Section::Users, Section::Contexts];

    /// The top-level key (`clusters`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Clusters => "clusters",
            Section::Users => "users",
            Section::Contexts => "contexts",
        }
    }

    /// The key of an entry's body (`cluster`).
    pub fn body(self) -> &'static str {
        match self {
            Section::Clusters => "cluster",
            Section::Users => "user",
            Section::Contexts => "context",
        }
    }

    /// How messages name an entry of this list.
    pub fn noun(self) -> &'static str {
        match self {
            Section::Clusters => "cluster entry",
            Section::Users => "user entry",
            Section::Contexts => "context",
        }
    }
}

/// One change, at the level kubectl's `ModifyConfig` works at.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Add the entry (`{name, cluster|user|context}`), or replace the one of that name where
    /// it is defined.
    Put(Section, Value),
    /// Remove the entry of that name where it is defined.
    Remove(Section, String),
    /// Make this context current (in the default file).
    SetCurrentContext(String),
    /// Remove `current-context` from every file where it names one of these contexts.
    ClearCurrentContext(Vec<String>),
}

/// A file of the list, as read under the lock.
struct File {
    /// As given (for messages).
    path: PathBuf,
    /// What is written: the symlink's target for an existing file.
    real: PathBuf,
    existed: bool,
    text: String,
    read: Value,
    doc: Value,
}

/// The kubeconfig files a command may change, locked and read; changes are applied in memory
/// and written by [`Kubeconfigs::commit`].
pub struct Kubeconfigs {
    files: Vec<File>,
    /// Where new entries and `current-context` go.
    default: usize,
    /// The merged view's lookups, built on first use and dropped by [`Kubeconfigs::apply`]
    /// (the planners look entries up by name once per cluster of a 5,000-cluster session).
    index: OnceCell<Index>,
    _locks: Vec<Lock>,
}

/// What [`Kubeconfigs::open`] does when no file of the list exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Fail: there is nothing to change (every command but `ac login`).
    Fail,
    /// Start the default file (and its directory, mode 0700).
    Create,
}

impl Kubeconfigs {
    /// Lock and read the files of `source`.
    pub fn open(source: &Source, missing: Missing) -> Result<Kubeconfigs> {
        let (paths, default) = files_of(source)?;
        let any = paths.iter().any(|p| p.exists());
        if !any && missing == Missing::Fail {
            return Err(nothing_to_change(source));
        }
        let default_path = &paths[default];
        if !default_path.exists() {
            if let Some(dir) = default_path.parent().filter(|d| !d.as_os_str().is_empty())
                && !dir.exists()
            {
                fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)
                    .map_err(|e| io_error("create the directory of", default_path, e))?;
            }
            if default_path.symlink_metadata().is_ok() {
                return Err(AcError::config(format!(
                    "kubeconfig {} is a symlink to a file that does not exist",
                    default_path.display()
                ))
                .hint("point it at an existing file, or remove the link"));
            }
        }
        // Every file of the list (and the one a new entry would create), locked in sorted
        // order as kubectl does, before anything is read.
        let mut reals: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            let existed = p.exists();
            if !existed && i != default {
                continue;
            }
            reals.push((p.clone(), real_path(p)?, existed));
        }
        for (path, real, _) in &reals {
            read_only_directory(real, path)?;
        }
        let mut lock_paths: Vec<&PathBuf> = reals.iter().map(|(_, real, _)| real).collect();
        lock_paths.sort();
        lock_paths.dedup();
        let mut locks = Vec::with_capacity(lock_paths.len());
        for p in lock_paths {
            locks.push(Lock::take(p)?);
        }
        let mut files = Vec::with_capacity(reals.len());
        let mut default_index = 0;
        for (path, real, existed) in reals {
            if path == paths[default] {
                default_index = files.len();
            }
            files.push(read_file(path, real, existed)?);
        }
        Ok(Kubeconfigs {
            files,
            default: default_index,
            index: OnceCell::new(),
            _locks: locks,
        })
    }

    /// Files given as text (tests of the planners): the first is the default file.
    #[cfg(test)]
    pub fn from_texts(texts: &[(&str, &str)]) -> Kubeconfigs {
        let files = texts
            .iter()
            .map(|(path, text)| {
                let doc = parse_doc(Path::new(path), text).unwrap();
                File {
                    path: PathBuf::from(path),
                    real: PathBuf::from(path),
                    existed: true,
                    text: text.to_string(),
                    read: doc.clone(),
                    doc,
                }
            })
            .collect();
        Kubeconfigs {
            files,
            default: 0,
            index: OnceCell::new(),
            _locks: Vec::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(&self.files))
    }

    fn at(&self, (file, item): (usize, usize), section: Section) -> &Value {
        &items(&self.files[file].doc, section)[item]
    }

    /// The entries of a list as kubectl merges them: the first of each name wins.
    pub fn entries(&self, section: Section) -> Vec<&Value> {
        self.index().entries[section as usize]
            .iter()
            .map(|at| self.at(*at, section))
            .collect()
    }

    /// The entry of that name (the one kubectl reads).
    pub fn entry(&self, section: Section, name: &str) -> Option<&Value> {
        self.index().by_name[section as usize]
            .get(name)
            .map(|at| self.at(*at, section))
    }

    /// The names of the contexts (as merged) that point at a cluster entry.
    pub fn contexts_pointing_at(&self, cluster_entry: &str) -> &[String] {
        self.index()
            .contexts_by_cluster
            .get(cluster_entry)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// `current-context` as kubectl reads it: the first file that sets one.
    pub fn current_context(&self) -> Option<&str> {
        self.files.iter().find_map(|f| {
            f.doc
                .get("current-context")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
        })
    }

    /// The merged view as kube's typed `Kubeconfig` (for the profile functions).
    pub fn merged(&self) -> Result<Kubeconfig> {
        let mut merged = Map::new();
        for section in Section::ALL {
            let list: Vec<Value> = self.entries(section).into_iter().cloned().collect();
            merged.insert(section.key().into(), Value::Array(list));
        }
        if let Some(c) = self.current_context() {
            merged.insert("current-context".into(), json!(c));
        }
        serde_json::from_value(Value::Object(merged)).map_err(|e| {
            AcError::config(format!(
                "kubeconfig {} is not valid: {}",
                self.describe(),
                one_line(&e.to_string())
            ))
            .hint("fix the file (it must be a kubeconfig YAML document); nothing was written")
        })
    }

    /// The files, for messages.
    pub fn describe(&self) -> String {
        self.files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The default file (where new entries go).
    pub fn default_file(&self) -> &Path {
        &self.files[self.default].path
    }

    /// Apply changes in memory, in order.
    pub fn apply(&mut self, changes: &[Change]) -> Result<()> {
        self.index = OnceCell::new();
        let mut names = Names::default();
        for change in changes {
            self.apply_one(change, &mut names)?;
        }
        // Removed entries were left as `null` so that positions stayed valid: drop them.
        for (file, section) in names.tombstoned {
            if let Some(list) = self.files[file]
                .doc
                .get_mut(section.key())
                .and_then(Value::as_array_mut)
            {
                list.retain(|item| !item.is_null());
            }
        }
        Ok(())
    }

    fn apply_one(&mut self, change: &Change, names: &mut Names) -> Result<()> {
        match change {
            Change::Put(section, item) => {
                let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                let origin = (0..self.files.len())
                    .find_map(|f| Some((f, *names.of(&self.files, f, *section).get(name)?)));
                match origin {
                    Some((f, at)) => self.files[f].doc[section.key()][at] = item.clone(),
                    None => {
                        let index = self.default;
                        let file = &mut self.files[index];
                        let list = list_mut(&mut file.doc, *section)
                            .map_err(|why| edit_error(&file.path, why))?;
                        list.push(item.clone());
                        let at = list.len() - 1;
                        names
                            .of(&self.files, index, *section)
                            .insert(name.to_string(), at);
                    }
                }
            }
            Change::Remove(section, name) => {
                let origin = (0..self.files.len())
                    .find_map(|f| Some((f, names.of(&self.files, f, *section).remove(name)?)));
                if let Some((f, at)) = origin {
                    self.files[f].doc[section.key()][at] = Value::Null;
                    names.tombstoned.insert((f, *section));
                }
            }
            Change::SetCurrentContext(context) => {
                let file = &mut self.files[self.default];
                let map = file
                    .doc
                    .as_object_mut()
                    .ok_or_else(|| edit_error(&file.path, "the document is not a mapping"))?;
                map.insert("current-context".into(), json!(context));
            }
            Change::ClearCurrentContext(contexts) => {
                for file in &mut self.files {
                    let names_one = file
                        .doc
                        .get("current-context")
                        .and_then(Value::as_str)
                        .is_some_and(|c| contexts.iter().any(|x| x == c));
                    if names_one && let Some(map) = file.doc.as_object_mut() {
                        map.remove("current-context");
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether anything would be written.
    pub fn changed(&self) -> bool {
        self.files.iter().any(|f| f.doc != f.read)
    }

    /// Write every changed file (atomically, each), and say which.
    pub fn commit(self) -> Result<Vec<PathBuf>> {
        let changed: Vec<&File> = self.files.iter().filter(|f| f.doc != f.read).collect();
        // Everything that can be checked before the first byte is written.
        let mut texts = Vec::with_capacity(changed.len());
        for file in &changed {
            if file.existed {
                writable(&file.real, &file.path)?;
            }
            let text = if file.existed {
                splice::render(&file.text, &file.read, &file.doc)
            } else {
                splice::full(&file.doc)
            }
            .map_err(|why| {
                AcError::config(format!(
                    "cannot write kubeconfig {}: {}",
                    file.path.display(),
                    one_line(&why)
                ))
            })?;
            texts.push(text);
        }
        let mut written: Vec<PathBuf> = Vec::new();
        for (file, text) in changed.iter().zip(texts) {
            replace(&file.real, &file.path, file.existed, text.as_bytes()).map_err(|e| {
                if written.is_empty() {
                    e.hint("the kubeconfig was not changed")
                } else {
                    let done: Vec<String> =
                        written.iter().map(|p| p.display().to_string()).collect();
                    e.hint(format!(
                        "{} was written already, {} was not: run the command again once the cause is fixed",
                        done.join(", "),
                        file.path.display()
                    ))
                }
            })?;
            written.push(file.path.clone());
        }
        Ok(written)
    }
}

/// The merged view's lookups: positions `(file, item)` of the entries kubectl reads.
struct Index {
    entries: [Vec<(usize, usize)>; 3],
    by_name: [HashMap<String, (usize, usize)>; 3],
    contexts_by_cluster: HashMap<String, Vec<String>>,
}

impl Index {
    fn of(files: &[File]) -> Index {
        let mut index = Index {
            entries: Default::default(),
            by_name: Default::default(),
            contexts_by_cluster: HashMap::new(),
        };
        for section in Section::ALL {
            let s = section as usize;
            for (f, file) in files.iter().enumerate() {
                for (i, item) in items(&file.doc, section).iter().enumerate() {
                    let Some(name) = item.get("name").and_then(Value::as_str) else {
                        continue;
                    };
                    if index.by_name[s].contains_key(name) {
                        continue;
                    }
                    index.by_name[s].insert(name.to_string(), (f, i));
                    index.entries[s].push((f, i));
                    if section == Section::Contexts
                        && let Some(cluster) =
                            item.pointer("/context/cluster").and_then(Value::as_str)
                    {
                        index
                            .contexts_by_cluster
                            .entry(cluster.to_string())
                            .or_default()
                            .push(name.to_string());
                    }
                }
            }
        }
        index
    }
}

/// Name → position maps of each file's lists while changes are applied, built when first
/// needed; removed entries are `null` until the end of [`Kubeconfigs::apply`].
#[derive(Default)]
struct Names {
    maps: HashMap<(usize, Section), HashMap<String, usize>>,
    tombstoned: HashSet<(usize, Section)>,
}

impl Names {
    fn of(&mut self, files: &[File], file: usize, section: Section) -> &mut HashMap<String, usize> {
        self.maps.entry((file, section)).or_insert_with(|| {
            items(&files[file].doc, section)
                .iter()
                .enumerate()
                .filter_map(|(i, item)| Some((item.get("name")?.as_str()?.to_string(), i)))
                .rev() // the first of a name wins
                .collect()
        })
    }
}

/// The list of files and the index of the default one, as kubectl decides them.
fn files_of(source: &Source) -> Result<(Vec<PathBuf>, usize)> {
    match source {
        Source::Explicit(p) => Ok((vec![p.clone()], 0)),
        Source::Home(Some(p)) => Ok((vec![p.clone()], 0)),
        Source::Home(None) => Err(AcError::config(
            "no kubeconfig: HOME is not set and neither --kubeconfig nor KUBECONFIG is given",
        )
        .hint("pass --kubeconfig PATH")),
        Source::EnvList(list) => {
            let mut paths: Vec<PathBuf> = Vec::new();
            for p in std::env::split_paths(list) {
                if !p.as_os_str().is_empty() && !paths.contains(&p) {
                    paths.push(p);
                }
            }
            if paths.is_empty() {
                return Err(AcError::config("KUBECONFIG names no file").hint(
                    "set KUBECONFIG to a ':'-separated list of files, or pass --kubeconfig",
                ));
            }
            let default = if paths.len() == 1 {
                0
            } else {
                paths
                    .iter()
                    .position(|p| p.exists())
                    .unwrap_or(paths.len() - 1)
            };
            Ok((paths, default))
        }
    }
}

fn nothing_to_change(source: &Source) -> AcError {
    let what = match source {
        Source::Explicit(p) | Source::Home(Some(p)) => {
            format!("kubeconfig {} does not exist", p.display())
        }
        _ => "no kubeconfig to change: none of the files in KUBECONFIG exists".to_string(),
    };
    AcError::config(what).hint(
        "log in with the ACP CLI first (ac login <platform-url> --name <session>), or point KUBECONFIG / --kubeconfig at an existing file",
    )
}

/// The path written for `p`: an existing file's real path (symlinks followed); for a file to
/// be created, its directory's real path and its name.
fn real_path(p: &Path) -> Result<PathBuf> {
    if p.exists() {
        return fs::canonicalize(p).map_err(|e| io_error("read", p, e));
    }
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir = fs::canonicalize(dir).map_err(|e| io_error("create", p, e))?;
    Ok(dir.join(p.file_name().unwrap_or_default()))
}

fn read_file(path: PathBuf, real: PathBuf, existed: bool) -> Result<File> {
    let text = if existed {
        if real.is_dir() {
            return Err(AcError::config(format!(
                "kubeconfig {} is a directory, not a file",
                path.display()
            )));
        }
        // Bounded like every kubeconfig read (`kubeconfig::read_bytes`).
        String::from_utf8(super::kubeconfig::read_bytes(&real)?).map_err(|_| {
            AcError::config(format!(
                "kubeconfig {} is not UTF-8 text: ac edits only UTF-8 kubeconfig files",
                path.display()
            ))
        })?
    } else {
        String::new()
    };
    let doc = if existed {
        parse_doc(&path, &text)?
    } else {
        json!({"apiVersion": "v1", "kind": "Config", "preferences": {}})
    };
    Ok(File {
        path,
        real,
        existed,
        text,
        read: doc.clone(),
        doc,
    })
}

/// A file's document: a mapping whose named lists are lists (or absent).
fn parse_doc(path: &Path, text: &str) -> Result<Value> {
    if text.trim().is_empty() {
        return Ok(json!({}));
    }
    let doc = match splice::parse(text) {
        Some(doc) => doc,
        None => {
            let e = serde_saphyr::from_str::<Value>(text)
                .err()
                .map(|e| {
                    let first = one_line(e.to_string().lines().next().unwrap_or_default());
                    first.trim_start_matches("error: ").to_string()
                })
                .unwrap_or_default();
            return Err(AcError::config(format!(
                "kubeconfig {} is not valid YAML: {e}",
                path.display()
            ))
            .hint("fix the file, or move it aside and log in again; nothing was written"));
        }
    };
    let not_kubeconfig = |why: String| {
        AcError::config(format!(
            "kubeconfig {} is not a kubeconfig: {why}",
            path.display()
        ))
        .hint("fix the file, or move it aside and log in again; nothing was written")
    };
    let Some(map) = doc.as_object() else {
        return Err(not_kubeconfig("the document is not a mapping".into()));
    };
    for section in Section::ALL {
        match map.get(section.key()) {
            None | Some(Value::Null) | Some(Value::Array(_)) => {}
            Some(_) => return Err(not_kubeconfig(format!("{} is not a list", section.key()))),
        }
        for item in items(&doc, section) {
            if item.get("name").and_then(Value::as_str).is_none() {
                return Err(not_kubeconfig(format!(
                    "an entry of {} has no name",
                    section.key()
                )));
            }
        }
    }
    Ok(doc)
}

fn items(doc: &Value, section: Section) -> &[Value] {
    doc.get(section.key())
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn list_mut(doc: &mut Value, section: Section) -> std::result::Result<&mut Vec<Value>, String> {
    let map = doc
        .as_object_mut()
        .ok_or_else(|| "the document is not a mapping".to_string())?;
    let list = map
        .entry(section.key())
        .or_insert_with(|| Value::Array(Vec::new()));
    if list.is_null() {
        *list = Value::Array(Vec::new());
    }
    list.as_array_mut()
        .ok_or_else(|| format!("{} is not a list", section.key()))
}

fn edit_error(path: impl AsRef<Path>, why: impl std::fmt::Display) -> AcError {
    AcError::config(format!(
        "cannot edit kubeconfig {}: {why}",
        path.as_ref().display()
    ))
}

/// A read-only file is refused (renaming over it would replace it anyway): one its owner may
/// not write (mode without `u+w`, which root's permissions would override), or that this
/// process may not open for writing.
fn writable(real: &Path, shown: &Path) -> Result<()> {
    let meta = fs::metadata(real).map_err(|e| io_error("read", shown, e))?;
    let mode = meta.permissions().mode() & 0o7777;
    let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    let opened = if mode & 0o200 == 0 {
        Err(denied)
    } else {
        fs::OpenOptions::new().write(true).open(real).map(drop)
    };
    match opened {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(AcError::config(format!(
                "kubeconfig {} is read-only (mode {mode:04o}): nothing was written",
                shown.display()
            ))
            .hint(format!(
                "make it writable (chmod u+w {}) or point --kubeconfig at a file you may change",
                shown.display()
            ))
            .with_source(e))
        }
        Err(e) => Err(io_error("open for writing", shown, e)),
    }
}

/// A directory its owner may not write (mode without `u+w`) is read-only for `ac` too, also
/// when root's permissions would override it: the lock and the temporary file go there.
fn read_only_directory(real: &Path, shown: &Path) -> Result<()> {
    let Some(dir) = real.parent() else {
        return Ok(());
    };
    match fs::metadata(dir) {
        Ok(meta) if meta.permissions().mode() & 0o200 == 0 => Err(AcError::config(format!(
            "the directory of kubeconfig {} is read-only (mode {:04o}): nothing was written",
            shown.display(),
            meta.permissions().mode() & 0o7777
        ))
        .hint(format!(
            "kubectl and ac write a lock file and a temporary file next to the kubeconfig: make {} writable, or point --kubeconfig at a file in a writable directory",
            dir.display()
        ))),
        _ => Ok(()),
    }
}

/// Write `bytes` as `real` atomically: a temporary file in the same directory (the original's
/// mode, owner and group; 0600 for a new file), flushed, renamed over the original.
fn replace(real: &Path, shown: &Path, existed: bool, bytes: &[u8]) -> Result<()> {
    let dir = real.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".ac-kubeconfig-")
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| io_error("write into the directory of", shown, e))?;
    if existed {
        let meta = fs::metadata(real).map_err(|e| io_error("read", shown, e))?;
        // Keep the owner and group where allowed (root editing a user's file); the mode always.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| io_error("write", shown, e))?;
    }
    let file = tmp.as_file_mut();
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| {
            let full = matches!(
                e.kind(),
                std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::FileTooLarge
                    | std::io::ErrorKind::QuotaExceeded
            );
            let error = io_error("write", shown, e);
            if full {
                error.hint("free some space (or raise the file size limit, ulimit -f) and run the command again")
            } else {
                error
            }
        })?;
    if existed {
        tmp.persist(real)
            .map_err(|e| io_error("replace", shown, e.error))?;
    } else {
        tmp.persist_noclobber(real)
            .map_err(|e| io_error("create", shown, e.error))?;
    }
    // The rename itself on disk (best effort: not every file system syncs directories).
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
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
            Err(e) => Err(io_error("lock", path, e).hint(format!(
                "kubectl and ac take the lock file {} in the kubeconfig's directory: that directory must be writable; nothing was written",
                lock.display()
            ))),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// A switch (`ac config use-*`) as changes: the context it creates, then `current-context`.
pub fn switch_changes(switch: &Switch) -> Vec<Change> {
    let mut changes = Vec::new();
    if let Some(new) = &switch.create {
        changes.push(Change::Put(
            Section::Contexts,
            json!({
                "name": new.name,
                "context": {"cluster": new.cluster_entry, "user": new.user_entry},
            }),
        ));
    }
    changes.push(Change::SetCurrentContext(switch.context.clone()));
    changes
}
