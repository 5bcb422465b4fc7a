//! Content negotiation on `Accept` (RFC 9110 §12.5.1): this API answers only
//! `application/json`, so a request whose `Accept` excludes it gets 406 with a ProblemDetails,
//! unless the profile disregards `Accept`.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::AppState;
use crate::vnfm::error::VnfmError;

/// The one media type every answer of this API has.
const JSON: (&str, &str) = ("application", "json");

/// How well one media range of `Accept` names `application/json`: its specificity (3 exact,
/// 2 `application/*`, 1 `*/*`) and its weight, or `None` when it does not cover JSON.
fn covers_json(range: &mime::Mime) -> Option<(u8, f32)> {
    let (kind, sub) = (range.type_().as_str(), range.subtype().as_str());
    let specificity = match (kind, sub) {
        _ if kind.eq_ignore_ascii_case(JSON.0) && sub.eq_ignore_ascii_case(JSON.1) => 3,
        _ if kind.eq_ignore_ascii_case(JSON.0) && sub == "*" => 2,
        ("*", "*") => 1,
        _ => return None,
    };
    Some((specificity, weight(range)?))
}

/// The `q` parameter (1 when absent); `None` for a malformed one (the range is then ignored).
fn weight(range: &mime::Mime) -> Option<f32> {
    match range.get_param("q") {
        None => Some(1.0),
        Some(q) => q
            .as_str()
            .parse::<f32>()
            .ok()
            .filter(|q| (0.0..=1.0).contains(q)),
    }
}

/// The media ranges of a header value: split on commas outside quoted strings.
fn ranges(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&value[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

/// Whether the `Accept` header values allow an `application/json` answer. The most specific
/// range covering JSON decides, by its weight (`q=0` refuses). Ranges that do not parse are
/// ignored; no header, or one without any well-formed range, accepts everything.
pub fn accepts_json<'a>(values: impl IntoIterator<Item = &'a HeaderValue>) -> bool {
    let mut well_formed = 0;
    let mut best: Option<(u8, f32)> = None;
    for value in values {
        let Ok(text) = value.to_str() else { continue };
        for part in ranges(text).into_iter().map(str::trim) {
            let Ok(range) = part.parse::<mime::Mime>() else {
                continue;
            };
            if weight(&range).is_none() {
                continue;
            }
            well_formed += 1;
            if let Some((specificity, q)) = covers_json(&range) {
                best = match best {
                    Some((s, old)) if s > specificity || (s == specificity && old >= q) => {
                        Some((s, old))
                    }
                    _ => Some((specificity, q)),
                };
            }
        }
    }
    well_formed == 0 || best.is_some_and(|(_, q)| q > 0.0)
}

/// Refuses with 406 a request that does not accept `application/json`, where the profile
/// does; otherwise JSON is served anyway (RFC 9110 §12.5.1 allows disregarding `Accept`).
pub async fn require_json_acceptable(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let values = request.headers().get_all(header::ACCEPT);
    if !state.services.config.choices().accept_406 || accepts_json(values.iter()) {
        return next.run(request).await;
    }
    let given: Vec<String> = values
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    VnfmError::NotAcceptable(given.join(", ")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(values: &[&str]) -> bool {
        let values: Vec<HeaderValue> = values
            .iter()
            .map(|value| HeaderValue::from_str(value).unwrap())
            .collect();
        accepts_json(values.iter())
    }

    #[test]
    fn json_and_wildcards_are_accepted() {
        for accept in [
            "*/*",
            "application/*",
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "text/html, application/json;q=0.1",
            "text/html;q=0.9, */*;q=0.8",
            "application/xml, application/*;q=0.5",
            "text/plain; foo=\"a,b\", application/json",
            "",
            "not a media type",
            "text/html;q=7, */*",
        ] {
            assert!(accepts(&[accept]), "{accept:?}");
        }
        assert!(accepts(&[]));
        assert!(accepts(&["text/html", "application/json"]));
    }

    #[test]
    fn ranges_that_exclude_json_are_refused() {
        for accept in [
            "text/html",
            "application/xml",
            "text/*",
            "text/html, application/xml;q=0.9",
            "application/json;q=0",
            "*/*, application/json;q=0",
            "application/*;q=0, text/html",
            "text/plain; foo=\"a,application/json\"",
        ] {
            assert!(!accepts(&[accept]), "{accept:?}");
        }
        assert!(!accepts(&["text/html", "application/xml"]));
    }
}
