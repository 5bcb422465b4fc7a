//! Saving and replaying the whole stack's state: a document exported from one stack is loaded
//! into another (a restart, other ports) and the VNF's lifecycle continues there; documents that
//! cannot be loaded are refused and change nothing; operations in progress at export come back
//! as after a VNFM restart.

mod vnfm_support;

use std::{
    collections::BTreeSet,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use reqwest::Method;
use serde_json::{json, Value};
use simulator::{
    kit::{Fault, KeystoneClient, PasswordAuth, VnfmClient, VnfmFault},
    openstack::{clock::TimeProfile, service::Service, CloudConfig},
    stack::{Stack, StackOptions},
};
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

const DEADLINE: Duration = Duration::from_secs(60);

async fn stack() -> Stack {
    Stack::start(StackOptions::default())
        .await
        .expect("stack starts")
}

/// The ids of one table of `GET /_sim/state`.
fn ids(state: &Value, table: &str) -> BTreeSet<String> {
    state[table]
        .as_array()
        .unwrap_or_else(|| panic!("no {table} in {state}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect()
}

/// A body of a VNFM answer, expecting 200.
async fn get(nfvo: &VnfmClient, path: &str) -> Value {
    let response = nfvo.send(Method::GET, path, None).await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// Waits for an operation occurrence to end; expects COMPLETED.
async fn completed(nfvo: &VnfmClient, occ: &str) -> Value {
    let done = nfvo.wait_for_operation(occ, DEADLINE).await.unwrap();
    assert_eq!(done["operationState"], "COMPLETED", "{done}");
    done
}

/// The document as `stack` would have exported it with the URLs of `other`, without the
/// cloud time (it flows between two exports).
fn comparable(document: &Value, stack: &Stack, other: &Stack) -> Value {
    let mut text = document.to_string();
    for (from, to) in [
        (stack.cloud_url(), other.cloud_url()),
        (stack.vnfm_http_url(), other.vnfm_http_url()),
        (stack.vnfm_https_url(), other.vnfm_https_url()),
    ] {
        text = text
            .replace(&format!("\"{from}/"), &format!("\"{to}/"))
            .replace(&format!("\"{from}\""), &format!("\"{to}\""));
    }
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["cloud"]["clock"]
        .as_object_mut()
        .unwrap()
        .remove("now_ms");
    value
}

/// A callback endpoint answering 204 to everything.
async fn callback_endpoint() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_snapshot_taken_before_a_restart_is_reverted_to_and_deleted_after_it() {
    let first = stack().await;
    let nfvo = first.vnfm_client();
    let instance = vnfm_support::instantiated(&nfvo, "vnfd-vb-2vdu").await;
    let snapshot = nfvo.create_snapshot_resource().await.unwrap();
    let occ = nfvo.create_snapshot(&instance, &snapshot).await.unwrap();
    completed(&nfvo, &occ).await;
    let before = first.control().state().await.unwrap();
    assert_eq!(ids(&before, "servers").len(), 2);
    assert_eq!(ids(&before, "snapshots").len(), 4);
    let document = first.control().export_state().await.unwrap();
    drop(nfvo);
    drop(first);

    let second = stack().await;
    let interrupted = second.control().load_state(&document).await.unwrap();
    assert!(interrupted.is_empty(), "{interrupted:?}");
    let loaded = second.control().state().await.unwrap();
    for table in ["projects"].into_iter().chain(vnfm_support::VNF_TABLES) {
        assert_eq!(ids(&loaded, table), ids(&before, table), "{table}");
    }
    let nfvo = second.vnfm_client();
    let shown = get(&nfvo, &format!("/vnf_instances/{instance}")).await;
    assert_eq!(
        shown["vimConnectionInfo"]["default-vim"]["interfaceInfo"]["endpoint"],
        second.cloud().auth_url().as_str(),
        "the VIM binding follows the loading stack's cloud"
    );

    let revert = nfvo.revert_to_snapshot(&instance, &snapshot).await.unwrap();
    let reverted = completed(&nfvo, &revert).await;
    let after_revert = second.control().state().await.unwrap();
    let servers = ids(&after_revert, "servers");
    assert_eq!(servers.len(), 2);
    assert!(servers.is_disjoint(&ids(&before, "servers")));

    nfvo.delete(&format!("/vnf_snapshots/{snapshot}"))
        .await
        .unwrap();
    let after_delete = second.control().state().await.unwrap();
    assert!(ids(&after_delete, "snapshots").is_empty());
    let images = after_delete["images"].as_array().unwrap();
    assert!(
        images.iter().all(|image| image["seeded"] == true),
        "{images:?}"
    );

    let terminate = nfvo.terminate(&instance).await.unwrap();
    completed(&nfvo, &terminate).await;
    nfvo.delete(&format!("/vnf_instances/{instance}"))
        .await
        .unwrap();
    let after = second.control().state().await.unwrap();
    assert!(ids(&after, "servers").is_empty());
    assert!(ids(&after, "ports").is_empty());
    let vnf_networks = ids(&before, "networks");
    assert!(ids(&after, "networks").is_disjoint(&vnf_networks));
    let left_on_vim: BTreeSet<String> = reverted["resourcesLeftOnVim"]
        .as_array()
        .unwrap()
        .iter()
        .map(|left| left["resourceId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids(&after, "volumes"),
        left_on_vim,
        "only the volumes the revert reported left on the VIM remain"
    );
}

#[tokio::test]
async fn export_load_export_gives_the_same_document() {
    let callback = callback_endpoint().await;
    let first = stack().await;
    let nfvo = first.vnfm_client();
    let instance = vnfm_support::instantiated(&nfvo, "vnfd-vb-1vdu").await;
    let snapshot = nfvo.create_snapshot_resource().await.unwrap();
    let occ = nfvo.create_snapshot(&instance, &snapshot).await.unwrap();
    completed(&nfvo, &occ).await;
    let subscribed = nfvo
        .send(
            Method::POST,
            "/subscriptions",
            Some(&json!({
                "callbackUri": format!("{}/notifications", callback.uri()),
                "authentication": {
                    "authType": ["BASIC"],
                    "paramsBasic": {"userName": "nfvo", "password": "secret"}
                }
            })),
        )
        .await
        .unwrap();
    assert_eq!(subscribed.status(), 201);
    let control = first.control();
    control
        .add_fault(
            &Fault::on(Service::Cinder)
                .operation("snapshots.delete")
                .error(500)
                .times(2),
        )
        .await
        .unwrap();
    control
        .add_fault(
            &Fault::on(Service::Glance)
                .operation("images.delete")
                .error(503)
                .probability(0.5, 7),
        )
        .await
        .unwrap();
    let vnfm_control = first.vnfm_control();
    vnfm_control
        .add(
            &VnfmFault::new()
                .instance(&instance)
                .operation("CREATE_SNAPSHOT")
                .unavailable()
                .probability(0.5, 11),
        )
        .await
        .unwrap();
    vnfm_control
        .add(
            &VnfmFault::new()
                .operation("vnf_snapshots.delete")
                .latency(5)
                .times(3),
        )
        .await
        .unwrap();
    let project = control.create_project("tenant-a").await.unwrap();
    control
        .set_quotas(&project, json!({"snapshots": 3}))
        .await
        .unwrap();
    control
        .create_user("u1", "pw", Some(&["tenant-a"][..]))
        .await
        .unwrap();

    let exported = control.export_state().await.unwrap();
    assert_eq!(exported["format_version"], 2);
    assert_eq!(exported["cloud_url"], first.cloud_url().as_str());
    let second = stack().await;
    second.control().load_state(&exported).await.unwrap();
    let again = second.control().export_state().await.unwrap();
    assert_eq!(
        comparable(&again, &second, &first),
        comparable(&exported, &first, &first)
    );
    let state = second.control().state().await.unwrap();
    assert_eq!(state["quotas"][&project]["snapshots"], 3);
    assert_eq!(
        second.vnfm_control().list().await.unwrap(),
        vnfm_control.list().await.unwrap(),
        "the VNFM's fault rules carry over with their ids, hits and triggers"
    );
}

#[tokio::test]
async fn documents_that_cannot_be_loaded_are_refused_and_change_nothing() {
    let stack = stack().await;
    let nfvo = stack.vnfm_client();
    let instance = vnfm_support::instantiated(&nfvo, "vnfd-vb-1vdu").await;
    let good = stack.control().export_state().await.unwrap();
    let edited = |change: &dyn Fn(&mut Value)| {
        let mut document = good.clone();
        change(&mut document);
        document.to_string()
    };
    let vnfm_subnet = good["vnfm"]["instances"][0]["virtual_link"]["subnet_id"]
        .as_str()
        .unwrap()
        .to_string();
    let cases: Vec<(&str, String, String)> = vec![
        (
            "malformed",
            "{\"format\": \"vnf-snapshot-kit/stack-state\", \"format_version\": 2,".into(),
            "the state document is not JSON".into(),
        ),
        (
            "another format",
            edited(&|d| d["format"] = json!("openstack-dump")),
            "format is \"openstack-dump\"".into(),
        ),
        (
            "another version",
            edited(&|d| d["format_version"] = json!(3)),
            "format_version 3 is not supported: this simulator reads version 2".into(),
        ),
        (
            "a missing table",
            edited(&|d| {
                d["cloud"]["resources"]
                    .as_object_mut()
                    .unwrap()
                    .remove("servers");
            }),
            "malformed at cloud.resources: missing field `servers`".into(),
        ),
        (
            "a duplicate id",
            edited(&|d| {
                let volumes = d["cloud"]["resources"]["volumes"].as_array_mut().unwrap();
                volumes.push(volumes[0].clone());
            }),
            "cloud.resources.volumes: duplicate id".into(),
        ),
        (
            "a cloud resource missing",
            edited(&|d| {
                d["cloud"]["resources"]["subnets"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|subnet| subnet["id"] != vnfm_subnet.as_str());
            }),
            format!(
                "vnfm: VNF instance {instance} refers to Subnet {vnfm_subnet}, which is not in cloud.resources.subnets"
            ),
        ),
        (
            "an instance missing",
            edited(&|d| {
                let occ = &mut d["vnfm"]["op_occs"][0]["occ"];
                occ["operationState"] = json!("PROCESSING");
                occ["vnfInstanceId"] = json!("no-such-instance");
            }),
            "needs VNF instance no-such-instance held by it, which is not in the document".into(),
        ),
        (
            "an invalid VNFM fault rule",
            edited(&|d| {
                d["vnfm"]["faults"] = json!([{
                    "id": "rule-1", "hits": 0, "remaining": 0, "rng_word_pos": null,
                    "rule": {"effect": {"type": "latency", "ms": 5},
                             "trigger": {"type": "times", "count": 0}}
                }]);
            }),
            "vnfm.faults: rule rule-1: trigger count must be at least 1".into(),
        ),
        (
            "an operation missing",
            edited(&|d| d["vnfm"]["instances"][0]["busy_with"] = json!("no-such-op")),
            format!("VNF instance {instance} is held by operation occurrence no-such-op"),
        ),
    ];
    let http = reqwest::Client::new();
    let url = format!("{}/_sim/state/load", stack.cloud_url());
    for (case, body, expected) in cases {
        let response = http.post(&url).body(body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{case}");
        let error: Value = response.json().await.unwrap();
        let detail = error["error"].as_str().unwrap();
        assert!(detail.contains(&expected), "{case}: {detail}");
    }
    let after = stack.control().export_state().await.unwrap();
    assert_eq!(
        comparable(&after, &stack, &stack),
        comparable(&good, &stack, &stack)
    );
}

/// A create_snapshot operation held in PROCESSING by a cloud call that is not answered.
struct InProgress {
    /// Receives the notifications of the subscription in the document.
    callback: MockServer,
    document: Value,
    instance: String,
    snapshot: String,
    op_id: String,
}

/// Exports a stack whose create_snapshot operation is in PROCESSING (its createImage call held
/// by a fault rule); shows that the stack itself refuses to load while it runs.
async fn exported_in_progress() -> InProgress {
    let callback = callback_endpoint().await;
    let first = stack().await;
    let nfvo = first.vnfm_client();
    nfvo.subscribe(&format!("{}/notifications", callback.uri()))
        .await
        .unwrap();
    let instance = vnfm_support::instantiated(&nfvo, "vnfd-vb-1vdu").await;
    first
        .control()
        .add_fault(
            &Fault::on(Service::Nova)
                .operation("servers.action.createImage")
                .timeout(600_000),
        )
        .await
        .unwrap();
    let snapshot = nfvo.create_snapshot_resource().await.unwrap();
    let occ = nfvo.create_snapshot(&instance, &snapshot).await.unwrap();
    let op_id = occ.rsplit('/').next().unwrap().to_string();
    let end = Instant::now() + DEADLINE;
    while get(&nfvo, &occ).await["operationState"] != "PROCESSING" {
        assert!(
            Instant::now() < end,
            "the operation never reached PROCESSING"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut document = first.control().export_state().await.unwrap();
    assert_eq!(
        saved_occ(&mut document, &op_id)["operationState"],
        "PROCESSING"
    );
    let busy = first.control().load_state(&document).await.unwrap_err();
    assert_eq!(busy.status, Some(409), "{busy}");
    InProgress {
        callback,
        document,
        instance,
        snapshot,
        op_id,
    }
}

/// The operation occurrence `op_id` of a document, for change.
fn saved_occ<'a>(document: &'a mut Value, op_id: &str) -> &'a mut Value {
    document["vnfm"]["op_occs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .map(|record| &mut record["occ"])
        .find(|occ| occ["id"] == op_id)
        .unwrap()
}

/// Waits for a notification of `op_id` entering `state` at `callback`.
async fn notified(callback: &MockServer, op_id: &str, state: &str) {
    let end = Instant::now() + DEADLINE;
    loop {
        let seen = callback
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|request| request.body_json::<Value>().ok())
            .any(|body| body["vnfLcmOpOccId"] == op_id && body["operationState"] == state);
        if seen {
            return;
        }
        assert!(Instant::now() < end, "no {state} notification of {op_id}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn an_operation_processing_at_export_comes_back_failed_temp_and_can_be_retried() {
    let InProgress {
        callback,
        document,
        instance,
        snapshot,
        op_id,
    } = exported_in_progress().await;
    let second = stack().await;
    let interrupted = second.control().load_state(&document).await.unwrap();
    assert_eq!(interrupted, vec![op_id.clone()]);
    let nfvo = second.vnfm_client();
    let path = format!("/vnf_lcm_op_occs/{op_id}");
    let stopped = get(&nfvo, &path).await;
    assert_eq!(stopped["operationState"], "FAILED_TEMP", "{stopped}");
    assert_eq!(stopped["error"]["status"], 503);
    assert!(
        stopped["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("the VNFM was restarted"),
        "{stopped}"
    );
    notified(&callback, &op_id, "FAILED_TEMP").await;

    second.control().clear_faults().await.unwrap();
    let retried = nfvo
        .send(Method::POST, &format!("{path}/retry"), None)
        .await
        .unwrap();
    assert_eq!(retried.status(), 202);
    completed(&nfvo, &path).await;
    let filled = get(&nfvo, &format!("/vnf_snapshots/{snapshot}")).await;
    assert_eq!(filled["vnfSnapshot"]["vnfInstanceId"], instance.as_str());
}

#[tokio::test]
async fn an_operation_starting_at_export_comes_back_rolled_back() {
    let InProgress {
        callback,
        mut document,
        instance,
        snapshot,
        op_id,
    } = exported_in_progress().await;
    saved_occ(&mut document, &op_id)["operationState"] = json!("STARTING");
    let second = stack().await;
    let interrupted = second.control().load_state(&document).await.unwrap();
    assert_eq!(interrupted, vec![op_id.clone()]);
    let nfvo = second.vnfm_client();
    let stopped = get(&nfvo, &format!("/vnf_lcm_op_occs/{op_id}")).await;
    assert_eq!(stopped["operationState"], "ROLLED_BACK", "{stopped}");
    assert!(
        stopped["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("before the operation started"),
        "{stopped}"
    );
    notified(&callback, &op_id, "ROLLED_BACK").await;
    second.control().clear_faults().await.unwrap();
    let occ = nfvo.create_snapshot(&instance, &snapshot).await.unwrap();
    completed(&nfvo, &occ).await;
}

#[tokio::test]
async fn pending_status_changes_and_tokens_carry_over_to_the_loading_cloud() {
    let manual = || StackOptions {
        cloud: CloudConfig {
            time_profile: TimeProfile::Manual,
            ..CloudConfig::default()
        },
        ..StackOptions::default()
    };
    let first = Stack::start(manual()).await.unwrap();
    let token = KeystoneClient::new(&first.cloud().auth_url())
        .password_token(&PasswordAuth::new("admin", "admin"))
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let volumes = |stack: &Stack| {
        format!(
            "{}/volume/v3/{}/volumes",
            stack.cloud_url(),
            token.project_id
        )
    };
    let created = vnfm_support::json_of(
        http.post(volumes(&first))
            .header("X-Auth-Token", &token.id)
            .json(&json!({"volume": {"size": 1}})),
    )
    .await;
    let volume = created["volume"]["id"].as_str().unwrap().to_string();
    first.control().advance_clock(1.0).await.unwrap();
    let document = first.control().export_state().await.unwrap();
    assert_eq!(document["cloud"]["clock"]["now_ms"], 1_000);
    assert_eq!(
        document["cloud"]["resources"]["schedule"][0]["due"]["id"],
        volume.as_str()
    );
    drop(first);

    let second = Stack::start(manual()).await.unwrap();
    second.control().load_state(&document).await.unwrap();
    let shown = |stack: &Stack| {
        http.get(format!("{}/{volume}", volumes(stack)))
            .header("X-Auth-Token", &token.id)
            .send()
    };
    let still = shown(&second).await.unwrap();
    assert_eq!(
        still.status(),
        200,
        "the token issued by the first cloud still works"
    );
    let still: Value = still.json().await.unwrap();
    assert_eq!(still["volume"]["status"], "creating");
    let state = second.control().state().await.unwrap();
    assert_eq!(state["now_ms"], 1_000);
    assert_eq!(state["pending_changes"], 1);
    second.control().advance_clock(2.0).await.unwrap();
    let done: Value = shown(&second).await.unwrap().json().await.unwrap();
    assert_eq!(
        done["volume"]["status"], "available",
        "due 3 s after creation"
    );
}

#[test]
fn the_binary_refuses_to_start_with_a_document_it_cannot_load() {
    let dir = std::env::temp_dir().join(format!("stack-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("other-version.json");
    std::fs::write(
        &file,
        r#"{"format": "vnf-snapshot-kit/stack-state", "format_version": 3}"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_simulator"))
        .args(["--cloud-listen", "127.0.0.1:45000"])
        .args(["--vnfm-http-listen", "127.0.0.1:48250"])
        .args(["--vnfm-https-listen", "127.0.0.1:48251"])
        .args(["--cert-dir", dir.to_str().unwrap()])
        .arg("--load-state")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let end = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > end {
            child.kill().unwrap();
            panic!("the simulator started with a document it cannot load");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
    assert!(!status.success());
    assert!(
        stderr.contains("format_version 3 is not supported"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
