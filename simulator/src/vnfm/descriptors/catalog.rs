//! The set of descriptors the VNFM knows.

use std::{collections::BTreeMap, path::Path};

use super::{builtin, VnfDescriptor};

/// Why descriptor files could not be loaded.
#[derive(Debug)]
pub struct CatalogError(pub String);

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CatalogError {}

/// Descriptors by vnfdId.
#[derive(Clone, Debug)]
pub struct Catalog {
    descriptors: BTreeMap<String, VnfDescriptor>,
}

impl Catalog {
    /// The built-in descriptors, using `image` and `flavor` names of the cloud, plus every
    /// `*.json` file of `dir` (a file may replace a built-in one).
    pub fn load(image: &str, flavor: &str, dir: Option<&Path>) -> Result<Self, CatalogError> {
        let mut descriptors: BTreeMap<String, VnfDescriptor> = builtin::descriptors(image, flavor)
            .into_iter()
            .map(|descriptor| (descriptor.vnfd_id.clone(), descriptor))
            .collect();
        if let Some(dir) = dir {
            let entries = std::fs::read_dir(dir)
                .map_err(|error| CatalogError(format!("cannot read {}: {error}", dir.display())))?;
            let mut paths: Vec<_> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).map_err(|error| {
                    CatalogError(format!("cannot read {}: {error}", path.display()))
                })?;
                let descriptor: VnfDescriptor = serde_json::from_str(&text)
                    .map_err(|error| CatalogError(format!("{}: {error}", path.display())))?;
                descriptor
                    .validate()
                    .map_err(|error| CatalogError(format!("{}: {error}", path.display())))?;
                descriptors.insert(descriptor.vnfd_id.clone(), descriptor);
            }
        }
        Ok(Self { descriptors })
    }

    /// The descriptor with `vnfd_id`.
    pub fn get(&self, vnfd_id: &str) -> Option<&VnfDescriptor> {
        self.descriptors.get(vnfd_id)
    }
}
