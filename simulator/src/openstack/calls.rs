//! A record of every API call the cloud answered, so tests can assert on what a client did.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::{
    service::Service,
    shared_names::{SharedNames, ThinName},
};

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

/// A call as the gateway reports it, borrowed: the log copies only what it does not share yet.
#[derive(Clone, Copy, Debug)]
pub struct AnsweredCall<'a> {
    pub service: Service,
    pub method: &'a str,
    pub path: &'a str,
    pub operation: &'a str,
    pub project_id: Option<&'a str>,
    /// HTTP status answered; 0 when the connection was dropped by a fault.
    pub status: u16,
}

/// One call as the log keeps it, in 48 bytes: the method, operation and project are shared
/// with the other calls that name them (one pointer each), the path is sized to fit, and the
/// sequence number is the call's place in the log.
#[derive(Debug)]
struct KeptCall {
    path: Box<str>,
    method: ThinName,
    operation: ThinName,
    project_id: Option<ThinName>,
    status: u16,
    service: Service,
}

impl KeptCall {
    fn record(&self, seq: u64) -> CallRecord {
        CallRecord {
            seq,
            service: self.service,
            method: self.method.to_string(),
            path: self.path.to_string(),
            operation: self.operation.to_string(),
            project_id: self.project_id.as_deref().map(str::to_string),
            status: self.status,
        }
    }
}

/// The most recent calls, oldest first (bounded so a long run does not grow without end).
#[derive(Debug, Default)]
pub struct CallLog {
    records: VecDeque<KeptCall>,
    /// The methods, operations and project ids the kept calls share.
    names: SharedNames<ThinName>,
    next_seq: u64,
}

/// How many calls are kept.
pub const CALL_LOG_CAPACITY: usize = 100_000;

impl CallLog {
    /// Appends a call and returns its sequence number.
    pub fn push(&mut self, call: AnsweredCall<'_>) -> u64 {
        self.next_seq += 1;
        if self.records.len() == CALL_LOG_CAPACITY {
            self.records.pop_front();
        }
        let kept = KeptCall {
            path: call.path.into(),
            method: self.names.share(call.method),
            operation: self.names.share(call.operation),
            project_id: call.project_id.map(|id| self.names.share(id)),
            status: call.status,
            service: call.service,
        };
        if self.records.len() == self.records.capacity() {
            // Doubles as a deque grows, but never past the bound (a doubling from 65,536 would
            // make room for 131,072 calls).
            let room = self.records.len().max(16);
            self.records
                .reserve_exact(room.min(CALL_LOG_CAPACITY - self.records.len()));
        }
        self.records.push_back(kept);
        self.next_seq
    }

    /// Calls matching the optional service and project, after sequence number `since`.
    pub fn query(
        &self,
        service: Option<Service>,
        project_id: Option<&str>,
        since: u64,
    ) -> Vec<CallRecord> {
        // The kept calls are numbered without gaps, the newest `next_seq`.
        let first_seq = self.next_seq + 1 - self.records.len() as u64;
        let skip = usize::try_from(since.saturating_sub(first_seq - 1)).unwrap_or(usize::MAX);
        self.records
            .iter()
            .zip(first_seq..)
            .skip(skip)
            .filter(|(r, _)| service.is_none_or(|s| s == r.service))
            .filter(|(r, _)| project_id.is_none_or(|p| r.project_id.as_deref() == Some(p)))
            .map(|(r, seq)| r.record(seq))
            .collect()
    }

    /// Forgets every call.
    pub fn clear(&mut self) {
        self.records.clear();
        self.names.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(path: &'a str, project_id: Option<&'a str>) -> AnsweredCall<'a> {
        AnsweredCall {
            service: Service::Cinder,
            method: "GET",
            path,
            operation: "volumes.show",
            project_id,
            status: 200,
        }
    }

    #[test]
    fn kept_calls_read_back_as_they_came_and_share_their_names() {
        let mut log = CallLog::default();
        log.push(call("/volume/v3/p1/volumes/a", Some("p1")));
        let since = log.push(call("/volume/v3/p1/volumes/b", Some("p1")));
        log.push(call("/volume/v3/p2/volumes/c", Some("p2")));
        log.push(call("/volume/v3", None));
        // GET, volumes.show, p1, p2
        assert_eq!(log.names.count(), 4);
        let p1 = log.query(None, Some("p1"), 0);
        assert_eq!(p1.len(), 2);
        assert_eq!(
            p1[1],
            CallRecord {
                seq: 2,
                service: Service::Cinder,
                method: "GET".into(),
                path: "/volume/v3/p1/volumes/b".into(),
                operation: "volumes.show".into(),
                project_id: Some("p1".into()),
                status: 200,
            }
        );
        let later: Vec<u64> = log
            .query(Some(Service::Cinder), None, since)
            .iter()
            .map(|c| c.seq)
            .collect();
        assert_eq!(later, [3, 4]);
        assert!(log.query(Some(Service::Nova), None, 0).is_empty());
    }

    #[test]
    fn the_log_and_its_names_stay_bounded() {
        let mut log = CallLog::default();
        log.push(call("/volume/v3/gone", Some("gone")));
        for i in 0..3 * CALL_LOG_CAPACITY {
            let project = format!("p{i}");
            log.push(call("/volume/v3/kept", Some(&project)));
        }
        assert_eq!(log.records.len(), CALL_LOG_CAPACITY);
        // Numbered by their place: the oldest kept call is the one after those let go.
        let total = 3 * CALL_LOG_CAPACITY as u64 + 1;
        let newest = log.query(None, None, total - 2);
        let seqs: Vec<u64> = newest.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, [total - 1, total]);
        let oldest = &log.query(None, None, 0)[0];
        assert_eq!(oldest.seq, total - CALL_LOG_CAPACITY as u64 + 1);
        assert_eq!(
            oldest.project_id.as_deref(),
            Some(format!("p{}", 2 * CALL_LOG_CAPACITY).as_str())
        );
        assert!(size_of::<KeptCall>() <= 48);
        assert!(
            log.records.capacity() < CALL_LOG_CAPACITY + 16,
            "no room past the bound"
        );
        // The kept calls' projects, GET and volumes.show, and at most as many let go later.
        assert!(log.names.count() <= 2 * (CALL_LOG_CAPACITY + 2));
        assert!(!log.names.contains("gone"));
        assert!(log
            .names
            .contains(&format!("p{}", 3 * CALL_LOG_CAPACITY - 1)));
    }
}
