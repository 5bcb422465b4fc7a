//! HTTP towards the VNFM: requests as an NFVO or EM sends them, and the exchanges they produce.

pub mod client;
pub mod exchange;
pub mod fields;

pub use client::{Api, ApiClient};
pub use exchange::{Exchange, Request};
