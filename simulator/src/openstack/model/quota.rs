//! Per-project quotas and their enforcement, with the exact refusals Nova, Cinder and Glance give.

use serde::{Deserialize, Serialize};

use super::CloudState;
use crate::openstack::error::CloudError;

/// Limits of one project; `-1` means unlimited, as OpenStack writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuotaSet {
    pub instances: i64,
    pub cores: i64,
    pub ram: i64,
    pub volumes: i64,
    pub snapshots: i64,
    pub gigabytes: i64,
    pub images: i64,
}

impl Default for QuotaSet {
    /// Generous limits so that demos and parallel test runs do not trip them by accident.
    fn default() -> Self {
        Self {
            instances: 1_000,
            cores: 4_000,
            ram: 4_096_000,
            volumes: 5_000,
            snapshots: 20_000,
            gigabytes: 100_000,
            images: 20_000,
        }
    }
}

/// What a project currently uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuotaUsage {
    pub instances: i64,
    pub cores: i64,
    pub ram: i64,
    pub volumes: i64,
    pub snapshots: i64,
    pub gigabytes: i64,
    pub images: i64,
}

fn exceeds(limit: i64, used: i64, requested: i64) -> bool {
    limit >= 0 && used + requested > limit
}

impl CloudState {
    /// The quotas in force for a project.
    pub fn quota(&self, project_id: &str) -> QuotaSet {
        self.quotas
            .get(project_id)
            .copied()
            .unwrap_or(self.default_quotas)
    }

    /// Current usage of a project.
    pub fn usage(&self, project_id: &str) -> QuotaUsage {
        let mut usage = QuotaUsage::default();
        for server in self.servers.values().filter(|s| s.project_id == project_id) {
            usage.instances += 1;
            if let Some(flavor) = self.flavors.iter().find(|f| f.id == server.flavor_id) {
                usage.cores += i64::from(flavor.vcpus);
                usage.ram += i64::from(flavor.ram);
            }
        }
        for volume in self.volumes.values().filter(|v| v.project_id == project_id) {
            usage.volumes += 1;
            usage.gigabytes += i64::from(volume.size);
        }
        for snapshot in self
            .snapshots
            .values()
            .filter(|s| s.project_id == project_id)
        {
            usage.snapshots += 1;
            usage.gigabytes += i64::from(snapshot.size);
        }
        usage.images = self
            .images
            .values()
            .filter(|i| i.owner == project_id && !i.seeded)
            .count() as i64;
        usage
    }

    /// Nova's check before booting a server (403 `forbidden`).
    pub fn check_instance_quota(
        &self,
        project_id: &str,
        vcpus: u32,
        ram: u32,
    ) -> Result<(), CloudError> {
        let quota = self.quota(project_id);
        let used = self.usage(project_id);
        let checks = [
            ("instances", quota.instances, used.instances, 1),
            ("cores", quota.cores, used.cores, i64::from(vcpus)),
            ("ram", quota.ram, used.ram, i64::from(ram)),
        ];
        for (resource, limit, used, requested) in checks {
            if exceeds(limit, used, requested) {
                return Err(CloudError::forbidden(format!(
                    "Quota exceeded for {resource}: Requested {requested}, but already used {used} of {limit} {resource}"
                )));
            }
        }
        Ok(())
    }

    /// Cinder's check before creating a volume (413 `overLimit`).
    pub fn check_volume_quota(&self, project_id: &str, size: u32) -> Result<(), CloudError> {
        let quota = self.quota(project_id);
        let used = self.usage(project_id);
        if exceeds(quota.volumes, used.volumes, 1) {
            return Err(CloudError::over_limit(format!(
                "VolumeLimitExceeded: Maximum number of volumes allowed ({}) exceeded for quota 'volumes'.",
                quota.volumes
            )));
        }
        self.check_gigabytes(quota, used, size)
    }

    /// Cinder's check before creating a snapshot (413 `overLimit`).
    pub fn check_snapshot_quota(&self, project_id: &str, size: u32) -> Result<(), CloudError> {
        let quota = self.quota(project_id);
        let used = self.usage(project_id);
        if exceeds(quota.snapshots, used.snapshots, 1) {
            return Err(CloudError::over_limit(format!(
                "SnapshotLimitExceeded: Maximum number of snapshots allowed ({}) exceeded",
                quota.snapshots
            )));
        }
        self.check_gigabytes(quota, used, size)
    }

    fn check_gigabytes(
        &self,
        quota: QuotaSet,
        used: QuotaUsage,
        size: u32,
    ) -> Result<(), CloudError> {
        if exceeds(quota.gigabytes, used.gigabytes, i64::from(size)) {
            return Err(CloudError::over_limit(format!(
                "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested {size}G, quota is {}G and {}G has been consumed.",
                quota.gigabytes, used.gigabytes
            )));
        }
        Ok(())
    }

    /// Glance's check before creating an image (413, rendered as plain text by Glance).
    pub fn check_image_quota(&self, project_id: &str) -> Result<(), CloudError> {
        let quota = self.quota(project_id);
        let used = self.usage(project_id);
        if exceeds(quota.images, used.images, 1) {
            return Err(CloudError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "Project {project_id} is over a limit for [Resource image_count_total is over limit of {} due to current usage {} and delta 1]",
                    quota.images, used.images
                ),
            ));
        }
        Ok(())
    }
}
