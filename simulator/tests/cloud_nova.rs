//! Nova: discovery, microversions, boot (image, volume, BDM sources), views, paging, delete,
//! both createImage paths, booting from a snapshot image, rebuild, power actions, volume
//! attachments and quotas.

mod support;

use serde_json::{json, Value};
use simulator::openstack::{clock::TimeProfile, CloudConfig};
use support::{start_as_admin, start_cloud, Answer, Session, TestCloud};

#[tokio::test]
async fn discovery_documents() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (_, versions) = cloud.discovery("/compute", 200).await;
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["id"], "v2.0");
    assert_eq!(versions[0]["status"], "DEPRECATED");
    assert_eq!(versions[0]["version"], "");
    assert_eq!(versions[1]["id"], "v2.1");
    assert_eq!(versions[1]["status"], "CURRENT");
    let max = CloudConfig::default().nova_max_version.to_string();
    assert_eq!(versions[1]["version"], max.as_str());
    assert_eq!(versions[1]["min_version"], "2.1");
    assert_eq!(
        versions[1]["links"],
        json!([{"rel": "self", "href": format!("{}/compute/v2.1/", cloud.base)}])
    );
    for path in ["/compute/v2.1", "/compute/v2.1/"] {
        let v21 = cloud.anonymous().get(path).await;
        assert_eq!(v21.status, 200, "{path}");
        let version = &v21.body["version"];
        assert_eq!(version["id"], "v2.1");
        assert_eq!(version["version"], max.as_str());
        assert_eq!(version["min_version"], "2.1");
        assert_eq!(version["links"][1]["rel"], "describedby");
        assert_eq!(
            version["media-types"][0]["type"],
            "application/vnd.openstack.compute+json;version=2.1"
        );
    }
}

#[tokio::test]
async fn microversion_headers_are_echoed_defaulted_and_range_checked() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let plain = cloud.get(&token, "/compute/v2.1/servers").await;
    assert_eq!(plain.header("openstack-api-version"), "compute 2.1");
    assert_eq!(plain.header("x-openstack-nova-api-version"), "2.1");
    assert_eq!(
        plain.header("vary"),
        "OpenStack-API-Version, X-OpenStack-Nova-API-Version"
    );
    let asked = nova.at("2.79").get("/servers").await;
    assert_eq!(asked.header("openstack-api-version"), "compute 2.79");
    assert_eq!(asked.header("x-openstack-nova-api-version"), "2.79");
    let legacy = cloud
        .as_user(&token)
        .header("X-OpenStack-Nova-API-Version", "2.45")
        .get("/compute/v2.1/servers")
        .await;
    assert_eq!(legacy.header("openstack-api-version"), "compute 2.45");
    let latest = nova.at("latest").get("/servers").await;
    let max = CloudConfig::default().nova_max_version;
    assert_eq!(
        latest.header("openstack-api-version"),
        format!("compute {max}")
    );
    let too_high = nova.at("2.200").get("/servers").await;
    assert_eq!(too_high.status, 406);
    assert_eq!(
        too_high.body,
        json!({"computeFault": {"code": 406, "message": format!("Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is {max}.")}})
    );
    let malformed = nova.at("two").get("/servers").await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.body["badRequest"]["code"], 400);
}

/// Starts a cloud on `profile`: the cloud, the admin's token and project, and the id of the
/// base image to boot from.
async fn start(profile: TimeProfile) -> (TestCloud, String, String, String) {
    let (cloud, token, project) = start_as_admin(profile).await;
    let image = cloud.base_image(&token).await;
    (cloud, token, project, image)
}

/// Starts a cloud (`TimeProfile::Instant`) with an ACTIVE image-backed server: as [`start`],
/// and the server's id.
async fn start_with_server() -> (TestCloud, String, String, String, String) {
    let (cloud, token, project, image) = start(TimeProfile::Instant).await;
    let server = cloud.image_server(&token, "vm").await;
    (cloud, token, project, image, server)
}

/// `POST /servers/{server}/action` of `{"rebuild": rebuild}`.
async fn rebuild(nova: &Session<'_>, server: &str, rebuild: Value) -> Answer {
    let path = format!("/servers/{server}/action");
    nova.post(&path, json!({ "rebuild": rebuild })).await
}

/// The status of the server action `action` (`{"os-stop": null}`) posted to `path`
/// (`/servers/{id}/action`).
async fn act(nova: &Session<'_>, path: &str, action: Value) -> u16 {
    nova.post(path, action).await.status
}

/// Stops the server `id` and waits until it is SHUTOFF.
async fn stop(cloud: &TestCloud, token: &str, id: &str) {
    let path = format!("/servers/{id}/action");
    let stopped = cloud
        .nova_as(token, "2.1")
        .post(&path, json!({"os-stop": null}))
        .await;
    assert_eq!(stopped.status, 202, "{}", stopped.text);
    cloud.wait_server(token, id, "SHUTOFF").await;
}

/// `POST /servers` with `server` as the body's server.
async fn boot(nova: &Session<'_>, server: Value) -> Answer {
    nova.post("/servers", json!({ "server": server })).await
}

#[tokio::test]
async fn boot_from_image_goes_build_then_active() {
    let (cloud, token, project, image) = start(TimeProfile::Manual).await;
    let nova = cloud.nova_as(&token, "2.1");
    let server =
        json!({"name": "vm1", "flavorRef": "1", "imageRef": image, "metadata": {"k": "v"}});
    let created = boot(&nova, server).await;
    assert_eq!(created.status, 202, "{}", created.text);
    let server = &created.body["server"];
    let id = server["id"].as_str().unwrap();
    let self_href = format!("{}/compute/v2.1/servers/{id}", cloud.base);
    assert_eq!(created.header("location"), self_href);
    assert_eq!(
        server["links"][0],
        json!({"rel": "self", "href": self_href})
    );
    assert_eq!(server["links"][1]["rel"], "bookmark");
    assert_eq!(server["OS-DCF:diskConfig"], "MANUAL");
    assert_eq!(server["security_groups"], json!([{"name": "default"}]));
    assert!(server["adminPass"].is_string());

    let server_path = format!("/compute/v2.1/servers/{id}");
    let building = cloud.get(&token, &server_path).await;
    let view = &building.body["server"];
    assert_eq!(view["status"], "BUILD");
    assert_eq!(view["OS-EXT-STS:vm_state"], "building");
    assert_eq!(view["progress"], 0);
    assert_eq!(view["tenant_id"], project.as_str());
    assert_eq!(view["metadata"], json!({"k": "v"}));
    assert_eq!(view["image"]["id"], image.as_str());
    cloud.advance(10.0).await;
    let active = cloud.get(&token, &server_path).await;
    let view = &active.body["server"];
    assert_eq!(view["status"], "ACTIVE");
    assert_eq!(view["OS-EXT-STS:vm_state"], "active");
    assert_eq!(view["OS-EXT-STS:power_state"], 1);
    assert!(view["OS-EXT-STS:task_state"].is_null());
    assert_eq!(view["progress"], 100);
    assert!(view["OS-SRV-USG:launched_at"].is_string());
}

#[tokio::test]
async fn networks_required_from_2_37_and_unknown_bdm_keys_rejected() {
    let (cloud, token, _, image) = start(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let plain = json!({"name": "vm", "flavorRef": "1", "imageRef": image});
    let no_networks = boot(&nova.at("2.37"), plain.clone()).await;
    no_networks.assert_error(
        400,
        "badRequest",
        "Invalid input for field/attribute server. 'networks' is a required property",
    );
    let with_networks = boot(
        &nova.at("2.37"),
        json!({"name": "vm", "flavorRef": "1", "imageRef": image, "networks": "none"}),
    )
    .await;
    assert_eq!(with_networks.status, 202, "{}", with_networks.text);
    let before = boot(&nova.at("2.36"), plain).await;
    assert_eq!(before.status, 202);

    let bad_bdm = boot(
        &nova,
        json!({"name": "vm", "flavorRef": "1", "imageRef": "", "block_device_mapping_v2": [
            {"boot_index": 0, "uuid": image, "source_type": "image", "destination_type": "volume",
             "volume_size": 1, "colour": "blue"}]}),
    )
    .await;
    bad_bdm.assert_error(400, "badRequest", "Invalid input for field/attribute block_device_mapping_v2. Additional properties are not allowed ('colour' was unexpected)");
    let bad_image = boot(
        &nova,
        json!({"name": "vm", "flavorRef": "1", "imageRef": "00000000-0000-0000-0000-000000000000"}),
    )
    .await;
    bad_image.assert_error(400, "badRequest", "Can not find requested image");
}

#[tokio::test]
async fn boot_from_volume_sources() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let image = cloud.base_image(&token).await;
    let root = cloud.volume(&token, &project, 2, "root").await;
    cloud.set_bootable(&token, &root).await;
    let data = cloud.volume(&token, &project, 1, "data").await;
    let snap_id = cloud.available_snapshot(&token, &project, &data).await;

    let created = boot(
        &nova,
        json!({"name": "bfv", "flavorRef": "1", "imageRef": "", "block_device_mapping_v2": [
            {"boot_index": 0, "uuid": root, "source_type": "volume", "destination_type": "volume", "delete_on_termination": false},
            {"boot_index": "1", "uuid": image, "source_type": "image", "destination_type": "volume", "volume_size": 3},
            {"boot_index": null, "source_type": "blank", "destination_type": "volume", "volume_size": 4},
            {"uuid": snap_id, "source_type": "snapshot", "destination_type": "volume"}
        ]}),
    )
    .await;
    assert_eq!(created.status, 202, "{}", created.text);
    let id = created.body["server"]["id"].as_str().unwrap().to_string();
    let server = cloud.wait_server(&token, &id, "ACTIVE").await;
    assert_eq!(server["image"], "", "volume-backed servers have image \"\"");
    let attached = server["os-extended-volumes:volumes_attached"]
        .as_array()
        .unwrap();
    assert_eq!(attached.len(), 4);
    assert_eq!(attached[0]["id"], root.as_str());
    assert!(
        attached[0].get("delete_on_termination").is_none(),
        "delete_on_termination is shown from 2.3 only: {}",
        attached[0]
    );
    let at_2_3 = nova.at("2.3").get(&format!("/servers/{id}")).await;
    assert_eq!(
        at_2_3.body["server"]["os-extended-volumes:volumes_attached"][0],
        json!({"id": root, "delete_on_termination": false})
    );

    let volumes = cinder.get("/volumes/detail").await;
    let volumes = volumes.body["volumes"].as_array().unwrap().clone();
    let by_id = |vid: &str| volumes.iter().find(|v| v["id"] == vid).cloned().unwrap();
    assert_eq!(by_id(&root)["status"], "in-use");
    assert_eq!(by_id(&root)["attachments"][0]["server_id"], id.as_str());
    assert_eq!(by_id(&root)["attachments"][0]["device"], "/dev/vda");
    let from_image = volumes.iter().find(|v| v["size"] == 3).unwrap();
    assert_eq!(from_image["bootable"], "true");
    assert_eq!(
        from_image["volume_image_metadata"]["image_id"],
        image.as_str()
    );
    let blank = volumes.iter().find(|v| v["size"] == 4).unwrap();
    assert_eq!(blank["bootable"], "false");
    assert_eq!(blank["status"], "in-use");
    let from_snap = volumes
        .iter()
        .find(|v| v["snapshot_id"] == snap_id.as_str())
        .unwrap();
    assert_eq!(from_snap["size"], 1);
    assert_eq!(from_snap["status"], "in-use");

    let busy = boot(
        &nova,
        json!({"name": "again", "flavorRef": "1", "imageRef": "", "block_device_mapping_v2": [
            {"boot_index": 0, "uuid": root, "source_type": "volume", "destination_type": "volume"}]}),
    )
    .await;
    busy.assert_error(
        400,
        "badRequest",
        format!(
            "Invalid volume: volume '{root}' status must be 'available'. Currently in 'in-use'"
        ),
    );
}

#[tokio::test]
async fn detail_view_embeds_flavor_from_2_47() {
    let (cloud, token, _, _, id) = start_with_server().await;
    let nova = cloud.nova_as(&token, "2.1");
    let old = nova.get(&format!("/servers/{id}")).await;
    let flavor = &old.body["server"]["flavor"];
    assert_eq!(flavor["id"], "1");
    assert_eq!(flavor["links"][0]["rel"], "bookmark");
    assert!(old.body["server"].get("locked").is_none());
    let new = nova.at("2.47").get(&format!("/servers/{id}")).await;
    assert_eq!(
        new.body["server"]["flavor"],
        json!({"vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "swap": 0,
               "original_name": "m1.tiny", "extra_specs": {}})
    );
    assert_eq!(new.body["server"]["locked"], false);
    assert_eq!(new.body["server"]["tags"], json!([]));
    let summary = cloud.get(&token, "/compute/v2.1/servers").await;
    let entry = &summary.body["servers"][0];
    assert_eq!(entry.as_object().unwrap().len(), 3, "{entry}");
    assert_eq!(entry["id"], id.as_str());
}

#[tokio::test]
async fn list_paging_with_servers_links() {
    let (cloud, token, _, image) = start(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    for n in 0..3 {
        let server = json!({"name": format!("vm{n}"), "flavorRef": "1", "imageRef": image});
        let created = boot(&nova, server).await;
        assert_eq!(created.status, 202);
    }
    let api = cloud.as_user(&token);
    let first = api.get("/compute/v2.1/servers/detail?limit=2").await;
    let page = support::field_of_each(&first.body["servers"], "id");
    assert_eq!(page.len(), 2);
    let next = first.body["servers_links"][0]["href"]
        .as_str()
        .expect("next link");
    assert_eq!(first.body["servers_links"][0]["rel"], "next");
    assert_eq!(
        next,
        format!(
            "{}/compute/v2.1/servers/detail?limit=2&marker={}",
            cloud.base, page[1]
        )
    );
    let second = api.get(&next.replace(&cloud.base, "")).await;
    let rest = second.body["servers"].as_array().unwrap();
    assert_eq!(rest.len(), 1);
    assert!(!page.contains(&rest[0]["id"].as_str().unwrap()));
    assert!(second.body.get("servers_links").is_none());
    let all = api.get("/compute/v2.1/servers/detail").await;
    assert_eq!(all.body["servers"].as_array().unwrap().len(), 3);
    assert!(all.body.get("servers_links").is_none());
    let bad_marker = api.get("/compute/v2.1/servers/detail?marker=nope").await;
    assert_eq!(bad_marker.status, 400);
}

#[tokio::test]
async fn delete_is_204_then_404_and_volumes_come_back_available() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Manual).await;
    let nova = cloud.nova_as(&token, "2.1");
    let root = cloud_volume_manual(&cloud, &token, &project).await;
    cloud.set_bootable(&token, &root).await;
    let created = boot(
        &nova,
        json!({"name": "bfv", "flavorRef": "1", "block_device_mapping_v2": [
            {"boot_index": 0, "uuid": root, "source_type": "volume", "destination_type": "volume"}]}),
    )
    .await;
    let id = created.body["server"]["id"].as_str().unwrap().to_string();
    let api = cloud.as_user(&token);
    let path = format!("/compute/v2.1/servers/{id}");
    cloud.advance(10.0).await;
    let deleted = api.delete(&path).await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty());
    let deleting = api.get(&path).await;
    assert_eq!(deleting.status, 200);
    assert_eq!(deleting.body["server"]["OS-EXT-STS:task_state"], "deleting");
    cloud.advance(10.0).await;
    let gone = api.get(&path).await;
    gone.assert_error(
        404,
        "itemNotFound",
        format!("Instance {id} could not be found."),
    );
    let volume = api
        .get(&format!("/volume/v3/{project}/volumes/{root}"))
        .await;
    assert_eq!(volume.body["volume"]["status"], "available");
    assert_eq!(volume.body["volume"]["attachments"], json!([]));
}

async fn cloud_volume_manual(cloud: &TestCloud, token: &str, project: &str) -> String {
    let created = cloud
        .cinder_as(token, project, "3.0")
        .post("/volumes", json!({"volume": {"size": 1, "name": "root"}}))
        .await;
    let id = created.body["volume"]["id"].as_str().unwrap().to_string();
    cloud.advance(5.0).await;
    id
}

#[tokio::test]
async fn create_image_of_image_backed_server_walks_queued_saving_active() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Manual).await;
    let nova = cloud.nova_as(&token, "2.45");
    let id = cloud.booting_server(&token, "vm").await;
    cloud.advance(10.0).await;
    let action_path = format!("/servers/{id}/action");
    let server_path = format!("/compute/v2.1/servers/{id}");

    let action = nova
        .post(
            &action_path,
            json!({"createImage": {"name": "snap1", "metadata": {"k": "v"}}}),
        )
        .await;
    assert_eq!(action.status, 202, "{}", action.text);
    assert!(action.header("location").is_empty());
    let image_id = action.body["image_id"]
        .as_str()
        .expect("image_id")
        .to_string();
    let image_path = format!("/image/v2/images/{image_id}");

    let shown = cloud.get(&token, &image_path).await;
    assert_eq!(shown.body["status"], "queued");
    assert_eq!(shown.body["name"], "snap1");
    assert_eq!(shown.body["image_type"], "snapshot");
    assert_eq!(shown.body["instance_uuid"], id.as_str());
    assert_eq!(shown.body["k"], "v");
    let server = cloud.get(&token, &server_path).await;
    assert_eq!(server.body["server"]["status"], "ACTIVE");
    assert!(server.body["server"]["OS-EXT-STS:task_state"].is_string());
    let again = nova
        .post(&action_path, json!({"createImage": {"name": "snap2"}}))
        .await;
    again.assert_error(
        409,
        "conflictingRequest",
        format!("Cannot 'createImage' instance {id} while it is in task_state image_snapshot"),
    );

    cloud.advance(2.0).await;
    let saving = cloud.get(&token, &image_path).await;
    assert_eq!(saving.body["status"], "saving");
    let server = cloud.get(&token, &server_path).await;
    assert_eq!(
        server.body["server"]["OS-EXT-STS:task_state"],
        "image_uploading"
    );
    cloud.advance(15.0).await;
    let active = cloud.get(&token, &image_path).await;
    assert_eq!(active.body["status"], "active");
    assert!(active.body["size"].as_u64().unwrap() > 0);
    let server = cloud.get(&token, &server_path).await;
    assert!(server.body["server"]["OS-EXT-STS:task_state"].is_null());

    let legacy = nova
        .at("2.44")
        .post(&action_path, json!({"createImage": {"name": "snap3"}}))
        .await;
    assert_eq!(legacy.status, 202);
    assert!(legacy.text.is_empty(), "{}", legacy.text);
    let location = legacy.header("location");
    let legacy_id = location.rsplit('/').next().unwrap();
    let found = cloud
        .get(&token, &format!("/image/v2/images/{legacy_id}"))
        .await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body["name"], "snap3");
}

/// `createImage` (2.45) of `server`; the answer.
async fn create_image(cloud: &TestCloud, token: &str, server: &str, name: &str) -> Answer {
    cloud
        .nova_as(token, "2.45")
        .post(
            &format!("/servers/{server}/action"),
            json!({"createImage": {"name": name}}),
        )
        .await
}

async fn snapshot_volume_backed(
    cloud: &TestCloud,
    token: &str,
    project: &str,
) -> (String, String, String, String) {
    let root = cloud.volume(token, project, 2, "root").await;
    let data = cloud.volume(token, project, 1, "data").await;
    let server = cloud.volume_server(token, "vnfc", &[&root, &data]).await;
    let action = create_image(cloud, token, &server, "vnfc-snap").await;
    assert_eq!(action.status, 202, "{}", action.text);
    let image = action.body["image_id"].as_str().unwrap().to_string();
    (server, root, data, image)
}

#[tokio::test]
async fn create_image_of_volume_backed_server_snapshots_every_volume() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let api = cloud.as_user(&token);
    let (server, root, data, image) = snapshot_volume_backed(&cloud, &token, &project).await;

    let shown = api.get(&format!("/image/v2/images/{image}")).await;
    assert_eq!(shown.body["status"], "active");
    assert_eq!(shown.body["size"], 0);
    assert_eq!(shown.body["disk_format"], "raw");
    assert_eq!(shown.body["container_format"], "bare");
    assert_eq!(shown.body["visibility"], "private");
    assert_eq!(shown.body["bdm_v2"], "True");
    assert_eq!(shown.body["root_device_name"], "/dev/vda");
    let mapping: Vec<Value> = serde_json::from_str(
        shown.body["block_device_mapping"]
            .as_str()
            .expect("JSON string"),
    )
    .unwrap();
    assert_eq!(mapping.len(), 2);

    let snapshots = api
        .get(&format!("/volume/v3/{project}/snapshots/detail"))
        .await;
    let snapshots = snapshots.body["snapshots"].as_array().unwrap().clone();
    assert_eq!(snapshots.len(), 2);
    for volume in [&root, &data] {
        let snap = snapshots
            .iter()
            .find(|s| s["volume_id"] == volume.as_str())
            .expect("a snapshot per volume");
        assert_eq!(snap["name"], "snapshot for vnfc-snap");
        let entry = mapping
            .iter()
            .find(|m| m["snapshot_id"] == snap["id"])
            .expect("mapping lists the snapshot");
        assert_eq!(entry["source_type"], "snapshot");
        assert_eq!(entry["destination_type"], "volume");
        assert_eq!(entry["volume_size"], snap["size"]);
    }
    let root_entry = mapping.iter().find(|m| m["boot_index"] == 0).unwrap();
    assert_eq!(root_entry["device_name"], "/dev/vda");
    let server_view = api.get(&format!("/compute/v2.1/servers/{server}")).await;
    assert_eq!(server_view.body["server"]["status"], "ACTIVE");
    assert!(server_view.body["server"]["OS-EXT-STS:task_state"].is_null());

    // Booting from that image creates new volumes from the snapshots.
    let booted = boot(
        &cloud.nova_as(&token, "2.1"),
        json!({"name": "restored", "flavorRef": "1", "imageRef": image}),
    )
    .await;
    assert_eq!(booted.status, 202, "{}", booted.text);
    let restored = booted.body["server"]["id"].as_str().unwrap().to_string();
    let view = cloud.wait_server(&token, &restored, "ACTIVE").await;
    assert_eq!(view["image"], "");
    let attached = support::field_of_each(&view["os-extended-volumes:volumes_attached"], "id");
    assert_eq!(attached.len(), 2);
    assert!(!attached.contains(&root.as_str()) && !attached.contains(&data.as_str()));
    for vid in &attached {
        let volume = api
            .get(&format!("/volume/v3/{project}/volumes/{vid}"))
            .await;
        let snapshot_id = volume.body["volume"]["snapshot_id"].as_str().unwrap();
        assert!(snapshots.iter().any(|s| s["id"] == snapshot_id));
        assert_eq!(volume.body["volume"]["status"], "in-use");
    }
}

#[tokio::test]
async fn volume_backed_create_image_is_refused_when_snapshot_quota_is_short() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let root = cloud.volume(&token, &project, 1, "root").await;
    let data = cloud.volume(&token, &project, 1, "data").await;
    let server = cloud.volume_server(&token, "vnfc", &[&root, &data]).await;
    cloud.set_quotas(&project, json!({"snapshots": 1})).await;
    let action = create_image(&cloud, &token, &server, "snap").await;
    assert_eq!(action.status, 403);
    assert_eq!(
        action.body,
        json!({"forbidden": {"code": 403, "message": "Quota exceeded for resources: snapshots"}})
    );
    let snapshots = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots"))
        .await;
    assert_eq!(snapshots.body["snapshots"], json!([]));
    let images = cloud.get(&token, "/image/v2/images?name=snap").await;
    assert_eq!(images.body["images"], json!([]));
}

#[tokio::test]
async fn rebuild_rules() {
    let (cloud, token, project, base) = start(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let other = cloud
        .post(
            &token,
            "/image/v2/images",
            json!({"name": "other", "disk_format": "qcow2", "container_format": "bare", "visibility": "public"}),
        )
        .await;
    let other_id = other.body["id"].as_str().unwrap().to_string();
    let upload = upload_nothing(&cloud, &token, &other_id).await;
    assert_eq!(upload.status, 204, "{}", upload.text);
    cloud.wait_image(&token, &other_id, "active").await;

    let root = cloud.volume(&token, &project, 1, "root").await;
    let vb = cloud.volume_server(&token, "vb", &[&root]).await;
    let refused = rebuild(&nova, &vb, json!({ "imageRef": other_id })).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"badRequest": {"code": 400, "message": format!("Image {other_id} is unacceptable: Unable to rebuild with a different image for a volume-backed server.")}})
    );

    let ib = cloud.image_server(&token, "ib").await;
    let renamed = json!({"imageRef": other_id, "name": "ib2"});
    let rebuilt = rebuild(&nova.at("2.75"), &ib, renamed).await;
    assert_eq!(rebuilt.status, 202, "{}", rebuilt.text);
    assert_eq!(rebuilt.body["server"]["name"], "ib2");
    assert!(rebuilt.body["server"]["adminPass"].is_string());
    let view = cloud.wait_server(&token, &ib, "ACTIVE").await;
    assert_eq!(view["image"]["id"], other_id.as_str());
    assert_ne!(other_id, base);
    let unknown = json!({"imageRef": "00000000-0000-0000-0000-000000000000"});
    let missing = rebuild(&nova, &ib, unknown).await;
    missing.assert_error(400, "badRequest", "Cannot find image for rebuild");
}

/// `PUT /image/v2/images/{id}/file` with an empty octet stream.
async fn upload_nothing(cloud: &TestCloud, token: &str, id: &str) -> Answer {
    cloud
        .as_user(token)
        .header("Content-Type", "application/octet-stream")
        .send(
            reqwest::Method::PUT,
            &format!("/image/v2/images/{id}/file"),
            None,
        )
        .await
}

#[tokio::test]
async fn stop_and_start_with_409_in_wrong_states() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Manual).await;
    let nova = cloud.nova_as(&token, "2.1");
    let id = cloud.booting_server(&token, "vm").await;
    let action_path = format!("/servers/{id}/action");
    let action = |body: Value| nova.post(&action_path, body);
    let early = action(json!({"os-stop": null})).await;
    early.assert_error(
        409,
        "conflictingRequest",
        format!("Cannot 'stop' instance {id} while it is in task_state spawning"),
    );
    cloud.advance(10.0).await;
    let start_active = action(json!({"os-start": null})).await;
    start_active.assert_error(
        409,
        "conflictingRequest",
        format!("Cannot 'start' instance {id} while it is in vm_state active"),
    );
    assert_eq!(action(json!({"os-stop": null})).await.status, 202);
    cloud.advance(5.0).await;
    let server_path = format!("/compute/v2.1/servers/{id}");
    let stopped = cloud.get(&token, &server_path).await;
    assert_eq!(stopped.body["server"]["status"], "SHUTOFF");
    assert_eq!(stopped.body["server"]["OS-EXT-STS:vm_state"], "stopped");
    assert_eq!(stopped.body["server"]["OS-EXT-STS:power_state"], 4);
    assert_eq!(action(json!({"os-stop": null})).await.status, 409);
    assert_eq!(action(json!({"os-start": null})).await.status, 202);
    cloud.advance(5.0).await;
    let started = cloud.get(&token, &server_path).await;
    assert_eq!(started.body["server"]["status"], "ACTIVE");
}

#[tokio::test]
async fn volume_attachments() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let server = cloud.image_server(&token, "vm").await;
    let volume = cloud.volume(&token, &project, 1, "data").await;
    let attached = cloud.attach_volume(&token, "2.79", &server, &volume).await;
    assert_eq!(attached.status, 200, "{}", attached.text);
    let va = &attached.body["volumeAttachment"];
    assert_eq!(va["volumeId"], volume.as_str());
    assert_eq!(va["serverId"], server.as_str());
    assert_eq!(va["device"], "/dev/vdb");
    assert_eq!(va["delete_on_termination"], false);
    let attachments = format!("/compute/v2.1/servers/{server}/os-volume_attachments");
    let listed = cloud.get(&token, &attachments).await;
    assert_eq!(
        listed.body["volumeAttachments"].as_array().unwrap().len(),
        1
    );
    let in_use = cloud.wait_volume(&token, &project, &volume, "in-use").await;
    assert_eq!(in_use["attachments"][0]["server_id"], server.as_str());
    let detached = cloud
        .delete(&token, &format!("{attachments}/{volume}"))
        .await;
    assert_eq!(detached.status, 202);
    cloud
        .wait_volume(&token, &project, &volume, "available")
        .await;
    let again = cloud
        .delete(&token, &format!("{attachments}/{volume}"))
        .await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn instance_quota_is_403_forbidden() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    cloud.set_quotas(&project, json!({"instances": 1})).await;
    cloud.image_server(&token, "one").await;
    let image = cloud.base_image(&token).await;
    let refused = boot(
        &nova,
        json!({"name": "two", "flavorRef": "1", "imageRef": image}),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.body,
        json!({"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"}})
    );
    cloud
        .set_quotas(&project, json!({"instances": 10, "cores": 1}))
        .await;
    let cores = boot(
        &nova,
        json!({"name": "two", "flavorRef": "3", "imageRef": image}),
    )
    .await;
    cores.assert_error(
        403,
        "forbidden",
        "Quota exceeded for cores: Requested 2, but already used 1 of 1 cores",
    );
}

#[tokio::test]
async fn create_image_with_glance_over_quota_is_an_unexpected_api_error() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let root = cloud.volume(&token, &project, 1, "root").await;
    let server = cloud.volume_server(&token, "vnfc", &[&root]).await;
    cloud.set_quotas(&project, json!({"images": 0})).await;
    let action = create_image(&cloud, &token, &server, "snap").await;
    assert_eq!(action.status, 500);
    assert!(action
        .message("computeFault")
        .starts_with("Unexpected API Error."));
    let snapshots = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots"))
        .await;
    assert_eq!(
        snapshots.body["snapshots"],
        json!([]),
        "nothing left behind"
    );
}

#[tokio::test]
async fn one_large_clock_advance_completes_an_image_backed_snapshot() {
    // queued -> saving takes 2 s and the upload 15 s: one jump of 60 s covers both steps.
    let (cloud, token, _, image) = start(TimeProfile::Manual).await;
    let server = json!({"name": "vm", "flavorRef": "1", "imageRef": image});
    let created = boot(&cloud.nova_as(&token, "2.1"), server).await;
    let id = created.body["server"]["id"].as_str().unwrap().to_string();
    cloud.advance(10.0).await;
    let action = create_image(&cloud, &token, &id, "snap").await;
    let image_id = action.body["image_id"].as_str().unwrap().to_string();
    cloud.advance(60.0).await;
    let shown = cloud
        .get(&token, &format!("/image/v2/images/{image_id}"))
        .await;
    assert_eq!(shown.body["status"], "active");
    let server = cloud
        .get(&token, &format!("/compute/v2.1/servers/{id}"))
        .await;
    assert!(server.body["server"]["OS-EXT-STS:task_state"].is_null());
}

#[tokio::test]
async fn image_proxy_lists_shows_filters_and_edits_metadata_until_2_36() {
    let (cloud, token, _, base, server) = start_with_server().await;
    let nova = cloud.nova_as(&token, "2.1");
    let snap = nova
        .at("2.45")
        .post(
            &format!("/servers/{server}/action"),
            json!({"createImage": {"name": "snap", "metadata": {"k": "v"}}}),
        )
        .await;
    let snap_id = snap.body["image_id"].as_str().unwrap().to_string();
    cloud.wait_image(&token, &snap_id, "active").await;

    let list = nova.get("/images").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let first = &list.body["images"][0];
    assert_eq!(
        first.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "links", "name"]
    );
    let shown = nova.get(&format!("/images/{snap_id}")).await;
    let view = &shown.body["image"];
    assert_eq!(view["status"], "ACTIVE");
    assert_eq!(view["progress"], 100);
    assert_eq!(view["server"]["id"], server.as_str());
    assert_eq!(view["metadata"]["k"], "v");
    assert!(view["minRam"].is_u64() && view["minDisk"].is_u64());

    let ids = |answer: &Answer| -> Vec<String> {
        let ids = support::field_of_each(&answer.body["images"], "id");
        ids.into_iter().map(String::from).collect()
    };
    let by_server = nova
        .get(&format!(
            "/images/detail?server={}/servers/{server}",
            cloud.base
        ))
        .await;
    assert_eq!(ids(&by_server), [snap_id.as_str()]);
    let by_type = nova.get("/images?type=snapshot").await;
    assert_eq!(ids(&by_type), [snap_id.as_str()]);
    let by_status = nova.get("/images?status=ACTIVE").await;
    assert!(ids(&by_status).contains(&base));
    let one = nova.get("/images?limit=1").await;
    assert_eq!(ids(&one).len(), 1);
    assert!(one.body["images_links"][0]["href"]
        .as_str()
        .unwrap()
        .contains("marker="));

    let path = format!("/images/{snap_id}/metadata");
    let item_path = format!("{path}/c");
    let merged = nova.post(&path, json!({"metadata": {"a": "1"}})).await;
    assert_eq!(merged.body["metadata"]["k"], "v");
    assert_eq!(merged.body["metadata"]["a"], "1");
    let replaced = nova.put(&path, json!({"metadata": {"b": "2"}})).await;
    assert_eq!(replaced.body["metadata"], json!({"b": "2"}));
    let item = nova.put(&item_path, json!({"meta": {"c": "3"}})).await;
    assert_eq!(item.body, json!({"meta": {"c": "3"}}));
    let read = nova.get(&item_path).await;
    assert_eq!(read.body, json!({"meta": {"c": "3"}}));
    let removed = nova.delete(&item_path).await;
    assert_eq!(removed.status, 204);
    let gone_item = nova.get(&item_path).await;
    assert_eq!(gone_item.status, 404);

    let removed_in_2_36 = nova.at("2.36").get("/images").await;
    assert_eq!(removed_in_2_36.status, 404);
    let deleted = nova.delete(&format!("/images/{snap_id}")).await;
    assert_eq!(deleted.status, 204);
    let missing = nova.get(&format!("/images/{snap_id}")).await;
    missing.assert_error(404, "itemNotFound", "Image not found.");
}

#[tokio::test]
async fn rebuild_keeps_a_stopped_server_shutoff_and_answers_per_microversion() {
    let (cloud, token, _, image, id) = start_with_server().await;
    let nova = cloud.nova_as(&token, "2.1");
    stop(&cloud, &token, &id).await;
    let rebuilt = rebuild(&nova, &id, json!({ "imageRef": image })).await;
    assert_eq!(rebuilt.status, 202, "{}", rebuilt.text);
    let view = rebuilt.body["server"].as_object().unwrap();
    for extension in [
        "OS-EXT-STS:vm_state",
        "OS-EXT-AZ:availability_zone",
        "OS-SRV-USG:launched_at",
        "security_groups",
        "key_name",
        "config_drive",
        "os-extended-volumes:volumes_attached",
    ] {
        assert!(!view.contains_key(extension), "{extension} before 2.75");
    }
    assert!(view.contains_key("adminPass"));
    let after = cloud.wait_server(&token, &id, "SHUTOFF").await;
    assert_eq!(after["OS-EXT-STS:vm_state"], "stopped");
    assert_eq!(after["OS-EXT-STS:power_state"], 4);

    let full = rebuild(&nova.at("2.75"), &id, json!({ "imageRef": image })).await;
    assert!(full.body["server"]["OS-EXT-STS:vm_state"].is_string());
    assert!(full.body["server"]["server_groups"].is_array());
    cloud.wait_server(&token, &id, "SHUTOFF").await;
    let listed = nova.at("2.71").get("/servers/detail").await;
    assert!(listed.body["servers"][0].get("server_groups").is_none());
    let shown = nova.at("2.71").get(&format!("/servers/{id}")).await;
    assert!(shown.body["server"]["server_groups"].is_array());
}

#[tokio::test]
async fn update_access_addresses_counts_and_list_filters() {
    let (cloud, token, _, image) = start(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let created = boot(
        &nova,
        json!({"name": "web-instance-1", "flavorRef": "1", "imageRef": image,
               "accessIPv4": "1.1.1.1", "accessIPv6": "0000:0000:0000:0000:0000:babe:220.12.22.2"}),
    )
    .await;
    let id = created.body["server"]["id"].as_str().unwrap().to_string();
    let view = cloud.wait_server(&token, &id, "ACTIVE").await;
    assert_eq!(view["accessIPv4"], "1.1.1.1");
    assert_eq!(
        view["accessIPv6"], "::babe:dc0c:1602",
        "stored in canonical form"
    );
    let bad_ip = boot(
        &nova,
        json!({"name": "x", "flavorRef": "1", "imageRef": image, "accessIPv6": "notanip"}),
    )
    .await;
    assert_eq!(bad_ip.status, 400);

    let updated = nova
        .put(
            &format!("/servers/{id}"),
            json!({"server": {"name": "web-instance-2", "accessIPv4": "2.2.2.2"}}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["server"]["name"], "web-instance-2");
    assert_eq!(updated.body["server"]["accessIPv4"], "2.2.2.2");
    assert!(updated.body["server"].get("OS-EXT-STS:vm_state").is_none());

    for (min, max) in [
        (json!(0), json!(1)),
        (json!("abc"), json!(1)),
        (json!(3), json!(2)),
    ] {
        let refused = boot(
            &nova,
            json!({"name": "n", "flavorRef": "1", "imageRef": image, "min_count": min, "max_count": max}),
        )
        .await;
        assert_eq!(refused.status, 400, "min {min} max {max}");
    }
    let two = boot(
        &nova,
        json!({"name": "pair", "flavorRef": "2", "imageRef": image, "min_count": 2, "max_count": "2"}),
    )
    .await;
    assert_eq!(two.status, 202, "{}", two.text);

    let names = |answer: Answer| -> Vec<String> {
        let mut names: Vec<String> = answer.body["servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    let by_regex = nova
        .get("/servers?name=%5E.*-instance-%5B0-9%5D%2B%24")
        .await;
    assert_eq!(names(by_regex), ["web-instance-2"]);
    let by_flavor = nova.get("/servers/detail?flavor=2").await;
    assert_eq!(names(by_flavor), ["pair-1", "pair-2"]);
    let by_image = nova.get(&format!("/servers?image={image}")).await;
    assert_eq!(names(by_image).len(), 3);
}

#[tokio::test]
async fn lock_refuses_lifecycle_actions_and_zones_are_listed() {
    let (cloud, token, _, image, id) = start_with_server().await;
    let nova = cloud.nova_as(&token, "2.1");
    let action_path = format!("/servers/{id}/action");
    assert_eq!(
        act(
            &nova.at("2.73"),
            &action_path,
            json!({"lock": {"locked_reason": "maintenance"}})
        )
        .await,
        202
    );
    let shown = nova.at("2.73").get(&format!("/servers/{id}")).await;
    assert_eq!(shown.body["server"]["locked"], true);
    assert_eq!(shown.body["server"]["locked_reason"], "maintenance");
    let refused = nova.post(&action_path, json!({"os-stop": null})).await;
    refused.assert_error(
        409,
        "conflictingRequest",
        format!("Instance {id} is locked"),
    );
    let delete = nova.delete(&format!("/servers/{id}")).await;
    assert_eq!(delete.status, 409);
    assert_eq!(act(&nova, &action_path, json!({"unlock": null})).await, 202);
    stop(&cloud, &token, &id).await;

    let with_user_data = json!({"imageRef": image, "user_data": "aGVsbG8="});
    let rebuilt = rebuild(&nova.at("2.57"), &id, with_user_data).await;
    assert_eq!(rebuilt.status, 202, "{}", rebuilt.text);
    assert_eq!(rebuilt.body["server"]["user_data"], "aGVsbG8=");
    assert!(rebuilt.body["server"]
        .as_object()
        .unwrap()
        .contains_key("key_name"));
    assert!(rebuilt.body["server"].get("OS-EXT-STS:vm_state").is_none());

    let zones = nova.get("/os-availability-zone").await;
    assert_eq!(
        zones.body["availabilityZoneInfo"][0]["zoneName"],
        shown.body["server"]["OS-EXT-AZ:availability_zone"]
    );
}

#[tokio::test]
async fn create_backup_marks_the_image_and_rotates_old_backups() {
    let (cloud, token, project, _, id) = start_with_server().await;
    let nova = cloud.nova_as(&token, "2.45");
    let action_path = format!("/servers/{id}/action");
    let backup = |name: &str, rotation: Value| {
        let body =
            json!({"createBackup": {"name": name, "backup_type": "daily", "rotation": rotation}});
        nova.post(&action_path, body)
    };
    let mut ids = Vec::new();
    for name in ["b1", "b2", "b3"] {
        let made = backup(name, json!(2)).await;
        assert_eq!(made.status, 202, "{}", made.text);
        let image_id = made.body["image_id"].as_str().unwrap().to_string();
        cloud.wait_image(&token, &image_id, "active").await;
        cloud.advance(0.01).await;
        ids.push(image_id);
    }
    let image = |n: usize| format!("/image/v2/images/{}", ids[n]);
    let shown = cloud.get(&token, &image(2)).await;
    assert_eq!(shown.body["image_type"], "backup");
    assert_eq!(shown.body["backup_type"], "daily");
    assert_eq!(shown.body["instance_uuid"], id.as_str());
    assert_eq!(
        cloud.get(&token, &image(0)).await.status,
        404,
        "the oldest backup is rotated out"
    );
    assert_eq!(cloud.get(&token, &image(1)).await.status, 200);
    let tasks = cloud.get(&token, &format!("{}/tasks", image(1))).await;
    assert_eq!(tasks.body, json!({"tasks": []}));
    assert_eq!(backup("b4", json!("x")).await.status, 400);

    let root = cloud.volume(&token, &project, 1, "root").await;
    let vb = cloud.volume_server(&token, "vb", &[&root]).await;
    let refused = nova
        .post(
            &format!("/servers/{vb}/action"),
            json!({"createBackup": {"name": "x", "backup_type": "daily", "rotation": 1}}),
        )
        .await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn boot_request_checks_and_answers() {
    let (cloud, token, _, image) = start(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let base = json!({"name": "vm", "flavorRef": "1", "imageRef": image});
    let with = |extra: Value| {
        let mut server = base.clone();
        server
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        server
    };
    let long = "n".repeat(256);
    for refused in [
        json!({"key_name": "nope"}),
        json!({"name": long}),
        json!({"metadata": {"": "v"}}),
        json!({"metadata": {"k": long}}),
        json!({"block_device_mapping_v2": [{"source_type": "blank", "destination_type": "invalid", "volume_size": 1}]}),
    ] {
        let answer = boot(&nova, with(refused.clone())).await;
        assert_eq!(answer.status, 400, "{refused}: {}", answer.text);
    }
    let password = boot(&nova, with(json!({"adminPass": "s3cret"}))).await;
    assert_eq!(password.body["server"]["adminPass"], "s3cret");
    let reservation = boot(
        &nova,
        with(json!({"return_reservation_id": true, "min_count": 2})),
    )
    .await;
    assert_eq!(reservation.status, 202);
    assert!(reservation.body["reservation_id"]
        .as_str()
        .unwrap()
        .starts_with("r-"));

    let future = nova
        .get("/servers?changes-since=2999-01-01T00:00:00Z")
        .await;
    assert_eq!(future.body["servers"], json!([]));
    let past = nova
        .get("/servers?changes-since=2000-01-01T00:00:00Z")
        .await;
    assert_eq!(past.body["servers"].as_array().unwrap().len(), 3);
    let invalid = nova.get("/servers?changes-since=soon").await;
    assert_eq!(invalid.status, 400);

    let missing = nova
        .post(
            "/servers/0d4f3c0e-0000-4000-8000-000000000000/action",
            json!({"forceDelete": null}),
        )
        .await;
    assert_eq!(missing.status, 404);
}
