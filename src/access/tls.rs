//! TLS as kubectl does it. kube builds the rustls configuration from the kubeconfig (CA data or
//! file, client certificate, `insecure-skip-tls-verify`, the OS trust store when no CA is given);
//! on top of it, one exception Go's crypto/x509 makes and webpki does not:
//!
//! A platform whose API certificate is self-signed with `CA:TRUE` (what `openssl req -x509`
//! makes) and given as the cluster's own `certificate-authority-data` is trusted by kubectl,
//! because the presented certificate *is* a trusted root. webpki refuses any `CA:TRUE`
//! certificate as an end entity (`CaUsedAsEndEntity`). [`KubeconfigRoots`] accepts exactly that
//! case and nothing more: the end-entity certificate is byte-equal to one of the configured CA
//! certificates, webpki's own verdict was `CaUsedAsEndEntity` (which webpki reaches only after
//! the validity period was checked), the host name still matches, and handshake signatures are
//! still verified by webpki. Every other certificate goes through normal chain verification.

use std::sync::Arc;

use kube::client::ConfigExt;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

/// The rustls client configuration for a kube `Config`.
pub(super) fn client_config(cfg: &kube::Config) -> Result<rustls::ClientConfig, kube::Error> {
    let mut tls = cfg.rustls_client_config()?;
    if !cfg.accept_invalid_certs
        && let Some(roots) = &cfg.root_cert
    {
        let verifier =
            KubeconfigRoots::new(roots).map_err(|e| kube::Error::Service(Box::new(e)))?;
        tls.dangerous().set_certificate_verifier(Arc::new(verifier));
    }
    Ok(tls)
}

/// webpki verification against the kubeconfig's CA certificates, plus the exact-root exception.
#[derive(Debug)]
pub(super) struct KubeconfigRoots {
    webpki: Arc<WebPkiServerVerifier>,
    roots: Vec<CertificateDer<'static>>,
}

impl KubeconfigRoots {
    pub(super) fn new(der_roots: &[Vec<u8>]) -> Result<KubeconfigRoots, Error> {
        let roots: Vec<CertificateDer<'static>> = der_roots
            .iter()
            .map(|d| CertificateDer::from(d.clone()))
            .collect();
        let mut store = RootCertStore::empty();
        for root in &roots {
            store.add(root.clone())?;
        }
        let webpki = WebPkiServerVerifier::builder(Arc::new(store))
            .build()
            .map_err(|e| Error::General(e.to_string()))?;
        Ok(KubeconfigRoots { webpki, roots })
    }

    fn is_configured_root(&self, cert: &CertificateDer<'_>) -> bool {
        self.roots.iter().any(|r| r.as_ref() == cert.as_ref())
    }
}

fn is_ca_used_as_end_entity(e: &Error) -> bool {
    matches!(
        e,
        Error::InvalidCertificate(CertificateError::Other(other))
            if matches!(other.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity))
    )
}

impl ServerCertVerifier for KubeconfigRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(e) if is_ca_used_as_end_entity(&e) && self.is_configured_root(end_entity) => {
                let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

    /// A self-signed certificate for `names`, `CA:TRUE` as `openssl req -x509` makes them.
    fn self_signed_ca(names: &[&str], valid: bool) -> (Vec<u8>, CertificateParams, KeyPair) {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        if !valid {
            params.not_before = rcgen::date_time_ymd(2001, 1, 1);
            params.not_after = rcgen::date_time_ymd(2002, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        (cert.der().to_vec(), params, key)
    }

    fn verify(
        roots: &[Vec<u8>],
        presented: &[u8],
        host: &str,
    ) -> Result<ServerCertVerified, Error> {
        let verifier = KubeconfigRoots::new(roots).unwrap();
        verifier.verify_server_cert(
            &CertificateDer::from(presented.to_vec()),
            &[],
            &ServerName::try_from(host.to_string()).unwrap(),
            &[],
            UnixTime::now(),
        )
    }

    #[test]
    fn a_self_signed_ca_given_as_the_cluster_ca_is_accepted_like_kubectl() {
        let (cert, ..) = self_signed_ca(&["acp.example.com", "127.0.0.1"], true);
        assert!(verify(std::slice::from_ref(&cert), &cert, "acp.example.com").is_ok());
        assert!(verify(std::slice::from_ref(&cert), &cert, "127.0.0.1").is_ok());
    }

    #[test]
    fn and_nothing_more() {
        let (cert, ..) = self_signed_ca(&["acp.example.com"], true);
        let (other, ..) = self_signed_ca(&["acp.example.com"], true);
        // the host name still has to match
        let e = verify(std::slice::from_ref(&cert), &cert, "evil.example.com").unwrap_err();
        assert!(matches!(e, Error::InvalidCertificate(_)), "{e:?}");
        // a CA certificate that is not one of the configured roots
        assert!(verify(std::slice::from_ref(&other), &cert, "acp.example.com").is_err());
        // expired, even when it is the configured root
        let (old, ..) = self_signed_ca(&["acp.example.com"], false);
        let e = verify(std::slice::from_ref(&old), &old, "acp.example.com").unwrap_err();
        assert!(
            matches!(
                e,
                Error::InvalidCertificate(
                    CertificateError::Expired | CertificateError::ExpiredContext { .. }
                )
            ),
            "{e:?}"
        );
    }

    #[test]
    fn ordinary_chains_still_verify() {
        let (ca, ca_params, ca_key) = self_signed_ca(&["ca.example.com"], true);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["acp.example.com".to_string()])
            .unwrap()
            .signed_by(&leaf_key, &Issuer::new(ca_params, ca_key))
            .unwrap();
        assert!(verify(std::slice::from_ref(&ca), leaf.der(), "acp.example.com").is_ok());
        assert!(verify(std::slice::from_ref(&ca), leaf.der(), "other.example.com").is_err());
    }
}
