//! Keystone roles (global, or specific to a domain), the roles they imply (seeded as
//! `keystone-manage bootstrap` makes them: `admin` implies `member`, which implies `reader`)
//! and role assignments: which user or group holds which role on which project or domain, or
//! on the system; a user holds the roles of its groups.

use serde::{Deserialize, Serialize};

use super::{
    field_change::set_if_given,
    keystone_record::{name_taken, new_keystone_id, record_mut, KeystoneRecord, RecordKey},
    CloudState,
};
use crate::openstack::error::CloudError;

/// A role: global, or specific to a domain.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    /// The domain of a domain-specific role; `None` for a global role.
    pub domain_id: Option<String>,
    pub description: Option<String>,
}

/// A role that implies another (`prior` -> `implied`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleInference {
    pub prior_role_id: String,
    pub implied_role_id: String,
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
            domain_id: None,
            description: None,
        })
        .collect()
}

/// The inferences every cloud starts with: `admin` implies `member`, `member` implies
/// `reader`.
pub fn seed_inferences() -> Vec<RoleInference> {
    [("admin", "member"), ("member", "reader")]
        .iter()
        .map(|(prior, implied)| RoleInference {
            prior_role_id: seeded_role_id(prior),
            implied_role_id: seeded_role_id(implied),
        })
        .collect()
}

impl KeystoneRecord for Role {
    fn key(&self) -> RecordKey<'_> {
        RecordKey::new(&self.id, &self.name, self.domain_id.as_deref())
    }
}

fn role_not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("Could not find role: {id}."))
}

fn duplicate(name: &str) -> CloudError {
    CloudError::conflict(format!(
        "Conflict occurred attempting to store role - Duplicate entry found with name {name}."
    ))
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

    /// Adds a role (name unique among the global roles, or in its domain).
    pub fn create_role(
        &mut self,
        name: &str,
        domain_id: Option<String>,
        description: Option<String>,
    ) -> Result<Role, CloudError> {
        if let Some(domain) = &domain_id {
            self.identity.domain_or_404(domain)?;
        }
        if name_taken(&self.identity.roles, name, domain_id.as_deref(), None) {
            return Err(duplicate(name));
        }
        let role = Role {
            id: new_keystone_id(),
            name: name.to_string(),
            domain_id,
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
        let domain_id = self.role(id)?.domain_id.clone();
        if let Some(name) = &name {
            if name_taken(&self.identity.roles, name, domain_id.as_deref(), Some(id)) {
                return Err(duplicate(name));
            }
        }
        let role = record_mut(&mut self.identity.roles, id);
        set_if_given(&mut role.name, name);
        set_if_given(&mut role.description, description);
        Ok(role.clone())
    }

    /// Removes a role with its assignments and inferences.
    pub fn delete_role(&mut self, id: &str) -> Result<(), CloudError> {
        self.role(id)?;
        self.identity.roles.retain(|r| r.id != id);
        self.identity.assignments.retain(|a| a.role_id != id);
        self.identity
            .inferences
            .retain(|i| i.prior_role_id != id && i.implied_role_id != id);
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

    /// The names of the roles a user holds on a project, implied ones included; `admin` and
    /// what it implies for a user with roles on every project.
    pub fn project_roles(&self, user_id: &str, project_id: &str) -> Vec<String> {
        let Some(user) = self.identity.user(user_id) else {
            return Vec::new();
        };
        let ids = if user.every_project {
            vec![seeded_role_id("admin")]
        } else {
            self.role_ids_on(user_id, &AssignmentTarget::Project(project_id.to_string()))
        };
        self.names_with_implied(ids)
    }

    /// Whether a user holds the global `admin` role on a project (the gateway's check on every
    /// request, so it allocates nothing). `admin` cannot be implied (Keystone's
    /// `prohibited_implied_role`), so only a direct or group assignment grants it.
    pub fn holds_admin_on(&self, user_id: &str, project_id: &str) -> bool {
        let Some(user) = self.identity.user(user_id) else {
            return false;
        };
        user.every_project
            || self.user_assignments(user_id).any(|a| {
                matches!(&a.target, AssignmentTarget::Project(id) if id == project_id)
                    && self
                        .identity
                        .roles
                        .iter()
                        .any(|r| r.id == a.role_id && r.domain_id.is_none() && r.name == "admin")
            })
    }

    /// The names of the roles a user holds on the system, implied ones included (`admin` and
    /// what it implies for a user with roles everywhere).
    pub fn system_roles(&self, user_id: &str) -> Vec<String> {
        let every = self.identity.user(user_id).is_some_and(|u| u.every_project);
        let ids = if every {
            vec![seeded_role_id("admin")]
        } else {
            self.role_ids_on(user_id, &AssignmentTarget::System)
        };
        self.names_with_implied(ids)
    }

    fn role_ids_on(&self, user_id: &str, target: &AssignmentTarget) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for assignment in self
            .user_assignments(user_id)
            .filter(|a| &a.target == target)
        {
            if !ids.contains(&assignment.role_id) {
                ids.push(assignment.role_id.clone());
            }
        }
        ids
    }

    /// The names of the global roles among these and those they imply (each once).
    fn names_with_implied(&self, ids: Vec<String>) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for id in ids {
            for implied in self.with_implied(&id) {
                if !all.contains(&implied) {
                    all.push(implied);
                }
            }
        }
        // Domain-specific roles only lend the roles they imply: tokens never carry them.
        all.iter()
            .filter_map(|id| self.role(id).ok())
            .filter(|r| r.domain_id.is_none())
            .map(|r| r.name.clone())
            .collect()
    }

    /// The role and every role it implies, directly or not, as role ids (itself first).
    pub fn with_implied(&self, role_id: &str) -> Vec<String> {
        let mut ids = vec![role_id.to_string()];
        let mut index = 0;
        while index < ids.len() {
            let prior = ids[index].clone();
            for inference in self
                .identity
                .inferences
                .iter()
                .filter(|i| i.prior_role_id == prior)
            {
                if !ids.contains(&inference.implied_role_id) {
                    ids.push(inference.implied_role_id.clone());
                }
            }
            index += 1;
        }
        ids
    }

    /// Makes `prior` imply `implied` (idempotent). A global role cannot imply a
    /// domain-specific one, and `admin` cannot be implied (Keystone's
    /// `prohibited_implied_role`); no loops.
    pub fn add_inference(
        &mut self,
        prior: &str,
        implied: &str,
    ) -> Result<RoleInference, CloudError> {
        let prior_role = self.role(prior)?.clone();
        let implied_role = self.role(implied)?.clone();
        if prior_role.domain_id.is_none() && implied_role.domain_id.is_some() {
            return Err(CloudError::forbidden(format!(
                "A global role {prior} cannot imply the domain-specific role {implied}."
            )));
        }
        if implied_role.name == "admin" {
            return Err(CloudError::forbidden(
                "admin is not permitted to be an implied role.",
            ));
        }
        if self.with_implied(implied).iter().any(|id| id == prior) {
            return Err(CloudError::forbidden(format!(
                "Implying role {implied} from {prior} would make a loop."
            )));
        }
        let inference = RoleInference {
            prior_role_id: prior.to_string(),
            implied_role_id: implied.to_string(),
        };
        if !self.identity.inferences.contains(&inference) {
            self.identity.inferences.push(inference.clone());
        }
        Ok(inference)
    }

    /// The inference `prior` -> `implied`, or Keystone's 404.
    pub fn inference(&self, prior: &str, implied: &str) -> Result<RoleInference, CloudError> {
        self.role(prior)?;
        self.role(implied)?;
        let inference = RoleInference {
            prior_role_id: prior.to_string(),
            implied_role_id: implied.to_string(),
        };
        if self.identity.inferences.contains(&inference) {
            Ok(inference)
        } else {
            Err(CloudError::not_found(format!(
                "{prior} does not imply {implied}."
            )))
        }
    }

    /// Removes the inference `prior` -> `implied`.
    pub fn delete_inference(&mut self, prior: &str, implied: &str) -> Result<(), CloudError> {
        let inference = self.inference(prior, implied)?;
        self.identity.inferences.retain(|i| *i != inference);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openstack::model::NewUser;

    fn user(state: &mut CloudState, name: &str, every_project: bool) -> String {
        let new = NewUser {
            name: name.into(),
            password: "pw".into(),
            enabled: true,
            every_project,
            ..NewUser::default()
        };
        state.create_user(new).unwrap().id
    }

    fn grant(state: &mut CloudState, role_id: &str, actor: Actor, project_id: &str) {
        let assignment = RoleAssignment {
            role_id: role_id.to_string(),
            actor,
            target: AssignmentTarget::Project(project_id.to_string()),
        };
        state.grant_role(assignment).unwrap();
    }

    /// The gateway's admin check says what the token's role list says, for each way a user
    /// can hold or miss `admin` on a project.
    #[test]
    fn the_admin_check_agrees_with_the_project_roles() {
        let mut state = CloudState::default();
        let project = state.create_project("p").unwrap().id;
        let other = state.create_project("q").unwrap().id;
        let domain = state.create_domain("d", String::new(), true).unwrap().id;
        let local_admin = state.create_role("admin", Some(domain), None).unwrap().id;
        let operator = state.create_role("operator", None, None).unwrap().id;
        state
            .add_inference(&operator, &seeded_role_id("member"))
            .unwrap();

        let everywhere = user(&mut state, "everywhere", true);
        let direct = user(&mut state, "direct", false);
        let grouped = user(&mut state, "grouped", false);
        let elsewhere = user(&mut state, "elsewhere", false);
        let member = user(&mut state, "member", false);
        let group = state
            .create_group("g", "default", String::new())
            .unwrap()
            .id;
        state.add_to_group(&group, &grouped).unwrap();
        let admin = seeded_role_id("admin");
        for (role, actor, target) in [
            (&admin, Actor::User(direct.clone()), &project),
            (&admin, Actor::Group(group), &project),
            (&admin, Actor::User(elsewhere.clone()), &other),
            (&operator, Actor::User(member.clone()), &project),
            (&local_admin, Actor::User(member.clone()), &project),
        ] {
            grant(&mut state, role, actor, target);
        }

        for (user_id, expected) in [
            (everywhere.as_str(), true),
            (direct.as_str(), true),
            (grouped.as_str(), true),
            (elsewhere.as_str(), false),
            (member.as_str(), false),
            ("no-such-user", false),
        ] {
            let listed = state
                .project_roles(user_id, &project)
                .contains(&"admin".into());
            assert_eq!(listed, expected, "{user_id}'s roles");
            assert_eq!(
                state.holds_admin_on(user_id, &project),
                expected,
                "{user_id}"
            );
        }
    }
}
