//! The fake cloud and the reference VNFM share one crate but never each other's code: the VNFM
//! reaches the cloud over HTTP only, as it would reach a real OpenStack. These checks keep that
//! boundary as a crate split would, without a second crate (see docs/architecture.md).

use std::path::{Path, PathBuf};

/// The Rust files under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// The lines of the files under `module` that name `other` as a path (`crate::other`,
/// `simulator::other`, `super::other`).
fn references(module: &str, other: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(module);
    let needles = [
        format!("crate::{other}"),
        format!("simulator::{other}"),
        format!("super::{other}"),
    ];
    let mut found = Vec::new();
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for (number, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle.as_str())) {
                found.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}

#[test]
fn the_vnfm_does_not_use_the_fake_clouds_code() {
    let found = references("vnfm", "openstack");
    assert!(
        found.is_empty(),
        "the VNFM names the fake cloud:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_fake_cloud_does_not_use_the_vnfms_code() {
    let found = references("openstack", "vnfm");
    assert!(
        found.is_empty(),
        "the fake cloud names the VNFM:\n{}",
        found.join("\n")
    );
}
