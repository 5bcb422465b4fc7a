//! Service impact: how long each VNFC was not serving while an operation ran, from the
//! simulated cloud's server histories or, without the control API, from polling Nova during
//! the operation. A figure in the reports, never a verdict.

use std::{collections::BTreeMap, time::Duration};

use cucumber::{given, then, when};
use tokio::{sync::oneshot, task::JoinHandle, time::Instant};

use super::{
    outage::{vnfc_impact, ServerChange, ServerTrack},
    Vnfc,
};
use crate::{
    cloud::Observer,
    failure::{Failure, Outcome},
    report::service_impact::{self, ServiceImpact},
    world::Conformance,
};

/// How often Nova is polled when the cloud keeps no history the suite can read.
const POLL_EVERY: Duration = Duration::from_millis(250);

/// What is watched: the instance, its VNFCs when the watch started, and how states are seen.
#[derive(Debug)]
pub struct Watch {
    alias: String,
    before: Vec<Vnfc>,
    source: Source,
}

#[derive(Debug)]
enum Source {
    /// The cloud's histories, from this cloud time on.
    History { start_ms: u64 },
    /// A task polling Nova; stopping it answers what it saw.
    Polling {
        stop: oneshot::Sender<()>,
        task: JoinHandle<BTreeMap<String, ServerTrack>>,
        started: Instant,
    },
}

/// Adds what one look at every server of the project (`servers`, taken `at_ms` into the
/// watch) shows to `tracks`: a change of status or task state, a server no longer listed.
fn observe(tracks: &mut BTreeMap<String, ServerTrack>, servers: &[serde_json::Value], at_ms: i64) {
    let seen: Vec<&str> = servers.iter().filter_map(|s| s["id"].as_str()).collect();
    for server in servers {
        let Some(id) = server["id"].as_str() else {
            continue;
        };
        let change = ServerChange {
            at_ms,
            status: server["status"].as_str().unwrap_or_default().to_string(),
            task_state: server["OS-EXT-STS:task_state"].as_str().map(str::to_string),
        };
        let track = tracks.entry(id.to_string()).or_insert_with(|| ServerTrack {
            server_id: id.to_string(),
            ..ServerTrack::default()
        });
        if track
            .changes
            .last()
            .is_none_or(|last| last.status != change.status || last.task_state != change.task_state)
        {
            track.changes.push(change);
        }
    }
    for track in tracks.values_mut() {
        if track.gone_ms.is_none() && !seen.contains(&track.server_id.as_str()) {
            track.gone_ms = Some(at_ms);
        }
    }
}

/// Polls every server of the project until told to stop, after the first look `tracks`
/// holds; answers each server's changes in milliseconds since `started`.
async fn poll(
    observer: &'static Observer,
    project: Option<String>,
    started: Instant,
    mut tracks: BTreeMap<String, ServerTrack>,
    mut stop: oneshot::Receiver<()>,
) -> BTreeMap<String, ServerTrack> {
    loop {
        tokio::select! {
            _ = &mut stop => return tracks,
            () = tokio::time::sleep(POLL_EVERY) => {}
        }
        let at_ms = started.elapsed().as_millis() as i64;
        if let Ok(servers) = observer.servers(project.as_deref()).await {
            observe(&mut tracks, &servers, at_ms);
        }
    }
}

#[given(expr = "the service of {string} is watched")]
#[when(expr = "the service of {string} is watched")]
async fn watched(w: &mut Conformance, alias: String) -> Outcome {
    let before = w.vnfcs(&alias).await?;
    let source = match &w.target.control {
        Some(control) => Source::History {
            start_ms: control.now_ms().await?,
        },
        None => {
            // The first look is taken before the watch starts: every server is seen from 0.
            let observer: &'static Observer = &w.target.observer;
            let project = w.cloud.project_name().map(str::to_string);
            let mut tracks = BTreeMap::new();
            observe(&mut tracks, &observer.servers(project.as_deref()).await?, 0);
            let (stop, receiver) = oneshot::channel();
            let started = Instant::now();
            Source::Polling {
                stop,
                task: tokio::spawn(poll(observer, project, started, tracks, receiver)),
                started,
            }
        }
    };
    w.data.watch = Some(Watch {
        alias,
        before,
        source,
    });
    Ok(())
}

/// What each of `servers` went through, from the cloud's histories, in milliseconds from
/// `start_ms`; a server the cloud keeps no history of has none.
async fn histories(
    w: &Conformance,
    servers: &[String],
    start_ms: u64,
) -> Outcome<BTreeMap<String, ServerTrack>> {
    let control = w
        .target
        .control
        .as_ref()
        .ok_or_else(|| Failure::new("the cloud's histories need the control API"))?;
    let mut tracks = BTreeMap::new();
    for id in servers {
        let relative = |at_ms: u64| at_ms as i64 - start_ms as i64;
        let track = match control.server_history(id).await {
            Ok(timeline) => ServerTrack {
                server_id: id.clone(),
                changes: timeline
                    .history
                    .events
                    .iter()
                    .map(|e| ServerChange {
                        at_ms: relative(e.at_ms),
                        status: e.status.clone(),
                        task_state: e.task_state.clone(),
                    })
                    .collect(),
                gone_ms: timeline.history.gone_ms.map(relative),
            },
            Err(error) if error.status == Some(404) => ServerTrack {
                server_id: id.clone(),
                ..ServerTrack::default()
            },
            Err(error) => return Err(error.into()),
        };
        tracks.insert(id.clone(), track);
    }
    Ok(tracks)
}

#[then(expr = "the report shows what the operation cost the service of {string}")]
async fn reported(w: &mut Conformance, alias: String) -> Outcome {
    let watch = w
        .data
        .watch
        .take()
        .filter(|watch| watch.alias == alias)
        .ok_or_else(|| Failure::new(format!("the service of {alias} is not watched")))?;
    let op = w.registry.op_occ()?.to_string();
    let occ = w.read_op_occ(&op).await?;
    let operation = occ["operation"].as_str().unwrap_or("unknown").to_string();
    let after = w.vnfcs(&alias).await?;
    let servers_of = |vnfc: &Vnfc| -> Vec<String> {
        let mut servers = vec![vnfc.server_id.clone()];
        if let Some(now) = after.iter().find(|v| v.id == vnfc.id) {
            if now.server_id != vnfc.server_id {
                servers.push(now.server_id.clone());
            }
        }
        servers
    };
    let every_server: Vec<String> = watch.before.iter().flat_map(servers_of).collect();
    let (tracks, window_ms, source) = match watch.source {
        Source::History { start_ms } => {
            let control = w
                .target
                .control
                .as_ref()
                .expect("a history watch has control");
            let end_ms = control.now_ms().await?;
            (
                histories(w, &every_server, start_ms).await?,
                end_ms.saturating_sub(start_ms),
                "the simulated cloud's server histories".to_string(),
            )
        }
        Source::Polling {
            stop,
            task,
            started,
        } => {
            let window_ms = started.elapsed().as_millis() as u64;
            let _ = stop.send(());
            let tracks = task
                .await
                .map_err(|e| Failure::new(format!("the Nova poller stopped: {e}")))?;
            let source = format!("Nova polled every {} ms", POLL_EVERY.as_millis());
            (tracks, window_ms, source)
        }
    };
    let vnfcs = watch
        .before
        .iter()
        .map(|vnfc| {
            let tracks: Vec<ServerTrack> = servers_of(vnfc)
                .iter()
                .map(|id| {
                    tracks.get(id).cloned().unwrap_or_else(|| ServerTrack {
                        server_id: id.clone(),
                        ..ServerTrack::default()
                    })
                })
                .collect();
            vnfc_impact(&vnfc.id, &tracks, window_ms)
        })
        .collect();
    service_impact::record(ServiceImpact {
        scenario: w.scenario.clone(),
        instance: w.registry.instance(&alias)?.id.clone(),
        operation,
        source,
        window_ms,
        vnfcs,
    });
    Ok(())
}
