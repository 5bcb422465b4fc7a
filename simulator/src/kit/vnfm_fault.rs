//! A builder for the reference VNFM's own fault rules (`/_vnfm/faults`): what they match,
//! what they do to it, how often.

use super::rule_setters::{text_criteria, trigger_setters};
use crate::{
    trigger::Trigger,
    vnfm::{
        faults::{Step, VnfmFaultEffect, VnfmFaultMatch, VnfmFaultRule, DEFAULT_SERVICE},
        Api,
    },
};

/// What a VNFM fault rule matches; an effect method turns it into a [`VnfmFaultRule`].
///
/// ```
/// use simulator::{kit::VnfmFault, vnfm::{faults::Step, Api}};
///
/// let rule = VnfmFault::new()
///     .api(Api::Sol003)
///     .operation("CREATE_SNAPSHOT")
///     .instance("a-vnf-instance-id")
///     .unavailable_service("database");
/// assert_eq!(
///     serde_json::to_value(&rule).unwrap()["effect"],
///     serde_json::json!({"type": "unavailable", "status": 503, "service": "database"})
/// );
/// let once = VnfmFault::new()
///     .operation("REVERT_TO_SNAPSHOT")
///     .fail_at(Step::Vnfc, "the VIM manager lost its session")
///     .times(1);
/// assert_eq!(
///     serde_json::to_value(&once).unwrap()["trigger"],
///     serde_json::json!({"type": "times", "count": 1})
/// );
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a VNFM fault matches nothing until an effect makes it a rule"]
pub struct VnfmFault {
    matcher: VnfmFaultMatch,
}

impl VnfmFault {
    /// Matches everything its effect applies to.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only requests to (or notifications of subscriptions made on) one API root.
    pub fn api(mut self, api: Api) -> Self {
        self.matcher.api = Some(api);
        self
    }

    text_criteria! {
        /// Only requests with this HTTP method.
        method => method;
        /// Only requests whose path contains the value.
        path => path;
        /// Only this operation: an LCM operation type (`CREATE_SNAPSHOT`) or, for requests, an
        /// API operation (`vnf_snapshots.delete`); a trailing `*` matches a prefix.
        operation => operation;
        /// Only what addresses, operates on or is about the VNF instance with this id.
        instance => vnf_instance_id;
        /// Only notifications to (or requests addressing) the subscription with this id.
        subscription => subscription_id;
    }

    /// Requests are refused with 503, naming the default internal service; nothing changes.
    pub fn unavailable(self) -> VnfmFaultRule {
        self.unavailable_with(503, DEFAULT_SERVICE)
    }

    /// Requests are refused with 503, naming `service` as unavailable.
    pub fn unavailable_service(self, service: &str) -> VnfmFaultRule {
        self.unavailable_with(503, service)
    }

    /// Requests are refused with `status`, naming `service` as unavailable.
    pub fn unavailable_with(self, status: u16, service: &str) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Unavailable {
            status,
            service: service.to_string(),
        })
    }

    /// Requests are handled `ms` milliseconds late.
    pub fn latency(self, ms: u64) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Latency { ms })
    }

    /// The operation fails at `step` with a 500 error saying `detail` (FAILED_TEMP).
    pub fn fail_at(self, step: Step, detail: &str) -> VnfmFaultRule {
        self.fail_at_with_status(step, 500, detail)
    }

    /// The operation fails at `step` with an error of `status` saying `detail`.
    pub fn fail_at_with_status(self, step: Step, status: u16, detail: &str) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::FailAt {
            step,
            status,
            detail: detail.to_string(),
        })
    }

    /// The operation waits in PROCESSING at `step` until the rule is released or removed.
    pub fn hold(self, step: Step) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Hold { step })
    }

    /// Notifications are sent `ms` milliseconds late.
    pub fn delay(self, ms: u64) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Delay { ms })
    }

    /// Notifications are not sent.
    pub fn drop_notification(self) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Drop)
    }

    /// Notifications are sent twice.
    pub fn duplicate(self) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Duplicate)
    }

    /// A notification is held back and sent after the next one of its subscription.
    pub fn reorder(self) -> VnfmFaultRule {
        self.effect(VnfmFaultEffect::Reorder)
    }

    /// The rule with any effect, firing on every match.
    pub fn effect(self, effect: VnfmFaultEffect) -> VnfmFaultRule {
        VnfmFaultRule {
            matcher: self.matcher,
            effect,
            trigger: Trigger::Always,
        }
    }
}

trigger_setters!(VnfmFaultRule, "matches");
