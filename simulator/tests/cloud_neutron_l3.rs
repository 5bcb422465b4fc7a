//! Neutron beyond networks, subnets and ports: routers (external gateway, interfaces, extra
//! routes), floating IPs and the rules that tie them together, allowed address pairs and port
//! security.

mod support;

use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_as_admin, start_cloud, Answer, TestCloud};

const NET: &str = "/networking/v2.0";

async fn create(cloud: &TestCloud, token: &str, collection: &str, body: Value) -> Value {
    let answer = cloud
        .post(token, &format!("{NET}/{collection}"), body)
        .await;
    assert_eq!(answer.status, 201, "{collection}: {}", answer.text);
    answer
        .body
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone()
}

async fn put(cloud: &TestCloud, token: &str, path: &str, body: Value) -> Answer {
    cloud
        .as_user(token)
        .put(&format!("{NET}/{path}"), body)
        .await
}

fn neutron_error(answer: &Answer, status: u16, kind: &str) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(answer.body["NeutronError"]["type"], kind, "{}", answer.text);
}

/// The admin's external network `public` (172.24.4.0/24); returns its id.
async fn public_network(cloud: &TestCloud, admin: &str) -> String {
    let network = create(
        cloud,
        admin,
        "networks",
        json!({"network": {"name": "public", "router:external": true}}),
    )
    .await;
    let id = network["id"].as_str().unwrap().to_string();
    create(
        cloud,
        admin,
        "subnets",
        json!({"subnet": {"network_id": id, "ip_version": 4, "cidr": "172.24.4.0/24"}}),
    )
    .await;
    id
}

/// A project network with a subnet; returns (network id, subnet id).
async fn private_network(cloud: &TestCloud, token: &str, cidr: &str) -> (String, String) {
    let network = create(
        cloud,
        token,
        "networks",
        json!({"network": {"name": "private"}}),
    )
    .await;
    let id = network["id"].as_str().unwrap().to_string();
    let subnet = create(
        cloud,
        token,
        "subnets",
        json!({"subnet": {"network_id": id, "ip_version": 4, "cidr": cidr}}),
    )
    .await;
    (id, subnet["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn routers_connect_subnets_to_an_external_network_for_floating_ips() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let (member, project) = cloud.project("tenant").await;
    let public = public_network(&cloud, &admin).await;

    // The external network is seen by every project, its subnet is not.
    let external = cloud
        .get(&member, &format!("{NET}/networks?router:external=True"))
        .await;
    assert_eq!(external.body["networks"][0]["id"], public.as_str());
    let subnets = cloud
        .get(&member, &format!("{NET}/subnets?network_id={public}"))
        .await;
    assert_eq!(subnets.body["subnets"], json!([]));

    let (network, subnet) = private_network(&cloud, &member, "10.0.0.0/24").await;
    let snat = cloud
        .post(
            &member,
            &format!("{NET}/routers"),
            json!({"router": {"external_gateway_info": {"network_id": public, "enable_snat": false}}}),
        )
        .await;
    neutron_error(&snat, 403, "PolicyNotAuthorized");
    let not_external = cloud
        .post(
            &member,
            &format!("{NET}/routers"),
            json!({"router": {"external_gateway_info": {"network_id": network}}}),
        )
        .await;
    neutron_error(&not_external, 400, "BadRequest");
    let router = create(
        &cloud,
        &member,
        "routers",
        json!({"router": {"name": "r", "external_gateway_info": {"network_id": public}}}),
    )
    .await;
    let router_id = router["id"].as_str().unwrap().to_string();
    assert_eq!(router["status"], "ACTIVE");
    assert_eq!(
        router["external_gateway_info"]["network_id"],
        public.as_str()
    );
    assert_eq!(router["external_gateway_info"]["enable_snat"], true);
    assert_eq!(
        router["external_gateway_info"]["external_fixed_ips"][0]["ip_address"],
        "172.24.4.2"
    );

    let added = put(
        &cloud,
        &member,
        &format!("routers/{router_id}/add_router_interface"),
        json!({"subnet_id": subnet}),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["subnet_ids"], json!([subnet]));
    assert_eq!(added.body["project_id"], project.as_str());
    let interface_port = added.body["port_id"].as_str().unwrap().to_string();
    let port = cloud
        .get(&member, &format!("{NET}/ports/{interface_port}"))
        .await;
    assert_eq!(
        port.body["port"]["device_owner"],
        "network:router_interface"
    );
    assert_eq!(port.body["port"]["fixed_ips"][0]["ip_address"], "10.0.0.1");
    let by_router = cloud
        .get(&member, &format!("{NET}/ports?device_id={router_id}"))
        .await;
    assert_eq!(by_router.body["ports"].as_array().unwrap().len(), 1);
    let twice = put(
        &cloud,
        &member,
        &format!("routers/{router_id}/add_router_interface"),
        json!({"subnet_id": subnet}),
    )
    .await;
    neutron_error(&twice, 400, "BadRequest");
    let direct = cloud
        .delete(&member, &format!("{NET}/ports/{interface_port}"))
        .await;
    neutron_error(&direct, 409, "ServicePortInUse");
    let busy = cloud
        .delete(&member, &format!("{NET}/routers/{router_id}"))
        .await;
    neutron_error(&busy, 409, "RouterInUse");

    // A floating IP is associated through the router.
    let vm_port = create(
        &cloud,
        &member,
        "ports",
        json!({"port": {"network_id": network}}),
    )
    .await;
    let vm_port_id = vm_port["id"].as_str().unwrap().to_string();
    let floating = create(
        &cloud,
        &member,
        "floatingips",
        json!({"floatingip": {"floating_network_id": public, "port_id": vm_port_id}}),
    )
    .await;
    let floating_id = floating["id"].as_str().unwrap().to_string();
    assert_eq!(floating["router_id"], router_id.as_str());
    assert_eq!(
        floating["fixed_ip_address"],
        vm_port["fixed_ips"][0]["ip_address"]
    );
    assert_eq!(floating["status"], "ACTIVE");
    assert_eq!(floating["floating_ip_address"], "172.24.4.3");

    let in_use = put(
        &cloud,
        &member,
        &format!("routers/{router_id}/remove_router_interface"),
        json!({"subnet_id": subnet}),
    )
    .await;
    neutron_error(&in_use, 409, "RouterInterfaceInUseByFloatingIP");
    let gateway_in_use = put(
        &cloud,
        &member,
        &format!("routers/{router_id}"),
        json!({"router": {"external_gateway_info": {}}}),
    )
    .await;
    neutron_error(
        &gateway_in_use,
        409,
        "RouterExternalGatewayInUseByFloatingIp",
    );

    // A port on a subnet no router connects cannot take it.
    let (_, lonely_subnet) = private_network(&cloud, &member, "10.9.0.0/24").await;
    let lonely_network = cloud
        .get(&member, &format!("{NET}/subnets/{lonely_subnet}"))
        .await;
    let lonely_port = create(
        &cloud,
        &member,
        "ports",
        json!({"port": {"network_id": lonely_network.body["subnet"]["network_id"]}}),
    )
    .await;
    let unreachable = put(
        &cloud,
        &member,
        &format!("floatingips/{floating_id}"),
        json!({"floatingip": {"port_id": lonely_port["id"]}}),
    )
    .await;
    neutron_error(&unreachable, 404, "ExternalGatewayForFloatingIPNotFound");

    // Deleting the port disassociates the floating IP.
    let deleted = cloud
        .delete(&member, &format!("{NET}/ports/{vm_port_id}"))
        .await;
    assert_eq!(deleted.status, 204);
    let shown = cloud
        .get(&member, &format!("{NET}/floatingips/{floating_id}"))
        .await;
    let shown = &shown.body["floatingip"];
    assert_eq!(
        (&shown["port_id"], &shown["router_id"], &shown["status"]),
        (&Value::Null, &Value::Null, &json!("DOWN"))
    );
    assert_eq!(
        cloud
            .delete(&member, &format!("{NET}/floatingips/{floating_id}"))
            .await
            .status,
        204
    );
    let removed = put(
        &cloud,
        &member,
        &format!("routers/{router_id}/remove_router_interface"),
        json!({"subnet_id": subnet}),
    )
    .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(
        cloud
            .delete(&member, &format!("{NET}/routers/{router_id}"))
            .await
            .status,
        204
    );
    let ports = cloud
        .get(&admin, &format!("{NET}/ports?network_id={public}"))
        .await;
    assert_eq!(
        ports.body["ports"],
        json!([]),
        "gateway and floating IP ports are gone"
    );
}

#[tokio::test]
async fn floating_ips_need_an_external_network() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (member, _) = cloud.project("tenant").await;
    let (network, _) = private_network(&cloud, &member, "10.0.0.0/24").await;
    let refused = cloud
        .post(
            &member,
            &format!("{NET}/floatingips"),
            json!({"floatingip": {"floating_network_id": network}}),
        )
        .await;
    neutron_error(&refused, 400, "BadRequest");
    assert_eq!(
        refused.body["NeutronError"]["message"],
        format!("Bad floatingip request: Network {network} is not a valid external network.")
    );
}

#[tokio::test]
async fn extra_routes_need_a_connected_next_hop() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (member, _) = cloud.project("tenant").await;
    let (_, subnet) = private_network(&cloud, &member, "10.0.0.0/24").await;
    let router = create(&cloud, &member, "routers", json!({"router": {"name": "r"}})).await;
    let id = router["id"].as_str().unwrap();
    put(
        &cloud,
        &member,
        &format!("routers/{id}/add_router_interface"),
        json!({"subnet_id": subnet}),
    )
    .await;
    let far = put(
        &cloud,
        &member,
        &format!("routers/{id}"),
        json!({"router": {"routes": [{"destination": "192.168.0.0/24", "nexthop": "10.1.0.5"}]}}),
    )
    .await;
    neutron_error(&far, 400, "InvalidRoutes");
    let near = put(
        &cloud,
        &member,
        &format!("routers/{id}"),
        json!({"router": {"routes": [{"destination": "192.168.0.0/24", "nexthop": "10.0.0.5"}]}}),
    )
    .await;
    assert_eq!(
        near.body["router"]["routes"],
        json!([{"destination": "192.168.0.0/24", "nexthop": "10.0.0.5"}])
    );
    let cleared = put(
        &cloud,
        &member,
        &format!("routers/{id}"),
        json!({"router": {"routes": null}}),
    )
    .await;
    assert_eq!(cleared.body["router"]["routes"], json!([]));
}

#[tokio::test]
async fn allowed_address_pairs_and_port_security() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (member, _) = cloud.project("tenant").await;
    let (network, _) = private_network(&cloud, &member, "10.0.0.0/24").await;
    let port = create(
        &cloud,
        &member,
        "ports",
        json!({"port": {"network_id": network, "allowed_address_pairs": [
            {"ip_address": "10.0.0.100"}, {"ip_address": "10.0.0.128/25", "mac_address": "fa:16:3e:00:00:01"}]}}),
    )
    .await;
    let port_id = port["id"].as_str().unwrap().to_string();
    assert_eq!(
        port["allowed_address_pairs"],
        json!([{"ip_address": "10.0.0.100", "mac_address": port["mac_address"]},
               {"ip_address": "10.0.0.128/25", "mac_address": "fa:16:3e:00:00:01"}])
    );
    let duplicate = cloud
        .post(
            &member,
            &format!("{NET}/ports"),
            json!({"port": {"network_id": network, "allowed_address_pairs": [{"ip_address": "10.0.0.9"}, {"ip_address": "10.0.0.9"}]}}),
        )
        .await;
    neutron_error(&duplicate, 400, "DuplicateAddressPairInRequest");
    let many: Vec<Value> = (1..=11)
        .map(|i| json!({"ip_address": format!("10.0.1.{i}")}))
        .collect();
    let too_many = cloud
        .post(
            &member,
            &format!("{NET}/ports"),
            json!({"port": {"network_id": network, "allowed_address_pairs": many}}),
        )
        .await;
    neutron_error(&too_many, 400, "AllowedAddressPairExhausted");

    // Port security off: first the groups and pairs must go.
    let with_groups = put(
        &cloud,
        &member,
        &format!("ports/{port_id}"),
        json!({"port": {"port_security_enabled": false, "allowed_address_pairs": []}}),
    )
    .await;
    neutron_error(&with_groups, 409, "PortSecurityPortHasSecurityGroup");
    let with_pairs = put(
        &cloud,
        &member,
        &format!("ports/{port_id}"),
        json!({"port": {"port_security_enabled": false, "security_groups": []}}),
    )
    .await;
    neutron_error(&with_pairs, 409, "AddressPairAndPortSecurityRequired");
    let open = put(
        &cloud,
        &member,
        &format!("ports/{port_id}"),
        json!({"port": {"port_security_enabled": false, "security_groups": [], "allowed_address_pairs": []}}),
    )
    .await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert_eq!(open.body["port"]["port_security_enabled"], false);

    let unsecured = create(
        &cloud,
        &member,
        "networks",
        json!({"network": {"name": "open", "port_security_enabled": false}}),
    )
    .await;
    create(
        &cloud,
        &member,
        "subnets",
        json!({"subnet": {"network_id": unsecured["id"], "ip_version": 4, "cidr": "10.5.0.0/24"}}),
    )
    .await;
    let bare = create(
        &cloud,
        &member,
        "ports",
        json!({"port": {"network_id": unsecured["id"]}}),
    )
    .await;
    assert_eq!(
        (&bare["port_security_enabled"], &bare["security_groups"]),
        (&json!(false), &json!([]))
    );
    let groups = cloud.get(&member, &format!("{NET}/security-groups")).await;
    let default_group = groups.body["security_groups"][0]["id"].clone();
    let refused = cloud
        .post(
            &member,
            &format!("{NET}/ports"),
            json!({"port": {"network_id": unsecured["id"], "security_groups": [default_group]}}),
        )
        .await;
    neutron_error(&refused, 400, "PortSecurityAndIPRequiredForSecurityGroups");
}

#[tokio::test]
async fn a_servers_addresses_show_its_floating_ip() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let (member, _) = cloud.project("tenant").await;
    let public = public_network(&cloud, &admin).await;
    let (network, subnet) = private_network(&cloud, &member, "10.0.0.0/24").await;
    let router = create(
        &cloud,
        &member,
        "routers",
        json!({"router": {"external_gateway_info": {"network_id": public}}}),
    )
    .await;
    put(
        &cloud,
        &member,
        &format!(
            "routers/{}/add_router_interface",
            router["id"].as_str().unwrap()
        ),
        json!({"subnet_id": subnet}),
    )
    .await;
    let image = cloud.base_image(&member).await;
    let booted = cloud
        .nova_as(&member, "2.47")
        .post(
            "/servers",
            json!({"server": {"name": "vm", "imageRef": image, "flavorRef": "1",
                                   "networks": [{"uuid": network}]}}),
        )
        .await;
    assert_eq!(booted.status, 202, "{}", booted.text);
    let server = booted.body["server"]["id"].as_str().unwrap().to_string();
    cloud.wait_server(&member, &server, "ACTIVE").await;
    let ports = cloud
        .get(&member, &format!("{NET}/ports?device_id={server}"))
        .await;
    let port = ports.body["ports"][0]["id"].clone();
    let floating = create(
        &cloud,
        &member,
        "floatingips",
        json!({"floatingip": {"floating_network_id": public, "port_id": port}}),
    )
    .await;
    let shown = cloud
        .nova_as(&member, "2.47")
        .get(&format!("/servers/{server}"))
        .await;
    let addresses = shown.body["server"]["addresses"]["private"]
        .as_array()
        .unwrap();
    assert_eq!(addresses.len(), 2, "{addresses:?}");
    assert_eq!(addresses[0]["OS-EXT-IPS:type"], "fixed");
    assert_eq!(addresses[1]["OS-EXT-IPS:type"], "floating");
    assert_eq!(addresses[1]["addr"], floating["floating_ip_address"]);
}
