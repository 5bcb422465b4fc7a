//! The VNFM's OpenStack driver against the fake cloud: the same HTTP conversation it would have
//! with a real OpenStack, end to end.

use std::{sync::Arc, time::Duration};

use serde_json::{json, Value};
use simulator::{
    openstack::{clock::TimeProfile, config::BASE_IMAGE_NAME, Cloud, CloudConfig, RunningCloud},
    vnfm::vim::{
        BootSource, DeployedVirtualLink, DeployedVnfc, OpenStackAccess, OpenStackVim, PortPlan,
        VduPlan, VimErrorKind, VimTiming, VolumePlan,
    },
};

/// Starts a cloud on `profile` and the VNFM's driver of its default VIM (the admin of the admin
/// project) on it.
async fn start(profile: TimeProfile) -> (RunningCloud, OpenStackVim) {
    let cloud = Cloud::start_local(CloudConfig {
        time_profile: profile,
        ..CloudConfig::default()
    })
    .await
    .expect("cloud starts");
    let access = OpenStackAccess::admin_at(cloud.auth_url());
    let timing = VimTiming {
        poll_interval: Duration::from_millis(5),
        resource_deadline: Duration::from_secs(10),
        request_timeout: Duration::from_secs(10),
    };
    (cloud, OpenStackVim::new(access, timing))
}

fn volume_backed_plan() -> VduPlan {
    VduPlan {
        vdu_id: "vdu1".into(),
        server_name: "vnf1-vdu1".into(),
        flavor_name: "m1.tiny".into(),
        boot: BootSource::Volume {
            image_name: BASE_IMAGE_NAME.into(),
            size_gb: 1,
        },
        volumes: vec![VolumePlan {
            virtual_storage_desc_id: "data".into(),
            size_gb: 2,
            existing_volume_id: None,
        }],
        ports: Vec::new(),
    }
}

/// As [`start`], with a VNFC of [`volume_backed_plan`] deployed.
async fn start_with_vnfc(profile: TimeProfile) -> (RunningCloud, OpenStackVim, DeployedVnfc) {
    let (cloud, vim) = start(profile).await;
    let vnfc = vim
        .deploy_vnfc(&volume_backed_plan())
        .await
        .expect("deploy");
    (cloud, vim, vnfc)
}

/// As [`start`], with the virtual link `name` (a network and a subnet of `cidr`) created.
async fn start_with_link(
    profile: TimeProfile,
    name: &str,
    cidr: &str,
) -> (RunningCloud, OpenStackVim, DeployedVirtualLink) {
    let (cloud, vim) = start(profile).await;
    let link = vim
        .create_virtual_link(name, cidr)
        .await
        .expect("virtual link");
    (cloud, vim, link)
}

/// [`volume_backed_plan`] with a port `vdu1-cp` on the network `network_id`.
fn volume_backed_plan_on(network_id: &str) -> VduPlan {
    VduPlan {
        ports: vec![PortPlan {
            cpd_id: "vdu1-cp".into(),
            network_id: network_id.to_string(),
        }],
        ..volume_backed_plan()
    }
}

async fn state(cloud: &RunningCloud) -> Value {
    cloud.control().state().await.expect("state")
}

fn named<'a>(items: &'a Value, name: &str) -> Vec<&'a Value> {
    items
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| i["name"] == name)
        .collect()
}

async fn admin_project(cloud: &RunningCloud) -> String {
    let dump = state(cloud).await;
    dump["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .find(|p| p["name"] == "admin")
        .and_then(|p| p["id"].as_str())
        .expect("admin project")
        .to_string()
}

#[tokio::test]
async fn snapshot_revert_and_delete_of_a_volume_backed_vnfc() {
    let (cloud, vim, vnfc) = start_with_vnfc(TimeProfile::Fast).await;
    assert_eq!(vnfc.volumes.len(), 2);
    assert!(vnfc.volumes[0].bootable && !vnfc.volumes[1].bootable);

    let snapshot = vim
        .snapshot_vnfc(&vnfc, "eac61a66")
        .await
        .expect("snapshot");
    let dump = state(&cloud).await;
    let images = named(&dump["images"], "eac61a66");
    assert_eq!(images.len(), 1);
    assert_eq!(images[0]["id"], &*snapshot.image_id);
    assert_eq!(images[0]["status"], "active");
    let snaps = named(&dump["snapshots"], "snapshot for eac61a66");
    assert_eq!(snaps.len(), 2, "one Cinder snapshot per volume");
    let pairs: Vec<(String, Arc<str>)> = vnfc
        .volumes
        .iter()
        .map(|v| {
            let snap = snaps
                .iter()
                .find(|s| s["volume_id"] == v.volume_id.as_str())
                .expect("snapshot of volume");
            (v.volume_id.clone(), snap["id"].as_str().unwrap().into())
        })
        .collect();
    assert_eq!(snapshot.volume_snapshots, pairs);

    let reverted = vim
        .revert_vnfc(&vnfc, &volume_backed_plan(), &snapshot)
        .await
        .expect("revert");
    assert_ne!(reverted.vnfc.server_id, vnfc.server_id);
    assert_eq!(
        reverted.left_on_vim.len(),
        2,
        "old volumes are left: they have snapshots"
    );
    assert!(reverted.left_on_vim[0].1.contains("have snapshots"));
    let dump = state(&cloud).await;
    let servers = dump["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 1);
    assert_eq!(servers[0]["id"], reverted.vnfc.server_id.as_str());

    vim.delete_snapshot_resources(&snapshot)
        .await
        .expect("delete snapshot");
    let dump = state(&cloud).await;
    assert!(named(&dump["images"], "eac61a66").is_empty());
    assert!(named(&dump["snapshots"], "snapshot for eac61a66").is_empty());

    let refused = vim.undeploy_vnfc(&reverted.vnfc).await.expect("undeploy");
    assert!(refused.is_empty(), "{refused:?}");
}

/// The ports in the cloud's dump whose id is one of `ids`.
fn ports_with_ids<'a>(dump: &'a Value, ids: &[&str]) -> Vec<&'a Value> {
    dump["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .filter(|p| ids.iter().any(|id| p["id"] == *id))
        .collect()
}

#[tokio::test]
async fn a_vnfc_keeps_its_port_and_address_through_a_revert_and_loses_them_on_undeploy() {
    let (cloud, vim, link) =
        start_with_link(TimeProfile::Fast, "vnf1-internal", "10.10.0.0/24").await;
    let plan = volume_backed_plan_on(&link.network_id);
    let vnfc = vim.deploy_vnfc(&plan).await.expect("deploy");
    assert_eq!(vnfc.ports.len(), 1);
    let port_id = vnfc.ports[0].port_id.clone();
    let addresses = vim
        .port_addresses(&port_id)
        .await
        .expect("port")
        .expect("port exists");
    assert_eq!(addresses.len(), 1);
    assert!(addresses[0].starts_with("10.10.0."), "{addresses:?}");
    let dump = state(&cloud).await;
    let ports = ports_with_ids(&dump, &[&port_id]);
    assert_eq!(ports[0]["device_id"], vnfc.server_id.as_str());
    assert_eq!(ports[0]["name"], "vnf1-vdu1-vdu1-cp");

    let snapshot = vim.snapshot_vnfc(&vnfc, "keep-ip").await.expect("snapshot");
    let reverted = vim
        .revert_vnfc(&vnfc, &plan, &snapshot)
        .await
        .expect("revert");
    assert_eq!(reverted.vnfc.ports, vnfc.ports, "the same ports");
    let dump = state(&cloud).await;
    let ports = ports_with_ids(&dump, &[&port_id]);
    assert_eq!(ports.len(), 1, "the port outlived the old server");
    assert_eq!(ports[0]["device_id"], reverted.vnfc.server_id.as_str());
    assert_eq!(
        vim.port_addresses(&port_id).await.expect("port"),
        Some(addresses),
        "the same address"
    );

    vim.delete_snapshot_resources(&snapshot)
        .await
        .expect("delete snapshot");
    vim.undeploy_vnfc(&reverted.vnfc).await.expect("undeploy");
    assert_eq!(vim.port_addresses(&port_id).await.expect("port"), None);
    vim.delete_virtual_link(&link).await.expect("delete link");
    let dump = state(&cloud).await;
    let left = |kind: &str, id: &str| {
        dump[kind]
            .as_array()
            .expect(kind)
            .iter()
            .any(|item| item["id"] == id)
    };
    assert!(!left("networks", &link.network_id));
    assert!(!left("subnets", &link.subnet_id));
}

#[tokio::test]
async fn a_failing_port_creation_leaves_nothing_behind() {
    let (cloud, vim, link) =
        start_with_link(TimeProfile::Instant, "vnf2-internal", "10.20.0.0/24").await;
    let rule = serde_json::from_value(json!({
        "match": {"operation": "ports.create"}, "effect": {"type": "error", "status": 500}
    }))
    .unwrap();
    cloud.control().add_fault(&rule).await.unwrap();
    let plan = volume_backed_plan_on(&link.network_id);
    let error = vim.deploy_vnfc(&plan).await.expect_err("port fails");
    assert_eq!(error.kind, VimErrorKind::ServerError, "{error}");
    assert!(
        error.message.starts_with("Neutron POST /v2.0/ports"),
        "{error}"
    );
    let dump = state(&cloud).await;
    assert!(dump["servers"].as_array().unwrap().is_empty());
    assert!(dump["volumes"].as_array().unwrap().is_empty());
    assert!(dump["ports"].as_array().unwrap().is_empty());
    vim.delete_virtual_link(&link).await.expect("delete link");
}

#[tokio::test]
async fn image_backed_vnfc_with_a_data_volume_gets_a_forced_snapshot() {
    let (cloud, vim) = start(TimeProfile::Instant).await;
    let plan = VduPlan {
        boot: BootSource::Image {
            image_name: BASE_IMAGE_NAME.into(),
        },
        ..volume_backed_plan()
    };
    let vnfc = vim.deploy_vnfc(&plan).await.expect("deploy");
    assert_eq!(vnfc.volumes.len(), 1);
    let snapshot = vim
        .snapshot_vnfc(&vnfc, "vnfc-snap")
        .await
        .expect("snapshot");
    assert_eq!(snapshot.volume_snapshots.len(), 1);
    let dump = state(&cloud).await;
    assert_eq!(named(&dump["snapshots"], "snapshot for vnfc-snap").len(), 1);
    vim.delete_snapshot_by_name("vnfc-snap")
        .await
        .expect("delete by name");
    let dump = state(&cloud).await;
    assert!(named(&dump["snapshots"], "snapshot for vnfc-snap").is_empty());
    assert!(named(&dump["images"], "vnfc-snap").is_empty());
}

#[tokio::test]
async fn cloud_faults_become_vim_errors_with_the_cloud_message() {
    let (cloud, vim, vnfc) = start_with_vnfc(TimeProfile::Instant).await;
    let control = cloud.control();
    let project = admin_project(&cloud).await;
    control
        .set_quotas(&project, json!({"snapshots": 1}))
        .await
        .expect("quota");
    let error = vim
        .snapshot_vnfc(&vnfc, "over-quota")
        .await
        .expect_err("quota");
    assert_eq!(error.kind, VimErrorKind::Quota, "{error}");
    assert!(
        error
            .message
            .contains("Quota exceeded for resources: snapshots"),
        "{error}"
    );

    control
        .set_quotas(&project, json!({"snapshots": -1}))
        .await
        .unwrap();
    let rule = serde_json::from_value(json!({
        "match": {"service": "glance"}, "effect": {"type": "unreachable"}
    }))
    .unwrap();
    control.add_fault(&rule).await.unwrap();
    let error = vim
        .snapshot_vnfc(&vnfc, "glance-down")
        .await
        .expect_err("glance down");
    assert_eq!(error.kind, VimErrorKind::Unreachable, "{error}");
}

#[tokio::test]
async fn revoked_tokens_are_renewed_transparently() {
    let (cloud, vim) = start(TimeProfile::Instant).await;
    vim.check().await.expect("auth");
    cloud.control().revoke_tokens(None).await.unwrap();
    vim.deploy_vnfc(&volume_backed_plan())
        .await
        .expect("deploy after revocation");
}
