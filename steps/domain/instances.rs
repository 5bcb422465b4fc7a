//! VNF instances: obtained per scenario from a fixture (created and instantiated through the
//! VNFM's own API, or taken from the existing ones the target lists), and deleted again.

use std::collections::BTreeMap;

use cucumber::{given, when};
use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
    leftovers,
    registry::{Collection, Instance},
    target::config::FixtureConfig,
    world::Conformance,
};

/// The entries of the list `name` of an instance's `instantiatedVnfInfo` by id: the string at
/// `pointer` of each entry that has both (`/computeResource/resourceId` of `vnfcResourceInfo`:
/// the server of each VNFC resource).
pub(super) fn resource_ids(
    instance: &Value,
    name: &str,
    pointer: &str,
) -> BTreeMap<String, String> {
    instance["instantiatedVnfInfo"][name]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            Some((
                entry["id"].as_str()?.to_string(),
                entry.pointer(pointer)?.as_str()?.to_string(),
            ))
        })
        .collect()
}

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
    if matches!(w.target.fixture(&name), Ok(FixtureConfig::Existing { .. }))
        && w.registry.names.contains_key(&alias)
    {
        return Err(Failure::new(format!(
            "VNF {alias:?} must be created with a name the scenario chose; fixture {name:?} lists existing instances"
        ))
        .unmet_precondition());
    }
    let instance_name = w.registry.instance_name(&alias);
    let obtained = obtain(w, &name, &alias, &instance_name).await;
    let instance = obtained.register(w, &alias);
    let instance = instance.map_err(Failure::unmet_precondition)?;
    w.registry.instances.insert(alias, instance);
    Ok(())
}

/// What obtaining a fixture's instance made, whether or not it got as far as an instance the
/// scenario can use: the clean-up needs to know either way.
pub(super) struct Obtained {
    /// The instance created (`POST /vnf_instances` answered 201), if one was.
    created: Option<String>,
    /// The out-of-band volume created for it, if one was.
    oob_volume: Option<String>,
    /// The instance, ready for the scenario.
    result: Outcome<Instance>,
}

impl Obtained {
    /// Records what was made in the scenario's registry (for the clean-up) and answers the
    /// instance.
    pub(super) fn register(self, w: &mut Conformance, alias: &str) -> Outcome<Instance> {
        if let Some(id) = &self.created {
            w.registry.made.add(Api::Sol003, Collection::Instances, id);
        }
        if let Some(volume) = self.oob_volume {
            w.registry.oob_volumes.insert(alias.to_string(), volume);
        }
        self.result
    }
}

/// Creates (or takes) the instance of fixture `name` for `alias`, named `instance_name`,
/// without touching the scenario's exchanges, so that several can be obtained at once. A
/// created instance is instantiated with the fixture's request, in the scenario's own cloud
/// project when it has one; its cloud resources are noted for the end-of-run look at the
/// cloud.
pub(super) async fn obtain(
    w: &Conformance,
    name: &str,
    alias: &str,
    instance_name: &str,
) -> Obtained {
    let mut obtained = Obtained {
        created: None,
        oob_volume: None,
        result: Err(Failure::new("not obtained")),
    };
    obtained.result = obtain_into(w, name, alias, instance_name, &mut obtained).await;
    obtained
}

async fn obtain_into(
    w: &Conformance,
    name: &str,
    alias: &str,
    instance_name: &str,
    obtained: &mut Obtained,
) -> Outcome<Instance> {
    let (vnfd_id, instantiate, out_of_band_volume) = match w.target.fixture(name)?.clone() {
        FixtureConfig::Existing { instance_ids } => {
            let id = w.target.next_existing(name, &instance_ids)?;
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
            return Ok(Instance { id, vnfd_id });
        }
        FixtureConfig::Create {
            vnfd_id,
            instantiate,
            out_of_band_volume,
        } => (vnfd_id, instantiate, out_of_band_volume),
    };
    let api = &w.target.sol003;
    let body = json!({
        "vnfdId": vnfd_id,
        "vnfInstanceName": instance_name,
        "vnfInstanceDescription": w.scenario,
    });
    let exchange = api
        .send(api.request(Method::POST, "/vnf_instances").json(&body))
        .await?;
    let id = exchange.body()["id"].as_str().map(str::to_string);
    obtained.created = id.clone().filter(|_| exchange.status == 201);
    ensure(
        exchange.status == 201,
        &exchange,
        "201 with the new VNF instance (SOL003 §5.4.2.3.1)",
    )?;
    let id = id.ok_or_else(|| Failure::about(&exchange, "an instance id"))?;
    let Some(mut request) = instantiate else {
        return Ok(Instance { id, vnfd_id });
    };
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
        obtained.oob_volume = Some(volume.clone());
        request["additionalParams"]["outOfBandVolumes"][&oob.virtual_storage_desc_id] =
            json!(volume);
    }
    let own_project = vim_connection(w);
    let explicit_vim = request.get("vimConnectionInfo").is_some();
    if let (Some(vim), false) = (&own_project, explicit_vim) {
        request["vimConnectionInfo"] = vim.clone();
    }
    w.run_task(&id, "instantiate", request).await?;
    let instance = w
        .read(
            Api::Sol003,
            &format!("/vnf_instances/{id}"),
            "the VNF instance",
        )
        .await?;
    leftovers::note_instance(&w.label, &instance);
    if own_project.is_some() && !explicit_vim {
        in_own_project(w, &instance).await?;
    }
    Ok(Instance { id, vnfd_id })
}

/// The scenario's faults and quotas act on its own cloud project only: the instance must have
/// been deployed there, as the `vimConnectionInfo` of its InstantiateVnfRequest asks (SOL003
/// §5.5.2.4). A VNFM that deploys elsewhere cannot run the scenario: INCONCLUSIVE.
async fn in_own_project(w: &Conformance, instance: &Value) -> Outcome {
    let servers: Vec<&str> = instance["instantiatedVnfInfo"]["vnfcResourceInfo"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|vnfc| vnfc["computeResource"]["resourceId"].as_str())
        .collect();
    let project = w.cloud.project.as_ref().map(|p| p.id.as_str());
    for server in servers {
        let found = w
            .target
            .observer
            .server(w.cloud.project_name(), server)
            .await?;
        if found.is_none_or(|s| s["tenant_id"].as_str() != project) {
            return Err(Failure::new(format!(
                "the VNFM did not deploy server {server} into the scenario's cloud project                  {:?} that the InstantiateVnfRequest's vimConnectionInfo names",
                w.cloud.project_name().unwrap_or_default()
            )));
        }
    }
    Ok(())
}

#[when(expr = "the NFVO terminates and deletes {string}")]
async fn terminate_and_delete(w: &mut Conformance, alias: String) -> Outcome {
    let id = w.registry.instance(&alias)?.id.clone();
    let left = w.remove_instance(&id).await?;
    w.registry.left_volumes.extend(left);
    Ok(())
}
