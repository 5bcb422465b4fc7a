//! TLS material: the process-wide crypto provider, self-signed server certificates and
//! certificates loaded from PEM files.

use std::{io, path::Path, sync::Arc, sync::Once};

use rustls_pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};

/// Installs the `ring` crypto provider as the process default (idempotent). Call it before
/// building any TLS client or server.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A server certificate chain with its private key, kept in PEM form.
#[derive(Clone, Debug)]
pub struct ServerIdentity {
    /// The certificate chain, PEM encoded.
    pub cert_pem: String,
    /// The private key, PEM encoded.
    pub key_pem: String,
}

impl ServerIdentity {
    /// Generates a self-signed certificate valid for `localhost`, `127.0.0.1` and `::1` plus
    /// any extra host names given.
    pub fn self_signed(extra_names: &[String]) -> io::Result<Self> {
        let mut names = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ];
        names.extend(extra_names.iter().cloned());
        let certified = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
        Ok(Self {
            cert_pem: certified.cert.pem(),
            key_pem: certified.signing_key.serialize_pem(),
        })
    }

    /// Reads a certificate chain and a private key from PEM files.
    pub fn from_files(cert: &Path, key: &Path) -> io::Result<Self> {
        Ok(Self {
            cert_pem: std::fs::read_to_string(cert)?,
            key_pem: std::fs::read_to_string(key)?,
        })
    }

    /// Builds a rustls server configuration (HTTP/1.1 and HTTP/2 by ALPN).
    pub fn server_config(&self) -> io::Result<Arc<rustls::ServerConfig>> {
        install_crypto_provider();
        let certs = CertificateDer::pem_slice_iter(self.cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(io::Error::other)?;
        let key =
            PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).map_err(io::Error::other)?;
        let mut config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(io::Error::other)?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// Builds a TLS client configuration that trusts exactly the certificates in `ca_pem`.
pub fn client_config_trusting(ca_pem: &str) -> io::Result<rustls::ClientConfig> {
    install_crypto_provider();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots
            .add(cert.map_err(io::Error::other)?)
            .map_err(io::Error::other)?;
    }
    Ok(rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth())
}
