//! The typed client of the fake cloud's `/_sim` control API.

use serde_json::{json, Value};

use super::{
    control_endpoint::{ControlApi, ControlClient},
    CallError,
};

use crate::openstack::{
    calls::CallRecord,
    faults::FaultRule,
    model::{Inventory, QuotaSet},
    service::Service,
};

/// The fake cloud's control API, `/_sim`.
#[derive(Clone, Debug)]
pub struct SimApi;

impl ControlApi for SimApi {
    const PREFIX: &'static str = "/_sim";
}

/// Client of one cloud's control API (`new` takes the cloud's scheme, host and port).
pub type SimControl = ControlClient<SimApi>;

impl SimControl {
    pub(super) async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, CallError> {
        self.endpoint.call(method, path, body.as_ref()).await
    }

    /// Every resource of every project.
    pub async fn state(&self) -> Result<Value, CallError> {
        self.call(reqwest::Method::GET, "/state", None).await
    }

    /// Every resource of every project in brief (`GET /_sim/inventory`).
    pub async fn inventory(&self) -> Result<Inventory, CallError> {
        self.inventory_created_since(0).await
    }

    /// The resources created at or after the cloud time `ms`, in brief.
    pub async fn inventory_created_since(&self, ms: u64) -> Result<Inventory, CallError> {
        let path = format!("/inventory?created_since={ms}");
        self.endpoint
            .call_as(reqwest::Method::GET, &path, None)
            .await
    }

    /// The whole stack's state document (`GET /_sim/state/export`): cloud resources, fault
    /// rules and clock, and the VNFM's records.
    pub async fn export_state(&self) -> Result<Value, CallError> {
        self.call(reqwest::Method::GET, "/state/export", None).await
    }

    /// Replaces the whole stack's state with a document made by [`Self::export_state`]
    /// (`POST /_sim/state/load`); returns the ids of the operations that were in progress in
    /// it, now stopped as after a VNFM restart. A refused document (400, 409) changes nothing.
    pub async fn load_state(&self, document: &Value) -> Result<Vec<String>, CallError> {
        let loaded = self
            .call(reqwest::Method::POST, "/state/load", Some(document.clone()))
            .await?;
        serde_json::from_value(loaded["interrupted_operations"].clone())
            .map_err(|e| CallError::new(format!("no interrupted_operations in {loaded}: {e}")))
    }

    /// Wipes everything (`None`) or one project's resources.
    pub async fn reset(&self, project_id: Option<&str>) -> Result<(), CallError> {
        let body = match project_id {
            Some(id) => json!({"project_id": id}),
            None => json!({}),
        };
        self.call(reqwest::Method::POST, "/reset", Some(body))
            .await
            .map(|_| ())
    }

    /// Creates a project the admin user can log in to; returns its id.
    pub async fn create_project(&self, name: &str) -> Result<String, CallError> {
        self.endpoint
            .create("/projects", &json!({"name": name}))
            .await
    }

    /// Removes a project made with [`Self::create_project`], with everything it holds.
    pub async fn delete_project(&self, project_id: &str) -> Result<(), CallError> {
        let path = format!("/projects/{project_id}");
        self.call(reqwest::Method::DELETE, &path, None)
            .await
            .map(|_| ())
    }

    /// Creates a user who may log in to the named projects (every project when `None`);
    /// returns its id.
    pub async fn create_user(
        &self,
        name: &str,
        password: &str,
        projects: Option<&[&str]>,
    ) -> Result<String, CallError> {
        let mut body = json!({"name": name, "password": password});
        if let Some(projects) = projects {
            body["projects"] = json!(projects);
        }
        self.endpoint.create("/users", &body).await
    }

    /// Sets some quotas of a project (`{"snapshots": 2}`); returns the full set.
    pub async fn set_quotas(&self, project_id: &str, quotas: Value) -> Result<QuotaSet, CallError> {
        let set = self
            .call(
                reqwest::Method::PUT,
                &format!("/quotas/{project_id}"),
                Some(quotas),
            )
            .await?;
        serde_json::from_value(set).map_err(|e| CallError::new(e.to_string()))
    }

    /// Registers a fault rule; returns its id.
    pub async fn add_fault(&self, rule: &FaultRule) -> Result<String, CallError> {
        let body = serde_json::to_value(rule).map_err(|e| CallError::new(e.to_string()))?;
        self.endpoint.create("/faults", &body).await
    }

    /// Removes one fault rule.
    pub async fn remove_fault(&self, id: &str) -> Result<(), CallError> {
        self.call(reqwest::Method::DELETE, &format!("/faults/{id}"), None)
            .await
            .map(|_| ())
    }

    /// Removes one fault rule unless it is gone already (a `times` rule that was used up).
    pub async fn remove_fault_if_present(&self, id: &str) -> Result<(), CallError> {
        match self.remove_fault(id).await {
            Err(error) if error.status == Some(404) => Ok(()),
            other => other,
        }
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) -> Result<(), CallError> {
        self.call(reqwest::Method::DELETE, "/faults", None)
            .await
            .map(|_| ())
    }

    /// Moves cloud time forward.
    pub async fn advance_clock(&self, seconds: f64) -> Result<(), CallError> {
        self.call(
            reqwest::Method::POST,
            "/clock/advance",
            Some(json!({"seconds": seconds})),
        )
        .await
        .map(|_| ())
    }

    /// Calls recorded for a service and project (either optional).
    pub async fn calls(
        &self,
        service: Option<Service>,
        project_id: Option<&str>,
    ) -> Result<Vec<CallRecord>, CallError> {
        let mut query = Vec::new();
        if let Some(service) = service {
            query.push(format!("service={}", service.name()));
        }
        if let Some(project) = project_id {
            query.push(format!("project_id={project}"));
        }
        let body = self
            .call(
                reqwest::Method::GET,
                &format!("/calls?{}", query.join("&")),
                None,
            )
            .await?;
        serde_json::from_value(body["calls"].clone()).map_err(|e| CallError::new(e.to_string()))
    }

    /// Invalidates every issued token (`None`) or those scoped to one project.
    pub async fn revoke_tokens(&self, project_id: Option<&str>) -> Result<(), CallError> {
        let body = project_id.map(|id| json!({ "project_id": id }));
        self.call(reqwest::Method::POST, "/tokens/revoke", body)
            .await
            .map(|_| ())
    }
}
