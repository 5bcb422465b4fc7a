//! Applying the fields of an update (`PUT`/`PATCH`): a field the request gives replaces the
//! current value, a field it leaves out keeps it.

/// Sets `field` to the value `change` gives, if any.
pub(super) fn set_if_given<T>(field: &mut T, change: Option<T>) {
    if let Some(value) = change {
        *field = value;
    }
}
