//! The `/_sim` control API: state, reset, projects, users, quotas, fault rules, the clock, the
//! call record, disk contents, live workloads and server histories. Reachable from loopback only, unless a control token is configured.

mod disks;
mod routes;

use axum::{
    extract::{Request, State},
    middleware::{self, Next},
    response::Response,
    routing::{delete, get, post, put},
    Router,
};

use super::cloud::Cloud;

/// The control routes, with `extra` ones behind the same guard.
pub fn routes(cloud: Cloud, extra: Router<Cloud>) -> Router<Cloud> {
    extra
        .route("/_sim/state", get(routes::state))
        .route("/_sim/inventory", get(routes::inventory))
        .route("/_sim/reset", post(routes::reset))
        .route("/_sim/projects", post(routes::create_project))
        .route(
            "/_sim/projects/{project_id}",
            delete(routes::delete_project),
        )
        .route("/_sim/users", post(routes::create_user))
        .route(
            "/_sim/quotas/{project_id}",
            put(routes::set_quotas).get(routes::get_quotas),
        )
        .route(
            "/_sim/faults",
            post(routes::add_fault)
                .get(routes::list_faults)
                .delete(routes::clear_faults),
        )
        .route("/_sim/faults/{fault_id}", delete(routes::remove_fault))
        .route("/_sim/clock", get(routes::clock))
        .route("/_sim/clock/advance", post(routes::advance_clock))
        .route(
            "/_sim/calls",
            get(routes::calls).delete(routes::clear_calls),
        )
        .route("/_sim/tokens/revoke", post(routes::revoke_tokens))
        .route("/_sim/servers/{server_id}/disks", get(disks::server_disks))
        .route(
            "/_sim/servers/{server_id}/markers",
            post(disks::write_server_marker),
        )
        .route(
            "/_sim/servers/{server_id}/workload",
            get(disks::workload).put(disks::set_workload),
        )
        .route("/_sim/servers/{server_id}/history", get(disks::history))
        .route(
            "/_sim/volumes/{volume_id}/content",
            get(disks::volume_content),
        )
        .route(
            "/_sim/volumes/{volume_id}/markers",
            post(disks::write_volume_marker),
        )
        .route(
            "/_sim/snapshots/{snapshot_id}/content",
            get(disks::snapshot_content),
        )
        .route("/_sim/images/{image_id}/content", get(disks::image_content))
        .route_layer(middleware::from_fn_with_state(cloud, guard))
}

pub use crate::control_access::CONTROL_TOKEN_HEADER;

async fn guard(State(cloud): State<Cloud>, request: Request, next: Next) -> Response {
    let token = cloud.config().control_token.as_deref();
    match crate::control_access::refusal(token, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    }
}
