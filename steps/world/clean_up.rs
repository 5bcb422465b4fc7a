//! After the scenario: its faults lifted, its operations settled, what it created on an
//! external target removed, and the leak check.

use reqwest::Method;
use serde_json::{json, Value};

use std::future::Future;

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

    /// After the scenario: lifts its faults, brings its operations to a final state (a running
    /// one cancelled, one in FAILED_TEMP declared failed, so that the leak check sees final
    /// records), and, on an external target (which outlives the run), deletes the
    /// subscriptions, snapshots and instances it created. Each step works on all its items at
    /// once. Returns what could not be cleaned, naming each item.
    pub async fn clean_up(&mut self) -> Vec<Failure> {
        let mut problems: Vec<Failure> = self.lift_faults().await.err().into_iter().collect();
        let registry = &self.registry;
        let ops = distinct(registry.op_occs.iter().chain(&registry.stray.op_occs));
        collect(&mut problems, ops.iter().map(|op| self.close_operation(op))).await;
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
        collect(&mut problems, removals).await;
        problems
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
        let leaked = leaks::leaks(self.target, &self.registry, self.cloud.project.as_ref()).await?;
        if leaked.is_empty() {
            Ok(())
        } else {
            Err(Failure::new(format!(
                "leak check: the cloud holds resources nothing accounts for: {}",
                leaked.join("; ")
            )))
        }
    }

    /// Brings an operation occurrence to a final state so that its instance is free: a running
    /// one is cancelled (FORCEFUL), one in FAILED_TEMP is declared failed.
    async fn close_operation(&self, op: &str) -> Outcome {
        let mut state = self.read_op_occ(op).await?["operationState"].clone();
        if state == "STARTING" || state == "PROCESSING" || state == "ROLLING_BACK" {
            let body = json!({"cancelMode": "FORCEFUL"});
            self.post(&format!("/vnf_lcm_op_occs/{op}/cancel"), Some(body))
                .await?;
            state = self.await_op_state(op, SETTLED).await?["operationState"].clone();
        }
        if state == "FAILED_TEMP" {
            self.post(&format!("/vnf_lcm_op_occs/{op}/fail"), None)
                .await?;
        }
        Ok(())
    }

    /// POST over SOL003 outside the scenario's exchanges (fixture and clean-up work).
    async fn post(&self, path: &str, body: Option<Value>) -> Outcome<Exchange> {
        let mut request = self.target.sol003.request(Method::POST, path);
        if let Some(body) = &body {
            request = request.json(body);
        }
        self.target.sol003.send(request).await
    }

    /// Runs an LCM task on an instance and waits for it to complete (fixture work).
    pub async fn run_task(&self, instance: &str, task: &str, body: Value) -> Outcome {
        let path = format!("/vnf_instances/{instance}/{task}");
        let exchange = self.post(&path, Some(body)).await?;
        ensure(exchange.status == 202, &exchange, format!("202 for {task}"))?;
        let op = exchange.location_id(&self.target.sol003.root, "/vnf_lcm_op_occs")?;
        let occ = self.await_op_state(&op, SETTLED).await?;
        if occ["operationState"] != "COMPLETED" {
            return Err(Failure::new(format!(
                "{task} of {instance} did not complete: {occ}"
            )));
        }
        Ok(())
    }

    /// Removes the instance `id` unless it is gone already (clean-up).
    async fn remove_instance_if_present(&self, id: &str) -> Outcome {
        let path = format!("/vnf_instances/{id}");
        if self.target.sol003.get(&path).await?.status == 404 {
            return Ok(());
        }
        self.remove_instance(id).await
    }

    /// Terminates the instance `id` (when it is instantiated) and deletes it.
    pub async fn remove_instance(&self, id: &str) -> Outcome {
        let instance = self
            .read(
                Api::Sol003,
                &format!("/vnf_instances/{id}"),
                "the VNF instance",
            )
            .await?;
        if instance["instantiationState"] == "INSTANTIATED" {
            self.run_task(id, "terminate", json!({"terminationType": "FORCEFUL"}))
                .await?;
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
        )
    }
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
    let outcomes = futures::future::join_all(steps).await;
    problems.extend(outcomes.into_iter().filter_map(Result::err));
}
