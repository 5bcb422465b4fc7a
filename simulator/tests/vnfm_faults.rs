//! The reference VNFM's own fault rules (`/_vnfm/faults`): each effect, each trigger, the
//! guard and invalid rules, against the whole stack in one process.

mod vnfm_support;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use simulator::{
    kit::{VnfmClient, VnfmControl, VnfmFault},
    stack::{Stack, StackOptions},
    trigger::Trigger,
    vnfm::{
        faults::{Step, VnfmFaultRule},
        Api,
    },
};
use vnfm_support::{callback_endpoint, callback_uri, operation_states, wait_for_notifications};
use wiremock::MockServer;

/// How long anything may take before a test gives up (never reached unless broken).
const DEADLINE: Duration = Duration::from_secs(60);

struct Fixture {
    stack: Stack,
    nfvo: VnfmClient,
    control: VnfmControl,
}

async fn fixture() -> Fixture {
    fixture_with(StackOptions::default()).await
}

async fn fixture_with(options: StackOptions) -> Fixture {
    let stack = Stack::start(options).await.expect("stack");
    Fixture {
        nfvo: stack.vnfm_client(),
        control: stack.vnfm_control(),
        stack,
    }
}

impl Fixture {
    /// Adds a fault rule to the VNFM; its id.
    async fn rule(&self, rule: &VnfmFaultRule) -> String {
        self.control.add(rule).await.expect("rule added")
    }

    async fn instance(&self) -> String {
        self.nfvo
            .instantiated_instance(&json!({"vnfdId": "vnfd-vb-1vdu"}), DEADLINE)
            .await
            .expect("instantiated instance")
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let response = self.nfvo.send(method, path, body.as_ref()).await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// POST of a create_snapshot into a new snapshot resource; the status, the body and the
    /// op occ's URL when accepted.
    async fn create_snapshot(
        &self,
        instance: &str,
        snapshot: &str,
    ) -> (u16, Value, Option<String>) {
        let response = self
            .nfvo
            .send(
                Method::POST,
                &format!("/vnf_instances/{instance}/create_snapshot"),
                Some(&json!({"vnfSnapshotInfoId": snapshot})),
            )
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        (
            status,
            response.json().await.unwrap_or(Value::Null),
            location,
        )
    }

    async fn op_occ_count(&self) -> usize {
        let (_, list) = self.send(Method::GET, "/vnf_lcm_op_occs", None).await;
        list.as_array().map(Vec::len).unwrap_or_default()
    }

    /// The sequence number of the last call the cloud answered.
    async fn cloud_calls(&self) -> u64 {
        let calls = self.stack.control().calls(None, None).await.unwrap();
        calls.last().map(|call| call.seq).unwrap_or_default()
    }

    async fn wait_for(&self, occ: &str, state: &str) -> Value {
        let until = tokio::time::Instant::now() + DEADLINE;
        loop {
            let (_, body) = self.send(Method::GET, occ, None).await;
            if body["operationState"] == state {
                return body;
            }
            assert!(
                tokio::time::Instant::now() < until,
                "{occ} never {state}: {body}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Starts a snapshot of `instance` into a new snapshot resource; the resource's id and the
    /// op occ's URL.
    async fn start_snapshot(&self, instance: &str) -> (String, String) {
        let snapshot = self.nfvo.create_snapshot_resource().await.unwrap();
        let occ = self
            .nfvo
            .create_snapshot(instance, &snapshot)
            .await
            .unwrap();
        (snapshot, occ)
    }

    async fn completed_snapshot(&self, instance: &str) -> String {
        let (snapshot, occ) = self.start_snapshot(instance).await;
        self.wait_for(&occ, "COMPLETED").await;
        snapshot
    }

    /// An instantiated instance and a completed snapshot of it.
    async fn instance_with_snapshot(&self) -> (String, String) {
        let instance = self.instance().await;
        let snapshot = self.completed_snapshot(&instance).await;
        (instance, snapshot)
    }

    /// POSTs the task `task` (`retry`, `rollback`, `cancel`) of the op occ `occ`, asserts 202,
    /// and waits for the op occ to reach `state`.
    async fn occ_task(&self, occ: &str, task: &str, body: Option<Value>, state: &str) -> Value {
        let (status, _) = self
            .send(Method::POST, &format!("{occ}/{task}"), body)
            .await;
        assert_eq!(status, 202, "{occ}/{task}");
        self.wait_for(occ, state).await
    }
}

/// A fault of the operation `operation` on the instance `instance`.
fn fault_on(operation: &str, instance: &str) -> VnfmFault {
    VnfmFault::new().operation(operation).instance(instance)
}

#[tokio::test]
async fn unavailable_refuses_create_snapshot_naming_the_service_and_changes_nothing() {
    let f = fixture().await;
    let instance = f.instance().await;
    let other = f.instance().await;
    let snapshot = f.nfvo.create_snapshot_resource().await.unwrap();
    let unavailable = fault_on("CREATE_SNAPSHOT", &instance).unavailable_service("database");
    let rule = f.rule(&unavailable).await;
    let (occs, calls) = (f.op_occ_count().await, f.cloud_calls().await);

    let (status, problem, location) = f.create_snapshot(&instance, &snapshot).await;
    assert_eq!(status, 503);
    assert_eq!(problem["status"], 503);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("database is unavailable"), "{detail}");
    assert!(detail.contains("rely on all other services"), "{detail}");
    assert_eq!(location, None);
    assert_eq!(f.op_occ_count().await, occs);
    assert_eq!(f.cloud_calls().await, calls);
    let (_, empty) = f
        .send(Method::GET, &format!("/vnf_snapshots/{snapshot}"), None)
        .await;
    assert!(empty.get("vnfSnapshot").is_none(), "{empty}");

    // Another instance is not affected; the rule counts its hits.
    let elsewhere = f.nfvo.create_snapshot_resource().await.unwrap();
    let (status, _, _) = f.create_snapshot(&other, &elsewhere).await;
    assert_eq!(status, 202);
    let listed = f.control.get(&rule).await.unwrap();
    assert_eq!(listed["hits"], 1);
    assert_eq!(listed["remaining"], Value::Null);

    f.control.remove(&rule).await.unwrap();
    let (status, _, location) = f.create_snapshot(&instance, &snapshot).await;
    assert_eq!(status, 202);
    f.wait_for(&location.unwrap(), "COMPLETED").await;
}

#[tokio::test]
async fn unavailable_matches_the_api_root_and_names_the_default_service() {
    let f = fixture().await;
    let rule = VnfmFault::new()
        .api(Api::Sol002)
        .operation("vnf_snapshots.create")
        .unavailable_with(500, "vim-manager");
    f.rule(&rule).await;
    let sol002 = VnfmClient::new(&format!("{}/ve_vnfm/vnflcm/v2", f.stack.vnfm_http_url()));
    let refused = sol002
        .send(Method::POST, "/vnf_snapshots", Some(&json!({})))
        .await
        .unwrap();
    assert_eq!(refused.status(), 500);
    let problem: Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("vim-manager"));
    f.nfvo
        .create_snapshot_resource()
        .await
        .expect("SOL003 is not affected");

    f.control.clear().await.unwrap();
    f.rule(&VnfmFault::new().operation("vnf_snapshots.*").unavailable())
        .await;
    let (status, problem) = f.send(Method::GET, "/vnf_snapshots", None).await;
    assert_eq!(status, 503);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains(simulator::vnfm::faults::DEFAULT_SERVICE));
}

#[tokio::test]
async fn unavailable_delete_keeps_the_snapshot_and_its_cloud_resources() {
    let f = fixture().await;
    let (instance, snapshot) = f.instance_with_snapshot().await;
    let unavailable = fault_on("vnf_snapshots.delete", &instance).unavailable();
    let rule = f.rule(&unavailable).await;
    let calls = f.cloud_calls().await;
    let path = format!("/vnf_snapshots/{snapshot}");
    let (status, _) = f.send(Method::DELETE, &path, None).await;
    assert_eq!(status, 503);
    assert_eq!(f.cloud_calls().await, calls);
    let (status, kept) = f.send(Method::GET, &path, None).await;
    assert_eq!(status, 200);
    assert!(kept["vnfSnapshot"].is_object());
    f.control.remove(&rule).await.unwrap();
    let (status, _) = f.send(Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn latency_delays_the_answer_by_at_least_its_duration() {
    let f = fixture().await;
    f.rule(
        &VnfmFault::new()
            .method("GET")
            .path("/vnf_snapshots")
            .latency(300),
    )
    .await;
    let started = Instant::now();
    let (status, _) = f.send(Method::GET, "/vnf_snapshots", None).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn fail_at_a_step_fails_the_operation_with_the_error_then_retry_completes() {
    let f = fixture().await;
    let instance = f.instance().await;
    let rule = fault_on("CREATE_SNAPSHOT", &instance)
        .fail_at_with_status(Step::Vnfc, 503, "the VIM manager lost its session")
        .times(1);
    f.rule(&rule).await;
    let (_, occ) = f.start_snapshot(&instance).await;
    let failed = f.wait_for(&occ, "FAILED_TEMP").await;
    assert_eq!(failed["error"]["status"], 503);
    assert_eq!(
        failed["error"]["detail"],
        "the VIM manager lost its session"
    );
    assert!(
        f.control.list().await.unwrap().is_empty(),
        "a spent rule is gone"
    );
    f.occ_task(&occ, "retry", None, "COMPLETED").await;
}

#[tokio::test]
async fn fail_at_the_virtual_link_of_an_instantiation_rolls_back() {
    let f = fixture().await;
    let id = f
        .nfvo
        .create_instance(&json!({"vnfdId": "vnfd-vb-1vdu"}))
        .await
        .unwrap();
    let rule = fault_on("INSTANTIATE", &id).fail_at(Step::VirtualLink, "no network service");
    let rule = f.rule(&rule).await;
    let calls = f.cloud_calls().await;
    let occ = f
        .nfvo
        .instantiate(&id, &json!({"flavourId": "default"}))
        .await
        .unwrap();
    let failed = f.wait_for(&occ, "FAILED_TEMP").await;
    assert_eq!(failed["error"]["status"], 500);
    assert_eq!(failed["error"]["detail"], "no network service");
    // Only the session to the cloud may have been opened: no resource was made.
    let made: Vec<_> = f
        .stack
        .control()
        .calls(None, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|call| call.seq > calls)
        .filter(|call| call.method != "GET" && call.operation != "tokens.create")
        .collect();
    assert!(made.is_empty(), "{made:?}");
    f.control.remove(&rule).await.unwrap();
    f.occ_task(&occ, "rollback", None, "ROLLED_BACK").await;
}

#[tokio::test]
async fn hold_keeps_the_operation_processing_until_released() {
    let f = fixture().await;
    let instance = f.instance().await;
    let hold = f
        .rule(&fault_on("CREATE_SNAPSHOT", &instance).hold(Step::Vnfc))
        .await;
    let (_, occ) = f.start_snapshot(&instance).await;
    f.control.wait_until_held(&hold, 1, DEADLINE).await.unwrap();
    let (_, held) = f.send(Method::GET, &occ, None).await;
    assert_eq!(held["operationState"], "PROCESSING");
    f.control.release(&hold).await.unwrap();
    f.wait_for(&occ, "COMPLETED").await;
    let listed = f.control.get(&hold).await.unwrap();
    assert_eq!(
        (listed["hits"].clone(), listed["held"].clone()),
        (json!(1), json!(0))
    );
}

#[tokio::test]
async fn removing_a_hold_rule_releases_what_it_holds() {
    let f = fixture().await;
    let (instance, snapshot) = f.instance_with_snapshot().await;
    let hold = fault_on("REVERT_TO_SNAPSHOT", &instance).hold(Step::Starting);
    let hold = f.rule(&hold.times(1)).await;
    let (status, _) = f
        .send(
            Method::POST,
            &format!("/vnf_instances/{instance}/revert_to_snapshot"),
            Some(json!({"vnfSnapshotInfoId": snapshot})),
        )
        .await;
    assert_eq!(status, 202);
    f.control.wait_until_held(&hold, 1, DEADLINE).await.unwrap();
    let listed = f.control.get(&hold).await.unwrap();
    assert_eq!(
        listed["remaining"], 0,
        "a spent hold rule stays while it holds"
    );
    f.control.remove(&hold).await.unwrap();
    let (_, occs) = f
        .send(
            Method::GET,
            "/vnf_lcm_op_occs?filter=(eq,operation,REVERT_TO_SNAPSHOT)",
            None,
        )
        .await;
    let occ = format!("/vnf_lcm_op_occs/{}", occs[0]["id"].as_str().unwrap());
    f.wait_for(&occ, "COMPLETED").await;
}

#[tokio::test]
async fn a_forceful_cancel_ends_a_hold() {
    let f = fixture().await;
    let instance = f.instance().await;
    let hold = f
        .rule(&VnfmFault::new().instance(&instance).hold(Step::Completing))
        .await;
    let (_, occ) = f.start_snapshot(&instance).await;
    f.control.wait_until_held(&hold, 1, DEADLINE).await.unwrap();
    let forceful = json!({"cancelMode": "FORCEFUL"});
    let failed = f
        .occ_task(&occ, "cancel", Some(forceful), "FAILED_TEMP")
        .await;
    assert!(failed["error"]["detail"]
        .as_str()
        .unwrap()
        .contains("cancelMode FORCEFUL"));
    assert_eq!(f.control.get(&hold).await.unwrap()["held"], 0);
}

/// A subscriber to the notifications about `instance`; the subscription's id.
async fn subscriber(f: &Fixture, instance: &str) -> (MockServer, String) {
    let server = callback_endpoint().await;
    let request = json!({
        "callbackUri": callback_uri(&server),
        "filter": {
            "vnfInstanceSubscriptionFilter": {"vnfInstanceIds": [instance]},
            "notificationTypes": ["VnfLcmOperationOccurrenceNotification"]
        }
    });
    let (status, created) = f.send(Method::POST, "/subscriptions", Some(request)).await;
    assert_eq!(status, 201);
    (server, created["id"].as_str().unwrap().to_string())
}

/// The states of the notifications the subscriber received, once it has `count` of them.
async fn received_states(server: &MockServer, count: usize) -> Vec<String> {
    let received = wait_for_notifications(server, count).await;
    operation_states(&received)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Takes a snapshot of `instance` with one notification rule on the subscription; the
/// states the subscriber received once the operation completed (`expected` of them).
async fn notified_with(
    rule: fn(VnfmFault) -> simulator::vnfm::faults::VnfmFaultRule,
    expected: usize,
) -> Vec<String> {
    let f = fixture().await;
    let instance = f.instance().await;
    let (server, subscription) = subscriber(&f, &instance).await;
    f.rule(&rule(VnfmFault::new().subscription(&subscription)))
        .await;
    f.completed_snapshot(&instance).await;
    let states = received_states(&server, expected).await;
    assert_eq!(
        f.control.list().await.unwrap().len(),
        0,
        "the times(1) rule is spent"
    );
    states
}

#[tokio::test]
async fn duplicate_sends_a_notification_twice() {
    let states = notified_with(|fault| fault.duplicate().times(1), 4).await;
    assert_eq!(states, ["STARTING", "STARTING", "PROCESSING", "COMPLETED"]);
}

#[tokio::test]
async fn drop_leaves_a_notification_out() {
    let states = notified_with(|fault| fault.drop_notification().times(1), 2).await;
    assert_eq!(states, ["PROCESSING", "COMPLETED"]);
}

#[tokio::test]
async fn reorder_sends_a_notification_after_the_next_one() {
    let states = notified_with(|fault| fault.reorder().times(1), 3).await;
    assert_eq!(states, ["PROCESSING", "STARTING", "COMPLETED"]);
}

#[tokio::test]
async fn delay_sends_a_notification_at_least_that_late() {
    let f = fixture().await;
    let instance = f.instance().await;
    let (server, subscription) = subscriber(&f, &instance).await;
    f.rule(
        &VnfmFault::new()
            .subscription(&subscription)
            .delay(300)
            .times(1),
    )
    .await;
    let started = Instant::now();
    f.completed_snapshot(&instance).await;
    let states = received_states(&server, 1).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        received_states(&server, 3).await,
        ["STARTING", "PROCESSING", "COMPLETED"]
    );
    assert_eq!(states[0], "STARTING");
}

#[tokio::test]
async fn a_probability_trigger_fires_reproducibly_from_its_seed() {
    let f = fixture().await;
    let (p, seed) = (0.5, 42);
    let mut expected = Trigger::Probability { p, seed }.start();
    let expected: Vec<bool> = (0..24).map(|_| expected.fires()).collect();
    for _ in 0..2 {
        let rule = f
            .rule(
                &VnfmFault::new()
                    .operation("vnf_snapshots.query")
                    .unavailable()
                    .probability(p, seed),
            )
            .await;
        let mut refused = Vec::new();
        for _ in 0..expected.len() {
            let (status, _) = f.send(Method::GET, "/vnf_snapshots", None).await;
            refused.push(status == 503);
        }
        assert_eq!(refused, expected);
        f.control.remove(&rule).await.unwrap();
    }
}

#[tokio::test]
async fn a_times_trigger_fires_on_the_next_matches_only() {
    let f = fixture().await;
    let rule = f
        .rule(
            &VnfmFault::new()
                .operation("vnf_snapshots.query")
                .unavailable()
                .times(2),
        )
        .await;
    assert_eq!(f.control.get(&rule).await.unwrap()["remaining"], 2);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(f.send(Method::GET, "/vnf_snapshots", None).await.0);
    }
    assert_eq!(statuses, [503, 503, 200]);
    assert!(f.control.list().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_control_api_needs_the_token_when_one_is_configured() {
    let mut options = StackOptions::default();
    options.vnfm.control_token = Some("s3cret".into());
    let f = fixture_with(options).await;
    let refused = f.control.list().await.unwrap_err();
    assert_eq!(refused.status, Some(403));
    assert!(
        refused.message.contains("X-Sim-Control-Token"),
        "{}",
        refused.message
    );
    let control = f.control.clone().with_token("s3cret");
    let id = control.add(&VnfmFault::new().latency(1)).await.unwrap();
    assert_eq!(control.list().await.unwrap()[0]["id"], id.as_str());
}

#[tokio::test]
async fn the_control_api_is_outside_the_etsi_roots_and_their_authentication() {
    let f = fixture().await;
    let http = reqwest::Client::new();
    let url = format!("{}/_vnfm/faults", f.stack.vnfm_http_url());
    let created = http
        .post(&url)
        .json(&json!({"effect": {"type": "drop"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(location, format!("{url}/{id}"));
    let listed = vnfm_support::json_of(http.get(&location)).await;
    assert_eq!(listed["effect"], json!({"type": "drop"}));
    assert_eq!(listed["trigger"], json!({"type": "always"}));
    let released = http
        .post(format!("{location}/release"))
        .send()
        .await
        .unwrap();
    assert_eq!(released.status(), 204);
    let removed = http.delete(&location).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    let again = http.delete(&location).send().await.unwrap();
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn invalid_rules_are_refused_with_400_saying_why() {
    let f = fixture().await;
    let http = reqwest::Client::new();
    let url = format!("{}/_vnfm/faults", f.stack.vnfm_http_url());
    let cases = [
        (json!("not a rule"), "invalid rule"),
        (json!({"effect": {"type": "explode"}}), "unknown variant"),
        (
            json!({"effect": {"type": "unavailable", "status": 200}}),
            "not an HTTP error status",
        ),
        (
            json!({"match": {"method": "POST"}, "effect": {"type": "hold", "step": "vnfc"}}),
            "match criterion method does not apply to a step effect",
        ),
        (
            json!({"match": {"operation": "CREATE_SNAPSHOT"}, "effect": {"type": "fail_at", "step": "virtual_link", "detail": "x"}}),
            "has no step virtual_link",
        ),
        (
            json!({"match": {"operation": "snapshots.delete"}, "effect": {"type": "unavailable"}}),
            "unknown operation",
        ),
        (
            json!({"effect": {"type": "drop"}, "trigger": {"type": "probability", "p": 2.0, "seed": 1}}),
            "probability",
        ),
        (
            json!({"match": {"project_id": "p"}, "effect": {"type": "drop"}}),
            "unknown field",
        ),
    ];
    for (rule, message) in cases {
        let response = http.post(&url).json(&rule).send().await.unwrap();
        assert_eq!(response.status(), 400, "{rule}");
        let body: Value = response.json().await.unwrap();
        let error = body["error"].as_str().unwrap();
        assert!(error.contains(message), "{rule}: {error}");
    }
    assert!(f.control.list().await.unwrap().is_empty());
}
