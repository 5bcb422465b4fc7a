//! Cinder v3: discovery, volumes (blank, from image, from snapshot), deletion rules, snapshots
//! and their `force` rules, revert, limits and quotas.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use simulator::openstack::{microversion::Microversion, CloudConfig};
use support::{start_cloud, start_with, TestCloud};

const DELETE_REFUSED: &str = "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.";

async fn snapshot(
    cloud: &TestCloud,
    token: &str,
    project: &str,
    version: &str,
    body: Value,
) -> support::Answer {
    cloud
        .cinder(
            Method::POST,
            token,
            project,
            version,
            "/snapshots",
            Some(json!({ "snapshot": body })),
        )
        .await
}

async fn available_snapshot(cloud: &TestCloud, token: &str, project: &str, volume: &str) -> String {
    let created = snapshot(cloud, token, project, "3.0", json!({"volume_id": volume})).await;
    assert_eq!(created.status, 202, "{}", created.text);
    let id = created.body["snapshot"]["id"].as_str().unwrap().to_string();
    cloud.wait_snapshot(token, project, &id, "available").await;
    id
}

#[tokio::test]
async fn discovery_documents() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let root = cloud.call(Method::GET, "/volume", None, &[], None).await;
    assert_eq!(root.status, 300);
    let versions = root.body["versions"].as_array().expect("versions list");
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
    let v3 = cloud
        .call(Method::GET, "/volume/v3/", None, &[], None)
        .await;
    assert_eq!(v3.status, 200);
    assert_eq!(v3.body, root.body);
}

#[tokio::test]
async fn microversion_headers_and_default() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let plain = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes"))
        .await;
    assert_eq!(plain.header("openstack-api-version"), "volume 3.0");
    assert_eq!(plain.header("vary"), "OpenStack-API-Version");
    let asked = cloud
        .cinder(Method::GET, &token, &project, "3.65", "/volumes", None)
        .await;
    assert_eq!(asked.header("openstack-api-version"), "volume 3.65");
    let too_high = cloud
        .cinder(Method::GET, &token, &project, "3.99", "/volumes", None)
        .await;
    assert_eq!(too_high.status, 406);
}

#[tokio::test]
async fn volumes_blank_from_image_and_from_snapshot() {
    let cloud = start_cloud(TimeProfile::Manual).await;
    let (token, project) = cloud.token("admin").await;
    let image = cloud.base_image(&token).await;
    let blank = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"size": 2, "name": "blank", "metadata": {"a": "b"}}})),
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

    let from_image = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"size": 1, "imageRef": image}})),
        )
        .await;
    assert_eq!(from_image.status, 202, "{}", from_image.text);
    assert_eq!(from_image.body["volume"]["bootable"], "true");
    let from_image_id = from_image.body["volume"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(5.0).await;
    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{blank_id}"))
        .await;
    assert_eq!(shown.body["volume"]["status"], "available");
    assert_eq!(
        shown.body["volume"]["os-vol-tenant-attr:tenant_id"],
        project.as_str()
    );
    let shown_from_image = cloud
        .get(
            &token,
            &format!("/volume/v3/{project}/volumes/{from_image_id}"),
        )
        .await;
    assert_eq!(
        shown_from_image.body["volume"]["volume_image_metadata"]["image_id"],
        image.as_str()
    );

    let snap = snapshot(
        &cloud,
        &token,
        &project,
        "3.0",
        json!({"volume_id": blank_id, "name": "s"}),
    )
    .await;
    let snap_id = snap.body["snapshot"]["id"].as_str().unwrap().to_string();
    let early = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"snapshot_id": snap_id}})),
        )
        .await;
    assert_eq!(early.status, 400);
    assert_eq!(
        early.body["badRequest"]["message"],
        "Invalid snapshot: Originating snapshot status must be one of 'available' values"
    );
    cloud.advance(15.0).await;
    let too_small = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"snapshot_id": snap_id, "size": 1}})),
        )
        .await;
    assert_eq!(too_small.status, 400);
    assert_eq!(
        too_small.body,
        json!({"badRequest": {"code": 400, "message": "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size."}})
    );
    let sized = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"snapshot_id": snap_id}})),
        )
        .await;
    assert_eq!(sized.status, 202);
    assert_eq!(
        sized.body["volume"]["size"], 2,
        "size taken from the snapshot"
    );
    assert_eq!(sized.body["volume"]["snapshot_id"], snap_id.as_str());
}

#[tokio::test]
async fn volume_delete_rules_and_cascade() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let snap = available_snapshot(&cloud, &token, &project, &volume).await;
    let refused = cloud
        .delete(&token, &format!("/volume/v3/{project}/volumes/{volume}"))
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"badRequest": {"code": 400, "message": DELETE_REFUSED}})
    );
    let cascade = cloud
        .delete(
            &token,
            &format!("/volume/v3/{project}/volumes/{volume}?cascade=true"),
        )
        .await;
    assert_eq!(cascade.status, 202);
    let gone = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{volume}"))
        .await;
    assert_eq!(gone.status, 404);
    let snap_gone = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots/{snap}"))
        .await;
    assert_eq!(snap_gone.status, 404);
    assert_eq!(
        snap_gone.body,
        json!({"itemNotFound": {"code": 404, "message": format!("Snapshot {snap} could not be found.")}})
    );

    let attached = cloud.volume(&token, &project, 1, "attached").await;
    let server = cloud.image_server(&token, "vm").await;
    let attach = cloud
        .post(
            &token,
            &format!("/compute/v2.1/servers/{server}/os-volume_attachments"),
            json!({"volumeAttachment": {"volumeId": attached}}),
        )
        .await;
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
    let busy = cloud
        .delete(&token, &format!("/volume/v3/{project}/volumes/{attached}"))
        .await;
    assert_eq!(busy.status, 400);
    assert_eq!(busy.body["badRequest"]["message"], DELETE_REFUSED);
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
    let root = cloud.volume(&token, &project, 1, "root").await;
    cloud.volume_server(&token, "vm", &[&root]).await;

    let refused = snapshot(&cloud, &token, &project, "3.65", json!({"volume_id": root})).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"badRequest": {"code": 400, "message": format!("Invalid volume: Volume {root} status must be available, but current status is: in-use.")}})
    );
    let forced = snapshot(
        &cloud,
        &token,
        &project,
        "3.65",
        json!({"volume_id": root, "force": true}),
    )
    .await;
    assert_eq!(forced.status, 202, "{}", forced.text);
    assert_eq!(forced.body["snapshot"]["status"], "creating");
    assert_eq!(forced.body["snapshot"]["consumes_quota"], true);

    let plain = snapshot(&cloud, &token, &project, "3.66", json!({"volume_id": root})).await;
    assert_eq!(plain.status, 202, "{}", plain.text);
    let force_true = snapshot(
        &cloud,
        &token,
        &project,
        "3.66",
        json!({"volume_id": root, "force": true}),
    )
    .await;
    assert_eq!(force_true.status, 202);
    let force_false = snapshot(
        &cloud,
        &token,
        &project,
        "3.66",
        json!({"volume_id": root, "force": false}),
    )
    .await;
    assert_eq!(force_false.status, 400);
    assert!(force_false.body["badRequest"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Since microversion 3.66 the 'force' flag is invalid for this request."));
}

#[tokio::test]
async fn snapshot_list_detail_show_and_delete_rules() {
    let cloud = start_cloud(TimeProfile::Manual).await;
    let (token, project) = cloud.token("admin").await;
    let created = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"size": 3}})),
        )
        .await;
    let volume = created.body["volume"]["id"].as_str().unwrap().to_string();
    cloud.advance(5.0).await;
    let snap = snapshot(
        &cloud,
        &token,
        &project,
        "3.41",
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

    let deleting_early = cloud
        .delete(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    assert_eq!(deleting_early.status, 400);
    assert_eq!(
        deleting_early.body["badRequest"]["message"],
        "Invalid snapshot: Snapshot status must be available or error and must not be part of a group."
    );

    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    let shown = &shown.body["snapshot"];
    assert_eq!(shown["status"], "creating");
    assert_eq!(
        shown["os-extended-snapshot-attributes:project_id"],
        project.as_str()
    );
    assert_eq!(shown["os-extended-snapshot-attributes:progress"], "0%");
    cloud.advance(12.0).await;
    let listed = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots"))
        .await;
    assert_eq!(listed.body["snapshots"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["snapshots"][0]["status"], "available");
    let detail = cloud
        .get(
            &token,
            &format!("/volume/v3/{project}/snapshots/detail?volume_id={volume}"),
        )
        .await;
    assert_eq!(
        detail.body["snapshots"][0]["os-extended-snapshot-attributes:progress"],
        "100%"
    );
    let filtered = cloud
        .get(
            &token,
            &format!("/volume/v3/{project}/snapshots/detail?status=error"),
        )
        .await;
    assert_eq!(filtered.body["snapshots"], json!([]));

    let deleted = cloud
        .delete(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    assert_eq!(deleted.status, 202);
    let deleting = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    assert_eq!(deleting.body["snapshot"]["status"], "deleting");
    cloud.advance(3.0).await;
    let gone = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn snapshot_list_paging() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    for _ in 0..3 {
        available_snapshot(&cloud, &token, &project, &volume).await;
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
        .cinder(
            Method::GET,
            &token,
            &project,
            "3.45",
            "/snapshots?with_count=true&limit=1",
            None,
        )
        .await;
    assert_eq!(counted.body["count"], 3);
}

#[tokio::test]
async fn revert_to_latest_snapshot_only() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let revert = |snapshot: &str, version: &str| {
        let body = json!({"revert": {"snapshot_id": snapshot}});
        let path = format!("/volumes/{volume}/action");
        let cloud = &cloud;
        let token = &token;
        let project = &project;
        let version = version.to_string();
        async move {
            cloud
                .cinder(Method::POST, token, project, &version, &path, Some(body))
                .await
        }
    };
    let none = revert("00000000-0000-0000-0000-000000000000", "3.40").await;
    assert_eq!(none.status, 400);
    assert_eq!(
        none.body["badRequest"]["message"],
        format!("Volume {volume} doesn't have any snapshots.")
    );
    let older = available_snapshot(&cloud, &token, &project, &volume).await;
    let latest = available_snapshot(&cloud, &token, &project, &volume).await;
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
    let attach = cloud
        .post(
            &token,
            &format!("/compute/v2.1/servers/{server}/os-volume_attachments"),
            json!({"volumeAttachment": {"volumeId": volume}}),
        )
        .await;
    assert_eq!(attach.status, 200);
    let attached = revert(&latest, "3.40").await;
    assert_eq!(attached.status, 409);
    assert!(attached.body["conflictingRequest"]["message"]
        .as_str()
        .unwrap()
        .ends_with("Volume's status must be 'available'."));
}

#[tokio::test]
async fn revert_picks_the_latest_snapshot_created_at_one_instant() {
    // With the clock frozen, snapshots share a creation time; the last one created must still
    // be "the latest", even when other snapshots disappear in between (here: another project
    // is reset). Repeated so that an arbitrary tie-break would show.
    let cloud = start_cloud(TimeProfile::Manual).await;
    let (token, project) = cloud.token("admin").await;
    let (token_b, project_b) = cloud.project("other").await;
    for round in 0..8 {
        let mut volumes = Vec::new();
        for (t, p) in [(&token, &project), (&token_b, &project_b)] {
            let created = cloud
                .cinder(
                    Method::POST,
                    t,
                    p,
                    "3.0",
                    "/volumes",
                    Some(json!({"volume": {"size": 1}})),
                )
                .await;
            volumes.push(created.body["volume"]["id"].as_str().unwrap().to_string());
        }
        cloud.advance(5.0).await;
        let other = snapshot(
            &cloud,
            &token_b,
            &project_b,
            "3.0",
            json!({"volume_id": volumes[1]}),
        )
        .await;
        assert_eq!(other.status, 202);
        let first = snapshot(
            &cloud,
            &token,
            &project,
            "3.0",
            json!({"volume_id": volumes[0]}),
        )
        .await;
        assert_eq!(first.status, 202);
        cloud.control().reset(Some(&project_b)).await.unwrap();
        let second = snapshot(
            &cloud,
            &token,
            &project,
            "3.0",
            json!({"volume_id": volumes[0]}),
        )
        .await;
        let newest = second.body["snapshot"]["id"].as_str().unwrap().to_string();
        cloud.advance(12.0).await;
        let ok = cloud
            .cinder(
                Method::POST,
                &token,
                &project,
                "3.40",
                &format!("/volumes/{}/action", volumes[0]),
                Some(json!({"revert": {"snapshot_id": newest}})),
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
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    cloud
        .control()
        .set_quotas(
            &project,
            json!({"snapshots": 1, "volumes": 2, "gigabytes": 10}),
        )
        .await
        .unwrap();
    let volume = cloud.volume(&token, &project, 4, "v").await;
    available_snapshot(&cloud, &token, &project, &volume).await;
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

    let over = snapshot(
        &cloud,
        &token,
        &project,
        "3.0",
        json!({"volume_id": volume}),
    )
    .await;
    assert_eq!(over.status, 413);
    assert_eq!(over.header("retry-after"), "0");
    assert_eq!(
        over.body,
        json!({"overLimit": {"code": 413, "message": "SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded", "retryAfter": "0"}})
    );
    let too_big = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"size": 5}})),
        )
        .await;
    assert_eq!(too_big.status, 413);
    assert_eq!(
        too_big.body["overLimit"]["message"],
        "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 5G, quota is 10G and 8G has been consumed."
    );
    cloud.volume(&token, &project, 1, "second").await;
    let third = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"size": 1}})),
        )
        .await;
    assert_eq!(third.status, 413);
    assert_eq!(
        third.body["overLimit"]["message"],
        "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes'."
    );
}

#[tokio::test]
async fn a_url_naming_another_project_is_a_malformed_request() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.token("admin").await;
    let (_, other_project) = cloud.project("tenant-b").await;
    let answer = cloud
        .cinder(Method::GET, &token, &other_project, "3.0", "/volumes", None)
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
    let names = |answer: &support::Answer| -> Vec<String> {
        answer.body["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list = |query: &'static str| {
        let path = format!("/volume/v3/{project}/volumes/detail?{query}");
        let token = token.clone();
        let cloud = &cloud;
        async move { cloud.get(&token, &path).await }
    };
    assert_eq!(names(&list("sort=name:asc").await), ["a", "b", "c"]);
    assert_eq!(
        names(&list("sort_key=name&sort_dir=desc").await),
        ["c", "b", "a"]
    );
    assert_eq!(names(&list("sort=size:asc").await), ["a", "c", "b"]);
    assert_eq!(
        names(&list("sort=name").await),
        ["c", "b", "a"],
        "desc unless asked"
    );
    assert_eq!(names(&list("sort=name:asc&offset=1").await), ["b", "c"]);
    assert_eq!(list("sort=colour").await.status, 400);
    assert_eq!(list("sort=name:sideways").await.status, 400);
    assert_eq!(list("sort=name&sort_key=id").await.status, 400);

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
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let id = cloud.volume(&token, &project, 1, "old").await;
    let path = format!("/volumes/{id}");
    let updated = cloud
        .cinder(
            Method::PUT,
            &token,
            &project,
            "3.0",
            &path,
            Some(json!({"volume": {"name": "new", "description": "d", "metadata": {"k": "v"}}})),
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
    let missing = cloud
        .cinder(
            Method::PUT,
            &token,
            &project,
            "3.0",
            "/volumes/no-such-volume",
            Some(json!({"volume": {"name": "x"}})),
        )
        .await;
    assert_eq!(missing.status, 404);
    let no_volume = cloud
        .cinder(
            Method::PUT,
            &token,
            &project,
            "3.0",
            &path,
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(no_volume.status, 400);
}

#[tokio::test]
async fn volume_actions_404_on_unknown_volumes_extend_and_reserve() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let action = |id: String, body: Value| {
        let token = token.clone();
        let project = project.clone();
        let cloud = &cloud;
        async move {
            cloud
                .cinder(
                    Method::POST,
                    &token,
                    &project,
                    "3.0",
                    &format!("/volumes/{id}/action"),
                    Some(body),
                )
                .await
        }
    };
    for body in [
        json!({"os-extend": {"new_size": 2}}),
        json!({"os-attach": {"mountpoint": "/dev/vdb"}}),
        json!({"os-detach": {}}),
        json!({"os-reserve": {}}),
    ] {
        let answer = action("no-such-volume".into(), body).await;
        assert_eq!(answer.status, 404, "{}", answer.text);
    }
    let id = cloud.volume(&token, &project, 1, "v").await;
    let same = action(id.clone(), json!({"os-extend": {"new_size": 1}})).await;
    assert_eq!(same.status, 400);
    let extended = action(id.clone(), json!({"os-extend": {"new_size": 3}})).await;
    assert_eq!(extended.status, 202, "{}", extended.text);
    let view = cloud.wait_volume(&token, &project, &id, "available").await;
    assert_eq!(view["size"], 3);

    assert_eq!(
        action(id.clone(), json!({"os-reserve": {}})).await.status,
        202
    );
    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{id}"))
        .await;
    assert_eq!(shown.body["volume"]["status"], "attaching");
    assert_eq!(
        action(id.clone(), json!({"os-reserve": {}})).await.status,
        400
    );
    assert_eq!(
        action(id.clone(), json!({"os-unreserve": {}})).await.status,
        202
    );
    cloud.wait_volume(&token, &project, &id, "available").await;
}

#[tokio::test]
async fn snapshot_admin_actions_reset_update_and_force_delete() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let created = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/snapshots",
            Some(json!({"snapshot": {"volume_id": volume}})),
        )
        .await;
    let id = created.body["snapshot"]["id"].as_str().unwrap().to_string();
    cloud
        .wait_snapshot(&token, &project, &id, "available")
        .await;
    let action = |body: Value| {
        let (token, project, id) = (token.clone(), project.clone(), id.clone());
        let cloud = &cloud;
        async move {
            cloud
                .cinder(
                    Method::POST,
                    &token,
                    &project,
                    "3.0",
                    &format!("/snapshots/{id}/action"),
                    Some(body),
                )
                .await
        }
    };
    let refused = action(json!({"os-update_snapshot_status": {"status": "error"}})).await;
    assert_eq!(
        refused.status, 400,
        "only a creating snapshot takes driver updates"
    );
    assert_eq!(
        action(json!({"os-reset_status": {"status": "creating"}}))
            .await
            .status,
        202
    );
    let updated =
        action(json!({"os-update_snapshot_status": {"status": "error", "progress": "80%"}})).await;
    assert_eq!(updated.status, 202, "{}", updated.text);
    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    assert_eq!(shown.body["snapshot"]["status"], "error");
    assert_eq!(
        shown.body["snapshot"]["os-extended-snapshot-attributes:progress"],
        "80%"
    );
    assert_eq!(
        action(json!({"os-reset_status": {"status": "sideways"}}))
            .await
            .status,
        400
    );
    assert_eq!(
        action(json!({"os-reset_status": {"status": "deleting"}}))
            .await
            .status,
        202
    );
    assert_eq!(action(json!({"os-force_delete": {}})).await.status, 202);
    let gone = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots/{id}"))
        .await;
    assert_eq!(gone.status, 404);

    let no_volume = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/snapshots",
            Some(json!({"snapshot": {"volume_id": null}})),
        )
        .await;
    assert_eq!(no_volume.status, 404, "Cinder looks up the volume 'None'");
}

#[tokio::test]
async fn the_cloud_admin_acts_on_other_projects_snapshots_and_others_may_not() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, admin_project) = cloud.token("admin").await;
    let (token, project) = cloud.project("tenant").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let created = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/snapshots",
            Some(json!({"snapshot": {"volume_id": volume}})),
        )
        .await;
    let id = created.body["snapshot"]["id"].as_str().unwrap().to_string();
    cloud
        .wait_snapshot(&token, &project, &id, "available")
        .await;
    let reset = json!({"os-reset_status": {"status": "error"}});
    let by_owner = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            &format!("/snapshots/{id}/action"),
            Some(reset.clone()),
        )
        .await;
    assert_eq!(by_owner.status, 403, "{}", by_owner.text);
    let by_admin = cloud
        .cinder(
            Method::POST,
            &admin,
            &admin_project,
            "3.0",
            &format!("/snapshots/{id}/action"),
            Some(reset),
        )
        .await;
    assert_eq!(by_admin.status, 202, "{}", by_admin.text);
    let shown = cloud
        .cinder(
            Method::GET,
            &admin,
            &admin_project,
            "3.0",
            &format!("/snapshots/{id}"),
            None,
        )
        .await;
    assert_eq!(shown.body["snapshot"]["status"], "error");
}

#[tokio::test]
async fn snapshot_update_and_metadata() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let created = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/snapshots",
            Some(json!({"snapshot": {"volume_id": volume, "metadata": {"a": "1"}}})),
        )
        .await;
    let id = created.body["snapshot"]["id"].as_str().unwrap().to_string();
    let call = |method: Method, path: String, body: Option<Value>| {
        let (token, project) = (token.clone(), project.clone());
        let cloud = &cloud;
        async move {
            cloud
                .cinder(method, &token, &project, "3.0", &path, body)
                .await
        }
    };
    let renamed = call(
        Method::PUT,
        format!("/snapshots/{id}"),
        Some(json!({"snapshot": {"name": "n", "description": "d"}})),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["snapshot"]["name"], "n");
    assert_eq!(renamed.body["snapshot"]["description"], "d");
    let path = format!("/snapshots/{id}/metadata");
    let merged = call(
        Method::POST,
        path.clone(),
        Some(json!({"metadata": {"b": "2"}})),
    )
    .await;
    assert_eq!(merged.body, json!({"metadata": {"a": "1", "b": "2"}}));
    let replaced = call(
        Method::PUT,
        path.clone(),
        Some(json!({"metadata": {"c": "3"}})),
    )
    .await;
    assert_eq!(replaced.body, json!({"metadata": {"c": "3"}}));
    let item = call(
        Method::PUT,
        format!("{path}/d"),
        Some(json!({"meta": {"d": "4"}})),
    )
    .await;
    assert_eq!(item.body, json!({"meta": {"d": "4"}}));
    let mismatch = call(
        Method::PUT,
        format!("{path}/d"),
        Some(json!({"meta": {"e": "5"}})),
    )
    .await;
    assert_eq!(mismatch.status, 400);
    assert_eq!(
        call(Method::GET, format!("{path}/d"), None).await.body,
        json!({"meta": {"d": "4"}})
    );
    assert_eq!(
        call(Method::DELETE, format!("{path}/d"), None).await.status,
        200
    );
    assert_eq!(
        call(Method::GET, format!("{path}/d"), None).await.status,
        404
    );
    assert_eq!(
        call(Method::GET, path, None).await.body,
        json!({"metadata": {"c": "3"}})
    );
}

#[tokio::test]
async fn clones_volume_types_summary_and_the_metadata_filter() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("clones").await;
    let source = cloud.volume(&token, &project, 2, "source").await;
    let create = |volume: Value| {
        let (token, project) = (token.clone(), project.clone());
        let cloud = &cloud;
        async move {
            cloud
                .cinder(
                    Method::POST,
                    &token,
                    &project,
                    "3.0",
                    "/volumes",
                    Some(json!({ "volume": volume })),
                )
                .await
        }
    };
    let clone = create(json!({"source_volid": source, "metadata": {"k": "v"}})).await;
    assert_eq!(clone.status, 202, "{}", clone.text);
    assert_eq!(clone.body["volume"]["source_volid"], source.as_str());
    assert_eq!(
        clone.body["volume"]["size"], 2,
        "the source's size by default"
    );
    assert_eq!(
        create(json!({"source_volid": source, "size": 1}))
            .await
            .status,
        400
    );
    assert_eq!(
        create(json!({"source_volid": "nope", "size": 1}))
            .await
            .status,
        404
    );
    assert_eq!(
        create(json!({"size": 1, "volume_type": "no-such-type"}))
            .await
            .status,
        404
    );
    assert_eq!(
        create(json!({"size": 1, "volume_type": "lvmdriver-1"}))
            .await
            .status,
        202
    );

    let filtered = cloud
        .get(
            &token,
            &format!("/volume/v3/{project}/volumes/detail?metadata=%7B%27k%27%3A+%27v%27%7D"),
        )
        .await;
    let ids: Vec<&str> = filtered.body["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [clone.body["volume"]["id"].as_str().unwrap()]);

    let summary = |version: &'static str| {
        let (token, project) = (token.clone(), project.clone());
        let cloud = &cloud;
        async move {
            cloud
                .cinder(
                    Method::GET,
                    &token,
                    &project,
                    version,
                    "/volumes/summary",
                    None,
                )
                .await
        }
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
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, admin_project) = cloud.token("admin").await;
    let (token, project) = cloud.project("quotas").await;
    let path = format!("/os-quota-sets/{project}");
    let shown = cloud
        .cinder(Method::GET, &token, &project, "3.0", &path, None)
        .await;
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
    let by_tenant = cloud
        .cinder(
            Method::PUT,
            &token,
            &project,
            "3.0",
            &path,
            Some(json!({"quota_set": {"snapshots": 1}})),
        )
        .await;
    assert_eq!(by_tenant.status, 403);
    let set = cloud
        .cinder(
            Method::PUT,
            &admin,
            &admin_project,
            "3.0",
            &path,
            Some(json!({"quota_set": {"snapshots": 1, "per_volume_gigabytes": 2}})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["quota_set"]["snapshots"], 1);
    assert!(set.body["quota_set"].get("id").is_none());
    let bad_key = cloud
        .cinder(
            Method::PUT,
            &admin,
            &admin_project,
            "3.0",
            &path,
            Some(json!({"quota_set": {"bananas": 1}})),
        )
        .await;
    assert_eq!(bad_key.status, 400);

    let too_big = cloud
        .cinder(
            Method::POST,
            &token,
            &project,
            "3.0",
            "/volumes",
            Some(json!({"volume": {"size": 3}})),
        )
        .await;
    assert_eq!(too_big.status, 413);
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let snapshot = |n: u32| {
        let (token, project, volume) = (token.clone(), project.clone(), volume.clone());
        let cloud = &cloud;
        async move {
            cloud
                .cinder(
                    Method::POST,
                    &token,
                    &project,
                    "3.0",
                    "/snapshots",
                    Some(json!({"snapshot": {"volume_id": volume, "name": format!("s{n}")}})),
                )
                .await
        }
    };
    assert_eq!(snapshot(1).await.status, 202);
    assert_eq!(snapshot(2).await.status, 413);
    let usage = cloud
        .cinder(
            Method::GET,
            &token,
            &project,
            "3.0",
            &format!("{path}?usage=True"),
            None,
        )
        .await;
    assert_eq!(
        usage.body["quota_set"]["snapshots"],
        json!({"limit": 1, "in_use": 1, "reserved": 0})
    );
    let reset = cloud
        .cinder(Method::DELETE, &admin, &admin_project, "3.0", &path, None)
        .await;
    assert_eq!(reset.status, 200);
    assert_eq!(snapshot(3).await.status, 202);
}
