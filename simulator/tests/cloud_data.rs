//! Disk contents and their lineage (server disk -> image -> new server; volume -> volume
//! snapshot -> new volume), Glance's size and digests of what an image holds, the live
//! workload, the servers' status histories, and the control API that reads and writes them.

mod support;

use md5::{Digest, Md5};
use serde_json::{json, Value};
use sha2::Sha512;
use simulator::{
    kit::{Fault, SimControl},
    openstack::{
        clock::TimeProfile,
        model::{DiskContent, ServerDisk},
        service::Service,
    },
};
use support::{start_cloud, TestCloud};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn marker(content: &DiskContent, key: &str) -> Option<String> {
    content.markers.get(key).cloned()
}

/// Starts a cloud on `profile`: the cloud, its control API, the admin's token and project.
async fn start(profile: TimeProfile) -> (TestCloud, SimControl, String, String) {
    let cloud = start_cloud(profile).await;
    let control = cloud.control();
    let (token, project) = cloud.token("admin").await;
    (cloud, control, token, project)
}

/// Writes the marker `m` = `value` on the disk `device` (the root disk for `None`) of `server`.
async fn mark(control: &SimControl, server: &str, device: Option<&str>, value: &str) -> ServerDisk {
    control
        .write_server_marker(server, device, "m", value)
        .await
        .expect("marker written")
}

async fn create_image(cloud: &TestCloud, token: &str, server: &str, name: &str) -> String {
    let action = cloud
        .nova_as(token, "2.45")
        .post(
            &format!("/servers/{server}/action"),
            json!({"createImage": {"name": name}}),
        )
        .await;
    assert_eq!(action.status, 202, "{}", action.text);
    action.body["image_id"].as_str().unwrap().to_string()
}

async fn boot_from_image(cloud: &TestCloud, token: &str, image: &str) -> String {
    let created = cloud
        .nova_as(token, "2.1")
        .post(
            "/servers",
            json!({"server": {"name": "copy", "flavorRef": "1", "imageRef": image}}),
        )
        .await;
    assert_eq!(created.status, 202, "{}", created.text);
    let id = created.body["server"]["id"].as_str().unwrap().to_string();
    cloud.wait_server(token, &id, "ACTIVE").await;
    id
}

async fn root_content(control: &SimControl, server: &str) -> DiskContent {
    let disks = control.server_disks(server).await.expect("disks");
    assert!(disks[0].boot, "{disks:?}");
    disks[0].content.clone()
}

/// Downloads an image's data; checks Glance's size, checksum, os_hash_value and Content-MD5
/// against it.
async fn check_digests(cloud: &TestCloud, token: &str, image: &str) -> Value {
    let shown = cloud.get(token, &format!("/image/v2/images/{image}")).await;
    let data = cloud
        .http
        .get(format!("{}/image/v2/images/{image}/file", cloud.base))
        .header("X-Auth-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(data.status(), 200);
    let md5_header = data.headers()["content-md5"].to_str().unwrap().to_string();
    let bytes = data.bytes().await.unwrap();
    let view = &shown.body;
    assert_eq!(view["size"], bytes.len() as u64, "{view}");
    assert_eq!(view["checksum"], hex(&Md5::digest(&bytes)), "{view}");
    assert_eq!(md5_header, view["checksum"].as_str().unwrap());
    assert_eq!(view["os_hash_algo"], "sha512");
    assert_eq!(view["os_hash_value"], hex(&Sha512::digest(&bytes)));
    view.clone()
}

#[tokio::test]
async fn an_image_of_a_server_holds_its_root_disk_and_boots_a_copy_of_it() {
    let (cloud, control, token, _) = start(TimeProfile::Instant).await;
    let server = cloud.image_server(&token, "vm").await;
    assert_eq!(
        root_content(&control, &server).await,
        DiskContent::default()
    );

    let disk = mark(&control, &server, None, "before").await;
    assert_eq!(disk.device, "/dev/vda");
    assert_eq!(disk.volume_id, None);
    assert_eq!(disk.content.writes, 1);
    let image = create_image(&cloud, &token, &server, "snap").await;
    cloud.wait_image(&token, &image, "active").await;
    mark(&control, &server, None, "after").await;

    let held = control
        .image_content(&image)
        .await
        .unwrap()
        .expect("a disk");
    assert_eq!(marker(&held, "m").as_deref(), Some("before"));
    let view = check_digests(&cloud, &token, &image).await;
    assert_eq!(view["size"], serde_json::to_vec(&held).unwrap().len());

    let copy = boot_from_image(&cloud, &token, &image).await;
    let copied = root_content(&control, &copy).await;
    assert_eq!(marker(&copied, "m").as_deref(), Some("before"));
    assert_eq!(
        marker(&root_content(&control, &server).await, "m").as_deref(),
        Some("after")
    );

    // A rebuild takes the new image's content.
    let base = cloud.base_image(&token).await;
    let rebuilt = cloud
        .nova_as(&token, "2.1")
        .post(
            &format!("/servers/{copy}/action"),
            json!({"rebuild": {"imageRef": base}}),
        )
        .await;
    assert_eq!(rebuilt.status, 202, "{}", rebuilt.text);
    cloud.wait_server(&token, &copy, "ACTIVE").await;
    assert_eq!(root_content(&control, &copy).await, DiskContent::default());
    check_digests(&cloud, &token, &base).await;
}

#[tokio::test]
async fn volume_snapshots_keep_the_volume_as_it_was_and_volumes_made_from_them_start_there() {
    let (cloud, control, token, project) = start(TimeProfile::Instant).await;
    let volume = cloud.volume(&token, &project, 1, "data").await;
    control
        .write_volume_marker(&volume, "m", "one")
        .await
        .unwrap();
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let snapshot = cloud.available_snapshot(&token, &project, &volume).await;
    let now = control
        .write_volume_marker(&volume, "m", "two")
        .await
        .unwrap();
    assert_eq!(now.writes, 2);
    let kept = control.snapshot_content(&snapshot).await.unwrap();
    assert_eq!(marker(&kept, "m").as_deref(), Some("one"));

    // A volume made from the snapshot starts as it was, a clone as its volume is now.
    for (source, expected) in [
        (json!({ "snapshot_id": snapshot }), "one"),
        (json!({ "source_volid": volume }), "two"),
    ] {
        let made = cinder.post("/volumes", json!({ "volume": source })).await;
        let id = made.body["volume"]["id"].as_str().unwrap();
        let content = control.volume_content(id).await.unwrap();
        assert_eq!(marker(&content, "m").as_deref(), Some(expected), "{source}");
    }

    let reverted = cinder
        .at("3.40")
        .post(
            &format!("/volumes/{volume}/action"),
            json!({"revert": {"snapshot_id": snapshot}}),
        )
        .await;
    assert_eq!(reverted.status, 202, "{}", reverted.text);
    let content = control.volume_content(&volume).await.unwrap();
    assert_eq!(marker(&content, "m").as_deref(), Some("one"));
}

#[tokio::test]
async fn a_volume_backed_server_is_imaged_through_its_volume_snapshots() {
    let (cloud, control, token, project) = start(TimeProfile::Instant).await;
    let root = cloud.volume(&token, &project, 2, "root").await;
    let data = cloud.volume(&token, &project, 1, "data").await;
    let server = cloud.volume_server(&token, "vnfc", &[&root, &data]).await;
    let disks = control.server_disks(&server).await.unwrap();
    let devices: Vec<(&str, Option<&str>, bool)> = disks
        .iter()
        .map(|d| (d.device.as_str(), d.volume_id.as_deref(), d.boot))
        .collect();
    assert_eq!(
        devices,
        vec![
            ("/dev/vda", Some(root.as_str()), true),
            ("/dev/vdb", Some(data.as_str()), false)
        ]
    );
    mark(&control, &server, None, "root-1").await;
    mark(&control, &server, Some("/dev/vdb"), "data-1").await;
    let missing = control
        .write_server_marker(&server, Some("/dev/vdz"), "m", "x")
        .await
        .unwrap_err();
    assert_eq!(missing.status, Some(404));

    let image = create_image(&cloud, &token, &server, "vnfc-snap").await;
    let view = check_digests(&cloud, &token, &image).await;
    assert_eq!(view["size"], 0);
    assert_eq!(view["checksum"], "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(control.image_content(&image).await.unwrap(), None);
    let mapping: Vec<Value> =
        serde_json::from_str(view["block_device_mapping"].as_str().unwrap()).unwrap();
    for entry in &mapping {
        let id = entry["snapshot_id"].as_str().unwrap();
        cloud.wait_snapshot(&token, &project, id, "available").await;
        let expected = if entry["boot_index"] == 0 {
            "root-1"
        } else {
            "data-1"
        };
        let held = control.snapshot_content(id).await.unwrap();
        assert_eq!(marker(&held, "m").as_deref(), Some(expected), "{entry}");
    }
    mark(&control, &server, None, "root-2").await;

    let copy = boot_from_image(&cloud, &token, &image).await;
    let copied: Vec<(bool, Option<String>)> = control
        .server_disks(&copy)
        .await
        .unwrap()
        .iter()
        .map(|d| (d.boot, marker(&d.content, "m")))
        .collect();
    assert_eq!(
        copied,
        vec![
            (true, Some("root-1".to_string())),
            (false, Some("data-1".to_string()))
        ]
    );
}

#[tokio::test]
async fn the_live_workload_writes_with_the_cloud_clock_and_a_snapshot_keeps_its_time() {
    let (cloud, control, token, project) = start(TimeProfile::Manual).await;
    let server = cloud.booting_server(&token, "vm").await;
    let volume = cloud
        .cinder_as(&token, &project, "3.0")
        .post("/volumes", json!({"volume": {"size": 1, "name": "data"}}))
        .await;
    let data = volume.body["volume"]["id"].as_str().unwrap().to_string();
    cloud.advance(10.0).await;
    let attached = cloud.attach_volume(&token, "2.1", &server, &data).await;
    assert_eq!(attached.status, 200, "{}", attached.text);
    let start = control.now_ms().await.unwrap();
    let on = control.set_workload(&server, true).await.unwrap();
    assert!(on.running);
    assert_eq!(on.since_ms, Some(start));
    cloud.advance(1.5).await;

    let image = create_image(&cloud, &token, &server, "snap").await;
    cloud.advance(60.0).await;
    cloud.wait_image(&token, &image, "active").await;
    let held = control.image_content(&image).await.unwrap().unwrap();
    assert_eq!(held.workload_ms, Some(start + 1_500));
    assert_eq!(held.writes, 1_500);

    let disks = control.server_disks(&server).await.unwrap();
    for disk in &disks {
        assert_eq!(disk.content.workload_ms, Some(start + 61_500), "{disk:?}");
        assert_eq!(disk.content.writes, 61_500, "{disk:?}");
    }
    let off = control.set_workload(&server, false).await.unwrap();
    assert!(!off.running);
    cloud.advance(5.0).await;
    let still = control.volume_content(&data).await.unwrap();
    assert_eq!(still.workload_ms, Some(start + 61_500));
    assert!(!control.workload(&server).await.unwrap().running);
}

#[tokio::test]
async fn the_history_of_a_server_tells_when_it_served_and_when_it_went() {
    let (cloud, control, token, _) = start(TimeProfile::Manual).await;
    let server = cloud.booting_server(&token, "vm").await;
    cloud.advance(10.0).await;
    let snapshot = create_image(&cloud, &token, &server, "snap").await;
    cloud.advance(30.0).await;
    cloud.wait_image(&token, &snapshot, "active").await;
    let deleted = cloud
        .nova_as(&token, "2.1")
        .delete(&format!("/servers/{server}"))
        .await;
    assert_eq!(deleted.status, 204);
    cloud.advance(5.0).await;

    let timeline = control.server_history(&server).await.unwrap();
    let events: Vec<(u64, &str, Option<&str>)> = timeline
        .history
        .events
        .iter()
        .map(|e| (e.at_ms, e.status.as_str(), e.task_state.as_deref()))
        .collect();
    assert_eq!(
        events,
        vec![
            (0, "BUILD", Some("spawning")),
            (6_000, "ACTIVE", None),
            (10_000, "ACTIVE", Some("image_snapshot")),
            (12_000, "ACTIVE", Some("image_uploading")),
            (27_000, "ACTIVE", None),
            (40_000, "ACTIVE", Some("deleting")),
        ]
    );
    assert_eq!(timeline.history.gone_ms, Some(42_000));
    assert_eq!(timeline.now_ms, 45_000);
    let unknown = control.server_history("nothing").await.unwrap_err();
    assert_eq!(unknown.status, Some(404));
}

#[tokio::test]
async fn a_failed_upload_leaves_no_content_and_a_project_reset_forgets_histories() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let control = cloud.control();
    let (token, project) = cloud.project("data-faults").await;
    let server = cloud.image_server(&token, "vm").await;
    cloud
        .fault(
            Fault::on(Service::Nova)
                .operation("servers.action.createImage")
                .error_later()
                .times(1),
        )
        .await;
    let image = create_image(&cloud, &token, &server, "snap").await;
    cloud.wait_image(&token, &image, "killed").await;
    assert_eq!(control.image_content(&image).await.unwrap(), None);
    let shown = cloud
        .get(&token, &format!("/image/v2/images/{image}"))
        .await;
    assert!(shown.body["checksum"].is_null(), "{}", shown.body);

    assert!(control.server_history(&server).await.is_ok());
    control.reset(Some(&project)).await.unwrap();
    assert_eq!(
        control.server_history(&server).await.unwrap_err().status,
        Some(404)
    );
    let refused = cloud
        .anonymous()
        .post("/_sim/volumes/x/markers", json!({"key": "", "value": "v"}))
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    let unknown = control.volume_content("nothing").await.unwrap_err();
    assert_eq!(unknown.status, Some(404));
}

#[tokio::test]
async fn contents_workloads_and_histories_survive_a_saved_state() {
    let (cloud, control, token, _) = start(TimeProfile::Manual).await;
    let server = cloud.booting_server(&token, "vm").await;
    cloud.advance(10.0).await;
    mark(&control, &server, None, "kept").await;
    control.set_workload(&server, true).await.unwrap();
    let saved = {
        let state = cloud.running.cloud().state();
        serde_json::to_value(state.save()).unwrap()
    };
    let restored = simulator::openstack::model::CloudState::restore(
        serde_json::from_value(saved.clone()).unwrap(),
        TimeProfile::Manual,
    )
    .unwrap();
    assert_eq!(serde_json::to_value(restored.save()).unwrap(), saved);
    let server_view = &restored.servers[&server];
    assert_eq!(
        server_view.root_disk.as_ref().unwrap().content().markers["m"],
        "kept"
    );
    assert!(server_view.workload_since_ms.is_some());
    assert_eq!(
        restored.server_history.get(&server).unwrap().events.len(),
        2
    );
}
