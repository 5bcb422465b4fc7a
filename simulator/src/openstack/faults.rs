//! Fault rules as data: which requests they match, what they do, and when they fire.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::{model::Fate, service::Service};
pub use crate::trigger::Trigger;
use crate::{
    rule_book::RuleBook,
    saved_fault_rule::{SavedFaultRule, TriggeredRule},
};

/// A rule as posted to `POST /_sim/faults`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Which requests it applies to; every given criterion must hold.
    #[serde(default, rename = "match")]
    pub matcher: FaultMatch,
    /// What happens to a matching request.
    pub effect: FaultEffect,
    /// When a matching request is affected.
    #[serde(default)]
    pub trigger: Trigger,
}

/// Match criteria; absent ones match anything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultMatch {
    pub service: Option<Service>,
    /// HTTP method, case-insensitive.
    pub method: Option<String>,
    /// Operation name such as `servers.action.createImage`; a trailing `*` matches a prefix.
    pub operation: Option<String>,
    /// A substring of the request path.
    pub path: Option<String>,
    pub project_id: Option<String>,
    /// Name of the resource created or addressed; a trailing `*` matches a prefix.
    pub resource_name: Option<String>,
}

/// What a rule does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultEffect {
    /// Answer with the service's own error body and this status; nothing changes.
    Error {
        status: u16,
        #[serde(default)]
        message: Option<String>,
    },
    /// Close the connection without answering, as a down endpoint looks to a client.
    Unreachable,
    /// Delay the answer.
    Latency { ms: u64 },
    /// The service does not answer in time: the request is held for `ms` milliseconds, then
    /// the front proxy answers `504 Gateway Timeout` and nothing changes. A client whose own
    /// timeout is shorter gives up first; either way the call times out whatever the load of
    /// the machine. Removing the rule before ends the hold: the held requests are then served
    /// as usual, as by a service that recovered.
    Timeout {
        #[serde(default)]
        ms: u64,
    },
    /// Apply the change, then answer with an error anyway.
    FalseNegative {
        status: u16,
        #[serde(default)]
        message: Option<String>,
    },
    /// The resource created or changed never leaves its transitional status.
    Stuck,
    /// The resource ends in the service's error status (`ERROR`, `error`, `killed`).
    ErrorLater,
}

/// The longest a `timeout` effect may hold a request (one hour).
pub const MAX_HOLD_MS: u64 = 3_600_000;

/// The facts about a request that rules match on.
#[derive(Clone, Debug, Default)]
pub struct RequestFacts {
    pub service: Option<Service>,
    pub method: String,
    pub operation: String,
    pub path: String,
    pub project_id: Option<String>,
    pub resource_name: Option<String>,
}

/// What the matching rules decided for one request.
#[derive(Clone, Debug, Default)]
pub struct Decision {
    pub latency_ms: u64,
    pub outcome: Option<Outcome>,
    pub fate: Fate,
    /// For [`Outcome::GatewayTimeout`]: a hold on the rule, which its removal ends.
    pub hold: Option<watch::Receiver<u64>>,
}

/// How the answer is replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Error {
        status: u16,
        message: Option<String>,
    },
    Unreachable,
    FalseNegative {
        status: u16,
        message: Option<String>,
    },
    /// Hold the request `after_ms`, then answer 504 from the front proxy.
    GatewayTimeout {
        after_ms: u64,
    },
}

/// The registered rules, in the order they were added (first match wins per kind of effect).
pub type FaultBook = RuleBook<FaultRule>;

/// A registered rule as `GET /_sim/faults` lists it.
pub type FaultListing = crate::rule_book::FaultListing<FaultRule>;

/// A registered rule as a state document keeps it.
pub type SavedRule = SavedFaultRule<FaultRule>;

/// `value` is `pattern`, or starts with it when `pattern` ends with `*`.
pub(crate) fn glob_match(pattern: &str, value: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => value.starts_with(prefix),
        None => pattern == value,
    }
}

impl FaultMatch {
    fn matches(&self, facts: &RequestFacts) -> bool {
        self.service.is_none_or(|s| Some(s) == facts.service)
            && self
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(&facts.method))
            && self
                .operation
                .as_ref()
                .is_none_or(|o| glob_match(o, &facts.operation))
            && self
                .path
                .as_ref()
                .is_none_or(|p| facts.path.contains(p.as_str()))
            && self
                .project_id
                .as_ref()
                .is_none_or(|p| facts.project_id.as_ref() == Some(p))
            && self.resource_name.as_ref().is_none_or(|n| {
                facts
                    .resource_name
                    .as_deref()
                    .is_some_and(|name| glob_match(n, name))
            })
    }
}

impl TriggeredRule for FaultRule {
    fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// Checks the rule's values (status codes, probability) before it is registered.
    fn validate(&self) -> Result<(), String> {
        match &self.effect {
            FaultEffect::Error { status, .. } | FaultEffect::FalseNegative { status, .. }
                if !(400..=599).contains(status) =>
            {
                return Err(format!(
                    "effect status {status} is not an HTTP error status (400-599)"
                ));
            }
            FaultEffect::Timeout { ms } if *ms > MAX_HOLD_MS => {
                return Err(format!(
                    "effect ms {ms} is longer than the longest hold ({MAX_HOLD_MS} ms)"
                ));
            }
            _ => {}
        }
        self.trigger.validate()
    }
}

impl RuleBook<FaultRule> {
    /// Decides what happens to a request, consuming triggers of the rules that fire.
    pub fn decide(&mut self, facts: &RequestFacts) -> Decision {
        let mut decision = Decision::default();
        let mut fate_set = false;
        for active in self.rules_mut() {
            if !active.rule.matcher.matches(facts) {
                continue;
            }
            let slot_free = match active.rule.effect {
                FaultEffect::Latency { .. } => true,
                FaultEffect::Stuck | FaultEffect::ErrorLater => !fate_set,
                _ => decision.outcome.is_none(),
            };
            if !slot_free || !active.fires() {
                continue;
            }
            match &active.rule.effect {
                FaultEffect::Latency { ms } => decision.latency_ms += ms,
                FaultEffect::Stuck => {
                    decision.fate = Fate::Stuck;
                    fate_set = true;
                }
                FaultEffect::ErrorLater => {
                    decision.fate = Fate::Fails;
                    fate_set = true;
                }
                FaultEffect::Unreachable => decision.outcome = Some(Outcome::Unreachable),
                FaultEffect::Error { status, message } => {
                    decision.outcome = Some(Outcome::Error {
                        status: *status,
                        message: message.clone(),
                    })
                }
                FaultEffect::FalseNegative { status, message } => {
                    decision.outcome = Some(Outcome::FalseNegative {
                        status: *status,
                        message: message.clone(),
                    })
                }
                FaultEffect::Timeout { ms } => {
                    decision.outcome = Some(Outcome::GatewayTimeout { after_ms: *ms });
                    decision.hold = Some(active.hold());
                }
            }
        }
        self.prune();
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(operation: &str) -> RequestFacts {
        RequestFacts {
            service: Some(Service::Cinder),
            method: "POST".into(),
            operation: operation.into(),
            path: "/volume/v3/p1/snapshots".into(),
            project_id: Some("p1".into()),
            resource_name: Some("snapshot for abc".into()),
        }
    }

    fn rule(json: serde_json::Value) -> FaultRule {
        serde_json::from_value(json).expect("valid rule")
    }

    #[test]
    fn times_trigger_fires_exactly_n_times_then_the_rule_is_gone() {
        let mut book = FaultBook::default();
        book.add(rule(serde_json::json!({
            "match": {"service": "cinder", "operation": "snapshots.create"},
            "effect": {"type": "error", "status": 500},
            "trigger": {"type": "times", "count": 2}
        })));
        let hits = (0..4)
            .filter(|_| book.decide(&facts("snapshots.create")).outcome.is_some())
            .count();
        assert_eq!(hits, 2);
        assert!(book.list().is_empty());
    }

    #[test]
    fn probability_trigger_is_reproducible_with_a_seed() {
        let run = || {
            let mut book = FaultBook::default();
            book.add(rule(serde_json::json!({
                "effect": {"type": "unreachable"},
                "trigger": {"type": "probability", "p": 0.5, "seed": 42}
            })));
            (0..64)
                .map(|_| book.decide(&facts("snapshots.create")).outcome.is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let fired = first.iter().filter(|f| **f).count();
        assert!((16..=48).contains(&fired), "fired {fired} of 64");
    }

    #[test]
    fn criteria_must_all_hold_and_globs_match_prefixes() {
        let mut book = FaultBook::default();
        book.add(rule(serde_json::json!({
            "match": {"operation": "snapshots.*", "project_id": "p1", "resource_name": "snapshot for *"},
            "effect": {"type": "stuck"}
        })));
        assert_eq!(book.decide(&facts("snapshots.create")).fate, Fate::Stuck);
        let mut other_project = facts("snapshots.create");
        other_project.project_id = Some("p2".into());
        assert_eq!(book.decide(&other_project).fate, Fate::Normal);
        assert_eq!(book.decide(&facts("volumes.create")).fate, Fate::Normal);
    }

    #[test]
    fn latency_adds_up_and_first_outcome_wins() {
        let mut book = FaultBook::default();
        book.add(rule(
            serde_json::json!({"effect": {"type": "latency", "ms": 5}}),
        ));
        book.add(rule(
            serde_json::json!({"effect": {"type": "latency", "ms": 7}}),
        ));
        book.add(rule(
            serde_json::json!({"effect": {"type": "error", "status": 503}}),
        ));
        book.add(rule(serde_json::json!({"effect": {"type": "unreachable"}})));
        let decision = book.decide(&facts("snapshots.create"));
        assert_eq!(decision.latency_ms, 12);
        assert_eq!(
            decision.outcome,
            Some(Outcome::Error {
                status: 503,
                message: None
            })
        );
    }

    #[test]
    fn invalid_rules_are_refused() {
        let bad_status = rule(serde_json::json!({"effect": {"type": "error", "status": 200}}));
        assert!(bad_status.validate().is_err());
        let bad_p = rule(serde_json::json!({
            "effect": {"type": "unreachable"},
            "trigger": {"type": "probability", "p": 1.5, "seed": 1}
        }));
        assert!(bad_p.validate().is_err());
        let long_hold =
            rule(serde_json::json!({"effect": {"type": "timeout", "ms": MAX_HOLD_MS + 1}}));
        assert!(long_hold.validate().is_err());
        assert!(serde_json::from_value::<FaultRule>(serde_json::json!({
            "effect": {"type": "explode"}
        }))
        .is_err());
    }

    #[test]
    fn a_restored_book_continues_the_draws_and_the_counts() {
        let mut book = FaultBook::default();
        book.add(rule(serde_json::json!({
            "effect": {"type": "error", "status": 500},
            "trigger": {"type": "probability", "p": 0.5, "seed": 7}
        })));
        book.add(rule(serde_json::json!({
            "effect": {"type": "latency", "ms": 5},
            "trigger": {"type": "times", "count": 9}
        })));
        for _ in 0..5 {
            book.decide(&facts("snapshots.create"));
        }
        let mut restored = FaultBook::restore("cloud_faults", book.save()).unwrap();
        assert_eq!(restored.save(), book.save());
        for _ in 0..20 {
            let (expected, got) = (
                book.decide(&facts("snapshots.create")),
                restored.decide(&facts("snapshots.create")),
            );
            assert_eq!(got.outcome, expected.outcome);
            assert_eq!(got.latency_ms, expected.latency_ms);
        }
    }
}
