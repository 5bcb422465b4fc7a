//! The run's console output, written from the verdicts, so that the console, the exit code and
//! the reports tell one story: a line per scenario with its verdict as it finishes (a FAIL with
//! the step it failed at and the start of its message, marked `✘`), the scenarios not run with
//! their reason, and a `[Summary]` block with the totals by verdict and the clean-up.
//! cucumber-rs's own writers count passed and failed steps: an INCONCLUSIVE scenario (a failed
//! precondition) would print as failed there, and a NOT APPLICABLE one not at all.

use std::{collections::HashMap, fmt::Write as _};

use cucumber::{
    cli, event, gherkin, parser,
    writer::{self, Writer},
    Event,
};

use crate::{
    leftovers::EndOfRun,
    report::{self, ScenarioRecord, Verdict},
};

/// How many lines of a FAIL's message the console shows (the reports hold the rest).
const MESSAGE_LINES: usize = 12;
/// How many characters of one line the console shows.
const WIDTH: usize = 400;

/// The writer: remembers the step each scenario failed at, prints each verdict.
#[derive(Debug, Default)]
pub struct Console {
    /// `(feature file, scenario line)` -> the step it failed at, or that had no definition.
    failed_at: HashMap<(String, usize), String>,
    /// Feature files cucumber could not parse.
    pub parse_errors: usize,
}

/// A scenario's key in the records: its feature file and its line (an outline's example has
/// the line of its row).
pub fn key(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> (String, usize) {
    let file = feature
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| feature.name.clone());
    (file, scenario.position.line)
}

impl<W: cucumber::World> Writer<W> for Console {
    type Cli = cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<W>>>,
        _: &Self::Cli,
    ) {
        let event = match event {
            Ok(event) => event.value,
            Err(error) => {
                self.parse_errors += 1;
                println!("✘ cannot parse a feature file: {error}");
                return;
            }
        };
        let event::Cucumber::Feature(feature, event) = event else {
            return;
        };
        let (scenario, event) = match event {
            event::Feature::Scenario(scenario, event) => (scenario, event.event),
            event::Feature::Rule(_, event::Rule::Scenario(scenario, event)) => {
                (scenario, event.event)
            }
            _ => return,
        };
        let key = key(&feature, &scenario);
        match event {
            event::Scenario::Step(step, event::Step::Failed(..))
            | event::Scenario::Background(step, event::Step::Failed(..)) => {
                let text = format!("{} {}", step.keyword.trim(), step.value);
                self.failed_at.insert(key, text);
            }
            event::Scenario::Step(step, event::Step::Skipped)
            | event::Scenario::Background(step, event::Step::Skipped) => {
                let text = format!(
                    "{} {} (no step definition)",
                    step.keyword.trim(),
                    step.value
                );
                self.failed_at.insert(key, text);
            }
            event::Scenario::Finished => {
                let failed_at = self.failed_at.remove(&key);
                match report::annotate(&key, failed_at) {
                    Some(record) => print!("{}", line(&record)),
                    None => println!(
                        "✘ FAIL  {} › {}: the suite recorded no verdict",
                        feature.name, scenario.name
                    ),
                }
            }
            _ => {}
        }
    }
}

impl writer::Normalized for Console {}

/// A scenario's verdict as the console shows it.
pub fn line(r: &ScenarioRecord) -> String {
    let title = format!("{} › {}", r.feature, r.name);
    let mut out = String::new();
    match &r.verdict {
        Verdict::Passed => {
            let _ = writeln!(out, "✔ PASS  {title}");
        }
        Verdict::Warned(warnings) => {
            let _ = writeln!(out, "! WARN  {title}");
            for warning in warnings {
                let first = warning.lines().next().unwrap_or_default();
                let _ = writeln!(out, "        {}", cut(first));
            }
        }
        Verdict::Failed(message) => {
            let _ = writeln!(out, "✘ FAIL  {title}");
            if !r.sources().is_empty() {
                let _ = writeln!(out, "        clauses: {}", r.sources().join(" "));
            }
            if let Some(step) = &r.failed_step {
                let _ = writeln!(out, "        at: {step}");
            }
            let lines: Vec<&str> = message.lines().collect();
            for text in lines.iter().take(MESSAGE_LINES) {
                let _ = writeln!(out, "        {}", cut(text));
            }
            if lines.len() > MESSAGE_LINES {
                let more = lines.len() - MESSAGE_LINES;
                let _ = writeln!(out, "        … {more} more lines in the reports");
            }
        }
        Verdict::Inconclusive(why) => {
            let _ = writeln!(out, "? INCONCLUSIVE  {title}");
            let first = why.lines().next().unwrap_or_default();
            let _ = writeln!(out, "        {}", cut(first));
        }
        Verdict::NotApplicable(why) => {
            let _ = writeln!(out, "- NOT APPLICABLE  {title}: {why}");
        }
        Verdict::Skipped => {
            let _ = writeln!(out, "✘ UNDEFINED STEP  {title}");
            if let Some(step) = &r.failed_step {
                let _ = writeln!(out, "        at: {step}");
            }
        }
    }
    for failed in &r.clean_up.failed {
        let _ = writeln!(out, "        clean-up: {failed}");
    }
    for left in r.clean_up.left_on_vim.iter().filter(|l| !l.removed) {
        let _ = writeln!(out, "        clean-up: left on the VIM: {left}");
    }
    out
}

/// At most [`WIDTH`] characters of `line`.
fn cut(line: &str) -> String {
    match line.char_indices().nth(WIDTH) {
        Some((at, _)) => format!("{} …", &line[..at]),
        None => line.to_string(),
    }
}

/// The `[Summary]` block: the totals by verdict (the same as the reports'), what the clean-up
/// removed and what it could not, and whether the run failed.
pub fn summary(records: &[ScenarioRecord], end: &EndOfRun, failed: bool) -> String {
    let mut out = String::from("[Summary]\n");
    let counts: Vec<String> = report::totals(records)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{n} {label}"))
        .collect();
    let _ = writeln!(out, "{} scenarios: {}", records.len(), counts.join(", "));
    let _ = writeln!(out, "clean-up: {}", report::clean_up_summary(records, end));
    let verdict = if failed {
        "the run FAILED: see the FAIL lines above and the reports"
    } else {
        "the run passed: no FAIL"
    };
    let _ = writeln!(out, "{verdict}");
    out
}
