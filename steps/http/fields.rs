//! Response header fields read as the RFCs define them, not as the reference VNFM writes them:
//! a list field may come as several lines (RFC 9110 §5.3), list elements may be empty or padded
//! (§5.6.1), media types compare case-insensitively (§8.3.1), and `Link` values follow RFC 8288
//! (quoted or bare `rel`, several relation types, commas inside the target or a parameter).

use reqwest::header::HeaderMap;

/// Every line of the field `name`, combined into one value as RFC 9110 §5.3 says a recipient
/// may do: joined with ", " in the order received. `None` when the field is absent.
pub fn combined(headers: &HeaderMap, name: &str) -> Option<String> {
    let lines: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!lines.is_empty()).then(|| lines.join(", "))
}

/// The elements of a comma-separated list field (`#token`), without the empty ones.
pub fn list_elements(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect()
}

/// Whether a `Content-Type` value names JSON: `application/json` or a `+json` type such as
/// `application/problem+json`, in any letter case and with any parameters.
pub fn is_json_media_type(value: &str) -> bool {
    value.parse::<mime::Mime>().is_ok_and(|m| {
        m.type_() == mime::APPLICATION
            && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
    })
}

/// The target of the link whose relation types include `next`, resolved against `base` (the URL
/// of the request that got the `Link` field). `None` when there is no such link or the value is
/// not a valid RFC 8288 link list.
pub fn next_link(link: &str, base: &url::Url) -> Option<String> {
    http_link::parse_link_header(link, base)
        .ok()?
        .into_iter()
        .find(|l| {
            l.rel
                .split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("next"))
        })
        .map(|l| l.target.to_string())
}
