//! The setters that the two fault rule builders ([`super::Fault`] for the cloud,
//! [`super::VnfmFault`] for the VNFM) share, written once.

/// Setters of optional text criteria on a builder's `matcher`: `setter => field` makes
/// `fn setter(self, value: &str) -> Self` set `matcher.field` (doc comments pass through).
macro_rules! text_criteria {
    ($($(#[$doc:meta])* $setter:ident => $field:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $setter(mut self, value: &str) -> Self {
                self.matcher.$field = Some(value.to_string());
                self
            }
        )*
    };
}

/// The trigger setters of a rule type with a `trigger` field: `times` and `probability`.
macro_rules! trigger_setters {
    ($rule:ty, $what:literal) => {
        impl $rule {
            #[doc = concat!("Fires on the next `count` ", $what, " only.")]
            pub fn times(mut self, count: u32) -> Self {
                self.trigger = $crate::trigger::Trigger::Times { count };
                self
            }

            /// Fires with probability `p`, drawn reproducibly from `seed`.
            pub fn probability(mut self, p: f64, seed: u64) -> Self {
                self.trigger = $crate::trigger::Trigger::Probability { p, seed };
                self
            }
        }
    };
}

pub(crate) use text_criteria;
pub(crate) use trigger_setters;
