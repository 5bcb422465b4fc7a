//! Run reports: every scenario's verdict is recorded, then written into the report directory as
//! JUnit XML (for CI), Markdown, a self-contained HTML page and JSON. The writers are the
//! suite's own: cucumber-rs's JUnit and JSON writers know passed / failed / skipped steps, not
//! the verdicts (WARN, INCONCLUSIVE, NOT APPLICABLE with a reason) nor the clean-up. Each
//! report has a clean-up section (`clean_up.rs`); long evidence is cut in the Markdown and HTML
//! reports and written whole beside them (`evidence.rs`).

mod clean_up;
pub mod consistency;
mod evidence;
mod html;
mod json;
mod junit;
mod markdown;
pub mod service_impact;

use std::{collections::BTreeMap, path::Path, sync::Mutex};

pub use clean_up::summary as clean_up_summary;

use crate::{cleanup_log::CleanUpLog, leftovers::EndOfRun};

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
    /// The feature file and the scenario's line in it (an outline's example: its row's line).
    pub key: (String, usize),
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub seconds: f64,
    /// The step the scenario failed at (a FAIL, an INCONCLUSIVE or an undefined step).
    pub failed_step: Option<String>,
    /// What the clean-up after the scenario did.
    pub clean_up: CleanUpLog,
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

/// Notes the step the scenario `key` failed at, if any; answers its record.
pub fn annotate(key: &(String, usize), failed_step: Option<String>) -> Option<ScenarioRecord> {
    let mut records = RECORDS.lock().expect("report poisoned");
    let record = records.iter_mut().find(|r| &r.key == key)?;
    if failed_step.is_some() && !matches!(record.verdict, Verdict::Passed | Verdict::Warned(_)) {
        record.failed_step = failed_step;
    }
    Some(record.clone())
}

/// Every record so far, in the reports' order.
pub fn records() -> Vec<ScenarioRecord> {
    let mut records = RECORDS.lock().expect("report poisoned").clone();
    records.sort_by(|a, b| (&a.feature, &a.name).cmp(&(&b.feature, &b.name)));
    records
}

/// What the reports say about the run itself.
#[derive(Debug)]
pub struct Run {
    /// The target's label (its file's `name`, or the reference stack).
    pub target: String,
    /// The target's declared capabilities, `name = value`.
    pub capabilities: Vec<String>,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
    /// The suite's version.
    pub suite_version: &'static str,
    /// What the run's own look at the VNFM and the cloud found after the last scenario.
    pub end_of_run: EndOfRun,
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
/// `conformance.json` (machine-readable), and the whole evidence of the scenarios whose
/// evidence the Markdown and HTML reports cut, in `evidence/`.
pub fn write(dir: &Path, run: &Run) -> std::io::Result<()> {
    let records = records();
    std::fs::create_dir_all(dir)?;
    let evidence = evidence::write_files(dir, &records)?;
    std::fs::write(dir.join("conformance.xml"), junit::render(&records, run))?;
    std::fs::write(
        dir.join("conformance.md"),
        markdown::render(&records, run, &evidence),
    )?;
    std::fs::write(
        dir.join("conformance.html"),
        html::render(&records, run, &evidence),
    )?;
    std::fs::write(
        dir.join("conformance.json"),
        json::render(&records, run, &evidence),
    )?;
    Ok(())
}
