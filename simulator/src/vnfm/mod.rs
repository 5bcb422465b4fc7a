//! The reference VNFM: ETSI SOL003 (`or_vnfm`) and SOL002 (`ve_vnfm`) VNF LCM v2.

pub mod vim;
