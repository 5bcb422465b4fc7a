//! The consistency figures: with a live workload writing on every VNFC, the point in workload
//! time each disk of each VNFC snapshot holds, and how far apart the VNFC snapshots of one VNF
//! snapshot were taken. Figures, not verdicts: the documentation promises nothing about it.

use std::{fmt::Write, sync::Mutex};

use serde::Serialize;
use serde_json::Value;

use super::html::escape;

/// One disk of a VNFC snapshot: the image or volume snapshot holding it and the cloud time of
/// the workload's last write it holds.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskPoint {
    /// `image <id>` or `volume snapshot <id>`.
    pub resource: String,
    /// `None`: the workload never wrote what this resource holds.
    pub workload_ms: Option<u64>,
}

/// One VNFC snapshot.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VnfcPoint {
    pub vnfc_id: String,
    pub vnfc_snapshot_id: String,
    pub disks: Vec<DiskPoint>,
}

/// One VNF snapshot taken while the workload ran.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consistency {
    pub scenario: String,
    pub instance: String,
    pub vnf_snapshot_info_id: String,
    /// The latest workload time held minus the earliest, over every disk of every VNFC
    /// snapshot (`None` when no disk holds one).
    pub spread_ms: Option<u64>,
    /// The same across the VNFC snapshots only (each VNFC snapshot at its earliest disk).
    pub between_vnfcs_ms: Option<u64>,
    pub vnfc_snapshots: Vec<VnfcPoint>,
}

impl Consistency {
    /// The figure of `vnfc_snapshots`.
    pub fn of(
        scenario: &str,
        instance: &str,
        vnf_snapshot_info_id: &str,
        vnfc_snapshots: Vec<VnfcPoint>,
    ) -> Self {
        let times = || {
            vnfc_snapshots
                .iter()
                .flat_map(|v| v.disks.iter().filter_map(|d| d.workload_ms))
        };
        let spread = times().max().zip(times().min()).map(|(hi, lo)| hi - lo);
        let firsts: Vec<u64> = vnfc_snapshots
            .iter()
            .filter_map(|v| v.disks.iter().filter_map(|d| d.workload_ms).min())
            .collect();
        let between = firsts
            .iter()
            .max()
            .zip(firsts.iter().min())
            .map(|(hi, lo)| hi - lo);
        Self {
            scenario: scenario.to_string(),
            instance: instance.to_string(),
            vnf_snapshot_info_id: vnf_snapshot_info_id.to_string(),
            spread_ms: spread,
            between_vnfcs_ms: between,
            vnfc_snapshots,
        }
    }
}

static FIGURES: Mutex<Vec<Consistency>> = Mutex::new(Vec::new());

/// Adds a figure to the reports.
pub fn record(figure: Consistency) {
    FIGURES.lock().expect("figures poisoned").push(figure);
}

fn all() -> Vec<Consistency> {
    let mut figures = FIGURES.lock().expect("figures poisoned").clone();
    figures.sort_by(|a, b| a.scenario.cmp(&b.scenario));
    figures
}

/// The figures for the JSON report.
pub fn json() -> Value {
    serde_json::to_value(all()).unwrap_or_default()
}

fn ms(value: Option<u64>) -> String {
    value.map_or("no workload time".to_string(), |v| format!("{v} ms"))
}

/// The figures for the Markdown report.
pub fn markdown() -> String {
    let figures = all();
    if figures.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "\n## Consistency of VNF snapshots\n\nHow far apart in workload time the disks of one VNF \
         snapshot were taken (figures, not verdicts).\n\n| Scenario | VNF snapshot | All disks | Between VNFCs |\n|---|---|---|---|\n",
    );
    for figure in &figures {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} |",
            figure.scenario,
            figure.vnf_snapshot_info_id,
            ms(figure.spread_ms),
            ms(figure.between_vnfcs_ms)
        );
    }
    text
}

/// The figures for the HTML report.
pub fn html() -> String {
    let figures = all();
    if figures.is_empty() {
        return String::new();
    }
    let mut page = String::from(
        "<h2>Consistency of VNF snapshots</h2>\n<p>A live workload wrote on every disk of every \
         VNFC while the VNF snapshot was taken; each image and volume snapshot holds the cloud \
         time of the last write it saw. Figures, not verdicts: the documentation promises \
         nothing about it.</p>\n",
    );
    for figure in &figures {
        let _ = write!(
            page,
            "<h3>{}</h3><p>VNF snapshot <code>{}</code> of <code>{}</code>: all disks within {}, \
             the VNFC snapshots within {}</p>\n<table><tr><th>VNFC</th><th>VNFC snapshot</th>\
             <th>Resource</th><th>Workload time held</th></tr>",
            escape(&figure.scenario),
            escape(&figure.vnf_snapshot_info_id),
            escape(&figure.instance),
            ms(figure.spread_ms),
            ms(figure.between_vnfcs_ms)
        );
        for vnfc in &figure.vnfc_snapshots {
            for disk in &vnfc.disks {
                let _ = write!(
                    page,
                    "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    escape(&vnfc.vnfc_id),
                    escape(&vnfc.vnfc_snapshot_id),
                    escape(&disk.resource),
                    ms(disk.workload_ms)
                );
            }
        }
        page.push_str("</table>\n");
    }
    page
}
