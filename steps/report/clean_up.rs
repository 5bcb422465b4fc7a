//! The clean-up section every report has: what the clean-up removed (after each scenario and at
//! the end of the run), every clean-up request that did not succeed (the item, the method, the
//! URL and the status), what the VNFM left on its VIM once its own clean-up was done (with the
//! scenario), and what the run left on the VNFM.

use std::{collections::BTreeMap, fmt::Write};

use serde_json::{json, Value};

use super::ScenarioRecord;
use crate::{
    cleanup_log::{FailedRequest, LeftOnVim},
    leftovers::EndOfRun,
};

/// The section's content, gathered from the scenarios' logs and the end of the run.
struct Section<'a> {
    /// Kind -> how many were removed.
    removed: BTreeMap<&'a str, usize>,
    /// `(scenario, request)`.
    failed: Vec<(String, &'a FailedRequest)>,
    /// `(scenario, resource)`.
    left_on_vim: Vec<(String, &'a LeftOnVim)>,
}

/// The name of a scenario in the section.
fn scenario(r: &ScenarioRecord) -> String {
    format!("{} / {}", r.feature, r.name)
}

fn gather<'a>(records: &'a [ScenarioRecord], end: &'a EndOfRun) -> Section<'a> {
    let mut section = Section {
        removed: BTreeMap::new(),
        failed: Vec::new(),
        left_on_vim: Vec::new(),
    };
    let logs = records
        .iter()
        .map(|r| (scenario(r), &r.clean_up))
        .chain(std::iter::once(("end of the run".to_string(), &end.log)));
    for (name, log) in logs {
        for (kind, _) in &log.removed {
            *section.removed.entry(kind.as_str()).or_default() += 1;
        }
        section
            .failed
            .extend(log.failed.iter().map(|f| (name.clone(), f)));
        section
            .left_on_vim
            .extend(log.left_on_vim.iter().map(|l| (name.clone(), l)));
    }
    section.left_on_vim.extend(
        end.cloud_left
            .iter()
            .map(|(scenario, left)| (scenario.clone(), left)),
    );
    section
}

/// What was removed, as `3 VNF instances, 2 subscriptions`.
fn removed_list(removed: &BTreeMap<&str, usize>) -> String {
    if removed.is_empty() {
        return "nothing".to_string();
    }
    removed
        .iter()
        .map(|(kind, n)| format!("{n} × {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The section in one line, for the console's summary.
pub fn summary(records: &[ScenarioRecord], end: &EndOfRun) -> String {
    let s = gather(records, end);
    let kept = s.left_on_vim.iter().filter(|(_, l)| !l.removed).count();
    format!(
        "removed {}; {} clean-up requests did not succeed; left on the VIM by the VNFM: {} ({} not removed); made by the run and still on the VNFM after the scenarios' clean-up: {}",
        removed_list(&s.removed),
        s.failed.len(),
        s.left_on_vim.len(),
        kept,
        end.vnfm_left.len()
    )
}

/// The section as Markdown.
pub fn markdown(records: &[ScenarioRecord], end: &EndOfRun) -> String {
    let s = gather(records, end);
    let mut md = String::from("\n## Clean-up\n\n");
    let _ = writeln!(md, "Removed: {}.\n", removed_list(&s.removed));
    md.push_str("### Clean-up requests that did not succeed\n\n");
    if s.failed.is_empty() {
        md.push_str("None.\n");
    } else {
        md.push_str(
            "| Scenario | Item | Method | URL | Status | Answer |\n|---|---|---|---|---|---|\n",
        );
        for (scenario, f) in &s.failed {
            let status = f.status.map_or("no answer".to_string(), |s| s.to_string());
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {status} | {} |",
                cell(scenario),
                cell(&f.item),
                f.method,
                cell(&f.url),
                cell(&f.detail)
            );
        }
    }
    md.push_str("\n### Left on the VIM by the VNFM\n\n");
    md.push_str(
        "Cloud resources still there once the VNFM's own clean-up was done (its instances \
         terminated and deleted, its snapshots deleted): found in the scenario's own cloud \
         project, or, for scenarios without one, by comparing the target's project before and \
         after the run for the resources the run's VNF instances used.\n\n",
    );
    if s.left_on_vim.is_empty() {
        md.push_str("None.\n");
    } else {
        md.push_str("| Scenario | Resource | Removed by the suite |\n|---|---|---|\n");
        for (scenario, left) in &s.left_on_vim {
            let resource = format!(
                "{} {} {:?} ({})",
                left.kind, left.id, left.name, left.status
            );
            let removed = if left.removed { "yes" } else { "**no**" };
            let _ = writeln!(
                md,
                "| {} | {} | {removed} |",
                cell(scenario),
                cell(&resource)
            );
        }
    }
    md.push_str("\n### Left on the VNFM\n\n");
    if end.vnfm_left.is_empty() {
        md.push_str(
            "None: every instance, snapshot and subscription the run made was gone after the \
             scenarios' clean-up.\n",
        );
    } else {
        md.push_str("Made by the run and still there after the scenarios' clean-up (the end-of-run sweep then tried again; see above):\n\n");
        for (scenario, item) in &end.vnfm_left {
            let _ = writeln!(md, "- {item} (made by {scenario})");
        }
    }
    if !end.vnfm_foreign.is_empty() {
        md.push_str("\nAppeared during the run without being made by its requests:\n\n");
        for item in &end.vnfm_foreign {
            let _ = writeln!(md, "- {item}");
        }
    }
    for note in &end.notes {
        let _ = writeln!(md, "\nNote: {note}");
    }
    md
}

/// The section as HTML.
pub fn html(records: &[ScenarioRecord], end: &EndOfRun, escape: fn(&str) -> String) -> String {
    let s = gather(records, end);
    let mut page = String::from("<h2>Clean-up</h2>\n");
    let _ = writeln!(
        page,
        "<p>Removed: {}.</p>",
        escape(&removed_list(&s.removed))
    );
    page.push_str("<h3>Clean-up requests that did not succeed</h3>\n");
    if s.failed.is_empty() {
        page.push_str("<p>None.</p>\n");
    } else {
        page.push_str("<table><tr><th>Scenario</th><th>Item</th><th>Method</th><th>URL</th><th>Status</th><th>Answer</th></tr>\n");
        for (scenario, f) in &s.failed {
            let status = f.status.map_or("no answer".to_string(), |s| s.to_string());
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td><td>{}</td></tr>",
                escape(scenario),
                escape(&f.item),
                escape(&f.method),
                escape(&f.url),
                escape(&f.detail)
            );
        }
        page.push_str("</table>\n");
    }
    page.push_str("<h3>Left on the VIM by the VNFM</h3>\n");
    if s.left_on_vim.is_empty() {
        page.push_str("<p>None.</p>\n");
    } else {
        page.push_str(
            "<table><tr><th>Scenario</th><th>Resource</th><th>Removed by the suite</th></tr>\n",
        );
        for (scenario, left) in &s.left_on_vim {
            let resource = format!(
                "{} {} {:?} ({})",
                left.kind, left.id, left.name, left.status
            );
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(scenario),
                escape(&resource),
                if left.removed { "yes" } else { "<b>no</b>" }
            );
        }
        page.push_str("</table>\n");
    }
    page.push_str("<h3>Left on the VNFM</h3>\n");
    if end.vnfm_left.is_empty() && end.vnfm_foreign.is_empty() {
        page.push_str("<p>None.</p>\n");
    } else {
        page.push_str("<ul>");
        for (scenario, item) in &end.vnfm_left {
            let _ = write!(
                page,
                "<li>{} (made by {})</li>",
                escape(item),
                escape(scenario)
            );
        }
        for item in &end.vnfm_foreign {
            let _ = write!(
                page,
                "<li>{} (not made by the run's requests)</li>",
                escape(item)
            );
        }
        page.push_str("</ul>\n");
    }
    for note in &end.notes {
        let _ = writeln!(page, "<p>Note: {}</p>", escape(note));
    }
    page
}

/// The section as JSON.
pub fn json(records: &[ScenarioRecord], end: &EndOfRun) -> Value {
    let s = gather(records, end);
    json!({
        "removed": s.removed,
        "failedRequests": s.failed.iter().map(|(scenario, f)| json!({
            "scenario": scenario,
            "item": f.item,
            "method": f.method,
            "url": f.url,
            "status": f.status,
            "detail": f.detail,
        })).collect::<Vec<_>>(),
        "leftOnVim": s.left_on_vim.iter().map(|(scenario, l)| json!({
            "scenario": scenario,
            "kind": l.kind,
            "id": l.id,
            "name": l.name,
            "status": l.status,
            "removedBySuite": l.removed,
        })).collect::<Vec<_>>(),
        "leftOnVnfm": end.vnfm_left.iter().map(|(scenario, item)| json!({
            "scenario": scenario,
            "item": item,
        })).collect::<Vec<_>>(),
        "appearedOnVnfm": end.vnfm_foreign,
        "notes": end.notes,
    })
}

/// The section as plain text lines, for JUnit's `system-out`.
pub fn text(records: &[ScenarioRecord], end: &EndOfRun) -> String {
    let s = gather(records, end);
    let mut out = format!("{}\n", summary(records, end));
    for (scenario, f) in &s.failed {
        let _ = writeln!(out, "did not succeed: {scenario}: {f}");
    }
    for (scenario, left) in &s.left_on_vim {
        let _ = writeln!(out, "left on the VIM by the VNFM: {scenario}: {left}");
    }
    for (scenario, item) in &end.vnfm_left {
        let _ = writeln!(out, "left on the VNFM: {item} (made by {scenario})");
    }
    for note in &end.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
