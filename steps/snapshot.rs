//! Where redacted bodies go: insta snapshots in `snapshots/` against the reference stack, plain
//! files under the report directory (for review) against an external VNFM.

use std::path::PathBuf;

use serde_json::Value;

use crate::failure::{Failure, Outcome};

/// The keeper of bodies for the current target.
#[derive(Debug)]
pub enum BodyStore {
    /// Compare with the committed insta snapshots in this directory.
    Insta(PathBuf),
    /// Write each body to this directory.
    Files(PathBuf),
}

impl BodyStore {
    /// Holds `value` (already redacted) under `name`.
    pub fn keep(&self, name: &str, value: &Value) -> Outcome {
        match self {
            Self::Insta(dir) => {
                let mut settings = insta::Settings::clone_current();
                settings.set_snapshot_path(dir);
                settings.set_prepend_module_to_snapshot(false);
                settings.set_omit_expression(true);
                settings.bind(|| insta::assert_json_snapshot!(name, value));
                Ok(())
            }
            Self::Files(dir) => std::fs::create_dir_all(dir)
                .and_then(|()| {
                    std::fs::write(
                        dir.join(format!("{name}.json")),
                        serde_json::to_string_pretty(value).unwrap_or_default(),
                    )
                })
                .map_err(|e| Failure::new(format!("cannot write body {name}: {e}"))),
        }
    }
}

/// A file-name friendly form of `text`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}
