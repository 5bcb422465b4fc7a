//! `cargo bench -p simulator --bench stack`: the fake cloud's request rate against a bare
//! axum handler, VNF snapshots per second end to end, and how listing snapshots and memory
//! grow with the number of records. `BENCH_MODE=quick` runs small counts, `BENCH_ONLY=throughput`
//! only the request rates; the figures go to a table and, as one JSON object, to `$BENCH_OUT`
//! (default `target/bench/results.json`).

mod e2e;
mod growth;
mod load;
mod mode;
mod receiver;
mod report;
mod throughput;

use std::time::Instant;

use simulator::{
    openstack::model::QuotaSet,
    stack::{Stack, StackOptions},
};

use crate::{mode::Mode, receiver::Receiver, report::Report};

/// The benchmark's client of the VNFM: no proxy, and an idle connection for every task.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(128)
        .build()
        .expect("an HTTP client")
}

/// `BENCH_ONLY=throughput`: the request rates alone, for a quick look at the cloud's cost.
fn throughput_only() -> bool {
    std::env::var("BENCH_ONLY").is_ok_and(|only| only == "throughput")
}

/// How this binary was built: only an optimised build's figures are comparable with the goals.
fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "unoptimised (`--profile dev`): a smoke check, the figures are not comparable with the goals"
    } else {
        "optimised"
    }
}

/// The allocator of the `simulator` binary, so that the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    simulator::tls::install_crypto_provider();
    let mode = Mode::from_env();
    let mut report = Report::default();
    let started = Instant::now();
    println!("mode {}", mode.name);

    // Snapshots first, in a fresh process, so that the memory figure is theirs.
    if !throughput_only() {
        let mut options = StackOptions::default();
        // 10,000 VNF snapshots hold 20,000 images and 40,000 volume snapshots.
        options.cloud.default_quotas = QuotaSet {
            snapshots: -1,
            images: -1,
            gigabytes: -1,
            ..QuotaSet::default()
        };
        let stack = Stack::start(options).await.expect("the stack starts");
        let client = stack.vnfm_client().with_http_client(http_client());
        let receiver = Receiver::start().await;
        client
            .subscribe(receiver.url())
            .await
            .expect("a subscription");
        let setup = Instant::now();
        let instances = e2e::instantiate(&client, mode.instances).await;
        report.figure("setup_instantiate_s", setup.elapsed().as_secs_f64());
        println!("instantiated {} instances", instances.len());
        e2e::run(&client, &receiver, &instances, &mut report).await;
        println!("end-to-end round done");
        growth::run(&mode, &client, &receiver, &instances, &mut report).await;
        let state = stack.cloud().cloud().state();
        report.figure("cloud_images", state.images.len() as f64);
        report.figure("cloud_volume_snapshots", state.snapshots.len() as f64);
        println!("list growth done");
    }
    throughput::run(&mode, &mut report).await;
    report.figure("bench_duration_s", started.elapsed().as_secs_f64());
    report.note("mode", mode.name.to_string());
    report.note("build", build_profile().to_string());
    if !report.finish() {
        println!("some targets were not met");
    }
}
