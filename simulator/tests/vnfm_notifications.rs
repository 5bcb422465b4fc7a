//! Subscriptions and notification delivery, against a wiremock subscriber.

mod vnfm_support;

use serde_json::{json, Value};
use vnfm_support::{
    authorized_callback_endpoint, callback_endpoint, callback_uri, failing_callback_endpoint,
    location, operation_states, start, start_with_quick_retries, wait_for_notifications,
};
use wiremock::{
    matchers::{method, path},
    Mock, MockServer, ResponseTemplate,
};

#[tokio::test]
async fn subscribing_tests_the_callback_and_hides_authentication() {
    let stack = start().await;
    let server = callback_endpoint().await;
    let callback = callback_uri(&server);
    let request = json!({
        "callbackUri": callback,
        "authentication": {"authType": ["BASIC"], "paramsBasic": {"userName": "u", "password": "p"}}
    });
    let created = stack.post("/subscriptions", request.clone()).await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let body: Value = created.json().await.unwrap();
    assert!(body.get("authentication").is_none());
    assert_eq!(body["verbosity"], "FULL");
    assert_eq!(body["_links"]["self"]["href"], location.as_str());
    let tests: Vec<_> = server.received_requests().await.unwrap();
    assert_eq!(tests[0].method.as_str(), "GET");
    assert!(tests[0].headers.contains_key("authorization"));
    assert_eq!(tests[0].headers["version"], "2.0.0");

    let duplicate = stack
        .request(reqwest::Method::POST, "/subscriptions")
        .await
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 303);
    assert_eq!(duplicate.headers()["location"].to_str().unwrap(), location);

    let one = stack.get_json(&location).await;
    assert!(one.get("authentication").is_none());
    assert_eq!(
        stack
            .get_json("/subscriptions")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let filtered = stack
        .get_json("/subscriptions?filter=(eq,callbackUri,http://elsewhere)")
        .await;
    assert_eq!(filtered, json!([]));
    assert_eq!(stack.delete(&location).await.status(), 204);
    assert_eq!(stack.get(&location).await.status(), 404);
}

#[tokio::test]
async fn a_failing_endpoint_test_refuses_the_subscription() {
    let stack = start().await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let refused = stack.subscribe(&server, json!({})).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("500"));
    assert_eq!(stack.get_json("/subscriptions").await, json!([]));

    let bad_uri = stack
        .post("/subscriptions", json!({"callbackUri": "not a uri"}))
        .await;
    assert_eq!(bad_uri.status(), 400);
    let bad_filter = stack
        .subscribe(
            &server,
            json!({"filter": {"notificationTypes": ["VnfIdentifierCreationNotification"], "operationTypes": ["INSTANTIATE"]}}),
        )
        .await;
    assert_eq!(bad_filter.status(), 400);
}

#[tokio::test]
async fn an_operation_notifies_starting_processing_completed_in_order() {
    let stack = start().await;
    let server = callback_endpoint().await;
    let callback = callback_uri(&server);
    let created = stack
        .post("/subscriptions", json!({"callbackUri": callback}))
        .await;
    let subscription: Value = created.json().await.unwrap();
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    let occ_url = stack.instantiate_on_vcd(&id).await;
    let occ_id = occ_url.rsplit('/').next().unwrap().to_string();

    let all = wait_for_notifications(&server, 4).await;
    let creation = &all[0];
    assert_eq!(
        creation["notificationType"],
        "VnfIdentifierCreationNotification"
    );
    assert_eq!(creation["vnfInstanceId"], id.as_str());
    assert_eq!(creation["subscriptionId"], subscription["id"]);
    assert!(creation["_links"].get("vnfLcmOpOcc").is_none());
    let received = &all[1..];
    let states = operation_states(received);
    assert_eq!(states, ["STARTING", "PROCESSING", "COMPLETED"]);
    let statuses: Vec<_> = received
        .iter()
        .map(|n| n["notificationStatus"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["START", "START", "RESULT"]);
    let root = stack.vnfm.sol003_root();
    for notification in received {
        assert_eq!(
            notification["notificationType"],
            "VnfLcmOperationOccurrenceNotification"
        );
        assert_eq!(notification["subscriptionId"], subscription["id"]);
        assert_eq!(notification["vnfInstanceId"], id.as_str());
        assert_eq!(notification["operation"], "INSTANTIATE");
        assert_eq!(notification["isAutomaticInvocation"], false);
        assert_eq!(notification["vnfLcmOpOccId"], occ_id.as_str());
        assert_eq!(
            notification["_links"]["vnfInstance"]["href"],
            format!("{root}/vnf_instances/{id}")
        );
        assert_eq!(
            notification["_links"]["vnfLcmOpOcc"]["href"],
            occ_url.as_str()
        );
        assert_eq!(
            notification["_links"]["subscription"]["href"],
            format!(
                "{root}/subscriptions/{}",
                subscription["id"].as_str().unwrap()
            )
        );
        let stamp = notification["timeStamp"].as_str().unwrap();
        assert!(stamp.ends_with('Z') && stamp.len() == 24, "{stamp}");
        assert!(notification.get("error").is_none());
    }
    let ids: std::collections::HashSet<_> =
        received.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    let posts = server.received_requests().await.unwrap();
    let post = posts
        .iter()
        .find(|request| request.method.as_str() == "POST")
        .unwrap();
    assert_eq!(post.headers["version"], "2.0.0");
}

#[tokio::test]
async fn filters_select_the_notifications_a_subscriber_gets() {
    let stack = start().await;
    let server = callback_endpoint().await;
    let only_completed_terminations = json!({
        "callbackUri": callback_uri(&server),
        "filter": {
            "notificationTypes": ["VnfLcmOperationOccurrenceNotification"],
            "operationTypes": ["TERMINATE"],
            "operationStates": ["COMPLETED"],
            "vnfInstanceSubscriptionFilter": {"vnfdIds": ["vnfd-ib-1vdu"]}
        }
    });
    assert_eq!(
        stack
            .post("/subscriptions", only_completed_terminations)
            .await
            .status(),
        201
    );
    let other = stack.new_instance("vnfd-vb-1vdu").await;
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    for instance in [&other, &id] {
        let url = stack.instantiate_on_vcd(instance).await;
        stack.wait_for_state(&url, "COMPLETED").await;
        let url = location(&stack.terminate(instance, "FORCEFUL").await);
        stack.wait_for_state(&url, "COMPLETED").await;
    }
    let received = wait_for_notifications(&server, 1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["operation"], "TERMINATE");
    assert_eq!(received[0]["vnfInstanceId"], id.as_str());
}

#[tokio::test]
async fn failed_deliveries_are_retried_without_blocking_the_operation() {
    let stack = start_with_quick_retries().await;
    let server = failing_callback_endpoint(2, 503).await;
    let operations = json!({"notificationTypes": ["VnfLcmOperationOccurrenceNotification"]});
    stack
        .subscribe(&server, json!({ "filter": operations }))
        .await;
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    let url = stack.instantiate_on_vcd(&id).await;
    stack.wait_for_state(&url, "COMPLETED").await;
    let received = wait_for_notifications(&server, 5).await;
    let states = operation_states(&received);
    assert_eq!(
        states,
        [
            "STARTING",
            "STARTING",
            "STARTING",
            "PROCESSING",
            "COMPLETED"
        ]
    );
}

#[tokio::test]
async fn notifications_use_basic_or_oauth2_credentials() {
    let stack = start().await;
    let server = authorized_callback_endpoint(0, 204, "Bearer tok-1").await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "tok-1", "token_type": "Bearer", "expires_in": 60}),
        ))
        .mount(&server)
        .await;
    let created = stack
        .subscribe(
            &server,
            json!({
                "verbosity": "SHORT",
                "authentication": {
                    "authType": ["OAUTH2_CLIENT_CREDENTIALS"],
                    "paramsOauth2ClientCredentials": {"clientId": "c", "clientPassword": "s", "tokenEndpoint": format!("{}/token", server.uri())}
                }
            }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    stack.instantiate_on_vcd(&id).await;
    let received = wait_for_notifications(&server, 3).await;
    assert!(
        received[2].get("affectedVnfcs").is_none(),
        "SHORT verbosity"
    );
    let requests = server.received_requests().await.unwrap();
    let token_request = requests
        .iter()
        .find(|request| request.url.path() == "/token")
        .unwrap();
    assert!(String::from_utf8_lossy(&token_request.body).contains("grant_type=client_credentials"));
    assert!(requests
        .iter()
        .filter(|request| request.method.as_str() == "POST" && request.url.path() == "/callback")
        .all(|request| request.headers["authorization"] == "Bearer tok-1"));

    let missing_params = stack
        .post(
            "/subscriptions",
            json!({"callbackUri": format!("{}/other", server.uri()), "authentication": {"authType": ["BASIC"]}}),
        )
        .await;
    assert_eq!(missing_params.status(), 400);
}
