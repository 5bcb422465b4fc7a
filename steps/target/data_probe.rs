//! The `[data_probe]` of a target file: two shell commands, given by the vendor, that write a
//! marker on a VNFC and read it back (for example over SSH), so that the data scenarios run on
//! a real cloud, where the suite has no control API to look inside the disks.
//!
//! Each command is run with `sh -c` after its placeholders are replaced: `{server_id}` (the
//! Nova server), `{ip}` (its first fixed IP address), `{ips}` (all of them, space separated),
//! `{vnfc_id}` (the VNFC instance, or `template` for a server the suite booted itself) and
//! `{marker}` (letters, digits and dashes only). A command that fails is run again until it
//! succeeds or `timeout_secs` have passed (a server that is still booting).

use std::time::Duration;

use serde::Deserialize;

use crate::failure::{Failure, Outcome};

/// The probe's commands.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataProbe {
    /// Writes `{marker}` on the VNFC's disks.
    pub write: String,
    /// Prints what the VNFC's disks hold: one line per disk the probe looks at, each the marker
    /// last written there.
    pub read: String,
    /// How long a command may keep failing before the step fails (seconds, default 300).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_timeout() -> u64 {
    300
}

/// The server a probe command is about.
#[derive(Clone, Debug)]
pub struct ProbeTarget {
    pub server_id: String,
    pub vnfc_id: String,
    pub ips: Vec<String>,
}

impl DataProbe {
    /// Writes `marker` on the target.
    pub async fn write(&self, target: &ProbeTarget, marker: &str) -> Outcome {
        self.run(&self.command(&self.write, target, marker)).await?;
        Ok(())
    }

    /// What the target's disks hold: the non-empty lines `read` printed.
    pub async fn read(&self, target: &ProbeTarget) -> Outcome<Vec<String>> {
        let output = self.run(&self.command(&self.read, target, "")).await?;
        Ok(output
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// `template` with its placeholders replaced.
    pub(crate) fn command(&self, template: &str, target: &ProbeTarget, marker: &str) -> String {
        template
            .replace("{server_id}", &target.server_id)
            .replace("{vnfc_id}", &target.vnfc_id)
            .replace("{ips}", &target.ips.join(" "))
            .replace("{ip}", target.ips.first().map_or("", String::as_str))
            .replace("{marker}", marker)
    }

    /// Runs `command` until it succeeds, for at most `timeout_secs`; answers its output.
    async fn run(&self, command: &str) -> Outcome<String> {
        let deadline = Duration::from_secs(self.timeout_secs);
        let until = tokio::time::Instant::now() + deadline;
        let mut pause = Duration::from_millis(200);
        loop {
            let attempt = tokio::time::timeout_at(
                until,
                tokio::process::Command::new("sh")
                    .arg("-c")
                    .arg(command)
                    .kill_on_drop(true)
                    .output(),
            )
            .await;
            let last = match attempt {
                Ok(Ok(output)) if output.status.success() => {
                    return Ok(String::from_utf8_lossy(&output.stdout).into_owned())
                }
                Ok(Ok(output)) => format!(
                    "{}: {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
                Ok(Err(error)) => error.to_string(),
                Err(_) => "still running".to_string(),
            };
            if tokio::time::Instant::now() + pause >= until {
                return Err(Failure::new(format!(
                    "the data probe's command did not succeed within {deadline:?}: {command}\nlast attempt: {last}"
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    }
}
