//! Scenarios that need an operation in progress and, without the simulated cloud's control API
//! to hold it there, rely on the target's natural duration (a real VNFM on a real cloud takes
//! seconds). They are tagged `@natural-duration`: a target with the control API runs the `@fault`
//! twin that holds the operation deterministically instead. When the operation finished before
//! the request could meet it, the window was missed and the scenario is INCONCLUSIVE, not FAILED.

use cucumber::{then, when};
use reqwest::Method;

use super::responses::rejected;
use crate::{
    failure::{Failure, Outcome},
    http::Api,
    registry::SETTLED,
    world::Conformance,
};

/// The operation state before and after a request sent while the operation should run.
#[derive(Debug, Default)]
pub struct Window {
    pub before: String,
    pub after: String,
}

impl Window {
    /// Whether the operation had already ended when the request was sent.
    fn missed(&self) -> bool {
        SETTLED.contains(&self.before.as_str())
    }

    /// Whether the operation still ran when the request had been answered.
    fn held(&self) -> bool {
        !SETTLED.contains(&self.after.as_str())
    }
}

#[when(expr = "the NFVO deletes the snapshot {string} while the operation occurrence runs")]
async fn deletes_while_running(w: &mut Conformance, alias: String) -> Outcome {
    let op = w.registry.op_occ()?.to_string();
    let id = w.registry.snapshot(&alias)?.to_string();
    let before = state(w, &op).await?;
    let path = format!("/vnf_snapshots/{id}");
    w.call(Api::Sol003, Method::DELETE, &path, None).await?;
    let after = state(w, &op).await?;
    w.window = Some(Window { before, after });
    Ok(())
}

#[then(expr = "the deletion is refused with {int} as the operation occurrence runs")]
async fn refused_while_running(w: &mut Conformance, status: u16) -> Outcome {
    let window = w
        .window
        .take()
        .ok_or_else(|| Failure::new("no request was sent while the operation ran"))?;
    if window.missed() {
        return Err(Failure::window_missed(format!(
            "the operation was already {} when the request was sent",
            window.before
        )));
    }
    let answered = w.last()?.status;
    if (200..300).contains(&answered) && !window.held() {
        return Err(Failure::window_missed(format!(
            "the request was served ({answered}) and the operation was {} by then: it may have ended first",
            window.after
        )));
    }
    rejected(w, status).await
}

async fn state(w: &Conformance, op: &str) -> Outcome<String> {
    let occ = w.read_op_occ(op).await?;
    Ok(occ["operationState"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}
