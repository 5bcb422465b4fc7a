//! Operations that fail on the VIM: FAILED_TEMP with an error, then retry, rollback or fail,
//! with the matching notifications. The VIM is a Keystone URL nobody listens on.

mod vnfm_support;

use std::time::Duration;

use serde_json::{json, Value};
use simulator::vnfm::{vim::VimTiming, VnfmConfig};
use vnfm_support::{
    callback_endpoint, callback_uri, eventually, notifications, operation_states, start_with, Stack,
};
use wiremock::MockServer;

async fn unreachable_vim() -> Stack {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut config = VnfmConfig::default();
    config.default_vim.auth_url = format!("http://127.0.0.1:{port}/identity/v3");
    config.vim_timing = VimTiming {
        poll_interval: Duration::from_millis(20),
        resource_deadline: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
    };
    start_with(config).await
}

async fn subscribe(stack: &Stack) -> MockServer {
    let server = callback_endpoint().await;
    let created = stack
        .post(
            "/subscriptions",
            json!({"callbackUri": callback_uri(&server)}),
        )
        .await;
    assert_eq!(created.status(), 201);
    server
}

/// The first `count` operation occurrence notifications (the subscription selects the
/// instance's identifier notifications too).
async fn notified(server: &MockServer, count: usize) -> Vec<Value> {
    eventually(Duration::from_secs(60), || async {
        let received: Vec<Value> = notifications(server)
            .await
            .into_iter()
            .filter(|n| n["notificationType"] == "VnfLcmOperationOccurrenceNotification")
            .collect();
        (received.len() >= count).then_some(received)
    })
    .await
}

async fn instantiate_on_default_vim(stack: &Stack, id: &str) -> String {
    let response = stack
        .post(
            &format!("/vnf_instances/{id}/instantiate"),
            json!({"flavourId": "default"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_failed_instantiation_can_be_retried_and_rolled_back() {
    let stack = unreachable_vim().await;
    let server = subscribe(&stack).await;
    let id = stack.new_instance("vnfd-vb-1vdu").await;
    let occ_url = instantiate_on_default_vim(&stack, &id).await;

    let occ = stack.wait_for_state(&occ_url, "FAILED_TEMP").await;
    assert_eq!(
        occ["error"]["status"].as_u64().map(|status| status >= 500),
        Some(true)
    );
    assert!(!occ["error"]["detail"].as_str().unwrap().is_empty());
    for task in ["retry", "rollback", "fail"] {
        assert!(occ["_links"][task]["href"]
            .as_str()
            .unwrap()
            .ends_with(task));
    }
    assert!(occ["_links"].get("cancel").is_none());
    let instance = stack.get_json(&format!("/vnf_instances/{id}")).await;
    assert_eq!(instance["instantiationState"], "NOT_INSTANTIATED");

    let blocked = stack
        .post(
            &format!("/vnf_instances/{id}/instantiate"),
            json!({"flavourId": "default"}),
        )
        .await;
    assert_eq!(
        blocked.status(),
        409,
        "the instance is held by the failed operation"
    );
    assert_eq!(stack.delete_instance(&id).await, 409);
    let cancel = stack
        .post(
            &format!("{occ_url}/cancel"),
            json!({"cancelMode": "FORCEFUL"}),
        )
        .await;
    assert_eq!(cancel.status(), 409);

    assert_eq!(
        stack
            .post(&format!("{occ_url}/retry"), json!({}))
            .await
            .status(),
        202
    );
    notified(&server, 5).await;
    stack.wait_for_state(&occ_url, "FAILED_TEMP").await;
    assert_eq!(
        stack
            .post(&format!("{occ_url}/rollback"), json!({}))
            .await
            .status(),
        202
    );
    let occ = stack.wait_for_state(&occ_url, "ROLLED_BACK").await;
    assert!(
        occ["error"]["detail"].is_string(),
        "ROLLED_BACK keeps the error"
    );

    let received = notified(&server, 7).await;
    let states = operation_states(&received);
    assert_eq!(
        states,
        [
            "STARTING",
            "PROCESSING",
            "FAILED_TEMP",
            "PROCESSING",
            "FAILED_TEMP",
            "ROLLING_BACK",
            "ROLLED_BACK"
        ]
    );
    let statuses: Vec<_> = received
        .iter()
        .map(|n| n["notificationStatus"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["START", "START", "RESULT", "START", "RESULT", "START", "RESULT"]
    );
    let with_error: Vec<_> = received.iter().map(|n| n.get("error").is_some()).collect();
    assert_eq!(
        with_error,
        [false, false, true, true, true, true, true],
        "the error stays after FAILED_TEMP"
    );
    assert_eq!(stack.delete_instance(&id).await, 204);
}

#[tokio::test]
async fn vim_credentials_are_never_shown() {
    let stack = unreachable_vim().await;
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    let response = stack
        .post(
            &format!("/vnf_instances/{id}/instantiate"),
            json!({"flavourId": "default", "vimConnectionInfo": {"vim-1": {
                "vimType": "ETSINFV.OPENSTACK_KEYSTONE.V_3",
                "interfaceInfo": {"endpoint": "http://127.0.0.1:9/identity/v3"},
                "accessInfo": {"username": "u", "password": "secret-password", "project": "p"}
            }}}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let occ_url = response.headers()["location"].to_str().unwrap().to_string();
    let occ = stack.wait_for_state(&occ_url, "FAILED_TEMP").await;
    assert!(!occ.to_string().contains("secret-password"));
    assert_eq!(
        occ["operationParams"]["vimConnectionInfo"]["vim-1"]["vimType"],
        "ETSINFV.OPENSTACK_KEYSTONE.V_3"
    );
}

#[tokio::test]
async fn a_failed_instantiation_can_be_marked_failed() {
    let stack = unreachable_vim().await;
    let server = subscribe(&stack).await;
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    let occ_url = instantiate_on_default_vim(&stack, &id).await;
    stack.wait_for_state(&occ_url, "FAILED_TEMP").await;

    let failed = stack.post(&format!("{occ_url}/fail"), json!({})).await;
    assert_eq!(failed.status(), 200);
    let occ: Value = failed.json().await.unwrap();
    assert_eq!(occ["operationState"], "FAILED");
    assert!(occ["error"]["detail"].is_string());
    assert!(occ["_links"].get("retry").is_none());
    assert_eq!(
        stack
            .post(&format!("{occ_url}/retry"), json!({}))
            .await
            .status(),
        409
    );

    let received = notified(&server, 4).await;
    assert_eq!(received[3]["operationState"], "FAILED");
    assert_eq!(received[3]["notificationStatus"], "RESULT");
    assert!(received[3]["error"]["detail"].is_string());
    assert_eq!(
        stack.delete_instance(&id).await,
        204,
        "the instance is free again"
    );
}
