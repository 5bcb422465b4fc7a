//! An external VNFM described by a target file (`CONFORMANCE_TARGET=<file.toml>`).

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

use simulator::kit::{SimControl, VnfmControl};

use super::{
    config::{OpenStackConfig, TargetFile},
    Target,
};
use crate::{
    cloud::{clouds_yaml, Observer, OsCredentials},
    failure::{Failure, Outcome},
    http::ApiClient,
    schema::Schemas,
    sink::NotificationSink,
    snapshot::BodyStore,
};

/// Reads the target file and connects to what it names.
pub async fn start(
    repo: &Path,
    file: &Path,
    report_dir: PathBuf,
    schemas: Schemas,
) -> Outcome<Target> {
    simulator::tls::install_crypto_provider();
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::new(format!("cannot read target file {}: {e}", file.display())))?;
    let config: TargetFile = toml::from_str(&text)
        .map_err(|e| Failure::new(format!("target file {}: {e}", file.display())))?;
    let mut builder =
        reqwest::Client::builder().timeout(Duration::from_secs(config.request_timeout_secs));
    if let Some(ca) = &config.tls.ca_file {
        let path = repo.join(ca);
        let pem = std::fs::read(&path)
            .map_err(|e| Failure::new(format!("cannot read CA file {}: {e}", path.display())))?;
        builder = builder.add_root_certificate(reqwest::Certificate::from_pem(&pem)?);
    }
    if config.tls.insecure {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    let http = builder.build()?;
    // One client for both roots, so that an OAuth 2.0 token is shared.
    let vnfm = config
        .auth
        .vnfm_client(&config.sol003_root, &config.version, http.clone());
    let sol002 = ApiClient::new(vnfm.at_root(&config.sol002_root));
    let sol003 = ApiClient::new(vnfm);
    let sink = NotificationSink::start(
        config.notifications.bind,
        Some(&config.notifications.callback_base),
    )
    .await?;
    let observer = Observer::new(http.clone(), os_credentials(&config.openstack)?);
    Ok(Target {
        label: config.name,
        reference: false,
        version_header_required: config.version_header_required,
        sol003,
        sol002,
        sink,
        observer,
        control: config
            .control_url
            .map(|url| control_client(&url, http.clone(), config.control_token.as_deref())),
        vnfm_control: config
            .vnfm_control_url
            .map(|url| vnfm_control_client(&url, http, config.control_token.as_deref())),
        fixtures: config.fixtures,
        bodies: BodyStore::Files(report_dir.join("bodies")),
        schemas,
        report_dir,
        operation_deadline: Duration::from_secs(config.operation_timeout_secs),
        resource_wait: Duration::from_secs(config.vnfm_resource_wait_secs),
        capabilities: config.capabilities.clone(),
        data_probe: config.data_probe.clone(),
        handed_out: Mutex::new(HashMap::new()),
    })
}

/// The simulator's control API at `url`, reached with the target's HTTP client.
fn control_client(url: &str, http: reqwest::Client, token: Option<&str>) -> SimControl {
    let control = SimControl::new(url).with_http_client(http);
    match token {
        Some(token) => control.with_token(token),
        None => control,
    }
}

/// The reference VNFM's control API at `url`, reached with the target's HTTP client.
fn vnfm_control_client(url: &str, http: reqwest::Client, token: Option<&str>) -> VnfmControl {
    let control = VnfmControl::new(url).with_http_client(http);
    match token {
        Some(token) => control.with_token(token),
        None => control,
    }
}

fn os_credentials(config: &OpenStackConfig) -> Outcome<OsCredentials> {
    match config {
        OpenStackConfig::Env => {
            let var = |name: &str| {
                std::env::var(name).map_err(|_| Failure::new(format!("{name} is not set")))
            };
            let domain = |name: &str| std::env::var(name).unwrap_or_else(|_| "Default".into());
            Ok(OsCredentials {
                auth_url: var("OS_AUTH_URL")?,
                username: var("OS_USERNAME")?,
                password: var("OS_PASSWORD")?,
                project: var("OS_PROJECT_NAME")?,
                user_domain: domain("OS_USER_DOMAIN_NAME"),
                project_domain: domain("OS_PROJECT_DOMAIN_NAME"),
            })
        }
        OpenStackConfig::CloudsYaml { cloud, file } => {
            clouds_yaml::credentials(cloud, file.as_deref())
        }
        OpenStackConfig::Inline {
            auth_url,
            username,
            password,
            project_name,
            user_domain_name,
            project_domain_name,
        } => Ok(OsCredentials {
            auth_url: auth_url.clone(),
            username: username.clone(),
            password: password.clone(),
            project: project_name.clone(),
            user_domain: user_domain_name.clone(),
            project_domain: project_domain_name.clone(),
        }),
    }
}
