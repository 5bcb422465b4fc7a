//! The registered VNFM fault rules, their hit counts, and what they decide for one request,
//! operation step or notification.

use serde::Serialize;
use tokio::sync::watch;

use super::rule::{EffectKind, Facts, VnfmFaultEffect, VnfmFaultRule};
use crate::{saved_fault_rule::SavedFaultRule, trigger::TriggerState, vnfm::types::ProblemDetails};

struct ActiveRule {
    id: String,
    rule: VnfmFaultRule,
    trigger: TriggerState,
    hits: u64,
    /// Held operations wait for a change (a release) or for the sender to go (the rule's
    /// removal); each holds one receiver, so the receiver count is the number held.
    release: watch::Sender<u64>,
}

impl ActiveRule {
    fn holding(&self) -> usize {
        self.release.receiver_count()
    }
}

/// A registered rule as `GET /_vnfm/faults` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct FaultListing {
    /// The id `POST /_vnfm/faults` answered.
    pub id: String,
    /// The rule as posted (defaults filled in).
    #[serde(flatten)]
    pub rule: VnfmFaultRule,
    /// How many times it fired.
    pub hits: u64,
    /// The uses left of a `times` trigger.
    pub remaining: Option<u32>,
    /// The operations a `hold` rule holds now.
    pub held: usize,
}

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

/// The registered rules, in the order they were added.
#[derive(Default)]
pub struct FaultBook {
    rules: Vec<ActiveRule>,
}

impl std::fmt::Debug for FaultBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultBook")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl FaultBook {
    /// Registers a (validated) rule and returns its id.
    pub fn add(&mut self, rule: VnfmFaultRule) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.rules.push(ActiveRule {
            id: id.clone(),
            trigger: rule.trigger.start(),
            rule,
            hits: 0,
            release: watch::Sender::new(0),
        });
        id
    }

    /// Removes one rule, releasing the operations it holds; false when unknown.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.rules.len();
        self.rules.retain(|rule| rule.id != id);
        self.rules.len() < before
    }

    /// Removes every rule, releasing every held operation.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Lets the operations a rule holds go on; the rule stays for later matches unless its
    /// trigger is spent. False when unknown.
    pub fn release(&mut self, id: &str) -> bool {
        let Some(rule) = self.rules.iter().find(|rule| rule.id == id) else {
            return false;
        };
        rule.release.send_modify(|generation| *generation += 1);
        self.prune();
        true
    }

    /// The rules with their trigger state, for a state document.
    pub fn save(&self) -> Vec<SavedVnfmRule> {
        self.rules
            .iter()
            .map(|rule| SavedVnfmRule::new(&rule.id, &rule.rule, rule.hits, &rule.trigger))
            .collect()
    }

    /// The rules of a state document, in their order; `Err` names the first rule that is not
    /// valid or whose id is taken.
    pub fn restore(saved: Vec<SavedVnfmRule>) -> Result<Self, String> {
        let mut book = Self::default();
        for saved in saved {
            let invalid = |detail: String| format!("vnfm.faults: rule {}: {detail}", saved.id);
            if book.rules.iter().any(|rule| rule.id == saved.id) {
                return Err(invalid("the id is used twice".into()));
            }
            saved.rule.validate().map_err(invalid)?;
            let trigger = saved.resume().map_err(invalid)?;
            book.rules.push(ActiveRule {
                id: saved.id,
                rule: saved.rule,
                trigger,
                hits: saved.hits,
                release: watch::Sender::new(0),
            });
        }
        Ok(book)
    }

    /// True when no rule is registered.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The registered rules (a spent rule is gone once nothing waits on it).
    pub fn list(&mut self) -> Vec<FaultListing> {
        self.prune();
        self.rules
            .iter()
            .map(|rule| FaultListing {
                id: rule.id.clone(),
                rule: rule.rule.clone(),
                hits: rule.hits,
                remaining: rule.trigger.remaining(),
                held: rule.holding(),
            })
            .collect()
    }

    /// The rules that match `facts` and fire, in order, consuming their triggers; of the
    /// effects that are `exclusive`, only the first that fires counts.
    fn fire(
        &mut self,
        facts: &Facts,
        exclusive: impl Fn(&VnfmFaultEffect) -> bool,
    ) -> Vec<&ActiveRule> {
        let mut taken = false;
        let mut fired = Vec::new();
        for (index, rule) in self.rules.iter_mut().enumerate() {
            let is_exclusive = exclusive(&rule.rule.effect);
            if !rule.rule.matches(facts) || (is_exclusive && taken) || !rule.trigger.fires() {
                continue;
            }
            taken |= is_exclusive;
            rule.hits += 1;
            fired.push(index);
        }
        fired.into_iter().map(|index| &self.rules[index]).collect()
    }

    /// Drops the rules whose trigger is spent, except those still holding operations.
    fn prune(&mut self) {
        self.rules
            .retain(|rule| !rule.trigger.spent() || rule.holding() > 0);
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
                    VnfmFaultEffect::Hold { .. } => {
                        Some(StepDecision::Hold(rule.release.subscribe()))
                    }
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
