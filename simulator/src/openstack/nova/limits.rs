//! `GET /limits`: absolute limits and usage of the caller's project.

use crate::openstack::handler_prelude::*;
use crate::openstack::model::MAX_SERVER_METADATA;

/// `GET /limits`.
pub async fn show(Call { cloud, scope, .. }: Call) -> Json<Value> {
    let state = cloud.state();
    let quota = state.quota(&scope.project_id);
    let used = state.usage(&scope.project_id);
    Json(json!({"limits": {"rate": [], "absolute": {
        "maxTotalInstances": quota.instances,
        "maxTotalCores": quota.cores,
        "maxTotalRAMSize": quota.ram,
        "maxServerMeta": MAX_SERVER_METADATA,
        "maxImageMeta": 128,
        "maxPersonality": 5,
        "maxPersonalitySize": 10240,
        "maxTotalKeypairs": 100,
        "maxServerGroups": 10,
        "maxServerGroupMembers": 10,
        "maxTotalFloatingIps": -1,
        "maxSecurityGroups": -1,
        "maxSecurityGroupRules": -1,
        "totalInstancesUsed": used.instances,
        "totalCoresUsed": used.cores,
        "totalRAMUsed": used.ram,
        "totalFloatingIpsUsed": 0,
        "totalSecurityGroupsUsed": 0,
        "totalServerGroupsUsed": state.server_groups.values().filter(|g| g.project_id == *scope.project_id).count()
    }}}))
}
