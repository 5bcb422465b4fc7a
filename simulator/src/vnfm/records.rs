//! The VNFM's side of saving and loading the stack's state (`simulator::state`): its records
//! out, records in.

use std::sync::Arc;

use super::{
    conductor,
    faults::FaultBook,
    op_rules,
    services::Services,
    store::{SavedRecords, StoreData},
};

/// A handle on the records of a running VNFM.
#[derive(Clone, Debug)]
pub struct VnfmRecords {
    services: Arc<Services>,
}

impl VnfmRecords {
    pub(super) fn new(services: Arc<Services>) -> Self {
        Self { services }
    }

    /// Every record, as stored now, and the VNFM's fault rules.
    pub fn save(&self) -> SavedRecords {
        let mut records = self.services.store.lock().save();
        records.faults = self.services.faults.book().save();
        records
    }

    /// The operation occurrences whose task is running now (STARTING, PROCESSING,
    /// ROLLING_BACK).
    pub fn operations_running(&self) -> Vec<String> {
        self.services
            .store
            .lock()
            .op_occs
            .values()
            .filter(|record| op_rules::is_running(record.occ.operation_state))
            .map(|record| record.occ.id.clone())
            .collect()
    }

    /// Replaces every record and fault rule with `records` (checked beforehand: see
    /// [`SavedRecords::check`]): the rules held operations are released, the old subscriptions'
    /// delivery tasks end, the loaded ones get new ones, cached cloud sessions are dropped,
    /// and operations that were in progress are stopped as after a restart (STARTING to
    /// ROLLED_BACK, PROCESSING and ROLLING_BACK to FAILED_TEMP), which is notified. Returns the
    /// ids of those operations.
    pub fn load(&self, mut records: SavedRecords) -> Vec<String> {
        let faults = std::mem::take(&mut records.faults);
        *self.services.faults.book() =
            FaultBook::restore("vnfm.faults", faults).unwrap_or_default();
        let mut data = self.services.store.lock();
        *data = StoreData::restore(records, &self.services.notifier);
        self.services.forget_vim_sessions();
        conductor::interrupt_in_progress(&self.services, &mut data)
    }
}
