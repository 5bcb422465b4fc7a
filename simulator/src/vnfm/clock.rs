//! Timestamps as the VNFM writes them: RFC 3339, UTC, milliseconds, `Z`.

use compact_str::CompactString;

/// A time as the VNFM writes it: its 24 characters are held inline, not allocated.
pub type Timestamp = CompactString;

/// Now, e.g. `2022-07-20T15:08:43.089Z`.
pub fn now() -> Timestamp {
    chrono::Utc::now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        .into()
}
