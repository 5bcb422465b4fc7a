//! A registered fault rule as a state document keeps it, for the fake cloud's rules
//! (`/_sim/faults`) and the reference VNFM's (`/_vnfm/faults`) alike: the rule, how often it
//! fired, and where its [`Trigger`] stands, so that a loaded rule goes on as it would have.

use serde::{Deserialize, Serialize};

use crate::trigger::{Trigger, TriggerState};

/// A fault rule with a [`Trigger`]: what a [`SavedFaultRule`] and a
/// [`RuleBook`](crate::rule_book::RuleBook) need of it.
pub trait TriggeredRule {
    /// When the rule fires.
    fn trigger(&self) -> &Trigger;

    /// Checks the rule's values before it is registered or loaded; `Err` says what is wrong.
    fn validate(&self) -> Result<(), String>;
}

/// A registered rule as a state document keeps it: its listing plus where the random draws of
/// a `probability` trigger stand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedFaultRule<R> {
    pub id: String,
    pub rule: R,
    pub hits: u64,
    /// What is left of a `times` trigger.
    pub remaining: Option<u32>,
    /// The word position of a `probability` trigger's generator (a decimal number).
    pub rng_word_pos: Option<String>,
}

impl<R: TriggeredRule + Clone> SavedFaultRule<R> {
    /// A registered rule as saved, from its id, the rule, its hits and its trigger's state.
    pub fn new(id: &str, rule: &R, hits: u64, trigger: &TriggerState) -> Self {
        Self {
            id: id.to_string(),
            rule: rule.clone(),
            hits,
            remaining: trigger.remaining(),
            rng_word_pos: trigger.position(),
        }
    }

    /// The trigger's state where it stood when saved; `Err` says what is missing or wrong.
    pub fn resume(&self) -> Result<TriggerState, String> {
        self.rule
            .trigger()
            .resume(self.remaining, self.rng_word_pos.as_deref())
    }
}
