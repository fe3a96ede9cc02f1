use super::*;
use serde_json::json;

/// The fast reader agrees with serde-saphyr (as JSON) or declines.
fn agrees(text: &str) -> bool {
    let full: Result<Value, _> = serde_saphyr::from_str(text);
    match parse(text) {
        Ok(fast) => {
            assert_eq!(Some(&fast), full.as_ref().ok(), "differs on:\n{text}");
            true
        }
        Err(Decline) => false,
    }
}

#[test]
fn what_kubeconfig_writers_produce_is_read_like_serde_saphyr() {
    for text in [
        "a: 1\nb: x\n",
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: >-\n      TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVSm5SRU5EUVZOaFowRjNTVUpCWjBsVlVEMD0=\n    extensions:\n    - extension:\n        clusterName: global\n        isGlobal: true\n        platformUrl: https://127.0.0.1:39503\n        sessionName: sim\n      name: acp.io/v1\n    server: https://127.0.0.1:39503/kubernetes/global/\n  name: acp:sim:global\ncurrent-context: sim/global\nkind: Config\npreferences: {}\n",
        "contexts:\n- context:\n    cluster: c\n    user: u\n    namespace: ns\n  name: a/b\n- name: x\n  context: {}\n",
        "users:\n  - name: u\n    user:\n      token: \"abc\\tdef\"\n      exec:\n        args:\n        - --region\n        - 'it''s'\n        command: /bin/echo\n        env: []\n",
        "k:\n  - a\n  - b\n  -\n    c: d\n",
        "list:\n- - a\n  - b\n- c\n",
        "block: |\n  line 1\n    indented\n\n  line 3\n\nafter: x\n",
        "block: |-\n  one\n  two\n",
        "folded: >\n  a\n  b\n\n  c\n",
        "empty: |\nnext: 1\n",
        "# a comment\nkey: value\n\n   # indented comment\nother: 'quoted'\n",
        "token: 70aee08a327f42138b89b0676eb7368158ceb0a74ffdca8f\nv: 4.3.0\nip: 10.0.0.1\nd: 2024-01-01\n",
        "args:\n- --region\n- -v\n- +x\n",
        "crlf: x\r\nb: z\r\n",
        "unicode: 集群\nname: \"caf\\u00e9 \\x41\"\n",
        "nul: null\ntilde: ~\nempty:\nz: 0\nbig: 18446744073709551615\n",
        "url: https://10.0.0.1:6443/kubernetes/global/\nkey:value: 3\n",
        "nested:\n    deep:\n        deeper: x\n    back: z\n",
    ] {
        assert!(agrees(text), "declined:\n{text}");
    }
}

#[test]
fn anything_outside_the_subset_declines() {
    for text in [
        "",
        "# only a comment\n",
        "[a, b]\n",
        "{\"apiVersion\": \"v1\"}\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "a: 1 # comment\n",
        "name: - a\n",
        "name: -\n",
        "a: 'quoted # maybe a comment'\n",
        "a: 1_000\n",
        "a: 0x1F\n",
        "a: +5\n",
        "a: 12:30\n",
        "a: .hidden\n",
        "a: -\n",
        "a: y\n",
        "a: yes\n",
        "a: On\n",
        "a: 0755\n",
        "a: 1.5\n",
        "a: -1\n",
        "a: .inf\n",
        "a: 1e3\n",
        "a: 99999999999999999999\n",
        "a: [x]\n",
        "a: {b: c}\n",
        "a: multi\n  line\n",
        "a: \"open\n  quote\"\n",
        "a: 1\na: 2\n",
        "\"quoted\": key\n",
        "? complex\n: key\n",
        "<<: {a: 1}\n",
        "true: x\n",
        "1: x\n",
        "a:\n\t- b\n",
        "a: b: c\n",
        "a: |+\n  keep\n\n",
        "a: |2\n   explicit\n",
        "a: >\n  folded\n    more indented\n",
        "a:\n  b: 1\n c: 2\n",
        "a: 1\n  b: 2\n",
        "- a\n- b\n",
        "plain scalar\n",
        "a: \"\\q\"\n",
        "a: \"x\" y\n",
        "a: \u{1}\n",
        "\u{feff}a: 1\n",
        "a: x\rb: y\n",
    ] {
        assert!(!agrees(text), "accepted:\n{text:?}");
    }
}

/// Kubeconfig files of every shape the project meets: what `ac-sim` writes (saphyr's
/// serializer: `>-` for long strings), what kubectl writes (plain one-line base64,
/// items at their key's indentation), hand-written ones (comments, indented items,
/// quotes), and the entries kube knows little about (exec, auth-provider, unknown keys).
const KUBECONFIGS: [&str; 4] = [
    "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: >-
      TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVSm5SRU5EUVZOaFowRjNTVUpC
    extensions:
    - extension:
        clusterName: global
        isGlobal: true
        platformUrl: https://127.0.0.1:39503
        sessionName: sim
      name: acp.io/v1
    server: https://127.0.0.1:39503/kubernetes/global/
  name: acp:sim:global
- cluster:
    certificate-authority-data: >-
      TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVSm5SRU5EUVZOaFowRjNTVUpC
    extensions:
    - extension:
        clusterName: workload-0001
        isGlobal: false
        platformUrl: https://127.0.0.1:39503
        sessionName: sim
      name: acp.io/v1
    server: https://127.0.0.1:39503/kubernetes/workload-0001/
  name: acp:sim:workload-0001
contexts:
- context:
    cluster: acp:sim:global
    user: acp:sim:admin
  name: sim/global
- context:
    cluster: acp:sim:workload-0001
    user: acp:sim:viewer
  name: sim-viewer/workload-0001
current-context: sim/global
kind: Config
preferences: {}
users:
- name: acp:sim:admin
  user:
    extensions:
    - extension:
        platformUrl: https://127.0.0.1:39503
        sessionName: sim
        username: admin@sim.local
      name: acp.io/v1
    token: 70aee08a327f42138b89b0676eb7368158ceb0a74ffdca8f
",
    "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekND
    server: https://10.0.0.1:6443
    proxy-url: socks5://proxy:1080
    tls-server-name: api.internal
    disable-compression: true
  name: kind-kind
- cluster:
    insecure-skip-tls-verify: true
    server: https://example.com:6443
    x-vendor-setting: 7
  name: insecure
contexts:
- context:
    cluster: kind-kind
    namespace: kube-system
    user: kind-kind
    extensions:
    - name: context-ext
      extension:
        last-update: Mon, 01 Jan 2024
  name: kind-kind
current-context: kind-kind
kind: Config
users:
- name: kind-kind
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      env:
      - name: AWS_PROFILE
        value: prod
      interactiveMode: IfAvailable
      provideClusterInfo: false
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-id: kubernetes
        idp-issuer-url: https://issuer.example.com
",
    "# hand-written
apiVersion: v1
kind: Config
current-context: 'prod/global'
clusters:
  - name: \"prod global\"
    cluster:
      server: \"https://acp.example.com/kubernetes/global/\"
      certificate-authority: ca/prod.crt

      extensions:
        - name: acp.io/v1
          extension: {}
contexts:
  - name: prod/global
    context:
      cluster: prod global   # not a comment-free line: declines
      user: me
users:
  - name: me
    user:
      tokenFile: tokens/me
",
    "apiVersion: v1
kind: Config
clusters: null
contexts: []
users:
current-context: ''
",
];

/// The typed reader gives what serde-saphyr and kube's derives give, or declines.
fn same_kubeconfig(text: &str) -> bool {
    let full: Kubeconfig = serde_saphyr::from_str(text).expect(text);
    match kubeconfig(text) {
        Ok(fast) => {
            assert_eq!(
                serde_json::to_value(&fast).unwrap(),
                serde_json::to_value(&full).unwrap(),
                "differs on:\n{text}"
            );
            true
        }
        Err(Decline) => false,
    }
}

#[test]
fn kubeconfig_entries_are_read_like_kube_reads_them() {
    assert!(same_kubeconfig(KUBECONFIGS[0]));
    assert!(same_kubeconfig(KUBECONFIGS[1]));
    assert!(
        !same_kubeconfig(KUBECONFIGS[2]),
        "the comment after a value"
    );
    assert!(same_kubeconfig(
        &KUBECONFIGS[2].replace("   # not a comment-free line: declines", "")
    ));
    assert!(same_kubeconfig(KUBECONFIGS[3]));
    // Values of the wrong type, missing required fields: the full reader decides.
    for text in [
        "clusters:\n- cluster: {server: x}\n",
        "clusters:\n- cluster:\n    server: x\n",
        "contexts:\n- name: a\n  context:\n    user: u\n",
        "clusters:\n- name: a\n  cluster:\n    insecure-skip-tls-verify: 1\n",
        "clusters: {}\n",
        "users:\n- name: u\n  user:\n    token: 12345\n",
    ] {
        assert!(kubeconfig(text).is_err(), "accepted: {text}");
    }
}

#[test]
fn values_keep_their_yaml_types() {
    let v = parse("a: \"true\"\nb: true\nc: '12'\nd: 12\ne: ''\nf:\n").unwrap();
    assert_eq!(
        v,
        json!({"a": "true", "b": true, "c": "12", "d": 12, "e": "", "f": null})
    );
}

/// Random documents from the pieces kubeconfig writers use and the ones they don't (odd
/// indentation, comments, quotes, block scalars, anchors, tabs, ambiguous plain scalars): the
/// fast reader gives serde-saphyr's value or declines, never a different value and never a
/// value where serde-saphyr reports an error.
mod differential {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    use super::agrees;

    /// Values whose type or validity YAML decides in ways a line reader may get wrong.
    #[rustfmt::skip]
    const ODD_SCALARS: &[&str] = &[
        "true", "yes", "no", "null", "~", "0755", "1.5", "-1", "+1", "0x1F", "1e3", "12:30",
        ".inf", "2024-01-01", "a # b", "a #b", "'it''s'", "\"a\\tb\"", "\"caf\\u00e9\"", "'x",
        "\"x", "{}", "[]", "{a: b}", "[a]", "&x a", "*x", "!!str 1", "|", "|-", ">-", ">", "- a",
        "a: b", "集群", "\t", "%x", "@x", "`x", "a\tb", "'a: b'", "https://h:1/p", "--flag",
    ];

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z][a-z0-9./:-]{0,12}",
            "[0-9]{1,4}",
            prop::sample::select(ODD_SCALARS).prop_map(str::to_string),
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        let indent = prop::sample::select(vec![0usize, 0, 1, 2, 2, 4, 4, 6, 8]);
        let key = prop::sample::select(vec![
            "a", "b", "name", "cluster", "server", "key:x", "\"q\"", "'s'", "- a", "-", "? a", "#",
            "",
        ]);
        let body = prop_oneof![
            (key.clone(), scalar()).prop_map(|(key, value)| format!("{key}: {value}")),
            key.clone().prop_map(|key| format!("{key}:")),
            scalar().prop_map(|value| format!("- {value}")),
            (key, scalar()).prop_map(|(key, value)| format!("- {key}: {value}")),
            scalar(),
            Just("# comment".to_string()),
            Just("---".to_string()),
        ];
        (indent, body).prop_map(|(indent, body)| format!("{}{body}", " ".repeat(indent)))
    }

    proptest! {
        #![proptest_config(Config {
            cases: 3000,
            rng_seed: RngSeed::Fixed(0x6b75_6265),
            failure_persistence: None,
            ..Config::default()
        })]
        #[test]
        fn agrees_with_serde_saphyr_or_declines(
            lines in prop::collection::vec(line(), 1..12),
            crlf in any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text = lines.join(end) + end;
            agrees(&text);
        }

        /// Well-formed documents as a YAML writer produces them (serde-saphyr's serializer):
        /// mostly accepted, so the value-building path is compared too.
        #[test]
        fn written_documents_are_read_like_serde_saphyr(tree in document()) {
            let text = serde_saphyr::to_string(&tree).unwrap();
            agrees(&text);
        }
    }

    fn document() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            scalar().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(Value::Null),
            "[ -~]{0,40}".prop_map(Value::from),
            "[a-z]{1,8}(\n[a-z ]{0,8}){1,3}\n?".prop_map(Value::from),
        ];
        let tree = leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                prop::collection::btree_map("[a-z][a-z-]{0,8}", inner, 0..5)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        });
        prop::collection::btree_map("[a-z][a-z-]{0,8}", tree, 1..6)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
    }
}
