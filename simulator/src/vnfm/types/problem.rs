use serde::{Deserialize, Serialize};

/// SOL013 `ProblemDetails` (an RFC 7807 subset): the body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemDetails {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The HTTP status code of the response.
    pub status: u16,
    /// What went wrong, in words a client can act on.
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

impl ProblemDetails {
    /// A problem with the standard reason phrase of `status` as title.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        let title = axum::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|code| code.canonical_reason())
            .map(str::to_string);
        Self {
            problem_type: None,
            title,
            status,
            detail: detail.into(),
            instance: None,
        }
    }
}
