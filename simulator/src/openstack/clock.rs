//! The cloud's clock and time profiles: how long each status progression takes, and whether
//! time passes by itself or only when a test advances it.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde::{Deserialize, Serialize};

/// How fast resources leave their transitional statuses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum TimeProfile {
    /// Every progression is due at once: the next read shows the final status.
    Instant,
    /// Tens of milliseconds per step: transitional statuses are visible to pollers, runs stay fast.
    #[default]
    Fast,
    /// Seconds per step, like a real cloud (one volume-backed VNF snapshot takes ~20 s).
    Realistic,
    /// Realistic durations, but time stands still until `POST /_sim/clock/advance`.
    Manual,
}

/// A step of a resource's life whose duration depends on the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    ServerBuild,
    ServerDelete,
    ServerRebuild,
    ServerPower,
    VolumeCreate,
    VolumeDelete,
    SnapshotCreate,
    SnapshotDelete,
    ImageQueued,
    ImageUpload,
}

impl TimeProfile {
    /// Milliseconds the step takes under this profile.
    pub fn duration_ms(self, step: Step) -> u64 {
        let realistic = match step {
            Step::ServerBuild => 6_000,
            Step::ServerDelete => 2_000,
            Step::ServerRebuild => 8_000,
            Step::ServerPower => 3_000,
            Step::VolumeCreate => 3_000,
            Step::VolumeDelete => 2_000,
            Step::SnapshotCreate => 12_000,
            Step::SnapshotDelete => 2_000,
            Step::ImageQueued => 2_000,
            Step::ImageUpload => 15_000,
        };
        match self {
            TimeProfile::Instant => 0,
            TimeProfile::Fast => realistic / 200,
            TimeProfile::Realistic | TimeProfile::Manual => realistic,
        }
    }
}

/// The cloud's notion of now, in milliseconds since the cloud started, plus any time a test
/// added with [`Clock::advance`].
#[derive(Debug)]
pub struct Clock {
    profile: TimeProfile,
    started: Instant,
    started_wall: DateTime<Utc>,
    advanced_ms: AtomicU64,
}

impl Clock {
    /// A clock starting now.
    pub fn new(profile: TimeProfile) -> Self {
        Self {
            profile,
            started: Instant::now(),
            started_wall: Utc::now(),
            advanced_ms: AtomicU64::new(0),
        }
    }

    /// The active profile.
    pub fn profile(&self) -> TimeProfile {
        self.profile
    }

    /// Milliseconds of cloud time elapsed since start.
    pub fn now_ms(&self) -> u64 {
        let advanced = self.advanced_ms.load(Ordering::SeqCst);
        match self.profile {
            TimeProfile::Manual => advanced,
            _ => advanced + self.started.elapsed().as_millis() as u64,
        }
    }

    /// Wall-clock rendering of a cloud time.
    pub fn wall(&self, at_ms: u64) -> DateTime<Utc> {
        self.started_wall + ChronoDuration::milliseconds(at_ms as i64)
    }

    /// Wall-clock rendering of now.
    pub fn wall_now(&self) -> DateTime<Utc> {
        self.wall(self.now_ms())
    }

    /// Moves cloud time forward.
    pub fn advance(&self, ms: u64) {
        self.advanced_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// The cloud time at which a step started now is due.
    pub fn due(&self, step: Step) -> u64 {
        self.now_ms() + self.profile.duration_ms(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_time_moves_only_when_advanced() {
        let clock = Clock::new(TimeProfile::Manual);
        assert_eq!(clock.now_ms(), 0);
        clock.advance(1_500);
        assert_eq!(clock.now_ms(), 1_500);
        assert_eq!(clock.due(Step::VolumeCreate), 4_500);
    }

    #[test]
    fn instant_profile_makes_every_step_due_now() {
        let clock = Clock::new(TimeProfile::Instant);
        let now = clock.now_ms();
        assert!(clock.due(Step::ImageUpload) <= now + 5);
    }

    #[test]
    fn fast_profile_is_much_shorter_than_realistic() {
        for step in [Step::ServerBuild, Step::SnapshotCreate, Step::ImageUpload] {
            let fast = TimeProfile::Fast.duration_ms(step);
            let real = TimeProfile::Realistic.duration_ms(step);
            assert!(fast > 0 && fast * 100 <= real, "{step:?}");
        }
    }
}
