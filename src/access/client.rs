//! The connection to the global cluster: kubeconfig → session → route to global → a
//! `kube::Client` over our own connector stack (TLS as kubectl does it, proxies, credentials,
//! the `-v` trace layer), with one deadline for the whole command, and bounded retries of
//! reads answered 429/503 ([`super::retry`]) instead of kube's retry storms.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper_rustls::{FixedServerNameResolver, HttpsConnectorBuilder};
use hyper_timeout::TimeoutConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::{SocksV5, Tunnel};
use hyper_util::rt::TokioExecutor;
use kube::client::ConfigExt;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::ApiResource;
use kube::{Client, Config};
use tower::ServiceBuilder;

pub use super::errors::Op;
use super::kubeconfig::{self, Loaded, Route, RouteKind, Session, Source};
use super::object::qualified;
use super::retry::{Deadline, ReadAnswersLayer, ReadRetry};
use super::{Diagnostics, Options, credentials, errors, tls, trace};
use crate::error::{AcError, Result};
use crate::output::text::one_line;

/// An open line to the global cluster's API.
#[derive(Clone)]
pub struct Conn {
    pub client: Client,
    pub session: Session,
    pub route: Route,
    /// The global endpoint, for messages.
    pub endpoint: String,
    /// Who is asking, for messages (ACP username, else the user entry).
    pub user: String,
    pub request_timeout: Duration,
    /// Shared with the client's retry policy, which never waits past it.
    deadline: Deadline,
    /// The proxy, for messages.
    proxy: Option<errors::Proxy>,
    /// The kubeconfig gives a CA for the cluster, for messages.
    ca_configured: bool,
    /// How the user authenticates, for messages.
    credential: errors::Credential,
    /// Where long-running work (watches) reports retries and `-v` traces.
    pub(super) diagnostics: Arc<dyn Diagnostics>,
    /// `-v`: watches trace reconnects and ignored events at 6 and up.
    pub(super) verbosity: u8,
}

/// Kubeconfig + session, before any network: enough for completion and for planning.
pub struct Resolved {
    pub loaded: Loaded,
    pub session: Session,
}

pub fn resolve(opts: &Options) -> Result<Resolved> {
    let loaded = kubeconfig::load(&Source::from_env(opts.kubeconfig.as_deref()))?;
    let session = Session::resolve(
        &loaded.config,
        opts.context.as_deref(),
        opts.user.as_deref(),
    )?;
    Ok(Resolved { loaded, session })
}

impl Conn {
    /// Connect (lazily: the first request opens the TCP/TLS connection).
    pub async fn open(
        resolved: Resolved,
        opts: &Options,
        diagnostics: Arc<dyn Diagnostics>,
    ) -> Result<Conn> {
        let Resolved { loaded, session } = resolved;
        let route = session.route()?;
        // The server URL as every message and trace shows it: never its user-info.
        let endpoint = errors::redact_url(&route.url);
        let kc = kubeconfig::for_connection(
            loaded.config,
            &session.context,
            &route.entry,
            opts.user.as_deref(),
        );
        let proxy_from = proxy_source(&kc);
        let mut cfg = build_config(kc, &session, &route, opts.user.as_deref(), proxy_from).await?;
        let rt = opts.request_timeout;
        cfg.default_retry = false;
        // No read timeout on the connection: every call is bounded end to end by the
        // command's deadline ([`Conn::call`]), and a watch's stream by the server's
        // `timeoutSeconds` and its own idle limit (`access/watch`), not cut every
        // `--request-timeout` while it waits for news.
        cfg.read_timeout = None;
        if !rt.is_zero() {
            cfg.write_timeout = Some(rt);
            cfg.connect_timeout = Some(rt.min(Duration::from_secs(10)));
        }
        if opts.insecure_skip_tls_verify {
            cfg.accept_invalid_certs = true;
            diagnostics.warn(&format!(
                "--insecure-skip-tls-verify: the certificate of {endpoint} is not checked; anyone on the path can read and change this traffic"
            ));
        }
        if opts.verbosity >= 6 {
            trace::install(opts.verbosity, diagnostics.clone());
        }
        if opts.verbosity >= 4 {
            let how = match route.how {
                RouteKind::GlobalEntry => "the session's global cluster entry",
                RouteKind::Rewritten => "the context's server, rewritten to /kubernetes/<global>/",
                RouteKind::Plain => "the context's server (no ACP extensions)",
            };
            diagnostics.trace(&format!(
                "I context={} endpoint={endpoint} via {how}; kubeconfig={}",
                session.context,
                loaded
                    .sources
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        // One deadline for the whole command, from here: an exec plugin's run counts too.
        let deadline = Deadline::new((!rt.is_zero()).then(|| Instant::now() + rt));
        let ca_configured = cfg.root_cert.is_some();
        let credential = errors::Credential::of(&cfg.auth_info);
        let proxy = cfg
            .proxy_url
            .as_ref()
            .map(|p| errors::Proxy::new(&p.to_string(), proxy_from));
        let user = session
            .acp
            .as_ref()
            .and_then(|a| a.username.clone())
            .or_else(|| session.user_entry.clone())
            .unwrap_or_else(|| "<anonymous>".into());
        let relogin = relogin(&session);
        let bearer = credentials::take(&mut cfg.auth_info, &deadline, rt)
            .await
            .map_err(|e| errors::credentials_failed(e, &user, &endpoint, &relogin))?;
        let client = build_client(cfg, deadline.clone(), bearer, credential).map_err(|e| match &e {
            // kube's own credentials (an auth provider) are fetched while the client is built.
            kube::Error::Auth(auth) => AcError::config(format!(
                "cannot get credentials for user {user} to reach {endpoint}: {}",
                errors::credential_error(auth)
            ))
            .hint(format!(
                "check the user's credentials in the kubeconfig; if the login expired, {relogin}"
            ))
            .with_source(e),
            kube::Error::ProxyProtocolUnsupported { proxy_url } => {
                let proxy = errors::Proxy::new(&proxy_url.to_string(), proxy_from);
                AcError::config(format!(
                    "cannot set up a client for {endpoint} (context {:?}): the proxy {} from {} is not an http://, https:// or socks5:// URL",
                    session.context,
                    proxy.shown,
                    proxy.set_in()
                ))
                .hint(proxy_from.fix())
                .with_source(e)
            }
            _ => AcError::config(format!(
                "cannot set up a client for {endpoint} (context {:?}): {}",
                session.context,
                errors::chain(&e)
            ))
            .hint("check the certificate and key data of this context in the kubeconfig")
            .with_source(e),
        })?;
        Ok(Conn {
            client,
            endpoint,
            session,
            route,
            user,
            request_timeout: rt,
            deadline,
            proxy,
            ca_configured,
            credential,
            diagnostics,
            verbosity: opts.verbosity,
        })
    }

    /// Run one API call under the command's deadline, mapping errors.
    pub async fn call<T>(
        &self,
        op: &Op,
        fut: impl std::future::Future<Output = kube::Result<T>>,
    ) -> Result<T> {
        let res = match self.deadline.get() {
            Some(d) => match tokio::time::timeout_at(d.into(), fut).await {
                Ok(r) => r,
                Err(_) => return Err(errors::timed_out(op, self.request_timeout)),
            },
            None => fut.await,
        };
        res.map_err(|e| errors::map(e, op, self.request_timeout))
    }

    /// Like [`Conn::call`], but the server's NotFound for the named object is `Ok(None)`.
    pub async fn call_opt<T>(
        &self,
        op: &Op,
        fut: impl std::future::Future<Output = kube::Result<T>>,
    ) -> Result<Option<T>> {
        let wrapped = async {
            match fut.await {
                Ok(v) => Ok(Some(v)),
                Err(e) if errors::is_object_not_found(&e, op) => Ok(None),
                Err(e) => Err(e),
            }
        };
        self.call(op, wrapped).await
    }

    /// A fresh deadline (for each reconnect of a long watch).
    pub fn renew_deadline(&mut self) {
        self.deadline
            .set((!self.request_timeout.is_zero()).then(|| Instant::now() + self.request_timeout));
    }

    pub fn op(
        &self,
        verb: &'static str,
        resource: &ApiResource,
        name: Option<&str>,
        namespace: Option<&str>,
    ) -> Op {
        Op {
            verb,
            resource: qualified(resource),
            name: name.map(str::to_string),
            namespace: namespace.map(str::to_string),
            endpoint: self.endpoint.clone(),
            user: self.user.clone(),
            relogin: relogin(&self.session),
            proxy: self.proxy.clone(),
            ca_configured: self.ca_configured,
            credential: self.credential,
        }
    }
}

/// What renews the credentials: the ACP CLI's login for this session, or kubeconfig advice.
fn relogin(session: &Session) -> String {
    match session.login_command() {
        Some(cmd) => format!("log in again with {cmd}"),
        None => format!(
            "renew the credentials of user {} in the kubeconfig",
            session.user_entry.as_deref().unwrap_or("<none>")
        ),
    }
}

/// Where kube takes the proxy from (its order): the cluster entry's `proxy-url`, else
/// `HTTPS_PROXY`, else `https_proxy`.
fn proxy_source(kc: &Kubeconfig) -> errors::ProxySource {
    let in_kubeconfig = kc
        .clusters
        .first()
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.proxy_url.as_deref())
        .is_some_and(|p| !p.is_empty());
    let set = |var: &str| std::env::var(var).is_ok_and(|v| !v.is_empty());
    match () {
        _ if in_kubeconfig => errors::ProxySource::Kubeconfig,
        _ if set("HTTPS_PROXY") => errors::ProxySource::Env("HTTPS_PROXY"),
        _ => errors::ProxySource::Env("https_proxy"),
    }
}

async fn build_config(
    kc: Kubeconfig,
    session: &Session,
    route: &Route,
    user: Option<&str>,
    proxy_from: errors::ProxySource,
) -> Result<Config> {
    let kc = exec_plugins_quiet_without_terminal(kc, std::io::stdin().is_terminal());
    let opts = KubeConfigOptions {
        context: Some(session.context.clone()),
        cluster: Some(route.entry.clone()),
        user: user.map(str::to_string),
    };
    let mut cfg = Config::from_custom_kubeconfig(kc, &opts).await.map_err(|e| {
        if let kube::config::KubeconfigError::ParseProxyUrl(invalid) = &e {
            return AcError::config(format!(
                "kubeconfig context {:?} cannot be used: the proxy URL from {} is not a URL ({})",
                session.context,
                proxy_from.set_in(),
                one_line(&invalid.to_string())
            ))
            .hint(proxy_from.fix());
        }
        AcError::config(format!(
            "kubeconfig context {:?} cannot be used: {}",
            session.context,
            errors::chain(&e)
        ))
        .hint("check the cluster's certificate-authority and the user's credentials in the kubeconfig")
        .with_source(e)
    })?;
    cfg.cluster_url = route.url.parse().map_err(|e: http::uri::InvalidUri| {
        AcError::config(format!(
            "server URL {:?} of context {:?} is not a URL: {}",
            errors::redact_url(&route.url),
            session.context,
            one_line(&e.to_string())
        ))
    })?;
    Ok(cfg)
}

/// kubectl runs an exec credential plugin interactively (its stdin and stderr on the terminal)
/// only when `interactiveMode` allows it and stdin is a terminal; kube makes every mode but
/// `Never` interactive. Without a terminal, plugins run with `Never`: their stderr is captured
/// instead of being copied to ours, so a plugin that prints a token (or fails noisily) cannot
/// put it in `ac`'s output; [`errors::credential_error`] never shows what it printed.
fn exec_plugins_quiet_without_terminal(mut kc: Kubeconfig, terminal: bool) -> Kubeconfig {
    use kube::config::ExecInteractiveMode;
    if terminal {
        return kc;
    }
    for user in &mut kc.auth_infos {
        if let Some(exec) = user.auth_info.as_mut().and_then(|a| a.exec.as_mut()) {
            exec.interactive_mode = Some(ExecInteractiveMode::Never);
        }
    }
    kc
}

/// The client stack: TCP (+ proxy) → TLS → timeouts → hyper; then the base URI, credentials,
/// impersonation headers, the read retry policy (429/503 reads, within `deadline`) and the
/// trace layer below it (one line per attempt); kube's own retries are never added.
fn build_client(
    cfg: Config,
    deadline: Deadline,
    bearer: Option<credentials::Bearer>,
    credential: errors::Credential,
) -> std::result::Result<Client, kube::Error> {
    let auth = Auth { bearer, credential };
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_connect_timeout(cfg.connect_timeout);
    match cfg.proxy_url.clone() {
        None => finish(tcp, cfg, deadline, auth),
        Some(proxy) if proxy.scheme_str() == Some("socks5") => {
            finish(SocksV5::new(proxy, tcp), cfg, deadline, auth)
        }
        Some(proxy) if proxy.scheme_str() == Some("http") => finish(
            with_proxy_auth(&proxy, Tunnel::new(proxy.clone(), tcp)),
            cfg,
            deadline,
            auth,
        ),
        Some(proxy) if proxy.scheme_str() == Some("https") => {
            let to_proxy = https_connector(&cfg, tcp)?;
            finish(
                with_proxy_auth(&proxy, Tunnel::new(proxy.clone(), to_proxy)),
                cfg,
                deadline,
                auth,
            )
        }
        Some(proxy) => Err(kube::Error::ProxyProtocolUnsupported {
            proxy_url: Box::new(proxy),
        }),
    }
}

fn https_connector<H>(
    cfg: &Config,
    connector: H,
) -> std::result::Result<hyper_rustls::HttpsConnector<H>, kube::Error> {
    let tls = tls::client_config(cfg)?;
    let builder = HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http();
    let builder = match &cfg.tls_server_name {
        Some(name) => {
            let name = rustls::pki_types::ServerName::try_from(name.clone())
                .map_err(|e| kube::Error::Service(Box::new(e)))?;
            builder.with_server_name_resolver(FixedServerNameResolver::new(name))
        }
        None => builder,
    };
    Ok(builder.enable_http1().wrap_connector(connector))
}

/// How requests authenticate: `ac`'s bearer credentials ([`credentials`]), and what kind of
/// credential it is (for trace lines).
struct Auth {
    bearer: Option<credentials::Bearer>,
    credential: errors::Credential,
}

fn finish<H>(
    connector: H,
    cfg: Config,
    deadline: Deadline,
    auth: Auth,
) -> std::result::Result<Client, kube::Error>
where
    H: tower::Service<http::Uri> + Clone + Send + Sync + 'static,
    H::Response: hyper::rt::Read
        + hyper::rt::Write
        + hyper_util::client::legacy::connect::Connection
        + Send
        + Unpin
        + 'static,
    H::Future: Send + 'static,
    H::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let https = https_connector(&cfg, connector)?;
    let mut timed = TimeoutConnector::new(https);
    timed.set_connect_timeout(cfg.connect_timeout);
    timed.set_read_timeout(cfg.read_timeout);
    timed.set_write_timeout(cfg.write_timeout);
    let hyper: hyper_util::client::legacy::Client<_, kube::client::Body> =
        hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(timed);
    let service = ServiceBuilder::new()
        .layer(cfg.base_uri_layer())
        .option_layer(cfg.auth_layer()?)
        .option_layer(auth.bearer.map(credentials::BearerLayer))
        .layer(cfg.extra_headers_layer()?)
        .layer(tower::retry::RetryLayer::new(ReadRetry::new(deadline)))
        .layer(ReadAnswersLayer)
        .layer(trace::layer(auth.credential.trace_label()))
        .map_err(tower::BoxError::from)
        .service(hyper);
    Ok(Client::new(service, cfg.default_namespace.clone()))
}

/// `http://user:password@proxy:3128`: Basic credentials for the proxy (percent-decoded).
fn with_proxy_auth<C>(proxy: &http::Uri, tunnel: Tunnel<C>) -> Tunnel<C> {
    use base64::Engine;
    let Some((userinfo, _)) = proxy.authority().and_then(|a| a.as_str().rsplit_once('@')) else {
        return tunnel;
    };
    let decoded = percent_encoding::percent_decode_str(userinfo).decode_utf8_lossy();
    let value = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(decoded.as_bytes())
    );
    match http::HeaderValue::from_str(&value) {
        Ok(mut header) => {
            header.set_sensitive(true);
            tunnel.with_auth(header)
        }
        Err(_) => tunnel,
    }
}
