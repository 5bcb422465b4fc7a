//! Glance's interoperable image import (info, stage, `glance-direct`, `web-download`, import
//! tasks, fault rules) and metadata definitions (resource types, namespaces and what they
//! hold, the admin's policy), and the schemas Glance publishes.

mod support;

use serde_json::{json, Value};
use simulator::{
    kit::Fault,
    openstack::{clock::TimeProfile, service::Service},
};
use support::{
    eventually, start_as_admin, start_cloud, start_with_project, Answer, Session, TestCloud,
};

/// Calls as the holder of `token`, paths from the root, asking for JSON.
fn json_api<'a>(cloud: &'a TestCloud, token: &str) -> Session<'a> {
    cloud.as_user(token).header("Accept", "application/json")
}

/// A queued image of the caller's with formats set; returns its id.
async fn queued_image(cloud: &TestCloud, token: &str) -> String {
    let created = cloud
        .post(
            token,
            "/image/v2/images",
            json!({"name": "imported", "disk_format": "raw", "container_format": "bare"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(
        created.header("openstack-image-import-methods"),
        "glance-direct,web-download"
    );
    created.body["id"].as_str().unwrap().to_string()
}

/// `PUT /v2/images/{id}/stage` with `data`.
async fn stage(cloud: &TestCloud, token: &str, id: &str, data: &'static [u8]) -> u16 {
    cloud
        .put_octets(token, &format!("/image/v2/images/{id}/stage"), data)
        .await
}

/// `POST /v2/images/{id}/import` with `method`.
async fn import(cloud: &TestCloud, token: &str, id: &str, method: Value) -> Answer {
    json_api(cloud, token)
        .post(
            &format!("/image/v2/images/{id}/import"),
            json!({ "method": method }),
        )
        .await
}

async fn image(cloud: &TestCloud, token: &str, id: &str) -> Value {
    cloud
        .get(token, &format!("/image/v2/images/{id}"))
        .await
        .body
}

async fn tasks(cloud: &TestCloud, token: &str, id: &str) -> Vec<Value> {
    let listed = cloud
        .get(token, &format!("/image/v2/images/{id}/tasks"))
        .await;
    listed.body["tasks"].as_array().unwrap().clone()
}

#[tokio::test]
async fn glance_direct_stages_then_imports_with_a_task() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("tenant").await;
    let info = cloud.get(&token, "/image/v2/info/import").await;
    assert_eq!(
        info.body,
        json!({"import-methods": {"description": "Import methods available.", "type": "array",
               "value": ["glance-direct", "web-download"]}})
    );
    let stores = json_api(&cloud, &token).get("/image/v2/info/stores").await;
    stores.assert_text(404, "Multi backend is not supported at this site.");

    let id = queued_image(&cloud, &token).await;
    let early = import(&cloud, &token, &id, json!({"name": "glance-direct"})).await;
    early.assert_text(
        409,
        "Image needs to be staged before 'glance-direct' method can be used",
    );
    assert_eq!(stage(&cloud, &token, &id, b"some disk").await, 204);
    let staged = image(&cloud, &token, &id).await;
    assert_eq!(
        (&staged["status"], &staged["size"]),
        (&json!("uploading"), &json!(9))
    );
    assert_eq!(stage(&cloud, &token, &id, b"again").await, 409);
    let no_data = cloud
        .get(&token, &format!("/image/v2/images/{id}/file"))
        .await;
    assert_eq!(no_data.status, 204, "staged data is not the image's yet");

    let unknown = import(&cloud, &token, &id, json!({"name": "copy-image"})).await;
    unknown.assert_text(400, "Unknown import method name 'copy-image'.");
    let started = import(&cloud, &token, &id, json!({"name": "glance-direct"})).await;
    assert_eq!(started.status, 202, "{}", started.text);
    let request_id = started.header("x-openstack-request-id");
    let active = eventually(10, "the image active", || async {
        let shown = image(&cloud, &token, &id).await;
        (shown["status"] == "active").then_some(shown)
    })
    .await;
    assert_eq!(active["os_glance_importing_to_stores"], "");
    assert_eq!(active["os_glance_failed_import"], "");
    assert!(
        active.get("os_glance_import_task").is_none(),
        "the lock is dropped"
    );
    let data = cloud
        .get(&token, &format!("/image/v2/images/{id}/file"))
        .await;
    assert_eq!(data.text, "some disk");
    let tasks = tasks(&cloud, &token, &id).await;
    assert_eq!(tasks.len(), 1);
    let task = &tasks[0];
    assert_eq!(task["status"], "success");
    assert_eq!(task["type"], "api_image_import");
    assert_eq!(task["request_id"], request_id.as_str());
    assert_eq!(task["owner"], project.as_str());
    assert_eq!(
        task["input"]["import_req"]["method"]["name"],
        "glance-direct"
    );
    assert_eq!(task["result"], json!({"image_id": id}));
    let again = import(&cloud, &token, &id, json!({"name": "glance-direct"})).await;
    again.assert_text(409, "Image with status active cannot be target for import");

    // The tasks API is the admin's.
    let refused = cloud.get(&token, "/image/v2/tasks").await;
    assert_eq!(refused.status, 403);
    let (admin, _) = cloud.token("admin").await;
    let all = cloud.get(&admin, "/image/v2/tasks").await;
    let task_id = task["id"].as_str().unwrap();
    assert_eq!(all.body["tasks"][0]["id"], task_id);
    assert!(
        all.body["tasks"][0].get("input").is_none(),
        "a list shows stubs"
    );
    let one = cloud
        .get(&admin, &format!("/image/v2/tasks/{task_id}"))
        .await;
    assert_eq!(one.body["image_id"], id.as_str());
    assert_eq!(one.body["self"], format!("/v2/tasks/{task_id}"));
}

#[tokio::test]
async fn web_download_is_filtered_then_fetched_for_real() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.project("tenant").await;
    let id = queued_image(&cloud, &token).await;
    for uri in [
        "http://example.org:8080/disk.img",
        "ftp://example.org/disk.img",
    ] {
        let refused = import(
            &cloud,
            &token,
            &id,
            json!({"name": "web-download", "uri": uri}),
        )
        .await;
        assert_eq!(refused.status, 400, "{uri}");
        assert!(refused.text.contains(&format!(
            "URI for web-download does not pass filtering: {uri}"
        )));
    }
    // A host that does not resolve: the download fails, the image is queued again.
    let started = import(
        &cloud,
        &token,
        &id,
        json!({"name": "web-download", "uri": "http://no-such-host.invalid/disk.img"}),
    )
    .await;
    assert_eq!(started.status, 202, "{}", started.text);
    let failed = eventually(30, "the import task failed", || async {
        let listed = tasks(&cloud, &token, &id).await;
        listed.first().filter(|t| t["status"] == "failure").cloned()
    })
    .await;
    assert!(failed["message"]
        .as_str()
        .unwrap()
        .contains("no-such-host.invalid"));
    let shown = image(&cloud, &token, &id).await;
    assert_eq!(shown["status"], "queued");
    assert!(shown.get("os_glance_import_task").is_none());
}

#[tokio::test]
async fn an_import_fault_puts_the_image_back_to_queued() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.project("tenant").await;
    cloud
        .fault(
            Fault::on(Service::Glance)
                .operation("images.import.create")
                .error_later(),
        )
        .await;
    let id = queued_image(&cloud, &token).await;
    assert_eq!(stage(&cloud, &token, &id, b"disk").await, 204);
    let started = import(&cloud, &token, &id, json!({"name": "glance-direct"})).await;
    assert_eq!(started.status, 202);
    let failed = eventually(10, "the import task failed", || async {
        let listed = tasks(&cloud, &token, &id).await;
        listed.first().filter(|t| t["status"] == "failure").cloned()
    })
    .await;
    assert_eq!(failed["message"], "Import failed (simulated fault)");
    assert_eq!(image(&cloud, &token, &id).await["status"], "queued");
}

#[tokio::test]
async fn schemas_are_glances() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = cloud.project("tenant").await;
    for (path, name) in [
        ("image", "image"),
        ("members", "members"),
        ("metadefs/namespace", "namespace"),
        ("metadefs/namespaces", "namespaces"),
        ("metadefs/resource_type", "resource_type_association"),
        ("metadefs/resource_types", "resource_type_associations"),
        ("metadefs/object", "object"),
        ("metadefs/objects", "objects"),
        ("metadefs/property", "property"),
        ("metadefs/properties", "properties"),
        ("metadefs/tag", "tag"),
        ("metadefs/tags", "tags"),
    ] {
        let schema = cloud
            .get(&token, &format!("/image/v2/schemas/{path}"))
            .await;
        assert_eq!(schema.body["name"], name, "{path}");
    }
    let image = cloud.get(&token, "/image/v2/schemas/image").await;
    assert_eq!(
        image.body["additionalProperties"],
        json!({"type": "string"})
    );
    assert!(image.body["properties"]["status"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("importing")));
    let missing = cloud.get(&token, "/image/v2/schemas/metadefs/nope").await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn metadef_namespaces_are_the_admins_and_public_ones_are_read_by_all() {
    let (cloud, admin, _, member, _) = start_with_project("tenant").await;
    let types = cloud
        .get(&member, "/image/v2/metadefs/resource_types")
        .await;
    let names = support::field_of_each(&types.body["resource_types"], "name");
    assert!(names.contains(&"OS::Glance::Image") && names.contains(&"OS::Nova::Flavor"));

    let body = json!({"namespace": "VNF::Sizing", "display_name": "Sizing", "visibility": "public",
                      "protected": true, "resource_type_associations": [{"name": "OS::Nova::Flavor"}],
                      "properties": {"vnf:tier": {"title": "Tier", "type": "string", "enum": ["gold", "silver"]}},
                      "objects": [{"name": "limits", "properties": {"cores": {"title": "Cores", "type": "integer"}}}],
                      "tags": [{"name": "vnf"}]});
    let refused = json_api(&cloud, &member)
        .post("/image/v2/metadefs/namespaces", body.clone())
        .await;
    refused.assert_text(
        403,
        "You are not authorized to complete add_metadef_namespace action.",
    );
    let created = cloud
        .post(&admin, "/image/v2/metadefs/namespaces", body.clone())
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["self"], "/v2/metadefs/namespaces/VNF::Sizing");
    assert_eq!(
        created.body["properties"]["vnf:tier"]["enum"],
        json!(["gold", "silver"])
    );
    let duplicate = cloud
        .post(&admin, "/image/v2/metadefs/namespaces", body)
        .await;
    assert_eq!(duplicate.status, 409);
    let read_only = cloud
        .post(
            &admin,
            "/image/v2/metadefs/namespaces",
            json!({"namespace": "x", "created_at": "now"}),
        )
        .await;
    assert_eq!(read_only.status, 403);

    // A project reads the public namespace with everything in it.
    let shown = cloud
        .get(&member, "/image/v2/metadefs/namespaces/VNF::Sizing")
        .await;
    assert_eq!(shown.status, 200);
    assert_eq!(
        shown.body["resource_type_associations"][0]["name"],
        "OS::Nova::Flavor"
    );
    assert_eq!(shown.body["objects"][0]["name"], "limits");
    assert_eq!(shown.body["tags"], json!([{"name": "vnf"}]));
    let property = cloud
        .get(
            &member,
            "/image/v2/metadefs/namespaces/VNF::Sizing/properties/vnf:tier",
        )
        .await;
    assert_eq!(
        property.body,
        json!({"name": "vnf:tier", "title": "Tier", "type": "string", "enum": ["gold", "silver"]})
    );
    let protected = json_api(&cloud, &admin)
        .delete("/image/v2/metadefs/namespaces/VNF::Sizing")
        .await;
    protected.assert_text(
        403,
        "Metadata definition namespace VNF::Sizing is protected and cannot be deleted.",
    );

    // Made private, it is the admin project's only.
    let updated = cloud
        .as_user(&admin)
        .put(
            "/image/v2/metadefs/namespaces/VNF::Sizing",
            json!({"namespace": "VNF::Sizing", "visibility": "private", "protected": false}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["visibility"], "private");
    let hidden = cloud
        .get(&member, "/image/v2/metadefs/namespaces/VNF::Sizing")
        .await;
    assert_eq!(hidden.status, 404);
    let listed = cloud.get(&member, "/image/v2/metadefs/namespaces").await;
    assert_eq!(listed.body["namespaces"], json!([]));
    let deleted = cloud
        .delete(&admin, "/image/v2/metadefs/namespaces/VNF::Sizing")
        .await;
    assert_eq!(deleted.status, 204);
}

#[tokio::test]
async fn metadef_objects_properties_tags_and_associations() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let api = cloud.as_user(&admin);
    let ns = "/image/v2/metadefs/namespaces/VNF::Placement";
    let made = api
        .post(
            "/image/v2/metadefs/namespaces",
            json!({"namespace": "VNF::Placement"}),
        )
        .await;
    assert_eq!(made.status, 201);

    let object = api
        .post(
            &format!("{ns}/objects"),
            json!({"name": "pinning", "required": ["policy"]}),
        )
        .await;
    assert_eq!(object.status, 201, "{}", object.text);
    assert_eq!(
        object.body["self"],
        format!("{}/objects/pinning", &ns["/image".len()..])
    );
    let twice = api
        .post(&format!("{ns}/objects"), json!({"name": "pinning"}))
        .await;
    assert_eq!(twice.status, 409);
    let renamed = api
        .put(
            &format!("{ns}/objects/pinning"),
            json!({"name": "cpu-pinning"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "cpu-pinning");
    let old = api.get(&format!("{ns}/objects/pinning")).await;
    assert_eq!(old.status, 404);

    let property = json!({"name": "hw:cpu_policy", "title": "CPU policy", "type": "string", "enum": ["shared", "dedicated"]});
    let properties = format!("{ns}/properties");
    let created = api.post(&properties, property).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let untyped = api
        .post(&properties, json!({"name": "x", "title": "X"}))
        .await;
    assert_eq!(untyped.status, 400);
    let listed = api.get(&properties).await;
    assert_eq!(
        listed.body["properties"]["hw:cpu_policy"]["title"],
        "CPU policy"
    );
    let removed = api.delete(&format!("{ns}/properties/hw:cpu_policy")).await;
    assert_eq!(removed.status, 204);

    let tags = format!("{ns}/tags");
    let made = api
        .post(&tags, json!({"tags": [{"name": "a"}, {"name": "b"}]}))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let repeated = api
        .post(&tags, json!({"tags": [{"name": "c"}, {"name": "C"}]}))
        .await;
    assert_eq!(repeated.status, 409, "tag names are case-insensitive");
    let one = api.post(&format!("{ns}/tags/c"), json!({})).await;
    assert_eq!(one.status, 201);
    let renamed = api.put(&format!("{ns}/tags/c"), json!({"name": "d"})).await;
    assert_eq!(renamed.body["name"], "d");
    let listed = api.get(&tags).await;
    assert_eq!(
        listed.body,
        json!({"tags": [{"name": "a"}, {"name": "b"}, {"name": "d"}]})
    );
    let cleared = api.delete(&tags).await;
    assert_eq!(cleared.status, 204);
    assert_eq!(api.get(&tags).await.body, json!({"tags": []}));

    let associated = api
        .post(
            &format!("{ns}/resource_types"),
            json!({"name": "VNF::Custom", "prefix": "vnf_"}),
        )
        .await;
    assert_eq!(associated.status, 201);
    let types = api.get("/image/v2/metadefs/resource_types").await;
    assert!(
        types.text.contains("VNF::Custom"),
        "a new resource type is made"
    );
    let association = format!("{ns}/resource_types/VNF::Custom");
    // Dissociated once; then there is nothing to dissociate.
    for status in [204, 404] {
        let dissociated = api.delete(&association).await;
        assert_eq!(dissociated.status, status, "{}", dissociated.text);
    }
}
