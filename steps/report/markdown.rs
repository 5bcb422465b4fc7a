//! The Markdown summary: totals by verdict, then one row per scenario with its tags, clause and
//! verdict, then the details: failures, warnings, inconclusive scenarios, and what the clean-up
//! could not remove.

use std::fmt::Write;

use super::{by_source, totals, Run, ScenarioRecord, Verdict};

/// The summary document for `records`.
pub fn render(records: &[ScenarioRecord], run: &Run) -> String {
    let mut md = format!("# VNF snapshot conformance: {}\n\n", run.target);
    let _ = writeln!(
        md,
        "Run started {}, suite version {}.\n\nDeclared capabilities: {}.\n",
        run.started,
        run.suite_version,
        run.capabilities.join(", ")
    );
    let counts: Vec<String> = totals(records)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{n} {label}"))
        .collect();
    let _ = writeln!(md, "{} scenarios: {}.\n", records.len(), counts.join(", "));
    md.push_str("| Feature | Scenario | Tags | Clause | Verdict |\n|---|---|---|---|---|\n");
    for r in records {
        let verdict = match &r.verdict {
            Verdict::Failed(_) => "**FAIL**".to_string(),
            Verdict::NotApplicable(why) => format!("NOT APPLICABLE ({why})"),
            other => other.label().to_string(),
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
            verdict
        );
    }
    md.push_str("\n## Verdicts per documentation statement and spec clause\n\n");
    md.push_str("| Source | Verdicts |\n|---|---|\n");
    for (source, verdicts) in by_source(records) {
        let counts: Vec<String> = verdicts.iter().map(|(v, n)| format!("{n} {v}")).collect();
        let _ = writeln!(md, "| {} | {} |", cell(source), counts.join(", "));
    }
    md.push_str(&super::service_impact::markdown());
    md.push_str(&super::consistency::markdown());
    section(&mut md, records, "Failures", |v| match v {
        Verdict::Failed(message) => Some(format!("```\n{message}\n```\n")),
        _ => None,
    });
    section(&mut md, records, "Warnings", |v| match v {
        Verdict::Warned(warnings) => Some(
            warnings
                .iter()
                .map(|w| format!("- {w}\n"))
                .collect::<String>(),
        ),
        _ => None,
    });
    section(&mut md, records, "Inconclusive", |v| match v {
        Verdict::Inconclusive(why) => Some(format!("```\n{why}\n```\n")),
        _ => None,
    });
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

/// A section with one entry per record whose verdict `detail` describes.
fn section(
    md: &mut String,
    records: &[ScenarioRecord],
    title: &str,
    detail: impl Fn(&Verdict) -> Option<String>,
) {
    let entries: Vec<(&ScenarioRecord, String)> = records
        .iter()
        .filter_map(|r| detail(&r.verdict).map(|d| (r, d)))
        .collect();
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n## {title}");
    for (r, text) in entries {
        let _ = write!(md, "\n### {} / {}\n\n{text}", r.feature, r.name);
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
