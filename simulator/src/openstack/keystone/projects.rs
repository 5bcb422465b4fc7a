//! `/v3/projects`: list, create, show, update and delete (administrators; a user may show the
//! project its token is scoped to).

use serde_json::Value;

use super::{
    named::{Filters, Named, Object},
    policy::{authorize, Caller},
    views::{self, flag, name, text},
};
use crate::openstack::{
    cloud::Cloud,
    error::CloudError,
    model::{CloudState, IdentityChanges, Project, DEFAULT_DOMAIN_ID},
};

/// The project attributes Keystone knows; others are kept as given.
const KNOWN: [&str; 9] = [
    "id",
    "name",
    "domain_id",
    "parent_id",
    "description",
    "enabled",
    "tags",
    "is_domain",
    "options",
];

fn tags(object: &Object) -> Result<Option<Vec<String>>, CloudError> {
    match object.get("tags") {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| {
                t.as_str().map(str::to_string).ok_or_else(|| {
                    CloudError::bad_request(format!(
                        "Invalid input for field 'tags': {t} is not of type 'string'"
                    ))
                })
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(other) => Err(CloudError::bad_request(format!(
            "Invalid input for field 'tags': {other} is not of type 'array'"
        ))),
    }
}

/// `/v3/projects`.
pub struct Projects;

impl Named for Projects {
    const ONE: &'static str = "project";
    const MANY: &'static str = "projects";
    type Item = Project;
    const VIEW: fn(&Cloud, &Project) -> Value = views::project;

    fn all(state: &CloudState) -> &[Project] {
        &state.identity.projects
    }

    /// Filters `name`, `domain_id`, `enabled`, `parent_id`.
    fn keeps(p: &Project, query: &Filters) -> bool {
        views::matches(query, &p.name, p.enabled, Some(&p.domain_id))
            && query
                .get("parent_id")
                .is_none_or(|id| id == p.parent_id.as_deref().unwrap_or(&p.domain_id))
            && query
                .get("is_domain")
                .is_none_or(|d| d.eq_ignore_ascii_case("false"))
    }

    fn create(cloud: &Cloud, object: &Object) -> Result<Project, CloudError> {
        let mut state = cloud.state();
        let domain_id = text(object, "domain_id")?.unwrap_or_else(|| DEFAULT_DOMAIN_ID.to_string());
        // A parent that is a domain is no parent project.
        let parent_id =
            text(object, "parent_id")?.filter(|id| state.identity.domain_or_404(id).is_err());
        state.create_project_in(Project {
            id: String::new(),
            name: name(object, 64)?,
            domain_id,
            parent_id,
            description: text(object, "description")?.unwrap_or_default(),
            enabled: flag(object, "enabled")?.unwrap_or(true),
            tags: tags(object)?.unwrap_or_default(),
            extra: views::extra(object, &KNOWN),
        })
    }

    fn find<'s>(state: &'s CloudState, id: &str) -> Result<&'s Project, CloudError> {
        state.identity.project_or_404(id)
    }

    /// Administrators, or a token scoped to that project.
    fn may_show(caller: Option<Caller>, id: &str) -> Result<(), CloudError> {
        authorize(caller, "get_project", |c| {
            c.project_id.as_deref() == Some(id)
        })
        .map(drop)
    }

    /// Name, description, enabled, tags.
    fn update(cloud: &Cloud, id: &str, object: &Object) -> Result<Project, CloudError> {
        let changes = IdentityChanges {
            name: object
                .contains_key("name")
                .then(|| name(object, 64))
                .transpose()?,
            description: object
                .contains_key("description")
                .then(|| text(object, "description"))
                .transpose()?,
            enabled: flag(object, "enabled")?,
            tags: tags(object)?,
            extra: views::extra(object, &KNOWN),
            ..IdentityChanges::default()
        };
        cloud.state().update_project(id, changes)
    }

    /// The project with everything it holds; the cloud's own admin project cannot go.
    fn delete(cloud: &Cloud, id: &str) -> Result<(), CloudError> {
        let mut state = cloud.state();
        let own = state
            .identity
            .project(id)
            .is_some_and(|p| p.name == cloud.config().admin_project);
        if own {
            return Err(CloudError::forbidden(
                "You are not authorized to perform the requested action: the cloud's admin project cannot be deleted.",
            ));
        }
        state.delete_project(id)
    }
}
