//! The Markdown summary: totals by verdict, then one row per scenario with its tags, clause and
//! verdict, then the details: failures, warnings and inconclusive scenarios (their evidence cut,
//! with a link to the whole of it), and the clean-up.

use std::fmt::Write;

use super::{by_source, clean_up, evidence::Evidence, totals, Run, ScenarioRecord, Verdict};

/// The summary document for `records`.
pub fn render(records: &[ScenarioRecord], run: &Run, evidence: &Evidence) -> String {
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
    for (title, label) in [
        ("Failures", "FAIL"),
        ("Warnings", "WARN"),
        ("Inconclusive", "INCONCLUSIVE"),
    ] {
        section(&mut md, records, evidence, title, label);
    }
    md.push_str(&clean_up::markdown(records, &run.end_of_run));
    md
}

/// A section with the evidence of every record whose verdict is `label`.
fn section(
    md: &mut String,
    records: &[ScenarioRecord],
    evidence: &Evidence,
    title: &str,
    label: &str,
) {
    let entries: Vec<&ScenarioRecord> = records
        .iter()
        .filter(|r| r.verdict.label() == label)
        .collect();
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n## {title}");
    for r in entries {
        let _ = write!(md, "\n### {} / {}\n\n", r.feature, r.name);
        let Some(cut) = evidence.of(r) else {
            continue;
        };
        let fence = if cut.shown.contains("```") {
            "~~~~"
        } else {
            "```"
        };
        let _ = writeln!(md, "{fence}\n{}\n{fence}", cut.shown);
        if let Some(file) = &cut.file {
            let _ = writeln!(
                md,
                "\n(cut here: the whole evidence is in [{file}]({file}))"
            );
        }
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
