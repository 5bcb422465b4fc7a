//! The clients that tests, benchmarks and the demo use to drive the stack, written once.
//!
//! ```
//! use simulator::{
//!     kit::Fault,
//!     openstack::{clock::TimeProfile, service::Service, Cloud, CloudConfig},
//! };
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let cloud = Cloud::start_local(CloudConfig {
//!     time_profile: TimeProfile::Instant,
//!     ..CloudConfig::default()
//! })
//! .await
//! .unwrap();
//! let control = cloud.control();
//! let project = control.create_project("tenant-a").await.unwrap();
//! let rule = Fault::on(Service::Cinder)
//!     .operation("snapshots.create")
//!     .project(&project)
//!     .error(500)
//!     .times(1);
//! let id = control.add_fault(&rule).await.unwrap();
//! control.remove_fault(&id).await.unwrap();
//! # }
//! ```

mod control;
mod control_endpoint;
mod disks;
mod error;
mod fault;
mod keystone;
mod rule_setters;
mod vnfm;
mod vnfm_auth;
mod vnfm_control;
mod vnfm_fault;

pub use control::{SimApi, SimControl};
pub use control_endpoint::{ControlApi, ControlClient};
pub use disks::ServerTimeline;
pub use error::CallError;
pub use fault::Fault;
pub use keystone::{KeystoneClient, PasswordAuth, ScopedToken};
pub use vnfm::{VnfmClient, API_VERSION};
pub use vnfm_auth::OAuth2ClientCredentials;
pub use vnfm_control::{VnfmControl, VnfmFaultsApi};
pub use vnfm_fault::VnfmFault;
