//! Rendering a [`CloudError`] the way each real service does: Nova and Cinder fault bodies,
//! Keystone error bodies, Glance's content-negotiated webob bodies and Neutron's
//! `NeutronError` bodies.

use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    error::{fault_name, CloudError},
    json::Json,
    service::Service,
};

/// The error response of `service` for `error`; `accept` matters only for Glance.
pub fn error_response(
    service: Service,
    error: &CloudError,
    accept: Option<&str>,
    identity_url: &str,
) -> Response {
    // A 401 comes from keystonemiddleware in front of every service: always Keystone's body.
    let mut response = match service {
        _ if error.status == StatusCode::UNAUTHORIZED => keystone_body(error),
        Service::Keystone => keystone_body(error),
        Service::Nova | Service::Cinder => fault_body(error),
        Service::Glance => glance_body(error, accept),
        Service::Neutron => neutron_body(error),
    };
    if error.status == StatusCode::UNAUTHORIZED {
        if let Ok(value) = HeaderValue::from_str(&format!("Keystone uri=\"{identity_url}\"")) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}

fn keystone_body(error: &CloudError) -> Response {
    let title = error.status.canonical_reason().unwrap_or("Error");
    let body =
        json!({"error": {"code": error.status.as_u16(), "title": title, "message": error.message}});
    (error.status, Json(body)).into_response()
}

fn fault_body(error: &CloudError) -> Response {
    let mut inner = json!({"code": error.status.as_u16(), "message": error.message});
    let mut headers = HeaderMap::new();
    if let Some(seconds) = error.retry_after {
        inner["retryAfter"] = json!(seconds.to_string());
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    let body = json!({ fault_name(error.status): inner });
    (error.status, headers, Json(body)).into_response()
}

/// `{"NeutronError": {"type", "message", "detail"}}`, `type` being the exception's name.
fn neutron_body(error: &CloudError) -> Response {
    let kind = error.kind.unwrap_or(match error.status.as_u16() {
        400 => "HTTPBadRequest",
        403 => "HTTPForbidden",
        404 => "HTTPNotFound",
        405 => "HTTPMethodNotAllowed",
        409 => "HTTPConflict",
        413 => "HTTPRequestEntityTooLarge",
        503 => "HTTPServiceUnavailable",
        _ => "HTTPInternalServerError",
    });
    let body = json!({"NeutronError": {"type": kind, "message": error.message, "detail": ""}});
    (error.status, Json(body)).into_response()
}

/// webob picks the first acceptable of text/html and application/json, else text/plain;
/// Glance's quota refusal is always plain text.
fn glance_body(error: &CloudError, accept: Option<&str>) -> Response {
    let status_line = format!(
        "{} {}",
        error.status.as_u16(),
        error.status.canonical_reason().unwrap_or("Error")
    );
    let title = error.status.canonical_reason().unwrap_or("Error");
    if error.status == StatusCode::PAYLOAD_TOO_LARGE {
        let text = format!(
            "The request returned a 413 Request Entity Too Large. This generally means that rate limiting or a quota threshold was breached.\n\nThe response body:\n{}",
            error.message
        );
        return (
            error.status,
            [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
            text,
        )
            .into_response();
    }
    match negotiate(accept.unwrap_or("*/*")) {
        GlanceFormat::Html => {
            let html = format!(
                "<html>\n <head>\n  <title>{status_line}</title>\n </head>\n <body>\n  <h1>{status_line}</h1>\n  {}<br /><br />\n\n\n\n </body>\n</html>",
                error.message
            );
            (
                error.status,
                [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
                html,
            )
                .into_response()
        }
        GlanceFormat::Json => {
            let body = json!({
                "message": format!("{}<br /><br />\n\n\n", error.message),
                "code": status_line,
                "title": title,
            });
            (error.status, Json(body)).into_response()
        }
        GlanceFormat::Plain => {
            let text = format!("{status_line}\n\n{}\n\n   ", error.message);
            (
                error.status,
                [(header::CONTENT_TYPE, "text/plain; charset=UTF-8")],
                text,
            )
                .into_response()
        }
    }
}

enum GlanceFormat {
    Html,
    Json,
    Plain,
}

fn negotiate(accept: &str) -> GlanceFormat {
    let mut best: Option<(f32, usize, GlanceFormat)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if quality <= 0.0 {
            continue;
        }
        let candidates: &[(usize, GlanceFormat)] = match media.as_str() {
            "text/html" | "text/*" | "*/*" => &[(0, GlanceFormat::Html)],
            "application/json" | "application/*" => &[(1, GlanceFormat::Json)],
            _ => &[],
        };
        for (order, format) in candidates {
            let better = match &best {
                None => true,
                Some((q, o, _)) => quality > *q || (quality == *q && order < o),
            };
            if better {
                let format = match format {
                    GlanceFormat::Html => GlanceFormat::Html,
                    GlanceFormat::Json => GlanceFormat::Json,
                    GlanceFormat::Plain => GlanceFormat::Plain,
                };
                best = Some((quality, *order, format));
            }
        }
    }
    best.map_or(GlanceFormat::Plain, |(_, _, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> (StatusCode, String, String) {
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn cinder_quota_error_has_over_limit_body_and_retry_after() {
        let error = CloudError::over_limit(
            "SnapshotLimitExceeded: Maximum number of snapshots allowed (10) exceeded",
        );
        let response = error_response(Service::Cinder, &error, None, "http://x/identity");
        assert_eq!(response.headers()[header::RETRY_AFTER], "0");
        let (status, _, body) = body_of(response).await;
        assert_eq!(status, 413);
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["overLimit"]["code"], 413);
        assert_eq!(body["overLimit"]["retryAfter"], "0");
    }

    #[tokio::test]
    async fn glance_negotiates_html_json_and_plain() {
        let error = CloudError::not_found("No image found with ID X");
        let (_, ct, html) = body_of(error_response(Service::Glance, &error, Some("*/*"), "")).await;
        assert!(ct.starts_with("text/html") && html.contains("<h1>404 Not Found</h1>"));
        let (_, _, json) = body_of(error_response(
            Service::Glance,
            &error,
            Some("application/json"),
            "",
        ))
        .await;
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["code"], "404 Not Found");
        let (_, ct, plain) = body_of(error_response(
            Service::Glance,
            &error,
            Some("text/plain"),
            "",
        ))
        .await;
        assert!(
            ct.starts_with("text/plain") && plain.starts_with("404 Not Found\n\nNo image found")
        );
    }

    #[tokio::test]
    async fn unauthorized_carries_www_authenticate() {
        let response = error_response(
            Service::Nova,
            &CloudError::unauthorized(),
            None,
            "http://h/identity",
        );
        assert_eq!(
            response.headers()[header::WWW_AUTHENTICATE],
            "Keystone uri=\"http://h/identity\""
        );
    }
}
