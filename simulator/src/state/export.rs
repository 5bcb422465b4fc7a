//! Exporting the stack's state as one document.

use super::{CloudPart, StackState, StateDocument, FORMAT_NAME, FORMAT_VERSION};

impl StackState {
    /// The whole stack's state now: the fault rules, then the clock and the resources read
    /// together under the cloud's state lock, then the VNFM's records.
    pub fn export(&self) -> StateDocument {
        let faults = self.cloud.faults().save();
        let cloud = {
            let state = self.cloud.state();
            CloudPart {
                clock: self.cloud.clock().reading(),
                faults,
                resources: state.save(),
            }
        };
        StateDocument {
            format: FORMAT_NAME.to_string(),
            format_version: FORMAT_VERSION,
            cloud_url: self.cloud.public_url().to_string(),
            vnfm_http_url: self.vnfm_http_url.clone(),
            vnfm_https_url: self.vnfm_https_url.clone(),
            cloud,
            vnfm: self.vnfm.save(),
        }
    }
}
