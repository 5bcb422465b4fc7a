//! Deliberate departures from the specifications and the documentation, chosen at start
//! (`simulator --deviation NAME`), so that the conformance suite can be shown to catch each
//! one. None is active by default; each is consulted at exactly the one place it changes.

use std::collections::BTreeSet;

use clap::ValueEnum;

/// One deliberately non-conformant behaviour of the reference VNFM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum)]
pub enum Deviation {
    /// No PROCESSING notification is sent for any operation.
    NoProcessingNotification,
    /// Every operation occurrence notification says notificationStatus RESULT, STARTING included.
    WrongNotificationStatus,
    /// Notification links are relative paths instead of absolute URIs.
    RelativeNotificationLinks,
    /// A create_snapshot sends one more PROCESSING notification per VNFC snapshotted.
    ExtraNotification,
    /// Every operation occurrence notification is delivered twice.
    DuplicateNotifications,
    /// STARTING notifications are delivered a second late, after the ones that follow them.
    NotificationsOutOfOrder,
    /// POST /vnf_snapshots answers 200 instead of 201.
    #[value(name = "create-resource-answers-200")]
    CreateResourceAnswers200,
    /// POST /vnf_snapshots answers without a Location header.
    NoLocationOnCreate,
    /// The 202 of a create_snapshot task carries no Location header.
    NoLocationOnTask,
    /// Error answers carry no Version header.
    NoVersionOnErrors,
    /// Error answers are plain text instead of a ProblemDetails.
    PlainTextErrors,
    /// Glance images are named `image-<VNFC snapshot id>` (and Nova's volume snapshots after them).
    ImageNotNamedAfterVnfcSnapshot,
    /// The data volumes of an image-backed VNFC are not snapshotted.
    DataVolumeNotSnapshotted,
    /// The compute snapshot resource reported is the server, not the image made from it.
    ServerIdAsImageId,
    /// DELETE of a snapshot removes the images but leaves the volume snapshots.
    DeleteLeavesVolumeSnapshots,
    /// DELETE of a snapshot answers 204 at once and removes the cloud resources a second later.
    DeleteAnswersEarly,
    /// GET /vnf_snapshots applies no default exclusion.
    NoDefaultExclusions,
    /// GET /vnf_snapshots ignores the filter.
    FilterIgnored,
    /// A revert of a VNFC without a bootable volume is accepted.
    RevertWithoutBootableVolume,
    /// A revert of a VNF with out-of-band volumes is accepted.
    RevertWithOutOfBandVolumes,
    /// A single-VNFC revert reverts every VNFC of the snapshot.
    SingleVnfcRevertRevertsAll,
    /// A create_snapshot naming an unknown vnfSnapshotInfoId is accepted.
    UnknownSnapshotInfoAccepted,
    /// A create_snapshot into an already filled snapshot resource is accepted and overwrites it.
    RefillAccepted,
    /// An operation occurrence in FAILED_TEMP is shown without its error.
    FailedTempWithoutError,
    /// CREATE_SNAPSHOT and REVERT_TO_SNAPSHOT operation occurrences show each other's type.
    WrongOperationType,
    /// Operation occurrences are shown without vnfSnapshotInfoId.
    NoSnapshotInfoIdInOpOcc,
    /// A whole-VNF revert restores each VNFC from the next VNFC's snapshot (the last from the first's).
    RevertSwapsVnfcSnapshots,
    /// A revert restores the newest snapshot taken of the instance, not the one the request names.
    RevertFromNewestSnapshot,
    /// The image of a VNFC snapshot is a copy of the image the VNFC booted from, not an image of its disk.
    ImageCopiedFromBootImage,
}

impl Deviation {
    /// The name given to `--deviation`.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|value| value.get_name().to_string())
            .unwrap_or_default()
    }

    /// The one-line description (the variant's documentation).
    pub fn summary(self) -> String {
        self.to_possible_value()
            .and_then(|value| value.get_help().map(ToString::to_string))
            .unwrap_or_default()
    }

    /// The deviation named `name`.
    pub fn from_name(name: &str) -> Result<Self, String> {
        <Self as ValueEnum>::from_str(name, false)
            .map_err(|_| format!("unknown deviation {name:?}; `--deviation list` names them all"))
    }

    /// Every deviation with its description, one a line.
    pub fn catalogue() -> String {
        Self::value_variants()
            .iter()
            .map(|deviation| format!("{:<36} {}", deviation.name(), deviation.summary()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The deviations a VNFM runs with (empty: the conformant behaviour).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deviations(BTreeSet<Deviation>);

impl Deviations {
    /// The set of `deviations`.
    pub fn of(deviations: impl IntoIterator<Item = Deviation>) -> Self {
        Self(deviations.into_iter().collect())
    }

    /// Whether `deviation` is active.
    pub fn has(&self, deviation: Deviation) -> bool {
        self.0.contains(&deviation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_deviation_has_a_name_and_a_summary_and_is_found_by_name() {
        for deviation in Deviation::value_variants() {
            assert!(!deviation.summary().is_empty(), "{deviation:?}");
            assert_eq!(Deviation::from_name(&deviation.name()), Ok(*deviation));
        }
        assert!(Deviation::from_name("list").is_err());
        assert!(!Deviations::default().has(Deviation::PlainTextErrors));
    }
}
