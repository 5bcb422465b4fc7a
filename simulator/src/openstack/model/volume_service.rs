//! Cinder's services: the scheduler and the one LVM volume service, which the admin may
//! disable (new volumes then find no backend and end in `error`) and enable again.

use std::collections::BTreeMap;

use crate::openstack::error::CloudError;

use super::CloudState;

/// The services of this Cinder: `(binary, host)`.
pub const VOLUME_SERVICES: [(&str, &str); 2] = [
    ("cinder-scheduler", "devstack"),
    ("cinder-volume", "devstack@lvmdriver-1"),
];

/// The disabled services: `binary@host` -> the reason given, if any.
pub type DisabledServices = BTreeMap<String, Option<String>>;

fn key(binary: &str, host: &str) -> String {
    format!("{binary}@{host}")
}

impl CloudState {
    /// Whether a service is disabled, with the reason given.
    pub fn service_disabled(&self, binary: &str, host: &str) -> Option<&Option<String>> {
        self.disabled_services.get(&key(binary, host))
    }

    /// Whether the volume service takes new volumes.
    pub fn volume_service_enabled(&self) -> bool {
        let (binary, host) = VOLUME_SERVICES[1];
        self.service_disabled(binary, host).is_none()
    }

    /// Enables (`disabled: None`) or disables a service: Cinder's 404 for an unknown one.
    pub fn set_service_disabled(
        &mut self,
        binary: &str,
        host: &str,
        disabled: Option<Option<String>>,
    ) -> Result<(), CloudError> {
        if !VOLUME_SERVICES.contains(&(binary, host)) {
            return Err(CloudError::not_found(format!(
                "Service {binary} could not be found on host {host}."
            )));
        }
        match disabled {
            Some(reason) => {
                self.disabled_services.insert(key(binary, host), reason);
            }
            None => {
                self.disabled_services.remove(&key(binary, host));
            }
        }
        Ok(())
    }
}
