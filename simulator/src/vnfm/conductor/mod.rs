//! The conductor owns the operation-occurrence state machine (SOL003 §5.6.2): it accepts LCM
//! operations (one at a time per instance), runs them as tokio tasks against the VIM driver,
//! stores every state before notifying it, and serves the retry / rollback / fail / cancel
//! tasks.

mod create_snapshot;
mod failure;
mod instance_resources;
mod instantiate;
mod lifecycle;
mod resource_changes;
mod restart;
mod revert;
mod snapshot_resources;
mod steps;
mod subscriptions;
mod tasks;
mod terminate;
mod virtual_link;

pub use create_snapshot::{request_create_snapshot, CreateSnapshot, SnapshotScope};
pub use instance_resources::{create_instance, delete_instance};
pub use instantiate::request_instantiate;
pub use restart::interrupt_in_progress;
pub use revert::{request_revert, RevertScope, RevertToSnapshot};
pub use snapshot_resources::{create_resource, delete_resource, modify_resource};
pub use subscriptions::{subscribe, unsubscribe, Subscribed};
pub use tasks::{cancel, fail, retry, rollback};
pub use terminate::request_terminate;
