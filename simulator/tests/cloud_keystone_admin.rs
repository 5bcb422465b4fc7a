//! Keystone v3 administration: projects, users, roles, grants and role assignments with the
//! admin's and a member's policies, domains, system-scoped tokens, and the control API's users
//! as role assignments.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use simulator::openstack::clock::TimeProfile;
use support::{start_as_admin, start_cloud, TestCloud};

/// A token of `user` (in the default domain) scoped to `project`; panics unless 201.
async fn login(cloud: &TestCloud, user: &str, password: &str, project: &str) -> (String, Value) {
    let answer = cloud
        .authenticate(json!({"auth": {
                "identity": {"methods": ["password"], "password": {"user": {
                    "name": user, "domain": {"id": "default"}, "password": password}}},
                "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    (
        answer.header("x-subject-token"),
        answer.body["token"].clone(),
    )
}

async fn put(cloud: &TestCloud, token: &str, path: &str) -> support::Answer {
    cloud.as_user(token).send(Method::PUT, path, None).await
}

#[tokio::test]
async fn an_admin_sets_up_a_tenant_that_its_user_then_logs_in_to() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let keystone = cloud.keystone_as(&admin);

    let project = keystone
        .post(
            "/projects",
            json!({"project": {"name": "vnf-tenant", "description": "for a VNF", "tags": ["vnf"]}}),
        )
        .await;
    assert_eq!(project.status, 201, "{}", project.text);
    let project = project.body["project"].clone();
    assert_eq!(project["domain_id"], "default");
    assert_eq!(project["parent_id"], "default");
    assert_eq!(project["enabled"], true);
    assert_eq!(project["tags"], json!(["vnf"]));
    let project_id = project["id"].as_str().unwrap();
    let again = keystone
        .post("/projects", json!({"project": {"name": "vnf-tenant"}}))
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["error"]["code"], 409);
    assert_eq!(again.body["error"]["title"], "Conflict");

    let user = keystone
        .post(
            "/users",
            json!({"user": {"name": "vnf-operator", "password": "s3cret", "email": "op@example.org",
                "default_project_id": project_id}}),
        )
        .await;
    assert_eq!(user.status, 201, "{}", user.text);
    assert!(user.body["user"].get("password").is_none());
    assert_eq!(user.body["user"]["email"], "op@example.org");
    let user_id = user.body["user"]["id"].as_str().unwrap().to_string();

    // Without a role the user may not log in to the project.
    let refused = cloud
        .authenticate(
            json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
                "id": user_id, "password": "s3cret"}}}, "scope": {"project": {"id": project_id}}}}),
        )
        .await;
    assert_eq!(refused.status, 401);

    let roles = keystone.get("/roles?name=member").await;
    assert_eq!(roles.status, 200);
    let member = roles.body["roles"][0]["id"].as_str().unwrap().to_string();
    let grant = format!("/identity/v3/projects/{project_id}/users/{user_id}/roles/{member}");
    assert_eq!(put(&cloud, &admin, &grant).await.status, 204);
    assert_eq!(cloud.get(&admin, &grant).await.status, 204);
    let head = cloud.as_user(&admin).send(Method::HEAD, &grant, None).await;
    assert_eq!(head.status, 204);

    let (token, body) = login(&cloud, "vnf-operator", "s3cret", "vnf-tenant").await;
    let names = support::field_of_each(&body["roles"], "name");
    assert_eq!(names, ["member", "reader"], "member implies reader");

    // A member reads its own project and itself, nothing else, and administers nothing.
    assert_eq!(
        cloud
            .get(&token, &format!("/identity/v3/projects/{project_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        cloud
            .get(&token, &format!("/identity/v3/users/{user_id}"))
            .await
            .status,
        200
    );
    let listed = cloud.get(&token, "/identity/v3/projects").await;
    assert_eq!(listed.status, 403);
    let create = cloud
        .post(
            &token,
            "/identity/v3/projects",
            json!({"project": {"name": "mine"}}),
        )
        .await;
    assert_eq!(create.status, 403);
    assert_eq!(
        create.body,
        json!({"error": {"code": 403, "title": "Forbidden", "message":
            "You are not authorized to perform the requested action: identity:create_project."}})
    );
    assert_eq!(
        cloud
            .get(&token, "/identity/v3/role_assignments")
            .await
            .status,
        403
    );

    // The assignment as the admin lists it, with names and with implied roles.
    let assignments = keystone
        .get(&format!(
            "/role_assignments?user.id={user_id}&scope.project.id={project_id}&include_names"
        ))
        .await;
    assert_eq!(assignments.status, 200, "{}", assignments.text);
    let entries = assignments.body["role_assignments"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["role"]["name"], "member");
    assert_eq!(entries[0]["user"]["name"], "vnf-operator");
    assert_eq!(entries[0]["scope"]["project"]["name"], "vnf-tenant");
    assert_eq!(entries[0]["scope"]["project"]["domain"]["name"], "Default");
    assert!(entries[0]["links"]["assignment"]
        .as_str()
        .unwrap()
        .ends_with(&grant["/identity".len()..]));
    let effective = keystone
        .get(&format!("/role_assignments?user.id={user_id}&effective"))
        .await;
    assert_eq!(
        effective.body["role_assignments"].as_array().unwrap().len(),
        2
    );

    // Disabling the project ends its tokens; deleting the user its assignments.
    let disabled = keystone
        .patch(
            &format!("/projects/{project_id}"),
            json!({"project": {"enabled": false}}),
        )
        .await;
    assert_eq!(disabled.status, 200);
    assert_eq!(disabled.body["project"]["enabled"], false);
    assert_eq!(
        cloud
            .get(&token, &format!("/identity/v3/users/{user_id}"))
            .await
            .status,
        401
    );
    assert_eq!(
        keystone.delete(&format!("/users/{user_id}")).await.status,
        204
    );
    assert_eq!(keystone.get(&format!("/users/{user_id}")).await.status, 404);
    assert_eq!(put(&cloud, &admin, &grant).await.status, 404);
    assert_eq!(
        keystone
            .delete(&format!("/projects/{project_id}"))
            .await
            .status,
        204
    );
    let gone = keystone.get(&format!("/projects/{project_id}")).await;
    gone.assert_error(
        404,
        "error",
        format!("Could not find project: {project_id}."),
    );
}

#[tokio::test]
async fn projects_users_and_roles_are_listed_filtered_updated_and_deleted() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let keystone = cloud.keystone_as(&admin);
    for name in ["p-one", "p-two"] {
        let made = keystone
            .post(
                "/projects",
                json!({"project": {"name": name, "enabled": name == "p-one"}}),
            )
            .await;
        assert_eq!(made.status, 201);
    }
    let named = keystone.get("/projects?name=p-one").await;
    assert_eq!(named.body["projects"].as_array().unwrap().len(), 1);
    let disabled = keystone.get("/projects?enabled=false").await;
    let names = support::field_of_each(&disabled.body["projects"], "name");
    assert_eq!(names, ["p-two"]);
    assert!(named.body["links"]["self"]
        .as_str()
        .unwrap()
        .ends_with("/identity/v3/projects"));

    let role = keystone
        .post("/roles", json!({"role": {"name": "vnf-viewer"}}))
        .await;
    assert_eq!(role.status, 201);
    let role_id = role.body["role"]["id"].as_str().unwrap();
    let renamed = keystone
        .patch(
            &format!("/roles/{role_id}"),
            json!({"role": {"name": "vnf-watcher", "description": "reads"}}),
        )
        .await;
    assert_eq!(renamed.body["role"]["name"], "vnf-watcher");
    assert_eq!(renamed.body["role"]["description"], "reads");
    let duplicate = keystone
        .post("/roles", json!({"role": {"name": "member"}}))
        .await;
    assert_eq!(duplicate.status, 409);
    let nameless = keystone.post("/roles", json!({"role": {}})).await;
    assert_eq!(nameless.status, 400);
    assert_eq!(
        keystone.delete(&format!("/roles/{role_id}")).await.status,
        204
    );
    assert_eq!(
        keystone.delete(&format!("/roles/{role_id}")).await.status,
        404
    );

    let users = keystone.get("/users?name=admin").await;
    assert_eq!(users.body["users"].as_array().unwrap().len(), 1);
    let user = keystone
        .post("/users", json!({"user": {"name": "u1", "password": "one"}}))
        .await;
    let user_id = user.body["user"]["id"].as_str().unwrap().to_string();
    let updated = keystone
        .patch(
            &format!("/users/{user_id}"),
            json!({"user": {"name": "u1-renamed", "description": "changed"}}),
        )
        .await;
    assert_eq!(updated.body["user"]["name"], "u1-renamed");
    assert_eq!(updated.body["user"]["description"], "changed");
    let groups = keystone.get(&format!("/users/{user_id}/groups")).await;
    assert_eq!(groups.body["groups"], json!([]));
}

#[tokio::test]
async fn domains_are_made_disabled_and_deleted_with_their_projects() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let keystone = cloud.keystone_as(&admin);
    let listed = keystone.get("/domains").await;
    assert_eq!(listed.body["domains"][0]["id"], "default");
    let domain = keystone
        .post("/domains", json!({"domain": {"name": "vendor"}}))
        .await;
    assert_eq!(domain.status, 201);
    let domain_id = domain.body["domain"]["id"].as_str().unwrap().to_string();
    let project = keystone
        .post(
            "/projects",
            json!({"project": {"name": "in-vendor", "domain_id": domain_id}}),
        )
        .await;
    assert_eq!(project.status, 201);
    let project_id = project.body["project"]["id"].as_str().unwrap().to_string();
    let enabled = keystone.delete(&format!("/domains/{domain_id}")).await;
    assert_eq!(enabled.status, 403);
    keystone
        .patch(
            &format!("/domains/{domain_id}"),
            json!({"domain": {"enabled": false}}),
        )
        .await;
    assert_eq!(
        keystone
            .delete(&format!("/domains/{domain_id}"))
            .await
            .status,
        204
    );
    assert_eq!(
        keystone
            .get(&format!("/projects/{project_id}"))
            .await
            .status,
        404
    );
    let unknown = keystone
        .post(
            "/projects",
            json!({"project": {"name": "x", "domain_id": "nowhere"}}),
        )
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn the_admin_gets_a_system_scoped_token_and_others_do_not() {
    let cloud = start_cloud(TimeProfile::Instant).await;
    let system = |user: &str, password: &str| {
        json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}},
            "scope": {"system": {"all": true}}}})
    };
    let answer = cloud.authenticate(system("admin", "admin")).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.body["token"]["system"], json!({"all": true}));
    assert!(answer.body["token"].get("project").is_none());
    let types = support::field_of_each(&answer.body["token"]["catalog"], "type");
    assert!(types.contains(&"identity") && !types.contains(&"volumev3"));
    let token = answer.header("x-subject-token");
    assert_eq!(cloud.get(&token, "/identity/v3/users").await.status, 200);

    cloud.control().create_project("t").await.unwrap();
    cloud
        .control()
        .create_user("member-of-t", "pw", Some(&["t"]))
        .await
        .unwrap();
    let refused = cloud.authenticate(system("member-of-t", "pw")).await;
    assert_eq!(refused.status, 401);
}

#[tokio::test]
async fn implied_roles_and_groups_give_users_their_roles() {
    let (cloud, admin, _) = start_as_admin(TimeProfile::Instant).await;
    let keystone = cloud.keystone_as(&admin);
    let inferences = keystone.get("/role_inferences").await;
    assert_eq!(inferences.status, 200);
    let rules = inferences.body["role_inferences"].as_array().unwrap();
    let admin_rule = rules
        .iter()
        .find(|r| r["prior_role"]["name"] == "admin")
        .unwrap();
    assert_eq!(admin_rule["implies"][0]["name"], "member");

    let role = |name: &str| {
        let role = json!({"role": {"name": name}});
        let keystone = &keystone;
        async move {
            let made = keystone.post("/roles", role).await;
            made.body["role"]["id"].as_str().unwrap().to_string()
        }
    };
    let operator = role("vnf-operator").await;
    let viewer = role("vnf-viewer").await;
    let rule = format!("/identity/v3/roles/{operator}/implies/{viewer}");
    let made = put(&cloud, &admin, &rule).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["role_inference"]["implies"]["name"], "vnf-viewer");
    let head = cloud.as_user(&admin).send(Method::HEAD, &rule, None).await;
    assert_eq!(head.status, 204);
    let back = format!("/identity/v3/roles/{viewer}/implies/{operator}");
    assert_eq!(put(&cloud, &admin, &back).await.status, 403, "no loops");
    let admin_id = keystone.get("/roles?name=admin").await.body["roles"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let implies_admin = format!("/identity/v3/roles/{operator}/implies/{admin_id}");
    assert_eq!(put(&cloud, &admin, &implies_admin).await.status, 403);

    // A group holding `vnf-operator` on a project gives its member both roles there.
    cloud.control().create_project("grouped").await.unwrap();
    let project = keystone.get("/projects?name=grouped").await.body["projects"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let group = keystone
        .post("/groups", json!({"group": {"name": "operators"}}))
        .await;
    assert_eq!(group.status, 201);
    let group_id = group.body["group"]["id"].as_str().unwrap().to_string();
    let user = keystone
        .post("/users", json!({"user": {"name": "op", "password": "pw"}}))
        .await;
    let user_id = user.body["user"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        keystone
            .send(
                Method::PUT,
                &format!("/groups/{group_id}/users/{user_id}"),
                None
            )
            .await
            .status,
        204
    );
    let grant = format!("/identity/v3/projects/{project}/groups/{group_id}/roles/{operator}");
    assert_eq!(put(&cloud, &admin, &grant).await.status, 204);
    let (_, token) = login(&cloud, "op", "pw", "grouped").await;
    let names = support::field_of_each(&token["roles"], "name");
    assert_eq!(names, ["vnf-operator", "vnf-viewer"]);
    let effective = keystone
        .get(&format!("/role_assignments?user.id={user_id}&effective"))
        .await;
    let entries = effective.body["role_assignments"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["links"]["membership"].is_string()));

    assert_eq!(
        keystone
            .delete(&format!("/groups/{group_id}/users/{user_id}"))
            .await
            .status,
        204
    );
    let refused = cloud
        .authenticate(
            json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
                "id": user_id, "password": "pw"}}}, "scope": {"project": {"id": project}}}}),
        )
        .await;
    assert_eq!(refused.status, 401, "no role once out of the group");
}
