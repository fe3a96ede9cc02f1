use std::os::unix::fs::PermissionsExt;

use serde_json::json;

use super::*;
use crate::access::profiles::NewContext;

/// A kubeconfig as people keep it: comments, flow style, unknown fields, odd quoting.
const KEPT: &str = "\
# my kubeconfig: do not lose this comment
apiVersion: v1
kind: Config
preferences: {colors: true}
clusters:
  # the production platform
  - name: pb
    cluster: {server: 'https://x', x-unknown: 7}   # inline comment
  - name: other
    cluster:
      server: \"https://y\"
      certificate-authority: /etc/ca.pem

contexts: [{name: a, context: {cluster: pb, user: pu}}]
current-context: a
users:
- name: pu
  user: {token: s3cret}
x-tool-setting: keep me
";

fn doc(text: &str) -> Value {
    splice::parse(text).expect("parses")
}

fn rendered(old_text: &str, edit: impl FnOnce(&mut Value)) -> (String, Value) {
    let old = doc(old_text);
    let mut new = old.clone();
    edit(&mut new);
    let text = splice::render(old_text, &old, &new).unwrap();
    assert_eq!(
        doc(&text),
        new,
        "the text is the intended document:\n{text}"
    );
    (text, new)
}

#[test]
fn unchanged_entries_and_keys_keep_their_bytes() {
    let (text, _) = rendered(KEPT, |d| {
        d["clusters"][1]["cluster"]["server"] = json!("https://z");
        d["current-context"] = json!("b");
    });
    // Everything but the changed entry and key, byte for byte.
    for kept in [
        "# my kubeconfig: do not lose this comment\n",
        "preferences: {colors: true}\n",
        "  # the production platform\n  - name: pb\n    cluster: {server: 'https://x', x-unknown: 7}   # inline comment\n",
        "contexts: [{name: a, context: {cluster: pb, user: pu}}]\n",
        "users:\n- name: pu\n  user: {token: s3cret}\n",
        "x-tool-setting: keep me\n",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    assert!(text.contains("current-context: b\n"), "{text}");
    // The changed entry keeps its other fields, at the list's indentation.
    assert!(text.contains("  - cluster:\n"), "{text}");
    assert!(
        text.contains("      certificate-authority: /etc/ca.pem\n"),
        "{text}"
    );
}

#[test]
fn entries_are_added_at_the_end_and_removed_in_place() {
    let (text, _) = rendered(KEPT, |d| {
        d["clusters"].as_array_mut().unwrap().remove(0);
        d["clusters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "new", "cluster": {"server": "https://n"}}));
        d["users"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "u2", "user": {"token": "t"}}));
        d.as_object_mut().unwrap().remove("current-context");
        d["extra"] = json!({"a": 1});
    });
    assert!(!text.contains("name: pb"), "{text}");
    assert!(
        text.contains("# the production platform"),
        "comments stay:\n{text}"
    );
    assert!(
        text.contains("  - cluster:\n      server: https://n\n    name: new\n"),
        "{text}"
    );
    assert!(
        text.contains("- name: pu\n  user: {token: s3cret}\n- name: u2\n")
            || text.contains("- name: pu\n  user: {token: s3cret}\n- user:"),
        "{text}"
    );
    assert!(!text.contains("current-context"), "{text}");
    assert!(text.ends_with("extra:\n  a: 1\n"), "{text}");
}

#[test]
fn what_the_scan_is_not_sure_of_is_written_whole() {
    for old_text in [
        "apiVersion: v1\r\nclusters: []\r\n",
        "{apiVersion: v1, clusters: []}\n",
        "---\napiVersion: v1\nclusters: []\n",
    ] {
        let (text, new) = rendered(old_text, |d| {
            d["current-context"] = json!("c");
        });
        assert_eq!(text, splice::full(&new).unwrap(), "{old_text:?}");
    }
    // A flow list grows as a whole key, the rest kept.
    let (text, _) = rendered(KEPT, |d| {
        d["contexts"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "b", "context": {"cluster": "other", "user": "pu"}}));
    });
    assert!(text.starts_with("# my kubeconfig"), "{text}");
    assert!(text.contains("contexts:\n- context:"), "{text}");
}

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

fn write_switch(source: &Source, s: &Switch) -> Result<Vec<PathBuf>> {
    let mut files = Kubeconfigs::open(source, Missing::Fail)?;
    files.apply(&switch_changes(s))?;
    files.commit()
}

#[test]
fn edits_only_what_it_must_and_keeps_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    fs::write(&p, KEPT).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    let source = Source::Explicit(p.clone());
    write_switch(&source, &switch(true)).unwrap();
    let text = fs::read_to_string(&p).unwrap();
    let d = doc(&text);
    assert_eq!(d["current-context"], "prod/workload-b");
    assert_eq!(d["contexts"][1]["context"]["cluster"], "pb");
    assert!(text.contains("cluster: {server: 'https://x', x-unknown: 7}   # inline comment"));
    let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(!dir.path().join("config.lock").exists());
    // Idempotent: the context is not appended twice, and nothing is rewritten.
    let before = fs::read_to_string(&p).unwrap();
    let written = write_switch(&source, &switch(true)).unwrap();
    assert!(written.is_empty(), "{written:?}");
    assert_eq!(fs::read_to_string(&p).unwrap(), before);
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}

#[test]
fn a_held_lock_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    fs::write(&p, "current-context: a\n").unwrap();
    fs::write(dir.path().join("config.lock"), "").unwrap();
    let e = write_switch(&Source::Explicit(p.clone()), &switch(false)).unwrap_err();
    assert!(e.message.contains("another program"), "{}", e.message);
    assert_eq!(fs::read_to_string(&p).unwrap(), "current-context: a\n");
    assert!(
        dir.path().join("config.lock").exists(),
        "not ours to remove"
    );
}

fn list(paths: &[&Path]) -> Source {
    Source::EnvList(
        std::env::join_paths(paths)
            .unwrap()
            .to_string_lossy()
            .into(),
    )
}

#[test]
fn a_list_changes_entries_where_they_are_and_adds_to_the_first_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let (missing, a, b) = (
        dir.path().join("missing"),
        dir.path().join("a"),
        dir.path().join("b"),
    );
    fs::write(
        &a,
        "clusters:\n- name: in-a\n  cluster: {server: https://a}\n",
    )
    .unwrap();
    fs::write(
        &b,
        "clusters:\n- name: in-b\n  cluster: {server: https://b}\ncurrent-context: x\n",
    )
    .unwrap();
    let source = list(&[&missing, &a, &b]);
    let mut files = Kubeconfigs::open(&source, Missing::Fail).unwrap();
    assert_eq!(files.current_context(), Some("x"));
    assert_eq!(files.default_file(), a.as_path());
    files
        .apply(&[
            Change::Put(
                Section::Clusters,
                json!({"name": "in-b", "cluster": {"server": "https://b2"}}),
            ),
            Change::Put(
                Section::Clusters,
                json!({"name": "new", "cluster": {"server": "https://n"}}),
            ),
            Change::SetCurrentContext("y".into()),
        ])
        .unwrap();
    let written = files.commit().unwrap();
    assert_eq!(written, vec![a.clone(), b.clone()]);
    let (da, db) = (
        doc(&fs::read_to_string(&a).unwrap()),
        doc(&fs::read_to_string(&b).unwrap()),
    );
    assert_eq!(da["clusters"][1]["name"], "new");
    assert_eq!(da["current-context"], "y");
    assert_eq!(db["clusters"][0]["cluster"]["server"], "https://b2");
    assert_eq!(db["current-context"], "x", "shadowed, left alone");
    assert!(!missing.exists());

    // Clearing removes it wherever it names a removed context.
    let mut files = Kubeconfigs::open(&source, Missing::Fail).unwrap();
    files
        .apply(&[
            Change::Remove(Section::Clusters, "in-b".into()),
            Change::ClearCurrentContext(vec!["y".into(), "x".into()]),
        ])
        .unwrap();
    files.commit().unwrap();
    let (da, db) = (
        doc(&fs::read_to_string(&a).unwrap()),
        doc(&fs::read_to_string(&b).unwrap()),
    );
    assert!(da.get("current-context").is_none() && db.get("current-context").is_none());
    assert_eq!(db["clusters"], json!([]));
}

#[test]
fn a_new_file_is_private_and_a_list_without_files_creates_its_last() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("sub").join("b"));
    let source = list(&[&a, &b]);
    assert!(Kubeconfigs::open(&source, Missing::Fail).is_err());
    let mut files = Kubeconfigs::open(&source, Missing::Create).unwrap();
    files
        .apply(&[Change::SetCurrentContext("c".into())])
        .unwrap();
    assert_eq!(files.commit().unwrap(), vec![b.clone()]);
    assert!(!a.exists());
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&b), 0o600);
    assert_eq!(mode(b.parent().unwrap()), 0o700);
    let d = doc(&fs::read_to_string(&b).unwrap());
    assert_eq!(d["kind"], "Config");
    assert_eq!(d["current-context"], "c");
}

#[test]
fn read_only_files_and_directories_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    fs::write(&p, KEPT).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o400)).unwrap();
    let e = write_switch(&Source::Explicit(p.clone()), &switch(true)).unwrap_err();
    assert!(e.message.contains("read-only (mode 0400)"), "{}", e.message);
    assert_eq!(fs::read_to_string(&p).unwrap(), KEPT);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no lock left");

    fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    let e = write_switch(&Source::Explicit(p.clone()), &switch(true)).unwrap_err();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    assert!(
        e.message.contains("directory of kubeconfig")
            && e.message.contains("read-only (mode 0500)"),
        "{}",
        e.message
    );
    assert_eq!(fs::read_to_string(&p).unwrap(), KEPT);
}

#[test]
fn a_broken_file_is_named_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    for text in [
        "clusters: [unclosed\n",
        "- a\n- b\n",
        "clusters: {a: 1}\n",
        "users:\n- user: {token: x}\n",
    ] {
        fs::write(&p, text).unwrap();
        let e = match Kubeconfigs::open(&Source::Explicit(p.clone()), Missing::Fail) {
            Ok(_) => panic!("{text:?} opened"),
            Err(e) => e,
        };
        assert!(
            e.message.contains("is not valid YAML") || e.message.contains("is not a kubeconfig"),
            "{text:?}: {}",
            e.message
        );
        assert!(!e.message.contains('\n'));
        assert_eq!(fs::read_to_string(&p).unwrap(), text);
        assert!(!dir.path().join("config.lock").exists());
    }
}

mod properties {
    use proptest::prelude::*;
    use serde_json::json;

    use super::super::splice;
    use super::doc;

    /// One cluster entry as people write them: block or flow style, maybe with a comment
    /// line above it and unknown fields.
    fn entry_text(i: usize, flow: bool, comment: bool, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        if comment {
            out.push_str(&format!("{pad}# about c{i}\n"));
        }
        if flow {
            out.push_str(&format!(
                "{pad}- {{name: c{i}, cluster: {{server: 'https://h{i}', x-field: {i}}}}}\n"
            ));
        } else {
            out.push_str(&format!(
                "{pad}- name: c{i}\n{pad}  cluster:\n{pad}    server: https://h{i}   # comment {i}\n{pad}    x-field: {i}\n"
            ));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the edits, the text is exactly the intended document; and every entry
        /// that did not change keeps its bytes, every comment stays.
        #[test]
        fn edits_keep_what_did_not_change(
            shapes in proptest::collection::vec((any::<bool>(), any::<bool>()), 1..10),
            indent in prop_oneof![Just(0usize), Just(2usize)],
            remove in proptest::collection::vec(any::<bool>(), 10),
            change in proptest::collection::vec(any::<bool>(), 10),
            added in 0usize..3,
            current in any::<bool>(),
        ) {
            let entries: Vec<String> = shapes
                .iter()
                .enumerate()
                .map(|(i, (flow, comment))| entry_text(i, *flow, *comment, indent))
                .collect();
            let text = format!(
                "# top\napiVersion: v1\nclusters:\n{}current-context: a\nusers: []\n",
                entries.concat()
            );
            let old = doc(&text);
            let mut new = old.clone();
            let list = new["clusters"].as_array_mut().unwrap();
            let mut kept = Vec::new();
            for i in (0..shapes.len()).rev() {
                if remove[i] {
                    list.remove(i);
                } else if change[i] {
                    list[i]["cluster"]["server"] = json!(format!("https://changed{i}"));
                } else {
                    kept.push(i);
                }
            }
            for n in 0..added {
                list.push(json!({"name": format!("new{n}"), "cluster": {"server": "https://n"}}));
            }
            if current {
                new["current-context"] = json!("b");
            }
            let out = splice::render(&text, &old, &new).unwrap();
            prop_assert_eq!(doc(&out), new);
            for i in kept {
                let body = entries[i].lines().filter(|l| !l.trim_start().starts_with('#'))
                    .map(|l| format!("{l}\n")).collect::<String>();
                prop_assert!(out.contains(&body), "entry {} lost its bytes:\n{}", i, out);
            }
            for (i, (_, comment)) in shapes.iter().enumerate() {
                if *comment {
                    let line = format!("# about c{i}\n");
                    prop_assert!(out.contains(&line), "comment of c{} lost:\n{}", i, out);
                }
            }
            prop_assert!(out.starts_with("# top\napiVersion: v1\n"), "{}", out);
        }
    }
}
