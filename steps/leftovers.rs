//! The run's own look at what it leaves behind, beyond each scenario's clean-up: the VNFM's
//! instances, snapshots and subscriptions (over both roots) and the cloud's resources in the
//! target's project are listed before the first scenario and after the last one. What appeared
//! in between and the run made (or, on the cloud, what the run's VNF instances used or what was
//! made from it) is removed and named in the reports' clean-up section.
//!
//! Scenarios with a cloud project of their own are looked at by their own clean-up
//! ([`crate::world::Conformance::release_project`]); this covers the others.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Mutex,
};

use serde_json::Value;

use crate::{
    cleanup_log::{CleanUpLog, LeftOnVim},
    cloud::inventory::{CloudItem, REMOVAL_ORDER},
    http::Api,
    leaks::list_all,
    registry::{Collection, Made},
    resources::SnapshotResources,
    target::Target,
    world::Conformance,
};

/// Cloud resource id -> the scenario whose VNF instance or snapshot used it.
static USED: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());

/// `(root, collection, id)` -> the scenario that made it, for every resource the run made on
/// the VNFM.
static MADE: Mutex<BTreeMap<(Api, CollectionKey, String), String>> = Mutex::new(BTreeMap::new());

/// A collection as an ordered key.
type CollectionKey = &'static str;

fn use_by(scenario: &str, ids: impl IntoIterator<Item = String>) {
    let mut used = USED.lock().unwrap_or_else(|e| e.into_inner());
    for id in ids.into_iter().filter(|id| !id.is_empty()) {
        used.entry(id).or_insert_with(|| scenario.to_string());
    }
}

/// Notes the cloud resources a VNF instance shows (servers, volumes, virtual link networks and
/// link ports).
pub fn note_instance(scenario: &str, instance: &Value) {
    let info = &instance["instantiatedVnfInfo"];
    let handles = |list: &str, member: &str| -> Vec<String> {
        info[list]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item[member]["resourceId"].as_str().map(str::to_string))
            .collect()
    };
    let mut ids = handles("vnfcResourceInfo", "computeResource");
    ids.extend(handles("virtualStorageResourceInfo", "storageResource"));
    ids.extend(handles("vnfVirtualLinkResourceInfo", "networkResource"));
    for link in info["vnfVirtualLinkResourceInfo"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for port in link["vnfLinkPorts"].as_array().into_iter().flatten() {
            if let Some(id) = port["resourceHandle"]["resourceId"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    use_by(scenario, ids);
}

/// Notes the cloud resources a VNF snapshot lists (images and volume snapshots).
pub fn note_snapshot(scenario: &str, info: &Value) {
    let listed = SnapshotResources::of(info);
    let ids = listed
        .images
        .into_iter()
        .chain(listed.volume_snapshots)
        .map(|(_, id)| id);
    use_by(scenario, ids);
}

/// Notes what a scenario made on the VNFM.
pub fn note_made(scenario: &str, made: &Made) {
    let mut all = MADE.lock().unwrap_or_else(|e| e.into_inner());
    for collection in LISTED {
        for (api, id) in made.of(collection) {
            all.insert((api, collection.segment(), id), scenario.to_string());
        }
    }
}

/// The collections listed on the VNFM.
const LISTED: [Collection; 3] = [
    Collection::Subscriptions,
    Collection::Snapshots,
    Collection::Instances,
];

/// What the target held before the first scenario.
#[derive(Debug, Default)]
pub struct Before {
    vnfm: BTreeSet<(Api, CollectionKey, String)>,
    /// The cloud resources of the target's project; `None` when they could not be listed.
    cloud: Option<BTreeSet<String>>,
    /// What could not be listed, and why.
    notes: Vec<String>,
}

/// What the run left behind once every scenario was done.
#[derive(Debug, Default)]
pub struct EndOfRun {
    /// What the end-of-run sweep removed or could not remove on the VNFM and the cloud.
    pub log: CleanUpLog,
    /// Items on the VNFM the run made that were still there, with the scenario that made them.
    pub vnfm_left: Vec<(String, String)>,
    /// Items that appeared on the VNFM during the run without being made by its requests.
    pub vnfm_foreign: Vec<String>,
    /// Cloud resources the run's VNF instances used (or that were made from them) still on the
    /// cloud, with the scenario: left on the VIM by the VNFM.
    pub cloud_left: Vec<(String, LeftOnVim)>,
    /// What could not be looked at, and why.
    pub notes: Vec<String>,
}

/// Every instance, snapshot and subscription of the VNFM, over both roots.
async fn vnfm_inventory(
    target: &Target,
    notes: &mut Vec<String>,
) -> BTreeSet<(Api, CollectionKey, String)> {
    let mut found = BTreeSet::new();
    for api in [Api::Sol003, Api::Sol002] {
        for collection in LISTED {
            let path = format!("/{}", collection.segment());
            match list_all(target.api(api), &path).await {
                Ok(items) => found.extend(items.iter().filter_map(|item| {
                    let id = item["id"].as_str()?.to_string();
                    Some((api, collection.segment(), id))
                })),
                Err(e) => notes.push(format!(
                    "the {api:?} list {path} could not be read: {}",
                    e.to_string().lines().next().unwrap_or_default()
                )),
            }
        }
    }
    found
}

/// Lists the VNFM and the target's cloud project before the first scenario.
pub async fn before(target: &Target) -> Before {
    let mut notes = Vec::new();
    let vnfm = vnfm_inventory(target, &mut notes).await;
    let cloud = match target.observer.inventory(None).await {
        Ok(items) => Some(items.into_iter().map(|i| i.id).collect()),
        Err(e) => {
            notes.push(format!(
                "the cloud project of the target file could not be listed: {}",
                e.to_string().lines().next().unwrap_or_default()
            ));
            None
        }
    };
    Before { vnfm, cloud, notes }
}

/// Lists the VNFM and the target's cloud project once every scenario is done, and removes
/// what the run left behind there: its own VNFM resources first (through the world's clean-up,
/// each through the root it was made on), then the cloud resources its VNF instances used.
pub async fn after(target: &'static Target, before: Before) -> EndOfRun {
    let mut end = EndOfRun {
        notes: before.notes,
        ..EndOfRun::default()
    };
    let now = vnfm_inventory(target, &mut end.notes).await;
    let made = MADE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut sweeper = Conformance::end_of_run(target);
    for key in now.difference(&before.vnfm) {
        let (api, segment, id) = key;
        let collection = LISTED
            .into_iter()
            .find(|c| c.segment() == *segment)
            .unwrap_or(Collection::Instances);
        let item = format!("{} {id} ({api:?})", collection.kind());
        // Lists over both roots of one store show the same item twice: it was made through one.
        let maker = made.get(key).or_else(|| {
            made.iter()
                .find(|((_, s, i), _)| s == segment && i == id)
                .map(|(_, scenario)| scenario)
        });
        match maker {
            Some(scenario) => {
                end.vnfm_left.push((scenario.clone(), item));
                sweeper.registry.made.add(*api, collection, id);
            }
            None => end.vnfm_foreign.push(item),
        }
    }
    sweeper.remove_made(&mut end.log).await;
    if let Some(cloud_before) = before.cloud {
        cloud_left(target, &cloud_before, &mut end).await;
    }
    end
}

/// The cloud resources of the target's project that appeared during the run and that the
/// run's VNF instances used or that were made from them (a volume snapshot of a used volume, a
/// volume from a used volume snapshot, an image of a used server, a port of a used server or
/// network): removed, and named as left on the VIM by the VNFM.
async fn cloud_left(target: &Target, before: &BTreeSet<String>, end: &mut EndOfRun) {
    let items = match target.observer.inventory(None).await {
        Ok(items) => items,
        Err(e) => {
            end.notes.push(format!(
                "the cloud project of the target file could not be listed after the run: {}",
                e.to_string().lines().next().unwrap_or_default()
            ));
            return;
        }
    };
    let mut owner: BTreeMap<String, String> =
        USED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let new: Vec<CloudItem> = items
        .into_iter()
        .filter(|i| !before.contains(&i.id) && !i.is_going())
        .collect();
    // What was made from a used resource belongs to the same scenario, transitively.
    loop {
        let mut grew = false;
        for item in &new {
            if owner.contains_key(&item.id) {
                continue;
            }
            if let Some(scenario) = item.related().iter().find_map(|r| owner.get(r)).cloned() {
                owner.insert(item.id.clone(), scenario);
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    for kind in REMOVAL_ORDER {
        for item in new.iter().filter(|i| i.kind == kind) {
            let Some(scenario) = owner.get(&item.id) else {
                continue;
            };
            let removal = target
                .observer
                .remove(None, item, target.operation_deadline)
                .await;
            if let Err(failed) = &removal {
                end.log.failed.push(failed.clone());
            }
            end.cloud_left.push((
                scenario.clone(),
                LeftOnVim {
                    kind: item.kind.to_string(),
                    id: item.id.clone(),
                    name: item.name.clone(),
                    status: item.status.clone(),
                    removed: removal.is_ok(),
                },
            ));
        }
    }
}
