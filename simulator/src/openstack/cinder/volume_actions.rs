//! `POST /volumes/{id}/action`: `os-extend`, `os-reserve` / `os-unreserve`, `revert` (3.40+),
//! `os-set_bootable`, `os-update_readonly_flag`, `os-retype`, `os-volume_upload_image`, the
//! legacy attach steps (`os-attach`, `os-detach`, `os-begin_detaching`, `os-roll_detaching`,
//! `os-initialize_connection`, `os-terminate_connection`) and the admin actions
//! (`os-reset_status`, `os-force_delete`, `os-force_detach`; the admin may name any project's
//! volume).

use super::{fail, volumes::volume_project, ProjectPath};
use crate::openstack::gateway::parse_action;
use crate::openstack::handler_prelude::*;
use crate::openstack::model::{CloudState, Fate, StatusReset, VolumeDeletion, VolumeUpload};

/// A boolean argument as `oslo_utils.strutils.bool_from_string(strict=True)` reads it.
fn strict_bool(value: Option<&Value>, field: &str) -> Result<bool, CloudError> {
    const TRUE: [&str; 6] = ["1", "t", "true", "on", "y", "yes"];
    const FALSE: [&str; 6] = ["0", "f", "false", "off", "n", "no"];
    let invalid = || {
        CloudError::bad_request(format!(
            "Invalid input for field/attribute {field}. Value: {}. It must be a boolean.",
            value.map(Value::to_string).unwrap_or_default()
        ))
    };
    match value {
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if TRUE.contains(&s.to_lowercase().as_str()) => Ok(true),
        Some(Value::String(s)) if FALSE.contains(&s.to_lowercase().as_str()) => Ok(false),
        _ => Err(invalid()),
    }
}

fn required<'a>(args: &'a Value, action: &str, key: &str) -> Result<&'a Value, CloudError> {
    args.get(key).filter(|v| !v.is_null()).ok_or_else(|| {
        CloudError::bad_request(format!(
            "Invalid input for field/attribute {action}. '{key}' is a required property"
        ))
    })
}

fn text<'a>(args: &'a Value, key: &str) -> Option<&'a str> {
    args.get(key).and_then(Value::as_str)
}

fn admin_only(scope: &Scope, policy: &str) -> Result<(), CloudError> {
    if scope.admin {
        Ok(())
    } else {
        Err(CloudError::forbidden(format!(
            "Policy doesn't allow volume_extension:volume_admin_actions:{policy} to be performed."
        )))
    }
}

/// The answer of an action: 202 or 200 without a body, or the action's own answer.
enum Done {
    Accepted,
    Ok,
    Body(StatusCode, Value),
}

/// Dispatches a volume action.
pub async fn dispatch(
    call: Call<Microversion>,
    Path((_, volume_id)): ProjectPath<String>,
    body: Bytes,
) -> Response {
    let (action, args) = match parse_action(&body) {
        Ok(action) => action,
        Err(error) => return fail(error),
    };
    let mut state = call.cloud.state();
    let project = volume_project(&state, &call.scope, &volume_id);
    // Every action first loads the volume: an unknown id is 404 whatever the action.
    if let Err(error) = state.project_volume(&project, &volume_id) {
        return fail(error);
    }
    let call = VolumeAction {
        cloud: &call.cloud,
        scope: &call.scope,
        version: call.version,
        fate: call.fate,
        project: &project,
        volume_id: &volume_id,
    };
    match call.run(&mut state, &action, &args) {
        Ok(Done::Accepted) => StatusCode::ACCEPTED.into_response(),
        Ok(Done::Ok) => StatusCode::OK.into_response(),
        Ok(Done::Body(status, body)) => (status, Json(body)).into_response(),
        Err(error) => fail(error),
    }
}

/// One action on one volume.
struct VolumeAction<'a> {
    cloud: &'a Cloud,
    scope: &'a Scope,
    version: Microversion,
    fate: Fate,
    /// The volume's project (the caller's, or any for the admin).
    project: &'a str,
    volume_id: &'a str,
}

impl VolumeAction<'_> {
    fn run(&self, state: &mut CloudState, action: &str, args: &Value) -> Result<Done, CloudError> {
        let now = self.cloud.clock().now_ms();
        let (project, id) = (self.project, self.volume_id);
        match action {
            "os-extend" => {
                let new_size = required(args, action, "new_size")?;
                let new_size = new_size
                    .as_u64()
                    .or_else(|| new_size.as_str().and_then(|s| s.parse().ok()))
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| {
                        CloudError::bad_request(format!(
                            "Invalid input for field/attribute new_size. Value: {new_size}."
                        ))
                    })?;
                state.extend_volume(project, id, new_size, self.cloud.clock())?;
                Ok(Done::Accepted)
            }
            "os-reserve" | "os-unreserve" => {
                state.reserve_volume(project, id, action == "os-reserve", now)?;
                Ok(Done::Accepted)
            }
            "revert" if self.version >= Microversion(3, 40) => {
                let snapshot_id = text(args, "snapshot_id").ok_or_else(|| {
                    CloudError::bad_request(
                        "Invalid input for field/attribute revert. 'snapshot_id' is a required property",
                    )
                })?;
                state.revert_volume(project, id, snapshot_id, self.cloud.clock())?;
                Ok(Done::Accepted)
            }
            "revert" => Err(CloudError::not_found("The resource could not be found.")),
            "os-set_bootable" => {
                let bootable = strict_bool(args.get("bootable"), "bootable")?;
                if let Some(volume) = state.volumes.get_mut(id) {
                    volume.bootable = bootable;
                }
                Ok(Done::Ok)
            }
            "os-update_readonly_flag" => {
                let readonly = strict_bool(args.get("readonly"), "readonly")?;
                state.set_volume_readonly(project, id, readonly, now)?;
                Ok(Done::Accepted)
            }
            "os-retype" => {
                let new_type = required(args, action, "new_type")?
                    .as_str()
                    .ok_or_else(|| {
                        CloudError::bad_request("Invalid input for field/attribute new_type.")
                    })?;
                state.retype_volume(project, id, new_type, self.cloud.clock())?;
                Ok(Done::Accepted)
            }
            "os-volume_upload_image" => self.upload(state, args),
            "os-attach" => {
                let mountpoint = required(args, action, "mountpoint")?
                    .as_str()
                    .unwrap_or_default();
                let mode = text(args, "mode").unwrap_or("rw");
                if !["rw", "ro"].contains(&mode) {
                    return Err(CloudError::bad_request(format!(
                        "Invalid input for field/attribute mode. Value: {mode}. '{mode}' is not one of ['rw', 'ro']"
                    )));
                }
                let instance = text(args, "instance_uuid");
                let host = text(args, "host_name");
                if let Some(instance) = instance.filter(|i| uuid::Uuid::parse_str(i).is_err()) {
                    return Err(CloudError::bad_request(format!(
                        "Error attaching volume - InvalidUUID: Expected a UUID but received {instance}."
                    )));
                }
                state.legacy_attach(id, instance, host, mountpoint, mode, now)?;
                Ok(Done::Accepted)
            }
            "os-detach" => {
                state.legacy_detach(id, text(args, "attachment_id"), now)?;
                Ok(Done::Accepted)
            }
            "os-begin_detaching" | "os-roll_detaching" => {
                state.set_volume_detaching(project, id, action == "os-begin_detaching", now)?;
                Ok(Done::Accepted)
            }
            "os-initialize_connection" => {
                let connector = required(args, action, "connector")?;
                let mut info = state.initialize_connection(id);
                info["enforce_multipath"] = json!(connector
                    .get("enforce_multipath")
                    .and_then(Value::as_bool)
                    .unwrap_or(false));
                Ok(Done::Body(
                    StatusCode::OK,
                    json!({ "connection_info": info }),
                ))
            }
            "os-terminate_connection" => {
                required(args, action, "connector")?;
                Ok(Done::Accepted)
            }
            "os-reset_status" => {
                admin_only(self.scope, "reset_status")?;
                let reset = StatusReset {
                    status: text(args, "status").map(str::to_string),
                    attach_status: text(args, "attach_status").map(str::to_string),
                };
                state.reset_volume_status(project, id, reset, now)?;
                Ok(Done::Accepted)
            }
            "os-force_delete" => {
                admin_only(self.scope, "force_delete")?;
                let deletion = VolumeDeletion {
                    cascade: false,
                    force: true,
                };
                state.delete_volume(project, id, deletion, self.fate, self.cloud.clock())?;
                Ok(Done::Accepted)
            }
            "os-force_detach" => {
                admin_only(self.scope, "force_detach")?;
                state.legacy_detach(id, text(args, "attachment_id"), now)?;
                Ok(Done::Accepted)
            }
            other => Err(CloudError::bad_request(format!(
                "Invalid request to volume action: {other} is not supported."
            ))),
        }
    }

    /// `os-volume_upload_image` -> 202 with the upload's description.
    fn upload(&self, state: &mut CloudState, args: &Value) -> Result<Done, CloudError> {
        let image_name = required(args, "os-volume_upload_image", "image_name")?
            .as_str()
            .unwrap_or_default()
            .to_string();
        strict_bool(args.get("force").or(Some(&json!(false))), "force")?;
        let visibility_params = self.version >= Microversion(3, 1);
        let upload = VolumeUpload {
            image_name,
            disk_format: text(args, "disk_format").unwrap_or("raw").to_string(),
            container_format: text(args, "container_format").unwrap_or("bare").to_string(),
            visibility: visibility_params
                .then(|| text(args, "visibility").unwrap_or("private").to_string()),
            protected: visibility_params
                && strict_bool(args.get("protected").or(Some(&json!(false))), "protected")?,
        };
        let (project, id) = (self.project, self.volume_id);
        let image =
            state.upload_volume_to_image(project, id, upload, self.fate, self.cloud.clock())?;
        let volume = &state.volumes[id];
        let volume_type = state.volume_types.get(&volume.volume_type_id);
        let answer = json!({
            "id": volume.id,
            "updated_at": super::views::stamp(self.cloud, volume.updated_ms),
            "status": "uploading",
            "display_description": volume.description,
            "size": volume.size,
            "volume_type": volume_type.map(|t| json!({
                "id": t.id, "name": t.name, "is_public": t.is_public,
                "description": t.description, "extra_specs": t.extra_specs,
            })),
            "image_id": image.id,
            "container_format": image.container_format,
            "disk_format": image.disk_format,
            "image_name": image.name,
            "protected": image.protected,
            "visibility": image.visibility,
        });
        Ok(Done::Body(
            StatusCode::ACCEPTED,
            json!({ "os-volume_upload_image": answer }),
        ))
    }
}
