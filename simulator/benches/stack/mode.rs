//! The sizes of one run: `BENCH_MODE=quick` for CI, anything else for the full run.

use std::time::Duration;

/// Counts and durations of one run.
pub struct Mode {
    pub name: &'static str,
    /// Time each server is measured for, per call, spread over `rounds`.
    pub window: Duration,
    /// Rounds of a throughput sample: each measures both servers in turn, the first server
    /// alternating, so that drift (clock speed, other processes) falls on both alike.
    pub rounds: u32,
    /// Requests in flight during a throughput sample.
    pub concurrency: usize,
    /// VNF instances snapshotting concurrently in the end-to-end round.
    pub instances: usize,
    /// Snapshot records of the small and the large list measurement.
    pub small_records: usize,
    pub large_records: usize,
    /// Requests timed per list query (the median is kept).
    pub list_samples: usize,
}

impl Mode {
    /// The mode named by `BENCH_MODE`.
    pub fn from_env() -> Self {
        if std::env::var("BENCH_MODE").is_ok_and(|mode| mode == "quick") {
            Self {
                name: "quick",
                window: Duration::from_secs(1),
                rounds: 2,
                concurrency: 16,
                instances: 10,
                small_records: 100,
                large_records: 1_000,
                list_samples: 50,
            }
        } else {
            Self {
                name: "full",
                window: Duration::from_secs(3),
                rounds: 6,
                concurrency: 16,
                instances: 100,
                small_records: 100,
                large_records: 10_000,
                list_samples: 200,
            }
        }
    }
}
