//! The `web-download` import method: the URL filter Glance applies with its default
//! `import_filtering_opts` (schemes `http` and `https`, ports 80 and 443 when one is given,
//! also on every redirect), and the download itself, for real, up to the fake's size cap.

use std::time::Duration;

use bytes::Bytes;

/// Largest image a web download may bring (the fake keeps image data in memory).
pub const WEB_DOWNLOAD_CAP: usize = 64 << 20;

/// How long a download may take before the import fails.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// Whether Glance's default import filtering lets `uri` through.
pub fn allowed(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    let scheme_ok = matches!(url.scheme(), "http" | "https");
    let host_ok = url.host_str().is_some_and(|h| !h.is_empty());
    let port_ok = url.port().is_none_or(|p| p == 80 || p == 443);
    scheme_ok && host_ok && port_ok
}

/// Downloads the data of `uri` (following only redirects the filter allows): `Err` carries
/// the failure as the import task's message.
pub async fn download(uri: &str) -> Result<Bytes, String> {
    crate::tls::install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(DOWNLOAD_TIMEOUT)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() > 10 || !allowed(attempt.url().as_str()) {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|error| error.to_string())?;
    let mut response = client
        .get(uri)
        .send()
        .await
        .map_err(|error| format!("Failed to download {uri}: {error}"))?;
    if !response.status().is_success() {
        return Err(format!(
            "Failed to download {uri}: HTTP Error {} {}",
            response.status().as_u16(),
            response.status().canonical_reason().unwrap_or_default()
        ));
    }
    let expected = response.content_length();
    let mut data = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| format!("Failed to download {uri}: {error}"))?
    {
        if data.len() + chunk.len() > WEB_DOWNLOAD_CAP {
            return Err("The provided image is too large.".to_string());
        }
        data.extend_from_slice(&chunk);
    }
    if let Some(expected) = expected.filter(|e| *e != data.len() as u64 && *e != 0) {
        return Err(format!(
            "Downloaded data size {} is different from expected {expected}",
            data.len()
        ));
    }
    Ok(data.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_as_glance_defaults() {
        assert!(allowed("http://example.org/cirros.img"));
        assert!(allowed("https://example.org:443/cirros.img"));
        assert!(!allowed("http://example.org:8080/cirros.img"));
        assert!(!allowed("ftp://example.org/cirros.img"));
        assert!(!allowed("file:///etc/passwd"));
        assert!(!allowed("not a url"));
    }

    #[tokio::test]
    async fn downloads_the_data_and_reports_failures() {
        use wiremock::{matchers::path, Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(path("/disk.img"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(b"disk".to_vec()))
            .mount(&server)
            .await;
        Mock::given(path("/missing"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let data = download(&format!("{}/disk.img", server.uri())).await;
        assert_eq!(data.unwrap(), Bytes::from_static(b"disk"));
        let missing = download(&format!("{}/missing", server.uri())).await;
        assert!(missing.unwrap_err().contains("HTTP Error 404 Not Found"));
    }
}
