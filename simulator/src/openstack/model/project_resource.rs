//! Finding a Nova or Cinder resource of a project by id, with the service's own 404 for an id
//! the project does not have (another project's resource is not found either).

use std::ops::Deref;

use crate::openstack::error::CloudError;

/// A resource that belongs to one project and has its service's 404.
pub(super) trait ProjectResource {
    /// The project it belongs to.
    fn project_id(&self) -> &str;
    /// The service's 404 for `id`.
    fn not_found(id: &str) -> CloudError;
}

/// `found` (the resource `id` looked up, to read or to change) when it belongs to
/// `project_id`, else the service's 404.
pub(super) fn of_project<R: ProjectResource, T: Deref<Target = R>>(
    found: Option<T>,
    project_id: &str,
    id: &str,
) -> Result<T, CloudError> {
    found
        .filter(|r| r.project_id() == project_id)
        .ok_or_else(|| R::not_found(id))
}
