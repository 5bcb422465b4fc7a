//! Why an operation stopped, as the op occ's `error`.

use crate::vnfm::{
    error::VnfmError,
    types::{CancelModeType, ProblemDetails},
    vim::{VimError, VimErrorKind},
};

/// An operation step that did not finish.
#[derive(Clone, Debug)]
pub enum OpFailure {
    /// The cloud failed; the message carries the cloud's words.
    Vim(VimError),
    /// A cancel request was processed.
    Cancelled(CancelModeType),
    /// The operation found the VNFM's own state changed under it.
    Internal(String),
    /// A `fail_at` fault rule failed the step with this error.
    Injected(ProblemDetails),
    /// A documented limitation the profile refuses by the operation rather than at request
    /// time: the refusal the request would otherwise have had.
    Limitation(VnfmError),
}

impl From<VimError> for OpFailure {
    fn from(error: VimError) -> Self {
        Self::Vim(error)
    }
}

impl OpFailure {
    /// The ProblemDetails stored in the op occ and sent in notifications.
    pub fn problem(&self) -> ProblemDetails {
        match self {
            Self::Vim(error) => {
                let status = match error.kind {
                    VimErrorKind::Timeout => 504,
                    VimErrorKind::Unreachable | VimErrorKind::ServerError => 503,
                    _ => 500,
                };
                ProblemDetails::new(status, error.message.clone())
            }
            Self::Cancelled(mode) => ProblemDetails::new(
                409,
                format!(
                    "the operation was cancelled on request (cancelMode {}); retry it, roll it back or mark it failed",
                    mode.as_str()
                ),
            ),
            Self::Internal(detail) => ProblemDetails::new(500, detail.clone()),
            Self::Injected(problem) => problem.clone(),
            Self::Limitation(refusal) => refusal.problem(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_names_its_mode_with_the_spec_spelling() {
        for (mode, text) in [
            (CancelModeType::Forceful, "cancelMode FORCEFUL"),
            (CancelModeType::Graceful, "cancelMode GRACEFUL"),
        ] {
            let problem = OpFailure::Cancelled(mode).problem();
            assert_eq!(problem.status, 409);
            assert!(problem.detail.contains(text), "{}", problem.detail);
        }
    }
}
