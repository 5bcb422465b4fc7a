//! The `${…}` placeholders of the feature files, replaced by the ids they stand for.

use super::Conformance;
use crate::failure::{Failure, Outcome};

impl Conformance {
    /// Replaces `${…}` placeholders in `template`:
    /// `${A}` an instance or snapshot id, `${A.vnfcN}` the id of the N-th VNFC instance of A,
    /// `${S.vnfcSnapshotN}` the id of the N-th VNFC snapshot of S, `${unknown}` a fresh UUID,
    /// `${long}` an id of [`LONG_ID`] characters, `${op}` the last operation occurrence.
    pub async fn expand(&self, template: &str) -> Outcome<String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .ok_or_else(|| Failure::new(format!("unclosed placeholder in {template:?}")))?;
            let name = &rest[start + 2..start + end];
            out.push_str(&self.resolve(name).await?);
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    async fn resolve(&self, name: &str) -> Outcome<String> {
        if name == "unknown" {
            return Ok(uuid::Uuid::new_v4().to_string());
        }
        if name == "long" {
            return Ok("a".repeat(LONG_ID));
        }
        if name == "op" {
            return self.registry.op_occ().map(str::to_string);
        }
        if let Some((alias, part)) = name.split_once('.') {
            if let Some(n) = part.strip_prefix("vnfcSnapshot") {
                let index = ordinal(n)?;
                let id = self.registry.snapshot(alias)?.to_string();
                let info = self.read_snapshot(&id).await?;
                return info["vnfSnapshot"]["vnfcSnapshots"][index]["id"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| {
                        Failure::new(format!("{alias} has no VNFC snapshot {n}: {info}"))
                    });
            }
            if let Some(n) = part.strip_prefix("vnfc") {
                let index = ordinal(n)?;
                let vnfcs = self.vnfc_ids(alias).await?;
                return vnfcs.get(index).cloned().ok_or_else(|| {
                    Failure::new(format!("{alias} has no VNFC {n} (it has {vnfcs:?})"))
                });
            }
            return Err(Failure::new(format!("unknown placeholder ${{{name}}}")));
        }
        if name == "subscription" {
            return self
                .subscriber
                .subscription
                .clone()
                .ok_or_else(|| Failure::new("the scenario has no subscription"));
        }
        if let Some(instance) = self.registry.instances.get(name) {
            return Ok(instance.id.clone());
        }
        self.registry.snapshot(name).map(str::to_string)
    }
}

/// `"2"` -> index 1.
fn ordinal(n: &str) -> Outcome<usize> {
    n.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(|| Failure::new(format!("bad ordinal {n:?}")))
}

/// The length of the `${long}` id.
pub const LONG_ID: usize = 4096;
