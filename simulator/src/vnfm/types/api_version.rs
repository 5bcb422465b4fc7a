use serde::{Deserialize, Serialize};

/// SOL013 `ApiVersionInformation`: the versions served under one URI prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiVersionInformation {
    pub uri_prefix: String,
    pub api_versions: Vec<ApiVersion>,
}

/// One supported API version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiVersion {
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_deprecated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retirement_date: Option<String>,
}
