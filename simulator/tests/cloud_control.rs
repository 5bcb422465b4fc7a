//! The `/_sim` control API: state dump, resets, the call record, quotas and the control token.

mod support;

use serde_json::json;
use simulator::{
    kit::Fault,
    openstack::{clock::TimeProfile, service::Service, CloudConfig},
};
use support::{start_as_admin, start_cloud, start_with, start_with_project};

#[tokio::test]
async fn state_dump_lists_every_resource() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let server = cloud.image_server(&token, "vm").await;
    let state = cloud.control().state().await.unwrap();
    assert!(state["projects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == project.as_str()));
    assert!(state["servers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == server.as_str()));
    assert!(state["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["id"] == volume.as_str()));
    assert_eq!(state["flavors"].as_array().unwrap().len(), 10);
    assert!(state["images"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["name"] == support::BASE_IMAGE));
    assert!(state["now_ms"].is_number());
    assert!(state["pending_changes"].is_number());
}

#[tokio::test]
async fn reset_one_project_or_everything() {
    let (cloud, token_a, project_a, token_b, project_b) = start_with_project("b").await;
    cloud.volume(&token_a, &project_a, 1, "a").await;
    cloud.volume(&token_b, &project_b, 1, "b").await;
    cloud
        .fault(Fault::anywhere().operation("flavors.list").latency(1))
        .await;

    let volumes_a = format!("/volume/v3/{project_a}/volumes");
    cloud.control().reset(Some(&project_b)).await.unwrap();
    let a = cloud.get(&token_a, &volumes_a).await;
    assert_eq!(a.body["volumes"].as_array().unwrap().len(), 1);
    let b = cloud
        .get(&token_b, &format!("/volume/v3/{project_b}/volumes"))
        .await;
    assert_eq!(b.status, 200, "the project and its tokens survive a reset");
    assert_eq!(b.body["volumes"], json!([]));
    let faults = cloud.anonymous().get("/_sim/faults").await;
    assert_eq!(faults.body["faults"].as_array().unwrap().len(), 1);

    cloud.control().reset(None).await.unwrap();
    let a = cloud.get(&token_a, &volumes_a).await;
    assert_eq!(a.body["volumes"], json!([]));
    let faults = cloud.anonymous().get("/_sim/faults").await;
    assert_eq!(faults.body["faults"], json!([]));
    let images = cloud.get(&token_a, "/image/v2/images").await;
    assert_eq!(
        images.body["images"].as_array().unwrap().len(),
        1,
        "the seeded image stays"
    );

    let unknown = cloud
        .anonymous()
        .post("/_sim/reset", json!({"project_id": "nope"}))
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn call_record_shows_exactly_the_calls_made() {
    let (cloud, token, project, token_b, project_b) = start_with_project("b").await;
    let cleared = cloud.anonymous().delete("/_sim/calls").await;
    assert_eq!(cleared.status, 204);

    cloud.get(&token, "/compute/v2.1/servers/detail").await;
    cloud
        .post(
            &token,
            &format!("/volume/v3/{project}/snapshots"),
            json!({"snapshot": {"volume_id": "missing"}}),
        )
        .await;
    cloud.get(&token_b, "/image/v2/images").await;
    cloud.anonymous().get("/compute/v2.1/servers").await;

    let all = cloud.control().calls(None, None).await.unwrap();
    let summary: Vec<(Service, &str, &str, u16)> = all
        .iter()
        .map(|c| (c.service, c.method.as_str(), c.operation.as_str(), c.status))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Service::Nova, "GET", "servers.list", 200),
            (Service::Cinder, "POST", "snapshots.create", 404),
            (Service::Glance, "GET", "images.list", 200),
            (Service::Nova, "GET", "servers.list", 401),
        ]
    );
    assert_eq!(all[0].path, "/compute/v2.1/servers/detail");
    assert_eq!(all[0].project_id.as_deref(), Some(project.as_str()));
    assert!(all[3].project_id.is_none());
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));

    let nova = cloud
        .control()
        .calls(Some(Service::Nova), None)
        .await
        .unwrap();
    assert_eq!(nova.len(), 2);
    let of_b = cloud.control().calls(None, Some(&project_b)).await.unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].operation, "images.list");
    let since = cloud
        .anonymous()
        .get(&format!("/_sim/calls?since={}", all[2].seq))
        .await;
    assert_eq!(since.body["calls"].as_array().unwrap().len(), 1);
    let _ = token_b;
}

#[tokio::test]
async fn quotas_get_and_put_with_validation() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    cloud.volume(&token, &project, 2, "v").await;
    let set = cloud
        .control()
        .set_quotas(&project, json!({"snapshots": 3, "volumes": -1}))
        .await
        .unwrap();
    assert_eq!(set.snapshots, 3);
    assert_eq!(set.volumes, -1);
    let quotas = format!("/_sim/quotas/{project}");
    let shown = cloud.anonymous().get(&quotas).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.body["quotas"]["snapshots"], 3);
    assert_eq!(shown.body["usage"]["volumes"], 1);
    assert_eq!(shown.body["usage"]["gigabytes"], 2);
    for bad in [
        json!({"colour": 1}),
        json!({"snapshots": "many"}),
        json!({"snapshots": 1.5}),
    ] {
        let refused = cloud.anonymous().put(&quotas, bad.clone()).await;
        assert_eq!(refused.status, 400, "{bad}");
        assert!(refused.body["error"].is_string());
    }
    let unknown = cloud
        .anonymous()
        .put("/_sim/quotas/nope", json!({"snapshots": 1}))
        .await;
    assert_eq!(unknown.status, 404);
    let limits = cloud
        .get(&token, &format!("/volume/v3/{project}/limits"))
        .await;
    assert_eq!(limits.body["limits"]["absolute"]["maxTotalSnapshots"], 3);
    assert_eq!(limits.body["limits"]["absolute"]["maxTotalVolumes"], -1);
}

#[tokio::test]
async fn control_token_is_required_when_configured() {
    let cloud = start_with(CloudConfig {
        control_token: Some("s3cret".to_string()),
        time_profile: TimeProfile::Instant,
        ..CloudConfig::default()
    })
    .await;
    let without = cloud.anonymous().get("/_sim/state").await;
    assert_eq!(without.status, 403);
    assert_eq!(
        without.body["error"],
        "the control API needs a valid X-Sim-Control-Token header"
    );
    for (token, status) in [("nope", 403), ("s3cret", 200)] {
        let answer = cloud
            .anonymous()
            .header("X-Sim-Control-Token", token)
            .get("/_sim/state")
            .await;
        assert_eq!(answer.status, status, "{token}");
    }
    assert!(cloud.control().state().await.is_err());
    assert!(cloud.control().with_token("s3cret").state().await.is_ok());
}

#[tokio::test]
async fn projects_are_created_once_per_name() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let sim = cloud.anonymous();
    let created = sim.post("/_sim/projects", json!({"name": "p"})).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["name"], "p");
    assert!(created.body["id"].is_string());
    let again = sim.post("/_sim/projects", json!({"name": "p"})).await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn deleting_a_project_removes_what_it_holds_and_its_tokens() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token, project) = cloud.project("done-with").await;
    let volume = cloud.volume(&token, &project, 1, "v").await;
    let (_, admin_project) = cloud.token("admin").await;
    let control = cloud.control();
    control.delete_project(&project).await.unwrap();
    let state = control.state().await.unwrap();
    let holds = |kind: &str, id: &str| {
        state[kind]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["id"] == id)
    };
    assert!(!holds("projects", &project));
    assert!(!holds("volumes", &volume));
    let path = format!("/volume/v3/{project}/volumes/{volume}");
    let revoked = cloud.get(&token, &path).await;
    assert_eq!(revoked.status, 401, "{}", revoked.text);
    let gone = control.delete_project(&project).await.unwrap_err();
    assert_eq!(gone.status, Some(404));
    let own = control.delete_project(&admin_project).await.unwrap_err();
    assert_eq!(own.status, Some(409));
}

#[tokio::test]
async fn users_made_through_control_log_in_to_any_project_with_their_own_password() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let control = cloud.control();
    control.create_project("tenant-a").await.unwrap();
    let user_id = control
        .create_user("tempest-1", "pw-1", None)
        .await
        .unwrap();
    let auth = |password: &str| {
        json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "tempest-1", "domain": {"name": "Default"}, "password": password}}},
            "scope": {"project": {"name": "tenant-a", "domain": {"name": "Default"}}}}})
    };
    let ok = cloud.authenticate(auth("pw-1")).await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.body["token"]["user"]["id"], user_id.as_str());
    assert_eq!(ok.body["token"]["user"]["name"], "tempest-1");
    let wrong = cloud.authenticate(auth("admin")).await;
    assert_eq!(wrong.status, 401);
    let again = cloud
        .anonymous()
        .post("/_sim/users", json!({"name": "tempest-1", "password": "x"}))
        .await;
    assert_eq!(again.status, 409, "user names are unique in the domain");
}
