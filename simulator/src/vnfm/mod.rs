//! The reference VNFM: ETSI SOL003 (`or_vnfm`) and SOL002 (`ve_vnfm`) VNF LCM v2, with the full
//! VNF snapshot lifecycle.
//!
//! Start it in-process with [`Vnfm::start`] (plain HTTP and optionally HTTPS listeners), or
//! take the bare [`router`] for tests.

mod api;
mod clock;
mod conductor;
pub mod config;
pub mod descriptors;
pub mod deviation;
mod error;
pub mod faults;
mod links;
mod notify;
mod op_rules;
pub mod profile;
pub mod query;
mod records;
mod representation;
mod server;
mod services;
mod store;
pub mod types;
pub mod vim;
mod vim_binding;

pub use api::version::API_VERSION;
pub use config::{RetryPolicy, VnfmConfig};
pub use deviation::{Deviation, Deviations};
pub use links::Api;
pub use profile::Profile;
pub use records::VnfmRecords;
pub use server::{router, TlsListener, Vnfm};
pub use store::{CloudReference, CloudResource, SavedRecords};
