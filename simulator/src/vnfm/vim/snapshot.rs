//! Snapshotting one VNFC (a Glance image by Nova `createImage` plus one Cinder snapshot per
//! volume) and deleting those resources.

use reqwest::Method;
use serde_json::Value;

use super::cinder::Cinder;
use super::errors::Service;
use super::glance::{bdm_snapshot_ids, Glance};
use super::nova::Nova;
use super::session::Session;
use super::{DeployedVnfc, VimError, VimErrorKind, VnfcSnapshotResources};

/// The name of the Cinder snapshots of the VNFC snapshot `name` (Nova's own convention).
pub(crate) fn volume_snapshot_name(name: &str) -> String {
    format!("snapshot for {name}")
}

/// See [`super::OpenStackVim::snapshot_vnfc`].
///
/// For an image-backed server the volume snapshots are requested right after `createImage`
/// (so they are close in time to the image); for a volume-backed one Nova makes them and lists
/// them in the image. Snapshots of volumes not in `vnfc` (attached out of band of the driver)
/// that Nova made are reported after those of `vnfc`'s volumes.
pub(crate) async fn snapshot(
    session: &Session,
    vnfc: &DeployedVnfc,
    name: &str,
) -> Result<VnfcSnapshotResources, VimError> {
    let cinder = Cinder(session);
    let snapshot_name = volume_snapshot_name(name);
    let image_id = Nova(session).create_image(&vnfc.server_id, name).await?;
    let volume_backed = vnfc.volumes.iter().any(|v| v.bootable);
    let mut pairs: Vec<(String, String)> = Vec::new();
    if !volume_backed {
        for volume in &vnfc.volumes {
            let id = cinder
                .create_snapshot(&volume.volume_id, &snapshot_name)
                .await?;
            pairs.push((volume.volume_id.clone(), id));
        }
    }
    let image = Glance(session).wait_active(&image_id).await?;
    let mut ready = Vec::new();
    for snapshot_id in bdm_snapshot_ids(&image_id, &image)? {
        let state = cinder.wait_snapshot_available(&snapshot_id).await?;
        let volume_id = state.volume_id.ok_or_else(|| {
            VimError::new(
                super::VimErrorKind::ServerError,
                format!("Cinder snapshot {snapshot_id} names no volume_id"),
            )
        })?;
        ready.push(snapshot_id.clone());
        pairs.push((volume_id, snapshot_id));
    }
    for volume in &vnfc.volumes {
        if !pairs.iter().any(|(v, _)| *v == volume.volume_id) {
            let id = cinder
                .create_snapshot(&volume.volume_id, &snapshot_name)
                .await?;
            pairs.push((volume.volume_id.clone(), id));
        }
    }
    for (_, snapshot_id) in &pairs {
        if !ready.contains(snapshot_id) {
            cinder.wait_snapshot_available(snapshot_id).await?;
        }
    }
    let position = |volume_id: &str| {
        vnfc.volumes
            .iter()
            .position(|v| v.volume_id == volume_id)
            .unwrap_or(usize::MAX)
    };
    pairs.sort_by_key(|(volume_id, _)| position(volume_id));
    Ok(VnfcSnapshotResources::new(image_id, pairs))
}

/// See [`super::OpenStackVim::copy_boot_image`]: the image is a copy of the image the server
/// booted from (its own, or its boot volume's), the volumes are snapshotted one by one.
pub(crate) async fn copy_boot_image(
    session: &Session,
    vnfc: &DeployedVnfc,
    name: &str,
) -> Result<VnfcSnapshotResources, VimError> {
    let boot_image = boot_image(session, vnfc).await?;
    let image_id = Glance(session).copy_image(&boot_image, name).await?;
    let cinder = Cinder(session);
    let snapshot_name = volume_snapshot_name(name);
    let mut pairs = Vec::new();
    for volume in &vnfc.volumes {
        let id = cinder
            .create_snapshot(&volume.volume_id, &snapshot_name)
            .await?;
        pairs.push((volume.volume_id.clone(), id));
    }
    for (_, id) in &pairs {
        cinder.wait_snapshot_available(id).await?;
    }
    Ok(VnfcSnapshotResources::new(image_id, pairs))
}

/// The image a VNFC's server booted from: the server's own, or its boot volume's.
async fn boot_image(session: &Session, vnfc: &DeployedVnfc) -> Result<String, VimError> {
    let server = session
        .call(
            Service::Nova,
            Method::GET,
            &format!("/servers/{}", vnfc.server_id),
            &[],
            None,
        )
        .await?
        .success()?
        .json()?;
    if let Some(id) = server.pointer("/server/image/id").and_then(Value::as_str) {
        return Ok(id.to_string());
    }
    let boot = vnfc.volumes.iter().find(|v| v.bootable).ok_or_else(|| {
        VimError::new(
            VimErrorKind::Rejected,
            format!("server {} has no image and no boot volume", vnfc.server_id),
        )
    })?;
    let volume = session
        .call(
            Service::Cinder,
            Method::GET,
            &format!("/volumes/{}", boot.volume_id),
            &[],
            None,
        )
        .await?
        .success()?
        .json()?;
    volume
        .pointer("/volume/volume_image_metadata/image_id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            VimError::new(
                VimErrorKind::Rejected,
                format!("boot volume {} names no image", boot.volume_id),
            )
        })
}

/// See [`super::OpenStackVim::delete_snapshot_by_name`].
pub(crate) async fn delete_by_name(session: &Session, name: &str) -> Result<(), VimError> {
    let glance = Glance(session);
    for (image_id, _) in glance.images_named(name).await? {
        glance.delete_image(&image_id).await?;
    }
    let cinder = Cinder(session);
    for snapshot_id in cinder.snapshots_named(&volume_snapshot_name(name)).await? {
        cinder.delete_snapshot(&snapshot_id).await?;
    }
    Ok(())
}

/// See [`super::OpenStackVim::delete_snapshot_resources`].
pub(crate) async fn delete_resources(
    session: &Session,
    resources: &VnfcSnapshotResources,
) -> Result<(), VimError> {
    Glance(session).delete_image(&resources.image_id).await?;
    for (_, snapshot_id) in &resources.volume_snapshots {
        Cinder(session).delete_snapshot(snapshot_id).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    use super::super::mock_cloud::{reply, MockCloud, CINDER, GLANCE, GONE, NOVA};
    use super::super::{DeployedVolume, VimErrorKind};
    use super::*;

    fn volume(id: &str, bootable: bool) -> DeployedVolume {
        DeployedVolume {
            virtual_storage_desc_id: format!("{id}-desc"),
            volume_id: id.into(),
            bootable,
            out_of_band: false,
        }
    }

    fn vnfc(volumes: Vec<DeployedVolume>) -> DeployedVnfc {
        DeployedVnfc {
            vdu_id: "vdu1".into(),
            server_id: "srv-id".into(),
            volumes,
            ports: Vec::new(),
        }
    }

    async fn create_image_answers(cloud: &MockCloud, response: ResponseTemplate) {
        cloud
            .post(
                format!("{NOVA}/servers/srv-id/action"),
                json!({"createImage": {"name": "snap-1"}}),
                response,
            )
            .await;
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, Arc<str>)> {
        list.iter()
            .map(|(v, s)| (v.to_string(), (*s).into()))
            .collect()
    }

    #[tokio::test]
    async fn volume_backed_server_snapshots_come_from_the_images_block_device_mapping() {
        let cloud = MockCloud::start().await;
        create_image_answers(&cloud, reply(202, json!({"image_id": "img-s"}))).await;
        let bdm = json!([
            {"source_type": "snapshot", "destination_type": "volume", "snapshot_id": "s-data", "boot_index": null, "volume_size": 2},
            {"source_type": "snapshot", "destination_type": "volume", "snapshot_id": "s-boot", "boot_index": 0, "volume_size": 10},
        ]);
        cloud
            .image(
                "img-s",
                &["queued", "active"],
                json!({"block_device_mapping": bdm.to_string(), "bdm_v2": "True"}),
            )
            .await;
        cloud
            .snapshot("s-boot", "vol-boot", &["creating", "available"])
            .await;
        cloud.snapshot("s-data", "vol-data", &["available"]).await;
        cloud
            .mount(
                Mock::given(method("POST"))
                    .and(path(format!("{CINDER}/snapshots")))
                    .respond_with(ResponseTemplate::new(500))
                    .expect(0),
            )
            .await;

        let vnfc = vnfc(vec![volume("vol-boot", true), volume("vol-data", false)]);
        let resources = cloud.vim().snapshot_vnfc(&vnfc, "snap-1").await.unwrap();
        assert_eq!(
            resources,
            VnfcSnapshotResources {
                image_id: "img-s".into(),
                volume_snapshots: pairs(&[("vol-boot", "s-boot"), ("vol-data", "s-data")]),
            }
        );
    }

    #[tokio::test]
    async fn image_backed_server_gets_forced_snapshots_of_its_data_volumes() {
        let cloud = MockCloud::start().await;
        // Before microversion 2.45 the image id only comes in the Location header.
        create_image_answers(
            &cloud,
            ResponseTemplate::new(202).insert_header("Location", "http://glance:9292/images/img-s"),
        )
        .await;
        cloud
            .post(
                format!("{CINDER}/snapshots"),
                json!({"snapshot": {"volume_id": "vol-data", "name": "snapshot for snap-1", "force": true}}),
                reply(202, json!({"snapshot": {"id": "s-data", "status": "creating"}})),
            )
            .await;
        cloud
            .image("img-s", &["queued", "saving", "active"], json!({}))
            .await;
        cloud
            .snapshot("s-data", "vol-data", &["creating", "creating", "available"])
            .await;

        let vnfc = vnfc(vec![volume("vol-data", false)]);
        let resources = cloud.vim().snapshot_vnfc(&vnfc, "snap-1").await.unwrap();
        assert_eq!(&*resources.image_id, "img-s");
        assert_eq!(resources.volume_snapshots, pairs(&[("vol-data", "s-data")]));
    }

    #[tokio::test]
    async fn killed_image_and_snapshot_quota_fail() {
        let cloud = MockCloud::start().await;
        create_image_answers(&cloud, reply(202, json!({"image_id": "img-s"}))).await;
        cloud.image("img-s", &["queued", "killed"], json!({})).await;
        let err = cloud
            .vim()
            .snapshot_vnfc(&vnfc(vec![]), "snap-1")
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ResourceFailed);
        assert_eq!(err.message, "Glance image img-s went to status killed");

        let cloud = MockCloud::start().await;
        create_image_answers(&cloud, reply(202, json!({"image_id": "img-s"}))).await;
        cloud
            .post(
                format!("{CINDER}/snapshots"),
                json!({"snapshot": {"volume_id": "vol-data"}}),
                reply(
                    413,
                    json!({"overLimit": {"code": 413, "message": "SnapshotLimitExceeded: Maximum number of snapshots allowed (10) exceeded", "retryAfter": "0"}}),
                ),
            )
            .await;
        let err = cloud
            .vim()
            .snapshot_vnfc(&vnfc(vec![volume("vol-data", false)]), "snap-1")
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Quota);
        assert_eq!(
            err.message,
            "Cinder POST /snapshots answered 413: SnapshotLimitExceeded: Maximum number of snapshots allowed (10) exceeded"
        );
    }

    #[tokio::test]
    async fn snapshot_in_error_fails() {
        let cloud = MockCloud::start().await;
        create_image_answers(&cloud, reply(202, json!({"image_id": "img-s"}))).await;
        let bdm = json!([{"source_type": "snapshot", "snapshot_id": "s-boot", "boot_index": 0}]);
        cloud
            .image(
                "img-s",
                &["active"],
                json!({"block_device_mapping": bdm.to_string()}),
            )
            .await;
        cloud
            .snapshot("s-boot", "vol-boot", &["creating", "error"])
            .await;
        let err = cloud
            .vim()
            .snapshot_vnfc(&vnfc(vec![volume("vol-boot", true)]), "snap-1")
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ResourceFailed);
        assert_eq!(err.message, "Cinder snapshot s-boot went to status error");
    }

    #[tokio::test]
    async fn deleting_resources_already_gone_is_fine() {
        let cloud = MockCloud::start().await;
        cloud
            .delete(
                format!("{GLANCE}/v2/images/img-s"),
                ResponseTemplate::new(404)
                    .set_body_string("404 Not Found\n\nFailed to find image img-s to delete\n\n   ")
                    .insert_header("Content-Type", "text/plain"),
                1,
            )
            .await;
        cloud
            .delete(
                format!("{CINDER}/snapshots/s-gone"),
                reply(404, json!({"itemNotFound": {"code": 404, "message": "Snapshot s-gone could not be found."}})),
                1,
            )
            .await;
        cloud.snapshot("s-gone", "vol-1", &["available"]).await;
        // Unknown to Cinder already: not deleted again.
        cloud.deleted(format!("{CINDER}/snapshots/s-3"), 0).await;
        cloud.deleted(format!("{CINDER}/snapshots/s-2"), 1).await;
        cloud
            .snapshot("s-2", "vol-2", &["creating", "available", "deleting", GONE])
            .await;
        let resources = VnfcSnapshotResources {
            image_id: "img-s".into(),
            volume_snapshots: pairs(&[("vol-1", "s-gone"), ("vol-2", "s-2"), ("vol-3", "s-3")]),
        };
        let vim = cloud.vim();
        vim.delete_snapshot_resources(&resources).await.unwrap();
    }

    #[tokio::test]
    async fn snapshot_stuck_in_error_deleting_fails() {
        let cloud = MockCloud::start().await;
        cloud.deleted(format!("{GLANCE}/v2/images/img-s"), 1).await;
        cloud.image("img-s", &[GONE], json!({})).await;
        cloud.deleted(format!("{CINDER}/snapshots/s-1"), 1).await;
        cloud
            .snapshot("s-1", "vol-1", &["available", "deleting", "error_deleting"])
            .await;
        let resources = VnfcSnapshotResources {
            image_id: "img-s".into(),
            volume_snapshots: pairs(&[("vol-1", "s-1")]),
        };
        let err = cloud
            .vim()
            .delete_snapshot_resources(&resources)
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ResourceFailed);
        assert_eq!(
            err.message,
            "Cinder snapshot s-1 went to status error_deleting"
        );
    }

    #[tokio::test]
    async fn delete_by_name_removes_exactly_the_named_image_and_snapshots() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{GLANCE}/v2/images")))
                    .and(query_param("name", "snap-1"))
                    .respond_with(reply(
                        200,
                        json!({"images": [
                            {"id": "img-s", "name": "snap-1", "status": "active"},
                            {"id": "img-other", "name": "snap-10", "status": "active"},
                        ]}),
                    )),
            )
            .await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{CINDER}/snapshots/detail")))
                    .and(query_param("name", "snapshot for snap-1"))
                    .respond_with(reply(
                        200,
                        json!({"snapshots": [
                            {"id": "s-1", "name": "snapshot for snap-1", "status": "available"},
                            {"id": "s-2", "name": "snapshot for snap-1", "status": "error"},
                        ]}),
                    )),
            )
            .await;
        cloud.deleted(format!("{GLANCE}/v2/images/img-s"), 1).await;
        cloud
            .deleted(format!("{GLANCE}/v2/images/img-other"), 0)
            .await;
        cloud.image("img-s", &[GONE], json!({})).await;
        for id in ["s-1", "s-2"] {
            cloud.deleted(format!("{CINDER}/snapshots/{id}"), 1).await;
            cloud
                .snapshot(id, "vol-1", &["available", "deleting", GONE])
                .await;
        }
        cloud.vim().delete_snapshot_by_name("snap-1").await.unwrap();
    }
}
