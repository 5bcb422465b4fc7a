//! Time profiles: `instant` (the next read is final), `fast` (transitional statuses are visible
//! briefly) and `manual` (nothing moves until the clock is advanced).

mod support;

use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_as_admin, Answer, TestCloud};

/// Asks for a 1 GiB volume; the create answer.
async fn new_volume(cloud: &TestCloud, token: &str, project: &str) -> Answer {
    cloud
        .post(
            token,
            &format!("/volume/v3/{project}/volumes"),
            json!({"volume": {"size": 1}}),
        )
        .await
}

#[tokio::test]
async fn instant_makes_the_next_read_final() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let created = new_volume(&cloud, &token, &project).await;
    assert_eq!(
        created.body["volume"]["status"], "creating",
        "the create answer is transitional"
    );
    let id = created.body["volume"]["id"].as_str().unwrap();
    let shown = cloud
        .get(&token, &format!("/volume/v3/{project}/volumes/{id}"))
        .await;
    assert_eq!(shown.body["volume"]["status"], "available");
    let image = cloud.base_image(&token).await;
    let server = cloud
        .post(
            &token,
            "/compute/v2.1/servers",
            json!({"server": {"name": "vm", "flavorRef": "1", "imageRef": image}}),
        )
        .await;
    let sid = server.body["server"]["id"].as_str().unwrap();
    let view = cloud
        .get(&token, &format!("/compute/v2.1/servers/{sid}"))
        .await;
    assert_eq!(view.body["server"]["status"], "ACTIVE");
    let clock = cloud.anonymous().get("/_sim/clock").await;
    assert_eq!(clock.body["profile"], "instant");
}

#[tokio::test]
async fn fast_shows_transitional_statuses_then_settles() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Fast).await;
    let created = new_volume(&cloud, &token, &project).await;
    let id = created.body["volume"]["id"].as_str().unwrap().to_string();
    let snapshot_root = cloud.volume(&token, &project, 1, "src").await;
    let snap = cloud
        .post(
            &token,
            &format!("/volume/v3/{project}/snapshots"),
            json!({"snapshot": {"volume_id": snapshot_root}}),
        )
        .await;
    let sid = snap.body["snapshot"]["id"].as_str().unwrap().to_string();
    assert_eq!(snap.body["snapshot"]["status"], "creating");
    cloud
        .wait_snapshot(&token, &project, &sid, "available")
        .await;
    cloud.wait_volume(&token, &project, &id, "available").await;
}

#[tokio::test]
async fn manual_moves_only_when_advanced() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Manual).await;
    let created = new_volume(&cloud, &token, &project).await;
    let id = created.body["volume"]["id"].as_str().unwrap().to_string();
    let path = format!("/volume/v3/{project}/volumes/{id}");
    for _ in 0..3 {
        assert_eq!(
            cloud.get(&token, &path).await.body["volume"]["status"],
            "creating"
        );
    }
    let before = cloud.anonymous().get("/_sim/clock").await;
    assert_eq!(before.body["profile"], "manual");
    assert_eq!(before.body["now_ms"], 0);
    cloud.advance(2.9).await;
    assert_eq!(
        cloud.get(&token, &path).await.body["volume"]["status"],
        "creating"
    );
    let sim = cloud.anonymous();
    let advance = |seconds: Value| sim.post("/_sim/clock/advance", json!({ "seconds": seconds }));
    let advanced = advance(json!(0.1)).await;
    assert_eq!(advanced.status, 200);
    assert_eq!(advanced.body["now_ms"], 3000);
    assert_eq!(
        cloud.get(&token, &path).await.body["volume"]["status"],
        "available"
    );
    let negative = advance(json!(-1)).await;
    assert_eq!(negative.status, 400);
}
