//! VNF instances and LCM operations on a VIM the VNFM does not drive (VMware vCD): create,
//! query, instantiate, terminate, delete, and the refusals of snapshot operations.

mod vnfm_support;

use serde_json::{json, Value};
use vnfm_support::{location, snapshot_content, start};

#[tokio::test]
async fn create_query_and_delete_an_instance() {
    let stack = start().await;
    let response = stack
        .post(
            "/vnf_instances",
            json!({"vnfdId": "vnfd-vb-1vdu", "vnfInstanceName": "a"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["instantiationState"], "NOT_INSTANTIATED");
    assert_eq!(body["_links"]["self"]["href"], location.as_str());
    assert!(body["_links"]["instantiate"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/instantiate"));
    assert_eq!(body["vnfdVersion"], "1.0");
    let id = body["id"].as_str().unwrap();

    let list = stack
        .get_json("/vnf_instances?filter=(eq,vnfInstanceName,a)")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        stack
            .get_json("/vnf_instances?filter=(eq,vnfInstanceName,b)")
            .await,
        json!([])
    );

    assert_eq!(stack.delete_instance(id).await, 204);
    assert_eq!(
        stack.get(&format!("/vnf_instances/{id}")).await.status(),
        404
    );
}

#[tokio::test]
async fn create_refuses_unknown_or_missing_vnfd() {
    let stack = start().await;
    let create = "/vnf_instances".to_string();
    stack
        .assert_refused(vec![
            (
                "an unknown VNFD",
                create.clone(),
                json!({"vnfdId": "nope"}),
                422,
                None,
            ),
            (
                "no VNFD",
                create,
                json!({"vnfInstanceName": "x"}),
                400,
                Some("vnfdId"),
            ),
        ])
        .await;
    assert_eq!(stack.get_json("/vnf_instances").await, json!([]));
}

#[tokio::test]
async fn instantiate_and_terminate_on_a_vcd_vim() {
    let stack = start().await;
    let id = stack.new_instance("vnfd-vb-2vdu").await;
    let occ_url = stack.instantiate_on_vcd(&id).await;
    let occ = stack.wait_for_state(&occ_url, "COMPLETED").await;
    assert_eq!(occ["operation"], "INSTANTIATE");
    assert_eq!(occ["vnfInstanceId"], id.as_str());
    assert_eq!(
        occ["resourceChanges"]["affectedVnfcs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let instance = stack.get_json(&format!("/vnf_instances/{id}")).await;
    assert_eq!(instance["instantiationState"], "INSTANTIATED");
    let info = &instance["instantiatedVnfInfo"];
    let vnfcs = info["vnfcResourceInfo"].as_array().unwrap();
    assert_eq!(vnfcs.len(), 2);
    assert!(vnfcs[0]["id"].as_str().unwrap().starts_with("res-"));
    assert_eq!(
        vnfcs[0]["computeResource"]["vimLevelResourceType"],
        "OS::Nova::Server"
    );
    assert_eq!(vnfcs[0]["storageResourceIds"].as_array().unwrap().len(), 2);
    assert_eq!(
        info["virtualStorageResourceInfo"].as_array().unwrap().len(),
        4
    );
    assert!(info.get("vnfcInfo").is_none(), "vnfcInfo is SOL002 only");
    assert_eq!(
        instance["vimConnectionInfo"]["vcd-1"]["vimType"],
        "ETSINFV.VMWARE_VCD.V_10"
    );

    let sol002 = stack
        .get_json(&format!("{}/vnf_instances/{id}", stack.vnfm.sol002_root()))
        .await;
    let vnfc_info = sol002["instantiatedVnfInfo"]["vnfcInfo"]
        .as_array()
        .unwrap();
    assert_eq!(vnfc_info[0]["id"], vnfcs[0]["id"]);
    assert!(sol002["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .contains("/ve_vnfm/vnflcm/v2/"));

    let list = stack.get_json("/vnf_instances").await;
    assert!(
        list[0].get("instantiatedVnfInfo").is_none(),
        "excluded by default"
    );

    assert_eq!(stack.delete_instance(&id).await, 409);
    let again = stack.instantiate_on_vcd_raw(&id).await;
    assert_eq!(again, 409);

    let terminate = stack.terminate(&id, "FORCEFUL").await;
    assert_eq!(terminate.status(), 202);
    let occ_url = location(&terminate);
    stack.wait_for_state(&occ_url, "COMPLETED").await;
    let instance = stack.get_json(&format!("/vnf_instances/{id}")).await;
    assert_eq!(instance["instantiationState"], "NOT_INSTANTIATED");
    assert_eq!(stack.delete_instance(&id).await, 204);
}

#[tokio::test]
async fn instantiate_checks_descriptor_requirements() {
    let stack = start().await;
    let vcd = stack.new_instance("vnfd-vcd-1vdu").await;
    let oob = stack.new_instance("vnfd-vb-oob").await;
    let instantiate = |id: &str| format!("/vnf_instances/{id}/instantiate");
    let plain = json!({"flavourId": "default"});
    stack
        .assert_refused(vec![
            ("a VCD descriptor on OpenStack", instantiate(&vcd), plain.clone(), 422, None),
            ("no out-of-band volumes", instantiate(&oob), plain, 422, Some("outOfBandVolumes")),
            ("an unknown flavour", instantiate(&oob), json!({"flavourId": "huge"}), 422, None),
            (
                "a VIM without access",
                instantiate(&oob),
                json!({"flavourId": "default", "vimConnectionInfo": {"v": {"vimType": "OPENSTACK_V3"}}}),
                422,
                None,
            ),
        ])
        .await;
    let ops = stack.get_json("/vnf_lcm_op_occs").await;
    assert_eq!(ops, json!([]), "refused requests store nothing");
}

#[tokio::test]
async fn snapshot_operations_are_refused_with_reasons() {
    let stack = start().await;
    let id = stack.new_instance("vnfd-vb-1vdu").await;
    let snapshot = stack.new_snapshot_resource().await;
    let create = format!("/vnf_instances/{id}/create_snapshot");
    let revert = format!("/vnf_instances/{id}/revert_to_snapshot");
    let info = json!({"vnfSnapshotInfoId": snapshot});
    let unknown = "/vnf_instances/00000000-0000-0000-0000-000000000000/create_snapshot";
    stack
        .assert_refused(vec![
            (
                "an unknown instance",
                unknown.to_string(),
                info.clone(),
                404,
                None,
            ),
            (
                "no snapshot info id",
                create.clone(),
                json!({}),
                400,
                Some("vnfSnapshotInfoId"),
            ),
            (
                "an unknown snapshot info",
                create.clone(),
                json!({"vnfSnapshotInfoId": "nope"}),
                422,
                None,
            ),
            (
                "a NOT_INSTANTIATED instance",
                create.clone(),
                info.clone(),
                409,
                Some("instantiate"),
            ),
        ])
        .await;

    let occ_url = stack.instantiate_on_vcd(&id).await;
    stack.wait_for_state(&occ_url, "COMPLETED").await;
    stack
        .assert_refused(vec![
            ("an instance on a VCD", create, info.clone(), 409, Some("OpenStack")),
            ("an empty snapshot cannot be reverted to", revert.clone(), info, 422, None),
            (
                "a revert of one VNFC",
                revert,
                json!({"vnfSnapshotInfoId": snapshot, "additionalParams": {"vnfcInstanceId": "res-1"}}),
                400,
                None,
            ),
        ])
        .await;

    let resource = stack.get_json(&format!("/vnf_snapshots/{snapshot}")).await;
    assert!(resource.get("vnfSnapshot").is_none(), "nothing was stored");
    let ops = stack.get_json("/vnf_lcm_op_occs").await;
    assert_eq!(ops.as_array().unwrap().len(), 1, "only the instantiation");
}

#[tokio::test]
async fn op_occ_tasks_follow_the_state_machine() {
    let stack = start().await;
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    let occ_url = stack.instantiate_on_vcd(&id).await;
    let occ = stack.wait_for_state(&occ_url, "COMPLETED").await;
    assert_eq!(occ["operationParams"]["flavourId"], "default");
    assert_eq!(occ["isCancelPending"], false);
    assert_eq!(
        occ["_links"]["vnfInstance"]["href"],
        format!("{}/vnf_instances/{id}", stack.vnfm.sol003_root())
    );

    for task in ["retry", "fail", "rollback"] {
        let response = stack.post(&format!("{occ_url}/{task}"), json!({})).await;
        assert_eq!(response.status(), 409, "{task}");
    }
    let cancel = stack
        .post(
            &format!("{occ_url}/cancel"),
            json!({"cancelMode": "GRACEFUL"}),
        )
        .await;
    assert_eq!(cancel.status(), 409);
    let bad_cancel = stack
        .post(&format!("{occ_url}/cancel"), json!({"cancelMode": "SOFT"}))
        .await;
    assert_eq!(bad_cancel.status(), 400);

    let terminate_url = location(&stack.terminate(&id, "GRACEFUL").await);
    stack.wait_for_state(&terminate_url, "COMPLETED").await;
    let rollback = stack
        .post(&format!("{terminate_url}/rollback"), json!({}))
        .await;
    assert_eq!(rollback.status(), 404, "TERMINATE has no rollback");

    let list = stack.get_json("/vnf_lcm_op_occs").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list[0].get("operationParams").is_none() && list[0].get("resourceChanges").is_none());
    let terminations = stack
        .get_json("/vnf_lcm_op_occs?filter=(eq,operation,TERMINATE)")
        .await;
    assert_eq!(terminations.as_array().unwrap().len(), 1);
    assert_eq!(stack.get("/vnf_lcm_op_occs/unknown").await.status(), 404);
    assert_eq!(
        stack
            .post("/vnf_lcm_op_occs/unknown/retry", json!({}))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn sol002_request_forms_are_checked() {
    let stack = start().await;
    let id = stack.new_instance("vnfd-vb-2vdu").await;
    let occ_url = stack.instantiate_on_vcd(&id).await;
    stack.wait_for_state(&occ_url, "COMPLETED").await;
    let snapshot = stack.new_snapshot_resource().await;
    let sol002 = stack.vnfm.sol002_root();

    let conflicting = stack
        .post(
            &format!("{sol002}/vnf_instances/{id}/create_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot, "vnfcInstanceId": "res-a", "additionalParams": {"vnfcInstanceId": "res-b"}}),
        )
        .await;
    assert_eq!(conflicting.status(), 400);
    let not_a_string = stack
        .post(
            &format!("{sol002}/vnf_instances/{id}/create_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot, "additionalParams": {"vnfcInstanceId": 7}}),
        )
        .await;
    assert_eq!(not_a_string.status(), 400);
    let half_revert = stack
        .post(
            &format!("{sol002}/vnf_instances/{id}/revert_to_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot, "vnfcSnapshotInfoId": "x"}),
        )
        .await;
    assert_eq!(half_revert.status(), 400);
    let on_vcd = stack
        .post(
            &format!("{sol002}/vnf_instances/{id}/create_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot, "additionalParams": {"vnfcInstanceId": "res-a"}}),
        )
        .await;
    assert_eq!(on_vcd.status(), 409);
    let location_root = stack.vnfm.sol002_root();
    let list = stack
        .get_json(&format!("{location_root}/vnf_lcm_op_occs"))
        .await;
    assert!(list[0]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .starts_with(&location_root));
}

#[tokio::test]
async fn a_filled_snapshot_cannot_be_filled_again_and_outlives_its_instance() {
    let stack = start().await;
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    let snapshot = stack.new_snapshot_resource().await;
    let patched = stack
        .request(
            reqwest::Method::PATCH,
            &format!("/vnf_snapshots/{snapshot}"),
        )
        .await
        .json(&json!({ "vnfSnapshot": snapshot_content(&id) }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let occ_url = stack.instantiate_on_vcd(&id).await;
    stack.wait_for_state(&occ_url, "COMPLETED").await;
    let filled = stack
        .post(
            &format!("/vnf_instances/{id}/create_snapshot"),
            json!({"vnfSnapshotInfoId": snapshot}),
        )
        .await;
    assert_eq!(filled.status(), 409);
    let detail = filled.json::<Value>().await.unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("already holds"), "{detail}");

    let url = location(&stack.terminate(&id, "FORCEFUL").await);
    stack.wait_for_state(&url, "COMPLETED").await;
    assert_eq!(stack.delete_instance(&id).await, 204);
    let kept = stack.get_json(&format!("/vnf_snapshots/{snapshot}")).await;
    assert_eq!(kept["vnfSnapshot"]["vnfInstanceId"], id.as_str());
    assert_eq!(
        stack
            .delete(&format!("/vnf_snapshots/{snapshot}"))
            .await
            .status(),
        204
    );
}
