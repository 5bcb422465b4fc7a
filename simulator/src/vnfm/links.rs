//! Absolute URLs of the resources under one API root.

use serde::{Deserialize, Serialize};

/// The reference point an API root serves (in fault rules: `sol003` or `or_vnfm`, `sol002` or
/// `ve_vnfm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// SOL003, Or-Vnfm: `/or_vnfm/vnflcm`.
    #[serde(alias = "or_vnfm")]
    Sol003,
    /// SOL002, Ve-Vnfm: `/ve_vnfm/vnflcm`.
    #[serde(alias = "ve_vnfm")]
    Sol002,
}

impl Api {
    /// The path of the API name under the public base (`{apiRoot}/vnflcm`).
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Sol003 => "/or_vnfm/vnflcm",
            Self::Sol002 => "/ve_vnfm/vnflcm",
        }
    }
}

/// One API root as a client reaches it: reference point plus public base URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRoot {
    pub api: Api,
    /// `scheme://host:port` from the configuration.
    pub base: String,
}

impl ApiRoot {
    /// `…/vnflcm/v2`.
    pub fn v2(&self) -> String {
        format!("{}{}/v2", self.base, self.api.prefix())
    }

    /// `…/vnf_instances/{id}`.
    pub fn instance(&self, id: &str) -> String {
        format!("{}/vnf_instances/{id}", self.v2())
    }

    /// `…/vnf_instances/{id}/{task}`.
    pub fn instance_task(&self, id: &str, task: &str) -> String {
        format!("{}/{task}", self.instance(id))
    }

    /// `…/vnf_snapshots/{id}`.
    pub fn snapshot(&self, id: &str) -> String {
        format!("{}/vnf_snapshots/{id}", self.v2())
    }

    /// `…/vnf_lcm_op_occs/{id}`.
    pub fn op_occ(&self, id: &str) -> String {
        format!("{}/vnf_lcm_op_occs/{id}", self.v2())
    }

    /// `…/subscriptions/{id}`.
    pub fn subscription(&self, id: &str) -> String {
        format!("{}/subscriptions/{id}", self.v2())
    }
}
