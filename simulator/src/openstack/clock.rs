//! The cloud's clock and time profiles: how long each status progression takes, and whether
//! time passes by itself or only when a test advances it.

use std::{
    sync::atomic::{AtomicI64, Ordering},
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
/// added with [`Clock::advance`] (or the offset a loaded state document set).
#[derive(Debug)]
pub struct Clock {
    profile: TimeProfile,
    started: Instant,
    /// The wall-clock time of cloud time 0, in nanoseconds since the Unix epoch (read on every
    /// rendered timestamp, so an atomic rather than a lock the cores would pass around).
    started_wall_ns: AtomicI64,
    /// Added to the time elapsed since `started` (the only time under `manual`).
    offset_ms: AtomicI64,
}

/// Nanoseconds since the Unix epoch; a time past what they count (before 1677 or after 2262)
/// is held at the nearest end.
fn epoch_ns(at: DateTime<Utc>) -> i64 {
    at.timestamp_nanos_opt().unwrap_or(if at.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// Where a clock stands, as a state document keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockReading {
    /// Cloud time, in milliseconds since the cloud started.
    pub now_ms: u64,
    /// The wall-clock time of cloud time 0 (every rendered timestamp is counted from it).
    pub started_at: DateTime<Utc>,
}

impl Clock {
    /// A clock starting now.
    pub fn new(profile: TimeProfile) -> Self {
        Self {
            profile,
            started: Instant::now(),
            started_wall_ns: AtomicI64::new(epoch_ns(Utc::now())),
            offset_ms: AtomicI64::new(0),
        }
    }

    fn elapsed_ms(&self) -> i64 {
        match self.profile {
            TimeProfile::Manual => 0,
            _ => self.started.elapsed().as_millis() as i64,
        }
    }

    /// Where the clock stands now.
    pub fn reading(&self) -> ClockReading {
        ClockReading {
            now_ms: self.now_ms(),
            started_at: self.started_wall(),
        }
    }

    /// Sets the clock to a reading (a loaded state document): cloud time continues from
    /// `now_ms` and timestamps are rendered from `started_at`.
    pub fn restore(&self, reading: &ClockReading) {
        self.started_wall_ns
            .store(epoch_ns(reading.started_at), Ordering::SeqCst);
        let now_ms = i64::try_from(reading.now_ms).unwrap_or(i64::MAX);
        self.offset_ms
            .store(now_ms.saturating_sub(self.elapsed_ms()), Ordering::SeqCst);
    }

    fn started_wall(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(self.started_wall_ns.load(Ordering::SeqCst))
    }

    /// The active profile.
    pub fn profile(&self) -> TimeProfile {
        self.profile
    }

    /// Milliseconds of cloud time elapsed since start.
    pub fn now_ms(&self) -> u64 {
        let offset = self.offset_ms.load(Ordering::SeqCst);
        u64::try_from(offset.saturating_add(self.elapsed_ms())).unwrap_or(0)
    }

    /// Wall-clock rendering of a cloud time.
    pub fn wall(&self, at_ms: u64) -> DateTime<Utc> {
        self.started_wall() + ChronoDuration::milliseconds(at_ms as i64)
    }

    /// Wall-clock rendering of now.
    pub fn wall_now(&self) -> DateTime<Utc> {
        self.wall(self.now_ms())
    }

    /// Moves cloud time forward.
    pub fn advance(&self, ms: u64) {
        let ms = i64::try_from(ms).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
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
    fn a_restored_clock_continues_from_the_reading() {
        let clock = Clock::new(TimeProfile::Manual);
        let reading = ClockReading {
            now_ms: 90_000,
            started_at: Utc::now() - ChronoDuration::hours(1),
        };
        clock.restore(&reading);
        assert_eq!(clock.reading(), reading);
        clock.advance(500);
        assert_eq!(clock.now_ms(), 90_500);
        let running = Clock::new(TimeProfile::Fast);
        running.restore(&reading);
        assert!(running.now_ms() >= 90_000);
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
