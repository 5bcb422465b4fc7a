//! JSON request bodies: size limit (413), syntax (400), shape (400 naming the attribute).
//! Unknown attributes are ignored; an empty body counts as `{}`.

use axum::{
    extract::{FromRequest, Request},
    http::header,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::AppState;
use crate::vnfm::error::VnfmError;

/// A typed body together with the JSON it came from (kept as `operationParams`).
pub struct JsonBody<T> {
    pub value: T,
    pub raw: Value,
}

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = VnfmError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_ascii_lowercase);
        let limit = state.services.config.max_body_bytes;
        let too_large = || VnfmError::BodyTooLarge { limit };
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        let bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|error| {
                if exceeds_limit(&error) {
                    too_large()
                } else {
                    VnfmError::BodyCutOff(error.to_string())
                }
            })?;
        let raw: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Default::default())
        } else {
            match content_type {
                Some(value) if value.contains("json") => {}
                Some(value) => return Err(VnfmError::UnsupportedContentType(value)),
                None => return Err(VnfmError::MissingContentType),
            }
            serde_json::from_slice(&bytes)
                .map_err(|error| VnfmError::InvalidJson(error.to_string()))?
        };
        if !raw.is_object() {
            return Err(VnfmError::BodyNotObject);
        }
        let value = serde_path_to_error::deserialize(raw.clone()).map_err(|error| {
            let path = error.path().to_string();
            VnfmError::InvalidBody {
                path,
                reason: error.into_inner().to_string(),
            }
        })?;
        Ok(Self { value, raw })
    }
}

/// Whether reading a body failed on the size limit (rather than on a broken connection).
fn exceeds_limit(error: &axum::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(current) = source {
        if current.to_string().contains("length limit exceeded") {
            return true;
        }
        source = current.source();
    }
    false
}
