//! Property tests of the VNFM's request parsing and of the SOL013 filter and selector grammar:
//! whatever arrives, the answer is a success or a 4xx ProblemDetails whose `status` is the HTTP
//! code, never a 5xx and never a panic. Case counts are bounded so CI stays fast; raise them
//! with `PROPTEST_CASES`.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
    Router,
};
use proptest::prelude::*;
use serde_json::Value;
use simulator::vnfm::{profile::Listing, query::ListQuery, router, VnfmConfig};
use tower::ServiceExt;

const ROOTS: [&str; 2] = ["/or_vnfm/vnflcm/v2", "/ve_vnfm/vnflcm/v2"];

fn vnfm() -> Router {
    router(VnfmConfig::default(), "http://127.0.0.1:8250").expect("built-in catalog loads")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Sends one request and checks the answer's shape; returns the status.
async fn send(app: &Router, method: Method, uri: &str, body: Vec<u8>) -> StatusCode {
    let request = Request::builder()
        .method(method.clone())
        .uri(uri)
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .header("version", "2.0.0")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    assert!(
        response.headers().contains_key("version"),
        "{method} {uri}: no Version header"
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    assert!(
        !status.is_server_error(),
        "{method} {uri} answered {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    if status.is_client_error() {
        let problem: Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "{method} {uri}: {status} without a JSON ProblemDetails: {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert_eq!(
            problem["status"],
            status.as_u16(),
            "{method} {uri}: {problem}"
        );
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{method} {uri}: no detail in {problem}"
        );
    }
    status
}

/// One of `words`, as a `prop_oneof!` alternative of weight `words.len()`: each word is then as
/// likely as each alternative of weight 1 beside it.
fn one_of(words: &'static [&'static str]) -> (u32, BoxedStrategy<String>) {
    let weight = u32::try_from(words.len()).expect("a short list");
    (
        weight,
        prop::sample::select(words).prop_map(str::to_string).boxed(),
    )
}

/// The filter grammar's own pieces.
const FILTER_PIECES: &[&str] = &[
    "(",
    ")",
    ",",
    ";",
    "'",
    "\"",
    "/",
    "eq",
    "neq",
    "in",
    "nin",
    "gt",
    "lte",
    "cont",
    "ncont",
    "id",
    "vnfSnapshot",
    "vnfInstanceId",
    "vnfcSnapshots",
];

/// Text made of the filter grammar's own pieces, so that most cases get past the first token.
fn filter_text() -> impl Strategy<Value = String> {
    let (pieces, piece) = one_of(FILTER_PIECES);
    let piece = prop_oneof![
        pieces => piece,
        1 => "[a-zA-Z0-9_@%:.-]{0,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn selector_text() -> impl Strategy<Value = String> {
    let (names, known) = one_of(&[
        "vnfSnapshot",
        "vnfSnapshot/vnfInstance",
        "vnfSnapshot/vnfcSnapshots",
        "_links",
        "id",
    ]);
    let name = prop_oneof![names => known, 1 => "[a-zA-Z/,]{0,12}"];
    prop::collection::vec(name, 0..4).prop_map(|names| names.join(","))
}

fn query_string() -> impl Strategy<Value = String> {
    let parameter = prop_oneof![
        filter_text().prop_map(|f| format!("filter={}", urlencode(&f))),
        Just("all_fields".to_string()),
        Just("exclude_default".to_string()),
        selector_text().prop_map(|s| format!("fields={}", urlencode(&s))),
        selector_text().prop_map(|s| format!("exclude_fields={}", urlencode(&s))),
        "[a-zA-Z0-9=_-]{0,20}".prop_map(|m| format!("nextpage_opaque_marker={m}")),
        "[ -~]{0,16}".prop_map(|free| urlencode(&free)),
    ];
    prop::collection::vec(parameter, 0..4).prop_map(|params| params.join("&"))
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// JSON-ish bodies: valid JSON of the right and wrong shapes, and arbitrary bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,40}".prop_map(Value::String),
    ];
    let (fields, field) = one_of(&[
        "vnfSnapshotInfoId",
        "vnfdId",
        "flavourId",
        "callbackUri",
        "vnfcInstanceId",
        "additionalParams",
        "vnfSnapshot",
        "cancelMode",
    ]);
    let key = prop_oneof![fields => field, 1 => "[a-zA-Z]{1,10}"];
    let json = leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    });
    prop_oneof![
        json.prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("00000000-0000-0000-0000-000000000000".to_string()),
        "[a-f0-9-]{1,40}",
        Just("..".to_string()),
        Just("%2e%2e".to_string()),
        "[a-zA-Z0-9%]{200,300}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn list_query_parsing_and_application_never_panic(raw in query_string()) {
        let sample: Value = serde_json::json!({
            "id": "s1",
            "vnfSnapshot": {"id": "x", "vnfInstanceId": "i1", "vnfcSnapshots": [{"id": "c1"}], "vnfInstance": {"id": "i1"}},
            "_links": {"self": {"href": "h"}}
        });
        if let Ok(query) = ListQuery::parse(Some(&raw), Listing::PagedOldestFirst) {
            if let Some(filter) = &query.filter {
                let _ = filter.matches(&sample);
            }
            let mut item = sample.clone();
            query.selector.apply(&mut item, &["vnfSnapshot/vnfInstance", "vnfSnapshot/vnfcSnapshots"]);
        }
    }

    #[test]
    fn list_endpoints_answer_2xx_or_problem_details(raw in query_string(), root in 0..2usize) {
        let app = vnfm();
        runtime().block_on(async {
            for list in ["vnf_snapshots", "vnf_instances", "vnf_lcm_op_occs", "subscriptions"] {
                send(&app, Method::GET, &format!("{}/{list}?{raw}", ROOTS[root]), Vec::new()).await;
            }
        });
    }

    #[test]
    fn request_bodies_never_cause_a_server_error(body in body(), id in id(), root in 0..2usize) {
        let app = vnfm();
        let root = ROOTS[root];
        runtime().block_on(async {
            let posts = [
                format!("{root}/vnf_snapshots"),
                format!("{root}/vnf_instances"),
                format!("{root}/subscriptions"),
                format!("{root}/vnf_instances/{id}/create_snapshot"),
                format!("{root}/vnf_instances/{id}/revert_to_snapshot"),
                format!("{root}/vnf_instances/{id}/instantiate"),
                format!("{root}/vnf_instances/{id}/terminate"),
                format!("{root}/vnf_lcm_op_occs/{id}/cancel"),
            ];
            for uri in posts {
                send(&app, Method::POST, &uri, body.clone()).await;
            }
            send(&app, Method::PATCH, &format!("{root}/vnf_snapshots/{id}"), body.clone()).await;
            send(&app, Method::GET, &format!("{root}/vnf_snapshots/{id}"), Vec::new()).await;
            send(&app, Method::DELETE, &format!("{root}/vnf_snapshots/{id}"), Vec::new()).await;
        });
    }
}
