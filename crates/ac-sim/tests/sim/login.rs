//! Logging in to the simulator as `ac login URL --name SESSION --certificate-authority=CA <
//! TOKEN_FILE` will: the platform URL, the admin token in a 0600 file and the CA beside the
//! kubeconfig, for the primary and the DR standby; the global cluster at
//! `URL/kubernetes/global/` lists the platform's Clusters.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use ac_sim::{LoginFiles, Sim, SimOptions};

/// A client made only from what a login is given: the URL, the CA file and the token file.
async fn logged_in(files: &LoginFiles) -> kube::Client {
    let token = std::fs::read_to_string(&files.token_file).unwrap();
    let ca = std::fs::read(&files.ca_file).unwrap();
    let kubeconfig = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}/kubernetes/global/\n    certificate-authority-data: {}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
        files.url,
        base64_encode(&ca)
    );
    let kc = kube::config::Kubeconfig::from_yaml(&kubeconfig).unwrap();
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .unwrap();
    kube::Client::try_from(cfg).unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

async fn cluster_names(client: &kube::Client) -> Vec<String> {
    let (code, list) = crate::api::raw(
        client,
        "GET",
        "/apis/platform.tkestack.io/v1/clusters",
        None,
        "",
    )
    .await;
    assert_eq!(code, 200, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn login_files_for_the_platform_and_its_dr_standby() {
    let sim = Sim::start(SimOptions {
        dr: true,
        ..SimOptions::default_scenario()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("my sim.kubeconfig");
    sim.write_kubeconfig(&kubeconfig, "global").unwrap();
    assert_eq!(mode(&kubeconfig), 0o600, "the kubeconfig holds tokens");

    let files = sim.write_login_files(&kubeconfig).unwrap();
    assert_eq!(files.url, sim.platform_url());
    assert_eq!(files.url, sim.base_url());
    assert_eq!(files.session, "sim");
    assert_eq!(files.token_file, dir.path().join("my sim.kubeconfig.token"));
    assert_eq!(files.ca_file, dir.path().join("my sim.kubeconfig.ca.crt"));
    assert_eq!(mode(&files.token_file), 0o600);
    assert_eq!(
        std::fs::read_to_string(&files.token_file).unwrap(),
        sim.admin_token()
    );
    assert_eq!(
        std::fs::read_to_string(&files.ca_file).unwrap(),
        sim.ca_pem()
    );
    assert_eq!(
        files.command(),
        format!(
            "ac login {} --name sim --certificate-authority='{}' < '{}'",
            sim.platform_url(),
            files.ca_file.display(),
            files.token_file.display()
        )
    );
    let client = logged_in(&files).await;
    assert_eq!(
        cluster_names(&client).await,
        ["global", "workload-a", "workload-b", "workload-c"]
    );

    // The standby: its own files, its own token, only its global.
    let standby = sim.standby().unwrap();
    let standby_files = standby.write_login_files(&kubeconfig).unwrap();
    assert_eq!(standby_files.session, "sim-dr");
    assert_eq!(standby_files.url, standby.platform_url());
    assert_eq!(
        standby_files.token_file,
        dir.path().join("my sim.kubeconfig.sim-dr.token")
    );
    assert_eq!(mode(&standby_files.token_file), 0o600);
    assert_eq!(
        std::fs::read_to_string(&standby_files.token_file).unwrap(),
        standby.admin_token()
    );
    assert!(standby_files.command().contains("--name sim-dr"));
    assert_eq!(
        cluster_names(&logged_in(&standby_files).await).await,
        ["global"]
    );

    // A second write replaces the files and keeps them private.
    std::fs::set_permissions(&files.token_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    sim.write_login_files(&kubeconfig).unwrap();
    assert_eq!(mode(&files.token_file), 0o600);
    sim.shutdown().await;
}
