//! Neutron's standard attributes: what every networking resource carries besides its own
//! fields (a description, a revision number, and when it was created and last changed).

use serde::{Deserialize, Serialize};

/// The standard attributes of a Neutron resource (saved as fields of the resource itself).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StandardAttributes {
    /// Free text the owner gives the resource.
    pub description: String,
    /// `revision_number`: 1 when created, one more at every change, so that a client can tell
    /// whether the resource changed since it read it.
    pub revision: u64,
    /// `created_at` (cloud time).
    pub created_ms: u64,
    /// `updated_at` (cloud time): the last change, or the creation until then.
    pub updated_ms: u64,
}

impl StandardAttributes {
    /// The attributes of a resource created at `now_ms`: revision 1, never changed.
    pub fn new(description: String, now_ms: u64) -> Self {
        Self {
            description,
            revision: 1,
            created_ms: now_ms,
            updated_ms: now_ms,
        }
    }

    /// Records a change of the resource at `now_ms`: the next revision, updated then.
    pub fn record_change(&mut self, now_ms: u64) {
        self.revision += 1;
        self.updated_ms = now_ms;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Network;

    #[test]
    fn a_record_saves_its_standard_attributes_as_its_own_fields() {
        let saved = json!({
            "id": "net-1",
            "project_id": "project-1",
            "name": "private",
            "description": "the project's network",
            "admin_state_up": true,
            "shared": false,
            "external": false,
            "mtu": 1450,
            "port_security_enabled": true,
            "revision": 3,
            "seq": 7,
            "created_ms": 1000,
            "updated_ms": 2500,
        });
        let network: Network = serde_json::from_value(saved.clone()).unwrap();
        assert_eq!(network.standard.description, "the project's network");
        assert_eq!(network.standard.revision, 3);
        assert_eq!(
            (network.standard.created_ms, network.standard.updated_ms),
            (1000, 2500)
        );
        assert_eq!(serde_json::to_value(&network).unwrap(), saved);
    }
}
