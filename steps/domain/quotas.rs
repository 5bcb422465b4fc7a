//! The documented OpenStack errors provoked through the real OpenStack APIs, so that they are
//! tested against a real VNFM on a real cloud too: a project's quota set to its current usage
//! through the Cinder quota API, then restored. The target file says whether its OpenStack
//! credentials may change quotas (`quota_admin` in `[capabilities]`); such scenarios are
//! `@serial`, since the quota holds for every scenario working in the same project.

use cucumber::{given, when};

use crate::{failure::Outcome, world::Conformance};

#[given("the cloud project allows no more volume snapshots than it holds")]
async fn snapshots_at_usage(w: &mut Conformance) -> Outcome {
    let project = w.cloud.project_name().map(str::to_string);
    let observer = &w.target.observer;
    let (limit, in_use) = observer
        .cinder_quota(project.as_deref(), "snapshots")
        .await?;
    w.cloud.quota_to_restore = Some(("snapshots".to_string(), limit));
    observer
        .set_cinder_quota(project.as_deref(), "snapshots", in_use)
        .await
}

#[when("the cloud project's volume snapshot quota is restored")]
async fn restored(w: &mut Conformance) -> Outcome {
    w.restore_quota().await
}

impl Conformance {
    /// Puts back the quota a step lowered, if any (also done by the clean-up).
    pub async fn restore_quota(&mut self) -> Outcome {
        let Some((key, limit)) = self.cloud.quota_to_restore.take() else {
            return Ok(());
        };
        let project = self.cloud.project_name();
        self.target
            .observer
            .set_cinder_quota(project, &key, limit)
            .await
    }
}
