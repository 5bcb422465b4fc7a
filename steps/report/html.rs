//! One self-contained HTML page (no external assets) to hand to a customer: the run, the
//! declared capabilities, totals by verdict, verdicts per documentation statement and spec
//! clause, every scenario with its verdict, and the evidence of each FAIL, WARN and
//! INCONCLUSIVE (the request and the response) and of what the clean-up left behind.

use std::fmt::Write;

use super::{by_source, clean_up, evidence::Evidence, totals, Run, ScenarioRecord};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:80em}\
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;font-size:.9em}\
td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.v{font-weight:bold;white-space:nowrap;padding:.1em .5em;border-radius:.3em}\
.PASS{background:#d9f2d9}.WARN{background:#fff1c2}.FAIL{background:#f8caca}\
.INCONCLUSIVE{background:#dde4f7}.NA{background:#eee}\
pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em;white-space:pre-wrap}\
.totals span{margin-right:1em}h3{font-size:1.05em;margin-top:1.5em}\
.legend span{display:inline-block;width:1.2em;margin:0 .3em 0 1em}";

/// The page for `records`.
pub fn render(records: &[ScenarioRecord], run: &Run, evidence: &Evidence) -> String {
    let mut page = String::new();
    let title = format!("VNF snapshot conformance: {}", run.target);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let _ = write!(
        page,
        "<p>Run started {} &middot; suite version {} &middot; {} scenarios</p>\n<p class=\"totals\">",
        escape(&run.started),
        escape(run.suite_version),
        records.len()
    );
    for (label, n) in totals(records).into_iter().filter(|(_, n)| *n > 0) {
        let _ = write!(page, "<span>{} {n}</span>", badge(label));
    }
    page.push_str("</p>\n<h2>Declared capabilities</h2>\n<ul>");
    for claim in &run.capabilities {
        let _ = write!(page, "<li><code>{}</code></li>", escape(claim));
    }
    page.push_str("</ul>\n<h2>Verdicts per documentation statement and spec clause</h2>\n");
    page.push_str("<table><tr><th>Source</th><th>Verdicts</th></tr>\n");
    for (source, verdicts) in by_source(records) {
        let counts: Vec<String> = verdicts
            .iter()
            .map(|(v, n)| format!("{} {n}", badge(v)))
            .collect();
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(source),
            counts.join(" ")
        );
    }
    page.push_str("</table>\n");
    page.push_str(&super::service_impact::html());
    page.push_str(&super::consistency::html());
    page.push_str("<h2>Scenarios</h2>\n");
    page.push_str(
        "<table><tr><th>Feature</th><th>Scenario</th><th>Sources</th><th>Verdict</th></tr>\n",
    );
    for r in records {
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}",
            escape(&r.feature),
            escape(&r.name)
        );
        if let Some(cut) = evidence.of(r) {
            let link = cut.file.as_ref().map_or(String::new(), |file| {
                format!(
                    "<p>Cut here: <a href=\"{}\">the whole evidence</a>.</p>",
                    escape(file)
                )
            });
            let _ = write!(
                page,
                "<details><summary>evidence</summary><pre>{}</pre>{link}</details>",
                escape(&cut.shown)
            );
        }
        let _ = writeln!(
            page,
            "</td><td>{}</td><td>{}</td></tr>",
            escape(&r.sources().join(" ")),
            badge(r.verdict.label())
        );
    }
    page.push_str("</table>\n");
    page.push_str(&clean_up::html(records, &run.end_of_run, escape));
    page.push_str("</body></html>\n");
    page
}

fn badge(label: &str) -> String {
    let class = match label {
        "NOT APPLICABLE" | "UNDEFINED STEP" => "NA",
        other => other,
    };
    format!("<span class=\"v {class}\">{label}</span>")
}

/// `text` with the characters HTML gives a meaning escaped.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
