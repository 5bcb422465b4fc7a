//! The VNFM's shared parts: configuration, descriptor catalog, store and token registry.

use std::sync::Arc;

use super::{
    api::auth::TokenRegistry, config::VnfmConfig, descriptors::Catalog, notify::Notifier,
    store::Store,
};

/// What every request handler and operation task shares.
#[derive(Debug)]
pub struct Core {
    pub config: VnfmConfig,
    pub catalog: Catalog,
    pub store: Store,
    pub notifier: Notifier,
    pub tokens: TokenRegistry,
}

impl Core {
    /// A VNFM core with an empty store.
    pub fn new(config: VnfmConfig, catalog: Catalog) -> Arc<Self> {
        let notifier = Notifier::new(config.notification_retry);
        Arc::new(Self {
            config,
            catalog,
            store: Store::default(),
            notifier,
            tokens: TokenRegistry::default(),
        })
    }
}
