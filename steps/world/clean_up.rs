//! After the scenario: its cloud and VNFM faults lifted, its operations settled, what it created on an
//! external target removed, and the leak check.

use std::future::Future;

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use super::Conformance;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange},
    leaks,
    registry::SETTLED,
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

    /// After the scenario: lifts its faults, brings its operations to a final state (a running
    /// one cancelled, one in FAILED_TEMP declared failed, so that the leak check sees final
    /// records), and, on an external target (which outlives the run), deletes the
    /// subscriptions, snapshots and instances it created. Each step works on all its items at
    /// once. Returns what could not be cleaned, naming each item.
    pub async fn clean_up(&mut self) -> Vec<Failure> {
        let mut problems: Vec<Failure> = self.lift_faults().await.err().into_iter().collect();
        problems.extend(self.lift_vnfm_faults().await.err());
        problems.extend(self.restore_quota().await.err());
        let registry = &self.registry;
        let ops = distinct(registry.op_occs.iter().chain(&registry.stray.op_occs));
        let closed = join_all(ops.iter().map(|op| self.close_operation(op))).await;
        let mut left_on_vim = Vec::new();
        for outcome in closed {
            match outcome {
                Ok(volumes) => left_on_vim.extend(volumes),
                Err(problem) => problems.push(problem),
            }
        }
        if self.target.reference {
            return problems;
        }
        let subscriber = &self.subscriber;
        let subscriptions = distinct(
            subscriber
                .subscription
                .iter()
                .chain(subscriber.others.iter().map(|(_, id)| id))
                .chain(&registry.stray.subscriptions),
        );
        let deletions = subscriptions
            .iter()
            .map(|id| self.delete_created("subscriptions", id));
        collect(&mut problems, deletions).await;
        let snapshots = distinct(registry.snapshots.values().chain(&registry.stray.snapshots));
        let deletions = snapshots
            .iter()
            .map(|id| self.delete_created("vnf_snapshots", id));
        collect(&mut problems, deletions).await;
        let instances = distinct(
            registry
                .instances
                .values()
                .filter(|i| i.created)
                .map(|i| &i.id)
                .chain(&registry.stray.instances),
        );
        let removals = instances
            .iter()
            .map(|id| self.remove_instance_if_present(id));
        for outcome in join_all(removals).await {
            match outcome {
                Ok(volumes) => left_on_vim.extend(volumes),
                Err(problem) => problems.push(problem),
            }
        }
        // Volumes the VNFM reported left on the VIM (old volumes a revert could not delete
        // while they had snapshots, documented) and the out-of-band volumes the scenario made.
        let project = self.cloud.project_name();
        let volumes = distinct(
            left_on_vim
                .iter()
                .chain(&registry.left_volumes)
                .chain(registry.oob_volumes.values()),
        );
        let deletions = volumes
            .iter()
            .map(|id| self.target.observer.delete_volume(project, id));
        collect(&mut problems, deletions).await;
        problems
    }

    /// Removes the scenario's own cloud project, with whatever it still holds, once the
    /// clean-up and the leak check are done.
    pub async fn release_project(&mut self) -> Outcome {
        let (Some(project), Some(control)) = (self.cloud.project.take(), &self.target.control)
        else {
            return Ok(());
        };
        Ok(control.delete_project(&project.id).await?)
    }

    /// DELETE of `<collection>/<id>`, made by the scenario: 204, or 404 if already gone.
    async fn delete_created(&self, collection: &str, id: &str) -> Outcome {
        let path = format!("/{collection}/{id}");
        let exchange = self
            .target
            .sol003
            .send(self.target.sol003.request(Method::DELETE, &path))
            .await?;
        ensure(
            exchange.status == 204 || exchange.status == 404,
            &exchange,
            format!("204 for the clean-up's deletion of {collection}/{id}"),
        )
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
    async fn close_operation(&self, op: &str) -> Outcome<Vec<String>> {
        let mut occ = self.read_op_occ(op).await?;
        if !SETTLED.contains(&state_of(&occ)) {
            occ = match self.await_op_state(op, SETTLED).await {
                Ok(occ) => occ,
                Err(_) => {
                    let body = json!({"cancelMode": "FORCEFUL"});
                    self.post(&format!("/vnf_lcm_op_occs/{op}/cancel"), Some(body))
                        .await?;
                    self.await_op_state(op, SETTLED).await?
                }
            };
        }
        if state_of(&occ) == "FAILED_TEMP" && !self.target.reference {
            let rollback = self
                .post(&format!("/vnf_lcm_op_occs/{op}/rollback"), None)
                .await?;
            if rollback.status == 202 {
                occ = self.await_op_state(op, SETTLED).await?;
            }
        }
        if state_of(&occ) == "FAILED_TEMP" {
            self.post(&format!("/vnf_lcm_op_occs/{op}/fail"), None)
                .await?;
            occ = self.read_op_occ(op).await?;
        }
        Ok(left_volumes(&occ))
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

    /// Removes the instance `id` unless it is gone already (clean-up); answers the volumes its
    /// termination left on the VIM.
    async fn remove_instance_if_present(&self, id: &str) -> Outcome<Vec<String>> {
        let path = format!("/vnf_instances/{id}");
        let exchange = self.target.sol003.get(&path).await?;
        match exchange.status {
            404 => Ok(Vec::new()),
            200 => self.remove_read_instance(id, exchange.body()).await,
            _ => Err(Failure::about(
                &exchange,
                "200 with the VNF instance, or 404",
            )),
        }
    }

    /// Terminates the instance `id` (when it is instantiated) and deletes it; answers the
    /// volumes the termination left on the VIM (they still had snapshots).
    pub async fn remove_instance(&self, id: &str) -> Outcome<Vec<String>> {
        let path = format!("/vnf_instances/{id}");
        let instance = self.read(Api::Sol003, &path, "the VNF instance").await?;
        self.remove_read_instance(id, &instance).await
    }

    /// [`Self::remove_instance`] once the instance has been read.
    async fn remove_read_instance(&self, id: &str, instance: &Value) -> Outcome<Vec<String>> {
        let mut left = Vec::new();
        if instance["instantiationState"] == "INSTANTIATED" {
            let body = json!({"terminationType": "FORCEFUL"});
            left = left_volumes(&self.run_task(id, "terminate", body).await?);
        }
        let path = format!("/vnf_instances/{id}");
        let exchange = self
            .target
            .sol003
            .send(self.target.sol003.request(Method::DELETE, &path))
            .await?;
        ensure(
            exchange.status == 204,
            &exchange,
            "204 for the deletion of the VNF instance",
        )?;
        Ok(left)
    }
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

/// The ids, each once, in their first order.
fn distinct<'a>(ids: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen = Vec::new();
    for id in ids {
        if !seen.contains(id) {
            seen.push(id.clone());
        }
    }
    seen
}

/// Runs the clean-up steps `steps` together and adds their failures to `problems`.
async fn collect(
    problems: &mut Vec<Failure>,
    steps: impl Iterator<Item = impl Future<Output = Outcome>>,
) {
    let outcomes = join_all(steps).await;
    problems.extend(outcomes.into_iter().filter_map(Result::err));
}
