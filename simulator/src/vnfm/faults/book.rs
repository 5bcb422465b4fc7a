//! The registered VNFM fault rules, their hit counts, and what they decide for one request,
//! operation step or notification.

use tokio::sync::watch;

use super::rule::{EffectKind, Facts, VnfmFaultEffect, VnfmFaultRule};
use crate::{
    rule_book::{ActiveRule, RuleBook},
    saved_fault_rule::SavedFaultRule,
    vnfm::types::ProblemDetails,
};

/// The registered rules, in the order they were added.
pub type FaultBook = RuleBook<VnfmFaultRule>;

/// A registered rule as `GET /_vnfm/faults` lists it.
pub type FaultListing = crate::rule_book::FaultListing<VnfmFaultRule>;

/// A registered rule as a state document keeps it, without what it holds (held operations
/// come back in FAILED_TEMP after a load).
pub type SavedVnfmRule = SavedFaultRule<VnfmFaultRule>;

/// What the rules decided for one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestDecision {
    /// Added before the request is handled.
    pub latency_ms: u64,
    /// The refusal that replaces the answer: status and the unavailable service.
    pub unavailable: Option<(u16, String)>,
}

/// What the rules decided for one step of an operation.
#[derive(Debug)]
pub enum StepDecision {
    /// The step fails with this error.
    Fail(ProblemDetails),
    /// The operation waits here until the receiver sees a change or its sender goes.
    Hold(watch::Receiver<u64>),
}

/// What the rules decided for one notification.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotificationDecision {
    /// Waited before it is sent.
    pub delay_ms: u64,
    /// Not sent at all.
    pub drop: bool,
    /// Sent twice.
    pub duplicate: bool,
    /// Held back and sent after the next one.
    pub reorder: bool,
}

impl RuleBook<VnfmFaultRule> {
    /// The rules that match `facts` and fire, in order, consuming their triggers; of the
    /// effects that are `exclusive`, only the first that fires counts.
    fn fire(
        &mut self,
        facts: &Facts,
        exclusive: impl Fn(&VnfmFaultEffect) -> bool,
    ) -> Vec<&ActiveRule<VnfmFaultRule>> {
        let mut taken = false;
        let mut fired = Vec::new();
        for rule in self.rules_mut() {
            let is_exclusive = exclusive(&rule.rule.effect);
            if !rule.rule.matches(facts) || (is_exclusive && taken) || !rule.fires() {
                continue;
            }
            taken |= is_exclusive;
            fired.push(&*rule);
        }
        fired
    }

    /// Decides what happens to a request: latencies add up, the first `unavailable` wins.
    pub fn decide_request(&mut self, facts: &Facts) -> RequestDecision {
        let mut decision = RequestDecision::default();
        let fired = self.fire(facts, |effect| {
            matches!(effect, VnfmFaultEffect::Unavailable { .. })
        });
        for rule in fired {
            match &rule.rule.effect {
                VnfmFaultEffect::Latency { ms } => decision.latency_ms += ms,
                VnfmFaultEffect::Unavailable { status, service } => {
                    decision.unavailable = Some((*status, service.clone()))
                }
                _ => {}
            }
        }
        self.prune();
        decision
    }

    /// Decides what happens at a step of an operation: the first rule that fires.
    pub fn decide_step(&mut self, facts: &Facts) -> Option<StepDecision> {
        debug_assert_eq!(facts.kind, EffectKind::Step);
        let decision =
            self.fire(facts, |_| true)
                .first()
                .and_then(|rule| match &rule.rule.effect {
                    VnfmFaultEffect::FailAt { status, detail, .. } => Some(StepDecision::Fail(
                        ProblemDetails::new(*status, detail.clone()),
                    )),
                    VnfmFaultEffect::Hold { .. } => Some(StepDecision::Hold(rule.hold())),
                    _ => None,
                });
        self.prune();
        decision
    }

    /// Decides what happens to a notification: delays add up, the other effects combine.
    pub fn decide_notification(&mut self, facts: &Facts) -> NotificationDecision {
        let mut decision = NotificationDecision::default();
        for rule in self.fire(facts, |_| false) {
            match &rule.rule.effect {
                VnfmFaultEffect::Delay { ms } => decision.delay_ms += ms,
                VnfmFaultEffect::Drop => decision.drop = true,
                VnfmFaultEffect::Duplicate => decision.duplicate = true,
                VnfmFaultEffect::Reorder => decision.reorder = true,
                _ => {}
            }
        }
        self.prune();
        decision
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::vnfm::{faults::Step, types::LcmOperationType};

    fn rule(value: serde_json::Value) -> VnfmFaultRule {
        serde_json::from_value(value).expect("valid rule")
    }

    fn at(step: Step) -> Facts {
        Facts::step(LcmOperationType::CreateSnapshot, "i-1", step)
    }

    #[test]
    fn the_first_step_rule_that_fires_decides() {
        let mut book = FaultBook::default();
        book.add(rule(json!({
            "effect": {"type": "fail_at", "step": "vnfc", "detail": "never drawn"},
            "trigger": {"type": "probability", "p": 0.0, "seed": 1}
        })));
        book.add(rule(
            json!({"effect": {"type": "fail_at", "step": "vnfc", "detail": "second"}}),
        ));
        book.add(rule(
            json!({"effect": {"type": "fail_at", "step": "vnfc", "detail": "third"}}),
        ));
        assert!(book.decide_step(&at(Step::Starting)).is_none());
        match book.decide_step(&at(Step::Vnfc)) {
            Some(StepDecision::Fail(problem)) => assert_eq!(problem.detail, "second"),
            other => panic!("expected the second rule's failure, got {other:?}"),
        }
        let hits: Vec<u64> = book.list().iter().map(|listing| listing.hits).collect();
        assert_eq!(hits, [0, 1, 0]);
    }

    #[tokio::test]
    async fn a_spent_hold_rule_stays_until_it_is_released() {
        let mut book = FaultBook::default();
        let id = book.add(rule(json!({
            "effect": {"type": "hold", "step": "starting"},
            "trigger": {"type": "times", "count": 1}
        })));
        let Some(StepDecision::Hold(mut held)) = book.decide_step(&at(Step::Starting)) else {
            panic!("expected a hold");
        };
        assert_eq!(book.list()[0].held, 1);
        assert_eq!(book.list()[0].remaining, Some(0));
        assert!(book.release(&id));
        held.changed().await.expect("a release is a change");
        drop(held);
        assert!(book.decide_step(&at(Step::Starting)).is_none());
        assert!(book.is_empty(), "spent and no longer holding");
    }

    #[tokio::test]
    async fn removing_a_rule_ends_its_holds() {
        let mut book = FaultBook::default();
        let id = book.add(rule(json!({"effect": {"type": "hold"}})));
        let Some(StepDecision::Hold(mut held)) = book.decide_step(&at(Step::Starting)) else {
            panic!("expected a hold");
        };
        assert!(book.remove(&id));
        assert!(held.changed().await.is_err(), "the sender is gone");
    }

    #[test]
    fn notification_effects_combine_and_delays_add_up() {
        let mut book = FaultBook::default();
        for effect in [
            json!({"type": "delay", "ms": 5}),
            json!({"type": "delay", "ms": 7}),
            json!({"type": "duplicate"}),
        ] {
            book.add(rule(
                json!({"match": {"subscription_id": "s-1"}, "effect": effect}),
            ));
        }
        let facts = |subscription: &str| Facts {
            kind: EffectKind::Notification,
            api: None,
            method: None,
            path: None,
            operation: Some("CREATE_SNAPSHOT".into()),
            vnf_instance_id: Some("i-1".into()),
            subscription_id: Some(subscription.into()),
            step: None,
        };
        let decision = book.decide_notification(&facts("s-1"));
        assert_eq!(
            decision,
            NotificationDecision {
                delay_ms: 12,
                duplicate: true,
                ..NotificationDecision::default()
            }
        );
        assert_eq!(
            book.decide_notification(&facts("s-2")),
            NotificationDecision::default()
        );
    }
}
