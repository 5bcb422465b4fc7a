//! Microversion negotiation for Nova and Cinder: request headers in, response headers out.

use std::sync::OnceLock;

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::{error::CloudError, service::Service};

/// A negotiated `major.minor` version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Microversion(pub u32, pub u32);

impl std::fmt::Display for Microversion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// The range a service supports.
#[derive(Clone, Copy, Debug)]
pub struct VersionRange {
    pub min: Microversion,
    pub max: Microversion,
}

/// `OpenStack-API-Version`, asked for and answered by Nova and Cinder.
const API_VERSION: HeaderName = HeaderName::from_static("openstack-api-version");

/// Nova's legacy `X-OpenStack-Nova-API-Version`.
const NOVA_API_VERSION: HeaderName = HeaderName::from_static("x-openstack-nova-api-version");

fn service_token(service: Service) -> &'static str {
    match service {
        Service::Nova => "compute",
        _ => "volume",
    }
}

fn parse(value: &str, range: VersionRange) -> Result<Microversion, CloudError> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("latest") {
        return Ok(range.max);
    }
    let parsed = value
        .split_once('.')
        .and_then(|(major, minor)| Some(Microversion(major.parse().ok()?, minor.parse().ok()?)));
    let Some(version) = parsed else {
        return Err(CloudError::bad_request(format!(
            "Invalid format of client version '{value}'. Expected format 'X.Y', where X is a major part and Y is a minor part of version."
        )));
    };
    if version < range.min || version > range.max {
        return Err(CloudError::new(
            axum::http::StatusCode::NOT_ACCEPTABLE,
            format!(
                "Version {version} is not supported by the API. Minimum is {} and maximum is {}.",
                range.min, range.max
            ),
        ));
    }
    Ok(version)
}

/// Reads the requested microversion (the minimum when none is asked for).
pub fn negotiate(
    service: Service,
    headers: &HeaderMap,
    range: VersionRange,
) -> Result<Microversion, CloudError> {
    let token = service_token(service);
    let generic = headers
        .get_all(&API_VERSION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|entry| {
            let mut parts = entry.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some(name), Some(version)) if name.eq_ignore_ascii_case(token) => {
                    Some(version.to_string())
                }
                _ => None,
            }
        });
    let legacy = (service == Service::Nova)
        .then(|| headers.get(&NOVA_API_VERSION))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match generic.or(legacy) {
        Some(value) => parse(&value, range),
        None => Ok(range.min),
    }
}

/// How many minor versions of a service's major version have their answer values made once
/// (every answer of Nova and Cinder carries them).
const TABLED_MINORS: u32 = 128;

/// `version` as an answer value, after `token` and a space when there is one (`volume 3.0`,
/// or `2.1` for Nova's legacy header).
fn render(token: &str, version: Microversion) -> Option<HeaderValue> {
    let text = if token.is_empty() {
        version.to_string()
    } else {
        format!("{token} {version}")
    };
    HeaderValue::try_from(text).ok()
}

/// The answer value of `version` after `token`: made once for the minor versions of `major`,
/// rendered for any other.
fn answer_value(
    table: &'static OnceLock<Vec<Option<HeaderValue>>>,
    major: u32,
    token: &str,
    version: Microversion,
) -> Option<HeaderValue> {
    let values = table.get_or_init(|| {
        (0..TABLED_MINORS)
            .map(|minor| render(token, Microversion(major, minor)))
            .collect()
    });
    match usize::try_from(version.1)
        .ok()
        .and_then(|minor| values.get(minor))
    {
        Some(value) if version.0 == major => value.clone(),
        _ => render(token, version),
    }
}

/// Adds the microversion headers the service answers with.
pub fn add_response_headers(service: Service, version: Microversion, headers: &mut HeaderMap) {
    static COMPUTE: OnceLock<Vec<Option<HeaderValue>>> = OnceLock::new();
    static VOLUME: OnceLock<Vec<Option<HeaderValue>>> = OnceLock::new();
    static NOVA_LEGACY: OnceLock<Vec<Option<HeaderValue>>> = OnceLock::new();
    let (table, major) = match service {
        Service::Nova => (&COMPUTE, 2),
        _ => (&VOLUME, 3),
    };
    if let Some(value) = answer_value(table, major, service_token(service), version) {
        headers.insert(API_VERSION, value);
    }
    if service == Service::Nova {
        if let Some(value) = answer_value(&NOVA_LEGACY, 2, "", version) {
            headers.insert(NOVA_API_VERSION, value);
        }
        headers.insert(
            axum::http::header::VARY,
            HeaderValue::from_static("OpenStack-API-Version, X-OpenStack-Nova-API-Version"),
        );
    } else {
        headers.insert(
            axum::http::header::VARY,
            HeaderValue::from_static("OpenStack-API-Version"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOVA: VersionRange = VersionRange {
        min: Microversion(2, 1),
        max: Microversion(2, 96),
    };

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn answers_carry_the_version_in_each_form() {
        let answered = |service, version| {
            let mut headers = HeaderMap::new();
            add_response_headers(service, version, &mut headers);
            let read = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_string());
            (
                read("openstack-api-version"),
                read("x-openstack-nova-api-version"),
                read("vary"),
            )
        };
        let volume = |v: &str| {
            (
                Some(format!("volume {v}")),
                None,
                Some("OpenStack-API-Version".into()),
            )
        };
        assert_eq!(answered(Service::Cinder, Microversion(3, 0)), volume("3.0"));
        assert_eq!(
            answered(Service::Cinder, Microversion(3, 71)),
            volume("3.71")
        );
        assert_eq!(
            answered(Service::Cinder, Microversion(3, 200)),
            volume("3.200")
        );
        assert_eq!(answered(Service::Cinder, Microversion(4, 1)), volume("4.1"));
        let (generic, legacy, vary) = answered(Service::Nova, Microversion(2, 96));
        assert_eq!(generic.as_deref(), Some("compute 2.96"));
        assert_eq!(legacy.as_deref(), Some("2.96"));
        assert_eq!(
            vary.as_deref(),
            Some("OpenStack-API-Version, X-OpenStack-Nova-API-Version")
        );
    }

    #[test]
    fn defaults_to_minimum_and_reads_both_header_forms() {
        assert_eq!(
            negotiate(Service::Nova, &HeaderMap::new(), NOVA),
            Ok(Microversion(2, 1))
        );
        assert_eq!(
            negotiate(
                Service::Nova,
                &headers(&[("OpenStack-API-Version", "compute 2.79")]),
                NOVA
            ),
            Ok(Microversion(2, 79))
        );
        assert_eq!(
            negotiate(
                Service::Nova,
                &headers(&[("X-OpenStack-Nova-API-Version", "2.45")]),
                NOVA
            ),
            Ok(Microversion(2, 45))
        );
        assert_eq!(
            negotiate(
                Service::Nova,
                &headers(&[("OpenStack-API-Version", "compute latest")]),
                NOVA
            ),
            Ok(Microversion(2, 96))
        );
    }

    #[test]
    fn out_of_range_is_406_and_malformed_is_400() {
        let too_high = negotiate(
            Service::Nova,
            &headers(&[("OpenStack-API-Version", "compute 2.200")]),
            NOVA,
        );
        let error = too_high.unwrap_err();
        assert_eq!(error.status, 406);
        assert_eq!(
            error.message,
            "Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.96."
        );
        let malformed = negotiate(
            Service::Nova,
            &headers(&[("OpenStack-API-Version", "compute two")]),
            NOVA,
        );
        assert_eq!(malformed.unwrap_err().status, 400);
    }
}
