use serde::{Deserialize, Serialize};

/// A hyperlink to a resource (`Link` / `NotificationLink`): an absolute URI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
}

impl Link {
    /// A link to `href`.
    pub fn new(href: impl Into<String>) -> Self {
        Self { href: href.into() }
    }
}
