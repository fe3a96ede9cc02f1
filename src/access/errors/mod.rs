//! Every `kube::Error` mapped to one `error:` line naming what and where, plus the next step.
//!
//! Errors are classified by their type and the server's structured answer, never by wording:
//! the Kubernetes `Status` (`code`, `reason`, `details`), `rustls::Error`, `std::io::ErrorKind`
//! and `hyper::Error`, found by walking the `source()` chain. The original error is kept inside
//! the [`AcError`] (its `source()`).

use std::error::Error as StdError;
use std::time::Duration;

use kube::core::Status;
use kube::core::response::reason;
use rustls::CertificateError;

use super::credentials::CredentialError;
use super::fetch::{Unusable, value_shape};
use super::retry::{Exhausted, Stop};
use crate::error::{AcError, ErrorKind};
use crate::output::text::one_line;
pub use crate::output::text::{redact_url, redact_userinfo};

/// What a request was about, for messages.
#[derive(Debug, Clone)]
pub struct Op {
    /// kube verb: get, list, watch, patch, create.
    pub verb: &'static str,
    /// Plural resource with group, e.g. `clusterversionshadows.config.alauda.io`.
    pub resource: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The API endpoint (global URL).
    pub endpoint: String,
    /// Who is asking (ACP username, else the kubeconfig user entry).
    pub user: String,
    /// What renews the credentials: the ACP CLI's login for this session, or kubeconfig advice.
    pub relogin: String,
    /// The proxy the connection goes through, if any.
    pub proxy: Option<Proxy>,
    /// The kubeconfig gives a CA for this cluster (else the OS trust store is used).
    pub ca_configured: bool,
    /// How the user authenticates (what a 401 says was rejected).
    pub credential: Credential,
}

/// A proxy as messages show it: its URL without user-info, and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    /// The URL, user-info redacted ([`redact_url`]).
    pub shown: String,
    pub from: ProxySource,
}

/// Where a proxy was set (kube's order: the cluster's `proxy-url`, else `HTTPS_PROXY`, else
/// `https_proxy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxySource {
    Kubeconfig,
    Env(&'static str),
}

impl Proxy {
    pub fn new(url: &str, from: ProxySource) -> Proxy {
        Proxy {
            shown: redact_url(url),
            from,
        }
    }

    pub fn set_in(&self) -> String {
        self.from.set_in()
    }
}

impl ProxySource {
    /// `the proxy-url of this cluster in the kubeconfig`, `HTTPS_PROXY in the environment`.
    pub fn set_in(self) -> String {
        match self {
            ProxySource::Kubeconfig => "the proxy-url of this cluster in the kubeconfig".into(),
            ProxySource::Env(var) => format!("{var} in the environment"),
        }
    }

    /// The hint for a proxy URL that cannot be used.
    pub fn fix(self) -> String {
        let what = match self {
            ProxySource::Kubeconfig => "the cluster's proxy-url in the kubeconfig",
            ProxySource::Env(var) => var,
        };
        format!(
            "set {what} to an http://, https:// or socks5:// URL (e.g. http://proxy.example.com:3128){}",
            if self == ProxySource::Kubeconfig {
                ""
            } else {
                ", or unset it"
            }
        )
    }
}

/// How a kubeconfig user authenticates, as the client uses it (kube's order: a token first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credential {
    Token,
    ExecPlugin,
    AuthProvider,
    Basic,
    ClientCertificate,
    #[default]
    None,
}

impl Credential {
    pub fn of(a: &kube::config::AuthInfo) -> Credential {
        if a.token.is_some() || a.token_file.is_some() {
            Credential::Token
        } else if a.exec.is_some() {
            Credential::ExecPlugin
        } else if a.auth_provider.is_some() {
            Credential::AuthProvider
        } else if a.username.is_some() {
            Credential::Basic
        } else if a.client_certificate.is_some() || a.client_certificate_data.is_some() {
            Credential::ClientCertificate
        } else {
            Credential::None
        }
    }

    /// The `Authorization` header in trace lines (never the credential itself).
    pub fn trace_label(self) -> &'static str {
        match self {
            Credential::Token => "Bearer <redacted>",
            Credential::ExecPlugin => "Bearer <redacted> (exec credential plugin)",
            Credential::AuthProvider => "Bearer <redacted> (auth provider)",
            Credential::Basic => "Basic <redacted>",
            Credential::ClientCertificate => "<none> (client certificate)",
            Credential::None => "<none>",
        }
    }

    /// Why a server may have answered 401 to this kind of credential.
    fn rejected_because(self) -> &'static str {
        match self {
            Credential::Token => "the token may have expired or been revoked",
            Credential::ExecPlugin => {
                "the token the exec credential plugin gave may have expired or been revoked"
            }
            Credential::AuthProvider => "the auth provider's token may have expired",
            Credential::Basic => "the username or password may be wrong or changed",
            Credential::ClientCertificate => {
                "the client certificate may have expired or not be trusted by the server"
            }
            Credential::None => "the kubeconfig gives this user no credentials",
        }
    }
}

impl Op {
    pub fn what(&self) -> String {
        let mut s = self.resource.clone();
        if let Some(n) = &self.name {
            s = format!("{s} {n:?}");
        }
        if let Some(ns) = &self.namespace {
            s = format!("{s} in namespace {ns}");
        }
        s
    }

    /// A request that changes something (ac never sends one twice).
    fn is_write(&self) -> bool {
        matches!(self.verb, "patch" | "create" | "update" | "delete")
    }

    fn is_cvsh(&self) -> bool {
        self.resource.starts_with("clusterversionshadows.")
    }
}

const MAX_SERVER_TEXT: usize = 300;

/// The hint after a write whose answer was a failure or could not be used.
const WRITE_OUTCOME_UNKNOWN: &str = "the write may or may not have been applied, and ac never sends a write twice by itself: look at the object before re-running";

fn server_text(s: &str) -> String {
    let t = one_line(s);
    if t.chars().count() > MAX_SERVER_TEXT {
        let cut: String = t.chars().take(MAX_SERVER_TEXT).collect();
        format!("{cut}…")
    } else {
        t
    }
}

/// The first error of type `T` in the `source()` chain.
fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        cur = next_cause(e);
    }
    None
}

/// The server's answer to a read the retry policy gave up on, as kube would have read it: a
/// JSON `Status`, else the body as the message (an HTML page from a proxy).
fn exhausted_status(e: &Exhausted) -> Status {
    crate::access::fetch::status_from_body(e.answer.status.as_u16(), &e.answer.body)
}

/// A read answered 429/503 every time it was tried: the server's answer, then how it was
/// retried and why ac stopped.
fn from_exhausted(e: &Exhausted, op: &Op, timeout: Duration) -> AcError {
    let status = exhausted_status(e);
    let mapped = from_status(&status, op);
    let tried = match e.attempts {
        1 => "ac did not retry".to_string(),
        n => format!("ac sent this read {n} times"),
    };
    let asked = e
        .answer
        .retry_after
        .map(|d| format!("; the server asked to wait {}", crate::duration::format(d)))
        .unwrap_or_default();
    let why = match e.stop {
        Stop::Attempts => {
            format!("{tried}{asked}; it is still busy: retry later (-v=6 shows each attempt)")
        }
        Stop::Deadline => format!(
            "{tried}{asked}, which does not fit in --request-timeout ({}): retry later or raise --request-timeout",
            crate::duration::format(timeout)
        ),
        Stop::TooLong => format!("{tried}{asked}, longer than ac waits: retry later"),
    };
    let mut hints = vec![why];
    hints.extend(
        mapped
            .hints
            .into_iter()
            .filter(|h| h.starts_with("server said")),
    );
    AcError { hints, ..mapped }
}

/// Map a kube error. `timeout` is the request timeout in force (for the timeout message).
pub fn map(err: kube::Error, op: &Op, timeout: Duration) -> AcError {
    // A plugin's token renewed for this request could not be had.
    let err = match err {
        kube::Error::Service(inner) => match inner.downcast::<CredentialError>() {
            Ok(credential) => {
                return credentials_failed(*credential, &op.user, &op.endpoint, &op.relogin);
            }
            Err(inner) => kube::Error::Service(inner),
        },
        other => other,
    };
    let exhausted = match &err {
        kube::Error::Service(_) => find::<Exhausted>(&err),
        _ => None,
    };
    let unusable = match &err {
        kube::Error::Service(_) => find::<Unusable>(&err),
        _ => None,
    };
    let mut mapped = match (&err, exhausted, unusable) {
        (_, Some(e), _) => from_exhausted(e, op, timeout),
        (_, None, Some(u)) => from_unusable(u, op),
        (err, None, None) => from_kube(err, op, timeout),
    };
    mapped.retryable = match &err {
        _ if exhausted.is_some() => true,
        _ if unusable.is_some() => false,
        kube::Error::Api(s) => s.code >= 500 || s.code == 429,
        kube::Error::Auth(_)
        | kube::Error::SerdeError(_)
        | kube::Error::FromUtf8(_)
        | kube::Error::BuildRequest(_)
        | kube::Error::HttpError(_) => false,
        _ => true,
    };
    if let Some(e) = exhausted {
        mapped.status = Some(e.answer.status.as_u16());
        mapped.retry_after = e
            .answer
            .retry_after
            .map(|d| d.as_secs().min(u64::from(u32::MAX)) as u32);
    }
    if let kube::Error::Api(s) = &err {
        mapped.status = Some(s.code);
        mapped.retry_after = s
            .details
            .as_ref()
            .map(|d| d.retry_after_seconds)
            .filter(|secs| *secs > 0);
    }
    mapped.with_source(err)
}

/// Every other kube error.
fn from_kube(err: &kube::Error, op: &Op, timeout: Duration) -> AcError {
    match err {
        kube::Error::Api(status) => from_status(status, op),
        kube::Error::SerdeError(_)
        | kube::Error::FromUtf8(_)
        | kube::Error::LinesCodecMaxLineLengthExceeded => unexpected_body(op, err),
        kube::Error::Auth(_) => AcError::config(format!(
            "cannot get credentials for user {} to reach {}: {}",
            op.user,
            op.endpoint,
            chain(err)
        ))
        .hint(format!("check the user's token, client certificate or exec plugin in the kubeconfig; if it expired, {}", op.relogin)),
        kube::Error::BuildRequest(_) | kube::Error::HttpError(_) => AcError::usage(format!(
            "cannot build the request to {} {}: {}",
            op.verb,
            op.what(),
            chain(err)
        )),
        _ => transport(err, op, timeout),
    }
}

/// The Kubernetes `Status` behind an error, when the server answered with one.
pub fn api_status(e: &AcError) -> Option<&Status> {
    match e.source.as_deref()?.downcast_ref::<kube::Error>()? {
        kube::Error::Api(s) => Some(s),
        _ => None,
    }
}

/// The server said the object already exists (409 `AlreadyExists`).
pub fn is_already_exists(e: &AcError) -> bool {
    api_status(e).is_some_and(|s| s.reason == reason::ALREADY_EXISTS)
}

/// Whether the error body was a Kubernetes `Status` (an API server answered), rather than a
/// page from a proxy or load balancer in front of it.
fn is_api_status(s: &Status) -> bool {
    reason::is_known(&s.reason) || s.details.is_some()
}

/// 404 for the named object itself (the resource type is served, the object is not there).
fn object_not_found(s: &Status, op: &Op) -> bool {
    s.reason == reason::NOT_FOUND
        && op.name.is_some()
        && s.details
            .as_ref()
            .is_some_and(|d| Some(d.name.as_str()) == op.name.as_deref())
}

/// Whether a 404 means "no such object" (rather than "no such resource type" or a proxy page).
pub fn is_object_not_found(err: &kube::Error, op: &Op) -> bool {
    matches!(err, kube::Error::Api(s) if s.code == 404 && object_not_found(s, op))
}

fn from_status(s: &Status, op: &Op) -> AcError {
    let api = is_api_status(s);
    let msg = server_text(&s.message);
    let code = s.code;
    match code {
        401 => AcError::api(format!(
            "{} rejected the credentials of user {} (401 Unauthorized)",
            op.endpoint, op.user
        ))
        .hint(format!(
            "{}: {}, then re-run",
            op.credential.rejected_because(),
            op.relogin
        )),
        403 => {
            let mut e = AcError::api(format!(
                "forbidden: user {} may not {} {} on {} (403)",
                op.user,
                op.verb,
                op.what(),
                op.endpoint
            ));
            if api && !msg.is_empty() {
                e = e.hint(format!("server said: {msg}"));
            }
            e.hint(format!(
                "ask a platform administrator for the {:?} permission on {}",
                op.verb, op.resource
            ))
        }
        404 if object_not_found(s, op) && op.is_cvsh() => {
            let name = op.name.as_deref().unwrap_or_default();
            AcError::api(format!(
                "no ClusterVersionShadow for cluster {name:?} on {} (cpaas-system/{name} not found)",
                op.endpoint
            ))
            .hint(format!(
                "check the cluster name; list the clusters with: {}",
                crate::domain::cmdline::status_all_clusters()
            ))
        }
        404 if object_not_found(s, op) => {
            AcError::api(format!("{} not found on {} (404)", op.what(), op.endpoint))
        }
        404 => AcError::api(format!(
            "{} does not serve {} (404{})",
            op.endpoint,
            op.resource,
            if api { String::new() } else { format!(": {msg}") }
        ))
        .hint("is this the global cluster of an ACP 4.3+ platform? check the context (--context) and that the upgrade controller is installed"),
        409 if s.reason == reason::ALREADY_EXISTS => {
            AcError::api(format!("{} already exists on {}", op.what(), op.endpoint))
        }
        409 => AcError::api(format!(
            "{} changed since it was read; nothing was written",
            op.what()
        ))
        .hint("someone or the controller updated it concurrently: re-run the command"),
        400 | 422 => AcError::api(format!(
            "{} rejected the request to {} {}: {}",
            op.endpoint,
            op.verb,
            op.what(),
            if msg.is_empty() { format!("{code} {}", s.reason) } else { msg }
        ))
        .hint("nothing was written; fix the request as the server says"),
        429 if op.is_write() => AcError::api(format!(
            "{} is throttling requests (429 Too Many Requests): it turned away the request to {} {}; nothing was written",
            op.endpoint,
            op.verb,
            op.what()
        ))
        .hint("ac never sends a write twice by itself: wait a moment and re-run"),
        429 => AcError::api(format!(
            "{} is throttling requests (429 Too Many Requests)",
            op.endpoint
        ))
        .hint("wait a moment and re-run"),
        c if c >= 500 => {
            let detail = if !api {
                format!(" with a non-JSON body: {msg}")
            } else if msg.is_empty() {
                String::new()
            } else {
                format!(": {msg}")
            };
            let e = AcError::api(format!(
                "{} failed to {} {} ({c}{detail})",
                op.endpoint,
                op.verb,
                op.what(),
            ));
            if op.is_write() {
                e.hint(WRITE_OUTCOME_UNKNOWN)
            } else {
                e
            }
            .hint("the API server or the platform proxy in front of it is unhealthy; retry later, -v=6 shows the requests")
        }
        c => AcError::api(format!(
            "{} answered {c} to {} {}{}",
            op.endpoint,
            op.verb,
            op.what(),
            if msg.is_empty() { String::new() } else { format!(": {msg}") }
        )),
    }
}

/// Bytes as a limit is written: `512 MiB`, `64 KiB`, `100 bytes`.
pub fn bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    match n {
        n if n >= MIB && n % MIB == 0 => format!("{} MiB", n / MIB),
        n if n >= KIB && n % KIB == 0 => format!("{} KiB", n / KIB),
        n => format!("{n} bytes"),
    }
}

/// An answer that was not read ([`Unusable`]): a redirect, or a body over the limit.
fn from_unusable(u: &Unusable, op: &Op) -> AcError {
    let e = match u {
        Unusable::Redirect { status, location } => AcError::api(format!(
            "{} answered {} {} with a redirect ({status}) to {}; ac follows no redirect",
            op.endpoint,
            op.verb,
            op.what(),
            location
                .as_deref()
                .map(|l| server_text(&redact_userinfo(l)))
                .unwrap_or_else(|| "nowhere (no Location header)".into())
        ))
        .hint("a login page or a proxy answers in place of the API server: the server URL in the kubeconfig must reach the API directly; -v=6 shows the requests"),
        Unusable::TooLarge { limit, announced } => AcError::api(format!(
            "the answer of {} to {} {} is larger than {}, the most ac reads of one answer ({})",
            op.endpoint,
            op.verb,
            op.what(),
            bytes(*limit),
            match announced {
                Some(length) => format!("its Content-Length is {length} bytes"),
                None => format!("it was cut off after {}", bytes(*limit)),
            }
        ))
        .hint("nothing of it was used; no real answer is that large: a proxy or a broken server may be answering, -v=6 shows the requests"),
    };
    match op.is_write() {
        true => e.hint(WRITE_OUTCOME_UNKNOWN),
        false => e,
    }
}

/// A success answer whose body is no JSON object, or is a `Status` (a proxy or a broken
/// server answering for the API server): never read as an empty object.
pub fn not_an_object(op: &Op, shape: &str) -> AcError {
    unusable_answer(op, format!("{shape} instead of a JSON object"))
}

fn unusable_answer(op: &Op, what: String) -> AcError {
    let e = AcError::api(format!(
        "{} answered {} {} with {what}",
        op.endpoint,
        op.verb,
        op.what(),
    ));
    if op.is_write() {
        e.hint(WRITE_OUTCOME_UNKNOWN)
    } else {
        e.hint("the answer cannot be what was asked for: it was not used, and nothing was written after it")
    }
    .hint("a proxy or a broken server may be answering for the API server; -v=6 shows the requests")
}

/// `Ok` when a success answer is a JSON object other than a `Status`.
pub fn check_object(value: &serde_json::Value, op: &Op) -> Result<(), AcError> {
    if !value.is_object() {
        return Err(not_an_object(op, value_shape(value)));
    }
    if value.get("kind").and_then(serde_json::Value::as_str) != Some("Status") {
        return Ok(());
    }
    let field = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    let code = value
        .get("code")
        .and_then(serde_json::Value::as_u64)
        .map(|c| format!("{c} "))
        .unwrap_or_default();
    let said = [field("reason"), field("message")]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    Err(unusable_answer(
        op,
        format!(
            "a Status ({code}{}) under a success code instead of the object",
            server_text(&said)
        ),
    ))
}

fn unexpected_body(op: &Op, err: &kube::Error) -> AcError {
    AcError::api(format!(
        "{} answered {} {} with something that is not the expected JSON ({})",
        op.endpoint,
        op.verb,
        op.what(),
        chain(err)
    ))
    .hint("check that the kubeconfig points at an ACP API endpoint (a proxy or login page may be answering); -v=6 shows the requests")
}

/// Walk an error's sources into one line, dropping repeats. Credentials never get through:
/// a credential plugin's error is described by [`credential_error`] (never its output nor its
/// command line), and the user-info part of URLs (`http://user:password@proxy`) is replaced.
pub fn chain(e: &(dyn StdError + 'static)) -> String {
    // Every error above a credential error repeats its text (kube's "auth error: …" does):
    // only the credential error is described, in its own words.
    if let Some(auth) = find::<kube::client::AuthError>(e) {
        return credential_error(auth);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(c) = cur {
        let t = redact_userinfo(&one_line(&c.to_string()));
        if !t.is_empty() && !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = next_cause(c);
    }
    parts.join(": ")
}

/// Credentials that could not be had ([`CredentialError`]): at the start of a command or
/// when a plugin's token is renewed. A plugin that did not finish in time is a timeout
/// (exit 4); everything else a configuration error naming what to check.
pub fn credentials_failed(
    e: CredentialError,
    user: &str,
    endpoint: &str,
    relogin: &str,
) -> AcError {
    let message = format!("cannot get credentials for user {user} to reach {endpoint}: {e}");
    let mapped = match &e {
        CredentialError::PluginTimedOut { .. } => AcError::timeout(message).hint(
            "the plugin may be waiting for a login in a browser or on a terminal: run it yourself, or raise --request-timeout",
        ),
        CredentialError::Auth(kube::client::AuthError::InvalidBearerToken(_)) => {
            AcError::config(message).hint(format!(
                "copy the token of user {user} again without it, or {relogin}"
            ))
        }
        CredentialError::Auth(kube::client::AuthError::ReadTokenFile(..)) => AcError::config(
            message,
        )
        .hint("check the user's tokenFile in the kubeconfig: it must be a readable file holding the token"),
        _ => AcError::config(message).hint(format!(
            "run the user's credential plugin yourself to see what it says; if the login expired, {relogin}"
        )),
    };
    mapped.with_source(e)
}

/// What went wrong getting credentials, in words that cannot carry them: an exec plugin's
/// stdout and stderr and its command (kube's message includes them, with the environment the
/// kubeconfig gives the plugin) are never shown.
pub fn credential_error(e: &kube::client::AuthError) -> String {
    use kube::client::AuthError as A;
    match e {
        A::AuthExecRun { out, .. } => format!(
            "the exec credential plugin failed ({}; its output is not shown, as it may hold credentials)",
            out.status
        ),
        A::AuthExecStart(io) => format!(
            "the exec credential plugin cannot be started: {}",
            one_line(&io.to_string())
        ),
        A::AuthExecParse(_) | A::ExecPluginFailed => "the exec credential plugin did not print an ExecCredential (its output is not shown, as it may hold credentials)".into(),
        A::AuthExec(_) => "the exec credential plugin failed".into(),
        A::MissingCommand => "the exec credential plugin has no command".into(),
        A::ParseTokenKey(_) => "the credential command's output is not JSON".into(),
        A::InvalidBearerToken(_) => "the token has a character that cannot be sent in an HTTP header (a newline or another control character)".into(),
        A::InvalidBasicAuth(_) => "the user name or password is not a valid header value".into(),
        A::ReadTokenFile(io, path) => format!(
            "cannot read the token file {}: {}",
            path.display(),
            one_line(&io.to_string())
        ),
        other => one_line(&other.to_string()),
    }
}

/// What went wrong below HTTP, found by type in the `source()` chain.
#[derive(Debug)]
enum Cause<'a> {
    Tls(&'a rustls::Error),
    Refused,
    Dropped,
    TimedOut,
    Other,
}

fn cause<'a>(err: &'a (dyn StdError + 'static)) -> Cause<'a> {
    let mut found = Cause::Other;
    let mut cur: Option<&'a (dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Cause::Tls(tls);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            match io.kind() {
                K::ConnectionRefused => return Cause::Refused,
                K::TimedOut => return Cause::TimedOut,
                K::ConnectionReset
                | K::ConnectionAborted
                | K::BrokenPipe
                | K::UnexpectedEof
                | K::NotConnected => found = Cause::Dropped,
                _ => {}
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                return Cause::TimedOut;
            }
            if h.is_incomplete_message() || h.is_closed() || h.is_canceled() {
                found = Cause::Dropped;
            }
        }
        cur = next_cause(e);
    }
    found
}

/// The next error down the chain. `io::Error::source()` skips the error it wraps (it returns
/// that error's source), so an I/O error's wrapped error is visited first.
fn next_cause<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    match e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        Some(inner) => Some(inner as &(dyn StdError + 'static)),
        None => e.source(),
    }
}

fn transport(err: &kube::Error, op: &Op, timeout: Duration) -> AcError {
    let mapped = transport_cause(err, op, timeout);
    match &op.proxy {
        // Through a proxy, the proxy itself may be what failed: name it (never its password).
        Some(proxy) if mapped.kind == ErrorKind::Transport => AcError {
            message: format!("{} (through the proxy {})", mapped.message, proxy.shown),
            ..mapped
        }
        .hint(format!(
            "check {} and that the proxy is reachable",
            proxy.set_in()
        )),
        _ => mapped,
    }
}

fn transport_cause(err: &kube::Error, op: &Op, timeout: Duration) -> AcError {
    let t = |m: String| AcError::new(ErrorKind::Transport, m);
    match cause(err) {
        Cause::Tls(tls) => tls_error(tls, op),
        Cause::Refused => t(format!(
            "cannot connect to {}: connection refused",
            op.endpoint
        ))
        .hint(
            "check the server URL in the kubeconfig and that the platform is reachable from here",
        ),
        Cause::TimedOut => timed_out(op, timeout),
        Cause::Dropped if mid_answer(err) => t(format!(
            "{} broke off its answer to {} {} (the connection closed in the middle of the body)",
            op.endpoint,
            op.verb,
            op.what()
        ))
        .hint("the answer is incomplete and was not used; a proxy, load balancer or the network may be cutting connections; retry, -v=6 shows the requests"),
        Cause::Dropped => t(format!(
            "{} closed the connection before answering {} {}",
            op.endpoint,
            op.verb,
            op.what()
        ))
        .hint("a proxy or load balancer may be dropping requests; retry, -v=6 shows the requests"),
        Cause::Other => t(format!(
            "cannot {} {} on {}: {}",
            op.verb,
            op.what(),
            op.endpoint,
            chain(err)
        ))
        .hint("check the server URL, the network and this machine's DNS; -v=6 shows the requests"),
    }
}

/// Whether the connection broke while the answer's body was read (the request was sent and
/// the status line received): hyper's own error, not wrapped by the connection pool's
/// "send request" error.
fn mid_answer(err: &kube::Error) -> bool {
    match err {
        kube::Error::HyperError(_) => true,
        kube::Error::Service(e) => {
            e.downcast_ref::<hyper::Error>().is_some()
                || e.downcast_ref::<kube::Error>().is_some_and(mid_answer)
        }
        _ => false,
    }
}

/// A name webpki presents (`DnsName("a.example")`, `IpAddress(10.0.0.1)`) as a person
/// writes it.
fn presented_name(name: &str) -> String {
    let inner = ["DnsName(", "IpAddress(", "UniformResourceIdentifier("]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix)?.strip_suffix(')'))
        .map(|inner| inner.trim_matches('"'))
        .unwrap_or(name);
    one_line(inner)
}

/// One sentence per TLS failure, each with its next step.
fn tls_error(err: &rustls::Error, op: &Op) -> AcError {
    let at = &op.endpoint;
    let t = |m: String| AcError::new(ErrorKind::Transport, m);
    let ca_hint = "set certificate-authority-data (or certificate-authority) for this cluster in the kubeconfig; --insecure-skip-tls-verify skips the check (insecure)";
    let clock_hint = "renew the server certificate, or check the clock of this machine";
    match err {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer if op.ca_configured => t(format!(
                "TLS: the certificate of {at} is not signed by the certificate authority the kubeconfig gives for this cluster"
            ))
            .hint("the platform's certificate may have been issued by another CA since: get the current CA certificate and update certificate-authority-data in the kubeconfig; --insecure-skip-tls-verify skips the check (insecure)"),
            CertificateError::UnknownIssuer => {
                t(format!("TLS: the certificate of {at} is not signed by a trusted CA")).hint(ca_hint)
            }
            CertificateError::NotValidForName => t(format!(
                "TLS: the certificate of {at} does not match its host name"
            ))
            .hint("check the server URL, or set tls-server-name for this cluster in the kubeconfig"),
            CertificateError::NotValidForNameContext { expected, presented } => t(format!(
                "TLS: the certificate of {at} does not match its host name ({} is not among: {})",
                one_line(&expected.to_str()),
                if presented.is_empty() {
                    "no names".to_string()
                } else {
                    presented.iter().map(|n| presented_name(n)).collect::<Vec<_>>().join(", ")
                }
            ))
            .hint("check the server URL, or set tls-server-name for this cluster in the kubeconfig"),
            CertificateError::Expired => {
                t(format!("TLS: the certificate of {at} has expired")).hint(clock_hint)
            }
            CertificateError::ExpiredContext { not_after, .. } => t(format!(
                "TLS: the certificate of {at} has expired (valid until {})",
                unix_time(not_after.as_secs())
            ))
            .hint(clock_hint),
            CertificateError::NotValidYet => {
                t(format!("TLS: the certificate of {at} is not valid yet")).hint(clock_hint)
            }
            CertificateError::NotValidYetContext { not_before, .. } => t(format!(
                "TLS: the certificate of {at} is not valid yet (valid from {})",
                unix_time(not_before.as_secs())
            ))
            .hint("check the clock of this machine"),
            CertificateError::Other(other) if is_ca_used_as_end_entity(other) => t(format!(
                "TLS: {at} presents a CA certificate as its own, and it is not one of this cluster's certificate authorities in the kubeconfig"
            ))
            .hint(ca_hint),
            other => t(format!(
                "TLS: the certificate of {at} cannot be verified ({})",
                one_line(&format!("{other}"))
            ))
            .hint(ca_hint),
        },
        rustls::Error::AlertReceived(alert) => t(format!(
            "TLS: {at} refused the connection ({alert:?}): it may require a client certificate this kubeconfig does not give"
        ))
        .hint("check client-certificate-data and client-key-data of the user in the kubeconfig"),
        other => t(format!(
            "TLS handshake with {at} failed: {}",
            one_line(&other.to_string())
        ))
        .hint("check that the server URL is the platform's HTTPS endpoint; -v=6 shows the requests"),
    }
}

fn is_ca_used_as_end_entity(other: &rustls::OtherError) -> bool {
    matches!(
        other.0.downcast_ref::<webpki::Error>(),
        Some(webpki::Error::CaUsedAsEndEntity)
    )
}

fn unix_time(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_string())
        .unwrap_or_else(|| format!("{secs} seconds after 1970"))
}

pub fn timed_out(op: &Op, timeout: Duration) -> AcError {
    AcError::timeout(format!(
        "no answer from {} to {} {} within {} (--request-timeout)",
        op.endpoint,
        op.verb,
        op.what(),
        crate::duration::format(timeout)
    ))
    .hint("the server or network is slow or down; retry, or raise --request-timeout")
}

#[cfg(test)]
mod tests;
