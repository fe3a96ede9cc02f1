//! Bearer credentials from the kubeconfig — an inline `token`, a `tokenFile`, an exec
//! credential plugin — made into the `Authorization` header by `ac` rather than kube, so that
//! none of them can hang, panic or run unbounded:
//!
//! - a token that is not a valid header value (`abc\ndef`) is an error before any request
//!   (kube's layer panicked on it);
//! - a `tokenFile` is read at most [`MAX_TOKEN_BYTES`], its surrounding white space trimmed as
//!   client-go does (a file ending in a newline is the usual case), and read again once a
//!   minute (kube's and client-go's rhythm, for rotated tokens);
//! - an exec plugin runs as a child process of this runtime (kube runs it blocking), bounded
//!   by the command's deadline (`--request-timeout`): at the deadline it is killed and the
//!   error names its command (never its arguments, environment or output); its output is
//!   read at most [`MAX_TOKEN_BYTES`]; its token is trimmed as client-go does; a token with
//!   an `expirationTimestamp` is renewed a minute before it expires; a client certificate it
//!   hands out goes to the TLS configuration, as kube does.
//!
//! Basic auth and auth providers stay with kube (they come first in kube's order, and their
//! headers cannot be invalid).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use http::{HeaderValue, Request};
use jiff::Timestamp;
use kube::client::AuthError;
use kube::config::{AuthInfo, ExecConfig, ExecInteractiveMode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::io::AsyncReadExt;
use tokio::sync::Mutex;

use super::retry::Deadline;

/// The most read of a token file or of an exec plugin's output (an ExecCredential with a
/// client certificate is a few KiB).
pub const MAX_TOKEN_BYTES: u64 = 1024 * 1024;

/// How often a token file is read again.
const TOKEN_FILE_TTL: Duration = Duration::from_secs(60);

/// A plugin's token is renewed this long before it expires.
const RENEW_BEFORE: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// Why credentials could not be had.
#[derive(Debug)]
pub enum CredentialError {
    /// As kube reports it (start, exit status, parse, token file, invalid header).
    Auth(AuthError),
    /// The exec plugin did not finish before the command's deadline, and was killed.
    PluginTimedOut { command: String, after: Duration },
    /// The exec plugin printed more than [`MAX_TOKEN_BYTES`].
    PluginOutputTooLarge { command: String },
}

impl std::fmt::Display for CredentialError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialError::Auth(e) => write!(f, "{}", super::errors::credential_error(e)),
            CredentialError::PluginTimedOut { command, after } => write!(
                f,
                "the exec credential plugin {command} did not finish within {} (--request-timeout) and was stopped",
                crate::duration::format(*after)
            ),
            CredentialError::PluginOutputTooLarge { command } => write!(
                f,
                "the exec credential plugin {command} printed more than {} (its output is not shown, as it may hold credentials)",
                super::errors::bytes(MAX_TOKEN_BYTES)
            ),
        }
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CredentialError::Auth(e) => Some(e),
            _ => None,
        }
    }
}

impl From<AuthError> for CredentialError {
    fn from(e: AuthError) -> Self {
        CredentialError::Auth(e)
    }
}

type Outcome<T> = Result<T, CredentialError>;

/// `Bearer <token>`, marked sensitive; a token that cannot be a header value is an error.
fn bearer(token: &str) -> Outcome<HeaderValue> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}"))
        .map_err(|e| CredentialError::Auth(AuthError::InvalidBearerToken(e)))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Where the `Authorization` header comes from.
#[derive(Clone)]
pub enum Bearer {
    Static(HeaderValue),
    File(Arc<Mutex<TokenFile>>),
    Exec(Arc<Mutex<ExecToken>>),
}

pub struct TokenFile {
    path: PathBuf,
    header: HeaderValue,
    read_at: Instant,
}

pub struct ExecToken {
    exec: ExecConfig,
    header: HeaderValue,
    expires: Option<Timestamp>,
    deadline: Deadline,
    request_timeout: Duration,
}

/// Take the bearer credentials of `auth` (kube's order: auth provider, basic, token, token
/// file, exec) out of it — kube then adds no `Authorization` of its own — and make them
/// ready: the token checked, the token file read, the plugin run (until `deadline`). A
/// client certificate from the plugin is put into `auth` for the TLS configuration.
/// `request_timeout` is what the deadline is made of (for the message when a plugin is late).
pub async fn take(
    auth: &mut AuthInfo,
    deadline: &Deadline,
    request_timeout: Duration,
) -> Outcome<Option<Bearer>> {
    if auth.auth_provider.is_some() || (auth.username.is_some() && auth.password.is_some()) {
        return Ok(None);
    }
    if let Some(token) = auth.token.take() {
        auth.token_file = None;
        auth.exec = None;
        return Ok(Some(Bearer::Static(bearer(token.expose_secret())?)));
    }
    if let Some(path) = auth.token_file.take() {
        auth.exec = None;
        let path = PathBuf::from(path);
        let header = bearer(&read_token_file(&path)?)?;
        return Ok(Some(Bearer::File(Arc::new(Mutex::new(TokenFile {
            path,
            header,
            read_at: Instant::now(),
        })))));
    }
    let Some(exec) = auth.exec.take() else {
        return Ok(None);
    };
    let status = run_plugin(&exec, deadline, request_timeout).await?;
    if let (Some(cert), Some(key)) = (&status.client_certificate_data, &status.client_key_data) {
        // As kube does with a plugin's certificate: the client's TLS identity.
        let b64 = base64::engine::general_purpose::STANDARD;
        auth.client_certificate_data = Some(b64.encode(cert));
        auth.client_key_data = Some(SecretString::from(b64.encode(key)));
        return Ok(None);
    }
    let Some(token) = status.token.as_deref().map(str::trim) else {
        return Ok(None);
    };
    let header = bearer(token)?;
    let expires = status.expires()?;
    Ok(Some(Bearer::Exec(Arc::new(Mutex::new(ExecToken {
        exec,
        header,
        expires,
        deadline: deadline.clone(),
        request_timeout,
    })))))
}

impl Bearer {
    /// The header for the next request (a token file read again after a minute, a plugin's
    /// token renewed before it expires).
    pub async fn header(&self) -> Outcome<HeaderValue> {
        match self {
            Bearer::Static(header) => Ok(header.clone()),
            Bearer::File(file) => {
                let mut file = file.lock().await;
                if file.read_at.elapsed() >= TOKEN_FILE_TTL {
                    // As client-go: a file that cannot be read again keeps the last token.
                    if let Ok(token) = read_token_file(&file.path)
                        && let Ok(header) = bearer(&token)
                    {
                        file.header = header;
                    }
                    file.read_at = Instant::now();
                }
                Ok(file.header.clone())
            }
            Bearer::Exec(exec) => {
                let mut exec = exec.lock().await;
                if exec
                    .expires
                    .is_some_and(|at| Timestamp::now() + RENEW_BEFORE >= at)
                {
                    let status =
                        run_plugin(&exec.exec, &exec.deadline, exec.request_timeout).await?;
                    let token = status
                        .token
                        .as_deref()
                        .map(str::trim)
                        .ok_or(CredentialError::Auth(AuthError::UnrefreshableTokenResponse))?;
                    exec.header = bearer(token)?;
                    exec.expires = status.expires()?;
                }
                Ok(exec.header.clone())
            }
        }
    }
}

/// A token file's content, trimmed, read at most [`MAX_TOKEN_BYTES`].
fn read_token_file(path: &Path) -> Outcome<String> {
    let read_error = |e: std::io::Error| AuthError::ReadTokenFile(e, path.to_path_buf());
    let bytes = super::read_bounded(path, MAX_TOKEN_BYTES)
        .map_err(read_error)?
        .ok_or_else(|| {
            read_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "larger than {}, the most ac reads of a token file",
                    super::errors::bytes(MAX_TOKEN_BYTES)
                ),
            ))
        })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })?;
    Ok(text.trim().to_string())
}

/// What a plugin hands out (`ExecCredential.status`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecStatus {
    token: Option<String>,
    expiration_timestamp: Option<String>,
    client_certificate_data: Option<String>,
    client_key_data: Option<String>,
}

impl ExecStatus {
    fn expires(&self) -> Outcome<Option<Timestamp>> {
        self.expiration_timestamp
            .as_deref()
            .map(|t| t.parse::<Timestamp>())
            .transpose()
            .map_err(|e| CredentialError::Auth(AuthError::MalformedTokenExpirationDate(e)))
    }
}

#[derive(Debug, Deserialize)]
struct ExecCredential {
    status: Option<ExecStatus>,
}

/// The plugin's command as messages name it (never its arguments).
fn command_of(exec: &ExecConfig) -> String {
    exec.command.clone().unwrap_or_default()
}

/// Run the plugin as client-go does (arguments, `env`, `KUBERNETES_EXEC_INFO`, stdin and
/// stderr on the terminal only when interactive), until `deadline`; its stdout read at most
/// [`MAX_TOKEN_BYTES`]. The child is killed when this future ends early (deadline, error).
async fn run_plugin(
    exec: &ExecConfig,
    deadline: &Deadline,
    request_timeout: Duration,
) -> Outcome<ExecStatus> {
    let Some(program) = exec.command.as_deref().filter(|c| !c.is_empty()) else {
        return Err(AuthError::MissingCommand.into());
    };
    let interactive = exec.interactive_mode != Some(ExecInteractiveMode::Never);
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(exec.args.iter().flatten());
    for pair in exec.env.iter().flatten() {
        if let (Some(name), Some(value)) = (pair.get("name"), pair.get("value")) {
            cmd.env(name, value);
        }
    }
    let mut spec = serde_json::json!({ "interactive": interactive });
    if exec.provide_cluster_info {
        let cluster = exec
            .cluster
            .as_ref()
            .ok_or(AuthError::ExecMissingClusterInfo)?;
        spec["cluster"] = serde_json::to_value(cluster).map_err(AuthError::AuthExecSerialize)?;
    }
    let info = serde_json::json!({
        "apiVersion": exec.api_version,
        "kind": "ExecCredential",
        "spec": spec,
    });
    cmd.env("KUBERNETES_EXEC_INFO", info.to_string());
    for name in exec.drop_env.iter().flatten() {
        cmd.env_remove(name);
    }
    if interactive {
        cmd.stdin(Stdio::inherit()).stderr(Stdio::inherit());
    } else {
        // Its stderr may carry credentials: it goes nowhere (kube captured it for a message
        // that ac never shows).
        cmd.stdin(Stdio::null()).stderr(Stdio::null());
    }
    cmd.stdout(Stdio::piped()).kill_on_drop(true);
    let command = command_of(exec);
    let run = async {
        let mut child = cmd.spawn().map_err(AuthError::AuthExecStart)?;
        let mut stdout = Vec::new();
        if let Some(out) = child.stdout.take() {
            out.take(MAX_TOKEN_BYTES + 1)
                .read_to_end(&mut stdout)
                .await
                .map_err(AuthError::AuthExecStart)?;
        }
        if stdout.len() as u64 > MAX_TOKEN_BYTES {
            return Err(CredentialError::PluginOutputTooLarge {
                command: command.clone(),
            });
        }
        let status = child.wait().await.map_err(AuthError::AuthExecStart)?;
        if !status.success() {
            return Err(AuthError::AuthExecRun {
                cmd: command.clone(),
                out: Box::new(std::process::Output {
                    status,
                    stdout: Vec::new(),
                    stderr: Vec::new(),
                }),
            }
            .into());
        }
        Ok(stdout)
    };
    let stdout = match deadline.get() {
        Some(at) => tokio::time::timeout_at(at.into(), run)
            .await
            .map_err(|_| CredentialError::PluginTimedOut {
                command: command.clone(),
                after: request_timeout,
            })??,
        None => run.await?,
    };
    let credential: ExecCredential =
        serde_saphyr::from_slice(&stdout).map_err(|e| AuthError::AuthExecParse(Box::new(e)))?;
    credential
        .status
        .ok_or(CredentialError::Auth(AuthError::ExecPluginFailed))
}

/// The tower layer that sets the `Authorization` header from a [`Bearer`].
#[derive(Clone)]
pub struct BearerLayer(pub Bearer);

impl<S> tower::Layer<S> for BearerLayer {
    type Service = BearerService<S>;
    fn layer(&self, inner: S) -> BearerService<S> {
        BearerService {
            bearer: self.0.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct BearerService<S> {
    bearer: Bearer,
    inner: S,
}

impl<S, B> tower::Service<Request<B>> for BearerService<S>
where
    S: tower::Service<Request<B>, Error = tower::BoxError> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = tower::BoxError;
    type Future = futures::future::BoxFuture<'static, Result<S::Response, tower::BoxError>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), tower::BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The service that was made ready is the one called (tower's clone-and-swap).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let bearer = self.bearer.clone();
        Box::pin(async move {
            let header = bearer.header().await?;
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, header);
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_auth(token: &str) -> AuthInfo {
        AuthInfo {
            token: Some(SecretString::from(token.to_string())),
            ..AuthInfo::default()
        }
    }

    #[tokio::test]
    async fn a_token_that_cannot_be_a_header_is_an_error_not_a_panic() {
        let deadline = Deadline::new(None);
        for bad in ["abc\ndef", "abc\rdef", "a\u{0}b", "a\u{7f}b"] {
            let e = take(&mut token_auth(bad), &deadline, Duration::ZERO)
                .await
                .err()
                .unwrap();
            assert!(
                matches!(e, CredentialError::Auth(AuthError::InvalidBearerToken(_))),
                "{bad:?}: {e:?}"
            );
            assert!(!e.to_string().contains(bad), "{e}");
        }
        let mut auth = token_auth("abc");
        let bearer = take(&mut auth, &deadline, Duration::ZERO)
            .await
            .unwrap()
            .unwrap();
        assert!(auth.token.is_none(), "kube adds no header of its own");
        let header = bearer.header().await.unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer abc");
        assert!(header.is_sensitive());
    }

    #[test]
    fn a_token_file_is_trimmed_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "  tok-123\n\n").unwrap();
        assert_eq!(read_token_file(&path).unwrap(), "tok-123");
        std::fs::write(&path, vec![b'x'; MAX_TOKEN_BYTES as usize + 1]).unwrap();
        let e = read_token_file(&path).unwrap_err();
        assert!(e.to_string().contains("larger than 1 MiB"), "{e}");
        let e = read_token_file(&dir.path().join("missing")).unwrap_err();
        assert!(e.to_string().contains("cannot read the token file"), "{e}");
    }
}
