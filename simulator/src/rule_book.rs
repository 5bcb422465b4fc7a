//! The registered fault rules of the fake cloud (`/_sim/faults`) and of the reference VNFM
//! (`/_vnfm/faults`) alike: their ids, hit counts and trigger states, what they hold (requests
//! or operations waiting on a rule), their listing and their state document form. What a rule
//! decides is each side's own (`openstack::faults`, `vnfm::faults`).

use serde::Serialize;
use tokio::sync::watch;

use crate::{
    saved_fault_rule::{SavedFaultRule, TriggeredRule},
    trigger::TriggerState,
};

/// A registered rule.
pub struct ActiveRule<R> {
    /// The id its registration answered.
    pub id: String,
    pub rule: R,
    trigger: TriggerState,
    hits: u64,
    /// Whatever the rule holds waits for a change (a release) or for the sender to go (the
    /// rule's removal); each holds one receiver, so the receiver count is the number held.
    release: watch::Sender<u64>,
}

impl<R> ActiveRule<R> {
    fn new(id: String, rule: R, trigger: TriggerState, hits: u64) -> Self {
        Self {
            id,
            rule,
            trigger,
            hits,
            release: watch::Sender::new(0),
        }
    }

    /// Whether the rule fires for a match: consumes one use or one draw of its trigger, and
    /// counts the hit when it fires.
    pub fn fires(&mut self) -> bool {
        let fires = self.trigger.fires();
        self.hits += u64::from(fires);
        fires
    }

    /// A hold on the rule: its `changed()` returns when the rule is released or removed.
    pub fn hold(&self) -> watch::Receiver<u64> {
        self.release.subscribe()
    }

    /// How many requests or operations the rule holds now.
    pub fn holding(&self) -> usize {
        self.release.receiver_count()
    }
}

/// A registered rule as the control API lists it.
#[derive(Clone, Debug, Serialize)]
pub struct FaultListing<R> {
    /// The id its registration answered.
    pub id: String,
    /// The rule as registered (defaults filled in).
    #[serde(flatten)]
    pub rule: R,
    /// How many times it fired.
    pub hits: u64,
    /// The uses left of a `times` trigger.
    pub remaining: Option<u32>,
    /// The requests or operations it holds now.
    pub held: usize,
}

/// The registered rules, in the order they were added (the order they are matched in).
pub struct RuleBook<R> {
    rules: Vec<ActiveRule<R>>,
}

impl<R> Default for RuleBook<R> {
    fn default() -> Self {
        Self { rules: Vec::new() }
    }
}

impl<R> std::fmt::Debug for RuleBook<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleBook")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl<R: TriggeredRule + Clone> RuleBook<R> {
    /// Registers a (validated) rule and returns its id.
    pub fn add(&mut self, rule: R) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let trigger = rule.trigger().start();
        self.rules
            .push(ActiveRule::new(id.clone(), rule, trigger, 0));
        id
    }

    /// Removes one rule, ending what it holds; false when unknown.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.rules.len();
        self.rules.retain(|rule| rule.id != id);
        self.rules.len() < before
    }

    /// Removes every rule, ending everything they hold.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Ends what a rule holds; the rule stays for later matches unless its trigger is spent.
    /// False when unknown.
    pub fn release(&mut self, id: &str) -> bool {
        let Some(rule) = self.rules.iter().find(|rule| rule.id == id) else {
            return false;
        };
        rule.release.send_modify(|generation| *generation += 1);
        self.prune();
        true
    }

    /// True when no rule is registered.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules in matching order, to decide on a request, a step or a notification; call
    /// [`RuleBook::prune`] after.
    pub fn rules_mut(&mut self) -> std::slice::IterMut<'_, ActiveRule<R>> {
        self.rules.iter_mut()
    }

    /// Drops the rules whose trigger is spent, except those still holding something (a spent
    /// rule's last hit may hold a request until its time is up).
    pub fn prune(&mut self) {
        self.rules
            .retain(|rule| !rule.trigger.spent() || rule.holding() > 0);
    }

    /// The registered rules (a spent rule is gone once nothing waits on it).
    pub fn list(&mut self) -> Vec<FaultListing<R>> {
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

    /// The rules with their trigger state, for a state document (without what they hold).
    pub fn save(&self) -> Vec<SavedFaultRule<R>> {
        self.rules
            .iter()
            .map(|rule| SavedFaultRule::new(&rule.id, &rule.rule, rule.hits, &rule.trigger))
            .collect()
    }

    /// The rules of a state document's `section`, in their order; `Err` names the first rule
    /// that is not valid or whose id is taken.
    pub fn restore(section: &str, saved: Vec<SavedFaultRule<R>>) -> Result<Self, String> {
        let mut book = Self::default();
        for saved in saved {
            let invalid = |detail: String| format!("{section}: rule {}: {detail}", saved.id);
            if book.rules.iter().any(|rule| rule.id == saved.id) {
                return Err(invalid("the id is used twice".into()));
            }
            saved.rule.validate().map_err(invalid)?;
            let trigger = saved.resume().map_err(invalid)?;
            book.rules
                .push(ActiveRule::new(saved.id, saved.rule, trigger, saved.hits));
        }
        Ok(book)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::trigger::Trigger;

    /// A rule that is only its trigger.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Bare(Trigger);

    impl TriggeredRule for Bare {
        fn trigger(&self) -> &Trigger {
            &self.0
        }
        fn validate(&self) -> Result<(), String> {
            self.0.validate()
        }
    }

    fn once() -> Bare {
        Bare(Trigger::Times { count: 1 })
    }

    /// Fires every rule that will, as a decision would; returns the holds taken.
    fn fire_all(book: &mut RuleBook<Bare>) -> Vec<watch::Receiver<u64>> {
        let holds = book
            .rules_mut()
            .filter_map(|rule| rule.fires().then(|| rule.hold()))
            .collect();
        book.prune();
        holds
    }

    #[test]
    fn a_spent_rule_stays_listed_while_it_holds_and_goes_after() {
        let mut book = RuleBook::default();
        book.add(once());
        let holds = fire_all(&mut book);
        let listed = book.list();
        assert_eq!((listed.len(), listed[0].hits, listed[0].held), (1, 1, 1));
        assert_eq!(listed[0].remaining, Some(0));
        drop(holds);
        assert!(book.list().is_empty());
        assert!(book.is_empty());
    }

    #[tokio::test]
    async fn release_and_removal_end_the_holds() {
        let mut book = RuleBook::default();
        let released = book.add(Bare(Trigger::Always));
        let removed = book.add(Bare(Trigger::Always));
        let mut holds = fire_all(&mut book);
        assert!(book.release(&released));
        holds[0].changed().await.expect("a release is a change");
        assert!(book.remove(&removed));
        assert!(holds[1].changed().await.is_err(), "the rule is gone");
        assert!(!book.remove(&removed) && !book.release(&removed));
        assert_eq!(
            book.list().len(),
            1,
            "a released rule stays for later matches"
        );
    }

    #[test]
    fn a_restore_refuses_a_taken_id_and_an_invalid_rule() {
        let mut book = RuleBook::default();
        book.add(once());
        let mut saved = book.save();
        saved.push(saved[0].clone());
        let error = RuleBook::restore("faults", saved).unwrap_err();
        assert!(error.ends_with("the id is used twice"), "{error}");
        let mut invalid = book.save();
        invalid[0].rule = Bare(Trigger::Times { count: 0 });
        let error = RuleBook::restore("faults", invalid).unwrap_err();
        assert!(error.starts_with("faults: rule "), "{error}");
    }
}
