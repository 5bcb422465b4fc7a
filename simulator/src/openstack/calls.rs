//! A record of every API call the cloud answered, so tests can assert on what a client did.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::service::Service;

/// One answered call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    pub seq: u64,
    pub service: Service,
    pub method: String,
    pub path: String,
    pub operation: String,
    pub project_id: Option<String>,
    /// HTTP status answered; 0 when the connection was dropped by a fault.
    pub status: u16,
}

/// The most recent calls, oldest first (bounded so a long run does not grow without end).
#[derive(Debug, Default)]
pub struct CallLog {
    records: VecDeque<CallRecord>,
    next_seq: u64,
}

/// How many calls are kept.
pub const CALL_LOG_CAPACITY: usize = 100_000;

impl CallLog {
    /// Appends a call and returns its sequence number.
    pub fn push(&mut self, mut record: CallRecord) -> u64 {
        self.next_seq += 1;
        record.seq = self.next_seq;
        if self.records.len() == CALL_LOG_CAPACITY {
            self.records.pop_front();
        }
        self.records.push_back(record);
        self.next_seq
    }

    /// Calls matching the optional service and project, after sequence number `since`.
    pub fn query(
        &self,
        service: Option<Service>,
        project_id: Option<&str>,
        since: u64,
    ) -> Vec<CallRecord> {
        self.records
            .iter()
            .filter(|r| r.seq > since)
            .filter(|r| service.is_none_or(|s| s == r.service))
            .filter(|r| project_id.is_none_or(|p| r.project_id.as_deref() == Some(p)))
            .cloned()
            .collect()
    }

    /// Forgets every call.
    pub fn clear(&mut self) {
        self.records.clear();
    }
}
