//! The state of one scenario: the target it runs against, the VNF instances, snapshots and
//! operation occurrences it created (under aliases the feature files use), its notification
//! channel and subscription, its cloud project, and the last exchange with the VNFM.

use std::{
    collections::BTreeMap,
    sync::OnceLock,
    time::{Duration, Instant},
};

use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    cloud::state::Project,
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange, Request},
    redact::Redactor,
    resources::SnapshotResources,
    sink::Channel,
    snapshot::slug,
    target::Target,
};

static TARGET: OnceLock<Target> = OnceLock::new();

/// Makes `target` the target of every scenario.
pub fn set_target(target: Target) {
    TARGET
        .set(target)
        .unwrap_or_else(|_| panic!("the target is set once"));
}

/// The target of every scenario, once set.
pub fn target() -> Option<&'static Target> {
    TARGET.get()
}

/// A VNF instance a scenario uses.
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: String,
    pub vnfd_id: String,
    /// Created by the scenario (so removed after it on external targets).
    pub created: bool,
}

/// The cucumber world.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct Conformance {
    pub target: &'static Target,
    /// When the scenario started (for the reports).
    pub started: Instant,
    /// `feature-slug__scenario-slug`, the stem of the scenario's snapshot names.
    pub scenario: String,
    pub redactor: Redactor,
    kept: usize,
    pub last: Option<Exchange>,
    pub instances: BTreeMap<String, Instance>,
    /// Alias -> vnfSnapshotInfoId.
    pub snapshots: BTreeMap<String, String>,
    /// Alias -> cloud resources recorded when the snapshot completed.
    pub resources: BTreeMap<String, SnapshotResources>,
    /// The operation occurrences the scenario started, oldest first.
    pub op_occs: Vec<String>,
    pub channel: Option<Channel>,
    pub subscription: Option<String>,
    /// Further subscribers: their channel and subscription id.
    pub subscribers: Vec<(Channel, String)>,
    pub project: Option<Project>,
    /// The scenario project's resources when recorded (`"<kind> <id> <name>"`).
    pub recorded_cloud: Option<std::collections::BTreeSet<String>>,
    /// Cloud faults the scenario registered.
    pub faults: Vec<String>,
    /// A fault leaves a cloud resource stuck: waits for the operation also allow for the
    /// VNFM's own wait on that resource.
    pub stuck: bool,
    /// Snapshot alias -> the ETag read before modifying it.
    pub etags: BTreeMap<String, String>,
    /// The pages of a paged list, in order.
    pub pages: Vec<Exchange>,
    /// A volume the scenario left on purpose to probe the leak check.
    pub stray: Option<String>,
    /// Instance alias -> the out-of-band volume created for it.
    pub oob_volumes: BTreeMap<String, String>,
}

impl Conformance {
    fn new() -> Result<Self, Failure> {
        let target = TARGET
            .get()
            .ok_or_else(|| Failure::new("the target was not set up"))?;
        Ok(Self {
            target,
            started: Instant::now(),
            scenario: String::new(),
            redactor: Redactor::default(),
            kept: 0,
            last: None,
            instances: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            resources: BTreeMap::new(),
            op_occs: Vec::new(),
            channel: None,
            subscription: None,
            subscribers: Vec::new(),
            project: None,
            recorded_cloud: None,
            faults: Vec::new(),
            stuck: false,
            etags: BTreeMap::new(),
            pages: Vec::new(),
            stray: None,
            oob_volumes: BTreeMap::new(),
        })
    }

    /// Removes the cloud faults the scenario registered.
    pub async fn lift_faults(&mut self) -> Outcome {
        if let Some(control) = &self.target.control {
            for fault in self.faults.drain(..) {
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
        for op in self.op_occs.clone() {
            if let Err(error) = self.close_operation(&op).await {
                problems.push(error);
            }
        }
        if self.target.reference {
            return problems;
        }
        for id in std::mem::take(&mut self.snapshots).into_values() {
            let path = format!("/vnf_snapshots/{id}");
            match self.call(Api::Sol003, Method::DELETE, &path, None).await {
                Ok(e) if e.status == 204 || e.status == 404 => {}
                Ok(e) => problems.push(Failure::about(e, "204 for the snapshot clean-up")),
                Err(error) => problems.push(error),
            }
        }
        let created: Vec<String> = std::mem::take(&mut self.instances)
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
        let leaked = crate::leaks::leaks(self).await?;
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

    /// Sends `request` over `api` and makes it the last exchange.
    pub async fn send(&mut self, api: Api, request: Request) -> Outcome<&Exchange> {
        let exchange = self.target.api(api).send(request).await?;
        Ok(self.last.insert(exchange))
    }

    /// Sends a request built from a method and a path under the API root.
    pub async fn call(
        &mut self,
        api: Api,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Outcome<&Exchange> {
        let mut request = self.target.api(api).request(method, path);
        if let Some(body) = &body {
            request = request.json(body);
        }
        self.send(api, request).await
    }

    /// The last exchange.
    pub fn last(&self) -> Outcome<&Exchange> {
        self.last
            .as_ref()
            .ok_or_else(|| Failure::new("no request was sent yet"))
    }

    /// Holds `value` as the scenario's next snapshot (redacted), named after the scenario, its
    /// rank in the scenario and `what` it is.
    pub fn keep(&mut self, what: &str, value: &Value) -> Outcome {
        self.kept += 1;
        let name = format!("{}__{:02}-{}", self.scenario, self.kept, slug(what));
        let redacted = self.redactor.redact(value);
        self.target.bodies.keep(&name, &redacted)
    }

    /// The instance named `alias`.
    pub fn instance(&self, alias: &str) -> Outcome<&Instance> {
        self.instances
            .get(alias)
            .ok_or_else(|| Failure::new(format!("no VNF instance {alias:?} in this scenario")))
    }

    /// The vnfSnapshotInfoId named `alias`.
    pub fn snapshot(&self, alias: &str) -> Outcome<&str> {
        self.snapshots
            .get(alias)
            .map(String::as_str)
            .ok_or_else(|| Failure::new(format!("no VNF snapshot {alias:?} in this scenario")))
    }

    /// The operation occurrence started last.
    pub fn op_occ(&self) -> Outcome<&str> {
        self.op_occs
            .last()
            .map(String::as_str)
            .ok_or_else(|| Failure::new("no operation occurrence was started"))
    }

    /// The notification channel.
    pub fn channel(&self) -> Outcome<&Channel> {
        self.channel
            .as_ref()
            .ok_or_else(|| Failure::new("the scenario has no notification subscription"))
    }

    /// The cloud project of the scenario (`None`: the target's default project).
    pub fn project_name(&self) -> Option<&str> {
        self.project.as_ref().map(|p| p.name.as_str())
    }

    /// Replaces `${…}` placeholders in `template`:
    /// `${A}` an instance or snapshot id, `${A.vnfcN}` the id of the N-th VNFC instance of A,
    /// `${S.vnfcSnapshotN}` the id of the N-th VNFC snapshot of S, `${unknown}` a fresh UUID,
    /// `${long}` an id of [`LONG_ID`] characters, `${op}` the last operation occurrence.
    pub async fn expand(&self, template: &str) -> Outcome<String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .ok_or_else(|| Failure::new(format!("unclosed placeholder in {template:?}")))?;
            let name = &rest[start + 2..start + end];
            out.push_str(&self.resolve(name).await?);
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    async fn resolve(&self, name: &str) -> Outcome<String> {
        if name == "unknown" {
            return Ok(uuid::Uuid::new_v4().to_string());
        }
        if name == "long" {
            return Ok("a".repeat(LONG_ID));
        }
        if name == "op" {
            return self.op_occ().map(str::to_string);
        }
        if let Some((alias, part)) = name.split_once('.') {
            if let Some(n) = part.strip_prefix("vnfcSnapshot") {
                let index = ordinal(n)?;
                let id = self.snapshot(alias)?.to_string();
                let info = self.read_snapshot(&id).await?;
                return info["vnfSnapshot"]["vnfcSnapshots"][index]["id"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| {
                        Failure::new(format!("{alias} has no VNFC snapshot {n}: {info}"))
                    });
            }
            if let Some(n) = part.strip_prefix("vnfc") {
                let index = ordinal(n)?;
                let vnfcs = self.vnfc_ids(alias).await?;
                return vnfcs.get(index).cloned().ok_or_else(|| {
                    Failure::new(format!("{alias} has no VNFC {n} (it has {vnfcs:?})"))
                });
            }
            return Err(Failure::new(format!("unknown placeholder ${{{name}}}")));
        }
        if name == "subscription" {
            return self
                .subscription
                .clone()
                .ok_or_else(|| Failure::new("the scenario has no subscription"));
        }
        if let Some(instance) = self.instances.get(name) {
            return Ok(instance.id.clone());
        }
        self.snapshot(name).map(str::to_string)
    }

    /// GET of `path` over `api`, which must answer 200 with `what`; the body.
    pub async fn read(&self, api: Api, path: &str, what: &str) -> Outcome<Value> {
        let exchange = self.target.api(api).get(path).await?;
        ensure(
            exchange.status == 200,
            &exchange,
            format!("200 with {what}"),
        )?;
        Ok(exchange.body().clone())
    }

    /// The instance `alias` as the VNFM shows it now (over SOL002, which adds `vnfcInfo`).
    pub async fn read_instance(&self, alias: &str) -> Outcome<Value> {
        let id = &self.instance(alias)?.id;
        let path = format!("/vnf_instances/{id}");
        self.read(Api::Sol002, &path, "the VNF instance").await
    }

    /// The VNFC instance ids of instance `alias`, as SOL002 lists them (`vnfcInfo[].id`).
    pub async fn vnfc_ids(&self, alias: &str) -> Outcome<Vec<String>> {
        let instance = self.read_instance(alias).await?;
        let ids: Vec<String> = instance["instantiatedVnfInfo"]["vnfcInfo"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect();
        if ids.is_empty() {
            return Err(Failure::new(format!(
                "expected instantiatedVnfInfo.vnfcInfo[] with ids in {instance}"
            )));
        }
        Ok(ids)
    }

    /// GET of one VNF snapshot over SOL003, which must answer 200.
    pub async fn read_snapshot(&self, id: &str) -> Outcome<Value> {
        let path = format!("/vnf_snapshots/{id}");
        self.read(Api::Sol003, &path, "the VNF snapshot").await
    }

    /// GET of one operation occurrence over SOL003, which must answer 200.
    pub async fn read_op_occ(&self, id: &str) -> Outcome<Value> {
        let path = format!("/vnf_lcm_op_occs/{id}");
        self.read(Api::Sol003, &path, "the operation occurrence")
            .await
    }

    /// How long an operation of this scenario may take before a step gives up.
    pub fn operation_deadline(&self) -> Duration {
        match self.stuck {
            true => self.target.operation_deadline + self.target.resource_wait,
            false => self.target.operation_deadline,
        }
    }

    /// Polls the operation occurrence `id` until its state is one of `states`.
    pub async fn await_op_state(&self, id: &str, states: &[&str]) -> Outcome<Value> {
        let deadline = self.operation_deadline();
        let until = tokio::time::Instant::now() + deadline;
        let mut pause = Duration::from_millis(2);
        loop {
            let exchange = self
                .target
                .sol003
                .get(&format!("/vnf_lcm_op_occs/{id}"))
                .await?;
            ensure(
                exchange.status == 200,
                &exchange,
                "200 with the operation occurrence",
            )?;
            let state = exchange.body()["operationState"]
                .as_str()
                .unwrap_or_default();
            if states.contains(&state) {
                return Ok(exchange.body().clone());
            }
            if tokio::time::Instant::now() + pause > until {
                return Err(Failure::about(
                    &exchange,
                    format!("operation state in {states:?} within {deadline:?}"),
                ));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }
}

/// `"2"` -> index 1.
fn ordinal(n: &str) -> Outcome<usize> {
    n.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(|| Failure::new(format!("bad ordinal {n:?}")))
}

/// The length of the `${long}` id.
pub const LONG_ID: usize = 4096;

/// The states in which an operation occurrence stays until someone acts.
pub const SETTLED: &[&str] = &["COMPLETED", "FAILED_TEMP", "FAILED", "ROLLED_BACK"];
