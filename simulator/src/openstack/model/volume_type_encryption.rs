//! Cinder volume type encryption specs (`/types/{id}/encryption`). The fake has no key
//! manager, so a volume of an encrypted type is refused as Cinder refuses it when its key
//! manager fails ("Key manager error").

use serde::{Deserialize, Serialize};

use super::{field_change::set_if_given, new_id, type_not_found, CloudState};
use crate::openstack::error::CloudError;

/// The encryption of a volume type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Encryption {
    pub encryption_id: String,
    pub provider: String,
    pub cipher: Option<String>,
    pub key_size: Option<u32>,
    /// `front-end` or `back-end`.
    pub control_location: String,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// What a create or an update gives (`None` keeps the current value on update).
#[derive(Clone, Debug, Default)]
pub struct EncryptionSpecs {
    pub provider: Option<String>,
    pub cipher: Option<Option<String>>,
    pub key_size: Option<Option<u32>>,
    pub control_location: Option<String>,
}

/// Cinder's 404 for a type without encryption (or without the asked spec).
pub fn encryption_not_found(type_id: &str) -> CloudError {
    CloudError::not_found(format!(
        "Volume type encryption for type {type_id} does not exist."
    ))
}

impl CloudState {
    fn check_encryption_change(&self, type_id: &str, verb: &str) -> Result<(), CloudError> {
        if self.volumes.values().any(|v| v.volume_type_id == type_id) {
            return Err(CloudError::bad_request(format!(
                "Cannot {verb} encryption specs. Volume type in use."
            )));
        }
        if !self.volume_types.contains_key(type_id) {
            return Err(type_not_found(type_id));
        }
        Ok(())
    }

    /// Gives a type its encryption: 400 while volumes have the type or when it has one.
    pub fn create_type_encryption(
        &mut self,
        type_id: &str,
        specs: EncryptionSpecs,
        now_ms: u64,
    ) -> Result<Encryption, CloudError> {
        self.check_encryption_change(type_id, "create")?;
        let volume_type = self.volume_types.get_mut(type_id).expect("checked above");
        if volume_type.encryption.is_some() {
            return Err(CloudError::bad_request(format!(
                "Volume type encryption for type {type_id} already exists."
            )));
        }
        let encryption = Encryption {
            encryption_id: new_id(),
            provider: specs.provider.unwrap_or_default(),
            cipher: specs.cipher.flatten(),
            key_size: specs.key_size.flatten(),
            control_location: specs
                .control_location
                .unwrap_or_else(|| "front-end".to_string()),
            created_ms: now_ms,
            updated_ms: now_ms,
        };
        volume_type.encryption = Some(encryption.clone());
        Ok(encryption)
    }

    /// Changes a type's encryption: 400 while volumes have the type, 404 without one.
    pub fn update_type_encryption(
        &mut self,
        type_id: &str,
        specs: EncryptionSpecs,
        now_ms: u64,
    ) -> Result<(), CloudError> {
        self.check_encryption_change(type_id, "update")?;
        let encryption = self
            .volume_types
            .get_mut(type_id)
            .and_then(|t| t.encryption.as_mut())
            .ok_or_else(|| encryption_not_found(type_id))?;
        set_if_given(&mut encryption.provider, specs.provider);
        set_if_given(&mut encryption.cipher, specs.cipher);
        set_if_given(&mut encryption.key_size, specs.key_size);
        set_if_given(&mut encryption.control_location, specs.control_location);
        encryption.updated_ms = now_ms;
        Ok(())
    }

    /// Removes a type's encryption: 400 while volumes have the type, 404 without one.
    pub fn delete_type_encryption(&mut self, type_id: &str) -> Result<(), CloudError> {
        self.check_encryption_change(type_id, "delete")?;
        self.volume_types
            .get_mut(type_id)
            .and_then(|t| t.encryption.take())
            .map(|_| ())
            .ok_or_else(|| encryption_not_found(type_id))
    }
}
