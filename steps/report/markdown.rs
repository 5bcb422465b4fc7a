//! The Markdown summary: totals, then one row per scenario with its tags, clause and outcome,
//! then the failure details and what the clean-up could not remove.

use std::fmt::Write;

use super::{ScenarioRecord, Verdict};

/// The summary document for `records`.
pub fn render(records: &[ScenarioRecord], target: &str) -> String {
    let count = |f: fn(&Verdict) -> bool| records.iter().filter(|r| f(&r.verdict)).count();
    let mut md = format!("# VNF snapshot conformance: {target}\n\n");
    let _ = writeln!(
        md,
        "{} scenarios: {} passed, {} failed, {} skipped, {} not applicable.\n",
        records.len(),
        count(|v| matches!(v, Verdict::Passed)),
        count(|v| matches!(v, Verdict::Failed(_))),
        count(|v| matches!(v, Verdict::Skipped)),
        count(|v| matches!(v, Verdict::NotApplicable(_))),
    );
    md.push_str("| Feature | Scenario | Tags | Clause | Outcome |\n|---|---|---|---|---|\n");
    for r in records {
        let outcome = match &r.verdict {
            Verdict::Passed => "passed".to_string(),
            Verdict::Failed(_) => "**FAILED**".to_string(),
            Verdict::Skipped => "skipped (undefined step)".to_string(),
            Verdict::NotApplicable(why) => format!("not applicable ({why})"),
        };
        let tags: Vec<&str> = r
            .tags
            .iter()
            .map(String::as_str)
            .filter(|t| !t.starts_with("doc:") && !t.starts_with("etsi:"))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            cell(&r.feature),
            cell(&r.name),
            cell(&tags.join(" ")),
            cell(&r.sources().join(" ")),
            outcome
        );
    }
    let failed: Vec<&ScenarioRecord> = records
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed(_)))
        .collect();
    if !failed.is_empty() {
        md.push_str("\n## Failures\n");
        for r in failed {
            if let Verdict::Failed(message) = &r.verdict {
                let _ = write!(
                    md,
                    "\n### {} / {}\n\n```\n{message}\n```\n",
                    r.feature, r.name
                );
            }
        }
    }
    let left: Vec<&ScenarioRecord> = records
        .iter()
        .filter(|r| !r.left_behind.is_empty())
        .collect();
    if !left.is_empty() {
        md.push_str("\n## Clean-up: what the suite could not remove from the target\n");
        for r in left {
            let _ = writeln!(md, "\n### {} / {}\n", r.feature, r.name);
            for item in &r.left_behind {
                let _ = writeln!(md, "- {item}");
            }
        }
    }
    md
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
