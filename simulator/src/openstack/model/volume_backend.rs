//! The one Cinder backend of the fake (devstack's LVM over iSCSI) and the scheduler's check of
//! a volume type's extra specs against its capabilities (Cinder's `CapabilitiesFilter`): a
//! volume of a type no backend satisfies ends in `error`.

use serde_json::{json, Value};

use super::VolumeType;

/// What the backend reports to the scheduler (the LVM driver's stats, pool included).
pub fn backend_capabilities() -> Value {
    json!({
        "volume_backend_name": "lvmdriver-1",
        "vendor_name": "Open Source",
        "driver_version": "3.0.0",
        "storage_protocol": "iSCSI",
        "pool_name": "lvmdriver-1",
        "multiattach": true,
        "thin_provisioning_support": true,
        "thick_provisioning_support": false,
        "QoS_support": false,
        "backend_state": "up",
        "reserved_percentage": 0,
    })
}

/// A capability as Python's `str()` writes it (what the string operators compare).
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => other.to_string(),
    }
}

/// `oslo_utils.strutils.bool_from_string` (not strict).
fn truthy(text: &str) -> bool {
    ["1", "t", "true", "on", "y", "yes"].contains(&text.trim().to_lowercase().as_str())
}

/// Whether a capability satisfies one extra spec value (`extra_specs_ops.match`): a plain
/// value must equal the capability; `<is>`, `<in>`, `<or>`, the numeric (`==`, `!=`, `>=`,
/// `<=`, `=`) and string (`s==`, `s!=`, `s<`, `s<=`, `s>`, `s>=`) operators compare as
/// Cinder does.
fn matches(capability: &Value, wanted: &str) -> bool {
    let words: Vec<&str> = wanted.split_whitespace().collect();
    let Some((op, rest)) = words.split_first() else {
        return matches!(capability, Value::String(s) if s == wanted);
    };
    let number = |v: &str| v.parse::<f64>().ok();
    let have = text(capability);
    if *op == "<or>" {
        return rest.iter().filter(|w| **w != "<or>").any(|w| *w == have);
    }
    let Some(operand) = rest.first().copied() else {
        return matches!(capability, Value::String(s) if s == wanted);
    };
    let numeric = |compare: fn(f64, f64) -> bool| {
        number(&have)
            .zip(number(operand))
            .is_some_and(|(a, b)| compare(a, b))
    };
    match *op {
        "<is>" => truthy(&have) == truthy(operand),
        "<in>" => have.contains(operand),
        "=" | ">=" => numeric(|a, b| a >= b),
        "==" => numeric(|a, b| a == b),
        "!=" => numeric(|a, b| a != b),
        "<=" => numeric(|a, b| a <= b),
        "s==" => have.as_str() == operand,
        "s!=" => have.as_str() != operand,
        "s<" => have.as_str() < operand,
        "s<=" => have.as_str() <= operand,
        "s>" => have.as_str() > operand,
        "s>=" => have.as_str() >= operand,
        _ => matches!(capability, Value::String(s) if s == wanted),
    }
}

/// Whether the backend can hold volumes of the type: every unscoped or `capabilities:`
/// extra spec must be a capability it has, with a matching value (vendor-scoped specs such as
/// `RESKEY:` or `volume_extension:` are not its concern).
pub fn backend_accepts(volume_type: &VolumeType) -> bool {
    let capabilities = backend_capabilities();
    volume_type.extra_specs.iter().all(|(key, wanted)| {
        let mut scope: Vec<&str> = key.split(':').collect();
        if scope.len() > 1 && scope[0] != "capabilities" {
            return true;
        }
        if scope[0] == "capabilities" {
            scope.remove(0);
        }
        let capability = scope
            .iter()
            .try_fold(&capabilities, |value, part| value.get(part));
        match (capability, wanted) {
            (Some(capability), Some(wanted)) => matches(capability, wanted),
            (Some(capability), None) => capability.is_null(),
            (None, _) => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_as_the_capabilities_filter() {
        let protocol = json!("iSCSI");
        assert!(matches(&protocol, "iSCSI"));
        assert!(!matches(&protocol, "FC"));
        assert!(matches(&json!(true), "<is> True"));
        assert!(!matches(&json!(true), "True"));
        assert!(matches(&protocol, "<or> FC <or> iSCSI"));
        assert!(matches(&json!(0), "<= 10"));
        assert!(matches(&protocol, "<in> SCS"));
        assert!(!matches(&json!("abc"), ">= 1"));
    }
}
