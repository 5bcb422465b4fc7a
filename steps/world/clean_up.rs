//! After the scenario, on every target: its cloud and VNFM faults lifted, its operations
//! settled, everything it made on the VNFM removed through the API root it was made on, the
//! volumes it made or the VNFM reported left removed, and its own cloud project, if it has one,
//! looked at for what the VNFM left there, then removed. Every step is logged for the reports'
//! clean-up section: what was removed, and every request that did not succeed.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use super::Conformance;
use crate::{
    cleanup_log::{CleanUpLog, FailedRequest, LeftOnVim},
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange},
    leaks, leftovers,
    registry::{Collection, SETTLED},
};

impl Conformance {
    /// Removes the cloud faults the scenario registered.
    pub async fn lift_faults(&mut self) -> Outcome {
        if let Some(control) = &self.target.control {
            for fault in self.cloud.faults.drain(..) {
                control.remove_fault_if_present(&fault).await?;
            }
        }
        Ok(())
    }

    /// Removes the VNFM fault rules the scenario registered, releasing what they hold.
    pub async fn lift_vnfm_faults(&mut self) -> Outcome {
        if let Some(control) = &self.target.vnfm_control {
            for fault in self.vnfm_faults.drain(..) {
                control.remove_if_present(&fault).await?;
            }
        }
        Ok(())
    }

    /// The first part of the clean-up: the scenario's faults lifted, a lowered quota restored,
    /// and its operations brought to a final state (a running one cancelled, one in
    /// FAILED_TEMP rolled back or declared failed), so that its instances are free and the
    /// leak check sees final records.
    pub async fn settle(&mut self, log: &mut CleanUpLog) {
        if let Err(e) = self.lift_faults().await {
            log.failed.push(control_failure("cloud fault rules", e));
        }
        if let Err(e) = self.lift_vnfm_faults().await {
            log.failed.push(control_failure("VNFM fault rules", e));
        }
        if let Err(e) = self.restore_quota().await {
            log.failed
                .push(control_failure("the lowered Cinder quota", e));
        }
        self.remove_data_resources(log).await;
        let mut ops = self.registry.op_occs.clone();
        for (_, op) in self.registry.made.of(Collection::OpOccs) {
            if !ops.contains(&op) {
                ops.push(op);
            }
        }
        let closed = join_all(ops.iter().map(|op| self.close_operation(op))).await;
        for outcome in closed {
            match outcome {
                Ok(volumes) => self.registry.left_volumes.extend(volumes),
                Err(failed) => log.failed.push(failed),
            }
        }
    }

    /// The second part of the clean-up: deletes what the scenario made on the VNFM, each
    /// through the API root it was made on (subscriptions, then VNF snapshots, then VNF
    /// instances, terminated first), then the volumes the VNFM reported left on the VIM and the
    /// out-of-band volumes the scenario made. Each kind is removed all at once.
    pub async fn remove_made(&mut self, log: &mut CleanUpLog) {
        let made = &self.registry.made;
        let subscriptions = made.of(Collection::Subscriptions);
        self.delete_all(log, Collection::Subscriptions, &subscriptions)
            .await;
        let snapshots = made.of(Collection::Snapshots);
        for (api, id) in &snapshots {
            if let Ok(Some(info)) = self.read_if_present(*api, Collection::Snapshots, id).await {
                leftovers::note_snapshot(&self.label, &info);
            }
        }
        self.delete_all(log, Collection::Snapshots, &snapshots)
            .await;
        let instances = made.of(Collection::Instances);
        let removals = instances
            .iter()
            .map(|(api, id)| self.remove_instance_if_present(*api, id));
        for ((_, id), outcome) in instances.iter().zip(join_all(removals).await) {
            match outcome {
                Ok(Some(volumes)) => {
                    log.removed(Collection::Instances.kind(), id);
                    self.registry.left_volumes.extend(volumes);
                }
                Ok(None) => {}
                Err(failed) => log.failed.push(failed),
            }
        }
        // Volumes the VNFM reported left on the VIM (old volumes a revert could not delete
        // while they had snapshots, documented) and the out-of-band volumes the scenario made.
        let project = self.cloud.project_name();
        let observer = &self.target.observer;
        let mut volumes: Vec<&String> = Vec::new();
        for id in self
            .registry
            .left_volumes
            .iter()
            .chain(self.registry.oob_volumes.values())
        {
            if !volumes.contains(&id) {
                volumes.push(id);
            }
        }
        let deletions = volumes.iter().map(|id| async move {
            match observer.volume(project, id).await {
                Ok(None) => Ok(false),
                _ => observer
                    .delete_volume(project, id)
                    .await
                    .map(|()| true)
                    .map_err(|e| {
                        let url = format!("(Cinder) /volumes/{id}");
                        FailedRequest::failed(format!("volume {id}"), "DELETE", url, None, e)
                    }),
            }
        });
        for (id, outcome) in volumes.iter().zip(join_all(deletions).await) {
            match outcome {
                Ok(true) => log.removed("volume", id),
                Ok(false) => {}
                Err(failed) => log.failed.push(failed),
            }
        }
    }

    /// The last part of the clean-up, with the scenario's own cloud project: what the project
    /// still holds once the VNFM's own clean-up is done is what the VNFM left on its VIM; it is
    /// logged, then removed with the project.
    pub async fn release_project(&mut self, log: &mut CleanUpLog) {
        let (Some(project), Some(control)) = (self.cloud.project.take(), &self.target.control)
        else {
            return;
        };
        let left = match self.target.observer.inventory(Some(&project.name)).await {
            Ok(items) => items,
            Err(e) => {
                let what = format!("the inventory of cloud project {}", project.id);
                log.failed.push(FailedRequest::failed(
                    what,
                    "GET",
                    "(OpenStack lists)",
                    None,
                    e,
                ));
                Vec::new()
            }
        };
        let removed = match control.delete_project(&project.id).await {
            Ok(()) => {
                log.removed("cloud project", &project.id);
                true
            }
            Err(e) => {
                let url = format!("/_sim/projects/{}", project.id);
                let what = format!("cloud project {}", project.id);
                log.failed
                    .push(FailedRequest::failed(what, "DELETE", url, e.status, e));
                false
            }
        };
        let left = left.into_iter().filter(|item| !item.is_going());
        log.left_on_vim.extend(left.map(|item| LeftOnVim {
            kind: item.kind.to_string(),
            id: item.id,
            name: item.name,
            status: item.status,
            removed,
        }));
    }

    /// Deletes every one of `items` of `collection`, all at once, each through its root, and
    /// logs each: removed, or the request that did not succeed.
    async fn delete_all(
        &self,
        log: &mut CleanUpLog,
        collection: Collection,
        items: &[(Api, String)],
    ) {
        let deletions = items
            .iter()
            .map(|(api, id)| self.delete_made(*api, collection, id));
        for ((_, id), outcome) in items.iter().zip(join_all(deletions).await) {
            match outcome {
                Ok(true) => log.removed(collection.kind(), id),
                Ok(false) => {}
                Err(failed) => log.failed.push(failed),
            }
        }
    }

    /// DELETE of `<collection>/<id>` through `api`: `Ok(true)` on 204, `Ok(false)` when it was
    /// gone already (404).
    async fn delete_made(
        &self,
        api: Api,
        collection: Collection,
        id: &str,
    ) -> Result<bool, FailedRequest> {
        let client = self.target.api(api);
        let path = format!("/{}/{id}", collection.segment());
        let item = format!("{} {id}", collection.kind());
        let exchange = client
            .send(client.request(Method::DELETE, &path))
            .await
            .map_err(|e| FailedRequest::failed(&item, "DELETE", client.url(&path), None, e))?;
        match exchange.status {
            204 => Ok(true),
            404 => Ok(false),
            _ => Err(FailedRequest::answered(item, &exchange)),
        }
    }

    /// GET of `<collection>/<id>` through `api`; `None` when it is gone.
    async fn read_if_present(
        &self,
        api: Api,
        collection: Collection,
        id: &str,
    ) -> Result<Option<Value>, FailedRequest> {
        let client = self.target.api(api);
        let path = format!("/{}/{id}", collection.segment());
        let item = format!("{} {id}", collection.kind());
        let exchange = client
            .get(&path)
            .await
            .map_err(|e| FailedRequest::failed(&item, "GET", client.url(&path), None, e))?;
        match exchange.status {
            200 => Ok(Some(exchange.body().clone())),
            404 => Ok(None),
            _ => Err(FailedRequest::answered(item, &exchange)),
        }
    }

    /// The leak check of the scenario (reference stack): fails naming every cloud resource
    /// that neither the VNFM's records nor the scenario account for.
    pub async fn leak_check(&self) -> Outcome {
        let leaked = leaks::leaks(self.target, &self.registry, &self.cloud).await?;
        if leaked.is_empty() {
            Ok(())
        } else {
            Err(Failure::new(format!(
                "leak check: the cloud holds resources nothing accounts for: {}",
                leaked.join("; ")
            )))
        }
    }

    /// Brings an operation occurrence to a final state so that its instance is free. A running
    /// one is given the operation deadline to settle (faults are lifted by now), then cancelled
    /// (FORCEFUL). One in FAILED_TEMP is, on an external target, rolled back where the
    /// operation allows it (which leaves the cloud as it was), and otherwise declared failed;
    /// on the reference stack it is declared failed, so that the leak check also covers what a
    /// FAILED operation leaves. Answers the volumes the VNFM reports it left on the VIM (the
    /// reference VNFM's `resourcesLeftOnVim`).
    async fn close_operation(&self, op: &str) -> Result<Vec<String>, FailedRequest> {
        let item = format!("operation occurrence {op}");
        let mut occ = self
            .read_if_present(Api::Sol003, Collection::OpOccs, op)
            .await?;
        let Some(current) = &occ else {
            return Ok(Vec::new());
        };
        if !SETTLED.contains(&state_of(current)) {
            occ = match self.await_op_state(op, SETTLED).await {
                Ok(settled) => Some(settled),
                Err(_) => {
                    let body = json!({"cancelMode": "FORCEFUL"});
                    self.task(op, "cancel", Some(body), &[202]).await?;
                    let settled = self.await_op_state(op, SETTLED).await.map_err(|e| {
                        let url = self.target.sol003.url(&format!("/vnf_lcm_op_occs/{op}"));
                        FailedRequest::failed(&item, "GET", url, None, e)
                    })?;
                    Some(settled)
                }
            };
        }
        let mut occ = occ.unwrap_or_default();
        if state_of(&occ) == "FAILED_TEMP" && !self.target.reference {
            let rollback = self.task(op, "rollback", None, &[202, 404, 409]).await?;
            if rollback.status == 202 {
                occ = self.await_op_state(op, SETTLED).await.map_err(|e| {
                    let url = self.target.sol003.url(&format!("/vnf_lcm_op_occs/{op}"));
                    FailedRequest::failed(&item, "GET", url, None, e)
                })?;
            }
        }
        if state_of(&occ) == "FAILED_TEMP" {
            let failed = self.task(op, "fail", None, &[200]).await?;
            occ = failed.body().clone();
        }
        Ok(left_volumes(&occ))
    }

    /// POST of the task `task` of the operation occurrence `op` over SOL003; an answer other
    /// than `expected` is a failed clean-up request.
    async fn task(
        &self,
        op: &str,
        task: &str,
        body: Option<Value>,
        expected: &[u16],
    ) -> Result<Exchange, FailedRequest> {
        let path = format!("/vnf_lcm_op_occs/{op}/{task}");
        let item = format!("operation occurrence {op}");
        let exchange = self.post(&path, body).await.map_err(|e| {
            FailedRequest::failed(&item, "POST", self.target.sol003.url(&path), None, e)
        })?;
        if expected.contains(&exchange.status) {
            Ok(exchange)
        } else {
            Err(FailedRequest::answered(item, &exchange))
        }
    }

    /// POST over SOL003 outside the scenario's exchanges (fixture and clean-up work).
    async fn post(&self, path: &str, body: Option<Value>) -> Outcome<Exchange> {
        let mut request = self.target.sol003.request(Method::POST, path);
        if let Some(body) = &body {
            request = request.json(body);
        }
        self.target.sol003.send(request).await
    }

    /// Runs an LCM task on an instance and waits for it to complete (fixture work); answers the
    /// completed operation occurrence.
    pub async fn run_task(&self, instance: &str, task: &str, body: Value) -> Outcome<Value> {
        let path = format!("/vnf_instances/{instance}/{task}");
        let exchange = self.post(&path, Some(body)).await?;
        ensure(exchange.status == 202, &exchange, format!("202 for {task}"))?;
        let op = exchange.location_id(self.target.sol003.root(), "/vnf_lcm_op_occs")?;
        let occ = self.await_op_state(&op, SETTLED).await?;
        if occ["operationState"] != "COMPLETED" {
            return Err(Failure::new(format!(
                "{task} of {instance} did not complete: {occ}"
            )));
        }
        Ok(occ)
    }

    /// Removes the instance `id`, made through `api`, unless it is gone already: `Ok(None)`
    /// when it was, otherwise the volumes its termination left on the VIM. Its resources are
    /// noted first for the end-of-run look at the cloud.
    async fn remove_instance_if_present(
        &self,
        api: Api,
        id: &str,
    ) -> Result<Option<Vec<String>>, FailedRequest> {
        let Some(instance) = self.read_if_present(api, Collection::Instances, id).await? else {
            return Ok(None);
        };
        leftovers::note_instance(&self.label, &instance);
        let item = format!("{} {id}", Collection::Instances.kind());
        let client = self.target.api(api);
        self.remove_read_instance(api, id, &instance)
            .await
            .map(Some)
            .map_err(|e| {
                let path = format!("/vnf_instances/{id}");
                FailedRequest::failed(item, "DELETE", client.url(&path), None, e)
            })
    }

    /// Terminates the instance `id` (when it is instantiated) and deletes it; answers the
    /// volumes the termination left on the VIM (they still had snapshots).
    pub async fn remove_instance(&self, id: &str) -> Outcome<Vec<String>> {
        let path = format!("/vnf_instances/{id}");
        let instance = self.read(Api::Sol003, &path, "the VNF instance").await?;
        leftovers::note_instance(&self.label, &instance);
        self.remove_read_instance(Api::Sol003, id, &instance).await
    }

    /// [`Self::remove_instance`] once the instance has been read, through `api`.
    async fn remove_read_instance(
        &self,
        api: Api,
        id: &str,
        instance: &Value,
    ) -> Outcome<Vec<String>> {
        let mut left = Vec::new();
        if instance["instantiationState"] == "INSTANTIATED" {
            let body = json!({"terminationType": "FORCEFUL"});
            left = left_volumes(&self.run_task(id, "terminate", body).await?);
        }
        let client = self.target.api(api);
        let path = format!("/vnf_instances/{id}");
        let exchange = client.send(client.request(Method::DELETE, &path)).await?;
        ensure(
            exchange.status == 204,
            &exchange,
            "204 for the deletion of the VNF instance",
        )?;
        Ok(left)
    }
}

/// A control API call of the clean-up that failed.
fn control_failure(what: &str, error: Failure) -> FailedRequest {
    FailedRequest::failed(what, "DELETE", "(control API)", None, error)
}

/// The volumes an operation occurrence reports it left on the VIM.
fn left_volumes(occ: &Value) -> Vec<String> {
    occ["resourcesLeftOnVim"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|left| left["vimLevelResourceType"] == "OS::Cinder::Volume")
        .filter_map(|left| left["resourceId"].as_str().map(str::to_string))
        .collect()
}

/// The `operationState` of an operation occurrence.
fn state_of(occ: &Value) -> &str {
    occ["operationState"].as_str().unwrap_or_default()
}
