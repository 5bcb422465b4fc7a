//! Glance image members: an owner shares a `shared` image with other projects, each of which
//! accepts or rejects it; what a project sees follows from that.

use serde::{Deserialize, Serialize};

use super::{CloudState, Image};
use crate::openstack::error::CloudError;

/// A project an image is shared with, and its answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImageMember {
    pub member_id: String,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    pub created_ms: u64,
    pub updated_ms: u64,
}

const MEMBER_STATUSES: [&str; 3] = ["pending", "accepted", "rejected"];

impl Image {
    /// The membership of a project, if the image is shared with it.
    pub fn member(&self, project_id: &str) -> Option<&ImageMember> {
        self.members.iter().find(|m| m.member_id == project_id)
    }
}

fn no_image(id: &str) -> CloudError {
    CloudError::not_found(format!("No image found with ID {id}"))
}

impl CloudState {
    /// The image if its owner or a member may see it.
    fn member_view(&self, project_id: &str, image_id: &str) -> Result<&Image, CloudError> {
        self.visible_image(project_id, image_id)
            .ok_or_else(|| no_image(image_id))
    }

    /// `POST /v2/images/{id}/members`: the owner shares a `shared` image with a project.
    pub fn add_image_member(
        &mut self,
        project_id: &str,
        image_id: &str,
        member_id: &str,
        now_ms: u64,
    ) -> Result<ImageMember, CloudError> {
        let image = self.member_view(project_id, image_id)?;
        if image.owner != project_id {
            return Err(CloudError::forbidden(
                "You are not permitted to create image members for the image.",
            ));
        }
        if image.visibility != "shared" {
            return Err(CloudError::forbidden(format!(
                "Image members can only be added to images with visibility 'shared'; image {image_id} has visibility '{}'.",
                image.visibility
            )));
        }
        if image.member(member_id).is_some() {
            return Err(CloudError::conflict(format!(
                "Member {member_id} already exists for image {image_id}."
            )));
        }
        let member = ImageMember {
            member_id: member_id.to_string(),
            status: "pending".to_string(),
            created_ms: now_ms,
            updated_ms: now_ms,
        };
        let image = self.images.get_mut(image_id).expect("checked above");
        image.members.push(member.clone());
        Ok(member)
    }

    /// `GET /v2/images/{id}/members`: the owner sees every member, a member only itself.
    pub fn image_members(
        &self,
        project_id: &str,
        image_id: &str,
    ) -> Result<Vec<ImageMember>, CloudError> {
        let image = self.member_view(project_id, image_id)?;
        Ok(image
            .members
            .iter()
            .filter(|m| image.owner == project_id || m.member_id == project_id)
            .cloned()
            .collect())
    }

    /// `GET /v2/images/{id}/members/{member}`.
    pub fn image_member(
        &self,
        project_id: &str,
        image_id: &str,
        member_id: &str,
    ) -> Result<ImageMember, CloudError> {
        self.image_members(project_id, image_id)?
            .into_iter()
            .find(|m| m.member_id == member_id)
            .ok_or_else(|| {
                CloudError::not_found(format!("Member {member_id} not found for image {image_id}"))
            })
    }

    /// `PUT /v2/images/{id}/members/{member}`: the member (not the owner) answers.
    pub fn set_image_member_status(
        &mut self,
        project_id: &str,
        image_id: &str,
        member_id: &str,
        status: &str,
        now_ms: u64,
    ) -> Result<ImageMember, CloudError> {
        let image = self.member_view(project_id, image_id)?;
        self.image_member(project_id, image_id, member_id)?;
        if image.owner == project_id || member_id != project_id {
            return Err(CloudError::forbidden(
                "You are not permitted to modify 'status' on this image member.",
            ));
        }
        if !MEMBER_STATUSES.contains(&status) {
            return Err(CloudError::bad_request(format!(
                "Invalid status: {status}. Status must be one of {}.",
                MEMBER_STATUSES.join(", ")
            )));
        }
        let image = self.images.get_mut(image_id).expect("checked above");
        let member = image
            .members
            .iter_mut()
            .find(|m| m.member_id == member_id)
            .expect("checked above");
        member.status = status.to_string();
        member.updated_ms = now_ms;
        Ok(member.clone())
    }

    /// `DELETE /v2/images/{id}/members/{member}`: the owner stops sharing.
    pub fn remove_image_member(
        &mut self,
        project_id: &str,
        image_id: &str,
        member_id: &str,
    ) -> Result<(), CloudError> {
        let image = self.member_view(project_id, image_id)?;
        if image.owner != project_id {
            return Err(CloudError::forbidden(
                "You are not permitted to delete image members for the image.",
            ));
        }
        self.image_member(project_id, image_id, member_id)?;
        let image = self.images.get_mut(image_id).expect("checked above");
        image.members.retain(|m| m.member_id != member_id);
        Ok(())
    }
}
