//! What the gateway adds to every answer of every service, whatever the route.

mod support;

use simulator::openstack::clock::TimeProfile;
use support::start_as_admin;

#[tokio::test]
async fn every_answer_carries_a_request_id_and_nova_also_its_legacy_one() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let answers = [
        cloud.get(&token, "/compute/v2.1/servers/detail").await,
        cloud.get(&token, "/compute/v2.1/servers/nope").await,
        cloud
            .get(&token, &format!("/volume/v3/{project}/volumes"))
            .await,
        cloud.get(&token, "/image/v2/images").await,
        cloud.get(&token, "/image/v2/no-such-thing").await,
        cloud.anonymous().get("/identity/v3/auth/tokens").await,
    ];
    let mut seen = std::collections::HashSet::new();
    for answer in &answers {
        let id = answer.header("x-openstack-request-id");
        assert!(
            id.starts_with("req-") && id.len() == 40,
            "request id {id:?} on a {} answer",
            answer.status
        );
        assert!(seen.insert(id), "request ids are unique");
    }
    assert_eq!(
        answers[0].header("x-compute-request-id"),
        answers[0].header("x-openstack-request-id")
    );
    assert_eq!(answers[2].header("x-compute-request-id"), "");
}
