//! Per-project quotas and their enforcement, with the exact refusals Nova, Cinder and Glance give.

use serde::{Deserialize, Serialize};

use super::{CloudState, Image, Server, Snapshot, Volume};
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
    /// Largest single volume in GiB (Cinder's `per_volume_gigabytes`).
    pub per_volume_gigabytes: i64,
    /// Cinder's backup and group limits: kept and shown, though the fake has no backups or
    /// groups to count against them.
    pub backups: i64,
    pub backup_gigabytes: i64,
    pub groups: i64,
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
            per_volume_gigabytes: -1,
            backups: 10,
            backup_gigabytes: 1_000,
            groups: 10,
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

/// Cinder's `per_volume_gigabytes` limit on a single volume's size.
fn check_per_volume(quota: QuotaSet, size: u32) -> Result<(), CloudError> {
    if quota.per_volume_gigabytes >= 0 && i64::from(size) > quota.per_volume_gigabytes {
        return Err(CloudError::over_limit(format!(
            "VolumeSizeExceedsLimit: Requested volume size {size}G is larger than maximum allowed limit {}G.",
            quota.per_volume_gigabytes
        )));
    }
    Ok(())
}

impl CloudState {
    /// The quotas in force for a project.
    pub fn quota(&self, project_id: &str) -> QuotaSet {
        self.quotas
            .get(project_id)
            .copied()
            .unwrap_or(self.default_quotas)
    }

    /// Current usage of a project (kept up to date as resources come and go).
    pub fn usage(&self, project_id: &str) -> QuotaUsage {
        self.usage.get(project_id).copied().unwrap_or_default()
    }

    fn account(&mut self, project_id: &str, sign: i64, change: impl Fn(&mut QuotaUsage, i64)) {
        change(self.usage.entry(project_id.to_string()).or_default(), sign);
    }

    fn account_server(&mut self, server: &Server, sign: i64) {
        let (vcpus, ram) = self
            .flavors
            .iter()
            .find(|f| f.id == server.flavor_id)
            .map_or((0, 0), |f| (i64::from(f.vcpus), i64::from(f.ram)));
        self.account(&server.project_id, sign, |u, sign| {
            u.instances += sign;
            u.cores += sign * vcpus;
            u.ram += sign * ram;
        });
    }

    /// Stores a new server and counts it in its project's usage.
    pub(super) fn add_server(&mut self, server: Server) {
        self.account_server(&server, 1);
        self.servers.insert(server.id.clone(), server);
    }

    /// Removes a server and its share of the usage.
    pub(super) fn take_server(&mut self, id: &str) -> Option<Server> {
        let server = self.servers.remove(id)?;
        self.account_server(&server, -1);
        Some(server)
    }

    fn account_volume(&mut self, volume: &Volume, sign: i64) {
        let size = i64::from(volume.size);
        self.account(&volume.project_id, sign, |u, sign| {
            u.volumes += sign;
            u.gigabytes += sign * size;
        });
    }

    /// Stores a new volume and counts it.
    pub(super) fn add_volume(&mut self, volume: Volume) {
        self.account_volume(&volume, 1);
        self.volumes.insert(volume.id.clone(), volume);
    }

    /// Removes a volume (with its attachment records) and its share of the usage.
    pub(super) fn take_volume(&mut self, id: &str) -> Option<Volume> {
        let volume = self.volumes.remove(id)?;
        // Cinder deletes a volume's attachment records with it.
        self.attachments.retain(|_, a| a.volume_id != id);
        self.account_volume(&volume, -1);
        Some(volume)
    }

    /// Gives a volume a new size and moves its project's gigabytes usage with it.
    pub(super) fn resize_volume(&mut self, id: &str, new_size: u32) {
        let Some(volume) = self.volumes.get_mut(id) else {
            return;
        };
        let grown = i64::from(new_size) - i64::from(volume.size);
        volume.size = new_size;
        let project_id = volume.project_id.clone();
        self.account(&project_id, grown, |u, grown| u.gigabytes += grown);
    }

    fn account_snapshot(&mut self, snapshot: &Snapshot, sign: i64) {
        let size = i64::from(snapshot.size);
        self.account(&snapshot.project_id, sign, |u, sign| {
            u.snapshots += sign;
            u.gigabytes += sign * size;
        });
    }

    /// Stores a new snapshot and counts it.
    pub(super) fn add_snapshot(&mut self, snapshot: Snapshot) {
        self.account_snapshot(&snapshot, 1);
        self.snapshots
            .insert(snapshot.id.clone(), Box::new(snapshot));
    }

    /// Removes a snapshot and its share of the usage.
    pub(super) fn take_snapshot(&mut self, id: &str) -> Option<Snapshot> {
        let snapshot = self.snapshots.remove(id)?;
        self.account_snapshot(&snapshot, -1);
        Some(*snapshot)
    }

    /// Stores an image; only images a project made count in its usage.
    pub(super) fn add_image(&mut self, image: Image) {
        if !image.seeded {
            self.account(&image.owner, 1, |u, sign| u.images += sign);
        }
        self.images.insert(image.id.clone(), Box::new(image));
    }

    /// Removes an image and its share of the usage.
    pub(super) fn take_image(&mut self, id: &str) -> Option<Image> {
        let image = self.images.remove(id)?;
        if !image.seeded {
            self.account(&image.owner, -1, |u, sign| u.images += sign);
        }
        Some(*image)
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
        check_per_volume(quota, size)?;
        if exceeds(quota.volumes, used.volumes, 1) {
            return Err(CloudError::over_limit(format!(
                "VolumeLimitExceeded: Maximum number of volumes allowed ({}) exceeded for quota 'volumes'.",
                quota.volumes
            )));
        }
        self.check_gigabytes(quota, used, size)
    }

    /// Cinder's check before extending a volume to `new_size` (413 `overLimit`): the new size
    /// against `per_volume_gigabytes`, the growth against `gigabytes`.
    pub fn check_extend_quota(
        &self,
        project_id: &str,
        size: u32,
        new_size: u32,
    ) -> Result<(), CloudError> {
        let quota = self.quota(project_id);
        check_per_volume(quota, new_size)?;
        self.check_gigabytes(quota, self.usage(project_id), new_size - size)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openstack::{
        clock::{Clock, TimeProfile},
        model::{
            seed_flavors, BlockDeviceRequest, Fate, ServerRequest, SnapshotRequest, VolumeDeletion,
            VolumeRequest,
        },
    };
    use axum::http::StatusCode;

    /// Usage counted from scratch, to compare with the kept counters.
    fn recount(state: &CloudState, project_id: &str) -> QuotaUsage {
        let mut usage = QuotaUsage::default();
        for server in state
            .servers
            .values()
            .filter(|s| s.project_id == project_id)
        {
            let flavor = state
                .flavors
                .iter()
                .find(|f| f.id == server.flavor_id)
                .unwrap();
            usage.instances += 1;
            usage.cores += i64::from(flavor.vcpus);
            usage.ram += i64::from(flavor.ram);
        }
        for volume in state
            .volumes
            .values()
            .filter(|v| v.project_id == project_id)
        {
            usage.volumes += 1;
            usage.gigabytes += i64::from(volume.size);
        }
        for snapshot in state
            .snapshots
            .values()
            .filter(|s| &*s.project_id == project_id)
        {
            usage.snapshots += 1;
            usage.gigabytes += i64::from(snapshot.size);
        }
        usage.images = state
            .images
            .values()
            .filter(|i| i.owner == project_id && !i.seeded)
            .count() as i64;
        usage
    }

    #[test]
    fn kept_usage_matches_a_recount_through_creates_and_deletes() {
        let clock = Clock::new(TimeProfile::Instant);
        let mut state = CloudState {
            flavors: seed_flavors(),
            ..CloudState::default()
        };
        state.seed_volume_types();
        let project = state.create_project("p").unwrap().id;
        let image = state.seed_image("base", &project).id;
        let settle = |state: &mut CloudState| state.settle(clock.now_ms() + 1);
        let boot = BlockDeviceRequest {
            source_type: "image".into(),
            destination_type: Some("volume".into()),
            uuid: Some(image.clone()),
            boot_index: Some(0),
            volume_size: Some(2),
            delete_on_termination: true,
        };
        let server = state
            .create_server(
                &project,
                "u",
                ServerRequest {
                    name: "vm".into(),
                    flavor_ref: "m1.small".into(),
                    block_devices: vec![boot],
                    ..Default::default()
                },
                Fate::Normal,
                &clock,
            )
            .unwrap()
            .id;
        let data = state
            .create_volume(
                &project,
                "u",
                VolumeRequest {
                    size: Some(3),
                    ..Default::default()
                },
                Fate::Normal,
                &clock,
            )
            .unwrap()
            .id;
        settle(&mut state);
        state
            .create_server_image(
                &project,
                &server,
                "snap",
                Default::default(),
                (Fate::Normal, Fate::Normal),
                &clock,
            )
            .unwrap();
        let manual = state
            .create_snapshot(
                &project,
                "u",
                SnapshotRequest {
                    volume_id: data.clone(),
                    ..Default::default()
                },
                (3, 0),
                Fate::Normal,
                &clock,
            )
            .unwrap()
            .id;
        settle(&mut state);
        assert_eq!(state.usage(&project), recount(&state, &project));
        assert_eq!(state.usage(&project).snapshots, 2);

        // Extending moves the gigabytes in use, so that deleting the volume later gives back
        // what it holds then; beyond the quota Cinder refuses and nothing changes.
        let before = state.usage(&project).gigabytes;
        state.extend_volume(&project, &data, 5, &clock).unwrap();
        settle(&mut state);
        assert_eq!(state.usage(&project).gigabytes, before + 2);
        state.quotas.insert(
            project.clone(),
            QuotaSet {
                gigabytes: before + 3,
                ..QuotaSet::default()
            },
        );
        let refused = state.extend_volume(&project, &data, 7, &clock).unwrap_err();
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(state.volumes[&data].size, 5);
        assert_eq!(state.usage(&project), recount(&state, &project));

        state
            .delete_snapshot(&project, &manual, Fate::Normal, &clock)
            .unwrap();
        state
            .delete_server(&project, &server, Fate::Normal, &clock)
            .unwrap();
        settle(&mut state);
        state
            .delete_volume(
                &project,
                &data,
                VolumeDeletion::default(),
                Fate::Normal,
                &clock,
            )
            .unwrap();
        settle(&mut state);
        let snap_image = state
            .images
            .values()
            .find(|i| !i.seeded)
            .unwrap()
            .id
            .clone();
        state.delete_image(&project, &snap_image, 0).unwrap();
        assert_eq!(state.usage(&project), recount(&state, &project));

        state.reset_project(&project);
        assert_eq!(state.usage(&project), QuotaUsage::default());
        assert_eq!(recount(&state, &project), QuotaUsage::default());
    }
}
