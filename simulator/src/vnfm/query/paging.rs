//! The opaque next-page marker: the position in the ordered collection where the next page
//! starts.

use std::fmt;

/// Where the next page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageMarker(pub u64);

const PREFIX: &str = "p";

impl PageMarker {
    /// Parses a marker given by the client; `Err` is a 400 detail.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.strip_prefix(PREFIX)
            .and_then(|digits| digits.parse::<u64>().ok())
            .map(Self)
            .ok_or_else(|| {
                format!("nextpage_opaque_marker {text:?} is not a marker this VNFM issued; restart from the first page")
            })
    }
}

impl fmt::Display for PageMarker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", self.0)
    }
}
