//! Neutron (networking v2.0) calls: networks, subnets and ports.

use reqwest::Method;
use serde_json::{json, Value};

use super::errors::Service;
use super::session::{Reply, Session};
use super::VimError;

/// The networking service of a session.
pub(crate) struct Neutron<'a>(pub(crate) &'a Session);

/// A Neutron port as the VNFM uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PortState {
    /// Port id.
    pub(crate) id: String,
    /// Network of the port.
    pub(crate) network_id: String,
    /// The port's fixed IP addresses, in Neutron's order.
    pub(crate) ip_addresses: Vec<String>,
    /// The server the port is bound to (empty when unbound).
    pub(crate) device_id: String,
}

impl Neutron<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, VimError> {
        self.0.call(Service::Neutron, method, path, &[], body).await
    }

    /// `POST /v2.0/{collection}` of `{kind: attributes}`; returns the new resource's id.
    async fn create(
        &self,
        collection: &str,
        kind: &str,
        attributes: Value,
    ) -> Result<String, VimError> {
        self.call(
            Method::POST,
            &format!("/v2.0/{collection}"),
            Some(&json!({ kind: attributes })),
        )
        .await?
        .success()?
        .text_at(&format!("/{kind}/id"), format!("no {kind} id"))
    }

    /// `DELETE /v2.0/{collection}/{id}` (an unknown resource counts as deleted).
    async fn delete(&self, collection: &str, id: &str) -> Result<(), VimError> {
        self.call(Method::DELETE, &format!("/v2.0/{collection}/{id}"), None)
            .await?
            .found()
            .map(|_| ())
    }

    /// Creates a network named `name`; returns its id.
    pub(crate) async fn create_network(&self, name: &str) -> Result<String, VimError> {
        self.create(
            "networks",
            "network",
            json!({"name": name, "admin_state_up": true}),
        )
        .await
    }

    /// Creates an IPv4 subnet `cidr` named `name` on `network_id` (DHCP on, no gateway);
    /// returns its id.
    pub(crate) async fn create_subnet(
        &self,
        network_id: &str,
        name: &str,
        cidr: &str,
    ) -> Result<String, VimError> {
        self.create(
            "subnets",
            "subnet",
            json!({
                "name": name,
                "network_id": network_id,
                "ip_version": 4,
                "cidr": cidr,
                "gateway_ip": null,
                "enable_dhcp": true,
            }),
        )
        .await
    }

    /// Creates a port named `name` on `network_id` (Neutron picks its fixed IP); returns it.
    pub(crate) async fn create_port(
        &self,
        network_id: &str,
        name: &str,
    ) -> Result<PortState, VimError> {
        let body =
            json!({"port": {"name": name, "network_id": network_id, "admin_state_up": true}});
        let reply = self
            .call(Method::POST, "/v2.0/ports", Some(&body))
            .await?
            .success()?;
        port_in(&reply, "no port id")
    }

    /// The port `id`, or `None` when Neutron no longer knows it.
    pub(crate) async fn port(&self, id: &str) -> Result<Option<PortState>, VimError> {
        self.call(Method::GET, &format!("/v2.0/ports/{id}"), None)
            .await?
            .found()?
            .map(|reply| port_in(&reply, "no port"))
            .transpose()
    }

    /// Deletes the port `id` (gone already counts as done).
    pub(crate) async fn delete_port(&self, id: &str) -> Result<(), VimError> {
        self.delete("ports", id).await
    }

    /// Deletes the subnet `id` (gone already counts as done).
    pub(crate) async fn delete_subnet(&self, id: &str) -> Result<(), VimError> {
        self.delete("subnets", id).await
    }

    /// Deletes the network `id` (gone already counts as done).
    pub(crate) async fn delete_network(&self, id: &str) -> Result<(), VimError> {
        self.delete("networks", id).await
    }
}

/// The port a reply's body holds (its absence is a server error saying `missing`).
fn port_in(reply: &Reply, missing: &str) -> Result<PortState, VimError> {
    reply
        .json()?
        .get("port")
        .and_then(port_state)
        .ok_or_else(|| reply.call.bad_answer(missing))
}

/// A port view's id, network, fixed IPs and device.
fn port_state(port: &Value) -> Option<PortState> {
    let text = |key: &str| port.get(key).and_then(Value::as_str).map(str::to_string);
    Some(PortState {
        id: text("id")?,
        network_id: text("network_id").unwrap_or_default(),
        ip_addresses: port
            .get("fixed_ips")
            .and_then(Value::as_array)
            .map(|ips| {
                ips.iter()
                    .filter_map(|ip| ip.get("ip_address").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        device_id: text("device_id").unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::Mock;

    use super::super::mock_cloud::{reply, MockCloud, NEUTRON};
    use super::super::VimErrorKind;
    use super::*;

    fn port_view(id: &str, ip: &str, device: &str) -> Value {
        json!({"port": {
            "id": id, "network_id": "n1", "name": "p", "device_id": device,
            "fixed_ips": [{"subnet_id": "s1", "ip_address": ip}],
        }})
    }

    #[tokio::test]
    async fn creates_a_network_a_subnet_and_a_port() {
        let cloud = MockCloud::start().await;
        cloud
            .post(
                format!("{NEUTRON}/v2.0/networks"),
                json!({"network": {"name": "vl-1"}}),
                reply(201, json!({"network": {"id": "n1", "name": "vl-1"}})),
            )
            .await;
        cloud
            .post(
                format!("{NEUTRON}/v2.0/subnets"),
                json!({"subnet": {"network_id": "n1", "cidr": "10.0.0.0/24", "ip_version": 4}}),
                reply(201, json!({"subnet": {"id": "s1"}})),
            )
            .await;
        cloud
            .post(
                format!("{NEUTRON}/v2.0/ports"),
                json!({"port": {"network_id": "n1", "name": "srv-1-cp1"}}),
                reply(201, port_view("p1", "10.0.0.5", "")),
            )
            .await;
        let vim = cloud.vim();
        let neutron = Neutron(&vim.session);
        assert_eq!(neutron.create_network("vl-1").await.unwrap(), "n1");
        assert_eq!(
            neutron
                .create_subnet("n1", "vl-1", "10.0.0.0/24")
                .await
                .unwrap(),
            "s1"
        );
        let port = neutron.create_port("n1", "srv-1-cp1").await.unwrap();
        assert_eq!(port.id, "p1");
        assert_eq!(port.network_id, "n1");
        assert_eq!(port.ip_addresses, vec!["10.0.0.5".to_string()]);
    }

    #[tokio::test]
    async fn a_port_quota_is_a_quota_error_with_neutrons_words() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("POST"))
                    .and(path(format!("{NEUTRON}/v2.0/ports")))
                    .respond_with(reply(
                        409,
                        json!({"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: ['port'].", "detail": ""}}),
                    )),
            )
            .await;
        let vim = cloud.vim();
        let err = Neutron(&vim.session)
            .create_port("n1", "p")
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Quota);
        assert!(err
            .message
            .starts_with("Neutron POST /v2.0/ports answered 409"));
    }

    #[tokio::test]
    async fn reads_a_port_and_deletes_tolerating_gone_resources() {
        let cloud = MockCloud::start().await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NEUTRON}/v2.0/ports/p1")))
                    .respond_with(reply(200, port_view("p1", "10.0.0.5", "srv-1"))),
            )
            .await;
        cloud
            .mount(
                Mock::given(method("GET"))
                    .and(path(format!("{NEUTRON}/v2.0/ports/p2")))
                    .respond_with(reply(
                        404,
                        json!({"NeutronError": {"type": "PortNotFound", "message": "Port p2 could not be found.", "detail": ""}}),
                    )),
            )
            .await;
        for url in ["ports/p1", "subnets/s1"] {
            cloud
                .delete(
                    format!("{NEUTRON}/v2.0/{url}"),
                    wiremock::ResponseTemplate::new(204),
                    1,
                )
                .await;
        }
        cloud
            .delete(
                format!("{NEUTRON}/v2.0/networks/n1"),
                reply(
                    404,
                    json!({"NeutronError": {"type": "NetworkNotFound", "message": "Network n1 could not be found.", "detail": ""}}),
                ),
                1,
            )
            .await;
        let vim = cloud.vim();
        let neutron = Neutron(&vim.session);
        let port = neutron.port("p1").await.unwrap().unwrap();
        assert_eq!(port.device_id, "srv-1");
        assert_eq!(neutron.port("p2").await.unwrap(), None);
        neutron.delete_port("p1").await.unwrap();
        neutron.delete_subnet("s1").await.unwrap();
        neutron.delete_network("n1").await.unwrap();
    }

    #[tokio::test]
    async fn a_network_in_use_is_refused_with_neutrons_words() {
        let cloud = MockCloud::start().await;
        cloud
            .delete(
                format!("{NEUTRON}/v2.0/networks/n1"),
                reply(
                    409,
                    json!({"NeutronError": {"type": "NetworkInUse", "message": "Unable to complete operation on network n1. There are one or more ports still in use on the network.", "detail": ""}}),
                ),
                1,
            )
            .await;
        let vim = cloud.vim();
        let err = Neutron(&vim.session)
            .delete_network("n1")
            .await
            .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Rejected);
        assert!(err.message.contains("ports still in use"), "{err}");
    }
}
