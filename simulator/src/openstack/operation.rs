//! Names the operation of a request (`servers.create`, `servers.action.createImage`,
//! `snapshots.delete`, ...) from its method, path and body, for fault rules and call records.

use compact_str::{format_compact, CompactString};

/// The operation name (held inline when short, as most are) and the id of the addressed
/// resource, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified<'a> {
    pub operation: CompactString,
    pub resource_id: Option<&'a str>,
}

/// Classifies a request given the path segments after the service's API base (for example
/// `["servers", "<id>", "action"]`).
pub fn classify<'a>(
    method: &str,
    segments: &[&'a str],
    body: Option<&serde_json::Value>,
) -> Classified<'a> {
    // Glance's metadata definitions nest one level deeper (`metadefs/namespaces/{ns}/...`).
    if let Some(("metadefs", rest)) = segments.split_first().map(|(first, rest)| (*first, rest)) {
        if !rest.is_empty() {
            let inner = classify(method, rest, body);
            return Classified {
                operation: format_compact!("metadefs.{}", inner.operation),
                resource_id: inner.resource_id,
            };
        }
    }
    let resource = segments.first().copied().unwrap_or("discovery");
    let id = segments.get(1).copied().filter(|s| *s != "detail");
    let verb = match (method, segments.len(), segments.get(1).copied()) {
        (_, 0, _) => CompactString::const_new("discovery"),
        ("GET", 1, _) | ("GET", 2, Some("detail")) => CompactString::const_new("list"),
        ("POST", 1, _) => CompactString::const_new("create"),
        ("GET", 2, _) => CompactString::const_new("show"),
        ("DELETE", 2, _) => CompactString::const_new("delete"),
        ("PUT" | "PATCH", 2, _) => CompactString::const_new("update"),
        (_, _, _) => {
            let sub = segments.get(2).copied().unwrap_or_default();
            if sub == "action" {
                let action = body
                    .and_then(|b| b.as_object())
                    .and_then(|o| o.keys().next().cloned())
                    .unwrap_or_default();
                format_compact!("action.{action}")
            } else if sub == "file" && method == "PUT" {
                CompactString::const_new("upload")
            } else {
                let verb = match (method, segments.len()) {
                    ("GET", 3) => "list",
                    ("GET", _) => "show",
                    ("POST", _) => "create",
                    ("DELETE", _) => "delete",
                    _ => "update",
                };
                format_compact!("{sub}.{verb}")
            }
        }
    };
    let operation = if verb == "discovery" {
        verb
    } else {
        format_compact!("{resource}.{verb}")
    };
    Classified {
        operation,
        resource_id: id,
    }
}

/// The name a create or action body gives its resource (`{"server": {"name"}}`,
/// `{"createImage": {"name"}}`, Glance's top-level `name`).
pub fn body_name(body: &serde_json::Value) -> Option<String> {
    let object = body.as_object()?;
    if let Some(name) = object.get("name").and_then(|n| n.as_str()) {
        return Some(name.to_string());
    }
    object
        .values()
        .find_map(|inner| inner.get("name").and_then(|n| n.as_str()))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_crud_and_actions() {
        let op = |m, s: &[&str], b: Option<serde_json::Value>| classify(m, s, b.as_ref()).operation;
        assert_eq!(op("GET", &["servers", "detail"], None), "servers.list");
        assert_eq!(op("POST", &["servers"], None), "servers.create");
        assert_eq!(op("DELETE", &["snapshots", "x"], None), "snapshots.delete");
        assert_eq!(
            op(
                "POST",
                &["servers", "x", "action"],
                Some(json!({"createImage": {"name": "n"}}))
            ),
            "servers.action.createImage"
        );
        assert_eq!(op("PUT", &["images", "x", "file"], None), "images.upload");
        assert_eq!(
            op("POST", &["servers", "x", "os-volume_attachments"], None),
            "servers.os-volume_attachments.create"
        );
        assert_eq!(op("GET", &[], None), "discovery");
        assert_eq!(
            op("POST", &["metadefs", "namespaces", "ns", "objects"], None),
            "metadefs.namespaces.objects.create"
        );
        assert_eq!(
            op(
                "POST",
                &["attachments", "x", "action"],
                Some(json!({"os-complete": null}))
            ),
            "attachments.action.os-complete"
        );
    }

    #[test]
    fn finds_resource_names_in_bodies() {
        assert_eq!(
            body_name(&json!({"server": {"name": "vm"}})),
            Some("vm".into())
        );
        assert_eq!(body_name(&json!({"name": "img"})), Some("img".into()));
        assert_eq!(body_name(&json!({"os-stop": null})), None);
    }
}
