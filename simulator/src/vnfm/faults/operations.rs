//! The names rules give to the requests of the ETSI API: a request that starts an LCM
//! operation by its `LcmOperationType` (`CREATE_SNAPSHOT`), any other by
//! `<resource collection>.<verb>` (`vnf_snapshots.create`), and what a request addresses.

use axum::http::Method;

use super::steps::{operation_name, OPERATION_STEPS};
use crate::vnfm::links::Api;

/// The names of the requests that are not LCM operations.
pub const API_OPERATIONS: [&str; 17] = [
    "api_versions.query",
    "vnf_instances.create",
    "vnf_instances.query",
    "vnf_instances.modify",
    "vnf_instances.delete",
    "vnf_snapshots.create",
    "vnf_snapshots.query",
    "vnf_snapshots.modify",
    "vnf_snapshots.delete",
    "vnf_lcm_op_occs.query",
    "vnf_lcm_op_occs.retry",
    "vnf_lcm_op_occs.rollback",
    "vnf_lcm_op_occs.fail",
    "vnf_lcm_op_occs.cancel",
    "subscriptions.create",
    "subscriptions.query",
    "subscriptions.delete",
];

/// Every name a request can have: the LCM operations, then the others.
fn all_names() -> impl Iterator<Item = String> {
    OPERATION_STEPS
        .iter()
        .map(|(operation, _)| operation_name(*operation))
        .chain(API_OPERATIONS.iter().map(|name| name.to_string()))
}

/// Whether `name` (a trailing `*` matches a prefix) can name a request of the API.
pub fn is_known(name: &str) -> bool {
    let mut names = all_names();
    match name.strip_suffix('*') {
        Some(prefix) => names.any(|known| known.starts_with(prefix)),
        None => names.any(|known| known == name),
    }
}

/// Every name a request can have, for the message refusing an unknown one.
pub fn known_names() -> String {
    all_names().collect::<Vec<_>>().join(", ")
}

/// The resource a request addresses, when it names one by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Addressed {
    /// Nothing by id (a collection, or an unknown path).
    Nothing,
    /// A VNF instance.
    Instance(String),
    /// A VNF snapshot resource.
    Snapshot(String),
    /// An operation occurrence.
    OpOcc(String),
    /// A subscription.
    Subscription(String),
}

/// What a request to the ETSI API is, by its method and path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    /// The root it was sent to.
    pub api: Option<Api>,
    /// Its name, when it is one of the API's operations.
    pub operation: Option<String>,
    /// The resource it names by id.
    pub addressed: Addressed,
}

/// Names a request by its method and path.
pub fn classify(method: &Method, path: &str) -> ApiRequest {
    let (api, rest) = [Api::Sol003, Api::Sol002]
        .into_iter()
        .find_map(|api| {
            path.strip_prefix(api.prefix())
                .map(|rest| (Some(api), rest))
        })
        .unwrap_or((None, path));
    let rest = rest.strip_prefix("/v2").unwrap_or(rest);
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let verb = match *method {
        Method::GET => "query",
        Method::POST => "create",
        Method::PATCH => "modify",
        Method::DELETE => "delete",
        _ => "",
    };
    let named = |collection: &str| Some(format!("{collection}.{verb}"));
    let (operation, addressed) = match segments.as_slice() {
        ["api_versions"] if verb == "query" => (named("api_versions"), Addressed::Nothing),
        [collection @ ("vnf_instances" | "vnf_snapshots" | "subscriptions" | "vnf_lcm_op_occs")] => {
            (named(collection), Addressed::Nothing)
        }
        ["vnf_instances", id] => (named("vnf_instances"), Addressed::Instance(id.to_string())),
        ["vnf_instances", id, task] if *method == Method::POST => (
            Some(task.to_ascii_uppercase()),
            Addressed::Instance(id.to_string()),
        ),
        ["vnf_snapshots", id] => (named("vnf_snapshots"), Addressed::Snapshot(id.to_string())),
        ["vnf_lcm_op_occs", id] => (named("vnf_lcm_op_occs"), Addressed::OpOcc(id.to_string())),
        ["vnf_lcm_op_occs", id, task] if *method == Method::POST => (
            Some(format!("vnf_lcm_op_occs.{task}")),
            Addressed::OpOcc(id.to_string()),
        ),
        ["subscriptions", id] => (
            named("subscriptions"),
            Addressed::Subscription(id.to_string()),
        ),
        _ => (None, Addressed::Nothing),
    };
    let operation = operation.filter(|name| is_known(name));
    ApiRequest {
        api,
        operation,
        addressed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcm_requests_are_named_by_their_operation_type() {
        let request = classify(
            &Method::POST,
            "/ve_vnfm/vnflcm/v2/vnf_instances/i-1/create_snapshot",
        );
        assert_eq!(request.api, Some(Api::Sol002));
        assert_eq!(request.operation.as_deref(), Some("CREATE_SNAPSHOT"));
        assert_eq!(request.addressed, Addressed::Instance("i-1".into()));
    }

    #[test]
    fn other_requests_are_named_by_collection_and_verb() {
        let cases = [
            (
                Method::POST,
                "/or_vnfm/vnflcm/v2/vnf_snapshots",
                "vnf_snapshots.create",
            ),
            (
                Method::DELETE,
                "/or_vnfm/vnflcm/v2/vnf_snapshots/s-1",
                "vnf_snapshots.delete",
            ),
            (
                Method::GET,
                "/or_vnfm/vnflcm/v2/vnf_lcm_op_occs/o-1",
                "vnf_lcm_op_occs.query",
            ),
            (
                Method::POST,
                "/or_vnfm/vnflcm/v2/vnf_lcm_op_occs/o-1/retry",
                "vnf_lcm_op_occs.retry",
            ),
            (
                Method::GET,
                "/or_vnfm/vnflcm/api_versions",
                "api_versions.query",
            ),
        ];
        for (method, path, name) in cases {
            assert_eq!(
                classify(&method, path).operation.as_deref(),
                Some(name),
                "{path}"
            );
        }
        assert_eq!(
            classify(&Method::PUT, "/or_vnfm/vnflcm/v2/vnf_snapshots").operation,
            None
        );
    }

    #[test]
    fn names_are_checked_with_prefixes() {
        assert!(is_known("REVERT_TO_SNAPSHOT"));
        assert!(is_known("vnf_snapshots.*"));
        assert!(!is_known("snapshots.create"));
    }
}
