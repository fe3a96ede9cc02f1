//! Every `kube::Error` mapped to one `error:` line naming what and where, plus the next step.

use std::time::Duration;

use crate::error::{AcError, ErrorKind, one_line};

/// What a request was about, for messages.
#[derive(Debug, Clone)]
pub struct Op<'a> {
    /// kube verb: get, list, watch, patch, create.
    pub verb: &'static str,
    /// Plural resource with group, e.g. `clusterversionshadows.config.alauda.io`.
    pub resource: &'static str,
    pub name: Option<&'a str>,
    pub namespace: Option<&'a str>,
    /// The API endpoint (global URL).
    pub endpoint: &'a str,
    /// Who is asking (kubeconfig user entry / ACP username).
    pub user: &'a str,
}

impl Op<'_> {
    fn what(&self) -> String {
        let mut s = self.resource.to_string();
        if let Some(n) = self.name {
            s = format!("{s} {n:?}");
        }
        if let Some(ns) = self.namespace {
            s = format!("{s} in namespace {ns}");
        }
        s
    }
}

const MAX_SERVER_TEXT: usize = 300;

fn server_text(s: &str) -> String {
    let t = one_line(s);
    if t.chars().count() > MAX_SERVER_TEXT {
        let cut: String = t.chars().take(MAX_SERVER_TEXT).collect();
        format!("{cut}…")
    } else {
        t
    }
}

/// Map a kube error. `timeout` is the request timeout in force (for the timeout message).
pub fn map(err: kube::Error, op: &Op, timeout: Duration) -> AcError {
    let retryable = match &err {
        kube::Error::Api(s) => s.code >= 500 || s.code == 429,
        kube::Error::Auth(_) | kube::Error::SerdeError(_) => false,
        _ => true,
    };
    let mut e = map_inner(err, op, timeout);
    e.retryable = retryable;
    e
}

fn map_inner(err: kube::Error, op: &Op, timeout: Duration) -> AcError {
    match err {
        kube::Error::Api(status) => map_status(status.code, &status.reason, &status.message, op),
        kube::Error::SerdeError(e) => AcError::api(format!(
            "{} answered {} {} with something that is not the expected JSON ({})",
            op.endpoint,
            op.verb,
            op.what(),
            one_line(&e.to_string())
        ))
        .hint("check that the kubeconfig points at an ACP API endpoint (a proxy or login page may be answering); -v=6 shows the requests"),
        kube::Error::Auth(e) => AcError::config(format!(
            "cannot get credentials for user {} to reach {}: {}",
            op.user,
            op.endpoint,
            chain(&e)
        ))
        .hint("check the user's token, client certificate or exec plugin in the kubeconfig; log in again if it expired"),
        other => map_transport(&other, op, timeout),
    }
}

fn map_status(code: u16, reason: &str, message: &str, op: &Op) -> AcError {
    let msg = server_text(message);
    let non_json = reason == "Failed to parse error data";
    match code {
        401 => AcError::api(format!(
            "{} rejected the credentials of user {} (401 Unauthorized)",
            op.endpoint, op.user
        ))
        .hint("the token may have expired or been revoked: log in to ACP again, then re-run"),
        403 => {
            let mut e = AcError::api(format!(
                "forbidden: user {} may not {} {} on {} (403)",
                op.user,
                op.verb,
                op.what(),
                op.endpoint
            ));
            if !msg.is_empty() && !non_json {
                e = e.hint(format!("server said: {msg}"));
            }
            e.hint(format!(
                "ask a platform administrator for the {:?} permission on {}",
                op.verb, op.resource
            ))
        }
        404 if op.resource.starts_with("clusterversionshadows") && op.name.is_some() && !type_missing(&msg) => {
            AcError::api(format!(
                "no ClusterVersionShadow for cluster {:?} on {} (cpaas-system/{} not found)",
                op.name.unwrap_or_default(),
                op.endpoint,
                op.name.unwrap_or_default()
            ))
            .hint("check the cluster name; list the clusters with: ac adm upgrade status --all-clusters")
        }
        404 if type_missing(&msg) || non_json => AcError::api(format!(
            "{} does not serve {} (404{})",
            op.endpoint,
            op.resource,
            if non_json { format!(": {msg}") } else { String::new() }
        ))
        .hint("is this the global cluster of an ACP 4.3+ platform? check the context (--context) and that the upgrade controller is installed"),
        404 => AcError::api(format!("{} not found on {} (404)", op.what(), op.endpoint)),
        409 if reason == "AlreadyExists" => AcError::api(format!("{} already exists on {}", op.what(), op.endpoint)),
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
            if msg.is_empty() { format!("{code} {reason}") } else { msg }
        ))
        .hint("nothing was written; fix the request as the server says"),
        429 => AcError::api(format!("{} is throttling requests (429 Too Many Requests)", op.endpoint))
            .hint("wait a moment and re-run"),
        c if c >= 500 => {
            let detail = if non_json {
                format!(" with a non-JSON body: {msg}")
            } else if msg.is_empty() {
                String::new()
            } else {
                format!(": {msg}")
            };
            AcError::api(format!(
                "{} failed to {} {} ({c}{})",
                op.endpoint,
                op.verb,
                op.what(),
                detail
            ))
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

fn type_missing(msg: &str) -> bool {
    msg.contains("the server could not find the requested resource")
}

/// Walk an error's sources into one line, dropping repeats.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cur {
        let t = one_line(&c.to_string());
        if !t.is_empty() && !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = c.source();
    }
    parts.join(": ")
}

fn map_transport(err: &kube::Error, op: &Op, timeout: Duration) -> AcError {
    let text = chain(err);
    let lower = text.to_lowercase();
    if lower.contains("unknownissuer")
        || lower.contains("unknown issuer")
        || lower.contains("self-signed")
        || lower.contains("selfsigned")
    {
        return AcError::new(
            ErrorKind::Transport,
            format!("TLS: the certificate of {} is not signed by a trusted CA", op.endpoint),
        )
        .hint("set certificate-authority-data (or certificate-authority) for this cluster in the kubeconfig; --insecure-skip-tls-verify skips the check (insecure)");
    }
    if lower.contains("notvalidforname")
        || lower.contains("not valid for name")
        || lower.contains("certificate is not valid")
    {
        return AcError::new(
            ErrorKind::Transport,
            format!(
                "TLS: the certificate of {} does not match its host name ({})",
                op.endpoint,
                tls_detail(&text)
            ),
        )
        .hint("check the server URL, or set tls-server-name for this cluster in the kubeconfig");
    }
    if lower.contains("expired") && lower.contains("certificate") {
        return AcError::new(
            ErrorKind::Transport,
            format!("TLS: the certificate of {} has expired", op.endpoint),
        )
        .hint("renew the server certificate, or check the clock of this machine");
    }
    if lower.contains("connection refused") {
        return AcError::new(
            ErrorKind::Transport,
            format!("cannot connect to {}: connection refused", op.endpoint),
        )
        .hint(
            "check the server URL in the kubeconfig and that the platform is reachable from here",
        );
    }
    if lower.contains("timed out") || lower.contains("timeout") || lower.contains("deadline") {
        return timed_out(op, timeout);
    }
    if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        return AcError::new(
            ErrorKind::Transport,
            format!("cannot resolve the host of {}", op.endpoint),
        )
        .hint("check the server URL in the kubeconfig and this machine's DNS");
    }
    if lower.contains("connection closed")
        || lower.contains("peer closed")
        || lower.contains("close_notify")
        || lower.contains("connection reset")
        || lower.contains("incomplete message")
        || lower.contains("unexpected eof")
        || lower.contains("broken pipe")
    {
        return AcError::new(
            ErrorKind::Transport,
            format!(
                "{} closed the connection before answering {} {}",
                op.endpoint,
                op.verb,
                op.what()
            ),
        )
        .hint("a proxy or load balancer may be dropping requests; retry, -v=6 shows the requests");
    }
    AcError::new(
        ErrorKind::Transport,
        format!(
            "cannot {} {} on {}: {}",
            op.verb,
            op.what(),
            op.endpoint,
            text
        ),
    )
    .hint("check the server URL and network; -v=6 shows the requests")
}

fn tls_detail(text: &str) -> String {
    text.rsplit(": ").next().unwrap_or(text).to_string()
}

pub fn timed_out(op: &Op, timeout: Duration) -> AcError {
    AcError::timeout(format!(
        "no answer from {} to {} {} within {} (--request-timeout)",
        op.endpoint,
        op.verb,
        op.what(),
        crate::access::fmt_duration(timeout)
    ))
    .hint("the server or network is slow or down; retry, or raise --request-timeout")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> Op<'static> {
        Op {
            verb: "get",
            resource: "clusterversionshadows.config.alauda.io",
            name: Some("workload-z"),
            namespace: Some("cpaas-system"),
            endpoint: "https://acp.example.com/kubernetes/global/",
            user: "admin@example.com",
        }
    }

    #[test]
    fn statuses() {
        let e = map_status(401, "Unauthorized", "Unauthorized", &op());
        assert!(e.message.contains("401") && e.hints[0].contains("log in"));
        let e = map_status(
            404,
            "NotFound",
            "clusterversionshadows.config.alauda.io \"workload-z\" not found",
            &op(),
        );
        assert!(
            e.message
                .contains("no ClusterVersionShadow for cluster \"workload-z\""),
            "{}",
            e.message
        );
        let e = map_status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            &op(),
        );
        assert!(e.message.contains("does not serve"), "{}", e.message);
        let e = map_status(
            502,
            "Failed to parse error data",
            "<html>\n<body>Bad gateway</body></html>",
            &op(),
        );
        assert!(
            e.message
                .contains("non-JSON body: <html> <body>Bad gateway"),
            "{}",
            e.message
        );
        let long = "x".repeat(1000);
        let e = map_status(422, "Invalid", &long, &op());
        assert!(e.message.chars().count() < 500);
        assert_eq!(
            map_status(409, "Conflict", "", &op()).hints[0],
            "someone or the controller updated it concurrently: re-run the command"
        );
    }
}
