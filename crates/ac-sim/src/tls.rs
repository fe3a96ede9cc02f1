//! A throwaway CA and a server certificate for 127.0.0.1 / localhost / ::1, generated at start;
//! or, in the [`TlsMode`]s for tests of certificate handling, a server certificate that is
//! self-signed with `CA:TRUE`, expired, not yet valid, for another host name, or signed by a
//! CA the kubeconfig does not carry.

use std::sync::Arc;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Which server certificate the simulator presents (`--tls`, [`crate::SimOptions::tls`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Signed by the simulator's CA, which the kubeconfig carries (the default).
    #[default]
    CaSigned,
    /// Self-signed with `CA:TRUE` (what `openssl req -x509` makes), presented as the server
    /// certificate and given as the kubeconfig's CA. kubectl accepts it.
    SelfSignedCa,
    /// Signed by the simulator's CA, valid 2020-01-01 … 2021-01-01.
    Expired,
    /// Signed by the simulator's CA, valid from 2100-01-01.
    NotYetValid,
    /// Signed by the simulator's CA, for `acp.example.com` only (not 127.0.0.1).
    WrongName,
    /// Signed by another CA than the one in the kubeconfig.
    UnknownCa,
}

impl TlsMode {
    pub const ALL: [TlsMode; 6] = [
        TlsMode::CaSigned,
        TlsMode::SelfSignedCa,
        TlsMode::Expired,
        TlsMode::NotYetValid,
        TlsMode::WrongName,
        TlsMode::UnknownCa,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::CaSigned => "ca-signed",
            TlsMode::SelfSignedCa => "self-signed-ca",
            TlsMode::Expired => "expired",
            TlsMode::NotYetValid => "not-yet-valid",
            TlsMode::WrongName => "wrong-name",
            TlsMode::UnknownCa => "unknown-ca",
        }
    }
}

impl std::str::FromStr for TlsMode {
    type Err = String;
    fn from_str(s: &str) -> Result<TlsMode, String> {
        TlsMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not a TLS mode (one of: {})",
                    TlsMode::ALL.map(TlsMode::as_str).join(", ")
                )
            })
    }
}

impl std::fmt::Display for TlsMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub struct TlsMaterial {
    /// The CA certificate the kubeconfig carries (in [`TlsMode::SelfSignedCa`], the server
    /// certificate itself).
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
    /// A client certificate (and its PKCS#8 key) for the admin user, signed by the CA: clients
    /// that present it are the admin without a bearer token.
    pub admin_client_cert_pem: String,
    pub admin_client_key_pem: String,
    pub admin_client_cert_der: Vec<u8>,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A self-signed CA certificate named `name`.
fn new_ca(name: &str) -> anyhow::Result<(rcgen::Certificate, Issuer<'static, KeyPair>)> {
    let ca_key = KeyPair::generate().context("generating the CA key")?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn.push(DnType::OrganizationName, "ac-sim");
    ca_params.distinguished_name = dn;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .context("self-signing the CA")?;
    Ok((ca_cert, Issuer::new(ca_params, ca_key)))
}

/// Generate the CA and the server certificate `mode` asks for, and build the rustls server
/// configuration (ring provider, ALPN h2 and http/1.1).
pub fn generate(mode: TlsMode) -> anyhow::Result<TlsMaterial> {
    let (ca_cert, issuer) = new_ca("ac-sim local CA")?;

    let server_key = KeyPair::generate().context("generating the server key")?;
    let names = match mode {
        TlsMode::WrongName => vec!["acp.example.com".to_string()],
        _ => vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ],
    };
    let mut params = CertificateParams::new(names)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "ac-sim");
    params.distinguished_name = dn;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    match mode {
        TlsMode::Expired => {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        TlsMode::NotYetValid => {
            params.not_before = rcgen::date_time_ymd(2100, 1, 1);
            params.not_after = rcgen::date_time_ymd(2101, 1, 1);
        }
        _ => {}
    }
    let (server_cert, served_ca, trusted_pem) = match mode {
        TlsMode::SelfSignedCa => {
            // `openssl req -x509`: self-signed, basicConstraints CA:TRUE, no EKU.
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.extended_key_usages = Vec::new();
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
                KeyUsagePurpose::KeyCertSign,
            ];
            let cert = params
                .self_signed(&server_key)
                .context("self-signing the server certificate")?;
            let pem = cert.pem();
            (cert, None, pem)
        }
        TlsMode::UnknownCa => {
            let (other_ca, other) = new_ca("ac-sim other CA (not in the kubeconfig)")?;
            let cert = params
                .signed_by(&server_key, &other)
                .context("signing the server certificate")?;
            (cert, Some(other_ca.der().clone()), ca_cert.pem())
        }
        _ => {
            let cert = params
                .signed_by(&server_key, &issuer)
                .context("signing the server certificate")?;
            (cert, Some(ca_cert.der().clone()), ca_cert.pem())
        }
    };

    let client_key = KeyPair::generate().context("generating the client key")?;
    let mut client_params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "admin@sim.local");
    client_params.distinguished_name = dn;
    client_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client_params
        .signed_by(&client_key, &issuer)
        .context("signing the client certificate")?;

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(ca_cert.der().clone())
        .context("trusting the CA for client certificates")?;
    // Client certificates are optional (bearer tokens are the usual way in); when one is
    // presented it must chain to the CA.
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
            .allow_unauthenticated()
            .build()
            .context("client certificate verifier")?;

    let mut chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone()];
    chain.extend(served_ca);
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .context("TLS server certificate")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsMaterial {
        ca_pem: trusted_pem,
        server_config: Arc::new(config),
        admin_client_cert_pem: client_cert.pem(),
        admin_client_key_pem: client_key.serialize_pem(),
        admin_client_cert_der: client_cert.der().to_vec(),
    })
}

/// A random token (hex) from the ring provider's secure random source.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    if rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut buf)
        .is_err()
    {
        // Fall back to the process's hash seed; still unpredictable enough for a local token.
        use std::hash::{BuildHasher, RandomState};
        for (i, b) in buf.iter_mut().enumerate() {
            *b = RandomState::new().hash_one(i) as u8;
        }
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_material_and_tokens() {
        let m = generate(TlsMode::CaSigned).unwrap();
        assert!(m.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(m.server_config.alpn_protocols.len(), 2);
        let (a, b) = (random_token(16), random_token(16));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn every_mode_builds_and_parses() {
        for mode in TlsMode::ALL {
            let m = generate(mode).unwrap();
            assert!(
                m.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"),
                "{mode}"
            );
            assert_eq!(mode.as_str().parse::<TlsMode>(), Ok(mode));
        }
        assert!("bogus".parse::<TlsMode>().is_err());
    }
}
