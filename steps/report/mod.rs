//! Run reports: every scenario's verdict is recorded, then written into the report directory as
//! JUnit XML (for CI), Markdown, a self-contained HTML page and JSON. The writers are the
//! suite's own: cucumber-rs's JUnit and JSON writers know passed / failed / skipped steps, not
//! the verdicts (WARN, INCONCLUSIVE, NOT APPLICABLE with a reason) nor the clean-up.

pub mod consistency;
mod html;
mod json;
mod junit;
mod markdown;
pub mod service_impact;

use std::{collections::BTreeMap, path::Path, sync::Mutex};

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

/// What the reports say about the run itself.
#[derive(Clone, Debug)]
pub struct Run {
    /// The target's label (its file's `name`, or the reference stack).
    pub target: String,
    /// The target's declared capabilities, `name = value`.
    pub capabilities: Vec<String>,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
    /// The suite's version.
    pub suite_version: &'static str,
}

/// The verdicts per documentation statement and spec clause (`doc:…`, `etsi:…` tags): for each
/// source, how many scenarios got each verdict.
pub fn by_source(records: &[ScenarioRecord]) -> BTreeMap<&str, BTreeMap<&'static str, usize>> {
    let mut sources: BTreeMap<&str, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for record in records {
        for source in record.sources() {
            *sources
                .entry(source)
                .or_default()
                .entry(record.verdict.label())
                .or_default() += 1;
        }
    }
    sources
}

/// Writes the reports into `dir`: `conformance.xml` (JUnit, for CI), `conformance.md`
/// (Markdown), `conformance.html` (one self-contained page to hand over) and
/// `conformance.json` (machine-readable).
pub fn write(dir: &Path, run: &Run) -> std::io::Result<()> {
    let mut records = RECORDS.lock().expect("report poisoned").clone();
    records.sort_by(|a, b| (&a.feature, &a.name).cmp(&(&b.feature, &b.name)));
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("conformance.xml"), junit::render(&records, run))?;
    std::fs::write(dir.join("conformance.md"), markdown::render(&records, run))?;
    std::fs::write(dir.join("conformance.html"), html::render(&records, run))?;
    std::fs::write(dir.join("conformance.json"), json::render(&records, run))?;
    Ok(())
}
