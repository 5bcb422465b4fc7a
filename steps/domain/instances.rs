//! VNF instances: obtained per scenario from a fixture (created and instantiated through the
//! VNFM's own API, or taken from the existing ones the target lists), and deleted again.

use cucumber::{given, when};
use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
    registry::Instance,
    target::config::FixtureConfig,
    world::Conformance,
};

/// The VIM connection towards the scenario's own cloud project, if it has one.
fn vim_connection(w: &Conformance) -> Option<Value> {
    let project = w.cloud.project.as_ref()?;
    let c = w.target.observer.credentials();
    Some(json!({"vim1": {
        "vimType": "ETSINFV.OPENSTACK_KEYSTONE.V_3",
        "interfaceInfo": {"endpoint": c.keystone_v3()},
        "accessInfo": {
            "username": c.username, "password": c.password, "project": project.name,
            "userDomain": c.user_domain, "projectDomain": c.project_domain}}}))
}

/// A precondition: a VNF instance the target file's fixture provides. A target that cannot
/// provide it makes the scenario INCONCLUSIVE, not FAILED.
#[given(expr = "a VNF {string} from fixture {string}")]
pub(super) async fn from_fixture(w: &mut Conformance, alias: String, name: String) -> Outcome {
    establish_fixture(w, alias, name)
        .await
        .map_err(Failure::unmet_precondition)
}

/// Creates (or finds) the fixture's instance and registers it under `alias`.
async fn establish_fixture(w: &mut Conformance, alias: String, name: String) -> Outcome {
    let instance = match w.target.fixture(&name)?.clone() {
        FixtureConfig::Existing { .. } if w.registry.names.contains_key(&alias) => {
            return Err(Failure::new(format!(
                "VNF {alias:?} must be created with a name the scenario chose; fixture {name:?} lists existing instances"
            )))
        }
        FixtureConfig::Existing { instance_ids } => {
            let id = w.target.next_existing(&name, &instance_ids)?;
            let exchange = w.target.sol003.get(&format!("/vnf_instances/{id}")).await?;
            ensure(
                exchange.status == 200,
                &exchange,
                format!("existing instance {id}"),
            )?;
            let vnfd_id = exchange.body()["vnfdId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            Instance {
                id,
                vnfd_id,
                created: false,
            }
        }
        FixtureConfig::Create {
            vnfd_id,
            instantiate,
            out_of_band_volume,
        } => {
            let body = json!({
                "vnfdId": vnfd_id,
                "vnfInstanceName": w.registry.instance_name(&alias),
                "vnfInstanceDescription": w.scenario,
            });
            let exchange = w
                .call(Api::Sol003, Method::POST, "/vnf_instances", Some(body))
                .await?
                .clone();
            ensure(
                exchange.status == 201,
                &exchange,
                "201 with the new VNF instance",
            )?;
            let id = exchange.body()["id"]
                .as_str()
                .ok_or_else(|| Failure::about(&exchange, "an instance id"))?
                .to_string();
            if let Some(mut request) = instantiate {
                if let Some(oob) = out_of_band_volume {
                    let volume = w
                        .target
                        .observer
                        .create_volume(
                            w.cloud.project_name(),
                            &format!("oob-{alias}-{id}"),
                            oob.size_gb,
                            w.operation_deadline(),
                        )
                        .await?;
                    request["additionalParams"]["outOfBandVolumes"][&oob.virtual_storage_desc_id] =
                        json!(volume);
                    w.registry.oob_volumes.insert(alias.clone(), volume);
                }
                if let (Some(vim), None) = (vim_connection(w), request.get("vimConnectionInfo")) {
                    request["vimConnectionInfo"] = vim;
                }
                w.run_task(&id, "instantiate", request).await?;
            }
            Instance {
                id,
                vnfd_id,
                created: true,
            }
        }
    };
    w.registry.instances.insert(alias, instance);
    Ok(())
}

#[when(expr = "the NFVO terminates and deletes {string}")]
async fn terminate_and_delete(w: &mut Conformance, alias: String) -> Outcome {
    let id = w.registry.instance(&alias)?.id.clone();
    let left = w.remove_instance(&id).await?;
    w.registry.left_volumes.extend(left);
    if let Some(instance) = w.registry.instances.get_mut(&alias) {
        instance.created = false;
    }
    Ok(())
}
