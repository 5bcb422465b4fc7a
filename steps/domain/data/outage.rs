//! How long each VNFC was not serving during an operation, from what its servers went through:
//! a VNFC serves while one of its servers (the old one, or the one that replaced it) is ACTIVE
//! and not being deleted. Self-contained (unit-tested in `steps/units.rs`).

use serde::Serialize;

/// One observed change of a server, in milliseconds from the start of the watch (negative:
/// before it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerChange {
    pub at_ms: i64,
    pub status: String,
    pub task_state: Option<String>,
}

/// What one server went through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerTrack {
    pub server_id: String,
    /// Changes, oldest first.
    pub changes: Vec<ServerChange>,
    /// When it disappeared, if it did.
    pub gone_ms: Option<i64>,
}

/// A stretch of time in one state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub from_ms: u64,
    pub to_ms: u64,
    /// The state shown: a server's status (with its task state), `replaced` between an old
    /// server's end and its successor's start, `gone`, or `absent`.
    pub state: String,
    pub serving: bool,
}

/// One VNFC's figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfcImpact {
    pub vnfc_id: String,
    /// Its servers, the one it had first first.
    pub servers: Vec<String>,
    /// How long it was not serving within the window.
    pub not_serving_ms: u64,
    /// The window cut into stretches of one state each.
    pub segments: Vec<Segment>,
}

/// Whether a server in this state serves.
pub fn serving(status: &str, task_state: Option<&str>) -> bool {
    status == "ACTIVE" && task_state != Some("deleting")
}

/// The label of a state.
fn label(status: &str, task_state: Option<&str>) -> String {
    match task_state {
        Some(task) => format!("{status} ({task})"),
        None => status.to_string(),
    }
}

/// A server's state at `t`: `None` before it exists, `Some(None)` once gone.
fn state_at(track: &ServerTrack, t: i64) -> Option<Option<&ServerChange>> {
    if track.gone_ms.is_some_and(|gone| gone <= t) {
        return Some(None);
    }
    track.changes.iter().rev().find(|c| c.at_ms <= t).map(Some)
}

/// The figure of a VNFC whose servers went through `tracks` (its first server first) during a
/// window of `window_ms` from the start of the watch.
pub fn vnfc_impact(vnfc_id: &str, tracks: &[ServerTrack], window_ms: u64) -> VnfcImpact {
    let end = window_ms as i64;
    let mut cuts: Vec<i64> = vec![0, end];
    for track in tracks {
        cuts.extend(track.changes.iter().map(|c| c.at_ms));
        cuts.extend(track.gone_ms);
    }
    cuts.retain(|t| (0..=end).contains(t));
    cuts.sort_unstable();
    cuts.dedup();
    let mut segments: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let (state, is_serving) = vnfc_state_at(tracks, from);
        match segments.last_mut() {
            Some(last) if last.state == state && last.serving == is_serving => {
                last.to_ms = to as u64
            }
            _ => segments.push(Segment {
                from_ms: from as u64,
                to_ms: to as u64,
                state,
                serving: is_serving,
            }),
        }
    }
    VnfcImpact {
        vnfc_id: vnfc_id.to_string(),
        servers: tracks.iter().map(|t| t.server_id.clone()).collect(),
        not_serving_ms: segments
            .iter()
            .filter(|s| !s.serving)
            .map(|s| s.to_ms - s.from_ms)
            .sum(),
        segments,
    }
}

/// The VNFC's state at `t`: serving when one of its servers serves; otherwise the state of its
/// newest server that exists, else `replaced` (one is gone, a later one not there yet), `gone`
/// or `absent`.
fn vnfc_state_at(tracks: &[ServerTrack], t: i64) -> (String, bool) {
    let states: Vec<Option<Option<&ServerChange>>> =
        tracks.iter().map(|track| state_at(track, t)).collect();
    let live = || states.iter().rev().filter_map(|s| s.flatten());
    if let Some(change) = live().find(|c| serving(&c.status, c.task_state.as_deref())) {
        return (label(&change.status, change.task_state.as_deref()), true);
    }
    if let Some(change) = live().next() {
        return (label(&change.status, change.task_state.as_deref()), false);
    }
    let gone = states.iter().any(|s| matches!(s, Some(None)));
    let later = tracks.iter().zip(&states).any(|(track, state)| {
        state.is_none() && track.changes.first().is_some_and(|c| c.at_ms > t)
    });
    let state = match (gone, later) {
        (true, true) => "replaced",
        (true, false) => "gone",
        _ => "absent",
    };
    (state.to_string(), false)
}
