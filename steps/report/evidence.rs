//! Evidence a person can scroll. A FAIL, WARN or INCONCLUSIVE carries the requests and
//! responses that back it, and a response body can be a whole list. The Markdown and HTML
//! reports show the start of each evidence (a few dozen lines, each line cut at a few hundred
//! characters) and link to the whole of it, written beside them in `evidence/`; the JSON and
//! JUnit reports keep it whole.

use std::{
    collections::HashMap,
    io,
    path::{Path, PathBuf},
};

use super::{ScenarioRecord, Verdict};
use crate::snapshot::slug;

/// How many lines of an evidence the Markdown and HTML reports show.
const LINES: usize = 40;
/// How many characters of one line they show.
const WIDTH: usize = 300;
/// The directory, beside the reports, that holds the whole evidence.
pub const DIR: &str = "evidence";

/// The evidence of one scenario as the Markdown and HTML reports show it.
#[derive(Debug)]
pub struct Cut {
    /// What the reports show.
    pub shown: String,
    /// The file with the whole evidence, relative to the reports, when `shown` is cut.
    pub file: Option<String>,
}

/// The evidence of every scenario that has some, by scenario key.
#[derive(Debug, Default)]
pub struct Evidence(HashMap<(String, usize), Cut>);

impl Evidence {
    /// The evidence of `r`, if it has any.
    pub fn of(&self, r: &ScenarioRecord) -> Option<&Cut> {
        self.0.get(&r.key)
    }
}

/// The whole evidence of a scenario: for a FAIL the documentation items and spec clauses the
/// scenario checks (its `@doc:` and `@etsi:` tags), the step it failed at, and what backs its
/// verdict (the failing step's message names the clause of the check itself).
pub fn whole(r: &ScenarioRecord) -> Option<String> {
    let mut text = String::new();
    if matches!(r.verdict, Verdict::Failed(_)) && !r.sources().is_empty() {
        let sources = r.sources().join(" ");
        text.push_str(&format!("the scenario's clauses: {sources}\n"));
    }
    if let Some(step) = &r.failed_step {
        text.push_str(&format!("failed at: {step}\n"));
    }
    match &r.verdict {
        Verdict::Failed(t) | Verdict::Inconclusive(t) => text.push_str(t),
        Verdict::Warned(warnings) => text.push_str(&warnings.join("\n\n")),
        Verdict::Passed | Verdict::Skipped | Verdict::NotApplicable(_) => {}
    }
    (!text.trim().is_empty()).then_some(text)
}

/// Cuts each evidence for the Markdown and HTML reports, and writes the whole of each one that
/// was cut into `dir/evidence/` (emptied first).
pub fn write_files(dir: &Path, records: &[ScenarioRecord]) -> io::Result<Evidence> {
    let files = dir.join(DIR);
    if files.exists() {
        std::fs::remove_dir_all(&files)?;
    }
    let mut evidence = Evidence::default();
    for r in records {
        let Some(text) = whole(r) else {
            continue;
        };
        let (shown, cut) = cut(&text);
        let file = if cut {
            let name = file_name(r);
            std::fs::create_dir_all(&files)?;
            std::fs::write(files.join(&name), &text)?;
            Some(format!("{DIR}/{name}"))
        } else {
            None
        };
        evidence.0.insert(r.key.clone(), Cut { shown, file });
    }
    Ok(evidence)
}

/// The first [`LINES`] lines of `text`, each at most [`WIDTH`] characters, and whether
/// anything was left out.
fn cut(text: &str) -> (String, bool) {
    let mut cut = false;
    let mut shown = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if n == LINES {
            cut = true;
            break;
        }
        match line.char_indices().nth(WIDTH) {
            Some((at, _)) => {
                cut = true;
                shown.push(format!("{} …", &line[..at]));
            }
            None => shown.push(line.to_string()),
        }
    }
    (shown.join("\n"), cut)
}

/// The evidence file of a scenario: its feature, name and line, file-name friendly.
fn file_name(r: &ScenarioRecord) -> String {
    let stem = PathBuf::from(&r.key.0)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut name = format!("{}-{}-{}", slug(&stem), r.key.1, slug(&r.name));
    name.truncate(150);
    format!("{name}.txt")
}
