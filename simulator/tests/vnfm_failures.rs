//! Operations that fail on the VIM: FAILED_TEMP with an error, then retry, rollback or fail,
//! with the matching notifications. The VIM is a Keystone URL nobody listens on.

mod vnfm_support;

use std::time::Duration;

use serde_json::{json, Value};
use simulator::vnfm::{vim::VimTiming, VnfmConfig};
use vnfm_support::{
    callback_endpoint, eventually, location, notifications, operation_states, start_with, Stack,
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
    assert_eq!(stack.subscribe(&server, json!({})).await.status(), 201);
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

/// `POST /vnf_instances/{id}/instantiate` with `request`.
async fn ask_instantiate(stack: &Stack, id: &str, request: Value) -> reqwest::Response {
    let path = format!("/vnf_instances/{id}/instantiate");
    stack.post(&path, request).await
}

/// Instantiates `id` on the VNFM's default VIM; the op occ's URL.
async fn instantiate_on_default_vim(stack: &Stack, id: &str) -> String {
    let response = ask_instantiate(stack, id, json!({"flavourId": "default"})).await;
    assert_eq!(response.status(), 202);
    location(&response)
}

/// The status of the task `task` (`retry`, `rollback`, `cancel`) of the op occ at `occ_url`.
async fn task_status(stack: &Stack, occ_url: &str, task: &str, request: Value) -> u16 {
    let path = format!("{occ_url}/{task}");
    stack.post(&path, request).await.status().as_u16()
}

/// A stack on the unreachable VIM with a subscriber, and an instance of `vnfd` whose
/// instantiation failed: the stack, the subscriber, the instance's id, the op occ's URL and the
/// op occ in FAILED_TEMP.
async fn failed_instantiation(vnfd: &str) -> (Stack, MockServer, String, String, Value) {
    let stack = unreachable_vim().await;
    let server = subscribe(&stack).await;
    let id = stack.new_instance(vnfd).await;
    let occ_url = instantiate_on_default_vim(&stack, &id).await;
    let occ = stack.wait_for_state(&occ_url, "FAILED_TEMP").await;
    (stack, server, id, occ_url, occ)
}

#[tokio::test]
async fn a_failed_instantiation_can_be_retried_and_rolled_back() {
    let (stack, server, id, occ_url, occ) = failed_instantiation("vnfd-vb-1vdu").await;
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

    let blocked = ask_instantiate(&stack, &id, json!({"flavourId": "default"})).await;
    assert_eq!(
        blocked.status(),
        409,
        "the instance is held by the failed operation"
    );
    assert_eq!(stack.delete_instance(&id).await, 409);
    let forceful = json!({"cancelMode": "FORCEFUL"});
    assert_eq!(task_status(&stack, &occ_url, "cancel", forceful).await, 409);

    assert_eq!(task_status(&stack, &occ_url, "retry", json!({})).await, 202);
    notified(&server, 5).await;
    stack.wait_for_state(&occ_url, "FAILED_TEMP").await;
    assert_eq!(
        task_status(&stack, &occ_url, "rollback", json!({})).await,
        202
    );
    let occ = stack.wait_for_state(&occ_url, "ROLLED_BACK").await;
    assert!(
        occ["error"]["detail"].is_string(),
        "ROLLED_BACK keeps the error"
    );

    let received = notified(&server, 7).await;
    assert_eq!(
        operation_states(&received),
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
    let request = json!({"flavourId": "default", "vimConnectionInfo": {"vim-1": {
        "vimType": "ETSINFV.OPENSTACK_KEYSTONE.V_3",
        "interfaceInfo": {"endpoint": "http://127.0.0.1:9/identity/v3"},
        "accessInfo": {"username": "u", "password": "secret-password", "project": "p"}
    }}});
    let response = ask_instantiate(&stack, &id, request).await;
    assert_eq!(response.status(), 202);
    let occ_url = location(&response);
    let occ = stack.wait_for_state(&occ_url, "FAILED_TEMP").await;
    assert!(!occ.to_string().contains("secret-password"));
    assert_eq!(
        occ["operationParams"]["vimConnectionInfo"]["vim-1"]["vimType"],
        "ETSINFV.OPENSTACK_KEYSTONE.V_3"
    );
}

#[tokio::test]
async fn a_failed_instantiation_can_be_marked_failed() {
    let (stack, server, id, occ_url, _) = failed_instantiation("vnfd-ib-1vdu").await;

    let failed = stack.post(&format!("{occ_url}/fail"), json!({})).await;
    assert_eq!(failed.status(), 200);
    let occ: Value = failed.json().await.unwrap();
    assert_eq!(occ["operationState"], "FAILED");
    assert!(occ["error"]["detail"].is_string());
    assert!(occ["_links"].get("retry").is_none());
    assert_eq!(task_status(&stack, &occ_url, "retry", json!({})).await, 409);

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
