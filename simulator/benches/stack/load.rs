//! A closed-loop load generator: `concurrency` tasks sending the same GET over keep-alive
//! connections of one client until a deadline.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use reqwest::header::HeaderMap;

/// Requests answered 200 during a window.
pub struct Load {
    pub ok: u64,
    pub errors: u64,
    pub elapsed: Duration,
}

/// A client with a keep-alive pool large enough for `concurrency` connections.
pub fn client(concurrency: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("an HTTP client")
}

/// Sends GET `url` with `headers` from `concurrency` tasks for `window`.
pub async fn run(
    client: &reqwest::Client,
    url: &str,
    headers: &HeaderMap,
    concurrency: usize,
    window: Duration,
) -> Load {
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + window;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, url, headers) = (client.clone(), url.to_string(), headers.clone());
        let (ok, errors) = (ok.clone(), errors.clone());
        tasks.spawn(async move {
            while Instant::now() < deadline {
                let answer = client.get(&url).headers(headers.clone()).send().await;
                let counter = match answer {
                    Ok(response) if response.status() == 200 => {
                        // The body is read so that the connection is reused.
                        match response.bytes().await {
                            Ok(_) => &ok,
                            Err(_) => &errors,
                        }
                    }
                    _ => &errors,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    Load {
        ok: ok.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    }
}
