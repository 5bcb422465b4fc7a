//! Rules every request follows: authentication, SOL013 versioning, api_versions, method and
//! path errors, and the HTTPS listener.

mod vnfm_support;

use reqwest::Method;
use serde_json::Value;
use simulator::{
    tls::{client_config_trusting, ServerIdentity},
    vnfm::{TlsListener, Vnfm, VnfmConfig},
};
use tokio::net::TcpListener;
use vnfm_support::{start, start_with};

#[tokio::test]
async fn requests_without_valid_credentials_get_401_with_challenges() {
    let stack = start().await;
    let url = format!("{}/vnf_snapshots", stack.vnfm.sol003_root());
    for request in [
        stack.client.get(&url),
        stack.client.get(&url).basic_auth("admin", Some("wrong")),
        stack.client.get(&url).bearer_auth("made-up"),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["version"], "2.0.0");
        let challenges: Vec<_> = response
            .headers()
            .get_all("www-authenticate")
            .iter()
            .collect();
        assert_eq!(challenges.len(), 2);
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 401);
    }
}

#[tokio::test]
async fn oauth2_client_credentials_give_a_bearer_token() {
    let stack = start().await;
    let client_credentials =
        "grant_type=client_credentials&client_id=nfvo&client_secret=nfvo-secret";
    let by_form = stack.token_request(None, true, client_credentials).await;
    assert_eq!(by_form.status(), 200);
    let answer: Value = by_form.json().await.unwrap();
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    let token = answer["access_token"].as_str().unwrap();
    let listed = stack
        .client
        .get(format!("{}/vnf_snapshots", stack.vnfm.sol002_root()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);

    // (case, Basic secret, a form's content type, body, status, OAuth error)
    let grant = "grant_type=client_credentials";
    for (case, secret, form, body, status, error) in [
        ("Basic", Some("nfvo-secret"), true, grant, 200, None),
        (
            "wrong secret",
            Some("nope"),
            false,
            grant,
            401,
            Some("invalid_client"),
        ),
        (
            "password",
            None,
            false,
            "grant_type=password",
            400,
            Some("unsupported_grant_type"),
        ),
    ] {
        let answer = stack.token_request(secret, form, body).await;
        assert_eq!(answer.status(), status, "{case}");
        if let Some(error) = error {
            let problem: Value = answer.json().await.unwrap();
            assert_eq!(problem["error"], error, "{case}");
        }
    }
}

#[tokio::test]
async fn version_header_rules() {
    let stack = start().await;
    let url = format!("{}/vnf_snapshots", stack.vnfm.sol003_root());
    let get = |version: Option<&str>| {
        let mut request = stack.client.get(&url).basic_auth("admin", Some("admin"));
        if let Some(version) = version {
            request = request.header("Version", version);
        }
        request.send()
    };
    assert_eq!(get(None).await.unwrap().status(), 200, "lenient by default");
    assert_eq!(get(Some("2.0.0")).await.unwrap().status(), 200);
    assert_eq!(
        get(Some("2.1.0-impl:etsi.org:ETSI_NFV_OpenAPI:1"))
            .await
            .unwrap()
            .status(),
        200
    );
    let other_major = get(Some("1.3.0")).await.unwrap();
    assert_eq!(other_major.status(), 406);
    assert_eq!(other_major.headers()["version"], "2.0.0");
    assert_eq!(get(Some("2.0")).await.unwrap().status(), 400);
    assert_eq!(get(Some("02.0.0")).await.unwrap().status(), 400);

    let strict = start_with(VnfmConfig {
        strict_version: true,
        ..VnfmConfig::default()
    })
    .await;
    let missing = strict
        .client
        .get(format!("{}/vnf_snapshots", strict.vnfm.sol003_root()))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    assert!(missing.json::<Value>().await.unwrap()["detail"]
        .as_str()
        .unwrap()
        .contains("Version"));
    let versions = strict
        .client
        .get(format!(
            "{}/or_vnfm/vnflcm/api_versions",
            strict.vnfm.http_url()
        ))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        versions.status(),
        200,
        "the major-independent api_versions needs no Version"
    );
}

#[tokio::test]
async fn api_versions_name_the_prefixed_uri() {
    let stack = start().await;
    for (root, path) in [
        (stack.vnfm.sol003_root(), "/or_vnfm/vnflcm/api_versions"),
        (stack.vnfm.sol003_root(), "/or_vnfm/vnflcm/v2/api_versions"),
        (stack.vnfm.sol002_root(), "/ve_vnfm/vnflcm/api_versions"),
    ] {
        let body = stack
            .get_json(&format!("{}{path}", stack.vnfm.http_url()))
            .await;
        assert_eq!(body["uriPrefix"], root.as_str());
        assert_eq!(body["apiVersions"][0]["version"], "2.0.0");
    }
    let post = stack
        .request(
            Method::POST,
            &format!("{}/api_versions", stack.vnfm.sol003_root()),
        )
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
}

#[tokio::test]
async fn unsupported_methods_and_unknown_paths_answer_problem_details() {
    let stack = start().await;
    let put = stack
        .request(Method::PUT, "/vnf_snapshots")
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 405);
    let allow = put.headers()["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    assert_eq!(put.headers()["content-type"], "application/json");
    assert_eq!(put.headers()["version"], "2.0.0");
    let problem: Value = put.json().await.unwrap();
    assert_eq!(problem["status"], 405);
    let detail = problem["detail"].as_str().unwrap();
    for method in allow.split(',').map(str::trim) {
        assert!(
            detail.contains(method),
            "{detail} lacks {method} of {allow}"
        );
    }

    let unknown = stack.get("/no_such_resource").await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["status"], 404);
}

#[tokio::test]
async fn https_serves_the_same_state_with_configured_public_links() {
    simulator::tls::install_crypto_provider();
    let identity = ServerIdentity::self_signed(&[]).unwrap();
    let config = VnfmConfig {
        https_public_base: Some("https://vnfm.example:8251".into()),
        ..VnfmConfig::default()
    };
    let http = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let https = TlsListener {
        listener: TcpListener::bind("127.0.0.1:0").await.unwrap(),
        tls: identity.server_config().unwrap(),
    };
    let vnfm = Vnfm::start(config, http, Some(https)).unwrap();
    assert_eq!(vnfm.https_url(), Some("https://vnfm.example:8251"));
    let tls_client = reqwest::Client::builder()
        .tls_backend_preconfigured(client_config_trusting(&identity.cert_pem).unwrap())
        .build()
        .unwrap();
    let https_addr = vnfm.https_addr().unwrap();
    let created = tls_client
        .post(format!(
            "https://localhost:{}/or_vnfm/vnflcm/v2/vnf_snapshots",
            https_addr.port()
        ))
        .basic_auth("admin", Some("admin"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let body: Value = created.json().await.unwrap();
    let href = body["_links"]["self"]["href"].as_str().unwrap();
    assert!(
        href.starts_with("https://vnfm.example:8251/or_vnfm/vnflcm/v2/vnf_snapshots/"),
        "{href}"
    );
    let over_http = reqwest::Client::new()
        .get(format!("{}/vnf_snapshots", vnfm.sol003_root()))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(over_http[0]["id"], body["id"]);
    assert!(over_http[0]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn the_bare_router_serves_without_a_listener() {
    use tower::ServiceExt;
    let router = simulator::vnfm::router(VnfmConfig::default(), "http://vnfm.test:8250").unwrap();
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/ve_vnfm/vnflcm/v2/vnf_snapshots")
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .header("Content-Type", "application/json")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://vnfm.test:8250/ve_vnfm/vnflcm/v2/vnf_snapshots/"),
        "{location}"
    );
}
