//! Cross-cutting rules every answer of the VNFM follows (headers, content types, the error
//! body). Each is held by scenarios of its own, tagged `@rule:<name>`, where a violation FAILs;
//! elsewhere, on an external target, a violation is a WARN naming the rule and the tag of the
//! scenarios holding it, so one deviation shows as a few FAILs rather than one per scenario.
//! Against the reference stack every violation FAILs wherever it is seen.

use std::fmt;

use crate::{
    failure::{Failure, Outcome},
    world::Conformance,
};

/// A rule checked on every answer.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// SOL013 §9.1: every response carries `Version` with the version used.
    VersionHeader,
    /// SOL013 §4.4: a body is JSON, with a JSON media type.
    JsonContentType,
    /// SOL013 §6.4: an error answer carries a ProblemDetails whose `status` is the HTTP status.
    ProblemDetails,
}

impl Rule {
    /// The tag of the scenarios that hold the rule.
    pub fn tag(self) -> &'static str {
        match self {
            Rule::VersionHeader => "rule:version-header",
            Rule::JsonContentType => "rule:content-type",
            Rule::ProblemDetails => "rule:problem-details",
        }
    }

    /// The spec clause the rule comes from.
    pub fn clause(self) -> &'static str {
        match self {
            Rule::VersionHeader => "SOL013 §9.1",
            Rule::JsonContentType => "SOL013 §4.4",
            Rule::ProblemDetails => "SOL013 §6.4",
        }
    }
}

impl Conformance {
    /// Checks `rule` on an answer: `Ok` when `held`; otherwise a failure (`failure` describes
    /// it) in the scenarios holding the rule and on the reference stack, and a warning
    /// elsewhere.
    pub fn check_rule(&self, rule: Rule, held: bool, failure: impl FnOnce() -> Failure) -> Outcome {
        if held {
            return Ok(());
        }
        let failure = failure();
        if self.target.reference || self.tags.iter().any(|t| t == rule.tag()) {
            return Err(failure);
        }
        let text = failure.to_string();
        let summary = text.lines().take(2).collect::<Vec<_>>().join(" | ");
        self.warn(format!(
            "{} ({}), held by the scenarios tagged @{}: {summary}",
            rule,
            rule.clause(),
            rule.tag()
        ));
        Ok(())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::VersionHeader => "the Version header on every answer",
            Rule::JsonContentType => "a JSON content type on every body",
            Rule::ProblemDetails => "a ProblemDetails on every error",
        })
    }
}
