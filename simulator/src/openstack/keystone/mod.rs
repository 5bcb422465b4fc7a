//! Keystone v3: version discovery, password and token authentication (project-scoped,
//! system-scoped or unscoped), the service catalog pointing at the other services of this
//! cloud, and the administration of domains, projects, users, groups, roles and role
//! assignments with Keystone's default policies.

mod auth_scopes;
mod catalog;
mod discovery;
mod domains;
mod grants;
mod groups;
mod named;
mod policy;
mod projects;
mod roles;
mod tokens;
mod users;
mod views;

use axum::{
    response::Response,
    routing::{get, post},
    Router,
};

use self::{
    domains::Domains,
    grants::{Check, Grant, Revoke},
    groups::Groups,
    projects::Projects,
    roles::Roles,
    users::Users,
};
use super::{
    cloud::Cloud, error::CloudError, gateway::GatewayLayer, render::error_response,
    service::Service,
};

/// Keystone's routes under `/identity`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let v3 = "/identity/v3";
    let router = Router::new();
    let router = named::routes::<Domains>(router, &format!("{v3}/domains"));
    let router = named::routes::<Projects>(router, &format!("{v3}/projects"));
    let router = named::routes::<Users>(router, &format!("{v3}/users"));
    let router = named::routes::<Groups>(router, &format!("{v3}/groups"));
    let router = named::routes::<Roles>(router, &format!("{v3}/roles"));
    router
        .route("/identity", get(discovery::root))
        .route("/identity/", get(discovery::root))
        .route(v3, get(discovery::v3))
        .route(&format!("{v3}/"), get(discovery::v3))
        .route(
            &format!("{v3}/auth/tokens"),
            get(tokens::validate)
                .post(tokens::issue)
                .delete(tokens::revoke),
        )
        .route(&format!("{v3}/auth/catalog"), get(catalog::show_catalog))
        .route(&format!("{v3}/auth/projects"), get(auth_scopes::projects))
        .route(&format!("{v3}/auth/domains"), get(auth_scopes::domains))
        .route(&format!("{v3}/auth/system"), get(auth_scopes::system))
        .route(
            &format!("{v3}/users/{{id}}/password"),
            post(users::change_password),
        )
        .route(&format!("{v3}/users/{{id}}/projects"), get(users::projects))
        .route(&format!("{v3}/users/{{id}}/groups"), get(users::groups))
        .route(&format!("{v3}/groups/{{id}}/users"), get(groups::members))
        .route(
            &format!("{v3}/groups/{{id}}/users/{{user_id}}"),
            get(groups::check_member)
                .put(groups::add_member)
                .delete(groups::remove_member),
        )
        .route(&format!("{v3}/roles/{{id}}/implies"), get(roles::implies))
        .route(
            &format!("{v3}/roles/{{id}}/implies/{{implied}}"),
            get(roles::show_inference)
                .head(roles::check_inference)
                .put(roles::imply)
                .delete(roles::unimply),
        )
        .route(&format!("{v3}/role_inferences"), get(roles::inferences))
        .route(
            &format!("{v3}/role_assignments"),
            get(grants::role_assignments),
        )
        .route(
            &format!("{v3}/system/{{actor_kind}}/{{actor}}/roles"),
            get(grants::list_system),
        )
        .route(
            &format!("{v3}/system/{{actor_kind}}/{{actor}}/roles/{{role_id}}"),
            get(grants::system::<Check>)
                .put(grants::system::<Grant>)
                .delete(grants::system::<Revoke>),
        )
        .route(
            &format!("{v3}/{{kind}}/{{id}}/{{actor_kind}}/{{actor}}/roles"),
            get(grants::list),
        )
        .route(
            &format!("{v3}/{{kind}}/{{id}}/{{actor_kind}}/{{actor}}/roles/{{role_id}}"),
            get(grants::scoped::<Check>)
                .put(grants::scoped::<Grant>)
                .delete(grants::scoped::<Revoke>),
        )
        .route_layer(GatewayLayer::new(cloud, Service::Keystone))
}

/// Keystone's error answer for `error`.
fn fail(cloud: &Cloud, error: CloudError) -> Response {
    error_response(
        Service::Keystone,
        &error,
        None,
        &format!("{}/identity", cloud.public_url()),
    )
}
