//! Step definitions, grouped by domain.

mod cloud;
mod concurrency;
pub mod data;
mod faults;
mod identifier_notifications;
mod instances;
mod limitations;
mod modify;
pub mod natural_duration;
pub mod networking;
mod notifications;
mod open_answers;
mod operations;
mod queries;
mod quotas;
mod requests;
mod responses;
mod revert;
mod snapshots;
mod sol002_attributes;
mod vnfm_faults;
