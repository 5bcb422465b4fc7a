//! The fake OpenStack cloud: Keystone v3, Nova, Cinder v3, Glance v2 and Neutron v2.0 on one
//! listener with devstack-style prefixes, plus the `/_sim` control API (faults, quotas, clock,
//! calls).
//!
//! Layout after moto: [`model`] holds state and rules and never sees HTTP; each service module
//! renders the wire format; [`gateway`] authenticates, classifies and applies fault rules;
//! [`router`] puts every service on one router over the state handle [`Cloud`].

pub mod call;
pub mod calls;
pub mod clock;
pub mod cloud;
pub mod config;
pub mod control;
pub mod error;
pub mod faults;
pub mod gateway;
pub mod handler_prelude;
pub mod json;
pub mod microversion;
pub mod model;
pub mod operation;
pub mod router;
pub mod service;
pub mod shared_names;
pub mod stamp;
pub mod wire;

mod cinder;
mod glance;
mod keystone;
mod neutron;
mod nova;
mod render;

pub use cloud::{Cloud, RunningCloud};
pub use config::CloudConfig;

/// Compares two secrets in constant time.
pub fn secret_eq(given: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}
