//! Security basics of the VNFM: OAuth tokens expire, no credential or token reaches the logs,
//! and hostile bodies (cut off, untyped) get a 4xx ProblemDetails.

mod vnfm_support;

use std::{
    io::Write,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{json, Value};
use simulator::vnfm::VnfmConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vnfm_support::{
    authorized_callback_endpoint, eventually, start, start_with, wait_for_notifications,
};

#[tokio::test]
async fn oauth_tokens_expire_after_their_lifetime() {
    let lifetime = Duration::from_secs(1);
    let stack = start_with(VnfmConfig {
        token_lifetime: lifetime,
        ..VnfmConfig::default()
    })
    .await;
    let asked = std::time::Instant::now();
    let token = stack.bearer_token().await;
    let url = format!("{}/vnf_snapshots", stack.vnfm.sol003_root());
    let fresh = stack.client.get(&url).bearer_auth(&token).send().await;
    // The token was issued after `asked`: an answer within its lifetime must accept it. On a
    // machine so loaded that the lifetime has passed already, only the expiry is checked.
    if asked.elapsed() < lifetime {
        assert_eq!(fresh.unwrap().status(), 200);
    }
    let problem: Value = eventually(Duration::from_secs(60), || {
        let request = stack.client.get(&url).bearer_auth(&token);
        async move {
            let response = request.send().await.unwrap();
            if response.status() == 401 {
                response.json().await.ok()
            } else {
                None
            }
        }
    })
    .await;
    assert_eq!(problem["status"], 401);
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Authentication (Basic, a wrong password, OAuth) and notification delivery with BASIC
/// credentials, with every log level on: neither passwords nor tokens are logged.
#[tokio::test]
async fn credentials_and_tokens_never_reach_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let stack = vnfm_support::start_with_quick_retries().await;
    // The first delivery fails, so that the retry path logs too; the others carry
    // "cb-user:cb-secret-7f3a".
    let server =
        authorized_callback_endpoint(1, 503, "Basic Y2ItdXNlcjpjYi1zZWNyZXQtN2YzYQ==").await;
    let created = stack
        .subscribe(
            &server,
            json!({
                "authentication": {"authType": ["BASIC"],
                    "paramsBasic": {"userName": "cb-user", "password": "cb-secret-7f3a"}}
            }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let bearer = stack.bearer_token().await;
    let listed = stack
        .client
        .get(format!("{}/vnf_snapshots", stack.vnfm.sol002_root()))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let refused = stack
        .client
        .get(format!("{}/vnf_snapshots", stack.vnfm.sol003_root()))
        .basic_auth("admin", Some("wrong-pass-91c2"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let id = stack.new_instance("vnfd-ib-1vdu").await;
    stack.instantiate_on_vcd(&id).await;
    wait_for_notifications(&server, 4).await;

    let logs = captured.text();
    assert!(
        logs.contains("notification delivery failed"),
        "the failed delivery was not logged:\n{logs}"
    );
    for secret in [
        "cb-secret-7f3a",
        "Y2ItdXNlcjpjYi1zZWNyZXQtN2YzYQ",
        "nfvo-secret",
        "wrong-pass-91c2",
        "YWRtaW46YWRtaW4",
        bearer.as_str(),
    ] {
        assert!(!logs.contains(secret), "{secret:?} was logged:\n{logs}");
    }
}

/// Sends `head` then `body` on a raw connection to the VNFM's HTTP listener, closes the
/// sending side, and returns the status and body of the answer.
async fn raw_exchange(stack: &vnfm_support::Stack, head: &str, body: &[u8]) -> (u16, Value) {
    let address = stack
        .vnfm
        .http_url()
        .trim_start_matches("http://")
        .to_string();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text[9..12].parse().unwrap();
    let json = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(json).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_body_cut_off_mid_way_is_a_400_and_stores_nothing() {
    let stack = start().await;
    let head = "POST /or_vnfm/vnflcm/v2/vnf_snapshots HTTP/1.1\r\nHost: vnfm\r\n\
                Authorization: Basic YWRtaW46YWRtaW4=\r\nVersion: 2.0.0\r\n\
                Content-Type: application/json\r\nContent-Length: 200\r\n\
                Connection: close\r\n\r\n";
    let (status, problem) = raw_exchange(&stack, head, br#"{"vnfSnapshotPkgId": "#).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["status"], 400);
    assert!(
        problem["detail"].as_str().unwrap().contains("cut off"),
        "{problem}"
    );
    let listed = stack.get_json("/vnf_snapshots").await;
    assert_eq!(listed, json!([]));
}

#[tokio::test]
async fn a_body_without_content_type_is_a_415() {
    let stack = start().await;
    let head = "POST /or_vnfm/vnflcm/v2/vnf_snapshots HTTP/1.1\r\nHost: vnfm\r\n\
                Authorization: Basic YWRtaW46YWRtaW4=\r\nVersion: 2.0.0\r\n\
                Content-Length: 2\r\nConnection: close\r\n\r\n";
    let (status, problem) = raw_exchange(&stack, head, b"{}").await;
    assert_eq!(status, 415, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Content-Type"));
    let declared_too_large = "POST /or_vnfm/vnflcm/v2/vnf_snapshots HTTP/1.1\r\nHost: vnfm\r\n\
                Authorization: Basic YWRtaW46YWRtaW4=\r\nVersion: 2.0.0\r\n\
                Content-Type: application/json\r\nContent-Length: 99999999\r\n\
                Connection: close\r\n\r\n";
    let (status, problem) = raw_exchange(&stack, declared_too_large, b"{}").await;
    assert_eq!(status, 413, "{problem}");
    assert_eq!(stack.get_json("/vnf_snapshots").await, json!([]));
}
