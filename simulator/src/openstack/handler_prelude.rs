//! What nearly every service handler names: axum's request parts and answers, JSON answers, the
//! [`Call`] extractor, the caller's [`Scope`], the microversion and the cloud's error. A
//! handler file starts with `use crate::openstack::handler_prelude::*;` and imports the rest by
//! name.

pub use axum::{
    body::Bytes,
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
pub use serde_json::{json, Value};

pub use super::{
    call::Call,
    cloud::Cloud,
    error::CloudError,
    gateway::{parse_body, Scope},
    json::Json,
    microversion::Microversion,
};
