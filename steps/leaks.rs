//! The leak check run after every scenario on the reference stack: every server, volume,
//! volume snapshot, image, network, subnet, port and security group in the scenario's part of
//! the cloud must be accounted for by the VNFM's records (the instances' resources, their
//! virtual links' networks and link ports, the subnets of those networks, the snapshots' VNFC
//! snapshot resources, the operation occurrences' `resourcesLeftOnVim`) or by the suite's own
//! out-of-band volumes.
//!
//! The scenario's part of the cloud is its own project when it has one; otherwise the
//! resources tied to its instances by name (`<name>-<first 8 of the instance id>-<vdu>`),
//! the volume snapshots of those volumes, and the images of those servers or named after its
//! VNFC snapshots. [`global`] checks the whole cloud once every scenario is done.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Mutex,
};

use serde_json::Value;
use simulator::{kit::SimControl, openstack::model::InventoryEntry};

use crate::{
    cloud::{
        scenario::ScenarioCloud,
        state::{cloud_state, cloud_state_created_since, CloudState, Project},
    },
    failure::{Failure, Outcome},
    http::ApiClient,
    registry::Registry,
    resources::SnapshotResources,
    target::Target,
};

/// One cloud resource, with its kind.
#[derive(Debug)]
struct Resource<'a> {
    kind: &'static str,
    value: &'a InventoryEntry,
}

impl Resource<'_> {
    fn id(&self) -> &str {
        &self.value.id
    }

    fn describe(&self) -> String {
        format!(
            "{} {} named {:?} ({})",
            self.kind,
            self.id(),
            name(self.value),
            self.value.status.as_deref().unwrap_or_default()
        )
    }
}

/// Every resource of `state` with its kind, the seeded public images left out.
fn all(state: &CloudState) -> Vec<Resource<'_>> {
    let tagged = |kind, list: &'static str| {
        let items = match list {
            "servers" => &state.servers,
            "volumes" => &state.volumes,
            "snapshots" => &state.snapshots,
            "networks" => &state.networks,
            "subnets" => &state.subnets,
            "ports" => &state.ports,
            "security_groups" => &state.security_groups,
            _ => &state.images,
        };
        items.iter().map(move |value| Resource { kind, value })
    };
    tagged("server", "servers")
        .chain(tagged("volume", "volumes"))
        .chain(tagged("volume snapshot", "snapshots"))
        .chain(tagged("image", "images").filter(|r| !r.value.seeded))
        .chain(tagged("network", "networks"))
        .chain(tagged("subnet", "subnets"))
        .chain(tagged("port", "ports"))
        .chain(tagged("security group", "security_groups"))
        .collect()
}

/// The project a resource belongs to.
fn project_of<'a>(resource: &Resource<'a>) -> &'a str {
    &resource.value.project_id
}

/// A resource's name, `""` when it has none.
fn name(resource: &InventoryEntry) -> &str {
    resource.name.as_deref().unwrap_or_default()
}

/// Ids the VNFM's records account for, with the record that does.
#[derive(Debug, Default)]
struct Accounts {
    ids: BTreeMap<String, String>,
    /// Operation occurrences not in a final state: they may still hold partial resources.
    unsettled: Vec<String>,
    /// VNFC snapshot ids (the names of their images).
    vnfc_snapshots: BTreeSet<String>,
    /// `(id, operation)` of the operation occurrences declared FAILED: what they made stays on
    /// the VIM (documented in docs/vnfm-choices.md, "Fail").
    failed: Vec<(String, String)>,
}

impl Accounts {
    fn add(&mut self, id: Option<&str>, why: impl Into<String>) {
        if let Some(id) = id {
            self.ids.insert(id.to_string(), why.into());
        }
    }

    fn instance(&mut self, instance: &Value) {
        let id = instance["id"].as_str().unwrap_or_default();
        let info = &instance["instantiatedVnfInfo"];
        for (list, what) in [
            ("vnfcResourceInfo", "computeResource"),
            ("virtualStorageResourceInfo", "storageResource"),
        ] {
            for item in info[list].as_array().into_iter().flatten() {
                let resource = item[what]["resourceId"].as_str();
                self.add(resource, format!("{list} of instance {id}"));
            }
        }
        let links = "vnfVirtualLinkResourceInfo";
        for link in info[links].as_array().into_iter().flatten() {
            let network = link["networkResource"]["resourceId"].as_str();
            self.add(network, format!("{links} of instance {id}"));
            for port in link["vnfLinkPorts"].as_array().into_iter().flatten() {
                let resource = port["resourceHandle"]["resourceId"].as_str();
                self.add(resource, format!("vnfLinkPorts of instance {id}"));
            }
        }
    }

    /// Whether the records account for `resource` (a subnet through its network).
    fn covers(&self, resource: &Resource) -> bool {
        self.ids.contains_key(resource.id())
            || (resource.kind == "subnet"
                && resource
                    .value
                    .network_id
                    .as_deref()
                    .is_some_and(|network| self.ids.contains_key(network)))
    }

    fn snapshot(&mut self, info: &Value) {
        let id = info["id"].as_str().unwrap_or_default();
        let listed = SnapshotResources::of(info);
        for (vnfc, resource) in listed.images.iter().chain(&listed.volume_snapshots) {
            self.vnfc_snapshots.insert(vnfc.clone());
            self.add(Some(resource), format!("VNFC snapshot {vnfc} of {id}"));
        }
    }

    fn op_occ(&mut self, occ: &Value) {
        let id = occ["id"].as_str().unwrap_or_default();
        for left in occ["resourcesLeftOnVim"].as_array().into_iter().flatten() {
            let resource = left["resourceId"].as_str();
            self.add(resource, format!("resourcesLeftOnVim of {id}"));
        }
        let state = occ["operationState"].as_str().unwrap_or_default();
        if state == "FAILED" {
            let operation = occ["operation"].as_str().unwrap_or_default();
            self.failed.push((id.to_string(), operation.to_string()));
        }
        if !crate::registry::SETTLED.contains(&state) || state == "FAILED_TEMP" {
            self.unsettled.push(format!("{id} ({state})"));
        }
    }
}

/// The body of a GET that must answer 200 (`None` for 404).
async fn fetch(api: &ApiClient, path: &str) -> Outcome<Option<Value>> {
    let exchange = api.get(path).await?;
    match exchange.status {
        200 => Ok(Some(exchange.body().clone())),
        404 => Ok(None),
        _ => Err(Failure::about(&exchange, format!("200 or 404 for {path}"))),
    }
}

/// Every item of a paged list (following `Link: <...>; rel="next"`), which must answer arrays.
pub async fn list_all(api: &ApiClient, path: &str) -> Outcome<Vec<Value>> {
    let mut items = Vec::new();
    let mut next = Some(api.url(path));
    while let Some(url) = next.take() {
        let exchange = api.get(&url).await?;
        let page = exchange
            .body()
            .as_array()
            .ok_or_else(|| Failure::about(&exchange, format!("a JSON array for {path}")))?;
        items.extend(page.iter().cloned());
        next = exchange.next_link();
    }
    Ok(items)
}

/// What the VNFM's records say about the scenario's instances and snapshots.
async fn scenario_accounts(api: &ApiClient, registry: &Registry) -> Outcome<Accounts> {
    let mut accounts = Accounts::default();
    for instance in registry.instances.values() {
        if let Some(body) = fetch(api, &format!("/vnf_instances/{}", instance.id)).await? {
            accounts.instance(&body);
        }
        let ops = format!(
            "/vnf_lcm_op_occs?all_fields&filter=(eq,vnfInstanceId,{})",
            instance.id
        );
        for occ in list_all(api, &ops).await? {
            accounts.op_occ(&occ);
        }
    }
    for id in registry.snapshots.values() {
        if let Some(body) = fetch(api, &format!("/vnf_snapshots/{id}")).await? {
            accounts.snapshot(&body);
        }
    }
    for volume in registry.oob_volumes.values() {
        accounts.add(Some(volume), "out-of-band volume made by the scenario");
    }
    Ok(accounts)
}

/// The resources of `state` that belong to the scenario.
fn scoped<'a>(
    registry: &Registry,
    project: Option<&Project>,
    state: &'a CloudState,
    accounts: &Accounts,
) -> Vec<Resource<'a>> {
    let resources = all(state);
    if let Some(project) = project {
        return resources
            .into_iter()
            .filter(|r| project_of(r) == project.id)
            .collect();
    }
    let tags: Vec<String> = registry
        .instances
        .values()
        .map(|i| format!("-{}-", i.id.chars().take(8).collect::<String>()))
        .collect();
    let named = |r: &Resource| {
        let name = name(r.value);
        tags.iter().any(|t| name.contains(t.as_str()))
    };
    let ids = |kind: &str| -> BTreeSet<String> {
        resources
            .iter()
            .filter(|r| r.kind == kind && named(r))
            .map(|r| r.id().to_string())
            .collect()
    };
    let (servers, volumes) = (ids("server"), ids("volume"));
    let of_vnfc_snapshot = |name: &str, prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|n| accounts.vnfc_snapshots.contains(n))
    };
    resources
        .into_iter()
        .filter(|r| {
            let name = name(r.value);
            let text = |field: &'a Option<String>| field.as_deref().unwrap_or_default();
            match r.kind {
                "server" | "volume" | "network" | "subnet" | "security group" => named(r),
                "port" => named(r) || servers.contains(text(&r.value.server_id)),
                "volume snapshot" => {
                    volumes.contains(text(&r.value.volume_id))
                        || of_vnfc_snapshot(name, "snapshot for ")
                }
                _ => {
                    let server = r.value.server_id.as_deref();
                    server.is_some_and(|s| servers.contains(s)) || of_vnfc_snapshot(name, "")
                }
            }
        })
        .collect()
}

/// Resources a FAILED operation may have left (documented): the kinds it makes.
fn left_by_failed<'a>(resource: &Resource, accounts: &'a Accounts) -> Option<&'a str> {
    accounts
        .failed
        .iter()
        .find(|(_, operation)| match operation.as_str() {
            "CREATE_SNAPSHOT" => matches!(resource.kind, "image" | "volume snapshot"),
            "REVERT_TO_SNAPSHOT" => matches!(resource.kind, "server" | "volume"),
            "INSTANTIATE" => matches!(
                resource.kind,
                "server" | "volume" | "network" | "subnet" | "port"
            ),
            _ => false,
        })
        .map(|(id, _)| id.as_str())
}

/// Ids the per-scenario checks accepted as left by a FAILED operation, for [`global`].
static DOCUMENTED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The resources of `scope` nothing accounts for, described.
fn unaccounted(scope: &[Resource], accounts: &Accounts) -> Vec<String> {
    let mut documented = DOCUMENTED.lock().unwrap_or_else(|e| e.into_inner());
    scope
        .iter()
        .filter(|r| {
            if accounts.covers(r) || documented.contains(r.id()) {
                return false;
            }
            let left = left_by_failed(r, accounts).is_some();
            if left {
                documented.insert(r.id().to_string());
            }
            !left
        })
        .map(Resource::describe)
        .collect()
}

/// The leaked resources of the scenario, described. Resources of an operation that has not
/// reached a final state (FAILED_TEMP included) are its to clean up (retry, rollback) and are
/// not counted; those of an operation declared FAILED stay on the VIM as documented. Only the
/// resources created since the scenario started can be its own, so only those are read.
pub async fn leaks(
    target: &Target,
    registry: &Registry,
    cloud: &ScenarioCloud,
) -> Outcome<Vec<String>> {
    let Some(control) = &target.control else {
        return Ok(Vec::new());
    };
    let accounts = scenario_accounts(&target.sol003, registry).await?;
    if !accounts.unsettled.is_empty() {
        return Ok(Vec::new());
    }
    let state = cloud_state_created_since(control, cloud.created_since).await?;
    Ok(unaccounted(
        &scoped(registry, cloud.project.as_ref(), &state, &accounts),
        &accounts,
    ))
}

/// The leaked resources of the whole cloud once every scenario is done: anything the records
/// of every instance, snapshot and operation occurrence of the VNFM do not account for, apart
/// from the suite's out-of-band volumes (named `oob-…`).
pub async fn global(control: &SimControl, api: &ApiClient) -> Outcome<Vec<String>> {
    let mut accounts = Accounts::default();
    for instance in list_all(api, "/vnf_instances?all_fields").await? {
        accounts.instance(&instance);
    }
    for snapshot in list_all(api, "/vnf_snapshots?all_fields").await? {
        accounts.snapshot(&snapshot);
    }
    for occ in list_all(api, "/vnf_lcm_op_occs?all_fields").await? {
        accounts.op_occ(&occ);
    }
    let state = cloud_state(control).await?;
    let resources: Vec<Resource> = all(&state)
        .into_iter()
        .filter(|r| {
            !(r.kind == "volume"
                && r.value
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with("oob-")))
        })
        .collect();
    accounts.failed.clear();
    let mut found = unaccounted(&resources, &accounts);
    if !accounts.unsettled.is_empty() {
        found.push(format!(
            "operation occurrences left unsettled: {:?}",
            accounts.unsettled
        ));
    }
    Ok(found)
}
