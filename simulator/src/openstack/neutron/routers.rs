//! `/v2.0/routers`: list, show, create (also in bulk), update (gateway, extra routes),
//! delete, and `add_router_interface` / `remove_router_interface`.

use super::{
    attributes::{fixed_ip, Attributes},
    caller, fail,
    resource::{in_order, Context, Made, Resource, Update, View},
    views,
};
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{
    CloudState, GatewayRequest, InterfaceTarget, RouterFields, RouterInterface,
};

const ATTRIBUTES: [&str; 4] = ["name", "admin_state_up", "external_gateway_info", "routes"];

fn invalid(key: &str, reason: impl std::fmt::Display) -> CloudError {
    CloudError::bad_request(format!("Invalid input for {key}. Reason: {reason}."))
}

/// `external_gateway_info`: `null` or `{}` (no gateway) or `{network_id, enable_snat?,
/// external_fixed_ips?}`.
fn gateway(value: &Value) -> Result<Option<GatewayRequest>, CloudError> {
    let key = "external_gateway_info";
    if value.is_null() || value.as_object().is_some_and(|o| o.is_empty()) {
        return Ok(None);
    }
    let object = value
        .as_object()
        .ok_or_else(|| invalid(key, format!("'{value}' is not a dictionary")))?;
    if let Some(other) = object
        .keys()
        .find(|k| !["network_id", "enable_snat", "external_fixed_ips"].contains(&k.as_str()))
    {
        return Err(invalid(key, format!("Unrecognized attribute(s) '{other}'")));
    }
    let network_id = object
        .get("network_id")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(key, "Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: set()"))?
        .to_string();
    let enable_snat = match object.get("enable_snat") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(invalid(
                key,
                format!("'{other}' cannot be converted to boolean"),
            ))
        }
    };
    let external_fixed_ips = match object.get("external_fixed_ips") {
        None => None,
        Some(Value::Array(entries)) => Some(
            entries
                .iter()
                .map(|entry| fixed_ip(entry.get("subnet_id"), entry.get("ip_address")))
                .collect::<Result<_, CloudError>>()?,
        ),
        Some(other) => return Err(invalid(key, format!("'{other}' is not a list"))),
    };
    Ok(Some(GatewayRequest {
        network_id,
        enable_snat,
        external_fixed_ips,
    }))
}

/// `routes`: `[{destination, nexthop}]` (`null`: none).
fn routes(value: &Value) -> Result<Vec<(String, String)>, CloudError> {
    if value.is_null() {
        return Ok(Vec::new());
    }
    let entries = value
        .as_array()
        .ok_or_else(|| invalid("routes", format!("'{value}' is not a list")))?;
    entries
        .iter()
        .map(|entry| {
            let destination = entry.get("destination").and_then(Value::as_str);
            let nexthop = entry.get("nexthop").and_then(Value::as_str);
            match (destination, nexthop) {
                (Some(d), Some(n))
                    if crate::openstack::model::parse_cidr(d).is_some()
                        && n.parse::<std::net::Ipv4Addr>().is_ok() =>
                {
                    Ok((d.to_string(), n.to_string()))
                }
                _ => Err(invalid(
                    "routes",
                    format!("Invalid data format for hostroute: '{entry}'"),
                )),
            }
        })
        .collect()
}

fn fields(attributes: &Attributes<'_>) -> Result<RouterFields, CloudError> {
    Ok(RouterFields {
        name: attributes.string("name")?,
        description: attributes.string("description")?,
        admin_state_up: attributes.boolean("admin_state_up")?,
        gateway: attributes
            .get("external_gateway_info")
            .map(gateway)
            .transpose()?,
        routes: attributes.get("routes").map(routes).transpose()?,
    })
}

/// `/v2.0/routers`.
pub struct Routers;

impl Resource for Routers {
    const ONE: &'static str = "router";
    const MANY: &'static str = "routers";

    /// The caller's routers (every router for an admin).
    fn list(cx: &Context<'_>, state: &mut CloudState) -> Vec<Value> {
        let owned = state
            .routers
            .values()
            .filter(|r| cx.caller.owns(&r.project_id));
        in_order(owned, |r| r.seq, |r| views::router(cx.cloud, state, r))
    }

    fn show(cx: &Context<'_>, state: &CloudState, id: &str) -> View {
        let router = state.router(cx.caller, id)?;
        Ok(views::router(cx.cloud, state, router))
    }

    fn create(cx: &Context<'_>, state: &mut CloudState, item: &Value) -> Made {
        let attributes = Attributes::new(item, &ATTRIBUTES)?;
        let fields = fields(&attributes)?;
        let owner = attributes.owner()?;
        let router = state.create_router(cx.caller, owner.as_deref(), fields, cx.now_ms)?;
        Ok((router.id.clone(), views::router(cx.cloud, state, &router)))
    }

    fn undo(cx: &Context<'_>, state: &mut CloudState, id: &str) {
        let _ = state.delete_router(cx.caller, id);
    }

    fn delete(cx: &Context<'_>, state: &mut CloudState, id: &str) -> Result<(), CloudError> {
        state.delete_router(cx.caller, id)
    }
}

/// Name, state, gateway and extra routes.
impl Update for Routers {
    type Changes = RouterFields;

    fn changes(item: &Value) -> Result<RouterFields, CloudError> {
        fields(&Attributes::new(item, &ATTRIBUTES)?)
    }

    fn update(cx: &Context<'_>, state: &mut CloudState, id: &str, fields: RouterFields) -> View {
        let router = state.update_router(cx.caller, id, fields, cx.now_ms)?;
        Ok(views::router(cx.cloud, state, &router))
    }
}

/// The subnet or port an interface request names (exactly one of them).
fn target(body: &Bytes) -> Result<InterfaceTarget, CloudError> {
    let body: Value = parse_body(body)?;
    let subnet = body.get("subnet_id").and_then(Value::as_str);
    let port = body.get("port_id").and_then(Value::as_str);
    match (subnet, port) {
        (Some(subnet), None) => Ok(InterfaceTarget::Subnet(subnet.to_string())),
        (None, Some(port)) => Ok(InterfaceTarget::Port(port.to_string())),
        (Some(_), Some(_)) => Err(CloudError::bad_request(
            "Bad router request: Cannot specify both subnet-id and port-id.",
        )
        .kind("BadRequest")),
        (None, None) => Err(CloudError::bad_request(
            "Bad router request: Either subnet_id or port_id must be specified.",
        )
        .kind("BadRequest")),
    }
}

fn interface_answer(result: Result<RouterInterface, CloudError>) -> Response {
    match result {
        Ok(interface) => Json(json!({
            "id": interface.router_id,
            "tenant_id": interface.project_id,
            "project_id": interface.project_id,
            "port_id": interface.port_id,
            "subnet_id": interface.subnet_id,
            "subnet_ids": [interface.subnet_id],
            "network_id": interface.network_id,
        }))
        .into_response(),
        Err(error) => fail(error),
    }
}

/// `PUT /routers/{id}/add_router_interface` `{subnet_id}` or `{port_id}` -> 200.
pub async fn add_interface(call: Call, Path(id): Path<String>, body: Bytes) -> Response {
    let now = call.cloud.clock().now_ms();
    interface_answer(target(&body).and_then(|target| {
        call.cloud
            .state()
            .add_router_interface(caller(&call.scope), &id, target, now)
    }))
}

/// `PUT /routers/{id}/remove_router_interface` `{subnet_id}` or `{port_id}` -> 200.
pub async fn remove_interface(call: Call, Path(id): Path<String>, body: Bytes) -> Response {
    let now = call.cloud.clock().now_ms();
    interface_answer(target(&body).and_then(|target| {
        call.cloud
            .state()
            .remove_router_interface(caller(&call.scope), &id, target, now)
    }))
}
