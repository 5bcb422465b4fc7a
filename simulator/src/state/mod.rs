//! Saving and replaying the whole stack's state: one JSON document (format
//! [`FORMAT_NAME`], version [`FORMAT_VERSION`]) with the cloud's resources, fault rules and
//! clock and the VNFM's records, exported and loaded through the control API
//! (`GET /_sim/state/export`, `POST /_sim/state/load`) or loaded at start-up
//! (`simulator --load-state FILE`).
//!
//! One concept per file: [`document`] (the format and reading it), `export`, [`validation`]
//! (what makes a document inconsistent) and `load` (all or nothing, re-pointing VIM bindings
//! and API roots at the loading stack, stopping operations that were in progress as after a
//! restart); `routes` serves both on the control API.

pub mod document;
mod export;
mod load;
mod routes;
pub mod validation;

pub use document::{CloudPart, StateDocument, FORMAT_NAME, FORMAT_VERSION};
pub use load::{LoadError, Loaded};
pub use routes::routes;

use crate::{
    openstack::Cloud,
    vnfm::{Vnfm, VnfmRecords},
};

/// The parts of a running stack that a state document covers.
#[derive(Clone)]
pub struct StackState {
    cloud: Cloud,
    vnfm: VnfmRecords,
    vnfm_http_url: String,
    vnfm_https_url: Option<String>,
}

impl StackState {
    /// The state of `cloud` and `vnfm` (the VNFM whose default VIM is that cloud).
    pub fn new(cloud: &Cloud, vnfm: &Vnfm) -> Self {
        Self {
            cloud: cloud.clone(),
            vnfm: vnfm.records(),
            vnfm_http_url: vnfm.http_url().to_string(),
            vnfm_https_url: vnfm.https_url().map(str::to_string),
        }
    }
}
