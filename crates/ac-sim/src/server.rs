//! TLS listener, HTTP/1.1 + HTTP/2 connections, and the per-request pipeline:
//! request log → faults → authentication → API dispatch.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::api::{self, Ctx};
use crate::auth::User;
use crate::fault_answers;
use crate::faults::FaultKind;
use crate::query::Query;
use crate::response::{Body, bytes_response, error_response};
use crate::shared::{LoggedRequest, Shared};
use crate::status::ApiError;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 3 * 1024 * 1024;

/// How much of a too-large body is still read (and discarded) before the 413 answer, so that
/// the client finishes sending and reads the answer instead of a reset connection (what Go's
/// net/http does for the apiserver). Beyond that the connection is closed.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// The error that makes hyper close the connection without an answer (the `drop` fault).
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an ac-sim fault")
    }
}

impl std::error::Error for DropConnection {}

/// Accept connections until `shutdown` flips; dropping the task closes every connection.
pub async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            r = listener.accept() => match r {
                Ok((tcp, _)) => {
                    conns.spawn(serve_connection(tcp, acceptor.clone(), shared.clone()));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    conns.abort_all();
}

async fn serve_connection(tcp: TcpStream, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    let _ = tcp.set_nodelay(true);
    let tls = match tokio::time::timeout(Duration::from_secs(30), acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        _ => return,
    };
    // A verified client certificate identifies the admin (when it is the one the CA issued).
    let cert_user = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|c| c.first())
        .filter(|c| c.as_ref() == shared.admin_client_cert_der.as_slice())
        .map(|_| User::Admin);
    let svc = service_fn(move |req| handle(shared.clone(), req, cert_user));
    let _ = auto::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(tls), svc)
        .await;
}

fn header(req: &Request<Incoming>, name: hyper::header::HeaderName) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The request body, up to [`BODY_LIMIT`]; a larger one is a 413 `Err` once drained.
async fn read_body(mut body: Incoming) -> Result<Result<Bytes, ApiError>, DropConnection> {
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| DropConnection)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen <= BODY_LIMIT {
            kept.extend_from_slice(&data);
        } else if seen > DRAIN_LIMIT {
            return Err(DropConnection);
        }
    }
    if seen > BODY_LIMIT {
        return Ok(Err(ApiError::too_large()));
    }
    Ok(Ok(Bytes::from(kept)))
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    cert_user: Option<User>,
) -> Result<Response<Body>, DropConnection> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_owned);
    let content_type = header(&req, CONTENT_TYPE);
    let accept = header(&req, ACCEPT);
    let user = match (header(&req, AUTHORIZATION), cert_user) {
        (None, Some(user)) => user,
        (h, _) => shared.tokens.authenticate(h.as_deref()),
    };
    let target = match &query {
        Some(query_string) => format!("{path}?{query_string}"),
        None => path.clone(),
    };
    let is_watch = Query::parse(query.as_deref()).flag("watch");
    let plan = shared.faults.plan(&method, &target, is_watch);
    let body = read_body(req.into_body()).await?;
    let mut entry = LoggedRequest {
        method,
        path,
        query,
        content_type,
        accept,
        authorization: Some(user.as_str().to_string()),
        body: body
            .as_ref()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default(),
        status: 0,
        seq: crate::order::next(),
    };
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    let mut body_fault: Option<FaultKind> = None;
    let mut watch_fault: Option<FaultKind> = None;
    match plan.terminal {
        Some(FaultKind::Status {
            code,
            body,
            content_type,
        }) => {
            entry.status = code;
            shared.log(entry);
            let resp = match body {
                Some(raw) => {
                    bytes_response(code, content_type.as_deref().unwrap_or("text/plain"), raw)
                }
                None => error_response(&ApiError::new(
                    code,
                    crate::faults::reason_for(code),
                    format!("injected fault: HTTP {code}"),
                )),
            };
            return Ok(resp);
        }
        Some(FaultKind::Hang) => {
            shared.log(entry);
            std::future::pending::<()>().await;
            return Err(DropConnection);
        }
        Some(FaultKind::Drop) => {
            shared.log(entry);
            return Err(DropConnection);
        }
        Some(FaultKind::RetryAfter {
            code,
            seconds,
            header,
            details,
        }) => {
            entry.status = code;
            shared.log(entry);
            return Ok(crate::faults::retry_after_response(
                code, seconds, header, details,
            ));
        }
        Some(FaultKind::Expired) => {
            entry.status = 410;
            shared.log(entry);
            return Ok(error_response(&ApiError::expired(
                "injected fault: too old resource version",
            )));
        }
        Some(FaultKind::Latency(_)) | None => {}
        // Watch faults: the watch is served with its stream broken (other requests untouched).
        Some(ref kind) if kind.is_watch_stream() => {
            if is_watch {
                watch_fault = Some(kind.clone());
            }
        }
        Some(FaultKind::StatusBody { http, status }) => {
            entry.status = http;
            shared.log(entry);
            return Ok(fault_answers::status_body(http, status));
        }
        Some(FaultKind::Redirect(location)) => {
            entry.status = 302;
            shared.log(entry);
            return Ok(fault_answers::redirect(&location));
        }
        // Handled, then every object answered loses its resourceVersion (watches too).
        Some(FaultKind::NoResourceVersion) => body_fault = Some(FaultKind::NoResourceVersion),
        // Body faults: the request is handled, then its answer broken (not for watches).
        Some(ref kind) if !is_watch => body_fault = Some(kind.clone()),
        Some(_) => {}
    }
    let resp = match body {
        Err(error) => error_response(&error),
        Ok(body) => {
            let ctx = Ctx {
                method: &entry.method,
                path: &entry.path,
                query: entry.query.as_deref(),
                content_type: entry.content_type.as_deref(),
                accept: entry.accept.as_deref(),
                user,
                body: &body,
                watch_fault: watch_fault.as_ref(),
            };
            api::dispatch(&shared, &ctx)
        }
    };
    let resp = match &body_fault {
        Some(FaultKind::NoResourceVersion) => {
            fault_answers::without_resource_versions(resp, is_watch).await
        }
        Some(FaultKind::OversizeBody(size)) => fault_answers::oversize(resp, *size).await,
        Some(kind) => crate::faults::break_body(kind, resp).await,
        None => resp,
    };
    entry.status = resp.status().as_u16();
    shared.log(entry);
    Ok(resp)
}
