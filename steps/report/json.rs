//! The machine-readable report: the run, the totals by verdict, the verdicts per source, and
//! every scenario with its verdict and evidence.

use serde_json::{json, Value};

use super::{by_source, clean_up, evidence::Evidence, totals, Run, ScenarioRecord, Verdict};

/// The JSON document for `records`: each scenario's evidence whole.
pub fn render(records: &[ScenarioRecord], run: &Run, evidence: &Evidence) -> String {
    let scenarios: Vec<Value> = records
        .iter()
        .map(|r| {
            let (detail, warnings) = match &r.verdict {
                Verdict::Failed(text)
                | Verdict::Inconclusive(text)
                | Verdict::NotApplicable(text) => (Some(text.clone()), Vec::new()),
                Verdict::Warned(warnings) => (None, warnings.clone()),
                Verdict::Passed | Verdict::Skipped => (None, Vec::new()),
            };
            json!({
                "feature": r.feature,
                "scenario": r.name,
                "tags": r.tags,
                "sources": r.sources(),
                "verdict": r.verdict.label(),
                "detail": detail,
                "warnings": warnings,
                "seconds": r.seconds,
                "failedStep": r.failed_step,
                "evidenceFile": evidence.of(r).and_then(|cut| cut.file.clone()),
                "cleanUp": {
                    "removed": r.clean_up.removed.iter()
                        .map(|(kind, id)| json!({"kind": kind, "id": id}))
                        .collect::<Vec<_>>(),
                    "failedRequests": r.clean_up.failed.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "leftOnVim": r.clean_up.left_on_vim.iter().map(ToString::to_string).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    let totals: serde_json::Map<String, Value> = totals(records)
        .into_iter()
        .map(|(label, n)| (label.to_string(), json!(n)))
        .collect();
    let document = json!({
        "target": run.target,
        "started": run.started,
        "suiteVersion": run.suite_version,
        "capabilities": run.capabilities,
        "totals": totals,
        "bySource": by_source(records),
        "scenarios": scenarios,
        "cleanUp": clean_up::json(records, &run.end_of_run),
        "serviceImpact": super::service_impact::json(),
        "consistency": super::consistency::json(),
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
