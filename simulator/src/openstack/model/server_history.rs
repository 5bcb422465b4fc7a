//! Each server's status history: when it was ACTIVE, building, rebuilding, in a task state or
//! gone, so that what an operation cost the running service can be measured. Histories outlive
//! their servers (a replaced server's end is part of the outage), bounded in length and number.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::CloudState;

/// One change of a server's status or task state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerEvent {
    /// Cloud time of the change.
    pub at_ms: u64,
    pub status: String,
    pub task_state: Option<String>,
}

/// A server's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerHistory {
    pub server_id: String,
    pub project_id: String,
    /// The changes, oldest first (the oldest are dropped beyond `MAX_EVENTS`).
    pub events: Vec<ServerEvent>,
    /// Cloud time the server disappeared, once it has.
    pub gone_ms: Option<u64>,
}

/// Events kept per server.
pub const MAX_EVENTS: usize = 256;

/// Histories of servers that are gone kept at most (the oldest gone are dropped first).
pub const MAX_GONE: usize = 2_000;

/// Every server's history.
#[derive(Clone, Debug, Default)]
pub struct ServerHistories {
    by_server: BTreeMap<String, ServerHistory>,
    /// Servers that are gone, in the order they went.
    gone: VecDeque<String>,
}

impl ServerHistories {
    /// The history of one server.
    pub fn get(&self, server_id: &str) -> Option<&ServerHistory> {
        self.by_server.get(server_id)
    }

    /// Every history, in server id order.
    pub fn all(&self) -> impl Iterator<Item = &ServerHistory> {
        self.by_server.values()
    }

    /// Rebuilds the histories from a state document's list.
    pub fn restore(histories: Vec<ServerHistory>) -> Self {
        let mut gone: Vec<(u64, String)> = histories
            .iter()
            .filter_map(|h| h.gone_ms.map(|at| (at, h.server_id.clone())))
            .collect();
        gone.sort();
        Self {
            by_server: histories
                .into_iter()
                .map(|h| (h.server_id.clone(), h))
                .collect(),
            gone: gone.into_iter().map(|(_, id)| id).collect(),
        }
    }

    /// Forgets the histories of one project.
    pub fn forget_project(&mut self, project_id: &str) {
        self.by_server.retain(|_, h| h.project_id != project_id);
        let by_server = &self.by_server;
        self.gone.retain(|id| by_server.contains_key(id));
    }

    fn note(&mut self, server_id: &str, project_id: &str, event: ServerEvent) {
        let history = self
            .by_server
            .entry(server_id.to_string())
            .or_insert_with(|| ServerHistory {
                server_id: server_id.to_string(),
                project_id: project_id.to_string(),
                events: Vec::new(),
                gone_ms: None,
            });
        let unchanged = history
            .events
            .last()
            .is_some_and(|last| last.status == event.status && last.task_state == event.task_state);
        if unchanged || history.gone_ms.is_some() {
            return;
        }
        if history.events.len() == MAX_EVENTS {
            history.events.remove(0);
        }
        history.events.push(event);
    }

    fn mark_gone(&mut self, server_id: &str, at_ms: u64) {
        let Some(history) = self.by_server.get_mut(server_id) else {
            return;
        };
        if history.gone_ms.is_some() {
            return;
        }
        history.gone_ms = Some(at_ms);
        self.gone.push_back(server_id.to_string());
        while self.gone.len() > MAX_GONE {
            if let Some(oldest) = self.gone.pop_front() {
                self.by_server.remove(&oldest);
            }
        }
    }
}

impl CloudState {
    /// Records a server's status and task state as of `now_ms` when they changed.
    pub(super) fn note_server(&mut self, server_id: &str, now_ms: u64) {
        let Some(server) = self.servers.get(server_id) else {
            return;
        };
        let event = ServerEvent {
            at_ms: now_ms,
            status: server.status.clone(),
            task_state: server.task_state.clone(),
        };
        let project_id = server.project_id.clone();
        self.server_history.note(server_id, &project_id, event);
    }

    /// Records that a server is gone.
    pub(super) fn note_server_gone(&mut self, server_id: &str, now_ms: u64) {
        self.server_history.mark_gone(server_id, now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at_ms: u64, status: &str, task: Option<&str>) -> ServerEvent {
        ServerEvent {
            at_ms,
            status: status.into(),
            task_state: task.map(str::to_string),
        }
    }

    #[test]
    fn only_changes_are_kept_and_nothing_after_the_end() {
        let mut histories = ServerHistories::default();
        histories.note("s", "p", event(1, "BUILD", Some("spawning")));
        histories.note("s", "p", event(2, "BUILD", Some("spawning")));
        histories.note("s", "p", event(3, "ACTIVE", None));
        histories.mark_gone("s", 9);
        histories.note("s", "p", event(10, "ACTIVE", Some("deleting")));
        let history = histories.get("s").unwrap();
        assert_eq!(
            history.events,
            vec![
                event(1, "BUILD", Some("spawning")),
                event(3, "ACTIVE", None)
            ]
        );
        assert_eq!(history.gone_ms, Some(9));
    }

    #[test]
    fn histories_are_bounded() {
        let mut histories = ServerHistories::default();
        for i in 0..(MAX_EVENTS as u64 + 10) {
            let status = if i % 2 == 0 { "ACTIVE" } else { "REBUILD" };
            histories.note("s", "p", event(i, status, None));
        }
        assert_eq!(histories.get("s").unwrap().events.len(), MAX_EVENTS);
        assert_eq!(histories.get("s").unwrap().events[0].at_ms, 10);
        for i in 0..(MAX_GONE + 5) {
            let id = format!("gone-{i}");
            histories.note(&id, "p", event(0, "ACTIVE", None));
            histories.mark_gone(&id, i as u64);
        }
        assert!(histories.get("gone-0").is_none());
        assert!(histories.get(&format!("gone-{}", MAX_GONE + 4)).is_some());
        let restored = ServerHistories::restore(histories.all().cloned().collect());
        assert_eq!(restored.gone, histories.gone);
        histories.forget_project("p");
        assert_eq!(histories.all().count(), 0);
        assert!(histories.gone.is_empty());
    }
}
