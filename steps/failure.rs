//! The error a step fails with: what was expected, and the HTTP exchange that showed otherwise.

use std::fmt;

/// A failed expectation. Its text is what cucumber prints and what the reports keep.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    /// A failure described by `message` alone.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// A failure about an exchange: prints the expectation, then the request and the response.
    pub fn about(exchange: &impl fmt::Display, expected: impl fmt::Display) -> Self {
        Self(format!("expected: {expected}\n{exchange}"))
    }
}

/// How the text of a failure starts when it says the scenario could not be judged (against an
/// external target the scenario is then INCONCLUSIVE).
pub const INCONCLUSIVE: &str = "inconclusive: ";

impl Failure {
    /// The same failure, marked as one of establishing the scenario's preconditions (a fixture
    /// the target could not provide).
    pub fn unmet_precondition(self) -> Self {
        Self(format!(
            "{INCONCLUSIVE}precondition not established: {}",
            self.0
        ))
    }

    /// A scenario that needed an operation in progress met it too late (`@natural-duration`).
    pub fn window_missed(why: impl fmt::Display) -> Self {
        Self(format!(
            "{INCONCLUSIVE}the operation's natural duration gave no window: {why}"
        ))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl From<reqwest::Error> for Failure {
    fn from(error: reqwest::Error) -> Self {
        Self(format!("HTTP transport error: {error:#}"))
    }
}

impl From<simulator::kit::CallError> for Failure {
    fn from(error: simulator::kit::CallError) -> Self {
        Self(error.to_string())
    }
}

/// What every step returns.
pub type Outcome<T = ()> = Result<T, Failure>;

/// Fails with `expected` (and the exchange) unless `condition` holds.
pub fn ensure(
    condition: bool,
    exchange: &impl fmt::Display,
    expected: impl fmt::Display,
) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(Failure::about(exchange, expected))
    }
}
