//! Glance v2: discovery, the list envelope with paging and filters, show, create, delete,
//! content-negotiated error bodies and the image quota.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{
    start_as_admin, start_cloud, start_with_project, Answer, Session, TestCloud, BASE_IMAGE,
};

/// The media type of a JSON patch in the v2.1 form (`op`, `path`, `value`).
const PATCH_V21: &str = "application/openstack-images-v2.1-json-patch";

async fn create(glance: &Session<'_>, body: Value) -> Answer {
    glance.post("/images", body).await
}

/// Creates a raw, bare image named `name` (queued, no data); its id.
async fn raw_image(glance: &Session<'_>, name: &str) -> String {
    let made = create(
        glance,
        json!({"name": name, "disk_format": "raw", "container_format": "bare"}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.text);
    made.body["id"].as_str().unwrap().to_string()
}

/// Uploads `data` as the image's content; the answer's status.
async fn upload(cloud: &TestCloud, token: &str, id: &str, data: Vec<u8>) -> u16 {
    cloud
        .put_octets(token, &format!("/image/v2/images/{id}/file"), data)
        .await
}

#[tokio::test]
async fn discovery_documents() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (root, versions) = cloud.discovery("/image", 300).await;
    assert_eq!(versions.first().unwrap()["status"], "CURRENT");
    assert_eq!(versions.last().unwrap()["id"], "v2.0");
    for v in &versions {
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
    let listed = cloud.anonymous().get("/image/versions").await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body, root.body);
}

#[tokio::test]
async fn unknown_version_prefixes_answer_the_version_list() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let root = cloud.anonymous().get("/image").await;
    for path in ["/image/v3/images", "/image/v1"] {
        let answer = cloud.anonymous().get(path).await;
        assert_eq!(answer.status, 300, "{path}: {}", answer.text);
        assert_eq!(answer.body, root.body, "{path}");
    }
    let (token, _) = cloud.token("admin").await;
    let unknown = cloud.get(&token, "/image/v2/nothing-here").await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn list_envelope_paging_and_filters() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let glance = cloud.glance_as(&token);
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(raw_image(&glance, &format!("img{n}")).await);
    }
    let all = glance.get("/images").await;
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

    let page1 = glance.get("/images?limit=2").await;
    assert_eq!(page1.body["first"], "/v2/images?limit=2");
    let items1 = page1.body["images"].as_array().unwrap();
    assert_eq!(items1.len(), 2);
    let last = items1[1]["id"].as_str().unwrap();
    assert_eq!(
        page1.body["next"],
        format!("/v2/images?limit=2&marker={last}")
    );
    let next = page1.body["next"].as_str().unwrap();
    let page2 = cloud.get(&token, &format!("/image{next}")).await;
    assert_eq!(page2.body["first"], "/v2/images?limit=2");
    let items2 = page2.body["images"].as_array().unwrap();
    assert_eq!(items2.len(), 2);
    let last2 = items2[1]["id"].as_str().unwrap();
    let page3 = glance.get(&format!("/images?limit=2&marker={last2}")).await;
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

    let by_name = glance.get("/images?name=img1").await;
    assert_eq!(by_name.body["images"].as_array().unwrap().len(), 1);
    assert_eq!(by_name.body["images"][0]["id"], ids[1].as_str());
    assert_eq!(by_name.body["first"], "/v2/images?name=img1");
    let queued = glance.get("/images?status=queued").await;
    assert_eq!(queued.body["images"].as_array().unwrap().len(), 3);
    let some = glance
        .get(&format!("/images?id=in:{},{}", ids[0], ids[2]))
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
    let own = glance
        .get(&format!("/images?owner={project}&visibility=shared"))
        .await;
    assert_eq!(own.body["images"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn create_show_and_delete() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let glance = cloud.glance_as(&token);
    let made = create(
        &glance,
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
    let path = format!("/images/{id}");
    let shown = glance.get(&path).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.body, made.body);

    let deleted = glance.delete(&path).await;
    assert_eq!(deleted.status, 204);
    let as_json = glance.header("Accept", "application/json");
    let gone = as_json.get(&path).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.body,
        json!({"message": format!("No image found with ID {id}<br /><br />\n\n\n"), "code": "404 Not Found", "title": "Not Found"})
    );
    let again = as_json.delete(&path).await;
    assert_eq!(again.status, 404);
    assert_eq!(
        again.body["message"],
        format!("Failed to find image {id} to delete<br /><br />\n\n\n")
    );

    let protected = create(&glance, json!({"name": "keep", "protected": true})).await;
    let pid = protected.body["id"].as_str().unwrap().to_string();
    let refused = glance
        .header("Accept", "text/plain")
        .delete(&format!("/images/{pid}"))
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.text,
        format!("403 Forbidden\n\nImage {pid} is protected and cannot be deleted.\n\n   ")
    );
    let still = glance.get(&format!("/images/{pid}")).await;
    assert_eq!(still.status, 200);
}

#[tokio::test]
async fn error_bodies_follow_accept() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let glance = cloud.glance_as(&token);
    let id = "11111111-2222-3333-4444-555555555555";
    let path = format!("/images/{id}");
    let html = glance.header("Accept", "*/*").get(&path).await;
    assert_eq!(html.status, 404);
    assert!(html.header("content-type").starts_with("text/html"));
    assert_eq!(
        html.text,
        format!("<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID {id}<br /><br />\n\n\n\n </body>\n</html>")
    );
    let json = glance.header("Accept", "application/json").get(&path).await;
    assert!(json.header("content-type").starts_with("application/json"));
    assert_eq!(json.body["code"], "404 Not Found");
    assert_eq!(json.body["title"], "Not Found");
    let plain = glance.header("Accept", "text/plain").get(&path).await;
    assert!(plain.header("content-type").starts_with("text/plain"));
    assert_eq!(
        plain.text,
        format!("404 Not Found\n\nNo image found with ID {id}\n\n   ")
    );
}

#[tokio::test]
async fn image_quota_is_413_plain_text() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let glance = cloud.glance_as(&token);
    cloud.set_quotas(&project, json!({"images": 1})).await;
    assert_eq!(create(&glance, json!({"name": "one"})).await.status, 201);
    let refused = glance
        .header("Accept", "application/json")
        .post("/images", json!({"name": "two"}))
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
    let (cloud, token, _) = start_as_admin(TimeProfile::Manual).await;
    let glance = cloud.glance_as(&token);
    let id = raw_image(&glance, "up").await;
    let upload = glance
        .header("Content-Type", "application/octet-stream")
        .send(Method::PUT, &format!("/images/{id}/file"), None)
        .await;
    assert_eq!(upload.status, 204);
    let active = glance.get(&format!("/images/{id}")).await;
    assert_eq!(
        active.body["status"], "active",
        "Glance answers the upload after storing the data, even on a manual clock"
    );
}

#[tokio::test]
async fn patch_reads_both_json_patch_media_types() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let glance = cloud.glance_as(&token);
    let created = create(&glance, json!({"name": "before"})).await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let path = format!("/images/{id}");
    let patch = |media: &str, body: Value| {
        let glance = glance.header("Content-Type", media);
        let path = &path;
        async move { glance.patch(path, body).await }
    };
    let v21 = patch(
        PATCH_V21,
        json!([{"op": "replace", "path": "/name", "value": "v21"},
               {"op": "add", "path": "/color", "value": "red"}]),
    )
    .await;
    assert_eq!(v21.status, 200, "{}", v21.text);
    assert_eq!(v21.body["name"], "v21");
    assert_eq!(v21.body["color"], "red");
    let v20_patch = "application/openstack-images-v2.0-json-patch";
    let v20 = patch(
        v20_patch,
        json!([{"replace": "/name", "value": "v20"}, {"remove": "/color"}]),
    )
    .await;
    assert_eq!(v20.status, 200, "{}", v20.text);
    assert_eq!(v20.body["name"], "v20");
    assert!(v20.body.get("color").is_none());
    let neither = patch(
        v20_patch,
        json!([{"op": "replace", "path": "/name", "value": "x"}]),
    )
    .await;
    assert_eq!(neither.status, 400, "a v2.1 change is not a v2.0 change");
    let both = patch(
        v20_patch,
        json!([{"replace": "/name", "add": "/name", "value": "x"}]),
    )
    .await;
    assert_eq!(both.status, 400);
}

#[tokio::test]
async fn members_share_an_image_that_the_member_accepts_or_rejects() {
    let (cloud, owner, _, guest, guest_project) = start_with_project("guest").await;
    let as_owner = cloud.glance_as(&owner);
    let as_guest = cloud.glance_as(&guest);
    let created = create(
        &as_owner,
        json!({"name": "shared-one", "visibility": "shared"}),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let image = format!("/images/{id}");
    let members = format!("{image}/members");
    let private = create(&as_owner, json!({"name": "p", "visibility": "private"})).await;
    let private_id = private.body["id"].as_str().unwrap();
    let guest_member = json!({"member": guest_project});
    let refused = as_owner
        .post(
            &format!("/images/{private_id}/members"),
            guest_member.clone(),
        )
        .await;
    assert_eq!(refused.status, 403, "only shared images have members");

    let listed_ids = |answer: Answer| -> Vec<String> {
        let ids = support::field_of_each(&answer.body["images"], "id");
        ids.into_iter().map(String::from).collect()
    };
    assert_eq!(as_guest.get(&image).await.status, 404);
    let added = as_owner.post(&members, guest_member.clone()).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["status"], "pending");
    assert_eq!(added.body["schema"], "/v2/schemas/member");
    let again = as_owner.post(&members, guest_member).await;
    assert_eq!(again.status, 409);
    assert_eq!(
        as_guest.get(&image).await.status,
        200,
        "a member sees the image before answering"
    );
    assert!(!listed_ids(as_guest.get("/images").await).contains(&id));
    assert!(listed_ids(as_guest.get("/images?member_status=pending").await).contains(&id));
    let member_path = format!("{members}/{guest_project}");
    let accept = json!({"status": "accepted"});
    let by_owner = as_owner.put(&member_path, accept.clone()).await;
    assert_eq!(
        by_owner.status, 403,
        "the owner cannot answer for the member"
    );
    let accepted = as_guest.put(&member_path, accept).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert!(listed_ids(as_guest.get("/images").await).contains(&id));
    let listed_members = as_owner.get(&members).await;
    assert_eq!(listed_members.body["members"][0]["status"], "accepted");
    assert_eq!(listed_members.body["schema"], "/v2/schemas/members");
    let removed = as_owner.delete(&member_path).await;
    assert_eq!(removed.status, 204);
    assert_eq!(as_guest.get(&image).await.status, 404);
    for name in ["image", "images", "member", "members"] {
        let schema = as_owner.get(&format!("/schemas/{name}")).await;
        assert_eq!(schema.body["name"], name);
    }
}

#[tokio::test]
async fn uploaded_data_is_served_back() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let glance = cloud.glance_as(&token);
    let id = raw_image(&glance, "d").await;
    let path = format!("/image/v2/images/{id}/file");
    let empty = cloud.get(&token, &path).await;
    assert_eq!(empty.status, 204);
    let data: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
    assert_eq!(upload(&cloud, &token, &id, data.clone()).await, 204);
    cloud.wait_image(&token, &id, "active").await;
    let shown = glance.get(&format!("/images/{id}")).await;
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
    let glance = cloud.glance_as(&token);
    let mut ids = Vec::new();
    for (name, bytes, hidden) in [("a", 300, false), ("b", 100, false), ("c", 200, true)] {
        let created = create(
            &glance,
            json!({"name": name, "disk_format": "raw", "container_format": "bare", "os_hidden": hidden}),
        )
        .await;
        let id = created.body["id"].as_str().unwrap().to_string();
        assert_eq!(upload(&cloud, &token, &id, vec![0u8; bytes]).await, 204);
        ids.push(id);
    }
    let names = |answer: Answer| -> Vec<String> {
        answer.body["images"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["name"] != BASE_IMAGE)
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list = |query: &str| {
        let path = format!("/images{query}");
        let glance = &glance;
        async move { glance.get(&path).await }
    };
    for (query, listed) in [
        ("?sort=size:desc", &["a", "b"][..]),
        ("?sort_key=name&sort_dir=asc", &["a", "b"]),
        ("?sort=size:asc", &["b", "a"]),
        ("?size_min=150&size_max=400", &["a"]),
        ("?size=100", &["b"]),
        ("?os_hidden=true", &["c"]),
    ] {
        assert_eq!(names(list(query).await), listed, "{query}");
    }
    assert_eq!(list("?sort=colour:asc").await.status, 400);
    let unhide = glance
        .header("Content-Type", PATCH_V21)
        .patch(
            &format!("/images/{}", ids[2]),
            json!([{"op": "replace", "path": "/os_hidden", "value": false}]),
        )
        .await;
    assert_eq!(unhide.status, 200, "{}", unhide.text);
    assert_eq!(names(list("?sort=name:asc").await), ["a", "b", "c"]);
}

#[tokio::test]
async fn create_and_update_rules_formats_reserved_owner_tags_and_deactivation() {
    let (cloud, admin, _, token, project) = start_with_project("rules").await;
    let glance = cloud.glance_as(&token);
    let by_admin = cloud.glance_as(&admin);
    for (image, status) in [
        (json!({"disk_format": "floppy"}), 400),
        (json!({"container_format": "crate"}), 400),
        (json!({"os_glance_foo": "x"}), 403),
        (json!({"owner": "someone-else"}), 403),
    ] {
        let refused = create(&glance, image.clone()).await;
        assert_eq!(refused.status, status, "{image}");
    }
    let for_tenant = create(&by_admin, json!({"name": "given", "owner": project})).await;
    assert_eq!(for_tenant.status, 201, "{}", for_tenant.text);
    assert_eq!(for_tenant.body["owner"], project.as_str());
    let given = format!("/images/{}", for_tenant.body["id"].as_str().unwrap());
    assert_eq!(
        by_admin.get(&given).await.status,
        200,
        "the cloud admin sees any image"
    );
    assert_eq!(glance.get(&given).await.status, 200);
    assert_eq!(
        by_admin.delete(&given).await.status,
        204,
        "the cloud admin deletes any image"
    );

    let id = raw_image(&glance, "t").await;
    let image = format!("/images/{id}");
    let reserved = glance
        .header("Content-Type", PATCH_V21)
        .patch(
            &image,
            json!([{"op": "add", "path": "/os_glance_x", "value": "1"}]),
        )
        .await;
    assert_eq!(reserved.status, 403);
    let tag = format!("{image}/tags/blue");
    let tagged = glance.send(Method::PUT, &tag, None).await;
    assert_eq!(tagged.status, 204);
    let shown = glance.get(&image).await;
    assert_eq!(shown.body["tags"], json!(["blue"]));
    assert_eq!(glance.delete(&tag).await.status, 204);
    assert_eq!(glance.delete(&tag).await.status, 404);

    let action = |verb: &str| {
        let path = format!("{image}/actions/{verb}");
        let glance = &glance;
        async move { glance.send(Method::POST, &path, None).await }
    };
    assert_eq!(
        action("deactivate").await.status,
        403,
        "only an active image"
    );
    assert_eq!(upload(&cloud, &token, &id, vec![1u8; 10]).await, 204);
    cloud.wait_image(&token, &id, "active").await;
    assert_eq!(action("deactivate").await.status, 204);
    let file = format!("{image}/file");
    assert_eq!(glance.get(&file).await.status, 403);
    assert_eq!(glance.get(&image).await.body["status"], "deactivated");
    assert_eq!(action("reactivate").await.status, 204);
    assert_eq!(glance.get(&file).await.status, 200);
}
