//! After the scenario: its faults lifted, its operations settled, what it created on an
//! external target removed, and the leak check.

use reqwest::Method;
use serde_json::{json, Value};

use super::Conformance;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
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

    /// After the scenario: lifts its faults, fails its operations left in FAILED_TEMP (so that
    /// the leak check sees final records), and, on an external target (which outlives the run),
    /// deletes the snapshots and the instances it created. Returns what could not be cleaned.
    pub async fn clean_up(&mut self) -> Vec<Failure> {
        let mut problems: Vec<Failure> = self.lift_faults().await.err().into_iter().collect();
        for op in self.registry.op_occs.clone() {
            if let Err(error) = self.close_operation(&op).await {
                problems.push(error);
            }
        }
        if self.target.reference {
            return problems;
        }
        for id in std::mem::take(&mut self.registry.snapshots).into_values() {
            let path = format!("/vnf_snapshots/{id}");
            match self.call(Api::Sol003, Method::DELETE, &path, None).await {
                Ok(e) if e.status == 204 || e.status == 404 => {}
                Ok(e) => problems.push(Failure::about(e, "204 for the snapshot clean-up")),
                Err(error) => problems.push(error),
            }
        }
        let created: Vec<String> = std::mem::take(&mut self.registry.instances)
            .into_values()
            .filter(|i| i.created)
            .map(|i| i.id)
            .collect();
        for id in created {
            if let Err(error) = self.remove_instance(&id).await {
                problems.push(error);
            }
        }
        problems
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
    async fn close_operation(&mut self, op: &str) -> Outcome {
        let mut state = self.read_op_occ(op).await?["operationState"].clone();
        if state == "STARTING" || state == "PROCESSING" || state == "ROLLING_BACK" {
            let path = format!("/vnf_lcm_op_occs/{op}/cancel");
            let body = json!({"cancelMode": "FORCEFUL"});
            self.call(Api::Sol003, Method::POST, &path, Some(body))
                .await?;
            state = self.await_op_state(op, SETTLED).await?["operationState"].clone();
        }
        if state == "FAILED_TEMP" {
            let path = format!("/vnf_lcm_op_occs/{op}/fail");
            self.call(Api::Sol003, Method::POST, &path, None).await?;
        }
        Ok(())
    }

    /// Runs an LCM task on an instance and waits for it to complete (fixture work).
    pub async fn run_task(&mut self, instance: &str, task: &str, body: Value) -> Outcome {
        let path = format!("/vnf_instances/{instance}/{task}");
        let exchange = self
            .call(Api::Sol003, Method::POST, &path, Some(body))
            .await?
            .clone();
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

    /// Terminates the instance `id` (when it is instantiated) and deletes it.
    pub async fn remove_instance(&mut self, id: &str) -> Outcome {
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
        let exchange = self.call(Api::Sol003, Method::DELETE, &path, None).await?;
        ensure(
            exchange.status == 204,
            exchange,
            "204 for the deletion of the VNF instance",
        )
    }
}
