//! The state document: its format name and version, its parts, and reading one from bytes
//! with an error that names what is wrong.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    openstack::{clock::ClockReading, faults::SavedRule, model::SavedCloud},
    vnfm::SavedRecords,
};

/// The `format` of every state document.
pub const FORMAT_NAME: &str = "vnf-snapshot-kit/stack-state";

/// The `format_version` this simulator writes and reads.
pub const FORMAT_VERSION: u32 = 2;

/// The whole stack's state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDocument {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] for the documents this simulator reads.
    pub format_version: u32,
    /// The exporting cloud (scheme, host and port): VIM bindings to it are re-pointed at the
    /// loading cloud.
    pub cloud_url: String,
    /// The exporting VNFM's public HTTP base: subscriptions made there are re-pointed at the
    /// loading VNFM.
    pub vnfm_http_url: String,
    /// The exporting VNFM's public HTTPS base, if it served one.
    pub vnfm_https_url: Option<String>,
    /// The fake cloud.
    pub cloud: CloudPart,
    /// The VNFM's records.
    pub vnfm: SavedRecords,
}

/// The cloud's part of a state document.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudPart {
    /// Cloud time and the wall-clock time of cloud time 0.
    pub clock: ClockReading,
    /// The fault rules, in the order they apply.
    pub faults: Vec<SavedRule>,
    /// Every resource, with the pending status changes.
    pub resources: SavedCloud,
}

impl StateDocument {
    /// Reads a document: JSON first, then its format name and version (so that a document of
    /// another format or version is named as such), then its shape; `Err` says what is wrong
    /// and where.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|error| format!("the state document is not JSON: {error}"))?;
        let Value::Object(fields) = &value else {
            return Err("the state document must be a JSON object".into());
        };
        match fields.get("format") {
            Some(Value::String(name)) if name == FORMAT_NAME => {}
            Some(other) => {
                return Err(format!(
                    "format is {other}, not a state document of this simulator (expected \"{FORMAT_NAME}\")"
                ))
            }
            None => return Err(format!("format is missing (expected \"{FORMAT_NAME}\")")),
        }
        match fields.get("format_version") {
            Some(version) if version.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
            Some(version) => {
                return Err(format!(
                    "format_version {version} is not supported: this simulator reads version {FORMAT_VERSION}"
                ))
            }
            None => return Err("format_version is missing".into()),
        }
        serde_path_to_error::deserialize(value).map_err(|error| {
            format!(
                "the state document is malformed at {}: {}",
                error.path(),
                error.inner()
            )
        })
    }
}
