//! `ac login URL --name SESSION [--token=T | token on stdin] [--certificate-authority=FILE |
//! --insecure-skip-tls-verify]`: one LIST of the platform's Cluster resources on its global
//! cluster (`URL/kubernetes/global/`) checks the token and names the clusters; then the
//! session's entries are written as SPEC §3 shows them (`access::session_edits::login`),
//! updated in place when the session is there already.
//!
//! The token comes from `--token`, else from standard input (read whole, at most 64 KiB,
//! surrounding whitespace dropped). On a terminal `ac` does not prompt (an echo-free prompt
//! would have to manage the terminal's state through Ctrl-C): it refuses, with the shell line
//! that reads a token without echo. The token never appears in any output, at any `-v`.

use std::io::{IsTerminal, Read};
use std::path::Path;

use base64::Engine;
use kube::config::Kubeconfig;
use serde_json::{Value, json};

use super::Ctx;
use crate::access::client::{Conn, Resolved};
use crate::access::kubeconfig::{DEFAULT_GLOBAL_CLUSTER, Loaded, Session, Source};
use crate::access::kubeconfig_file::{Kubeconfigs, Missing};
use crate::access::object::platform_cluster_resource;
use crate::access::session_edits::{self, Login, Tls};
use crate::cli::LoginArgs;
use crate::domain::report::profiles::{SESSION_EDIT_SCHEMA, SessionEditReport};
use crate::error::{AcError, Result};
use crate::output::text::one_line;

/// The most a token on stdin may be.
const MAX_TOKEN: usize = 64 * 1024;
/// The most a CA file may be.
const MAX_CA_FILE: u64 = 1024 * 1024;

pub async fn run(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let url = platform_url(&args.url)?;
    let session = session_name(&args.name)?;
    let insecure = ctx.access.insecure_skip_tls_verify;
    let tls = match (&args.certificate_authority, insecure) {
        (Some(_), true) => {
            return Err(AcError::usage(
                "--certificate-authority and --insecure-skip-tls-verify cannot be combined",
            )
            .hint("give the platform's CA to verify its certificate, or skip verification (insecure), not both"));
        }
        (Some(file), false) => Tls::CaData(read_ca(file)?),
        (None, true) => Tls::Insecure,
        (None, false) => Tls::Unchanged,
    };
    let token = match args.token {
        Some(t) => check_token(&t, "--token")?,
        None => token_from_stdin(&url, &session)?,
    };
    let global = DEFAULT_GLOBAL_CLUSTER;
    let conn = connect(ctx, &url, &session, &token, &tls, global).await?;
    let listed = conn
        .list::<Value>(&platform_cluster_resource(), None)
        .await
        .map_err(|e| rejected(e, &url, &session));
    let mut warnings = Vec::new();
    let items = match listed {
        Ok(items) => items,
        // Authenticated, but not allowed to list clusters: the global cluster only.
        Err(e) if e.status == Some(403) => {
            warnings.push(format!(
                "{}; only the global cluster is in the session: ask for the \"list\" permission on clusters.platform.tkestack.io, then run ac config sync",
                e.message
            ));
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let (clusters, skipped) = session_edits::platform_clusters(&items, global);
    let source = Source::from_env(ctx.access.kubeconfig.as_deref());
    let mut files = Kubeconfigs::open(&source, Missing::Create)?;
    let plan = session_edits::login(
        &files,
        &Login {
            session: &session,
            platform_url: &url,
            token: &token,
            tls,
            clusters: &clusters,
            global,
        },
    )?;
    files.apply(&plan.changes)?;
    let written = files.commit()?;
    warnings.extend(plan.warnings);
    let report = SessionEditReport {
        schema: SESSION_EDIT_SCHEMA,
        action: "login",
        sessions: plan.sessions,
        current_context: plan.current_context,
        cleared_current_context: None,
        skipped_names: skipped,
        kubeconfig: written.iter().map(|p| p.display().to_string()).collect(),
        warnings,
    };
    super::config::print_edit(ctx, &report)
}

/// The platform's address: `https://host[:port][/prefix]`, no trailing `/`, no user-info,
/// query or fragment, and not a cluster's own `/kubernetes/<cluster>/` address.
pub fn platform_url(input: &str) -> Result<String> {
    let hint = "give the platform's address, e.g. https://acp.example.com";
    let trimmed = input.trim();
    // Never echo a URL that carries a password: user-info is refused before any message quotes
    // the input, with or without a scheme (`admin:pw@host`, `https:/admin:pw@host`).
    let userinfo = match trimmed.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next(),
        // Not a URL: any `@` before a query may be a password.
        None => trimmed.split(['?', '#']).next(),
    }
    .is_some_and(|part| part.contains('@'));
    if userinfo {
        return Err(AcError::usage(
            "the platform URL must not carry a user name or password",
        )
        .hint("pass the token on standard input or with --token; the URL is only where the platform is"));
    }
    let (scheme, rest) = trimmed.split_once("://").ok_or_else(|| {
        AcError::usage(format!(
            "{:?} is not a URL (no https://)",
            one_line(trimmed)
        ))
        .hint(hint)
    })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(AcError::usage(format!(
            "{:?} is not an https:// URL: the token would cross the network unencrypted",
            one_line(trimmed)
        ))
        .hint(hint));
    }
    let uri: http::Uri = trimmed.parse().map_err(|e: http::uri::InvalidUri| {
        AcError::usage(format!("{:?} is not a URL: {e}", one_line(trimmed))).hint(hint)
    })?;
    if uri.query().is_some() || rest.contains('#') || authority.is_empty() {
        return Err(AcError::usage(format!(
            "{:?} is not a platform address (a host, maybe a port and a path; no query or fragment)",
            one_line(trimmed)
        ))
        .hint(hint));
    }
    let path = uri.path().trim_end_matches('/');
    if path.split('/').any(|segment| segment == "kubernetes") {
        return Err(AcError::usage(format!(
            "{:?} is a cluster's address, not the platform's",
            one_line(trimmed)
        ))
        .hint("give the address without /kubernetes/<cluster>/: ac login derives every cluster's address from it"));
    }
    Ok(format!("https://{authority}{path}"))
}

/// Session names prefix entry and context names (`acp:<name>:<cluster>`, `<name>/<cluster>`):
/// letters, digits, `.`, `_`, `-`, at most 63, starting and ending with a letter or digit.
pub fn session_name(name: &str) -> Result<String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name.as_bytes()[name.len() - 1].is_ascii_alphanumeric();
    if ok {
        Ok(name.to_string())
    } else {
        Err(AcError::usage(format!(
            "--name {:?} is not a session name",
            one_line(name)
        ))
        .hint("use letters, digits, '.', '_' and '-' (at most 63, starting and ending with a letter or digit), e.g. --name prod"))
    }
}

/// A bearer token as given: whitespace around it dropped; visible ASCII only. The message
/// never shows it.
fn check_token(raw: &str, from: &str) -> Result<String> {
    let token = raw.trim();
    if token.is_empty() {
        return Err(AcError::usage(format!("the token ({from}) is empty"))
            .hint("get a token from the platform's web console (your profile's API tokens)"));
    }
    if token.len() > MAX_TOKEN || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AcError::usage(format!(
            "the token ({from}) is not a bearer token: {} characters, or characters a token cannot have (spaces, control or non-ASCII characters)",
            if token.len() > MAX_TOKEN { "more than 65536" } else { "a line of" }
        ))
        .hint("pass only the token, e.g. from a file: ac login URL --name NAME < token.txt"));
    }
    Ok(token.to_string())
}

fn token_from_stdin(url: &str, session: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(AcError::usage(
            "no token: --token is not given and standard input is a terminal (login does not prompt for it)",
        )
        .hint(format!(
            "type it without echo, then pass it on standard input: read -rs TOKEN && printf '%s' \"$TOKEN\" | ac login {url} --name {session}"
        )));
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_TOKEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            AcError::config(format!(
                "cannot read the token from standard input: {}",
                one_line(&e.to_string())
            ))
        })?;
    if bytes.len() > MAX_TOKEN {
        return Err(AcError::usage(
            "the token on standard input is longer than 64 KiB: not a bearer token",
        )
        .hint("pass only the token, e.g. from a file: ac login URL --name NAME < token.txt"));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        AcError::usage("the token on standard input is not text")
            .hint("pass only the token, e.g. from a file: ac login URL --name NAME < token.txt")
    })?;
    if text.trim().is_empty() {
        return Err(AcError::usage("no token on standard input (it was empty)").hint(format!(
            "pipe the token in, e.g.: ac login {url} --name {session} < token.txt, or pass --token"
        )));
    }
    check_token(&text, "standard input")
}

/// The CA file, checked (PEM certificates only), as `certificate-authority-data`.
fn read_ca(path: &Path) -> Result<String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let fail = |why: String| {
        AcError::config(format!(
            "--certificate-authority {}: {why}",
            path.display()
        ))
        .hint("give the PEM file of the CA that signed the platform's certificate (-----BEGIN CERTIFICATE-----)")
    };
    let file = std::fs::File::open(path).map_err(|e| fail(one_line(&e.to_string())))?;
    let mut bytes = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(one_line(&e.to_string())))?;
    if bytes.len() as u64 > MAX_CA_FILE {
        return Err(fail("larger than 1 MiB: not a CA file".into()));
    }
    let certs: std::result::Result<Vec<CertificateDer>, _> =
        CertificateDer::pem_slice_iter(&bytes).collect();
    match certs {
        Ok(certs) if !certs.is_empty() => {
            Ok(base64::engine::general_purpose::STANDARD.encode(&bytes))
        }
        Ok(_) => Err(fail("no PEM certificate in it".into())),
        Err(e) => Err(fail(format!("not a PEM certificate file ({e})"))),
    }
}

/// A connection to the platform's global cluster from what was given: an in-memory
/// kubeconfig of the session's global entry, through the same client stack as every command
/// (TLS as kubectl, the deadline, `-v` traces with the token redacted).
async fn connect(
    ctx: &Ctx,
    url: &str,
    session: &str,
    token: &str,
    tls: &Tls,
    global: &str,
) -> Result<Conn> {
    let mut cluster = json!({
        "server": format!("{url}/kubernetes/{global}/"),
        "extensions": [{"name": "acp.io/v1", "extension": {
            "isGlobal": true, "platformUrl": url, "sessionName": session, "clusterName": global,
        }}],
    });
    match tls {
        Tls::CaData(data) => cluster["certificate-authority-data"] = json!(data),
        Tls::Insecure => cluster["insecure-skip-tls-verify"] = json!(true),
        // A login again: how the session's global entry reaches the platform now.
        Tls::Unchanged => {
            if let Some(existing) = existing_tls(ctx, session, url) {
                for (key, value) in existing {
                    cluster[key] = value;
                }
            }
        }
    }
    let context = format!("{session}/{global}");
    let user = format!("acp:{session}:user");
    let kc: Kubeconfig = serde_json::from_value(json!({
        "clusters": [{"name": format!("acp:{session}:{global}"), "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [{"name": context, "context": {"cluster": format!("acp:{session}:{global}"), "user": user}}],
        "current-context": context,
    }))
    .map_err(|e| AcError::config(format!("cannot set up the login: {}", one_line(&e.to_string()))))?;
    let view = Session::resolve(&kc, None, None)?;
    let resolved = Resolved {
        loaded: Loaded {
            config: kc,
            sources: Vec::new(),
        },
        session: view,
    };
    let options = crate::access::Options {
        context: None,
        user: None,
        ..ctx.access.clone()
    };
    Conn::open(resolved, &options, ctx.diagnostics()).await
}

/// The TLS settings (CA, verification, server name, proxy) of the session's global cluster
/// entry on this platform, when the kubeconfig has one: a login again without
/// `--certificate-authority` trusts what the session trusted.
fn existing_tls(ctx: &Ctx, session: &str, url: &str) -> Option<Vec<(&'static str, Value)>> {
    use crate::access::kubeconfig::{ClusterExt, acp_ext, load, same_url};
    let loaded = load(&Source::from_env(ctx.access.kubeconfig.as_deref())).ok()?;
    let cluster = loaded.config.clusters.iter().find_map(|named| {
        let c = named.cluster.as_ref()?;
        let ext: ClusterExt = acp_ext(&c.extensions)?;
        (ext.is_global
            && ext.session_name.as_deref() == Some(session)
            && ext
                .platform_url
                .as_deref()
                .is_some_and(|p| same_url(p, url)))
        .then_some(c)
    })?;
    let fields = [
        (
            "certificate-authority-data",
            cluster.certificate_authority_data.clone(),
        ),
        (
            "certificate-authority",
            cluster.certificate_authority.clone(),
        ),
        ("tls-server-name", cluster.tls_server_name.clone()),
        ("proxy-url", cluster.proxy_url.clone()),
    ];
    let mut out: Vec<(&'static str, Value)> = fields
        .into_iter()
        .filter_map(|(key, value)| Some((key, json!(value?))))
        .collect();
    if cluster.insecure_skip_tls_verify == Some(true) {
        out.push(("insecure-skip-tls-verify", json!(true)));
    }
    Some(out)
}

/// A 401 at login: the token given was rejected (not "log in again").
fn rejected(e: AcError, url: &str, session: &str) -> AcError {
    if e.status != Some(401) {
        return e;
    }
    AcError::api(format!(
        "{url}/kubernetes/{DEFAULT_GLOBAL_CLUSTER}/ rejected the token (401 Unauthorized); nothing was written"
    ))
    .hint("the token may be mistyped, expired or revoked, or belong to another platform")
    .hint(format!(
        "get a new one from the platform's web console, then: ac login {url} --name {session} < token.txt"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_urls_are_checked_and_normalized() {
        assert_eq!(
            platform_url("https://acp.example.com/").unwrap(),
            "https://acp.example.com"
        );
        assert_eq!(
            platform_url(" HTTPS://10.0.0.1:8443/acp// ").unwrap(),
            "https://10.0.0.1:8443/acp"
        );
        for bad in [
            "acp.example.com",
            "http://acp.example.com",
            "https://",
            "https://acp.example.com/?x=1",
            "https://acp.example.com/#x",
            "https://acp.example.com/kubernetes/global/",
            "https://a b",
        ] {
            assert!(platform_url(bad).is_err(), "{bad}");
        }
        let e = platform_url("https://admin:s3cret@acp.example.com").unwrap_err();
        assert!(!e.message.contains("s3cret"), "{}", e.message);
        assert!(!e.hints.iter().any(|h| h.contains("s3cret")));
        for url in [
            "admin:s3cret@acp.example.com",
            "https:/admin:s3cret@acp.example.com",
        ] {
            let e = platform_url(url).unwrap_err();
            assert!(!e.message.contains("s3cret"), "{}", e.message);
            assert_eq!(e.exit_code(), 2);
        }
        let e = platform_url("http://admin:s3cret@acp.example.com").unwrap_err();
        assert!(!e.message.contains("s3cret"), "{}", e.message);
    }

    #[test]
    fn session_names_fit_entry_and_context_names() {
        for good in ["prod", "prod-dr", "a", "P1.x_y"] {
            assert!(session_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "x-", "a:b", "a/b", "a b", &"x".repeat(64)] {
            assert!(session_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_checked_and_never_shown() {
        assert_eq!(check_token("  abc.DEF-123\n", "x").unwrap(), "abc.DEF-123");
        for bad in ["", "  \n", "two words", "tab\there", "caf\u{e9}"] {
            let e = check_token(bad, "stdin").unwrap_err();
            if !bad.trim().is_empty() {
                assert!(!e.message.contains(bad.trim()), "{}", e.message);
            }
        }
        assert!(check_token(&"a".repeat(MAX_TOKEN + 1), "x").is_err());
    }
}
