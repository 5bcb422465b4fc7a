//! JUnit XML: one test suite per feature, one test case per scenario.

use std::{collections::BTreeMap, fmt::Write};

use super::{clean_up, Run, ScenarioRecord, Verdict};

/// The JUnit document for `records`.
pub fn render(records: &[ScenarioRecord], run: &Run) -> String {
    let target = &run.target;
    let mut by_feature: BTreeMap<&str, Vec<&ScenarioRecord>> = BTreeMap::new();
    for record in records {
        by_feature.entry(&record.feature).or_default().push(record);
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = records
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Failed(_)))
        .count();
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
        escape(&format!("VNF snapshot conformance ({target})")),
        records.len()
    );
    for (feature, cases) in by_feature {
        let failed = cases
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Failed(_)))
            .count();
        let skipped = cases
            .iter()
            .filter(|r| {
                matches!(
                    r.verdict,
                    Verdict::Skipped | Verdict::NotApplicable(_) | Verdict::Inconclusive(_)
                )
            })
            .count();
        let seconds: f64 = cases.iter().map(|r| r.seconds).sum();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
            escape(feature),
            cases.len()
        );
        for case in cases {
            let _ = write!(
                xml,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
                escape(feature),
                escape(&case.name),
                case.seconds
            );
            match &case.verdict {
                Verdict::Passed => {}
                Verdict::Failed(message) => {
                    let first = message.lines().next().unwrap_or_default();
                    let _ = write!(
                        xml,
                        "\n      <failure message=\"{}\">{}</failure>\n    ",
                        escape(first),
                        escape(message)
                    );
                }
                Verdict::Warned(warnings) => {
                    let _ = write!(
                        xml,
                        "<system-out>{}</system-out>",
                        escape(&warnings.join("\n"))
                    );
                }
                Verdict::Inconclusive(why) => {
                    let first = why.lines().next().unwrap_or_default();
                    let _ = write!(
                        xml,
                        "<skipped message=\"inconclusive: {}\">{}</skipped>",
                        escape(first),
                        escape(why)
                    );
                }
                Verdict::Skipped => xml.push_str("<skipped message=\"undefined step\"/>"),
                Verdict::NotApplicable(why) => {
                    let _ = write!(
                        xml,
                        "<skipped message=\"not applicable: {}\"/>",
                        escape(why)
                    );
                }
            }
            let log = &case.clean_up;
            if log.has_failures() {
                let lines: Vec<String> = log
                    .failed
                    .iter()
                    .map(ToString::to_string)
                    .chain(
                        log.left_on_vim
                            .iter()
                            .map(|l| format!("left on the VIM: {l}")),
                    )
                    .collect();
                let _ = write!(
                    xml,
                    "<system-err>clean-up:\n{}</system-err>",
                    escape(&lines.join("\n"))
                );
            }
            let _ = writeln!(
                xml,
                "<properties><property name=\"verdict\" value=\"{}\"/><property name=\"tags\" value=\"{}\"/></properties></testcase>",
                case.verdict.label(),
                escape(&case.tags.join(" "))
            );
        }
        xml.push_str("  </testsuite>\n");
    }
    let _ = writeln!(
        xml,
        "  <testsuite name=\"clean-up\" tests=\"0\" failures=\"0\"><system-out>{}</system-out></testsuite>",
        escape(&clean_up::text(records, &run.end_of_run))
    );
    xml.push_str("</testsuites>\n");
    xml
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
