//! The service-impact figures: for each watched operation (create snapshot, revert), how long
//! each VNFC was not serving, with a timeline picture per operation in the HTML report (inline
//! SVG, readable without any script). Figures, not verdicts: the documentation promises
//! nothing about the outage an operation causes.

use std::{fmt::Write, sync::Mutex};

use serde::Serialize;
use serde_json::Value;

use super::html::escape;
use crate::domain::data::outage::VnfcImpact;

/// What one operation cost the running service.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceImpact {
    /// The scenario (its feature and name slug).
    pub scenario: String,
    /// The VNF instance id.
    pub instance: String,
    /// `CREATE_SNAPSHOT` or `REVERT_TO_SNAPSHOT`.
    pub operation: String,
    /// How the servers' states were observed.
    pub source: String,
    /// From the request to the operation's completion, as observed.
    pub window_ms: u64,
    pub vnfcs: Vec<VnfcImpact>,
}

static IMPACTS: Mutex<Vec<ServiceImpact>> = Mutex::new(Vec::new());

/// Adds a figure to the reports.
pub fn record(impact: ServiceImpact) {
    IMPACTS.lock().expect("figures poisoned").push(impact);
}

fn all() -> Vec<ServiceImpact> {
    let mut impacts = IMPACTS.lock().expect("figures poisoned").clone();
    impacts.sort_by(|a, b| (&a.scenario, &a.operation).cmp(&(&b.scenario, &b.operation)));
    impacts
}

/// The figures for the JSON report.
pub fn json() -> Value {
    serde_json::to_value(all()).unwrap_or_default()
}

/// The figures for the Markdown report: one line per VNFC.
pub fn markdown() -> String {
    let impacts = all();
    if impacts.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "\n## Service impact\n\nHow long each VNFC was not serving during the operation \
         (figures, not verdicts).\n\n| Scenario | Operation | VNFC | Not serving | Window | Source |\n|---|---|---|---|---|---|\n",
    );
    for impact in &impacts {
        for vnfc in &impact.vnfcs {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} ms | {} ms | {} |",
                impact.scenario,
                impact.operation,
                vnfc.vnfc_id,
                vnfc.not_serving_ms,
                impact.window_ms,
                impact.source
            );
        }
    }
    text
}

/// The figures for the HTML report, each operation with its timeline picture.
pub fn html() -> String {
    let impacts = all();
    if impacts.is_empty() {
        return String::new();
    }
    let mut page = String::from(
        "<h2>Service impact</h2>\n<p>How long each VNFC was not serving while the operation \
         ran, from the request to its completion: a VNFC serves while one of its servers is \
         ACTIVE and not being deleted. Figures, not verdicts: the documentation promises nothing \
         about the outage an operation causes. Hover over a stretch for its state and times.</p>\n",
    );
    page.push_str(LEGEND);
    for impact in &impacts {
        let _ = write!(
            page,
            "<h3>{} &middot; {}</h3><p>VNF instance <code>{}</code> &middot; window {} ms \
             &middot; {}</p>\n<table><tr><th>VNFC</th><th>Not serving</th><th>Servers</th></tr>",
            escape(&impact.scenario),
            escape(&impact.operation),
            escape(&impact.instance),
            impact.window_ms,
            escape(&impact.source)
        );
        for vnfc in &impact.vnfcs {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td>{} ms</td><td><code>{}</code></td></tr>",
                escape(&vnfc.vnfc_id),
                vnfc.not_serving_ms,
                escape(&vnfc.servers.join(" → "))
            );
        }
        page.push_str("</table>\n");
        page.push_str(&timeline(impact));
    }
    page
}

const LEGEND: &str = "<p class=\"legend\"><span style=\"background:#5cb85c\">&nbsp;&nbsp;</span> \
serving <span style=\"background:#f0ad4e\">&nbsp;&nbsp;</span> building or rebuilding \
<span style=\"background:#e67e22\">&nbsp;&nbsp;</span> other state (a task, paused, stopped) \
<span style=\"background:#d9534f\">&nbsp;&nbsp;</span> replaced, gone or absent</p>\n";

/// The colour of a stretch.
fn colour(state: &str, serving: bool) -> &'static str {
    if serving {
        "#5cb85c"
    } else if state.starts_with("BUILD") || state.starts_with("REBUILD") {
        "#f0ad4e"
    } else if ["replaced", "gone", "absent"].contains(&state) {
        "#d9534f"
    } else {
        "#e67e22"
    }
}

const LABEL_WIDTH: f64 = 200.0;
const BAR_WIDTH: f64 = 600.0;
const ROW: f64 = 26.0;

/// The timeline of one operation: one bar per VNFC across the window.
fn timeline(impact: &ServiceImpact) -> String {
    let height = ROW * impact.vnfcs.len() as f64 + 24.0;
    let width = LABEL_WIDTH + BAR_WIDTH + 10.0;
    let scale = BAR_WIDTH / impact.window_ms.max(1) as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-label=\"service timeline of {}\" font-family=\"sans-serif\" font-size=\"12\">",
        escape(&impact.operation)
    );
    for (row, vnfc) in impact.vnfcs.iter().enumerate() {
        let y = ROW * row as f64;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 16.0,
            escape(&short(&vnfc.vnfc_id))
        );
        for segment in &vnfc.segments {
            let x = LABEL_WIDTH + segment.from_ms as f64 * scale;
            let w = ((segment.to_ms - segment.from_ms) as f64 * scale).max(1.0);
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\">\
                 <title>{}: {} to {} ms{}</title></rect>",
                y + 3.0,
                colour(&segment.state, segment.serving),
                escape(&segment.state),
                segment.from_ms,
                segment.to_ms,
                if segment.serving {
                    " (serving)"
                } else {
                    " (not serving)"
                }
            );
        }
    }
    let axis = ROW * impact.vnfcs.len() as f64 + 16.0;
    let _ = writeln!(
        svg,
        "<text x=\"{LABEL_WIDTH}\" y=\"{axis}\">0 ms</text><text x=\"{}\" y=\"{axis}\" \
         text-anchor=\"end\">{} ms</text></svg>",
        LABEL_WIDTH + BAR_WIDTH,
        impact.window_ms
    );
    svg
}

/// A VNFC id short enough for the picture's label column.
fn short(id: &str) -> String {
    if id.chars().count() <= 28 {
        id.to_string()
    } else {
        format!("{}…", id.chars().take(27).collect::<String>())
    }
}
