//! Nova's administrative APIs a VNFM's installer calls: flavors (create, access, extra specs,
//! delete), key pairs per microversion, server groups honoured by the scheduler, availability
//! zones, extensions, the admin-only server attributes, and Nova's boot refusals.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_as_admin, start_cloud, Session, TestCloud};

/// A member of a new project `name` (token, project id, user id).
async fn member(cloud: &TestCloud, name: &str) -> (String, String) {
    cloud.control().create_project(name).await.unwrap();
    let user = format!("{name}-member");
    cloud
        .anonymous()
        .post(
            "/_sim/users",
            json!({"name": user, "password": "pw", "projects": [name], "roles": ["member"]}),
        )
        .await;
    let answer = cloud
        .authenticate(
            json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": user, "domain": {"id": "default"}, "password": "pw"}}},
                "scope": {"project": {"name": name, "domain": {"id": "default"}}}}}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let project = answer.body["token"]["project"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (answer.header("x-subject-token"), project)
}

#[tokio::test]
async fn devstack_flavors_are_there_and_the_admin_makes_a_private_one_with_extra_specs() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let admin_nova = cloud.nova_as(&admin, "2.1");
    let (token, project) = member(&cloud, "tenant").await;
    let nova = cloud.nova_as(&token, "2.1");

    let listed = nova.get("/flavors").await;
    let ids = support::field_of_each(&listed.body["flavors"], "id");
    assert_eq!(ids, ["1", "2", "3", "4", "5", "c1", "d1", "d2", "d3", "d4"]);

    let body = json!({"flavor": {"name": "vdu-small", "ram": 1024, "vcpus": 2, "disk": 10,
        "os-flavor-access:is_public": false, "rxtx_factor": 1.5, "description": "for VDU1"}});
    let refused = nova.at("2.55").post("/flavors", body.clone()).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.body,
        json!({"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed."}})
    );
    let made = admin_nova.at("2.55").post("/flavors", body.clone()).await;
    assert_eq!(made.status, 200, "{}", made.text);
    let flavor = &made.body["flavor"];
    assert_eq!(flavor["os-flavor-access:is_public"], false);
    assert_eq!(flavor["rxtx_factor"], 1.5);
    assert_eq!(flavor["description"], "for VDU1");
    let id = flavor["id"].as_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    let twice = admin_nova.at("2.55").post("/flavors", body).await;
    assert_eq!(twice.status, 409);

    // Private: the tenant does not see it until the admin shares it.
    let hidden = nova.get(&format!("/flavors/{id}")).await;
    assert_eq!(hidden.status, 404);
    let action = |add: bool| {
        let key = if add {
            "addTenantAccess"
        } else {
            "removeTenantAccess"
        };
        json!({ key: {"tenant": project} })
    };
    let shared = admin_nova
        .post(&format!("/flavors/{id}/action"), action(true))
        .await;
    assert_eq!(shared.status, 200, "{}", shared.text);
    assert_eq!(
        shared.body,
        json!({"flavor_access": [{"flavor_id": id, "tenant_id": project}]})
    );
    let again = admin_nova
        .post(&format!("/flavors/{id}/action"), action(true))
        .await;
    assert_eq!(again.status, 409);
    let seen = nova.get("/flavors/detail").await;
    assert!(seen.body["flavors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id.as_str()));
    let public = admin_nova.get("/flavors/1/os-flavor-access").await;
    assert_eq!(public.status, 404);

    // Extra specs: the admin sets them, everyone reads them (from 2.61 in the flavor too).
    let specs = json!({"extra_specs": {"hw:cpu_policy": "dedicated", "hw:mem_page_size": "large"}});
    let set = nova
        .post(&format!("/flavors/{id}/os-extra_specs"), specs.clone())
        .await;
    assert_eq!(set.status, 403);
    let set = admin_nova
        .post(&format!("/flavors/{id}/os-extra_specs"), specs.clone())
        .await;
    assert_eq!(set.body, specs);
    let one = nova
        .get(&format!("/flavors/{id}/os-extra_specs/hw:cpu_policy"))
        .await;
    assert_eq!(one.body, json!({"hw:cpu_policy": "dedicated"}));
    let mismatch = admin_nova
        .put(
            &format!("/flavors/{id}/os-extra_specs/hw:cpu_policy"),
            json!({"hw:mem_page_size": "small"}),
        )
        .await;
    assert_eq!(mismatch.status, 400);
    let page_size = format!("/flavors/{id}/os-extra_specs/hw:mem_page_size");
    let deleted = admin_nova.delete(&page_size).await;
    assert_eq!(deleted.status, 200);
    let missing = admin_nova.get(&page_size).await;
    assert_eq!(missing.status, 404);
    let shown = nova.at("2.61").get(&format!("/flavors/{id}")).await;
    assert_eq!(
        shown.body["flavor"]["extra_specs"],
        json!({"hw:cpu_policy": "dedicated"})
    );

    // A server booted with it shows its extra specs from 2.47.
    let server = nova.at("2.47").post("/servers", json!({"server": {
        "name": "vm", "flavorRef": id, "imageRef": cloud.base_image(&token).await, "networks": "none"}})).await;
    assert_eq!(server.status, 202, "{}", server.text);
    let server_id = server.body["server"]["id"].as_str().unwrap().to_string();
    let view = nova.at("2.47").get(&format!("/servers/{server_id}")).await;
    assert_eq!(
        view.body["server"]["flavor"]["extra_specs"],
        json!({"hw:cpu_policy": "dedicated"})
    );

    let removed = admin_nova
        .post(&format!("/flavors/{id}/action"), action(false))
        .await;
    assert_eq!(removed.body, json!({"flavor_access": []}));
    let flavor = format!("/flavors/{id}");
    let last_calls = [
        ("the member deletes", &token, Method::DELETE, 403),
        ("the admin deletes", &admin, Method::DELETE, 202),
        ("the admin shows", &admin, Method::GET, 404),
    ];
    for (case, caller, method, status) in last_calls {
        let answer = cloud
            .nova_as(caller, "2.1")
            .send(method, &flavor, None)
            .await;
        assert_eq!(answer.status, status, "{case}: {}", answer.text);
    }
}

#[tokio::test]
async fn key_pairs_are_generated_or_imported_per_user_as_each_microversion_shows_them() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = member(&cloud, "keys").await;
    let nova = cloud.nova_as(&token, "2.1");
    let generated = nova
        .post("/os-keypairs", json!({"keypair": {"name": "vnf-key"}}))
        .await;
    assert_eq!(generated.status, 200, "{}", generated.text);
    let pair = &generated.body["keypair"];
    assert!(pair["private_key"]
        .as_str()
        .unwrap()
        .contains("PRIVATE KEY"));
    assert!(pair["public_key"]
        .as_str()
        .unwrap()
        .starts_with("ssh-ed25519 "));
    assert!(pair.get("type").is_none());
    let public_key = pair["public_key"].as_str().unwrap().to_string();
    let fingerprint = pair["fingerprint"].as_str().unwrap().to_string();

    let imported = nova
        .at("2.2")
        .post(
            "/os-keypairs",
            json!({"keypair": {"name": "imported", "public_key": public_key}}),
        )
        .await;
    assert_eq!(imported.status, 201);
    assert_eq!(imported.body["keypair"]["type"], "ssh");
    assert_eq!(
        imported.body["keypair"]["fingerprint"],
        fingerprint.as_str()
    );
    assert!(imported.body["keypair"].get("private_key").is_none());
    let refusals = [
        ("a duplicate", "2.2", json!({"name": "imported"}), 409),
        (
            "a garbage key",
            "2.2",
            json!({"name": "bad", "public_key": "not a key"}),
            400,
        ),
        (
            "a generation from 2.92",
            "2.92",
            json!({"name": "gen"}),
            400,
        ),
        (
            "another user's",
            "2.10",
            json!({"name": "theirs", "user_id": "someone-else"}),
            403,
        ),
    ];
    for (case, version, keypair, status) in refusals {
        let refused = cloud
            .nova_as(&token, version)
            .post("/os-keypairs", json!({ "keypair": keypair }))
            .await;
        assert_eq!(refused.status, status, "{case}: {}", refused.text);
    }

    let paged = nova.at("2.35").get("/os-keypairs?limit=1").await;
    assert_eq!(paged.body["keypairs"].as_array().unwrap().len(), 1);
    assert!(paged.body["keypairs_links"][0]["href"]
        .as_str()
        .unwrap()
        .contains("marker=imported"));
    let shown = nova.at("2.2").get("/os-keypairs/vnf-key").await;
    assert_eq!(shown.body["keypair"]["fingerprint"], fingerprint.as_str());
    assert_eq!(shown.body["keypair"]["deleted"], false);

    // Another user of another project does not see them.
    let (stranger, _) = member(&cloud, "elsewhere").await;
    let theirs = cloud.nova_as(&stranger, "2.1").get("/os-keypairs").await;
    assert_eq!(theirs.body["keypairs"], json!([]));
    let unknown_key = cloud.nova_as(&stranger, "2.1").post("/servers", json!({"server": {
        "name": "vm", "flavorRef": "1", "imageRef": cloud.base_image(&stranger).await, "key_name": "vnf-key"}})).await;
    unknown_key.assert_error(400, "badRequest", "Invalid key_name provided.");
    let with_key = nova.post("/servers", json!({"server": {
        "name": "vm", "flavorRef": "1", "imageRef": cloud.base_image(&token).await, "key_name": "vnf-key"}})).await;
    assert_eq!(with_key.status, 202, "{}", with_key.text);

    assert_eq!(nova.delete("/os-keypairs/vnf-key").await.status, 202);
    assert_eq!(
        nova.at("2.2").delete("/os-keypairs/imported").await.status,
        204
    );
    assert_eq!(
        nova.at("2.2").get("/os-keypairs/imported").await.status,
        404
    );
}

/// `POST /os-server-groups` of `body` through `nova`.
async fn group(nova: &Session<'_>, body: Value) -> support::Answer {
    nova.post("/os-server-groups", json!({ "server_group": body }))
        .await
}

#[tokio::test]
async fn anti_affinity_spreads_servers_over_the_hosts_and_refuses_one_too_many() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = member(&cloud, "grouped").await;
    let nova = cloud.nova_as(&token, "2.1");
    let (admin, _) = cloud.token("admin").await;
    let admin_nova = cloud.nova_as(&admin, "2.1");
    let old = group(
        &nova,
        json!({"name": "legacy", "policies": ["anti-affinity"]}),
    )
    .await;
    assert_eq!(old.status, 200, "{}", old.text);
    assert_eq!(
        old.body["server_group"]["policies"],
        json!(["anti-affinity"])
    );
    assert!(old.body["server_group"].get("project_id").is_none());
    let refusals = [
        (
            "soft anti-affinity before 2.15",
            "2.14",
            json!({"name": "s", "policies": ["soft-anti-affinity"]}),
        ),
        (
            "rules on affinity",
            "2.64",
            json!({"name": "a", "policy": "affinity", "rules": {"max_server_per_host": 2}}),
        ),
    ];
    for (case, version, body) in refusals {
        let refused = group(&cloud.nova_as(&token, version), body).await;
        assert_eq!(refused.status, 400, "{case}: {}", refused.text);
    }
    let made = group(
        &nova.at("2.64"),
        json!({"name": "vdus", "policy": "anti-affinity"}),
    )
    .await;
    assert_eq!(made.status, 200);
    assert_eq!(made.body["server_group"]["policy"], "anti-affinity");
    assert_eq!(made.body["server_group"]["rules"], json!({}));
    let group_id = made.body["server_group"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let image = cloud.base_image(&token).await;
    let mut servers = Vec::new();
    for n in 1..=3 {
        let booted = cloud.as_user(&token).header("OpenStack-API-Version", "compute 2.71").post("/compute/v2.1/servers", json!({"server": {"name": format!("vnfc-{n}"), "flavorRef": "1", "imageRef": image, "networks": "none"},
                    "os:scheduler_hints": {"group": group_id}}))
            .await;
        assert_eq!(booted.status, 202, "{}", booted.text);
        servers.push(booted.body["server"]["id"].as_str().unwrap().to_string());
    }
    let first = cloud.wait_server(&token, &servers[0], "ACTIVE").await;
    cloud.wait_server(&token, &servers[1], "ACTIVE").await;
    assert!(
        first.get("OS-EXT-SRV-ATTR:host").is_none(),
        "not shown to a member"
    );
    let third = cloud.wait_server(&token, &servers[2], "ERROR").await;
    assert_eq!(
        third["fault"]["message"],
        "No valid host was found. There are not enough hosts available."
    );

    let mut hosts = Vec::new();
    for id in &servers[..2] {
        let shown = admin_nova.at("2.71").get(&format!("/servers/{id}")).await;
        let server = &shown.body["server"];
        assert_eq!(server["server_groups"], json!([group_id]));
        assert_eq!(server["host_status"], "UP");
        assert_eq!(
            server["OS-EXT-SRV-ATTR:hypervisor_hostname"],
            server["OS-EXT-SRV-ATTR:host"]
        );
        hosts.push(server["OS-EXT-SRV-ATTR:host"].as_str().unwrap().to_string());
    }
    assert_ne!(hosts[0], hosts[1]);
    let shown = nova
        .at("2.64")
        .get(&format!("/os-server-groups/{group_id}"))
        .await;
    assert_eq!(
        shown.body["server_group"]["members"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let unknown = cloud
        .as_user(&token)
        .post(
            "/compute/v2.1/servers",
            json!({"server": {"name": "x", "flavorRef": "1", "imageRef": image},
                "os:scheduler_hints": {"group": uuid::Uuid::new_v4().to_string()}}),
        )
        .await;
    assert_eq!(unknown.status, 400);

    // Affinity keeps its members together.
    let together = group(
        &nova.at("2.64"),
        json!({"name": "pair", "policy": "affinity"}),
    )
    .await;
    let together_id = together.body["server_group"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut placed = Vec::new();
    for n in 1..=2 {
        let booted = cloud
            .as_user(&token)
            .post(
                "/compute/v2.1/servers",
                json!({"server": {"name": format!("pair-{n}"), "flavorRef": "1", "imageRef": image},
                    "os:scheduler_hints": {"group": together_id}}),
            )
            .await;
        let id = booted.body["server"]["id"].as_str().unwrap().to_string();
        cloud.wait_server(&token, &id, "ACTIVE").await;
        let shown = admin_nova.get(&format!("/servers/{id}")).await;
        placed.push(shown.body["server"]["OS-EXT-SRV-ATTR:host"].clone());
    }
    assert_eq!(placed[0], placed[1]);

    let limits = nova.get("/limits").await;
    assert_eq!(
        limits.body["limits"]["absolute"]["totalServerGroupsUsed"],
        3
    );
    assert_eq!(
        nova.delete(&format!("/os-server-groups/{group_id}"))
            .await
            .status,
        204
    );
    assert_eq!(
        nova.get(&format!("/os-server-groups/{group_id}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn zones_extensions_and_the_admin_view_of_servers() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = member(&cloud, "viewer").await;
    let nova = cloud.nova_as(&token, "2.1");
    let (admin, _) = cloud.token("admin").await;
    let admin_nova = cloud.nova_as(&admin, "2.1");
    let detail = nova.get("/os-availability-zone/detail").await;
    assert_eq!(detail.status, 403);
    let detail = admin_nova.get("/os-availability-zone/detail").await;
    let zones = detail.body["availabilityZoneInfo"].as_array().unwrap();
    let nova_zone = zones.iter().find(|z| z["zoneName"] == "nova").unwrap();
    assert!(nova_zone["hosts"]["compute-1"]["nova-compute"]["available"]
        .as_bool()
        .unwrap());

    let extensions = nova.get("/extensions").await;
    let aliases = support::field_of_each(&extensions.body["extensions"], "alias");
    assert!(aliases.contains(&"os-keypairs") && aliases.contains(&"os-server-groups"));
    let one = nova.get("/extensions/os-keypairs").await;
    assert_eq!(one.body["extension"]["name"], "Keypairs");

    let image = cloud.base_image(&token).await;
    let booted = nova
        .post(
            "/servers",
            json!({"server": {"name": "Web Server 1", "flavorRef": "1", "imageRef": image}}),
        )
        .await;
    let id = booted.body["server"]["id"].as_str().unwrap().to_string();
    cloud.wait_server(&token, &id, "ACTIVE").await;
    let all = nova.get("/servers/detail?all_tenants=1").await;
    assert_eq!(all.status, 403);
    let all = admin_nova
        .at("2.15")
        .get("/servers/detail?all_tenants=1")
        .await;
    let server = all.body["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.as_str())
        .unwrap()
        .clone();
    assert!(server["OS-EXT-SRV-ATTR:host"]
        .as_str()
        .unwrap()
        .starts_with("compute-"));
    assert_eq!(server["OS-EXT-SRV-ATTR:hostname"], "web-server-1");
    assert!(
        server.get("host_status").is_none(),
        "host_status comes with 2.16"
    );
    let at_216 = admin_nova.at("2.16").get(&format!("/servers/{id}")).await;
    assert_eq!(at_216.body["server"]["host_status"], "UP");
    let at_21 = admin_nova.get(&format!("/servers/{id}")).await;
    assert!(at_21.body["server"]
        .get("OS-EXT-SRV-ATTR:hostname")
        .is_none());
    assert!(at_21.body["server"]
        .get("OS-EXT-SRV-ATTR:instance_name")
        .is_some());
}

#[tokio::test]
async fn nova_refuses_to_boot_from_a_volume_that_is_not_bootable() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let blank = cloud.volume(&token, &project, 1, "blank").await;
    let refused = cloud.nova_as(&token, "2.1").post("/servers", json!({"server": {
        "name": "bfv", "flavorRef": "1", "block_device_mapping_v2": [
            {"boot_index": 0, "uuid": blank, "source_type": "volume", "destination_type": "volume"}]}})).await;
    refused.assert_error(
        400,
        "badRequest",
        format!("Block Device {blank} is not bootable."),
    );
    cloud.set_bootable(&token, &blank).await;
    let booted = cloud.volume_server(&token, "bfv", &[&blank]).await;
    cloud.wait_server(&token, &booted, "ACTIVE").await;
}

#[tokio::test]
async fn server_metadata_is_merged_replaced_and_deleted_item_by_item() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, _) = member(&cloud, "meta").await;
    let nova = cloud.nova_as(&token, "2.1");
    let id = cloud.image_server(&token, "vm").await;
    let path = format!("/servers/{id}/metadata");
    let merged = nova
        .post(&path, json!({"metadata": {"role": "db", "tier": "1"}}))
        .await;
    assert_eq!(
        merged.body,
        json!({"metadata": {"role": "db", "tier": "1"}})
    );
    let replaced = nova.put(&path, json!({"metadata": {"vdu": "VDU1"}})).await;
    assert_eq!(replaced.body, json!({"metadata": {"vdu": "VDU1"}}));
    let item = format!("{path}/vdu");
    let mismatch = nova.put(&item, json!({"meta": {"other": "x"}})).await;
    mismatch.assert_error(400, "badRequest", "Request body and URI mismatch");
    let set = nova.put(&item, json!({"meta": {"vdu": "VDU2"}})).await;
    assert_eq!(set.body, json!({"meta": {"vdu": "VDU2"}}));
    let shown = nova.get(&format!("/servers/{id}")).await;
    assert_eq!(shown.body["server"]["metadata"], json!({"vdu": "VDU2"}));
    assert_eq!(nova.delete(&item).await.status, 204);
    let gone = nova.get(&item).await;
    gone.assert_error(404, "itemNotFound", "Metadata item was not found");
    let too_many: serde_json::Map<String, Value> =
        (0..129).map(|n| (format!("k{n}"), json!("v"))).collect();
    let refused = nova.post(&path, json!({"metadata": too_many})).await;
    assert_eq!(refused.status, 403);
}
