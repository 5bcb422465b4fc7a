//! The cloud side: an observer that looks at OpenStack through its public APIs, and the
//! control API of the simulated cloud.

pub mod clouds_yaml;
pub mod observer;
pub mod scenario;
pub mod state;

pub use observer::{Observer, OsCredentials};
