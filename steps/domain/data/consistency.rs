//! Consistency: with the simulated cloud's live workload writing on every VNFC, the point in
//! workload time each disk of a VNF snapshot holds, reported as a figure (the documentation
//! promises nothing about how close in time the VNFC snapshots are).

use cucumber::{given, then};

use super::{vnfc_snapshot, Access};
use crate::{
    failure::{Failure, Outcome},
    report::consistency::{self, Consistency, DiskPoint, VnfcPoint},
    world::Conformance,
};

fn control(w: &Conformance) -> Outcome<&'static simulator::kit::SimControl> {
    match w.data_access()? {
        Access::Control(control) => Ok(control),
        Access::Probe(_) => Err(Failure::new(
            "the live workload needs the simulated cloud's control API",
        )),
    }
}

#[given(expr = "the live workload runs on every VNFC of {string}")]
async fn workload_on(w: &mut Conformance, alias: String) -> Outcome {
    let control = control(w)?;
    for vnfc in w.vnfcs(&alias).await? {
        control.set_workload(&vnfc.server_id, true).await?;
        w.data.workloads.push(vnfc.server_id);
    }
    Ok(())
}

#[then(
    expr = "the report shows how far apart in workload time the disks of {string} of {string} were taken"
)]
async fn spread(w: &mut Conformance, snapshot: String, alias: String) -> Outcome {
    let control = control(w)?;
    for server in std::mem::take(&mut w.data.workloads) {
        if let Err(error) = control.set_workload(&server, false).await {
            if error.status != Some(404) {
                return Err(error.into());
            }
        }
    }
    let info_id = w.registry.snapshot(&snapshot)?.to_string();
    let info = w.read_snapshot(&info_id).await?;
    let mut points = Vec::new();
    for vnfc in w.vnfcs(&alias).await? {
        let (vnfc_snapshot_id, image, volume_snapshots) = vnfc_snapshot(&info, &vnfc.id)?;
        let mut disks = Vec::new();
        if let Some(content) = control.image_content(&image).await? {
            disks.push(DiskPoint {
                resource: format!("image {image}"),
                workload_ms: content.workload_ms,
            });
        }
        for id in volume_snapshots {
            let content = control.snapshot_content(&id).await?;
            disks.push(DiskPoint {
                resource: format!("volume snapshot {id}"),
                workload_ms: content.workload_ms,
            });
        }
        points.push(VnfcPoint {
            vnfc_id: vnfc.id,
            vnfc_snapshot_id,
            disks,
        });
    }
    let instance = w.registry.instance(&alias)?.id.clone();
    consistency::record(Consistency::of(&w.scenario, &instance, &info_id, points));
    Ok(())
}
