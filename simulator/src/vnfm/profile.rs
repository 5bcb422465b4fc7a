//! Which of the conformant answers the VNFM gives where the specifications leave a choice
//! open: the reference choices (ETSI SOL003/SOL002, with the choices of docs/vnfm-choices.md),
//! the vendor documentation's literal forms where they differ from ETSI
//! (`simulator --profile esc-documented`), or only what SOL003/SOL002 v3.3.1 make mandatory,
//! with the other conformant choice wherever one is left open (`--profile spec-minimal`).
//!
//! Every difference between the profiles is one field of [`Choices`], and each profile's
//! choices are written out in [`Profile::choices`]: the code consults the field at the one place
//! it changes, never the profile itself.

use clap::ValueEnum;

/// The set of choices the VNFM answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// ETSI SOL003/SOL002 forms with the reference choices (the default).
    #[default]
    Reference,
    /// The vendor documentation's literal forms where they differ from ETSI: the instance copy
    /// in a VNF snapshot holds only `id` and `instantiatedVnfInfo`, and notification links are
    /// on the SOL003 root of the public HTTPS address whatever root or scheme the subscription
    /// used.
    EscDocumented,
    /// Only what SOL003/SOL002 v3.3.1 make mandatory, and the other conformant answer wherever
    /// the spec leaves a choice open: no PATCH, paging, ETags or 406; no connection points; the
    /// SOL002 attributes ignored on SOL003; the documented limitations refused by the operation;
    /// no attribute beyond the spec's data types.
    SpecMinimal,
}

/// The form of the instance copy in a VNF snapshot the VNFM took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceCopy {
    /// A whole `VnfInstance` (SOL003 §5.5.2.23), as the root being read shows it.
    Full,
    /// Only `id` and `instantiatedVnfInfo`, as the vendor documentation's sample shows it.
    Documented,
}

/// The root the links of a notification point into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationLinks {
    /// The root and listener the subscription was created on.
    SubscriptionRoot,
    /// The SOL003 root of the public HTTPS address, as the documentation's samples show.
    Sol003Https,
}

/// How list resources answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// In creation order, `page_size` items a page with a `Link` to the next one
    /// (SOL013 §5.4.2.1); an unknown `nextpage_opaque_marker` is refused with 400.
    PagedOldestFirst,
    /// The whole list in one answer, newest first, without a `Link` header;
    /// `nextpage_opaque_marker` is ignored (paging is optional, SOL013 §5.4.2.1).
    WholeNewestFirst,
}

/// What a SOL003 request does with the attributes only the SOL002 request data types define
/// (`vnfcInstanceId`, `vnfcSnapshotInfoId` of create_snapshot and revert_to_snapshot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sol002AttributesOnSol003 {
    /// Refused with 400 naming the attribute.
    Refused,
    /// Ignored like any unknown attribute: the operation applies to the whole VNF.
    Ignored,
}

/// When the documented limitations (a VNF on a non-OpenStack VIM, a revert without a bootable
/// volume or with out-of-band volumes) are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitationRefusal {
    /// At request time: 409 with a ProblemDetails, nothing started.
    AtRequest,
    /// By the operation: 202, then FAILED_TEMP before any cloud call, with the same words as
    /// `error` (status 409).
    ByTheOperation,
}

/// What becomes of the old volumes a revert or a terminate cannot delete because they still
/// have snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftVolumes {
    /// Listed in the op occ's vendor attribute `resourcesLeftOnVim`; the NFVO removes them.
    Reported,
    /// Shown nowhere; the VNFM deletes each one itself once the snapshot resources holding its
    /// volume snapshots are deleted.
    DeletedWithTheirSnapshots,
}

/// A subscription request with the `callbackUri` and `filter` of an existing subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateSubscriptions {
    /// 303 See Other to the existing subscription.
    SeeOther,
    /// 201: another subscription is created.
    Created,
}

/// The VNFM's answers wherever the specifications leave more than one conformant answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choices {
    /// `PATCH /vnf_snapshots/{id}` is offered; otherwise the method is not allowed (405).
    pub snapshot_patch: bool,
    /// VNF snapshot resources carry an `ETag`. Without one, `If-Match` still holds for `*`
    /// only (RFC 9110 §13.1.1).
    pub etags: bool,
    /// An `Accept` that excludes JSON is answered with 406; otherwise JSON is served anyway
    /// (RFC 9110 §12.5.1).
    pub accept_406: bool,
    /// The media type of a ProblemDetails: `application/json` (the ETSI YAML's) or
    /// `application/problem+json` (RFC 7807 §3).
    pub problem_media_type: &'static str,
    /// 401 and 405 carry a ProblemDetails too (SOL013 makes it optional for both).
    pub problem_on_401_405: bool,
    /// How list resources answer.
    pub listing: Listing,
    /// Each VNF instance gets an internal network and each VNFC a port on it (`vnfcCpInfo`,
    /// `vnfVirtualLinkResourceInfo`); otherwise servers boot without a network.
    pub connection_points: bool,
    /// `vnfdId` is shown in `vnfcResourceInfo` and `virtualStorageResourceInfo` although it
    /// is the instance's (SOL003 `VnfcResourceInfo`, `VirtualStorageResourceInfo`: 0..1, to be
    /// present when it differs from the instance's `vnfdId`).
    pub vnfd_id_in_resources: bool,
    /// Out-of-band volumes carry `metadata: {"outOfBand": true}`.
    pub out_of_band_metadata: bool,
    /// What a SOL003 request does with the SOL002-only attributes.
    pub sol002_attributes_on_sol003: Sol002AttributesOnSol003,
    /// A SOL003 create_snapshot honours `additionalParams.vnfcInstanceId` (the vendor form the
    /// documentation shows for SOL002); otherwise it snapshots the whole VNF.
    pub sol003_vendor_single_vnfc_create: bool,
    /// When the documented limitations are refused.
    pub limitations: LimitationRefusal,
    /// A DELETE that failed half-way leaves the resource showing only what still exists;
    /// otherwise the resource shows what it showed before the DELETE.
    pub partial_deletion_shown: bool,
    /// What becomes of the volumes a revert or terminate cannot delete.
    pub left_volumes: LeftVolumes,
    /// The callback endpoint is tested (GET, 204 expected) before a subscription is created.
    pub callback_test: bool,
    /// Operation occurrence notifications always carry `verbosity`; otherwise only `SHORT`
    /// is given (absent means FULL, SOL003 `VnfLcmOperationOccurrenceNotification`).
    pub verbosity_always_given: bool,
    /// A duplicate subscription request.
    pub duplicate_subscriptions: DuplicateSubscriptions,
    /// The instance copy in a VNF snapshot.
    pub instance_copy: InstanceCopy,
    /// The root of notification links.
    pub notification_links: NotificationLinks,
    /// The VNFM's own control API (`/_vnfm/faults`) is served.
    pub control_api: bool,
}

/// The reference choices (docs/vnfm-choices.md).
const REFERENCE: Choices = Choices {
    snapshot_patch: true,
    etags: true,
    accept_406: true,
    problem_media_type: "application/json",
    problem_on_401_405: true,
    listing: Listing::PagedOldestFirst,
    connection_points: true,
    vnfd_id_in_resources: true,
    out_of_band_metadata: true,
    sol002_attributes_on_sol003: Sol002AttributesOnSol003::Refused,
    sol003_vendor_single_vnfc_create: true,
    limitations: LimitationRefusal::AtRequest,
    partial_deletion_shown: true,
    left_volumes: LeftVolumes::Reported,
    callback_test: true,
    verbosity_always_given: false,
    duplicate_subscriptions: DuplicateSubscriptions::SeeOther,
    instance_copy: InstanceCopy::Full,
    notification_links: NotificationLinks::SubscriptionRoot,
    control_api: true,
};

impl Profile {
    /// The choices of this profile.
    pub const fn choices(self) -> Choices {
        match self {
            Profile::Reference => REFERENCE,
            Profile::EscDocumented => Choices {
                instance_copy: InstanceCopy::Documented,
                notification_links: NotificationLinks::Sol003Https,
                ..REFERENCE
            },
            Profile::SpecMinimal => Choices {
                snapshot_patch: false,
                etags: false,
                accept_406: false,
                problem_media_type: "application/problem+json",
                problem_on_401_405: false,
                listing: Listing::WholeNewestFirst,
                connection_points: false,
                vnfd_id_in_resources: false,
                out_of_band_metadata: false,
                sol002_attributes_on_sol003: Sol002AttributesOnSol003::Ignored,
                sol003_vendor_single_vnfc_create: false,
                limitations: LimitationRefusal::ByTheOperation,
                partial_deletion_shown: false,
                left_volumes: LeftVolumes::DeletedWithTheirSnapshots,
                callback_test: false,
                verbosity_always_given: true,
                duplicate_subscriptions: DuplicateSubscriptions::Created,
                instance_copy: InstanceCopy::Full,
                notification_links: NotificationLinks::SubscriptionRoot,
                control_api: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_esc_documented_profile_departs_from_the_reference_in_body_forms_only() {
        let documented = Profile::EscDocumented.choices();
        assert_eq!(
            Choices {
                instance_copy: InstanceCopy::Full,
                notification_links: NotificationLinks::SubscriptionRoot,
                ..documented
            },
            REFERENCE
        );
    }
}
