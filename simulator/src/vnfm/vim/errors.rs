//! Turning what the cloud answers (or fails to answer) into [`VimError`]s that carry the
//! service, the call and the cloud's own message.

use std::time::Duration;

use super::{VimError, VimErrorKind};

/// The OpenStack service a call goes to (named in error messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    Keystone,
    Nova,
    Cinder,
    Glance,
    Neutron,
}

impl Service {
    /// The service's project name, as used in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Service::Keystone => "Keystone",
            Service::Nova => "Nova",
            Service::Cinder => "Cinder",
            Service::Glance => "Glance",
            Service::Neutron => "Neutron",
        }
    }
}

/// Longest cloud message kept in an error (bodies can be whole HTML pages).
const MAX_MESSAGE_CHARS: usize = 600;

impl VimError {
    /// An error of `kind` with `message`.
    pub(crate) fn new(kind: VimErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

/// Identifies one call in messages: `Cinder POST /snapshots`.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    pub(crate) service: Service,
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.service.name(), self.method, self.path)
    }
}

impl Call {
    /// A successful answer whose body is not what the API documents.
    pub(crate) fn bad_answer(&self, what: impl std::fmt::Display) -> VimError {
        VimError::new(
            VimErrorKind::ServerError,
            format!("{self} answered with an unexpected body: {what}"),
        )
    }

    /// The error for a non-success HTTP status, classified per service.
    pub(crate) fn status_error(
        &self,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> VimError {
        let message = cloud_message(status, content_type, body);
        let kind = classify(self.service, status, &message);
        let text = if status == 504 {
            format!("{self} timed out: the endpoint answered 504 Gateway Timeout ({message})")
        } else if message.is_empty() {
            format!("{self} answered {status} with no message")
        } else {
            format!("{self} answered {status}: {message}")
        };
        VimError::new(kind, text)
    }

    /// The error for a request that got no HTTP answer.
    pub(crate) fn transport_error(&self, err: &reqwest::Error, timeout: Duration) -> VimError {
        if err.is_timeout() {
            return VimError::new(
                VimErrorKind::Timeout,
                format!("{self} timed out after {timeout:?}"),
            );
        }
        let chain = error_chain(err);
        if err.is_builder() {
            return VimError::new(
                VimErrorKind::Rejected,
                format!("{self} could not be sent: {chain}"),
            );
        }
        VimError::new(
            VimErrorKind::Unreachable,
            format!("{self} got no answer: {chain}"),
        )
    }
}

/// The kind of error for an HTTP status from `service` whose message is `message`.
fn classify(service: Service, status: u16, message: &str) -> VimErrorKind {
    match status {
        401 => VimErrorKind::Auth,
        413 => VimErrorKind::Quota,
        403 if service == Service::Nova
            && message.to_ascii_lowercase().contains("quota exceeded") =>
        {
            VimErrorKind::Quota
        }
        409 if service == Service::Neutron
            && message.to_ascii_lowercase().contains("quota exceeded") =>
        {
            VimErrorKind::Quota
        }
        504 => VimErrorKind::Timeout,
        500..=599 => VimErrorKind::ServerError,
        _ => VimErrorKind::Rejected,
    }
}

/// An error and its sources, joined with `: ` (reqwest's own text alone hides the cause).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The human message of an OpenStack error body: Nova/Cinder `{"<fault>": {"message"}}`,
/// Keystone `{"error": {"message"}}`, Glance `{"message"}`, HTML or plain text.
pub(crate) fn cloud_message(status: u16, content_type: Option<&str>, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let message = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => json_message(&json).unwrap_or_else(|| json.to_string()),
        Err(_) => {
            let is_html = content_type.is_some_and(|c| c.contains("html")) || text.starts_with('<');
            if is_html {
                html_text(text)
            } else {
                plain_text(status, text)
            }
        }
    };
    truncate(&collapse_whitespace(&strip_tags(&message)))
}

/// The `message` of a JSON error body, whichever of the services' shapes it has.
fn json_message(json: &serde_json::Value) -> Option<String> {
    let object = json.as_object()?;
    if let Some(message) = object.get("message").and_then(|m| m.as_str()) {
        return Some(message.to_string());
    }
    object.values().find_map(|inner| {
        let inner = inner.as_object()?;
        inner
            .get("message")
            .and_then(|m| m.as_str())
            .map(str::to_string)
    })
}

/// The text of a webob HTML error page without its title and heading.
fn html_text(html: &str) -> String {
    let without_head = remove_element(html, "head");
    remove_element(&without_head, "h1")
}

/// Removes every `<tag ...>...</tag>` element (case-insensitive) with its content.
fn remove_element(html: &str, tag: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = String::with_capacity(html.len());
    let mut pos = 0;
    while let Some(start) = lower[pos..].find(&open).map(|i| i + pos) {
        let Some(end) = lower[start..].find(&close).map(|i| i + start + close.len()) else {
            break;
        };
        out.push_str(&html[pos..start]);
        out.push(' ');
        pos = end;
    }
    out.push_str(&html[pos..]);
    out
}

/// Plain-text webob bodies start with the status line (`404 Not Found`); drop it.
fn plain_text(status: u16, text: &str) -> String {
    let mut lines = text.lines();
    match lines.next() {
        Some(first) if first.trim_start().starts_with(&status.to_string()) => {
            let rest: Vec<&str> = lines.collect();
            if rest.iter().all(|l| l.trim().is_empty()) {
                first.to_string()
            } else {
                rest.join("\n")
            }
        }
        _ => text.to_string(),
    }
}

/// Replaces markup tags (`<br />`, ...) with spaces.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    cut.push_str("...");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(service: Service, method: reqwest::Method, path: &str) -> Call {
        Call {
            service,
            method,
            path: path.to_string(),
        }
    }

    #[test]
    fn cinder_quota_names_service_call_and_cloud_message() {
        let body = br#"{"overLimit": {"code": 413, "message": "SnapshotLimitExceeded: Maximum number of snapshots allowed (10) exceeded", "retryAfter": "0"}}"#;
        let err = call(Service::Cinder, reqwest::Method::POST, "/snapshots").status_error(
            413,
            Some("application/json"),
            body,
        );
        assert_eq!(err.kind, VimErrorKind::Quota);
        assert_eq!(
            err.message,
            "Cinder POST /snapshots answered 413: SnapshotLimitExceeded: Maximum number of snapshots allowed (10) exceeded"
        );
    }

    #[test]
    fn nova_403_is_quota_only_when_the_message_says_so() {
        let quota = br#"{"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}"#;
        let nova = call(Service::Nova, reqwest::Method::POST, "/servers");
        assert_eq!(
            nova.status_error(403, None, quota).kind,
            VimErrorKind::Quota
        );
        let policy = br#"{"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:servers:create to be performed."}}"#;
        assert_eq!(
            nova.status_error(403, None, policy).kind,
            VimErrorKind::Rejected
        );
        let cinder = call(Service::Cinder, reqwest::Method::POST, "/volumes");
        assert_eq!(
            cinder.status_error(403, None, quota).kind,
            VimErrorKind::Rejected
        );
    }

    #[test]
    fn neutron_409_is_quota_only_when_the_message_says_so() {
        let quota = br#"{"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: ['port'].", "detail": ""}}"#;
        let neutron = call(Service::Neutron, reqwest::Method::POST, "/v2.0/ports");
        let err = neutron.status_error(409, Some("application/json"), quota);
        assert_eq!(err.kind, VimErrorKind::Quota);
        assert_eq!(
            err.message,
            "Neutron POST /v2.0/ports answered 409: Quota exceeded for resources: ['port']."
        );
        let in_use = br#"{"NeutronError": {"type": "IpAddressInUse", "message": "Unable to complete operation for network n1. The IP address 10.0.0.5 is in use.", "detail": ""}}"#;
        assert_eq!(
            neutron.status_error(409, None, in_use).kind,
            VimErrorKind::Rejected
        );
    }

    #[test]
    fn statuses_map_to_kinds() {
        let c = call(Service::Glance, reqwest::Method::GET, "/v2/images");
        assert_eq!(c.status_error(401, None, b"").kind, VimErrorKind::Auth);
        assert_eq!(c.status_error(413, None, b"").kind, VimErrorKind::Quota);
        assert_eq!(c.status_error(404, None, b"").kind, VimErrorKind::Rejected);
        assert_eq!(c.status_error(409, None, b"").kind, VimErrorKind::Rejected);
        assert_eq!(
            c.status_error(503, None, b"").kind,
            VimErrorKind::ServerError
        );
        assert_eq!(
            c.status_error(500, None, b"").message,
            "Glance GET /v2/images answered 500 with no message"
        );
    }

    #[test]
    fn a_gateway_timeout_is_a_timeout() {
        let c = call(Service::Nova, reqwest::Method::POST, "/servers/s/action");
        let page = b"<html><head><title>504 Gateway Timeout</title></head><body><h1>Gateway Timeout</h1><p>The gateway did not receive a timely response.</p></body></html>";
        let error = c.status_error(504, Some("text/html"), page);
        assert_eq!(error.kind, VimErrorKind::Timeout);
        assert_eq!(
            error.message,
            "Nova POST /servers/s/action timed out: the endpoint answered 504 Gateway Timeout (The gateway did not receive a timely response.)"
        );
    }

    #[test]
    fn keystone_error_body() {
        let body = br#"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#;
        assert_eq!(
            cloud_message(401, Some("application/json"), body),
            "The request you have made requires authentication."
        );
    }

    #[test]
    fn glance_bodies_in_all_three_forms() {
        let not_found = "No image found with ID X";
        let over_limit = "Project p is over a limit for [Resource image_count_total is over limit of 10 due to current usage 10 and delta 1]";
        let cases: [(&str, u16, &str, &[u8], &str); 4] = [
            (
                "json",
                404,
                "application/json",
                br#"{"message": "No image found with ID X<br /><br />\n\n\n", "code": "404 Not Found", "title": "Not Found"}"#,
                not_found,
            ),
            (
                "html",
                404,
                "text/html; charset=UTF-8",
                b"<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID X<br /><br />\n\n\n\n </body>\n</html>",
                not_found,
            ),
            (
                "plain",
                404,
                "text/plain",
                b"404 Not Found\n\nNo image found with ID X\n\n   ",
                not_found,
            ),
            (
                "plain quota",
                413,
                "text/plain",
                b"413 Request Entity Too Large\n\nProject p is over a limit for [Resource image_count_total is over limit of 10 due to current usage 10 and delta 1]",
                over_limit,
            ),
        ];
        for (form, status, content_type, body, message) in cases {
            assert_eq!(
                cloud_message(status, Some(content_type), body),
                message,
                "{form} body"
            );
        }
    }

    #[test]
    fn unknown_json_is_kept_and_long_text_truncated() {
        assert_eq!(cloud_message(500, None, br#"{"oops": 1}"#), r#"{"oops":1}"#);
        let long = "x".repeat(2000);
        assert_eq!(
            cloud_message(500, None, long.as_bytes()).len(),
            MAX_MESSAGE_CHARS + 3
        );
    }
}
