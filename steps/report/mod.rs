//! Run reports: every scenario's outcome is recorded, then written as JUnit XML (for CI) and as
//! a Markdown summary (for people) into the report directory.

mod junit;
mod markdown;

use std::{path::Path, sync::Mutex};

/// How a scenario ended.
#[derive(Clone, Debug)]
pub enum Verdict {
    Passed,
    /// Passed, but the target departs from a rule held by other scenarios, from an optional or
    /// recommended point, or documents a behaviour that departs from the spec: what and where.
    Warned(Vec<String>),
    /// A mandatory requirement or a documented behaviour is violated.
    Failed(String),
    /// The target could not establish the scenario's preconditions (a fixture it could not
    /// provide, its own failure unrelated to the behaviour under test): why.
    Inconclusive(String),
    /// A step had no definition.
    Skipped,
    /// Not run because the target cannot support it, or does not claim the capability.
    NotApplicable(String),
}

impl Verdict {
    /// The verdict's name in the reports.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "PASS",
            Verdict::Warned(_) => "WARN",
            Verdict::Failed(_) => "FAIL",
            Verdict::Inconclusive(_) => "INCONCLUSIVE",
            Verdict::Skipped => "UNDEFINED STEP",
            Verdict::NotApplicable(_) => "NOT APPLICABLE",
        }
    }

    /// Whether the verdict fails the run: a FAIL, or a step the suite does not define.
    pub fn fails_the_run(&self) -> bool {
        matches!(self, Verdict::Failed(_) | Verdict::Skipped)
    }
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

/// Whether any scenario recorded so far fails the run.
pub fn run_failed() -> bool {
    RECORDS
        .lock()
        .expect("report poisoned")
        .iter()
        .any(|r| r.verdict.fails_the_run())
}

/// How many records have each verdict, in the reports' order.
pub fn totals(records: &[ScenarioRecord]) -> Vec<(&'static str, usize)> {
    let labels = [
        "PASS",
        "WARN",
        "FAIL",
        "INCONCLUSIVE",
        "NOT APPLICABLE",
        "UNDEFINED STEP",
    ];
    labels
        .iter()
        .map(|label| {
            let n = records
                .iter()
                .filter(|r| r.verdict.label() == *label)
                .count();
            (*label, n)
        })
        .collect()
}

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
