//! Client construction: kubeconfig → session → route to global → `kube::Client` with a bounded
//! deadline, no retry storms, and an optional request trace (`-v=6`).

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use super::errors::{self, Op};
use super::kubeconfig::{self, Loaded, Route, RouteKind, Session, Source};
use crate::cli::GlobalArgs;
use crate::error::{AcError, Result, one_line};
use crate::output::Printer;

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
    deadline: Option<Instant>,
}

/// Kubeconfig + session, before any network: enough for completion and for planning.
pub struct Resolved {
    pub loaded: Loaded,
    pub session: Session,
}

pub fn resolve(g: &GlobalArgs) -> Result<Resolved> {
    let loaded = kubeconfig::load(&Source::from_env(g.kubeconfig.as_deref()))?;
    let session = Session::resolve(&loaded.config, g.context.as_deref(), g.user.as_deref())?;
    Ok(Resolved { loaded, session })
}

impl Conn {
    pub async fn open(g: &GlobalArgs, printer: &Printer) -> Result<Conn> {
        let r = resolve(g)?;
        Self::open_resolved(r, g, printer).await
    }

    pub async fn open_resolved(r: Resolved, g: &GlobalArgs, printer: &Printer) -> Result<Conn> {
        let Resolved { loaded, session } = r;
        let route = session.route()?;
        let mut cfg = build_config(loaded.config, &session, &route, g.user.as_deref()).await?;
        let rt = g.request_timeout;
        cfg.default_retry = false;
        if !rt.is_zero() {
            cfg.read_timeout = Some(rt);
            cfg.write_timeout = Some(rt);
            cfg.connect_timeout = Some(rt.min(Duration::from_secs(10)));
        }
        if g.insecure_skip_tls_verify {
            cfg.accept_invalid_certs = true;
            printer.warn(&format!(
                "--insecure-skip-tls-verify: the certificate of {} is not checked; anyone on the path can read and change this traffic",
                route.url
            ));
        }
        let auth = describe_auth(&cfg.auth_info);
        let base = route.url.trim_end_matches('/').to_string();
        let builder = kube::client::ClientBuilder::try_from(cfg).map_err(|e| {
            AcError::config(format!(
                "cannot set up a client for {} (context {:?}): {}",
                route.url,
                session.context,
                errors::chain(&e)
            ))
            .hint("check the certificate and key data of this context in the kubeconfig")
        })?;
        let client = if g.verbosity >= 6 {
            let trace = TraceLayer(Arc::new(TraceConf {
                base,
                auth,
                headers: g.verbosity >= 7,
                printer: printer.clone(),
            }));
            builder.with_layer(&trace).build()
        } else {
            builder.build()
        };
        if g.verbosity >= 4 {
            let how = match route.how {
                RouteKind::GlobalEntry => "the session's global cluster entry",
                RouteKind::Rewritten => "the context's server, rewritten to /kubernetes/global/",
                RouteKind::Plain => "the context's server (no ACP extensions)",
            };
            printer.trace(&format!(
                "I context={} endpoint={} via {how}; kubeconfig={}",
                session.context,
                route.url,
                loaded
                    .sources
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        let user = session
            .acp
            .as_ref()
            .and_then(|a| a.username.clone())
            .or_else(|| session.user_entry.clone())
            .unwrap_or_else(|| "<anonymous>".into());
        Ok(Conn {
            client,
            endpoint: route.url.clone(),
            session,
            route,
            user,
            request_timeout: rt,
            deadline: (!rt.is_zero()).then(|| Instant::now() + rt),
        })
    }

    /// Run one API call under the command's deadline, mapping errors.
    pub async fn call<T>(
        &self,
        op: &Op<'_>,
        fut: impl std::future::Future<Output = kube::Result<T>>,
    ) -> Result<T> {
        let res = match self.deadline {
            Some(d) => match tokio::time::timeout_at(d.into(), fut).await {
                Ok(r) => r,
                Err(_) => return Err(errors::timed_out(op, self.request_timeout)),
            },
            None => fut.await,
        };
        res.map_err(|e| errors::map(e, op, self.request_timeout))
    }

    /// Like [`Conn::call`], but a 404 answer is `Ok(None)`.
    pub async fn call_opt<T>(
        &self,
        op: &Op<'_>,
        fut: impl std::future::Future<Output = kube::Result<T>>,
    ) -> Result<Option<T>> {
        let wrapped = async {
            match fut.await {
                Ok(v) => Ok(Some(v)),
                Err(kube::Error::Api(s))
                    if s.code == 404
                        && s.reason != "Failed to parse error data"
                        && !s.message.contains("could not find the requested resource") =>
                {
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        };
        self.call(op, wrapped).await
    }

    /// A fresh deadline (for each reconnect of a long watch).
    pub fn renew_deadline(&mut self) {
        self.deadline =
            (!self.request_timeout.is_zero()).then(|| Instant::now() + self.request_timeout);
    }

    pub fn op<'a>(
        &'a self,
        verb: &'static str,
        resource: &'static str,
        name: Option<&'a str>,
        namespace: Option<&'a str>,
    ) -> Op<'a> {
        Op {
            verb,
            resource,
            name,
            namespace,
            endpoint: &self.endpoint,
            user: &self.user,
        }
    }
}

async fn build_config(
    kc: Kubeconfig,
    session: &Session,
    route: &Route,
    user: Option<&str>,
) -> Result<Config> {
    let opts = KubeConfigOptions {
        context: Some(session.context.clone()),
        cluster: Some(route.entry.clone()),
        user: user.map(str::to_string),
    };
    let mut cfg = Config::from_custom_kubeconfig(kc, &opts).await.map_err(|e| {
        AcError::config(format!(
            "kubeconfig context {:?} cannot be used: {}",
            session.context,
            errors::chain(&e)
        ))
        .hint("check the cluster's certificate-authority and the user's credentials in the kubeconfig")
    })?;
    cfg.cluster_url = route.url.parse().map_err(|e: http::uri::InvalidUri| {
        AcError::config(format!(
            "server URL {:?} of context {:?} is not a URL: {}",
            route.url,
            session.context,
            one_line(&e.to_string())
        ))
    })?;
    Ok(cfg)
}

fn describe_auth(a: &kube::config::AuthInfo) -> &'static str {
    if a.token.is_some() || a.token_file.is_some() {
        "Bearer <redacted>"
    } else if a.exec.is_some() {
        "Bearer <redacted> (exec credential plugin)"
    } else if a.auth_provider.is_some() {
        "Bearer <redacted> (auth provider)"
    } else if a.username.is_some() {
        "Basic <redacted>"
    } else if a.client_certificate.is_some() || a.client_certificate_data.is_some() {
        "<none> (client certificate)"
    } else {
        "<none>"
    }
}

struct TraceConf {
    base: String,
    auth: &'static str,
    headers: bool,
    printer: Printer,
}

/// `-v=6`: one line per HTTP request (method, URL, status, latency); `-v=7` adds request
/// headers with the Authorization value redacted. Credentials are never printed.
#[derive(Clone)]
struct TraceLayer(Arc<TraceConf>);

impl<S> tower::Layer<S> for TraceLayer {
    type Service = TraceService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        TraceService {
            inner,
            conf: self.0.clone(),
        }
    }
}

#[derive(Clone)]
struct TraceService<S> {
    inner: S,
    conf: Arc<TraceConf>,
}

impl<S, B, R> tower::Service<http::Request<B>> for TraceService<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, std::result::Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let conf = self.conf.clone();
        let method = req.method().clone();
        let url = format!("{}{}", conf.base, req.uri());
        if conf.headers {
            conf.printer
                .trace(&format!("I Request Headers for {method} {url}:"));
            for (k, v) in req.headers() {
                let shown = if k == http::header::AUTHORIZATION {
                    "<redacted>".to_string()
                } else {
                    v.to_str().unwrap_or("<binary>").to_string()
                };
                conf.printer.trace(&format!("I     {k}: {shown}"));
            }
            conf.printer
                .trace(&format!("I     authorization: {}", conf.auth));
        }
        let start = Instant::now();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let res = fut.await;
            let ms = start.elapsed().as_millis();
            match &res {
                Ok(r) => conf.printer.trace(&format!(
                    "I {method} {url} {} in {ms} milliseconds (Authorization: {})",
                    r.status(),
                    conf.auth
                )),
                Err(e) => conf.printer.trace(&format!(
                    "I {method} {url} failed in {ms} milliseconds: {}",
                    one_line(&e.to_string())
                )),
            }
            res
        })
    }
}
