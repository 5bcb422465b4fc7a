//! Keystone's records (domains, projects, users, groups, roles): found by id, with names
//! unique in their domain (a domain's name, and a global role's, unique in the cloud).

/// A new Keystone id (UUID v4 without hyphens, as Keystone issues them).
pub(super) fn new_keystone_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// What tells a Keystone record apart: its id, and its name within its domain (`None`: a
/// domain, or a global role).
pub(super) struct RecordKey<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub domain_id: Option<&'a str>,
}

impl<'a> RecordKey<'a> {
    /// The key of a record with these parts.
    pub fn new(id: &'a str, name: &'a str, domain_id: Option<&'a str>) -> Self {
        Self {
            id,
            name,
            domain_id,
        }
    }
}

/// A record of one of Keystone's tables.
pub(super) trait KeystoneRecord {
    fn key(&self) -> RecordKey<'_>;
}

/// The record `id`, which the caller checked exists, to change it.
pub(super) fn record_mut<'a, R: KeystoneRecord>(records: &'a mut [R], id: &str) -> &'a mut R {
    records
        .iter_mut()
        .find(|r| r.key().id == id)
        .expect("checked above")
}

/// The ids of the records in the domain `domain_id`.
pub(super) fn ids_in_domain<R: KeystoneRecord>(records: &[R], domain_id: &str) -> Vec<String> {
    records
        .iter()
        .filter(|r| r.key().domain_id == Some(domain_id))
        .map(|r| r.key().id.to_string())
        .collect()
}

/// Whether a record other than `except_id` holds `name` in `domain_id` (what a new or
/// renamed record must not take).
pub(super) fn name_taken<R: KeystoneRecord>(
    records: &[R],
    name: &str,
    domain_id: Option<&str>,
    except_id: Option<&str>,
) -> bool {
    records.iter().any(|r| {
        let key = r.key();
        key.name == name && key.domain_id == domain_id && Some(key.id) != except_id
    })
}
