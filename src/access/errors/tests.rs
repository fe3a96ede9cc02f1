use super::*;
use kube::core::response::StatusDetails;

fn op() -> Op {
    Op {
        verb: "get",
        resource: "clusterversionshadows.config.alauda.io".into(),
        name: Some("workload-z".into()),
        namespace: Some("cpaas-system".into()),
        endpoint: "https://acp.example.com/kubernetes/global/".into(),
        user: "admin@example.com".into(),
        relogin: "log in again with ac login https://acp.example.com --name prod".into(),
        proxy: None,
        ca_configured: false,
        credential: Credential::Token,
    }
}

fn status(code: u16, reason: &str, message: &str, details_name: Option<&str>) -> Status {
    let mut s = Status::failure(message, reason).with_code(code);
    if let Some(n) = details_name {
        s = s.with_details(StatusDetails {
            name: n.into(),
            group: String::new(),
            kind: String::new(),
            uid: String::new(),
            causes: Vec::new(),
            retry_after_seconds: 0,
        });
    }
    s
}

#[test]
fn statuses_are_judged_by_code_reason_and_details() {
    let e = from_status(&status(401, "Unauthorized", "Unauthorized", None), &op());
    assert!(
        e.message.contains("401")
            && e.hints[0].contains("ac login https://acp.example.com --name prod")
    );
    let e = from_status(
        &status(404, "NotFound", "whatever the wording", Some("workload-z")),
        &op(),
    );
    assert!(
        e.message
            .contains("no ClusterVersionShadow for cluster \"workload-z\""),
        "{}",
        e.message
    );
    // The resource type is not served: NotFound without the object's name.
    let e = from_status(&status(404, "NotFound", "any text", None), &op());
    assert!(e.message.contains("does not serve"), "{}", e.message);
    // A proxy's page: not a Kubernetes Status.
    let e = from_status(
        &status(404, "not a reason", "<html>no route</html>", None),
        &op(),
    );
    assert!(e.message.contains("does not serve") && e.message.contains("<html>"));
    let e = from_status(
        &status(
            502,
            "whatever",
            "<html>\n<body>Bad gateway</body></html>",
            None,
        ),
        &op(),
    );
    assert!(
        e.message
            .contains("non-JSON body: <html> <body>Bad gateway"),
        "{}",
        e.message
    );
    let long = "x".repeat(1000);
    let e = from_status(&status(422, "Invalid", &long, None), &op());
    assert!(e.message.chars().count() < 500);
    assert_eq!(
        from_status(&status(409, "Conflict", "", None), &op()).hints[0],
        "someone or the controller updated it concurrently: re-run the command"
    );
    let e = from_status(&status(409, "AlreadyExists", "", None), &op());
    assert!(e.message.contains("already exists"));
}

#[test]
fn already_exists_is_read_from_the_status_reason() {
    let err = kube::Error::Api(status(409, "AlreadyExists", "any wording", None).boxed());
    assert!(is_already_exists(&map(err, &op(), Duration::from_secs(1))));
    let err = kube::Error::Api(status(409, "Conflict", "already exists", None).boxed());
    assert!(!is_already_exists(&map(err, &op(), Duration::from_secs(1))));
}

#[test]
fn presented_names_read_as_written() {
    assert_eq!(
        presented_name("DnsName(\"acp.example.com\")"),
        "acp.example.com"
    );
    assert_eq!(presented_name("IpAddress(10.0.0.1)"), "10.0.0.1");
    assert_eq!(presented_name("DirectoryName"), "DirectoryName");
}

#[test]
fn userinfo_is_redacted() {
    assert_eq!(
        redact_userinfo("proxy http://bob:s3cret@proxy:3128/x failed; see https://a.b/c"),
        "proxy http://<redacted>@proxy:3128/x failed; see https://a.b/c"
    );
    assert_eq!(redact_userinfo("socks5://u@h"), "socks5://<redacted>@h");
    assert_eq!(redact_userinfo("no url"), "no url");
    assert_eq!(redact_userinfo("a://"), "a://");
}

#[test]
fn credential_plugin_output_never_shows() {
    use std::os::unix::process::ExitStatusExt;
    let out = std::process::Output {
        status: std::process::ExitStatus::from_raw(256),
        stdout: b"token: s3cr3t-token".to_vec(),
        stderr: b"cannot refresh s3cr3t-token".to_vec(),
    };
    let err = kube::Error::Auth(kube::client::AuthError::AuthExecRun {
        cmd: "Command { env: SECRET=s3cr3t-token }".into(),
        out: Box::new(out),
    });
    let e = map(err, &op(), Duration::from_secs(1));
    let all = format!("{} {:?}", e.message, e.hints);
    assert!(!all.contains("s3cr3t"), "{all}");
    assert!(all.contains("exec credential plugin failed"), "{all}");
}

#[test]
fn transport_causes_by_type() {
    let io = |kind| kube::Error::Service(Box::new(std::io::Error::new(kind, "some words")));
    let e = map(
        io(std::io::ErrorKind::ConnectionRefused),
        &op(),
        Duration::from_secs(1),
    );
    assert!(e.message.contains("connection refused") && e.retryable);
    let e = map(
        io(std::io::ErrorKind::ConnectionReset),
        &op(),
        Duration::from_secs(1),
    );
    assert!(e.message.contains("closed the connection"));
    let e = map(
        io(std::io::ErrorKind::TimedOut),
        &op(),
        Duration::from_secs(1),
    );
    assert_eq!(e.exit_code(), 4);
    let tls = std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
    );
    let e = map(
        kube::Error::Service(Box::new(tls)),
        &op(),
        Duration::from_secs(1),
    );
    assert!(
        e.message.contains("not signed by a trusted CA"),
        "{}",
        e.message
    );
    assert!(e.source.is_some());
}

#[test]
fn a_401_says_what_kind_of_credential_was_rejected() {
    let unauthorized = status(401, "Unauthorized", "Unauthorized", None);
    for (credential, said) in [
        (Credential::Token, "the token may have expired"),
        (
            Credential::ExecPlugin,
            "the token the exec credential plugin gave",
        ),
        (Credential::AuthProvider, "the auth provider's token"),
        (Credential::Basic, "the username or password"),
        (
            Credential::ClientCertificate,
            "the client certificate may have expired",
        ),
        (Credential::None, "gives this user no credentials"),
    ] {
        let e = from_status(&unauthorized, &Op { credential, ..op() });
        let hint = e.hints.join("\n");
        assert!(hint.contains(said), "{credential:?}: {hint}");
        assert!(
            hint.contains("ac login https://acp.example.com --name prod"),
            "{hint}"
        );
    }
}

#[test]
fn unusable_answers_name_what_and_never_a_password() {
    assert_eq!(bytes(512 << 20), "512 MiB");
    assert_eq!(bytes(64 << 10), "64 KiB");
    assert_eq!(bytes(1000), "1000 bytes");
    let e = check_object(&serde_json::json!([]), &op()).unwrap_err();
    assert!(
        e.message
            .ends_with("with an array instead of a JSON object"),
        "{}",
        e.message
    );
    assert!(
        e.hints[0].contains("nothing was written after it"),
        "{:?}",
        e.hints
    );
    let status = serde_json::json!({"kind": "Status", "code": 404, "reason": "NotFound", "message": "gone\u{1b}[2J"});
    let patch = Op {
        verb: "patch",
        ..op()
    };
    let e = check_object(&status, &patch).unwrap_err();
    assert!(
        e.message
            .contains("a Status (404 NotFound: gone [2J) under a success code"),
        "{}",
        e.message
    );
    assert!(
        e.hints[0].contains("may or may not have been applied"),
        "{:?}",
        e.hints
    );
    assert!(check_object(&serde_json::json!({"kind": "ClusterVersionShadow"}), &op()).is_ok());
    let redirect = kube::Error::Service(Box::new(Unusable::Redirect {
        status: 302,
        location: Some("https://u:hunter2@login.example.com/x".into()),
    }));
    let e = map(redirect, &op(), Duration::from_secs(30));
    assert!(
        e.message
            .contains("redirect (302) to https://<redacted>@login.example.com/x"),
        "{}",
        e.message
    );
    assert!(!e.retryable);
    let large = kube::Error::Service(Box::new(Unusable::TooLarge {
        limit: 512 << 20,
        announced: None,
    }));
    let e = map(large, &op(), Duration::from_secs(30));
    assert!(
        e.message.contains("larger than 512 MiB") && e.message.contains("cut off after 512 MiB"),
        "{}",
        e.message
    );
}
