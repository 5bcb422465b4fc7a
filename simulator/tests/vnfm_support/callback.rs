//! A notification endpoint as an NFVO runs it, on wiremock, for the tests that subscribe to
//! the VNFM's notifications: it passes the VNFM's endpoint test and keeps what it receives.
//!
//! ```ignore
//! let endpoint = callback_endpoint().await; // GET (the endpoint test) and POST answer 204
//! let request = json!({"callbackUri": callback_uri(&endpoint)});
//! assert_eq!(stack.post("/subscriptions", request).await.status(), 201);
//! // ... run an operation ...
//! let received = wait_for_notifications(&endpoint, 3).await; // the POST bodies, in order
//! assert_eq!(received[2]["operationState"], "COMPLETED");
//! ```

use std::time::Duration;

use serde_json::Value;
use wiremock::{
    matchers::{header, method, path},
    Mock, MockServer, ResponseTemplate,
};

use super::eventually;

/// The path of the endpoint that subscriptions name (see [`callback_uri`]).
pub const CALLBACK_PATH: &str = "/callback";

/// An endpoint that passes the endpoint test (GET 204) and accepts every notification (204).
pub async fn callback_endpoint() -> MockServer {
    failing_callback_endpoint(0, 204).await
}

/// An endpoint that passes the endpoint test and answers `status` to the first `failures`
/// notifications, 204 to the others.
pub async fn failing_callback_endpoint(failures: u64, status: u16) -> MockServer {
    endpoint(failures, status, None).await
}

/// An endpoint like [`failing_callback_endpoint`] that accepts (204) only the notifications
/// posted to [`CALLBACK_PATH`] with the `Authorization` header `authorization`; wiremock answers
/// 404 to the others.
pub async fn authorized_callback_endpoint(
    failures: u64,
    status: u16,
    authorization: &str,
) -> MockServer {
    endpoint(failures, status, Some(authorization)).await
}

async fn endpoint(failures: u64, status: u16, authorization: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    if failures > 0 {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(failures)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    let accepted = match authorization {
        Some(value) => Mock::given(method("POST"))
            .and(path(CALLBACK_PATH))
            .and(header("authorization", value)),
        None => Mock::given(method("POST")),
    };
    accepted
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// The callback URI of `server` for a subscription.
pub fn callback_uri(server: &MockServer) -> String {
    format!("{}{CALLBACK_PATH}", server.uri())
}

/// The notifications posted to the callback path so far (delivered or refused), in order.
pub async fn notifications(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.method.as_str() == "POST" && request.url.path() == CALLBACK_PATH)
        .map(|request| serde_json::from_slice(&request.body).expect("a JSON notification"))
        .collect()
}

/// Waits until at least `count` notifications were posted; all of them.
pub async fn wait_for_notifications(server: &MockServer, count: usize) -> Vec<Value> {
    eventually(Duration::from_secs(60), || async {
        let received = notifications(server).await;
        (received.len() >= count).then_some(received)
    })
    .await
}

/// The `operationState` of each notification.
pub fn operation_states(notifications: &[Value]) -> Vec<&str> {
    notifications
        .iter()
        .map(|n| n["operationState"].as_str().expect("an operationState"))
        .collect()
}
