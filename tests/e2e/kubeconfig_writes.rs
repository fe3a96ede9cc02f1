//! Kubeconfig writes that cannot be done: a corrupted file, a read-only file, a read-only
//! directory, a disk that fills up during the write. Each is named in one `error:` line with
//! its exit code, and the old file stays exactly as it was (no temporary file or lock left).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{Env, Run, base_command, run_with_stdin};
use crate::login::{ac_with, login, platform, shown};

/// The directory holds the simulator's kubeconfig and `ca.pem` (written by [`login`]) and the
/// file under test; nothing else may be left behind.
fn assert_clean(dir: &Path, expected: usize) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), expected, "left behind: {names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".lock") && !n.starts_with(".ac-kubeconfig-")),
        "{names:?}"
    );
}

const CORRUPTED: &str =
    "apiVersion: v1\nclusters: [unclosed\n- name: x\n  cluster: {server: https://x}\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupted_kubeconfig_is_named_and_never_written() {
    let env = platform().await;
    let kc = env.dir.path().join("config");
    std::fs::write(&kc, CORRUPTED).unwrap();
    let r = login(&env, &kc, "prod", &[]).await;
    golden!(shown(&env, &r), "kubeconfig-writes/corrupted-login.txt");
    let kc_env = kc.to_str().unwrap();
    for args in [
        &["logout", "--session", "prod"][..],
        &["logout", "--all"],
        &["config", "sync", "--session", "prod"],
        &["config", "set-dr-standby", "x", "--session", "prod"],
        &["config", "use-cluster", "global"],
    ] {
        let r = ac_with(&env, kc_env, args, None).await;
        assert_eq!(r.code, 1, "{args:?}: {}", r.both());
        assert!(
            r.stderr
                .starts_with(&format!("error: kubeconfig {kc_env} is not valid")),
            "{args:?}: {}",
            r.both()
        );
        assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.both());
    }
    assert_eq!(std::fs::read_to_string(&kc).unwrap(), CORRUPTED);
    assert_clean(env.dir.path(), 3);
}

/// A logged-in kubeconfig, and its text.
async fn logged_in(env: &Env) -> (std::path::PathBuf, String) {
    let kc = env.dir.path().join("config");
    assert_eq!(login(env, &kc, "prod", &[]).await.code, 0);
    let text = std::fs::read_to_string(&kc).unwrap();
    (kc, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_kubeconfig_file_is_refused() {
    let env = platform().await;
    let (kc, before) = logged_in(&env).await;
    std::fs::set_permissions(&kc, std::fs::Permissions::from_mode(0o400)).unwrap();
    // Another token: there is something to write.
    let url = env.sim.base_url();
    let r = ac_with(
        &env,
        kc.to_str().unwrap(),
        &["login", &url, "--name", "prod"],
        Some(&env.sim.viewer_token()),
    )
    .await;
    golden!(shown(&env, &r), "kubeconfig-writes/read-only-file.txt");
    let r = ac_with(&env, kc.to_str().unwrap(), &["logout"], None).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert_eq!(std::fs::read_to_string(&kc).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&kc).unwrap().permissions().mode() & 0o777,
        0o400
    );
    assert_clean(env.dir.path(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_kubeconfig_directory_is_refused() {
    let env = platform().await;
    let sub = env.dir.path().join("kube");
    std::fs::create_dir(&sub).unwrap();
    let kc = sub.join("config");
    assert_eq!(login(&env, &kc, "prod", &[]).await.code, 0);
    let before = std::fs::read_to_string(&kc).unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o500)).unwrap();
    let r = login(&env, &kc, "prod", &[]).await;
    let r2 = ac_with(&env, kc.to_str().unwrap(), &["logout"], None).await;
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o700)).unwrap();
    golden!(shown(&env, &r), "kubeconfig-writes/read-only-directory.txt");
    assert_eq!(r2.code, 1, "{}", r2.both());
    assert_eq!(std::fs::read_to_string(&kc).unwrap(), before);
    assert_clean(&sub, 1);
}

/// The largest file `ac` may write: smaller than the kubeconfig it must write back.
const FILE_SIZE_LIMIT: u64 = 16 * 1024;

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_during_the_write_keeps_the_old_file() {
    let env = platform().await;
    let (kc, text) = logged_in(&env).await;
    // A hand-made entry makes the file larger than what ac may write.
    let big = format!(
        "{text}preferences:\n  x-notes: {}\n",
        "n".repeat(2 * FILE_SIZE_LIMIT as usize)
    );
    let big = big.replacen("preferences: {}\n", "", 1);
    std::fs::write(&kc, &big).unwrap();
    let before = std::fs::read(&kc).unwrap();
    // The disk "fills up": a file size limit on the ac process (SIGXFSZ ignored, so the write
    // fails with EFBIG instead of killing it), the same failure path as ENOSPC.
    let mut cmd = base_command(env.dir.path());
    cmd.env("KUBECONFIG", &kc)
        .args(["login", &env.sim.base_url(), "--name", "prod"]);
    // SAFETY: only async-signal-safe calls (setrlimit, signal) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: FILE_SIZE_LIMIT,
                rlim_max: FILE_SIZE_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let r: Run = run_with_stdin(cmd, env.sim.viewer_token().as_bytes()).await;
    env.assert_no_secret(&r);
    golden!(shown(&env, &r), "kubeconfig-writes/full-disk.txt");
    assert_eq!(
        std::fs::read(&kc).unwrap(),
        before,
        "the old file, byte for byte"
    );
    assert_clean(env.dir.path(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_lock_is_respected() {
    let env = platform().await;
    let (kc, before) = logged_in(&env).await;
    let lock = env.dir.path().join("config.lock");
    std::fs::write(&lock, "").unwrap();
    let r = ac_with(&env, kc.to_str().unwrap(), &["logout"], None).await;
    golden!(shown(&env, &r), "kubeconfig-writes/locked.txt");
    assert_eq!(std::fs::read_to_string(&kc).unwrap(), before);
    assert!(
        lock.exists(),
        "another program's lock is not ours to remove"
    );
}
