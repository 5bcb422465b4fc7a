//! Which VIM a VNF instance is deployed on, from its `vimConnectionInfo`.

use std::collections::BTreeMap;

use super::{types::VimConnectionInfo, vim::OpenStackAccess};

/// The id under which the default VIM appears in `vimConnectionInfo`.
pub const DEFAULT_VIM_CONNECTION_ID: &str = "default-vim";

/// The OpenStack vimType names accepted.
const OPENSTACK_VIM_TYPES: [&str; 2] = ["ETSINFV.OPENSTACK_KEYSTONE.V_3", "OPENSTACK_V3"];

/// The VIM of one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VimBinding {
    /// An OpenStack cloud, reached through the VIM driver.
    OpenStack {
        vim_connection_id: String,
        vim_type: String,
        access: OpenStackAccess,
    },
    /// Any other VIM (e.g. VMware vCD): tracked only, no cloud call is made.
    Other {
        vim_connection_id: String,
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
                vim_connection_id: id.clone(),
                vim_type: info.vim_type.clone(),
            });
        }
        let endpoint = info
            .interface_info
            .as_ref()
            .and_then(|interface| interface.get("endpoint"))
            .ok_or_else(|| {
                format!(
                    "vimConnectionInfo.{id}.interfaceInfo.endpoint (the Keystone URL) is missing"
                )
            })?;
        let access = info.access_info.clone().unwrap_or_default();
        let field = |name: &str| {
            access
                .get(name)
                .cloned()
                .ok_or_else(|| format!("vimConnectionInfo.{id}.accessInfo.{name} is missing"))
        };
        Ok(Self::OpenStack {
            vim_connection_id: id.clone(),
            vim_type: info.vim_type.clone(),
            access: OpenStackAccess {
                auth_url: endpoint.clone(),
                username: field("username")?,
                password: field("password")?,
                project_name: field("project")?,
                user_domain_name: access
                    .get("userDomain")
                    .cloned()
                    .unwrap_or_else(|| "Default".into()),
                project_domain_name: access
                    .get("projectDomain")
                    .cloned()
                    .unwrap_or_else(|| "Default".into()),
                region: access.get("region").cloned(),
            },
        })
    }

    /// The vimConnectionId.
    pub fn id(&self) -> &str {
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
                Some(BTreeMap::from([(
                    "endpoint".to_string(),
                    access.auth_url.clone(),
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
