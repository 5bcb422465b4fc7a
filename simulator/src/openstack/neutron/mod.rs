//! Neutron (networking v2.0): version discovery, extensions, networks, subnets, ports (with
//! allowed address pairs and port security), security groups and their rules, routers and
//! floating IPs, with `NeutronError` bodies, project scoping and list queries.

mod attributes;
mod discovery;
mod floating_ips;
mod networks;
mod ports;
mod query;
mod resource;
mod routers;
mod security_group_rules;
mod security_groups;
mod subnets;
mod views;

use axum::{
    response::Response,
    routing::{get, put},
    Router,
};

use self::{
    floating_ips::FloatingIps, networks::Networks, ports::Ports, routers::Routers,
    security_group_rules::Rules, security_groups::SecurityGroups, subnets::Subnets,
};
use super::{
    cloud::Cloud,
    error::CloudError,
    gateway::{GatewayLayer, Scope},
    model::Caller,
    render::error_response,
    service::Service,
};

/// Neutron's routes under `/networking`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let base = "/networking/v2.0";
    let router = Router::new()
        .route("/networking", get(discovery::root))
        .route("/networking/", get(discovery::root))
        .route(base, get(discovery::v20))
        .route(&format!("{base}/"), get(discovery::v20))
        .route(&format!("{base}/extensions"), get(discovery::extensions))
        .route(
            &format!("{base}/extensions/{{alias}}"),
            get(discovery::extension),
        );
    let router = resource::routes_with_update::<Networks>(router, &format!("{base}/networks"));
    let router = resource::routes_with_update::<Subnets>(router, &format!("{base}/subnets"));
    let router = resource::routes_with_update::<Ports>(router, &format!("{base}/ports"));
    let router =
        resource::routes_with_update::<SecurityGroups>(router, &format!("{base}/security-groups"));
    let router = resource::routes::<Rules>(router, &format!("{base}/security-group-rules"));
    let router = resource::routes_with_update::<Routers>(router, &format!("{base}/routers"));
    let router =
        resource::routes_with_update::<FloatingIps>(router, &format!("{base}/floatingips"));
    router
        .route(
            &format!("{base}/routers/{{id}}/add_router_interface"),
            put(routers::add_interface),
        )
        .route(
            &format!("{base}/routers/{{id}}/remove_router_interface"),
            put(routers::remove_interface),
        )
        .route_layer(GatewayLayer::new(cloud, Service::Neutron))
}

/// A Neutron error response.
fn fail(error: CloudError) -> Response {
    error_response(Service::Neutron, &error, None, "")
}

/// The Neutron caller of a token scope.
fn caller(scope: &Scope) -> Caller<'_> {
    Caller {
        project_id: &scope.project_id,
        admin: scope.admin,
    }
}
