//! A notification endpoint: answers the VNFM's GET test with 204 and records, per op occ,
//! how many notifications arrived and when the final one did.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use serde_json::Value;
use tokio::{sync::Notify, task::JoinHandle};

/// What arrived for one op occ.
#[derive(Clone, Debug, Default)]
pub struct Arrivals {
    pub notifications: u32,
    /// The final state (with the error, if any) and when its notification was received.
    pub finished: Option<(String, Instant)>,
}

#[derive(Default)]
struct Shared {
    by_occ: Mutex<HashMap<String, Arrivals>>,
    changed: Notify,
}

/// A running receiver; dropping it stops the server.
pub struct Receiver {
    url: String,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

const FINAL_STATES: [&str; 3] = ["COMPLETED", "FAILED_TEMP", "ROLLED_BACK"];

async fn record(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> StatusCode {
    let arrived = Instant::now();
    if let Some(occ) = body["vnfLcmOpOccId"].as_str() {
        let mut by_occ = shared.by_occ.lock().expect("receiver lock");
        let arrivals = by_occ.entry(occ.to_string()).or_default();
        arrivals.notifications += 1;
        let state = body["operationState"].as_str().unwrap_or_default();
        if FINAL_STATES.contains(&state) {
            let detail = match body.get("error") {
                Some(error) => format!("{state}: {error}"),
                None => state.to_string(),
            };
            arrivals.finished = Some((detail, arrived));
        }
    }
    shared.changed.notify_waiters();
    StatusCode::NO_CONTENT
}

impl Receiver {
    /// Starts the receiver on `127.0.0.1:0`.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let router = Router::new()
            .route(
                "/notify",
                get(|| async { StatusCode::NO_CONTENT }).post(record),
            )
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a port");
        let url = format!(
            "http://{}/notify",
            listener.local_addr().expect("an address")
        );
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            url,
            shared,
            server,
        }
    }

    /// The callback URI to subscribe.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits until each op occ in `occs` has a final notification after at least `per_occ`
    /// notifications; returns what arrived for them and forgets them, so that the memory
    /// figure counts the stack's records, not the receiver's (panics after `timeout`).
    pub async fn wait_all(
        &self,
        occs: &[String],
        per_occ: u32,
        timeout: Duration,
    ) -> Vec<Arrivals> {
        let deadline = Instant::now() + timeout;
        loop {
            let changed = self.shared.changed.notified();
            {
                let mut by_occ = self.shared.by_occ.lock().expect("receiver lock");
                let arrivals: Vec<Arrivals> = occs
                    .iter()
                    .map(|occ| by_occ.get(occ).cloned().unwrap_or_default())
                    .collect();
                let done = arrivals
                    .iter()
                    .all(|a| a.finished.is_some() && a.notifications >= per_occ);
                if done {
                    for occ in occs {
                        by_occ.remove(occ);
                    }
                    return arrivals;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "notifications missing after {timeout:?}");
            let _ = tokio::time::timeout(left.min(Duration::from_millis(100)), changed).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}
