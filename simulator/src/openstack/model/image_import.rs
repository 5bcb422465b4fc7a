//! Glance's interoperable image import: staging data (`PUT /v2/images/{id}/stage`, the image
//! `uploading`), then an import task (`POST /v2/images/{id}/import`, the image `importing`)
//! with `glance-direct` (the staged data) or `web-download` (data the fake fetches from a URL),
//! which makes the image `active`, or on failure puts it back to `queued`. One store: the
//! `os_glance_importing_to_stores` and `os_glance_failed_import` properties stay empty.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{new_id, CloudState, Due, Fate};
use crate::openstack::{
    clock::{Clock, Step},
    error::CloudError,
};

/// An import task (`api_image_import`), as `GET /v2/images/{id}/tasks` shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportTask {
    pub id: String,
    pub image_id: String,
    pub owner: String,
    pub user_id: String,
    /// The `x-openstack-request-id` of the import request.
    pub request_id: String,
    /// `{"image_id", "import_req", "backend"}`.
    pub input: Value,
    /// `pending`, `processing`, `success` or `failure`.
    pub status: String,
    pub message: String,
    pub result: Option<Value>,
    /// How the import ends (a fault rule's decision).
    pub fate: Fate,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// A finished task is kept for Glance's `task_time_to_live` (48 hours).
    pub expires_ms: Option<u64>,
}

/// The import methods this Glance has enabled (`copy-image` needs several stores).
pub const IMPORT_METHODS: [&str; 2] = ["glance-direct", "web-download"];

/// Glance's `task_time_to_live`.
const TASK_TIME_TO_LIVE_MS: u64 = 48 * 3600 * 1000;

/// The image properties Glance keeps for an import.
const IMPORT_TASK_KEY: &str = "os_glance_import_task";
const IMPORTING_KEY: &str = "os_glance_importing_to_stores";
const FAILED_KEY: &str = "os_glance_failed_import";

/// What an import request asks for.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    /// `glance-direct` or `web-download`.
    pub method: String,
    /// The request body (a task's `import_req`).
    pub body: Value,
    pub user_id: String,
    pub request_id: String,
}

fn image_not_found(id: &str) -> CloudError {
    CloudError::not_found(format!("No image found with ID {id}"))
}

impl CloudState {
    /// Stages data for an import: the queued image becomes `uploading` with the data's size.
    pub fn stage_image(
        &mut self,
        project_id: &str,
        id: &str,
        data: bytes::Bytes,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        let image = self
            .own_image_mut(project_id, id)
            .ok_or_else(|| image_not_found(id))?;
        if image.status != "queued" {
            return Err(CloudError::conflict(format!(
                "Image status transition from {} to uploading is not allowed",
                image.status
            )));
        }
        image.status = "uploading".into();
        image.size = Some(data.len() as u64);
        image.data = Some(data);
        image.updated_ms = now_ms;
        Ok(())
    }

    /// Starts an import: the checks Glance makes, then a task in `processing` and the image
    /// `importing`. A `glance-direct` import ends when its upload step falls due; the caller
    /// of a `web-download` import fetches the data and ends it with [`Self::finish_import`].
    pub fn start_import(
        &mut self,
        project_id: &str,
        id: &str,
        request: ImportRequest,
        fate: Fate,
        clock: &Clock,
    ) -> Result<ImportTask, CloudError> {
        let image = self
            .own_image_mut(project_id, id)
            .ok_or_else(|| image_not_found(id))?;
        let method = request.method.as_str();
        let refusal = match (image.status.as_str(), method) {
            ("active", _) => Some("Image with status active cannot be target for import".to_string()),
            (status, "web-download") if status != "queued" => Some(format!(
                "Image needs to be in 'queued' state to use '{method}' method"
            )),
            (status, "glance-direct") if status != "uploading" => {
                Some("Image needs to be staged before 'glance-direct' method can be used".into())
            }
            _ if image.container_format.is_none() => {
                Some("'container_format' needs to be set before import".into())
            }
            _ if image.disk_format.is_none() => {
                Some("'disk_format' needs to be set before import".into())
            }
            _ if image.properties.contains_key(IMPORT_TASK_KEY) => Some(format!(
                "New operation on image '{id}' is not permitted as prior operation is still in progress"
            )),
            _ => None,
        };
        if let Some(message) = refusal {
            return Err(CloudError::conflict(message));
        }
        let now = clock.now_ms();
        let task = ImportTask {
            id: new_id(),
            image_id: id.to_string(),
            owner: project_id.to_string(),
            user_id: request.user_id,
            request_id: request.request_id,
            input: json!({"image_id": id, "import_req": request.body, "backend": null}),
            status: "processing".to_string(),
            message: String::new(),
            result: None,
            fate,
            created_ms: now,
            updated_ms: now,
            expires_ms: None,
        };
        image.set_status("importing", now);
        image
            .properties
            .insert(IMPORT_TASK_KEY.to_string(), task.id.clone());
        image
            .properties
            .insert(IMPORTING_KEY.to_string(), String::new());
        image
            .properties
            .insert(FAILED_KEY.to_string(), String::new());
        if method == "glance-direct" && fate != Fate::Stuck {
            self.schedule.at(
                clock.due(Step::ImageUpload),
                Due::ImportFinished {
                    task_id: task.id.clone(),
                },
            );
        }
        self.image_tasks.insert(task.id.clone(), task.clone());
        Ok(task)
    }

    /// Ends an import: with `data` (fetched by a web download) or the staged data the image
    /// becomes active, unless the task's fate or `outcome` says it failed: then the image
    /// goes back to `queued` and the task records the failure.
    pub fn finish_import(
        &mut self,
        task_id: &str,
        outcome: Result<Option<bytes::Bytes>, String>,
        now_ms: u64,
    ) {
        let Some(task) = self.image_tasks.get_mut(task_id) else {
            return;
        };
        let outcome = match (task.fate, outcome) {
            (Fate::Fails, _) => Err("Import failed (simulated fault)".to_string()),
            (_, outcome) => outcome,
        };
        let image_id = task.image_id.clone();
        task.updated_ms = now_ms;
        task.expires_ms = Some(now_ms + TASK_TIME_TO_LIVE_MS);
        let Some(image) = self.images.get_mut(&image_id) else {
            task.status = "failure".to_string();
            task.message = format!("Image {image_id} could not be found.");
            return;
        };
        image.properties.remove(IMPORT_TASK_KEY);
        image.updated_ms = now_ms;
        match outcome {
            Ok(data) => {
                if let Some(data) = data.or_else(|| image.data.clone()) {
                    image.set_data(data);
                }
                image.status = "active".into();
                task.status = "success".to_string();
                task.result = Some(json!({"image_id": image_id}));
            }
            Err(message) => {
                image.status = "queued".into();
                image.size = None;
                image.data = None;
                task.status = "failure".to_string();
                task.message = message;
            }
        }
    }

    /// The import tasks of an image, oldest first.
    pub fn image_tasks_of(&self, image_id: &str) -> Vec<&ImportTask> {
        let mut tasks: Vec<&ImportTask> = self
            .image_tasks
            .values()
            .filter(|t| t.image_id == image_id)
            .collect();
        tasks.sort_by_key(|t| t.created_ms);
        tasks
    }
}
