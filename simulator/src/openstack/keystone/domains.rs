//! `/v3/domains`: list, create, show, update and delete (administrators; anyone may show a
//! domain, as clients read the default domain).

use serde_json::Value;

use super::{
    named::{Filters, Named, Object},
    policy::Caller,
    views::{self, flag, name, text},
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{CloudState, Domain, DomainChanges},
};

/// `/v3/domains`.
pub struct Domains;

impl Named for Domains {
    const ONE: &'static str = "domain";
    const MANY: &'static str = "domains";
    type Item = Domain;
    const VIEW: fn(&Cloud, &Domain) -> Value = views::domain;

    fn all(state: &CloudState) -> &[Domain] {
        &state.identity.domains
    }

    /// Filters `name`, `enabled`.
    fn keeps(d: &Domain, query: &Filters) -> bool {
        views::matches(query, &d.name, d.enabled, None)
    }

    fn create(cloud: &Cloud, object: &Object) -> Result<Domain, CloudError> {
        cloud.state().create_domain(
            &name(object, 64)?,
            text(object, "description")?.unwrap_or_default(),
            flag(object, "enabled")?.unwrap_or(true),
        )
    }

    fn find<'s>(state: &'s CloudState, id: &str) -> Result<&'s Domain, CloudError> {
        state.identity.domain_or_404(id)
    }

    /// Anyone.
    fn may_show(_: Option<Caller>, _: &str) -> Result<(), CloudError> {
        Ok(())
    }

    /// Name, description, enabled.
    fn update(cloud: &Cloud, id: &str, object: &Object) -> Result<Domain, CloudError> {
        let changes = DomainChanges {
            name: object
                .contains_key("name")
                .then(|| name(object, 64))
                .transpose()?,
            description: text(object, "description")?,
            enabled: flag(object, "enabled")?,
        };
        cloud.state().update_domain(id, changes)
    }

    /// 403 while enabled; with its projects and users.
    fn delete(cloud: &Cloud, id: &str) -> Result<(), CloudError> {
        cloud.state().delete_domain(id)
    }
}
