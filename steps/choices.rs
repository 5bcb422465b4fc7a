//! Answers the specifications leave open. Where no clause of SOL003/SOL002 v3.3.1, SOL013, an
//! RFC or the vendor documentation makes one answer the only conformant one, the suite holds
//! the reference VNFM to its own documented choice (docs/vnfm-choices.md), a FAIL against the
//! reference stack only, and accepts every other conformant answer from another target with a
//! WARN that says what it saw. The steps that check such a choice say so in their text ("the
//! reference VNFM's choice") or in their doc comment.

use crate::{
    failure::{Failure, Outcome},
    world::Conformance,
};

/// How a warning about an open choice starts in the reports.
const OPEN_CHOICE: &str = "open choice, no clause fixes it";

impl Conformance {
    /// `Ok` when `held`; otherwise, against the reference stack, a failure (the reference's
    /// choice is documented), and against any other target a warning naming `finding`.
    pub fn reference_choice(&self, held: bool, finding: impl FnOnce() -> String) -> Outcome {
        if held {
            return Ok(());
        }
        let finding = finding();
        if self.target.reference {
            return Err(Failure::new(format!(
                "the reference VNFM's documented choice (docs/vnfm-choices.md) does not hold: {finding}"
            )));
        }
        self.other_choice(finding);
        Ok(())
    }

    /// Records that the target took a conformant answer other than the reference VNFM's.
    pub fn other_choice(&self, finding: impl std::fmt::Display) {
        self.warn(format!("{OPEN_CHOICE} ({finding})"));
    }
}
