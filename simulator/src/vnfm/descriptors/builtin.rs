//! The built-in descriptors the conformance suite relies on (their vnfdIds are stable).

use super::{
    StorageDescriptor, VduDescriptor, VnfDescriptor, VDU_COMPUTE_TYPE, VIRTUAL_BLOCK_STORAGE_TYPE,
};

fn storage(id: &str, size: u32, boot: bool, out_of_band: bool) -> StorageDescriptor {
    StorageDescriptor {
        id: id.into(),
        node_type: VIRTUAL_BLOCK_STORAGE_TYPE.into(),
        size,
        boot,
        out_of_band,
    }
}

fn vdu(id: &str, image: &str, flavor: &str, storages: Vec<StorageDescriptor>) -> VduDescriptor {
    VduDescriptor {
        id: id.into(),
        node_type: VDU_COMPUTE_TYPE.into(),
        flavor: flavor.into(),
        sw_image: image.into(),
        virtual_storages: storages,
    }
}

/// A VDU booting from a 1 GiB volume, with a 1 GiB data volume (`<id>-boot`, `<id>-data`).
fn volume_backed_vdu(id: &str, image: &str, flavor: &str) -> VduDescriptor {
    let boot = storage(&format!("{id}-boot"), 1, true, false);
    let data = storage(&format!("{id}-data"), 1, false, false);
    vdu(id, image, flavor, vec![boot, data])
}

fn descriptor(
    vnfd_id: &str,
    product: &str,
    required_vim_type: Option<&str>,
    vdus: Vec<VduDescriptor>,
) -> VnfDescriptor {
    VnfDescriptor {
        vnfd_id: vnfd_id.into(),
        vnf_provider: "VNF Snapshot Conformance Kit".into(),
        vnf_product_name: product.into(),
        vnf_software_version: "1.0".into(),
        vnfd_version: "1.0".into(),
        flavour_id: "default".into(),
        required_vim_type: required_vim_type.map(str::to_string),
        vdus,
    }
}

/// The built-in catalog.
pub fn descriptors(image: &str, flavor: &str) -> Vec<VnfDescriptor> {
    vec![
        descriptor(
            "vnfd-vb-1vdu",
            "volume-backed, one VDU",
            None,
            vec![volume_backed_vdu("VDU1", image, flavor)],
        ),
        descriptor(
            "vnfd-vb-2vdu",
            "volume-backed, two VDUs",
            None,
            vec![
                volume_backed_vdu("VDU1", image, flavor),
                volume_backed_vdu("VDU2", image, flavor),
            ],
        ),
        descriptor(
            "vnfd-ib-1vdu",
            "image-backed, one VDU",
            None,
            vec![vdu("VDU1", image, flavor, vec![])],
        ),
        descriptor(
            "vnfd-ib-1vdu-data",
            "image-backed, one VDU with a data volume",
            None,
            vec![vdu(
                "VDU1",
                image,
                flavor,
                vec![storage("VDU1-data", 1, false, false)],
            )],
        ),
        descriptor(
            "vnfd-vb-oob",
            "volume-backed with an out-of-band volume",
            None,
            vec![vdu(
                "VDU1",
                image,
                flavor,
                vec![
                    storage("VDU1-boot", 1, true, false),
                    storage("VDU1-oob", 1, false, true),
                ],
            )],
        ),
        descriptor(
            "vnfd-vcd-1vdu",
            "VMware vCD VNF, one VDU",
            Some("VMWARE_VCD"),
            vec![vdu("VDU1", image, flavor, vec![])],
        ),
    ]
}
