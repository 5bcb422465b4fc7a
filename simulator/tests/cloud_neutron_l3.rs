//! Neutron beyond networks, subnets and ports: routers (external gateway, interfaces, extra
//! routes), floating IPs and the rules that tie them together, allowed address pairs and port
//! security.

mod support;

use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_as_admin, start_cloud, Answer, Session, TestCloud};

/// `POST /{collection}` of `body`, asserting 201; the created resource.
async fn create(neutron: &Session<'_>, collection: &str, body: Value) -> Value {
    let answer = neutron.post(&format!("/{collection}"), body).await;
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

/// `PUT /routers/{router}/{action}_router_interface` (`add`, `remove`) of `subnet`.
async fn router_interface(
    neutron: &Session<'_>,
    router: &str,
    action: &str,
    subnet: &str,
) -> Answer {
    let path = format!("/routers/{router}/{action}_router_interface");
    neutron.put(&path, json!({ "subnet_id": subnet })).await
}

fn neutron_error(answer: &Answer, status: u16, kind: &str) {
    assert_eq!(answer.status, status, "{kind}: {}", answer.text);
    assert_eq!(answer.body["NeutronError"]["type"], kind, "{}", answer.text);
}

/// The admin's external network `public` (172.24.4.0/24); returns its id.
async fn public_network(admin: &Session<'_>) -> String {
    let network = json!({"network": {"name": "public", "router:external": true}});
    let network = create(admin, "networks", network).await;
    let id = network["id"].as_str().unwrap().to_string();
    let subnet = json!({"subnet": {"network_id": id, "ip_version": 4, "cidr": "172.24.4.0/24"}});
    create(admin, "subnets", subnet).await;
    id
}

/// Neutron as the member of a new project `tenant`.
async fn tenant_neutron(cloud: &TestCloud) -> Session<'_> {
    let (member, _) = cloud.project("tenant").await;
    cloud.neutron_as(&member)
}

/// A project network with a subnet; returns (network id, subnet id).
async fn private_network(neutron: &Session<'_>, cidr: &str) -> (String, String) {
    let network = create(neutron, "networks", json!({"network": {"name": "private"}})).await;
    let id = network["id"].as_str().unwrap().to_string();
    let subnet = json!({"subnet": {"network_id": id, "ip_version": 4, "cidr": cidr}});
    let subnet = create(neutron, "subnets", subnet).await;
    (id, subnet["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn routers_connect_subnets_to_an_external_network_for_floating_ips() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let admin_neutron = cloud.neutron_as(&admin);
    let (member, project) = cloud.project("tenant").await;
    let neutron = cloud.neutron_as(&member);
    let public = public_network(&admin_neutron).await;

    // The external network is seen by every project, its subnet is not.
    let external = neutron.get("/networks?router:external=True").await;
    assert_eq!(external.body["networks"][0]["id"], public.as_str());
    let subnets = neutron.get(&format!("/subnets?network_id={public}")).await;
    assert_eq!(subnets.body["subnets"], json!([]));

    let (network, subnet) = private_network(&neutron, "10.0.0.0/24").await;
    let snat = neutron.post("/routers",
            json!({"router": {"external_gateway_info": {"network_id": public, "enable_snat": false}}}),
        )
        .await;
    neutron_error(&snat, 403, "PolicyNotAuthorized");
    let not_external = neutron
        .post(
            "/routers",
            json!({"router": {"external_gateway_info": {"network_id": network}}}),
        )
        .await;
    neutron_error(&not_external, 400, "BadRequest");
    let router = create(
        &neutron,
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

    let added = router_interface(&neutron, &router_id, "add", &subnet).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["subnet_ids"], json!([subnet]));
    assert_eq!(added.body["project_id"], project.as_str());
    let interface_port = added.body["port_id"].as_str().unwrap().to_string();
    let port = neutron.get(&format!("/ports/{interface_port}")).await;
    assert_eq!(
        port.body["port"]["device_owner"],
        "network:router_interface"
    );
    assert_eq!(port.body["port"]["fixed_ips"][0]["ip_address"], "10.0.0.1");
    let by_router = neutron.get(&format!("/ports?device_id={router_id}")).await;
    assert_eq!(by_router.body["ports"].as_array().unwrap().len(), 1);
    let twice = router_interface(&neutron, &router_id, "add", &subnet).await;
    neutron_error(&twice, 400, "BadRequest");
    let direct = neutron.delete(&format!("/ports/{interface_port}")).await;
    neutron_error(&direct, 409, "ServicePortInUse");
    let busy = neutron.delete(&format!("/routers/{router_id}")).await;
    neutron_error(&busy, 409, "RouterInUse");

    // A floating IP is associated through the router.
    let vm_port = create(&neutron, "ports", json!({"port": {"network_id": network}})).await;
    let vm_port_id = vm_port["id"].as_str().unwrap().to_string();
    let floating = create(
        &neutron,
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

    let in_use = router_interface(&neutron, &router_id, "remove", &subnet).await;
    neutron_error(&in_use, 409, "RouterInterfaceInUseByFloatingIP");
    let gateway_in_use = neutron
        .put(
            &format!("/routers/{router_id}"),
            json!({"router": {"external_gateway_info": {}}}),
        )
        .await;
    neutron_error(
        &gateway_in_use,
        409,
        "RouterExternalGatewayInUseByFloatingIp",
    );

    // A port on a subnet no router connects cannot take it.
    let (_, lonely_subnet) = private_network(&neutron, "10.9.0.0/24").await;
    let lonely_network = neutron.get(&format!("/subnets/{lonely_subnet}")).await;
    let lonely_port = create(
        &neutron,
        "ports",
        json!({"port": {"network_id": lonely_network.body["subnet"]["network_id"]}}),
    )
    .await;
    let unreachable = neutron
        .put(
            &format!("/floatingips/{floating_id}"),
            json!({"floatingip": {"port_id": lonely_port["id"]}}),
        )
        .await;
    neutron_error(&unreachable, 404, "ExternalGatewayForFloatingIPNotFound");

    // Deleting the port disassociates the floating IP.
    let deleted = neutron.delete(&format!("/ports/{vm_port_id}")).await;
    assert_eq!(deleted.status, 204);
    let shown = neutron.get(&format!("/floatingips/{floating_id}")).await;
    let shown = &shown.body["floatingip"];
    assert_eq!(
        (&shown["port_id"], &shown["router_id"], &shown["status"]),
        (&Value::Null, &Value::Null, &json!("DOWN"))
    );
    assert_eq!(
        neutron
            .delete(&format!("/floatingips/{floating_id}"))
            .await
            .status,
        204
    );
    let removed = router_interface(&neutron, &router_id, "remove", &subnet).await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(
        neutron
            .delete(&format!("/routers/{router_id}"))
            .await
            .status,
        204
    );
    let ports = admin_neutron
        .get(&format!("/ports?network_id={public}"))
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
    let neutron = tenant_neutron(&cloud).await;
    let (network, _) = private_network(&neutron, "10.0.0.0/24").await;
    let refused = neutron
        .post(
            "/floatingips",
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
    let neutron = tenant_neutron(&cloud).await;
    let (_, subnet) = private_network(&neutron, "10.0.0.0/24").await;
    let router = create(&neutron, "routers", json!({"router": {"name": "r"}})).await;
    let id = router["id"].as_str().unwrap();
    router_interface(&neutron, id, "add", &subnet).await;
    let path = format!("/routers/{id}");
    let route = |nexthop: &str| json!([{"destination": "192.168.0.0/24", "nexthop": nexthop}]);
    let far = neutron
        .put(&path, json!({"router": {"routes": route("10.1.0.5")}}))
        .await;
    neutron_error(&far, 400, "InvalidRoutes");
    let near = neutron
        .put(&path, json!({"router": {"routes": route("10.0.0.5")}}))
        .await;
    assert_eq!(near.body["router"]["routes"], route("10.0.0.5"));
    let cleared = neutron
        .put(&path, json!({"router": {"routes": null}}))
        .await;
    assert_eq!(cleared.body["router"]["routes"], json!([]));
}

#[tokio::test]
async fn allowed_address_pairs_and_port_security() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let neutron = tenant_neutron(&cloud).await;
    let (network, _) = private_network(&neutron, "10.0.0.0/24").await;
    let pairs = json!([{"ip_address": "10.0.0.100"},
                       {"ip_address": "10.0.0.128/25", "mac_address": "fa:16:3e:00:00:01"}]);
    let port = json!({"port": {"network_id": network, "allowed_address_pairs": pairs}});
    let port = create(&neutron, "ports", port).await;
    let port_id = port["id"].as_str().unwrap().to_string();
    assert_eq!(
        port["allowed_address_pairs"],
        json!([{"ip_address": "10.0.0.100", "mac_address": port["mac_address"]},
               {"ip_address": "10.0.0.128/25", "mac_address": "fa:16:3e:00:00:01"}])
    );
    let duplicate = json!([{"ip_address": "10.0.0.9"}, {"ip_address": "10.0.0.9"}]);
    let many: Vec<Value> = (1..=11)
        .map(|i| json!({"ip_address": format!("10.0.1.{i}")}))
        .collect();
    for (pairs, kind) in [
        (duplicate, "DuplicateAddressPairInRequest"),
        (json!(many), "AllowedAddressPairExhausted"),
    ] {
        let port = json!({"port": {"network_id": network, "allowed_address_pairs": pairs}});
        neutron_error(&neutron.post("/ports", port).await, 400, kind);
    }

    // Port security off: first the groups and pairs must go.
    let path = format!("/ports/{port_id}");
    let open =
        json!({"port_security_enabled": false, "security_groups": [], "allowed_address_pairs": []});
    // (what the port keeps, the refusal's type)
    for (kept, kind) in [
        ("security_groups", "PortSecurityPortHasSecurityGroup"),
        (
            "allowed_address_pairs",
            "AddressPairAndPortSecurityRequired",
        ),
    ] {
        let mut port = open.clone();
        port.as_object_mut().unwrap().remove(kept);
        let refused = neutron.put(&path, json!({ "port": port })).await;
        neutron_error(&refused, 409, kind);
    }
    let open = neutron.put(&path, json!({ "port": open })).await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert_eq!(open.body["port"]["port_security_enabled"], false);

    let unsecured = create(
        &neutron,
        "networks",
        json!({"network": {"name": "open", "port_security_enabled": false}}),
    )
    .await;
    create(
        &neutron,
        "subnets",
        json!({"subnet": {"network_id": unsecured["id"], "ip_version": 4, "cidr": "10.5.0.0/24"}}),
    )
    .await;
    let bare = create(
        &neutron,
        "ports",
        json!({"port": {"network_id": unsecured["id"]}}),
    )
    .await;
    assert_eq!(
        (&bare["port_security_enabled"], &bare["security_groups"]),
        (&json!(false), &json!([]))
    );
    let groups = neutron.get("/security-groups").await;
    let default_group = groups.body["security_groups"][0]["id"].clone();
    let refused = neutron
        .post(
            "/ports",
            json!({"port": {"network_id": unsecured["id"], "security_groups": [default_group]}}),
        )
        .await;
    neutron_error(&refused, 400, "PortSecurityAndIPRequiredForSecurityGroups");
}

#[tokio::test]
async fn a_servers_addresses_show_its_floating_ip() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let public = public_network(&cloud.neutron_as(&admin)).await;
    let (member, _) = cloud.project("tenant").await;
    let neutron = cloud.neutron_as(&member);
    let (network, subnet) = private_network(&neutron, "10.0.0.0/24").await;
    let router = create(
        &neutron,
        "routers",
        json!({"router": {"external_gateway_info": {"network_id": public}}}),
    )
    .await;
    let router_id = router["id"].as_str().unwrap();
    router_interface(&neutron, router_id, "add", &subnet).await;
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
    let ports = neutron.get(&format!("/ports?device_id={server}")).await;
    let port = ports.body["ports"][0]["id"].clone();
    let floating = create(
        &neutron,
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
