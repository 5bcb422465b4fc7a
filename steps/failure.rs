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

/// How the text of a failure to establish a scenario's preconditions starts.
pub const UNMET_PRECONDITION: &str = "precondition not established: ";

impl Failure {
    /// The same failure, marked as one of establishing the scenario's preconditions (a fixture
    /// the target could not provide): against an external target the scenario is INCONCLUSIVE.
    pub fn unmet_precondition(self) -> Self {
        Self(format!("{UNMET_PRECONDITION}{}", self.0))
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
