//! Neutron: discovery and catalog, networks, subnets, ports (IP allocation and its refusals),
//! security groups, project scoping, list queries, fault rules and the control API; Nova on
//! Neutron: booting on a network or a port, addresses, `/ips`, `os-interface`, security group
//! actions, and what happens to ports when a server is deleted.

mod support;

use serde_json::{json, Value};
use simulator::openstack::{
    clock::TimeProfile,
    faults::{FaultEffect, FaultMatch, FaultRule, Trigger},
    service::Service,
};
use support::{start_as_admin, start_cloud, start_with_project, Answer, Session, TestCloud};

const NET: &str = "/networking/v2.0";

/// Creates one resource of `collection`; returns its view.
async fn create(neutron: &Session<'_>, collection: &str, body: Value) -> Value {
    let answer = neutron.post(&format!("/{collection}"), body).await;
    assert_eq!(answer.status, 201, "{collection}: {}", answer.text);
    let key = answer
        .body
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    answer.body[key].clone()
}

/// A network with one subnet of `cidr`; returns (network id, subnet id).
async fn network_with_subnet(neutron: &Session<'_>, name: &str, cidr: &str) -> (String, String) {
    let network = create(neutron, "networks", json!({"network": {"name": name}})).await;
    let id = network["id"].as_str().unwrap().to_string();
    let subnet = json!({"subnet": {"network_id": id, "cidr": cidr, "ip_version": 4}});
    let subnet = create(neutron, "subnets", subnet).await;
    (id, subnet["id"].as_str().unwrap().to_string())
}

/// Starts a cloud as the admin with a network `private` of 10.0.0.0/24: the cloud, the admin's
/// token, the network's and the subnet's ids.
async fn start_on_private_network() -> (TestCloud, String, String, String) {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let (network, subnet) = network_with_subnet(&neutron, "private", "10.0.0.0/24").await;
    (cloud, token, network, subnet)
}

fn neutron_error(answer: &Answer, status: u16, kind: &str) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(answer.body["NeutronError"]["type"], kind, "{}", answer.text);
    assert!(answer.body["NeutronError"]["message"].is_string());
    assert_eq!(answer.body["NeutronError"]["detail"], "");
}

/// Each `(body, status, type)` posted to `collection` is refused with that Neutron error.
async fn refused(neutron: &Session<'_>, collection: &str, cases: &[(Value, u16, &str)]) {
    for (body, status, kind) in cases {
        let answer = neutron.post(&format!("/{collection}"), body.clone()).await;
        neutron_error(&answer, *status, kind);
    }
}

async fn boot(cloud: &TestCloud, token: &str, networks: Value) -> Answer {
    let image = cloud.base_image(token).await;
    cloud
        .nova_as(token, "2.37")
        .post(
            "/servers",
            json!({"server": {"name": "vm", "flavorRef": "1", "imageRef": image, "networks": networks}}),
        )
        .await
}

#[tokio::test]
async fn version_documents_and_catalog_entry() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let anonymous = cloud.anonymous();
    let root = anonymous.get("/networking").await;
    assert_eq!(root.status, 200);
    assert_eq!(root.body["versions"][0]["id"], "v2.0");
    assert_eq!(root.body["versions"][0]["status"], "CURRENT");
    assert_eq!(
        root.body["versions"][0]["links"][0]["href"],
        format!("{}/networking/v2.0/", cloud.base)
    );
    let v20 = anonymous.get(NET).await;
    let collections = support::field_of_each(&v20.body["resources"], "collection");
    assert!(collections.contains(&"networks") && collections.contains(&"ports"));
    let auth = anonymous
        .post(
            "/identity/v3/auth/tokens",
            support::password_auth("admin", "admin"),
        )
        .await;
    let network = auth.body["token"]["catalog"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "network")
        .expect("a network entry")
        .clone();
    assert_eq!(network["name"], "neutron");
    assert_eq!(
        network["endpoints"][0]["url"],
        format!("{}/networking", cloud.base)
    );
    let (token, _) = cloud.token("admin").await;
    let extensions = cloud.neutron_as(&token).get("/extensions").await;
    assert!(extensions.body["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["alias"] == "security-group"));
    let unauthenticated = anonymous.get(&format!("{NET}/networks")).await;
    assert_eq!(unauthenticated.status, 401);
}

#[tokio::test]
async fn network_crud_with_neutron_errors() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let network = create(
        &neutron,
        "networks",
        json!({"network": {"name": "net-a", "description": "first"}}),
    )
    .await;
    assert_eq!(network["status"], "ACTIVE");
    assert_eq!(network["admin_state_up"], true);
    assert_eq!(network["shared"], false);
    assert_eq!(network["subnets"], json!([]));
    assert_eq!(network["project_id"], project.as_str());
    assert_eq!(network["tenant_id"], project.as_str());
    assert_eq!(network["revision_number"], 1);
    let id = network["id"].as_str().unwrap();
    let path = format!("/networks/{id}");

    let shown = neutron.get(&path).await;
    assert_eq!(shown.body["network"]["name"], "net-a");
    let fields = neutron.get(&format!("{path}?fields=id&fields=name")).await;
    assert_eq!(fields.body["network"], json!({"id": id, "name": "net-a"}));

    let updated = neutron
        .put(&path, json!({"network": {"name": "net-b"}}))
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(updated.body["network"]["name"], "net-b");
    assert_eq!(updated.body["network"]["revision_number"], 2);

    let unknown = neutron
        .post("/networks", json!({"network": {"color": "red"}}))
        .await;
    neutron_error(&unknown, 400, "HTTPBadRequest");
    assert_eq!(
        unknown.body["NeutronError"]["message"],
        "Unrecognized attribute(s) 'color'"
    );
    let no_body = neutron.post("/networks", json!({})).await;
    neutron_error(&no_body, 400, "HTTPBadRequest");

    assert_eq!(neutron.delete(&path).await.status, 204);
    let gone = neutron.get(&path).await;
    neutron_error(&gone, 404, "NetworkNotFound");
    assert_eq!(
        gone.body["NeutronError"]["message"],
        format!("Network {id} could not be found.")
    );
    neutron_error(&neutron.delete(&path).await, 404, "NetworkNotFound");
}

#[tokio::test]
async fn bulk_create_is_all_or_nothing() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let made = neutron
        .post(
            "/networks",
            json!({"networks": [{"name": "one"}, {"name": "two"}]}),
        )
        .await;
    assert_eq!(made.status, 201);
    assert_eq!(made.body["networks"].as_array().unwrap().len(), 2);
    let refused = neutron
        .post(
            "/networks",
            json!({"networks": [{"name": "three"}, {"mtu": "lots"}]}),
        )
        .await;
    assert_eq!(refused.status, 400);
    let listed = neutron.get("/networks").await;
    assert_eq!(listed.body["networks"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn projects_see_their_own_and_shared_networks() {
    let (cloud, admin, _, member, member_project) = start_with_project("tenant-a").await;
    let as_admin = cloud.neutron_as(&admin);
    let as_member = cloud.neutron_as(&member);
    let shared = create(
        &as_admin,
        "networks",
        json!({"network": {"name": "public-net", "shared": true}}),
    )
    .await;
    let private = create(
        &as_admin,
        "networks",
        json!({"network": {"name": "admin-net"}}),
    )
    .await;
    let own = create(&as_member, "networks", json!({"network": {"name": "own"}})).await;
    assert_eq!(own["project_id"], member_project.as_str());

    let seen = as_member.get("/networks").await;
    let names = support::field_of_each(&seen.body["networks"], "name");
    assert_eq!(names, ["public-net", "own"]);
    let hidden = as_member
        .get(&format!("/networks/{}", private["id"].as_str().unwrap()))
        .await;
    neutron_error(&hidden, 404, "NetworkNotFound");
    let by_admin = as_admin.get("/networks").await;
    assert_eq!(by_admin.body["networks"].as_array().unwrap().len(), 3);
    let shared_only = as_member.get("/networks?shared=true").await;
    assert_eq!(shared_only.body["networks"][0]["id"], shared["id"]);

    refused(
        &as_member,
        "networks",
        &[
            (
                json!({"network": {"name": "mine", "shared": true}}),
                403,
                "PolicyNotAuthorized",
            ),
            (
                json!({"network": {"name": "theirs", "tenant_id": "someone-else"}}),
                403,
                "PolicyNotAuthorized",
            ),
        ],
    )
    .await;
    let not_owner = as_member
        .delete(&format!("/networks/{}", shared["id"].as_str().unwrap()))
        .await;
    neutron_error(&not_owner, 403, "PolicyNotAuthorized");
}

#[tokio::test]
async fn subnets_get_a_gateway_pools_and_their_rules() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let (network, subnet) = network_with_subnet(&neutron, "n", "10.0.0.0/24").await;
    let shown = neutron.get(&format!("/subnets/{subnet}")).await;
    let subnet_view = &shown.body["subnet"];
    assert_eq!(subnet_view["cidr"], "10.0.0.0/24");
    assert_eq!(subnet_view["gateway_ip"], "10.0.0.1");
    assert_eq!(subnet_view["ip_version"], 4);
    assert_eq!(subnet_view["enable_dhcp"], true);
    assert_eq!(
        subnet_view["allocation_pools"],
        json!([{"start": "10.0.0.2", "end": "10.0.0.254"}])
    );
    let network_view = neutron.get(&format!("/networks/{network}")).await;
    assert_eq!(network_view.body["network"]["subnets"], json!([subnet]));

    refused(
        &neutron,
        "subnets",
        &[
            (
                json!({"subnet": {"network_id": network, "cidr": "10.0.0.128/25", "ip_version": 4}}),
                400,
                "InvalidInput",
            ),
            (
                json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/99", "ip_version": 4}}),
                400,
                "HTTPBadRequest",
            ),
            (
                json!({"subnet": {"network_id": network, "cidr": "10.2.0.0/24", "ip_version": 4,
                    "gateway_ip": "10.2.0.5", "allocation_pools": [{"start": "10.2.0.2", "end": "10.2.0.9"}]}}),
                409,
                "GatewayConflictWithAllocationPools",
            ),
            (
                json!({"subnet": {"network_id": "nope", "cidr": "10.3.0.0/24", "ip_version": 4}}),
                404,
                "NetworkNotFound",
            ),
        ],
    )
    .await;
    let no_gateway = create(
        &neutron,
        "subnets",
        json!({"subnet": {"network_id": network, "cidr": "10.1.0.0/29", "ip_version": 4,
            "gateway_ip": null, "dns_nameservers": ["8.8.8.8"]}}),
    )
    .await;
    assert_eq!(no_gateway["gateway_ip"], Value::Null);
    assert_eq!(
        no_gateway["allocation_pools"],
        json!([{"start": "10.1.0.1", "end": "10.1.0.6"}])
    );

    let updated = neutron
        .put(
            &format!("/subnets/{subnet}"),
            json!({"subnet": {"name": "renamed", "gateway_ip": "10.0.0.254",
                "allocation_pools": [{"start": "10.0.0.2", "end": "10.0.0.200"}]}}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["subnet"]["gateway_ip"], "10.0.0.254");

    // A subnet with an allocation cannot go; nor can its network; both can once the port is gone.
    let port = create(&neutron, "ports", json!({"port": {"network_id": network}})).await;
    let in_use = neutron.delete(&format!("/subnets/{subnet}")).await;
    neutron_error(&in_use, 409, "SubnetInUse");
    let network_in_use = neutron.delete(&format!("/networks/{network}")).await;
    neutron_error(&network_in_use, 409, "NetworkInUse");
    let port_id = port["id"].as_str().unwrap();
    assert_eq!(
        neutron.delete(&format!("/ports/{port_id}")).await.status,
        204
    );
    assert_eq!(
        neutron.delete(&format!("/networks/{network}")).await.status,
        204
    );
    let subnet_gone = neutron.get(&format!("/subnets/{subnet}")).await;
    neutron_error(&subnet_gone, 404, "SubnetNotFound");
}

#[tokio::test]
async fn ports_get_addresses_from_their_subnet_or_as_asked() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let (network, subnet) = network_with_subnet(&neutron, "n", "10.0.0.0/29").await;
    let first = create(
        &neutron,
        "ports",
        json!({"port": {"network_id": network, "name": "p1"}}),
    )
    .await;
    assert_eq!(first["status"], "DOWN");
    assert_eq!(first["device_id"], "");
    assert_eq!(first["device_owner"], "");
    assert_eq!(
        first["fixed_ips"],
        json!([{"subnet_id": subnet, "ip_address": "10.0.0.2"}])
    );
    assert!(first["mac_address"]
        .as_str()
        .unwrap()
        .starts_with("fa:16:3e:"));
    assert_eq!(first["security_groups"].as_array().unwrap().len(), 1);

    let asked = create(
        &neutron,
        "ports",
        json!({"port": {"network_id": network, "fixed_ips": [{"ip_address": "10.0.0.5"}]}}),
    )
    .await;
    assert_eq!(asked["fixed_ips"][0]["ip_address"], "10.0.0.5");
    let taken = neutron
        .post(
            "/ports",
            json!({"port": {"network_id": network, "fixed_ips": [{"subnet_id": subnet, "ip_address": "10.0.0.5"}]}}),
        )
        .await;
    neutron_error(&taken, 409, "IpAddressAlreadyAllocated");
    assert_eq!(
        taken.body["NeutronError"]["message"],
        format!("IP address 10.0.0.5 already allocated in subnet {subnet}")
    );
    let port_with =
        |fixed_ips: Value| json!({"port": {"network_id": network, "fixed_ips": fixed_ips}});
    refused(
        &neutron,
        "ports",
        &[
            (
                port_with(json!([{"ip_address": "10.0.0.1"}])),
                409,
                "IpAddressAlreadyAllocated",
            ),
            (
                port_with(json!([{"subnet_id": subnet, "ip_address": "10.9.0.5"}])),
                400,
                "InvalidIpForSubnet",
            ),
            (
                port_with(json!([{"subnet_id": "other"}])),
                400,
                "InvalidInput",
            ),
            (
                port_with(json!([{"ip_address": "ten"}])),
                400,
                "HTTPBadRequest",
            ),
        ],
    )
    .await;

    // 10.0.0.0/29: .2 to .6 to give, .2 and .5 given; three more, then none.
    let any_port = json!({"port": {"network_id": network}});
    for expected in ["10.0.0.3", "10.0.0.4", "10.0.0.6"] {
        let port = create(&neutron, "ports", any_port.clone()).await;
        assert_eq!(port["fixed_ips"][0]["ip_address"], expected);
    }
    let exhausted = neutron.post("/ports", any_port.clone()).await;
    neutron_error(&exhausted, 409, "IpAddressGenerationFailure");

    let filtered = neutron.get("/ports?fixed_ips=ip_address%3D10.0.0.5").await;
    let ids: Vec<&Value> = filtered.body["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["id"])
        .collect();
    assert_eq!(ids, [&asked["id"]]);
    let by_name = neutron.get("/ports?name=p1").await;
    assert_eq!(by_name.body["ports"].as_array().unwrap().len(), 1);

    // Changing the addresses frees the old ones.
    let port_id = asked["id"].as_str().unwrap();
    let moved = neutron
        .put(
            &format!("/ports/{port_id}"),
            json!({"port": {"fixed_ips": [{"ip_address": "10.0.0.5"}], "name": "kept"}}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["port"]["fixed_ips"][0]["ip_address"], "10.0.0.5");
    let first_path = format!("/ports/{}", first["id"].as_str().unwrap());
    assert_eq!(neutron.delete(&first_path).await.status, 204);
    let reused = create(&neutron, "ports", any_port).await;
    assert_eq!(reused["fixed_ips"][0]["ip_address"], "10.0.0.2");
    let missing = neutron.get(&first_path).await;
    neutron_error(&missing, 404, "PortNotFound");
}

#[tokio::test]
async fn lists_sort_and_page() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    for name in ["b", "c", "a"] {
        create(&neutron, "networks", json!({"network": {"name": name}})).await;
    }
    let sorted = neutron.get("/networks?sort_key=name&sort_dir=desc").await;
    let names = support::field_of_each(&sorted.body["networks"], "name");
    assert_eq!(names, ["c", "b", "a"]);
    let page = neutron.get("/networks?sort_key=name&limit=2").await;
    assert_eq!(page.body["networks"].as_array().unwrap().len(), 2);
    let next = page.body["networks_links"][0]["href"].as_str().unwrap();
    assert!(next.contains("marker="));
    let rest = cloud
        .get(&token, next.strip_prefix(cloud.base.as_str()).unwrap())
        .await;
    assert_eq!(rest.body["networks"][0]["name"], "c");
    assert_eq!(rest.body["networks_links"][0]["rel"], "previous");
    let bad = neutron.get("/networks?colour=red").await;
    neutron_error(&bad, 400, "HTTPBadRequest");
}

#[tokio::test]
async fn security_groups_default_rules_and_refusals() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let listed = neutron.get("/security-groups").await;
    let groups = listed.body["security_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["name"], "default");
    assert_eq!(
        groups[0]["security_group_rules"].as_array().unwrap().len(),
        4
    );
    let default_id = groups[0]["id"].as_str().unwrap().to_string();

    let group = create(
        &neutron,
        "security-groups",
        json!({"security_group": {"name": "web", "description": "web servers"}}),
    )
    .await;
    assert_eq!(group["security_group_rules"].as_array().unwrap().len(), 2);
    let group_id = group["id"].as_str().unwrap();
    let web = json!({"security_group_rule": {"security_group_id": group_id, "direction": "ingress",
        "protocol": "tcp", "port_range_min": 80, "port_range_max": 443, "remote_ip_prefix": "0.0.0.0/0"}});
    let rule = create(&neutron, "security-group-rules", web.clone()).await;
    assert_eq!(rule["ethertype"], "IPv4");
    assert_eq!(rule["port_range_min"], 80);
    refused(
        &neutron,
        "security-group-rules",
        &[
            (web, 409, "SecurityGroupRuleExists"),
            (
                json!({"security_group_rule": {"security_group_id": group_id, "direction": "ingress", "protocol": "bogus"}}),
                400,
                "SecurityGroupRuleInvalidProtocol",
            ),
            (
                json!({"security_group_rule": {"security_group_id": group_id, "direction": "ingress",
                    "protocol": "tcp", "port_range_min": 90, "port_range_max": 80}}),
                400,
                "SecurityGroupInvalidPortRange",
            ),
            (
                json!({"security_group_rule": {"security_group_id": "nope", "direction": "egress"}}),
                404,
                "SecurityGroupNotFound",
            ),
        ],
    )
    .await;
    let rule_path = format!("/security-group-rules/{}", rule["id"].as_str().unwrap());
    let shown = neutron.get(&rule_path).await;
    assert_eq!(shown.body["security_group_rule"]["protocol"], "tcp");
    let group_path = format!("/security-groups/{group_id}");
    let before = neutron.get(&group_path).await.body["security_group"].clone();
    cloud.advance(2.0).await;
    assert_eq!(neutron.delete(&rule_path).await.status, 204);
    // Removing a rule changes its group: a new revision, stamped.
    let after = neutron.get(&group_path).await.body["security_group"].clone();
    assert_eq!(
        after["revision_number"],
        before["revision_number"].as_u64().unwrap() + 1
    );
    assert_ne!(after["updated_at"], before["updated_at"]);
    assert_eq!(after["created_at"], before["created_at"]);
    let second_default = neutron
        .post(
            "/security-groups",
            json!({"security_group": {"name": "default"}}),
        )
        .await;
    assert_eq!(second_default.status, 409);

    // A group in use by a port stays; the default group stays for a member.
    let network = create(&neutron, "networks", json!({"network": {"name": "n"}})).await;
    let port = create(
        &neutron,
        "ports",
        json!({"port": {"network_id": network["id"], "security_groups": [group_id]}}),
    )
    .await;
    assert_eq!(port["security_groups"], json!([group_id]));
    let in_use = neutron
        .delete(&format!("/security-groups/{group_id}"))
        .await;
    neutron_error(&in_use, 409, "SecurityGroupInUse");
    let (member, _) = cloud.project("tenant-b").await;
    let as_member = cloud.neutron_as(&member);
    let member_groups = as_member.get("/security-groups").await;
    let member_default = member_groups.body["security_groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(member_default, default_id);
    let keep_default = as_member
        .delete(&format!("/security-groups/{member_default}"))
        .await;
    neutron_error(&keep_default, 409, "SecurityGroupCannotRemoveDefault");
}

#[tokio::test]
async fn servers_boot_on_a_network_and_show_its_addresses() {
    let (cloud, token, network, subnet) = start_on_private_network().await;
    let nova = cloud.nova_as(&token, "2.1");
    let neutron = cloud.neutron_as(&token);
    let booted = boot(&cloud, &token, json!([{"uuid": network}])).await;
    assert_eq!(booted.status, 202, "{}", booted.text);
    let server_id = booted.body["server"]["id"].as_str().unwrap().to_string();
    let server_path = format!("/servers/{server_id}");

    let ports = neutron.get(&format!("/ports?device_id={server_id}")).await;
    let port = ports.body["ports"][0].clone();
    assert_eq!(port["device_owner"], "compute:nova");
    assert_eq!(port["status"], "ACTIVE");
    assert_eq!(
        port["fixed_ips"],
        json!([{"subnet_id": subnet, "ip_address": "10.0.0.2"}])
    );

    let shown = nova.get(&server_path).await;
    assert_eq!(
        shown.body["server"]["addresses"],
        json!({"private": [{"version": 4, "addr": "10.0.0.2", "OS-EXT-IPS:type": "fixed",
            "OS-EXT-IPS-MAC:mac_addr": port["mac_address"]}]})
    );
    let ips = nova.get(&format!("{server_path}/ips")).await;
    assert_eq!(
        ips.body,
        json!({"addresses": {"private": [{"version": 4, "addr": "10.0.0.2"}]}})
    );
    let one = nova.get(&format!("{server_path}/ips/private")).await;
    assert_eq!(
        one.body,
        json!({"private": [{"version": 4, "addr": "10.0.0.2"}]})
    );
    let interfaces = nova.get(&format!("{server_path}/os-interface")).await;
    assert_eq!(
        interfaces.body["interfaceAttachments"][0]["port_id"],
        port["id"]
    );
    assert_eq!(
        interfaces.body["interfaceAttachments"][0]["net_id"],
        network.as_str()
    );

    let by_ip = nova.get("/servers?ip=10%5C.0%5C.0%5C.2").await;
    assert_eq!(by_ip.body["servers"][0]["id"], server_id.as_str());
    let other_ip = nova.get("/servers?ip=10.9.").await;
    assert_eq!(other_ip.body["servers"], json!([]));

    // Nova's own port goes with the server.
    let deleted = nova.delete(&server_path).await;
    assert_eq!(deleted.status, 204);
    let port_id = port["id"].as_str().unwrap();
    let gone = neutron.get(&format!("/ports/{port_id}")).await;
    neutron_error(&gone, 404, "PortNotFound");
}

#[tokio::test]
async fn a_port_given_at_boot_is_kept_and_released_on_delete() {
    let (cloud, token, network, _) = start_on_private_network().await;
    let neutron = cloud.neutron_as(&token);
    let port = create(
        &neutron,
        "ports",
        json!({"port": {"network_id": network, "fixed_ips": [{"ip_address": "10.0.0.9"}]}}),
    )
    .await;
    let port_id = port["id"].as_str().unwrap();
    let port_path = format!("/ports/{port_id}");
    let booted = boot(&cloud, &token, json!([{"port": port_id}])).await;
    assert_eq!(booted.status, 202, "{}", booted.text);
    let server_id = booted.body["server"]["id"].as_str().unwrap().to_string();
    let bound = neutron.get(&port_path).await;
    assert_eq!(bound.body["port"]["device_id"], server_id.as_str());
    assert_eq!(bound.body["port"]["status"], "ACTIVE");

    let again = boot(&cloud, &token, json!([{"port": port_id}])).await;
    again.assert_error(
        409,
        "conflictingRequest",
        format!("Port {port_id} is still in use."),
    );

    cloud
        .nova_as(&token, "2.1")
        .delete(&format!("/servers/{server_id}"))
        .await;
    let released = neutron.get(&port_path).await;
    assert_eq!(released.status, 200);
    assert_eq!(released.body["port"]["device_id"], "");
    assert_eq!(released.body["port"]["device_owner"], "");
    assert_eq!(released.body["port"]["status"], "DOWN");
    assert_eq!(
        released.body["port"]["fixed_ips"][0]["ip_address"],
        "10.0.0.9"
    );
}

#[tokio::test]
async fn boot_refuses_bad_networks() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let nova = cloud.nova_as(&token, "2.1");
    let image = cloud.base_image(&token).await;
    let missing = nova
        .at("2.37")
        .post(
            "/servers",
            json!({"server": {"name": "vm", "flavorRef": "1", "imageRef": image}}),
        )
        .await;
    assert_eq!(missing.status, 400);
    let unknown = boot(
        &cloud,
        &token,
        json!([{"uuid": "6b0a3f54-7c0e-4d4c-9d44-0b7e1c1e7a11"}]),
    )
    .await;
    unknown.assert_error(
        400,
        "badRequest",
        "Network 6b0a3f54-7c0e-4d4c-9d44-0b7e1c1e7a11 could not be found.",
    );
    let no_network = boot(&cloud, &token, json!("auto")).await;
    assert_eq!(no_network.status, 400);
    let none = boot(&cloud, &token, json!("none")).await;
    assert_eq!(none.status, 202);
    let old_form = nova
        .post(
            "/servers",
            json!({"server": {"name": "vm", "flavorRef": "1", "imageRef": image, "networks": "auto"}}),
        )
        .await;
    assert_eq!(old_form.status, 400);

    let neutron = cloud.neutron_as(&token);
    network_with_subnet(&neutron, "one", "10.0.0.0/24").await;
    let auto = boot(&cloud, &token, json!("auto")).await;
    assert_eq!(auto.status, 202);
    let server_id = auto.body["server"]["id"].as_str().unwrap();
    let shown = nova.get(&format!("/servers/{server_id}")).await;
    assert!(shown.body["server"]["addresses"]["one"].is_array());
    network_with_subnet(&neutron, "two", "10.1.0.0/24").await;
    let ambiguous = boot(&cloud, &token, json!("auto")).await;
    assert_eq!(ambiguous.status, 409);
}

#[tokio::test]
async fn interfaces_attach_and_detach() {
    let (cloud, token, network, _) = start_on_private_network().await;
    let nova = cloud.nova_as(&token, "2.1");
    let neutron = cloud.neutron_as(&token);
    let booted = boot(&cloud, &token, json!("none")).await;
    let server_id = booted.body["server"]["id"].as_str().unwrap().to_string();
    let path = format!("/servers/{server_id}/os-interface");
    let attached = nova
        .post(&path, json!({"interfaceAttachment": {"net_id": network}}))
        .await;
    assert_eq!(attached.status, 200, "{}", attached.text);
    let nova_port = attached.body["interfaceAttachment"]["port_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(attached.body["interfaceAttachment"]["port_state"], "ACTIVE");
    let user_port = create(&neutron, "ports", json!({"port": {"network_id": network}})).await;
    let user_port_id = user_port["id"].as_str().unwrap();
    let second = nova
        .post(
            &path,
            json!({"interfaceAttachment": {"port_id": user_port_id}}),
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let listed = nova.get(&path).await;
    assert_eq!(
        listed.body["interfaceAttachments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    for port in [nova_port.as_str(), user_port_id] {
        let detached = nova.delete(&format!("{path}/{port}")).await;
        assert_eq!(detached.status, 202);
    }
    let nova_gone = neutron.get(&format!("/ports/{nova_port}")).await;
    assert_eq!(nova_gone.status, 404);
    let user_kept = neutron.get(&format!("/ports/{user_port_id}")).await;
    assert_eq!(user_kept.body["port"]["device_id"], "");
    let not_attached = nova.delete(&format!("{path}/{user_port_id}")).await;
    assert_eq!(not_attached.status, 404);
}

#[tokio::test]
async fn server_security_groups_follow_the_actions() {
    let (cloud, token, network, _) = start_on_private_network().await;
    let nova = cloud.nova_as(&token, "2.1");
    let neutron = cloud.neutron_as(&token);
    create(
        &neutron,
        "security-groups",
        json!({"security_group": {"name": "web"}}),
    )
    .await;
    let booted = boot(&cloud, &token, json!([{"uuid": network}])).await;
    let server_id = booted.body["server"]["id"].as_str().unwrap().to_string();
    let server_path = format!("/servers/{server_id}");
    let action_path = format!("{server_path}/action");
    let action = |body: Value| nova.post(&action_path, body);
    for (name, status) in [("web", 202), ("web", 400), ("nope", 404)] {
        let added = action(json!({"addSecurityGroup": {"name": name}})).await;
        assert_eq!(added.status, status, "{name}: {}", added.text);
    }
    let groups = nova.get(&format!("{server_path}/os-security-groups")).await;
    let names = support::field_of_each(&groups.body["security_groups"], "name");
    assert_eq!(names, ["default", "web"]);
    let ports_path = format!("/ports?device_id={server_id}");
    let port = neutron.get(&ports_path).await;
    assert_eq!(
        port.body["ports"][0]["security_groups"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    for name in ["default", "web"] {
        let removed = action(json!({"removeSecurityGroup": {"name": name}})).await;
        assert_eq!(removed.status, 202, "{}", removed.text);
    }
    let shown = nova.get(&server_path).await;
    assert!(shown.body["server"].get("security_groups").is_none());
    let port = neutron.get(&ports_path).await;
    assert_eq!(port.body["ports"][0]["security_groups"], json!([]));
}

#[tokio::test]
async fn faults_calls_and_control_state_know_neutron() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let neutron = cloud.neutron_as(&token);
    let control = cloud.control();
    control
        .add_fault(&FaultRule {
            matcher: FaultMatch {
                service: Some(Service::Neutron),
                operation: Some("networks.create".into()),
                ..FaultMatch::default()
            },
            effect: FaultEffect::Error {
                status: 503,
                message: None,
            },
            trigger: Trigger::Times { count: 1 },
        })
        .await
        .unwrap();
    let refused = neutron
        .post("/networks", json!({"network": {"name": "n"}}))
        .await;
    neutron_error(&refused, 503, "HTTPServiceUnavailable");
    let (network, _) = network_with_subnet(&neutron, "n", "10.0.0.0/24").await;
    create(&neutron, "ports", json!({"port": {"network_id": network}})).await;

    let calls = control
        .calls(Some(Service::Neutron), Some(&project))
        .await
        .unwrap();
    let operations: Vec<&str> = calls.iter().map(|c| c.operation.as_str()).collect();
    assert_eq!(
        operations,
        [
            "networks.create",
            "networks.create",
            "subnets.create",
            "ports.create"
        ]
    );
    let state = control.state().await.unwrap();
    for kind in ["networks", "subnets", "ports", "security_groups"] {
        assert_eq!(state[kind].as_array().unwrap().len(), 1, "{kind}");
    }
    control.reset(Some(&project)).await.unwrap();
    let state = control.state().await.unwrap();
    for kind in ["networks", "subnets", "ports", "security_groups"] {
        assert_eq!(state[kind], json!([]), "{kind}");
    }
}
