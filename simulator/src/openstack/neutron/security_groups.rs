//! `/v2.0/security-groups`: list (making the caller's `default` group on first use), show,
//! create, update, delete.

use serde_json::Value;

use super::{
    attributes::Attributes,
    resource::{in_order, Context, Made, Resource, Update, View},
    views,
};
use crate::openstack::{error::CloudError, model::CloudState};

const ATTRIBUTES: [&str; 2] = ["name", "stateful"];

/// `/v2.0/security-groups`.
pub struct SecurityGroups;

impl Resource for SecurityGroups {
    const ONE: &'static str = "security_group";
    const MANY: &'static str = "security_groups";

    /// The caller's groups (every group for an admin), making the caller's `default` group on
    /// first use.
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        state.ensure_default_security_group(cx.caller.project_id, cx.now_ms);
        let owned = state
            .security_groups
            .values()
            .filter(|g| cx.caller.owns(&g.project_id));
        in_order(owned, |g| g.seq, |g| views::security_group(cx.cloud, g))
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        Ok(views::security_group(
            cx.cloud,
            state.security_group(cx.caller, id)?,
        ))
    }

    /// With the two egress rules Neutron adds.
    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        let name = attributes.string("name")?.unwrap_or_default();
        let description = attributes.string("description")?.unwrap_or_default();
        let owner = attributes.owner()?;
        let group = state.create_security_group(
            cx.caller,
            owner.as_deref(),
            name,
            description,
            cx.now_ms,
        )?;
        Ok((group.id.clone(), views::security_group(cx.cloud, &group)))
    }

    fn undo(_: &Context<'_>, state: &mut CloudState, id: &str) {
        state.security_groups.remove(id);
    }

    /// 409 while a port uses the group.
    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_security_group(cx.caller, id)
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
        cx: &Context<'_>,
        state: &mut CloudState,
        id: &str,
        (name, description): Self::Changes,
    ) -> View {
        let group = state.update_security_group(cx.caller, id, name, description, cx.now_ms)?;
        Ok(views::security_group(cx.cloud, &group))
    }
}
