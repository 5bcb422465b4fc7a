//! The cucumber World: the state of one scenario. Its parts have their own modules: what it made
//! on the VNFM ([`Registry`]), its subscriptions ([`Subscriber`]), its part of the cloud
//! ([`ScenarioCloud`]); the clean-up after it and the `${…}` placeholders of the feature files
//! are in [`clean_up`] and [`placeholders`].

mod clean_up;
mod placeholders;

use std::{
    collections::BTreeMap,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use reqwest::Method;
use serde_json::Value;

use crate::{
    cloud::scenario::ScenarioCloud,
    domain::{data::DataWorld, natural_duration::Window, networking::CpPort},
    failure::{ensure, Failure, Outcome},
    http::{Api, Exchange, Request},
    redact::Redactor,
    registry::Registry,
    snapshot::slug,
    subscriber::Subscriber,
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

/// The cucumber world.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct Conformance {
    pub target: &'static Target,
    /// When the scenario started (for the reports).
    pub started: Instant,
    /// `feature-slug__scenario-slug`, the stem of the scenario's snapshot names.
    pub scenario: String,
    /// `Feature / Scenario`, the scenario's name in the reports.
    pub label: String,
    /// The scenario's tags, its feature's included.
    pub tags: Vec<String>,
    /// What the scenario found that departs from a rule or an optional point without failing
    /// it (see [`crate::rules`]).
    warnings: Mutex<Vec<String>>,
    pub redactor: Redactor,
    kept: usize,
    pub last: Option<Exchange>,
    /// What the scenario made on the VNFM.
    pub registry: Registry,
    /// The scenario's notification subscriptions.
    pub subscriber: Subscriber,
    /// The scenario's part of the cloud.
    pub cloud: ScenarioCloud,
    /// The reference VNFM's fault rules the scenario registered (`@vnfm-control`).
    pub vnfm_faults: Vec<String>,
    /// Snapshot alias -> the ETag read before modifying it.
    pub etags: BTreeMap<String, String>,
    /// The pages of a paged list, in order.
    pub pages: Vec<Exchange>,
    /// The operation's state around a request sent while it should run.
    pub window: Option<Window>,
    /// Instance alias -> VNFC id -> its connection points as noted.
    pub noted_ports: BTreeMap<String, BTreeMap<String, Vec<CpPort>>>,
    /// The target served a request the reference VNFM refuses, where no clause demands the
    /// refusal (see `domain/open_answers.rs`): the checks that a refused request changed
    /// nothing then hold vacuously.
    pub served_instead_of_refused: bool,
    /// The data scenarios' markers, servers and volumes, and the watch of the service.
    pub data: DataWorld,
}

impl Conformance {
    fn new() -> Result<Self, Failure> {
        let target = TARGET
            .get()
            .ok_or_else(|| Failure::new("the target was not set up"))?;
        Ok(Self::on(target))
    }

    /// A world of no scenario, for the end-of-run sweep of what the scenarios left behind.
    pub fn end_of_run(target: &'static Target) -> Self {
        let mut world = Self::on(target);
        world.scenario = "end-of-run".to_string();
        world.label = "end of the run".to_string();
        world
    }

    fn on(target: &'static Target) -> Self {
        Self {
            target,
            started: Instant::now(),
            scenario: String::new(),
            label: String::new(),
            tags: Vec::new(),
            warnings: Mutex::new(Vec::new()),
            redactor: Redactor::default(),
            kept: 0,
            last: None,
            registry: Registry::default(),
            subscriber: Subscriber::default(),
            cloud: ScenarioCloud {
                created_since: crate::cloud::state::cloud_time_lower_bound(),
                ..ScenarioCloud::default()
            },
            vnfm_faults: Vec::new(),
            etags: BTreeMap::new(),
            pages: Vec::new(),
            window: None,
            noted_ports: BTreeMap::new(),
            served_instead_of_refused: false,
            data: DataWorld::default(),
        }
    }

    /// Sends `request` over `api` and makes it the last exchange.
    pub async fn send(&mut self, api: Api, request: Request) -> Outcome<&Exchange> {
        let exchange = self.target.api(api).send(request).await?;
        if exchange.request.method == Method::POST && matches!(exchange.status, 201 | 202) {
            if let Some(location) = exchange.header("Location") {
                self.registry.made.note(api, location);
            }
        }
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

    /// Records a warning for the report.
    pub fn warn(&self, warning: String) {
        let mut warnings = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }

    /// The warnings recorded so far.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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
        let id = &self.registry.instance(alias)?.id;
        let path = format!("/vnf_instances/{id}");
        self.read(Api::Sol002, &path, "the VNF instance").await
    }

    /// The VNFC instance ids of instance `alias`, as SOL002 lists them (`vnfcInfo[].id`). SOL002
    /// makes `vnfcInfo` 0..N: without it the ids are those of `vnfcResourceInfo`, as the
    /// documentation's sample shows (`vnfcInstanceId` equal to `vnfcResourceInfoId`), with a
    /// WARN.
    pub async fn vnfc_ids(&self, alias: &str) -> Outcome<Vec<String>> {
        let instance = self.read_instance(alias).await?;
        let ids_of = |list: &str| -> Vec<String> {
            instance["instantiatedVnfInfo"][list]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v["id"].as_str().map(str::to_string))
                .collect()
        };
        let ids = ids_of("vnfcInfo");
        if !ids.is_empty() {
            return Ok(ids);
        }
        let ids = ids_of("vnfcResourceInfo");
        if ids.is_empty() {
            return Err(Failure::new(format!(
                "expected instantiatedVnfInfo.vnfcInfo[] (SOL002) or vnfcResourceInfo[] with ids in {instance}"
            )));
        }
        self.reference_choice(false, || {
            format!(
                "{alias} read over SOL002 has no instantiatedVnfInfo.vnfcInfo: the VNFC ids are taken from vnfcResourceInfo"
            )
        })?;
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
        match self.cloud.stuck {
            true => self.target.operation_deadline + self.target.resource_wait,
            false => self.target.operation_deadline,
        }
    }

    /// Waits, as long as an operation may take, until the scenario's channel has received
    /// `count` notifications that `select` keeps; answers them, in order (see
    /// [`crate::sink::NotificationSink::wait_for_notifications`]).
    pub async fn await_notifications(
        &self,
        what: &str,
        count: usize,
        select: impl Fn(&Value) -> bool,
    ) -> Outcome<Vec<Value>> {
        let channel = self.subscriber.channel()?;
        self.target
            .sink
            .wait_for_notifications(channel, self.operation_deadline(), what, count, select)
            .await
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
