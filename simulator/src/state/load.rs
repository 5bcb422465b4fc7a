//! Loading a state document into a running stack: all or nothing. The document is read,
//! checked and turned into the cloud's state and fault rules before anything changes; then the
//! cloud (clock, resources, fault rules) and the VNFM's records are replaced together.

use super::{validation::validate, StackState, StateDocument};
use crate::openstack::{faults::FaultBook, model::CloudState};

/// Why a document was not loaded (nothing changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The document is malformed, of another format or version, or inconsistent.
    Invalid(String),
    /// Operations of the running stack are in progress (their ids): loading would pull their
    /// records from under their tasks.
    Busy(Vec<String>),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(detail) => f.write_str(detail),
            Self::Busy(ids) => write!(
                f,
                "operation occurrences {} of this stack are in progress; load the state when they have ended",
                ids.join(", ")
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// What a load did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The operation occurrences that were in progress in the document, now stopped as after
    /// a VNFM restart (ROLLED_BACK from STARTING, FAILED_TEMP otherwise).
    pub interrupted_operations: Vec<String>,
}

impl StackState {
    /// Reads, checks and loads a document (see [`StackState::load`]).
    pub fn load_bytes(&self, bytes: &[u8]) -> Result<Loaded, LoadError> {
        let document = StateDocument::parse(bytes).map_err(LoadError::Invalid)?;
        self.load(document)
    }

    /// Replaces the stack's state with `document`. VIM bindings to the exporting cloud are
    /// re-pointed at this stack's cloud and subscriptions made on the exporting VNFM at this
    /// VNFM; the cloud clock continues from the document's time; operations in progress are
    /// stopped and notified. On `Err` nothing changed.
    pub fn load(&self, mut document: StateDocument) -> Result<Loaded, LoadError> {
        validate(&document).map_err(LoadError::Invalid)?;
        let profile = self.cloud.clock().profile();
        let state =
            CloudState::restore(document.cloud.resources, profile).map_err(LoadError::Invalid)?;
        let faults = FaultBook::restore("cloud_faults", document.cloud.faults)
            .map_err(LoadError::Invalid)?;
        let mut bases = vec![(document.vnfm_http_url, self.vnfm_http_url.clone())];
        if let (Some(from), Some(to)) = (document.vnfm_https_url, &self.vnfm_https_url) {
            bases.push((from, to.clone()));
        }
        document
            .vnfm
            .repoint(&document.cloud_url, self.cloud.public_url(), &bases);
        let running = self.vnfm.operations_running();
        if !running.is_empty() {
            return Err(LoadError::Busy(running));
        }
        {
            let mut current = self.cloud.state();
            self.cloud.clock().restore(&document.cloud.clock);
            *current = state;
        }
        {
            let mut current = self.cloud.faults();
            current.clear();
            *current = faults;
        }
        self.cloud.calls().clear();
        Ok(Loaded {
            interrupted_operations: self.vnfm.load(document.vnfm),
        })
    }
}
