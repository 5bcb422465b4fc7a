//! A builder for the fault rules of the control API: which requests, what happens, how often.

use super::rule_setters::{text_criteria, trigger_setters};
use crate::openstack::{
    faults::{FaultEffect, FaultMatch, FaultRule, Trigger},
    service::Service,
};

/// The requests a fault rule matches; an effect method turns it into a [`FaultRule`].
///
/// ```
/// use simulator::{kit::Fault, openstack::service::Service};
///
/// let rule = Fault::on(Service::Cinder)
///     .operation("snapshots.create")
///     .error(500)
///     .times(1);
/// assert_eq!(
///     serde_json::to_value(&rule).unwrap()["trigger"],
///     serde_json::json!({"type": "times", "count": 1})
/// );
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a fault matches nothing until an effect makes it a rule"]
pub struct Fault {
    matcher: FaultMatch,
}

impl Fault {
    /// Requests to one service.
    pub fn on(service: Service) -> Self {
        Self {
            matcher: FaultMatch {
                service: Some(service),
                ..FaultMatch::default()
            },
        }
    }

    /// Requests to any service.
    pub fn anywhere() -> Self {
        Self::default()
    }

    text_criteria! {
        /// Only this operation (`servers.action.createImage`; a trailing `*` matches a prefix).
        operation => operation;
        /// Only this HTTP method (case-insensitive).
        method => method;
        /// Only paths containing the value.
        path => path;
        /// Only requests of the project with this id.
        project => project_id;
        /// Only resources with this name (a trailing `*` matches a prefix).
        resource_name => resource_name;
    }

    /// Answers with the service's own error body and `status`; nothing changes.
    pub fn error(self, status: u16) -> FaultRule {
        self.effect(FaultEffect::Error {
            status,
            message: None,
        })
    }

    /// Like [`Fault::error`], with the message of the error body.
    pub fn error_with_message(self, status: u16, message: &str) -> FaultRule {
        self.effect(FaultEffect::Error {
            status,
            message: Some(message.to_string()),
        })
    }

    /// Closes the connection without an answer.
    pub fn unreachable(self) -> FaultRule {
        self.effect(FaultEffect::Unreachable)
    }

    /// Delays the answer by `ms` milliseconds.
    pub fn latency(self, ms: u64) -> FaultRule {
        self.effect(FaultEffect::Latency { ms })
    }

    /// Holds the request `ms` milliseconds (or until the rule is removed), then answers 504.
    pub fn timeout(self, ms: u64) -> FaultRule {
        self.effect(FaultEffect::Timeout { ms })
    }

    /// Applies the change, then answers `status` anyway.
    pub fn false_negative(self, status: u16) -> FaultRule {
        self.effect(FaultEffect::FalseNegative {
            status,
            message: None,
        })
    }

    /// The resource never leaves its transitional status.
    pub fn stuck(self) -> FaultRule {
        self.effect(FaultEffect::Stuck)
    }

    /// The resource ends in the service's error status.
    pub fn error_later(self) -> FaultRule {
        self.effect(FaultEffect::ErrorLater)
    }

    /// The rule with any effect, firing on every matching request.
    pub fn effect(self, effect: FaultEffect) -> FaultRule {
        FaultRule {
            matcher: self.matcher,
            effect,
            trigger: Trigger::Always,
        }
    }
}

trigger_setters!(FaultRule, "matching requests");
