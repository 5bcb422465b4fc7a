//! Keystone's part of the state: projects, the users that may log in, and issued tokens.

use std::{collections::HashMap, sync::Arc};

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{
    default_domain,
    field_change::set_if_given,
    keystone_record::{name_taken, new_keystone_id, record_mut, KeystoneRecord, RecordKey},
    new_id, seed_inferences, seed_roles, Actor, AssignmentTarget, CloudState, Domain, Group, Role,
    RoleAssignment, RoleInference,
};
use crate::openstack::error::CloudError;

/// The id of the only domain, as Keystone names its default domain.
pub const DEFAULT_DOMAIN_ID: &str = "default";
/// The display name of the default domain.
pub const DEFAULT_DOMAIN_NAME: &str = "Default";

/// A Keystone project (tenant). Every resource belongs to one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    /// The parent project; `None` when the domain is the parent.
    pub parent_id: Option<String>,
    pub description: String,
    pub enabled: bool,
    pub tags: Vec<String>,
    /// Attributes Keystone keeps without knowing them (its `extra`), shown as given.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A user with a password. Its roles are role assignments, except for a user made with roles
/// on every project (the cloud's admin user, and control API users made without projects),
/// who may scope a token to any project and holds `admin` there.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    /// Kept in state documents so that credentials keep working after a load.
    pub password: String,
    pub enabled: bool,
    pub description: Option<String>,
    pub email: Option<String>,
    pub default_project_id: Option<String>,
    /// Holds `admin` on every project, without assignments.
    pub every_project: bool,
    /// Attributes Keystone keeps without knowing them (its `extra`), shown as given.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl KeystoneRecord for User {
    fn key(&self) -> RecordKey<'_> {
        RecordKey::new(&self.id, &self.name, Some(self.domain_id.as_str()))
    }
}

/// What a new user is made with.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    pub name: String,
    pub domain_id: Option<String>,
    pub password: String,
    pub enabled: bool,
    pub description: Option<String>,
    pub email: Option<String>,
    pub default_project_id: Option<String>,
    pub every_project: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// What a project or user update may change; `None` leaves a field as it is (`Some(None)`
/// clears an optional one).
#[derive(Clone, Debug, Default)]
pub struct IdentityChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub password: Option<String>,
    pub email: Option<Option<String>>,
    pub default_project_id: Option<Option<String>>,
    /// Unknown attributes to add or replace (`null` removes one).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// An issued token, scoped to one project or unscoped (`None`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Token {
    pub id: String,
    /// Shared with the [`Scope`](crate::openstack::gateway::Scope) of each request the token
    /// makes (no copy per request).
    pub user_id: Arc<str>,
    pub project_id: Option<Arc<str>>,
    /// Scoped to the whole system (`"scope": {"system": {"all": true}}`).
    pub system: bool,
    pub methods: Vec<String>,
    pub audit_id: String,
    pub issued_ms: u64,
    pub expires_ms: u64,
}

/// How a password-auth request names its user.
#[derive(Clone, Debug)]
pub enum UserRef {
    Id(String),
    Name { name: String, domain: DomainRef },
}

/// How a request names a domain.
#[derive(Clone, Debug)]
pub enum DomainRef {
    Id(String),
    Name(String),
}

/// How a scope names its project.
#[derive(Clone, Debug)]
pub enum ProjectRef {
    Id(String),
    Name { name: String, domain: DomainRef },
}

impl KeystoneRecord for Project {
    fn key(&self) -> RecordKey<'_> {
        RecordKey::new(&self.id, &self.name, Some(self.domain_id.as_str()))
    }
}

/// Keystone's identity tables, held inside [`CloudState`].
#[derive(Debug)]
pub struct Identity {
    pub domains: Vec<Domain>,
    pub projects: Vec<Project>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub inferences: Vec<RoleInference>,
    pub assignments: Vec<RoleAssignment>,
    pub tokens: HashMap<String, Token>,
}

impl Default for Identity {
    /// The default domain and the seeded roles, nothing else.
    fn default() -> Self {
        Self {
            domains: vec![default_domain()],
            projects: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            roles: seed_roles(),
            inferences: seed_inferences(),
            assignments: Vec::new(),
            tokens: HashMap::new(),
        }
    }
}

impl Identity {
    /// Whether a reference names the domain `domain_id` (by id, or by name, the default
    /// domain's case-insensitively as Keystone's SQL backend compares it).
    fn domain_matches(&self, reference: &DomainRef, domain_id: &str) -> bool {
        match reference {
            DomainRef::Id(id) => id == domain_id,
            DomainRef::Name(name) => self.domains.iter().any(|d| {
                d.id == domain_id
                    && (d.name == *name
                        || (d.id == DEFAULT_DOMAIN_ID && name.eq_ignore_ascii_case(&d.name)))
            }),
        }
    }

    /// The domain with this id, or Keystone's 404.
    pub fn domain_or_404(&self, id: &str) -> Result<&Domain, CloudError> {
        self.domains
            .iter()
            .find(|d| d.id == id)
            .ok_or_else(|| CloudError::not_found(format!("Could not find domain: {id}.")))
    }

    /// The project with this id, or Keystone's 404.
    pub fn project_or_404(&self, id: &str) -> Result<&Project, CloudError> {
        self.project(id)
            .ok_or_else(|| CloudError::not_found(format!("Could not find project: {id}.")))
    }

    /// The user with this id, or Keystone's 404.
    pub fn user_or_404(&self, id: &str) -> Result<&User, CloudError> {
        self.user(id)
            .ok_or_else(|| CloudError::not_found(format!("Could not find user: {id}.")))
    }

    /// Whether the user may scope a token to the project (holds a role on it, itself or
    /// through a group).
    pub fn assigned_to(&self, user: &User, project_id: &str) -> bool {
        let target = AssignmentTarget::Project(project_id.to_string());
        user.every_project
            || self.assignments.iter().any(|a| {
                a.target == target
                    && match &a.actor {
                        Actor::User(id) => id == &user.id,
                        Actor::Group(id) => self.in_group(id, &user.id),
                    }
            })
    }

    /// Finds a project by id or by name within a domain.
    pub fn find_project(&self, reference: &ProjectRef) -> Option<&Project> {
        self.projects.iter().find(|p| match reference {
            ProjectRef::Id(id) => &p.id == id,
            ProjectRef::Name { name, domain } => {
                &p.name == name && self.domain_matches(domain, &p.domain_id)
            }
        })
    }

    /// The project with this id.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Checks a password and returns the user.
    pub fn check_password(&self, user: &UserRef, password: &str) -> Result<&User, CloudError> {
        let found = self.users.iter().find(|u| match user {
            UserRef::Id(id) => &u.id == id,
            UserRef::Name { name, domain } => {
                &u.name == name && self.domain_matches(domain, &u.domain_id)
            }
        });
        match found {
            Some(u) if u.enabled && crate::openstack::secret_eq(&u.password, password) => Ok(u),
            _ => Err(CloudError::unauthorized()),
        }
    }
}

/// Adds or replaces extra attributes; a `null` removes one.
fn merge_extra(
    extra: &mut serde_json::Map<String, serde_json::Value>,
    changes: serde_json::Map<String, serde_json::Value>,
) {
    for (key, value) in changes {
        if value.is_null() {
            extra.remove(&key);
        } else {
            extra.insert(key, value);
        }
    }
}

fn duplicate_project(name: &str) -> CloudError {
    CloudError::conflict(format!(
        "Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : {name}."
    ))
}

fn duplicate_user(name: &str, domain_id: &str) -> CloudError {
    CloudError::conflict(format!(
        "Conflict occurred attempting to store user - Duplicate entry found with name {name} at domain ID {domain_id}."
    ))
}

impl CloudState {
    /// Adds an enabled project to the default domain and returns it.
    pub fn create_project(&mut self, name: &str) -> Result<Project, CloudError> {
        self.create_project_in(Project {
            id: String::new(),
            name: name.to_string(),
            domain_id: DEFAULT_DOMAIN_ID.to_string(),
            parent_id: None,
            description: String::new(),
            enabled: true,
            tags: Vec::new(),
            extra: serde_json::Map::new(),
        })
    }

    /// Adds a project (name unique in its domain; a parent project sets the domain) under a
    /// new id and returns it.
    pub fn create_project_in(&mut self, mut project: Project) -> Result<Project, CloudError> {
        if let Some(parent) = &project.parent_id {
            project.domain_id = self.identity.project_or_404(parent)?.domain_id.clone();
        }
        self.identity.domain_or_404(&project.domain_id)?;
        let domain_id = Some(project.domain_id.as_str());
        if name_taken(&self.identity.projects, &project.name, domain_id, None) {
            return Err(duplicate_project(&project.name));
        }
        project.id = new_keystone_id();
        self.identity.projects.push(project.clone());
        Ok(project)
    }

    /// Changes a project's name, description, enabled flag or tags.
    pub fn update_project(
        &mut self,
        id: &str,
        changes: IdentityChanges,
    ) -> Result<Project, CloudError> {
        let domain_id = self.identity.project_or_404(id)?.domain_id.clone();
        if let Some(name) = &changes.name {
            if name_taken(&self.identity.projects, name, Some(&domain_id), Some(id)) {
                return Err(duplicate_project(name));
            }
        }
        let project = record_mut(&mut self.identity.projects, id);
        set_if_given(&mut project.name, changes.name);
        if let Some(description) = changes.description {
            project.description = description.unwrap_or_default();
        }
        set_if_given(&mut project.enabled, changes.enabled);
        set_if_given(&mut project.tags, changes.tags);
        merge_extra(&mut project.extra, changes.extra);
        Ok(project.clone())
    }

    /// Removes a project with every resource it holds, its role assignments and the tokens
    /// scoped to it.
    pub fn delete_project(&mut self, project_id: &str) -> Result<(), CloudError> {
        self.identity.project_or_404(project_id)?;
        let parent = |p: &Project| p.parent_id.as_deref() == Some(project_id);
        if self.identity.projects.iter().any(parent) {
            return Err(CloudError::forbidden(format!(
                "Cannot delete the project {project_id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree."
            )));
        }
        self.reset_project(project_id);
        self.forget_project_flavor_access(project_id);
        self.revoke_tokens(Some(project_id));
        self.identity.projects.retain(|p| p.id != project_id);
        let target = AssignmentTarget::Project(project_id.to_string());
        self.identity.assignments.retain(|a| a.target != target);
        Ok(())
    }

    /// Adds a user (name unique in its domain) and returns it.
    pub fn create_user(&mut self, new: NewUser) -> Result<User, CloudError> {
        let domain_id = new
            .domain_id
            .unwrap_or_else(|| DEFAULT_DOMAIN_ID.to_string());
        self.identity.domain_or_404(&domain_id)?;
        if name_taken(&self.identity.users, &new.name, Some(&domain_id), None) {
            return Err(duplicate_user(&new.name, &domain_id));
        }
        let user = User {
            id: new_keystone_id(),
            name: new.name,
            domain_id,
            password: new.password,
            enabled: new.enabled,
            description: new.description,
            email: new.email,
            default_project_id: new.default_project_id,
            every_project: new.every_project,
            extra: new.extra,
        };
        self.identity.users.push(user.clone());
        Ok(user)
    }

    /// Changes a user's name, password, enabled flag or other attributes; a disabled user or
    /// a new password ends the user's tokens, as Keystone revokes them.
    pub fn update_user(&mut self, id: &str, changes: IdentityChanges) -> Result<User, CloudError> {
        let domain_id = self.identity.user_or_404(id)?.domain_id.clone();
        if let Some(name) = &changes.name {
            if name_taken(&self.identity.users, name, Some(&domain_id), Some(id)) {
                return Err(duplicate_user(name, &domain_id));
            }
        }
        let revoke = changes.enabled == Some(false) || changes.password.is_some();
        let user = record_mut(&mut self.identity.users, id);
        set_if_given(&mut user.name, changes.name);
        set_if_given(&mut user.description, changes.description);
        set_if_given(&mut user.enabled, changes.enabled);
        set_if_given(&mut user.password, changes.password);
        set_if_given(&mut user.email, changes.email);
        set_if_given(&mut user.default_project_id, changes.default_project_id);
        merge_extra(&mut user.extra, changes.extra);
        let user = user.clone();
        if revoke {
            self.identity.tokens.retain(|_, t| &*t.user_id != id);
        }
        Ok(user)
    }

    /// Removes a user with its role assignments, key pairs and tokens.
    pub fn delete_user(&mut self, id: &str) -> Result<(), CloudError> {
        self.identity.user_or_404(id)?;
        self.identity.users.retain(|u| u.id != id);
        let actor = Actor::User(id.to_string());
        self.identity.assignments.retain(|a| a.actor != actor);
        self.forget_group_member(id);
        self.identity.tokens.retain(|_, t| &*t.user_id != id);
        self.forget_user_keypairs(id);
        Ok(())
    }

    /// Issues a token for a user on a project, the system, or unscoped, valid for
    /// `lifetime_ms` of cloud time.
    pub fn issue_token(
        &mut self,
        user_id: &str,
        project_id: Option<&str>,
        system: bool,
        methods: Vec<String>,
        now_ms: u64,
        lifetime_ms: u64,
    ) -> Token {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let id = format!(
            "gAAAAA{}",
            engine.encode([new_id().as_bytes(), new_id().as_bytes()].concat())
        );
        let audit_id = engine.encode(&uuid::Uuid::new_v4().as_bytes()[..16])[..22].to_string();
        let token = Token {
            id: id.clone(),
            user_id: user_id.into(),
            project_id: project_id.map(Arc::from),
            system,
            methods,
            audit_id,
            issued_ms: now_ms,
            expires_ms: now_ms + lifetime_ms,
        };
        self.identity.tokens.insert(id, token.clone());
        token
    }

    /// The token if it exists and has not expired.
    pub fn valid_token(&self, id: &str, now_ms: u64) -> Option<&Token> {
        self.identity.tokens.get(id).filter(|t| {
            t.expires_ms > now_ms
                && t.project_id
                    .as_deref()
                    .is_none_or(|p| self.identity.project(p).is_some_and(|p| p.enabled))
        })
    }

    /// Revokes every token, or those scoped to one project (a test can make clients
    /// re-authenticate).
    pub fn revoke_tokens(&mut self, project_id: Option<&str>) {
        match project_id {
            Some(project) => self
                .identity
                .tokens
                .retain(|_, t| t.project_id.as_deref() != Some(project)),
            None => self.identity.tokens.clear(),
        }
    }
}
