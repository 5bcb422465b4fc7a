//! The typed client of the reference VNFM's control API, `/_vnfm/faults`.

use std::time::Duration;

use serde_json::Value;

use super::{
    control_endpoint::{ControlApi, ControlClient},
    CallError,
};
use crate::vnfm::faults::VnfmFaultRule;

/// Client of one VNFM's control API.
///
/// ```no_run
/// use simulator::{kit::{VnfmControl, VnfmFault}, vnfm::faults::Step};
///
/// # async fn demo() -> Result<(), simulator::kit::CallError> {
/// let control = VnfmControl::new("http://127.0.0.1:8250");
/// let hold = control
///     .add(&VnfmFault::new().operation("CREATE_SNAPSHOT").hold(Step::Vnfc))
///     .await?;
/// // ... the next snapshot stays in PROCESSING until:
/// control.release(&hold).await?;
/// control.remove(&hold).await?;
/// # Ok(())
/// # }
/// ```
pub type VnfmControl = ControlClient<VnfmFaultsApi>;

/// The reference VNFM's control API, `/_vnfm/faults`.
#[derive(Clone, Debug)]
pub struct VnfmFaultsApi;

impl ControlApi for VnfmFaultsApi {
    const PREFIX: &'static str = "/_vnfm/faults";
}

impl VnfmControl {
    /// A call without a body.
    async fn call(&self, method: reqwest::Method, path: &str) -> Result<Value, CallError> {
        self.endpoint.call(method, path, None).await
    }

    /// Registers a rule; returns its id.
    pub async fn add(&self, rule: &VnfmFaultRule) -> Result<String, CallError> {
        let body = serde_json::to_value(rule)
            .map_err(|e| CallError::new(format!("a fault rule that is not JSON: {e}")))?;
        self.endpoint.create("", &body).await
    }

    /// Every rule as listed: the rule with its `id`, `hits`, `remaining` and `held`.
    pub async fn list(&self) -> Result<Vec<Value>, CallError> {
        let listed = self.call(reqwest::Method::GET, "").await?;
        Ok(listed["faults"].as_array().cloned().unwrap_or_default())
    }

    /// One rule as listed.
    pub async fn get(&self, id: &str) -> Result<Value, CallError> {
        self.call(reqwest::Method::GET, &format!("/{id}")).await
    }

    /// Lets the operations a `hold` rule holds go on.
    pub async fn release(&self, id: &str) -> Result<(), CallError> {
        self.call(reqwest::Method::POST, &format!("/{id}/release"))
            .await
            .map(|_| ())
    }

    /// Removes one rule (releasing what it holds).
    pub async fn remove(&self, id: &str) -> Result<(), CallError> {
        self.call(reqwest::Method::DELETE, &format!("/{id}"))
            .await
            .map(|_| ())
    }

    /// Removes one rule unless it is gone already (a `times` rule that was used up).
    pub async fn remove_if_present(&self, id: &str) -> Result<(), CallError> {
        match self.remove(id).await {
            Err(error) if error.status == Some(404) => Ok(()),
            other => other,
        }
    }

    /// Removes every rule, releasing every held operation.
    pub async fn clear(&self) -> Result<(), CallError> {
        self.call(reqwest::Method::DELETE, "").await.map(|_| ())
    }

    /// Waits until the `hold` rule `id` holds at least `count` operations, polling within
    /// `deadline`.
    pub async fn wait_until_held(
        &self,
        id: &str,
        count: usize,
        deadline: Duration,
    ) -> Result<(), CallError> {
        let until = tokio::time::Instant::now() + deadline;
        let mut pause = Duration::from_millis(2);
        loop {
            let rule = self.get(id).await?;
            let held = rule["held"].as_u64().unwrap_or_default() as usize;
            if held >= count {
                return Ok(());
            }
            if tokio::time::Instant::now() + pause > until {
                return Err(CallError::new(format!(
                    "fault rule {id} held {held} operations, not {count}, within {deadline:?}"
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }
}
