//! How `GET /vnf_snapshots` (first page, and filtered on one instance) and the resident
//! memory grow from a small to a large number of snapshot records.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use reqwest::Method;
use serde_json::Value;
use simulator::kit::VnfmClient;

use crate::{e2e, mode::Mode, receiver::Receiver, report::Report};

/// Requests in flight while filling empty records.
const FILL_CONCURRENCY: usize = 16;

/// Median durations of the two list queries.
struct ListTimes {
    first_page: Duration,
    filtered: Duration,
}

async fn median(client: &VnfmClient, query: &str, samples: usize, items: usize) -> Duration {
    let mut times = Vec::new();
    for _ in 0..samples {
        let (elapsed, count) = time_snapshot_list(client, query).await;
        assert_eq!(count, items, "GET /vnf_snapshots{query}");
        times.push(elapsed);
    }
    times.sort();
    times[times.len() / 2]
}

/// Times one `GET /vnf_snapshots{query}`; returns the duration and the item count.
async fn time_snapshot_list(client: &VnfmClient, query: &str) -> (Duration, usize) {
    let request = client
        .request(Method::GET, &format!("/vnf_snapshots{query}"))
        .await
        .expect("credentials");
    let started = Instant::now();
    let response = request
        .send()
        .await
        .and_then(|response| response.error_for_status())
        .expect("a snapshot list");
    let body = response.bytes().await.expect("a list body");
    let elapsed = started.elapsed();
    let items: Vec<Value> = serde_json::from_slice(&body).expect("a JSON array");
    (elapsed, items.len())
}

/// Times both queries; `filtered_on` has exactly one snapshot whatever the total.
async fn measure(client: &VnfmClient, filtered_on: &str, samples: usize, page: usize) -> ListTimes {
    let filter = format!("?filter=(eq,vnfSnapshot/vnfInstanceId,{filtered_on})");
    // A few untimed requests first, as after any change of size.
    median(client, "", 5, page).await;
    ListTimes {
        first_page: median(client, "", samples, page).await,
        filtered: median(client, &filter, samples, 1).await,
    }
}

/// Adds `count` empty snapshot resources.
async fn fill_empty(client: &VnfmClient, count: usize) {
    let mut tasks = JoinSet::new();
    for worker in 0..FILL_CONCURRENCY {
        let client = client.clone();
        let share = count / FILL_CONCURRENCY + usize::from(worker < count % FILL_CONCURRENCY);
        tasks.spawn(async move {
            for _ in 0..share {
                client
                    .create_snapshot_resource()
                    .await
                    .expect("a snapshot resource");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}

/// VmRSS of this process in MiB.
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line");
    kib / 1024.0
}

/// How the records were made.
#[derive(Default)]
struct Fill {
    real: usize,
    empty: usize,
    real_s: f64,
}

impl Fill {
    /// Adds records up to `total`: create_snapshot rounds on every instance but the first
    /// while a whole round fits, then empty resources.
    async fn up_to(
        &mut self,
        total: usize,
        client: &VnfmClient,
        receiver: &Receiver,
        instances: &[String],
    ) {
        let others = &instances[1..];
        let started = Instant::now();
        while self.real + self.empty + others.len() <= total {
            self.real += e2e::snapshot_round(client, receiver, others).await.ops;
        }
        self.real_s += started.elapsed().as_secs_f64();
        let empty = total - self.real - self.empty;
        fill_empty(client, empty).await;
        self.empty += empty;
    }
}

/// Runs after the end-to-end round: `instances` each hold one real snapshot; the first
/// one keeps exactly one, so the filtered query answers one item whatever the total.
pub async fn run(
    mode: &Mode,
    client: &VnfmClient,
    receiver: &Receiver,
    instances: &[String],
    report: &mut Report,
) {
    // The VNFM's default page size.
    let page = mode.small_records.min(100);
    let filtered_on = &instances[0];
    let mut fill = Fill {
        real: instances.len(),
        ..Fill::default()
    };
    fill.up_to(mode.small_records, client, receiver, instances)
        .await;
    let small = measure(client, filtered_on, mode.list_samples, page).await;
    fill.up_to(mode.large_records, client, receiver, instances)
        .await;
    let large = measure(client, filtered_on, mode.list_samples, page).await;
    let rss = rss_mb();

    let ms = |time: Duration| time.as_secs_f64() * 1000.0;
    let first_growth = large.first_page.as_secs_f64() / small.first_page.as_secs_f64();
    let filtered_growth = large.filtered.as_secs_f64() / small.filtered.as_secs_f64();
    let growth = first_growth.max(filtered_growth);
    let (small_n, large_n) = (mode.small_records, mode.large_records);
    report.figure(
        &format!("list_first_page_ms_{small_n}"),
        ms(small.first_page),
    );
    report.figure(
        &format!("list_first_page_ms_{large_n}"),
        ms(large.first_page),
    );
    report.figure(&format!("list_filtered_ms_{small_n}"), ms(small.filtered));
    report.figure(&format!("list_filtered_ms_{large_n}"), ms(large.filtered));
    report.figure("list_growth_first_page", first_growth);
    report.figure("list_growth_filtered", filtered_growth);
    report.figure("records_real", fill.real as f64);
    report.figure("records_empty", fill.empty as f64);
    report.figure(
        "fill_real_per_s",
        (fill.real - instances.len()) as f64 / fill.real_s,
    );
    report.note(
        "records",
        format!(
            "{large_n} snapshot resources: {} filled by create_snapshot on the fake cloud \
             (each 2 images and 4 volume snapshots), {} empty (POST /vnf_snapshots only); \
             the filtered instance holds one snapshot",
            fill.real, fill.empty
        ),
    );
    report.target("list_growth", growth, "<= 2.0", growth <= 2.0);
    report.target(&format!("rss_mb_{large_n}"), rss, "<= 150", rss <= 150.0);
}
