//! Deploying and undeploying one VNFC: volumes, server, and cleanup of what a failed deploy
//! created.

use serde_json::{json, Value};

use super::cinder::{Cinder, VolumeSource};
use super::glance::Glance;
use super::neutron::Neutron;
use super::nova::Nova;
use super::session::Session;
use super::{
    BootSource, DeployedPort, DeployedVnfc, DeployedVolume, VduPlan, VimError, VimErrorKind,
    VolumePlan,
};

/// What a flow created so far (deleted again when the flow fails).
#[derive(Default)]
pub(crate) struct Created {
    pub(crate) server: Option<String>,
    pub(crate) ports: Vec<String>,
    pub(crate) volumes: Vec<String>,
}

impl Created {
    /// Deletes the server (waiting until it is gone), then the ports and the volumes. Best
    /// effort: problems are logged, the caller reports its own error.
    pub(crate) async fn remove(&self, session: &Session) {
        if let Some(server) = &self.server {
            if let Err(e) = Nova(session).delete_server_and_wait(server).await {
                tracing::warn!(server, error = %e, "cleanup could not delete a server");
            }
        }
        for port in &self.ports {
            if let Err(e) = Neutron(session).delete_port(port).await {
                tracing::warn!(port, error = %e, "cleanup could not delete a port");
            }
        }
        for volume in &self.volumes {
            match Cinder(session).delete_volume(volume).await {
                Ok(None) => {}
                Ok(Some(reason)) => {
                    tracing::warn!(volume, reason, "cleanup: the cloud keeps a volume")
                }
                Err(e) => tracing::warn!(volume, error = %e, "cleanup could not delete a volume"),
            }
        }
    }
}

/// The `virtualStorageDescId`-style id of a VDU's boot volume.
pub(crate) fn boot_volume_desc_id(vdu_id: &str) -> String {
    format!("{vdu_id}-boot")
}

/// The cloud name of a VNF-managed volume.
pub(crate) fn volume_name(server_name: &str, virtual_storage_desc_id: &str) -> String {
    format!("{server_name}-{virtual_storage_desc_id}")
}

/// A `block_device_mapping_v2` entry attaching an existing volume (kept on server delete).
fn volume_block_device(volume: &DeployedVolume) -> Value {
    let mut entry = json!({
        "uuid": volume.volume_id,
        "source_type": "volume",
        "destination_type": "volume",
        "delete_on_termination": false,
    });
    if volume.bootable {
        entry["boot_index"] = json!(0);
    }
    entry
}

/// The cloud name of a connection point's port.
pub(crate) fn port_name(server_name: &str, cpd_id: &str) -> String {
    format!("{server_name}-{cpd_id}")
}

/// A server to boot: its name, flavor, image (none when volume-backed), volumes and ports.
pub(crate) struct ServerPlan<'a> {
    pub(crate) name: &'a str,
    pub(crate) flavor_id: &'a str,
    pub(crate) image_id: Option<&'a str>,
    pub(crate) volumes: &'a [DeployedVolume],
    pub(crate) ports: &'a [DeployedPort],
}

/// Boots a server with its volumes attached (the bootable one as root disk, or from its image)
/// on its ports, records it in `created`, and waits until it is ACTIVE with every volume
/// in-use.
pub(crate) async fn boot_server(
    session: &Session,
    server: ServerPlan<'_>,
    created: &mut Created,
) -> Result<String, VimError> {
    let nova = Nova(session);
    let volumes = server.volumes;
    let block_devices = volumes.iter().map(volume_block_device).collect();
    let port_ids: Vec<String> = server.ports.iter().map(|p| p.port_id.clone()).collect();
    let server_id = nova
        .create_server(
            server.name,
            server.flavor_id,
            server.image_id,
            block_devices,
            &port_ids,
        )
        .await?;
    created.server = Some(server_id.clone());
    nova.wait_active(&server_id).await?;
    for volume in volumes {
        Cinder(session)
            .wait_volume(&volume.volume_id, "in-use")
            .await?;
    }
    Ok(server_id)
}

/// See [`super::OpenStackVim::deploy_vnfc`].
pub(crate) async fn deploy(session: &Session, plan: &VduPlan) -> Result<DeployedVnfc, VimError> {
    let flavor_id = Nova(session).flavor_id(&plan.flavor_name).await?;
    let image_name = match &plan.boot {
        BootSource::Image { image_name } | BootSource::Volume { image_name, .. } => image_name,
    };
    let image_id = Glance(session).image_id(image_name).await?;
    for volume in &plan.volumes {
        if let Some(id) = &volume.existing_volume_id {
            check_out_of_band(session, volume, id).await?;
        }
    }
    let mut created = Created::default();
    match build(session, plan, &flavor_id, &image_id, &mut created).await {
        Ok(vnfc) => Ok(vnfc),
        Err(e) => {
            created.remove(session).await;
            Err(e)
        }
    }
}

/// An out-of-band volume must exist and be free to attach.
async fn check_out_of_band(session: &Session, plan: &VolumePlan, id: &str) -> Result<(), VimError> {
    let desc = &plan.virtual_storage_desc_id;
    match Cinder(session).volume_status(id).await? {
        Some(status) if status == "available" => Ok(()),
        Some(status) => Err(VimError::new(
            VimErrorKind::Rejected,
            format!("out-of-band volume {id} for {desc} is {status}, not available"),
        )),
        None => Err(VimError::new(
            VimErrorKind::Rejected,
            format!("out-of-band volume {id} for {desc} does not exist"),
        )),
    }
}

async fn build(
    session: &Session,
    plan: &VduPlan,
    flavor_id: &str,
    image_id: &str,
    created: &mut Created,
) -> Result<DeployedVnfc, VimError> {
    let cinder = Cinder(session);
    let mut volumes = Vec::new();
    if let BootSource::Volume { size_gb, .. } = &plan.boot {
        let desc = boot_volume_desc_id(&plan.vdu_id);
        let name = volume_name(&plan.server_name, "boot");
        let id = cinder
            .create_volume(
                &name,
                Some(u64::from(*size_gb)),
                VolumeSource::Image(image_id),
            )
            .await?;
        created.volumes.push(id.clone());
        volumes.push(DeployedVolume {
            virtual_storage_desc_id: desc,
            volume_id: id,
            bootable: true,
            out_of_band: false,
        });
    }
    for volume in &plan.volumes {
        let (id, out_of_band) = match &volume.existing_volume_id {
            Some(id) => (id.clone(), true),
            None => {
                let name = volume_name(&plan.server_name, &volume.virtual_storage_desc_id);
                let id = cinder
                    .create_volume(&name, Some(u64::from(volume.size_gb)), VolumeSource::Blank)
                    .await?;
                created.volumes.push(id.clone());
                (id, false)
            }
        };
        volumes.push(DeployedVolume {
            virtual_storage_desc_id: volume.virtual_storage_desc_id.clone(),
            volume_id: id,
            bootable: false,
            out_of_band,
        });
    }
    for id in &created.volumes {
        cinder.wait_volume(id, "available").await?;
    }
    let mut ports = Vec::new();
    for port in &plan.ports {
        let created_port = Neutron(session)
            .create_port(
                &port.network_id,
                &port_name(&plan.server_name, &port.cpd_id),
            )
            .await?;
        created.ports.push(created_port.id.clone());
        ports.push(DeployedPort {
            cpd_id: port.cpd_id.clone(),
            port_id: created_port.id,
            network_id: port.network_id.clone(),
        });
    }
    let boot_image = match plan.boot {
        BootSource::Image { .. } => Some(image_id),
        BootSource::Volume { .. } => None,
    };
    let server = ServerPlan {
        name: &plan.server_name,
        flavor_id,
        image_id: boot_image,
        volumes: &volumes,
        ports: &ports,
    };
    let server_id = boot_server(session, server, created).await?;
    Ok(DeployedVnfc {
        vdu_id: plan.vdu_id.clone(),
        server_id,
        volumes,
        ports,
    })
}

/// See [`super::OpenStackVim::undeploy_vnfc`].
pub(crate) async fn undeploy(
    session: &Session,
    vnfc: &DeployedVnfc,
) -> Result<Vec<(String, String)>, VimError> {
    Nova(session)
        .delete_server_and_wait(&vnfc.server_id)
        .await?;
    for port in &vnfc.ports {
        Neutron(session).delete_port(&port.port_id).await?;
    }
    let mut kept = Vec::new();
    for volume in vnfc.volumes.iter().filter(|v| !v.out_of_band) {
        if let Some(reason) = Cinder(session).delete_volume(&volume.volume_id).await? {
            kept.push((volume.volume_id.clone(), reason));
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    use super::super::mock_cloud::{
        boot_and_data_volumes, refused_has_snapshots, reply, MockCloud, CINDER, GONE,
        HAS_SNAPSHOTS, NOVA,
    };
    use super::super::VimErrorKind;
    use super::*;

    fn plan(boot: BootSource, volumes: Vec<VolumePlan>) -> VduPlan {
        VduPlan {
            vdu_id: "vdu1".into(),
            server_name: "srv-1".into(),
            flavor_name: "m1.small".into(),
            boot,
            volumes,
            ports: Vec::new(),
        }
    }

    fn data(desc: &str, size_gb: u32, existing: Option<&str>) -> VolumePlan {
        VolumePlan {
            virtual_storage_desc_id: desc.into(),
            size_gb,
            existing_volume_id: existing.map(str::to_string),
        }
    }

    /// A cloud with the flavor `m1.small` and the image `cirros` (`img-1`).
    async fn cloud_with_cirros() -> MockCloud {
        let cloud = MockCloud::start().await;
        cloud.flavors().await;
        cloud.image_named("cirros", "img-1").await;
        cloud
    }

    fn attach(id: &str) -> serde_json::Value {
        json!({"uuid": id, "source_type": "volume", "destination_type": "volume", "delete_on_termination": false})
    }

    #[tokio::test]
    async fn volume_backed_deploy_then_undeploy_keeping_refused_and_out_of_band_volumes() {
        let cloud = cloud_with_cirros().await;
        cloud
            .creates_volume(
                json!({"volume": {"name": "srv-1-boot", "size": 10, "imageRef": "img-1"}}),
                "vol-boot",
            )
            .await;
        cloud
            .creates_volume(
                json!({"volume": {"name": "srv-1-data", "size": 2}}),
                "vol-data",
            )
            .await;
        let life = ["creating", "available", "in-use", "available"];
        cloud
            .volume("vol-boot", &[&life[..], &[GONE]].concat())
            .await;
        cloud.volume("vol-data", &life).await;
        cloud
            .volume("oob-1", &["available", "in-use", "available"])
            .await;
        cloud
            .creates_server(json!({"server": {"name": "srv-1"}}), "srv-id")
            .await;
        cloud.server("srv-id", &["BUILD", "ACTIVE", GONE]).await;

        let vim = cloud.vim();
        let plan = plan(
            BootSource::Volume {
                image_name: "cirros".into(),
                size_gb: 10,
            },
            vec![data("data", 2, None), data("shared", 5, Some("oob-1"))],
        );
        let vnfc = vim.deploy_vnfc(&plan).await.unwrap();
        assert_eq!(
            vnfc,
            DeployedVnfc {
                vdu_id: "vdu1".into(),
                server_id: "srv-id".into(),
                volumes: [
                    boot_and_data_volumes(),
                    vec![DeployedVolume {
                        virtual_storage_desc_id: "shared".into(),
                        volume_id: "oob-1".into(),
                        bootable: false,
                        out_of_band: true,
                    }],
                ]
                .concat(),
                ports: Vec::new(),
            }
        );
        let mut boot = attach("vol-boot");
        boot["boot_index"] = json!(0);
        assert_eq!(
            cloud.sent("POST", &format!("{NOVA}/servers")).await,
            [json!({"server": {
                "name": "srv-1", "flavorRef": "f1", "imageRef": "", "networks": "none",
                "block_device_mapping_v2": [boot, attach("vol-data"), attach("oob-1")],
            }})]
        );
        assert_eq!(
            cloud.sent("POST", &format!("{CINDER}/volumes")).await[1],
            json!({"volume": {"name": "srv-1-data", "size": 2}})
        );

        cloud.deleted(format!("{NOVA}/servers/srv-id"), 1).await;
        cloud.deleted(format!("{CINDER}/volumes/vol-boot"), 1).await;
        cloud
            .delete(
                format!("{CINDER}/volumes/vol-data"),
                refused_has_snapshots(),
                1,
            )
            .await;
        cloud.deleted(format!("{CINDER}/volumes/oob-1"), 0).await;
        let kept = vim.undeploy_vnfc(&vnfc).await.unwrap();
        assert_eq!(kept, [("vol-data".to_string(), HAS_SNAPSHOTS.to_string())]);
    }

    #[tokio::test]
    async fn failed_boot_deletes_what_was_created() {
        let cloud = cloud_with_cirros().await;
        cloud
            .creates_volume(json!({"volume": {"name": "srv-1-data"}}), "vol-data")
            .await;
        cloud
            .volume("vol-data", &["creating", "available", "available", GONE])
            .await;
        cloud
            .creates_server(json!({"server": {"imageRef": "img-1"}}), "srv-id")
            .await;
        cloud.server("srv-id", &["BUILD", "ERROR", GONE]).await;
        cloud.deleted(format!("{NOVA}/servers/srv-id"), 1).await;
        cloud.deleted(format!("{CINDER}/volumes/vol-data"), 1).await;

        let plan = plan(
            BootSource::Image {
                image_name: "cirros".into(),
            },
            vec![data("data", 1, None)],
        );
        let err = cloud.vim().deploy_vnfc(&plan).await.unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ResourceFailed);
        assert_eq!(
            err.message,
            "Nova server srv-id went to ERROR: No valid host was found."
        );
        let sent = cloud.sent("POST", &format!("{NOVA}/servers")).await;
        assert_eq!(
            sent[0]["server"]["block_device_mapping_v2"],
            json!([attach("vol-data")])
        );
    }

    #[tokio::test]
    async fn quota_on_a_second_volume_deletes_the_first() {
        let cloud = cloud_with_cirros().await;
        cloud
            .creates_volume(json!({"volume": {"name": "srv-1-boot"}}), "vol-boot")
            .await;
        cloud
            .post(
                format!("{CINDER}/volumes"),
                json!({"volume": {"name": "srv-1-data"}}),
                reply(
                    413,
                    json!({"overLimit": {"code": 413, "message": "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.", "retryAfter": "0"}}),
                ),
            )
            .await;
        cloud
            .volume("vol-boot", &["creating", "available", GONE])
            .await;
        cloud.deleted(format!("{CINDER}/volumes/vol-boot"), 1).await;
        cloud
            .mount(
                Mock::given(method("POST"))
                    .and(path(format!("{NOVA}/servers")))
                    .respond_with(ResponseTemplate::new(500))
                    .expect(0),
            )
            .await;

        let plan = plan(
            BootSource::Volume {
                image_name: "cirros".into(),
                size_gb: 1,
            },
            vec![data("data", 1, None)],
        );
        let err = cloud.vim().deploy_vnfc(&plan).await.unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Quota);
        assert_eq!(
            err.message,
            "Cinder POST /volumes answered 413: VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'."
        );
    }

    #[tokio::test]
    async fn unusable_out_of_band_volume_or_unknown_flavor_stops_before_creating() {
        let cloud = cloud_with_cirros().await;
        cloud.volume("oob-1", &["in-use"]).await;
        cloud
            .mount(
                Mock::given(method("POST"))
                    .respond_with(ResponseTemplate::new(500))
                    .with_priority(10)
                    .expect(0),
            )
            .await;
        let mut plan = plan(
            BootSource::Image {
                image_name: "cirros".into(),
            },
            vec![data("shared", 1, Some("oob-1"))],
        );
        let vim = cloud.vim();
        let err = vim.deploy_vnfc(&plan).await.unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Rejected);
        assert_eq!(
            err.message,
            "out-of-band volume oob-1 for shared is in-use, not available"
        );
        plan.flavor_name = "m9.huge".into();
        let err = vim.deploy_vnfc(&plan).await.unwrap_err();
        assert_eq!(
            (err.kind, err.message.as_str()),
            (VimErrorKind::Rejected, "Nova has no flavor named m9.huge")
        );
    }
}
