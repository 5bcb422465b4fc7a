//! End to end: instances snapshotting concurrently, timed from each `create_snapshot`
//! request to the COMPLETED notification at the local receiver.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use serde_json::json;
use simulator::kit::VnfmClient;

use crate::{receiver::Receiver, report::Report};

/// STARTING, PROCESSING and COMPLETED.
const NOTIFICATIONS_PER_OP: u32 = 3;

/// One round of concurrent snapshots.
pub struct Round {
    pub ops: usize,
    /// From the first request to the last COMPLETED notification.
    pub elapsed: Duration,
    /// Per operation, sorted.
    pub latencies_ms: Vec<f64>,
    pub notifications: u32,
}

impl Round {
    /// Operations completed per second.
    pub fn per_s(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64()
    }

    /// Nearest-rank percentile of the latencies.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let rank = ((p / 100.0) * self.latencies_ms.len() as f64).ceil() as usize;
        self.latencies_ms[rank.clamp(1, self.latencies_ms.len()) - 1]
    }
}

/// How long one instantiation may take.
const INSTANTIATION_DEADLINE: Duration = Duration::from_secs(60);

/// Creates and instantiates `count` instances concurrently; returns their ids.
pub async fn instantiate(client: &VnfmClient, count: usize) -> Vec<String> {
    let mut tasks = JoinSet::new();
    for _ in 0..count {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .instantiated_instance(&json!({"vnfdId": "vnfd-vb-2vdu"}), INSTANTIATION_DEADLINE)
                .await
                .expect("an instantiated instance")
        });
    }
    let mut ids = Vec::new();
    while let Some(id) = tasks.join_next().await {
        ids.push(id.expect("an instantiation task"));
    }
    ids
}

/// Snapshots every instance at once (the snapshot resources are created beforehand).
pub async fn snapshot_round(
    client: &VnfmClient,
    receiver: &Receiver,
    instances: &[String],
) -> Round {
    let mut resources = Vec::new();
    for _ in instances {
        resources.push(
            client
                .create_snapshot_resource()
                .await
                .expect("a snapshot resource"),
        );
    }
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for (instance, resource) in instances.iter().zip(resources) {
        let (client, instance) = (client.clone(), instance.clone());
        tasks.spawn(async move {
            let sent = Instant::now();
            let occ = client
                .create_snapshot(&instance, &resource)
                .await
                .expect("create_snapshot accepted");
            (occ.rsplit('/').next().unwrap_or_default().to_string(), sent)
        });
    }
    let mut occs = Vec::new();
    let mut sent = Vec::new();
    while let Some(started_op) = tasks.join_next().await {
        let (occ, at) = started_op.expect("a create_snapshot task");
        occs.push(occ);
        sent.push(at);
    }
    let arrivals = receiver
        .wait_all(&occs, NOTIFICATIONS_PER_OP, Duration::from_secs(600))
        .await;
    let mut latencies_ms = Vec::new();
    let mut last = started;
    let mut notifications = 0;
    for (arrival, sent) in arrivals.iter().zip(sent) {
        let (state, at) = arrival.finished.clone().expect("a final notification");
        assert_eq!(state, "COMPLETED", "a create_snapshot ended {state}");
        latencies_ms.push((at - sent).as_secs_f64() * 1000.0);
        last = last.max(at);
        notifications += arrival.notifications;
    }
    latencies_ms.sort_by(f64::total_cmp);
    Round {
        ops: occs.len(),
        elapsed: last - started,
        latencies_ms,
        notifications,
    }
}

/// The end-to-end round on every instance, reported.
pub async fn run(
    client: &VnfmClient,
    receiver: &Receiver,
    instances: &[String],
    report: &mut Report,
) {
    let round = snapshot_round(client, receiver, instances).await;
    let per_s = round.per_s();
    let p99 = round.percentile_ms(99.0);
    report.figure("e2e_instances", round.ops as f64);
    report.figure("e2e_duration_s", round.elapsed.as_secs_f64());
    report.figure("e2e_p50_ms", round.percentile_ms(50.0));
    report.figure("e2e_notifications", round.notifications as f64);
    report.target("e2e_create_snapshot_per_s", per_s, ">= 20", per_s >= 20.0);
    report.figure("e2e_p99_ms", p99);
}
