//! Who calls Keystone and what Keystone's default policies let them do: an administrator (a
//! token carrying the `admin` role, project- or system-scoped) manages projects, users, roles
//! and assignments; other users read themselves and their own projects.

use axum::http::HeaderMap;

use crate::openstack::{cloud::Cloud, error::CloudError};

/// The caller of a Keystone request, from its (already validated) token.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: String,
    pub project_id: Option<String>,
    /// The role names the token carries (implied roles included).
    pub roles: Vec<String>,
}

impl Caller {
    /// The token of the request, or `None` without a valid one.
    pub fn of(cloud: &Cloud, headers: &HeaderMap) -> Option<Caller> {
        let id = headers.get("x-auth-token")?.to_str().ok()?;
        let state = cloud.state();
        let token = state.valid_token(id, cloud.clock().now_ms())?;
        let roles = match (&token.project_id, token.system) {
            (Some(project_id), _) => state.project_roles(&token.user_id, project_id),
            (None, true) => state.system_roles(&token.user_id),
            (None, false) => Vec::new(),
        };
        Some(Caller {
            user_id: token.user_id.to_string(),
            project_id: token.project_id.as_deref().map(str::to_string),
            roles,
        })
    }

    /// Holds the `admin` role (Keystone's `rule:admin_required`).
    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r == "admin")
    }
}

/// Keystone's 403 for a policy refusal of `identity:<action>`.
pub fn forbidden(action: &str) -> CloudError {
    CloudError::forbidden(format!(
        "You are not authorized to perform the requested action: identity:{action}."
    ))
}

/// The caller when it may do `action` (an administrator, or `allowed` for itself), else 403.
pub fn authorize(
    caller: Option<Caller>,
    action: &str,
    allowed: impl FnOnce(&Caller) -> bool,
) -> Result<Caller, CloudError> {
    match caller {
        Some(caller) if caller.is_admin() || allowed(&caller) => Ok(caller),
        _ => Err(forbidden(action)),
    }
}
