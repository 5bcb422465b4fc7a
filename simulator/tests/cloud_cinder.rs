//! Cinder v3: discovery, volumes (blank, from image, from snapshot), deletion rules, snapshots
//! and their `force` rules, revert, limits and quotas.

mod support;

use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use simulator::openstack::{microversion::Microversion, CloudConfig};
use support::{
    start_as_admin, start_cloud, start_with, start_with_project, Answer, Session, TestCloud,
};

const DELETE_REFUSED: &str = "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.";

/// `POST /snapshots` with `snapshot` as the body's snapshot.
async fn snapshot(cinder: &Session<'_>, snapshot: Value) -> Answer {
    cinder
        .post("/snapshots", json!({ "snapshot": snapshot }))
        .await
}

/// `POST /volumes` with `volume` as the body's volume.
async fn create_volume(cinder: &Session<'_>, volume: Value) -> Answer {
    cinder.post("/volumes", json!({ "volume": volume })).await
}

#[tokio::test]
async fn discovery_documents() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (root, versions) = cloud.discovery("/volume", 300).await;
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["id"], "v3.0");
    assert_eq!(versions[0]["status"], "CURRENT");
    let max = CloudConfig::default().cinder_max_version.to_string();
    assert_eq!(versions[0]["version"], max.as_str());
    assert_eq!(versions[0]["min_version"], "3.0");
    assert_eq!(
        versions[0]["links"][1],
        json!({"rel": "self", "href": format!("{}/volume/v3/", cloud.base)})
    );
    let v3 = cloud.anonymous().get("/volume/v3/").await;
    assert_eq!(v3.status, 200);
    assert_eq!(v3.body, root.body);
}

#[tokio::test]
async fn microversion_headers_and_default() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let plain = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes"))
        .await;
    assert_eq!(plain.header("openstack-api-version"), "volume 3.0");
    assert_eq!(plain.header("vary"), "OpenStack-API-Version");
    let asked = cinder.at("3.65").get("/volumes").await;
    assert_eq!(asked.header("openstack-api-version"), "volume 3.65");
    let too_high = cinder.at("3.99").get("/volumes").await;
    assert_eq!(too_high.status, 406);
}

#[tokio::test]
async fn volumes_blank_from_image_and_from_snapshot() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Manual).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let api = cloud.as_user(&token);
    let image = cloud.base_image(&token).await;
    let blank = create_volume(
        &cinder,
        json!({"size": 2, "name": "blank", "metadata": {"a": "b"}}),
    )
    .await;
    assert_eq!(blank.status, 202, "{}", blank.text);
    let view = &blank.body["volume"];
    assert_eq!(view["status"], "creating");
    assert_eq!(view["size"], 2);
    assert_eq!(view["bootable"], "false");
    assert_eq!(view["encrypted"], false);
    assert_eq!(view["metadata"], json!({"a": "b"}));
    assert_eq!(view["attachments"], json!([]));
    for extension_only in [
        "os-vol-tenant-attr:tenant_id",
        "os-vol-host-attr:host",
        "volume_image_metadata",
    ] {
        assert!(
            view.get(extension_only).is_none(),
            "create answers without the show/detail extension attribute {extension_only}"
        );
    }
    let blank_id = view["id"].as_str().unwrap().to_string();

    let from_image = create_volume(&cinder, json!({"size": 1, "imageRef": image})).await;
    assert_eq!(from_image.status, 202, "{}", from_image.text);
    assert_eq!(from_image.body["volume"]["bootable"], "true");
    let from_image_id = from_image.body["volume"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(5.0).await;
    let volumes = format!("/volume/v3/{project}/volumes");
    let shown = api.get(&format!("{volumes}/{blank_id}")).await;
    assert_eq!(shown.body["volume"]["status"], "available");
    assert_eq!(
        shown.body["volume"]["os-vol-tenant-attr:tenant_id"],
        project.as_str()
    );
    let shown_from_image = api.get(&format!("{volumes}/{from_image_id}")).await;
    assert_eq!(
        shown_from_image.body["volume"]["volume_image_metadata"]["image_id"],
        image.as_str()
    );

    let snap = snapshot(&cinder, json!({"volume_id": blank_id, "name": "s"})).await;
    let snap_id = snap.body["snapshot"]["id"].as_str().unwrap().to_string();
    let early = create_volume(&cinder, json!({"snapshot_id": snap_id})).await;
    early.assert_error(
        400,
        "badRequest",
        "Invalid snapshot: Originating snapshot status must be one of 'available' values",
    );
    cloud.advance(15.0).await;
    let too_small = create_volume(&cinder, json!({"snapshot_id": snap_id, "size": 1})).await;
    assert_eq!(too_small.status, 400);
    assert_eq!(
        too_small.body,
        json!({"badRequest": {"code": 400, "message": "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size."}})
    );
    let sized = create_volume(&cinder, json!({"snapshot_id": snap_id})).await;
    assert_eq!(sized.status, 202);
    assert_eq!(
        sized.body["volume"]["size"], 2,
        "size taken from the snapshot"
    );
    assert_eq!(sized.body["volume"]["snapshot_id"], snap_id.as_str());
}

#[tokio::test]
async fn volume_delete_rules_and_cascade() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let api = cloud.as_user(&token);
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let snap = cloud.available_snapshot(&token, &project, &volume).await;
    let volume_path = format!("/volume/v3/{project}/volumes/{volume}");
    let refused = api.delete(&volume_path).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"badRequest": {"code": 400, "message": DELETE_REFUSED}})
    );
    let cascade = api.delete(&format!("{volume_path}?cascade=true")).await;
    assert_eq!(cascade.status, 202);
    let gone = api.get(&volume_path).await;
    assert_eq!(gone.status, 404);
    let snap_gone = api
        .get(&format!("/volume/v3/{project}/snapshots/{snap}"))
        .await;
    assert_eq!(snap_gone.status, 404);
    assert_eq!(
        snap_gone.body,
        json!({"itemNotFound": {"code": 404, "message": format!("Snapshot {snap} could not be found.")}})
    );

    let attached = cloud.volume(&token, &project, 1, "attached").await;
    let server = cloud.image_server(&token, "vm").await;
    let attach = attach(&cloud, &token, &server, &attached).await;
    assert_eq!(attach.status, 200);
    let view = cloud
        .wait_volume(&token, &project, &attached, "in-use")
        .await;
    let attachment = &view["attachments"][0];
    assert_eq!(attachment["id"], attached.as_str());
    assert_eq!(attachment["volume_id"], attached.as_str());
    assert_eq!(attachment["server_id"], server.as_str());
    assert!(attachment["attachment_id"].is_string());
    assert_eq!(
        attachment["host_name"], "devstack",
        "the admin sees the host"
    );
    assert_eq!(attachment["device"], "/dev/vdb");
    let busy = api
        .delete(&format!("/volume/v3/{project}/volumes/{attached}"))
        .await;
    busy.assert_error(400, "badRequest", DELETE_REFUSED);
}

/// Attaches `volume` to `server` through Nova (no microversion header).
async fn attach(cloud: &TestCloud, token: &str, server: &str, volume: &str) -> Answer {
    cloud.attach_volume(token, "2.1", server, volume).await
}

#[tokio::test]
async fn snapshot_force_rules_before_and_after_3_66() {
    let cloud = start_with(CloudConfig {
        time_profile: TimeProfile::Instant,
        cinder_max_version: Microversion(3, 71),
        ..CloudConfig::default()
    })
    .await;
    let (token, project) = cloud.token("admin").await;
    let before = cloud.cinder_as(&token, &project, "3.65");
    let after = before.at("3.66");
    let root = cloud.volume(&token, &project, 1, "root").await;
    cloud.volume_server(&token, "vm", &[&root]).await;

    let refused = snapshot(&before, json!({"volume_id": root})).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"badRequest": {"code": 400, "message": format!("Invalid volume: Volume {root} status must be available, but current status is: in-use.")}})
    );
    let forced = snapshot(&before, json!({"volume_id": root, "force": true})).await;
    assert_eq!(forced.status, 202, "{}", forced.text);
    assert_eq!(forced.body["snapshot"]["status"], "creating");
    assert_eq!(forced.body["snapshot"]["consumes_quota"], true);

    let plain = snapshot(&after, json!({"volume_id": root})).await;
    assert_eq!(plain.status, 202, "{}", plain.text);
    let force_true = snapshot(&after, json!({"volume_id": root, "force": true})).await;
    assert_eq!(force_true.status, 202);
    let force_false = snapshot(&after, json!({"volume_id": root, "force": false})).await;
    assert_eq!(force_false.status, 400);
    assert!(force_false
        .message("badRequest")
        .starts_with("Since microversion 3.66 the 'force' flag is invalid for this request."));
}

#[tokio::test]
async fn snapshot_list_detail_show_and_delete_rules() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Manual).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let api = cloud.as_user(&token);
    let created = create_volume(&cinder, json!({"size": 3})).await;
    let volume = created.body["volume"]["id"].as_str().unwrap().to_string();
    cloud.advance(5.0).await;
    let snap = snapshot(
        &cinder.at("3.41"),
        json!({"volume_id": volume, "name": "s1", "description": "d", "metadata": {"x": "y"}}),
    )
    .await;
    assert_eq!(snap.status, 202);
    let view = &snap.body["snapshot"];
    let id = view["id"].as_str().unwrap().to_string();
    assert_eq!(view["name"], "s1");
    assert_eq!(view["description"], "d");
    assert_eq!(view["size"], 3);
    assert_eq!(view["volume_id"], volume.as_str());
    assert_eq!(view["metadata"], json!({"x": "y"}));
    assert!(view["user_id"].is_string());
    assert!(view
        .get("os-extended-snapshot-attributes:project_id")
        .is_none());

    let snapshots = format!("/volume/v3/{project}/snapshots");
    let snapshot_path = format!("{snapshots}/{id}");
    let deleting_early = api.delete(&snapshot_path).await;
    deleting_early.assert_error(400, "badRequest", "Invalid snapshot: Snapshot status must be available or error and must not be part of a group.");

    let shown = api.get(&snapshot_path).await;
    let shown = &shown.body["snapshot"];
    assert_eq!(shown["status"], "creating");
    assert_eq!(
        shown["os-extended-snapshot-attributes:project_id"],
        project.as_str()
    );
    assert_eq!(shown["os-extended-snapshot-attributes:progress"], "0%");
    cloud.advance(12.0).await;
    let listed = api.get(&snapshots).await;
    assert_eq!(listed.body["snapshots"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["snapshots"][0]["status"], "available");
    let detail = api
        .get(&format!("{snapshots}/detail?volume_id={volume}"))
        .await;
    assert_eq!(
        detail.body["snapshots"][0]["os-extended-snapshot-attributes:progress"],
        "100%"
    );
    let filtered = api.get(&format!("{snapshots}/detail?status=error")).await;
    assert_eq!(filtered.body["snapshots"], json!([]));

    let deleted = api.delete(&snapshot_path).await;
    assert_eq!(deleted.status, 202);
    let deleting = api.get(&snapshot_path).await;
    assert_eq!(deleting.body["snapshot"]["status"], "deleting");
    cloud.advance(3.0).await;
    let gone = api.get(&snapshot_path).await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn snapshot_list_paging() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    for _ in 0..3 {
        cloud.available_snapshot(&token, &project, &volume).await;
    }
    let first = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots?limit=2"))
        .await;
    assert_eq!(first.body["snapshots"].as_array().unwrap().len(), 2);
    let next = first.body["snapshots_links"][0]["href"]
        .as_str()
        .expect("next link");
    let second = cloud.get(&token, &next.replace(&cloud.base, "")).await;
    assert_eq!(second.body["snapshots"].as_array().unwrap().len(), 1);
    let counted = cloud
        .cinder_as(&token, &project, "3.45")
        .get("/snapshots?with_count=true&limit=1")
        .await;
    assert_eq!(counted.body["count"], 3);
}

#[tokio::test]
async fn revert_to_latest_snapshot_only() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.40");
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let action_path = format!("/volumes/{volume}/action");
    let revert = |snapshot: &str, version: &str| {
        let body = json!({"revert": {"snapshot_id": snapshot}});
        let cinder = cinder.at(version);
        let path = &action_path;
        async move { cinder.post(path, body).await }
    };
    let none = revert("00000000-0000-0000-0000-000000000000", "3.40").await;
    none.assert_error(
        400,
        "badRequest",
        format!("Volume {volume} doesn't have any snapshots."),
    );
    let older = cloud.available_snapshot(&token, &project, &volume).await;
    let latest = cloud.available_snapshot(&token, &project, &volume).await;
    let not_latest = revert(&older, "3.40").await;
    assert_eq!(not_latest.status, 400);
    assert_eq!(
        not_latest.body,
        json!({"badRequest": {"code": 400, "message": format!("Specified snapshot {older} is None or not the latest one of volume {volume}.")}})
    );
    let too_old = revert(&latest, "3.39").await;
    assert_eq!(too_old.status, 404);
    let ok = revert(&latest, "3.40").await;
    assert_eq!(ok.status, 202, "{}", ok.text);
    cloud
        .wait_volume(&token, &project, &volume, "available")
        .await;

    let server = cloud.image_server(&token, "vm").await;
    let attach = attach(&cloud, &token, &server, &volume).await;
    assert_eq!(attach.status, 200);
    let attached = revert(&latest, "3.40").await;
    assert_eq!(attached.status, 409);
    assert!(attached
        .message("conflictingRequest")
        .ends_with("Volume's status must be 'available'."));
}

#[tokio::test]
async fn revert_picks_the_latest_snapshot_created_at_one_instant() {
    // With the clock frozen, snapshots share a creation time; the last one created must still
    // be "the latest", even when other snapshots disappear in between (here: another project
    // is reset). Repeated so that an arbitrary tie-break would show.
    let (cloud, token, project) = start_as_admin(TimeProfile::Manual).await;
    let (token_b, project_b) = cloud.project("other").await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let cinder_b = cloud.cinder_as(&token_b, &project_b, "3.0");
    for round in 0..8 {
        let mut volumes = Vec::new();
        for session in [&cinder, &cinder_b] {
            let created = create_volume(session, json!({"size": 1})).await;
            volumes.push(created.body["volume"]["id"].as_str().unwrap().to_string());
        }
        cloud.advance(5.0).await;
        let other = snapshot(&cinder_b, json!({"volume_id": volumes[1]})).await;
        assert_eq!(other.status, 202);
        let first = snapshot(&cinder, json!({"volume_id": volumes[0]})).await;
        assert_eq!(first.status, 202);
        cloud.control().reset(Some(&project_b)).await.unwrap();
        let second = snapshot(&cinder, json!({"volume_id": volumes[0]})).await;
        let newest = second.body["snapshot"]["id"].as_str().unwrap().to_string();
        cloud.advance(12.0).await;
        let ok = cinder
            .at("3.40")
            .post(
                &format!("/volumes/{}/action", volumes[0]),
                json!({"revert": {"snapshot_id": newest}}),
            )
            .await;
        assert_eq!(
            ok.status, 202,
            "round {round}: the last snapshot created is the latest: {}",
            ok.text
        );
        cloud.advance(5.0).await;
    }
}

#[tokio::test]
async fn limits_and_quota_413() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    cloud
        .set_quotas(
            &project,
            json!({"snapshots": 1, "volumes": 2, "gigabytes": 10}),
        )
        .await;
    let volume = cloud.volume(&token, &project, 4, "v").await;
    cloud.available_snapshot(&token, &project, &volume).await;
    let limits = cloud
        .get(&token, &format!("/volume/v3/{project}/limits"))
        .await;
    let absolute = &limits.body["limits"]["absolute"];
    assert_eq!(limits.body["limits"]["rate"], json!([]));
    assert_eq!(absolute["maxTotalSnapshots"], 1);
    assert_eq!(absolute["maxTotalVolumes"], 2);
    assert_eq!(absolute["maxTotalVolumeGigabytes"], 10);
    assert_eq!(absolute["totalSnapshotsUsed"], 1);
    assert_eq!(absolute["totalVolumesUsed"], 1);
    assert_eq!(absolute["totalGigabytesUsed"], 8);
    for key in [
        "maxTotalBackups",
        "maxTotalBackupGigabytes",
        "totalBackupsUsed",
        "totalBackupGigabytesUsed",
    ] {
        assert!(absolute[key].is_number(), "{key}");
    }

    let over = snapshot(&cinder, json!({"volume_id": volume})).await;
    assert_eq!(over.status, 413);
    assert_eq!(over.header("retry-after"), "0");
    assert_eq!(
        over.body,
        json!({"overLimit": {"code": 413, "message": "SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded", "retryAfter": "0"}})
    );
    let too_big = create_volume(&cinder, json!({"size": 5})).await;
    too_big.assert_error(413, "overLimit", "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 5G, quota is 10G and 8G has been consumed.");
    cloud.volume(&token, &project, 1, "second").await;
    let third = create_volume(&cinder, json!({"size": 1})).await;
    third.assert_error(
        413,
        "overLimit",
        "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes'.",
    );
}

#[tokio::test]
async fn a_url_naming_another_project_is_a_malformed_request() {
    let (cloud, token, _, _, other_project) = start_with_project("tenant-b").await;
    let answer = cloud
        .cinder_as(&token, &other_project, "3.0")
        .get("/volumes")
        .await;
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_eq!(
        answer.body,
        json!({"badRequest": {"code": 400, "message": "Malformed request url"}})
    );
}

#[tokio::test]
async fn lists_sort_by_the_requested_keys_and_page_with_offset() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("sorting").await;
    for (name, size) in [("b", 3), ("a", 1), ("c", 2)] {
        cloud.volume(&token, &project, size, name).await;
    }
    let names = |answer: &Answer| -> Vec<String> {
        answer.body["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };
    let api = cloud.as_user(&token);
    let list = |query: &str| {
        let path = format!("/volume/v3/{project}/volumes/detail?{query}");
        let api = &api;
        async move { api.get(&path).await }
    };
    for (query, sorted, why) in [
        ("sort=name:asc", &["a", "b", "c"][..], ""),
        ("sort_key=name&sort_dir=desc", &["c", "b", "a"], ""),
        ("sort=size:asc", &["a", "c", "b"], ""),
        ("sort=name", &["c", "b", "a"], "desc unless asked"),
        ("sort=name:asc&offset=1", &["b", "c"], ""),
    ] {
        assert_eq!(names(&list(query).await), sorted, "{query} {why}");
    }
    for refused in ["sort=colour", "sort=name:sideways", "sort=name&sort_key=id"] {
        assert_eq!(list(refused).await.status, 400, "{refused}");
    }

    let full = list("sort=name:asc&limit=3").await;
    assert_eq!(names(&full), ["a", "b", "c"]);
    let next = full.body["volumes_links"][0]["href"].as_str().unwrap();
    assert!(
        next.contains("marker="),
        "a full page links to the next one, as Cinder does: {next}"
    );
    let short = list("sort=name:asc&limit=4").await;
    assert!(short.body.get("volumes_links").is_none());
}

#[tokio::test]
async fn volume_update_changes_name_description_and_metadata() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let id = cloud.volume(&token, &project, 1, "old").await;
    let path = format!("/volumes/{id}");
    let updated = cinder
        .put(
            &path,
            json!({"volume": {"name": "new", "description": "d", "metadata": {"k": "v"}}}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let view = &updated.body["volume"];
    assert_eq!(view["name"], "new");
    assert_eq!(view["description"], "d");
    assert_eq!(view["metadata"], json!({"k": "v"}));
    assert!(view.get("os-vol-tenant-attr:tenant_id").is_none());
    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{id}"))
        .await;
    assert_eq!(shown.body["volume"]["name"], "new");
    let missing = cinder
        .put("/volumes/no-such-volume", json!({"volume": {"name": "x"}}))
        .await;
    assert_eq!(missing.status, 404);
    let no_volume = cinder.put(&path, json!({"name": "x"})).await;
    assert_eq!(no_volume.status, 400);
}

#[tokio::test]
async fn volume_actions_404_on_unknown_volumes_extend_and_reserve() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let action = |id: &str, body: Value| {
        let path = format!("/volumes/{id}/action");
        let cinder = &cinder;
        async move { cinder.post(&path, body).await }
    };
    for body in [
        json!({"os-extend": {"new_size": 2}}),
        json!({"os-attach": {"mountpoint": "/dev/vdb"}}),
        json!({"os-detach": {}}),
        json!({"os-reserve": {}}),
    ] {
        let answer = action("no-such-volume", body).await;
        assert_eq!(answer.status, 404, "{}", answer.text);
    }
    let id = cloud.volume(&token, &project, 1, "v").await;
    let same = action(&id, json!({"os-extend": {"new_size": 1}})).await;
    assert_eq!(same.status, 400);
    let extended = action(&id, json!({"os-extend": {"new_size": 3}})).await;
    assert_eq!(extended.status, 202, "{}", extended.text);
    let view = cloud.wait_volume(&token, &project, &id, "available").await;
    assert_eq!(view["size"], 3);

    assert_eq!(action(&id, json!({"os-reserve": {}})).await.status, 202);
    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{id}"))
        .await;
    assert_eq!(shown.body["volume"]["status"], "attaching");
    assert_eq!(action(&id, json!({"os-reserve": {}})).await.status, 400);
    assert_eq!(action(&id, json!({"os-unreserve": {}})).await.status, 202);
    cloud.wait_volume(&token, &project, &id, "available").await;
}

#[tokio::test]
async fn snapshot_admin_actions_reset_update_and_force_delete() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let id = cloud.available_snapshot(&token, &project, &volume).await;
    let action_path = format!("/snapshots/{id}/action");
    let action = |body: Value| cinder.post(&action_path, body);
    let refused = action(json!({"os-update_snapshot_status": {"status": "error"}})).await;
    assert_eq!(
        refused.status, 400,
        "only a creating snapshot takes driver updates"
    );
    let reset = |status: &str| action(json!({"os-reset_status": {"status": status}}));
    assert_eq!(reset("creating").await.status, 202);
    let updated =
        action(json!({"os-update_snapshot_status": {"status": "error", "progress": "80%"}})).await;
    assert_eq!(updated.status, 202, "{}", updated.text);
    let snapshot_path = format!("/volume/v3/{project}/snapshots/{id}");
    let shown = cloud.get(&token, &snapshot_path).await;
    assert_eq!(shown.body["snapshot"]["status"], "error");
    assert_eq!(
        shown.body["snapshot"]["os-extended-snapshot-attributes:progress"],
        "80%"
    );
    assert_eq!(reset("sideways").await.status, 400);
    assert_eq!(reset("deleting").await.status, 202);
    assert_eq!(action(json!({"os-force_delete": {}})).await.status, 202);
    let gone = cloud.get(&token, &snapshot_path).await;
    assert_eq!(gone.status, 404);

    let no_volume = snapshot(&cinder, json!({"volume_id": null})).await;
    assert_eq!(no_volume.status, 404, "Cinder looks up the volume 'None'");
}

#[tokio::test]
async fn the_cloud_admin_acts_on_other_projects_snapshots_and_others_may_not() {
    let (cloud, admin, admin_project, token, project) = start_with_project("tenant").await;
    let owner = cloud.cinder_as(&token, &project, "3.0");
    let cloud_admin = cloud.cinder_as(&admin, &admin_project, "3.0");
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let id = cloud.available_snapshot(&token, &project, &volume).await;
    let action_path = format!("/snapshots/{id}/action");
    let reset = json!({"os-reset_status": {"status": "error"}});
    let by_owner = owner.post(&action_path, reset.clone()).await;
    assert_eq!(by_owner.status, 403, "{}", by_owner.text);
    let by_admin = cloud_admin.post(&action_path, reset).await;
    assert_eq!(by_admin.status, 202, "{}", by_admin.text);
    let shown = cloud_admin.get(&format!("/snapshots/{id}")).await;
    assert_eq!(shown.body["snapshot"]["status"], "error");
}

#[tokio::test]
async fn snapshot_update_and_metadata() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let created = snapshot(
        &cinder,
        json!({"volume_id": volume, "metadata": {"a": "1"}}),
    )
    .await;
    let id = created.body["snapshot"]["id"].as_str().unwrap().to_string();
    let renamed = cinder
        .put(
            &format!("/snapshots/{id}"),
            json!({"snapshot": {"name": "n", "description": "d"}}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["snapshot"]["name"], "n");
    assert_eq!(renamed.body["snapshot"]["description"], "d");
    let path = format!("/snapshots/{id}/metadata");
    let item = format!("{path}/d");
    let merged = cinder.post(&path, json!({"metadata": {"b": "2"}})).await;
    assert_eq!(merged.body, json!({"metadata": {"a": "1", "b": "2"}}));
    let replaced = cinder.put(&path, json!({"metadata": {"c": "3"}})).await;
    assert_eq!(replaced.body, json!({"metadata": {"c": "3"}}));
    let set_item = cinder.put(&item, json!({"meta": {"d": "4"}})).await;
    assert_eq!(set_item.body, json!({"meta": {"d": "4"}}));
    let mismatch = cinder.put(&item, json!({"meta": {"e": "5"}})).await;
    assert_eq!(mismatch.status, 400);
    assert_eq!(cinder.get(&item).await.body, json!({"meta": {"d": "4"}}));
    assert_eq!(cinder.delete(&item).await.status, 200);
    assert_eq!(cinder.get(&item).await.status, 404);
    assert_eq!(
        cinder.get(&path).await.body,
        json!({"metadata": {"c": "3"}})
    );
}

#[tokio::test]
async fn clones_volume_types_summary_and_the_metadata_filter() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("clones").await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let source = cloud.volume(&token, &project, 2, "source").await;
    let clone = create_volume(
        &cinder,
        json!({"source_volid": source, "metadata": {"k": "v"}}),
    )
    .await;
    assert_eq!(clone.status, 202, "{}", clone.text);
    assert_eq!(clone.body["volume"]["source_volid"], source.as_str());
    assert_eq!(
        clone.body["volume"]["size"], 2,
        "the source's size by default"
    );
    for (volume, status) in [
        (json!({"source_volid": source, "size": 1}), 400),
        (json!({"source_volid": "nope", "size": 1}), 404),
        (json!({"size": 1, "volume_type": "no-such-type"}), 404),
        (json!({"size": 1, "volume_type": "lvmdriver-1"}), 202),
    ] {
        let answer = create_volume(&cinder, volume.clone()).await;
        assert_eq!(answer.status, status, "{volume}");
    }

    let filtered = cloud
        .get(
            &token,
            &format!("/volume/v3/{project}/volumes/detail?metadata=%7B%27k%27%3A+%27v%27%7D"),
        )
        .await;
    let ids = support::field_of_each(&filtered.body["volumes"], "id");
    assert_eq!(ids, [clone.body["volume"]["id"].as_str().unwrap()]);

    let summary = |version: &str| {
        let cinder = cinder.at(version);
        async move { cinder.get("/volumes/summary").await }
    };
    assert_eq!(summary("3.11").await.status, 404);
    let counted = summary("3.36").await;
    assert_eq!(counted.status, 200, "{}", counted.text);
    assert_eq!(counted.body["volume-summary"]["total_count"], 3);
    assert_eq!(counted.body["volume-summary"]["total_size"], 5);
    assert_eq!(
        counted.body["volume-summary"]["metadata"],
        json!({"k": ["v"]})
    );
}

#[tokio::test]
async fn quota_sets_shown_to_the_project_set_by_the_admin_and_enforced() {
    let (cloud, admin, admin_project, token, project) = start_with_project("quotas").await;
    let cinder = cloud.cinder_as(&token, &project, "3.0");
    let by_admin = cloud.cinder_as(&admin, &admin_project, "3.0");
    let path = format!("/os-quota-sets/{project}");
    let shown = cinder.get(&path).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    for key in [
        "id",
        "volumes",
        "snapshots",
        "gigabytes",
        "backups",
        "groups",
        "per_volume_gigabytes",
        "backup_gigabytes",
    ] {
        assert!(shown.body["quota_set"].get(key).is_some(), "{key}");
    }
    let by_tenant = cinder
        .put(&path, json!({"quota_set": {"snapshots": 1}}))
        .await;
    assert_eq!(by_tenant.status, 403);
    let set = by_admin
        .put(
            &path,
            json!({"quota_set": {"snapshots": 1, "per_volume_gigabytes": 2}}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["quota_set"]["snapshots"], 1);
    assert!(set.body["quota_set"].get("id").is_none());
    let bad_key = by_admin
        .put(&path, json!({"quota_set": {"bananas": 1}}))
        .await;
    assert_eq!(bad_key.status, 400);

    let too_big = create_volume(&cinder, json!({"size": 3})).await;
    assert_eq!(too_big.status, 413);
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let named_snapshot = |n: u32| {
        let body = json!({"volume_id": volume, "name": format!("s{n}")});
        snapshot(&cinder, body)
    };
    assert_eq!(named_snapshot(1).await.status, 202);
    assert_eq!(named_snapshot(2).await.status, 413);
    let usage = cinder.get(&format!("{path}?usage=True")).await;
    assert_eq!(
        usage.body["quota_set"]["snapshots"],
        json!({"limit": 1, "in_use": 1, "reserved": 0})
    );
    let reset = by_admin.delete(&path).await;
    assert_eq!(reset.status, 200);
    assert_eq!(named_snapshot(3).await.status, 202);
}
