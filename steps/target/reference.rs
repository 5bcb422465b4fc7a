//! The in-process reference stack: the simulated cloud and the reference VNFM on loopback
//! ports; SOL003 over HTTPS (trusting the VNFM's self-signed certificate) with HTTP Basic,
//! SOL002 over HTTP with an OAuth 2.0 client-credentials token, so both paths are exercised.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

use serde_json::json;
use simulator::{
    kit::SimControl,
    stack::{Stack, StackOptions},
};

use super::{
    capabilities::Capabilities, config::AuthConfig, config::FixtureConfig, config::OutOfBandVolume,
    Target,
};
use crate::{
    cloud::{Observer, OsCredentials},
    failure::{Failure, Outcome},
    http::ApiClient,
    schema::Schemas,
    sink::NotificationSink,
    snapshot::BodyStore,
};

/// How long the reference VNFM waits on a cloud resource stuck in a transitional status. The
/// `instant` cloud shows a healthy resource final at the first look, and the VNFM gives a
/// resource up only on a look taken after this wait, so the value bounds the stuck-resource
/// scenarios without deciding any verdict.
const RESOURCE_WAIT: Duration = Duration::from_secs(2);

/// How long an operation may take before a step gives up, and one request to the VNFM: both
/// generous, reached only when something is really wrong, whatever the load of the machine.
/// The VNFM's own cloud request timeout keeps its default (30 s) for the same reason.
const OPERATION_DEADLINE: Duration = Duration::from_secs(120);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// Starts the stack and points the suite at it.
pub async fn start(repo: &Path, report_dir: PathBuf, schemas: Schemas) -> Outcome<Target> {
    simulator::tls::install_crypto_provider();
    let mut options = StackOptions::default();
    options.vnfm.strict_version = true;
    options.vnfm.vim_timing.resource_deadline = RESOURCE_WAIT;
    let stack = Stack::start(options)
        .await
        .map_err(|e| Failure::new(format!("the reference stack did not start: {e}")))?;
    let certificate = reqwest::Certificate::from_pem(stack.vnfm_ca_pem().as_bytes())?;
    let http = reqwest::Client::builder()
        .add_root_certificate(certificate)
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let sol003 = ApiClient::new(
        AuthConfig::Basic {
            username: "admin".into(),
            password: "admin".into(),
        }
        .vnfm_client(
            &format!("{}/or_vnfm/vnflcm/v2", stack.vnfm_https_url()),
            "2.0.0",
            http.clone(),
        ),
    );
    let sol002 = ApiClient::new(
        AuthConfig::Oauth2 {
            token_url: format!("{}/oauth2/token", stack.vnfm_http_url()),
            client_id: "nfvo".into(),
            client_secret: "nfvo-secret".into(),
            scope: None,
        }
        .vnfm_client(
            &format!("{}/ve_vnfm/vnflcm/v2", stack.vnfm_http_url()),
            "2.0.0",
            http.clone(),
        ),
    );
    let cloud_url = stack.cloud_url().to_string();
    let vnfm_control = stack.vnfm_control().with_http_client(http.clone());
    // The stack serves every scenario until the process exits.
    Box::leak(Box::new(stack));
    let observer = Observer::new(
        http.clone(),
        OsCredentials {
            auth_url: format!("{cloud_url}/identity/v3"),
            username: "admin".into(),
            password: "admin".into(),
            user_domain: "Default".into(),
            project: "admin".into(),
            project_domain: "Default".into(),
        },
    );
    let sink = NotificationSink::start(([127, 0, 0, 1], 0).into(), None).await?;
    Ok(Target {
        label: "reference stack (in-process)".into(),
        reference: true,
        version_header_required: true,
        sol003,
        sol002,
        sink,
        observer,
        control: Some(SimControl::new(&cloud_url).with_http_client(http)),
        vnfm_control: Some(vnfm_control),
        fixtures: fixtures(),
        bodies: BodyStore::Insta(repo.join("snapshots")),
        schemas,
        report_dir,
        operation_deadline: OPERATION_DEADLINE,
        resource_wait: RESOURCE_WAIT,
        capabilities: Capabilities::all(),
        data_probe: None,
        handed_out: Mutex::new(HashMap::new()),
    })
}

/// The reference VNFM's built-in descriptors as fixtures.
fn fixtures() -> std::collections::BTreeMap<String, FixtureConfig> {
    let instantiated = |vnfd: &str| FixtureConfig::Create {
        vnfd_id: vnfd.into(),
        instantiate: Some(json!({"flavourId": "default"})),
        out_of_band_volume: None,
    };
    [
        ("vb-1vdu", instantiated("vnfd-vb-1vdu")),
        ("vb-2vdu", instantiated("vnfd-vb-2vdu")),
        ("ib-1vdu", instantiated("vnfd-ib-1vdu")),
        ("ib-1vdu-data", instantiated("vnfd-ib-1vdu-data")),
        (
            "vb-oob",
            FixtureConfig::Create {
                vnfd_id: "vnfd-vb-oob".into(),
                instantiate: Some(json!({"flavourId": "default"})),
                out_of_band_volume: Some(OutOfBandVolume {
                    virtual_storage_desc_id: "VDU1-oob".into(),
                    size_gb: 1,
                }),
            },
        ),
        (
            "vcd-1vdu",
            FixtureConfig::Create {
                vnfd_id: "vnfd-vcd-1vdu".into(),
                instantiate: Some(json!({
                    "flavourId": "default",
                    "vimConnectionInfo": {"vim1": {
                        "vimType": "VMWARE_VCD",
                        "interfaceInfo": {"endpoint": "https://vcd.invalid/api"},
                        "accessInfo": {"username": "admin", "password": "admin"}}}
                })),
                out_of_band_volume: None,
            },
        ),
        (
            "not-instantiated",
            FixtureConfig::Create {
                vnfd_id: "vnfd-vb-1vdu".into(),
                instantiate: None,
                out_of_band_volume: None,
            },
        ),
    ]
    .into_iter()
    .map(|(name, fixture)| (name.to_string(), fixture))
    .collect()
}
