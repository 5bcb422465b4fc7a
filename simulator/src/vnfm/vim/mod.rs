//! The VNFM's view of a VIM: an OpenStack cloud reached only through its public HTTP APIs
//! (Keystone v3, Nova, Cinder v3, Glance v2, Neutron v2.0). Nothing here knows about ETSI data types; the
//! conductor translates between VNF-level plans and these cloud-level calls.
//!
//! One concept per file: `session` (Keystone auth, token cache, catalog), `errors` (cloud
//! answers to [`VimError`]), `wait` (polling with a deadline), one file per service (`nova`,
//! `cinder`, `glance`, `neutron`), the VNF's internal network (`virtual_link`) and the
//! VNFC-level flows (`deploy`, `snapshot`, `revert`). The
//! conductor reaches a VIM through the [`VimDriver`] trait (`driver`): [`OpenStackVim`], or
//! [`TrackedVim`] (`tracked`) for VIM types this VNFM only tracks.

use serde::{Deserialize, Serialize};

mod cinder;
mod deploy;
mod driver;
mod errors;
mod glance;
mod neutron;
mod nova;
mod revert;
mod session;
mod snapshot;
mod tracked;
mod virtual_link;
mod wait;

#[cfg(test)]
mod mock_cloud;

use std::{sync::Arc, time::Duration};

pub use driver::{VimCall, VimDriver};
pub use tracked::TrackedVim;

use session::Session;

/// Credentials and endpoint of one OpenStack VIM (Keystone v3 password auth, project scope).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenStackAccess {
    /// Keystone v3 URL, e.g. `http://127.0.0.1:5000/identity/v3` (`/v3` is appended when
    /// missing).
    pub auth_url: String,
    /// User name (password method).
    pub username: String,
    /// The user's password (never logged nor shown by `Debug`).
    pub password: String,
    /// Project to scope the token to.
    pub project_name: String,
    /// Domain of the user, by name (e.g. `Default`).
    pub user_domain_name: String,
    /// Domain of the project, by name.
    pub project_domain_name: String,
    /// Region to pick endpoints from; the first endpoint of the right interface when `None`.
    pub region: Option<String>,
}

impl OpenStackAccess {
    /// The `admin` user (password `admin`) of project `admin`, both in the `Default` domain:
    /// the fake cloud's administrator, at the Keystone `auth_url`.
    pub fn admin_at(auth_url: impl Into<String>) -> Self {
        Self {
            auth_url: auth_url.into(),
            username: "admin".into(),
            password: "admin".into(),
            project_name: "admin".into(),
            user_domain_name: "Default".into(),
            project_domain_name: "Default".into(),
            region: None,
        }
    }
}

/// Shows everything but the password.
impl std::fmt::Debug for OpenStackAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenStackAccess")
            .field("auth_url", &self.auth_url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("project_name", &self.project_name)
            .field("user_domain_name", &self.user_domain_name)
            .field("project_domain_name", &self.project_domain_name)
            .field("region", &self.region)
            .finish()
    }
}

/// How long to wait for the cloud and how often to poll it.
#[derive(Clone, Copy, Debug)]
pub struct VimTiming {
    /// Pause between two polls of a resource in a transitional status.
    pub poll_interval: Duration,
    /// Give up waiting for one resource after this long (the operation then fails with
    /// [`VimErrorKind::Timeout`]).
    pub resource_deadline: Duration,
    /// Timeout of one HTTP request.
    pub request_timeout: Duration,
}

/// Polls every 2 s, waits up to 10 min per resource, 60 s per request.
impl Default for VimTiming {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            resource_deadline: Duration::from_secs(600),
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// What went wrong talking to the cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VimErrorKind {
    /// Connection refused, reset or closed without an answer.
    Unreachable,
    /// A request or a wait ran past its deadline.
    Timeout,
    /// The cloud refused for quota (Nova 403 quota, Cinder 413, Glance 413, Neutron 409
    /// `OverQuota`).
    Quota,
    /// Authentication failed (Keystone 401 on password auth).
    Auth,
    /// Any other 4xx from the cloud.
    Rejected,
    /// A 5xx from the cloud.
    ServerError,
    /// A resource went to an error status (`ERROR`, `error`, `killed`, ...).
    ResourceFailed,
}

/// An error from the VIM, with a message that carries the cloud's own words (service, call,
/// status and the message from the error body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VimError {
    /// What went wrong.
    pub kind: VimErrorKind,
    /// Service, call, status and the cloud's message (or what was waited for).
    pub message: String,
}

impl std::fmt::Display for VimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VimError {}

/// How a VDU boots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BootSource {
    /// Boot from a Glance image (image-backed server, ephemeral root disk).
    Image {
        /// Glance image name.
        image_name: String,
    },
    /// Boot from a new bootable Cinder volume created from the image (volume-backed server).
    Volume {
        /// Glance image name.
        image_name: String,
        /// Size of the boot volume.
        size_gb: u32,
    },
}

/// A volume to attach to a VDU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumePlan {
    /// `virtualStorageDescId` of the VNFD.
    pub virtual_storage_desc_id: String,
    /// Size of a volume to create.
    pub size_gb: u32,
    /// An out-of-band volume (created beforehand, not owned by the VNF) to attach instead of
    /// creating one.
    pub existing_volume_id: Option<String>,
}

/// What to deploy for one VNFC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VduPlan {
    /// VDU id of the VNFD.
    pub vdu_id: String,
    /// Server name on the cloud.
    pub server_name: String,
    /// Nova flavor name (looked up by name).
    pub flavor_name: String,
    /// How the server boots.
    pub boot: BootSource,
    /// Data volumes, attached in this order.
    pub volumes: Vec<VolumePlan>,
    /// Connection points, one Neutron port each, in this order (none: the server boots
    /// without a network).
    pub ports: Vec<PortPlan>,
}

/// A connection point of a VDU: a port to create on a network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortPlan {
    /// `cpdId` of the VNFD.
    pub cpd_id: String,
    /// Neutron network of the port.
    pub network_id: String,
}

/// A connection point as deployed: a user-created Neutron port (Nova keeps it, unbound, when
/// the server is deleted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedPort {
    /// `cpdId` of the VNFD.
    pub cpd_id: String,
    /// Neutron port id.
    pub port_id: String,
    /// Neutron network of the port.
    pub network_id: String,
}

/// The internal network of a VNF instance: a Neutron network with one IPv4 subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedVirtualLink {
    /// Neutron network id.
    pub network_id: String,
    /// Neutron subnet id.
    pub subnet_id: String,
}

/// A volume as deployed for a VNFC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedVolume {
    /// `virtualStorageDescId`, or `"<vduId>-boot"`-style id for the boot volume.
    pub virtual_storage_desc_id: String,
    /// Cinder volume id.
    pub volume_id: String,
    /// The server boots from it.
    pub bootable: bool,
    /// Attached but not owned by the VNF: never created nor deleted by the driver.
    pub out_of_band: bool,
}

/// A VNFC as deployed on the cloud.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedVnfc {
    /// VDU id of the VNFD.
    pub vdu_id: String,
    /// Nova server id.
    pub server_id: String,
    /// Boot volume first (when volume-backed), then data volumes.
    pub volumes: Vec<DeployedVolume>,
    /// The server's ports, in plan order.
    pub ports: Vec<DeployedPort>,
}

/// The cloud resources of one VNFC snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnfcSnapshotResources {
    /// Glance image made by Nova `createImage` (shared with the resource handle that names it).
    pub image_id: Arc<str>,
    /// `(volume id, Cinder snapshot id)` for each volume of the VNFC.
    pub volume_snapshots: Vec<(String, Arc<str>)>,
}

impl VnfcSnapshotResources {
    /// The image and the `(volume id, snapshot id)` pairs, held to fit.
    pub fn new(image_id: String, volume_snapshots: Vec<(String, String)>) -> Self {
        Self {
            image_id: image_id.into(),
            volume_snapshots: volume_snapshots
                .into_iter()
                .map(|(volume_id, snapshot_id)| (volume_id, snapshot_id.into()))
                .collect(),
        }
    }
}

/// One cloud artefact of a VNFC snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotArtefact {
    /// The Glance image (its id).
    Image(String),
    /// A Cinder volume snapshot (its id).
    VolumeSnapshot(String),
}

/// The outcome of reverting one VNFC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevertedVnfc {
    /// The VNFC as it now runs (new server, new volumes).
    pub vnfc: DeployedVnfc,
    /// Old volumes that could not be deleted, with the cloud's reason (they still have
    /// snapshots): the documented revert limitation.
    pub left_on_vim: Vec<(String, String)>,
}

/// A connection to one OpenStack VIM. Clones share the token cache.
#[derive(Clone, Debug)]
pub struct OpenStackVim {
    session: Arc<Session>,
}

impl OpenStackVim {
    /// Creates a connection; nothing is sent until the first call.
    pub fn new(access: OpenStackAccess, timing: VimTiming) -> Self {
        Self {
            session: Arc::new(Session::new(access, timing)),
        }
    }

    /// A connection for `access` (another project or user) that sends through this one's HTTP
    /// client, so that the system's trust store is read once; its token cache is its own.
    pub fn sharing_client(&self, access: OpenStackAccess, timing: VimTiming) -> Self {
        Self {
            session: Arc::new(self.session.sharing_client(access, timing)),
        }
    }

    /// Creates a connection that sends through `client` (e.g. one trusting a private CA);
    /// the request timeout of `timing` still applies to each request.
    pub fn with_http_client(
        access: OpenStackAccess,
        timing: VimTiming,
        client: reqwest::Client,
    ) -> Self {
        Self {
            session: Arc::new(Session::with_client(access, timing, client)),
        }
    }

    /// Authenticates (unless a valid token is cached), checking the credentials and reaching
    /// Keystone.
    pub async fn check(&self) -> Result<(), VimError> {
        self.session.authenticate().await
    }

    /// Creates a Neutron network named `name` with an IPv4 subnet `cidr` (the VNF's internal
    /// virtual link). On failure, deletes what it created and returns the error.
    pub async fn create_virtual_link(
        &self,
        name: &str,
        cidr: &str,
    ) -> Result<DeployedVirtualLink, VimError> {
        virtual_link::create(&self.session, name, cidr).await
    }

    /// Deletes the subnet and network of a virtual link (gone already counts as done).
    pub async fn delete_virtual_link(&self, link: &DeployedVirtualLink) -> Result<(), VimError> {
        virtual_link::delete(&self.session, link).await
    }

    /// The fixed IP addresses of a port (`None` when Neutron no longer knows it).
    pub async fn port_addresses(&self, port_id: &str) -> Result<Option<Vec<String>>, VimError> {
        Ok(neutron::Neutron(&self.session)
            .port(port_id)
            .await?
            .map(|port| port.ip_addresses))
    }

    /// Creates the VNFC's volumes (or checks the out-of-band ones) and ports, boots its server
    /// on the ports, attaches the data volumes and waits until the server is ACTIVE and volumes
    /// are in-use. On failure, deletes what it created and returns the error.
    pub async fn deploy_vnfc(&self, plan: &VduPlan) -> Result<DeployedVnfc, VimError> {
        deploy::deploy(&self.session, plan).await
    }

    /// Deletes the server, then its ports and the VNF-managed volumes (never out-of-band
    /// ones). Volumes the cloud refuses to delete (they have snapshots) are returned with the
    /// reason.
    pub async fn undeploy_vnfc(
        &self,
        vnfc: &DeployedVnfc,
    ) -> Result<Vec<(String, String)>, VimError> {
        deploy::undeploy(&self.session, vnfc).await
    }

    /// Snapshots one VNFC: Nova `createImage` named `name` (for a volume-backed server Nova
    /// makes the `snapshot for <name>` Cinder snapshots itself); volumes the image does not
    /// cover get a forced Cinder snapshot named `snapshot for <name>`. Waits until the image is
    /// active and the snapshots available. Does not clean up on failure (see
    /// [`Self::delete_snapshot_by_name`]).
    pub async fn snapshot_vnfc(
        &self,
        vnfc: &DeployedVnfc,
        name: &str,
    ) -> Result<VnfcSnapshotResources, VimError> {
        snapshot::snapshot(&self.session, vnfc, name).await
    }

    /// Snapshots one VNFC the wrong way (the `image-copied-from-boot-image` deviation): the
    /// image named `name` is a copy of the image the server booted from, not an image of its
    /// disk; the volumes are snapshotted as usual.
    pub async fn copy_boot_image(
        &self,
        vnfc: &DeployedVnfc,
        name: &str,
    ) -> Result<VnfcSnapshotResources, VimError> {
        snapshot::copy_boot_image(&self.session, vnfc, name).await
    }

    /// Deletes every image named `name` and every volume snapshot named `snapshot for <name>`
    /// (cleanup of a partial or complete VNFC snapshot) and waits until they are gone.
    pub async fn delete_snapshot_by_name(&self, name: &str) -> Result<(), VimError> {
        snapshot::delete_by_name(&self.session, name).await
    }

    /// Deletes the given image and volume snapshots (404 counts as gone) and waits until they
    /// are gone.
    pub async fn delete_snapshot_resources(
        &self,
        resources: &VnfcSnapshotResources,
    ) -> Result<(), VimError> {
        snapshot::delete_resources(&self.session, resources).await
    }

    /// Deletes one image or volume snapshot (404 counts as gone) and waits until it is gone.
    pub async fn delete_snapshot_artefact(
        &self,
        artefact: &SnapshotArtefact,
    ) -> Result<(), VimError> {
        match artefact {
            SnapshotArtefact::Image(id) => glance::Glance(&self.session).delete_image(id).await,
            SnapshotArtefact::VolumeSnapshot(id) => {
                cinder::Cinder(&self.session).delete_snapshot(id).await
            }
        }
    }

    /// Deletes a volume an operation left because it had snapshots, once settled, and waits
    /// until it is gone (gone already counts as done); answers the cloud's reason when it still
    /// refuses.
    pub async fn delete_left_volume(&self, volume_id: &str) -> Result<Option<String>, VimError> {
        cinder::Cinder(&self.session).delete_volume(volume_id).await
    }

    /// Reverts a volume-backed VNFC to a snapshot: deletes the server, creates new volumes from
    /// the Cinder snapshots, boots a new server from the new boot volume with the new data
    /// volumes on the VNFC's same ports (so its addresses stay), then tries to delete the old VNF-managed volumes; those the cloud refuses are
    /// left and reported.
    ///
    /// The new volumes are made (and become available) before the old server is deleted. A
    /// VNFC without a bootable volume or with out-of-band volumes cannot be reverted
    /// ([`VimErrorKind::Rejected`], nothing touched). If the new server fails, it and the new
    /// volumes are deleted and the old volumes are kept.
    pub async fn revert_vnfc(
        &self,
        vnfc: &DeployedVnfc,
        plan: &VduPlan,
        snapshot: &VnfcSnapshotResources,
    ) -> Result<RevertedVnfc, VimError> {
        revert::revert(&self.session, vnfc, plan, snapshot).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn check_authenticates_through_a_given_http_client() {
        let cloud = mock_cloud::MockCloud::start().await;
        crate::tls::install_crypto_provider();
        let client = reqwest::Client::builder().build().unwrap();
        let vim = OpenStackVim::with_http_client(cloud.access(), mock_cloud::fast_timing(), client);
        vim.check().await.unwrap();
        // Clones share the cached token.
        vim.clone().check().await.unwrap();
        assert_eq!(
            cloud.sent("POST", "/identity/v3/auth/tokens").await.len(),
            1
        );
    }

    #[test]
    fn default_timing_is_patient() {
        let timing = VimTiming::default();
        assert!(timing.poll_interval < timing.resource_deadline);
        assert!(timing.request_timeout <= timing.resource_deadline);
    }
}
