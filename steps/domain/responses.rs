//! Checks on the last response: status, headers, body structure, and keeping the body.

use cucumber::then;

use crate::{
    failure::{ensure, Failure, Outcome},
    http::{fields, Exchange},
    rules::Rule,
    world::Conformance,
};

/// Every response carries the `Version` used and, with a body, a JSON `Content-Type` (rules
/// held by scenarios of their own, see [`crate::rules`]).
fn common_headers(w: &Conformance, exchange: &Exchange) -> Outcome {
    let sent = w.target.sol003.version();
    w.check_rule(
        Rule::VersionHeader,
        exchange.header("Version") == Some(sent),
        || Failure::about(exchange, format!("a Version header {sent:?} (SOL013 §9.1)")),
    )?;
    let content_type = exchange.header("Content-Type").unwrap_or_default();
    w.check_rule(
        Rule::JsonContentType,
        exchange.text.is_empty() || fields::is_json_media_type(content_type),
        || Failure::about(exchange, "a JSON Content-Type with the body"),
    )
}

#[then(expr = "the response status is {int}")]
pub(super) async fn status(w: &mut Conformance, expected: u16) -> Outcome {
    let exchange = w.last()?;
    ensure(
        exchange.status == expected,
        exchange,
        format!("status {expected}"),
    )?;
    common_headers(w, exchange)
}

/// SOL013 §9.1 makes `Version` mandatory on requests (400 without it); the vendor
/// documentation's curl examples send none. The target file says which rule the VNFM follows:
/// a required header is checked with 400 and a ProblemDetails; an optional one with a served
/// request that still carries `Version` in its answer.
#[then("the answer follows the target's Version header rule")]
async fn version_rule(w: &mut Conformance) -> Outcome {
    if w.target.version_header_required {
        return rejected(w, 400).await;
    }
    let exchange = w.last()?.clone();
    ensure(
        exchange.status == 200,
        &exchange,
        "200: the target declares (version_header_required = false) that it serves requests without Version",
    )?;
    common_headers(w, &exchange)
}

/// The statuses whose SOL003 v3.3.1 response descriptions let the ProblemDetails go: 401
/// (optional), 404 ("may be provided"), 405, 406, 413, 414 and 503 ("may be omitted"). The
/// reference VNFM always sends one, so only other targets may omit it; a body that is there
/// must be a ProblemDetails all the same.
const BODY_OPTIONAL: &[u16] = &[401, 404, 405, 406, 413, 414, 503];

fn body_may_be_omitted(w: &Conformance, exchange: &Exchange) -> bool {
    !w.target.reference && exchange.text.is_empty() && BODY_OPTIONAL.contains(&exchange.status)
}

/// The exact code is the reference VNFM's choice; other targets need the same class (4xx/5xx).
/// Either way the body is a ProblemDetails whose `status` is the HTTP status, unless the status
/// is one whose body may be omitted.
#[then(expr = "the request is rejected with {int}")]
pub(super) async fn rejected(w: &mut Conformance, expected: u16) -> Outcome {
    let exchange = w.last()?.clone();
    if w.target.reference {
        ensure(
            exchange.status == expected,
            &exchange,
            format!("status {expected}"),
        )?;
    } else {
        ensure(
            exchange.status / 100 == expected / 100,
            &exchange,
            format!(
                "a {}xx status (the class is what the documentation and SOL003 fix; the exact {expected} is the reference VNFM's choice)",
                expected / 100
            ),
        )?;
    }
    common_headers(w, &exchange)?;
    if body_may_be_omitted(w, &exchange) {
        return Ok(());
    }
    let problem = w.target.schemas.check("ProblemDetails", exchange.body());
    w.check_rule(Rule::ProblemDetails, problem.is_ok(), || {
        Failure::about(&exchange, problem.err().unwrap_or_default())
    })?;
    w.check_rule(
        Rule::ProblemDetails,
        exchange.body()["status"] == exchange.status,
        || Failure::about(&exchange, "ProblemDetails.status equal to the HTTP status"),
    )?;
    w.keep(&format!("problem-{}", exchange.status), exchange.body())
}

#[then("the response body is empty")]
async fn empty(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    ensure(exchange.text.is_empty(), exchange, "an empty body")
}

#[then(regex = r"^the response body is a valid (\w+)$")]
async fn valid(w: &mut Conformance, schema: String) -> Outcome {
    let exchange = w.last()?.clone();
    w.check_schema(&schema, exchange.body())
        .map_err(|e| Failure::about(&exchange, e))?;
    w.keep(&schema, exchange.body())
}

/// For responses where SOL003 makes the body optional (401, 405, 406, ...): checked when
/// present; the reference VNFM always sends one.
#[then(regex = r"^any response body is a valid (\w+)$")]
async fn valid_if_any(w: &mut Conformance, schema: String) -> Outcome {
    if w.last()?.text.is_empty() && !w.target.reference {
        return Ok(());
    }
    valid(w, schema).await
}

#[then(regex = r"^the response body is an array of valid (\w+)$")]
async fn valid_array(w: &mut Conformance, schema: String) -> Outcome {
    let exchange = w.last()?;
    let items = exchange
        .body()
        .as_array()
        .ok_or_else(|| Failure::about(exchange, "a JSON array"))?;
    for item in items {
        w.check_schema(&schema, item)
            .map_err(|e| Failure::about(exchange, e))?;
    }
    Ok(())
}

#[then("the response has a WWW-Authenticate header")]
async fn www_authenticate(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    ensure(
        exchange.header("WWW-Authenticate").is_some(),
        exchange,
        "a WWW-Authenticate header with the 401",
    )
}

/// Whether `link` (a `{href}` object) is an absolute URI ending in `suffix`.
pub fn links_to(link: &serde_json::Value, suffix: &str) -> bool {
    link["href"].as_str().is_some_and(|h| {
        (h.starts_with("http://") || h.starts_with("https://")) && h.ends_with(suffix)
    })
}

/// The API root the request of `exchange` went to.
fn root_of<'a>(w: &'a Conformance, exchange: &Exchange) -> &'a str {
    let sol002 = w.target.sol002.root();
    if exchange.request.url.starts_with(sol002) {
        sol002
    } else {
        w.target.sol003.root()
    }
}

#[then(expr = "the Location header points to the snapshot resource {string}")]
async fn location_snapshot(w: &mut Conformance, alias: String) -> Outcome {
    let exchange = w.last()?;
    let id = exchange.location_id(root_of(w, exchange), "/vnf_snapshots")?;
    ensure(
        id == w.registry.snapshot(&alias)?,
        exchange,
        format!("the Location of {alias}"),
    )
}

#[then("the Location header points to the operation occurrence")]
async fn location_op_occ(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    let id = exchange.location_id(root_of(w, exchange), "/vnf_lcm_op_occs")?;
    ensure(
        id == w.registry.op_occ()?,
        exchange,
        "the Location of the operation occurrence",
    )
}

#[then("the Location header points to the subscription")]
async fn location_subscription(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    let id = exchange.location_id(w.target.sol003.root(), "/subscriptions")?;
    ensure(
        Some(id.as_str()) == exchange.body()["id"].as_str(),
        exchange,
        "the Location of the subscription in the body",
    )
}

#[then("the API versions include the version the suite sends")]
async fn api_versions(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    let sent = w.target.sol003.version();
    let body = exchange.body();
    let listed = body["apiVersions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|v| v["version"] == sent);
    ensure(listed, exchange, format!("apiVersions[] listing {sent}"))?;
    let prefix = body["uriPrefix"].as_str().unwrap_or_default();
    ensure(
        prefix.trim_end_matches('/').ends_with("/vnflcm/v2"),
        exchange,
        "a uriPrefix ending in /vnflcm/v2",
    )
}

/// The methods an `Allow` header must list, from a list such as `GET, DELETE, PATCH if
/// patch-snapshots`: a method followed by `if <capability>` is required only when the target
/// claims that capability.
fn required_methods(w: &Conformance, methods: &str) -> Outcome<Vec<String>> {
    let mut required = Vec::new();
    for element in methods.split(',').map(str::trim) {
        match element.split_once(" if ") {
            Some((method, capability)) => {
                let claimed = w
                    .target
                    .capabilities
                    .claims(capability.trim())
                    .map_err(Failure::new)?;
                if claimed {
                    required.push(method.trim().to_string());
                }
            }
            None => required.push(element.to_string()),
        }
    }
    Ok(required)
}

/// RFC 9110 §15.5.6: a 405 carries `Allow` with the methods the target resource supports
/// (§10.2.1). Those of each resource are in SOL003 §5.4 (an individual VNF snapshot: GET and
/// DELETE, and PATCH where the target claims `patch_snapshots`); listing more is allowed.
#[then(expr = "the Allow header lists {string}")]
async fn allow(w: &mut Conformance, methods: String) -> Outcome {
    let required = required_methods(w, &methods)?;
    let exchange = w.last()?;
    let allow = exchange.list_header("Allow").unwrap_or_default();
    let listed = fields::list_elements(&allow);
    let missing: Vec<&String> = required
        .iter()
        .filter(|m| !listed.iter().any(|l| l.eq_ignore_ascii_case(m)))
        .collect();
    ensure(
        missing.is_empty(),
        exchange,
        format!(
            "an Allow header listing {required:?}, the methods SOL003 §5.4 gives the resource (RFC 9110 §15.5.6, §10.2.1); missing {missing:?}"
        ),
    )
}

/// A method on an id that names nothing: the reference VNFM answers 405 with `Allow` (its
/// router knows the path's methods); a 404 is as conformant, since the target resource does
/// not exist (RFC 9110 §15.5.5), and is accepted from other targets.
#[then(
    expr = "the request is rejected with 405 and an Allow header listing {string}, or with 404 as the resource does not exist"
)]
async fn not_allowed_or_not_found(w: &mut Conformance, methods: String) -> Outcome {
    if !w.target.reference && w.last()?.status == 404 {
        return rejected(w, 404).await;
    }
    let exchange = w.last()?.clone();
    ensure(
        exchange.status == 405,
        &exchange,
        "405 with an Allow header, or 404 (the resource does not exist)",
    )?;
    rejected(w, 405).await?;
    allow(w, methods).await
}

/// Every `href` in `value`, except inside an embedded `vnfInstance` (a copy taken at snapshot
/// time, whose links are those of the root it was read through then).
fn hrefs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v.as_str()) {
                    ("href", Some(href)) => out.push(href.to_string()),
                    ("vnfInstance", _) => {}
                    _ => hrefs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| hrefs(v, out)),
        _ => {}
    }
}

/// The links of a resource read through one root lead to that root's resources: SOL013 §7.1
/// `Link.href` is an absolute URI of the resource, and an EM that reaches the VNFM only on
/// Ve-Vnfm (SOL002) can follow them. No clause forbids links to the Or-Vnfm copy of the same
/// resource: the reference VNFM's choice, a WARN elsewhere.
#[then(regex = r"^the links of the snapshot point under the (SOL00[23]) root$")]
async fn links_under_root(w: &mut Conformance, api: crate::http::Api) -> Outcome {
    let exchange = w.last()?;
    let root = url::Url::parse(w.target.api(api).root())
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let mut links = Vec::new();
    hrefs(exchange.body(), &mut links);
    ensure(
        !links.is_empty(),
        exchange,
        "links in the snapshot (_links.self, SOL003 §5.5.2.22)",
    )?;
    let outside: Vec<&String> = links
        .iter()
        .filter(|l| url::Url::parse(l).map_or(true, |u| !u.path().starts_with(&root)))
        .collect();
    w.reference_choice(outside.is_empty(), || {
        format!("links of a snapshot read over {api:?} lead outside its root {root}: {outside:?}")
    })
}

/// The reference VNFM says what was wrong in `detail`; other targets need a non-empty one
/// (SOL013 §6.3: `detail` is mandatory), and word it as they like. Holds vacuously when the
/// target served a request the reference VNFM refuses (see `open_answers.rs`).
#[then(expr = "the problem detail mentions {string}")]
pub(super) async fn detail_mentions(w: &mut Conformance, text: String) -> Outcome {
    let exchange = w.last()?;
    if body_may_be_omitted(w, exchange) || w.served_instead_of_refused {
        return Ok(());
    }
    let detail = exchange.body()["detail"].as_str().unwrap_or_default();
    let ok = if w.target.reference {
        detail.to_lowercase().contains(&text.to_lowercase())
    } else {
        !detail.trim().is_empty()
    };
    ensure(
        ok,
        exchange,
        format!("a ProblemDetails detail saying what was wrong ({text:?})"),
    )
}

/// The reference VNFM names the allowed methods in `detail`; other targets need a non-empty one.
#[then("the problem detail names every method of the Allow header")]
async fn detail_names_allowed(w: &mut Conformance) -> Outcome {
    let exchange = w.last()?;
    if body_may_be_omitted(w, exchange) {
        return Ok(());
    }
    let detail = exchange.body()["detail"].as_str().unwrap_or_default();
    if !w.target.reference {
        return ensure(
            !detail.trim().is_empty(),
            exchange,
            "a ProblemDetails detail",
        );
    }
    let allow = exchange.list_header("Allow").unwrap_or_default();
    let missing: Vec<&str> = fields::list_elements(&allow)
        .into_iter()
        .filter(|m| !detail.contains(m))
        .collect();
    ensure(
        !detail.is_empty() && missing.is_empty(),
        exchange,
        format!("a detail naming the allowed methods (missing {missing:?})"),
    )
}
