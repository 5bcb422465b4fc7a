//! Every service and the control API of one cloud on one router, devstack style.

use axum::Router;

use super::{cinder, cloud::Cloud, control, gateway, glance, keystone, neutron, nova};

/// The routes of Keystone, Nova, Cinder, Glance, Neutron and `/_sim` (with the extra `control`
/// routes), each under its prefix, over the state handle `cloud`.
pub fn router(cloud: &Cloud, control: Router<Cloud>) -> Router {
    Router::new()
        .merge(keystone::routes(cloud.clone()))
        .merge(nova::routes(cloud.clone()))
        .merge(cinder::routes(cloud.clone()))
        .merge(glance::routes(cloud.clone()))
        .merge(neutron::routes(cloud.clone()))
        .merge(control::routes(cloud.clone(), control))
        .fallback(gateway::unknown_path)
        .with_state(cloud.clone())
}
