//! Refusals sent before a request body is read (413 over the size limit, 401 on bad
//! credentials, 415) reach the client whole, on HTTP and HTTPS, with curl, Python's urllib and
//! reqwest, with bodies of several MiB: the server reads the rest of the body and throws it
//! away instead of resetting the connection under a client that is still sending.

use std::path::Path;

use tokio::process::Command;

use serde_json::Value;
use simulator::stack::{Stack, StackOptions};

/// A body far over the 1 MiB limit of both the VNFM and the cloud.
const LARGE: usize = 8 * 1024 * 1024;

/// One request as every client sends it.
struct Probe<'a> {
    url: String,
    content_type: &'a str,
    /// `user:password` for HTTP Basic.
    basic: &'a str,
    body: Vec<u8>,
}

/// What a client read back.
#[derive(Debug)]
struct Answer {
    status: u16,
    body: Value,
}

/// A JSON text of exactly `len` bytes.
fn json_of_len(len: usize) -> Vec<u8> {
    let mut body = b"{\"pad\": \"".to_vec();
    body.resize(len - 2, b'x');
    body.extend_from_slice(b"\"}");
    body
}

async fn with_reqwest(probe: &Probe<'_>, ca_pem: &str) -> Answer {
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let (user, password) = probe.basic.split_once(':').unwrap();
    let response = client
        .post(&probe.url)
        .basic_auth(user, Some(password))
        .header("Content-Type", probe.content_type)
        .header("Version", "2.0.0")
        .body(probe.body.clone())
        .send()
        .await
        .unwrap_or_else(|e| panic!("reqwest got no answer from {}: {e:?}", probe.url));
    Answer {
        status: response.status().as_u16(),
        body: response.json().await.unwrap_or(Value::Null),
    }
}

/// Runs a client's `command` (the program must be installed) and asserts it succeeded; its
/// standard output.
async fn stdout_of(command: &mut Command) -> String {
    let program = command.as_std().get_program().to_string_lossy().to_string();
    let output = command
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program} must be installed for this test: {e}"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

async fn with_curl(probe: &Probe<'_>, dir: &Path, ca: &Path) -> Answer {
    let body_file = dir.join("request-body");
    std::fs::write(&body_file, &probe.body).unwrap();
    let out = dir.join("curl-answer");
    let mut curl = Command::new("curl");
    curl.args(["--silent", "--show-error", "--cacert"])
        .arg(ca)
        .args(["--user", probe.basic, "--header"])
        .arg(format!("Content-Type: {}", probe.content_type))
        .args(["--header", "Version: 2.0.0", "--data-binary"])
        .arg(format!("@{}", body_file.display()))
        .arg("--output")
        .arg(&out)
        .args(["--write-out", "%{http_code}", &probe.url]);
    let status = stdout_of(&mut curl).await;
    Answer {
        status: status.parse().unwrap(),
        body: serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap_or(Value::Null),
    }
}

/// Python's urllib sends the whole body before it reads anything: the case a server that
/// closes early breaks ("Broken pipe").
async fn with_python(probe: &Probe<'_>, dir: &Path, ca: &Path) -> Answer {
    let body_file = dir.join("request-body");
    std::fs::write(&body_file, &probe.body).unwrap();
    let script = r#"
import base64, json, ssl, sys, urllib.error, urllib.request
url, content_type, basic, body_file, ca = sys.argv[1:6]
request = urllib.request.Request(url, data=open(body_file, "rb").read(), method="POST")
request.add_header("Content-Type", content_type)
request.add_header("Version", "2.0.0")
request.add_header("Authorization", "Basic " + base64.b64encode(basic.encode()).decode())
context = ssl.create_default_context(cafile=ca)
try:
    response = urllib.request.urlopen(request, context=context)
    status, text = response.status, response.read()
except urllib.error.HTTPError as error:
    status, text = error.code, error.read()
print(status)
print(text.decode())
"#;
    let mut python = Command::new("python3");
    python
        .arg("-c")
        .arg(script)
        .args([&probe.url, probe.content_type, probe.basic])
        .arg(&body_file)
        .arg(ca);
    let stdout = stdout_of(&mut python).await;
    let (status, body) = stdout.split_once('\n').unwrap();
    Answer {
        status: status.trim().parse().unwrap(),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

/// Sends `probe` with the three clients and checks each read `status` and a body accepted by
/// `body_ok`.
async fn every_client_reads(
    probe: Probe<'_>,
    ca_pem: &str,
    status: u16,
    body_ok: impl Fn(&Value) -> bool,
) {
    let dir = tempdir();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let answers = [
        ("reqwest", with_reqwest(&probe, ca_pem).await),
        ("curl", with_curl(&probe, &dir, &ca).await),
        ("python urllib", with_python(&probe, &dir, &ca).await),
    ];
    for (client, answer) in answers {
        assert_eq!(
            answer.status, status,
            "{client} on {}: {answer:?}",
            probe.url
        );
        assert!(
            body_ok(&answer.body),
            "{client} on {}: {answer:?}",
            probe.url
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("refused-bodies-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn problem(status: u16, mentions: &'static str) -> impl Fn(&Value) -> bool {
    move |body| body["status"] == status && body["detail"].as_str().unwrap_or("").contains(mentions)
}

async fn stack() -> Stack {
    Stack::start(StackOptions::default()).await.unwrap()
}

/// Posts a JSON body of `len` bytes with `content_type`, as `basic`, to the VNFM's snapshot list
/// on HTTP and on HTTPS, with every client: each must read `status` and a body `body_ok` accepts.
async fn the_vnfm_refuses(
    content_type: &str,
    basic: &str,
    len: usize,
    status: u16,
    body_ok: impl Fn(&Value) -> bool,
) {
    let stack = stack().await;
    for base in [stack.vnfm_http_url(), stack.vnfm_https_url()] {
        let probe = Probe {
            url: format!("{base}/or_vnfm/vnflcm/v2/vnf_snapshots"),
            content_type,
            basic,
            body: json_of_len(len),
        };
        every_client_reads(probe, &stack.vnfm_ca_pem(), status, &body_ok).await;
    }
}

#[tokio::test]
async fn an_oversized_body_gets_the_413_on_http_and_https() {
    let larger = problem(413, "larger than");
    the_vnfm_refuses("application/json", "admin:admin", LARGE, 413, larger).await;
}

#[tokio::test]
async fn bad_credentials_with_a_large_body_get_the_401_on_http_and_https() {
    let any_problem = |body: &Value| body["status"] == 401;
    let len = 3 * 1024 * 1024;
    the_vnfm_refuses("application/json", "admin:wrong", len, 401, any_problem).await;
}

#[tokio::test]
async fn an_unsupported_content_type_gets_the_415_on_http_and_https() {
    let content_type = problem(415, "Content-Type");
    the_vnfm_refuses("text/plain", "admin:admin", 900 * 1024, 415, content_type).await;
}

#[tokio::test]
async fn the_clouds_413_reaches_every_client_in_the_services_own_format() {
    let stack = stack().await;
    let probe = Probe {
        url: format!("{}/compute/v2.1/servers", stack.cloud_url()),
        content_type: "application/json",
        basic: "admin:admin",
        body: json_of_len(LARGE),
    };
    let nova_413 = |body: &Value| {
        body["overLimit"]["code"] == 413 && body["overLimit"]["message"] == "Request is too large."
    };
    every_client_reads(probe, &stack.vnfm_ca_pem(), 413, nova_413).await;
}

/// After a refused large body the connection still serves the next request (the body was
/// read to its end, so the connection is in a clean state, or closed cleanly).
#[tokio::test]
async fn the_next_request_after_a_refusal_is_served() {
    let stack = stack().await;
    let client = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(stack.vnfm_ca_pem().as_bytes()).unwrap(),
        )
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let url = format!("{}/or_vnfm/vnflcm/v2/vnf_snapshots", stack.vnfm_https_url());
    for _ in 0..5 {
        let refused = client
            .post(&url)
            .basic_auth("admin", Some("admin"))
            .header("Content-Type", "application/json")
            .header("Version", "2.0.0")
            .body(json_of_len(LARGE))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 413);
        let listed = client
            .get(&url)
            .basic_auth("admin", Some("admin"))
            .header("Version", "2.0.0")
            .send()
            .await
            .unwrap();
        assert_eq!(listed.status(), 200);
    }
}
