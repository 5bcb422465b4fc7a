//! Run reports: every scenario's outcome is recorded, then written as JUnit XML (for CI) and as
//! a Markdown summary (for people) into the report directory.

mod junit;
mod markdown;

use std::{path::Path, sync::Mutex};

/// How a scenario ended.
#[derive(Clone, Debug)]
pub enum Verdict {
    Passed,
    Failed(String),
    /// A step had no definition.
    Skipped,
    /// Not run because the target cannot support it.
    NotApplicable(String),
}

/// One scenario's line in the reports.
#[derive(Clone, Debug)]
pub struct ScenarioRecord {
    pub feature: String,
    pub name: String,
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub seconds: f64,
    /// What the clean-up after the scenario could not do (an item left on the target, by id).
    pub left_behind: Vec<String>,
}

impl ScenarioRecord {
    /// The documentation sections and spec clauses the scenario covers (`@doc:…`, `@etsi:…`).
    pub fn sources(&self) -> Vec<&str> {
        self.tags
            .iter()
            .map(String::as_str)
            .filter(|t| t.starts_with("doc:") || t.starts_with("etsi:"))
            .collect()
    }
}

static RECORDS: Mutex<Vec<ScenarioRecord>> = Mutex::new(Vec::new());

/// Adds a scenario to the reports.
pub fn record(record: ScenarioRecord) {
    RECORDS.lock().expect("report poisoned").push(record);
}

/// Writes `conformance.xml` and `conformance.md` into `dir`.
pub fn write(dir: &Path, target: &str) -> std::io::Result<()> {
    let mut records = RECORDS.lock().expect("report poisoned").clone();
    records.sort_by(|a, b| (&a.feature, &a.name).cmp(&(&b.feature, &b.name)));
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("conformance.xml"), junit::render(&records, target))?;
    std::fs::write(
        dir.join("conformance.md"),
        markdown::render(&records, target),
    )?;
    Ok(())
}
