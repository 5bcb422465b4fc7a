//! Keystone's part of the state: projects, the users that may log in, and issued tokens.

use std::collections::HashMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{new_id, CloudState};
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
}

/// A user with a password; it holds the `admin`, `member` and `reader` roles on the projects
/// it is assigned to: every project, or only those listed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    /// Kept in state documents so that credentials keep working after a load.
    pub password: String,
    /// The ids of the projects the user has roles on; `None` for every project.
    pub projects: Option<Vec<String>>,
}

impl User {
    /// Whether the user has a role on the project (may scope a token to it).
    pub fn assigned_to(&self, project_id: &str) -> bool {
        self.projects
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| id == project_id))
    }
}

/// An issued token, scoped to one project or unscoped (`None`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Token {
    pub id: String,
    pub user_id: String,
    pub project_id: Option<String>,
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

impl DomainRef {
    fn matches(&self, domain_id: &str) -> bool {
        match self {
            DomainRef::Id(id) => id == domain_id,
            DomainRef::Name(name) => {
                domain_id == DEFAULT_DOMAIN_ID && name.eq_ignore_ascii_case(DEFAULT_DOMAIN_NAME)
            }
        }
    }
}

/// Keystone's identity tables, held inside [`CloudState`].
#[derive(Debug, Default)]
pub struct Identity {
    pub projects: Vec<Project>,
    pub users: Vec<User>,
    pub tokens: HashMap<String, Token>,
}

impl Identity {
    /// Finds a project by id or by name within a domain.
    pub fn find_project(&self, reference: &ProjectRef) -> Option<&Project> {
        self.projects.iter().find(|p| match reference {
            ProjectRef::Id(id) => &p.id == id,
            ProjectRef::Name { name, domain } => &p.name == name && domain.matches(&p.domain_id),
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
            UserRef::Name { name, domain } => &u.name == name && domain.matches(&u.domain_id),
        });
        match found {
            Some(u) if crate::openstack::secret_eq(&u.password, password) => Ok(u),
            _ => Err(CloudError::unauthorized()),
        }
    }
}

impl CloudState {
    /// Adds a project (name unique in the default domain) and returns it.
    pub fn create_project(&mut self, name: &str) -> Result<Project, CloudError> {
        if self
            .identity
            .projects
            .iter()
            .any(|p| p.name == name && p.domain_id == DEFAULT_DOMAIN_ID)
        {
            return Err(CloudError::conflict(format!(
                "Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : {name}."
            )));
        }
        let project = Project {
            id: uuid::Uuid::new_v4().simple().to_string(),
            name: name.to_string(),
            domain_id: DEFAULT_DOMAIN_ID.to_string(),
        };
        self.identity.projects.push(project.clone());
        Ok(project)
    }

    /// Removes a project with every resource it holds, its role assignments and the tokens
    /// scoped to it (a project that was made for one test and is done with).
    pub fn delete_project(&mut self, project_id: &str) -> Result<(), CloudError> {
        if self.identity.project(project_id).is_none() {
            return Err(CloudError::not_found(format!(
                "Could not find project: {project_id}."
            )));
        }
        self.reset_project(project_id);
        self.revoke_tokens(Some(project_id));
        self.identity.projects.retain(|p| p.id != project_id);
        for user in &mut self.identity.users {
            if let Some(projects) = &mut user.projects {
                projects.retain(|p| p != project_id);
            }
        }
        Ok(())
    }

    /// Adds a user (name unique in the default domain) with roles on the given projects, or on
    /// every project when `None`, and returns it.
    pub fn create_user(
        &mut self,
        name: &str,
        password: &str,
        projects: Option<Vec<String>>,
    ) -> Result<User, CloudError> {
        if self
            .identity
            .users
            .iter()
            .any(|u| u.name == name && u.domain_id == DEFAULT_DOMAIN_ID)
        {
            return Err(CloudError::conflict(format!(
                "Conflict occurred attempting to store user - Duplicate entry found with name {name} at domain ID {DEFAULT_DOMAIN_ID}."
            )));
        }
        let user = User {
            id: uuid::Uuid::new_v4().simple().to_string(),
            name: name.to_string(),
            domain_id: DEFAULT_DOMAIN_ID.to_string(),
            password: password.to_string(),
            projects,
        };
        self.identity.users.push(user.clone());
        Ok(user)
    }

    /// Issues a token for a user on a project (or unscoped), valid for `lifetime_ms` of cloud
    /// time.
    pub fn issue_token(
        &mut self,
        user_id: &str,
        project_id: Option<&str>,
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
            user_id: user_id.to_string(),
            project_id: project_id.map(str::to_string),
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
                    .is_none_or(|p| self.identity.project(p).is_some())
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
