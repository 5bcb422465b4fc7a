//! Which VIM a VNF instance is deployed on, from its `vimConnectionInfo`.

use serde::{Deserialize, Serialize};

use std::{collections::BTreeMap, sync::Arc};

use serde_json::{Map, Value};

use super::{types::VimConnectionInfo, vim::OpenStackAccess};

/// The id under which the default VIM appears in `vimConnectionInfo`.
pub const DEFAULT_VIM_CONNECTION_ID: &str = "default-vim";

/// The OpenStack vimType names accepted.
const OPENSTACK_VIM_TYPES: [&str; 2] = ["ETSINFV.OPENSTACK_KEYSTONE.V_3", "OPENSTACK_V3"];

/// The VIM of one instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VimBinding {
    /// An OpenStack cloud, reached through the VIM driver.
    OpenStack {
        vim_connection_id: Arc<str>,
        vim_type: String,
        access: OpenStackAccess,
    },
    /// Any other VIM (e.g. VMware vCD): tracked only, no cloud call is made.
    Other {
        vim_connection_id: Arc<str>,
        vim_type: String,
    },
}

impl VimBinding {
    /// The default OpenStack VIM from the configuration.
    pub fn default_vim(access: &OpenStackAccess) -> Self {
        Self::OpenStack {
            vim_connection_id: DEFAULT_VIM_CONNECTION_ID.into(),
            vim_type: OPENSTACK_VIM_TYPES[0].into(),
            access: access.clone(),
        }
    }

    /// Reads the single VIM of an InstantiateVnfRequest's `vimConnectionInfo`; `Err` names
    /// what is missing.
    pub fn from_connection_info(
        connections: &BTreeMap<String, VimConnectionInfo>,
    ) -> Result<Self, String> {
        let mut entries = connections.iter();
        let (id, info) = entries
            .next()
            .ok_or("vimConnectionInfo is empty; give one VIM or omit it to use the default VIM")?;
        if entries.next().is_some() {
            return Err(
                "vimConnectionInfo names several VIMs; this VNFM deploys a VNF on one VIM".into(),
            );
        }
        if !OPENSTACK_VIM_TYPES.contains(&info.vim_type.as_str()) {
            return Ok(Self::Other {
                vim_connection_id: id.as_str().into(),
                vim_type: info.vim_type.clone(),
            });
        }
        let text = |place: &str, values: Option<&Map<String, Value>>, name: &str| match values
            .and_then(|values| values.get(name))
        {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!(
                "vimConnectionInfo.{id}.{place}.{name} must be a string for an OpenStack VIM"
            )),
        };
        let endpoint = text("interfaceInfo", info.interface_info.as_ref(), "endpoint")?
            .ok_or_else(|| {
                format!(
                    "vimConnectionInfo.{id}.interfaceInfo.endpoint (the Keystone URL) is missing"
                )
            })?;
        let access = info.access_info.as_ref();
        let optional = |name: &str| text("accessInfo", access, name);
        let field = |name: &str| {
            optional(name)?
                .ok_or_else(|| format!("vimConnectionInfo.{id}.accessInfo.{name} is missing"))
        };
        Ok(Self::OpenStack {
            vim_connection_id: id.as_str().into(),
            vim_type: info.vim_type.clone(),
            access: OpenStackAccess {
                auth_url: endpoint,
                username: field("username")?,
                password: field("password")?,
                project_name: field("project")?,
                user_domain_name: optional("userDomain")?.unwrap_or_else(|| "Default".into()),
                project_domain_name: optional("projectDomain")?.unwrap_or_else(|| "Default".into()),
                region: optional("region")?,
            },
        })
    }

    /// The vimConnectionId.
    pub fn id(&self) -> &Arc<str> {
        match self {
            Self::OpenStack {
                vim_connection_id, ..
            }
            | Self::Other {
                vim_connection_id, ..
            } => vim_connection_id,
        }
    }

    /// The `vimConnectionInfo` map shown on the instance (without credentials).
    pub fn connection_info(&self) -> BTreeMap<String, VimConnectionInfo> {
        let (vim_type, interface_info) = match self {
            Self::OpenStack {
                vim_type, access, ..
            } => (
                vim_type.clone(),
                Some(Map::from_iter([(
                    "endpoint".to_string(),
                    Value::String(access.auth_url.clone()),
                )])),
            ),
            Self::Other { vim_type, .. } => (vim_type.clone(), None),
        };
        BTreeMap::from([(
            self.id().to_string(),
            VimConnectionInfo {
                vim_id: None,
                vim_type,
                interface_info,
                access_info: None,
                extra: None,
            },
        )])
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn connections(info: Value) -> BTreeMap<String, VimConnectionInfo> {
        serde_json::from_value(json!({ "vim1": info })).unwrap()
    }

    #[test]
    fn access_and_interface_info_are_key_value_pairs_of_any_json() {
        let info = connections(json!({
            "vimType": "ETSINFV.OPENSTACK_KEYSTONE.V_3",
            "interfaceInfo": {"endpoint": "http://keystone/v3", "trustedCerts": ["a"], "port": 5000},
            "accessInfo": {"username": "u", "password": "p", "project": "demo",
                "region": null, "extra": {"nested": true}, "timeout": 30}
        }));
        let VimBinding::OpenStack { access, .. } = VimBinding::from_connection_info(&info).unwrap()
        else {
            panic!("an OpenStack binding");
        };
        assert_eq!(access.username, "u");
        assert_eq!(access.auth_url, "http://keystone/v3");
        assert_eq!(access.region, None);
        assert_eq!(access.user_domain_name, "Default");
    }

    #[test]
    fn the_values_an_openstack_vim_reads_must_be_strings() {
        let info = connections(json!({
            "vimType": "OPENSTACK_V3",
            "interfaceInfo": {"endpoint": "http://keystone/v3"},
            "accessInfo": {"username": 7, "password": "p", "project": "demo"}
        }));
        let error = VimBinding::from_connection_info(&info).unwrap_err();
        assert!(
            error.contains("accessInfo.username must be a string"),
            "{error}"
        );
    }
}
