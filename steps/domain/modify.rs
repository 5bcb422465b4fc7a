//! Modifying a VNF snapshot resource with PATCH, guarded by its ETag.

use cucumber::{gherkin::Step, then, when};
use reqwest::Method;

use super::snapshots::get_snapshot;
use crate::{
    failure::{ensure, Failure, Outcome},
    http::Api,
    world::Conformance,
};

#[when(
    regex = r#"^the NFVO reads the snapshot "([^"]+)" and patches it with (its|a stale) ETag and body:$"#
)]
async fn patch_with_etag(
    w: &mut Conformance,
    step: &Step,
    alias: String,
    which: String,
) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    let etag = exchange
        .header("ETag")
        .ok_or_else(|| Failure::about(&exchange, "an ETag header on GET (SOL013 §4.5)"))?
        .to_string();
    w.redactor.name_opaque(etag.trim_matches('"'), "etag");
    w.etags.insert(alias.clone(), etag.clone());
    let sent = if which == "its" {
        etag
    } else {
        format!("\"stale-{}\"", etag.trim_matches('"'))
    };
    let body = step.docstring.clone().unwrap_or_default();
    let request = w
        .target
        .sol003
        .request(
            Method::PATCH,
            &format!("/vnf_snapshots/{}", w.registry.snapshot(&alias)?),
        )
        .header("If-Match", sent)
        .raw(body);
    w.send(Api::Sol003, request).await.map(drop)
}

#[then(expr = "the body reports the modified vnfSnapshotPkgId {string}")]
async fn reports_modification(w: &mut Conformance, package: String) -> Outcome {
    let exchange = w.last()?;
    ensure(
        exchange.body()["vnfSnapshotPkgId"] == package.as_str(),
        exchange,
        format!("VnfSnapshotInfoModifications with vnfSnapshotPkgId {package}"),
    )
}

#[then(expr = "the snapshot {string} now has a new ETag and vnfSnapshotPkgId {string}")]
async fn modified(w: &mut Conformance, alias: String, package: String) -> Outcome {
    let exchange = get_snapshot(w, &alias).await?;
    let before = w.etags.get(&alias).map(String::as_str);
    ensure(
        exchange.status == 200
            && exchange.body()["vnfSnapshotPkgId"] == package.as_str()
            && exchange.header("ETag").is_some()
            && exchange.header("ETag") != before,
        &exchange,
        format!("vnfSnapshotPkgId {package} and an ETag other than {before:?}"),
    )
}
