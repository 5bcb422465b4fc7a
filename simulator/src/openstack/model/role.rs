//! Keystone roles and role assignments: which user or group holds which role on which
//! project or domain, or on the system. Roles imply others as devstack's bootstrap makes them
//! (`admin` implies `member`, which implies `reader`); a user holds the roles of its groups.

use serde::{Deserialize, Serialize};

use super::CloudState;
use crate::openstack::error::CloudError;

/// A global role (no domain-specific roles).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// What a role is assigned on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentTarget {
    Project(String),
    Domain(String),
    /// The whole system (`/v3/system/...`).
    System,
}

/// Who holds an assigned role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    User(String),
    Group(String),
}

/// One role of one user or group on one project, domain or the system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub role_id: String,
    pub actor: Actor,
    pub target: AssignmentTarget,
}

/// The roles every cloud starts with, as Keystone's bootstrap and devstack make them.
pub const SEEDED_ROLES: [&str; 4] = ["admin", "member", "reader", "service"];

/// The role a role implies (`admin` -> `member` -> `reader`), as `keystone-manage bootstrap`
/// makes them.
fn implied(name: &str) -> Option<&'static str> {
    match name {
        "admin" => Some("member"),
        "member" => Some("reader"),
        _ => None,
    }
}

/// The id of a seeded role (stable, so that tokens of a loaded state name the same ids).
pub fn seeded_role_id(name: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, name.as_bytes())
        .simple()
        .to_string()
}

/// The seeded roles.
pub fn seed_roles() -> Vec<Role> {
    SEEDED_ROLES
        .iter()
        .map(|name| Role {
            id: seeded_role_id(name),
            name: name.to_string(),
            description: None,
        })
        .collect()
}

/// The names with the roles they imply added after them.
fn with_implied_names(mut names: Vec<String>) -> Vec<String> {
    let mut index = 0;
    while index < names.len() {
        if let Some(next) = implied(&names[index]) {
            if !names.iter().any(|n| n == next) {
                names.push(next.to_string());
            }
        }
        index += 1;
    }
    names
}

fn role_not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Could not find role: {id}."))
}

impl CloudState {
    /// The role with this id, or Keystone's 404.
    pub fn role(&self, id: &str) -> Result<&Role, CloudError> {
        self.identity
            .roles
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| role_not_found(id))
    }

    /// Adds a role (name unique).
    pub fn create_role(
        &mut self,
        name: &str,
        description: Option<String>,
    ) -> Result<Role, CloudError> {
        if self.identity.roles.iter().any(|r| r.name == name) {
            return Err(CloudError::conflict(format!(
                "Conflict occurred attempting to store role - Duplicate entry found with name {name}."
            )));
        }
        let role = Role {
            id: uuid::Uuid::new_v4().simple().to_string(),
            name: name.to_string(),
            description,
        };
        self.identity.roles.push(role.clone());
        Ok(role)
    }

    /// Renames a role or changes its description.
    pub fn update_role(
        &mut self,
        id: &str,
        name: Option<String>,
        description: Option<Option<String>>,
    ) -> Result<Role, CloudError> {
        self.role(id)?;
        if let Some(name) = &name {
            if self
                .identity
                .roles
                .iter()
                .any(|r| &r.name == name && r.id != id)
            {
                return Err(CloudError::conflict(format!(
                    "Conflict occurred attempting to store role - Duplicate entry found with name {name}."
                )));
            }
        }
        let role = self
            .identity
            .roles
            .iter_mut()
            .find(|r| r.id == id)
            .expect("checked above");
        if let Some(name) = name {
            role.name = name;
        }
        if let Some(description) = description {
            role.description = description;
        }
        Ok(role.clone())
    }

    /// Removes a role and every assignment of it.
    pub fn delete_role(&mut self, id: &str) -> Result<(), CloudError> {
        self.role(id)?;
        self.identity.roles.retain(|r| r.id != id);
        self.identity.assignments.retain(|a| a.role_id != id);
        Ok(())
    }

    /// Assigns a role (idempotent, as Keystone's PUT is).
    pub fn grant_role(&mut self, assignment: RoleAssignment) -> Result<(), CloudError> {
        self.check_assignment_parts(&assignment)?;
        if !self.identity.assignments.contains(&assignment) {
            self.identity.assignments.push(assignment);
        }
        Ok(())
    }

    /// Removes an assignment; 404 when there is none.
    pub fn revoke_role(&mut self, assignment: &RoleAssignment) -> Result<(), CloudError> {
        self.check_assignment_parts(assignment)?;
        if !self.identity.assignments.contains(assignment) {
            return Err(self.no_grant(assignment));
        }
        self.identity.assignments.retain(|a| a != assignment);
        Ok(())
    }

    /// `Ok` when the assignment exists, Keystone's 404 otherwise.
    pub fn check_grant(&self, assignment: &RoleAssignment) -> Result<(), CloudError> {
        self.check_assignment_parts(assignment)?;
        if self.identity.assignments.contains(assignment) {
            Ok(())
        } else {
            Err(self.no_grant(assignment))
        }
    }

    fn no_grant(&self, assignment: &RoleAssignment) -> CloudError {
        let target = match &assignment.target {
            AssignmentTarget::Project(id) | AssignmentTarget::Domain(id) => id.as_str(),
            AssignmentTarget::System => "system",
        };
        let (Actor::User(actor) | Actor::Group(actor)) = &assignment.actor;
        CloudError::not_found(format!(
            "Could not find role assignment with role: {}, user or group: {actor}, project, domain, or system: {target}, inherited: False.",
            assignment.role_id
        ))
    }

    fn check_assignment_parts(&self, assignment: &RoleAssignment) -> Result<(), CloudError> {
        self.role(&assignment.role_id)?;
        match &assignment.actor {
            Actor::User(id) => self.identity.user_or_404(id).map(|_| ())?,
            Actor::Group(id) => self.identity.group_or_404(id).map(|_| ())?,
        }
        match &assignment.target {
            AssignmentTarget::Project(id) => self.identity.project_or_404(id).map(|_| ()),
            AssignmentTarget::Domain(id) => self.identity.domain_or_404(id).map(|_| ()),
            AssignmentTarget::System => Ok(()),
        }
    }

    /// The assignments a user holds itself or through its groups.
    pub fn user_assignments<'a>(
        &'a self,
        user_id: &'a str,
    ) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        self.identity
            .assignments
            .iter()
            .filter(move |a| match &a.actor {
                Actor::User(id) => id == user_id,
                Actor::Group(id) => self.identity.in_group(id, user_id),
            })
    }

    /// The names of the roles a user holds on a project, implied ones included; every seeded
    /// role but `service` for a user with roles on every project.
    pub fn project_roles(&self, user_id: &str, project_id: &str) -> Vec<String> {
        let Some(user) = self.identity.user(user_id) else {
            return Vec::new();
        };
        let target = AssignmentTarget::Project(project_id.to_string());
        let names = if user.every_project {
            vec!["admin".to_string()]
        } else {
            self.role_names_on(user_id, &target)
        };
        with_implied_names(names)
    }

    /// The names of the roles a user holds on the system, implied ones included (every seeded
    /// role but `service` for a user with roles everywhere).
    pub fn system_roles(&self, user_id: &str) -> Vec<String> {
        let every = self.identity.user(user_id).is_some_and(|u| u.every_project);
        let names = if every {
            vec!["admin".to_string()]
        } else {
            self.role_names_on(user_id, &AssignmentTarget::System)
        };
        with_implied_names(names)
    }

    fn role_names_on(&self, user_id: &str, target: &AssignmentTarget) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for assignment in self
            .user_assignments(user_id)
            .filter(|a| &a.target == target)
        {
            if let Ok(role) = self.role(&assignment.role_id) {
                if !names.contains(&role.name) {
                    names.push(role.name.clone());
                }
            }
        }
        names
    }
    /// The roles a role implies, itself first, as role ids (for effective assignment lists).
    pub fn with_implied(&self, role_id: &str) -> Vec<String> {
        let mut ids = vec![role_id.to_string()];
        let mut name = self.role(role_id).ok().map(|r| r.name.clone());
        while let Some(next) = name.as_deref().and_then(implied) {
            match self.identity.roles.iter().find(|r| r.name == next) {
                Some(role) => {
                    ids.push(role.id.clone());
                    name = Some(role.name.clone());
                }
                None => break,
            }
        }
        ids
    }
}
