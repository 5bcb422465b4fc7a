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
        let builtin = builtin::descriptors(image, flavor)
            .into_iter()
            .map(|descriptor| (descriptor.vnfd_id.clone(), descriptor))
            .collect();
        Self::with_files(builtin, dir)
    }

    /// Only the descriptors of the `*.json` files of `dir` (none without a directory).
    pub fn files_only(dir: Option<&Path>) -> Result<Self, CatalogError> {
        Self::with_files(BTreeMap::new(), dir)
    }

    /// `descriptors` with those of the `*.json` files of `dir` added (a file replaces a
    /// descriptor with its vnfdId).
    fn with_files(
        mut descriptors: BTreeMap<String, VnfDescriptor>,
        dir: Option<&Path>,
    ) -> Result<Self, CatalogError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_descriptor_files_and_reports_bad_ones() {
        let dir = std::env::temp_dir().join(format!("vnfm-descriptors-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = serde_json::json!({
            "vnfdId": "my-vnfd", "vnfProvider": "Example", "vnfProductName": "demo",
            "vnfSoftwareVersion": "1.0", "vnfdVersion": "1.0", "flavourId": "default",
            "vdus": [{"id": "VDU1", "type": "tosca.nodes.nfv.Vdu.Compute", "flavor": "m1.small",
                      "sw_image": "img", "virtual_storages": [
                          {"id": "boot", "type": "tosca.nodes.nfv.Vdu.VirtualBlockStorage", "size": 2, "boot": true}]}]
        });
        std::fs::write(dir.join("good.json"), good.to_string()).unwrap();
        let catalog = Catalog::load("image", "flavor", Some(&dir)).unwrap();
        assert_eq!(
            catalog.get("my-vnfd").unwrap().vdus[0].virtual_storages[0].size,
            2
        );
        assert!(catalog.get("vnfd-vb-2vdu").is_some(), "built-ins stay");
        let files_only = Catalog::files_only(Some(&dir)).unwrap();
        assert!(files_only.get("my-vnfd").is_some());
        assert!(files_only.get("vnfd-vb-2vdu").is_none(), "no built-in");

        std::fs::write(dir.join("bad.json"), r#"{"vnfdId": "x"}"#).unwrap();
        let error = Catalog::load("image", "flavor", Some(&dir)).unwrap_err();
        assert!(error.to_string().contains("bad.json"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn built_in_descriptors_are_valid() {
        let catalog = Catalog::load("image", "flavor", None).unwrap();
        for id in [
            "vnfd-vb-1vdu",
            "vnfd-vb-2vdu",
            "vnfd-ib-1vdu",
            "vnfd-ib-1vdu-data",
            "vnfd-vb-oob",
            "vnfd-vcd-1vdu",
        ] {
            catalog.get(id).unwrap().validate().unwrap();
        }
        assert!(catalog
            .get("vnfd-vb-oob")
            .unwrap()
            .has_out_of_band_storage());
    }
}
