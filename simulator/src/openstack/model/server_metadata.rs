//! A server's metadata items (`/servers/{id}/metadata`): changed only while the server is
//! unlocked and in a stable state, at most [`MAX_SERVER_METADATA`] items.

use std::collections::BTreeMap;

use super::CloudState;
use crate::openstack::error::CloudError;

/// Nova's `metadata_items` quota (`maxServerMeta`).
pub const MAX_SERVER_METADATA: usize = 128;

/// How the given items change the server's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetadataChange {
    /// Added to the items, replacing those of the same keys (POST, PUT of one key).
    Merge,
    /// Replace every item (PUT).
    Replace,
}

impl CloudState {
    /// Changes a server's metadata and returns all its items.
    pub fn change_server_metadata(
        &mut self,
        project_id: &str,
        server_id: &str,
        items: BTreeMap<String, String>,
        change: MetadataChange,
        now_ms: u64,
    ) -> Result<BTreeMap<String, String>, CloudError> {
        let server = self.project_server(project_id, server_id)?;
        self.require_state(
            server,
            "update_metadata",
            &["active", "paused", "suspended", "stopped"],
        )?;
        let mut metadata = match change {
            MetadataChange::Merge => server.metadata.clone(),
            MetadataChange::Replace => BTreeMap::new(),
        };
        metadata.extend(items);
        if metadata.len() > MAX_SERVER_METADATA {
            return Err(CloudError::forbidden(format!(
                "Quota exceeded for metadata items: the maximum is {MAX_SERVER_METADATA}"
            )));
        }
        let server = self.servers.get_mut(server_id).expect("checked above");
        server.metadata = metadata.clone();
        server.updated_ms = now_ms;
        Ok(metadata)
    }

    /// Removes one metadata item; 404 when the server has no such key.
    pub fn delete_server_metadata(
        &mut self,
        project_id: &str,
        server_id: &str,
        key: &str,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let server = self.project_server(project_id, server_id)?;
        if !server.metadata.contains_key(key) {
            return Err(CloudError::not_found("Metadata item was not found"));
        }
        self.require_state(
            server,
            "delete_metadata",
            &["active", "paused", "suspended", "stopped"],
        )?;
        let server = self.servers.get_mut(server_id).expect("checked above");
        server.metadata.remove(key);
        server.updated_ms = now_ms;
        Ok(())
    }
}
