//! The NFVO's notification endpoint: a wiremock server that answers the VNFM's callback test
//! (GET) and every notification (POST) with 204 and records them, one channel (URL path) per
//! scenario. Paths under `/refuse/` answer the callback test with 404.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;
use tokio::sync::Notify;
use wiremock::{
    matchers::{method, path_regex},
    Mock, MockServer, Request, Respond, ResponseTemplate,
};

use crate::failure::{Failure, Outcome};

/// Whether `notification` is a VnfLcmOperationOccurrenceNotification (the LCM sequences the
/// scenarios compare), as opposed to the identifier notifications a VNFM may send as well.
pub fn is_op_occ_notification(notification: &Value) -> bool {
    notification["notificationType"] == "VnfLcmOperationOccurrenceNotification"
}

/// One request the VNFM sent to the sink.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub body: Option<Value>,
}

#[derive(Debug, Default)]
struct Store {
    /// What arrived, by path (a channel), in order of arrival.
    received: Mutex<HashMap<String, Vec<Received>>>,
    arrived: Notify,
}

struct Recorder(Arc<Store>, u16);

impl Respond for Recorder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let received = Received {
            method: request.method.to_string(),
            path: request.url.path().to_string(),
            body: serde_json::from_slice(&request.body).ok(),
        };
        self.0
            .received
            .lock()
            .expect("sink store poisoned")
            .entry(received.path.clone())
            .or_default()
            .push(received);
        self.0.arrived.notify_waiters();
        ResponseTemplate::new(self.1)
    }
}

/// The running sink.
#[derive(Debug)]
pub struct NotificationSink {
    _server: MockServer,
    callback_base: String,
    store: Arc<Store>,
}

/// The part of the sink one scenario owns.
#[derive(Clone, Debug)]
pub struct Channel {
    /// The path the VNFM posts to.
    pub path: String,
    /// The callback URI to give the VNFM.
    pub callback_uri: String,
}

impl NotificationSink {
    /// Starts the sink on `bind`; the VNFM reaches it at `callback_base` (`None`: the bound
    /// address).
    pub async fn start(bind: SocketAddr, callback_base: Option<&str>) -> Outcome<Self> {
        let listener = std::net::TcpListener::bind(bind)
            .map_err(|e| Failure::new(format!("notification sink cannot bind {bind}: {e}")))?;
        let server = MockServer::builder().listener(listener).start().await;
        let store = Arc::new(Store::default());
        Mock::given(path_regex("^/refuse/"))
            .respond_with(Recorder(store.clone(), 404))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("^/notify/"))
            .respond_with(Recorder(store.clone(), 204))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path_regex("^/notify/"))
            .respond_with(Recorder(store.clone(), 204))
            .mount(&server)
            .await;
        let callback_base = callback_base
            .map(|b| b.trim_end_matches('/').to_string())
            .unwrap_or_else(|| server.uri());
        Ok(Self {
            _server: server,
            callback_base,
            store,
        })
    }

    /// A fresh channel; `accepting` false gives one whose callback test fails.
    pub fn channel(&self, accepting: bool) -> Channel {
        let prefix = if accepting { "notify" } else { "refuse" };
        let path = format!("/{prefix}/{}", uuid::Uuid::new_v4());
        Channel {
            callback_uri: format!("{}{}", self.callback_base, path),
            path,
        }
    }

    /// Everything received on `channel` so far, in order of arrival.
    pub fn received(&self, channel: &Channel) -> Vec<Received> {
        self.store
            .received
            .lock()
            .expect("sink store poisoned")
            .get(&channel.path)
            .cloned()
            .unwrap_or_default()
    }

    /// The notifications (POST bodies) received on `channel`.
    pub fn notifications(&self, channel: &Channel) -> Vec<Value> {
        self.received(channel)
            .into_iter()
            .filter(|r| r.method == "POST")
            .filter_map(|r| r.body)
            .collect()
    }

    /// The notifications received on `channel` that `select` keeps, in order.
    pub fn notifications_where(
        &self,
        channel: &Channel,
        select: impl Fn(&Value) -> bool,
    ) -> Vec<Value> {
        self.notifications(channel)
            .into_iter()
            .filter(|n| select(n))
            .collect()
    }

    /// The VnfLcmOperationOccurrenceNotifications received on `channel`, in order.
    pub fn op_occ_notifications(&self, channel: &Channel) -> Vec<Value> {
        self.notifications_where(channel, is_op_occ_notification)
    }

    /// Waits until `channel` has received `count` notifications that `select` keeps (or fails
    /// after `deadline`, naming `what`); answers those it has received by then, read again once
    /// the wait is over, in order.
    pub async fn wait_for_notifications(
        &self,
        channel: &Channel,
        deadline: Duration,
        what: &str,
        count: usize,
        select: impl Fn(&Value) -> bool,
    ) -> Outcome<Vec<Value>> {
        self.wait_until(channel, deadline, what, |received| {
            received
                .iter()
                .filter(|r| r.method == "POST")
                .filter_map(|r| r.body.as_ref())
                .filter(|n| select(n))
                .count()
                >= count
        })
        .await?;
        Ok(self.notifications_where(channel, select))
    }

    /// Waits until `done` holds for what `channel` received, or fails after `deadline`.
    async fn wait_until(
        &self,
        channel: &Channel,
        deadline: Duration,
        what: &str,
        done: impl Fn(&[Received]) -> bool,
    ) -> Outcome {
        let until = tokio::time::Instant::now() + deadline;
        loop {
            let arrived = self.store.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let received = self.received(channel);
            if done(&received) {
                return Ok(());
            }
            if tokio::time::timeout_at(until, arrived).await.is_err() {
                let bodies: Vec<String> = received
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.body.clone().unwrap_or_default()))
                    .collect();
                return Err(Failure::new(format!(
                    "waited {deadline:?} for {what}; the sink received on {}:\n{}",
                    channel.path,
                    bodies.join("\n")
                )));
            }
        }
    }
}
