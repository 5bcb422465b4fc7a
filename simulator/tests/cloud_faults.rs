//! Fault rules (`/_sim/faults`): every effect, every trigger, the match criteria, and removal.

mod support;

use std::time::Instant;

use serde_json::{json, Value};
use simulator::{
    kit::Fault,
    openstack::{clock::TimeProfile, faults::FaultRule, service::Service},
};
use support::{start_as_admin, start_with_project, TestCloud};

/// Requests of the operation `name` (`servers.create`), whichever service answers them.
fn operation(name: &str) -> Fault {
    Fault::anywhere().operation(name)
}

/// Starts a cloud (`TimeProfile::Instant`) with the fault rule `rule`: the cloud, the admin's
/// token and project.
async fn start_with_fault(rule: FaultRule) -> (TestCloud, String, String) {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    cloud.fault(rule).await;
    (cloud, token, project)
}

async fn boot(cloud: &TestCloud, token: &str, name: &str) -> support::Answer {
    let image = cloud.base_image(token).await;
    cloud
        .post(
            token,
            "/compute/v2.1/servers",
            json!({"server": {"name": name, "flavorRef": "1", "imageRef": image}}),
        )
        .await
}

async fn new_volume(cloud: &TestCloud, token: &str, project: &str, name: &str) -> support::Answer {
    cloud
        .post(
            token,
            &format!("/volume/v3/{project}/volumes"),
            json!({"volume": {"size": 1, "name": name}}),
        )
        .await
}

#[tokio::test]
async fn error_effect_uses_each_services_own_body_and_changes_nothing() {
    let (cloud, token, project) = start_with_fault(
        Fault::on(Service::Nova)
            .operation("servers.create")
            .error(500),
    )
    .await;
    let nova = boot(&cloud, &token, "vm").await;
    assert_eq!(nova.status, 500);
    assert_eq!(nova.body["computeFault"]["code"], 500);
    assert!(nova
        .message("computeFault")
        .starts_with("Unexpected API Error."));
    assert_eq!(nova.header("openstack-api-version"), "compute 2.1");
    let servers = cloud.get(&token, "/compute/v2.1/servers").await;
    assert_eq!(servers.body["servers"], json!([]));

    cloud
        .fault(
            Fault::on(Service::Cinder)
                .method("post")
                .error_with_message(503, "backend down"),
        )
        .await;
    let cinder = new_volume(&cloud, &token, &project, "v").await;
    assert_eq!(cinder.status, 503);
    assert_eq!(
        cinder.body,
        json!({"serviceUnavailable": {"code": 503, "message": "backend down"}})
    );
    let volumes = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes"))
        .await;
    assert_eq!(volumes.body["volumes"], json!([]));

    cloud
        .fault(Fault::on(Service::Glance).path("/v2/images").error(409))
        .await;
    let glance = cloud
        .glance_as(&token)
        .header("Accept", "application/json")
        .get("/images")
        .await;
    assert_eq!(glance.status, 409);
    assert_eq!(glance.body["code"], "409 Conflict");
    assert_eq!(glance.body["title"], "Conflict");

    cloud
        .fault(
            Fault::on(Service::Keystone)
                .operation("tokens.create")
                .error(503),
        )
        .await;
    let keystone = cloud
        .authenticate(support::password_auth("admin", "admin"))
        .await;
    assert_eq!(keystone.status, 503);
    assert_eq!(keystone.body["error"]["code"], 503);
    assert_eq!(keystone.body["error"]["title"], "Service Unavailable");
}

#[tokio::test]
async fn unreachable_closes_the_connection_without_an_answer() {
    let (cloud, token, _) =
        start_with_fault(Fault::on(Service::Glance).unreachable().times(1)).await;
    let result = cloud
        .http
        .get(format!("{}/image/v2/images", cloud.base))
        .header("X-Auth-Token", &token)
        .send()
        .await;
    let error = result.expect_err("no HTTP answer");
    assert!(!error.is_status() && error.status().is_none(), "{error:?}");
    let calls = cloud.control().calls(None, None).await.unwrap();
    let last = calls.last().unwrap();
    assert_eq!(last.operation, "images.list");
    assert_eq!(last.status, 0);
    let after = cloud.get(&token, "/image/v2/images").await;
    assert_eq!(after.status, 200, "the rule fired once only");
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    cloud.fault(operation("flavors.list").latency(300)).await;
    let started = Instant::now();
    let slow = cloud.get(&token, "/compute/v2.1/flavors").await;
    assert_eq!(slow.status, 200);
    assert!(started.elapsed().as_millis() >= 300);
    assert_eq!(slow.body["flavors"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn timeout_answers_504_from_the_front_end_and_changes_nothing() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    cloud.fault(operation("volumes.create").timeout(50)).await;
    let started = Instant::now();
    let answer = new_volume(&cloud, &token, &project, "late").await;
    assert!(started.elapsed().as_millis() >= 50);
    assert_eq!(answer.status, 504);
    assert!(answer.header("content-type").starts_with("text/html"));
    assert!(answer.text.contains("<title>504 Gateway Timeout</title>"));
    assert!(answer.header("openstack-api-version").is_empty());
    let volumes = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes"))
        .await;
    assert_eq!(volumes.body["volumes"], json!([]));
    let calls = cloud.anonymous().get("/_sim/calls?service=cinder").await;
    let calls = calls.body["calls"].as_array().unwrap();
    assert!(calls
        .iter()
        .any(|c| c["operation"] == "volumes.create" && c["status"] == 504));
}

#[tokio::test]
async fn a_timeout_rule_spent_by_its_last_hit_still_holds_that_request_to_504() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    cloud
        .fault(operation("volumes.create").timeout(50).times(1))
        .await;
    let answer = new_volume(&cloud, &token, &project, "late").await;
    assert_eq!(answer.status, 504, "{}", answer.text);
    let listed = cloud.anonymous().get("/_sim/faults").await;
    assert_eq!(listed.body["faults"], json!([]), "the spent rule is gone");
    let retried = new_volume(&cloud, &token, &project, "late").await;
    assert_eq!(retried.status, 202, "{}", retried.text);
}

#[tokio::test]
async fn removing_a_timeout_rule_serves_the_requests_it_holds_as_usual() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let rule = cloud
        .fault(operation("flavors.list").timeout(3_600_000))
        .await;
    let held = {
        let base = cloud.base.clone();
        let http = cloud.http.clone();
        let token = token.clone();
        tokio::spawn(async move {
            http.get(format!("{base}/compute/v2.1/flavors"))
                .header("X-Auth-Token", token)
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    };
    support::eventually(60, "the rule to hold the call", || async {
        let faults = cloud.anonymous().get("/_sim/faults").await;
        (faults.body["faults"][0]["hits"] == 1).then_some(())
    })
    .await;
    assert!(!held.is_finished());
    cloud.control().remove_fault(&rule).await.unwrap();
    assert_eq!(held.await.unwrap().unwrap(), 200);
}

#[tokio::test]
async fn a_client_with_a_shorter_timeout_gives_up_on_a_held_request() {
    let (cloud, token, _) = start_with_fault(operation("flavors.list").timeout(3_600_000)).await;
    let error = cloud
        .http
        .get(format!("{}/compute/v2.1/flavors", cloud.base))
        .header("X-Auth-Token", &token)
        .timeout(std::time::Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn false_negative_returns_an_error_but_the_resource_exists() {
    let (cloud, token, project) =
        start_with_fault(operation("volumes.create").false_negative(500)).await;
    let answer = new_volume(&cloud, &token, &project, "ghost").await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.body["computeFault"]["code"], 500);
    let ghost = format!("/volume/v3/{project}/volumes/detail?name=ghost");
    let listed = cloud.get(&token, &ghost).await;
    let volumes = listed.body["volumes"].as_array().unwrap();
    assert_eq!(volumes.len(), 1, "the volume was created anyway");
    assert_eq!(volumes[0]["status"], "available");
}

#[tokio::test]
async fn stuck_keeps_resources_transitional() {
    let (cloud, token, project) =
        start_with_fault(operation("volumes.create").resource_name("stuck-*").stuck()).await;
    let stuck = new_volume(&cloud, &token, &project, "stuck-1").await;
    let fine = new_volume(&cloud, &token, &project, "fine").await;
    let stuck_id = stuck.body["volume"]["id"].as_str().unwrap();
    let fine_id = fine.body["volume"]["id"].as_str().unwrap();
    cloud.advance(600.0).await;
    let a = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{stuck_id}"))
        .await;
    assert_eq!(a.body["volume"]["status"], "creating", "{}", a.text);
    let b = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{fine_id}"))
        .await;
    assert_eq!(b.body["volume"]["status"], "available");

    // Volume-backed createImage with a stuck rule: its Cinder snapshots stay `creating`.
    let root = cloud.volume(&token, &project, 1, "root").await;
    let server = cloud.volume_server(&token, "vnfc", &[&root]).await;
    cloud
        .fault(operation("servers.action.createImage").stuck())
        .await;
    let action = cloud
        .post(
            &token,
            &format!("/compute/v2.1/servers/{server}/action"),
            json!({"createImage": {"name": "snap"}}),
        )
        .await;
    assert_eq!(action.status, 202, "{}", action.text);
    cloud.advance(600.0).await;
    let snaps = cloud
        .get(&token, &format!("/volume/v3/{project}/snapshots"))
        .await;
    assert_eq!(
        snaps.body["snapshots"][0]["name"], "snapshot for snap",
        "{}",
        snaps.text
    );
    assert_eq!(snaps.body["snapshots"][0]["status"], "creating");
}

#[tokio::test]
async fn error_later_ends_in_each_services_error_status() {
    let (cloud, token, project) =
        start_with_fault(operation("volumes.create").error_later().times(1)).await;
    let volume = new_volume(&cloud, &token, &project, "bad").await;
    assert_eq!(volume.status, 202);
    let vid = volume.body["volume"]["id"].as_str().unwrap();
    cloud.wait_volume(&token, &project, vid, "error").await;

    cloud
        .fault(operation("servers.create").error_later().times(1))
        .await;
    let server = boot(&cloud, &token, "doomed").await;
    assert_eq!(server.status, 202);
    let sid = server.body["server"]["id"].as_str().unwrap();
    let view = cloud.wait_server(&token, sid, "ERROR").await;
    assert_eq!(view["OS-EXT-STS:vm_state"], "error");
    assert_eq!(view["fault"]["code"], 500);
    assert!(view["fault"]["message"].is_string());

    let good = cloud.image_server(&token, "good").await;
    cloud
        .fault(operation("servers.action.createImage").error_later())
        .await;
    let action = cloud
        .nova_as(&token, "2.45")
        .post(
            &format!("/servers/{good}/action"),
            json!({"createImage": {"name": "img"}}),
        )
        .await;
    assert_eq!(action.status, 202);
    let image = action.body["image_id"].as_str().unwrap();
    cloud.wait_image(&token, image, "killed").await;
    cloud.wait_server(&token, &good, "ACTIVE").await;
}

#[tokio::test]
async fn times_trigger_fires_n_times() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    cloud.fault(operation("servers.list").error_later()).await;
    cloud
        .fault(operation("servers.list").error(503).times(2))
        .await;
    let statuses: Vec<u16> = futures_statuses(&cloud, &token, "/compute/v2.1/servers", 4).await;
    assert_eq!(statuses, vec![503, 503, 200, 200]);
    let listed = cloud.anonymous().get("/_sim/faults").await;
    let faults = listed.body["faults"].as_array().unwrap();
    assert_eq!(
        faults.len(),
        1,
        "a spent times rule is removed: {}",
        listed.text
    );
}

async fn futures_statuses(cloud: &TestCloud, token: &str, path: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(cloud.get(token, path).await.status);
    }
    out
}

#[tokio::test]
async fn probability_trigger_is_reproducible_with_a_seed() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
        cloud
            .fault(operation("flavors.list").error(500).probability(0.5, 7))
            .await;
        runs.push(futures_statuses(&cloud, &token, "/compute/v2.1/flavors", 32).await);
    }
    assert_eq!(runs[0], runs[1]);
    let failed = runs[0].iter().filter(|s| **s == 500).count();
    assert!((4..=28).contains(&failed), "{failed} of 32 failed");
    assert!(runs[0].iter().all(|s| *s == 500 || *s == 200));
}

#[tokio::test]
async fn match_criteria_must_all_hold() {
    let (cloud, token_a, project_a, token_b, project_b) = start_with_project("other").await;
    let volume_a = cloud.volume(&token_a, &project_a, 1, "va").await;
    let volume_b = cloud.volume(&token_b, &project_b, 1, "vb").await;
    cloud
        .fault(
            Fault::on(Service::Cinder)
                .operation("snapshots.create")
                .project(&project_b)
                .error(500),
        )
        .await;
    let snap = |token: &str, project: &str, volume: &str| {
        let path = format!("/volume/v3/{project}/snapshots");
        let body = json!({"snapshot": {"volume_id": volume, "name": "s"}});
        let token = token.to_string();
        let cloud = &cloud;
        async move { cloud.post(&token, &path, body).await.status }
    };
    assert_eq!(snap(&token_a, &project_a, &volume_a).await, 202);
    assert_eq!(snap(&token_b, &project_b, &volume_b).await, 500);

    cloud.control().clear_faults().await.unwrap();
    cloud
        .fault(
            Fault::anywhere()
                .method("DELETE")
                .path("/snapshots/")
                .error(409),
        )
        .await;
    let listed = cloud
        .get(&token_a, &format!("/volume/v3/{project_a}/snapshots"))
        .await;
    assert_eq!(listed.status, 200, "GET does not match a DELETE rule");
    let sid = listed.body["snapshots"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud
        .wait_snapshot(&token_a, &project_a, &sid, "available")
        .await;
    let refused = cloud
        .delete(&token_a, &format!("/volume/v3/{project_a}/snapshots/{sid}"))
        .await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["conflictingRequest"]["code"], 409);

    for bad in [
        json!({"match": {"colour": "red"}, "effect": {"type": "stuck"}}),
        json!({"effect": {"type": "error", "status": 200}}),
    ] {
        let refused = cloud.anonymous().post("/_sim/faults", bad.clone()).await;
        assert_eq!(refused.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn rules_can_be_listed_and_removed_one_or_all() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    let first = cloud.fault(operation("flavors.list").error(500)).await;
    let second = cloud.fault(operation("servers.list").error(500)).await;
    assert_eq!(cloud.get(&token, "/compute/v2.1/flavors").await.status, 500);
    let faults_api = cloud.anonymous();
    let listed = faults_api.get("/_sim/faults").await;
    let faults: Vec<Value> = listed.body["faults"].as_array().unwrap().clone();
    assert_eq!(faults.len(), 2);
    let listing = faults.iter().find(|f| f["id"] == first.as_str()).unwrap();
    assert_eq!(listing["hits"], 1);
    assert_eq!(listing["match"]["operation"], "flavors.list");
    let first_path = format!("/_sim/faults/{first}");
    let removed = faults_api.delete(&first_path).await;
    assert_eq!(removed.status, 204);
    assert_eq!(cloud.get(&token, "/compute/v2.1/flavors").await.status, 200);
    assert_eq!(cloud.get(&token, "/compute/v2.1/servers").await.status, 500);
    let unknown = faults_api.delete(&first_path).await;
    assert_eq!(unknown.status, 404);
    let cleared = faults_api.delete("/_sim/faults").await;
    assert_eq!(cleared.status, 204);
    assert_eq!(cloud.get(&token, "/compute/v2.1/servers").await.status, 200);
    let _ = second;
}
