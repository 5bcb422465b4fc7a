//! A VNFM fault rule as posted to `POST /_vnfm/faults`: which requests, operation steps or
//! notifications it matches, what it does to them, and when (the cloud's [`Trigger`]).

use serde::{Deserialize, Serialize};

use super::{operations, steps::Step};
use crate::{
    openstack::faults::glob_match,
    saved_fault_rule::TriggeredRule,
    trigger::Trigger,
    vnfm::{links::Api, types::LcmOperationType},
};

/// A rule of the VNFM's fault book.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VnfmFaultRule {
    /// Which requests, steps or notifications it applies to; every given criterion must hold.
    #[serde(default, rename = "match")]
    pub matcher: VnfmFaultMatch,
    /// What happens to them.
    pub effect: VnfmFaultEffect,
    /// When a match is affected.
    #[serde(default)]
    pub trigger: Trigger,
}

/// Match criteria; absent ones match anything. Which apply depends on the kind of effect
/// ([`EffectKind::criteria`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VnfmFaultMatch {
    /// The API root: of the request, or of the subscription a notification goes to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<Api>,
    /// The request's HTTP method, case-insensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A substring of the request's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The LCM operation type (`CREATE_SNAPSHOT`), or for other requests the API operation
    /// (`vnf_snapshots.delete`); a trailing `*` matches a prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The VNF instance addressed, operated on, or notified about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vnf_instance_id: Option<String>,
    /// The subscription addressed, or notified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
}

/// What a rule does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum VnfmFaultEffect {
    /// The request is refused with `status` and a ProblemDetails naming the internal
    /// `service` that is unavailable; nothing changes.
    Unavailable {
        #[serde(default = "default_unavailable_status")]
        status: u16,
        #[serde(default = "default_service")]
        service: String,
    },
    /// The request is handled `ms` milliseconds late.
    Latency { ms: u64 },
    /// The operation fails at `step`: FAILED_TEMP with this error.
    FailAt {
        step: Step,
        #[serde(default = "default_fail_status")]
        status: u16,
        detail: String,
    },
    /// The operation stays in PROCESSING at `step` until the rule is released or removed.
    Hold {
        #[serde(default)]
        step: Step,
    },
    /// The notification is sent `ms` milliseconds late (and so are those queued after it).
    Delay { ms: u64 },
    /// The notification is not sent.
    Drop,
    /// The notification is sent twice.
    Duplicate,
    /// The notification is held back and sent after the next one of its subscription.
    Reorder,
}

/// The internal service an `unavailable` rule names by default.
pub const DEFAULT_SERVICE: &str = "vim-manager";

fn default_unavailable_status() -> u16 {
    503
}

fn default_service() -> String {
    DEFAULT_SERVICE.to_string()
}

fn default_fail_status() -> u16 {
    500
}

/// The longest a `latency` or `delay` effect may last (one hour).
pub const MAX_DELAY_MS: u64 = 3_600_000;

/// What an effect acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectKind {
    /// A request to the ETSI API (`unavailable`, `latency`).
    Request,
    /// A step of an LCM operation (`fail_at`, `hold`).
    Step,
    /// A notification to a subscription (`delay`, `drop`, `duplicate`, `reorder`).
    Notification,
}

impl EffectKind {
    /// The match criteria that mean something for this kind of effect.
    pub fn criteria(self) -> &'static [&'static str] {
        match self {
            Self::Request => &[
                "api",
                "method",
                "path",
                "operation",
                "vnf_instance_id",
                "subscription_id",
            ],
            Self::Step => &["operation", "vnf_instance_id"],
            Self::Notification => &["api", "operation", "vnf_instance_id", "subscription_id"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Request => "a request effect",
            Self::Step => "a step effect",
            Self::Notification => "a notification effect",
        }
    }
}

impl VnfmFaultEffect {
    /// What the effect acts on.
    pub fn kind(&self) -> EffectKind {
        match self {
            Self::Unavailable { .. } | Self::Latency { .. } => EffectKind::Request,
            Self::FailAt { .. } | Self::Hold { .. } => EffectKind::Step,
            Self::Delay { .. } | Self::Drop | Self::Duplicate | Self::Reorder => {
                EffectKind::Notification
            }
        }
    }

    /// Checks the effect's own values: error statuses, a service and a detail, durations.
    fn validate(&self) -> Result<(), String> {
        match self {
            Self::Unavailable { status, .. } | Self::FailAt { status, .. }
                if !(400..=599).contains(status) =>
            {
                Err(format!(
                    "effect status {status} is not an HTTP error status (400-599)"
                ))
            }
            Self::Unavailable { service, .. } if service.trim().is_empty() => {
                Err("effect service must name the unavailable service".into())
            }
            Self::FailAt { detail, .. } if detail.trim().is_empty() => {
                Err("effect detail must say what failed".into())
            }
            Self::Latency { ms } | Self::Delay { ms } if *ms > MAX_DELAY_MS => Err(format!(
                "effect ms {ms} is longer than the longest delay ({MAX_DELAY_MS} ms)"
            )),
            _ => Ok(()),
        }
    }

    fn step(&self) -> Option<Step> {
        match self {
            Self::FailAt { step, .. } | Self::Hold { step } => Some(*step),
            _ => None,
        }
    }
}

/// The facts about a request, an operation step or a notification that rules match on.
#[derive(Clone, Debug)]
pub struct Facts {
    /// What is being matched.
    pub kind: EffectKind,
    /// The root of the request, or of the subscription notified.
    pub api: Option<Api>,
    /// The request's method.
    pub method: Option<String>,
    /// The request's path.
    pub path: Option<String>,
    /// The LCM operation type, or the API operation of another request.
    pub operation: Option<String>,
    /// The VNF instance concerned.
    pub vnf_instance_id: Option<String>,
    /// The subscription concerned.
    pub subscription_id: Option<String>,
    /// The step reached, for step effects.
    pub step: Option<Step>,
}

impl Facts {
    /// The facts of a step of an operation on an instance.
    pub fn step(operation: LcmOperationType, vnf_instance_id: &str, step: Step) -> Self {
        Self {
            kind: EffectKind::Step,
            api: None,
            method: None,
            path: None,
            operation: Some(super::steps::operation_name(operation)),
            vnf_instance_id: Some(vnf_instance_id.to_string()),
            subscription_id: None,
            step: Some(step),
        }
    }
}

/// An absent criterion holds; a given one needs the fact, and `test` to pass on both.
fn given<'a>(
    criterion: &'a Option<String>,
    fact: &Option<String>,
    test: impl Fn(&'a str, &str) -> bool,
) -> bool {
    criterion
        .as_deref()
        .is_none_or(|wanted| fact.as_deref().is_some_and(|value| test(wanted, value)))
}

impl TriggeredRule for VnfmFaultRule {
    fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// Checks the rule before it is registered: statuses, durations, the trigger, that every
    /// criterion given means something for the effect, and the operation and step names.
    fn validate(&self) -> Result<(), String> {
        self.effect.validate()?;
        self.trigger.validate()?;
        self.validate_criteria()?;
        self.validate_operation()
    }
}

impl VnfmFaultRule {
    /// Whether the rule applies to these facts (its effect's kind, its step, every criterion).
    pub fn matches(&self, facts: &Facts) -> bool {
        let m = &self.matcher;
        self.effect.kind() == facts.kind
            && self
                .effect
                .step()
                .is_none_or(|step| facts.step == Some(step))
            && m.api.is_none_or(|api| facts.api == Some(api))
            && given(&m.method, &facts.method, |a, b| a.eq_ignore_ascii_case(b))
            && given(&m.path, &facts.path, |wanted, path| path.contains(wanted))
            && given(&m.operation, &facts.operation, glob_match)
            && given(&m.vnf_instance_id, &facts.vnf_instance_id, |a, b| a == b)
            && given(&m.subscription_id, &facts.subscription_id, |a, b| a == b)
    }

    /// Every criterion given must apply to the effect's kind.
    fn validate_criteria(&self) -> Result<(), String> {
        let kind = self.effect.kind();
        let m = &self.matcher;
        let set = [
            ("api", m.api.is_some()),
            ("method", m.method.is_some()),
            ("path", m.path.is_some()),
            ("operation", m.operation.is_some()),
            ("vnf_instance_id", m.vnf_instance_id.is_some()),
            ("subscription_id", m.subscription_id.is_some()),
        ];
        match set
            .iter()
            .find(|(name, given)| *given && !kind.criteria().contains(name))
        {
            Some((criterion, _)) => Err(format!(
                "match criterion {criterion} does not apply to {} (it takes {})",
                kind.name(),
                kind.criteria().join(", ")
            )),
            None => Ok(()),
        }
    }

    /// The operation must name requests of the API, or for step and notification effects an
    /// LCM operation this VNFM runs that passes the effect's step.
    fn validate_operation(&self) -> Result<(), String> {
        let Some(operation) = &self.matcher.operation else {
            return Ok(());
        };
        if self.effect.kind() == EffectKind::Request {
            return match operations::is_known(operation) {
                true => Ok(()),
                false => Err(format!(
                    "unknown operation {operation:?} (known: {})",
                    operations::known_names()
                )),
            };
        }
        let lcm = lcm_operations(operation);
        if lcm.is_empty() {
            return Err(format!(
                "operation {operation:?} is not an LCM operation this VNFM runs (INSTANTIATE, TERMINATE, CREATE_SNAPSHOT, REVERT_TO_SNAPSHOT)"
            ));
        }
        match self.effect.step() {
            Some(step) if !lcm.iter().any(|op| step.is_passed_by(*op)) => Err(format!(
                "operation {operation} has no step {} (see the named steps of each operation)",
                step.name()
            )),
            _ => Ok(()),
        }
    }
}

/// The LCM operations a name (or prefix pattern) designates.
fn lcm_operations(pattern: &str) -> Vec<LcmOperationType> {
    super::steps::OPERATION_STEPS
        .iter()
        .map(|(operation, _)| *operation)
        .filter(|operation| glob_match(pattern, &super::steps::operation_name(*operation)))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rule(value: serde_json::Value) -> Result<VnfmFaultRule, String> {
        let rule: VnfmFaultRule = serde_json::from_value(value).map_err(|e| e.to_string())?;
        rule.validate().map(|()| rule)
    }

    #[test]
    fn defaults_fill_the_unavailable_effect() {
        let rule = rule(json!({"effect": {"type": "unavailable"}})).unwrap();
        assert_eq!(
            rule.effect,
            VnfmFaultEffect::Unavailable {
                status: 503,
                service: DEFAULT_SERVICE.into()
            }
        );
    }

    #[test]
    fn criteria_that_mean_nothing_for_the_effect_are_refused() {
        let error = rule(json!({
            "match": {"path": "/vnf_instances"},
            "effect": {"type": "fail_at", "step": "vnfc", "detail": "boom"}
        }))
        .unwrap_err();
        assert!(
            error.contains("path does not apply to a step effect"),
            "{error}"
        );
        let error = rule(json!({
            "match": {"method": "POST"},
            "effect": {"type": "drop"}
        }))
        .unwrap_err();
        assert!(error.contains("method"), "{error}");
    }

    #[test]
    fn steps_and_operations_must_exist() {
        let error = rule(json!({
            "match": {"operation": "CREATE_SNAPSHOT"},
            "effect": {"type": "hold", "step": "virtual_link"}
        }))
        .unwrap_err();
        assert!(error.contains("has no step virtual_link"), "{error}");
        let error = rule(json!({
            "match": {"operation": "snapshots.create"},
            "effect": {"type": "unavailable"}
        }))
        .unwrap_err();
        assert!(error.contains("unknown operation"), "{error}");
        assert!(
            rule(json!({"effect": {"type": "fail_at", "step": "nowhere", "detail": "x"}})).is_err()
        );
    }

    #[test]
    fn values_out_of_range_are_refused() {
        for bad in [
            json!({"effect": {"type": "unavailable", "status": 200}}),
            json!({"effect": {"type": "fail_at", "step": "vnfc", "detail": " "}}),
            json!({"effect": {"type": "delay", "ms": MAX_DELAY_MS + 1}}),
            json!({"effect": {"type": "drop"}, "trigger": {"type": "times", "count": 0}}),
            json!({"effect": {"type": "drop"}, "extra": 1}),
        ] {
            assert!(rule(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_given_criterion_must_hold() {
        let rule = rule(json!({
            "match": {"api": "ve_vnfm", "operation": "CREATE_*", "vnf_instance_id": "i-1"},
            "effect": {"type": "unavailable"}
        }))
        .unwrap();
        let request = |api, instance: &str| Facts {
            kind: EffectKind::Request,
            api: Some(api),
            method: Some("POST".into()),
            path: Some(format!("/vnf_instances/{instance}/create_snapshot")),
            operation: Some("CREATE_SNAPSHOT".into()),
            vnf_instance_id: Some(instance.into()),
            subscription_id: None,
            step: None,
        };
        assert!(rule.matches(&request(Api::Sol002, "i-1")));
        assert!(!rule.matches(&request(Api::Sol003, "i-1")));
        assert!(!rule.matches(&request(Api::Sol002, "i-2")));
        let step = Facts::step(LcmOperationType::CreateSnapshot, "i-1", Step::Starting);
        assert!(!rule.matches(&step));
    }
}
