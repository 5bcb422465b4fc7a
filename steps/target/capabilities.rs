//! The target's implementation conformance statement: what the VNFM claims to support beyond
//! the vendor documentation and the spec's mandatory part. A scenario that needs such a
//! capability carries the tag `@cap:<name>`; against a target that does not claim it, it is
//! NOT APPLICABLE, with the reason in the report. The reference stack claims every capability.

use serde::Deserialize;

/// The `[capabilities]` table of a target file; everything absent is not claimed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// VNF snapshot resources carry an ETag, and a PATCH with a stale `If-Match` gets 412.
    #[serde(default)]
    pub etag: bool,
    /// `PATCH /vnf_snapshots/{id}` modifies a VNF snapshot resource (SOL003 §5.4.24.3.4).
    #[serde(default)]
    pub patch_snapshots: bool,
    /// Lists are paged with a `Link: <...>; rel="next"` header and `nextpage_opaque_marker`.
    #[serde(default)]
    pub paging: bool,
    /// The largest request body the VNFM accepts, in bytes; the scenarios that send a body just
    /// over 1 MiB apply when it is at most 1 MiB.
    #[serde(default)]
    pub max_body_bytes: Option<u64>,
    /// An `Accept` header that excludes JSON is answered with exactly 406.
    #[serde(default)]
    pub accept_406: bool,
    /// A method a resource does not support is answered with 405 and an `Allow` header.
    #[serde(default)]
    pub method_not_allowed_405: bool,
    /// How the VNFM refuses what the documentation lists as limitations (a VNF on a
    /// non-OpenStack VIM, a revert without a bootable volume or with out-of-band volumes); the
    /// documentation does not say, so either form is conformant unless the VNFM declares one.
    #[serde(default)]
    pub limitations_refused: LimitationRefusal,
    /// The target file's OpenStack credentials may read and change the Cinder quotas of their
    /// project (`os-quota-sets`), so that a quota refusal can be provoked on the real cloud.
    #[serde(default)]
    pub quota_admin: bool,
    /// A SOL003 create snapshot honours `additionalParams.vnfcInstanceId` (one VNFC), a form the
    /// vendor documentation shows on SOL002 only.
    #[serde(default)]
    pub sol003_single_vnfc_create: bool,
    /// Each VNFC lists its connection points (`vnfcCpInfo`), each backed by a Neutron port
    /// through a link port of a `vnfVirtualLinkResourceInfo`. SOL003 makes `vnfcCpInfo`
    /// optional and the vendor documentation never mentions ports.
    #[serde(default)]
    pub vnfc_connection_points: bool,
    /// The VNFM deploys VNFs on a VIM other than OpenStack (the `vcd-1vdu` fixture), so that the
    /// documented refusal to snapshot them can be provoked.
    #[serde(default)]
    pub non_openstack_vim: bool,
    /// `GET /vnf_snapshots` and `GET /vnf_lcm_op_occs` support the `fields` and
    /// `exclude_fields` attribute selectors, which SOL003 (§5.4.23.3.2, §5.4.12.3.2) says a VNFM
    /// "should" support (`all_fields` and `exclude_default` are mandatory).
    #[serde(default)]
    pub fields_selectors: bool,
    /// The error-handling tasks the VNFM supports on the operation occurrences of the snapshot
    /// operations: `retry`, `rollback` (of a CREATE_SNAPSHOT), `fail`, `cancel`. SOL003 lets a
    /// VNFM answer 404 to a task it does not support for an operation (§5.4.14 to §5.4.17).
    #[serde(default)]
    pub tasks: Vec<Task>,
}

/// An error-handling task on an operation occurrence.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Retry,
    Rollback,
    Fail,
    Cancel,
}

impl Task {
    /// Every task.
    pub const ALL: [Task; 4] = [Task::Retry, Task::Rollback, Task::Fail, Task::Cancel];

    /// The task's name in a tag and in the target file.
    pub fn name(self) -> &'static str {
        match self {
            Task::Retry => "retry",
            Task::Rollback => "rollback",
            Task::Fail => "fail",
            Task::Cancel => "cancel",
        }
    }
}

/// How the documented limitations are refused.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LimitationRefusal {
    /// A 4xx answer with a ProblemDetails to the request.
    Synchronous,
    /// 202, then the operation fails (FAILED_TEMP or FAILED) with an error.
    Asynchronous,
    /// Either of the two.
    #[default]
    Either,
}

/// The body size the size-limit scenarios exceed.
const SIZE_LIMIT_PROBE: u64 = 1024 * 1024;

impl Capabilities {
    /// Every capability, as the reference stack has them.
    pub fn all() -> Self {
        Self {
            etag: true,
            patch_snapshots: true,
            paging: true,
            max_body_bytes: Some(SIZE_LIMIT_PROBE),
            accept_406: true,
            method_not_allowed_405: true,
            limitations_refused: LimitationRefusal::Synchronous,
            quota_admin: true,
            sol003_single_vnfc_create: true,
            vnfc_connection_points: true,
            non_openstack_vim: true,
            fields_selectors: true,
            tasks: Task::ALL.to_vec(),
        }
    }

    /// Whether the capability a `@cap:<name>` tag names is claimed; `Err` for a name that is
    /// no capability (a defect of the feature files).
    pub fn claims(&self, name: &str) -> Result<bool, String> {
        Ok(match name {
            "etag" => self.etag,
            "patch-snapshots" => self.patch_snapshots,
            "paging" => self.paging,
            "max-body-1mib" => self
                .max_body_bytes
                .is_some_and(|limit| limit <= SIZE_LIMIT_PROBE),
            "accept-406" => self.accept_406,
            "405-allow" => self.method_not_allowed_405,
            "sol003-single-vnfc-create" => self.sol003_single_vnfc_create,
            "quota-admin" => self.quota_admin,
            "vnfc-connection-points" => self.vnfc_connection_points,
            "non-openstack-vim" => self.non_openstack_vim,
            "fields-selectors" => self.fields_selectors,
            task @ ("retry" | "rollback" | "fail" | "cancel") => {
                self.tasks.iter().any(|t| t.name() == task)
            }
            other => {
                return Err(format!(
                    "@cap:{other} names no capability of the target file"
                ))
            }
        })
    }

    /// The claims, for the report: `name = value` of each capability.
    pub fn statement(&self) -> Vec<String> {
        vec![
            format!("etag = {}", self.etag),
            format!("patch_snapshots = {}", self.patch_snapshots),
            format!("paging = {}", self.paging),
            match self.max_body_bytes {
                Some(limit) => format!("max_body_bytes = {limit}"),
                None => "max_body_bytes = (not declared)".to_string(),
            },
            format!("accept_406 = {}", self.accept_406),
            format!("method_not_allowed_405 = {}", self.method_not_allowed_405),
            format!("limitations_refused = {:?}", self.limitations_refused).to_lowercase(),
            format!("quota_admin = {}", self.quota_admin),
            format!(
                "sol003_single_vnfc_create = {}",
                self.sol003_single_vnfc_create
            ),
            format!("vnfc_connection_points = {}", self.vnfc_connection_points),
            format!("non_openstack_vim = {}", self.non_openstack_vim),
            format!("fields_selectors = {}", self.fields_selectors),
            format!(
                "tasks = {:?}",
                self.tasks.iter().map(|t| t.name()).collect::<Vec<_>>()
            ),
        ]
    }
}
