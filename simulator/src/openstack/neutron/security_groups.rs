//! `/v2.0/security-groups`: list (making the caller's `default` group on first use), show,
//! create, update, delete.

use serde_json::Value;

use super::{
    attributes::Attributes,
    resource::{in_order, Resource, Update},
    views,
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{Caller, CloudState},
};

const ATTRIBUTES: [&str; 2] = ["name", "stateful"];

/// `/v2.0/security-groups`.
pub struct SecurityGroups;

impl Resource for SecurityGroups {
    const ONE: &'static str = "security_group";
    const MANY: &'static str = "security_groups";

    /// The caller's groups (every group for an admin), making the caller's `default` group on
    /// first use.
    fn list(cloud: &Cloud, state: &mut CloudState, caller: Caller<'_>, now_ms: u64) -> Vec<Value> {
        state.ensure_default_security_group(caller.project_id, now_ms);
        let owned = state
            .security_groups
            .values()
            .filter(|g| caller.owns(&g.project_id));
        in_order(owned, |g| g.seq, |g| views::security_group(cloud, g))
    }

    fn show(
        cloud: &Cloud,
        state: &CloudState,
        caller: Caller<'_>,
        id: &str,
    ) -> Result<Value, CloudError> {
        Ok(views::security_group(
            cloud,
            state.security_group(caller, id)?,
        ))
    }

    /// With the two egress rules Neutron adds.
    fn create(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        item: &Value,
        now_ms: u64,
    ) -> Result<(String, Value), CloudError> {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        let name = attributes.string("name")?.unwrap_or_default();
        let description = attributes.string("description")?.unwrap_or_default();
        let owner = attributes.owner()?;
        let group =
            state.create_security_group(caller, owner.as_deref(), name, description, now_ms)?;
        Ok((group.id.clone(), views::security_group(cloud, &group)))
    }

    fn undo(state: &mut CloudState, _: Caller<'_>, id: &str) {
        state.security_groups.remove(id);
    }

    /// 409 while a port uses the group.
    fn delete(
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        _: u64,
    ) -> Result<(), CloudError> {
        state.delete_security_group(caller, id)
    }
}

/// Name and description.
impl Update for SecurityGroups {
    type Changes = (Option<String>, Option<String>);

    fn changes(item: &Value) -> Result<Self::Changes, CloudError> {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        Ok((
            attributes.string("name")?,
            attributes.string("description")?,
        ))
    }

    fn update(
        cloud: &Cloud,
        state: &mut CloudState,
        caller: Caller<'_>,
        id: &str,
        (name, description): Self::Changes,
        now_ms: u64,
    ) -> Result<Value, CloudError> {
        let group = state.update_security_group(caller, id, name, description, now_ms)?;
        Ok(views::security_group(cloud, &group))
    }
}
