//! Keystone v3: discovery, password and token auth, the catalog, 401s on every service, token
//! expiry on cloud time, and per-project isolation.

mod support;

use serde_json::json;
use simulator::openstack::{clock::TimeProfile, CloudConfig};
use support::{password_auth, start_as_admin, start_cloud, start_with};

const UNAUTHORIZED: &str = "The request you have made requires authentication.";

#[tokio::test]
async fn discovery_documents_need_no_token() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let root = cloud.anonymous().get("/identity").await;
    assert_eq!(root.status, 300);
    assert_eq!(
        root.header("location"),
        format!("{}/identity/v3/", cloud.base)
    );
    let values = root.body["versions"]["values"]
        .as_array()
        .expect("versions.values");
    assert_eq!(values.len(), 1);
    assert_eq!(values[0]["id"], "v3.14");
    assert_eq!(values[0]["status"], "stable");
    assert_eq!(
        values[0]["links"][0]["href"],
        format!("{}/identity/v3/", cloud.base)
    );
    assert_eq!(
        values[0]["media-types"][0]["type"],
        "application/vnd.openstack.identity-v3+json"
    );
    for path in ["/identity/v3", "/identity/v3/"] {
        let v3 = cloud.anonymous().get(path).await;
        assert_eq!(v3.status, 200, "{path}");
        assert_eq!(v3.body["version"], values[0], "{path}");
    }
}

#[tokio::test]
async fn password_auth_by_names_returns_201_subject_token_and_catalog() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let answer = cloud.authenticate(password_auth("admin", "admin")).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert!(answer
        .header("content-type")
        .starts_with("application/json"));
    assert!(!answer.header("x-subject-token").is_empty());
    let token = &answer.body["token"];
    assert_eq!(token["methods"], json!(["password"]));
    assert_eq!(token["user"]["name"], "admin");
    assert_eq!(
        token["user"]["domain"],
        json!({"id": "default", "name": "Default"})
    );
    assert!(token["user"]["password_expires_at"].is_null());
    assert_eq!(token["project"]["name"], "admin");
    assert_eq!(token["is_domain"], false);
    assert_eq!(token["audit_ids"][0].as_str().unwrap().len(), 22);
    assert!(token["expires_at"].as_str().unwrap().ends_with('Z'));
    assert!(token["issued_at"].as_str().unwrap().ends_with('Z'));
    let project_id = token["project"]["id"].as_str().unwrap();
    let catalog = token["catalog"].as_array().expect("catalog");
    let expected = [
        ("identity", format!("{}/identity", cloud.base)),
        ("compute", format!("{}/compute/v2.1", cloud.base)),
        (
            "block-storage",
            format!("{}/volume/v3/{project_id}", cloud.base),
        ),
        ("volumev3", format!("{}/volume/v3/{project_id}", cloud.base)),
        ("image", format!("{}/image", cloud.base)),
    ];
    for (service_type, url) in expected {
        let entry = catalog
            .iter()
            .find(|e| e["type"] == service_type)
            .unwrap_or_else(|| panic!("{service_type} in catalog"));
        let public = entry["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["interface"] == "public")
            .expect("public endpoint");
        assert_eq!(public["url"], url.as_str(), "{service_type}");
        assert_eq!(public["region"], "RegionOne");
        assert_eq!(public["region_id"], "RegionOne");
        assert!(public["id"].is_string());
    }

    let no_catalog = cloud
        .anonymous()
        .post(
            "/identity/v3/auth/tokens?nocatalog",
            password_auth("admin", "admin"),
        )
        .await;
    assert_eq!(no_catalog.status, 201);
    assert!(no_catalog.body["token"].get("catalog").is_none());
}

#[tokio::test]
async fn password_auth_by_ids_and_token_method() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let first = cloud.authenticate(password_auth("admin", "admin")).await;
    let user_id = first.body["token"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let project_id = first.body["token"]["project"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let by_ids = cloud
        .authenticate(json!({"auth": {
                "identity": {"methods": ["password"],
                             "password": {"user": {"id": user_id, "password": "admin"}}},
                "scope": {"project": {"id": project_id}}}}))
        .await;
    assert_eq!(by_ids.status, 201, "{}", by_ids.text);
    assert_eq!(by_ids.body["token"]["user"]["id"], user_id.as_str());
    assert_eq!(by_ids.body["token"]["project"]["id"], project_id.as_str());

    let old = first.header("x-subject-token");
    let by_token = cloud
        .authenticate(json!({"auth": {"identity": {"methods": ["token"], "token": {"id": old}}}}))
        .await;
    assert_eq!(by_token.status, 201, "{}", by_token.text);
    // A token made from another carries the other's methods too (Keystone; Tempest's
    // test_rescope_token).
    assert_eq!(
        by_token.body["token"]["methods"],
        json!(["token", "password"])
    );
    assert_eq!(by_token.body["token"]["project"]["id"], project_id.as_str());
    let new = by_token.header("x-subject-token");
    assert!(!new.is_empty() && new != old);
    let servers = cloud.get(&new, "/compute/v2.1/servers").await;
    assert_eq!(servers.status, 200);
}

#[tokio::test]
async fn wrong_password_is_401_with_the_keystone_error_body() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let answer = cloud.authenticate(password_auth("admin", "wrong")).await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.body,
        json!({"error": {"code": 401, "title": "Unauthorized", "message": UNAUTHORIZED}})
    );
    assert!(answer.header("x-subject-token").is_empty());
}

fn assert_keystone_401(answer: &support::Answer, base: &str, what: &str) {
    assert_eq!(answer.status, 401, "{what}: {}", answer.text);
    assert_eq!(
        answer.header("www-authenticate"),
        format!("Keystone uri=\"{base}/identity\""),
        "{what}"
    );
    assert!(
        answer
            .header("content-type")
            .starts_with("application/json"),
        "{what}: {}",
        answer.header("content-type")
    );
    assert_eq!(
        answer.body,
        json!({"error": {"code": 401, "title": "Unauthorized", "message": UNAUTHORIZED}}),
        "{what}"
    );
}

#[tokio::test]
async fn services_answer_401_with_www_authenticate_for_missing_or_invalid_tokens() {
    let (cloud, _, project) = start_as_admin(TimeProfile::Instant).await;
    let paths = [
        "/compute/v2.1/servers".to_string(),
        format!("/volume/v3/{project}/volumes"),
        "/image/v2/images".to_string(),
    ];
    for path in &paths {
        let missing = cloud.anonymous().get(path).await;
        assert_keystone_401(&missing, &cloud.base, &format!("no token {path}"));
        let invalid = cloud.get("gAAAAAbogus", path).await;
        assert_keystone_401(&invalid, &cloud.base, &format!("bad token {path}"));
    }
}

#[tokio::test]
async fn tokens_expire_on_cloud_time() {
    let cloud = start_with(CloudConfig {
        token_lifetime_secs: 1,
        time_profile: TimeProfile::Manual,
        ..CloudConfig::default()
    })
    .await;
    let (token, _) = cloud.token("admin").await;
    assert_eq!(cloud.get(&token, "/compute/v2.1/servers").await.status, 200);
    cloud.advance(0.5).await;
    assert_eq!(cloud.get(&token, "/compute/v2.1/servers").await.status, 200);
    cloud.advance(0.6).await;
    let expired = cloud.get(&token, "/compute/v2.1/servers").await;
    assert_keystone_401(&expired, &cloud.base, "expired token");
    let (fresh, _) = cloud.token("admin").await;
    assert_eq!(cloud.get(&fresh, "/compute/v2.1/servers").await.status, 200);
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let (cloud, token, _) = start_as_admin(TimeProfile::Instant).await;
    cloud.control().revoke_tokens(None).await.unwrap();
    let answer = cloud.get(&token, "/image/v2/images").await;
    assert_keystone_401(&answer, &cloud.base, "revoked");
}

#[tokio::test]
async fn projects_are_isolated() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let (token_a, project_a) = cloud.project("tenant-a").await;
    let (token_b, project_b) = cloud.project("tenant-b").await;
    assert_ne!(project_a, project_b);
    let server = cloud.image_server(&token_a, "vm-a").await;
    let volume = cloud.volume(&token_a, &project_a, 1, "vol-a").await;

    let server_path = format!("/compute/v2.1/servers/{server}");
    let own = cloud.get(&token_a, &server_path).await;
    assert_eq!(own.status, 200);
    let other = cloud.get(&token_b, &server_path).await;
    assert_eq!(other.status, 404);
    assert_eq!(
        other.body,
        json!({"itemNotFound": {"code": 404, "message": format!("Instance {server} could not be found.")}})
    );
    let listed = cloud.get(&token_b, "/compute/v2.1/servers/detail").await;
    assert_eq!(listed.body["servers"], json!([]));

    let volumes_b = format!("/volume/v3/{project_b}/volumes");
    let vol_other = cloud.get(&token_b, &format!("{volumes_b}/{volume}")).await;
    vol_other.assert_error(
        404,
        "itemNotFound",
        format!("Volume {volume} could not be found."),
    );
    let vols_b = cloud.get(&token_b, &volumes_b).await;
    assert_eq!(vols_b.body["volumes"], json!([]));

    let scoped_wrong = cloud
        .authenticate(password_auth("no-such-project", "admin"))
        .await;
    assert_eq!(scoped_wrong.status, 401);
}

#[tokio::test]
async fn keystone_token_validation_and_revocation() {
    let (cloud, token, project) = start_as_admin(TimeProfile::Instant).await;
    let (other, _) = cloud.token("admin").await;
    let tokens = cloud.as_user(&token).header("X-Subject-Token", &other);
    let shown = tokens.get("/identity/v3/auth/tokens").await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.header("x-subject-token"), other);
    assert_eq!(shown.body["token"]["project"]["id"], project.as_str());
    let revoked = tokens.delete("/identity/v3/auth/tokens").await;
    assert_eq!(revoked.status, 204);
    assert_eq!(cloud.get(&other, "/compute/v2.1/servers").await.status, 401);
    let missing = tokens.get("/identity/v3/auth/tokens").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["error"]["code"], 404);
    assert_eq!(missing.body["error"]["message"], "Could not find token.");
}

fn user_auth(user: &str, password: &str, project: Option<&str>) -> serde_json::Value {
    let mut body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"id": "default"}, "password": password}}}}});
    if let Some(project) = project {
        body["auth"]["scope"] = json!({"project": {"name": project, "domain": {"id": "default"}}});
    }
    body
}

#[tokio::test]
async fn unscoped_tokens_carry_no_project_and_serve_keystone_only() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let issued = cloud.authenticate(user_auth("admin", "admin", None)).await;
    assert_eq!(issued.status, 201, "{}", issued.text);
    let token = issued.header("x-subject-token");
    let body = &issued.body["token"];
    for scoped_only in ["project", "roles", "catalog", "is_domain"] {
        assert!(
            body.get(scoped_only).is_none(),
            "{scoped_only} in an unscoped token"
        );
    }
    assert_eq!(body["user"]["name"], "admin");
    let validated = cloud
        .as_user(&token)
        .header("X-Subject-Token", &token)
        .get("/identity/v3/auth/tokens")
        .await;
    assert_eq!(validated.status, 200, "{}", validated.text);
    let nova = cloud.get(&token, "/compute/v2.1/servers").await;
    assert_eq!(nova.status, 401);
    let catalog = cloud.get(&token, "/identity/v3/auth/catalog").await;
    assert_eq!(catalog.status, 403);
    let rescoped = cloud
        .authenticate(
            json!({"auth": {"identity": {"methods": ["token"], "token": {"id": token}},
                "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}),
        )
        .await;
    assert_eq!(rescoped.status, 201, "{}", rescoped.text);
    assert_eq!(rescoped.body["token"]["project"]["name"], "admin");
}

#[tokio::test]
async fn users_scope_only_to_assigned_projects_and_list_them() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let control = cloud.control();
    control.create_project("mine").await.unwrap();
    control.create_project("theirs").await.unwrap();
    let user_id = control
        .create_user("u", "pw", Some(&["mine"]))
        .await
        .unwrap();
    let login = |project: &'static str| {
        let cloud = &cloud;
        async move {
            cloud
                .authenticate(user_auth("u", "pw", Some(project)))
                .await
        }
    };
    assert_eq!(login("theirs").await.status, 401, "no role on that project");
    let mine = login("mine").await;
    assert_eq!(mine.status, 201);
    let token = mine.header("x-subject-token");
    let projects = cloud
        .get(&token, &format!("/identity/v3/users/{user_id}/projects"))
        .await;
    assert_eq!(projects.status, 200, "{}", projects.text);
    let names = support::field_of_each(&projects.body["projects"], "name");
    assert_eq!(names, ["mine"]);
    assert_eq!(projects.body["projects"][0]["domain_id"], "default");
    let others = cloud
        .get(&token, "/identity/v3/users/someone-else/projects")
        .await;
    assert_eq!(others.status, 403);

    let catalog = cloud.get(&token, "/identity/v3/auth/catalog").await;
    assert_eq!(catalog.status, 200);
    let types = support::field_of_each(&catalog.body["catalog"], "type");
    assert!(types.contains(&"compute") && types.contains(&"identity"));
    let domain = cloud.get(&token, "/identity/v3/domains/default").await;
    assert_eq!(domain.body["domain"]["name"], "Default");
    assert_eq!(domain.body["domain"]["enabled"], true);
    let unknown = cloud.get(&token, "/identity/v3/domains/nope").await;
    assert_eq!(unknown.status, 404);
}
