//! The services' renderings of a cloud time, written into a fixed buffer: no format string
//! parsed and nothing allocated for a view (a [`Stamp`] serialises as a JSON string).

use chrono::{Datelike, Timelike};
use serde::Serialize;

use super::cloud::Cloud;

/// A rendered time.
#[derive(Clone, Copy)]
pub struct Stamp {
    text: [u8; 27],
    len: u8,
}

/// `2026-12-07T21:00:00Z`: Nova, Glance and Neutron (`oslo_utils.timeutils.isotime`).
pub fn seconds(cloud: &Cloud, ms: u64) -> Stamp {
    Stamp::new(cloud, ms, false, true)
}

/// `2026-12-07T21:00:00.123456`: Cinder, Nova's `launched_at`, Glance's import tasks of an
/// image.
pub fn micros(cloud: &Cloud, ms: u64) -> Stamp {
    Stamp::new(cloud, ms, true, false)
}

/// `2026-12-07T21:00:00.123456Z`: Keystone's tokens.
pub fn micros_z(cloud: &Cloud, ms: u64) -> Stamp {
    Stamp::new(cloud, ms, true, true)
}

impl Stamp {
    fn new(cloud: &Cloud, ms: u64, with_micros: bool, with_zone: bool) -> Self {
        let at = cloud.clock().wall(ms);
        let mut text = *b"0000-00-00T00:00:00.000000Z";
        let fields = [
            (0, 4, at.year().unsigned_abs()),
            (5, 2, at.month()),
            (8, 2, at.day()),
            (11, 2, at.hour()),
            (14, 2, at.minute()),
            (17, 2, at.second()),
            (20, 6, at.timestamp_subsec_micros()),
        ];
        for (start, width, mut value) in fields {
            for digit in text[start..start + width].iter_mut().rev() {
                *digit = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        let mut len = if with_micros { 26 } else { 19 };
        if with_zone {
            text[len] = b'Z';
            len += 1;
        }
        Self {
            text,
            len: len as u8,
        }
    }

    /// The stamp as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use chrono::SecondsFormat;

    use super::*;
    use crate::openstack::config::CloudConfig;

    #[test]
    fn each_rendering_reads_as_chronos() {
        let cloud = Cloud::new(CloudConfig::default(), "http://cloud.test");
        for ms in [0, 7, 999, 1_000, 86_399_999, 31_622_400_123] {
            let at = cloud.clock().wall(ms);
            assert_eq!(
                seconds(&cloud, ms).to_string(),
                at.to_rfc3339_opts(SecondsFormat::Secs, true),
                "{ms} ms"
            );
            assert_eq!(
                micros(&cloud, ms).to_string(),
                at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
                "{ms} ms"
            );
            assert_eq!(
                micros_z(&cloud, ms).to_string(),
                at.to_rfc3339_opts(SecondsFormat::Micros, true),
                "{ms} ms"
            );
        }
        let json = serde_json::to_value(seconds(&cloud, 0)).unwrap();
        assert_eq!(json, seconds(&cloud, 0).as_str());
    }
}
