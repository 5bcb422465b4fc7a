//! Raw requests written out in the feature file: any method, any path under an API root, with
//! `${…}` placeholders (see `Conformance::expand`).

use cucumber::{gherkin::Step, when};
use reqwest::Method;

use crate::{
    failure::{Failure, Outcome},
    http::Api,
    world::Conformance,
};

async fn send(
    w: &mut Conformance,
    method: &str,
    path: &str,
    api: Api,
    body: Option<&str>,
    adjust: impl FnOnce(crate::http::Request) -> crate::http::Request,
) -> Outcome {
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|e| Failure::new(format!("bad method {method}: {e}")))?;
    let path = w.expand(path).await?;
    let mut request = w.target.api(api).request(method, &path);
    if let Some(body) = body {
        request = request.raw(w.expand(body).await?);
    }
    w.send(api, adjust(request)).await.map(drop)
}

fn docstring(step: &Step) -> Outcome<&str> {
    step.docstring
        .as_deref()
        .ok_or_else(|| Failure::new("the step needs a body as a doc string"))
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23])$"#)]
async fn plain(w: &mut Conformance, method: String, path: String, api: Api) -> Outcome {
    send(w, &method, &path, api, None, |r| r).await
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with body:$"#)]
async fn with_body(
    w: &mut Conformance,
    step: &Step,
    method: String,
    path: String,
    api: Api,
) -> Outcome {
    send(w, &method, &path, api, Some(docstring(step)?), |r| r).await
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) without credentials$"#)]
async fn anonymous(w: &mut Conformance, method: String, path: String, api: Api) -> Outcome {
    send(w, &method, &path, api, None, |mut r| {
        r.authenticate = false;
        r
    })
    .await
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) without a Version header$"#)]
async fn unversioned(w: &mut Conformance, method: String, path: String, api: Api) -> Outcome {
    send(w, &method, &path, api, None, |mut r| {
        r.send_version = false;
        r
    })
    .await
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with Version "([^"]*)"$"#)]
async fn other_version(
    w: &mut Conformance,
    method: String,
    path: String,
    api: Api,
    version: String,
) -> Outcome {
    send(w, &method, &path, api, None, |mut r| {
        r.send_version = false;
        r.header("Version", version)
    })
    .await
}
