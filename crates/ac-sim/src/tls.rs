//! A throwaway CA and a server certificate for 127.0.0.1 / localhost / ::1, generated at start.

use std::sync::Arc;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TlsMaterial {
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

/// Generate the CA and server certificate and build the rustls server configuration
/// (ring provider, ALPN h2 and http/1.1).
pub fn generate() -> anyhow::Result<TlsMaterial> {
    let ca_key = KeyPair::generate().context("generating the CA key")?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "ac-sim local CA");
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
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().context("generating the server key")?;
    let mut params = CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ])?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "ac-sim");
    params.distinguished_name = dn;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = params
        .signed_by(&server_key, &issuer)
        .context("signing the server certificate")?;

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

    let chain: Vec<CertificateDer<'static>> =
        vec![server_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .context("TLS server certificate")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsMaterial {
        ca_pem: ca_cert.pem(),
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
        let m = generate().unwrap();
        assert!(m.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(m.server_config.alpn_protocols.len(), 2);
        let (a, b) = (random_token(16), random_token(16));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
