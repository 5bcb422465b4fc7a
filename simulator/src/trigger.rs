//! When a fault rule fires: every time, the next N matching times, or with a seeded, hence
//! reproducible, probability. Shared by the fake cloud's rules (`/_sim/faults`) and the
//! reference VNFM's (`/_vnfm/faults`), which have the same JSON shape for it.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// When a matching request (or step, or notification) is affected.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// Every time.
    #[default]
    Always,
    /// The next `count` matching requests, then the rule is spent.
    Times { count: u32 },
    /// With probability `p`, drawn from a generator seeded with `seed` (reproducible).
    Probability { p: f64, seed: u64 },
}

impl Trigger {
    /// Checks the trigger's values: a probability between 0 and 1, a count of at least 1.
    pub fn validate(&self) -> Result<(), String> {
        match *self {
            Self::Probability { p, .. } if !(0.0..=1.0).contains(&p) => {
                Err(format!("trigger probability {p} is not between 0 and 1"))
            }
            Self::Times { count: 0 } => Err("trigger count must be at least 1".to_string()),
            _ => Ok(()),
        }
    }

    /// The state of a newly registered rule's trigger.
    pub fn start(&self) -> TriggerState {
        match *self {
            Self::Always => TriggerState::Always,
            Self::Times { count } => TriggerState::Times { remaining: count },
            Self::Probability { p, seed } => TriggerState::Probability {
                p,
                rng: Box::new(ChaCha8Rng::seed_from_u64(seed)),
            },
        }
    }
}

impl Trigger {
    /// The state of a saved rule's trigger, from what [`TriggerState::remaining`] and
    /// [`TriggerState::position`] gave when it was saved; `Err` says what is missing or wrong.
    pub fn resume(
        &self,
        remaining: Option<u32>,
        position: Option<&str>,
    ) -> Result<TriggerState, String> {
        match *self {
            Self::Always => Ok(TriggerState::Always),
            Self::Times { .. } => remaining
                .map(|remaining| TriggerState::Times { remaining })
                .ok_or_else(|| "a times trigger needs its remaining count".to_string()),
            Self::Probability { p, seed } => {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                if let Some(position) = position {
                    let word = position
                        .parse::<u128>()
                        .map_err(|_| format!("rng_word_pos {position:?} is not a number"))?;
                    rng.set_word_pos(word);
                }
                Ok(TriggerState::Probability {
                    p,
                    rng: Box::new(rng),
                })
            }
        }
    }
}

/// What a registered rule's trigger still allows.
#[derive(Clone, Debug)]
pub enum TriggerState {
    /// Fires every time.
    Always,
    /// Fires `remaining` more times.
    Times { remaining: u32 },
    /// Fires with probability `p`, drawn from its own generator.
    Probability { p: f64, rng: Box<ChaCha8Rng> },
}

impl TriggerState {
    /// Whether the rule fires for this match; consumes one use or one draw.
    pub fn fires(&mut self) -> bool {
        match self {
            Self::Always => true,
            Self::Times { remaining: 0 } => false,
            Self::Times { remaining } => {
                *remaining -= 1;
                true
            }
            Self::Probability { p, rng } => rng.random_bool(*p),
        }
    }

    /// The uses left of a `times` trigger.
    pub fn remaining(&self) -> Option<u32> {
        match self {
            Self::Times { remaining } => Some(*remaining),
            _ => None,
        }
    }

    /// Where a `probability` trigger's generator stands (a decimal number), so that a saved
    /// rule goes on drawing what it would have drawn.
    pub fn position(&self) -> Option<String> {
        match self {
            Self::Probability { rng, .. } => Some(rng.get_word_pos().to_string()),
            _ => None,
        }
    }

    /// True once a `times` trigger has no use left.
    pub fn spent(&self) -> bool {
        self.remaining() == Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_fires_count_times_then_is_spent() {
        let mut state = Trigger::Times { count: 2 }.start();
        assert_eq!(
            (0..4).map(|_| state.fires()).collect::<Vec<_>>(),
            [true, true, false, false]
        );
        assert!(state.spent());
    }

    #[test]
    fn probability_is_reproducible_with_its_seed() {
        let draws = || {
            let mut state = Trigger::Probability { p: 0.5, seed: 9 }.start();
            (0..64).map(|_| state.fires()).collect::<Vec<_>>()
        };
        assert_eq!(draws(), draws());
    }

    #[test]
    fn a_resumed_trigger_goes_on_where_it_stood() {
        let trigger = Trigger::Probability { p: 0.5, seed: 3 };
        let mut state = trigger.start();
        for _ in 0..10 {
            state.fires();
        }
        let mut resumed = trigger.resume(None, state.position().as_deref()).unwrap();
        let next = |state: &mut TriggerState| (0..32).map(|_| state.fires()).collect::<Vec<_>>();
        assert_eq!(next(&mut resumed), next(&mut state));
        assert!(Trigger::Times { count: 2 }.resume(None, None).is_err());
        assert!(trigger.resume(None, Some("x")).is_err());
    }

    #[test]
    fn out_of_range_values_are_refused() {
        assert!(Trigger::Times { count: 0 }.validate().is_err());
        assert!(Trigger::Probability { p: -0.1, seed: 1 }
            .validate()
            .is_err());
        assert!(Trigger::Probability { p: 1.0, seed: 1 }.validate().is_ok());
    }
}
