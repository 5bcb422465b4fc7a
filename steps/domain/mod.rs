//! Step definitions, grouped by domain.

mod cloud;
mod faults;
mod instances;
mod notifications;
mod operations;
mod requests;
mod responses;
mod revert;
mod snapshots;
