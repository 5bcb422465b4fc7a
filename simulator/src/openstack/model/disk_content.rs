//! What the cloud's disks hold: a server's root disk, every Cinder volume, Glance image and
//! volume snapshot carries a [`Disk`], a small key-value document (the markers written through
//! the control API) with a write counter and the time of the live workload's last write. A copy
//! (an image of a server, a snapshot of a volume, a volume or a server made from them) shares
//! the content it copies: it costs a pointer, and a write to either side copies first.

use std::sync::{Arc, LazyLock};

use md5::Md5;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

/// The content of one disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiskContent {
    /// Markers written through the control API, by key (a later write of a key replaces it).
    #[serde(default)]
    pub markers: std::collections::BTreeMap<String, String>,
    /// Every write the disk has seen: one per marker, one per millisecond of live workload.
    #[serde(default)]
    pub writes: u64,
    /// The cloud time (ms) of the live workload's last write on this disk, if one ever wrote.
    #[serde(default)]
    pub workload_ms: Option<u64>,
}

/// A disk's content, shared with the copies made of it (copy on write).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Disk(Arc<DiskContent>);

/// The content of a disk nothing has written to, shared by every such disk.
static BLANK: LazyLock<Disk> = LazyLock::new(|| Disk(Arc::new(DiskContent::default())));

impl Default for Disk {
    fn default() -> Self {
        BLANK.clone()
    }
}

impl Disk {
    /// What the disk holds.
    pub fn content(&self) -> &DiskContent {
        &self.0
    }

    /// Writes `value` under `key`.
    pub fn write_marker(&mut self, key: &str, value: &str) {
        let content = Arc::make_mut(&mut self.0);
        content.markers.insert(key.to_string(), value.to_string());
        content.writes += 1;
    }

    /// The live workload wrote once per millisecond from `from_ms` (excluded) to `to_ms`.
    pub fn run_workload(&mut self, from_ms: u64, to_ms: u64) {
        if to_ms <= from_ms {
            return;
        }
        let content = Arc::make_mut(&mut self.0);
        content.writes += to_ms - from_ms;
        content.workload_ms = Some(to_ms);
    }

    /// The content as the bytes of an image made of this disk: its JSON document.
    pub fn image_bytes(&self) -> bytes::Bytes {
        serde_json::to_vec(self.content())
            .unwrap_or_default()
            .into()
    }

    /// Whether both share one content (a copy nobody has written to since).
    pub fn shares_with(&self, other: &Disk) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Glance's digests of an image's data: `checksum` (MD5) and `os_hash_value` (SHA-512, the
/// `os_hash_algo` Glance uses by default), in lowercase hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageDigests {
    pub checksum: Arc<str>,
    pub os_hash_value: Arc<str>,
}

/// The digests of empty data (the image Nova makes of a volume-backed server), shared.
static EMPTY_DIGESTS: LazyLock<ImageDigests> = LazyLock::new(|| compute_digests(&[]));

fn compute_digests(data: &[u8]) -> ImageDigests {
    ImageDigests {
        checksum: hex(&Md5::digest(data)).into(),
        os_hash_value: hex(&Sha512::digest(data)).into(),
    }
}

/// The digests of `data`.
pub fn image_digests(data: &[u8]) -> ImageDigests {
    if data.is_empty() {
        return EMPTY_DIGESTS.clone();
    }
    compute_digests(data)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_shares_the_content_until_one_side_writes() {
        let mut original = Disk::default();
        original.write_marker("m", "1");
        let copy = original.clone();
        assert!(copy.shares_with(&original));
        original.write_marker("m", "2");
        assert!(!copy.shares_with(&original));
        assert_eq!(copy.content().markers["m"], "1");
        assert_eq!(original.content().markers["m"], "2");
        assert_eq!(original.content().writes, 2);
        assert!(Disk::default().shares_with(&Disk::default()));
    }

    #[test]
    fn the_workload_writes_once_a_millisecond_and_leaves_its_time() {
        let mut disk = Disk::default();
        disk.run_workload(100, 350);
        disk.run_workload(350, 350);
        assert_eq!(disk.content().writes, 250);
        assert_eq!(disk.content().workload_ms, Some(350));
    }

    #[test]
    fn digests_are_glances_md5_and_sha512() {
        let empty = image_digests(b"");
        assert_eq!(&*empty.checksum, "d41d8cd98f00b204e9800998ecf8427e");
        assert!(empty
            .os_hash_value
            .starts_with("cf83e1357eefb8bdf1542850d66d8007"));
        assert_eq!(
            &*image_digests(b"abc").checksum,
            "900150983cd24fb0d6963f7d28e17f72"
        );
        let disk = Disk::default();
        let bytes = disk.image_bytes();
        assert_eq!(
            serde_json::from_slice::<DiskContent>(&bytes).unwrap(),
            DiskContent::default()
        );
    }
}
