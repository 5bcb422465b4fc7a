//! What every request handler and operation task shares: configuration, descriptor catalog,
//! store, notifier, token registry, fault rules and the VIM drivers.

use std::sync::{Arc, Mutex};

use super::{
    api::auth::TokenRegistry,
    config::VnfmConfig,
    descriptors::Catalog,
    faults::VnfmFaults,
    notify::Notifier,
    store::Store,
    vim::{OpenStackAccess, OpenStackVim, TrackedVim, VimDriver},
    vim_binding::VimBinding,
};

/// What every request handler and operation task shares.
#[derive(Debug)]
pub struct Services {
    pub config: VnfmConfig,
    pub catalog: Catalog,
    pub store: Store,
    pub notifier: Notifier,
    pub tokens: TokenRegistry,
    /// The fault rules of the control API.
    pub faults: Arc<VnfmFaults>,
    /// One driver per OpenStack VIM, reused so that its session is too; all send through
    /// one HTTP client.
    drivers: Mutex<Vec<(OpenStackAccess, OpenStackVim)>>,
}

impl Services {
    /// The services with an empty store.
    pub fn new(config: VnfmConfig, catalog: Catalog) -> Arc<Self> {
        let faults = Arc::new(VnfmFaults::default());
        let notifier = Notifier::new(
            config.notification_retry,
            config.deviations.clone(),
            config.choices(),
            faults.clone(),
        );
        Arc::new(Self {
            config,
            catalog,
            store: Store::default(),
            notifier,
            tokens: TokenRegistry::default(),
            faults,
            drivers: Mutex::new(Vec::new()),
        })
    }

    /// Drops the cached VIM drivers and their sessions (after a load, the cloud's tokens are
    /// not those the sessions hold).
    pub fn forget_vim_sessions(&self) {
        self.drivers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }

    /// The driver of a VIM binding: the OpenStack driver (one per VIM, reused so that its
    /// session is too), or the tracked-only driver for other VIM types.
    pub fn vim_driver(&self, vim: &VimBinding) -> Arc<dyn VimDriver> {
        let VimBinding::OpenStack { access, .. } = vim else {
            return Arc::new(TrackedVim);
        };
        let mut drivers = self
            .drivers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, driver)) = drivers.iter().find(|(known, _)| known == access) {
            return Arc::new(driver.clone());
        }
        // Every VIM's session sends through the first one's HTTP client.
        let timing = self.config.vim_timing;
        let driver = match drivers.first() {
            Some((_, first)) => first.sharing_client(access.clone(), timing),
            None => OpenStackVim::new(access.clone(), timing),
        };
        drivers.push((access.clone(), driver.clone()));
        Arc::new(driver)
    }
}
