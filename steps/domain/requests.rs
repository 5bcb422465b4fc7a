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

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with Accept "([^"]*)"$"#)]
async fn with_accept(
    w: &mut Conformance,
    method: String,
    path: String,
    api: Api,
    accept: String,
) -> Outcome {
    send(w, &method, &path, api, None, |r| r.header("Accept", accept)).await
}

#[when(
    regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with Content-Type "([^"]*)" and body:$"#
)]
async fn with_content_type(
    w: &mut Conformance,
    step: &Step,
    method: String,
    path: String,
    api: Api,
    content_type: String,
) -> Outcome {
    let body = docstring(step)?.to_string();
    send(w, &method, &path, api, Some(&body), |r| {
        r.header("Content-Type", content_type)
    })
    .await
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with a body of (\d+) bytes$"#)]
async fn oversized(
    w: &mut Conformance,
    method: String,
    path: String,
    api: Api,
    size: usize,
) -> Outcome {
    let padding = "x".repeat(size.saturating_sub(16));
    let body = format!(r#"{{"pad": "{padding}"}}"#);
    send(w, &method, &path, api, None, |r| r.raw(body)).await
}

#[when(regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with wrong credentials$"#)]
async fn wrong_credentials(w: &mut Conformance, method: String, path: String, api: Api) -> Outcome {
    send(w, &method, &path, api, None, |mut r| {
        r.authenticate = false;
        // admin:not-the-password
        r.header("Authorization", "Basic YWRtaW46bm90LXRoZS1wYXNzd29yZA==")
    })
    .await
}

#[when(
    regex = r#"^the client sends (\w+) "([^"]*)" over (SOL00[23]) with the bearer token "([^"]*)"$"#
)]
async fn bearer(
    w: &mut Conformance,
    method: String,
    path: String,
    api: Api,
    token: String,
) -> Outcome {
    send(w, &method, &path, api, None, |mut r| {
        r.authenticate = false;
        r.header("Authorization", format!("Bearer {token}"))
    })
    .await
}
