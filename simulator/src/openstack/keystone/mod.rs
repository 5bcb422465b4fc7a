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
mod policy;
mod projects;
mod roles;
mod tokens;
mod users;
mod views;

use axum::{
    middleware,
    response::Response,
    routing::{get, post},
    Router,
};

use super::{
    cloud::Cloud, error::CloudError, gateway::gateway, render::error_response, service::Service,
};

/// Keystone's routes under `/identity`.
pub fn routes(cloud: Cloud) -> Router<Cloud> {
    let v3 = "/identity/v3";
    Router::new()
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
            &format!("{v3}/domains"),
            get(domains::list).post(domains::create),
        )
        .route(
            &format!("{v3}/domains/{{id}}"),
            get(domains::show)
                .patch(domains::update)
                .delete(domains::remove),
        )
        .route(
            &format!("{v3}/projects"),
            get(projects::list).post(projects::create),
        )
        .route(
            &format!("{v3}/projects/{{id}}"),
            get(projects::show)
                .patch(projects::update)
                .delete(projects::remove),
        )
        .route(&format!("{v3}/users"), get(users::list).post(users::create))
        .route(
            &format!("{v3}/users/{{id}}"),
            get(users::show).patch(users::update).delete(users::remove),
        )
        .route(
            &format!("{v3}/users/{{id}}/password"),
            post(users::change_password),
        )
        .route(&format!("{v3}/users/{{id}}/projects"), get(users::projects))
        .route(&format!("{v3}/users/{{id}}/groups"), get(users::groups))
        .route(
            &format!("{v3}/groups"),
            get(groups::list).post(groups::create),
        )
        .route(
            &format!("{v3}/groups/{{id}}"),
            get(groups::show)
                .patch(groups::update)
                .delete(groups::remove),
        )
        .route(&format!("{v3}/groups/{{id}}/users"), get(groups::members))
        .route(
            &format!("{v3}/groups/{{id}}/users/{{user_id}}"),
            get(groups::check_member)
                .put(groups::add_member)
                .delete(groups::remove_member),
        )
        .route(&format!("{v3}/roles"), get(roles::list).post(roles::create))
        .route(
            &format!("{v3}/roles/{{id}}"),
            get(roles::show).patch(roles::update).delete(roles::remove),
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
            get(grants::check_system)
                .put(grants::grant_system)
                .delete(grants::revoke_system),
        )
        .route(
            &format!("{v3}/{{kind}}/{{id}}/{{actor_kind}}/{{actor}}/roles"),
            get(grants::list),
        )
        .route(
            &format!("{v3}/{{kind}}/{{id}}/{{actor_kind}}/{{actor}}/roles/{{role_id}}"),
            get(grants::check).put(grants::grant).delete(grants::revoke),
        )
        .route_layer(middleware::from_fn_with_state(
            (cloud, Service::Keystone),
            gateway,
        ))
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
