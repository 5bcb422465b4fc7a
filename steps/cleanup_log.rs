//! What the clean-up did, for the reports: every item it removed, every request of it that did
//! not succeed (the item, the method, the URL and the status), and what the VNFM left on its
//! VIM that the suite found and removed.

use std::fmt;

use crate::http::Exchange;

/// One clean-up request that did not succeed.
#[derive(Clone, Debug)]
pub struct FailedRequest {
    /// What the request was about, e.g. `subscription 8f…` or `cloud volume 1c…`.
    pub item: String,
    pub method: String,
    pub url: String,
    /// The status answered; `None` when no answer came (transport error, timeout).
    pub status: Option<u16>,
    /// The answer's body or the error, on one line and cut.
    pub detail: String,
}

/// The longest detail a failed request keeps (the reports show one line per request).
const DETAIL_CHARS: usize = 300;

impl FailedRequest {
    /// A request of `exchange` about `item` that was answered with a status the clean-up did
    /// not expect.
    pub fn answered(item: impl Into<String>, exchange: &Exchange) -> Self {
        Self {
            item: item.into(),
            method: exchange.request.method.to_string(),
            url: exchange.request.url.clone(),
            status: Some(exchange.status),
            detail: one_line(&exchange.text),
        }
    }

    /// A request about `item` that failed with `error` (no answer, or a client that reports
    /// the status in its error).
    pub fn failed(
        item: impl Into<String>,
        method: &str,
        url: impl Into<String>,
        status: Option<u16>,
        error: impl fmt::Display,
    ) -> Self {
        Self {
            item: item.into(),
            method: method.to_string(),
            url: url.into(),
            status,
            detail: one_line(&error.to_string()),
        }
    }
}

impl fmt::Display for FailedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self
            .status
            .map_or_else(|| "no answer".to_string(), |s| format!("answered {s}"));
        write!(
            f,
            "{}: {} {} {status}: {}",
            self.item, self.method, self.url, self.detail
        )
    }
}

/// `text` on one line, at most [`DETAIL_CHARS`] characters.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(DETAIL_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// A cloud resource the VNFM left on its VIM once its own clean-up was done (its instances
/// terminated and deleted, its snapshots deleted).
#[derive(Clone, Debug)]
pub struct LeftOnVim {
    /// `server`, `volume`, `volume snapshot`, `image`, `port`, `network`, ...
    pub kind: String,
    pub id: String,
    pub name: String,
    pub status: String,
    /// Whether the suite removed it.
    pub removed: bool,
}

impl fmt::Display for LeftOnVim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} named {:?} ({}){}",
            self.kind,
            self.id,
            self.name,
            self.status,
            if self.removed {
                ", removed by the suite"
            } else {
                ", NOT removed"
            }
        )
    }
}

/// What the clean-up after one scenario did.
#[derive(Clone, Debug, Default)]
pub struct CleanUpLog {
    /// What it removed, as `(kind, id)`: `subscription`, `VNF snapshot`, `VNF instance`,
    /// `volume` (left by the VNFM as documented, or out-of-band), `cloud project`, ...
    pub removed: Vec<(String, String)>,
    /// The requests that did not succeed; each names an item that may be left on the target.
    pub failed: Vec<FailedRequest>,
    /// What the VNFM left on the VIM, found in the scenario's own cloud project after the
    /// VNFM's own clean-up.
    pub left_on_vim: Vec<LeftOnVim>,
}

impl CleanUpLog {
    /// Notes that `id` of `kind` was removed.
    pub fn removed(&mut self, kind: &str, id: &str) {
        self.removed.push((kind.to_string(), id.to_string()));
    }

    /// Whether anything could not be cleaned up.
    pub fn has_failures(&self) -> bool {
        !self.failed.is_empty() || self.left_on_vim.iter().any(|l| !l.removed)
    }
}
