//! Cinder beyond volumes and snapshots: volume types (policies, private types and their
//! access, extra specs, the default type and project default types, encryption, the backend's
//! capabilities), retype, the attachments API and its agreement with Nova's attachments, the
//! legacy attach actions, the read-only flag, upload to an image, the admin actions,
//! availability zones and extensions.

mod support;

use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_as_admin, start_cloud, Session, TestCloud};

/// Creates a volume type as the admin; returns its view.
/// The Cinder sessions of the admin and of the member of a new project `tenant` on `cloud`, and
/// the member's token and project id.
async fn admin_and_member(cloud: &TestCloud) -> (Session<'_>, Session<'_>, String, String) {
    let (admin_token, admin_project) = cloud.token("admin").await;
    let (token, project) = cloud.project("tenant").await;
    let admin = cloud.cinder_as(&admin_token, &admin_project, "3.0");
    let member = cloud.cinder_as(&token, &project, "3.0");
    (admin, member, token, project)
}

/// Creates a volume of the default type as the holder of `token` and waits until it is
/// `status`.
async fn new_volume_becomes(cloud: &TestCloud, token: &str, project: &str, status: &str) {
    let cinder = cloud.cinder_as(token, project, "3.0");
    let created = create_volume(&cinder, None).await;
    let id = created.body["volume"]["id"].as_str().unwrap();
    cloud.wait_volume(token, project, id, status).await;
}

async fn create_type(admin: &Session<'_>, body: Value) -> Value {
    let created = admin.post("/types", json!({ "volume_type": body })).await;
    assert_eq!(created.status, 200, "{}", created.text);
    created.body["volume_type"].clone()
}

/// Creates a volume of `volume_type` (or the default) and returns the create answer.
async fn create_volume(caller: &Session<'_>, volume_type: Option<&str>) -> support::Answer {
    let mut volume = json!({"size": 1, "name": "typed"});
    if let Some(volume_type) = volume_type {
        volume["volume_type"] = json!(volume_type);
    }
    caller
        .at("3.65")
        .post("/volumes", json!({ "volume": volume }))
        .await
}

fn bad_request(message: &str) -> Value {
    json!({"badRequest": {"code": 400, "message": message}})
}

fn forbidden(policy: &str) -> Value {
    json!({"forbidden": {"code": 403, "message": format!("Policy doesn't allow volume_extension:{policy} to be performed.")}})
}

#[tokio::test]
async fn volume_types_are_the_admins_and_private_ones_are_shared_per_project() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, member, _, member_project) = admin_and_member(&cloud).await;

    let gold = create_type(
        &admin,
        json!({"name": "gold", "description": "fast", "os-volume-type-access:is_public": false,
               "extra_specs": {"storage_protocol": "iSCSI", "multiattach": "<is> True"}}),
    )
    .await;
    let gold_id = gold["id"].as_str().unwrap().to_string();
    assert_eq!(
        gold,
        json!({"id": gold_id, "name": "gold", "description": "fast", "is_public": false,
               "os-volume-type-access:is_public": false,
               "extra_specs": {"storage_protocol": "iSCSI", "multiattach": "<is> True"}})
    );
    let refused = member
        .post("/types", json!({"volume_type": {"name": "mine"}}))
        .await;
    refused.assert_answer(403, forbidden("type_create"));
    let again = admin
        .post("/types", json!({"volume_type": {"name": "gold"}}))
        .await;
    again.assert_answer(
        409,
        json!({"conflictingRequest": {"code": 409, "message": "Volume Type gold already exists."}}),
    );
    let empty = admin
        .post("/types", json!({"volume_type": {"name": ""}}))
        .await;
    assert_eq!(empty.status, 400);

    // A project sees the public types only, until the private one is shared with it.
    let names = |answer: &support::Answer| -> Vec<String> {
        answer.body["volume_types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    let listed = member.get("/types").await;
    assert_eq!(names(&listed), ["lvmdriver-1"]);
    let hidden = member.get(&format!("/types/{gold_id}")).await;
    hidden.assert_answer(
        404,
        json!({"itemNotFound": {"code": 404, "message": format!("Volume type {gold_id} could not be found.")}}),
    );
    let not_usable = create_volume(&member, Some("gold")).await;
    not_usable.assert_answer(
        404,
        json!({"itemNotFound": {"code": 404, "message": "Volume type with name gold could not be found."}}),
    );
    let action = format!("/types/{gold_id}/action");
    let grant = json!({"addProjectAccess": {"project": member_project}});
    let by_member = member.post(&action, grant.clone()).await;
    by_member.assert_answer(403, forbidden("volume_type_access:addProjectAccess"));
    let granted = admin.post(&action, grant.clone()).await;
    assert_eq!(granted.status, 202, "{}", granted.text);
    let twice = admin.post(&action, grant).await;
    assert_eq!(twice.status, 409);
    let access = admin
        .get(&format!("/types/{gold_id}/os-volume-type-access"))
        .await;
    assert_eq!(
        access.body,
        json!({"volume_type_access": [{"volume_type_id": gold_id, "project_id": member_project}]})
    );
    let listed = member.get("/types").await;
    assert_eq!(names(&listed), ["lvmdriver-1", "gold"]);
    // A project reads only the user-visible extra specs, and no QoS id.
    let shown = member.get(&format!("/types/{gold_id}")).await;
    assert_eq!(
        shown.body["volume_type"]["extra_specs"],
        json!({"multiattach": "<is> True"})
    );
    assert!(shown.body["volume_type"].get("qos_specs_id").is_none());
    let shown = admin.get(&format!("/types/{gold_id}")).await;
    assert_eq!(
        shown.body["volume_type"]["extra_specs"]["storage_protocol"],
        "iSCSI"
    );
    assert!(shown.body["volume_type"]["qos_specs_id"].is_null());

    let volume = create_volume(&member, Some(&gold_id)).await;
    assert_eq!(volume.status, 202, "{}", volume.text);
    assert_eq!(volume.body["volume"]["volume_type"], "gold");
    assert_eq!(volume.body["volume"]["volume_type_id"], gold_id.as_str());
    assert_eq!(volume.body["volume"]["multiattach"], true);
    let in_use = admin.delete(&format!("/types/{gold_id}")).await;
    in_use.assert_answer(400, bad_request("Target volume type is still in use."));
    let specs = admin
        .post(
            &format!("/types/{gold_id}/extra_specs"),
            json!({"extra_specs": {"k": "v"}}),
        )
        .await;
    specs.assert_answer(400, bad_request("Volume Type is currently in use."));

    // The default type can be read and not deleted.
    let default = member.get("/types/default").await;
    assert_eq!(default.body["volume_type"]["name"], "lvmdriver-1");
    let default_id = default.body["volume_type"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let kept = admin.delete(&format!("/types/{default_id}")).await;
    kept.assert_answer(
        400,
        bad_request(&format!(
            "The volume type {default_id} is a default volume type and cannot be deleted."
        )),
    );
}

#[tokio::test]
async fn extra_specs_updates_and_the_types_the_backend_refuses() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let admin = cloud.cinder_as(&token, &project, "3.0");
    let silver = create_type(&admin, json!({"name": "silver"})).await;
    let id = silver["id"].as_str().unwrap();
    let specs = format!("/types/{id}/extra_specs");
    let set = admin
        .post(
            &specs,
            json!({"extra_specs": {"vendor_name": "Open Source", "RESKEY:x": "1"}}),
        )
        .await;
    assert_eq!(
        set.body,
        json!({"extra_specs": {"vendor_name": "Open Source", "RESKEY:x": "1"}})
    );
    let one = admin
        .put(
            &format!("{specs}/vendor_name"),
            json!({"vendor_name": "Open Source"}),
        )
        .await;
    assert_eq!(one.body, json!({"vendor_name": "Open Source"}));
    let mismatch = admin
        .put(&format!("{specs}/other"), json!({"vendor_name": "x"}))
        .await;
    mismatch.assert_answer(400, bad_request("Request body and URI mismatch"));
    let shown = admin.get(&format!("{specs}/RESKEY:x")).await;
    assert_eq!(shown.body, json!({"RESKEY:x": "1"}));
    let removed = admin.delete(&format!("{specs}/RESKEY:x")).await;
    assert_eq!(removed.status, 202);
    let gone = admin.get(&format!("{specs}/RESKEY:x")).await;
    gone.assert_answer(
        404,
        json!({"itemNotFound": {"code": 404, "message": format!("Volume Type {id} has no extra specs with key RESKEY:x.")}}),
    );

    // A type the LVM backend satisfies gets available volumes; one asking for another
    // protocol gets a volume in error (no valid backend).
    let fine = create_volume(&admin, Some("silver")).await;
    let fine_id = fine.body["volume"]["id"].as_str().unwrap();
    cloud
        .wait_volume(&token, &project, fine_id, "available")
        .await;
    create_type(
        &admin,
        json!({"name": "fc", "extra_specs": {"storage_protocol": "FC"}}),
    )
    .await;
    let refused = create_volume(&admin, Some("fc")).await;
    assert_eq!(refused.status, 202);
    let refused_id = refused.body["volume"]["id"].as_str().unwrap();
    cloud
        .wait_volume(&token, &project, refused_id, "error")
        .await;

    // Retype to another satisfiable type, not to the same one.
    let bronze = create_type(&admin, json!({"name": "bronze"})).await;
    let action = format!("/volumes/{fine_id}/action");
    let retyped = admin
        .post(
            &action,
            json!({"os-retype": {"new_type": bronze["id"], "migration_policy": "never"}}),
        )
        .await;
    assert_eq!(retyped.status, 202, "{}", retyped.text);
    let view = cloud
        .wait_volume(&token, &project, fine_id, "available")
        .await;
    assert_eq!(view["volume_type"], "bronze");
    let same = admin
        .post(&action, json!({"os-retype": {"new_type": "bronze"}}))
        .await;
    assert_eq!(same.status, 400);
}

#[tokio::test]
async fn project_default_types_and_encryption() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, member, _, member_project) = admin_and_member(&cloud).await;
    let fast = create_type(&admin, json!({"name": "fast"})).await;
    let fast_id = fast["id"].as_str().unwrap();
    let path = format!("/default-types/{member_project}");
    let old = admin
        .at("3.61")
        .put(&path, json!({"default_type": {"volume_type": "fast"}}))
        .await;
    assert_eq!(old.status, 404);
    let set = admin
        .at("3.62")
        .put(&path, json!({"default_type": {"volume_type": "fast"}}))
        .await;
    assert_eq!(
        set.body,
        json!({"default_type": {"project_id": member_project, "volume_type_id": fast_id}})
    );
    let by_member = member.at("3.62").get(&path).await;
    assert_eq!(by_member.status, 403);
    let volume = create_volume(&member, None).await;
    assert_eq!(volume.body["volume"]["volume_type"], "fast");
    let default = member.get("/types/default").await;
    assert_eq!(default.body["volume_type"]["id"], fast_id);
    let kept = admin.delete(&format!("/types/{fast_id}")).await;
    assert_eq!(kept.status, 400);
    let unset = admin.at("3.62").delete(&path).await;
    assert_eq!(unset.status, 204);
    let none = admin.at("3.62").get(&path).await;
    assert_eq!(none.status, 404);

    let secret = create_type(&admin, json!({"name": "secret"})).await;
    let secret_id = secret["id"].as_str().unwrap();
    let encryption = format!("/types/{secret_id}/encryption");
    let created = admin.post(&encryption, json!({"encryption": {"provider": "luks", "cipher": "aes-xts-plain64", "key_size": 256, "control_location": "front-end"}}))
    .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let encryption_id = created.body["encryption"]["encryption_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(created.body["encryption"]["volume_type_id"], secret_id);
    let updated = admin
        .put(
            &format!("{encryption}/{encryption_id}"),
            json!({"encryption": {"key_size": 128}}),
        )
        .await;
    assert_eq!(updated.body, json!({"encryption": {"key_size": 128}}));
    let shown = admin.get(&encryption).await;
    assert_eq!(
        (
            &shown.body["provider"],
            &shown.body["key_size"],
            &shown.body["control_location"]
        ),
        (&json!("luks"), &json!(128), &json!("front-end"))
    );
    let spec = admin.get(&format!("{encryption}/cipher")).await;
    assert_eq!(spec.body, json!({"cipher": "aes-xts-plain64"}));
    // No key manager: a volume of an encrypted type cannot get its key.
    let refused = create_volume(&admin, Some("secret")).await;
    refused.assert_answer(400, bad_request("Key manager error"));
    let deleted = admin.delete(&format!("{encryption}/{encryption_id}")).await;
    assert_eq!(deleted.status, 202);
    let empty = admin.get(&encryption).await;
    assert_eq!(empty.body, json!({}));
}

#[tokio::test]
async fn availability_zones_and_extensions() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("tenant").await;
    let member = cloud.cinder_as(&token, &project, "3.0");
    let zones = member.get("/os-availability-zone").await;
    assert_eq!(
        zones.body,
        json!({"availabilityZoneInfo": [{"zoneName": "nova", "zoneState": {"available": true}}]})
    );
    let extensions = member.get("/extensions").await;
    let aliases = support::field_of_each(&extensions.body["extensions"], "alias");
    assert!(aliases.contains(&"os-volume-type-access"), "{aliases:?}");
    let one = member.get("/extensions/os-types-manage").await;
    assert_eq!(
        one.body,
        json!({"extension": {"alias": "os-types-manage", "name": "TypesManage", "description": "Types manage support.", "updated": "2011-08-24T00:00:00+00:00", "links": []}})
    );
    let missing = member.get("/extensions/os-hosts").await;
    assert_eq!(missing.status, 404);

    let old = member.at("3.32").get("/resource_filters").await;
    assert_eq!(old.status, 404);
    let filters = member
        .at("3.33")
        .get("/resource_filters?resource=attachment")
        .await;
    assert_eq!(
        filters.body,
        json!({"resource_filters": [{"resource": "attachment",
            "filters": ["volume_id", "status", "attach_status", "instance_id"]}]})
    );
}

#[tokio::test]
async fn attachments_reserve_connect_complete_and_delete() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("tenant").await;
    let member = cloud.cinder_as(&token, &project, "3.0");
    let volume = cloud.volume(&token, &project, 1, "data").await;
    let consumer = "6c1a2f0e-4d4b-4c57-9d5e-3f8a3a0d2b11";
    let reserve = json!({"attachment": {"volume_uuid": volume, "instance_uuid": consumer}});
    let old = member
        .at("3.26")
        .post("/attachments", reserve.clone())
        .await;
    assert_eq!(old.status, 404);
    let reserved = member.at("3.27").post("/attachments", reserve).await;
    assert_eq!(reserved.status, 200, "{}", reserved.text);
    let attachment = reserved.body["attachment"].clone();
    let id = attachment["id"].as_str().unwrap().to_string();
    assert_eq!(
        attachment,
        json!({"id": id, "status": "reserved", "instance": consumer, "volume_id": volume,
               "attached_at": "", "detached_at": "", "attach_mode": "null", "connection_info": {}})
    );
    cloud
        .wait_volume(&token, &project, &volume, "reserved")
        .await;
    let other = member.at("3.27").post("/attachments", json!({"attachment": {"volume_uuid": volume, "instance_uuid": "0d5f4bd4-8f1b-4a6c-9a57-5b2b8f6b3c22"}}))
    .await;
    other.assert_answer(
        400,
        bad_request(&format!("Invalid volume: Volume {volume} status must be available or downloading to reserve, but the current status is reserved.")),
    );

    let connector = json!({"host": "compute-1", "initiator": "iqn.1993-08.org.debian:01:abc", "mountpoint": "/dev/vdc"});
    let connected = member
        .at("3.27")
        .put(
            &format!("/attachments/{id}"),
            json!({"attachment": {"connector": connector}}),
        )
        .await;
    assert_eq!(connected.status, 200, "{}", connected.text);
    let attachment = &connected.body["attachment"];
    assert_eq!(attachment["status"], "attaching");
    assert_eq!(attachment["attach_mode"], "rw");
    assert_eq!(attachment["connection_info"]["driver_volume_type"], "iscsi");
    assert_eq!(
        attachment["connection_info"]["data"]["volume_id"],
        volume.as_str()
    );
    cloud
        .wait_volume(&token, &project, &volume, "attaching")
        .await;

    let action = format!("/attachments/{id}/action");
    let early = member
        .at("3.43")
        .post(&action, json!({"os-complete": null}))
        .await;
    assert_eq!(early.status, 404);
    let completed = member
        .at("3.44")
        .post(&action, json!({"os-complete": null}))
        .await;
    assert_eq!(completed.status, 204, "{}", completed.text);
    let view = cloud.wait_volume(&token, &project, &volume, "in-use").await;
    assert_eq!(view["attachments"][0]["attachment_id"], id.as_str());
    assert_eq!(view["attachments"][0]["server_id"], consumer);
    assert_eq!(view["attachments"][0]["device"], "/dev/vdc");
    assert_eq!(
        view["attachments"][0]["host_name"],
        Value::Null,
        "a project does not see the host"
    );

    let listed = member
        .at("3.27")
        .get(&format!("/attachments?volume_id={volume}"))
        .await;
    assert_eq!(
        listed.body,
        json!({"attachments": [{"id": id, "status": "attached", "instance": consumer, "volume_id": volume}]})
    );
    let detail = member
        .at("3.27")
        .get("/attachments/detail?status=reserved")
        .await;
    assert_eq!(detail.body, json!({"attachments": []}));
    let deleted = member
        .at("3.27")
        .delete(&format!("/attachments/{id}"))
        .await;
    deleted.assert_answer(200, json!({"attachments": []}));
    cloud
        .wait_volume(&token, &project, &volume, "available")
        .await;
    let gone = member.at("3.27").get(&format!("/attachments/{id}")).await;
    gone.assert_answer(
        404,
        json!({"itemNotFound": {"code": 404, "message": format!("Volume attachment could not be found with filter: attachment_id = {id}.")}}),
    );
}

#[tokio::test]
async fn nova_attachments_are_cinder_attachments_only_nova_detaches() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let caller = cloud.cinder_as(&token, &project, "3.0");
    let volume = cloud.volume(&token, &project, 1, "data").await;
    let server = cloud.image_server(&token, "vm").await;
    let attach = cloud.attach_volume(&token, "2.1", &server, &volume).await;
    assert_eq!(attach.status, 200, "{}", attach.text);
    let listed = caller
        .at("3.27")
        .get(&format!("/attachments/detail?volume_id={volume}"))
        .await;
    let attachment = listed.body["attachments"][0].clone();
    let id = attachment["id"].as_str().unwrap().to_string();
    assert_eq!(attachment["status"], "attached");
    assert_eq!(attachment["instance"], server.as_str());
    let nova_view = cloud
        .nova_as(&token, "2.89")
        .get(&format!("/servers/{server}/os-volume_attachments/{volume}"))
        .await;
    assert_eq!(
        nova_view.body["volumeAttachment"]["attachment_id"],
        id.as_str()
    );

    let conflict = json!({"conflictingRequest": {"code": 409, "message": format!("Detach volume from instance {server} using the Compute API")}});
    let deleted = caller
        .at("3.27")
        .delete(&format!("/attachments/{id}"))
        .await;
    deleted.assert_answer(409, conflict.clone());
    let detached = caller
        .post(
            &format!("/volumes/{volume}/action"),
            json!({"os-detach": {"attachment_id": id}}),
        )
        .await;
    detached.assert_answer(409, conflict);
    cloud.wait_volume(&token, &project, &volume, "in-use").await;

    let by_nova = cloud
        .delete(
            &token,
            &format!("/compute/v2.1/servers/{server}/os-volume_attachments/{volume}"),
        )
        .await;
    assert_eq!(by_nova.status, 202);
    cloud
        .wait_volume(&token, &project, &volume, "available")
        .await;
    let gone = caller.at("3.27").get(&format!("/attachments/{id}")).await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn legacy_attach_readonly_upload_and_admin_actions() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, member, token, project) = admin_and_member(&cloud).await;
    let volume = cloud.volume(&token, &project, 1, "data").await;
    let action = format!("/volumes/{volume}/action");
    let consumer = "6c1a2f0e-4d4b-4c57-9d5e-3f8a3a0d2b11";

    let attached = member
        .post(
            &action,
            json!({"os-attach": {"instance_uuid": consumer, "mountpoint": "/dev/vdb"}}),
        )
        .await;
    assert_eq!(attached.status, 202, "{}", attached.text);
    let view = cloud.wait_volume(&token, &project, &volume, "in-use").await;
    assert_eq!(
        view["metadata"],
        json!({"readonly": "False", "attached_mode": "rw"})
    );
    assert_eq!(view["attachments"][0]["server_id"], consumer);
    let detached = member.post(&action, json!({"os-detach": {}})).await;
    assert_eq!(detached.status, 202, "{}", detached.text);
    let view = cloud
        .wait_volume(&token, &project, &volume, "available")
        .await;
    assert_eq!(view["metadata"], json!({"readonly": "False"}));

    let readonly = member
        .post(
            &action,
            json!({"os-update_readonly_flag": {"readonly": true}}),
        )
        .await;
    assert_eq!(readonly.status, 202);
    let writer = member.post(&action, json!({"os-attach": {"instance_uuid": consumer, "mountpoint": "/dev/vdb", "mode": "rw"}}))
    .await;
    writer.assert_answer(
        400,
        bad_request(&format!("Invalid attaching mode 'rw' for volume {volume}.")),
    );

    let upload = member.at("3.1").post(&action, json!({"os-volume_upload_image": {"image_name": "from-volume", "disk_format": "qcow2"}}))
    .await;
    assert_eq!(upload.status, 202, "{}", upload.text);
    let answer = &upload.body["os-volume_upload_image"];
    assert_eq!(answer["status"], "uploading");
    assert_eq!(answer["disk_format"], "qcow2");
    assert_eq!(answer["visibility"], "private");
    let image = answer["image_id"].as_str().unwrap();
    let shown = cloud.wait_image(&token, image, "active").await;
    assert_eq!(shown["name"], "from-volume");
    // The image holds the volume's disk: its size and MD5 are those of the data Glance serves.
    let data = cloud
        .glance_as(&token)
        .get(&format!("/images/{image}/file"))
        .await;
    assert_eq!(data.status, 200, "{}", data.text);
    assert_eq!(shown["size"], data.text.len());
    assert_eq!(data.header("content-md5"), shown["checksum"], "{shown}");
    cloud
        .wait_volume(&token, &project, &volume, "available")
        .await;

    let reset = json!({"os-reset_status": {"status": "error"}});
    let by_member = member.post(&action, reset.clone()).await;
    by_member.assert_answer(403, forbidden("volume_admin_actions:reset_status"));
    let by_admin = admin.post(&action, reset).await;
    assert_eq!(by_admin.status, 202, "{}", by_admin.text);
    cloud.wait_volume(&token, &project, &volume, "error").await;
    let forced = admin.post(&action, json!({"os-force_delete": {}})).await;
    assert_eq!(forced.status, 202, "{}", forced.text);
    support::eventually(10, "the volume gone", || async {
        let shown = member.get(&format!("/volumes/{volume}")).await;
        (shown.status == 404).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_disabled_volume_service_takes_no_volumes() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, member, member_token, member_project) = admin_and_member(&cloud).await;
    let refused = member.get("/os-services").await;
    refused.assert_answer(403, forbidden("services:index"));
    let listed = admin
        .at("3.49")
        .get("/os-services?binary=cinder-volume")
        .await;
    let service = &listed.body["services"][0];
    assert_eq!(
        (
            &service["host"],
            &service["status"],
            &service["state"],
            &service["backend_state"]
        ),
        (
            &json!("devstack@lvmdriver-1"),
            &json!("enabled"),
            &json!("up"),
            &json!("up")
        )
    );
    let disabled = admin.put("/os-services/disable-log-reason", json!({"host": "devstack@lvmdriver-1", "binary": "cinder-volume", "disabled_reason": "maintenance"}))
    .await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.body["disabled"], true);
    let listed = admin.get("/os-services?binary=cinder-volume").await;
    assert_eq!(listed.body["services"][0]["disabled_reason"], "maintenance");
    let volume_becomes =
        |status| new_volume_becomes(&cloud, &member_token, &member_project, status);
    volume_becomes("error").await;
    let volume_service = async |action: &str, host: &str| {
        let body = json!({"host": host, "binary": "cinder-volume"});
        admin.put(&format!("/os-services/{action}"), body).await
    };
    let enabled = volume_service("enable", "devstack@lvmdriver-1").await;
    assert_eq!(enabled.body["status"], "enabled");
    volume_becomes("available").await;
    let unknown = volume_service("disable", "elsewhere").await;
    assert_eq!(unknown.status, 404);

    let capabilities = admin.get("/capabilities/devstack@lvmdriver-1").await;
    assert_eq!(
        capabilities.body["namespace"],
        "OS::Storage::Capabilities::devstack@lvmdriver-1"
    );
    assert_eq!(capabilities.body["storage_protocol"], "iSCSI");
    assert_eq!(
        capabilities.body["properties"]["thin_provisioning"]["type"],
        "boolean"
    );
}
