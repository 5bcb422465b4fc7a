//! Reverting a volume-backed VNFC to a snapshot: new volumes from the Cinder snapshots, a new
//! server on them, then the old volumes deleted where the cloud allows it.

use super::cinder::{Cinder, VolumeSource};
use super::deploy::{boot_server, volume_name, Created, ServerPlan};
use super::nova::Nova;
use super::session::Session;
use super::{
    BootSource, DeployedVnfc, DeployedVolume, RevertedVnfc, VduPlan, VimError, VimErrorKind,
    VnfcSnapshotResources,
};

/// See [`super::OpenStackVim::revert_vnfc`].
pub(crate) async fn revert(
    session: &Session,
    vnfc: &DeployedVnfc,
    plan: &VduPlan,
    snapshot: &VnfcSnapshotResources,
) -> Result<RevertedVnfc, VimError> {
    let sources = snapshot_per_volume(vnfc, snapshot)?;
    let flavor_id = Nova(session).flavor_id(&plan.flavor_name).await?;
    remove_earlier_attempts(session, vnfc, plan, &sources).await?;
    let mut created = Created::default();
    let new_vnfc = match rebuild(session, vnfc, plan, &sources, &flavor_id, &mut created).await {
        Ok(new_vnfc) => new_vnfc,
        Err(e) => {
            created.remove(session).await;
            return Err(e);
        }
    };
    let mut left_on_vim = Vec::new();
    for volume in vnfc.volumes.iter().filter(|v| !v.out_of_band) {
        // The revert itself succeeded: a volume that cannot be deleted is reported, not fatal.
        match Cinder(session).delete_volume(&volume.volume_id).await {
            Ok(None) => {}
            Ok(Some(reason)) => left_on_vim.push((volume.volume_id.clone(), reason)),
            Err(e) => left_on_vim.push((volume.volume_id.clone(), e.message)),
        }
    }
    Ok(RevertedVnfc {
        vnfc: new_vnfc,
        left_on_vim,
    })
}

/// The snapshot to restore each volume of `vnfc` from, in `vnfc.volumes` order; refuses VNFCs
/// the documented limitations exclude.
fn snapshot_per_volume<'a>(
    vnfc: &'a DeployedVnfc,
    snapshot: &'a VnfcSnapshotResources,
) -> Result<Vec<(&'a DeployedVolume, &'a str)>, VimError> {
    let refuse = |why: String| {
        VimError::new(
            VimErrorKind::Rejected,
            format!(
                "cannot revert VNFC {} (server {}): {why}",
                vnfc.vdu_id, vnfc.server_id
            ),
        )
    };
    if !vnfc.volumes.iter().any(|v| v.bootable) {
        return Err(refuse(
            "it has no bootable volume; only volume-backed VNFCs can be reverted".to_string(),
        ));
    }
    if let Some(oob) = vnfc.volumes.iter().find(|v| v.out_of_band) {
        return Err(refuse(format!(
            "it uses the out-of-band volume {}",
            oob.volume_id
        )));
    }
    vnfc.volumes
        .iter()
        .map(|volume| {
            snapshot
                .volume_snapshots
                .iter()
                .find(|(v, _)| *v == volume.volume_id)
                .map(|(_, s)| (volume, &**s))
                .ok_or_else(|| {
                    refuse(format!(
                        "the snapshot (image {}) has no snapshot of volume {}",
                        snapshot.image_id, volume.volume_id
                    ))
                })
        })
        .collect()
}

/// The cloud name of the volume that replaces `old`.
fn new_volume_name(plan: &VduPlan, old: &DeployedVolume) -> String {
    let desc = if old.bootable {
        "boot"
    } else {
        old.virtual_storage_desc_id.as_str()
    };
    volume_name(&plan.server_name, desc)
}

/// Deletes what an earlier, failed or cancelled attempt of this revert left: detached volumes
/// carrying the names the new volumes get, other than the VNFC's own. A volume the cloud
/// refuses to delete (it has snapshots) or that is still busy (it never finished creating) is
/// left as it is at once: waiting on it would only delay the retry by the resource wait.
async fn remove_earlier_attempts(
    session: &Session,
    vnfc: &DeployedVnfc,
    plan: &VduPlan,
    sources: &[(&DeployedVolume, &str)],
) -> Result<(), VimError> {
    let cinder = Cinder(session);
    for (old, _) in sources {
        for id in cinder
            .detached_volumes_named(&new_volume_name(plan, old))
            .await?
        {
            if vnfc.volumes.iter().any(|v| v.volume_id == id) {
                continue;
            }
            match cinder.delete_volume_if_settled(&id).await {
                Ok(None) => {
                    tracing::info!(volume = %id, "removed a volume of an earlier revert attempt")
                }
                Ok(Some(reason)) => {
                    tracing::warn!(volume = %id, reason, "a volume of an earlier revert attempt stays")
                }
                Err(e) => {
                    tracing::warn!(volume = %id, error = %e, "a volume of an earlier revert attempt stays")
                }
            }
        }
    }
    Ok(())
}

/// The size `plan` gives a volume of the VNFC, if any.
fn planned_size(plan: &VduPlan, volume: &DeployedVolume) -> Option<u64> {
    if volume.bootable {
        return match plan.boot {
            BootSource::Volume { size_gb, .. } => Some(u64::from(size_gb)),
            BootSource::Image { .. } => None,
        };
    }
    plan.volumes
        .iter()
        .find(|p| p.virtual_storage_desc_id == volume.virtual_storage_desc_id)
        .map(|p| u64::from(p.size_gb))
}

/// Creates the new volumes, replaces the old server by a new one on them.
async fn rebuild(
    session: &Session,
    vnfc: &DeployedVnfc,
    plan: &VduPlan,
    sources: &[(&DeployedVolume, &str)],
    flavor_id: &str,
    created: &mut Created,
) -> Result<DeployedVnfc, VimError> {
    let cinder = Cinder(session);
    let mut volumes = Vec::new();
    for (old, snapshot_id) in sources {
        let state = cinder.wait_snapshot_available(snapshot_id).await?;
        let size = state.size.or_else(|| planned_size(plan, old));
        let name = new_volume_name(plan, old);
        let id = cinder
            .create_volume(&name, size, VolumeSource::Snapshot(snapshot_id))
            .await?;
        created.volumes.push(id.clone());
        volumes.push(DeployedVolume {
            volume_id: id,
            ..(*old).clone()
        });
    }
    for volume in &volumes {
        cinder.wait_volume(&volume.volume_id, "available").await?;
    }
    Nova(session)
        .delete_server_and_wait(&vnfc.server_id)
        .await?;
    // The ports are the user's: Nova kept them (unbound) with the old server's deletion and
    // `created` never lists them, so a failed rebuild leaves them to the VNFC.
    let server = ServerPlan {
        name: &plan.server_name,
        flavor_id,
        image_id: None,
        volumes: &volumes,
        ports: &vnfc.ports,
    };
    let server_id = boot_server(session, server, created).await?;
    Ok(DeployedVnfc {
        vdu_id: vnfc.vdu_id.clone(),
        server_id,
        volumes,
        ports: vnfc.ports.clone(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    use super::super::mock_cloud::{
        boot_and_data_volumes, refused_has_snapshots, reply, MockCloud, CINDER, GONE,
        HAS_SNAPSHOTS, NOVA,
    };
    use super::super::VolumePlan;
    use super::*;

    fn old_vnfc() -> DeployedVnfc {
        DeployedVnfc {
            vdu_id: "vdu1".into(),
            server_id: "srv-old".into(),
            volumes: boot_and_data_volumes(),
            ports: Vec::new(),
        }
    }

    fn plan() -> VduPlan {
        VduPlan {
            vdu_id: "vdu1".into(),
            server_name: "srv-1".into(),
            flavor_name: "m1.small".into(),
            boot: BootSource::Volume {
                image_name: "cirros".into(),
                size_gb: 10,
            },
            volumes: vec![VolumePlan {
                virtual_storage_desc_id: "data".into(),
                size_gb: 2,
                existing_volume_id: None,
            }],
            ports: Vec::new(),
        }
    }

    fn resources() -> VnfcSnapshotResources {
        VnfcSnapshotResources {
            image_id: "img-s".into(),
            volume_snapshots: vec![
                ("vol-boot".into(), "s-boot".into()),
                ("vol-data".into(), "s-data".into()),
            ],
        }
    }

    /// The cloud up to the new volumes being available and the old server deleted.
    async fn cloud_with_new_volumes() -> MockCloud {
        let cloud = MockCloud::start().await;
        cloud.flavors().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{CINDER}/volumes/detail")))
                    .respond_with(reply(200, json!({"volumes": []}))),
            )
            .await;
        cloud.snapshot("s-boot", "vol-boot", &["available"]).await;
        cloud.snapshot("s-data", "vol-data", &["available"]).await;
        for (snapshot, name, id) in [
            ("s-boot", "srv-1-boot", "new-boot"),
            ("s-data", "srv-1-data", "new-data"),
        ] {
            cloud
                .creates_volume(
                    json!({"volume": {"snapshot_id": snapshot, "name": name, "size": 10}}),
                    id,
                )
                .await;
        }
        cloud.deleted(format!("{NOVA}/servers/srv-old"), 1).await;
        cloud.server("srv-old", &[GONE]).await;
        cloud
            .creates_server(
                json!({"server": {"name": "srv-1", "flavorRef": "f1", "networks": "none"}}),
                "srv-new",
            )
            .await;
        cloud
    }

    /// Mounts an attempt that succeeds (the new volumes and server come up, the old volumes are
    /// deleted) and runs the revert.
    async fn revert_succeeding(cloud: &MockCloud) -> RevertedVnfc {
        for id in ["new-boot", "new-data"] {
            cloud.volume(id, &["creating", "available", "in-use"]).await;
        }
        cloud.server("srv-new", &["BUILD", "ACTIVE"]).await;
        for id in ["vol-boot", "vol-data"] {
            cloud.volume(id, &["available", GONE]).await;
            cloud.deleted(format!("{CINDER}/volumes/{id}"), 1).await;
        }
        cloud
            .vim()
            .revert_vnfc(&old_vnfc(), &plan(), &resources())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn revert_boots_on_new_volumes_and_leaves_old_volumes_the_cloud_keeps() {
        let cloud = cloud_with_new_volumes().await;
        for id in ["new-boot", "new-data"] {
            cloud.volume(id, &["creating", "available", "in-use"]).await;
        }
        cloud.server("srv-new", &["BUILD", "ACTIVE"]).await;
        cloud.volume("vol-boot", &["available"]).await;
        cloud
            .delete(
                format!("{CINDER}/volumes/vol-boot"),
                refused_has_snapshots(),
                1,
            )
            .await;
        cloud.volume("vol-data", &["available", GONE]).await;
        cloud.deleted(format!("{CINDER}/volumes/vol-data"), 1).await;

        let reverted = cloud
            .vim()
            .revert_vnfc(&old_vnfc(), &plan(), &resources())
            .await
            .unwrap();
        let mut expected = old_vnfc();
        expected.server_id = "srv-new".into();
        expected.volumes[0].volume_id = "new-boot".into();
        expected.volumes[1].volume_id = "new-data".into();
        assert_eq!(
            reverted,
            RevertedVnfc {
                vnfc: expected,
                left_on_vim: vec![("vol-boot".into(), HAS_SNAPSHOTS.into())],
            }
        );
        let sent = cloud.sent("POST", &format!("{NOVA}/servers")).await;
        assert_eq!(
            sent[0]["server"]["block_device_mapping_v2"],
            json!([
                {"uuid": "new-boot", "boot_index": 0, "source_type": "volume", "destination_type": "volume", "delete_on_termination": false},
                {"uuid": "new-data", "source_type": "volume", "destination_type": "volume", "delete_on_termination": false},
            ])
        );
        assert_eq!(sent[0]["server"]["imageRef"], "");
    }

    #[tokio::test]
    async fn a_retried_revert_first_removes_the_volumes_of_the_failed_attempt() {
        let cloud = cloud_with_new_volumes().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{CINDER}/volumes/detail")))
                    .and(query_param("name", "srv-1-boot"))
                    .respond_with(reply(
                        200,
                        json!({"volumes": [
                            {"id": "stale-boot", "name": "srv-1-boot", "attachments": []},
                            {"id": "vol-boot", "name": "srv-1-boot", "attachments": []},
                            {"id": "other", "name": "srv-1-boot", "attachments": [{"server_id": "x"}]},
                        ]}),
                    ))
                    .with_priority(1),
            )
            .await;
        cloud.volume("stale-boot", &["available", GONE]).await;
        cloud.volume("other", &["in-use"]).await;
        cloud.deleted(format!("{CINDER}/volumes/other"), 0).await;
        cloud
            .deleted(format!("{CINDER}/volumes/stale-boot"), 1)
            .await;
        let reverted = revert_succeeding(&cloud).await;
        assert_eq!(reverted.vnfc.server_id, "srv-new");
        assert!(reverted.left_on_vim.is_empty());
    }

    /// A cancelled attempt can leave volumes that never finish creating (a stuck cloud): the
    /// retry looks at each once and goes on, instead of waiting the resource wait on each.
    #[tokio::test]
    async fn a_retried_revert_does_not_wait_on_volumes_an_earlier_attempt_left_creating() {
        let cloud = cloud_with_new_volumes().await;
        for (name, stale) in [("srv-1-boot", "stuck-boot"), ("srv-1-data", "stuck-data")] {
            cloud
                .mount(
                    Mock::given(method("GET"))
                        .and(path(format!("{CINDER}/volumes/detail")))
                        .and(query_param("name", name))
                        .respond_with(reply(
                            200,
                            json!({"volumes": [{"id": stale, "name": name, "attachments": []}]}),
                        ))
                        .with_priority(1),
                )
                .await;
            cloud.volume(stale, &["creating"]).await;
            cloud.deleted(format!("{CINDER}/volumes/{stale}"), 0).await;
        }
        let reverted = revert_succeeding(&cloud).await;
        assert_eq!(reverted.vnfc.server_id, "srv-new");
        for stale in ["stuck-boot", "stuck-data"] {
            let looks = cloud
                .sent("GET", &format!("{CINDER}/volumes/{stale}"))
                .await;
            assert_eq!(looks.len(), 1, "{stale} was looked at once, not waited on");
        }
    }

    #[tokio::test]
    async fn failed_new_server_is_removed_with_its_volumes_and_old_volumes_are_kept() {
        let cloud = cloud_with_new_volumes().await;
        for id in ["new-boot", "new-data"] {
            cloud
                .volume(id, &["creating", "available", "available", GONE])
                .await;
            cloud.deleted(format!("{CINDER}/volumes/{id}"), 1).await;
        }
        cloud.server("srv-new", &["BUILD", "ERROR", GONE]).await;
        cloud.deleted(format!("{NOVA}/servers/srv-new"), 1).await;
        for id in ["vol-boot", "vol-data"] {
            cloud.deleted(format!("{CINDER}/volumes/{id}"), 0).await;
        }
        let err = cloud
            .vim()
            .revert_vnfc(&old_vnfc(), &plan(), &resources())
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ResourceFailed);
        assert!(
            err.message.contains("No valid host was found."),
            "{}",
            err.message
        );
    }

    #[tokio::test]
    async fn documented_limitations_are_refused_before_touching_the_cloud() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("POST"))
                    .respond_with(ResponseTemplate::new(500))
                    .expect(0),
            )
            .await;
        let vim = cloud.vim();

        let mut image_backed = old_vnfc();
        image_backed.volumes.remove(0);
        let mut with_oob = old_vnfc();
        with_oob.volumes[1].out_of_band = true;
        let mut partial = resources();
        partial.volume_snapshots.pop();
        let cases = [
            (image_backed, resources(), "no bootable volume"),
            (with_oob, resources(), "out-of-band volume vol-data"),
            (old_vnfc(), partial, "no snapshot of volume vol-data"),
        ];
        for (vnfc, resources, refusal) in cases {
            let err = vim
                .revert_vnfc(&vnfc, &plan(), &resources)
                .await
                .unwrap_err();
            assert_eq!(err.kind, VimErrorKind::Rejected, "{refusal}");
            assert!(err.message.contains(refusal), "{refusal}: {}", err.message);
        }
    }
}
