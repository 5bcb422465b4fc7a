//! How the VNFM authenticates towards a subscriber's callback endpoint.

use serde::{Deserialize, Serialize};

use crate::vnfm::types::SubscriptionAuthentication;

/// Credentials for notifications, from the subscription's `authentication`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackAuth {
    /// No `authentication` given.
    None,
    /// HTTP Basic.
    Basic { user: String, password: String },
    /// OAuth 2.0 client credentials: a token is fetched from `token_endpoint`.
    OAuth2 {
        client_id: String,
        client_secret: String,
        token_endpoint: String,
    },
}

impl CallbackAuth {
    /// Reads `authentication`; `Err` is a 400 detail naming the missing attribute.
    pub fn from_request(
        authentication: Option<&SubscriptionAuthentication>,
    ) -> Result<Self, String> {
        let Some(authentication) = authentication else {
            return Ok(Self::None);
        };
        let types: Vec<&str> = authentication
            .auth_type
            .iter()
            .map(String::as_str)
            .collect();
        if types.contains(&"OAUTH2_CLIENT_CREDENTIALS") {
            let params = authentication.params_oauth2_client_credentials.as_ref().ok_or(
                "authentication.paramsOauth2ClientCredentials is required with authType OAUTH2_CLIENT_CREDENTIALS",
            )?;
            let field = |value: &Option<String>, name: &str| {
                value.clone().ok_or_else(|| {
                    format!("authentication.paramsOauth2ClientCredentials.{name} is required")
                })
            };
            return Ok(Self::OAuth2 {
                client_id: field(&params.client_id, "clientId")?,
                client_secret: field(&params.client_password, "clientPassword")?,
                token_endpoint: field(&params.token_endpoint, "tokenEndpoint")?,
            });
        }
        if types.contains(&"BASIC") {
            let params = authentication
                .params_basic
                .as_ref()
                .ok_or("authentication.paramsBasic is required with authType BASIC")?;
            let field = |value: &Option<String>, name: &str| {
                value
                    .clone()
                    .ok_or_else(|| format!("authentication.paramsBasic.{name} is required"))
            };
            return Ok(Self::Basic {
                user: field(&params.user_name, "userName")?,
                password: field(&params.password, "password")?,
            });
        }
        Err(format!(
            "authentication.authType {:?} is not supported; use BASIC or OAUTH2_CLIENT_CREDENTIALS",
            authentication.auth_type
        ))
    }
}
