//! Glance v2: discovery, the list envelope with paging and filters, show, create, delete,
//! content-negotiated error bodies and the image quota.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_cloud, TestCloud, BASE_IMAGE};

async fn create(cloud: &TestCloud, token: &str, body: Value) -> support::Answer {
    cloud.post(token, "/image/v2/images", body).await
}

#[tokio::test]
async fn discovery_documents() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let root = cloud.call(Method::GET, "/image", None, &[], None).await;
    assert_eq!(root.status, 300);
    let versions = root.body["versions"].as_array().expect("versions list");
    assert_eq!(versions.first().unwrap()["status"], "CURRENT");
    assert_eq!(versions.last().unwrap()["id"], "v2.0");
    for v in versions {
        assert_eq!(v.as_object().unwrap().len(), 3, "{v}");
        assert_eq!(
            v["links"],
            json!([{"rel": "self", "href": format!("{}/image/v2/", cloud.base)}])
        );
    }
    for minor in 0..=7 {
        let id = format!("v2.{minor}");
        let entry = versions
            .iter()
            .find(|v| v["id"] == id.as_str())
            .expect("listed");
        assert_eq!(entry["status"], "SUPPORTED");
    }
    let listed = cloud
        .call(Method::GET, "/image/versions", None, &[], None)
        .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body, root.body);
}

#[tokio::test]
async fn unknown_version_prefixes_answer_the_version_list() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let root = cloud.call(Method::GET, "/image", None, &[], None).await;
    for path in ["/image/v3/images", "/image/v1"] {
        let answer = cloud.call(Method::GET, path, None, &[], None).await;
        assert_eq!(answer.status, 300, "{path}: {}", answer.text);
        assert_eq!(answer.body, root.body, "{path}");
    }
    let (token, _) = cloud.token("admin").await;
    let unknown = cloud.get(&token, "/image/v2/nothing-here").await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn list_envelope_paging_and_filters() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let made = create(
            &cloud,
            &token,
            json!({"name": format!("img{n}"), "disk_format": "raw", "container_format": "bare"}),
        )
        .await;
        assert_eq!(made.status, 201);
        ids.push(made.body["id"].as_str().unwrap().to_string());
    }
    let all = cloud.get(&token, "/image/v2/images").await;
    assert_eq!(all.status, 200);
    assert_eq!(all.body["first"], "/v2/images");
    assert_eq!(all.body["schema"], "/v2/schemas/images");
    assert!(all.body.get("next").is_none(), "page not full: no next");
    assert_eq!(all.body["images"].as_array().unwrap().len(), 4);
    let seeded = all.body["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == BASE_IMAGE)
        .expect("base image");
    assert_eq!(seeded["visibility"], "public");
    assert_eq!(seeded["status"], "active");
    assert_eq!(seeded["os_distro"], "cirros", "properties are flattened");
    for key in [
        "checksum",
        "size",
        "virtual_size",
        "os_hash_algo",
        "os_hash_value",
        "min_ram",
        "min_disk",
        "owner",
        "tags",
        "created_at",
        "updated_at",
        "protected",
        "os_hidden",
    ] {
        assert!(seeded.get(key).is_some(), "{key}");
    }
    let id = seeded["id"].as_str().unwrap();
    assert_eq!(seeded["self"], format!("/v2/images/{id}"));
    assert_eq!(seeded["file"], format!("/v2/images/{id}/file"));
    assert_eq!(seeded["schema"], "/v2/schemas/image");

    let page1 = cloud.get(&token, "/image/v2/images?limit=2").await;
    assert_eq!(page1.body["first"], "/v2/images?limit=2");
    let items1 = page1.body["images"].as_array().unwrap();
    assert_eq!(items1.len(), 2);
    let last = items1[1]["id"].as_str().unwrap();
    assert_eq!(
        page1.body["next"],
        format!("/v2/images?limit=2&marker={last}")
    );
    let page2 = cloud
        .get(
            &token,
            &format!("/image{}", page1.body["next"].as_str().unwrap()),
        )
        .await;
    assert_eq!(page2.body["first"], "/v2/images?limit=2");
    let items2 = page2.body["images"].as_array().unwrap();
    assert_eq!(items2.len(), 2);
    let last2 = items2[1]["id"].as_str().unwrap();
    let page3 = cloud
        .get(&token, &format!("/image/v2/images?limit=2&marker={last2}"))
        .await;
    assert_eq!(page3.body["images"], json!([]));
    assert!(page3.body.get("next").is_none());
    let mut seen: Vec<&str> = items1
        .iter()
        .chain(items2)
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4);

    let by_name = cloud.get(&token, "/image/v2/images?name=img1").await;
    assert_eq!(by_name.body["images"].as_array().unwrap().len(), 1);
    assert_eq!(by_name.body["images"][0]["id"], ids[1].as_str());
    assert_eq!(by_name.body["first"], "/v2/images?name=img1");
    let queued = cloud.get(&token, "/image/v2/images?status=queued").await;
    assert_eq!(queued.body["images"].as_array().unwrap().len(), 3);
    let some = cloud
        .get(
            &token,
            &format!("/image/v2/images?id=in:{},{}", ids[0], ids[2]),
        )
        .await;
    let mut got: Vec<&str> = some.body["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    got.sort();
    let mut want = vec![ids[0].as_str(), ids[2].as_str()];
    want.sort();
    assert_eq!(got, want);
    let own = cloud
        .get(
            &token,
            &format!("/image/v2/images?owner={project}&visibility=shared"),
        )
        .await;
    assert_eq!(own.body["images"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn create_show_and_delete() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    let made = create(
        &cloud,
        &token,
        json!({"name": "mine", "disk_format": "qcow2", "container_format": "bare", "hw_disk_bus": "virtio", "tags": ["a"]}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        made.header("location"),
        format!("{}/image/v2/images/{id}", cloud.base)
    );
    assert_eq!(made.body["status"], "queued");
    assert_eq!(made.body["owner"], project.as_str());
    assert_eq!(made.body["hw_disk_bus"], "virtio");
    assert_eq!(made.body["tags"], json!(["a"]));
    assert!(made.body["checksum"].is_null());
    assert!(made.body["size"].is_null());
    let shown = cloud.get(&token, &format!("/image/v2/images/{id}")).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.body, made.body);

    let deleted = cloud
        .delete(&token, &format!("/image/v2/images/{id}"))
        .await;
    assert_eq!(deleted.status, 204);
    let gone = cloud
        .call(
            Method::GET,
            &format!("/image/v2/images/{id}"),
            Some(&token),
            &[("Accept", "application/json")],
            None,
        )
        .await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.body,
        json!({"message": format!("No image found with ID {id}<br /><br />\n\n\n"), "code": "404 Not Found", "title": "Not Found"})
    );
    let again = cloud
        .call(
            Method::DELETE,
            &format!("/image/v2/images/{id}"),
            Some(&token),
            &[("Accept", "application/json")],
            None,
        )
        .await;
    assert_eq!(again.status, 404);
    assert_eq!(
        again.body["message"],
        format!("Failed to find image {id} to delete<br /><br />\n\n\n")
    );

    let protected = create(&cloud, &token, json!({"name": "keep", "protected": true})).await;
    let pid = protected.body["id"].as_str().unwrap().to_string();
    let refused = cloud
        .call(
            Method::DELETE,
            &format!("/image/v2/images/{pid}"),
            Some(&token),
            &[("Accept", "text/plain")],
            None,
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.text,
        format!("403 Forbidden\n\nImage {pid} is protected and cannot be deleted.\n\n   ")
    );
    let still = cloud.get(&token, &format!("/image/v2/images/{pid}")).await;
    assert_eq!(still.status, 200);
}

#[tokio::test]
async fn error_bodies_follow_accept() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.token("admin").await;
    let id = "11111111-2222-3333-4444-555555555555";
    let path = format!("/image/v2/images/{id}");
    let html = cloud
        .call(Method::GET, &path, Some(&token), &[("Accept", "*/*")], None)
        .await;
    assert_eq!(html.status, 404);
    assert!(html.header("content-type").starts_with("text/html"));
    assert_eq!(
        html.text,
        format!("<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID {id}<br /><br />\n\n\n\n </body>\n</html>")
    );
    let json = cloud
        .call(
            Method::GET,
            &path,
            Some(&token),
            &[("Accept", "application/json")],
            None,
        )
        .await;
    assert!(json.header("content-type").starts_with("application/json"));
    assert_eq!(json.body["code"], "404 Not Found");
    assert_eq!(json.body["title"], "Not Found");
    let plain = cloud
        .call(
            Method::GET,
            &path,
            Some(&token),
            &[("Accept", "text/plain")],
            None,
        )
        .await;
    assert!(plain.header("content-type").starts_with("text/plain"));
    assert_eq!(
        plain.text,
        format!("404 Not Found\n\nNo image found with ID {id}\n\n   ")
    );
}

#[tokio::test]
async fn image_quota_is_413_plain_text() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.token("admin").await;
    cloud
        .control()
        .set_quotas(&project, json!({"images": 1}))
        .await
        .unwrap();
    assert_eq!(
        create(&cloud, &token, json!({"name": "one"})).await.status,
        201
    );
    let refused = cloud
        .call(
            Method::POST,
            "/image/v2/images",
            Some(&token),
            &[("Accept", "application/json")],
            Some(json!({"name": "two"})),
        )
        .await;
    assert_eq!(refused.status, 413);
    assert!(refused.header("content-type").starts_with("text/plain"));
    assert!(
        refused.text.starts_with("The request returned a 413 Request Entity Too Large. This generally means that rate limiting or a quota threshold was breached.\n\nThe response body:\n"),
        "{}",
        refused.text
    );
    assert!(refused
        .text
        .contains(&format!("Project {project} is over a limit")));
}

#[tokio::test]
async fn upload_answers_once_the_image_is_active() {
    let cloud = start_cloud(TimeProfile::Manual).await;
    let (token, _) = cloud.token("admin").await;
    let made = create(
        &cloud,
        &token,
        json!({"name": "up", "disk_format": "raw", "container_format": "bare"}),
    )
    .await;
    let id = made.body["id"].as_str().unwrap().to_string();
    let upload = cloud
        .call(
            Method::PUT,
            &format!("/image/v2/images/{id}/file"),
            Some(&token),
            &[("Content-Type", "application/octet-stream")],
            None,
        )
        .await;
    assert_eq!(upload.status, 204);
    let active = cloud.get(&token, &format!("/image/v2/images/{id}")).await;
    assert_eq!(
        active.body["status"], "active",
        "Glance answers the upload after storing the data, even on a manual clock"
    );
}

#[tokio::test]
async fn patch_reads_both_json_patch_media_types() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.token("admin").await;
    let created = create(&cloud, &token, json!({"name": "before"})).await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let patch = |media: &'static str, body: Value| {
        let path = format!("/image/v2/images/{id}");
        let token = token.clone();
        let cloud = &cloud;
        async move {
            cloud
                .call(
                    Method::PATCH,
                    &path,
                    Some(&token),
                    &[("Content-Type", media)],
                    Some(body),
                )
                .await
        }
    };
    let v21 = patch(
        "application/openstack-images-v2.1-json-patch",
        json!([{"op": "replace", "path": "/name", "value": "v21"},
               {"op": "add", "path": "/color", "value": "red"}]),
    )
    .await;
    assert_eq!(v21.status, 200, "{}", v21.text);
    assert_eq!(v21.body["name"], "v21");
    assert_eq!(v21.body["color"], "red");
    let v20 = patch(
        "application/openstack-images-v2.0-json-patch",
        json!([{"replace": "/name", "value": "v20"}, {"remove": "/color"}]),
    )
    .await;
    assert_eq!(v20.status, 200, "{}", v20.text);
    assert_eq!(v20.body["name"], "v20");
    assert!(v20.body.get("color").is_none());
    let neither = patch(
        "application/openstack-images-v2.0-json-patch",
        json!([{"op": "replace", "path": "/name", "value": "x"}]),
    )
    .await;
    assert_eq!(neither.status, 400, "a v2.1 change is not a v2.0 change");
    let both = patch(
        "application/openstack-images-v2.0-json-patch",
        json!([{"replace": "/name", "add": "/name", "value": "x"}]),
    )
    .await;
    assert_eq!(both.status, 400);
}

#[tokio::test]
async fn members_share_an_image_that_the_member_accepts_or_rejects() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (owner, _) = cloud.token("admin").await;
    let (guest, guest_project) = cloud.project("guest").await;
    let created = create(
        &cloud,
        &owner,
        json!({"name": "shared-one", "visibility": "shared"}),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let private = create(
        &cloud,
        &owner,
        json!({"name": "p", "visibility": "private"}),
    )
    .await;
    let private_id = private.body["id"].as_str().unwrap();
    let refused = cloud
        .post(
            &owner,
            &format!("/image/v2/images/{private_id}/members"),
            json!({"member": guest_project}),
        )
        .await;
    assert_eq!(refused.status, 403, "only shared images have members");

    let listed_ids = |answer: support::Answer| -> Vec<String> {
        answer.body["images"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        cloud
            .get(&guest, &format!("/image/v2/images/{id}"))
            .await
            .status,
        404
    );
    let added = cloud
        .post(
            &owner,
            &format!("/image/v2/images/{id}/members"),
            json!({"member": guest_project}),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["status"], "pending");
    assert_eq!(added.body["schema"], "/v2/schemas/member");
    let again = cloud
        .post(
            &owner,
            &format!("/image/v2/images/{id}/members"),
            json!({"member": guest_project}),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(
        cloud
            .get(&guest, &format!("/image/v2/images/{id}"))
            .await
            .status,
        200,
        "a member sees the image before answering"
    );
    assert!(!listed_ids(cloud.get(&guest, "/image/v2/images").await).contains(&id));
    assert!(listed_ids(
        cloud
            .get(&guest, "/image/v2/images?member_status=pending")
            .await
    )
    .contains(&id));
    let member_path = format!("/image/v2/images/{id}/members/{guest_project}");
    let by_owner = cloud
        .call(
            Method::PUT,
            &member_path,
            Some(&owner),
            &[],
            Some(json!({"status": "accepted"})),
        )
        .await;
    assert_eq!(
        by_owner.status, 403,
        "the owner cannot answer for the member"
    );
    let accepted = cloud
        .call(
            Method::PUT,
            &member_path,
            Some(&guest),
            &[],
            Some(json!({"status": "accepted"})),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert!(listed_ids(cloud.get(&guest, "/image/v2/images").await).contains(&id));
    let members = cloud
        .get(&owner, &format!("/image/v2/images/{id}/members"))
        .await;
    assert_eq!(members.body["members"][0]["status"], "accepted");
    assert_eq!(members.body["schema"], "/v2/schemas/members");
    let removed = cloud.delete(&owner, &member_path).await;
    assert_eq!(removed.status, 204);
    assert_eq!(
        cloud
            .get(&guest, &format!("/image/v2/images/{id}"))
            .await
            .status,
        404
    );
    for name in ["image", "images", "member", "members"] {
        let schema = cloud
            .get(&owner, &format!("/image/v2/schemas/{name}"))
            .await;
        assert_eq!(schema.body["name"], name);
    }
}

#[tokio::test]
async fn uploaded_data_is_served_back() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.token("admin").await;
    let created = create(
        &cloud,
        &token,
        json!({"name": "d", "disk_format": "raw", "container_format": "bare"}),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let path = format!("/image/v2/images/{id}/file");
    let empty = cloud.get(&token, &path).await;
    assert_eq!(empty.status, 204);
    let data: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
    let uploaded = cloud
        .http
        .put(format!("{}{path}", cloud.base))
        .header("X-Auth-Token", &token)
        .header("Content-Type", "application/octet-stream")
        .body(data.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 204);
    cloud.wait_image(&token, &id, "active").await;
    let shown = cloud.get(&token, &format!("/image/v2/images/{id}")).await;
    assert_eq!(shown.body["size"], 1024);
    let downloaded = cloud
        .http
        .get(format!("{}{path}", cloud.base))
        .header("X-Auth-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), 200);
    assert_eq!(downloaded.bytes().await.unwrap().to_vec(), data);
}

#[tokio::test]
async fn list_sorts_filters_by_size_and_hides_hidden_images() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.project("sizes").await;
    let mut ids = Vec::new();
    for (name, bytes, hidden) in [("a", 300, false), ("b", 100, false), ("c", 200, true)] {
        let created = create(
            &cloud,
            &token,
            json!({"name": name, "disk_format": "raw", "container_format": "bare", "os_hidden": hidden}),
        )
        .await;
        let id = created.body["id"].as_str().unwrap().to_string();
        let uploaded = cloud
            .http
            .put(format!("{}/image/v2/images/{id}/file", cloud.base))
            .header("X-Auth-Token", &token)
            .header("Content-Type", "application/octet-stream")
            .body(vec![0u8; bytes])
            .send()
            .await
            .unwrap();
        assert_eq!(uploaded.status(), 204);
        ids.push(id);
    }
    let names = |answer: support::Answer| -> Vec<String> {
        answer.body["images"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["name"] != BASE_IMAGE)
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list = |query: &'static str| {
        let token = token.clone();
        let cloud = &cloud;
        async move { cloud.get(&token, &format!("/image/v2/images{query}")).await }
    };
    assert_eq!(names(list("?sort=size:desc").await), ["a", "b"]);
    assert_eq!(names(list("?sort_key=name&sort_dir=asc").await), ["a", "b"]);
    assert_eq!(names(list("?sort=size:asc").await), ["b", "a"]);
    assert_eq!(names(list("?size_min=150&size_max=400").await), ["a"]);
    assert_eq!(names(list("?size=100").await), ["b"]);
    assert_eq!(names(list("?os_hidden=true").await), ["c"]);
    assert_eq!(list("?sort=colour:asc").await.status, 400);
    let unhide = cloud
        .call(
            Method::PATCH,
            &format!("/image/v2/images/{}", ids[2]),
            Some(&token),
            &[(
                "Content-Type",
                "application/openstack-images-v2.1-json-patch",
            )],
            Some(json!([{"op": "replace", "path": "/os_hidden", "value": false}])),
        )
        .await;
    assert_eq!(unhide.status, 200, "{}", unhide.text);
    assert_eq!(names(list("?sort=name:asc").await), ["a", "b", "c"]);
}

#[tokio::test]
async fn create_and_update_rules_formats_reserved_owner_tags_and_deactivation() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (admin, _) = cloud.token("admin").await;
    let (token, project) = cloud.project("rules").await;
    let bad_disk = create(&cloud, &token, json!({"disk_format": "floppy"})).await;
    assert_eq!(bad_disk.status, 400);
    let bad_container = create(&cloud, &token, json!({"container_format": "crate"})).await;
    assert_eq!(bad_container.status, 400);
    let reserved = create(&cloud, &token, json!({"os_glance_foo": "x"})).await;
    assert_eq!(reserved.status, 403);
    let not_mine = create(&cloud, &token, json!({"owner": "someone-else"})).await;
    assert_eq!(not_mine.status, 403);
    let for_tenant = create(&cloud, &admin, json!({"name": "given", "owner": project})).await;
    assert_eq!(for_tenant.status, 201, "{}", for_tenant.text);
    assert_eq!(for_tenant.body["owner"], project.as_str());
    let given_id = for_tenant.body["id"].as_str().unwrap();
    let by_admin = cloud
        .get(&admin, &format!("/image/v2/images/{given_id}"))
        .await;
    assert_eq!(by_admin.status, 200, "the cloud admin sees any image");
    let by_owner = cloud
        .get(&token, &format!("/image/v2/images/{given_id}"))
        .await;
    assert_eq!(by_owner.status, 200);
    let deleted = cloud
        .delete(&admin, &format!("/image/v2/images/{given_id}"))
        .await;
    assert_eq!(deleted.status, 204, "the cloud admin deletes any image");

    let created = create(
        &cloud,
        &token,
        json!({"name": "t", "disk_format": "raw", "container_format": "bare"}),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let patch = |body: Value| {
        let (cloud, token, id) = (&cloud, token.clone(), id.clone());
        async move {
            cloud
                .call(
                    Method::PATCH,
                    &format!("/image/v2/images/{id}"),
                    Some(&token),
                    &[(
                        "Content-Type",
                        "application/openstack-images-v2.1-json-patch",
                    )],
                    Some(body),
                )
                .await
        }
    };
    assert_eq!(
        patch(json!([{"op": "add", "path": "/os_glance_x", "value": "1"}]))
            .await
            .status,
        403
    );
    let tag = format!("/image/v2/images/{id}/tags/blue");
    let tagged = cloud.call(Method::PUT, &tag, Some(&token), &[], None).await;
    assert_eq!(tagged.status, 204);
    let shown = cloud.get(&token, &format!("/image/v2/images/{id}")).await;
    assert_eq!(shown.body["tags"], json!(["blue"]));
    assert_eq!(cloud.delete(&token, &tag).await.status, 204);
    assert_eq!(cloud.delete(&token, &tag).await.status, 404);

    let action = |verb: &'static str| {
        let (cloud, token, id) = (&cloud, token.clone(), id.clone());
        async move {
            cloud
                .call(
                    Method::POST,
                    &format!("/image/v2/images/{id}/actions/{verb}"),
                    Some(&token),
                    &[],
                    None,
                )
                .await
        }
    };
    assert_eq!(
        action("deactivate").await.status,
        403,
        "only an active image"
    );
    let uploaded = cloud
        .http
        .put(format!("{}/image/v2/images/{id}/file", cloud.base))
        .header("X-Auth-Token", &token)
        .header("Content-Type", "application/octet-stream")
        .body(vec![1u8; 10])
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 204);
    cloud.wait_image(&token, &id, "active").await;
    assert_eq!(action("deactivate").await.status, 204);
    let file = format!("/image/v2/images/{id}/file");
    assert_eq!(cloud.get(&token, &file).await.status, 403);
    assert_eq!(
        cloud
            .get(&token, &format!("/image/v2/images/{id}"))
            .await
            .body["status"],
        "deactivated"
    );
    assert_eq!(action("reactivate").await.status, 204);
    assert_eq!(cloud.get(&token, &file).await.status, 200);
}
