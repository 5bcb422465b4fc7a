//! Timestamps as the VNFM writes them: RFC 3339, UTC, milliseconds, `Z`.

/// Now, e.g. `2022-07-20T15:08:43.089Z`.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
