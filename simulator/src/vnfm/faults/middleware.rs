//! Request effects: in front of the ETSI handlers (after authentication), a matching
//! `latency` rule delays the request and a matching `unavailable` rule answers for it, so
//! that nothing is stored, started or asked of the cloud.

use std::time::Duration;

use axum::{
    extract::{Request, State},
    http::Method,
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{
    operations::{classify, Addressed},
    EffectKind, Facts,
};
use crate::vnfm::{api::AppState, error::VnfmError, services::Services};

/// Applies the request effects of the VNFM's fault rules.
pub async fn request_effects(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let services = &state.services;
    if services.faults.book().is_empty() {
        return next.run(request).await;
    }
    let facts = request_facts(services, request.method(), request.uri().path());
    let decision = services.faults.book().decide_request(&facts);
    if decision.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.latency_ms)).await;
    }
    match decision.unavailable {
        Some((status, service)) => {
            VnfmError::ServiceUnavailable { status, service }.into_response()
        }
        None => next.run(request).await,
    }
}

/// What rules match a request on: its root, method, path, name, and the VNF instance or
/// subscription it addresses (a VNF snapshot stands for the instance it was taken from, an
/// operation occurrence for the instance it operates on).
fn request_facts(services: &Services, method: &Method, path: &str) -> Facts {
    let request = classify(method, path);
    let (vnf_instance_id, subscription_id) = match request.addressed {
        Addressed::Nothing => (None, None),
        Addressed::Instance(id) => (Some(id), None),
        Addressed::Snapshot(id) => (
            services
                .store
                .lock()
                .snapshots
                .get(&id)
                .and_then(|snapshot| snapshot.taken_from.clone()),
            None,
        ),
        Addressed::OpOcc(id) => (
            services
                .store
                .lock()
                .op_occs
                .get(&id)
                .map(|record| record.occ.vnf_instance_id.clone()),
            None,
        ),
        Addressed::Subscription(id) => (None, Some(id)),
    };
    Facts {
        kind: EffectKind::Request,
        api: request.api,
        method: Some(method.as_str().to_string()),
        path: Some(path.to_string()),
        operation: request.operation,
        vnf_instance_id,
        subscription_id,
        step: None,
    }
}
