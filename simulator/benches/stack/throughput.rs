//! The fake cloud's request rate on authenticated reads (a Glance image show and a Cinder
//! snapshot show) against a bare axum handler answering the same bytes, same client.

use std::time::Duration;

use axum::{
    body::Bytes,
    http::{header, HeaderValue},
    routing::get,
    Router,
};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use simulator::{
    kit::{KeystoneClient, PasswordAuth},
    stack::{Stack, StackOptions},
};

use crate::{load, mode::Mode, report::Report};

/// One call measured against both servers.
struct Call {
    name: &'static str,
    path: String,
    content_type: HeaderValue,
    body: Bytes,
}

/// Gets a project-scoped admin token: (token, project id).
async fn token(client: &reqwest::Client, cloud: &str) -> (String, String) {
    let token = KeystoneClient::new(&format!("{cloud}/identity"))
        .with_http_client(client.clone())
        .password_token(&PasswordAuth::new("admin", "admin"))
        .await
        .expect("an admin token");
    (token.id, token.project_id)
}

async fn post(client: &reqwest::Client, url: String, headers: &HeaderMap, body: Value) -> Value {
    let response = client
        .post(url)
        .headers(headers.clone())
        .json(&body)
        .send()
        .await
        .expect("the cloud answers");
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.expect("a JSON body")
}

/// The two calls, with the bytes the cloud answers to them.
async fn calls(
    client: &reqwest::Client,
    cloud: &str,
    headers: &HeaderMap,
    project: &str,
) -> Vec<Call> {
    let images: Value = client
        .get(format!("{cloud}/image/v2/images"))
        .headers(headers.clone())
        .send()
        .await
        .expect("Glance answers")
        .json()
        .await
        .expect("an image list");
    let image = images["images"][0]["id"].as_str().expect("the base image");
    let volumes = format!("{cloud}/volume/v3/{project}");
    let volume = post(
        client,
        format!("{volumes}/volumes"),
        headers,
        json!({"volume": {"size": 1, "name": "bench"}}),
    )
    .await;
    let volume = volume["volume"]["id"].as_str().expect("a volume id");
    let snapshot = post(
        client,
        format!("{volumes}/snapshots"),
        headers,
        json!({"snapshot": {"volume_id": volume, "name": "bench"}}),
    )
    .await;
    let snapshot = snapshot["snapshot"]["id"].as_str().expect("a snapshot id");
    let mut calls = Vec::new();
    for (name, path) in [
        ("image_show", format!("/image/v2/images/{image}")),
        (
            "snapshot_show",
            format!("/volume/v3/{project}/snapshots/{snapshot}"),
        ),
    ] {
        let response = client
            .get(format!("{cloud}{path}"))
            .headers(headers.clone())
            .send()
            .await
            .expect("the cloud answers");
        assert_eq!(response.status(), 200, "GET {path}");
        let content_type = response.headers()[header::CONTENT_TYPE].clone();
        let body = response.bytes().await.expect("a body");
        calls.push(Call {
            name,
            path,
            content_type,
            body,
        });
    }
    calls
}

/// Serves each call's bytes at its path from a plain axum router; returns its base URL.
async fn bare_server(calls: &[Call]) -> (String, tokio::task::JoinHandle<()>) {
    let mut router = Router::new();
    for call in calls {
        let answer = (
            [(header::CONTENT_TYPE, call.content_type.clone())],
            call.body.clone(),
        );
        router = router.route(&call.path, get(move || async move { answer.clone() }));
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, task)
}

/// Measures both calls on both servers in rounds, alternating the order to spread drift.
pub async fn run(mode: &Mode, report: &mut Report) {
    let stack = Stack::start(StackOptions::default())
        .await
        .expect("the stack starts");
    let cloud = stack.cloud_url();
    let client = load::client(mode.concurrency);
    let (token, project) = token(&client, &cloud).await;
    let mut headers = HeaderMap::new();
    headers.insert("x-auth-token", token.parse().expect("a header value"));
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    let calls = calls(&client, &cloud, &headers, &project).await;
    let (bare, server) = bare_server(&calls).await;
    let slice = mode.window / mode.rounds;
    let mut worst = f64::INFINITY;
    for call in &calls {
        let cloud_url = format!("{cloud}{}", call.path);
        let bare_url = format!("{bare}{}", call.path);
        let warm = Duration::from_millis(200);
        load::run(&client, &cloud_url, &headers, mode.concurrency, warm).await;
        load::run(&client, &bare_url, &headers, mode.concurrency, warm).await;
        let (mut cloud_ok, mut bare_ok, mut cloud_s, mut bare_s, mut errors) = (0, 0, 0.0, 0.0, 0);
        for round in 0..mode.rounds {
            let order = if round % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            };
            for is_cloud in order {
                let url = if is_cloud { &cloud_url } else { &bare_url };
                let load = load::run(&client, url, &headers, mode.concurrency, slice).await;
                errors += load.errors;
                if is_cloud {
                    cloud_ok += load.ok;
                    cloud_s += load.elapsed.as_secs_f64();
                } else {
                    bare_ok += load.ok;
                    bare_s += load.elapsed.as_secs_f64();
                }
            }
        }
        let (cloud_rps, bare_rps) = (cloud_ok as f64 / cloud_s, bare_ok as f64 / bare_s);
        let ratio = cloud_rps / bare_rps;
        worst = worst.min(ratio);
        report.figure(&format!("cloud_{}_req_per_s", call.name), cloud_rps);
        report.figure(&format!("bare_{}_req_per_s", call.name), bare_rps);
        report.figure(&format!("cloud_vs_bare_{}", call.name), ratio);
        report.figure(&format!("throughput_errors_{}", call.name), errors as f64);
        report.figure(&format!("body_bytes_{}", call.name), call.body.len() as f64);
    }
    report.figure("throughput_concurrency", mode.concurrency as f64);
    report.figure("throughput_window_s", mode.window.as_secs_f64());
    report.figure("throughput_rounds", f64::from(mode.rounds));
    report.target("cloud_vs_bare", worst, ">= 0.8", worst >= 0.8);
    server.abort();
}
