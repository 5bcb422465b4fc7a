use std::{borrow::Cow, sync::Arc};

use serde::{Deserialize, Serialize};

/// SOL003 §4.4.1.7 `ResourceHandle`: a resource as the VIM knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceHandle {
    /// Shared with the VIM binding that names it rather than copied into every handle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vim_connection_id: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_provider_id: Option<String>,
    pub resource_id: Arc<str>,
    /// One of a few fixed names (`OS::Nova::Server`, ...), shared rather than copied into
    /// every handle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vim_level_resource_type: Option<Cow<'static, str>>,
}

impl ResourceHandle {
    /// A handle on `resource_id` of type `resource_type` in VIM `vim_connection_id` (an
    /// `Arc<str>` resource id is shared, not copied).
    pub fn new(
        vim_connection_id: &Arc<str>,
        resource_id: impl Into<Arc<str>>,
        resource_type: &'static str,
    ) -> Self {
        Self {
            vim_connection_id: Some(Arc::clone(vim_connection_id)),
            resource_provider_id: None,
            resource_id: resource_id.into(),
            vim_level_resource_type: Some(Cow::Borrowed(resource_type)),
        }
    }
}
