//! The cloud side: an observer that looks at OpenStack through its public APIs, what the steps
//! read from the simulated cloud's control API (`simulator::kit::SimControl`), and the
//! scenario's own part of the cloud.

pub mod clouds_yaml;
mod compute;
pub mod inventory;
pub mod observer;
pub mod scenario;
pub mod state;

pub use observer::{Observer, OsCredentials};
