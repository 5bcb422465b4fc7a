//! Listener plumbing shared by the fake cloud and the reference VNFM: plain HTTP or TLS, with
//! keep-alive, the peer address available to handlers, connections a handler may drop, and
//! request bodies that are still read to their end when a handler refuses before reading them.

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::ConnectInfo,
    Router,
};
use hyper::{
    body::{Body as HttpBody, Frame, Incoming, SizeHint},
    Request, Response,
};
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto,
};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// Marker a handler puts in a response's extensions to make the server close the connection
/// without answering, the way a crashed or unreachable endpoint looks to a client.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

/// A running listener. Dropping the handle stops accepting and closes open connections.
#[derive(Debug)]
pub struct ServerHandle {
    local_addr: SocketAddr,
    task: JoinHandle<()>,
}

impl ServerHandle {
    /// The address the listener is bound to (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `router` on `listener`, over TLS when `tls` is given.
pub fn spawn(
    listener: TcpListener,
    router: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> io::Result<ServerHandle> {
    let local_addr = listener.local_addr()?;
    let acceptor = tls.map(TlsAcceptor::from);
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let router = router.clone();
            let acceptor = acceptor.clone();
            connections.spawn(async move {
                match acceptor {
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(tls_stream) => serve_connection(tls_stream, peer, router).await,
                        Err(error) => tracing::debug!(%error, %peer, "TLS handshake failed"),
                    },
                    None => serve_connection(stream, peer, router).await,
                }
            });
            while connections.try_join_next().is_some() {}
        }
    });
    Ok(ServerHandle { local_addr, task })
}

async fn serve_connection<S>(stream: S, peer: SocketAddr, router: Router)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let router = router.clone();
        request.extensions_mut().insert(ConnectInfo(peer));
        let request = request.map(|body| Body::new(DrainOnDrop::new(body)));
        async move {
            let response: Response<Body> = match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.extensions().get::<DropConnection>().is_some() {
                return Err(ConnectionDropped);
            }
            Ok::<_, ConnectionDropped>(response)
        }
    });
    let builder = auto::Builder::new(TokioExecutor::new());
    if let Err(error) = builder
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::trace!(%error, %peer, "connection ended");
    }
}

/// The most of an unread request body that is read and thrown away after the answer.
pub const DRAIN_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The longest time spent reading an unread request body after the answer.
pub const DRAIN_MAX_TIME: Duration = Duration::from_secs(30);

/// A request body that, when a handler drops it before its end (a refusal such as 413, 415 or
/// 401 sent before the body is read), is read to its end in the background and thrown away,
/// within [`DRAIN_MAX_BYTES`] and [`DRAIN_MAX_TIME`]. The client can then finish sending and
/// read the answer; closing at once would reset the connection under it ("broken pipe",
/// "connection reset") and lose the answer. Past either bound the connection is closed, as
/// production servers do once their lingering time is over.
struct DrainOnDrop {
    inner: Option<Incoming>,
    ended: bool,
}

impl DrainOnDrop {
    fn new(body: Incoming) -> Self {
        Self {
            inner: Some(body),
            ended: false,
        }
    }
}

impl HttpBody for DrainOnDrop {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None | Some(Err(_)))) {
            this.ended = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.ended || self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map(HttpBody::size_hint)
            .unwrap_or_else(|| SizeHint::with_exact(0))
    }
}

impl Drop for DrainOnDrop {
    fn drop(&mut self) {
        if self.is_end_stream() {
            return;
        }
        let (Some(body), Ok(runtime)) = (self.inner.take(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        runtime.spawn(drain(body));
    }
}

/// Reads `body` to its end and throws it away, within the bounds.
async fn drain(mut body: Incoming) {
    let read = async {
        let mut total: u64 = 0;
        while let Some(Ok(frame)) =
            std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            total += frame.data_ref().map_or(0, |data| data.len() as u64);
            if total > DRAIN_MAX_BYTES {
                break;
            }
        }
    };
    if tokio::time::timeout(DRAIN_MAX_TIME, read).await.is_err() {
        tracing::debug!("gave up reading an unread request body");
    }
}

/// The error a connection ends with when a handler asked for it to be dropped.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for ConnectionDropped {}
