//! Changes of status that fall due at a cloud time, kept in due order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Fate;

/// A change to apply when its time comes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum Due {
    /// A server leaves its transitional status (BUILD, REBUILD, power changes).
    Server {
        id: String,
        status: String,
    },
    /// A deleted server disappears and releases its volumes.
    ServerGone {
        id: String,
    },
    Volume {
        id: String,
        status: String,
    },
    VolumeGone {
        id: String,
    },
    Snapshot {
        id: String,
        status: String,
    },
    SnapshotGone {
        id: String,
    },
    Image {
        id: String,
        status: String,
    },
    /// A volume's upload to an image ends: the image active (or, when the upload failed,
    /// deleted) and the volume back in `status`.
    VolumeUploaded {
        volume_id: String,
        image_id: String,
        status: String,
        succeeded: bool,
    },
    /// A `glance-direct` image import ends (as its task's fate says).
    ImportFinished {
        task_id: String,
    },
}

impl Due {
    /// A volume reaches `status`.
    pub fn volume(id: &str, status: &str) -> Self {
        Due::Volume {
            id: id.to_string(),
            status: status.to_string(),
        }
    }

    /// A snapshot reaches `status`.
    pub fn snapshot(id: &str, status: &str) -> Self {
        Due::Snapshot {
            id: id.to_string(),
            status: status.to_string(),
        }
    }
}

/// Pending changes ordered by due time, then by insertion.
#[derive(Debug, Default)]
pub struct Schedule {
    entries: BTreeMap<(u64, u64), Due>,
    next_seq: u64,
}

impl Schedule {
    /// Schedules `due` at cloud time `at_ms`.
    pub fn at(&mut self, at_ms: u64, due: Due) {
        self.next_seq += 1;
        self.entries.insert((at_ms, self.next_seq), due);
    }

    /// Schedules at `at_ms` what a fault rule's `fate` makes of a progression: `normal` for
    /// a normal one, `fails` for a failing one, nothing for one stuck for ever.
    pub fn fated(&mut self, at_ms: u64, fate: Fate, normal: Due, fails: Due) {
        match fate {
            Fate::Normal => self.at(at_ms, normal),
            Fate::Fails => self.at(at_ms, fails),
            Fate::Stuck => {}
        }
    }

    /// Takes the earliest change due at or before `now_ms`.
    pub fn pop_due(&mut self, now_ms: u64) -> Option<Due> {
        self.pop_due_at(now_ms).map(|(_, due)| due)
    }

    /// Takes the earliest change due at or before `now_ms`, with the time it fell due.
    pub fn pop_due_at(&mut self, now_ms: u64) -> Option<(u64, Due)> {
        let (&key, _) = self.entries.first_key_value()?;
        if key.0 > now_ms {
            return None;
        }
        self.entries.remove(&key).map(|due| (key.0, due))
    }

    /// Keeps only the changes for which `keep` holds.
    pub fn retain(&mut self, keep: impl Fn(&Due) -> bool) {
        self.entries.retain(|_, due| keep(due));
    }

    /// Drops every pending change of one resource (e.g. when it is deleted).
    pub fn cancel_for(&mut self, resource_id: &str) {
        self.entries.retain(|_, due| match due {
            Due::Server { id, .. }
            | Due::ServerGone { id }
            | Due::Volume { id, .. }
            | Due::VolumeGone { id }
            | Due::Snapshot { id, .. }
            | Due::SnapshotGone { id }
            | Due::Image { id, .. }
            | Due::VolumeUploaded { volume_id: id, .. }
            | Due::ImportFinished { task_id: id } => id != resource_id,
        });
    }

    /// The pending changes in due order, with their due times.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &Due)> {
        self.entries.iter().map(|(&(at_ms, _), due)| (at_ms, due))
    }

    /// Number of pending changes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_due_order_and_only_when_due() {
        let mut schedule = Schedule::default();
        schedule.at(20, Due::VolumeGone { id: "b".into() });
        schedule.at(10, Due::VolumeGone { id: "a".into() });
        assert_eq!(schedule.pop_due(5), None);
        assert_eq!(
            schedule.pop_due(25),
            Some(Due::VolumeGone { id: "a".into() })
        );
        assert_eq!(
            schedule.pop_due(25),
            Some(Due::VolumeGone { id: "b".into() })
        );
        assert!(schedule.is_empty());
    }
}
