//! The cloud side: an observer that looks at OpenStack through its public APIs, and the
//! control API of the simulated cloud.

pub mod clouds_yaml;
pub mod control;
pub mod observer;

pub use control::CloudControl;
pub use observer::{Observer, OsCredentials};
