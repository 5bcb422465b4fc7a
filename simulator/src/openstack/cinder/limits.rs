//! `GET /limits`: absolute limits and usage of the project.

use crate::openstack::handler_prelude::*;

/// `GET /limits`.
pub async fn show(Call { cloud, scope, .. }: Call) -> Json<Value> {
    let state = cloud.state();
    let quota = state.quota(&scope.project_id);
    let used = state.usage(&scope.project_id);
    Json(json!({"limits": {"rate": [], "absolute": {
        "maxTotalVolumes": quota.volumes,
        "maxTotalSnapshots": quota.snapshots,
        "maxTotalVolumeGigabytes": quota.gigabytes,
        "maxTotalBackups": 10,
        "maxTotalBackupGigabytes": 1000,
        "totalVolumesUsed": used.volumes,
        "totalSnapshotsUsed": used.snapshots,
        "totalGigabytesUsed": used.gigabytes,
        "totalBackupsUsed": 0,
        "totalBackupGigabytesUsed": 0
    }}}))
}
