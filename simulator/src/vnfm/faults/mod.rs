//! The reference VNFM's own fault rules, for NFVO developers who need its edge cases on demand:
//! an internal service unavailable, a slow answer, an operation failing or held at a named step,
//! notifications delayed, dropped, duplicated or reordered.
//!
//! Rules are data in the shape of the fake cloud's (`match`, `effect`, `trigger`), posted to the
//! control API `/_vnfm/faults` on the VNFM's own listeners (`control.rs`). Request effects are
//! applied by a middleware in front of the ETSI handlers (`middleware.rs`), step effects by the
//! conductor at the steps named in [`steps`], notification effects by each subscription's
//! delivery queue.

mod book;
pub(crate) mod control;
pub(crate) mod middleware;
pub mod operations;
mod rule;
pub mod steps;

use std::sync::{Mutex, MutexGuard};

pub use book::{
    FaultBook, FaultListing, NotificationDecision, RequestDecision, SavedVnfmRule, StepDecision,
};
pub use rule::{
    EffectKind, Facts, VnfmFaultEffect, VnfmFaultMatch, VnfmFaultRule, DEFAULT_SERVICE,
};
pub use steps::Step;

/// The VNFM's fault book, shared by the control API, the middleware, the conductor and the
/// notifier.
#[derive(Debug, Default)]
pub struct VnfmFaults {
    book: Mutex<FaultBook>,
}

impl VnfmFaults {
    /// The book, locked.
    pub fn book(&self) -> MutexGuard<'_, FaultBook> {
        self.book
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
